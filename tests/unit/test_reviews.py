"""How a grade becomes an FSRS rating, and what FSRS makes of it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fsrs import Rating

from bot.domain.reviews import MISSED_BELOW, QUICK_SECONDS, rating_for, reviewed

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_the_grade_to_rating_mapping():
    assert rating_for(0.0) is Rating.Again
    assert rating_for(MISSED_BELOW - 0.01) is Rating.Again
    assert rating_for(MISSED_BELOW) is Rating.Hard
    assert rating_for(0.75) is Rating.Hard
    assert rating_for(1.0) is Rating.Good
    assert rating_for(1.0, seconds=None) is Rating.Good  # a daily answer: time unknown
    assert rating_for(1.0, seconds=QUICK_SECONDS) is Rating.Easy
    assert rating_for(1.0, seconds=QUICK_SECONDS + 1) is Rating.Good
    assert rating_for(1.0, seconds=3, helped=True) is Rating.Hard
    assert rating_for(0.2, seconds=3, helped=True) is Rating.Again


def test_a_miss_comes_back_the_next_day_and_a_recall_then_waits_longer():
    missed = reviewed(None, 7, "q1", Rating.Again, NOW)
    assert missed.due == NOW + timedelta(days=1)
    assert (missed.reviews, missed.lapses) == (1, 1)
    recalled = reviewed(missed, 7, "q1", Rating.Good, missed.due)
    assert recalled.due - missed.due > timedelta(days=1)
    assert (recalled.reviews, recalled.lapses) == (2, 1)
    assert recalled.memory["last_review"].startswith("2026-12-08")


def test_better_first_answers_wait_at_least_as_long():
    again, hard, good, easy = (reviewed(None, 1, "q", r, NOW).due for r in Rating)
    assert again <= hard < good < easy


def test_the_time_of_a_review_is_read_as_utc():
    berlin = NOW.astimezone(ZoneInfo("Europe/Berlin"))
    assert reviewed(None, 1, "q", Rating.Again, berlin).due == NOW + timedelta(days=1)
