"""The concept matcher's rules, one test each (bot/domain/concepts.py): every test pairs an
answer the rule must credit, or refuse, with what the old consecutive-words grader does, so
removing the rule makes the test fail."""

import pytest
import yaml

from bot.domain.concepts import Vocabulary, assess, concept_fraction, concept_hits, is_term_list
from bot.domain.grading import key_points_hit
from bot.domain.questions import Question
from bot.question_bank import QUESTIONS_DIR, load_bank, load_vocabulary

SHIPPED = load_bank(QUESTIONS_DIR)
VOCABULARY = SHIPPED.terms


def question(*phrasings: str, contradicts: tuple[str, ...] = ()) -> Question:
    point: dict = {"point": "the point", "phrasings": list(phrasings)}
    if contradicts:
        point["contradicts"] = list(contradicts)
    return Question.from_dict(
        {
            "id": "t",
            "topic": "t",
            "kind": "open",
            "difficulty": 2,
            "prompt": "How would you validate a model on sensor data?",
            "model_answer": "x" * 40,
            "key_points": [
                point,
                {"point": "another", "phrasings": ["unrelated concept"]},
            ],
        }
    )


@pytest.mark.parametrize(
    ("phrasing", "answer"),
    [
        ("explore", "The agent keeps exploring the state space."),  # stems
        ("chronological split", "Split chronologically, oldest rows first."),
        ("regularization", "Some regularisation of the weights helps."),  # British spelling
        ("raise the threshold", "Raising the threshold helps."),  # a short verb, inflected
    ],
)
def test_inflections_and_spellings_meet(phrasing, answer):
    q = question(phrasing)
    assert concept_hits(q, answer, VOCABULARY) == (0,)
    assert key_points_hit(q, answer) == ()


@pytest.mark.parametrize(
    ("phrasing", "answer"),
    [
        ("cross validation", "I would use 5-fold CV on the training weeks."),
        ("batch normalization", "Adding BN after each conv layer stabilises training."),
        ("time split", "Validate out of time, on the last quarter."),
    ],
)
def test_abbreviations_and_synonyms_from_the_vocabulary(phrasing, answer):
    q = question(phrasing)
    assert concept_hits(q, answer, VOCABULARY) == (0,)
    assert concept_hits(q, answer, Vocabulary()) == ()  # without the vocabulary: missed


def test_words_of_a_phrasing_may_come_in_another_order_within_a_window():
    q = question("scale the features")
    assert concept_hits(q, "Features should be scaled first.", VOCABULARY) == (0,)
    far = "Features matter a lot and after a long detour we eventually scale something."
    assert concept_hits(q, far, VOCABULARY) == ()


def test_a_match_stays_inside_one_sentence():
    q = question("random split")
    assert concept_hits(q, "Pick a random seed. Then split the data.", VOCABULARY) == ()


def test_a_negated_phrasing_does_not_count():
    q = question("use accuracy")
    assert concept_hits(q, "Do not use accuracy on this data.", VOCABULARY) == ()
    assert key_points_hit(q, "Do not use accuracy on this data.") == (0,)
    assert concept_hits(q, "Report accuracy alongside recall.", VOCABULARY) == (0,)


def test_a_dot_inside_code_does_not_end_the_sentence():
    q = question("model eval before inference")
    assert concept_hits(q, "Call model.eval() before inference.", VOCABULARY) == (0,)
    assert concept_hits(q, "Build the model. Eval before inference.", VOCABULARY) == ()


def test_a_contrast_or_a_named_myth_is_not_a_claim():
    q = question("recall", contradicts=("accuracy is fine",))
    for right in (
        "Unlike what people think, accuracy is fine only when classes are balanced; use recall.",
        "It is a myth that accuracy is fine here; look at recall.",
        "Teams wrongly assume accuracy is fine; recall is what matters.",
    ):
        assert concept_hits(q, right, VOCABULARY) == (0,), right
    assert concept_hits(q, "Accuracy is fine, recall too.", VOCABULARY) == ()


def test_a_bare_list_of_terms_earns_at_most_a_tenth():
    q = question("scale the features")
    salad = "scaled features, unrelated concept, drift, AUC, regularisation, SHAP"
    assert is_term_list(salad)
    assert concept_hits(q, salad, VOCABULARY) == (0, 1)  # both terms are there ...
    assert concept_fraction(q, salad, VOCABULARY) == 0.1  # ... but it says nothing
    code = "model.eval(), torch.no_grad(), dropout, to(device), scaled features, unrelated concept"
    assert is_term_list(code) and concept_fraction(q, code, VOCABULARY) == 0.1
    prose = "I would scale the features, and check the unrelated concept too."
    assert not is_term_list(prose) and concept_fraction(q, prose, VOCABULARY) == 1.0


def test_naming_a_single_concept_earns_less_than_saying_something_about_it():
    q = question("time split", "train on the past")
    named = assess(q, "A chronological split helps.", VOCABULARY)
    assert named.hits == (0,) and named.verdicts[0].named
    assert named.fraction == 0.375  # three quarters of one of two key points
    said = assess(q, "Train on the past, then check the unrelated concept.", VOCABULARY)
    assert said.fraction == 1.0 and [v.phrasing for v in said.verdicts] == [
        "train on the past",
        "unrelated concept",
    ]


def test_the_shipped_vocabulary_loads_with_the_bank_and_has_no_problems():
    assert len(SHIPPED.vocabulary) >= 40
    assert ("cross validation", "cv", "k fold", "kfold", "crossvalidation", "cross validated") in (
        SHIPPED.vocabulary
    )
    assert [p for p in SHIPPED.problems if "vocabulary" in p.file] == []


def test_questions_check_names_a_term_in_two_groups_and_a_one_term_group(tmp_path):
    terms = tmp_path / "terms.yaml"
    terms.write_text("groups:\n  - [cv, cross validation]\n  - [k fold, CV]\n  - [lonely]\n")
    _groups, problems = load_vocabulary(terms)
    assert [str(p) for p in problems] == [
        "vocabulary/terms.yaml: groups[2]: “CV” is also in groups[1]",
        "vocabulary/terms.yaml: groups[3]: must list at least two terms",
    ]


def test_a_contracted_negation_counts_as_not():
    q = question("scale features")
    assert concept_hits(q, "You don't need to scale features here.", VOCABULARY) == ()
    assert concept_hits(q, "You need to scale features here.", VOCABULARY) == (0,)


def test_the_labelled_answer_set_covers_every_topic_in_five_styles():
    from bench.grading import STYLES, load_set

    answers = load_set()
    questions = {a.question.id: a.question.topic for a in answers}
    assert len(answers) >= 150 and len(questions) >= 30
    assert len(set(questions.values())) == 8
    for question_id in questions:
        styles = sorted(a.style for a in answers if a.question.id == question_id)
        assert styles == sorted(STYLES), question_id
    assert all(0 <= a.human <= 1 for a in answers)


def test_a_wrong_claim_in_the_right_words_cancels_the_point_it_contradicts():
    q = question("time split", contradicts=("random split is fine",))
    wrong = "A random split is fine here; a time split is only needed for forecasting."
    assert key_points_hit(q, wrong) == (0,)
    assert concept_hits(q, wrong, VOCABULARY) == ()
    assert concept_hits(q, "Use a time split, never a random split.", VOCABULARY) == (0,)


def test_a_contradiction_must_be_claimed_in_order_and_unnegated():
    q = question("recall", contradicts=("precision for cancer screening",))
    right = "For cancer screening recall matters; precision matters for spam."
    assert concept_hits(q, right, VOCABULARY) == (0,)
    negated = "Recall first: never optimise precision for cancer screening."
    assert concept_hits(q, negated, VOCABULARY) == (0,)
    claimed = "Recall is nice, but prioritise precision for cancer screening."
    assert concept_hits(q, claimed, VOCABULARY) == ()


def test_questions_check_refuses_a_contradiction_the_model_answer_makes(tmp_path):
    document = {
        "topic": "timeseries",
        "title": "Time series",
        "questions": [
            {
                "id": "t-1",
                "tags": ["validation"],
                "kind": "open",
                "difficulty": 2,
                "prompt": "How would you validate a model on sensor data over time?",
                "model_answer": "Use a time split, since a random split sees the future.",
                "key_points": [
                    {"point": "time split", "phrasings": ["time split"]},
                    {"point": "leak", "phrasings": ["leak"], "contradicts": ["random split"]},
                    {"point": "other", "phrasings": ["drift"]},
                ],
                "reference": "Any book on time series",
                "source": "original",
                "license": "CC-BY-4.0",
            }
        ],
    }
    (tmp_path / "timeseries.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    problems = [str(p) for p in load_bank(tmp_path).problems]
    assert problems == [
        "timeseries.yaml: t-1: key_points.1.contradicts: “random split” matches the model answer,"
        " so it would cancel the point for a correct answer; make it name the wrong claim more"
        " exactly"
    ]


def test_a_phrasing_that_says_no_needs_the_answer_to_say_no_too():
    q = question("no shuffle")
    assert concept_hits(
        q, "Keep the order: no shuffling of the validation batches.", VOCABULARY
    ) == (0,)
    assert concept_hits(q, "Shuffle the validation set so the order is random.", VOCABULARY) == ()


def test_a_term_waved_away_after_it_is_named_does_not_count():
    q = question("multicollinearity")
    for dismissal in (
        "Multicollinearity is harmless for everything.",
        "Multicollinearity does not matter once you have enough rows.",
    ):
        assert concept_hits(q, dismissal, VOCABULARY) == (), dismissal
        assert key_points_hit(q, dismissal) == (0,)
    assert concept_hits(q, "Multicollinearity inflates the variance.", VOCABULARY) == (0,)
    zeroes = "L1 can zero out irrelevant features."
    assert concept_hits(question("zero out"), zeroes, VOCABULARY) == (0,)


def test_a_wrong_claim_costs_a_point_it_did_not_earn():
    q = question("train on the past", contradicts=("random split is fine",))
    wrong = "A random split is fine here, and the unrelated concept matters."
    assert concept_hits(q, wrong, VOCABULARY) == (1,)  # one point covered ...
    assert concept_fraction(q, wrong, VOCABULARY) == 0.0  # ... and one wrong claim made
    right = "Train on the past, and the unrelated concept matters."
    assert concept_fraction(q, right, VOCABULARY) == 1.0


def test_repeating_the_prompts_own_words_covers_no_point():
    q = question("sensor data", "time split")
    assert concept_hits(q, "Sensor data is noisy, so validate carefully.", VOCABULARY) == ()
    assert key_points_hit(q, "Sensor data is noisy, so validate carefully.") == (0,)
    assert concept_hits(q, "Sensor data needs a time split.", VOCABULARY) == (0,)


def test_the_symbols_of_a_formula_are_read_as_words():
    q = question("learning rate and gradient")
    update = "Each step does w ← w − η∇L."
    assert concept_hits(q, update, VOCABULARY) == (0,)
    assert key_points_hit(q, update) == ()
    assert concept_hits(question("bias squared"), "Error = bias² + variance.", VOCABULARY) == (0,)


def test_the_word_wrong_is_not_a_negation_but_wrongly_is():
    q = question("class probabilities", contradicts=("accuracy is fine",))
    soft = "Soft targets keep the wrong class probabilities, which carry similarity."
    assert concept_hits(q, soft, VOCABULARY) == (0,)
    assert concept_hits(q, "They wrongly think accuracy is fine here.", VOCABULARY) == ()
    assert concept_hits(q, "Accuracy is fine here, I think.", VOCABULARY) == ()


def test_a_spaced_minus_sign_stays_inside_its_sentence():
    q = question("p y gradient")
    assert concept_hits(q, "Here p - y gives the gradient.", VOCABULARY) == (0,)
    assert concept_hits(q, "Here p\n- y gives the gradient.", VOCABULARY) == ()


def test_sensitive_to_outliers_is_not_recall():
    q = question("high recall")
    assert concept_hits(q, "Squared loss is highly sensitive to outliers.", VOCABULARY) == ()
    assert concept_hits(q, "We need high recall here.", VOCABULARY) == (0,)


def test_a_wrong_claim_may_itself_say_no():
    q = question("sparse weights", contradicts=("l1 never zeroes weights",))
    wrong = "L1 never zeroes weights, it only shrinks them, so you get sparse weights."
    assert concept_hits(q, wrong, VOCABULARY) == ()
    assert concept_hits(q, "L1 zeroes weights, so you get sparse weights.", VOCABULARY) == (0,)


def test_a_wrong_claim_named_as_a_mistake_is_a_warning():
    q = question("time split", contradicts=("random split",))
    for warning in (
        "A random split would leak the future, so use a time split.",
        "A common pitfall is a random split; use a time split.",
        "Time split: a random split gives optimistic scores.",
    ):
        assert concept_hits(q, warning, VOCABULARY) == (0,), warning
    assert concept_hits(q, "A random split is fine; a time split also works.", VOCABULARY) == ()


def test_a_decimal_number_stays_one_word():
    q = question("discount", contradicts=("set gamma to 0",))
    assert concept_hits(q, "Set gamma to 0.97 so the discount looks far ahead.", VOCABULARY) == (0,)
    assert concept_hits(q, "Set gamma to 0 and the discount ignores the future.", VOCABULARY) == ()


@pytest.mark.parametrize(
    ("phrasing", "misspelt"),
    [
        ("regularization", "Add some regularizaton to the weights."),
        ("weekly seasonality", "Model the weekly seasonalty."),
        ("stratified split", "Use a stratifed split."),  # corrected before stemming
        ("hyperparameter search", "Run a hyperparamter search on the validation set."),
    ],
)
def test_a_misspelt_word_is_read_as_the_phrasing_word_it_is_one_letter_from(phrasing, misspelt):
    q = question(phrasing)
    assert concept_hits(q, misspelt, VOCABULARY) == (0,)
    assert concept_hits(q, misspelt, Vocabulary.of(SHIPPED.vocabulary)) == (0,)
    assert key_points_hit(q, misspelt) == ()


def test_a_real_word_near_a_phrasing_word_is_not_corrected():
    assert concept_hits(question("weights"), "Ten rows weighs little.", VOCABULARY) == ()
    # only the bank's own words tell `weighs` from a typo of `weights`:
    assert concept_hits(question("weights"), "Ten rows weighs little.", Vocabulary()) == (0,)
    assert concept_hits(question("scale features"), "Drop stale features.", VOCABULARY) == ()


def test_rarely_negates_and_beware_warns():
    q = question("field test", contradicts=("lab accuracy transfers to the field",))
    assert concept_hits(q, "Lab accuracy rarely transfers to the field: field test.", VOCABULARY)
    assert not concept_hits(q, "Lab accuracy transfers to the field; field test.", VOCABULARY)
    q = question("mcnemar", contradicts=("paired t test on the folds",))
    assert concept_hits(q, "Beware a paired t-test on the folds; use McNemar.", VOCABULARY)
    assert not concept_hits(q, "Run a paired t-test on the folds, or McNemar.", VOCABULARY)


def test_useful_is_a_content_word_not_use():
    q = question("useful features")
    assert concept_hits(q, "Keep the useful features only.", VOCABULARY) == (0,)
    assert concept_hits(q, "Drop the features.", VOCABULARY) == ()


def test_a_wrong_claim_keeps_its_order_and_quantity_words():
    q = question("fit on the training fold", contradicts=("impute before splitting",))
    assert not concept_hits(q, "Impute before splitting, then fit.", VOCABULARY)
    assert concept_hits(q, "Impute after splitting: fit on the training fold.", VOCABULARY)
    q = question("underfitting", contradicts=("more data fixes underfitting",))
    assert not concept_hits(q, "More data fixes underfitting.", VOCABULARY)
    assert concept_hits(q, "Cleaner data fixes underfitting less than features.", VOCABULARY)
