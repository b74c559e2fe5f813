"""A second opinion on a closed post's open and scenario answers from the configured grader.

It runs between the end of the answer window and the reveal, bounded by `GraderLimits.timeout_s`,
so the reveal is late by at most that much. Whatever the grader does not answer in time, or
answers with something unusable, keeps its deterministic grade.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.posts import SubmittedAnswer
from bot.domain.questions import Kind, Question
from bot.ports.grader import Grader, Rubric, Verdict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GraderLimits:
    """How much the core asks of the grader at one close: `batch` answers per call (graded side
    by side), at most `max_answers` answers (the cost cap), all within `timeout_s`."""

    timeout_s: float = 20.0
    batch: int = 4
    max_answers: int = 100


def gradable(question: Question) -> bool:
    return question.kind in (Kind.OPEN, Kind.SCENARIO) and bool(question.key_points)


def rubric(question: Question) -> Rubric:
    return Rubric(
        prompt=question.prompt,
        model_answer=question.model_answer,
        key_points=tuple(k.point for k in question.key_points),
    )


async def ask_grader(
    grader: Grader,
    limits: GraderLimits,
    question: Question,
    answers: Sequence[SubmittedAnswer],
) -> dict[int, Verdict]:
    """Verdicts by answer id, for the answers the grader graded validly in time. Never raises:
    a slow or failing grader yields fewer verdicts (or none), and the batches finished before
    the deadline still count."""
    if not gradable(question):
        return {}
    texts = [(a.id, a.text) for a in answers if a.text and a.text.strip()][: limits.max_answers]
    wanted = len(question.key_points)
    asked = rubric(question)
    found: dict[int, Verdict] = {}
    try:
        async with asyncio.timeout(limits.timeout_s):
            for start in range(0, len(texts), limits.batch):
                chunk = texts[start : start + limits.batch]
                verdicts = await grader.grade(asked, [text for _id, text in chunk])
                if len(verdicts) != len(chunk):
                    log.warning(
                        "the grader returned %d verdicts for %d answers; ignored",
                        len(verdicts),
                        len(chunk),
                    )
                    continue
                for (answer_id, _text), verdict in zip(chunk, verdicts, strict=True):
                    if verdict is not None and len(verdict) == wanted:
                        found[answer_id] = verdict
    except TimeoutError:
        log.warning(
            "the grader did not finish within %s s; %d of %d answers have its grade, the rest "
            "keep the deterministic one",
            limits.timeout_s,
            len(found),
            len(texts),
        )
    except Exception as error:
        # the type only: a grader's exception text may echo request details
        log.warning("the grader failed (%s); the deterministic grades stand", type(error).__name__)
    return found
