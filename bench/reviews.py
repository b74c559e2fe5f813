"""Reviews at scale: the nudge tick's selection, and the nudge fan-out.

1. One tick: 100,000 members with 20 review cards each (2,000,000 cards, about half due) and
   a nudge whose time has come for every one of them (the worst tick: two time zones, two
   times, all at once). Measured: the tick's selection, read only (the due slots and the
   members of each with a review due; target <= 1 s), their counts of due reviews (read per
   batch of 500 as the batches are sent), and the whole tick's database
   work with no chat attached (`Reminders.send_due`: the selection, claims 500 at a time, the
   rest moved on). Each beside a naive loop over members in the same run (a query or
   statement per member, measured on 5,000 members and scaled).
2. Fan-out: N members (default 10,000) nudged through the real core, DiscordChat and
   discord.py against the local stand-in enforcing Discord's global limit of 50 requests a
   second. A nudge costs two requests (open the DM channel, send), so 10,000 take at least
   400 s; the target is within 10% of that with no 429s. The baseline sends unpaced and leaves
   the limit to discord.py's 429 handling.

Run: `python -m bench.reviews` (both), `--tick` or `--fanout [N]` for one. The fan-out at
the default size takes about seven minutes per variant.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import random
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

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
from bot.domain.reminders import Reminder, Slot, next_nudge
from bot.domain.reviews import reviewed
from bot.ports import Actor, UnitOfWork, UserRef
from bot.runtime import tune_gc
from bot.service.reminders import BATCH
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
ROUNDS = 3
NOW = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
ZONES = ("UTC", "Europe/Berlin")
TIMES = (8 * 60, 8 * 60 + 30)


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
                    **_settings_values(CommunitySettings(timezone=ZONES[i % len(ZONES)])),
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
        zones = {cid: ZONES[i % len(ZONES)] for i, cid in enumerate(ids)}
        community_of = dict(conn.execute(select(members.c.id, members.c.community_id)).all())
        rows = []
        for m in member_ids:
            zone, minute = zones[community_of[m]], rng.choice(TIMES)
            next_at, day_ends_at = next_nudge(NOW - timedelta(days=1), minute, ZoneInfo(zone))
            rows.append(
                {
                    "member_id": m,
                    "at_minute": minute,
                    "quiet_start": 22 * 60,
                    "quiet_end": 8 * 60,
                    "next_at": next_at,
                    "day_ends_at": day_ends_at,
                    "sent_on": None,
                }
            )
        conn.execute(insert(review_reminders), rows)
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
        filled = Path(tmp) / "filled.db"
        await upgrade(f"sqlite+aiosqlite:///{filled}")
        started = time.perf_counter()
        fill(filled)
        print(
            f"Review nudges, one tick: {MEMBERS:,} members x {CARDS_EACH} cards on SQLite, every "
            f"nudge due at once (filled in {time.perf_counter() - started:.0f} s)"
        )
        select_samples, count_samples = [], []
        storage = SqlStorage.connect(f"sqlite+aiosqlite:///{filled}")

        async def select_due(uow: UnitOfWork) -> list[tuple[Slot, list[int]]]:
            """The tick's selection, read only: the due slots and the members of each with a
            review due."""
            return [
                (slot, await uow.reminders.pick(slot, with_reviews=True))
                for slot in await uow.reminders.due_slots(NOW)
            ]

        async def count_due(uow: UnitOfWork, picked: list[tuple[Slot, list[int]]]) -> int:
            """Their counts of due reviews, read as the tick reads them: per claimed batch."""
            found = 0
            for slot, ids in picked:
                for start in range(0, len(ids), BATCH):
                    batch = ids[start : start + BATCH]
                    found += len(await uow.reminders.recipients(batch, slot.day_ends_at))
            return found

        for _round in range(ROUNDS):
            begun = time.perf_counter()
            picked = await storage.read(select_due)
            select_samples.append(time.perf_counter() - begun)
            begun = time.perf_counter()
            selected = await storage.read(lambda uow, picked=picked: count_due(uow, picked))
            count_samples.append(time.perf_counter() - begun)
        sample = list(range(1, NAIVE_SAMPLE + 1))

        async def naive_select(uow: UnitOfWork) -> int:
            """A loop over members: each one's reminder, then its count of due reviews."""
            found = 0
            for member_id in sample:
                reminder = await uow.reminders.get(member_id)
                if reminder is not None and reminder.next_at <= NOW:
                    found += await uow.reviews.count_due(member_id, reminder.day_ends_at) > 0
            return found

        begun = time.perf_counter()
        await storage.read(naive_select)
        naive_select_s = (time.perf_counter() - begun) * MEMBERS / NAIVE_SAMPLE
        await storage.close()

        samples, claimed = [], 0
        for round_no in range(ROUNDS):
            path = Path(tmp) / f"round{round_no}.db"
            shutil.copy(filled, path)
            core = connect(f"sqlite+aiosqlite:///{path}", bench_bank()).app
            core.ctx.clock = FixedClock(NOW)  # no chat attached: the database work alone
            begun = time.perf_counter()
            await core.services.reminders.send_due()
            samples.append(time.perf_counter() - begun)

            async def sent_today(uow: UnitOfWork) -> int:
                return len(await uow.reminders.due_slots(NOW))

            assert await core.storage.read(sent_today) == 0, "every reminder moved on"
            claimed = await _claimed(path)
            await core.close()
            path.unlink()

        path = Path(tmp) / "naive.db"
        shutil.copy(filled, path)
        storage = SqlStorage.connect(f"sqlite+aiosqlite:///{path}")

        async def naive(uow: UnitOfWork) -> int:
            """What a loop over members does: read each reminder, count its reviews, claim it
            with its own statement."""
            count = 0
            for member_id in sample:
                reminder = await uow.reminders.get(member_id)
                if reminder is None or reminder.next_at > NOW:
                    continue
                if await uow.reviews.count_due(member_id, reminder.day_ends_at):
                    moved = dataclasses.replace(reminder, next_at=NOW + timedelta(days=1))
                    await uow.reminders.put(moved)
                    count += 1
            return count

        begun = time.perf_counter()
        await storage.transact(naive)
        naive_s = (time.perf_counter() - begun) * MEMBERS / NAIVE_SAMPLE
        await storage.close()
    median, select_median = statistics.median(samples), statistics.median(select_samples)
    print(f"  {selected:,} members have a review due; {claimed:,} were claimed for a nudge")
    print("  selection (read only): the due slots and their members with a review due")
    print(
        f"    slots                        median {select_median:6.3f} s   "
        f"best {min(select_samples):6.3f} s   ({ROUNDS} rounds)   target <= 1 s"
    )
    print(
        f"    naive, queries per member    {naive_select_s:6.1f} s "
        f"(measured on {NAIVE_SAMPLE:,} members, scaled)   {naive_select_s / select_median:5.0f}x"
    )
    print(
        f"  their counts of due reviews, per batch of {BATCH} as sent: "
        f"median {statistics.median(count_samples):6.3f} s for all"
    )
    print("  the whole tick (selection, claims in batches of 500, no chat attached)")
    print(
        f"    Reminders.send_due           median {median:6.3f} s   "
        f"best {min(samples):6.3f} s   ({ROUNDS} rounds)"
    )
    print(
        f"    naive, statements per member {naive_s:6.1f} s "
        f"(measured on {NAIVE_SAMPLE:,} members, scaled)   {naive_s / median:5.0f}x"
    )


async def _claimed(path: Path) -> int:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        count = conn.scalar(
            select(func.count())
            .select_from(review_reminders)
            .where(review_reminders.c.sent_on.is_not(None))
        )
    engine.dispose()
    return int(count or 0)


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
    parser.add_argument("--tick", action="store_true")
    parser.add_argument("--fanout", nargs="?", type=int, const=10_000, default=None)
    args = parser.parse_args()
    both = not args.tick and args.fanout is None
    if args.tick or both:
        asyncio.run(selection())
    if args.fanout is not None or both:
        asyncio.run(fanout(args.fanout or 10_000))


if __name__ == "__main__":
    main()
