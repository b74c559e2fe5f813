"""Spaced repetition of what a member has answered.

Every graded answer (daily question, practice, scenario, review) updates the member's memory
of that question with FSRS, through the maintained `fsrs` package; FSRS says when it is due
again. A member is one per community, so each community keeps its own review history.

How a grade becomes an FSRS rating:

- under half the credit (a wrong choice, fewer than half the key points): **Again**, a miss;
- half or more but not all of it (a partial free-text answer): **Hard**;
- full credit: **Good**;
- full credit within `QUICK_SECONDS` of the question being shown: **Easy**. Only practice and
  reviews know when the member saw the question, so a daily answer is never Easy;
- an answer given after a hint or the model answer was shown is at best **Hard**.

The scheduler runs without learning steps and without fuzz: the group studies once a day, so
every interval is whole days (a miss comes back the next day), and the date a member is told is
the date it comes back. A card is due for the whole of that local day: `/quiz review` and the
nudge both count what is due before the member's local midnight (`day_end`).

The reviews-done streak counts the member's local days on which they answered at least one
question that was due for review; a day without one breaks it (a run that ended yesterday is
still current today, until the day is over).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, Scheduler
from fsrs.card import CardDict

MISSED_BELOW = 0.5
QUICK_SECONDS = 20.0

_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class ReviewCard:
    """One member's memory of one question."""

    member_id: int
    question_id: str
    memory: dict[str, Any]
    due: datetime
    reviews: int = 0
    lapses: int = 0


def rating_for(fraction: float, seconds: float | None = None, helped: bool = False) -> Rating:
    if fraction < MISSED_BELOW:
        return Rating.Again
    if fraction < 1.0 or helped:
        return Rating.Hard
    if seconds is not None and seconds <= QUICK_SECONDS:
        return Rating.Easy
    return Rating.Good


def reviewed(
    card: ReviewCard | None,
    member_id: int,
    question_id: str,
    rating: Rating,
    now: datetime,
) -> ReviewCard:
    """The card after one more answer, graded `rating` at `now` (aware)."""
    now = now.astimezone(UTC)
    memory = Card.from_dict(cast(CardDict, card.memory)) if card else Card(card_id=0, due=now)
    after, _log = _SCHEDULER.review_card(memory, rating, review_datetime=now)
    return ReviewCard(
        member_id=member_id,
        question_id=question_id,
        memory=dict(after.to_dict()),
        due=after.due,
        reviews=(card.reviews if card else 0) + 1,
        lapses=(card.lapses if card else 0) + (rating == Rating.Again),
    )


def day_end(now: datetime, zone: str) -> datetime:
    """The member's next local midnight, as UTC: a card due before it is due today."""
    local = now.astimezone(ZoneInfo(zone))
    midnight = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo)
    return midnight.astimezone(UTC)


def review_streak(days: list[date], today: date) -> tuple[int, int]:
    """(current, best) runs of consecutive days in `days` (sorted, distinct). The current run
    ends today or yesterday."""
    best = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, best
