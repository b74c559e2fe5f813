"""A member's own data, counted and erased in one transaction.

Erasing must leave every leaderboard consistent: `score_counts` (how many members hold each
score on a board) is maintained alongside `score_totals`, so each of the member's totals is
taken out of its board's histogram before the cascade deletes the totals themselves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, func, select, update

from bot.domain.privacy import StoredData, contact_only
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import (
    answers,
    communities,
    member_ratings,
    member_stats,
    members,
    mock_feedback,
    pairing_assignments,
    pairing_profiles,
    pairing_rounds,
    practice_sessions,
    review_cards,
    review_days,
    review_reminders,
    score_counts,
    score_totals,
)


class SqlPrivacyRepository(SqlRepository):
    async def held(self, community_id: int, user_id: str) -> StoredData | None:
        contact = (
            await self.conn.execute(
                select(communities.c.contact_user_id).where(communities.c.id == community_id)
            )
        ).scalar_one_or_none() == user_id
        member = (
            await self.conn.execute(
                select(members).where(
                    members.c.community_id == community_id, members.c.user_id == user_id
                )
            )
        ).one_or_none()
        if member is None:
            return contact_only("") if contact else None
        member_id = member.id
        all_time = (
            await self.conn.execute(
                select(score_totals.c.points).where(
                    score_totals.c.member_id == member_id,
                    score_totals.c.period == "all",
                    score_totals.c.topic == "",
                )
            )
        ).scalar_one_or_none()
        best = (
            await self.conn.execute(
                select(member_stats.c.streak_best).where(member_stats.c.member_id == member_id)
            )
        ).scalar_one_or_none()
        feedback = (
            select(func.count(mock_feedback.c.id))
            .join(pairing_assignments, pairing_assignments.c.id == mock_feedback.c.assignment_id)
            .where(pairing_assignments.c.member_id == member_id)
        )
        return StoredData(
            member_id=member_id,
            display_name=member.display_name,
            timezone=member.timezone,
            daily_answers=await self._count(answers.c.id, answers.c.member_id == member_id),
            practice_sessions=await self._count(
                practice_sessions.c.id, practice_sessions.c.member_id == member_id
            ),
            board_rows=await self._count(
                score_totals.c.points, score_totals.c.member_id == member_id
            ),
            all_time_points=all_time or 0,
            streak_best=best or 0,
            pairing_profile=await self._count(
                pairing_profiles.c.member_id, pairing_profiles.c.member_id == member_id
            )
            > 0,
            mock_rounds=await self._count(
                pairing_assignments.c.id, pairing_assignments.c.member_id == member_id
            ),
            feedback_given=int((await self.conn.execute(feedback)).scalar_one()),
            setup_contact=contact,
            review_cards=await self._count(
                review_cards.c.id, review_cards.c.member_id == member_id
            ),
            review_nudge=await self._count(
                review_reminders.c.member_id, review_reminders.c.member_id == member_id
            )
            > 0,
            review_days=await self._count(review_days.c.day, review_days.c.member_id == member_id),
            practice_rating=await self._count(
                member_ratings.c.member_id, member_ratings.c.member_id == member_id
            )
            > 0,
        )

    async def _count(self, column: ColumnElement[Any], *where: ColumnElement[bool]) -> int:
        query = select(func.count(column)).where(*where)
        return int((await self.conn.execute(query)).scalar_one())

    async def erase(self, community_id: int, user_id: str) -> StoredData | None:
        held = await self.held(community_id, user_id)
        if held is None:
            return None
        if held.setup_contact:
            await self.conn.execute(
                update(communities)
                .where(communities.c.id == community_id)
                .values(contact_user_id=None)
            )
        if held.member_id is not None:
            await self._erase_member(community_id, held.member_id)
        return held

    async def _erase_member(self, community_id: int, member_id: int) -> None:
        totals = (
            await self.conn.execute(
                select(
                    score_totals.c.period,
                    score_totals.c.period_key,
                    score_totals.c.topic,
                    score_totals.c.points,
                ).where(score_totals.c.member_id == member_id)
            )
        ).all()
        if totals:
            board = and_(
                score_counts.c.community_id == community_id,
                score_counts.c.period == bindparam("b_period"),
                score_counts.c.period_key == bindparam("b_key"),
                score_counts.c.topic == bindparam("b_topic"),
                score_counts.c.points == bindparam("b_points"),
            )
            await self.conn.execute(
                update(score_counts).where(board).values(members=score_counts.c.members - 1),
                [
                    {
                        "b_period": t.period,
                        "b_key": t.period_key,
                        "b_topic": t.topic,
                        "b_points": t.points,
                    }
                    for t in totals
                ],
            )
            await self.conn.execute(
                delete(score_counts).where(
                    score_counts.c.community_id == community_id, score_counts.c.members <= 0
                )
            )
        await self.conn.execute(
            update(pairing_rounds)
            .where(pairing_rounds.c.odd_member_id == member_id)
            .values(odd_member_id=None)
        )
        # answers, streaks, totals, practice, review cards, the pairing profile, assignments
        # and the feedback written on them go with the member (ON DELETE CASCADE)
        await self.conn.execute(delete(members).where(members.c.id == member_id))
