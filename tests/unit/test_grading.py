from bot.domain.grading import (
    grade_choice,
    grade_text,
    key_points_hit,
    normalize_short_answer,
    tokens,
)
from bot.domain.questions import KeyPoint, Kind, Option, Question


def open_question() -> Question:
    return Question(
        id="q",
        topic="t",
        kind=Kind.OPEN,
        difficulty=2,
        prompt="Explain it.",
        key_points=(
            KeyPoint("imbalance", ("class imbalance", "imbalanced")),
            KeyPoint("metric", ("pr auc", "precision recall")),
            KeyPoint("split", ("time based split",)),
            KeyPoint("loss", ("focal loss",)),
        ),
    )


def test_tokens_drop_punctuation_case_and_plural_s_but_keep_double_s():
    assert tokens("Learning-Rates, LOSS & ROC-AUC!") == ["learning", "rate", "loss", "roc", "auc"]


def test_a_key_point_is_hit_by_any_phrasing_as_consecutive_words():
    q = open_question()
    assert key_points_hit(q, "The classes are imbalanced; use Precision/Recall curves.") == (0, 1)
    assert key_points_hit(q, "split the data, based on time") == ()


def test_free_text_gets_partial_credit_by_key_point_coverage():
    grade = grade_text(open_question(), "class imbalance, so a time-based split and PR-AUC")
    assert grade.fraction == 0.75
    assert grade.hit_points == (0, 1, 2)
    assert grade.points(2) == 15
    assert grade.correct


def test_covering_less_than_half_the_key_points_is_not_counted_as_right():
    grade = grade_text(open_question(), "focal loss")
    assert grade.fraction == 0.25 and not grade.correct and grade.points(2) == 5


def test_short_answers_match_after_normalising_words_and_numbers():
    q = Question(
        id="s",
        topic="t",
        kind=Kind.SHORT_ANSWER,
        difficulty=1,
        prompt="p",
        answers=("Lasso", "0.5"),
    )
    assert grade_text(q, "  the LASSO ").correct
    assert grade_text(q, ".50").correct
    assert not grade_text(q, "ridge").correct
    assert normalize_short_answer("1,000") == normalize_short_answer("1000")


def test_multiple_choice_is_right_or_wrong_and_weighted_by_difficulty():
    q = Question(
        id="m",
        topic="t",
        kind=Kind.MULTIPLE_CHOICE,
        difficulty=3,
        prompt="p",
        options=(Option("a", False, "w"), Option("b", True, "r")),
    )
    assert grade_choice(q, 1).points(3) == 30
    assert grade_choice(q, 0).points(3) == 0
