"""Questions and their answer keys, as the rest of the core sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"
    SHORT_ANSWER = "short_answer"
    OPEN = "open"
    SCENARIO = "scenario"

    @property
    def is_free_text(self) -> bool:
        return self is not Kind.MULTIPLE_CHOICE

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class AnswerFormat(StrEnum):
    """How a short answer is compared with the accepted ones (see `bot.domain.grading`)."""

    TEXT = "text"
    CODE = "code"
    SHAPE = "shape"


LETTERS = "ABCDE"
DIFFICULTY_NAMES = {1: "easy", 2: "medium", 3: "hard"}


def difficulty_level(word: str) -> int | None:
    """The level (1–3) a member means by `word`: a name (`easy`) or a number (`1`)."""
    word = word.strip().lower()
    for level, name in DIFFICULTY_NAMES.items():
        if word in (name, str(level)):
            return level
    return None


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class KeyPoint:
    """One point a strong answer makes, the ways people say it, and optionally the wrong claims
    (`contradicts`) that cancel it when an answer makes them."""

    point: str
    phrasings: tuple[str, ...]
    contradicts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"point": self.point, "phrasings": list(self.phrasings)}
        if self.contradicts:
            data["contradicts"] = list(self.contradicts)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KeyPoint:
        return cls(
            str(data["point"]).strip(),
            tuple(str(p) for p in data["phrasings"]),
            tuple(str(c) for c in data.get("contradicts", ())),
        )


@dataclass(frozen=True)
class RubricItem:
    criterion: str
    look_for: str


@dataclass(frozen=True)
class Question:
    """One bank question with its complete answer key.

    `to_dict`/`from_dict` round-trip it, so a post can keep a snapshot of the question it
    asked even if the bank later changes.
    """

    id: str
    topic: str
    kind: Kind
    difficulty: int
    prompt: str
    tags: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    answers: tuple[str, ...] = ()
    answer_format: AnswerFormat = AnswerFormat.TEXT
    model_answer: str = ""
    key_points: tuple[KeyPoint, ...] = ()
    follow_ups: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    rubric: tuple[RubricItem, ...] = ()
    explanation: str = ""
    reference: str = ""
    source: str = "original"
    license: str = ""
    pack: str = "core"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def correct_index(self) -> int | None:
        for i, option in enumerate(self.options):
            if option.correct:
                return i
        return None

    @property
    def correct_letter(self) -> str | None:
        index = self.correct_index
        return None if index is None else LETTERS[index]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "kind": self.kind.value,
            "difficulty": self.difficulty,
            "prompt": self.prompt,
            "tags": list(self.tags),
            "options": [{"text": o.text, "correct": o.correct, "why": o.why} for o in self.options],
            "answers": list(self.answers),
            "answer_format": self.answer_format.value,
            "model_answer": self.model_answer,
            "key_points": [k.to_dict() for k in self.key_points],
            "follow_ups": list(self.follow_ups),
            "hints": list(self.hints),
            "rubric": [{"criterion": r.criterion, "look_for": r.look_for} for r in self.rubric],
            "explanation": self.explanation,
            "reference": self.reference,
            "source": self.source,
            "license": self.license,
            "pack": self.pack,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, topic: str | None = None) -> Question:
        return cls(
            id=str(data["id"]),
            topic=str(topic or data["topic"]),
            kind=Kind(data["kind"]),
            difficulty=int(data["difficulty"]),
            prompt=str(data["prompt"]).strip(),
            tags=tuple(data.get("tags", ())),
            options=tuple(
                Option(str(o["text"]).strip(), bool(o.get("correct", False)), str(o["why"]).strip())
                for o in data.get("options", ())
            ),
            answers=tuple(str(a) for a in data.get("answers", ())),
            answer_format=AnswerFormat(data.get("answer_format", AnswerFormat.TEXT)),
            model_answer=str(data.get("model_answer", "")).strip(),
            key_points=tuple(KeyPoint.from_dict(k) for k in data.get("key_points", ())),
            follow_ups=tuple(str(f).strip() for f in data.get("follow_ups", ())),
            hints=tuple(str(h).strip() for h in data.get("hints", ())),
            rubric=tuple(
                RubricItem(str(r["criterion"]).strip(), str(r["look_for"]).strip())
                for r in data.get("rubric", ())
            ),
            explanation=str(data.get("explanation", "")).strip(),
            reference=str(data.get("reference", "")),
            source=str(data.get("source", "original")),
            license=str(data.get("license", "")),
            pack=str(data.get("pack", "core")),
            extra={"code_check": data["code_check"]} if data.get("code_check") else {},
        )
