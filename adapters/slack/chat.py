"""SlackChat: the ChatPort on slack-sdk's AsyncWebClient. A message is known by its `ts`."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from gettext import gettext as _
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.pacing import ChannelPacer, conversations_open_pacer, direct_message_pacer
from bot.ports import ChannelRef, ChatUnavailable, MessageRef, UserRef
from bot.render import LeaderboardView, OutMessage, QuestionCard, Reveal

log = logging.getLogger(__name__)
DM_CHANNELS_KEPT = 50_000

PLAIN_WORDS = {
    "not_in_channel": _("studybot is not in <#{channel}>: invite it there with /invite @studybot."),
    "channel_not_found": _(
        "the question channel <#{channel}> no longer exists or is private: "
        "choose another with /quiz setup channel=#channel."
    ),
    "is_archived": _(
        "the question channel <#{channel}> is archived: unarchive it or choose "
        "another with /quiz setup channel=#channel."
    ),
    "invalid_auth": _("Slack no longer accepts studybot's token: reinstall the app."),
    "token_revoked": _("studybot's token was revoked: reinstall the app to this workspace."),
    "account_inactive": _("studybot's token was revoked: reinstall the app to this workspace."),
    "missing_scope": _("studybot lacks a permission: reinstall the app so it gets chat:write."),
}


def _problem(error: SlackApiError, channel: ChannelRef) -> ChatUnavailable:
    data = error.response.data if isinstance(error.response.data, dict) else {}
    code = str(data.get("error", f"HTTP {error.response.status_code}"))
    template = PLAIN_WORDS.get(code, _("Slack refused the message in <#{channel}> ({code})."))
    return ChatUnavailable(template.format(channel=channel.channel_id, code=code))


class SlackChat:
    """Posts with the bot token of the channel's workspace (`client_for(team id)`)."""

    def __init__(
        self,
        client_for: Callable[[str], Awaitable[AsyncWebClient]],
        pacer: ChannelPacer | None = None,
    ) -> None:
        self.client_for = client_for
        self.pacer = pacer or ChannelPacer()
        self.open_pacer = conversations_open_pacer()
        self.dm_pacer = direct_message_pacer()
        self._dm_channels: OrderedDict[tuple[str, str], str] = OrderedDict()

    async def _dm_channel(self, client: AsyncWebClient, user: UserRef) -> str:
        """The member's DM channel with the app: opened once (a Tier 3 call, paced), then
        remembered for the most recent DM_CHANNELS_KEPT members."""
        key = (user.workspace_id, user.user_id)
        if (known := self._dm_channels.get(key)) is not None:
            self._dm_channels.move_to_end(key)
            return known
        await self.open_pacer.wait(user.workspace_id)
        opened = await client.conversations_open(users=user.user_id)
        channel_id = str(opened["channel"]["id"])
        self._dm_channels[key] = channel_id
        if len(self._dm_channels) > DM_CHANNELS_KEPT:
            self._dm_channels.popitem(last=False)
        return channel_id

    async def _post(
        self,
        channel: ChannelRef,
        title: str,
        blocks: list[dict[str, Any]],
        *,
        thread: MessageRef | None = None,
    ) -> MessageRef:
        """Post to a channel of its workspace, paced per channel; refusals in plain words."""
        try:
            client = await self.client_for(channel.workspace_id)
            await self.pacer.wait(channel.workspace_id, channel.channel_id)
            result = await client.chat_postMessage(
                channel=channel.channel_id,
                thread_ts=thread.message_id if thread else None,
                text=render.fallback_text(title),
                blocks=blocks,
            )
        except SlackApiError as error:
            raise _problem(error, channel) from error
        return MessageRef(channel, str(result["ts"]))

    async def post_question(self, channel: ChannelRef, card: QuestionCard) -> MessageRef:
        return await self._post(channel, card.title, render.question_blocks(card))

    async def close_question(self, message: MessageRef, card: QuestionCard) -> None:
        try:
            client = await self.client_for(message.channel.workspace_id)
            await client.chat_update(
                channel=message.channel.channel_id,
                ts=message.message_id,
                text=render.fallback_text(card.title),
                blocks=render.question_blocks(card),
            )
        except SlackApiError as error:
            if isinstance(error.response.data, dict) and (
                error.response.data.get("error") == "message_not_found"
            ):
                return
            raise _problem(error, message.channel) from error

    async def post_reveal(
        self, channel: ChannelRef, reveal: Reveal, *, thread: MessageRef | None
    ) -> MessageRef:
        return await self._post(channel, reveal.title, render.reveal_blocks(reveal), thread=thread)

    async def post_leaderboard(self, channel: ChannelRef, board: LeaderboardView) -> MessageRef:
        return await self._post(channel, board.title, render.board_blocks(board))

    async def send_dm(self, user: UserRef, message: OutMessage) -> MessageRef | None:
        """Paced per workspace: a day's review nudges can reach thousands of members."""
        try:
            client = await self.client_for(user.workspace_id)
            channel_id = await self._dm_channel(client, user)
            await self.dm_pacer.wait(user.workspace_id)
            result = await client.chat_postMessage(
                channel=channel_id,
                text=render.fallback_text(message.text),
                blocks=render.capped(
                    [*render.sections(message.text), *render.buttons(message.actions)]
                ),
            )
        except (SlackApiError, ChatUnavailable):
            return None
        return MessageRef(
            ChannelRef(user.platform, user.workspace_id, channel_id), str(result["ts"])
        )

    async def post_notice(self, channel: ChannelRef, message: OutMessage) -> MessageRef:
        return await self._post(channel, message.text, render.sections(message.text))

    async def open_private_space(
        self, channel: ChannelRef, users: Sequence[UserRef], message: OutMessage
    ) -> ChannelRef | None:
        """A group direct message with the members."""
        try:
            client = await self.client_for(channel.workspace_id)
            opened = await client.conversations_open(users=",".join(u.user_id for u in users))
            space = ChannelRef(channel.platform, channel.workspace_id, str(opened["channel"]["id"]))
            await client.chat_postMessage(
                channel=space.channel_id,
                text=render.fallback_text(message.text),
                blocks=render.sections(message.text),
            )
        except (SlackApiError, ChatUnavailable):
            return None
        return space
