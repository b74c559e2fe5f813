"""Use cases that belong to no feature: help, a member's time zone, the open question (for
adapters without a channel history), stale controls, and a local group's first start."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from bot import texts
from bot.commands import StaleControl
from bot.domain import scenarios
from bot.domain.community import Community, parse_timezone
from bot.domain.errors import UnknownQuestion
from bot.domain.members import Member
from bot.ports import Actor
from bot.render import Reply
from bot.service import cards
from bot.service.context import Context


class General:
    def __init__(
        self,
        ctx: Context,
        on_timezone: Sequence[Callable[[Member, Community], Awaitable[None]]] = (),
    ) -> None:
        self.ctx = ctx
        self.on_timezone = list(on_timezone)

    async def help(self, actor: Actor) -> Reply:
        del actor
        topics = ", ".join(self.ctx.bank.topics) or texts.NO_TOPICS
        domains = ", ".join(sorted(scenarios.domain_counts(self.ctx.bank.questions)))
        return Reply(
            texts.HELP.format(topics=topics, domains=domains or texts.NO_TOPICS),
            title=texts.HELP_TITLE,
        )

    async def set_timezone(self, actor: Actor, timezone: str) -> Reply:
        zone = parse_timezone(timezone).key
        community, member = await self.ctx.member(actor)
        await self.ctx.set_member_timezone(member, zone)
        for follow in self.on_timezone:
            await follow(replace(member, timezone=zone), community)
        return Reply(texts.TIMEZONE_SET.format(zone=zone))

    async def current_card(self, actor: Actor) -> Reply:
        community = await self.ctx.community(actor.user.workspace)
        post = await self.ctx.storage.read(lambda uow: uow.posts.current(community.id))
        if post is None:
            return Reply(texts.NOTHING_OPEN)
        card = cards.question_card(
            post, self.ctx.bank.topic_title(post.question.topic), community.settings.timezone
        )
        return Reply("", card=card)

    async def stale(self, actor: Actor, command: StaleControl) -> Reply:
        del actor
        raise UnknownQuestion(texts.STALE_CONTROL.get(command.reason, texts.STALE_CONTROL["old"]))

    async def start_local_group(self, actor: Actor, name: str, channel_id: str) -> None:
        """A local (console) group: its one member sets it up, so it posts in `channel_id`
        from the first start."""
        community = await self.ctx.community(actor.user.workspace, name)
        if not community.settings.channel_id:
            changed = community.settings.with_changes(channel_id=channel_id)
            await self.ctx.save_settings(community, changed, contact=actor.user.user_id)
