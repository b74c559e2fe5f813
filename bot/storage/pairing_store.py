"""Storage for mock interviews: who takes part, rounds, and who meets whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.engine import Database
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


@dataclass(frozen=True)
class Profile:
    member_id: int
    user_id: str
    display_name: str
    availability: str
    timezone: str
    role: str | None
    level: str | None
    active: bool
    pause_rounds: int


@dataclass(frozen=True)
class Assignment:
    id: int
    round_id: int
    group_no: int
    member_id: int
    user_id: str
    display_name: str
    interviews_first: bool
    question_id: str | None
    shared_slots: int
    intro_sent: bool


class SqlPairingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _insert(self, table: Any) -> Any:
        return self.db.insert(table)

    async def save_profile(
        self, community_id: int, member_id: int, now: datetime, **values: Any
    ) -> None:
        async def work(conn: AsyncConnection) -> None:
            row = {
                "member_id": member_id,
                "community_id": community_id,
                "updated_at": now,
                "active": True,
                "pause_rounds": 0,
                **values,
            }
            stmt = self._insert(pairing_profiles).values(**row)
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["member_id"],
                    set_={k: stmt.excluded[k] for k in row if k != "member_id"},
                )
            )

        await self.db.transact(work)

    async def update_profile(self, member_id: int, **values: Any) -> bool:
        async def work(conn: AsyncConnection) -> bool:
            result = await conn.execute(
                update(pairing_profiles)
                .where(pairing_profiles.c.member_id == member_id)
                .values(**values)
                .returning(pairing_profiles.c.member_id)
            )
            return result.first() is not None

        return await self.db.transact(work)

    async def profiles(self, community_id: int, *, member_id: int | None = None) -> list[Profile]:
        query = (
            select(pairing_profiles, members.c.user_id, members.c.display_name)
            .join(members, members.c.id == pairing_profiles.c.member_id)
            .where(pairing_profiles.c.community_id == community_id)
            .order_by(pairing_profiles.c.member_id)
        )
        if member_id is not None:
            query = query.where(pairing_profiles.c.member_id == member_id)
        async with self.db.reading() as conn:
            rows = (await conn.execute(query)).all()
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
            for r in rows
        ]

    @staticmethod
    async def _recent_rounds(conn: AsyncConnection, community_id: int, rounds: int) -> list[Any]:
        """The community's last `rounds` rounds, newest first."""
        return list(
            (
                await conn.execute(
                    select(
                        pairing_rounds.c.id,
                        pairing_rounds.c.run_key,
                        pairing_rounds.c.odd_member_id,
                    )
                    .where(pairing_rounds.c.community_id == community_id)
                    .order_by(pairing_rounds.c.id.desc())
                    .limit(rounds)
                )
            ).all()
        )

    async def history(
        self, community_id: int, rounds: int
    ) -> tuple[dict[int, dict[int, int]], int | None]:
        """Partners met in the last `rounds` rounds (member -> partner -> rounds ago) and who
        was the odd one out last round."""
        async with self.db.reading() as conn:
            recent = await self._recent_rounds(conn, community_id, rounds)
            ago = {r.id: i + 1 for i, r in enumerate(recent)}
            rows = (
                await conn.execute(
                    select(
                        pairing_assignments.c.round_id,
                        pairing_assignments.c.group_no,
                        pairing_assignments.c.member_id,
                    ).where(pairing_assignments.c.round_id.in_(list(ago)))
                )
            ).all()
        groups: dict[tuple[int, int], list[int]] = {}
        for r in rows:
            groups.setdefault((r.round_id, r.group_no), []).append(r.member_id)
        met: dict[int, dict[int, int]] = {}
        for (round_id, _), group in groups.items():
            for a in group:
                for b in group:
                    if a != b:
                        seen = met.setdefault(a, {})
                        seen[b] = min(seen.get(b, 99), ago[round_id])
        return met, (recent[0].odd_member_id if recent else None)

    async def claim_round(
        self, community_id: int, run_key: str, monday: date, seed: int, now: datetime
    ) -> int | None:
        """The round for `run_key`; None when another process already made it."""

        async def work(conn: AsyncConnection) -> int | None:
            stmt = (
                self._insert(pairing_rounds)
                .values(
                    community_id=community_id,
                    run_key=run_key,
                    week_monday=monday,
                    seed=seed,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["community_id", "run_key"])
                .returning(pairing_rounds.c.id)
            )
            return (await conn.execute(stmt)).scalar_one_or_none()

        return await self.db.transact(work)

    async def save_round(
        self,
        round_id: int,
        rows: list[dict[str, Any]],
        odd_member_id: int | None,
        paused: list[int],
    ) -> None:
        async def work(conn: AsyncConnection) -> None:
            if rows:
                await conn.execute(
                    pairing_assignments.insert(), [{"round_id": round_id, **row} for row in rows]
                )
            await conn.execute(
                update(pairing_rounds)
                .where(pairing_rounds.c.id == round_id)
                .values(odd_member_id=odd_member_id)
            )
            if paused:
                await conn.execute(
                    update(pairing_profiles)
                    .where(pairing_profiles.c.member_id.in_(paused))
                    .values(pause_rounds=pairing_profiles.c.pause_rounds - 1)
                )

        await self.db.transact(work)

    async def assignments(self, round_id: int) -> list[Assignment]:
        async with self.db.reading() as conn:
            rows = (
                await conn.execute(
                    select(pairing_assignments, members.c.user_id, members.c.display_name)
                    .join(members, members.c.id == pairing_assignments.c.member_id)
                    .where(pairing_assignments.c.round_id == round_id)
                    .order_by(pairing_assignments.c.group_no, pairing_assignments.c.id)
                )
            ).all()
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

    async def latest_round(self, community_id: int) -> tuple[int, str, date] | None:
        async with self.db.reading() as conn:
            row = (
                await conn.execute(
                    select(
                        pairing_rounds.c.id, pairing_rounds.c.run_key, pairing_rounds.c.week_monday
                    )
                    .where(pairing_rounds.c.community_id == community_id)
                    .order_by(pairing_rounds.c.id.desc())
                    .limit(1)
                )
            ).one_or_none()
        return None if row is None else (row.id, row.run_key, row.week_monday)

    async def rounds_of(self, member_id: int) -> int:
        async with self.db.reading() as conn:
            rows = await conn.execute(
                select(pairing_assignments.c.id).where(pairing_assignments.c.member_id == member_id)
            )
            return len(rows.all())

    async def claim_intro(self, assignment_id: int, now: datetime) -> bool:
        """True once per assignment: the introduction and packet go out exactly once."""
        return await self._stamp_once(assignment_id, "intro_sent_at", now)

    async def _stamp_once(self, assignment_id: int, column: str, now: datetime) -> bool:
        """Set a timestamp column that is still empty; True for exactly one caller."""
        stamp = pairing_assignments.c[column]

        async def work(conn: AsyncConnection) -> bool:
            result = await conn.execute(
                update(pairing_assignments)
                .where(and_(pairing_assignments.c.id == assignment_id, stamp.is_(None)))
                .values({column: now})
                .returning(pairing_assignments.c.id)
            )
            return result.first() is not None

        return await self.db.transact(work)

    async def due_checkins(self, before: datetime) -> list[tuple[int, int, str, datetime]]:
        """(assignment, community, user id, round made at) of members whose round was made
        before `before` and who have not been asked whether they met."""
        async with self.db.reading() as conn:
            rows = await conn.execute(
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
            return [(r.id, r.community_id, r.user_id, r.created_at) for r in rows]

    async def claim_checkin(self, assignment_id: int, now: datetime) -> bool:
        return await self._stamp_once(assignment_id, "checkin_sent_at", now)

    async def record_checkin(
        self, assignment_id: int, member_id: int, answer: str
    ) -> tuple[bool, str | None]:
        """(recorded now, the answer on record); only the member's own assignment, once."""

        async def work(conn: AsyncConnection) -> tuple[bool, str | None]:
            done = await conn.execute(
                update(pairing_assignments)
                .where(
                    and_(
                        pairing_assignments.c.id == assignment_id,
                        pairing_assignments.c.member_id == member_id,
                        pairing_assignments.c.checkin.is_(None),
                    )
                )
                .values(checkin=answer)
                .returning(pairing_assignments.c.id)
            )
            if done.first() is not None:
                return True, answer
            current = (
                await conn.execute(
                    select(pairing_assignments.c.checkin).where(
                        pairing_assignments.c.id == assignment_id,
                        pairing_assignments.c.member_id == member_id,
                    )
                )
            ).one_or_none()
            return False, None if current is None else current.checkin

        return await self.db.transact(work)

    async def no_shows(self, community_id: int, rounds: int) -> dict[int, int]:
        """How often, in the last `rounds` rounds, a partner reported the member missing."""
        async with self.db.reading() as conn:
            recent = [r.id for r in await self._recent_rounds(conn, community_id, rounds)]
            rows = (
                await conn.execute(
                    select(
                        pairing_assignments.c.round_id,
                        pairing_assignments.c.group_no,
                        pairing_assignments.c.member_id,
                        pairing_assignments.c.checkin,
                    ).where(pairing_assignments.c.round_id.in_(recent))
                )
            ).all()
        groups: dict[tuple[int, int], list[Any]] = {}
        for r in rows:
            groups.setdefault((r.round_id, r.group_no), []).append(r)
        counts: dict[int, int] = {}
        for group in groups.values():
            reported = [r for r in group if r.checkin == "no_show"]
            for row in group:
                if any(r.member_id != row.member_id for r in reported):
                    counts[row.member_id] = counts.get(row.member_id, 0) + 1
        return counts

    async def assignment(self, assignment_id: int) -> Assignment | None:
        async with self.db.reading() as conn:
            row = (
                await conn.execute(
                    select(pairing_assignments.c.round_id).where(
                        pairing_assignments.c.id == assignment_id
                    )
                )
            ).one_or_none()
        if row is None:
            return None
        return next(
            (a for a in await self.assignments(row.round_id) if a.id == assignment_id), None
        )

    async def checkin_of(self, assignment_id: int) -> str | None:
        async with self.db.reading() as conn:
            return (
                await conn.execute(
                    select(pairing_assignments.c.checkin).where(
                        pairing_assignments.c.id == assignment_id
                    )
                )
            ).scalar_one_or_none()

    async def save_feedback(
        self, assignment_id: int, ratings: dict[str, int], text: str, now: datetime
    ) -> bool:
        """False when this member already gave feedback for this round."""

        async def work(conn: AsyncConnection) -> bool:
            stmt = (
                self._insert(mock_feedback)
                .values(assignment_id=assignment_id, ratings=ratings, text=text, created_at=now)
                .on_conflict_do_nothing(index_elements=["assignment_id"])
                .returning(mock_feedback.c.id)
            )
            return (await conn.execute(stmt)).first() is not None

        return await self.db.transact(work)

    async def round_stats(self, community_id: int, rounds: int) -> list[dict[str, Any]]:
        """Per recent round: members, groups, check-in answers and feedback given."""
        async with self.db.reading() as conn:
            recent = await self._recent_rounds(conn, community_id, rounds)
            stats = []
            for r in recent:
                rows = (
                    await conn.execute(
                        select(
                            pairing_assignments.c.id,
                            pairing_assignments.c.group_no,
                            pairing_assignments.c.checkin,
                        ).where(pairing_assignments.c.round_id == r.id)
                    )
                ).all()
                given = (
                    await conn.execute(
                        select(mock_feedback.c.id)
                        .join(
                            pairing_assignments,
                            pairing_assignments.c.id == mock_feedback.c.assignment_id,
                        )
                        .where(pairing_assignments.c.round_id == r.id)
                    )
                ).all()
                answers_given: dict[str, int] = {}
                for row in rows:
                    if row.checkin:
                        answers_given[row.checkin] = answers_given.get(row.checkin, 0) + 1
                stats.append(
                    {
                        "round": r.run_key,
                        "members": len(rows),
                        "groups": len({row.group_no for row in rows}),
                        "checkins": answers_given,
                        "feedback": len(given),
                    }
                )
        return stats

    async def seen_questions(self, member_id: int) -> tuple[set[str], set[str]]:
        """Questions the member met as a candidate or in the daily channel, and questions the
        member has answered (daily or practice)."""
        async with self.db.reading() as conn:
            daily = {
                r.question_id
                for r in await conn.execute(
                    select(posts.c.question_id)
                    .join(answers, answers.c.post_id == posts.c.id)
                    .where(answers.c.member_id == member_id)
                )
            }
            practiced = {
                r.question_id
                for r in await conn.execute(
                    select(practice_sessions.c.question_id).where(
                        practice_sessions.c.member_id == member_id
                    )
                )
            }
            mine = (
                select(pairing_assignments.c.round_id, pairing_assignments.c.group_no)
                .where(pairing_assignments.c.member_id == member_id)
                .subquery()
            )
            as_candidate = {
                r.question_id
                for r in await conn.execute(
                    select(pairing_assignments.c.question_id)
                    .join(
                        mine,
                        and_(
                            mine.c.round_id == pairing_assignments.c.round_id,
                            mine.c.group_no == pairing_assignments.c.group_no,
                        ),
                    )
                    .where(pairing_assignments.c.member_id != member_id)
                )
            }
        seen = daily | as_candidate
        seen.discard(None)
        return seen, daily | practiced
