"""The Elo rules of `bot.domain.ratings` and the adaptive choice of `bot.domain.adaptive`."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.adaptive import choose_question, choose_topic, topic_record, weakness
from bot.domain.questions import Kind, Question
from bot.domain.ratings import (
    MEMBER_START,
    START,
    VERDICT_GAMES,
    Game,
    Standing,
    band,
    expected,
    k_factor,
    play,
    target_rating,
    verdict,
)

ratings = st.floats(min_value=0, max_value=3000, allow_nan=False)
scores = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(ratings, ratings)
def test_the_expected_scores_of_the_two_sides_add_up_to_one(a, b):
    assert abs(expected(a, b) + expected(b, a) - 1.0) < 1e-9


@given(ratings, ratings)
def test_an_expected_score_is_between_zero_and_one(member, question):
    assert 0.0 <= expected(member, question) <= 1.0


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_k_shrinks_with_games_from_64_to_no_less_than_16(games, more):
    assert k_factor(0) == 64
    assert 16 <= k_factor(games + more) <= k_factor(games) <= 64


@given(ratings, ratings, scores, st.integers(0, 200), st.integers(0, 200))
def test_one_game_moves_member_and_question_in_opposite_directions_by_at_most_k(
    member, question, score, m_games, q_games
):
    q_change, m_changes = play(
        Standing(question, q_games), {7: Standing(member, m_games)}, [Game(7, score)]
    )
    m_delta = m_changes[7].delta
    assert m_delta * q_change.delta <= 0
    assert abs(m_delta) <= k_factor(m_games) and abs(q_change.delta) <= k_factor(q_games)
    if score > expected(member, question):
        assert m_delta > 0 > q_change.delta


def test_two_equal_newcomers_move_by_32_each_way_after_a_full_credit_answer():
    q_change, m_changes = play(Standing(1500), {}, [Game(1, 1.0)])
    assert (round(m_changes[1].delta, 6), round(q_change.delta, 6)) == (32.0, -32.0)
    assert (m_changes[1].games, q_change.games, q_change.credit) == (1, 1, 1.0)


def test_a_question_everybody_misses_drifts_to_plays_hard():
    question = Standing(START[2])
    members = {m: Standing(MEMBER_START) for m in range(60)}
    for start in range(0, 60, 10):
        change, _moved = play(question, members, [Game(m, 0.0) for m in range(start, start + 10)])
        question = Standing(question.rating + change.delta, question.games + change.games)
    assert question.games == 60
    assert band(question.rating) == 3
    assert verdict(2, question) == 3


def test_a_question_everybody_gets_right_settles_as_easy_and_does_not_run_away():
    question = Standing(START[3])
    change, _moved = play(question, {}, [Game(m, 1.0) for m in range(500)])
    settled = question.rating + change.delta
    assert band(settled) == 1
    assert settled > 0  # each win is worth less as the question gets easier


def test_a_batch_moves_the_question_by_the_sum_of_its_games():
    question = Standing(1500)
    one, first = play(question, {}, [Game(1, 0.0)])
    two, second = play(Standing(1500 + one.delta, 1), {}, [Game(2, 1.0)])
    both, members = play(question, {}, [Game(1, 0.0), Game(2, 1.0)])
    assert abs(both.delta - (one.delta + two.delta)) < 1e-9
    assert members[1] == first[1] and members[2] == second[2]


def test_no_verdict_before_enough_games_nor_when_the_label_holds():
    hard = Standing(1800, VERDICT_GAMES - 1)
    assert verdict(2, hard) is None
    assert verdict(2, Standing(1800, VERDICT_GAMES)) == 3
    assert verdict(3, Standing(1800, VERDICT_GAMES)) is None


def test_bands_are_cut_halfway_between_the_start_ratings():
    assert [band(r) for r in (1000, 1399, 1400, 1599, 1600, 2500)] == [1, 1, 2, 2, 3, 3]


def test_the_target_rating_is_beaten_seventy_percent_of_the_time():
    assert abs(expected(1500, target_rating(1500)) - 0.7) < 1e-9


def _question(qid: str, topic: str = "t", difficulty: int = 2) -> Question:
    return Question(qid, topic, Kind.SHORT_ANSWER, difficulty, "?", answers=("x",))


def test_an_unplayed_topic_weighs_a_half_and_misses_weigh_more_than_hits():
    assert weakness(0, 0) == 0.5
    assert weakness(10, 10) > weakness(2, 2) > 0.5 > weakness(10, 0) > 0


def test_the_weakest_topic_is_drawn_most_often():
    rng = random.Random(1)
    record = {"strong": (20, 0), "weak": (20, 18)}
    drawn = [choose_topic({"strong", "weak", "new"}, record, rng) for _ in range(600)]
    assert drawn.count("weak") > drawn.count("new") > drawn.count("strong") > 0


def test_the_question_closest_to_the_member_target_is_chosen_and_recent_ones_are_skipped():
    pool = [_question(f"q{r}") for r in range(1100, 1901, 100)]
    rated = {f"q{r}": float(r) for r in range(1100, 1901, 100)}
    aim = target_rating(1500)  # about 1353
    picks = {choose_question(pool, rated, 1500, set(), random.Random(s)).id for s in range(40)}
    assert picks == {"q1300", "q1400", "q1500"}
    assert abs(rated["q1400"] - aim) < abs(rated["q1300"] - aim) < abs(rated["q1500"] - aim)
    recent = {"q1300", "q1400", "q1500"}
    later = {choose_question(pool, rated, 1500, recent, random.Random(s)).id for s in range(40)}
    assert later == {"q1100", "q1200", "q1600"}


def test_an_unrated_question_plays_at_its_labels_start_rating():
    pool = [
        _question("easy-a", difficulty=1),
        _question("easy-b", difficulty=1),
        _question("medium", difficulty=2),
        _question("hard-a", difficulty=3),
        _question("hard-b", difficulty=3),
    ]
    picks = {choose_question(pool, {}, 1400, set(), random.Random(s)).id for s in range(40)}
    assert picks == {"easy-a", "easy-b", "medium"}
    played_hard = {
        choose_question(pool, {"hard-a": 1250.0}, 1400, set(), random.Random(s)).id
        for s in range(40)
    }
    assert "hard-a" in played_hard


def test_the_same_seed_gives_the_same_choice():
    pool = [_question(f"q{i}", topic=f"t{i % 3}") for i in range(12)]
    record = {"t0": (3, 1)}
    first = [
        choose_question(pool, {}, 1500, set(), random.Random(9)).id,
        choose_topic({"t0", "t1", "t2"}, record, random.Random(9)),
    ]
    again = [
        choose_question(pool, {}, 1500, set(), random.Random(9)).id,
        choose_topic({"t0", "t1", "t2"}, record, random.Random(9)),
    ]
    assert first == again


def test_topic_record_sums_answers_and_misses_and_drops_unknown_questions():
    record = topic_record({"a": (3, 1), "b": (2, 2), "gone": (9, 9)}, {"a": "x", "b": "x"})
    assert record == {"x": (5, 3)}
