"""Elo standings of questions (global) and members (per community member).

Every write is additive in SQL (`rating = rating + delta`, `games = games + n`), never a value
computed in Python from an earlier read: on PostgreSQL two units of work that grade the same
question at once (two communities closing their daily post) take the row lock in turn, and the
second adds its delta to the first's committed rating instead of overwriting it. On SQLite the
single writer serialises them anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from bot.domain.ratings import Change, Standing
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import member_ratings, question_ratings, review_cards


class SqlRatingRepository(SqlRepository):
    async def questions(self, question_ids: Sequence[str]) -> dict[str, Standing]:
        if not question_ids:
            return {}
        rows = await self.conn.execute(
            select(question_ratings).where(question_ratings.c.question_id.in_(list(question_ids)))
        )
        return {r.question_id: Standing(r.rating, r.games, r.credit) for r in rows}

    async def members(self, member_ids: Sequence[int]) -> dict[int, Standing]:
        if not member_ids:
            return {}
        rows = await self.conn.execute(
            select(member_ratings).where(member_ratings.c.member_id.in_(list(member_ids)))
        )
        return {r.member_id: Standing(r.rating, r.games) for r in rows}

    async def add_question(self, question_id: str, start: float, change: Change) -> None:
        if not change.games:
            return
        stmt = self.insert(question_ratings).values(
            question_id=question_id,
            rating=start + change.delta,
            games=change.games,
            credit=change.credit,
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["question_id"],
                set_={
                    "rating": question_ratings.c.rating + change.delta,
                    "games": question_ratings.c.games + change.games,
                    "credit": question_ratings.c.credit + change.credit,
                },
            )
        )

    async def add_members(self, start: float, changes: dict[int, Change]) -> None:
        """One multi-row upsert; a new row holds `start + delta`, so on conflict
        `excluded.rating - start` is that member's delta."""
        played = {m: c for m, c in changes.items() if c.games}
        if not played:
            return
        stmt = self.insert(member_ratings).values(
            [
                {"member_id": m, "rating": start + c.delta, "games": c.games}
                for m, c in sorted(played.items())
            ]
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["member_id"],
                set_={
                    "rating": member_ratings.c.rating + (stmt.excluded.rating - start),
                    "games": member_ratings.c.games + stmt.excluded.games,
                },
            )
        )

    async def played(self, min_games: int) -> dict[str, Standing]:
        rows = await self.conn.execute(
            select(question_ratings).where(question_ratings.c.games >= min_games)
        )
        return {r.question_id: Standing(r.rating, r.games, r.credit) for r in rows}

    async def answered(self, member_id: int) -> dict[str, tuple[int, int]]:
        rows = await self.conn.execute(
            select(
                review_cards.c.question_id,
                func.sum(review_cards.c.reviews).label("answers"),
                func.sum(review_cards.c.lapses).label("misses"),
            )
            .where(review_cards.c.member_id == member_id)
            .group_by(review_cards.c.question_id)
        )
        return {r.question_id: (int(r.answers), int(r.misses)) for r in rows}
