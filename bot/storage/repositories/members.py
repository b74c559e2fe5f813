"""Members, their streaks and their all-time totals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from bot.domain.members import Member, MemberTotals
from bot.domain.streaks import Streak
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import member_stats, members, score_totals

NAME_LIMIT = 100


def _member(row: Any) -> Member:
    return Member(row.id, row.community_id, row.user_id, row.display_name, row.timezone)


def _streak(row: Any) -> Streak:
    return Streak(row.streak_current, row.streak_best, row.last_day, row.last_seq)


class SqlMemberRepository(SqlRepository):
    async def ensure(self, community_id: int, people: dict[str, str]) -> dict[str, Member]:
        if not people:
            return {}
        now = datetime.now(UTC)
        await self.conn.execute(
            self.insert(members).on_conflict_do_nothing(index_elements=["community_id", "user_id"]),
            [
                {
                    "community_id": community_id,
                    "user_id": uid,
                    "display_name": name[:NAME_LIMIT],
                    "created_at": now,
                }
                for uid, name in people.items()
            ],
        )
        rows = (
            await self.conn.execute(
                select(members).where(
                    members.c.community_id == community_id,
                    members.c.user_id.in_(list(people)),
                )
            )
        ).all()
        return {r.user_id: _member(r) for r in rows}

    async def rename(self, member_id: int, display_name: str) -> None:
        await self.conn.execute(
            update(members)
            .where(members.c.id == member_id)
            .values(display_name=display_name[:NAME_LIMIT])
        )

    async def find(self, community_id: int, user_id: str) -> Member | None:
        row = (
            await self.conn.execute(
                select(members).where(
                    members.c.community_id == community_id, members.c.user_id == user_id
                )
            )
        ).one_or_none()
        return None if row is None else _member(row)

    async def set_timezone(self, member_id: int, timezone: str | None) -> None:
        await self.conn.execute(
            update(members).where(members.c.id == member_id).values(timezone=timezone)
        )

    async def streaks(self, member_ids: Sequence[int]) -> dict[int, tuple[Streak, int]]:
        rows = await self.conn.execute(
            select(member_stats).where(member_stats.c.member_id.in_(list(member_ids)))
        )
        return {r.member_id: (_streak(r), r.answered) for r in rows}

    async def save_streaks(self, values: dict[int, tuple[Streak, int]]) -> None:
        if not values:
            return
        stmt = self.insert(member_stats)
        stmt = stmt.on_conflict_do_update(
            index_elements=["member_id"],
            set_={
                "streak_current": stmt.excluded.streak_current,
                "streak_best": stmt.excluded.streak_best,
                "last_day": stmt.excluded.last_day,
                "last_seq": stmt.excluded.last_seq,
                "answered": stmt.excluded.answered,
            },
        )
        await self.conn.execute(
            stmt,
            [
                {
                    "member_id": member_id,
                    "streak_current": streak.current,
                    "streak_best": streak.best,
                    "last_day": streak.last_day,
                    "last_seq": streak.last_seq,
                    "answered": answered,
                }
                for member_id, (streak, answered) in values.items()
            ],
        )

    async def totals(self, community_id: int, member_id: int) -> MemberTotals:
        stats = (
            await self.conn.execute(
                select(member_stats).where(member_stats.c.member_id == member_id)
            )
        ).one_or_none()
        topics = (
            await self.conn.execute(
                select(
                    score_totals.c.topic,
                    score_totals.c.points,
                    score_totals.c.answered,
                    score_totals.c.correct,
                ).where(
                    score_totals.c.community_id == community_id,
                    score_totals.c.period == "all",
                    score_totals.c.member_id == member_id,
                )
            )
        ).all()
        return MemberTotals(
            streak=None if stats is None else _streak(stats),
            answered=0 if stats is None else stats.answered,
            topics={r.topic: (r.points, r.answered, r.correct) for r in topics},
        )
