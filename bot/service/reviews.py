"""Reviews (`/quiz review`): the questions a member is due to see again, one at a time and
privately, answered like practice. Every graded answer feeds them (`bot.service.remembering`);
the rules (which grade is which FSRS rating) are in `bot.domain.reviews`."""

from __future__ import annotations

from datetime import datetime
from gettext import gettext as _
from gettext import ngettext

from bot.domain.reviews import ReviewCard
from bot.ports import Actor, UnitOfWork
from bot.render import Reply
from bot.service.context import Context
from bot.service.practice import Practice
from bot.service.remembering import due_date

DUE_LOOKAHEAD = 50
"""Due cards read per `/quiz review`: the first whose question is still in the bank is asked."""


class Reviews:
    def __init__(self, ctx: Context, practice: Practice) -> None:
        self.ctx = ctx
        self.practice = practice

    async def review(self, actor: Actor) -> Reply:
        community, member = await self.ctx.member(actor)
        now = self.ctx.clock.now()
        zone = self.ctx.zone_of(community, member)

        async def look(uow: UnitOfWork) -> tuple[list[ReviewCard], int, datetime | None]:
            due = await uow.reviews.due(member.id, now, limit=DUE_LOOKAHEAD)
            return (
                due,
                await uow.reviews.count_due(member.id, now),
                await uow.reviews.next_due(member.id),
            )

        due, count, next_due = await self.ctx.storage.read(look)
        questions = {q.id: q for q in self.ctx.bank.questions}
        askable = [questions[card.question_id] for card in due if card.question_id in questions]
        if not askable:
            if next_due is None or next_due <= now:
                return Reply(
                    _(
                        "Nothing to review yet. Questions you answer, in the daily question or "
                        "in practice, come back here when they are due again."
                    ),
                    title=_("Review"),
                )
            return Reply(
                _("Nothing is due for review. Your next review is due on {date}.").format(
                    date=due_date(next_due, zone)
                ),
                title=_("Review"),
            )
        heading = ngettext("Review ({count} due)", "Review ({count} due)", count).format(
            count=count
        )
        return await self.practice.start_one(actor, askable[0], heading)
