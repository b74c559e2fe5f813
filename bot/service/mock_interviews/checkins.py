"""After a round: ask each member whether the interview happened, and take feedback. An
answer and the points it earns are written in one unit of work."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from gettext import gettext as _

from bot.domain.errors import InvalidSetting, NothingToDo, UnknownQuestion
from bot.domain.mock_interviews import (
    CHECKIN_ANSWERS,
    FEEDBACK_LIMIT,
    MOCK_TOPIC,
    POINTS_FOR_A_MOCK,
    POINTS_FOR_FEEDBACK,
    RATING_KEYS,
    Assignment,
)
from bot.domain.schedule import local_date
from bot.domain.scoring import PointsEntry
from bot.ports import Actor, UnitOfWork, UserRef
from bot.render import Action, FormField, FormSpec, OutMessage, Reply
from bot.service import actions
from bot.service.context import Context
from bot.service.mock_interviews import copy
from bot.service.mock_interviews.rounds import stamp_once

log = logging.getLogger(__name__)


class CheckIns:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def send_checkins(self) -> int:
        """Days after a round, ask each member whether the interview happened (once)."""
        now = self.ctx.clock.now()
        sent = 0
        due = await self.ctx.storage.read(
            lambda uow: uow.pairing.due_checkins(now - timedelta(days=1))
        )
        for item in due:
            community = await self.ctx.community_by_id(item.community_id)
            if now - item.round_made_at < timedelta(days=community.settings.checkin_days):
                continue
            claimed = await stamp_once(self.ctx, item.assignment_id, "checkin_sent_at")
            chat = self.ctx.chats.get(community.platform)
            if not claimed or chat is None:
                continue
            buttons = tuple(
                Action(actions.checkin(item.assignment_id, i), label)
                for i, label in enumerate(copy.CHECKIN_LABELS)
            )
            message = OutMessage(
                _("Did your mock interview happen?"), title=_("Mock interview"), actions=buttons
            )
            try:
                await chat.send_dm(
                    UserRef(community.platform, community.workspace_id, item.user_id), message
                )
                sent += 1
            except Exception:
                log.warning("check-in for assignment %s failed", item.assignment_id, exc_info=True)
        return sent

    async def checkin(self, actor: Actor, assignment_id: int, answer: int) -> Reply:
        if not 0 <= answer < len(CHECKIN_ANSWERS):
            raise UnknownQuestion(_("That button no longer works."))
        community, member = await self.ctx.member(actor)
        said = CHECKIN_ANSWERS[answer]
        today = local_date(community.settings, self.ctx.clock.now())

        async def record(uow: UnitOfWork) -> tuple[bool, str | None]:
            recorded, current = await uow.pairing.record_checkin(assignment_id, member.id, said)
            if recorded and said == "met":
                entry = PointsEntry(member.id, POINTS_FOR_A_MOCK)
                await uow.scores.add_points(community.id, today, MOCK_TOPIC, [entry])
            return recorded, current

        recorded, current = await self.ctx.storage.transact(record)
        if current is None and not recorded:
            raise UnknownQuestion(_("That check-in belongs to someone else or has expired."))
        if not recorded:
            label = copy.CHECKIN_LABELS[CHECKIN_ANSWERS.index(current)] if current else "?"
            return Reply(
                _("You already answered “{label}”; the first answer counts.").format(label=label)
            )
        if said != "met":
            return Reply(copy.CHECKIN_THANKS[said])
        return Reply(
            copy.met_thanks(),
            actions=(Action(actions.feedback(assignment_id), _("Give feedback"), "primary"),),
        )

    async def _mine(self, member_id: int, assignment_id: int) -> Assignment:
        mine = await self.ctx.storage.read(lambda uow: uow.pairing.assignment(assignment_id))
        if mine is None or mine.member_id != member_id:
            raise UnknownQuestion(copy.NOT_YOURS_FEEDBACK)
        return mine

    async def feedback_form(self, actor: Actor, assignment_id: int) -> Reply:
        _community, member = await self.ctx.member(actor)
        await self._mine(member.id, assignment_id)
        extra = tuple(
            FormField(key, label, 1, placeholder=_("1, 2, 3 or 4"), multiline=False)
            for key, label in copy.RATING_LABELS.items()
        )
        return Reply(
            "",
            form=FormSpec(
                form_id=actions.feedback_form_id(assignment_id),
                title=_("Feedback for your partner"),
                label=_("What went well, what to work on"),
                max_length=FEEDBACK_LIMIT,
                placeholder=_("Be specific and kind: one strength, one thing to practise."),
                min_length=0,
                extra=extra,
            ),
        )

    async def submit_feedback(
        self, actor: Actor, assignment_id: int, text: str, values: Mapping[str, str]
    ) -> Reply:
        """Ratings 1-4 and a comment, sent privately to the partner(s); given once a round."""
        community, member = await self.ctx.member(actor)
        mine = await self._mine(member.id, assignment_id)
        ratings = {}
        for key in RATING_KEYS:
            value = (values.get(key) or "").strip()
            if value not in {"1", "2", "3", "4"}:
                raise InvalidSetting(
                    _(
                        "{rating}: “{value}” is not a rating. Use 1, 2, 3 or 4; "
                        "nothing was sent, so open the form again."
                    ).format(rating=copy.rating_name(key), value=value)
                )
            ratings[key] = int(value)
        comment = (text or "").strip()
        if len(comment) > FEEDBACK_LIMIT:
            raise InvalidSetting(copy.comment_too_long())
        now = self.ctx.clock.now()
        today = local_date(community.settings, now)

        async def save(uow: UnitOfWork) -> list[Assignment]:
            if not await uow.pairing.save_feedback(assignment_id, ratings, comment, now):
                raise NothingToDo(_("You already gave feedback for this round. Thank you!"))
            entry = PointsEntry(member.id, POINTS_FOR_FEEDBACK)
            await uow.scores.add_points(community.id, today, MOCK_TOPIC, [entry])
            return await uow.pairing.assignments(mine.round_id)

        group = await self.ctx.storage.transact(save)
        chat = self.ctx.chats.get(community.platform)
        message = OutMessage(
            copy.feedback_message(member.display_name, ratings, comment),
            title=_("Mock interview feedback"),
        )
        for partner in group:
            if partner.group_no != mine.group_no or partner.member_id == member.id:
                continue
            if chat is not None:
                await chat.send_dm(
                    UserRef(community.platform, community.workspace_id, partner.user_id), message
                )
        return Reply(copy.feedback_sent())
