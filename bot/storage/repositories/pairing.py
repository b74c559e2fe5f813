"""Mock interviews: who takes part, the rounds, who meets whom, check-ins and feedback."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select, update

from bot.domain.mock_interviews import (
    Assignment,
    DueCheckin,
    GroupSeat,
    Profile,
    RoundRef,
    RoundStats,
    SeenQuestions,
    UnintroducedRound,
)
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import (
    answers,
    members,
    mock_feedback,
    pairing_assignments,
    pairing_profiles,
    pairing_rounds,
    posts,
    practice_sessions,
)

STAMPS = {"intro_sent_at", "checkin_sent_at"}


class SqlPairingRepository(SqlRepository):
    async def save_profile(
        self, community_id: int, member_id: int, now: datetime, **values: Any
    ) -> None:
        row = {
            "member_id": member_id,
            "community_id": community_id,
            "updated_at": now,
            "active": True,
            "pause_rounds": 0,
            **values,
        }
        stmt = self.insert(pairing_profiles).values(**row)
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["member_id"],
                set_={k: stmt.excluded[k] for k in row if k != "member_id"},
            )
        )

    async def update_profile(self, member_id: int, **values: Any) -> bool:
        result = await self.conn.execute(
            update(pairing_profiles)
            .where(pairing_profiles.c.member_id == member_id)
            .values(**values)
            .returning(pairing_profiles.c.member_id)
        )
        return result.first() is not None

    async def profiles(self, community_id: int, *, member_id: int | None = None) -> list[Profile]:
        query = (
            select(pairing_profiles, members.c.user_id, members.c.display_name)
            .join(members, members.c.id == pairing_profiles.c.member_id)
            .where(pairing_profiles.c.community_id == community_id)
            .order_by(pairing_profiles.c.member_id)
        )
        if member_id is not None:
            query = query.where(pairing_profiles.c.member_id == member_id)
        return [
            Profile(
                r.member_id,
                r.user_id,
                r.display_name,
                r.availability,
                r.timezone,
                r.role,
                r.level,
                r.active,
                r.pause_rounds,
            )
            for r in await self.conn.execute(query)
        ]

    async def recent_rounds(
        self, community_id: int, rounds: int
    ) -> list[tuple[int, str, int | None]]:
        rows = await self.conn.execute(
            select(pairing_rounds.c.id, pairing_rounds.c.run_key, pairing_rounds.c.odd_member_id)
            .where(pairing_rounds.c.community_id == community_id)
            .order_by(pairing_rounds.c.id.desc())
            .limit(rounds)
        )
        return [(r.id, r.run_key, r.odd_member_id) for r in rows]

    async def seats(self, round_ids: Sequence[int]) -> list[GroupSeat]:
        if not round_ids:
            return []
        rows = await self.conn.execute(
            select(
                pairing_assignments.c.round_id,
                pairing_assignments.c.group_no,
                pairing_assignments.c.member_id,
                pairing_assignments.c.checkin,
            ).where(pairing_assignments.c.round_id.in_(list(round_ids)))
        )
        return [GroupSeat(r.round_id, r.group_no, r.member_id, r.checkin) for r in rows]

    async def claim_round(
        self, community_id: int, run_key: str, monday: date, seed: int, now: datetime
    ) -> int | None:
        row = {
            "community_id": community_id,
            "run_key": run_key,
            "week_monday": monday,
            "seed": seed,
            "created_at": now,
        }
        return await self.insert_once(pairing_rounds, row, ["community_id", "run_key"])

    async def save_round(
        self,
        round_id: int,
        rows: list[dict[str, Any]],
        odd_member_id: int | None,
        paused: list[int],
    ) -> None:
        if rows:
            await self.conn.execute(
                pairing_assignments.insert(), [{"round_id": round_id, **row} for row in rows]
            )
        await self.conn.execute(
            update(pairing_rounds)
            .where(pairing_rounds.c.id == round_id)
            .values(odd_member_id=odd_member_id)
        )
        if paused:
            await self.conn.execute(
                update(pairing_profiles)
                .where(pairing_profiles.c.member_id.in_(paused))
                .values(pause_rounds=pairing_profiles.c.pause_rounds - 1)
            )

    async def _assignments(self, *where: Any) -> list[Assignment]:
        rows = await self.conn.execute(
            select(pairing_assignments, members.c.user_id, members.c.display_name)
            .join(members, members.c.id == pairing_assignments.c.member_id)
            .where(*where)
            .order_by(pairing_assignments.c.group_no, pairing_assignments.c.id)
        )
        return [
            Assignment(
                r.id,
                r.round_id,
                r.group_no,
                r.member_id,
                r.user_id,
                r.display_name,
                r.interviews_first,
                r.question_id,
                r.shared_slots,
                r.intro_sent_at is not None,
            )
            for r in rows
        ]

    async def assignments(self, round_id: int) -> list[Assignment]:
        return await self._assignments(pairing_assignments.c.round_id == round_id)

    async def assignment(self, assignment_id: int) -> Assignment | None:
        found = await self._assignments(pairing_assignments.c.id == assignment_id)
        return found[0] if found else None

    async def latest_round(self, community_id: int) -> RoundRef | None:
        row = (
            await self.conn.execute(
                select(pairing_rounds.c.id, pairing_rounds.c.run_key, pairing_rounds.c.week_monday)
                .where(pairing_rounds.c.community_id == community_id)
                .order_by(pairing_rounds.c.id.desc())
                .limit(1)
            )
        ).one_or_none()
        return None if row is None else RoundRef(row.id, row.run_key, row.week_monday)

    async def rounds_of(self, member_id: int) -> int:
        count = await self.conn.execute(
            select(func.count())
            .select_from(pairing_assignments)
            .where(pairing_assignments.c.member_id == member_id)
        )
        return int(count.scalar_one())

    async def stamp_once(self, assignment_id: int, column: str, now: datetime) -> bool:
        if column not in STAMPS:
            raise ValueError(f"{column} is not a once-only stamp of an assignment")
        return await self.stamp_row(pairing_assignments, assignment_id, column, now)

    async def due_checkins(self, before: datetime) -> list[DueCheckin]:
        rows = await self.conn.execute(
            select(
                pairing_assignments.c.id,
                pairing_rounds.c.community_id,
                members.c.user_id,
                pairing_rounds.c.created_at,
            )
            .join(pairing_rounds, pairing_rounds.c.id == pairing_assignments.c.round_id)
            .join(members, members.c.id == pairing_assignments.c.member_id)
            .where(
                pairing_rounds.c.created_at <= before,
                pairing_assignments.c.checkin_sent_at.is_(None),
            )
            .order_by(pairing_assignments.c.id)
        )
        return [DueCheckin(r.id, r.community_id, r.user_id, r.created_at) for r in rows]

    async def unintroduced_rounds(
        self, made_after: datetime, made_before: datetime
    ) -> list[UnintroducedRound]:
        rows = await self.conn.execute(
            select(
                pairing_rounds.c.id,
                pairing_rounds.c.community_id,
                pairing_rounds.c.run_key,
                pairing_rounds.c.week_monday,
            )
            .where(
                pairing_rounds.c.created_at > made_after,
                pairing_rounds.c.created_at <= made_before,
                select(pairing_assignments.c.id)
                .where(
                    pairing_assignments.c.round_id == pairing_rounds.c.id,
                    pairing_assignments.c.intro_sent_at.is_(None),
                )
                .exists(),
            )
            .order_by(pairing_rounds.c.id)
        )
        return [
            UnintroducedRound(r.community_id, RoundRef(r.id, r.run_key, r.week_monday))
            for r in rows
        ]

    async def record_checkin(
        self, assignment_id: int, member_id: int, answer: str
    ) -> tuple[bool, str | None]:
        mine = and_(
            pairing_assignments.c.id == assignment_id,
            pairing_assignments.c.member_id == member_id,
        )
        done = await self.conn.execute(
            update(pairing_assignments)
            .where(mine, pairing_assignments.c.checkin.is_(None))
            .values(checkin=answer)
            .returning(pairing_assignments.c.id)
        )
        if done.first() is not None:
            return True, answer
        current = (
            await self.conn.execute(select(pairing_assignments.c.checkin).where(mine))
        ).one_or_none()
        return False, None if current is None else current.checkin

    async def save_feedback(
        self, assignment_id: int, ratings: dict[str, int], text: str, now: datetime
    ) -> bool:
        row = {"assignment_id": assignment_id, "ratings": ratings, "text": text, "created_at": now}
        return await self.insert_once(mock_feedback, row, ["assignment_id"]) is not None

    async def round_stats(self, community_id: int, rounds: int) -> list[RoundStats]:
        recent = await self.recent_rounds(community_id, rounds)
        ids = [round_id for round_id, _, _ in recent]
        seats = await self.seats(ids)
        given: dict[int, int] = {}
        if ids:
            rows = await self.conn.execute(
                select(pairing_assignments.c.round_id, func.count())
                .join(mock_feedback, mock_feedback.c.assignment_id == pairing_assignments.c.id)
                .where(pairing_assignments.c.round_id.in_(ids))
                .group_by(pairing_assignments.c.round_id)
            )
            given = {round_id: int(count) for round_id, count in rows}
        stats = []
        for round_id, run_key, _ in recent:
            mine = [s for s in seats if s.round_id == round_id]
            checkins: dict[str, int] = {}
            for seat in mine:
                if seat.checkin:
                    checkins[seat.checkin] = checkins.get(seat.checkin, 0) + 1
            groups = len({s.group_no for s in mine})
            stats.append(RoundStats(run_key, len(mine), groups, checkins, given.get(round_id, 0)))
        return stats

    async def seen_questions(self, member_ids: Sequence[int]) -> dict[int, SeenQuestions]:
        ids = list(member_ids)
        if not ids:
            return {}
        daily: dict[int, set[str]] = {m: set() for m in ids}
        answered: dict[int, set[str]] = {m: set() for m in ids}
        met: dict[int, set[str]] = {m: set() for m in ids}
        for r in await self.conn.execute(
            select(answers.c.member_id, posts.c.question_id)
            .join(posts, posts.c.id == answers.c.post_id)
            .where(answers.c.member_id.in_(ids))
        ):
            daily[r.member_id].add(r.question_id)
        for r in await self.conn.execute(
            select(practice_sessions.c.member_id, practice_sessions.c.question_id).where(
                practice_sessions.c.member_id.in_(ids)
            )
        ):
            answered[r.member_id].add(r.question_id)
        mine = (
            select(
                pairing_assignments.c.member_id,
                pairing_assignments.c.round_id,
                pairing_assignments.c.group_no,
            )
            .where(pairing_assignments.c.member_id.in_(ids))
            .subquery()
        )
        for r in await self.conn.execute(
            select(mine.c.member_id, pairing_assignments.c.question_id)
            .join(
                mine,
                and_(
                    mine.c.round_id == pairing_assignments.c.round_id,
                    mine.c.group_no == pairing_assignments.c.group_no,
                ),
            )
            .where(pairing_assignments.c.member_id != mine.c.member_id)
        ):
            if r.question_id is not None:
                met[r.member_id].add(r.question_id)
        return {
            m: SeenQuestions(frozenset(daily[m] | met[m]), frozenset(daily[m] | answered[m]))
            for m in ids
        }
