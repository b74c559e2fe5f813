"""Adaptive practice: which question `/quiz practice` asks when the member names no topic and
no difficulty (a review that is due comes first; the service checks that).

1. A topic, drawn at random with weight = how weak the member is in it: one minus their
   smoothed success rate ``(answers - misses + 1) / (answers + 2)`` (a Beta(1, 1) prior), so a
   topic never played weighs 0.5, one always missed approaches 1 and one always right
   approaches 0 without ever being ruled out.
2. In that topic, a question they did not practise in their last `RECENT` practice questions
   (unless that leaves none), whose rating (`bot.domain.ratings`) is closest to the one the
   member is expected to beat 70% of the time; one of the `CLOSEST` nearest, at random.

The same random generator state gives the same pick.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence

from bot.domain.questions import Question
from bot.domain.ratings import start_rating, target_rating

RECENT = 20
CLOSEST = 3


def weakness(answers: int, misses: int) -> float:
    return 1.0 - (answers - misses + 1) / (answers + 2)


def choose_topic(
    topics: Collection[str], record: Mapping[str, tuple[int, int]], rng: random.Random
) -> str:
    """A topic weighted towards the weakest; `record` is (answers, misses) by topic."""
    ordered = sorted(topics)
    weights = [weakness(*record.get(t, (0, 0))) for t in ordered]
    return rng.choices(ordered, weights=weights)[0]


def choose_question(
    pool: Sequence[Question],
    ratings: Mapping[str, float],
    member_rating: float,
    recent: Collection[str],
    rng: random.Random,
) -> Question:
    """The question of `pool` that suits the member's rating best (see the module docstring);
    a question without a rating plays at its label's start rating."""
    fresh = [q for q in pool if q.id not in recent] or list(pool)
    aim = target_rating(member_rating)

    def distance(q: Question) -> tuple[float, str]:
        return abs(ratings.get(q.id, start_rating(q.difficulty)) - aim), q.id

    nearest = sorted(fresh, key=distance)[:CLOSEST]
    return rng.choice(nearest)


def topic_record(
    answered: Mapping[str, tuple[int, int]], topic_of: Mapping[str, str]
) -> dict[str, tuple[int, int]]:
    """(answers, misses) per question summed by topic; questions no longer in the bank drop."""
    totals: dict[str, tuple[int, int]] = {}
    for question_id, (answers, misses) in answered.items():
        topic = topic_of.get(question_id)
        if topic is not None:
            before = totals.get(topic, (0, 0))
            totals[topic] = (before[0] + answers, before[1] + misses)
    return totals
