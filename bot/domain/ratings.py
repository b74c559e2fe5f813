"""How hard a question plays, and how strong a member is: an Elo-style rating for each.

Every graded answer is a game in which a member "plays" a question:

- The member's expected score is ``E = 1 / (1 + 10 ** ((Rq - Rm) / 400))``: a member rated
  400 above a question is expected to earn about 91% of its credit.
- The outcome ``S`` is the answer's credit fraction, 0 to 1 (a partial free-text answer is a
  partial win).
- The member moves by ``K_m * (S - E)`` and the question by ``K_q * (E - S)``: a miss makes the
  question harder and the member weaker. Each side's ``K = max(16, 64 / sqrt(1 + games))``, so a
  newcomer (member or question) settles fast and a veteran moves by at least 16 per game.
  Because the two Ks differ, the pair's sum is not conserved; each side's scale is still Elo's.
- A question starts at the rating of its labelled difficulty (`START`: easy 1300, medium 1500,
  hard 1700); a member starts at `MEMBER_START` (1500). Question ratings are global (every
  community's answers count), member ratings belong to one community's member.
- A batch of answers (a daily question's close) is played one game after another in the order
  given, against the question's running rating; the question moves by the sum of its deltas.
- An answer given after a hint or the model answer does not play: it says little about the
  question or the member.

The band a rating plays in is cut halfway between the start ratings (below 1400 easy, 1600 and
up hard); a question gets a verdict ("plays hard") only after `VERDICT_GAMES` games.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

START = {1: 1300.0, 2: 1500.0, 3: 1700.0}
"""The rating a question starts at, by labelled difficulty (1 easy, 2 medium, 3 hard)."""

MEMBER_START = 1500.0
VERDICT_GAMES = 20
"""Games a question needs before its played band is trusted over its label."""

K_MAX = 64.0
K_MIN = 16.0
SCALE = 400.0
TARGET_SUCCESS = 0.7
"""The expected score adaptive practice aims for: hard enough to learn from, mostly won."""


@dataclass(frozen=True)
class Standing:
    """A rating after `games` games; for a question, `credit` is the sum of its outcomes."""

    rating: float
    games: int = 0
    credit: float = 0.0


@dataclass(frozen=True)
class Game:
    """One graded answer: the member who played and the credit they earned (0..1)."""

    member_id: int
    score: float


@dataclass(frozen=True)
class Change:
    """What a set of games adds to one side's standing."""

    delta: float
    games: int
    credit: float = 0.0


def expected(member: float, question: float) -> float:
    """The member's expected score against the question."""
    return 1.0 / (1.0 + 10.0 ** ((question - member) / SCALE))


def k_factor(games: int) -> float:
    return max(K_MIN, K_MAX / math.sqrt(1 + games))


def start_rating(difficulty: int) -> float:
    return START.get(difficulty, START[2])


def band(rating: float) -> int:
    """The difficulty level (1–3) a rating plays at."""
    levels = sorted(START)
    for low, high in itertools.pairwise(levels):
        if rating < (START[low] + START[high]) / 2:
            return low
    return levels[-1]


def verdict(label: int, standing: Standing) -> int | None:
    """The band the question plays at when it has enough games and differs from `label`."""
    if standing.games < VERDICT_GAMES:
        return None
    played = band(standing.rating)
    return None if played == label else played


def target_rating(member: float, success: float = TARGET_SUCCESS) -> float:
    """The question rating against which the member's expected score is `success`."""
    return member + SCALE * math.log10(1.0 / success - 1.0)


def play(
    question: Standing, members: dict[int, Standing], games: Sequence[Game]
) -> tuple[Change, dict[int, Change]]:
    """Play `games` in order: what they add to the question, and to each member who played.
    A member missing from `members` starts at `MEMBER_START`."""
    q_rating, q_games = question.rating, question.games
    ratings = {m: s.rating for m, s in members.items()}
    counts = {m: s.games for m, s in members.items()}
    member_changes: dict[int, Change] = {}
    for game in games:
        score = min(1.0, max(0.0, game.score))
        m_rating = ratings.get(game.member_id, MEMBER_START)
        m_games = counts.get(game.member_id, 0)
        surprise = score - expected(m_rating, q_rating)
        m_delta = k_factor(m_games) * surprise
        q_rating -= k_factor(q_games) * surprise
        q_games += 1
        ratings[game.member_id] = m_rating + m_delta
        counts[game.member_id] = m_games + 1
        before = member_changes.get(game.member_id, Change(0.0, 0))
        member_changes[game.member_id] = Change(before.delta + m_delta, before.games + 1)
    credit = sum(min(1.0, max(0.0, g.score)) for g in games)
    return Change(q_rating - question.rating, len(games), credit), member_changes
