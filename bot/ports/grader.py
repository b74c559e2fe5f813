"""An optional second opinion on free-text answers: a grader (e.g. a language model) that says,
per key point, whether an answer covers it and why.

The core asks it only after a daily question has closed, never while a member waits, and treats
every failure as "no opinion": the deterministic grade then stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

REASON_LIMIT = 200


@dataclass(frozen=True)
class Rubric:
    """What an answer is graded against: the question, its model answer and its key points."""

    prompt: str
    model_answer: str
    key_points: tuple[str, ...]


@dataclass(frozen=True)
class PointVerdict:
    """One key point of one answer: covered or not, and a short reason a member can read."""

    hit: bool
    reason: str


Verdict = tuple[PointVerdict, ...]
"""One `PointVerdict` per key point, in the rubric's order."""


class Grader(Protocol):
    async def grade(self, rubric: Rubric, answers: Sequence[str]) -> list[Verdict | None]:
        """Grade a batch of answers to one question. Returns one entry per answer, in order:
        its verdict, or None for an answer it could not grade (timeout, error, unusable
        output). Must not raise for a single bad answer; the caller bounds the total time."""
        ...

    async def close(self) -> None:
        """Release connections (called once, when the bot stops)."""
        ...
