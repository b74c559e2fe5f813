"""The read side: leaderboards, personal stats and streaks, from maintained aggregates."""

from __future__ import annotations

from collections.abc import Callable
from gettext import gettext as _
from typing import Any

from bot.domain.errors import InvalidSetting
from bot.domain.members import MemberTotals
from bot.domain.schedule import local_date
from bot.domain.scoring import PERIOD_NAMES, PERIODS, period_key
from bot.ports import Actor, UnitOfWork
from bot.render import LeaderboardRow, LeaderboardView, Reply, format_board
from bot.service import stats_card
from bot.service.arguments import split_arguments
from bot.service.context import Context

PERIOD_WORDS = {
    "week": "week",
    "weekly": "week",
    "month": "month",
    "monthly": "month",
    "all": "all",
    "all-time": "all",
    "alltime": "all",
    "ever": "all",
}


def parse_period(text: str | None) -> str:
    if text is None or not text.strip():
        return "week"
    period = PERIOD_WORDS.get(text.strip().lower())
    if period is None:
        raise InvalidSetting(
            _("“{text}” is not a period. Use week, month or all.").format(text=text)
        )
    return period


class Queries:
    def __init__(self, ctx: Context, resolve_topic: Callable[[str | None], str | None]) -> None:
        self.ctx = ctx
        self._resolve_topic = resolve_topic

    def _is_topic(self, text: str) -> bool:
        try:
            self._resolve_topic(text)
        except InvalidSetting:
            return False
        return True

    async def leaderboard(
        self, actor: Actor, period: str | None = None, topic: str | None = None
    ) -> Reply:
        period, topic = split_arguments(
            (period, topic),
            lambda w: w.lower() in PERIOD_WORDS,
            self._is_topic,
            keyword_kind=_("a period (week, month or all)"),
            topics=", ".join(self.ctx.bank.topics),
        )
        chosen = parse_period(period)
        topic_id = self._resolve_topic(topic) or ""
        community, member = await self.ctx.member(actor)
        today = local_date(community.settings, self.ctx.clock.now())
        key = period_key(chosen, today)
        top, mine, total = await self.ctx.storage.read(
            lambda uow: uow.scores.board(community.id, chosen, key, topic_id, member.id)
        )
        rows: list[LeaderboardRow] = []
        rank = 0
        previous: int | None = None
        for position, row in enumerate(top, start=1):
            if row.points != previous:
                rank = position
                previous = row.points
            rows.append(LeaderboardRow(rank, row.name, row.points, row.answered, row.correct))
        me = None
        if mine is not None:
            my_rank, my_row = mine
            me = LeaderboardRow(
                my_rank, my_row.name, my_row.points, my_row.answered, my_row.correct
            )
        if topic_id:
            title = _("Leaderboard, {period} — {topic}").format(
                period=PERIOD_NAMES[chosen], topic=self.ctx.bank.topic_title(topic_id)
            )
        else:
            title = _("Leaderboard, {period}").format(period=PERIOD_NAMES[chosen])
        board = LeaderboardView(
            title=title,
            rows=tuple(rows),
            me=me,
            members=total,
        )
        if not rows:
            text = _(
                "No scores yet for this period. Answer the daily question to get on the board."
            )
        else:
            text = format_board(board)
        return Reply(text, title=board.title, board=board, private=True)

    async def stats(self, actor: Actor, *, picture: bool = True) -> Reply:
        community, member = await self.ctx.member(actor)
        now = self.ctx.clock.now()
        today = local_date(community.settings, now)
        zone = self.ctx.zone_of(community, member)

        async def read(uow: UnitOfWork) -> tuple[MemberTotals, int | None, list[Any], Any]:
            boards = [
                await uow.scores.board(
                    community.id, period, period_key(period, today), "", member.id, limit=0
                )
                for period in PERIODS
            ]
            totals = await uow.members.totals(community.id, member.id)
            card = await stats_card.read_member_card(uow, member, now, zone)
            return totals, await uow.posts.latest_closed_seq(community.id), boards, card

        totals, latest, boards, (days, due, next_due) = await self.ctx.storage.read(read)
        card = stats_card.build_member_card(
            self.ctx, member, zone, now, totals, days, due, next_due
        )
        streak = totals.streak
        ranks = []
        for period, (_top, mine, total) in zip(PERIODS, boards, strict=True):
            if mine is not None:
                ranks.append(
                    _("{period}: #{rank} of {total}, {points} pts").format(
                        period=PERIOD_NAMES[period],
                        rank=mine[0],
                        total=total,
                        points=mine[1].points,
                    )
                )
        lines = [f"**{member.display_name}**"]
        lines.append(
            _("Rank — {ranks}").format(ranks="; ".join(ranks) if ranks else _("not ranked yet"))
        )
        lines.append(
            _(
                "Answered: {answered} daily question(s) · streak {current} day(s), best {best}"
            ).format(
                answered=totals.answered,
                current=streak.shown(latest) if streak else 0,
                best=streak.best if streak else 0,
            )
        )
        topic_rows = {t: v for t, v in totals.topics.items() if t}
        if topic_rows:
            lines.append(_("By topic:"))
            for topic, (points, answered, correct) in sorted(topic_rows.items()):
                title = self.ctx.bank.topic_title(topic)
                lines.append(
                    _("- {topic}: {correct}/{answered} right, {points} pts").format(
                        topic=title, correct=correct, answered=answered, points=points
                    )
                )
        lines += stats_card.member_card_lines(card, zone)
        attachment = await stats_card.member_picture(card) if picture else None
        files = () if attachment is None else (attachment,)
        return Reply("\n".join(lines), title=_("Your stats"), files=files)

    async def streak(self, actor: Actor) -> Reply:
        community, member = await self.ctx.member(actor)

        async def read(uow: UnitOfWork) -> tuple[MemberTotals, int | None]:
            totals = await uow.members.totals(community.id, member.id)
            return totals, await uow.posts.latest_closed_seq(community.id)

        totals, latest = await self.ctx.storage.read(read)
        streak = totals.streak
        current = streak.shown(latest) if streak else 0
        best = streak.best if streak else 0
        if current == 0:
            return Reply(
                _("No streak running. Answer today's question to start one (best: {best}).").format(
                    best=best
                )
            )
        return Reply(
            _("Your streak: {current} day(s) in a row (best: {best}). Keep it going!").format(
                current=current, best=best
            )
        )
