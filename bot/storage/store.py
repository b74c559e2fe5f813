"""Everything the services read and write, as short transactions on SQLAlchemy Core.

Each public method is one transaction (retried on a busy database) and speaks in domain
records. No method touches the chat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, literal, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.community import Community, CommunitySettings
from bot.domain.grading import grade_choice, grade_text
from bot.domain.posts import (
    AnswerOutcome,
    GradedAnswer,
    Outcome,
    PendingAnswer,
    Post,
    PostStatus,
    RevealFacts,
)
from bot.domain.questions import Kind, Question
from bot.domain.scoring import period_keys
from bot.domain.streaks import Streak
from bot.storage.engine import Database
from bot.storage.tables import (
    answers,
    claims,
    communities,
    member_stats,
    members,
    posts,
    practice_sessions,
    score_counts,
    score_totals,
)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class MemberRecord:
    id: int
    community_id: int
    user_id: str
    display_name: str
    timezone: str | None


@dataclass(frozen=True)
class BoardRow:
    member_id: int
    name: str
    points: int
    answered: int
    correct: int


@dataclass(frozen=True)
class PracticeRecord:
    id: int
    member_id: int
    question: Question
    hints_shown: int
    model_shown: bool
    answered_at: datetime | None


class SqlStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Member ids never change once made, so the answer path looks them up here first.
        self._members: dict[tuple[int, str], MemberRecord] = {}

    def _insert(self, table: Any) -> Any:
        return self.db.insert(table)

    # communities -------------------------------------------------------------------------

    @staticmethod
    def _community(row: Any) -> Community:
        hour, minute = (int(x) for x in row.post_time.split(":"))
        settings = CommunitySettings(
            channel_id=row.channel_id,
            post_time=time(hour, minute),
            timezone=row.timezone,
            answer_window_minutes=row.answer_window_minutes,
            topics=tuple(row.topics),
            kinds=tuple(Kind(k) for k in row.kinds),
            difficulty_mix={int(k): int(v) for k, v in row.difficulty_mix.items()},
            packs=tuple(row.packs),
            admin_user_ids=tuple(row.admin_user_ids),
            paused=row.paused,
            pair_day=row.pair_day,
            pair_time=time(int(row.pair_time[:2]), int(row.pair_time[3:5])),
            checkin_days=row.checkin_days,
        )
        return Community(row.id, row.platform, row.workspace_id, row.name, settings)

    @staticmethod
    def _settings_values(settings: CommunitySettings) -> dict[str, Any]:
        return {
            "channel_id": settings.channel_id,
            "post_time": settings.post_time.strftime("%H:%M"),
            "timezone": settings.timezone,
            "answer_window_minutes": settings.answer_window_minutes,
            "topics": list(settings.topics),
            "kinds": [k.value for k in settings.kinds],
            "difficulty_mix": {str(k): v for k, v in settings.difficulty_mix.items()},
            "packs": list(settings.packs),
            "admin_user_ids": list(settings.admin_user_ids),
            "paused": settings.paused,
            "pair_day": settings.pair_day,
            "pair_time": settings.pair_time.strftime("%H:%M"),
            "checkin_days": settings.checkin_days,
        }

    async def ensure_community(
        self, platform: str, workspace_id: str, name: str, defaults: CommunitySettings
    ) -> Community:
        async def work(conn: AsyncConnection) -> Community:
            now = _now()
            stmt = (
                self._insert(communities)
                .values(
                    platform=platform,
                    workspace_id=workspace_id,
                    name=name,
                    created_at=now,
                    updated_at=now,
                    **self._settings_values(defaults),
                )
                .on_conflict_do_nothing(index_elements=["platform", "workspace_id"])
            )
            await conn.execute(stmt)
            row = (
                await conn.execute(
                    select(communities).where(
                        communities.c.platform == platform,
                        communities.c.workspace_id == workspace_id,
                    )
                )
            ).one()
            return self._community(row)

        return await self.db.transact(work)

    async def find_community(self, platform: str, workspace_id: str) -> Community | None:
        async with self.db.reading() as conn:
            row = (
                await conn.execute(
                    select(communities).where(
                        communities.c.platform == platform,
                        communities.c.workspace_id == workspace_id,
                    )
                )
            ).one_or_none()
        return None if row is None else self._community(row)

    async def community(self, community_id: int) -> Community:
        async with self.db.reading() as conn:
            row = (
                await conn.execute(select(communities).where(communities.c.id == community_id))
            ).one()
        return self._community(row)

    async def all_communities(self) -> list[Community]:
        async with self.db.reading() as conn:
            rows = (await conn.execute(select(communities).order_by(communities.c.id))).all()
        return [self._community(r) for r in rows]

    async def save_settings(self, community_id: int, settings: CommunitySettings) -> None:
        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                update(communities)
                .where(communities.c.id == community_id)
                .values(updated_at=_now(), **self._settings_values(settings))
            )

        await self.db.transact(work)

    async def set_problem(self, community_id: int, problem: str | None) -> str | None:
        """Record (or clear) what stops posting; returns the problem recorded before."""
        if await self.problem(community_id) == problem:
            return problem  # the usual case, read without taking the write lock

        async def work(conn: AsyncConnection) -> str | None:
            before = (
                await conn.execute(
                    select(communities.c.problem).where(communities.c.id == community_id)
                )
            ).scalar_one()
            if before != problem:
                await conn.execute(
                    update(communities)
                    .where(communities.c.id == community_id)
                    .values(problem=problem)
                )
            return before

        return await self.db.transact(work)

    async def set_contact(self, community_id: int, user_id: str) -> None:
        """Remember the admin to tell when posting fails (the last one to run setup)."""

        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                update(communities)
                .where(communities.c.id == community_id)
                .values(contact_user_id=user_id)
            )

        await self.db.transact(work)

    async def contact(self, community_id: int) -> str | None:
        async with self.db.reading() as conn:
            return (
                await conn.execute(
                    select(communities.c.contact_user_id).where(communities.c.id == community_id)
                )
            ).scalar_one_or_none()

    async def problem(self, community_id: int) -> str | None:
        async with self.db.reading() as conn:
            return (
                await conn.execute(
                    select(communities.c.problem).where(communities.c.id == community_id)
                )
            ).scalar_one_or_none()

    # members -----------------------------------------------------------------------------

    @staticmethod
    def _member(row: Any) -> MemberRecord:
        return MemberRecord(row.id, row.community_id, row.user_id, row.display_name, row.timezone)

    async def _ensure_members(
        self, conn: AsyncConnection, community_id: int, people: dict[str, str], now: datetime
    ) -> dict[str, MemberRecord]:
        if not people:
            return {}
        await conn.execute(
            self._insert(members).on_conflict_do_nothing(
                index_elements=["community_id", "user_id"]
            ),
            [
                {
                    "community_id": community_id,
                    "user_id": uid,
                    "display_name": name[:100],
                    "created_at": now,
                }
                for uid, name in people.items()
            ],
        )
        rows = (
            await conn.execute(
                select(members).where(
                    members.c.community_id == community_id,
                    members.c.user_id.in_(list(people)),
                )
            )
        ).all()
        return {r.user_id: self._member(r) for r in rows}

    async def ensure_member(
        self, community_id: int, user_id: str, display_name: str
    ) -> MemberRecord:
        """The member, created on first sight; a changed display name is saved."""
        known = self._members.get((community_id, user_id))
        if known is not None and (not display_name or known.display_name == display_name[:100]):
            return known

        async def work(conn: AsyncConnection) -> MemberRecord:
            found = await self._ensure_members(conn, community_id, {user_id: display_name}, _now())
            record = found[user_id]
            if display_name and record.display_name != display_name[:100]:
                await conn.execute(
                    update(members)
                    .where(members.c.id == record.id)
                    .values(display_name=display_name[:100])
                )
            return record

        record = await self.db.transact(work)
        if display_name:
            record = replace(record, display_name=display_name[:100])
        self._members[(community_id, user_id)] = record
        return record

    async def find_member(self, community_id: int, user_id: str) -> MemberRecord | None:
        async with self.db.reading() as conn:
            row = (
                await conn.execute(
                    select(members).where(
                        members.c.community_id == community_id, members.c.user_id == user_id
                    )
                )
            ).one_or_none()
        return None if row is None else self._member(row)

    async def set_member_timezone(self, member_id: int, timezone: str | None) -> None:
        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                update(members).where(members.c.id == member_id).values(timezone=timezone)
            )

        await self.db.transact(work)
        for key, record in list(self._members.items()):
            if record.id == member_id:
                self._members[key] = replace(record, timezone=timezone)

    # posts -------------------------------------------------------------------------------

    @staticmethod
    def _post(row: Any) -> Post:
        return Post(
            id=row.id,
            community_id=row.community_id,
            run_key=row.run_key,
            seq=row.seq,
            local_date=row.local_date,
            status=PostStatus(row.status),
            question=Question.from_dict(row.question),
            channel_id=row.channel_id,
            message_id=row.message_id,
            opened_at=row.opened_at,
            closes_at=row.closes_at,
            closed_at=row.closed_at,
        )

    async def history(self, community_id: int) -> list[tuple[str, str]]:
        async with self.db.reading() as conn:
            rows = (
                await conn.execute(
                    select(posts.c.question_id, posts.c.topic)
                    .where(
                        posts.c.community_id == community_id,
                        posts.c.status != PostStatus.SKIPPED.value,
                    )
                    .order_by(posts.c.seq)
                )
            ).all()
        return [(r.question_id, r.topic) for r in rows]

    async def claim_post(
        self,
        community_id: int,
        run_key: str,
        day: date,
        question: Question,
        now: datetime,
        lease: timedelta,
        *,
        status: PostStatus = PostStatus.CLAIMED,
    ) -> Post | None:
        """Claim the post under `run_key`. Exactly one caller, across processes, gets it."""

        async def work(conn: AsyncConnection) -> Post | None:
            last = (
                await conn.execute(
                    select(func.max(posts.c.seq)).where(posts.c.community_id == community_id)
                )
            ).scalar_one()
            stmt = (
                self._insert(posts)
                .values(
                    community_id=community_id,
                    run_key=run_key,
                    seq=(last or 0) + 1,
                    local_date=day,
                    status=status.value,
                    question_id=question.id,
                    topic=question.topic,
                    question=question.to_dict(),
                    lease_until=now + lease,
                    attempts=0,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["community_id", "run_key"])
                .returning(posts)
            )
            row = (await conn.execute(stmt)).one_or_none()
            return None if row is None else self._post(row)

        for attempt in range(3):
            try:
                return await self.db.transact(work)
            except IntegrityError:
                # Another process took the next sequence number for a different run key.
                if attempt == 2:
                    raise
        return None

    async def post_by_key(self, community_id: int, run_key: str) -> Post | None:
        async with self.db.reading() as conn:
            row = (
                await conn.execute(
                    select(posts).where(
                        posts.c.community_id == community_id, posts.c.run_key == run_key
                    )
                )
            ).one_or_none()
        return None if row is None else self._post(row)

    async def run_keys_on(self, community_id: int, day: date) -> list[str]:
        async with self.db.reading() as conn:
            rows = await conn.execute(
                select(posts.c.run_key).where(
                    posts.c.community_id == community_id, posts.c.local_date == day
                )
            )
            return [r.run_key for r in rows]

    async def post(self, post_id: int) -> Post | None:
        async with self.db.reading() as conn:
            row = (await conn.execute(select(posts).where(posts.c.id == post_id))).one_or_none()
        return None if row is None else self._post(row)

    async def current_post(self, community_id: int) -> Post | None:
        """The open post, if any (there is at most one at a time)."""
        async with self.db.reading() as conn:
            row = (
                await conn.execute(
                    select(posts)
                    .where(
                        posts.c.community_id == community_id,
                        posts.c.status == PostStatus.OPEN.value,
                    )
                    .order_by(posts.c.seq.desc())
                    .limit(1)
                )
            ).one_or_none()
        return None if row is None else self._post(row)

    async def latest_revealed(self, community_id: int) -> int | None:
        async with self.db.reading() as conn:
            return (
                await conn.execute(
                    select(posts.c.id)
                    .where(
                        posts.c.community_id == community_id,
                        posts.c.status == PostStatus.REVEALED.value,
                    )
                    .order_by(posts.c.seq.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()

    async def latest_closed_seq(self, community_id: int) -> int | None:
        async with self.db.reading() as conn:
            return (
                await conn.execute(
                    select(func.max(posts.c.seq)).where(
                        posts.c.community_id == community_id,
                        posts.c.status.in_([PostStatus.CLOSED.value, PostStatus.REVEALED.value]),
                    )
                )
            ).scalar_one()

    async def mark_posted(
        self,
        post_id: int,
        channel_id: str,
        message_id: str,
        opened_at: datetime,
        closes_at: datetime,
    ) -> None:
        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                update(posts)
                .where(posts.c.id == post_id)
                .values(
                    status=PostStatus.OPEN.value,
                    channel_id=channel_id,
                    message_id=message_id,
                    opened_at=opened_at,
                    closes_at=closes_at,
                    lease_until=None,
                )
            )

        await self.db.transact(work)

    async def postpone(self, post_id: int, until: datetime) -> None:
        """The chat refused the post: keep the claim, let it be retried after `until`."""

        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                update(posts)
                .where(posts.c.id == post_id)
                .values(lease_until=until, attempts=posts.c.attempts + 1)
            )

        await self.db.transact(work)

    async def reclaim(self, now: datetime, lease: timedelta) -> list[Post]:
        """Take over posts whose owner's lease ran out: claimed but never posted, or closed
        but never revealed. Each is handed to exactly one caller."""

        async def work(conn: AsyncConnection) -> list[Post]:
            stmt = (
                update(posts)
                .where(
                    posts.c.status.in_([PostStatus.CLAIMED.value, PostStatus.CLOSED.value]),
                    posts.c.lease_until.is_not(None),
                    posts.c.lease_until <= now,
                )
                .values(lease_until=now + lease)
                .returning(posts)
            )
            return [self._post(r) for r in (await conn.execute(stmt)).all()]

        return await self.db.transact(work)

    async def drop_claim(self, post_id: int) -> None:
        """Forget a claim that can no longer be posted (its window passed)."""

        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                update(posts)
                .where(posts.c.id == post_id, posts.c.status == PostStatus.CLAIMED.value)
                .values(status=PostStatus.SKIPPED.value, lease_until=None)
            )

        await self.db.transact(work)

    async def due_to_close(self, now: datetime, community_id: int | None = None) -> list[int]:
        query = select(posts.c.id).where(
            posts.c.status == PostStatus.OPEN.value, posts.c.closes_at <= now
        )
        if community_id is not None:
            query = query.where(posts.c.community_id == community_id)
        async with self.db.reading() as conn:
            return [r.id for r in await conn.execute(query)]

    async def close_post(
        self, post_id: int, now: datetime, zone_name: str, lease: timedelta
    ) -> Post | None:
        """Close an open post, grade its answers and add them to the score totals, in one
        transaction. Returns None when another caller closed it first."""

        async def work(conn: AsyncConnection) -> Post | None:
            row = (
                await conn.execute(
                    update(posts)
                    .where(posts.c.id == post_id, posts.c.status == PostStatus.OPEN.value)
                    .values(status=PostStatus.CLOSED.value, closed_at=now, lease_until=now + lease)
                    .returning(posts)
                )
            ).one_or_none()
            if row is None:
                return None
            post = self._post(row)
            await self._score(conn, post, zone_name, now)
            return post

        return await self.db.transact(work)

    async def _score(
        self, conn: AsyncConnection, post: Post, zone_name: str, now: datetime
    ) -> None:
        question = post.question
        rows = (
            await conn.execute(
                select(answers.c.id, answers.c.member_id, answers.c.choice, answers.c.text).where(
                    answers.c.post_id == post.id
                )
            )
        ).all()
        if not rows:
            return
        graded = []
        for r in rows:
            grade = (
                grade_choice(question, r.choice)
                if question.kind is Kind.MULTIPLE_CHOICE
                else grade_text(question, r.text or "")
            )
            graded.append((r, grade, grade.points(question.difficulty)))
        await conn.execute(
            update(answers)
            .where(answers.c.id == _bind("answer_id"))
            .values(
                fraction=_bind("fraction"),
                correct=_bind("correct"),
                points=_bind("points"),
                hits=_bind("hits"),
            ),
            [
                {
                    "answer_id": r.id,
                    "fraction": g.fraction,
                    "correct": g.correct,
                    "points": p,
                    "hits": list(g.hit_points),
                }
                for r, g, p in graded
            ],
        )
        keys = period_keys(post.local_date)
        boards = [(period, key, topic) for period, key in keys for topic in ("", question.topic)]
        member_ids = [r.member_id for r, _g, _p in graded]
        before = {
            (row.period, row.period_key, row.topic, row.member_id): row.points
            for row in await conn.execute(
                select(
                    score_totals.c.period,
                    score_totals.c.period_key,
                    score_totals.c.topic,
                    score_totals.c.member_id,
                    score_totals.c.points,
                ).where(
                    score_totals.c.community_id == post.community_id,
                    score_totals.c.member_id.in_(member_ids),
                    tuple_(score_totals.c.period, score_totals.c.period_key).in_(keys),
                    score_totals.c.topic.in_(["", question.topic]),
                )
            )
        }
        totals = []
        moves: dict[tuple[str, str, str, int], int] = {}
        for r, g, p in graded:
            for period, key, topic in boards:
                totals.append(
                    {
                        "community_id": post.community_id,
                        "period": period,
                        "period_key": key,
                        "topic": topic,
                        "member_id": r.member_id,
                        "points": p,
                        "answered": 1,
                        "correct": int(g.correct),
                    }
                )
                old = before.get((period, key, topic, r.member_id))
                new = (old or 0) + p
                if old is not None:
                    moves[(period, key, topic, old)] = moves.get((period, key, topic, old), 0) - 1
                moves[(period, key, topic, new)] = moves.get((period, key, topic, new), 0) + 1
        stmt = self._insert(score_totals)
        stmt = stmt.on_conflict_do_update(
            index_elements=["community_id", "period", "period_key", "topic", "member_id"],
            set_={
                "points": score_totals.c.points + stmt.excluded.points,
                "answered": score_totals.c.answered + stmt.excluded.answered,
                "correct": score_totals.c.correct + stmt.excluded.correct,
            },
        )
        await conn.execute(stmt, totals)
        counts = self._insert(score_counts)
        counts = counts.on_conflict_do_update(
            index_elements=["community_id", "period", "period_key", "topic", "points"],
            set_={"members": score_counts.c.members + counts.excluded.members},
        )
        changes = [
            {
                "community_id": post.community_id,
                "period": period,
                "period_key": key,
                "topic": topic,
                "points": points,
                "members": delta,
            }
            for (period, key, topic, points), delta in moves.items()
            if delta
        ]
        if changes:
            await conn.execute(counts, changes)

    async def claim(self, community_id: int, key: str, now: datetime) -> bool:
        """True for exactly one caller per (community, key), across processes."""

        async def work(conn: AsyncConnection) -> bool:
            stmt = (
                self._insert(claims)
                .values(community_id=community_id, key=key, claimed_at=now)
                .on_conflict_do_nothing(index_elements=["community_id", "key"])
                .returning(claims.c.id)
            )
            return (await conn.execute(stmt)).first() is not None

        return await self.db.transact(work)

    async def award(
        self, community_id: int, member_id: int, day: date, points: int, topic: str
    ) -> None:
        """Points outside the daily question (mock interviews) on every board of `day`."""

        async def work(conn: AsyncConnection) -> None:
            keys = period_keys(day)
            before = {
                (r.period, r.period_key, r.topic): r.points
                for r in await conn.execute(
                    select(
                        score_totals.c.period,
                        score_totals.c.period_key,
                        score_totals.c.topic,
                        score_totals.c.points,
                    ).where(
                        score_totals.c.community_id == community_id,
                        score_totals.c.member_id == member_id,
                        tuple_(score_totals.c.period, score_totals.c.period_key).in_(keys),
                        score_totals.c.topic.in_(["", topic]),
                    )
                )
            }
            boards = [(p, k, t) for p, k in keys for t in ("", topic)]
            stmt = self._insert(score_totals)
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["community_id", "period", "period_key", "topic", "member_id"],
                    set_={"points": score_totals.c.points + stmt.excluded.points},
                ),
                [
                    {
                        "community_id": community_id,
                        "period": p,
                        "period_key": k,
                        "topic": t,
                        "member_id": member_id,
                        "points": points,
                        "answered": 0,
                        "correct": 0,
                    }
                    for p, k, t in boards
                ],
            )
            counts = self._insert(score_counts)
            counts = counts.on_conflict_do_update(
                index_elements=["community_id", "period", "period_key", "topic", "points"],
                set_={"members": score_counts.c.members + counts.excluded.members},
            )
            moves = []
            for p, k, t in boards:
                old = before.get((p, k, t))
                if old is not None:
                    moves.append((p, k, t, old, -1))
                moves.append((p, k, t, (old or 0) + points, 1))
            await conn.execute(
                counts,
                [
                    {
                        "community_id": community_id,
                        "period": p,
                        "period_key": k,
                        "topic": t,
                        "points": value,
                        "members": delta,
                    }
                    for p, k, t, value, delta in moves
                ],
            )

        await self.db.transact(work)

    async def mark_revealed(self, post_id: int, now: datetime) -> None:
        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                update(posts)
                .where(posts.c.id == post_id)
                .values(status=PostStatus.REVEALED.value, revealed_at=now, lease_until=None)
            )

        await self.db.transact(work)

    async def reveal_facts(self, post_id: int, limit: int = 20) -> RevealFacts:
        async with self.db.reading() as conn:
            dist_rows = (
                await conn.execute(
                    select(answers.c.choice, func.count())
                    .where(answers.c.post_id == post_id)
                    .group_by(answers.c.choice)
                )
            ).all()
            right = (
                await conn.execute(
                    select(members.c.display_name)
                    .join(answers, answers.c.member_id == members.c.id)
                    .where(answers.c.post_id == post_id, answers.c.correct.is_(True))
                    .order_by(answers.c.answered_at, answers.c.id)
                )
            ).all()
        distribution = {r[0]: r[1] for r in dist_rows if r[0] is not None}
        answered = sum(r[1] for r in dist_rows)
        return RevealFacts(answered, distribution, [r.display_name for r in right])

    async def graded_answer(self, post_id: int, member_id: int) -> Any:
        async with self.db.reading() as conn:
            return (
                await conn.execute(
                    select(answers).where(
                        answers.c.post_id == post_id, answers.c.member_id == member_id
                    )
                )
            ).one_or_none()

    # answers -----------------------------------------------------------------------------

    async def record_answers(
        self, batch: Sequence[PendingAnswer], zones: dict[int, str]
    ) -> list[AnswerOutcome]:
        """Write a batch of validated answers in one transaction.

        Each answer is recorded at most once per member and post (a second one reports what
        was recorded), only while its post is open, and moves the member's streak. `zones`
        gives each community's time zone, the fallback for members without one.
        """

        directory: dict[tuple[int, str], MemberRecord] = {}

        async def work(conn: AsyncConnection) -> list[AnswerOutcome]:
            directory.clear()
            return await self._record_answers(conn, batch, zones, directory)

        outcomes = await self.db.transact(work)
        self._members.update(directory)
        return outcomes

    async def _record_answers(
        self,
        conn: AsyncConnection,
        batch: Sequence[PendingAnswer],
        zones: dict[int, str],
        directory: dict[tuple[int, str], MemberRecord],
    ) -> list[AnswerOutcome]:
        now = _now()
        people: dict[int, dict[str, str]] = {}
        for item in batch:
            people.setdefault(item.community_id, {})[item.user_id] = item.display_name
        for community_id, group in people.items():
            unknown = {}
            for uid, name in group.items():
                known = self._members.get((community_id, uid))
                if known is None:
                    unknown[uid] = name
                else:
                    directory[(community_id, uid)] = known
            ensured = await self._ensure_members(conn, community_id, unknown, now)
            for uid, record in ensured.items():
                directory[(community_id, uid)] = record

        post_rows = {
            r.id: r
            for r in (
                await conn.execute(
                    select(
                        posts.c.id,
                        posts.c.community_id,
                        posts.c.status,
                        posts.c.closes_at,
                        posts.c.seq,
                    ).where(posts.c.id.in_({i.post_id for i in batch}))
                )
            ).all()
        }

        outcomes: list[AnswerOutcome | None] = [None] * len(batch)
        to_insert: dict[tuple[int, int], int] = {}
        for index, item in enumerate(batch):
            member = directory[(item.community_id, item.user_id)]
            row = post_rows.get(item.post_id)
            if (
                row is None
                or row.community_id != item.community_id
                or row.status != PostStatus.OPEN.value
                or row.closes_at is None
                or item.at >= row.closes_at
            ):
                outcomes[index] = AnswerOutcome(Outcome.CLOSED)
                continue
            key = (item.post_id, member.id)
            if key not in to_insert:
                to_insert[key] = index

        inserted: set[tuple[int, int]] = set()
        if to_insert:
            stmt = (
                self._insert(answers)
                .on_conflict_do_nothing(index_elements=["post_id", "member_id"])
                .returning(answers.c.post_id, answers.c.member_id)
            )
            params = [
                {
                    "post_id": batch[i].post_id,
                    "member_id": member_id,
                    "choice": batch[i].choice,
                    "text": batch[i].text,
                    "answered_at": batch[i].at,
                }
                for (_, member_id), i in to_insert.items()
            ]
            result = await conn.execute(stmt, params)
            inserted = {(r.post_id, r.member_id) for r in result.all()}

        # Report what was recorded to everyone whose answer was not the one inserted.
        missing = {
            (item.post_id, directory[(item.community_id, item.user_id)].id)
            for index, item in enumerate(batch)
            if outcomes[index] is None
        } - inserted
        existing: dict[tuple[int, int], Any] = {}
        if missing:
            rows = await conn.execute(
                select(
                    answers.c.post_id, answers.c.member_id, answers.c.choice, answers.c.text
                ).where(tuple_(answers.c.post_id, answers.c.member_id).in_(list(missing)))
            )
            existing = {(r.post_id, r.member_id): r for r in rows}

        recorded_members: dict[int, tuple[PendingAnswer, int]] = {}
        for index, item in enumerate(batch):
            if outcomes[index] is not None:
                continue
            member = directory[(item.community_id, item.user_id)]
            key = (item.post_id, member.id)
            zone = member.timezone or zones.get(item.community_id, "UTC")
            if key in inserted and to_insert[key] == index:
                outcomes[index] = AnswerOutcome(
                    Outcome.RECORDED, item.choice, item.text, member_timezone=zone
                )
                recorded_members[member.id] = (item, post_rows[item.post_id].seq)
            else:
                prior = existing.get(key)
                outcomes[index] = AnswerOutcome(
                    Outcome.ALREADY,
                    prior.choice if prior is not None else None,
                    prior.text if prior is not None else None,
                    member_timezone=zone,
                )

        if recorded_members:
            await self._advance_streaks(conn, recorded_members, directory, zones)
        return [o for o in outcomes if o is not None]

    async def _advance_streaks(
        self,
        conn: AsyncConnection,
        recorded: dict[int, tuple[PendingAnswer, int]],
        directory: dict[tuple[int, str], MemberRecord],
        zones: dict[int, str],
    ) -> None:
        by_id = {m.id: m for m in directory.values()}
        current = {
            r.member_id: r
            for r in (
                await conn.execute(
                    select(member_stats).where(member_stats.c.member_id.in_(list(recorded)))
                )
            ).all()
        }
        values = []
        for member_id, (item, seq) in recorded.items():
            row = current.get(member_id)
            streak = (
                Streak()
                if row is None
                else Streak(row.streak_current, row.streak_best, row.last_day, row.last_seq)
            )
            zone = ZoneInfo(by_id[member_id].timezone or zones.get(item.community_id, "UTC"))
            streak = streak.after_answer(seq, item.at.astimezone(zone).date())
            values.append(
                {
                    "member_id": member_id,
                    "streak_current": streak.current,
                    "streak_best": streak.best,
                    "last_day": streak.last_day,
                    "last_seq": streak.last_seq,
                    "answered": (row.answered if row is not None else 0) + 1,
                }
            )
        stmt = self._insert(member_stats)
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
        await conn.execute(stmt, values)

    # leaderboards and stats ----------------------------------------------------------------

    async def board(
        self,
        community_id: int,
        period: str,
        period_key: str,
        topic: str,
        member_id: int | None,
        limit: int = 10,
    ) -> tuple[list[BoardRow], tuple[int, BoardRow] | None, int]:
        """Top `limit` rows, the member's own (rank, row) and how many are ranked.

        Ties share a rank; within a tie, earlier members come first.
        """
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
        # one round trip for the member's row, their rank and the board's size; an
        # outer join keeps the total when the member has no row yet
        anchor = select(literal(1).label("one")).subquery()
        me_and_total = select(total_q, above_q, *mine_q.c).select_from(
            anchor.outerjoin(mine_q, literal(True))
        )
        async with self.db.reading() as conn:
            top = (
                await conn.execute(
                    select(*columns)
                    .join(members, members.c.id == score_totals.c.member_id)
                    .where(scope)
                    .order_by(score_totals.c.points.desc(), score_totals.c.member_id)
                    .limit(limit)
                )
            ).all()
            total, above, *row = (await conn.execute(me_and_total)).one()
        mine = None
        if member_id is not None and row[0] is not None:
            mine = (int(above) + 1, BoardRow(*row))
        return [BoardRow(*r) for r in top], mine, int(total)

    async def member_totals(self, community_id: int, member_id: int) -> dict[str, Any]:
        async with self.db.reading() as conn:
            stats = (
                await conn.execute(
                    select(member_stats).where(member_stats.c.member_id == member_id)
                )
            ).one_or_none()
            topics = (
                await conn.execute(
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
        return {
            "streak": None
            if stats is None
            else Streak(stats.streak_current, stats.streak_best, stats.last_day, stats.last_seq),
            "answered": 0 if stats is None else stats.answered,
            "topics": {r.topic: (r.points, r.answered, r.correct) for r in topics},
        }

    # practice ------------------------------------------------------------------------------

    @staticmethod
    def _practice(row: Any) -> PracticeRecord:
        return PracticeRecord(
            row.id,
            row.member_id,
            Question.from_dict(row.question),
            row.hints_shown,
            row.model_shown,
            row.answered_at,
        )

    async def start_practice(self, member_id: int, question: Question, now: datetime) -> int:
        async def work(conn: AsyncConnection) -> int:
            result = await conn.execute(
                practice_sessions.insert()
                .values(
                    member_id=member_id,
                    question_id=question.id,
                    question=question.to_dict(),
                    hints_shown=0,
                    model_shown=False,
                    created_at=now,
                )
                .returning(practice_sessions.c.id)
            )
            return int(result.scalar_one())

        return await self.db.transact(work)

    async def practice(self, session_id: int) -> PracticeRecord | None:
        async with self.db.reading() as conn:
            row = (
                await conn.execute(
                    select(practice_sessions).where(practice_sessions.c.id == session_id)
                )
            ).one_or_none()
        return None if row is None else self._practice(row)

    async def practice_seen(self, member_id: int) -> set[str]:
        async with self.db.reading() as conn:
            rows = await conn.execute(
                select(practice_sessions.c.question_id).where(
                    practice_sessions.c.member_id == member_id
                )
            )
            return {r.question_id for r in rows}

    async def update_practice(self, session_id: int, **values: Any) -> None:
        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                update(practice_sessions)
                .where(practice_sessions.c.id == session_id)
                .values(**values)
            )

        await self.db.transact(work)

    async def answers_of(self, post_id: int) -> list[GradedAnswer]:
        async with self.db.reading() as conn:
            rows = await conn.execute(
                select(
                    answers.c.member_id,
                    members.c.display_name,
                    answers.c.choice,
                    answers.c.fraction,
                    answers.c.correct,
                )
                .join(members, members.c.id == answers.c.member_id)
                .where(answers.c.post_id == post_id)
            )
            return [
                GradedAnswer(
                    r.member_id, r.display_name, r.choice, r.fraction or 0.0, bool(r.correct)
                )
                for r in rows
            ]


def _bind(name: str) -> Any:
    return bindparam(name)


__all__ = ["BoardRow", "MemberRecord", "PracticeRecord", "SqlStore"]
