"""Start-up faults of the database end in one or two lines that say what to do, and a non-zero
exit: each case runs the real command line in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.storage.faults import LOCK_WAIT_S, explain
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]


def studybot(
    tmp_path: Path, database_url: str, *args: str, **env: str
) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD_", "SLACK_", "DATABASE_"))
    }
    environment.update(
        DATABASE_URL=database_url,
        STUDYBOT_QUESTIONS_DIR=str(ROOT / "tests" / "data" / "bank"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input="quit\n",
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=90,
    )


def assert_one_message(result: subprocess.CompletedProcess, *expected: str) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert 1 <= len(lines) <= 2, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    return result.stderr


def free_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A studybot.db that this process cannot write: immutable when running as root (which
    ignores file modes), read-only by mode otherwise."""
    path = tmp_path / "studybot.db"
    sqlite3.connect(path).close()
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if not chattr or subprocess.run([chattr, "+i", str(path)]).returncode != 0:
            pytest.skip("running as root, and chattr +i is not available to make a read-only file")
        yield path
        subprocess.run([chattr, "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield path
        path.chmod(0o644)


def test_postgres_refusing_connections(tmp_path):
    port = free_port()
    result = studybot(tmp_path, f"postgresql://studybot@127.0.0.1:{port}/studybot", "db", "upgrade")
    assert_one_message(result, "DATABASE_URL", f"127.0.0.1:{port}", "refused the connection")


def test_run_stops_with_the_message_before_connecting_to_discord(tmp_path):
    port = free_port()
    result = studybot(
        tmp_path, f"postgresql://studybot@127.0.0.1:{port}/studybot", "run", DISCORD_TOKEN="x.y.z"
    )
    assert_one_message(result, "DATABASE_URL", "refused the connection")


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")
def test_postgres_database_that_does_not_exist(tmp_path):
    assert PG_URL is not None
    url = make_url(PG_URL).set(database="studybot_no_such_db").render_as_string(hide_password=False)
    result = studybot(tmp_path, url, "db", "upgrade")
    assert_one_message(result, "DATABASE_URL", "“studybot_no_such_db” does not exist", "createdb")


def test_sqlite_file_in_a_missing_folder(tmp_path):
    result = studybot(tmp_path, "sqlite:///data/studybot.db", "console", "--name", "Ada")
    assert_one_message(result, "DATABASE_URL", "data/studybot.db", "mkdir -p data")
    assert not (tmp_path / "data").exists()


def test_read_only_database_file(tmp_path, read_only):
    result = studybot(tmp_path, f"sqlite:///{read_only.name}", "console")
    assert_one_message(result, "studybot.db is read-only", "DATABASE_URL")


def test_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "notes.db").write_text("shopping list\n" * 100)
    result = studybot(tmp_path, "sqlite:///notes.db", "db", "upgrade")
    assert_one_message(result, "notes.db is not a studybot database")


def test_database_file_locked_by_another_program(tmp_path):
    path = tmp_path / "studybot.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        result = studybot(tmp_path, "sqlite:///studybot.db", "db", "upgrade")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_one_message(result, "studybot.db is locked by another program", "DATABASE_URL")
    # it waits a moment for the lock, not SQLite's 30-second busy timeout
    assert LOCK_WAIT_S <= waited < 25


def test_a_fresh_sqlite_file_still_starts(tmp_path):
    result = studybot(tmp_path, "sqlite:///studybot.db", "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "Database is up to date." in result.stdout


def test_unknown_host_is_named():
    error = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    text = explain("postgresql+asyncpg://u@db.internal.example/studybot", error)
    assert text == (
        "DATABASE_URL: the host “db.internal.example” is unknown (Name or service not known). "
        "Correct the host name in DATABASE_URL."
    )


def test_json_logs_are_one_object_per_line_with_secrets_masked(tmp_path):
    port = free_port()
    result = studybot(
        tmp_path,
        f"postgresql://studybot:hunter2secret@127.0.0.1:{port}/studybot",
        "db",
        "upgrade",
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
        DISCORD_TOKEN="token-that-must-not-leak",
        SLACK_SIGNING_SECRET="signing-secret-that-must-not-leak",
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    # everything but the one-line fault message (for the person at the terminal) is JSON
    assert [line for line in lines if not line.startswith("{")] == [
        line for line in lines if "refused the connection" in line
    ]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    settings = next(r for r in records if r["message"].startswith("settings:"))
    assert "'DISCORD_TOKEN': '***'" in settings["message"]
    assert "must-not-leak" not in result.stderr and "hunter2secret" not in result.stderr
