"""Review reminders: who asked for a daily nudge, and whose nudge is due now."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from bot.domain.reminders import Reminder
from bot.ports.storage import DueNudge
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import members, review_cards, review_reminders

_R = review_reminders.c


def _reminder(row: Any) -> Reminder:
    return Reminder(
        member_id=row.member_id,
        at_minute=row.at_minute,
        next_at=row.next_at,
        day_ends_at=row.day_ends_at,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        sent_on=row.sent_on,
    )


def _values(reminder: Reminder) -> dict[str, Any]:
    return {
        "member_id": reminder.member_id,
        "at_minute": reminder.at_minute,
        "next_at": reminder.next_at,
        "day_ends_at": reminder.day_ends_at,
        "quiet_start": reminder.quiet_start,
        "quiet_end": reminder.quiet_end,
        "sent_on": reminder.sent_on,
    }


class SqlReminderRepository(SqlRepository):
    async def get(self, member_id: int) -> Reminder | None:
        row = (
            await self.conn.execute(select(review_reminders).where(_R.member_id == member_id))
        ).first()
        return _reminder(row) if row else None

    async def put(self, reminder: Reminder) -> None:
        values = _values(reminder)
        stmt = self.insert(review_reminders).values(values)
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["member_id"],
                set_={k: v for k, v in values.items() if k != "member_id"},
            )
        )

    async def delete(self, member_id: int) -> bool:
        result = await self.conn.execute(
            delete(review_reminders).where(_R.member_id == member_id).returning(_R.member_id)
        )
        return result.first() is not None

    async def due(self, now: datetime, limit: int) -> list[DueNudge]:
        """One indexed range read on `next_at`; whether a member has a review due is one probe
        of the cards' (member_id, due) index (counting them all is left to `due_counts`, for
        the nudges actually sent)."""
        has_reviews = (
            select(review_cards.c.id)
            .where(
                review_cards.c.member_id == _R.member_id,
                review_cards.c.due < _R.day_ends_at,
            )
            .exists()
        )
        rows = await self.conn.execute(
            select(
                review_reminders,
                members.c.community_id,
                members.c.user_id,
                members.c.timezone,
                has_reviews.label("has_reviews"),
            )
            .join(members, members.c.id == _R.member_id)
            .where(_R.next_at <= now)
            .order_by(_R.next_at, _R.member_id)
            .limit(limit)
        )
        return [
            DueNudge(
                _reminder(row), row.community_id, row.user_id, row.timezone, bool(row.has_reviews)
            )
            for row in rows
        ]

    async def due_counts(self, member_ids: Sequence[int]) -> dict[int, int]:
        if not member_ids:
            return {}
        rows = await self.conn.execute(
            select(review_cards.c.member_id, func.count())
            .join(review_reminders, _R.member_id == review_cards.c.member_id)
            .where(
                review_cards.c.member_id.in_(list(member_ids)),
                review_cards.c.due < _R.day_ends_at,
            )
            .group_by(review_cards.c.member_id)
        )
        return {member_id: int(count) for member_id, count in rows}

    async def claim(self, before: Reminder, after: Reminder) -> bool:
        values = {k: v for k, v in _values(after).items() if k != "member_id"}
        result = await self.conn.execute(
            update(review_reminders)
            .where(_R.member_id == before.member_id, _R.next_at == before.next_at)
            .values(values)
            .returning(_R.member_id)
        )
        return result.first() is not None
