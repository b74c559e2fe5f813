"""Engines for SQLite (the embedded default) and PostgreSQL, and retries for busy databases."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)
T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_S = 30
AUTOCHECKPOINT_PAGES = 20000


def _sqlite_pragmas(engine: AsyncEngine, *, immediate: bool, foreign_keys: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Checkpoints run from `Database.checkpoint` on a reader, not inside a writer's commit
        # (an automatic one stalls that commit); this threshold is only a safety net.
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(
    url: str, *, immediate: bool = True, foreign_keys: bool = True, **kwargs: Any
) -> AsyncEngine:
    """An async engine for `url`.

    On SQLite every connection runs in WAL mode with a busy timeout; writes begin with
    `BEGIN IMMEDIATE` so that two writers queue on the lock instead of failing with
    "database is locked" when one upgrades a read lock.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, **kwargs)
        _sqlite_pragmas(engine, immediate=immediate, foreign_keys=foreign_keys)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def migration_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An engine for Alembic: SQLite foreign keys stay off, so batch table rebuilds cannot
    cascade-delete child rows."""
    return make_engine(url, immediate=False, foreign_keys=False, poolclass=NullPool, **kwargs)


def is_transient(error: BaseException) -> bool:
    """A busy or locked database, a deadlock or a serialisation failure: worth retrying."""
    if isinstance(error, OperationalError | DBAPIError):
        text = str(error.orig if getattr(error, "orig", None) else error).lower()
        transient = (
            "database is locked",
            "database is busy",
            "deadlock detected",
            "could not serialize",
            "connection was closed",
            "cannot connect now",
        )
        return any(marker in text for marker in transient) or bool(
            getattr(error, "connection_invalidated", False)
        )
    return False


@dataclass
class Database:
    """The write engine and a read engine (separate on SQLite so that reads never wait for the
    write lock), with retries for transient failures."""

    url: str
    write: AsyncEngine
    read: AsyncEngine
    retries: int = 8
    _write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    def connect(cls, url: str, **kwargs: Any) -> Database:
        write = make_engine(url, **kwargs)
        if make_url(url).get_backend_name() == "sqlite":
            read = make_engine(url, immediate=False, **kwargs)
        else:
            read = write
        return cls(url, write, read)

    @property
    def dialect(self) -> str:
        return self.write.dialect.name

    def insert(self, table: Any) -> Any:
        """INSERT with this dialect's ON CONFLICT support (SQLite and PostgreSQL share it)."""
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)

    async def dispose(self) -> None:
        await self.write.dispose()
        if self.read is not self.write:
            await self.read.dispose()

    async def checkpoint(self) -> None:
        """Fold SQLite's write-ahead log back into the database without blocking writers."""
        if self.dialect != "sqlite":
            return
        async with self.read.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    @asynccontextmanager
    async def _writer_turn(self) -> AsyncIterator[None]:
        """On SQLite, this process's writers take turns before asking for the file's write
        lock: SQLite's busy handler waits by sleeping, which wastes most of the time when many
        connections want the lock at once. (Other processes still queue on the busy timeout.)"""
        if self.dialect != "sqlite":
            yield
            return
        async with self._write_lock:
            yield

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        async with self.read.connect() as conn:
            yield conn

    async def transact(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run `work` in one write transaction, retried from the start on transient errors.

        `work` must not touch the chat: it may run more than once.
        """
        delay = 0.05
        for attempt in range(self.retries + 1):
            try:
                async with self._writer_turn(), self.write.begin() as conn:
                    return await work(conn)
            except (OperationalError, DBAPIError) as error:
                if attempt == self.retries or not is_transient(error):
                    raise
                log.warning("database busy (%s); retrying in %.2fs", type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")
