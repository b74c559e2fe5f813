"""Daily posts: claimed, posted, closed and revealed, each step exactly once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.posts import Post, PostStatus, PostWindow
from bot.domain.questions import Question
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import posts

CLAIM_ATTEMPTS = 3


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


class SqlPostRepository(SqlRepository):
    async def history(self, community_id: int) -> list[tuple[str, str]]:
        rows = (
            await self.conn.execute(
                select(posts.c.question_id, posts.c.topic)
                .where(
                    posts.c.community_id == community_id,
                    posts.c.status != PostStatus.SKIPPED.value,
                )
                .order_by(posts.c.seq)
            )
        ).all()
        return [(r.question_id, r.topic) for r in rows]

    async def claim(
        self,
        community_id: int,
        run_key: str,
        day: date,
        question: Question,
        now: datetime,
        lease: timedelta,
        status: PostStatus = PostStatus.CLAIMED,
    ) -> Post | None:
        for attempt in range(CLAIM_ATTEMPTS):
            try:
                # A savepoint: another process may take the next sequence number for a
                # different run key, and only this insert should be undone then.
                async with self.conn.begin_nested():
                    last = (
                        await self.conn.execute(
                            select(func.max(posts.c.seq)).where(
                                posts.c.community_id == community_id
                            )
                        )
                    ).scalar_one()
                    post_id = await self.insert_once(
                        posts,
                        {
                            "community_id": community_id,
                            "run_key": run_key,
                            "seq": (last or 0) + 1,
                            "local_date": day,
                            "status": status.value,
                            "question_id": question.id,
                            "topic": question.topic,
                            "question": question.to_dict(),
                            "lease_until": now + lease,
                            "attempts": 0,
                            "created_at": now,
                        },
                        ["community_id", "run_key"],
                    )
            except IntegrityError:
                if attempt == CLAIM_ATTEMPTS - 1:
                    raise
                continue
            return None if post_id is None else await self.get(post_id)
        return None

    async def by_key(self, community_id: int, run_key: str) -> Post | None:
        row = (
            await self.conn.execute(
                select(posts).where(
                    posts.c.community_id == community_id, posts.c.run_key == run_key
                )
            )
        ).one_or_none()
        return None if row is None else _post(row)

    async def run_keys_on(self, community_id: int, day: date) -> list[str]:
        rows = await self.conn.execute(
            select(posts.c.run_key).where(
                posts.c.community_id == community_id, posts.c.local_date == day
            )
        )
        return [r.run_key for r in rows]

    async def get(self, post_id: int) -> Post | None:
        row = (await self.conn.execute(select(posts).where(posts.c.id == post_id))).one_or_none()
        return None if row is None else _post(row)

    async def by_seq(self, community_id: int, seq: int) -> Post | None:
        row = (
            await self.conn.execute(
                select(posts).where(posts.c.community_id == community_id, posts.c.seq == seq)
            )
        ).one_or_none()
        return None if row is None else _post(row)

    async def current(self, community_id: int) -> Post | None:
        row = (
            await self.conn.execute(
                select(posts)
                .where(
                    posts.c.community_id == community_id,
                    posts.c.status == PostStatus.OPEN.value,
                )
                .order_by(posts.c.seq.desc())
                .limit(1)
            )
        ).one_or_none()
        return None if row is None else _post(row)

    async def latest_revealed(self, community_id: int) -> int | None:
        return (
            await self.conn.execute(
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
        return (
            await self.conn.execute(
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
        await self.conn.execute(
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

    async def postpone(self, post_id: int, until: datetime) -> None:
        await self.conn.execute(
            update(posts)
            .where(posts.c.id == post_id)
            .values(lease_until=until, attempts=posts.c.attempts + 1)
        )

    async def reclaim(self, now: datetime, lease: timedelta) -> list[Post]:
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
        return [_post(r) for r in (await self.conn.execute(stmt)).all()]

    async def drop_claim(self, post_id: int) -> None:
        await self.conn.execute(
            update(posts)
            .where(posts.c.id == post_id, posts.c.status == PostStatus.CLAIMED.value)
            .values(status=PostStatus.SKIPPED.value, lease_until=None)
        )

    async def due_to_close(self, now: datetime, community_id: int | None = None) -> list[int]:
        query = select(posts.c.id).where(
            posts.c.status == PostStatus.OPEN.value, posts.c.closes_at <= now
        )
        if community_id is not None:
            query = query.where(posts.c.community_id == community_id)
        return [r.id for r in await self.conn.execute(query)]

    async def close(self, post_id: int, now: datetime, lease: timedelta) -> Post | None:
        row = (
            await self.conn.execute(
                update(posts)
                .where(posts.c.id == post_id, posts.c.status == PostStatus.OPEN.value)
                .values(status=PostStatus.CLOSED.value, closed_at=now, lease_until=now + lease)
                .returning(posts)
            )
        ).one_or_none()
        return None if row is None else _post(row)

    async def mark_revealed(self, post_id: int, now: datetime) -> None:
        await self.conn.execute(
            update(posts)
            .where(posts.c.id == post_id)
            .values(status=PostStatus.REVEALED.value, revealed_at=now, lease_until=None)
        )

    async def windows(self, post_ids: set[int]) -> dict[int, PostWindow]:
        rows = await self.conn.execute(
            select(
                posts.c.id, posts.c.community_id, posts.c.status, posts.c.closes_at, posts.c.seq
            ).where(posts.c.id.in_(post_ids))
        )
        return {
            r.id: PostWindow(r.id, r.community_id, PostStatus(r.status), r.closes_at, r.seq)
            for r in rows
        }
