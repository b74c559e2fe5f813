"""Deterministic grading: multiple choice, short answers and key-point coverage.

Open and scenario answers are graded on concepts (`bot.domain.concepts`). The rules are
documented in the README ("Scoring"); keep the two in step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.concepts import PointVerdict, Vocabulary, assess
from bot.domain.questions import AnswerFormat, Kind, Question

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


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")


def _canonical_number(text: str) -> str | None:
    """`1,000` is a thousand, but `5,10` is two numbers (a shape), not 510."""
    cleaned = text.strip()
    if "," in cleaned:
        if not _THOUSANDS.fullmatch(cleaned):
            return None
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return repr(round(value, 9))


_SPACE = re.compile(r"\s+")
_SPACE_AT_SYMBOL = re.compile(r"\s*([^\w\s])\s*")
_SHAPE = re.compile(r"[(\[]?\s*(\d+(?:\s*(?:,|x|×|\*|by)\s*\d+)*)\s*,?\s*[)\]]?", re.IGNORECASE)
_SHAPE_SEPARATOR = re.compile(r"\s*(?:,|x|×|\*|by)\s*", re.IGNORECASE)


def _unticked(text: str) -> str:
    """Text without surrounding space and the backticks chat formatting wraps code in."""
    return text.strip().strip("`").strip()


def _code(text: str) -> str:
    """Code compared as written, case included; only whitespace (and wrapping backticks) aside,
    so `clf__C` and `clf.C` stay different where words would make them equal."""
    return _SPACE_AT_SYMBOL.sub(r"\1", _SPACE.sub(" ", _unticked(text)))


def parse_shape(text: str) -> tuple[int, ...] | None:
    """`(5, 10)`, `5,10`, `[5, 10]`, `5 x 10`, `5×10` and `5 by 10` are the shape (5, 10);
    anything else is not a shape."""
    match = _SHAPE.fullmatch(_unticked(text))
    if match is None:
        return None
    return tuple(int(n) for n in _SHAPE_SEPARATOR.split(match.group(1)))


def normalize_short_answer(text: str, answer_format: AnswerFormat = AnswerFormat.TEXT) -> str:
    """The form short answers are compared in. As text: numbers as numbers, words without
    articles. As code: exact, whitespace aside. As a shape: its sizes (`5,10` is (5, 10))."""
    if answer_format is AnswerFormat.CODE:
        return _code(text)
    if answer_format is AnswerFormat.SHAPE:
        shape = parse_shape(text)
        return "" if shape is None else "x".join(map(str, shape))
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
    evidence: tuple[PointVerdict, ...] = ()
    """Per key point, the phrasing found or the wrong claim made (open and scenario answers)."""
    term_list: bool = False
    """The answer was a bare list of terms, so its score was capped."""

    def points(self, difficulty: int) -> int:
        return round(POINTS_PER_DIFFICULTY * difficulty * self.fraction)


def grade_choice(question: Question, choice: int) -> Grade:
    right = choice == question.correct_index
    return Grade(1.0 if right else 0.0, right)


def key_points_hit(question: Question, text: str) -> tuple[int, ...]:
    """The key points whose phrasings occur as consecutive words: the matcher used before the
    concept grader, kept as the baseline `bench/grading.py` measures against."""
    words = tokens(text)
    return tuple(
        i
        for i, key_point in enumerate(question.key_points)
        if any(_contains_run(words, tokens(phrase)) for phrase in key_point.phrasings)
    )


NO_TERMS = Vocabulary()


def grade_text(question: Question, text: str, terms: Vocabulary = NO_TERMS) -> Grade:
    """Short answers match an accepted answer exactly (after normalising); open and scenario
    answers score the share of key points they make, on concepts: stems, the bank's `terms`
    (its vocabulary), any order within a sentence, negations and wrong claims."""
    if question.kind is Kind.SHORT_ANSWER:
        form = question.answer_format
        given = normalize_short_answer(text, form)
        right = bool(given) and any(
            given == normalize_short_answer(a, form) for a in question.answers
        )
        return Grade(1.0 if right else 0.0, right)
    result = assess(question, text, terms)
    return Grade(
        result.fraction, result.fraction >= 0.5, result.hits, result.verdicts, result.term_list
    )


def grade_key_points(question: Question, hits: tuple[int, ...]) -> Grade:
    """The grade of an open or scenario answer whose covered key points were judged elsewhere
    (a model grader): the same share and threshold as the phrasing match."""
    covered = tuple(sorted({i for i in hits if 0 <= i < len(question.key_points)}))
    fraction = len(covered) / (len(question.key_points) or 1)
    return Grade(fraction, fraction >= 0.5, covered)
