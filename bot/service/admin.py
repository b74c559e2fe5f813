"""Community settings, changed by admins. Every value is checked before anything is saved."""

from __future__ import annotations

from collections.abc import Sequence
from gettext import gettext as _
from typing import Any

from bot.commands import SetupChange
from bot.domain.community import (
    CommunitySettings,
    parse_checkin_days,
    parse_time,
    parse_timezone,
    parse_weekday,
    parse_window,
)
from bot.domain.errors import InvalidSetting
from bot.domain.questions import DIFFICULTY_NAMES, Kind, difficulty_level
from bot.domain.schedule import local_date, scheduled_at
from bot.ports import Actor
from bot.render import Reply
from bot.service import cards
from bot.service import difficulty as question_difficulty
from bot.service.arguments import read_setup_words
from bot.service.context import Context

KIND_WORDS = {
    "mc": Kind.MULTIPLE_CHOICE,
    "multiple_choice": Kind.MULTIPLE_CHOICE,
    "choice": Kind.MULTIPLE_CHOICE,
    "short": Kind.SHORT_ANSWER,
    "short_answer": Kind.SHORT_ANSWER,
    "open": Kind.OPEN,
    "scenario": Kind.SCENARIO,
}


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]


def parse_mix(text: str) -> dict[int, int]:
    """`easy,medium` (equal weights) or `1:3,2:5,3:2` (weights)."""
    mix = {1: 0, 2: 0, 3: 0}
    for part in _split(text.lower()):
        name, _colon, weight = part.partition(":")
        level = difficulty_level(name)
        try:
            value = int(weight) if weight else 1
        except ValueError:
            level = None
            value = 0
        if level is None or not 0 <= value <= 100:
            raise InvalidSetting(
                _(
                    "“{part}” is not a difficulty. Use easy, medium, hard, or weights like "
                    "1:3,2:5,3:2."
                ).format(part=part)
            )
        mix[level] = value
    if not any(mix.values()):
        raise InvalidSetting(_("Choose at least one difficulty."))
    return mix


class Admin:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def apply(self, settings: CommunitySettings, change: SetupChange) -> CommunitySettings:
        values: dict[str, Any] = {}
        if change.channel is not None:
            channel = change.channel.strip().lstrip("#").strip("<>").lstrip("#")
            if not channel:
                raise InvalidSetting(_("Name the channel the daily question goes to."))
            values["channel_id"] = channel
        if change.time is not None:
            values["post_time"] = parse_time(change.time)
        if change.timezone is not None:
            values["timezone"] = parse_timezone(change.timezone).key
        if change.topics is not None:
            wanted = _split(change.topics.lower())
            if wanted in ([], ["all"], ["any"]):
                values["topics"] = ()
            else:
                known = self.ctx.bank.topics
                unknown = [t for t in wanted if t not in known]
                if unknown:
                    raise InvalidSetting(
                        _("Unknown topic(s): {unknown}. Topics: {known}.").format(
                            unknown=", ".join(unknown), known=", ".join(known)
                        )
                    )
                values["topics"] = tuple(dict.fromkeys(wanted))
        if change.window is not None:
            values["answer_window_minutes"] = parse_window(change.window)
        if change.kinds is not None:
            kinds = []
            for word in _split(change.kinds.lower()):
                if word not in KIND_WORDS:
                    raise InvalidSetting(
                        _(
                            "“{word}” is not a question kind. Use mc, short, open or scenario."
                        ).format(word=word)
                    )
                kinds.append(KIND_WORDS[word])
            if not kinds:
                raise InvalidSetting(_("Choose at least one question kind."))
            values["kinds"] = tuple(dict.fromkeys(kinds))
        if change.difficulty is not None:
            values["difficulty_mix"] = parse_mix(change.difficulty)
        if change.admins is not None:
            values["admin_user_ids"] = tuple(_split(change.admins))
        if change.packs is not None:
            wanted = _split(change.packs.lower())
            known = self.ctx.bank.packs
            unknown = [p for p in wanted if p not in known]
            if unknown or not wanted:
                raise InvalidSetting(
                    _("Unknown question pack(s): {unknown}. Packs: {known}.").format(
                        unknown=", ".join(unknown) or _("(none given)"), known=", ".join(known)
                    )
                )
            values["packs"] = tuple(dict.fromkeys(wanted))
        if change.pair_day is not None:
            values["pair_day"] = parse_weekday(change.pair_day)
        if change.pair_time is not None:
            values["pair_time"] = parse_time(change.pair_time)
        if change.checkin_days is not None:
            values["checkin_days"] = parse_checkin_days(change.checkin_days)
        if change.paused is not None:
            values["paused"] = change.paused
        return settings.with_changes(**values)

    async def setup(self, actor: Actor, change: SetupChange) -> Reply:
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        updated = self.apply(community.settings, change)
        from bot.domain.selection import eligible

        if not eligible(self.ctx.bank.questions, updated):
            raise InvalidSetting(
                _(
                    "No question matches those topics, kinds and difficulties together; "
                    "nothing was changed. Widen one of them."
                )
            )
        community = await self.ctx.save_settings(community, updated, contact=actor.user.user_id)
        return Reply(describe(updated, self.ctx), title=_("Settings saved"))

    async def setup_from_words(self, actor: Actor, words: Sequence[str]) -> Reply:
        """`setup` as typed; no words shows the settings."""
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        change = read_setup_words(words)
        if change == SetupChange():
            return await self.show(actor)
        return await self.setup(actor, change)

    async def difficulty(self, actor: Actor) -> Reply:
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        return await question_difficulty.show(self.ctx)

    async def show(self, actor: Actor) -> Reply:
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        text = describe(community.settings, self.ctx)
        problem = await self.ctx.storage.read(lambda uow: uow.communities.problem(community.id))
        if problem:
            text += "\n" + _("⚠ Last problem: {problem}").format(problem=problem)
        return Reply(text, title=_("Settings"))


def describe(settings: CommunitySettings, ctx: Context) -> str:
    window = (
        _("until the next post")
        if settings.answer_window_minutes is None
        else f"{settings.answer_window_minutes // 60}h{settings.answer_window_minutes % 60:02d}"
    )
    topics = ", ".join(settings.topics) if settings.topics else _("all topics")
    mix = ", ".join(
        f"{name} {settings.difficulty_mix.get(level, 0)}"
        for level, name in DIFFICULTY_NAMES.items()
    )
    next_post = scheduled_at(settings, local_date(settings, ctx.clock.now()))
    if next_post <= ctx.clock.now():
        from datetime import timedelta

        next_post = scheduled_at(
            settings, local_date(settings, ctx.clock.now()) + timedelta(days=1)
        )
    channel = settings.channel_id or _("not set (run setup with a channel)")
    post_time = settings.post_time.strftime("%H:%M")
    daily_post = (
        _("Daily post: {time} {zone} (paused)").format(time=post_time, zone=settings.timezone)
        if settings.paused
        else _("Daily post: {time} {zone} — next {when}").format(
            time=post_time,
            zone=settings.timezone,
            when=cards.local_time(next_post, settings.timezone),
        )
    )
    return "\n".join(
        [
            _("Channel: {channel}").format(channel=channel),
            daily_post,
            _("Answer window: {window}").format(window=window),
            _("Topics: {topics}").format(topics=topics),
            _("Kinds: {kinds}").format(kinds=", ".join(k.label for k in settings.kinds)),
            _("Difficulty mix: {mix}").format(mix=mix),
            _("Question packs: {packs}").format(packs=", ".join(settings.packs)),
            _("Mock interviews: {day} {time}, check-in after {days} day(s)").format(
                day=settings.pair_day.capitalize(),
                time=settings.pair_time.strftime("%H:%M"),
                days=settings.checkin_days,
            ),
        ]
    )
