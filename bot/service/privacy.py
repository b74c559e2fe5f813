"""A member's own data: `/quiz privacy` says what is stored, `/quiz forget-me` deletes it.

Neither command creates a member: asking what is stored must not itself store anything."""

from __future__ import annotations

from gettext import gettext as _
from gettext import ngettext

from bot.domain.privacy import StoredData, confirmation_expired, issued_stamp
from bot.ports import Actor
from bot.render import Action, Reply
from bot.service import actions
from bot.service.answering import AnswerBatcher
from bot.service.context import Context

TITLE = _("What studybot stores about you")
FORGET_TITLE = _("Delete your studybot data?")
DELETED_TITLE = _("Your studybot data is deleted")
CONFIRM_LABEL = _("Delete my data")

NOTHING_STORED = _(
    "studybot stores nothing about you in this community: you have not answered, practised or "
    "joined mock interviews here. Once you do, `/quiz privacy` lists what is kept and "
    "`/quiz forget-me` deletes it."
)
NOT_STORED_ELSE = _(
    "Nothing else is stored: studybot reads only its own commands, buttons and forms, never "
    "the channel. Until a question's reveal only you see your answer; the reveal shows how "
    "many chose each option and who got it right. `/quiz export` gives you a copy of your "
    "answers as files; `/quiz forget-me` deletes all of it."
)
CONFIRM = _(
    "Your points leave every leaderboard, and this cannot be undone. Feedback a partner wrote "
    "after a mock interview stays with them. Press **Delete my data** within 10 minutes to "
    "confirm."
)
FORGOTTEN = _(
    "Deleted: {deleted}. studybot stores nothing about you here any more; if you answer or "
    "practise again, you start afresh."
)
ALREADY_GONE = _("Nothing is stored about you here any more, so there was nothing to delete.")
EXPIRED = _(
    "That confirmation has expired (it lasts 10 minutes), so nothing was deleted. Run "
    "`/quiz forget-me` again if you still want your data deleted."
)
NOT_YOURS = _(
    "That button is not for your current data, so nothing was deleted. Run `/quiz forget-me` "
    "to delete your own."
)


def describe(data: StoredData) -> list[str]:
    """One line per kind of data held, in the member's terms."""
    lines = []
    if data.member_id is not None:
        lines += [
            _(
                "your name as shown here (**{name}**), your user id and your time zone ({zone})"
            ).format(name=data.display_name, zone=data.timezone or _("not set")),
            ngettext(
                "{n} daily answer: your choice or text, when you gave it, and its grade",
                "{n} daily answers: your choice or text, when you gave each, and its grade",
                data.daily_answers,
            ).format(n=data.daily_answers),
            ngettext(
                "{n} practice question: your answer and its grade",
                "{n} practice questions: your answers and their grades",
                data.practice_sessions,
            ).format(n=data.practice_sessions),
            ngettext(
                "{n} review card: when that question comes back for you to review",
                "{n} review cards: when each question comes back for you to review",
                data.review_cards,
            ).format(n=data.review_cards),
            _("your review nudge: its time and quiet hours, and the day it last came")
            if data.review_nudge
            else _("no review nudge"),
            _("your practice level: a rating moved by your answers, which picks your questions")
            if data.practice_rating
            else _("no practice level yet"),
            ngettext(
                "{n} day with reviews done (your reviews streak)",
                "{n} days with reviews done (your reviews streak)",
                data.review_days,
            ).format(n=data.review_days),
            _("your points ({points} all time, in {rows}) and your streak (best: {best})").format(
                points=data.all_time_points,
                rows=ngettext(
                    "{n} leaderboard row", "{n} leaderboard rows", data.board_rows
                ).format(n=data.board_rows),
                best=ngettext("{n} day", "{n} days", data.streak_best).format(n=data.streak_best),
            ),
            _("your mock-interview profile (availability, time zone, role and level)")
            if data.pairing_profile
            else _("no mock-interview profile"),
            _("{rounds} and {forms} you wrote").format(
                rounds=ngettext(
                    "{n} mock-interview round", "{n} mock-interview rounds", data.mock_rounds
                ).format(n=data.mock_rounds),
                forms=ngettext(
                    "{n} feedback form", "{n} feedback forms", data.feedback_given
                ).format(n=data.feedback_given),
            ),
        ]
    if data.setup_contact:
        lines.append(_("your user id as the admin told when posting fails (you ran setup)"))
    return lines


def _summary(data: StoredData) -> str:
    contact = [_("your user id as the admin contact")] if data.setup_contact else []
    if data.member_id is None:
        return ", ".join(contact)
    return ", ".join(
        [
            _("your name and time zone"),
            ngettext("{n} daily answer", "{n} daily answers", data.daily_answers).format(
                n=data.daily_answers
            ),
            ngettext(
                "{n} practice question", "{n} practice questions", data.practice_sessions
            ).format(n=data.practice_sessions),
            ngettext("{n} review card", "{n} review cards", data.review_cards).format(
                n=data.review_cards
            ),
            _("your review nudge") if data.review_nudge else _("no review nudge"),
            ngettext("{n} leaderboard row", "{n} leaderboard rows", data.board_rows).format(
                n=data.board_rows
            ),
            _("your streak"),
            _("your mock-interview profile") if data.pairing_profile else _("no profile"),
            ngettext("{n} round", "{n} rounds", data.mock_rounds).format(n=data.mock_rounds),
            ngettext("{n} feedback form", "{n} feedback forms", data.feedback_given).format(
                n=data.feedback_given
            ),
            *contact,
        ]
    )


class Privacy:
    def __init__(self, ctx: Context, batcher: AnswerBatcher) -> None:
        self.ctx = ctx
        self.batcher = batcher

    async def _held(self, actor: Actor) -> tuple[int, StoredData | None]:
        community = await self.ctx.community(actor.user.workspace)
        user_id = actor.user.user_id
        held = await self.ctx.storage.read(lambda uow: uow.privacy.held(community.id, user_id))
        return community.id, held

    async def show(self, actor: Actor) -> Reply:
        _community_id, data = await self._held(actor)
        if data is None:
            return Reply(NOTHING_STORED, title=TITLE)
        bullets = "\n".join(f"- {line}" for line in describe(data))
        return Reply(f"{bullets}\n\n{NOT_STORED_ELSE}", title=TITLE)

    async def ask(self, actor: Actor) -> Reply:
        _community_id, data = await self._held(actor)
        if data is None:
            return Reply(NOTHING_STORED, title=FORGET_TITLE)
        bullets = "\n".join(f"- {line}" for line in describe(data))
        button = Action(
            actions.forget_me(data.member_id or 0, issued_stamp(self.ctx.clock.now())),
            CONFIRM_LABEL,
            "danger",
        )
        return Reply(f"{bullets}\n\n{CONFIRM}", title=FORGET_TITLE, actions=(button,))

    async def forget(self, actor: Actor, member_id: int, issued: int) -> Reply:
        """`member_id` is the one the button was offered for (0: none), so a button from
        before an earlier deletion cannot delete the data stored since."""
        community_id, data = await self._held(actor)
        if data is None:
            return Reply(ALREADY_GONE)
        if (data.member_id or 0) != member_id:
            return Reply(NOT_YOURS)
        if confirmation_expired(issued, self.ctx.clock.now()):
            return Reply(EXPIRED)
        user_id = actor.user.user_id
        deleted = await self.ctx.storage.transact(
            lambda uow: uow.privacy.erase(community_id, user_id)
        )
        if data.member_id is not None:
            self.ctx.directory.drop(data.member_id)
        self.batcher.discard(community_id, user_id)
        if deleted is None:
            return Reply(ALREADY_GONE)
        return Reply(FORGOTTEN.format(deleted=_summary(deleted)), title=DELETED_TITLE)
