"""Peer mock interviews, the pure rules: rounds by ISO week, who met whom, the no-show rule,
meeting times in each member's zone, and which packet each interviewer gets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.availability import SLOT_MINUTES
from bot.domain.community import WEEKDAYS, CommunitySettings
from bot.domain.questions import Question
from bot.domain.schedule import local_date

SUGGESTED_TIMES = 3
NO_SHOW_MEMORY = 3  # rounds in which a partner's "didn't show" report counts
CHECKIN_ANSWERS = ("met", "rescheduled", "no_show", "missed")
MOCK_TOPIC = "mock_interviews"
POINTS_FOR_A_MOCK = 10
POINTS_FOR_FEEDBACK = 5
RATING_KEYS = ("problem_solving", "ml_knowledge", "communication", "structure")
FEEDBACK_LIMIT = 1000
RESUME_INTRODUCTIONS_AFTER = timedelta(minutes=1)
"""A round still missing introductions this long after it was paired was interrupted (a
restart, a crash, the database gone mid-way): the tick sends the rest, for a day at most."""
RESUME_INTRODUCTIONS_WITHIN = timedelta(days=1)


@dataclass(frozen=True)
class Profile:
    member_id: int
    user_id: str
    display_name: str
    availability: str
    timezone: str
    role: str | None
    level: str | None
    active: bool
    pause_rounds: int


@dataclass(frozen=True)
class Assignment:
    id: int
    round_id: int
    group_no: int
    member_id: int
    user_id: str
    display_name: str
    interviews_first: bool
    question_id: str | None
    shared_slots: int
    intro_sent: bool


@dataclass(frozen=True)
class RoundRef:
    id: int
    run_key: str
    week_monday: date


@dataclass(frozen=True)
class UnintroducedRound:
    """A recent round with a member whose introduction was never claimed."""

    community_id: int
    round: RoundRef


@dataclass(frozen=True)
class GroupSeat:
    """One member's seat in one group of a past round, with their check-in answer."""

    round_id: int
    group_no: int
    member_id: int
    checkin: str | None = None


@dataclass(frozen=True)
class RoundStats:
    run_key: str
    members: int
    groups: int
    checkins: dict[str, int] = field(default_factory=dict)
    feedback: int = 0


@dataclass(frozen=True)
class DueCheckin:
    assignment_id: int
    community_id: int
    user_id: str
    round_made_at: datetime


@dataclass(frozen=True)
class SeenQuestions:
    """Questions a member met as a candidate or in the daily channel, and those they answered
    (daily or practice)."""

    met: frozenset[str]
    answered: frozenset[str]


def round_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def round_monday(settings: CommunitySettings, now: datetime) -> date:
    today = local_date(settings, now)
    return today - timedelta(days=today.weekday())


def next_round_at(settings: CommunitySettings, now: datetime) -> datetime | None:
    """The next pairing time after `now`, in the community's zone."""
    zone = ZoneInfo(settings.timezone)
    local = now.astimezone(zone)
    target = WEEKDAYS.index(settings.pair_day)
    for ahead in range(8):
        day = local.date() + timedelta(days=ahead)
        at = datetime.combine(day, settings.pair_time, tzinfo=zone)
        if day.weekday() == target and at > local:
            return at
    return None


def meeting_times(shared: int, monday: date, zone: str, limit: int = SUGGESTED_TIMES) -> list[str]:
    """The first stretches of shared free time, in `zone`, as "Tue 19:00–21:00"."""
    blocks: list[tuple[int, int]] = []
    slot = 0
    while shared >> slot:
        if shared >> slot & 1:
            start = slot
            while shared >> slot & 1:
                slot += 1
            blocks.append((start, slot))
        else:
            slot += 1
    week = datetime.combine(monday, datetime.min.time(), tzinfo=UTC)
    tz = ZoneInfo(zone)
    out = []
    for start, end in blocks[:limit]:
        begin = (week + timedelta(minutes=start * SLOT_MINUTES)).astimezone(tz)
        finish = (week + timedelta(minutes=end * SLOT_MINUTES)).astimezone(tz)
        out.append(f"{begin:%a %H:%M}–{finish:%H:%M} {begin.tzname()}")
    return out


def _groups(seats: Iterable[GroupSeat]) -> dict[tuple[int, int], list[GroupSeat]]:
    groups: dict[tuple[int, int], list[GroupSeat]] = {}
    for seat in seats:
        groups.setdefault((seat.round_id, seat.group_no), []).append(seat)
    return groups


def partners_met(
    seats: Iterable[GroupSeat], rounds_ago: dict[int, int]
) -> dict[int, dict[int, int]]:
    """member -> partner -> how many rounds ago they last met (1 is the latest round)."""
    met: dict[int, dict[int, int]] = {}
    for (round_id, _), group in _groups(seats).items():
        for a in group:
            for b in group:
                if a.member_id != b.member_id:
                    seen = met.setdefault(a.member_id, {})
                    seen[b.member_id] = min(seen.get(b.member_id, 99), rounds_ago[round_id])
    return met


def count_no_shows(seats: Iterable[GroupSeat]) -> dict[int, int]:
    """In how many of the given rounds a partner reported the member missing."""
    counts: dict[int, int] = {}
    for group in _groups(seats).values():
        reported = [s for s in group if s.checkin == "no_show"]
        for seat in group:
            if any(r.member_id != seat.member_id for r in reported):
                counts[seat.member_id] = counts.get(seat.member_id, 0) + 1
    return counts


def shared_slots(masks: Iterable[int]) -> int:
    shared = -1
    for mask in masks:
        shared &= mask
    return shared


def choose_packets(
    groups: Sequence[Sequence[int]],
    scenarios: Sequence[Question],
    seen: dict[int, SeenQuestions],
) -> dict[int, str]:
    """interviewer -> scenario id. Each member interviews the next one in the group with a
    scenario the candidate has not met, preferring one the interviewer has answered."""
    chosen: dict[int, str] = {}
    if not scenarios:
        return chosen
    empty = SeenQuestions(frozenset(), frozenset())
    for group in groups:
        for i, interviewer in enumerate(group):
            candidate = group[(i + 1) % len(group)]
            fresh = [q for q in scenarios if q.id not in seen.get(candidate, empty).met]
            fresh = fresh or list(scenarios)
            known = [q for q in fresh if q.id in seen.get(interviewer, empty).answered]
            pool = sorted(known or fresh, key=lambda q: q.id)
            chosen[interviewer] = pool[interviewer % len(pool)].id
    return chosen
