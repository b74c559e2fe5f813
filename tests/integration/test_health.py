"""/healthz and /readyz over real HTTP: ready only while the database answers and every
watched platform is connected; the body names the check that failed."""

from __future__ import annotations

import socket

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot.bootstrap import build
from bot.domain.community import CommunitySettings
from bot.health import Health
from bot.storage.uow import SqlStorage
from tests.conftest import PG_URL
from tests.tcp_proxy import CuttableRelay


def free_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


async def get(port: int, path: str) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.json()


async def test_readiness_follows_the_platform_connection(app):
    connected = True

    async def discord() -> bool:
        return connected

    health = Health(app.database_ready)
    health.watch("discord", discord)
    port = free_port()
    runner = await health.serve(port, host="127.0.0.1")
    try:
        assert await get(port, "/healthz") == (200, {"status": "ok"})
        assert await get(port, "/readyz") == (
            200,
            {"ready": True, "checks": {"database": True, "discord": True}},
        )
        connected = False
        assert await get(port, "/readyz") == (
            503,
            {"ready": False, "checks": {"database": True, "discord": False}},
        )
        assert (await get(port, "/healthz"))[0] == 200
    finally:
        await runner.cleanup()


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")
@pytest.mark.parametrize("target", ["postgres"], indirect=True)
async def test_readiness_follows_the_database(target, bank, clock, chat):
    server = make_url(target.url)
    relay = CuttableRelay(server.host or "127.0.0.1", server.port or 5432)
    relay_port = await relay.start()
    url = server.set(host="127.0.0.1", port=relay_port).render_as_string(hide_password=False)
    app = build(
        SqlStorage.connect(url, **target.engine_kwargs),
        bank,
        clock=clock,
        chats={"test": chat},
        defaults=CommunitySettings(),
    )
    port = free_port()
    runner = await Health(app.database_ready).serve(port, host="127.0.0.1")
    try:
        assert (await get(port, "/readyz"))[0] == 200
        await relay.cut()
        assert await get(port, "/readyz") == (503, {"ready": False, "checks": {"database": False}})
        assert (await get(port, "/healthz"))[0] == 200
        await relay.restore()
        assert (await get(port, "/readyz"))[0] == 200
    finally:
        await runner.cleanup()
        await app.close()
        await relay.close()
