"""Scheduled acts happen once, however many schedulers fire and whatever restarts."""

import asyncio
from datetime import UTC, datetime

from bot.bootstrap import build
from bot.storage.uow import SqlStorage
from tests.conftest import ADMIN, configure, member
from tests.fakes import RecordingChat


async def test_two_schedulers_on_one_database_post_the_daily_question_once(
    make_app, target, clock, bank
):
    first_chat, second_chat = RecordingChat(), RecordingChat()
    first = make_app(chat=first_chat)
    await configure(first)
    # a second process: its own engine, its own chat connection, the same database
    second = make_app(chat=second_chat)
    clock.set(datetime(2026, 11, 24, 9, 0, 5, tzinfo=UTC))
    await asyncio.gather(*(app.post_due(1) for app in (first, second, first, second)))
    assert len(first_chat.posted) + len(second_chat.posted) == 1

    clock.set(datetime(2026, 11, 25, 9, 0, 5, tzinfo=UTC))
    await asyncio.gather(first.tick(), second.tick(), first.post_due(1), second.post_due(1))
    assert len(first_chat.reveals) + len(second_chat.reveals) == 1
    assert len(first_chat.posted) + len(second_chat.posted) == 2


async def test_a_restart_mid_window_neither_reposts_nor_misses_the_close(make_app, chat, clock):
    app = make_app()
    await configure(app, kinds="mc")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await app.catch_up()
    card = chat.posted[0][1]
    await app.handle_action(member("u1", "Bea"), card.actions[1].id)
    await app.close()

    clock.set(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
    restarted = make_app()
    await restarted.catch_up()
    assert len(chat.posted) == 1  # no second post for the same day
    again = await restarted.handle_action(member("u1", "Bea"), card.actions[0].id)
    assert again.text.startswith("You already answered")

    # down across the close: the next start closes and reveals, then posts the new day
    await restarted.close()
    clock.set(datetime(2026, 11, 25, 11, 0, tzinfo=UTC))
    third = make_app()
    await third.catch_up()
    assert len(chat.reveals) == 1 and chat.reveals[0][1].right == ("Bea",)
    assert len(chat.posted) == 2


async def test_a_post_missed_while_down_is_made_late_only_while_its_window_is_open(
    make_app, chat, clock
):
    app = make_app()
    await configure(app, window="2h")
    clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    await app.catch_up()
    assert len(chat.posted) == 1  # an hour late, an hour of window left
    assert chat.posted[0][1].closes_at == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)

    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))  # window of the 25th is over
    await app.catch_up()
    assert len(chat.posted) == 1
    assert len(chat.reveals) == 1


async def test_an_owner_that_died_after_claiming_is_taken_over_when_its_lease_ends(
    make_app, chat, clock, target, bank
):
    app = make_app()
    await configure(app)
    community = await app.ctx.community_by_id(1)
    question = bank.questions[0]
    now, lease = clock.now(), app.ctx.lease
    claimed = await app.storage.transact(
        lambda uow: uow.posts.claim(1, "2026-11-24", now.date(), question, now, lease)
    )
    assert claimed is not None  # ... and the process died before posting
    await app.tick()
    assert chat.posted == []
    clock.advance(minutes=6)
    await app.tick()
    assert len(chat.posted) == 1 and community.id == 1


async def test_concurrent_post_now_and_close_now_do_not_double_act(make_app, chat):
    app = make_app()
    await configure(app)
    other = build(
        SqlStorage(app.storage.db), app.ctx.bank, clock=app.ctx.clock, chats={"test": chat}
    )
    await app.post_now(ADMIN)
    replies = await asyncio.gather(app.close_now(ADMIN), other.close_now(ADMIN))
    assert len(chat.reveals) == 1
    assert sum("Closed question" in r.text for r in replies) == 1
    await other.services.batcher.close()
