"""The SQL implementation of the storage port: a unit of work is one transaction of
`Database` (retried from the start on a busy database), its repositories sharing the
transaction's connection. A database that cannot be reached is reported as
`StorageUnavailable`, and its outage logged once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.ports.storage import StorageUnavailable
from bot.storage.engine import Database
from bot.storage.faults import Outage, is_unavailable
from bot.storage.repositories.answers import SqlAnswerRepository
from bot.storage.repositories.claims import SqlClaimRepository
from bot.storage.repositories.communities import SqlCommunityRepository
from bot.storage.repositories.members import SqlMemberRepository
from bot.storage.repositories.pairing import SqlPairingRepository
from bot.storage.repositories.posts import SqlPostRepository
from bot.storage.repositories.practice import SqlPracticeRepository
from bot.storage.repositories.privacy import SqlPrivacyRepository
from bot.storage.repositories.ratings import SqlRatingRepository
from bot.storage.repositories.reminders import SqlReminderRepository
from bot.storage.repositories.reviews import SqlReviewRepository
from bot.storage.repositories.scores import SqlScoreRepository

T = TypeVar("T")


class SqlAlchemyUnitOfWork:
    def __init__(self, conn: AsyncConnection, db: Database) -> None:
        self.communities = SqlCommunityRepository(conn, db)
        self.members = SqlMemberRepository(conn, db)
        self.posts = SqlPostRepository(conn, db)
        self.answers = SqlAnswerRepository(conn, db)
        self.scores = SqlScoreRepository(conn, db)
        self.practice = SqlPracticeRepository(conn, db)
        self.claims = SqlClaimRepository(conn, db)
        self.pairing = SqlPairingRepository(conn, db)
        self.privacy = SqlPrivacyRepository(conn, db)
        self.reviews = SqlReviewRepository(conn, db)
        self.ratings = SqlRatingRepository(conn, db)
        self.reminders = SqlReminderRepository(conn, db)


class SqlStorage:
    """`Storage` over one `Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.outage = Outage(db.url)

    @classmethod
    def connect(cls, url: str, **engine_kwargs: Any) -> SqlStorage:
        return cls(Database.connect(url, **engine_kwargs))

    async def transact(self, work: Callable[[SqlAlchemyUnitOfWork], Awaitable[T]]) -> T:
        async def in_transaction(conn: AsyncConnection) -> T:
            return await work(SqlAlchemyUnitOfWork(conn, self.db))

        return await self._reaching(self.db.transact(in_transaction))

    async def read(self, work: Callable[[SqlAlchemyUnitOfWork], Awaitable[T]]) -> T:
        async def on_snapshot() -> T:
            async with self.db.reading() as conn:
                return await work(SqlAlchemyUnitOfWork(conn, self.db))

        return await self._reaching(on_snapshot())

    async def _reaching(self, attempt: Awaitable[T]) -> T:
        """`attempt`, with a database that cannot be reached reported as StorageUnavailable."""
        try:
            result = await attempt
        except Exception as error:
            if is_unavailable(error):
                self.outage.failed(error)
                raise StorageUnavailable(str(error)) from error
            raise
        self.outage.succeeded()
        return result

    async def ping(self) -> None:
        async def select_one() -> None:
            async with self.db.reading() as conn:
                await conn.exec_driver_sql("SELECT 1")

        await self._reaching(select_one())

    async def maintain(self) -> None:
        await self.db.checkpoint()

    async def close(self) -> None:
        await self.db.dispose()
