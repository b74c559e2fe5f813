"""Weekly availability for mock interviews: "Mon-Thu 18:00-21:00; Sat 10:00-12:00" in the
member's own time zone, turned into hours of a concrete week in UTC so that members in
different zones (and either side of a DST change) can be compared."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from gettext import gettext as _
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidSetting

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOT_MINUTES = 30
SLOTS_A_WEEK = 7 * 24 * 60 // SLOT_MINUTES
EXAMPLE = _("Mon-Thu 18:00-21:00; Sat 10:00-13:00")
_GROUPS = {"weekdays": (0, 1, 2, 3, 4), "weekends": (5, 6), "daily": tuple(range(7))}
_TIME = r"(\d{1,2})(?::(\d{2}))?"
_WINDOW = re.compile(rf"^(?P<days>[a-z,\-\s]+?)\s+{_TIME}\s*-\s*{_TIME}$")


@dataclass(frozen=True)
class Window:
    """Local weekly window: days (0 = Monday) from `start` to `end` (end may be 24:00)."""

    days: tuple[int, ...]
    start: time
    end_minutes: int

    @property
    def start_minutes(self) -> int:
        return self.start.hour * 60 + self.start.minute


def _days(text: str) -> tuple[int, ...]:
    found: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if part in _GROUPS:
            found.extend(_GROUPS[part])
            continue
        first, _, last = part.partition("-")
        a, b = first.strip()[:3], (last.strip()[:3] or first.strip()[:3])
        if a not in DAYS or b not in DAYS:
            raise ValueError(part)
        i, j = DAYS.index(a), DAYS.index(b)
        found.extend(range(i, j + 1) if i <= j else [*range(i, 7), *range(j + 1)])
    return tuple(sorted(set(found)))


def _minutes(hour: str, minute: str | None) -> int:
    h, m = int(hour), int(minute or 0)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise ValueError(f"{hour}:{minute}")
    return h * 60 + m


def parse_availability(text: str) -> tuple[Window, ...]:
    """Windows separated by `;`. Refusals show an example of the accepted format."""
    windows = []
    for chunk in (c.strip().lower() for c in text.split(";")):
        if not chunk:
            continue
        match = _WINDOW.match(chunk)
        try:
            if match is None:
                raise ValueError(chunk)
            days = _days(match.group("days"))
            start = _minutes(match.group(2), match.group(3))
            end = _minutes(match.group(4), match.group(5))
            if end <= start or not days:
                raise ValueError(chunk)
        except ValueError:
            raise InvalidSetting(
                _(
                    "“{chunk}” is not an availability window. Write days and hours in your own "
                    "time zone, for example: {example} (also: weekdays, weekends, daily)."
                ).format(chunk=chunk, example=EXAMPLE)
            ) from None
        windows.append(Window(days, time(start // 60, start % 60), end))
    if not windows:
        raise InvalidSetting(
            _("Give at least one window, for example: {example}").format(example=EXAMPLE)
        )
    return tuple(windows)


def week_slots(windows: tuple[Window, ...], zone: str, monday: date) -> int:
    """The half-hours of the UTC week starting `monday` 00:00 UTC that the windows cover, as a
    336-bit mask (bit s = half-hour s of the week). A half-hour counts when it is fully inside
    a window. Half-hours suit every zone whose offset is a multiple of 30 minutes."""
    tz = ZoneInfo(zone)
    week_start = datetime.combine(monday, time(0), tzinfo=UTC)
    mask = 0
    for window in windows:
        for offset in (-7, 0, 7):  # local days that may fall into this UTC week
            for day in window.days:
                local_day = monday + timedelta(days=day + offset)
                begin = datetime.combine(local_day, time(0), tzinfo=tz) + timedelta(
                    minutes=window.start_minutes
                )
                end = datetime.combine(local_day, time(0), tzinfo=tz) + timedelta(
                    minutes=window.end_minutes
                )
                size = SLOT_MINUTES * 60
                first = (begin.astimezone(UTC) - week_start).total_seconds() / size
                last = (end.astimezone(UTC) - week_start).total_seconds() / size
                for slot in range(max(0, int(-(-first // 1))), min(SLOTS_A_WEEK, int(last // 1))):
                    mask |= 1 << slot
    return mask
