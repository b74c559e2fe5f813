"""A community (a Discord server or a Slack workspace) and the settings its admins choose."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from datetime import time
from gettext import gettext as _
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from bot.domain.errors import InvalidSetting
from bot.domain.questions import Kind

DEFAULT_KINDS = (Kind.MULTIPLE_CHOICE, Kind.SHORT_ANSWER, Kind.OPEN)
DEFAULT_DIFFICULTY_MIX = {1: 3, 2: 5, 3: 2}
MIN_WINDOW_MINUTES = 60
MAX_WINDOW_MINUTES = 7 * 24 * 60

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise InvalidSetting(
            _("“{text}” is not a time. Use 24-hour HH:MM, for example 09:30 or 18:00.").format(
                text=text
            )
        )
    return time(int(match.group(1)), int(match.group(2)))


def parse_timezone(name: str) -> ZoneInfo:
    cleaned = name.strip()
    try:
        if not cleaned or cleaned.lower() == "localtime":
            raise ZoneInfoNotFoundError(cleaned)
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        hint = suggest_timezones(cleaned)
        suggestion = _(" Did you mean {zones}?").format(zones=", ".join(hint)) if hint else ""
        raise InvalidSetting(
            _(
                "“{name}” is not a known time zone.{suggestion} Use an IANA name such as "
                "Europe/Berlin, America/Los_Angeles or Asia/Kolkata."
            ).format(name=cleaned, suggestion=suggestion)
        ) from None


# What people type for their zone that is not an IANA name: each points at the zone's usual
# city. (Abbreviations that are IANA names, such as CET or EST, are accepted as they are.)
ABBREVIATIONS = {
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "edt": "America/New_York",
    "et": "America/New_York",
    "bst": "Europe/London",
    "cest": "Europe/Berlin",
    "eest": "Europe/Athens",
    "ist": "Asia/Kolkata",
    "pkt": "Asia/Karachi",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "brt": "America/Sao_Paulo",
    "wib": "Asia/Jakarta",
}
FUZZY_CUTOFF = 80


@functools.cache
def _cities() -> dict[str, str]:
    """IANA zones by city, lower case with spaces: "los angeles" → America/Los_Angeles."""
    return {
        zone.rsplit("/", 1)[-1].replace("_", " ").lower(): zone
        for zone in sorted(available_timezones())
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/"))
    }


def suggest_timezones(fragment: str, limit: int = 3) -> list[str]:
    """IANA names for what someone typed: an abbreviation (PST), part of a name (Berlin), or
    a misspelling (Europe/Berln, Kolkatta), best first."""
    needle = fragment.strip().lower().replace("_", " ")
    if needle in ABBREVIATIONS:
        return [ABBREVIATIONS[needle]]
    if len(needle) < 3:
        return []
    spaced = needle.replace(" ", "_")
    found = sorted(z for z in available_timezones() if spaced in z.lower())[:limit]
    city = needle.rsplit("/", 1)[-1]
    for match, _score, _index in process.extract(
        city, list(_cities()), scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_CUTOFF
    ):
        zone = _cities()[match]
        if zone not in found:
            found.append(zone)
    return found[:limit]


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekday(text: str) -> str:
    day = text.strip().lower()[:3]
    if day not in WEEKDAYS:
        raise InvalidSetting(
            _("“{text}” is not a weekday. Use mon, tue, wed, thu, fri, sat or sun.").format(
                text=text
            )
        )
    return day


def parse_checkin_days(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 6:
        raise InvalidSetting(_("Ask for check-ins 1 to 6 days after a round, for example 2."))
    return int(text)


def parse_window(text: str) -> int | None:
    """An answer window: `next` (until the next post) or a duration like 90m, 6h, 2d."""
    cleaned = text.strip().lower()
    if cleaned in {"next", "next-post", "default"}:
        return None
    match = re.fullmatch(r"(\d+)\s*([mhd])", cleaned)
    if not match:
        raise InvalidSetting(
            _(
                "“{text}” is not an answer window. Use `next` (until the next post) or a "
                "duration like 90m, 6h or 2d."
            ).format(text=text)
        )
    minutes = int(match.group(1)) * {"m": 1, "h": 60, "d": 1440}[match.group(2)]
    if not MIN_WINDOW_MINUTES <= minutes <= MAX_WINDOW_MINUTES:
        raise InvalidSetting(_("The answer window must be between 1 hour and 7 days."))
    return minutes


@dataclass(frozen=True)
class CommunitySettings:
    """What admins choose. `answer_window_minutes=None` means: open until the next post."""

    channel_id: str | None = None
    post_time: time = time(9, 0)
    timezone: str = "UTC"
    answer_window_minutes: int | None = None
    topics: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = DEFAULT_KINDS
    difficulty_mix: dict[int, int] = field(default_factory=lambda: dict(DEFAULT_DIFFICULTY_MIX))
    packs: tuple[str, ...] = ("core",)
    admin_user_ids: tuple[str, ...] = ()
    paused: bool = False
    pair_day: str = "mon"  # mock-interview rounds: weekday, time (community time zone)
    pair_time: time = time(9, 0)
    checkin_days: int = 2  # days after a round to ask "did you meet?"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_changes(self, **changes: object) -> CommunitySettings:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Community:
    id: int
    platform: str
    workspace_id: str
    name: str
    settings: CommunitySettings
