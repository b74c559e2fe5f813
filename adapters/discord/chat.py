"""DiscordChat: the ChatPort on discord.py. Works from ids alone (no member or channel cache),
so it needs no privileged intents."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from gettext import gettext as _
from typing import Any

import discord

from adapters.discord import render
from adapters.discord.pacing import DISCORD_GLOBAL_LIMIT, Pacer
from bot.ports import ChannelRef, ChatUnavailable, MessageRef, UserRef
from bot.render import LeaderboardView, OutMessage, QuestionCard, Reveal

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
MISSING: Any = discord.utils.MISSING
# Headroom under the global limit for interaction replies, discord.py's own calls and timing
# jitter (a late wake-up followed by an on-time one puts more in a second than the rate): in
# bench.reviews, 20,000 requests met 28 and 40 429s at 49/s, and 3 at 47.5/s.
PACED_RATE = DISCORD_GLOBAL_LIMIT * 0.95


def _problem(error: discord.HTTPException, channel: ChannelRef, doing: str) -> ChatUnavailable:
    where = f"<#{channel.channel_id}>"
    if isinstance(error, discord.Forbidden):
        return ChatUnavailable(
            _(
                "studybot cannot {doing} in {where}: give it View Channel, Send Messages, "
                "Embed Links, Create Public Threads and Send Messages in Threads there."
            ).format(doing=doing, where=where)
        )
    if isinstance(error, discord.NotFound):
        return ChatUnavailable(
            _(
                "the question channel {where} no longer exists: "
                "choose another with /quiz-admin setup."
            ).format(where=where)
        )
    return ChatUnavailable(
        _("Discord refused to {doing} in {where} ({status}).").format(
            doing=doing, where=where, status=error.status
        )
    )


class DiscordChat:
    """Every call here is a request the bot starts itself; all of them share one pacer so a
    fan-out to many servers stays under Discord's global rate limit."""

    def __init__(self, client: discord.Client, pacer: Pacer | None = None) -> None:
        self.client = client
        self.pacer = pacer or Pacer(PACED_RATE)

    def _channel(self, channel: ChannelRef) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(
            int(channel.channel_id), guild_id=int(channel.workspace_id)
        )

    async def post_question(self, channel: ChannelRef, card: QuestionCard) -> MessageRef:
        view = render.buttons(card.actions)
        await self.pacer.wait()
        try:
            message = await self._channel(channel).send(
                embed=render.question_embed(card),
                allowed_mentions=NO_MENTIONS,
                view=view or MISSING,
            )
        except discord.HTTPException as error:
            raise _problem(error, channel, _("post the question")) from error
        return MessageRef(channel, str(message.id))

    async def close_question(self, message: MessageRef, card: QuestionCard) -> None:
        partial = self._channel(message.channel).get_partial_message(int(message.message_id))
        await self.pacer.wait()
        try:
            await partial.edit(embed=render.question_embed(card), view=render.closed_view(card))
        except discord.NotFound:
            log.info("question message %s is gone; nothing to close", message.message_id)
        except discord.HTTPException as error:
            raise _problem(error, message.channel, _("close the question")) from error

    async def post_reveal(
        self, channel: ChannelRef, reveal: Reveal, *, thread: MessageRef | None
    ) -> MessageRef:
        embed = render.reveal_embed(reveal)
        view = render.buttons(reveal.actions)
        target = self._channel(channel)
        if thread is not None:
            await self.pacer.wait()
            try:
                created = await self.client.http.start_thread_with_message(
                    int(channel.channel_id),
                    int(thread.message_id),
                    name=render.clip(_("Answer: {title}").format(title=reveal.title), 100),
                    auto_archive_duration=1440,
                )
                target = self.client.get_partial_messageable(
                    int(created["id"]), guild_id=int(channel.workspace_id)
                )
            except discord.HTTPException as error:
                log.warning(
                    "cannot open a thread for the reveal (%s); posting in the channel", error.status
                )
        await self.pacer.wait()
        try:
            message = await target.send(
                embed=embed, allowed_mentions=NO_MENTIONS, view=view or MISSING
            )
        except discord.HTTPException as error:
            raise _problem(error, channel, _("post the answer")) from error
        return MessageRef(channel, str(message.id))

    async def post_leaderboard(self, channel: ChannelRef, board: LeaderboardView) -> MessageRef:
        await self.pacer.wait()
        try:
            message = await self._channel(channel).send(
                embed=render.board_embed(board), allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as error:
            raise _problem(error, channel, _("post the leaderboard")) from error
        return MessageRef(channel, str(message.id))

    async def send_dm(self, user: UserRef, message: OutMessage) -> MessageRef | None:
        """Paced like every other request: a day's review nudges reach many members at once.
        discord.py keeps recent DM channels, so a member messaged again costs one request."""
        try:
            await self.pacer.wait()
            channel = await self.client.create_dm(discord.Object(id=int(user.user_id)))
            await self.pacer.wait()
            sent = await channel.send(
                render.clip(message.text, 2000),
                allowed_mentions=NO_MENTIONS,
                view=render.buttons(message.actions, guild_id=user.workspace_id) or MISSING,
            )
        except discord.HTTPException:
            return None  # closed DMs: the caller says so in the channel
        ref = ChannelRef(user.platform, user.workspace_id, str(sent.channel.id))
        return MessageRef(ref, str(sent.id))

    async def post_notice(self, channel: ChannelRef, message: OutMessage) -> MessageRef:
        await self.pacer.wait()
        try:
            sent = await self._channel(channel).send(
                render.clip(message.text, 2000), allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as error:
            raise _problem(error, channel, _("post an announcement")) from error
        return MessageRef(channel, str(sent.id))

    async def open_private_space(
        self, channel: ChannelRef, users: Sequence[UserRef], message: OutMessage
    ) -> ChannelRef | None:
        """A private thread under the question channel, with the members added."""
        try:
            await self.pacer.wait()
            thread = await self.client.http.start_thread_without_message(
                int(channel.channel_id),
                name=render.clip(message.title or _("Mock interview"), 100),
                auto_archive_duration=10080,
                type=12,  # a private thread
                invitable=False,
            )
            for user in users:
                await self.pacer.wait()
                await self.client.http.add_user_to_thread(int(thread["id"]), int(user.user_id))
            space = ChannelRef(channel.platform, channel.workspace_id, str(thread["id"]))
            await self.pacer.wait()
            await self._channel(space).send(
                render.clip(message.text, 2000), allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as error:
            log.warning(
                "cannot open a private thread (%s); members get direct messages", error.status
            )
            return None
        return space
