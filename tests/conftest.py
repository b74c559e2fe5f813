"""Shared fixtures: a real database (a SQLite file, and PostgreSQL when TEST_DATABASE_URL is
set), the small test bank, a recording chat and a clock that moves only when told."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import Studybot
from bot.bootstrap import build
from bot.commands import SetupChange
from bot.domain.community import CommunitySettings
from bot.ports import Actor, UserRef
from bot.question_bank import Bank, load_bank
from bot.storage.engine import Database
from bot.storage.migrate import upgrade
from bot.storage.uow import SqlStorage
from tests.fakes import FixedClock, RecordingChat

TEST_BANK = Path(__file__).parent / "data" / "bank"
PG_URL = os.environ.get("TEST_DATABASE_URL")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set"),
        ],
    ),
]


@dataclass
class DatabaseTarget:
    """A migrated, empty database: its URL and the engine options that select it."""

    url: str
    engine_kwargs: dict[str, Any]
    backend: str

    def database(self) -> Database:
        return Database.connect(self.url, **self.engine_kwargs)


@pytest.fixture(scope="session")
def bank() -> Bank:
    loaded = load_bank(TEST_BANK)
    assert not loaded.problems, loaded.problems
    return loaded


@pytest_asyncio.fixture(params=BACKENDS)
async def target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DatabaseTarget]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'studybot.db'}"
        await upgrade(url)
        yield DatabaseTarget(url, {}, "sqlite")
        return
    assert PG_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    kwargs = {"connect_args": {"server_settings": {"search_path": schema}}}
    try:
        await upgrade(PG_URL, **kwargs)
        yield DatabaseTarget(PG_URL, kwargs, "postgres")
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))


@pytest.fixture
def chat() -> RecordingChat:
    return RecordingChat()


AppFactory = Callable[..., Studybot]


@pytest_asyncio.fixture
async def make_app(
    target: DatabaseTarget, bank: Bank, clock: FixedClock, chat: RecordingChat
) -> AsyncIterator[AppFactory]:
    made: list[Studybot] = []

    def factory(**overrides: Any) -> Studybot:
        app = build(
            SqlStorage(target.database()),
            overrides.pop("bank", bank),
            clock=overrides.pop("clock", clock),
            chats={"test": overrides.pop("chat", chat)},
            defaults=overrides.pop("defaults", CommunitySettings()),
            **overrides,
        )
        made.append(app)
        return app

    yield factory
    for app in made:
        await app.close()


@pytest_asyncio.fixture
async def app(make_app: AppFactory) -> Studybot:
    return make_app()


def member(
    user_id: str, name: str | None = None, *, admin: bool = False, workspace: str = "W1"
) -> Actor:
    return Actor(UserRef("test", workspace, user_id), name or user_id.title(), is_admin=admin)


ADMIN = member("admin", "Ada", admin=True)


async def configure(app: Studybot, **values: str) -> None:
    settings = {"channel": "C1", "time": "09:00", "timezone": "UTC", **values}
    reply = await app.setup(ADMIN, SetupChange(**settings))
    assert reply.title == "Settings saved", reply.text
