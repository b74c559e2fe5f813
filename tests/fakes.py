"""Fakes of the core's ports that record what happened, for tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.ports import ChannelRef, ChatUnavailable, MessageRef, UserRef
from bot.render import LeaderboardView, OutMessage, QuestionCard, Reveal


@dataclass
class RecordingChat:
    """A ChatPort that keeps every message; `refuse` makes posts fail like a missing
    permission would."""

    posted: list[tuple[ChannelRef, QuestionCard]] = field(default_factory=list)
    closed: list[tuple[MessageRef, QuestionCard]] = field(default_factory=list)
    reveals: list[tuple[ChannelRef, Reveal, MessageRef | None]] = field(default_factory=list)
    boards: list[tuple[ChannelRef, LeaderboardView]] = field(default_factory=list)
    dms: list[tuple[UserRef, OutMessage]] = field(default_factory=list)
    notices: list[tuple[ChannelRef, OutMessage]] = field(default_factory=list)
    spaces: list[tuple[tuple[str, ...], OutMessage]] = field(default_factory=list)
    closed_dms: set[str] = field(default_factory=set)  # user ids whose DMs are closed
    refuse: str | None = None
    _next: int = 1000

    def _ref(self, channel: ChannelRef) -> MessageRef:
        self._next += 1
        return MessageRef(channel, str(self._next))

    async def post_question(self, channel: ChannelRef, card: QuestionCard) -> MessageRef:
        if self.refuse:
            raise ChatUnavailable(self.refuse)
        self.posted.append((channel, card))
        return self._ref(channel)

    async def close_question(self, message: MessageRef, card: QuestionCard) -> None:
        if self.refuse:
            raise ChatUnavailable(self.refuse)
        self.closed.append((message, card))

    async def post_reveal(
        self, channel: ChannelRef, reveal: Reveal, *, thread: MessageRef | None
    ) -> MessageRef:
        if self.refuse:
            raise ChatUnavailable(self.refuse)
        self.reveals.append((channel, reveal, thread))
        return self._ref(channel)

    async def post_leaderboard(self, channel: ChannelRef, board: LeaderboardView) -> MessageRef:
        self.boards.append((channel, board))
        return self._ref(channel)

    async def send_dm(self, user: UserRef, message: OutMessage) -> MessageRef | None:
        if user.user_id in self.closed_dms:
            return None
        self.dms.append((user, message))
        return self._ref(ChannelRef(user.platform, user.workspace_id, f"D{user.user_id}"))

    async def open_private_space(
        self, channel: ChannelRef, users: Sequence[UserRef], message: OutMessage
    ) -> ChannelRef | None:
        self.spaces.append((tuple(u.user_id for u in users), message))
        return ChannelRef(channel.platform, channel.workspace_id, f"S{len(self.spaces)}")

    async def post_notice(self, channel: ChannelRef, message: OutMessage) -> MessageRef:
        if self.refuse:
            raise ChatUnavailable(self.refuse)
        self.notices.append((channel, message))
        return self._ref(channel)


class FixedClock:
    """A clock that moves only when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)
