"""What the stats cards show: a member's progress and a group's coverage, as plain values.

Storage returns the row types (`AnsweredDay`, `TopicCoverage`, `MissedQuestion`); the read
side folds them into a `MemberCard` or a `GroupCard`, which a chart renderer draws and the
text reply spells out, so the picture and the words always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

POINTS_DAYS = 90
"""How far back the points-over-time line goes."""
CALENDAR_DAYS = 365
"""How far back the answered-days heat map goes."""


@dataclass(frozen=True)
class AnsweredDay:
    """One daily question a member answered: the post's local date, when they answered it
    and the points it earned (0 until graded)."""

    post_date: date
    answered_at: datetime
    points: int


@dataclass(frozen=True)
class TopicCoverage:
    """All-time answers of a community's members in one topic."""

    topic: str
    members: int
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class MissedQuestion:
    """A daily question and how many of its graded answers were not right."""

    question_id: str
    topic: str
    answered: int
    missed: int


@dataclass(frozen=True)
class TopicBar:
    title: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class MemberCard:
    """A member's card. `points` has one entry per day of the last `POINTS_DAYS` days
    (oldest first, zeros included); `answered_days` are the member's own local dates."""

    name: str
    today: date
    points: tuple[tuple[date, int], ...]
    topics: tuple[TopicBar, ...]
    answered_days: frozenset[date]
    reviews_due: int
    next_review: datetime | None

    @property
    def empty(self) -> bool:
        return not self.answered_days and not self.topics and not any(p for _d, p in self.points)


@dataclass(frozen=True)
class MissedRow:
    title: str
    topic: str
    answered: int
    missed: int


@dataclass(frozen=True)
class CoverageBar:
    title: str
    members: int
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class GroupCard:
    name: str
    members: int
    topics: tuple[CoverageBar, ...]
    missed: tuple[MissedRow, ...]

    @property
    def empty(self) -> bool:
        return not self.topics and not self.missed


def member_card(
    name: str,
    today: date,
    zone: str,
    days: list[AnsweredDay],
    topics: tuple[TopicBar, ...],
    reviews_due: int,
    next_review: datetime | None,
) -> MemberCard:
    """Fold the answered questions into daily points (by the post's date, as the boards count
    them) and answered days (in the member's `zone`, as their streak counts them)."""
    start = today - timedelta(days=POINTS_DAYS - 1)
    per_day = dict.fromkeys((start + timedelta(days=i) for i in range(POINTS_DAYS)), 0)
    for day in days:
        if day.post_date in per_day:
            per_day[day.post_date] += day.points
    first_shown = today - timedelta(days=CALENDAR_DAYS - 1)
    local = ZoneInfo(zone)
    answered = frozenset(
        d
        for d in (day.answered_at.astimezone(local).date() for day in days)
        if first_shown <= d <= today
    )
    return MemberCard(
        name=name,
        today=today,
        points=tuple(sorted(per_day.items())),
        topics=topics,
        answered_days=answered,
        reviews_due=reviews_due,
        next_review=next_review,
    )
