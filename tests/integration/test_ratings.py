"""Question and member ratings on a real database: graded answers move both, every community's
answers count towards the question's, a member of two communities is rated twice, concurrent
gradings on PostgreSQL lose nothing, and admins see the questions that play off their label."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from bot import commands as c
from bot.commands import SetupChange
from bot.domain.ratings import START, Game, Standing, play
from bot.service.ratings import rate
from bot.service.remembering import Graded
from bot.storage.uow import SqlStorage
from tests.conftest import ADMIN, member

QUESTION = "basics-mc-easy"  # the test bank's one easy multiple-choice question


async def open_the_daily_question(app, chat, clock, workspace: str = "W1") -> Any:
    admin = ADMIN if workspace == "W1" else member("admin", "Ada", admin=True, workspace=workspace)
    change = SetupChange(channel="C1", time="09:00", timezone="UTC", kinds="mc", difficulty="easy")
    assert (await app.setup(admin, change)).title == "Settings saved"
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await app.catch_up()
    card = chat.posted[-1][1]
    assert card.prompt.startswith("Which metric")
    return card


async def standings(app, *member_ids: int) -> tuple[Standing | None, dict[int, Standing]]:
    async def look(uow):
        found = await uow.ratings.questions([QUESTION])
        return found.get(QUESTION), await uow.ratings.members(list(member_ids))

    return await app.storage.read(look)


async def member_id(app, actor) -> int:
    return (await app.ctx.member(actor))[1].id


async def test_a_daily_question_missed_by_all_gets_harder_and_its_players_weaker(app, chat, clock):
    card = await open_the_daily_question(app, chat, clock)
    players = [member(f"u{n}", f"P{n}") for n in range(5)]
    for who in players:
        assert (await app.press(who, card.actions[0].id)).text.startswith("Recorded **A**")
    clock.advance(days=1)
    await app.tick()

    ids = [await member_id(app, who) for who in players]
    question, members = await standings(app, *ids)
    assert question is not None and question.games == 5 and question.credit == 0
    assert question.rating > START[1]
    assert len(members) == 5 and all(m.rating < 1500 and m.games == 1 for m in members.values())


async def test_two_communities_answers_both_count_and_a_member_of_both_is_rated_twice(
    app, chat, clock
):
    here = member("u1", "Bea")
    there = member("u1", "Bea", workspace="W2")
    first = await open_the_daily_question(app, chat, clock)
    await app.press(here, first.actions[1].id)  # B is right
    second = await open_the_daily_question(app, chat, clock, workspace="W2")
    await app.press(there, second.actions[0].id)  # A is wrong
    clock.advance(days=1)
    await app.tick()

    ids = (await member_id(app, here), await member_id(app, there))
    question, members = await standings(app, *ids)
    assert question is not None and (question.games, question.credit) == (2, 1.0)
    assert members[ids[0]].rating > 1500 > members[ids[1]].rating


async def test_a_practice_answer_moves_the_ratings_and_forget_me_deletes_the_members(app):
    bea = member("u1", "Bea")
    started = await app.practice(bea, "basics", "easy")
    letters = {a.label: a.id for a in started.actions}
    await app.press(bea, letters["B"])  # right
    me = await member_id(app, bea)
    question, members = await standings(app, me)
    assert question is not None and question.rating < START[1] and members[me].rating > 1500

    asked = await app.handle(bea, c.AskToForget())
    confirm = next(a.id for a in asked.actions if a.id.startswith("sb:fm:"))
    await app.press(bea, confirm)
    question_after, members_after = await standings(app, me)
    assert members_after == {} and question_after == question  # the question keeps its games


async def test_admins_see_a_question_missed_by_many_as_playing_harder_than_labelled(
    app, chat, clock
):
    card = await open_the_daily_question(app, chat, clock)
    for n in range(25):
        await app.press(member(f"m{n}", f"M{n}"), card.actions[0].id)
    clock.advance(days=1)
    await app.tick()

    reply = await app.handle(ADMIN, c.ShowQuestionDifficulty())
    lines = reply.text.splitlines()
    question, _members = await standings(app)
    assert question is not None
    assert lines[0].startswith(f"{QUESTION} — labelled easy, plays ")
    assert lines[0].endswith(f"(rating {round(question.rating)}, 25 answers)")
    assert "plays easy" not in lines[0]
    assert lines[-1] == "1 of 1 question with 20 or more answers plays off its label."


class MeetingRatings:
    """The ratings of one unit of work, whose first write waits until the other unit of work
    has read too: both compute their deltas from the same standing."""

    def __init__(self, inner: Any, barrier: asyncio.Barrier) -> None:
        self.inner = inner
        self.barrier = barrier

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def add_question(self, *args: Any) -> None:
        await self.barrier.wait()
        await self.inner.add_question(*args)


class Meeting:
    def __init__(self, uow: Any, barrier: asyncio.Barrier) -> None:
        self.uow = uow
        self.ratings = MeetingRatings(uow.ratings, barrier)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.uow, name)


async def test_two_gradings_of_one_question_at_once_on_postgresql_both_count(app, target, bank):
    if target.backend != "postgres":
        pytest.skip("SQLite has one writer: its transactions never overlap")
    question = bank.by_id[QUESTION]
    here = await member_id(app, member("u1"))
    there = await member_id(app, member("u1", workspace="W2"))
    await app.storage.transact(lambda uow: rate(uow, question, [Graded(here, 1.0)]))
    before, rated = await standings(app, here)
    assert before is not None
    one = play(before, rated, [Game(here, 0.0)])[0].delta
    other = play(before, {}, [Game(there, 0.0)])[0].delta

    stores = [SqlStorage(target.database()), SqlStorage(target.database())]
    barrier = asyncio.Barrier(2)
    try:
        await asyncio.gather(
            stores[0].transact(
                lambda uow: rate(Meeting(uow, barrier), question, [Graded(here, 0.0)])
            ),
            stores[1].transact(
                lambda uow: rate(Meeting(uow, barrier), question, [Graded(there, 0.0)])
            ),
        )
    finally:
        for store in stores:
            await store.close()

    after, members = await standings(app, here, there)
    assert after is not None and after.games == 3
    assert after.rating == pytest.approx(before.rating + one + other)  # both misses count
    assert members[here].games == 2 and members[there].games == 1


async def test_rating_500_answers_to_one_question_takes_one_write_per_side(app, target, bank):
    community = await app.ctx.community(member("u1").user.workspace)
    people = {f"p{n}": f"P{n}" for n in range(500)}
    found = await app.storage.transact(lambda uow: uow.members.ensure(community.id, people))
    grades = [Graded(m.id, (n % 3) / 2) for n, m in enumerate(found.values())]
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if "_ratings" in statement:
            statements.append(statement.split()[0].upper())

    store = SqlStorage(target.database())
    event.listen(store.db.write.sync_engine, "before_cursor_execute", count)
    try:
        await store.transact(lambda uow: rate(uow, bank.by_id[QUESTION], grades))
    finally:
        await store.close()

    assert statements == ["SELECT", "SELECT", "INSERT", "INSERT"]
    question, members = await standings(app, *(g.member_id for g in grades))
    assert question is not None and question.games == 500 and len(members) == 500
