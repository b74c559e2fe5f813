"""Service tests on the in-memory unit of work: the use cases and the bus without a database
(the storage tests run the same flows on real SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from bot.app import Studybot
from bot.bootstrap import build
from bot.question_bank import Bank
from tests.fake_storage import MemoryStorage
from tests.fakes import FixedClock, RecordingChat


@pytest_asyncio.fixture
async def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest_asyncio.fixture
async def app(
    storage: MemoryStorage, bank: Bank, clock: FixedClock, chat: RecordingChat
) -> AsyncIterator[Studybot]:
    made = build(storage, bank, clock=clock, chats={"test": chat})
    yield made
    await made.close()
