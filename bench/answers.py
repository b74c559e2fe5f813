"""Answer burst: 5,000 answers from 200 concurrent members, through the real core, on SQLite.

A community never has two daily questions open, so the 25 open questions are those of 25
communities, and the 200 members belong to each of them. They have used the bot before (a
warm-up, not measured: their rows exist, the statements are compiled, the pools are open), as
the members of running groups have. Compared in the same run with
- a naive design: one AsyncSession and one commit per answer (validate, insert, streak), and
- the ceiling: raw sqlite3 inserts of the same rows, batched 100 per commit.

Run: `python -m bench.answers` (or `make bench`).
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from bench.common import bench_bank, describe, percentile
from bot import commands as c
from bot.app import Studybot
from bot.bootstrap import connect
from bot.commands import SetupChange
from bot.domain.questions import Kind
from bot.ports import Actor, UserRef
from bot.runtime import tune_gc
from bot.storage.engine import make_engine
from bot.storage.migrate import upgrade
from bot.storage.tables import answers, member_stats, members, posts
from tests.fakes import RecordingChat

MEMBERS = 200
POSTS = 25  # 200 members x 25 open questions = 5,000 answers


def actor(i: int, community: int) -> Actor:
    return Actor(UserRef("bench", f"W{community}", f"u{i}"), f"Member {i}")


async def prepare(url: str) -> tuple[Studybot, list[list[str]]]:
    """POSTS communities with one open question each; the buttons of each card, in order."""
    await upgrade(url)
    chat = RecordingChat()
    app = connect(url, bench_bank(), chats={"bench": chat}).app
    for k in range(POSTS):
        admin = Actor(UserRef("bench", f"W{k}", "admin"), "Admin", is_admin=True)
        reply = await app.setup(admin, SetupChange(channel="C", kinds="mc", window="7d"))
        assert reply.title == "Settings saved", reply.text
        await app.post_now(admin)
    buttons = [[a.id for a in card.actions] for _, card in chat.posted]
    assert len(buttons) == POSTS
    return app, buttons


async def through_the_core(url: str) -> tuple[float, list[float]]:
    app, buttons = await prepare(url)
    for k in range(POSTS):  # warm-up, not measured: every member has used the bot here before
        await asyncio.gather(*(app.handle(actor(i, k), c.ShowStreak()) for i in range(MEMBERS)))
    tune_gc()  # as `studybot run` does after startup
    latencies: list[float] = []

    async def member(i: int) -> None:
        for k, post_buttons in enumerate(buttons):
            start = time.perf_counter()
            reply = await app.handle_action(actor(i, k), post_buttons[i % len(post_buttons)])
            latencies.append(time.perf_counter() - start)
            assert reply.text.startswith("Recorded"), reply.text

    start = time.perf_counter()
    await asyncio.gather(*(member(i) for i in range(MEMBERS)))
    elapsed = time.perf_counter() - start
    await app.close()
    return elapsed, latencies


async def naive(url: str) -> tuple[float, list[float]]:
    """The design the batcher replaces: one session and one commit per answer."""
    app, _buttons = await prepare(url)
    await app.close()
    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as s:
        post_rows = (
            await s.execute(select(posts.c.id, posts.c.community_id).order_by(posts.c.id))
        ).all()
    member_ids: dict[tuple[int, int], int] = {}
    latencies: list[float] = []

    async def join(i: int, community_id: int) -> None:
        """Warm-up, not measured, as in the core's run: the member's rows exist."""
        async with sessions() as s, s.begin():
            member_id = (
                await s.execute(
                    insert(members)
                    .values(
                        community_id=community_id,
                        user_id=f"u{i}",
                        display_name=f"Member {i}",
                        created_at=datetime.now(UTC),
                    )
                    .returning(members.c.id)
                )
            ).scalar_one()
            await s.execute(
                insert(member_stats).values(
                    member_id=member_id, streak_current=0, streak_best=0, answered=0
                )
            )
        member_ids[(i, community_id)] = member_id

    async def answer(i: int, post_id: int, community_id: int) -> None:
        async with sessions() as s, s.begin():
            row = (
                await s.execute(
                    select(posts.c.status, posts.c.closes_at).where(posts.c.id == post_id)
                )
            ).one()
            assert row.status == "open"
            member_id = member_ids[(i, community_id)]
            existing = (
                await s.execute(
                    select(answers.c.id).where(
                        answers.c.post_id == post_id, answers.c.member_id == member_id
                    )
                )
            ).first()
            assert existing is None
            await s.execute(
                insert(answers).values(
                    post_id=post_id,
                    member_id=member_id,
                    choice=i % 3,
                    answered_at=datetime.now(UTC),
                )
            )
            await s.execute(
                update(member_stats)
                .where(member_stats.c.member_id == member_id)
                .values(answered=member_stats.c.answered + 1)
            )

    async def member(i: int) -> None:
        for post_id, community_id in post_rows:
            start = time.perf_counter()
            await answer(i, post_id, community_id)
            latencies.append(time.perf_counter() - start)

    for _post_id, community_id in post_rows:
        await asyncio.gather(*(join(i, community_id) for i in range(MEMBERS)))
    start = time.perf_counter()
    await asyncio.gather(*(member(i) for i in range(MEMBERS)))
    elapsed = time.perf_counter() - start
    await engine.dispose()
    return elapsed, latencies


def ceiling(path: Path) -> float:
    """Raw sqlite3: the same 5,000 answer rows, 100 per commit, no validation at all."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE answers (id INTEGER PRIMARY KEY, post_id INT, member_id INT, "
        "choice INT, answered_at TEXT, UNIQUE (post_id, member_id))"
    )
    rows = [
        (p, m, m % 3, datetime.now(UTC).isoformat()) for p in range(POSTS) for m in range(MEMBERS)
    ]
    start = time.perf_counter()
    for i in range(0, len(rows), 100):
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO answers (post_id, member_id, choice, answered_at) VALUES (?, ?, ?, ?)",
            rows[i : i + 100],
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


async def main() -> None:
    total = MEMBERS * POSTS
    assert bench_bank().questions and any(
        q.kind is Kind.MULTIPLE_CHOICE for q in bench_bank().questions
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        core_s, core_lat = await through_the_core(f"sqlite+aiosqlite:///{folder / 'core.db'}")
        naive_s, naive_lat = await naive(f"sqlite+aiosqlite:///{folder / 'naive.db'}")
        raw_s = ceiling(folder / "raw.db")
    core_rate, naive_rate, raw_rate = total / core_s, total / naive_s, total / raw_s
    print(f"Answer burst: {total:,} answers from {MEMBERS} concurrent members (SQLite, WAL)")
    print(f"  studybot core     {core_rate:9,.0f} answers/s   {describe(core_lat)}")
    print(f"  naive (1 commit)  {naive_rate:9,.0f} answers/s   {describe(naive_lat)}")
    print(f"  raw sqlite3 x100  {raw_rate:9,.0f} answers/s   (ceiling: no validation, no ORM)")
    print(f"  core / naive throughput: {core_rate / naive_rate:5.1f}x   (target >= 20x)")
    print(f"  core / raw ceiling:      {core_rate / raw_rate:5.2f}")
    p99 = percentile(core_lat, 99) * 1000
    print(f"  core p99 latency: {p99:.1f} ms   (target <= 50 ms)")


if __name__ == "__main__":
    asyncio.run(main())
