"""The chat platforms as the core sees them: who acts, where, and the acts the core starts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.render import LeaderboardView, OutMessage, QuestionCard, Reveal


@dataclass(frozen=True)
class WorkspaceRef:
    """A Discord server or a Slack workspace."""

    platform: str
    workspace_id: str


@dataclass(frozen=True)
class UserRef:
    platform: str
    workspace_id: str
    user_id: str

    @property
    def workspace(self) -> WorkspaceRef:
        return WorkspaceRef(self.platform, self.workspace_id)


@dataclass(frozen=True)
class ChannelRef:
    platform: str
    workspace_id: str
    channel_id: str


@dataclass(frozen=True)
class MessageRef:
    channel: ChannelRef
    message_id: str


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the adapter knows them.

    `is_admin` is the adapter's verdict from platform permissions; the core trusts it and
    refuses admin use cases without it.
    """

    user: UserRef
    display_name: str
    is_admin: bool = False
    timezone: str | None = None


class ChatUnavailable(Exception):
    """The platform refused or could not take a message (missing permission, not in channel).

    `reason` is said to admins in plain words; the act is retried later.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChatPort(Protocol):
    """Acts the core starts on its own (scheduled posts, reveals). Replies to a member's own
    action are return values of the use cases, not calls on this port."""

    async def post_question(self, channel: ChannelRef, card: QuestionCard) -> MessageRef: ...

    async def close_question(self, message: MessageRef, card: QuestionCard) -> None: ...

    async def post_reveal(
        self, channel: ChannelRef, reveal: Reveal, *, thread: MessageRef | None
    ) -> MessageRef: ...

    async def post_leaderboard(self, channel: ChannelRef, board: LeaderboardView) -> MessageRef: ...

    async def send_dm(self, user: UserRef, message: OutMessage) -> MessageRef | None:
        """None when the member cannot be reached (closed direct messages)."""
        ...

    async def post_notice(self, channel: ChannelRef, message: OutMessage) -> MessageRef:
        """A short announcement in a channel (mock-interview rounds)."""
        ...

    async def open_private_space(
        self, channel: ChannelRef, users: Sequence[UserRef], message: OutMessage
    ) -> ChannelRef | None:
        """A conversation only `users` see (a private thread under `channel`, a group DM),
        opened with `message`; None when the platform refuses."""
        ...
