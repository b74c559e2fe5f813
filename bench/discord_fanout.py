"""Daily fan-out on Discord: 1,000 communities with the same post time, posted through the real
core, discord.py and DiscordChat, against the local stand-in enforcing Discord's global limit
of 50 requests a second. 1,000 posts cannot take less than 20 s; the target is within 10% of it.

The baseline in the same run sends without pacing and leaves the limit to discord.py's 429
handling. Run: `python -m bench.discord_fanout`.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import discord
import yarl
from aiohttp.test_utils import TestServer

from adapters.discord.chat import PACED_RATE, DiscordChat
from adapters.discord.pacing import DISCORD_GLOBAL_LIMIT, Pacer
from bench.common import bench_bank
from bot.bootstrap import connect
from bot.commands import SetupChange
from bot.ports import Actor, UserRef
from bot.runtime import tune_gc
from bot.storage.migrate import upgrade
from tests.adapters.discord_standin import DiscordStandIn
from tests.fakes import FixedClock

COMMUNITIES = 1000


async def fan_out(folder: Path, paced: bool) -> tuple[float, int, int]:
    standin = DiscordStandIn(global_limit=DISCORD_GLOBAL_LIMIT)
    server = TestServer(standin.app(), host="127.0.0.1")
    await server.start_server()
    discord.http.Route.BASE = f"http://127.0.0.1:{server.port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        f"ws://127.0.0.1:{server.port}/gateway"
    )
    url = f"sqlite+aiosqlite:///{folder / ('paced.db' if paced else 'unpaced.db')}"
    await upgrade(url)
    clock = FixedClock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    core = connect(url, bench_bank(), clock=clock).app
    for i in range(COMMUNITIES):
        admin = Actor(UserRef("discord", str(10**17 + i), "1"), "Admin", is_admin=True)
        await core.setup(admin, SetupChange(channel=str(2 * 10**17 + i), time="09:00"))
    client = discord.Client(intents=discord.Intents.none())
    await client.login("bench-token")
    pacer = Pacer(PACED_RATE) if paced else Pacer(10**9)
    core.attach_chat("discord", DiscordChat(client, pacer))
    tune_gc()
    ids = [c.id for c in await core.communities()]
    clock.set(datetime(2026, 11, 24, 9, 0, 1, tzinfo=UTC))  # every cron job fires at once
    loop = asyncio.get_running_loop()
    start, started_at = time.perf_counter(), loop.time()
    await asyncio.gather(*(core.post_due(i) for i in ids))
    elapsed = time.perf_counter() - start
    posted = len(standin.posts())
    times = [c.at - started_at for c in standin.posts()]
    print(f"    first post after {min(times):.2f} s, last after {max(times):.2f} s")
    await client.close()
    await core.close()
    await server.close()
    return elapsed, posted, standin.refused_429


async def main() -> None:
    ideal = COMMUNITIES / DISCORD_GLOBAL_LIMIT
    with tempfile.TemporaryDirectory() as tmp:
        paced = await fan_out(Path(tmp), paced=True)
        unpaced = await fan_out(Path(tmp), paced=False)
    print(
        f"Discord fan-out: {COMMUNITIES:,} communities, stand-in enforcing "
        f"{DISCORD_GLOBAL_LIMIT} requests/s (ideal {ideal:.1f} s)"
    )
    for name, (elapsed, posted, refused) in (
        ("paced (DiscordChat)", paced),
        ("unpaced, discord.py 429s", unpaced),
    ):
        print(
            f"  {name:26s} {elapsed:6.1f} s  {posted:5d} posted  {refused:5d} refused with 429  "
            f"{elapsed / ideal:5.2f}x ideal"
        )
    print("  target: all posted within 1.10x ideal")


if __name__ == "__main__":
    asyncio.run(main())
