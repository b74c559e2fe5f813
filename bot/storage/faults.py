"""Start-up checks of the configured database, and one-line explanations of what is wrong.

A bot that cannot open its database should say which file or server, what is wrong and what to
do, in a line or two, and stop, never print a traceback. `probe` checks the database before the
migrations touch it. `explain` turns the error of a failed connection into such a sentence.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import socket
import sqlite3
import time
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

LOCK_WAIT_S = 3.0
CONNECT_TIMEOUT_S = 10.0
log = logging.getLogger(__name__)

_PG_STATES = {
    "3D000": "the database “{db}” does not exist on {server}. Create it (createdb {db}) "
    "or correct the database name in DATABASE_URL.",
    "28000": "{server} refused the login of user “{user}”: {detail}. Check the user name in "
    "DATABASE_URL.",
    "28P01": "{server} refused the password of user “{user}”. Check the password in DATABASE_URL.",
    "57P03": "{server} is starting up or shutting down and does not accept connections yet. "
    "Wait a moment and start studybot again.",
    "53300": "{server} has no free connection slots. Close other clients or raise max_connections.",
}


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message says why and what to do."""


def _server(url: URL) -> str:
    return f"the PostgreSQL server at {url.host or 'localhost'}:{url.port or 5432}"


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def explain(url: str, error: BaseException) -> str:
    """A sentence naming DATABASE_URL and saying what went wrong with it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _explain_sqlite(Path(parsed.database or ""), error)
    server = _server(parsed)
    state = getattr(getattr(error, "orig", None), "sqlstate", None)
    if isinstance(error, DBAPIError) and state in _PG_STATES:
        return "DATABASE_URL: " + _PG_STATES[state].format(
            db=parsed.database, server=server, user=parsed.username, detail=_first_line(error)
        )
    if isinstance(error, socket.gaierror):
        return (
            f"DATABASE_URL: the host “{parsed.host}” is unknown ({error.strerror}). Correct the "
            "host name in DATABASE_URL."
        )
    if isinstance(error, ConnectionRefusedError) or (
        isinstance(error, OSError) and error.errno == errno.ECONNREFUSED
    ):
        return (
            f"DATABASE_URL: {server} refused the connection. Start PostgreSQL there, or correct "
            "the host and port in DATABASE_URL."
        )
    if isinstance(error, TimeoutError):
        return (
            f"DATABASE_URL: {server} did not answer within {CONNECT_TIMEOUT_S:.0f} s. Check that "
            "the host is reachable and that a firewall does not drop the connection."
        )
    return f"DATABASE_URL: cannot use {server}: {_first_line(error)}"


def _explain_sqlite(path: Path, error: BaseException) -> str:
    text = _first_line(error).lower()
    if "locked" in text or "busy" in text:
        return (
            f"The database file {path} is locked by another program (an open sqlite3 shell, a "
            "backup, or another studybot writing to it?). Close it and start again, or set "
            "DATABASE_URL to another file."
        )
    if "readonly" in text or "read-only" in text:
        return (
            f"The database file {path} is read-only. Make it and its folder writable by this "
            "user, or set DATABASE_URL to a file in a writable folder."
        )
    if "not a database" in text or "malformed" in text:
        return (
            f"The file {path} is not a studybot database (or it is damaged). Point "
            "DATABASE_URL at another file, or restore the file from a backup."
        )
    return f"Cannot open the database file {path}: {_first_line(error)}"


def _probe_sqlite(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DatabaseUnavailable(
            f"DATABASE_URL names the SQLite file {path}, but the folder {folder} does not "
            f"exist. Create it (mkdir -p {folder}) or choose a file in an existing folder."
        )
    if path.is_dir():
        raise DatabaseUnavailable(
            f"DATABASE_URL names {path} as the SQLite file, but it is a folder. Name a file, "
            f"e.g. {path / 'studybot.db'}."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseUnavailable(
            f"The folder {folder} is not writable, and SQLite needs to create its journal next "
            "to the database there. Make it writable or choose another folder in DATABASE_URL."
        )
    existed = path.exists()
    try:
        connection = sqlite3.connect(path, timeout=LOCK_WAIT_S, isolation_level=None)
        try:
            # a write that is rolled back: it needs the write lock and a writable file
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("CREATE TABLE main.studybot_probe (x)")
            connection.execute("ROLLBACK")
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseUnavailable(_explain_sqlite(path, error)) from None
    finally:
        if not existed:
            # the migrations create the file; a failed start leaves nothing behind
            path.unlink(missing_ok=True)


async def _probe_postgres(url: str) -> None:
    engine = create_async_engine(
        url, poolclass=NullPool, connect_args={"timeout": CONNECT_TIMEOUT_S}
    )
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")
    except (OSError, TimeoutError, DBAPIError) as error:
        raise DatabaseUnavailable(explain(url, error)) from None
    finally:
        await engine.dispose()


async def probe(url: str) -> None:
    """Raise DatabaseUnavailable with a one-line reason unless the database at `url` can be
    opened for writing (waiting at most `LOCK_WAIT_S` for a lock held by another program)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            await asyncio.to_thread(_probe_sqlite, Path(parsed.database))
        return
    await _probe_postgres(url)


async def prepare(url: str) -> None:
    """Check the database at `url` and migrate it to the newest schema, or raise
    DatabaseUnavailable with the reason (the traceback goes to the debug log only)."""
    await probe(url)
    from bot.storage.migrate import upgrade

    try:
        await upgrade(url)
    except (OSError, TimeoutError, DBAPIError) as error:
        log.debug("migrating %s failed", make_url(url).render_as_string(), exc_info=True)
        raise DatabaseUnavailable(explain(url, error)) from None


_UNAVAILABLE_MARKERS = (
    "unable to open database file",
    "disk i/o error",
    "connection was closed",
    "connection is closed",
    "underlying connection is closed",
    "terminating connection",
    "the database system is",
    "not currently accepting connections",
    "connection refused",
    "server closed the connection",
)


def is_unavailable(error: BaseException) -> bool:
    """A database that cannot be reached at all (as opposed to a query that failed)."""
    if isinstance(error, OSError | TimeoutError | ConnectionError):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        state = str(getattr(error.orig, "sqlstate", "") or "")
        if state.startswith("08") or state in {"57P01", "57P02", "57P03", "55000"}:
            return True
        text = _first_line(error).lower()
        return any(marker in text for marker in _UNAVAILABLE_MARKERS)
    return False


class Outage:
    """Logs the start of a database outage once, with its cause, and its end with its length,
    however many requests fail in between."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._since: float | None = None

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        if self._since is None:
            self._since = time.monotonic()
            log.error(
                "%s Members are asked to try again; answers are kept and written when it is back.",
                explain(self.url, error),
            )

    def succeeded(self) -> None:
        if self._since is not None:
            log.warning("the database is back after %.0f s", time.monotonic() - self._since)
            self._since = None
