"""The nudge's rules: quiet hours, the next nudge in local time, and late nudges."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import InvalidSetting
from bot.domain.reminders import (
    Slot,
    advanced,
    caught_up,
    is_quiet,
    may_send,
    next_nudge,
    parse_quiet_hours,
    scheduled,
)

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("minute", "quiet"),
    [(21 * 60 + 59, False), (22 * 60, True), (3 * 60, True), (7 * 60 + 59, True), (8 * 60, False)],
)
def test_quiet_hours_wrap_midnight(minute, quiet):
    assert is_quiet(minute) is quiet


def test_quiet_hours_that_do_not_wrap_and_none_at_all():
    assert is_quiet(13 * 60, 13 * 60, 14 * 60) and not is_quiet(14 * 60, 13 * 60, 14 * 60)
    assert parse_quiet_hours("off") == (0, 0) and not is_quiet(23 * 60, 0, 0)


def test_a_time_in_quiet_hours_is_refused():
    with pytest.raises(InvalidSetting, match="23:15 is in your quiet hours"):
        scheduled(1, 23 * 60 + 15, datetime(2026, 12, 7, tzinfo=UTC), ZoneInfo("UTC"))


def test_the_next_nudge_keeps_local_time_across_the_spring_change():
    before, _ends = next_nudge(datetime(2027, 3, 13, 14, 0, tzinfo=UTC), 8 * 60 + 15, NEW_YORK)
    after, ends = next_nudge(before, 8 * 60 + 15, NEW_YORK)
    assert before == datetime(2027, 3, 14, 12, 15, tzinfo=UTC)  # already EDT on the 14th
    assert after == datetime(2027, 3, 15, 12, 15, tzinfo=UTC)
    assert ends == datetime(2027, 3, 16, 4, 0, tzinfo=UTC)  # midnight in New York
    earlier, _ends = next_nudge(datetime(2027, 3, 12, 14, 0, tzinfo=UTC), 8 * 60 + 15, NEW_YORK)
    assert earlier == datetime(2027, 3, 13, 13, 15, tzinfo=UTC)  # EST: an hour later in UTC


def slot(next_at: datetime, ends: datetime, zone: str = "UTC") -> Slot:
    return Slot(zone, 8 * 60 + 30, 22 * 60, 8 * 60, next_at, ends)


def test_a_nudge_may_go_out_late_the_same_day_but_not_in_quiet_hours():
    today = slot(datetime(2026, 12, 7, 8, 30, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC))
    assert not may_send(today, datetime(2026, 12, 7, 8, 29, tzinfo=UTC))
    assert may_send(today, datetime(2026, 12, 7, 21, 59, tzinfo=UTC))
    assert not may_send(today, datetime(2026, 12, 7, 22, 0, tzinfo=UTC))
    assert advanced(today, datetime(2026, 12, 7, 22, 0, tzinfo=UTC))[0] == datetime(
        2026, 12, 8, 8, 30, tzinfo=UTC
    )


def test_a_slot_whose_day_went_by_is_caught_up_to_today():
    stale = slot(datetime(2026, 12, 5, 8, 30, tzinfo=UTC), datetime(2026, 12, 6, tzinfo=UTC))
    current = caught_up(stale, datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    assert current.next_at == datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
    assert current.day_ends_at == datetime(2026, 12, 8, tzinfo=UTC)
    early = caught_up(stale, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))  # today's not yet due
    assert early.next_at == datetime(2026, 12, 6, 8, 30, tzinfo=UTC)
    assert not may_send(early, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))  # yesterday's is over
