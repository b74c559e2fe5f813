"""Deterministic grading: multiple choice, short answers and key-point coverage.

The rules are documented in the README ("Scoring"); keep the two in step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.questions import Kind, Question

POINTS_PER_DIFFICULTY = 10
MAX_FREE_TEXT_LENGTH = 1500

_NON_WORD = re.compile(r"[^0-9a-z]+")
_ARTICLES = frozenset({"a", "an", "the"})


def _stem(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Lower-case words of `text`, punctuation dropped and a plural `s` stripped."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [_stem(t) for t in _NON_WORD.sub(" ", folded).split()]


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    width = len(needle)
    first = needle[0]
    return any(
        haystack[i] == first and haystack[i : i + width] == needle
        for i in range(len(haystack) - width + 1)
    )


def _canonical_number(text: str) -> str | None:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return repr(round(value, 9))


def normalize_short_answer(text: str) -> str:
    """The form short answers are compared in: numbers as numbers, words without articles."""
    number = _canonical_number(text)
    if number is not None:
        return number
    words = [w for w in tokens(text) if w not in _ARTICLES]
    return " ".join(words)


@dataclass(frozen=True)
class Grade:
    """The result of grading one answer: a fraction in [0, 1] and what it covered."""

    fraction: float
    correct: bool
    hit_points: tuple[int, ...] = ()

    def points(self, difficulty: int) -> int:
        return round(POINTS_PER_DIFFICULTY * difficulty * self.fraction)


def grade_choice(question: Question, choice: int) -> Grade:
    right = choice == question.correct_index
    return Grade(1.0 if right else 0.0, right)


def key_points_hit(question: Question, text: str) -> tuple[int, ...]:
    words = tokens(text)
    return tuple(
        i
        for i, key_point in enumerate(question.key_points)
        if any(_contains_run(words, tokens(phrase)) for phrase in key_point.phrasings)
    )


def grade_text(question: Question, text: str) -> Grade:
    """Short answers match an accepted answer exactly (after normalising); open and scenario
    answers score the share of key points whose phrasings appear in the text."""
    if question.kind is Kind.SHORT_ANSWER:
        given = normalize_short_answer(text)
        right = any(given == normalize_short_answer(a) for a in question.answers)
        return Grade(1.0 if right else 0.0, right)
    hits = key_points_hit(question, text)
    total = len(question.key_points) or 1
    fraction = len(hits) / total
    return Grade(fraction, fraction >= 0.5, hits)
