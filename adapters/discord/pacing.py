"""Pacing for the messages the bot sends on its own (the daily fan-out).

Discord allows a bot 50 requests a second in all. discord.py waits out a 429 when it gets one,
but each 429 counts towards Discord's invalid-request limit (10,000 per 10 minutes, then a
temporary ban), so posts to many channels are spaced out to stay under the limit instead.
"""

from __future__ import annotations

import asyncio

DISCORD_GLOBAL_LIMIT = 50


class Pacer:
    """Hands out evenly spaced slots: at most `rate` acquisitions a second, first come first
    served."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = asyncio.get_running_loop().time()
            slot = max(now, self._next)
            self._next = slot + self.interval
        delay = slot - now
        if delay > 0:
            await asyncio.sleep(delay)
