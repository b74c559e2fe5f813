"""The stats cards as pictures: a member's own card (added to `/quiz stats`) and, for admins,
the group's card (`/quiz stats group`). The text of each reply says what the picture shows,
so it stands for it with screen readers and where a platform cannot take the file."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from gettext import gettext as _
from gettext import ngettext
from zoneinfo import ZoneInfo

from bot import charts
from bot.domain.members import Member, MemberTotals
from bot.domain.reviews import day_end
from bot.domain.schedule import local_date
from bot.domain.stats import (
    CALENDAR_DAYS,
    AnsweredDay,
    CoverageBar,
    GroupCard,
    MemberCard,
    MissedQuestion,
    MissedRow,
    TopicBar,
    TopicCoverage,
    member_card,
)
from bot.ports import Actor, UnitOfWork
from bot.render import Attachment, Reply
from bot.service.context import Context

log = logging.getLogger(__name__)

STATS_FILE = "studybot-stats.png"
GROUP_FILE = "studybot-group-stats.png"
MISSED_SHOWN = 5
TITLE_WIDTH = 60


async def picture(draw: Callable[[], bytes], filename: str, description: str) -> Attachment | None:
    """The card drawn in a worker thread (matplotlib holds the CPU for a good part of a
    second on a busy machine); None when drawing failed, so the reply goes out as text."""
    try:
        png = await asyncio.to_thread(draw)
    except Exception:
        log.exception("drawing %s failed; the reply goes out as text", filename)
        return None
    return Attachment(filename, png, "image/png", description=description)


# a member's card ---------------------------------------------------------------------------


async def read_member_card(
    uow: UnitOfWork, member: Member, now: datetime, zone: str
) -> tuple[list[AnsweredDay], int, datetime | None]:
    """Inside the stats read: the member's answered days (a day of slack either side of the
    year for time zones) and their reviews due today (as `/quiz review` counts them)."""
    since = now.date() - timedelta(days=CALENDAR_DAYS + 1)
    days = await uow.answers.answered_days(member.id, since)
    due = await uow.reviews.count_due(member.id, day_end(now, zone))
    return days, due, await uow.reviews.next_due(member.id)


def build_member_card(
    ctx: Context,
    member: Member,
    zone: str,
    now: datetime,
    totals: MemberTotals,
    days: list[AnsweredDay],
    due: int,
    next_due: datetime | None,
) -> MemberCard:
    bars = tuple(
        TopicBar(ctx.bank.topic_title(topic), answered, correct)
        for topic, (_points, answered, correct) in sorted(totals.topics.items())
        if topic and answered
    )
    today = now.astimezone(ZoneInfo(zone)).date()
    return member_card(member.display_name, today, zone, days, bars, due, next_due)


def member_card_lines(card: MemberCard, zone: str) -> list[str]:
    """The card's numbers that the stats text does not already say."""
    recent = sum(points for _day, points in card.points)
    lines = [
        _("Last {days} days: {points} pts · answered on {active} of the last {year} days").format(
            days=len(card.points),
            points=recent,
            active=len(card.answered_days),
            year=CALENDAR_DAYS,
        )
    ]
    if card.next_review is None:
        lines.append(_("Reviews: none yet (answered questions come back for review)"))
    elif card.reviews_due:
        lines.append(
            ngettext(
                "Reviews: {count} due now — /quiz review",
                "Reviews: {count} due now — /quiz review",
                card.reviews_due,
            ).format(count=card.reviews_due)
        )
    else:
        lines.append(
            _("Reviews: none due now, next on {day}").format(
                day=card.next_review.astimezone(ZoneInfo(zone)).date().isoformat()
            )
        )
    return lines


def member_card_description(card: MemberCard) -> str:
    if card.empty:
        return _("Your stats card: no answers yet.")
    return _(
        "Your stats card: points over the last {days} days ({points} in all), accuracy in "
        "{topics} topic(s), {active} day(s) answered in the last year, {due} review(s) due."
    ).format(
        days=len(card.points),
        points=sum(p for _d, p in card.points),
        topics=len(card.topics),
        active=len(card.answered_days),
        due=card.reviews_due,
    )


async def member_picture(card: MemberCard) -> Attachment | None:
    return await picture(
        lambda: charts.member_card_png(card), STATS_FILE, member_card_description(card)
    )


# the group's card --------------------------------------------------------------------------


class GroupStats:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def group(self, actor: Actor) -> Reply:
        """Admins only (NotAdmin otherwise): answers and accuracy per topic across the
        members, and the daily questions most often missed; text plus a picture."""
        community, _member = await self.ctx.member(actor)
        self.ctx.require_admin(actor, community)
        today = local_date(community.settings, self.ctx.clock.now())

        async def read(uow: UnitOfWork) -> tuple[list[TopicCoverage], list[MissedQuestion], int]:
            coverage = await uow.scores.coverage(community.id)
            missed = await uow.answers.most_missed(community.id, MISSED_SHOWN)
            _top, _mine, ranked = await uow.scores.board(
                community.id, "all", "all", "", None, limit=0
            )
            return coverage, missed, ranked

        coverage, missed, ranked = await self.ctx.storage.read(read)
        card = self.card(community.name, coverage, missed, ranked)
        text = self.text(card)
        title = _("Group stats, {day}").format(day=today.isoformat())
        attachment = await picture(
            lambda: charts.group_card_png(card), GROUP_FILE, self.description(card)
        )
        files = () if attachment is None else (attachment,)
        return Reply(text, title=title, files=files)

    def card(
        self, name: str, coverage: list[TopicCoverage], missed: list[MissedQuestion], members: int
    ) -> GroupCard:
        questions = self.ctx.bank.by_id
        bars = tuple(
            CoverageBar(self.ctx.bank.topic_title(t.topic), t.members, t.answered, t.correct)
            for t in coverage
            if t.answered
        )
        rows = []
        for m in missed:
            question = questions.get(m.question_id)
            title = question.prompt.split("\n", 1)[0] if question else m.question_id
            rows.append(
                MissedRow(
                    _clip(title, TITLE_WIDTH),
                    self.ctx.bank.topic_title(m.topic),
                    m.answered,
                    m.missed,
                )
            )
        return GroupCard(name, members, bars, tuple(rows))

    def text(self, card: GroupCard) -> str:
        lines = [
            "**" + card.name + "**",
            ngettext(
                "{count} member has answered daily questions.",
                "{count} members have answered daily questions.",
                card.members,
            ).format(count=card.members),
        ]
        if card.empty:
            lines.append(_("No answers yet: the group card fills in once questions close."))
            return "\n".join(lines)
        if card.topics:
            lines.append(_("Coverage by topic:"))
            lines += [
                _("- {topic}: {answered} answer(s) from {members} member(s), {share} right").format(
                    topic=t.title,
                    answered=t.answered,
                    members=t.members,
                    share=f"{t.accuracy:.0%}",
                )
                for t in card.topics
            ]
        if card.missed:
            lines.append(_("Most often missed:"))
            lines += [
                _("- {title} ({topic}): missed {missed} of {answered}").format(
                    title=m.title, topic=m.topic, missed=m.missed, answered=m.answered
                )
                for m in card.missed
            ]
        return "\n".join(lines)

    def description(self, card: GroupCard) -> str:
        if card.empty:
            return _("The group's stats card: no answers yet.")
        return _(
            "The group's stats card: answers and share right in {topics} topic(s), and the "
            "{missed} question(s) most often missed."
        ).format(topics=len(card.topics), missed=len(card.missed))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
