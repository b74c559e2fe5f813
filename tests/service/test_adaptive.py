"""Adaptive practice and the question-difficulty listing on the in-memory unit of work: plain
`practice` asks a due review first, otherwise leans to the member's weakest topic at their
level; an explicit topic or difficulty works as before."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest_asyncio

from bot import commands as c
from bot.app import Studybot
from bot.bootstrap import build
from bot.domain.questions import Kind, Option, Question
from bot.domain.ratings import Standing
from bot.domain.reviews import ReviewCard
from bot.question_bank import Bank
from tests.conftest import member
from tests.fake_storage import MemoryStorage
from tests.fakes import FixedClock, RecordingChat

ANA = member("u1", "Ana")
LEVELS = {1: "easy", 2: "medium", 3: "hard"}


def mc(qid: str, topic: str, difficulty: int) -> Question:
    options = (
        Option("right", True, "It is right."),
        Option("wrong", False, "It is not."),
    )
    return Question(
        qid, topic, Kind.MULTIPLE_CHOICE, difficulty, f"Prompt of {qid}?", options=options
    )


def three_topics() -> Bank:
    return Bank(
        questions=[
            mc(f"{topic}-{LEVELS[level]}-{n}", topic, level)
            for topic in ("alpha", "beta", "gamma")
            for level in (1, 2, 3)
            for n in range(3)
        ]
    )


@pytest_asyncio.fixture
async def adaptive_app(
    storage: MemoryStorage, clock: FixedClock, chat: RecordingChat
) -> AsyncIterator[Studybot]:
    made = build(storage, three_topics(), clock=clock, chats={"test": chat})
    made.services.practice.rng = random.Random(12)
    yield made
    await made.close()


async def ana_id(app: Studybot) -> int:
    return (await app.ctx.member(ANA))[1].id


def remembered(storage: MemoryStorage, member_id: int, qid: str, answers: int, misses: int, due):
    storage.state.reviews[(member_id, qid)] = ReviewCard(
        member_id, qid, {}, due, reviews=answers, lapses=misses
    )


def topic_of(reply) -> str:
    return reply.text.removeprefix("Prompt of ").split("-")[0]


async def test_plain_practice_asks_the_most_overdue_review_first_and_says_so(
    adaptive_app, storage, clock
):
    me = await ana_id(adaptive_app)
    remembered(storage, me, "beta-hard-1", 1, 1, clock.now() - timedelta(days=3))
    remembered(storage, me, "alpha-easy-0", 1, 1, clock.now() - timedelta(days=1))
    remembered(storage, me, "gamma-easy-0", 1, 0, clock.now() + timedelta(days=5))

    reply = await adaptive_app.practice(ANA)

    assert reply.title.startswith("Practice: a review is due (2 due)")
    assert reply.text.startswith("Prompt of beta-hard-1?")


async def test_a_review_that_left_the_bank_is_passed_over(adaptive_app, storage, clock):
    me = await ana_id(adaptive_app)
    remembered(storage, me, "retired-question", 1, 1, clock.now() - timedelta(days=9))
    remembered(storage, me, "gamma-medium-2", 1, 1, clock.now() - timedelta(days=1))

    reply = await adaptive_app.practice(ANA)

    assert reply.text.startswith("Prompt of gamma-medium-2?")


async def test_with_nothing_due_plain_practice_leans_towards_the_weakest_topic(
    adaptive_app, storage, clock
):
    me = await ana_id(adaptive_app)
    later = clock.now() + timedelta(days=30)
    for n in range(3):
        remembered(storage, me, f"alpha-medium-{n}", 5, 5, later)  # always missed
        remembered(storage, me, f"beta-medium-{n}", 5, 0, later)  # always right

    topics = Counter([topic_of(await adaptive_app.practice(ANA)) for _ in range(60)])

    assert topics["alpha"] > topics["gamma"] > topics["beta"]


async def first_practice(app: Studybot, storage: MemoryStorage, rating: float) -> str:
    """The prompt of a new member's first plain practice question, at `rating`."""
    newcomer = member(f"new{len(storage.state.members)}")
    _community, joined = await app.ctx.member(newcomer)
    storage.state.member_ratings[joined.id] = Standing(rating, 80)
    return (await app.practice(newcomer)).text.split("?")[0].removeprefix("Prompt of ")


async def test_plain_practice_asks_questions_near_the_members_level(adaptive_app, storage):
    strong = [await first_practice(adaptive_app, storage, 1950) for _ in range(10)]
    weak = [await first_practice(adaptive_app, storage, 1150) for _ in range(10)]
    assert all("-hard-" in qid for qid in strong), strong
    assert all("-easy-" in qid for qid in weak), weak


async def only(app: Studybot, topic: str) -> None:
    community = await app.ctx.community(ANA.user.workspace)
    await app.ctx.save_settings(community, community.settings.with_changes(topics=(topic,)))


async def test_a_question_that_plays_harder_than_labelled_is_asked_as_hard(adaptive_app, storage):
    await only(adaptive_app, "alpha")
    storage.state.question_ratings["alpha-easy-0"] = Standing(1800, 40)
    asked = {await first_practice(adaptive_app, storage, 1950) for _ in range(15)}
    assert asked == {"alpha-easy-0", "alpha-hard-0", "alpha-hard-1"}


async def test_plain_practice_keeps_to_the_communitys_topics(adaptive_app, storage):
    await only(adaptive_app, "gamma")
    topics = {topic_of(await adaptive_app.practice(ANA)) for _ in range(10)}
    assert topics == {"gamma"}


async def test_recently_practised_questions_are_not_asked_again_soon(adaptive_app, storage):
    await only(adaptive_app, "alpha")
    asked = [(await adaptive_app.practice(ANA)).text for _ in range(9)]
    assert len(set(asked)) == 9


async def test_a_named_topic_or_difficulty_is_practised_as_before(adaptive_app, storage, clock):
    me = await ana_id(adaptive_app)
    remembered(storage, me, "alpha-easy-0", 1, 1, clock.now() - timedelta(days=1))
    named = await adaptive_app.practice(ANA, "beta")
    hard = await adaptive_app.practice(ANA, "hard")
    assert named.title.startswith("Practice — ") and topic_of(named) == "beta"
    assert "-hard-" in hard.text


async def test_a_practice_answer_moves_the_member_and_question_ratings(adaptive_app, storage):
    started = await adaptive_app.practice(ANA, "alpha", "medium")
    qid = started.text.removeprefix("Prompt of ").split("?")[0]
    letters = {a.label: a.id for a in started.actions}
    await adaptive_app.press(ANA, letters["A"])  # right
    await adaptive_app.press(ANA, letters["B"])  # a second answer does not play again

    me = await ana_id(adaptive_app)
    assert storage.state.member_ratings[me].rating > 1500
    assert storage.state.member_ratings[me].games == 1
    assert storage.state.question_ratings[qid].rating < 1500


async def test_an_answer_after_a_hint_does_not_move_ratings(adaptive_app, storage):
    started = await adaptive_app.practice(ANA, "alpha", "medium")
    letters = {a.label: a.id for a in started.actions}
    await adaptive_app.press(ANA, letters["Hint"])
    await adaptive_app.press(ANA, letters["A"])
    assert storage.state.member_ratings == {} and storage.state.question_ratings == {}


async def test_only_admins_see_question_difficulty(adaptive_app):
    refused = await adaptive_app.handle(ANA, c.ShowQuestionDifficulty())
    assert refused.private and "Only a community admin" in refused.text


async def test_admins_see_which_questions_play_off_their_label_worst_first(adaptive_app, storage):
    storage.state.question_ratings.update(
        {
            "alpha-medium-0": Standing(1740, 57),
            "beta-easy-1": Standing(1850, 30),
            "gamma-hard-2": Standing(1720, 90),  # plays as labelled
            "alpha-hard-0": Standing(1100, 5),  # too few answers for a verdict
            "retired": Standing(2500, 99),  # no longer in the bank
        }
    )
    reply = await adaptive_app.handle(member("boss", admin=True), c.ShowQuestionDifficulty())
    assert reply.title == "Question difficulty"
    assert reply.text.splitlines() == [
        "beta-easy-1 — labelled easy, plays hard (rating 1850, 30 answers)",
        "alpha-medium-0 — labelled medium, plays hard (rating 1740, 57 answers)",
        "2 of 3 questions with 20 or more answers play off their label.",
    ]


async def test_with_nothing_off_its_label_the_listing_says_so(adaptive_app):
    reply = await adaptive_app.handle(member("boss", admin=True), c.ShowQuestionDifficulty())
    assert reply.text.startswith("Every question plays as labelled. 0 questions have 20 or more")
