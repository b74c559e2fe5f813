"""Practice sessions: the question a member drew, hints and model answer shown, their answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from bot.domain.practice import PracticeSession
from bot.domain.questions import Question
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import practice_sessions


class SqlPracticeRepository(SqlRepository):
    async def start(self, member_id: int, question: Question, now: datetime) -> int:
        return int(
            await self.insert_row(
                practice_sessions,
                member_id=member_id,
                question_id=question.id,
                question=question.to_dict(),
                hints_shown=0,
                model_shown=False,
                created_at=now,
            )
        )

    async def get(self, session_id: int) -> PracticeSession | None:
        row = (
            await self.conn.execute(
                select(practice_sessions).where(practice_sessions.c.id == session_id)
            )
        ).one_or_none()
        if row is None:
            return None
        return PracticeSession(
            row.id,
            row.member_id,
            Question.from_dict(row.question),
            row.hints_shown,
            row.model_shown,
            row.answered_at,
            row.created_at,
        )

    async def seen(self, member_id: int) -> set[str]:
        rows = await self.conn.execute(
            select(practice_sessions.c.question_id).where(
                practice_sessions.c.member_id == member_id
            )
        )
        return {r.question_id for r in rows}

    async def recent(self, member_id: int, limit: int) -> list[str]:
        rows = await self.conn.execute(
            select(practice_sessions.c.question_id)
            .where(practice_sessions.c.member_id == member_id)
            .order_by(practice_sessions.c.id.desc())
            .limit(limit)
        )
        return [r.question_id for r in rows]

    async def update(self, session_id: int, **values: Any) -> None:
        await self.conn.execute(
            update(practice_sessions).where(practice_sessions.c.id == session_id).values(**values)
        )
