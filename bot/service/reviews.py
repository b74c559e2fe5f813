"""Reviews (`/quiz review`): the questions a member is due to see again, one at a time and
privately, answered like practice. Every graded answer feeds them (`bot.service.remembering`);
the rules (which grade is which FSRS rating) are in `bot.domain.reviews`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from gettext import gettext as _
from gettext import ngettext
from zoneinfo import ZoneInfo

from bot.domain.reviews import ReviewCard, day_end, review_streak
from bot.ports import Actor, UnitOfWork
from bot.render import Reply
from bot.service.context import Context
from bot.service.practice import Practice
from bot.service.remembering import due_date

STREAK_DAYS = 400
"""How far back the reviews-done streak is read (a streak longer than this shows as this)."""

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
        horizon = day_end(now, zone)
        today = now.astimezone(ZoneInfo(zone)).date()

        async def look(
            uow: UnitOfWork,
        ) -> tuple[list[ReviewCard], int, datetime | None, list[date]]:
            due = await uow.reviews.due(member.id, horizon, limit=DUE_LOOKAHEAD)
            return (
                due,
                await uow.reviews.count_due(member.id, horizon),
                await uow.reviews.next_due(member.id),
                await uow.reviews.review_days(member.id, today - timedelta(days=STREAK_DAYS)),
            )

        due, count, next_due, days = await self.ctx.storage.read(look)
        current, best = review_streak(days, today)
        streak = (
            "\n"
            + ngettext(
                "Reviews done: {current} day in a row (best {best}).",
                "Reviews done: {current} days in a row (best {best}).",
                current,
            ).format(current=current, best=best)
            if best
            else ""
        )
        questions = {q.id: q for q in self.ctx.bank.questions}
        askable = [questions[card.question_id] for card in due if card.question_id in questions]
        if not askable:
            if next_due is None or next_due < horizon:
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
                )
                + streak,
                title=_("Review"),
            )
        heading = ngettext("Review ({count} due)", "Review ({count} due)", count).format(
            count=count
        )
        if current:
            heading += " · " + ngettext(
                "{current}-day review streak", "{current}-day review streak", current
            ).format(current=current)
        return await self.practice.start_one(actor, askable[0], heading)
