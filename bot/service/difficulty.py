"""`difficulty` for admins: the questions that play harder or easier than their label, from
every community's answers (`bot.domain.ratings`)."""

from __future__ import annotations

from gettext import gettext as _
from gettext import ngettext

from bot.domain.questions import DIFFICULTY_NAMES, Question
from bot.domain.ratings import VERDICT_GAMES, Standing, start_rating, verdict
from bot.render import Reply
from bot.service.context import Context

LISTED = 15


def listing(questions: dict[str, Question], played: dict[str, Standing]) -> str:
    """The mislabelled questions, furthest from their label's start rating first."""
    off: list[tuple[Question, Standing, int]] = []
    for question_id, standing in played.items():
        question = questions.get(question_id)
        if question is None:
            continue
        band = verdict(question.difficulty, standing)
        if band is not None:
            off.append((question, standing, band))
    rated = sum(1 for q in played if q in questions)
    if not off:
        return ngettext(
            "Every question plays as labelled. {rated} question has {games} or more answers; "
            "the others need more before they get a verdict.",
            "Every question plays as labelled. {rated} questions have {games} or more answers; "
            "the others need more before they get a verdict.",
            rated,
        ).format(rated=rated, games=VERDICT_GAMES)
    off.sort(key=lambda t: (-abs(t[1].rating - start_rating(t[0].difficulty)), t[0].id))
    lines = [
        _("{id} — labelled {label}, plays {band} (rating {rating}, {answers} answers)").format(
            id=q.id,
            label=DIFFICULTY_NAMES[q.difficulty],
            band=DIFFICULTY_NAMES[band],
            rating=round(s.rating),
            answers=s.games,
        )
        for q, s, band in off[:LISTED]
    ]
    lines.append(
        ngettext(
            "{off} of {rated} question with {games} or more answers plays off its label.",
            "{off} of {rated} questions with {games} or more answers play off their label.",
            rated,
        ).format(off=len(off), rated=rated, games=VERDICT_GAMES)
    )
    if len(off) > LISTED:
        lines.append(_("Showing the {shown} furthest off.").format(shown=LISTED))
    return "\n".join(lines)


async def show(ctx: Context) -> Reply:
    """The listing (the caller checks that the actor is an admin)."""
    played = await ctx.storage.read(lambda uow: uow.ratings.played(VERDICT_GAMES))
    return Reply(
        listing({q.id: q for q in ctx.bank.questions}, played), title=_("Question difficulty")
    )
