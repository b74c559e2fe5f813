"""The question bank: YAML files under `questions/`, validated against `questions/schema.json`
and by the checks JSON Schema cannot express (unique ids, one correct option, near-duplicates)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from bot.domain.concepts import Vocabulary, makes_claim, sentences
from bot.domain.grading import normalize_short_answer, parse_shape, tokens
from bot.domain.questions import AnswerFormat, Kind, Question
from bot.resources import questions_dir

QUESTIONS_DIR = questions_dir()
SCHEMA_PATH = QUESTIONS_DIR / "schema.json"
MENTION = re.compile(r"@everyone|@here|<!(channel|here|everyone)|<@[!&]?\w|<#\w", re.IGNORECASE)
NEAR_DUPLICATE = 0.85


@dataclass(frozen=True)
class Problem:
    file: str
    question_id: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.question_id:
            where += f": {self.question_id}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


@dataclass
class Bank:
    questions: list[Question] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    vocabulary: tuple[tuple[str, ...], ...] = ()
    """Groups of interchangeable terms (`vocabulary/terms.yaml`), for the free-text grader."""

    @cached_property
    def terms(self) -> Vocabulary:
        """The vocabulary as the grader reads it, with every word the bank's texts use (what
        tells a typo from a real word); computed once, after loading."""
        texts = (text for question in self.questions for text in _question_texts(question))
        return Vocabulary.of(self.vocabulary, texts)

    @property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @property
    def packs(self) -> list[str]:
        return sorted({q.pack for q in self.questions})

    @property
    def topics(self) -> list[str]:
        return sorted({q.topic for q in self.questions})

    def topic_title(self, topic: str) -> str:
        return self.titles.get(topic, topic.replace("_", " ").capitalize())

    def stats(self) -> dict[str, Any]:
        return {
            "total": len(self.questions),
            "by_topic": dict(sorted(Counter(q.topic for q in self.questions).items())),
            "by_kind": dict(sorted(Counter(q.kind.value for q in self.questions).items())),
            "by_difficulty": {
                str(k): v for k, v in sorted(Counter(q.difficulty for q in self.questions).items())
            },
            "by_topic_and_difficulty": {
                topic: {
                    str(d): sum(1 for q in self.questions if q.topic == topic and q.difficulty == d)
                    for d in (1, 2, 3)
                }
                for topic in self.topics
            },
        }


def _schema_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _question_id(document: Any, path: Sequence[Any]) -> tuple[str, str]:
    """Turn a JSON path like questions/3/options/1/text into (question id, field)."""
    parts = list(path)
    if len(parts) >= 2 and parts[0] == "questions" and isinstance(parts[1], int):
        try:
            qid = str(document["questions"][parts[1]].get("id", f"#{parts[1] + 1}"))
        except (KeyError, IndexError, TypeError, AttributeError):
            qid = f"#{parts[1] + 1}"
        return qid, ".".join(str(p) for p in parts[2:])
    return "", ".".join(str(p) for p in parts)


def _texts(raw: dict[str, Any]) -> Iterable[tuple[str, str]]:
    for key in ("prompt", "model_answer", "explanation"):
        if isinstance(raw.get(key), str):
            yield key, raw[key]
    for i, option in enumerate(raw.get("options") or []):
        if isinstance(option, dict):
            yield f"options.{i}.text", str(option.get("text", ""))
            yield f"options.{i}.why", str(option.get("why", ""))
    for key in ("answers", "follow_ups", "hints"):
        for i, text in enumerate(raw.get(key) or []):
            yield f"{key}.{i}", str(text)


def check_document(
    document: Any, name: str, *, expected_topic: str | None = None
) -> tuple[list[Question], list[Problem]]:
    """Validate one parsed question file; return its good questions and every problem."""
    problems: list[Problem] = []
    validator = _schema_validator()
    bad_indexes: set[int] = set()
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        qid, where = _question_id(document, error.absolute_path)
        problems.append(Problem(name, qid, where, error.message[:300]))
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            bad_indexes.add(path[1])
        elif path == ["questions"] or not path:
            return [], problems
    if not isinstance(document, dict) or not isinstance(document.get("questions"), list):
        return [], problems
    topic = str(document.get("topic", ""))
    if expected_topic is not None and topic != expected_topic:
        problems.append(
            Problem(
                name, "", "topic", f"topic “{topic}” must match the file name “{expected_topic}”"
            )
        )
    pack = str(document.get("pack", "core"))
    good: list[Question] = []
    for index, raw in enumerate(document["questions"]):
        if index in bad_indexes or not isinstance(raw, dict):
            continue
        qid = str(raw["id"])
        before = len(problems)
        for where, text in _texts(raw):
            if MENTION.search(text):
                problems.append(
                    Problem(
                        name, qid, where, "contains mention syntax (@everyone, <!channel>, <@…>)"
                    )
                )
        if raw["kind"] == Kind.MULTIPLE_CHOICE.value:
            options = raw["options"]
            correct = sum(1 for o in options if o.get("correct"))
            if correct != 1:
                problems.append(
                    Problem(
                        name, qid, "options", f"needs exactly one correct option, has {correct}"
                    )
                )
            seen = Counter(" ".join(o["text"].casefold().split()) for o in options)
            if any(n > 1 for n in seen.values()):
                problems.append(Problem(name, qid, "options", "two options say the same thing"))
        for i, key_point in enumerate(raw.get("key_points") or []):
            if not any(tokens(p) for p in key_point["phrasings"]):
                problems.append(
                    Problem(name, qid, f"key_points.{i}.phrasings", "no phrasing has a word in it")
                )
        if raw["kind"] == Kind.SHORT_ANSWER.value:
            form = AnswerFormat(raw.get("answer_format", AnswerFormat.TEXT))
            if form is AnswerFormat.SHAPE:
                for i, accepted in enumerate(raw["answers"]):
                    if parse_shape(accepted) is None:
                        problems.append(
                            Problem(
                                name,
                                qid,
                                f"answers.{i}",
                                f"“{accepted}” is not a shape; write it like (5, 10)",
                            )
                        )
            elif not any(normalize_short_answer(a, form) for a in raw["answers"]):
                problems.append(
                    Problem(name, qid, "answers", "no answer has a word or number in it")
                )
        check = raw.get("code_check")
        if check and check.get("shown", True):
            keys = [o["text"] for o in raw.get("options", []) if o.get("correct")]
            keys += list(raw.get("answers", []))
            if check["output"].strip() not in [k.strip() for k in keys]:
                problems.append(
                    Problem(
                        name,
                        qid,
                        "code_check.output",
                        "must equal the correct option's text or one of the accepted answers",
                    )
                )
        if len(problems) == before:
            good.append(Question.from_dict({**raw, "pack": pack}, topic=topic))
    return good, problems


def near_duplicates(questions: Sequence[Question]) -> list[tuple[Question, Question, float]]:
    """Pairs of prompts whose word sets overlap by at least NEAR_DUPLICATE (Jaccard)."""
    sets = [(q, frozenset(tokens(q.prompt))) for q in questions]
    pairs = []
    for i, (a, words_a) in enumerate(sets):
        for b, words_b in sets[i + 1 :]:
            if not words_a or not words_b:
                continue
            smaller, larger = sorted((len(words_a), len(words_b)))
            if smaller / larger < NEAR_DUPLICATE:
                continue
            similarity = len(words_a & words_b) / len(words_a | words_b)
            if similarity >= NEAR_DUPLICATE:
                pairs.append((a, b, similarity))
    return pairs


def _question_texts(question: Question) -> Iterator[str]:
    yield from (question.prompt, question.model_answer, question.explanation)
    yield from question.answers + question.hints + question.follow_ups
    for option in question.options:
        yield from (option.text, option.why)
    for key_point in question.key_points:
        yield from (key_point.point, *key_point.phrasings, *key_point.contradicts)


VOCABULARY_FILE = Path("vocabulary") / "terms.yaml"
TERM_LIMIT = 60


def load_vocabulary(path: Path) -> tuple[tuple[tuple[str, ...], ...], list[Problem]]:
    """The term groups, and a problem for each malformed group, overlong term or term that
    stands in two groups (it would make two concepts one)."""
    name = VOCABULARY_FILE.as_posix()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        return (), [Problem(name, "", "", f"cannot be read as YAML: {error}")]
    raw = document.get("groups") if isinstance(document, dict) else None
    if not isinstance(raw, list):
        return (), [Problem(name, "", "groups", "must be a list of term lists")]
    groups: list[tuple[str, ...]] = []
    problems: list[Problem] = []
    owner: dict[str, int] = {}
    for number, group in enumerate(raw, start=1):
        where = f"groups[{number}]"
        if not isinstance(group, list) or len(group) < 2:
            problems.append(Problem(name, "", where, "must list at least two terms"))
            continue
        terms = tuple(str(t).strip() for t in group)
        for term in terms:
            key = " ".join(term.casefold().split())
            if not key or len(term) > TERM_LIMIT:
                problems.append(
                    Problem(name, "", where, f"“{term}”: a term has 1 to {TERM_LIMIT} characters")
                )
            elif key in owner and owner[key] != number:
                problems.append(
                    Problem(name, "", where, f"“{term}” is also in groups[{owner[key]}]")
                )
            owner.setdefault(key, number)
        groups.append(terms)
    return tuple(groups), problems


def _display_name(path: Path, directory: Path, packs: Path | None) -> str:
    """How problems name a file: relative to the bank, or `packs/<pack>/<topic>.yaml`."""
    if path.is_relative_to(directory):
        return path.relative_to(directory).as_posix()
    if packs is not None and path.is_relative_to(packs):
        return "packs/" + path.relative_to(packs).as_posix()
    return path.name


def load_bank(
    directory: Path = QUESTIONS_DIR,
    files: Sequence[Path] | None = None,
    packs: Path | None = None,
) -> Bank:
    """Load every `*.yaml` file of `directory`, and of each pack folder under `packs` (imported
    packs: `packs/<pack>/<topic>.yaml`), or just `files`. Problems are collected, never raised,
    and bad questions are left out so one broken question cannot stop the bot."""
    bank = Bank()
    if files is not None:
        paths = sorted(files)
    else:
        paths = sorted(directory.glob("*.yaml"))
        if packs is not None:
            paths += sorted(packs.glob("*/*.yaml"))
    origin: dict[str, str] = {}
    accepted: set[str] = set()
    for path in paths:
        name = _display_name(path, directory, packs)
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f"line {mark.line + 1}" if mark is not None else ""
            bank.problems.append(Problem(name, "", line, f"not valid YAML: {error}"))
            continue
        except OSError as error:
            bank.problems.append(Problem(name, "", "", f"cannot be read: {error}"))
            continue
        good, problems = check_document(document, name, expected_topic=path.stem)
        bank.problems.extend(problems)
        if isinstance(document, dict) and good:
            bank.titles[str(document["topic"])] = str(document.get("title", ""))
        raw_questions = document.get("questions") if isinstance(document, dict) else None
        seen_here: set[str] = set()
        for raw in raw_questions if isinstance(raw_questions, list) else []:
            qid = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(qid, str):
                continue
            if qid in seen_here or qid in origin:
                bank.problems.append(Problem(name, qid, "id", f"already used in {origin[qid]}"))
            seen_here.add(qid)
            origin.setdefault(qid, name)
        for question in good:
            if origin[question.id] == name and question.id not in accepted:
                accepted.add(question.id)
                bank.questions.append(question)
    for a, b, similarity in near_duplicates(bank.questions):
        bank.problems.append(
            Problem(
                origin[b.id],
                b.id,
                "prompt",
                f"near-duplicate of {a.id} in {origin[a.id]} ({similarity:.0%} of words shared)",
            )
        )
    vocabulary = directory / VOCABULARY_FILE
    if vocabulary.is_file():
        bank.vocabulary, problems = load_vocabulary(vocabulary)
        if files is None:
            bank.problems.extend(problems)
    bank.problems.extend(_self_contradictions(bank, origin))
    return bank


def _self_contradictions(bank: Bank, origin: dict[str, str]) -> list[Problem]:
    """A `contradicts` phrasing that the model answer itself makes would cancel a point every
    strong answer earns; one with no content word would match nothing."""
    vocabulary = bank.terms
    problems = []
    for question in bank.questions:
        if not any(k.contradicts for k in question.key_points):
            continue
        said = sentences(question.model_answer, vocabulary)
        for i, key_point in enumerate(question.key_points):
            for claim in key_point.contradicts:
                where = f"key_points.{i}.contradicts"
                if not tokens(claim):
                    problems.append(
                        Problem(
                            origin[question.id], question.id, where, f"“{claim}” has no word in it"
                        )
                    )
                elif makes_claim(said, claim, vocabulary):
                    problems.append(
                        Problem(
                            origin[question.id],
                            question.id,
                            where,
                            f"“{claim}” matches the model answer, so it would cancel the point"
                            " for a correct answer; make it name the wrong claim more exactly",
                        )
                    )
    return problems
