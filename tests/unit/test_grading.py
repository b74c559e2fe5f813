from bot.domain.grading import (
    grade_choice,
    grade_text,
    key_points_hit,
    normalize_short_answer,
    tokens,
)
from bot.domain.questions import AnswerFormat, KeyPoint, Kind, Option, Question


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


def short(*answers: str, answer_format: AnswerFormat = AnswerFormat.TEXT) -> Question:
    return Question(
        id="s",
        topic="t",
        kind=Kind.SHORT_ANSWER,
        difficulty=1,
        prompt="p",
        answers=answers,
        answer_format=answer_format,
    )


def test_short_answers_match_after_normalising_words_and_numbers():
    q = short("Lasso", "0.5")
    assert grade_text(q, "  the LASSO ").correct
    assert grade_text(q, ".50").correct
    assert not grade_text(q, "ridge").correct
    assert normalize_short_answer("1,000") == normalize_short_answer("1000")


def test_a_comma_between_small_numbers_separates_them_rather_than_grouping_thousands():
    assert normalize_short_answer("12,500.5") == normalize_short_answer("12500.5")
    assert normalize_short_answer("5,10") != normalize_short_answer("510")
    assert normalize_short_answer("5,10") == normalize_short_answer("(5, 10)")
    assert normalize_short_answer("3,5,7") == normalize_short_answer("[3, 5, 7]")


def test_a_code_answer_is_compared_exactly_with_only_whitespace_and_backticks_aside():
    q = short("clf__C", answer_format=AnswerFormat.CODE)
    assert grade_text(q, " `clf__C` ").correct
    assert not grade_text(q, "clf_C").correct and not grade_text(q, "clf.C").correct
    assert not grade_text(q, "CLF__C").correct
    assert grade_text(
        short("model.eval()", answer_format=AnswerFormat.CODE), "model.eval( )"
    ).correct
    assert grade_text(
        short("clf__C", answer_format=AnswerFormat.TEXT), "clf.C"
    ).correct  # words: the default


def test_a_shape_answer_accepts_every_common_way_of_writing_the_sizes():
    q = short("(5, 10)", answer_format=AnswerFormat.SHAPE)
    for written in ("(5, 10)", "5,10", "5 x 10", "5x10", "5×10", "[5, 10]", "5 by 10"):
        assert grade_text(q, written).correct, written
    for wrong in ("510", "(10, 5)", "(5, 10, 1)", "five by ten", ""):
        assert not grade_text(q, wrong).correct, wrong


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


def test_the_shipped_identifier_and_shape_questions_use_their_formats():
    from bot.question_bank import QUESTIONS_DIR, load_bank

    bank = {q.id: q for q in load_bank(QUESTIONS_DIR).questions}
    naming = bank["fw-sk-pipeline-param-naming"]
    assert grade_text(naming, "`clf__C`").correct and grade_text(naming, '"clf__C"').correct
    assert not grade_text(naming, "clf.C").correct and not grade_text(naming, "clf_C").correct
    shape = bank["ho-code-polynomial-features-shape"]
    assert grade_text(shape, "5x10").correct and grade_text(shape, "[5, 10]").correct
    assert not grade_text(shape, "510").correct and not grade_text(shape, "(10, 5)").correct
