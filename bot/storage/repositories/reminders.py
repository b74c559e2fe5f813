"""Review reminders: who asked for a daily nudge, and whose nudge is due now.

A tick works on slots, not on members: reminders with the same effective time zone (the
member's own, else the community's), local time, quiet hours and next instant move together,
so deciding, claiming and moving a slot is a few statements however many members share it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update

from bot.domain.reminders import Reminder, Slot
from bot.ports.storage import Recipient
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import communities, members, review_cards, review_reminders

_R = review_reminders.c
_member_zone: ColumnElement[str] = func.coalesce(members.c.timezone, communities.c.timezone)


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


def _in_slot(
    slot: Slot, with_reviews: bool | None, due_before: datetime | None
) -> list[ColumnElement[bool]]:
    in_zone = (
        select(members.c.id)
        .join(communities, communities.c.id == members.c.community_id)
        .where(members.c.id == _R.member_id, _member_zone == slot.zone)
        .exists()
    )
    where = [
        _R.next_at == slot.next_at,
        _R.day_ends_at == slot.day_ends_at,
        _R.at_minute == slot.at_minute,
        _R.quiet_start == slot.quiet_start,
        _R.quiet_end == slot.quiet_end,
        in_zone,
    ]
    if with_reviews is None:
        return where
    reviews = _has_reviews(due_before or slot.day_ends_at)
    return [*where, reviews if with_reviews else ~reviews]


def _has_reviews(before: datetime) -> ColumnElement[bool]:
    return (
        select(review_cards.c.id)
        .where(review_cards.c.member_id == _R.member_id, review_cards.c.due < before)
        .exists()
    )


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

    async def due_slots(self, now: datetime) -> list[Slot]:
        """One read of the `next_at` index range, grouped."""
        zone = _member_zone.label("zone")
        rows = await self.conn.execute(
            select(
                zone,
                _R.at_minute,
                _R.quiet_start,
                _R.quiet_end,
                _R.next_at,
                _R.day_ends_at,
                func.count().label("members"),
            )
            .select_from(review_reminders)
            .join(members, members.c.id == _R.member_id)
            .join(communities, communities.c.id == members.c.community_id)
            .where(_R.next_at <= now)
            .group_by(zone, _R.at_minute, _R.quiet_start, _R.quiet_end, _R.next_at, _R.day_ends_at)
            .order_by(_R.next_at)
        )
        return [
            Slot(
                row.zone,
                row.at_minute,
                row.quiet_start,
                row.quiet_end,
                row.next_at,
                row.day_ends_at,
                row.members,
            )
            for row in rows
        ]

    async def move(
        self,
        slot: Slot,
        next_at: datetime,
        day_ends_at: datetime,
        *,
        with_reviews: bool | None,
        due_before: datetime | None = None,
        sent_on: date | None = None,
        limit: int | None = None,
    ) -> list[int]:
        where = _in_slot(slot, with_reviews, due_before)
        if limit is not None:
            chosen = await self.pick(
                slot, with_reviews=with_reviews, due_before=due_before, limit=limit
            )
            if not chosen:
                return []
            where = [_R.member_id.in_(chosen), _R.next_at == slot.next_at]
        values: dict[str, Any] = {"next_at": next_at, "day_ends_at": day_ends_at}
        if sent_on is not None:
            values["sent_on"] = sent_on
        result = await self.conn.execute(
            update(review_reminders).where(*where).values(values).returning(_R.member_id)
        )
        return [row.member_id for row in result]

    async def pick(
        self,
        slot: Slot,
        *,
        with_reviews: bool | None,
        due_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[int]:
        where = _in_slot(slot, with_reviews, due_before)
        query = select(_R.member_id).where(*where).order_by(_R.member_id)
        return list(await self.conn.scalars(query if limit is None else query.limit(limit)))

    async def recipients(self, member_ids: Sequence[int], before: datetime) -> list[Recipient]:
        if not member_ids:
            return []
        rows = await self.conn.execute(
            select(members.c.id, members.c.community_id, members.c.user_id, func.count())
            .join(review_cards, review_cards.c.member_id == members.c.id)
            .where(members.c.id.in_(list(member_ids)), review_cards.c.due < before)
            .group_by(members.c.id, members.c.community_id, members.c.user_id)
        )
        return [Recipient(m, c, u, int(n)) for m, c, u, n in rows]
