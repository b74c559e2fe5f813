"""The per-workspace pacer lets a few direct messages out at once and spaces a fan-out."""

import asyncio

import pytest

from adapters.slack import pacing
from adapters.slack.pacing import WorkspacePacer


async def test_a_burst_goes_at_once_then_requests_are_spaced(monkeypatch: pytest.MonkeyPatch):
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))

    monkeypatch.setattr(pacing.asyncio, "sleep", no_sleep)
    pacer = WorkspacePacer(rate=2.0, burst=3)
    frozen = asyncio.get_running_loop().time()
    monkeypatch.setattr(asyncio.get_running_loop(), "time", lambda: frozen)
    for _request in range(6):
        await pacer.wait("T1")
    await pacer.wait("T2")  # another workspace has its own allowance
    assert waits == [0.5, 1.0, 1.5]  # three at once, then one every half second
