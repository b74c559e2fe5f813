"""The export files on their own: what a spreadsheet and Anki read back from them."""

import csv
import io
from datetime import UTC, datetime

import pytest

from bot.domain.export import AnswerRecord, AnswersCsv, MissedDeck, anki_field, spreadsheet_safe
from bot.domain.questions import KeyPoint, Kind, Option, Question

AT = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)

CHOICE = Question(
    id="q-choice",
    topic="model evaluation",
    kind=Kind.MULTIPLE_CHOICE,
    difficulty=1,
    prompt='Is <b>a < b</b> & "c" true?\nThink twice.',
    options=(
        Option("Yes <always>", False, "no"),
        Option("No & never", True, "right"),
    ),
    explanation="Because\ta < b.",
)
OPEN = Question(
    id="q-open",
    topic="basics",
    kind=Kind.OPEN,
    difficulty=2,
    prompt="#1 Explain overfitting.",
    model_answer="It fits noise.",
    key_points=(KeyPoint("Fits noise", ("noise",)), KeyPoint("Poor on new data", ("new",))),
)
BANK = {q.id: q for q in (CHOICE, OPEN)}


def read_csv(table: AnswersCsv) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(table.data().decode("utf-8-sig"), newline="")))


def notes(deck: MissedDeck) -> list[list[str]]:
    lines = deck.data().decode("utf-8").splitlines()
    return [line.split("\t") for line in lines if not line.startswith("#")]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(start):
    assert spreadsheet_safe(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"


def test_ordinary_text_and_numbers_are_left_as_they_are():
    assert spreadsheet_safe("lasso regression") == "lasso regression"
    assert spreadsheet_safe("0.50") == "0.50"
    assert spreadsheet_safe("") == ""


def test_a_members_text_with_tabs_newlines_quotes_and_a_formula_reads_back_intact():
    text = '=cmd|" /C calc"!A0\tthen a tab,\r\nand "quotes", commas; and a newline\n'
    table = AnswersCsv(BANK, "UTC")
    table.add(AnswerRecord(True, "q-open", AT, text=text, fraction=0.5, points=10, hits=(1,)))
    [row] = read_csv(table)
    assert row["answer"] == "'" + text
    assert row["key_points_hit"] == "Poor on new data"
    assert (row["score"], row["points"]) == ("0.50", "10")


def test_the_date_is_the_members_local_date():
    table = AnswersCsv(BANK, "Asia/Tokyo")
    table.add(AnswerRecord(True, "q-choice", AT, choice=1, fraction=1.0, points=10))
    [row] = read_csv(table)
    assert row["date"] == "2026-03-02"  # 23:30 UTC is the next morning in Tokyo
    assert row["answer"] == "B: No & never"


def test_an_answer_not_yet_graded_has_an_empty_score_and_no_points():
    table = AnswersCsv(BANK, "UTC")
    table.add(AnswerRecord(True, "q-choice", AT, choice=0, fraction=None, points=None))
    [row] = read_csv(table)
    assert (row["score"], row["points"]) == ("", "")


def test_a_question_gone_from_the_bank_keeps_its_row_with_an_empty_prompt():
    table = AnswersCsv(BANK, "UTC")
    table.add(AnswerRecord(True, "retired", AT, choice=2, fraction=0.0, points=0, hits=()))
    table.add(AnswerRecord(True, "retired-open", AT, text="x", fraction=0.5, points=5, hits=(0, 2)))
    rows = read_csv(table)
    assert [(r["question_id"], r["question"], r["answer"]) for r in rows] == [
        ("retired", "", "C"),
        ("retired-open", "", "x"),
    ]
    assert rows[1]["key_points_hit"] == "#1; #3"


def test_a_question_missed_twice_is_one_note_and_a_right_one_none():
    deck = MissedDeck(BANK)
    deck.add(AnswerRecord(True, "q-choice", AT, choice=0, fraction=0.0, points=0))
    deck.add(AnswerRecord(False, "q-choice", AT, fraction=0.0, points=0))
    deck.add(AnswerRecord(True, "q-open", AT, text="noise", fraction=0.5, points=10))
    deck.add(AnswerRecord(True, "q-choice", AT, choice=None, fraction=None))
    assert deck.notes == 1
    assert [note[3] for note in notes(deck)] == ["studybot:q-choice"]


def test_anki_fields_are_html_escaped_with_line_breaks_and_no_tabs():
    deck = MissedDeck(BANK)
    deck.add(AnswerRecord(True, "q-choice", AT, choice=0, fraction=0.0, points=0))
    [(front, back, tags, _guid)] = notes(deck)
    assert front == (
        "Is &lt;b&gt;a &lt; b&lt;/b&gt; &amp; &quot;c&quot; true?<br>Think twice."
        "<br><br>A. Yes &lt;always&gt;<br>B. No &amp; never"
    )
    assert back == "<b>B</b> No &amp; never<br><br>Because&#9;a &lt; b."
    assert tags == "studybot model_evaluation"


def test_a_prompt_starting_with_a_hash_is_not_read_as_a_header():
    deck = MissedDeck(BANK)
    deck.add(AnswerRecord(True, "q-open", AT, text="?", fraction=0.0, points=0))
    [(front, back, _tags, _guid)] = notes(deck)
    assert front == "&#35;1 Explain overfitting."
    assert back == "It fits noise."
    assert anki_field("a\r\nb\rc") == "a<br>b<br>c"


def test_a_missed_question_gone_from_the_bank_is_counted_not_carded():
    deck = MissedDeck(BANK)
    deck.add(AnswerRecord(True, "retired", AT, choice=0, fraction=0.0, points=0))
    deck.add(AnswerRecord(True, "retired", AT, choice=0, fraction=0.0, points=0))
    assert (deck.notes, deck.gone, notes(deck)) == (0, 1, [])
