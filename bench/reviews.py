"""Reviews at scale: the nudge tick's selection, and the nudge fan-out.

1. Selection: 100,000 members with 20 review cards each (2,000,000 cards, about half due) and a
   nudge whose time has come for every one of them (the worst tick: one time zone, one time).
   The tick reads who is due and how many reviews each has in one indexed query
   (`ReminderRepository.due`); the naive baseline in the same run asks each member's reminder
   and due count separately, as a loop over members would. Target: <= 1 s for all 100,000.
2. Fan-out: N members (default 10,000) nudged through the real core, DiscordChat and
   discord.py against the local stand-in enforcing Discord's global limit of 50 requests a
   second. A nudge costs two requests (open the DM channel, send), so 10,000 take at least
   400 s; the target is within 10% of that with no 429s. The baseline sends unpaced and leaves
   the limit to discord.py's 429 handling.

Run: `python -m bench.reviews` (both), `--selection` or `--fanout [N]` for one. The fan-out at
the default size takes about seven minutes per variant.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import yarl
from aiohttp.test_utils import TestServer
from fsrs import Rating
from sqlalchemy import create_engine, func, insert, select

from adapters.discord.chat import PACED_RATE, DiscordChat
from adapters.discord.pacing import DISCORD_GLOBAL_LIMIT, Pacer
from bench.common import bench_bank
from bot.bootstrap import connect
from bot.commands import SetupChange
from bot.domain.community import CommunitySettings
from bot.domain.members import Member
from bot.domain.reminders import Reminder
from bot.domain.reviews import reviewed
from bot.ports import Actor, UnitOfWork, UserRef
from bot.runtime import tune_gc
from bot.storage.migrate import upgrade
from bot.storage.repositories.communities import _settings_values
from bot.storage.tables import communities, members, review_cards, review_reminders
from bot.storage.uow import SqlStorage
from tests.adapters.discord_standin import DiscordStandIn
from tests.fakes import FixedClock

MEMBERS = 100_000
CARDS_EACH = 20
COMMUNITIES = 100
NAIVE_SAMPLE = 5_000
NOW = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)


def fill(path: Path) -> None:
    """Rows written with SQLAlchemy's synchronous SQLite driver and the project's own tables,
    so the stored values are exactly what the bot writes (the card's FSRS memory is left empty:
    the selection never reads it)."""
    engine = create_engine(f"sqlite:///{path}")
    rng = random.Random(7)
    with engine.begin() as conn:
        conn.execute(
            insert(communities),
            [
                {
                    "platform": "discord",
                    "workspace_id": str(10**17 + i),
                    "name": f"group {i}",
                    "created_at": NOW,
                    "updated_at": NOW,
                    **_settings_values(CommunitySettings()),
                }
                for i in range(COMMUNITIES)
            ],
        )
        ids = list(conn.scalars(select(communities.c.id)))
        conn.execute(
            insert(members),
            [
                {
                    "community_id": ids[m % COMMUNITIES],
                    "user_id": str(m),
                    "display_name": f"member {m}",
                    "created_at": NOW,
                }
                for m in range(MEMBERS)
            ],
        )
        member_ids = list(conn.scalars(select(members.c.id)))
        conn.execute(
            insert(review_reminders),
            [
                {
                    "member_id": m,
                    "at_minute": 8 * 60 + 30,
                    "quiet_start": 22 * 60,
                    "quiet_end": 8 * 60,
                    "next_at": NOW - timedelta(seconds=rng.randrange(1800)),
                    "day_ends_at": NOW + timedelta(hours=15, minutes=30),
                    "sent_on": None,
                }
                for m in member_ids
            ],
        )
        for start in range(0, len(member_ids), 10_000):
            conn.execute(
                insert(review_cards),
                [
                    {
                        "member_id": m,
                        "question_id": f"q{q}",
                        "memory": {},
                        "due": NOW + timedelta(minutes=rng.randrange(-14_400, 14_400)),
                        "reviews": 1,
                        "lapses": 0,
                    }
                    for m in member_ids[start : start + 10_000]
                    for q in range(CARDS_EACH)
                ],
            )
    engine.dispose()


async def selection() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reviews.db"
        url = f"sqlite+aiosqlite:///{path}"
        await upgrade(url)
        started = time.perf_counter()
        fill(path)
        print(
            f"Review nudges, selection: {MEMBERS:,} members x {CARDS_EACH} cards on SQLite "
            f"(filled in {time.perf_counter() - started:.0f} s)"
        )
        storage = SqlStorage.connect(url)

        async def tick(uow: UnitOfWork) -> int:
            due = await uow.reminders.due(NOW, MEMBERS)
            return sum(n.has_reviews for n in due)

        samples = []
        for _round in range(5):
            begun = time.perf_counter()
            with_reviews = await storage.read(tick)
            samples.append(time.perf_counter() - begun)

        sample = list(range(1, NAIVE_SAMPLE + 1))

        async def naive(uow: UnitOfWork) -> int:
            count = 0
            for member_id in sample:
                reminder = await uow.reminders.get(member_id)
                if reminder is not None and reminder.next_at <= NOW:
                    count += await uow.reviews.count_due(member_id, reminder.day_ends_at) > 0
            return count

        begun = time.perf_counter()
        await storage.read(naive)
        naive_s = (time.perf_counter() - begun) * MEMBERS / NAIVE_SAMPLE

        await storage.close()
        engine = create_engine(f"sqlite:///{path}")
        with engine.connect() as conn:
            total = int(conn.scalar(select(func.count()).select_from(review_cards)) or 0)
        engine.dispose()
    best, median = min(samples), statistics.median(samples)
    print(f"  {total:,} cards; {with_reviews:,} members have a review due by the end of the day")
    print(f"  one query (ReminderRepository.due)   median {median:6.3f} s   best {best:6.3f} s")
    print(
        f"  naive, a query per member            {naive_s:6.1f} s "
        f"(measured on {NAIVE_SAMPLE:,} members, scaled)   {naive_s / median:5.0f}x slower"
    )
    print("  target: <= 1 s for all members")


async def fan_out(folder: Path, members_count: int, paced: bool) -> tuple[float, int, int]:
    standin = DiscordStandIn(global_limit=DISCORD_GLOBAL_LIMIT)
    server = TestServer(standin.app(), host="127.0.0.1")
    await server.start_server()
    discord.http.Route.BASE = f"http://127.0.0.1:{server.port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        f"ws://127.0.0.1:{server.port}/gateway"
    )
    url = f"sqlite+aiosqlite:///{folder / ('paced.db' if paced else 'unpaced.db')}"
    await upgrade(url)
    clock = FixedClock(NOW - timedelta(days=2))
    core = connect(url, bench_bank(), clock=clock).app
    guild = str(10**17)
    admin = Actor(UserRef("discord", guild, "1"), "Admin", is_admin=True)
    await core.setup(admin, SetupChange(channel=str(2 * 10**17), time="09:00"))
    question = core.bank.questions[0]
    people = [
        Actor(UserRef("discord", guild, str(3 * 10**17 + i)), f"m{i}") for i in range(members_count)
    ]
    for start in range(0, members_count, 1000):
        found = [(await core.ctx.member(p))[1] for p in people[start : start + 1000]]

        async def put(uow: UnitOfWork, found: list[Member] = found) -> None:
            await uow.reviews.save(
                [reviewed(None, m.id, question.id, Rating.Again, clock.now()) for m in found]
            )
            for m in found:
                await uow.reminders.put(
                    Reminder(m.id, 0, NOW - timedelta(minutes=1), NOW + timedelta(hours=1), 0, 0)
                )

        await core.storage.transact(put)
    client = discord.Client(intents=discord.Intents.none())
    await client.login("bench-token")
    pacer = Pacer(PACED_RATE) if paced else Pacer(10**9)
    core.attach_chat("discord", DiscordChat(client, pacer))
    tune_gc()
    clock.set(NOW)
    start = time.perf_counter()
    await core.send_nudges()
    elapsed = time.perf_counter() - start
    sent = len([c for c in standin.posts() if "due for review" in str(c.body)])
    await client.close()
    await core.close()
    await server.close()
    return elapsed, sent, standin.refused_429


async def fanout(members_count: int) -> None:
    ideal = 2 * members_count / DISCORD_GLOBAL_LIMIT
    with tempfile.TemporaryDirectory() as tmp:
        paced = await fan_out(Path(tmp), members_count, paced=True)
        unpaced = await fan_out(Path(tmp), members_count, paced=False)
    print(
        f"Review nudges, fan-out: {members_count:,} members on Discord, two requests each, "
        f"stand-in enforcing {DISCORD_GLOBAL_LIMIT} requests/s (ideal {ideal:.0f} s)"
    )
    for name, (elapsed, sent, refused) in (
        ("paced (DiscordChat)", paced),
        ("unpaced, discord.py 429s", unpaced),
    ):
        print(
            f"  {name:26s} {elapsed:6.1f} s  {sent:6d} sent  {refused:5d} refused with 429  "
            f"{elapsed / ideal:5.2f}x ideal"
        )
    print("  target: all sent within 1.10x ideal, no 429")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--selection", action="store_true")
    parser.add_argument("--fanout", nargs="?", type=int, const=10_000, default=None)
    args = parser.parse_args()
    both = not args.selection and args.fanout is None
    if args.selection or both:
        asyncio.run(selection())
    if args.fanout is not None or both:
        asyncio.run(fanout(args.fanout or 10_000))


if __name__ == "__main__":
    main()
