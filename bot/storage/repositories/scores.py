"""Leaderboards from maintained aggregates: a total per (board, member) and, per board, how
many members hold each score, so a rank is a sum over the scores above instead of a scan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, func, literal, select, tuple_

from bot.domain.scoring import BoardRow, PointsEntry, period_keys
from bot.domain.stats import TopicCoverage
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import members, score_counts, score_totals

Board = tuple[str, str, str]  # period, period key, topic


class SqlScoreRepository(SqlRepository):
    async def add_points(
        self, community_id: int, day: date, topic: str, entries: Sequence[PointsEntry]
    ) -> None:
        if not entries:
            return
        keys = period_keys(day)
        topics = ["", topic] if topic else [""]
        boards: list[Board] = [(period, key, t) for period, key in keys for t in topics]
        before = {
            (row.period, row.period_key, row.topic, row.member_id): row.points
            for row in await self.conn.execute(
                select(
                    score_totals.c.period,
                    score_totals.c.period_key,
                    score_totals.c.topic,
                    score_totals.c.member_id,
                    score_totals.c.points,
                ).where(
                    score_totals.c.community_id == community_id,
                    score_totals.c.member_id.in_([e.member_id for e in entries]),
                    tuple_(score_totals.c.period, score_totals.c.period_key).in_(keys),
                    score_totals.c.topic.in_(topics),
                )
            )
        }
        totals = []
        moves: dict[tuple[str, str, str, int], int] = {}
        for entry in entries:
            for period, key, t in boards:
                totals.append(
                    {
                        "community_id": community_id,
                        "period": period,
                        "period_key": key,
                        "topic": t,
                        "member_id": entry.member_id,
                        "points": entry.points,
                        "answered": entry.answered,
                        "correct": entry.correct,
                    }
                )
                old = before.get((period, key, t, entry.member_id))
                new = (old or 0) + entry.points
                before[(period, key, t, entry.member_id)] = new
                if old is not None:
                    moves[(period, key, t, old)] = moves.get((period, key, t, old), 0) - 1
                moves[(period, key, t, new)] = moves.get((period, key, t, new), 0) + 1
        stmt = self.insert(score_totals)
        stmt = stmt.on_conflict_do_update(
            index_elements=["community_id", "period", "period_key", "topic", "member_id"],
            set_={
                "points": score_totals.c.points + stmt.excluded.points,
                "answered": score_totals.c.answered + stmt.excluded.answered,
                "correct": score_totals.c.correct + stmt.excluded.correct,
            },
        )
        await self.conn.execute(stmt, totals)
        changes = [
            {
                "community_id": community_id,
                "period": period,
                "period_key": key,
                "topic": t,
                "points": points,
                "members": delta,
            }
            for (period, key, t, points), delta in moves.items()
            if delta
        ]
        if changes:
            counts = self.insert(score_counts)
            counts = counts.on_conflict_do_update(
                index_elements=["community_id", "period", "period_key", "topic", "points"],
                set_={"members": score_counts.c.members + counts.excluded.members},
            )
            await self.conn.execute(counts, changes)

    async def board(
        self,
        community_id: int,
        period: str,
        period_key: str,
        topic: str,
        member_id: int | None,
        limit: int = 10,
    ) -> tuple[list[BoardRow], tuple[int, BoardRow] | None, int]:
        """Ties share a rank; within a tie, earlier members come first."""
        scope = and_(
            score_totals.c.community_id == community_id,
            score_totals.c.period == period,
            score_totals.c.period_key == period_key,
            score_totals.c.topic == topic,
        )
        count_scope = and_(
            score_counts.c.community_id == community_id,
            score_counts.c.period == period,
            score_counts.c.period_key == period_key,
            score_counts.c.topic == topic,
        )
        columns = (
            score_totals.c.member_id,
            members.c.display_name,
            score_totals.c.points,
            score_totals.c.answered,
            score_totals.c.correct,
        )
        ranked = func.coalesce(func.sum(score_counts.c.members), 0)
        total_q = select(ranked).where(count_scope).scalar_subquery()
        mine_q = (
            select(*columns)
            .join(members, members.c.id == score_totals.c.member_id)
            .where(scope, score_totals.c.member_id == (member_id or 0))
            .subquery()
        )
        above_q = (
            select(ranked)
            .where(count_scope, score_counts.c.points > mine_q.c.points)
            .scalar_subquery()
        )
        # one round trip for the member's row, their rank and the board's size; an outer join
        # keeps the total when the member has no row yet
        anchor = select(literal(1).label("one")).subquery()
        me_and_total = select(total_q, above_q, *mine_q.c).select_from(
            anchor.outerjoin(mine_q, literal(True))
        )
        top = (
            await self.conn.execute(
                select(*columns)
                .join(members, members.c.id == score_totals.c.member_id)
                .where(scope)
                .order_by(score_totals.c.points.desc(), score_totals.c.member_id)
                .limit(limit)
            )
        ).all()
        total, above, *row = (await self.conn.execute(me_and_total)).one()
        mine = None
        if member_id is not None and row[0] is not None:
            mine = (int(above) + 1, BoardRow(*row))
        return [BoardRow(*r) for r in top], mine, int(total)

    async def coverage(self, community_id: int) -> list[TopicCoverage]:
        rows = await self.conn.execute(
            select(
                score_totals.c.topic,
                func.count().label("members"),
                func.sum(score_totals.c.answered).label("answered"),
                func.sum(score_totals.c.correct).label("correct"),
            )
            .where(
                score_totals.c.community_id == community_id,
                score_totals.c.period == "all",
                score_totals.c.topic != "",
            )
            .group_by(score_totals.c.topic)
            .order_by(score_totals.c.topic)
        )
        return [
            TopicCoverage(r.topic, int(r.members), int(r.answered or 0), int(r.correct or 0))
            for r in rows
        ]
