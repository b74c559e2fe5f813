"""The daily review nudge (`/quiz remind on|off [HH:MM]`): one private message a day, at the
member's chosen local time, when reviews are due; never in their quiet hours.

Rules:

- A member chooses a local time (minutes after midnight in their own time zone, or the
  community's when they have none). The nudge is considered once a day at that time
  (`next_at`, kept in UTC and recomputed from the local time every day, so it follows daylight
  saving time changes).
- Quiet hours (22:00 to 08:00 local unless the member changes them) are never nudged: a chosen
  time inside them is refused, and a nudge that is late (the bot was down) is dropped once the
  member's quiet hours have begun or their local day has ended. A late nudge is not worth a
  message at night.
- A nudge is sent only when at least one review is due by the end of the member's local day
  (`day_ends_at`): a review is due on a date, and the member is told the date.
- Each day's nudge is claimed in the database before it is sent (its `next_at` moves to the next
  day in the same statement that checks it), so two processes or a restart never send it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from gettext import gettext as _
from zoneinfo import ZoneInfo

from bot.domain.community import parse_time
from bot.domain.errors import InvalidSetting

QUIET_START = 22 * 60
QUIET_END = 8 * 60
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Reminder:
    """A member's nudge: the local time it comes, their quiet hours, and when it is next
    considered (`next_at`) with the end of that local day (`day_ends_at`), both UTC."""

    member_id: int
    at_minute: int
    next_at: datetime
    day_ends_at: datetime
    quiet_start: int = QUIET_START
    quiet_end: int = QUIET_END
    sent_on: date | None = None


def minute_of(text: str) -> int:
    clock = parse_time(text)
    return clock.hour * 60 + clock.minute


def clock_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def is_quiet(minute: int, quiet_start: int = QUIET_START, quiet_end: int = QUIET_END) -> bool:
    """Whether a local time (minutes after midnight) falls in quiet hours; they may wrap
    midnight (22:00-08:00) or not (13:00-14:00). Equal ends mean no quiet hours."""
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= minute < quiet_end
    return minute >= quiet_start or minute < quiet_end


def parse_quiet_hours(text: str) -> tuple[int, int]:
    """`22:00-08:00` as minutes; `off` for none."""
    cleaned = text.strip().lower()
    if cleaned in {"off", "none"}:
        return 0, 0
    start, dash, end = cleaned.partition("-")
    if not dash:
        raise InvalidSetting(
            _(
                "“{text}” is not a span of quiet hours. Write it as HH:MM-HH:MM, for example "
                "22:00-08:00, or off."
            ).format(text=text)
        )
    return minute_of(start), minute_of(end)


def check_time(minute: int, quiet_start: int, quiet_end: int) -> None:
    if is_quiet(minute, quiet_start, quiet_end):
        raise InvalidSetting(
            _(
                "{time} is in your quiet hours ({start}-{end}), when studybot sends nothing. "
                "Choose a time outside them, or change them with `/quiz remind quiet HH:MM-HH:MM`."
            ).format(
                time=clock_text(minute), start=clock_text(quiet_start), end=clock_text(quiet_end)
            )
        )


def _local(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The instant of a local wall-clock time. A time skipped by a daylight-saving change
    (02:30 on the spring-forward night) is read with the offset before the change, so it lands
    just after it."""
    wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return wall.astimezone(UTC)


def next_nudge(after: datetime, at_minute: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first nudge instant strictly after `after`, and the end of its local day (UTC)."""
    day = after.astimezone(zone).date()
    while True:
        moment = _local(day, at_minute, zone)
        if moment > after:
            return moment, _local(day + timedelta(days=1), 0, zone)
        day += timedelta(days=1)


def scheduled(
    member_id: int,
    at_minute: int,
    now: datetime,
    zone: ZoneInfo,
    quiet_start: int = QUIET_START,
    quiet_end: int = QUIET_END,
) -> Reminder:
    """A reminder set (or moved) at `now`: its first nudge is the next `at_minute`; one set for
    a time later today comes today."""
    check_time(at_minute, quiet_start, quiet_end)
    next_at, day_ends_at = next_nudge(now, at_minute, zone)
    return Reminder(member_id, at_minute, next_at, day_ends_at, quiet_start, quiet_end)


@dataclass(frozen=True)
class Slot:
    """Reminders that come together: the same effective time zone (the member's own, else the
    community's), local time, quiet hours and next instant. A tick decides once per slot and
    moves its members together; `members` is how many share it."""

    zone: str
    at_minute: int
    quiet_start: int
    quiet_end: int
    next_at: datetime
    day_ends_at: datetime
    members: int = 0

    @property
    def day(self) -> date:
        """The member's local date this nudge belongs to."""
        return self.next_at.astimezone(ZoneInfo(self.zone)).date()


def caught_up(slot: Slot, now: datetime) -> Slot:
    """The slot as of `now`. When its day went by without a tick (the bot was down, or the job
    did not run), the nudge of the member's current day stands in for it once its time has
    come, so a missed day never costs the next one."""
    zone = ZoneInfo(slot.zone)
    day = now.astimezone(zone).date()
    moment = _local(day, slot.at_minute, zone)
    if moment > now:
        day -= timedelta(days=1)
        moment = _local(day, slot.at_minute, zone)
    if moment <= slot.next_at:
        return slot
    return replace(slot, next_at=moment, day_ends_at=_local(day + timedelta(days=1), 0, zone))


def may_send(slot: Slot, now: datetime) -> bool:
    """Whether the nudge considered at `slot.next_at` may still go out at `now`: not before
    its time, on the same local day, and not in quiet hours."""
    if now < slot.next_at or now >= slot.day_ends_at:
        return False
    local = now.astimezone(ZoneInfo(slot.zone))
    return not is_quiet(local.hour * 60 + local.minute, slot.quiet_start, slot.quiet_end)


def advanced(slot: Slot, now: datetime) -> tuple[datetime, datetime]:
    """When the slot's nudge is next considered once this one is dealt with at `now` (its
    next local day), and the end of that day."""
    return next_nudge(max(now, slot.next_at), slot.at_minute, ZoneInfo(slot.zone))
