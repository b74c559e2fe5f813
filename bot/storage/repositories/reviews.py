"""Review cards: each member's FSRS memory of each question, and which are due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from bot.domain.reviews import ReviewCard
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import review_cards, review_days

_COLUMNS = (
    review_cards.c.member_id,
    review_cards.c.question_id,
    review_cards.c.memory,
    review_cards.c.due,
    review_cards.c.reviews,
    review_cards.c.lapses,
)


def _card(row: Any) -> ReviewCard:
    return ReviewCard(
        member_id=row.member_id,
        question_id=row.question_id,
        memory=row.memory,
        due=row.due,
        reviews=row.reviews,
        lapses=row.lapses,
    )


class SqlReviewRepository(SqlRepository):
    async def cards(self, member_ids: Sequence[int], question_id: str) -> dict[int, ReviewCard]:
        if not member_ids:
            return {}
        rows = await self.conn.execute(
            select(*_COLUMNS).where(
                review_cards.c.question_id == question_id,
                review_cards.c.member_id.in_(list(member_ids)),
            )
        )
        return {row.member_id: _card(row) for row in rows}

    async def save(self, cards: Sequence[ReviewCard]) -> None:
        if not cards:
            return
        stmt = self.insert(review_cards).values(
            [
                {
                    "member_id": c.member_id,
                    "question_id": c.question_id,
                    "memory": c.memory,
                    "due": c.due,
                    "reviews": c.reviews,
                    "lapses": c.lapses,
                }
                for c in cards
            ]
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["member_id", "question_id"],
                set_={
                    "memory": stmt.excluded.memory,
                    "due": stmt.excluded.due,
                    "reviews": stmt.excluded.reviews,
                    "lapses": stmt.excluded.lapses,
                },
            )
        )

    async def due(self, member_id: int, now: datetime, limit: int = 1) -> list[ReviewCard]:
        rows = await self.conn.execute(
            select(*_COLUMNS)
            .where(review_cards.c.member_id == member_id, review_cards.c.due <= now)
            .order_by(review_cards.c.due, review_cards.c.question_id)
            .limit(limit)
        )
        return [_card(row) for row in rows]

    async def count_due(self, member_id: int, now: datetime) -> int:
        return int(
            await self.conn.scalar(
                select(func.count())
                .select_from(review_cards)
                .where(review_cards.c.member_id == member_id, review_cards.c.due <= now)
            )
            or 0
        )

    async def next_due(self, member_id: int) -> datetime | None:
        return await self.conn.scalar(
            select(func.min(review_cards.c.due)).where(review_cards.c.member_id == member_id)
        )

    async def count_review(self, member_id: int, day: date) -> None:
        stmt = self.insert(review_days).values(member_id=member_id, day=day, answered=1)
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["member_id", "day"],
                set_={"answered": review_days.c.answered + 1},
            )
        )

    async def review_days(self, member_id: int, since: date) -> list[date]:
        rows = await self.conn.scalars(
            select(review_days.c.day)
            .where(review_days.c.member_id == member_id, review_days.c.day >= since)
            .order_by(review_days.c.day)
        )
        return list(rows)
