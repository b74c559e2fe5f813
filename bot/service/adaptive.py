"""The question `/quiz practice` asks with no topic and no difficulty: the member's most
overdue review when one is due, otherwise a weak topic at the member's level (the rules are in
`bot.domain.adaptive`). Both read inside the unit of work that starts the session."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from bot.domain.adaptive import RECENT, choose_question, choose_topic, topic_record
from bot.domain.community import CommunitySettings
from bot.domain.questions import Kind, Question
from bot.domain.ratings import MEMBER_START
from bot.ports import UnitOfWork

DUE_LOOKAHEAD = 50
"""Due cards read: the most overdue whose question is still in the bank is asked."""


def practice_pool(questions: Sequence[Question], settings: CommunitySettings) -> list[Question]:
    """What adaptive practice draws from: the community's topics (all when none are chosen)
    and question packs; scenarios have their own command."""
    return [
        q
        for q in questions
        if q.kind is not Kind.SCENARIO
        and (not settings.topics or q.topic in settings.topics)
        and q.pack in settings.packs
    ]


async def due_review(
    uow: UnitOfWork, member_id: int, questions: dict[str, Question], now: datetime
) -> tuple[Question, int] | None:
    """The member's most overdue review still in the bank, and how many are due."""
    due = await uow.reviews.due(member_id, now, limit=DUE_LOOKAHEAD)
    question = next((questions[c.question_id] for c in due if c.question_id in questions), None)
    if question is None:
        return None
    return question, await uow.reviews.count_due(member_id, now)


async def suited(
    uow: UnitOfWork, member_id: int, pool: Sequence[Question], rng: random.Random
) -> Question:
    """A question of `pool` in a topic weighted towards the member's weakest, near their level."""
    record = topic_record(await uow.ratings.answered(member_id), {q.id: q.topic for q in pool})
    topic = choose_topic({q.topic for q in pool}, record, rng)
    in_topic = [q for q in pool if q.topic == topic]
    standings = await uow.ratings.questions([q.id for q in in_topic])
    member = (await uow.ratings.members([member_id])).get(member_id)
    recent = set(await uow.practice.recent(member_id, RECENT))
    return choose_question(
        in_topic,
        {q: s.rating for q, s in standings.items()},
        member.rating if member else MEMBER_START,
        recent,
        rng,
    )
