"""The database going away while the bot runs: the outage is logged once with its cause,
members get a short "try again" (answers are kept and written when it is back), and the bot
recovers by itself. PostgreSQL is reached through a relay the test cuts and restores."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.bootstrap import build
from bot.domain.community import CommunitySettings
from bot.storage.uow import SqlStorage
from bot.texts import DATABASE_DOWN
from tests.adapters.waiting import until
from tests.conftest import ADMIN, PG_URL, configure, member
from tests.tcp_proxy import CuttableRelay

pytestmark = pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")


@pytest.mark.parametrize("target", ["postgres"], indirect=True)
async def test_answers_given_during_an_outage_are_written_when_the_database_is_back(
    target, bank, clock, chat, caplog
):
    server = make_url(target.url)
    relay = CuttableRelay(server.host or "127.0.0.1", server.port or 5432)
    port = await relay.start()
    url = server.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    storage = SqlStorage.connect(url, **target.engine_kwargs)
    app = build(storage, bank, clock=clock, chats={"test": chat}, defaults=CommunitySettings())
    try:
        await configure(app, kinds="mc")
        await app.post_now(ADMIN)
        card = chat.posted[0][1]
        assert (await app.handle_action(member("u1", "Bea"), card.actions[1].id)).text.startswith(
            "Recorded **B**"
        )

        await relay.cut()
        caplog.clear()
        with caplog.at_level(logging.INFO):
            held = await app.handle_action(member("u2", "Cy"), card.actions[0].id)
            again = await app.handle_action(member("u2", "Cy"), card.actions[2].id)
            board = await app.leaderboard(member("u3", "Di"), "week")
            late = await app.handle_action(member("u3", "Di"), card.actions[1].id)
        assert held.private and "cannot reach its database just now" in held.text
        assert "your answer **A**" in held.text and "#1" in held.text
        assert "kept" in again.text and "kept" in late.text
        assert board.private and board.text == DATABASE_DOWN
        outage = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(outage) == 1, [r.getMessage() for r in outage]
        assert "127.0.0.1" in outage[0].getMessage() and "Traceback" not in outage[0].getMessage()
        assert app.services.batcher.held == 3

        await relay.restore()

        await until(lambda: app.services.batcher.held == 0, seconds=20)
        assert any("the database is back" in r.getMessage() for r in caplog.records)
        async with storage.db.reading() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT m.user_id, a.choice FROM answers a JOIN members m "
                        "ON m.id = a.member_id ORDER BY m.user_id"
                    )
                )
            ).all()
        # Cy's first answer counts (A), not the second (C); Di's answer is written too
        assert [tuple(r) for r in rows] == [("u1", 1), ("u2", 0), ("u3", 1)]
        after = await app.handle_action(member("u4", "Ed"), card.actions[2].id)
        assert after.text.startswith("Recorded **C**")
    finally:
        await app.close()
        await relay.close()
