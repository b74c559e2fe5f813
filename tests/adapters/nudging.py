"""Set a member up for a review nudge without waiting days: one review due, and a nudge whose
time has come, with no quiet hours (so a test does not depend on the hour it runs at)."""

from __future__ import annotations

from datetime import timedelta

from fsrs import Rating

from bot.app import Studybot
from bot.domain.reminders import Reminder
from bot.domain.reviews import reviewed
from bot.ports import Actor, UnitOfWork


async def make_a_nudge_due(core: Studybot, actor: Actor) -> None:
    _community, member = await core.ctx.member(actor)
    now = core.ctx.clock.now()
    question = core.bank.questions[0]
    card = reviewed(None, member.id, question.id, Rating.Again, now - timedelta(days=2))
    reminder = Reminder(member.id, 0, now - timedelta(minutes=1), now + timedelta(hours=1), 0, 0)

    async def put(uow: UnitOfWork) -> None:
        await uow.reviews.save([card])
        await uow.reminders.put(reminder)

    await core.storage.transact(put)
