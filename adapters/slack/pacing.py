"""Slack allows about one message a second in each channel (short bursts aside). At a post
time a channel gets yesterday's reveal and today's question together, so messages to one channel
are spaced a second apart here rather than answered with 429s."""

from __future__ import annotations

import asyncio

PER_CHANNEL_INTERVAL = 1.05  # a little over a second: arrival times jitter


class ChannelPacer:
    def __init__(self, interval: float = PER_CHANNEL_INTERVAL) -> None:
        self.interval = interval
        self._next: dict[tuple[str, str], float] = {}

    async def wait(self, workspace: str, channel: str) -> None:
        loop = asyncio.get_running_loop()
        key = (workspace, channel)
        now = loop.time()
        slot = max(now, self._next.get(key, 0.0))
        self._next[key] = slot + self.interval
        if len(self._next) > 10_000:
            self._next = {k: t for k, t in self._next.items() if t > now}
        if slot > now:
            await asyncio.sleep(slot - now)
