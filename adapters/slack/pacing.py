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


class WorkspacePacer:
    """Per workspace: up to `burst` requests at once, then evenly spaced at `rate` a second
    (the generic cell rate algorithm). A few direct messages (a mock-interview pair) go out at
    once; a day's thousands of review nudges settle to the rate. Choose `burst + 60 * rate`
    within the method's per-minute limit."""

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.interval = 1.0 / rate
        self.tolerance = (burst - 1) * self.interval
        self._due: dict[str, float] = {}

    async def wait(self, workspace: str) -> None:
        now = asyncio.get_running_loop().time()
        due = max(self._due.get(workspace, now), now)
        slot = max(now, due - self.tolerance)
        self._due[workspace] = due + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


def conversations_open_pacer() -> WorkspacePacer:
    """conversations.open is a Tier 3 method, about 50 calls a minute per workspace: a burst
    of 10, then 40 a minute."""
    return WorkspacePacer(rate=40 / 60, burst=10)


def direct_message_pacer() -> WorkspacePacer:
    """Messages to many different people: Slack allows one a second per conversation but only
    "several hundred a minute" across a workspace; a burst of 20, then 4 a second."""
    return WorkspacePacer(rate=4.0, burst=20)
