"""A member's practice session: one question, its hints and model answer, and their answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.questions import Question


@dataclass(frozen=True)
class PracticeSession:
    id: int
    member_id: int
    question: Question
    hints_shown: int
    model_shown: bool
    answered_at: datetime | None
    started_at: datetime | None = None
