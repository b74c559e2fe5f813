"""A member's answers as files they keep: a spreadsheet of every answer and an Anki deck of
the questions they missed. Pure: answer records and bank questions in, file bytes out.

The spreadsheet is written as UTF-8 *with* a byte-order mark. Excel decodes a CSV opened by
double-click in the machine's legacy code page unless it starts with a BOM, which garbles
accents, `λ` and `≥` in prompts; LibreOffice, Google Sheets and Python's `utf-8-sig` all
accept the BOM, so it costs the other readers nothing.

Members' own text goes into both files, so both are defended: a spreadsheet cell that a
program would run as a formula gets a leading `'`, and Anki fields are HTML-escaped (the deck
is imported with HTML on) with no tab or newline left to split a note.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.questions import LETTERS, Kind, Question
from bot.domain.reviews import MISSED_BELOW

CSV_COLUMNS = (
    "source",
    "date",
    "question_id",
    "question",
    "answer",
    "score",
    "points",
    "key_points_hit",
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel, LibreOffice or Sheets treat a cell as a formula (OWASP's CSV injection
list: the four operators, and tab and carriage return, which some of them skip first)."""

ANKI_COLUMNS = ("Front", "Back", "Tags", "GUID")
ANKI_HEADER = (
    "#separator:tab",
    "#html:true",
    "#notetype:Basic",
    "#columns:" + "\t".join(ANKI_COLUMNS),
    "#tags column:3",
    "#guid column:4",
)
"""Anki's text-import file headers (read by Anki 2.1.55 and later). The GUID column is
`studybot:<question id>`, so importing a later export updates the notes already imported
instead of adding them twice."""


@dataclass(frozen=True)
class AnswerRecord:
    """One stored answer of a member: a daily answer (`daily`), or an answered practice
    session (practice, scenario and review questions all are). `fraction` and `points` are
    None until a daily question closes; practice scores no points. (Practice answered before
    migration 0012 has no choice, text or key points stored.)"""

    daily: bool
    question_id: str
    answered_at: datetime
    choice: int | None = None
    text: str | None = None
    fraction: float | None = None
    points: int | None = None
    hits: tuple[int, ...] = ()

    @property
    def missed(self) -> bool:
        return self.fraction is not None and self.fraction < MISSED_BELOW


def source_of(record: AnswerRecord, question: Question | None) -> str:
    """`daily`, `scenario` or `practice`. Reviews are asked as practice sessions and stored
    alike, so they count as `practice`; so do scenarios whose question left the bank."""
    if record.daily:
        return "daily"
    if question is not None and question.kind is Kind.SCENARIO:
        return "scenario"
    return "practice"


def spreadsheet_safe(cell: str) -> str:
    """The cell, shown as text rather than run as a formula by a spreadsheet."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def answer_cell(record: AnswerRecord, question: Question | None) -> str:
    if record.choice is None:
        return record.text or ""
    letter = LETTERS[record.choice] if 0 <= record.choice < len(LETTERS) else str(record.choice)
    if question is not None and 0 <= record.choice < len(question.options):
        return f"{letter}: {question.options[record.choice].text}"
    return letter


def hits_cell(record: AnswerRecord, question: Question | None) -> str:
    """The key points the answer made, by their wording in the bank (by number, from 1, when
    the question left the bank)."""
    if question is None:
        return "; ".join(f"#{i + 1}" for i in record.hits)
    return "; ".join(
        question.key_points[i].point for i in record.hits if 0 <= i < len(question.key_points)
    )


class AnswersCsv:
    """`studybot-answers.csv`, one row per `add`ed answer; dates in the member's zone."""

    def __init__(self, questions: Mapping[str, Question], zone: str) -> None:
        self._questions = questions
        self._zone = ZoneInfo(zone)
        self._buffer = io.StringIO(newline="")
        self._writer = csv.writer(self._buffer)
        self._writer.writerow(CSV_COLUMNS)
        self.rows = 0
        self.daily = 0

    def add(self, record: AnswerRecord) -> None:
        question = self._questions.get(record.question_id)
        cells = (
            source_of(record, question),
            record.answered_at.astimezone(self._zone).date().isoformat(),
            record.question_id,
            question.prompt if question is not None else "",
            answer_cell(record, question),
            "" if record.fraction is None else f"{record.fraction:.2f}",
            "" if record.points is None else str(record.points),
            hits_cell(record, question),
        )
        self._writer.writerow([spreadsheet_safe(cell) for cell in cells])
        self.rows += 1
        self.daily += record.daily

    def data(self) -> bytes:
        return self._buffer.getvalue().encode("utf-8-sig")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def anki_field(text: str) -> str:
    """`text` as one Anki HTML field: escaped, line breaks as `<br>`, tabs as character
    references, and a leading `#` escaped too (Anki reads a line starting with `#` right
    after the headers as one more header)."""
    escaped = _LINE_BREAK.sub("<br>", html.escape(text, quote=True)).replace("\t", "&#9;")
    return "&#35;" + escaped[1:] if escaped.startswith("#") else escaped


def anki_front(question: Question) -> str:
    parts = [anki_field(question.prompt)]
    if question.kind is Kind.MULTIPLE_CHOICE:
        parts.append(
            "<br>".join(
                f"{LETTERS[i]}. {anki_field(option.text)}"
                for i, option in enumerate(question.options)
            )
        )
    return "<br><br>".join(parts)


def anki_back(question: Question) -> str:
    if question.kind is Kind.MULTIPLE_CHOICE and question.correct_index is not None:
        right = question.options[question.correct_index]
        model = f"<b>{question.correct_letter}</b> {anki_field(right.text)}"
    elif question.kind is Kind.SHORT_ANSWER:
        model = anki_field(", ".join(question.answers))
    else:
        model = anki_field(question.model_answer)
    parts = [model, anki_field(question.explanation)]
    return "<br><br>".join(part for part in parts if part)


def anki_tags(question: Question) -> str:
    return " ".join(("studybot", "_".join(question.topic.split()) or "general"))


class MissedDeck:
    """`studybot-missed-anki.txt`: one Basic note per question missed (under half the
    credit), however often; `gone` counts missed questions no longer in the bank, which
    have no prompt to put on a card."""

    def __init__(self, questions: Mapping[str, Question]) -> None:
        self._questions = questions
        self._seen: set[str] = set()
        self._lines = list(ANKI_HEADER)
        self.notes = 0
        self.gone = 0

    def add(self, record: AnswerRecord) -> None:
        if not record.missed or record.question_id in self._seen:
            return
        self._seen.add(record.question_id)
        question = self._questions.get(record.question_id)
        if question is None:
            self.gone += 1
            return
        guid = anki_field(f"studybot:{question.id}")
        note = (anki_front(question), anki_back(question), anki_tags(question), guid)
        self._lines.append("\t".join(note))
        self.notes += 1

    def data(self) -> bytes:
        return ("\n".join(self._lines) + "\n").encode("utf-8")
