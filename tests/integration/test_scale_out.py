"""Two `studybot run` processes on one PostgreSQL database, as the README's scaling-out section
describes: both run a scheduler and serve Slack's HTTP endpoint. Through a post time, a
restart of one process, a close and a weekly pairing round, every act happens exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.bootstrap import connect
from bot.commands import SetupChange
from bot.ports import Actor, UserRef
from bot.question_bank import load_bank
from bot.storage.migrate import upgrade
from tests.adapters.slack_standin import SIGNING_SECRET, TEAM, SlackStandIn, action_body, signed
from tests.adapters.waiting import until
from tests.conftest import PG_URL, TEST_BANK

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set"),
]

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor(UserRef("slack", TEAM, "U001"), "ada", is_admin=True)
MEMBERS = [
    Actor(UserRef("slack", TEAM, "U100"), "bea"),
    Actor(UserRef("slack", TEAM, "U200"), "cy"),
]


@pytest_asyncio.fixture
async def database() -> AsyncIterator[str]:
    """A database of its own: two processes cannot share a per-connection search path."""
    assert PG_URL is not None
    name = f"scale_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        await upgrade(url)
        yield url
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    slack = SlackStandIn(admins={"U001"})
    server = TestServer(slack.app(), host="127.0.0.1")
    await server.start_server()
    slack.base = f"http://127.0.0.1:{server.port}"
    yield slack
    await server.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def next_post_minute(now: datetime) -> datetime:
    """The next whole minute that leaves the processes 25 s to start."""
    minute = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return minute if (minute - now).total_seconds() >= 25 else minute + timedelta(minutes=1)


async def prepare_community(url: str, at: datetime) -> None:
    """Set up the community and two mock-interview members, as they would themselves."""
    running = connect(url, load_bank(TEST_BANK))
    app = running.app
    try:
        change = SetupChange(
            channel="C0001",
            time=at.strftime("%H:%M"),
            timezone="UTC",
            kinds="mc",
            difficulty="easy",
            pair_day=at.strftime("%a").lower(),
            pair_time=at.strftime("%H:%M"),
        )
        saved = await app.setup(ADMIN, change)
        assert saved.title == "Settings saved", saved.text
        for member in MEMBERS:
            joined = await app.pair_join(member, "daily 00:00-24:00", "UTC")
            assert joined.text.startswith("You're in for mock interviews"), joined.text
    finally:
        await app.close()


class Process:
    def __init__(self, name: str, url: str, standin: SlackStandIn, logs: Path) -> None:
        self.name, self.port = name, free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{standin.base}/api/",
            "PORT": str(self.port),
            "STUDYBOT_QUESTIONS_DIR": str(TEST_BANK),
        }
        self.logs = logs
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.logs / f"{self.name}.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=self.env,
            cwd=self.logs,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    async def ready(self, session: aiohttp.ClientSession) -> None:
        for _ in range(300):
            assert self.proc is not None and self.proc.poll() is None, self.log()
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"http://127.0.0.1:{self.port}/readyz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} never became ready:\n{self.log()}")

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)

    def log(self) -> str:
        return (self.logs / f"{self.name}.log").read_text(errors="replace")[-3000:]


@contextlib.contextmanager
def stopped_at_the_end(*processes: Process) -> Iterator[None]:
    try:
        yield
    finally:
        for process in processes:
            if process.proc is not None and process.proc.poll() is None:
                process.proc.kill()
                process.proc.wait()


def cards(standin: SlackStandIn) -> list[dict]:
    return [
        body
        for body in standin.by_method("chat.postMessage")
        if body.get("channel") == "C0001"
        and not body.get("thread_ts")
        and "sb:a:" in str(body.get("blocks"))
    ]


def reveals(standin: SlackStandIn) -> list[dict]:
    return [b for b in standin.by_method("chat.postMessage") if b.get("thread_ts")]


def direct_messages(standin: SlackStandIn, channel: str) -> list[dict]:
    return [b for b in standin.by_method("chat.postMessage") if b.get("channel") == channel]


PAIR_CHANNELS = ("DU100", "DU200", "DU100,U200")


def everything_sent(standin: SlackStandIn) -> bool:
    """The card closed, the reveal posted, and each pair message out (the weekly round runs at
    the post minute, but on a loaded machine its messages can come after the reveal)."""
    return bool(
        standin.by_method("chat.update")
        and reveals(standin)
        and all(direct_messages(standin, channel) for channel in PAIR_CHANNELS)
    )


def sent_summary(standin: SlackStandIn) -> dict[str, int]:
    return {
        "cards": len(cards(standin)),
        "chat.update": len(standin.by_method("chat.update")),
        "reveals": len(reveals(standin)),
        **{channel: len(direct_messages(standin, channel)) for channel in PAIR_CHANNELS},
    }


async def end_the_answer_window(url: str) -> None:
    """An answer window lasts at least an hour; the test moves its end to now instead of
    waiting, as the clock would. Each process finds the due close in the database."""
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE posts SET closes_at = now() WHERE status = 'open'"))
    await engine.dispose()


async def test_two_processes_post_close_reveal_and_pair_exactly_once(database, standin, tmp_path):
    post_at = next_post_minute(datetime.now(UTC))
    await prepare_community(database, post_at)
    first = Process("first", database, standin, tmp_path)
    second = Process("second", database, standin, tmp_path)
    with stopped_at_the_end(first, second):
        async with aiohttp.ClientSession() as session:
            first.start()
            second.start()
            await first.ready(session)
            await second.ready(session)
            seconds_to_post = (post_at - datetime.now(UTC)).total_seconds()
            await until(lambda: cards(standin), seconds=seconds_to_post + 30)

            # a member answers through one process ...
            (card,) = cards(standin)
            choice = next(
                e["action_id"]
                for block in card["blocks"]
                if block["type"] == "actions"
                for e in block["elements"]
                if e["text"]["text"] == "B"
            )
            body = action_body(choice, standin, user="U100", name="bea")
            url = f"http://127.0.0.1:{second.port}/slack/events"
            async with session.post(url, data=body, headers=signed(body)) as response:
                assert response.status == 200
            # generous: on a loaded 2-core machine the reply has taken more than 5 s
            await until(
                lambda: any("Recorded B" in r["text"] for r in standin.responses), seconds=30
            )

            # ... which then restarts before the close
            assert second.stop() == 0, second.log()
            second.start()
            await second.ready(session)

            await end_the_answer_window(database)
            # the next tick closes it; the pair messages may still be on their way
            try:
                await until(lambda: everything_sent(standin), seconds=60)
            except AssertionError:
                raise AssertionError(
                    f"not everything was sent: {sent_summary(standin)}\n"
                    f"first:\n{first.log()}\nsecond:\n{second.log()}"
                ) from None
            await asyncio.sleep(3)  # time for a duplicate to show, were there one

        assert first.stop() == 0, first.log()
        assert second.stop() == 0, second.log()

    assert len(cards(standin)) == 1
    assert len(standin.by_method("chat.update")) == 1  # the close, once
    (reveal,) = reveals(standin)
    assert "bea" in str(reveal["blocks"])  # the answer given through the restarted process
    # the weekly round at the same minute: paired once, each member introduced once
    for channel in PAIR_CHANNELS:
        assert len(direct_messages(standin, channel)) == 1, sent_summary(standin)
