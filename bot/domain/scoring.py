"""Leaderboard periods. A post scores in the week and month of its own local date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PERIODS = ("week", "month", "all")
PERIOD_NAMES = {"week": "this week", "month": "this month", "all": "all time"}


def period_key(period: str, day: date) -> str:
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    return "all"


def period_keys(day: date) -> list[tuple[str, str]]:
    return [(p, period_key(p, day)) for p in PERIODS]


@dataclass(frozen=True)
class BoardRow:
    member_id: int
    name: str
    points: int
    answered: int
    correct: int


@dataclass(frozen=True)
class PointsEntry:
    """Points for one member on every board of one day: the overall board and `topic`'s."""

    member_id: int
    points: int
    answered: int = 0
    correct: int = 0
