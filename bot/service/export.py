"""`/quiz export`: a member's own answers in this community, as files they keep — a CSV of
every answer and an Anki deck of the questions they missed (formats in `bot.domain.export`).

Like `/quiz privacy`, it never creates a member: asking for your data must not store any."""

from __future__ import annotations

from gettext import gettext as _
from gettext import ngettext

from bot.domain.export import AnswersCsv, MissedDeck
from bot.ports import Actor, UnitOfWork
from bot.render import Attachment, Reply
from bot.service.context import Context

TITLE = _("Your studybot export")
ANSWERS_FILE = "studybot-answers.csv"
MISSED_FILE = "studybot-missed-anki.txt"

NOTHING = _(
    "You have no answers to export in this community yet. Answer the daily question or "
    "practise, then run `/quiz export` again."
)


class Export:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def export(self, actor: Actor) -> Reply:
        """A private reply with `studybot-answers.csv` and, when the member missed any
        question still in the bank, `studybot-missed-anki.txt`; no files without answers.
        Reads the history in one query, streamed into both files."""
        community = await self.ctx.community(actor.user.workspace)
        member = await self.ctx.storage.read(
            lambda uow: uow.members.find(community.id, actor.user.user_id)
        )
        if member is None:
            return Reply(NOTHING, title=TITLE)
        questions = self.ctx.bank.by_id
        table = AnswersCsv(questions, self.ctx.zone_of(community, member))
        deck = MissedDeck(questions)

        async def collect(uow: UnitOfWork) -> None:
            async for record in uow.answers.history(member.id):
                table.add(record)
                deck.add(record)

        await self.ctx.storage.read(collect)
        if not table.rows:
            return Reply(NOTHING, title=TITLE)
        files = [
            Attachment(
                ANSWERS_FILE,
                table.data(),
                "text/csv",
                ngettext(
                    "A spreadsheet of your {n} answer: source, date, question, answer, score "
                    "and key points hit.",
                    "A spreadsheet of your {n} answers: source, date, question, answer, score "
                    "and key points hit.",
                    table.rows,
                ).format(n=table.rows),
            )
        ]
        practised = table.rows - table.daily
        lines = [
            ngettext(
                "**{file}**: your {n} answer in this community ({daily} daily, {practice} "
                "practice), one row each; it opens in any spreadsheet.",
                "**{file}**: your {n} answers in this community ({daily} daily, {practice} "
                "practice), one row each; it opens in any spreadsheet.",
                table.rows,
            ).format(file=ANSWERS_FILE, n=table.rows, daily=table.daily, practice=practised)
        ]
        if deck.notes:
            files.append(
                Attachment(
                    MISSED_FILE,
                    deck.data(),
                    "text/plain",
                    ngettext(
                        "An Anki deck of the {n} question you missed.",
                        "An Anki deck of the {n} questions you missed.",
                        deck.notes,
                    ).format(n=deck.notes),
                )
            )
            lines.append(
                ngettext(
                    "**{file}**: the {n} question you missed, as a flashcard with the model "
                    "answer on the back. In Anki: File → Import.",
                    "**{file}**: the {n} questions you missed, as flashcards with the model "
                    "answer on the back. In Anki: File → Import.",
                    deck.notes,
                ).format(file=MISSED_FILE, n=deck.notes)
            )
        elif not deck.gone:
            lines.append(_("You have missed no question yet, so there is no Anki deck."))
        if deck.gone:
            lines.append(
                ngettext(
                    "{n} question you missed is no longer in the question bank, so it has no "
                    "flashcard; its answers are still in the spreadsheet.",
                    "{n} questions you missed are no longer in the question bank, so they have "
                    "no flashcard; their answers are still in the spreadsheet.",
                    deck.gone,
                ).format(n=deck.gone)
            )
        if practised:
            lines.append(
                _(
                    "Practice answers show their score only: studybot does not keep the choice "
                    "or text of a practice answer."
                )
            )
        body = _("Attached:") + "\n" + "\n".join(f"- {line}" for line in lines)
        return Reply(body, title=TITLE, files=tuple(files))
