"""The daily question's use cases on the in-memory unit of work."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import commands as c
from tests.conftest import ADMIN, configure, member
from tests.fake_storage import MemoryStorage


async def test_post_answer_close_reveal_and_board(app, chat, clock):
    await configure(app, kinds="mc", difficulty="easy")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await app.catch_up()
    card = chat.posted[0][1]
    recorded = await app.press(member("u1", "Bea"), card.actions[1].id)
    # every answer reply names the question it was recorded for
    assert recorded.text.startswith("Recorded **B**") and "for question #1." in recorded.text
    assert (await app.press(member("u2", "Cy"), card.actions[0].id)).text.startswith(
        "Recorded **A**"
    )
    again = await app.press(member("u1", "Bea"), card.actions[2].id)
    assert again.text.startswith("You already answered question #1: **B**")

    clock.advance(days=1)
    await app.tick()
    reveal = chat.reveals[0][1]
    assert reveal.answered == 2 and reveal.right == ("Bea",)
    assert dict(reveal.distribution) == {"A": 1, "B": 1, "C": 0}
    board = await app.leaderboard(member("u2", "Cy"), "week")
    assert [(r.name, r.points) for r in board.board.rows] == [("Bea", 10), ("Cy", 0)]
    assert board.board.me.rank == 2
    mine = await app.press(member("u1", "Bea"), f"sb:r:{card.post_id}")
    assert "which is right" in mine.text and "+10 points" in mine.text


async def test_a_close_that_fails_before_commit_leaves_the_question_open_and_unscored(
    app, chat, storage: MemoryStorage
):
    await configure(app, kinds="mc", difficulty="easy")
    await app.post_now(ADMIN)
    card = chat.posted[0][1]
    await app.press(member("u1", "Bea"), card.actions[1].id)
    storage.fail_next = RuntimeError("the database went away")
    failed = await app.close_now(ADMIN)
    assert failed.private and "nothing was changed" in failed.text
    assert chat.reveals == []
    assert (await app.current_card(member("u1"))).card is not None  # still open

    closed = await app.close_now(ADMIN)
    assert closed.text.startswith("Closed question #1")
    board = await app.leaderboard(member("u1", "Bea"), "all")
    assert [(r.name, r.points) for r in board.board.rows] == [("Bea", 10)]  # scored once


async def test_only_admins_change_the_setup(app):
    refused = await app.post_now(member("u1"))
    assert refused.private and refused.text == "Only a community admin can do that."


@pytest.mark.parametrize("button", ["nonsense", "sb:zz:1", "sb:a:1"])
async def test_a_button_the_core_cannot_read_gets_a_message_not_a_crash(app, button):
    reply = await app.press(member("u1"), button)
    assert reply.private and "no longer works" in reply.text


async def test_a_form_the_core_cannot_read_says_it_expired(app):
    reply = await app.submit(member("u1"), "sb:zz:1", "text")
    assert reply.private and "form has expired" in reply.text


async def test_post_now_never_stacks_a_second_open_question(app, chat):
    await configure(app, kinds="mc", difficulty="easy")
    await app.post_now(ADMIN)
    refused = await app.post_now(ADMIN)
    assert refused.private and refused.text.startswith("Question #1 is still open.")
    assert len(chat.posted) == 1

    replaced = await app.post_now(ADMIN, replace=True)
    assert replaced.text.startswith("Posted question #2")
    assert len(chat.reveals) == 1 and chat.reveals[0][1].post_id == chat.posted[0][1].post_id
    current = await app.current_card(member("u1"))
    assert current.card is not None and current.card.post_id == chat.posted[1][1].post_id


async def test_result_n_shows_question_n_and_bad_numbers_say_why(app, chat):
    await configure(app, kinds="mc", difficulty="easy")
    bea = member("u1", "Bea")
    await app.post_now(ADMIN)
    await app.press(bea, chat.posted[0][1].actions[1].id)
    await app.post_now(ADMIN, replace=True)
    await app.press(bea, chat.posted[1][1].actions[0].id)
    await app.close_now(ADMIN)

    latest = await app.handle(bea, c.ShowLatestResult())
    assert latest.text.startswith("You answered **A**")
    first = await app.handle(bea, c.ShowLatestResult("1"))
    assert first.text.startswith("You answered **B**, which is right")
    assert "no question #9" in (await app.handle(bea, c.ShowLatestResult("9"))).text
    assert "not a question number" in (await app.handle(bea, c.ShowLatestResult("x"))).text


async def test_skip_after_todays_question_closed_says_there_is_nothing_to_skip(app, chat):
    await configure(app, kinds="mc")
    await app.catch_up()  # today's 09:00 question, due at the fixed clock's noon
    assert len(chat.posted) == 1
    open_ = await app.skip_today(ADMIN)
    assert "Today's question (#1) is already posted. Use close-now" in open_.text
    await app.close_now(ADMIN)
    closed = await app.skip_today(ADMIN)
    assert closed.private and "(#1) has already closed, so there is nothing left to skip" in (
        closed.text
    )
    assert "The next one comes" in closed.text
