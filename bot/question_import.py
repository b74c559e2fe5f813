"""`studybot questions import`: community question packs from CSV files and from
Red-DiscordBot trivia lists, validated by the same checker as the shipped bank.

Good rows are written to `<packs folder>/<pack>/<topic>.yaml` (STUDYBOT_PACKS_DIR, default
`packs/`, beside the bot's data and outside the shipped bank); every rejected row is reported
with its reason. A community draws from a pack once an admin adds it (`setup packs=core,<pack>`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.domain.questions import LETTERS, difficulty_level
from bot.question_bank import Problem, check_document

CSV_COLUMNS = (
    "id",
    "topic",
    "difficulty",
    "kind",
    "prompt",
    "options",
    "correct",
    "answers",
    "explanation",
    "model_answer",
    "key_points",
    "tags",
    "reference",
)
REQUIRED_COLUMNS = ("topic", "difficulty", "kind", "prompt")
_SLUG = re.compile(r"[^a-z0-9]+")
# the words the rest of the bot uses for kinds (`setup kinds=mc,short`), and the bank's own
KINDS = {
    "mc": "multiple_choice",
    "multiple choice": "multiple_choice",
    "multiple_choice": "multiple_choice",
    "short": "short_answer",
    "short answer": "short_answer",
    "short_answer": "short_answer",
    "open": "open",
    "scenario": "scenario",
}
MIN_OPTIONS, MAX_OPTIONS = 3, 5
MIN_KEY_POINTS, MAX_KEY_POINTS = 3, 6


class RowRejected(ValueError):
    """A row that cannot become a question; the message is one sentence for the author."""


@dataclass
class ImportResult:
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(len(d["questions"]) for d in self.documents.values())


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def _stable_id(pack: str, prompt: str) -> str:
    digest = hashlib.sha1(prompt.encode("utf-8")).hexdigest()[:8]
    return f"{slug(pack)[:40]}-{digest}"


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _kind(cell: str) -> str:
    kind = KINDS.get(cell.strip().lower().replace("-", " "))
    if kind is None:
        raise RowRejected(f"kind “{cell.strip()}” is not a kind; use mc, short, open or scenario")
    return kind


def _difficulty(cell: str) -> int:
    level = difficulty_level(cell)
    if level is None:
        raise RowRejected(
            f"difficulty “{cell.strip()}” is not a level; use easy, medium, hard (or 1, 2, 3)"
        )
    return level


def _check_sizes(question: dict[str, Any], correct: str) -> None:
    """The limits authors meet most often, said as sentences before the schema speaks."""
    kind = question["kind"]
    if not question["prompt"]:
        raise RowRejected("the prompt is empty")
    if kind == "multiple_choice":
        options = question["options"]
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise RowRejected(
                f"a multiple-choice question needs {MIN_OPTIONS} to {MAX_OPTIONS} options "
                f"(separated by |), found {len(options)}"
            )
        if not any(option["correct"] for option in options):
            last = LETTERS[len(options) - 1]
            raise RowRejected(
                f"correct “{correct}” names none of the {len(options)} options; "
                f"use a letter A–{last} or a number 1–{len(options)}"
            )
    elif kind == "short_answer" and not question["answers"]:
        raise RowRejected("a short-answer question needs accepted answers (separated by |)")
    elif kind in ("open", "scenario"):
        points = question["key_points"]
        if not MIN_KEY_POINTS <= len(points) <= MAX_KEY_POINTS:
            raise RowRejected(
                f"an {kind} question needs {MIN_KEY_POINTS} to {MAX_KEY_POINTS} key points "
                f"(point: phrasing; phrasing | point: …), found {len(points)}"
            )


def _row_to_question(row: dict[str, str], pack: str, license_name: str) -> dict[str, Any]:
    kind = _kind(row["kind"])
    prompt = row["prompt"].strip()
    question: dict[str, Any] = {
        "id": row.get("id", "").strip() or _stable_id(pack, prompt),
        "tags": [slug(t) for t in _split(row.get("tags", "")) if slug(t)] or [slug(pack)],
        "difficulty": _difficulty(row["difficulty"]),
        "kind": kind,
        "prompt": prompt,
        "reference": row.get("reference", "").strip() or f"Community pack “{pack}”",
        "source": f"community pack {pack}",
        "license": license_name,
    }
    explanation = row.get("explanation", "").strip()
    if explanation:
        question["explanation"] = explanation
    if kind == "multiple_choice":
        options = _split(row.get("options", ""))
        correct = row.get("correct", "").strip().upper()
        index = LETTERS.find(correct) if len(correct) == 1 and correct.isalpha() else -1
        if correct.isdigit():
            index = int(correct) - 1
        question["options"] = [
            {
                "text": text,
                "correct": i == index,
                "why": "The correct answer." if i == index else "Not the correct answer.",
            }
            for i, text in enumerate(options)
        ]
    elif kind == "short_answer":
        question["answers"] = _split(row.get("answers", ""))
    else:
        question["model_answer"] = row.get("model_answer", "").strip()
        points = []
        for part in _split(row.get("key_points", "")):
            point, _, phrasings = part.partition(":")
            points.append(
                {
                    "point": point.strip(),
                    "phrasings": [p.strip() for p in phrasings.split(";") if p.strip()],
                }
            )
        question["key_points"] = points
    _check_sizes(question, row.get("correct", "").strip())
    return question


def _add(result: ImportResult, pack: str, topic: str, question: dict[str, Any], where: str) -> None:
    document = {"topic": topic, "title": topic.replace("_", " ").capitalize(), "pack": pack}
    good, problems = check_document({**document, "questions": [question]}, where)
    if problems:
        result.rejected.extend(_describe(p, where) for p in problems)
        return
    del good
    target = result.documents.setdefault(topic, {**document, "questions": []})
    if any(q["id"] == question["id"] for q in target["questions"]):
        result.rejected.append(f"{where}: duplicate id {question['id']}")
        return
    target["questions"].append(question)


def _describe(problem: Problem, where: str) -> str:
    field_name = f" {problem.field}" if problem.field else ""
    return f"{where}:{field_name}: {problem.message}"


def import_csv(text: str, pack: str, license_name: str) -> ImportResult:
    """Rows with the columns in CSV_COLUMNS; lists inside a cell are separated by `|`,
    key points are `point: phrasing; phrasing | point: …`."""
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        result.rejected.append(
            f"the CSV has no column(s) {', '.join(missing)}; expected columns: "
            + ", ".join(CSV_COLUMNS)
        )
        return result
    for number, row in enumerate(reader, start=2):
        where = f"row {number}"
        topic = slug(row.get("topic") or "").replace("-", "_")
        if not topic:
            result.rejected.append(f"{where}: topic is empty")
            continue
        try:
            question = _row_to_question(
                {k: v or "" for k, v in row.items() if k}, pack, license_name
            )
        except (KeyError, ValueError) as error:
            result.rejected.append(f"{where}: {error}")
            continue
        _add(result, pack, topic, question, where)
    return result


def import_red_trivia(text: str, pack: str, topic: str, license_name: str) -> ImportResult:
    """A Red-DiscordBot trivia list: a YAML mapping of question → accepted answers (an optional
    AUTHOR key names the author). Each becomes a short-answer question."""
    result = ImportResult()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        result.rejected.append(f"not valid YAML: {error}")
        return result
    if not isinstance(data, dict):
        result.rejected.append("a trivia list is a mapping of question → list of answers")
        return result
    author = str(data.pop("AUTHOR", "")).strip()
    data.pop("CONFIG", None)
    for prompt, answers in data.items():
        where = f"question “{str(prompt)[:40]}”"
        if not isinstance(answers, list) or not answers:
            result.rejected.append(f"{where}: needs a list of accepted answers")
            continue
        question = {
            "id": _stable_id(pack, str(prompt)),
            "tags": [slug(pack)],
            "difficulty": 1,
            "kind": "short_answer",
            "prompt": str(prompt).strip(),
            "answers": [str(a) for a in answers],
            "explanation": "Accepted answers: " + ", ".join(str(a) for a in answers[:5]) + ".",
            "reference": f"Trivia list “{pack}”" + (f" by {author}" if author else ""),
            "source": "Red-DiscordBot trivia list" + (f" by {author}" if author else ""),
            "license": license_name,
        }
        _add(result, pack, topic, question, where)
    return result


def write_pack(result: ImportResult, packs: Path, pack: str) -> list[Path]:
    folder = packs / slug(pack)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for topic, document in result.documents.items():
        path = folder / f"{topic}.yaml"
        path.write_text(
            "# Imported with `studybot questions import`.\n"
            + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
        written.append(path)
    return written
