"""Daily fan-out on Slack: 1,000 workspaces, each with its question channel, at the same post
time. Each channel gets yesterday's reveal (a thread reply) and today's question together, and
Slack allows about one message a second a channel. The local stand-in enforces that limit.

Compared in the same run: SlackChat's per-channel pacing against no pacing (slack-sdk retrying
429s after Retry-After). Run: `python -m bench.slack_fanout`.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from aiohttp.test_utils import TestServer
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.chat import SlackChat
from adapters.slack.pacing import ChannelPacer
from bench.common import bench_bank
from bot.bootstrap import connect
from bot.commands import SetupChange
from bot.ports import Actor, UserRef
from bot.runtime import tune_gc
from bot.storage.migrate import upgrade
from tests.adapters.slack_standin import SlackStandIn
from tests.fakes import FixedClock

WORKSPACES = 1000


async def fan_out(folder: Path, paced: bool) -> tuple[float, int, int]:
    standin = SlackStandIn(channel_interval=1.0)
    server = TestServer(standin.app(), host="127.0.0.1")
    await server.start_server()
    api = f"http://127.0.0.1:{server.port}/api/"
    clients: dict[str, AsyncWebClient] = {}

    async def client_for(team: str) -> AsyncWebClient:
        if team not in clients:
            client = AsyncWebClient(token=f"xoxb-{team}", base_url=api)
            client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
            clients[team] = client
        return clients[team]

    url = f"sqlite+aiosqlite:///{folder / ('paced.db' if paced else 'unpaced.db')}"
    await upgrade(url)
    clock = FixedClock(datetime(2026, 11, 24, 9, 0, 1, tzinfo=UTC))
    core = connect(url, bench_bank(), clock=clock).app
    pacer = ChannelPacer() if paced else ChannelPacer(interval=0.0)
    core.attach_chat("slack", SlackChat(client_for, pacer))
    for i in range(WORKSPACES):
        admin = Actor(UserRef("slack", f"T{i:05d}", "U1"), "Admin", is_admin=True)
        await core.setup(admin, SetupChange(channel="C0001", time="09:00", kinds="mc"))
    ids = [c.id for c in await core.communities()]
    await asyncio.gather(*(core.post_due(i) for i in ids))  # yesterday's questions
    await asyncio.sleep(1.1)
    tune_gc()
    before = len(standin.by_method("chat.postMessage"))
    clock.set(datetime(2026, 11, 25, 9, 0, 1, tzinfo=UTC))  # every job fires at once
    start = time.perf_counter()
    await asyncio.gather(*(core.post_due(i) for i in ids))
    elapsed = time.perf_counter() - start
    delivered = len(standin.by_method("chat.postMessage")) - before
    await core.close()
    await server.close()
    return elapsed, delivered, standin.refused_429


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paced = await fan_out(Path(tmp), paced=True)
        unpaced = await fan_out(Path(tmp), paced=False)
    print(
        f"Slack fan-out: {WORKSPACES:,} workspaces, each channel gets a reveal and a new "
        "question at once; the stand-in allows 1 message/s a channel"
    )
    for name, (elapsed, delivered, refused) in (
        ("paced (SlackChat)", paced),
        ("unpaced, slack-sdk retries", unpaced),
    ):
        print(
            f"  {name:28s} {elapsed:6.1f} s  {delivered:5d} messages  {refused:5d} refused with 429"
        )
    print(f"  expected: {2 * WORKSPACES} messages, none refused")


if __name__ == "__main__":
    asyncio.run(main())
