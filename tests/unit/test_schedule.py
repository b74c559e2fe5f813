from datetime import UTC, date, datetime, time

import pytest

from bot.domain.community import CommunitySettings, parse_time, parse_timezone, parse_window
from bot.domain.errors import InvalidSetting
from bot.domain.schedule import closes_at, due_days, scheduled_at

LA = CommunitySettings(post_time=time(9, 0), timezone="America/Los_Angeles")


def test_the_post_keeps_its_local_time_across_a_dst_change():
    assert scheduled_at(LA, date(2026, 3, 7)) == datetime(2026, 3, 7, 17, 0, tzinfo=UTC)
    assert scheduled_at(LA, date(2026, 3, 9)) == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)


def test_a_post_time_skipped_by_spring_forward_still_posts_that_day():
    settings = CommunitySettings(post_time=time(2, 30), timezone="America/Los_Angeles")
    moment = scheduled_at(settings, date(2026, 3, 8))
    assert moment.astimezone(settings.zone).date() == date(2026, 3, 8)


def test_by_default_a_post_stays_open_until_the_next_post():
    opened = scheduled_at(LA, date(2026, 3, 7))
    assert closes_at(LA, date(2026, 3, 7), opened) == scheduled_at(LA, date(2026, 3, 8))
    # the next post falls after the DST jump: 23 hours later
    assert (scheduled_at(LA, date(2026, 3, 8)) - opened).total_seconds() == 23 * 3600


def test_a_fixed_window_counts_from_the_scheduled_time_even_when_posted_late():
    settings = LA.with_changes(answer_window_minutes=120)
    day = date(2026, 5, 1)
    late = scheduled_at(settings, day).replace(minute=30)
    assert closes_at(settings, day, late) == scheduled_at(settings, day).replace(hour=18)


def test_a_post_made_near_its_close_still_gets_at_least_an_hour():
    day = date(2026, 5, 1)
    very_late = scheduled_at(LA, day + __import__("datetime").timedelta(days=1)).replace(minute=0)
    assert (closes_at(LA, day, very_late) - very_late).total_seconds() >= 3600


def test_yesterdays_post_is_still_due_while_its_window_is_open():
    before_todays_post = datetime(2026, 5, 2, 15, 0, tzinfo=UTC)  # 08:00 in Los Angeles
    assert due_days(LA, before_todays_post) == [date(2026, 5, 1)]
    after = datetime(2026, 5, 2, 17, 0, tzinfo=UTC)
    assert due_days(LA, after) == [date(2026, 5, 2)]


@pytest.mark.parametrize("bad", ["25:00", "9am", "", "12:60"])
def test_a_malformed_time_is_refused_with_an_example(bad):
    with pytest.raises(InvalidSetting, match="HH:MM"):
        parse_time(bad)


def test_an_unknown_time_zone_is_refused_with_suggestions():
    with pytest.raises(InvalidSetting, match="Europe/Berlin") as info:
        parse_timezone("Berlin")
    assert "Did you mean Europe/Berlin" in info.value.user_message
    with pytest.raises(InvalidSetting):
        parse_timezone("../../etc/passwd")


def test_windows_are_next_or_a_duration_between_one_hour_and_a_week():
    assert parse_window("next") is None
    assert parse_window("90m") == 90
    assert parse_window("2d") == 2880
    for bad in ("30m", "8d", "soon"):
        with pytest.raises(InvalidSetting):
            parse_window(bad)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Europe/Berln", "Europe/Berlin"),
        ("Kolkatta", "Asia/Kolkata"),
        ("new york", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("IST", "Asia/Kolkata"),
        ("cest", "Europe/Berlin"),
        ("AEST", "Australia/Sydney"),
    ],
)
def test_misspelt_names_and_abbreviations_point_at_the_iana_name(typed, meant):
    with pytest.raises(InvalidSetting) as info:
        parse_timezone(typed)
    assert f"Did you mean {meant}" in info.value.user_message


def test_abbreviations_that_are_iana_names_keep_working_and_nonsense_gets_no_guess():
    assert parse_timezone("CET").key == "CET"
    with pytest.raises(InvalidSetting) as info:
        parse_timezone("qqqzzz")
    assert "Did you mean" not in info.value.user_message
    assert "Europe/Berlin, America/Los_Angeles or Asia/Kolkata" in info.value.user_message
