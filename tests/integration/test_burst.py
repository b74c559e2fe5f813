"""Many members answering at once: nothing lost, nothing duplicated, no "database is locked"."""

import asyncio
import logging
import random

import pytest
from sqlalchemy import func, select

from bot.app import SORRY
from bot.storage.tables import answers, member_stats
from tests.conftest import ADMIN, configure, member


async def test_a_thousand_answers_from_two_hundred_concurrent_members(app, chat, caplog):
    caplog.set_level(logging.WARNING)
    await configure(app, kinds="mc")
    await app.post_now(ADMIN)
    card = chat.posted[0][1]
    rng = random.Random(7)
    people = [member(f"u{i}", f"Member {i}") for i in range(200)]
    # every member clicks five times, concurrently: the first click of each counts
    clicks = [(p, rng.randrange(3)) for p in people for _ in range(5)]
    rng.shuffle(clicks)
    replies = await asyncio.gather(*(app.handle_action(p, card.actions[c].id) for p, c in clicks))
    assert SORRY not in {r.text for r in replies}
    recorded = [r for r in replies if r.text.startswith("Recorded")]
    already = [r for r in replies if r.text.startswith("You already answered")]
    assert (len(recorded), len(already)) == (200, 800)

    async with app.storage.db.reading() as conn:
        stored = (await conn.execute(select(func.count()).select_from(answers))).scalar()
        streaks = (await conn.execute(select(func.count()).select_from(member_stats))).scalar()
    assert stored == 200 and streaks == 200
    assert "database is locked" not in caplog.text

    await app.close_now(ADMIN)
    assert chat.reveals[0][1].answered == 200


async def test_a_briefly_locked_sqlite_database_loses_no_answer(app, chat, target):
    if target.backend != "sqlite":
        pytest.skip("an exclusive file lock is SQLite's; PostgreSQL has row locks instead")
    await configure(app, kinds="mc")
    await app.post_now(ADMIN)
    card = chat.posted[0][1]
    import aiosqlite

    path = target.url.split("///", 1)[1]
    async with aiosqlite.connect(path) as blocker:
        await blocker.execute("BEGIN EXCLUSIVE")
        pending = [
            asyncio.create_task(app.handle_action(member(f"u{i}"), card.actions[0].id))
            for i in range(20)
        ]
        await asyncio.sleep(0.5)
        assert not any(t.done() for t in pending)
        await blocker.rollback()
    replies = await asyncio.gather(*pending)
    assert all(r.text.startswith("Recorded") for r in replies)
