"""ConsoleChat: the ChatPort for a terminal. It prints what a channel would show."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence
from gettext import gettext as _
from typing import TextIO

from adapters.console import format as fmt
from bot.ports import ChannelRef, MessageRef, UserRef
from bot.render import LeaderboardView, OutMessage, QuestionCard, Reveal


class ConsoleChat:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self._ids = itertools.count(1)
        self.posted = 0

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _ref(self, channel: ChannelRef) -> MessageRef:
        return MessageRef(channel, str(next(self._ids)))

    async def post_question(self, channel: ChannelRef, card: QuestionCard) -> MessageRef:
        self._print(f"\n#{channel.channel_id}")
        self._print(fmt.card(card))
        self.posted += 1
        return self._ref(channel)

    async def close_question(self, message: MessageRef, card: QuestionCard) -> None:
        self._print(
            _("\n#{channel}: closed — {title}").format(
                channel=message.channel.channel_id, title=fmt.plain(card.title)
            )
        )

    async def post_reveal(
        self, channel: ChannelRef, reveal: Reveal, *, thread: MessageRef | None
    ) -> MessageRef:
        self._print(_("\n#{channel} (thread)").format(channel=channel.channel_id))
        self._print(fmt.reveal(reveal))
        return self._ref(channel)

    async def post_leaderboard(self, channel: ChannelRef, board: LeaderboardView) -> MessageRef:
        self._print(fmt.board(board))
        return self._ref(channel)

    async def send_dm(self, user: UserRef, message: OutMessage) -> MessageRef | None:
        self._print(
            _("\n(direct message to {user}) {text}").format(
                user=user.user_id, text=fmt.plain(message.text)
            )
        )
        for action in message.actions:
            self._print(_("  [{label}] press {id}").format(label=action.label, id=action.id))
        return self._ref(ChannelRef(user.platform, user.workspace_id, f"dm-{user.user_id}"))

    async def open_private_space(
        self, channel: ChannelRef, users: Sequence[UserRef], message: OutMessage
    ) -> ChannelRef | None:
        names = ", ".join(u.user_id for u in users)
        self._print(
            _("\n(private space for {names}) {text}").format(
                names=names, text=fmt.plain(message.text)
            )
        )
        return ChannelRef(channel.platform, channel.workspace_id, f"space-{next(self._ids)}")

    async def post_notice(self, channel: ChannelRef, message: OutMessage) -> MessageRef:
        self._print(f"\n#{channel.channel_id}: {fmt.plain(message.text)}")
        return self._ref(channel)
