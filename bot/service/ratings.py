"""Every graded answer is an Elo game between the member and the question (the rules are in
`bot.domain.ratings`), played inside the unit of work that records the answer, beside
`bot.service.remembering.remember`.

A batch (all the answers of a daily post) costs four statements whatever its size: read the
question's and the members' standings, then one additive write per side. The deltas are
computed from standings read without a lock; a concurrent unit of work grading the same
question adds its own deltas in SQL, so neither is lost (see `bot.storage.repositories.ratings`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.questions import Question
from bot.domain.ratings import MEMBER_START, Game, Standing, play, start_rating
from bot.ports import UnitOfWork
from bot.service.remembering import Graded


async def rate(uow: UnitOfWork, question: Question, grades: Sequence[Graded]) -> None:
    """Play each unhelped answer in `grades`, in order, and store what moved."""
    games = [Game(g.member_id, g.fraction) for g in grades if not g.helped]
    if not games:
        return
    start = start_rating(question.difficulty)
    found = await uow.ratings.questions([question.id])
    members = await uow.ratings.members(sorted({g.member_id for g in games}))
    question_change, member_changes = play(found.get(question.id, Standing(start)), members, games)
    await uow.ratings.add_question(question.id, start, question_change)
    await uow.ratings.add_members(MEMBER_START, member_changes)
