from datetime import date

from bot.domain.streaks import Streak


def test_consecutive_posts_on_consecutive_days_grow_the_streak():
    s = Streak().after_answer(1, date(2026, 3, 1)).after_answer(2, date(2026, 3, 2))
    assert (s.current, s.best) == (2, 2)


def test_two_posts_answered_on_the_same_local_day_count_as_one_day():
    s = Streak().after_answer(1, date(2026, 3, 1)).after_answer(2, date(2026, 3, 1))
    assert s.current == 1


def test_days_without_a_post_do_not_break_the_streak():
    s = Streak().after_answer(1, date(2026, 3, 1)).after_answer(2, date(2026, 3, 5))
    assert s.current == 2


def test_a_missed_post_restarts_the_streak_but_keeps_the_best():
    s = Streak().after_answer(1, date(2026, 3, 1)).after_answer(2, date(2026, 3, 2))
    s = s.after_answer(4, date(2026, 3, 4))
    assert (s.current, s.best) == (1, 2)


def test_the_shown_streak_is_zero_once_a_closed_post_went_unanswered():
    s = Streak().after_answer(1, date(2026, 3, 1))
    assert s.shown(latest_closed_seq=1) == 1
    assert s.shown(latest_closed_seq=2) == 0
    assert Streak().shown(None) == 0
