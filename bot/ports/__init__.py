"""What the core needs from the outside world: the chat platforms, a clock, and storage."""

from bot.ports.chat import (
    Actor,
    ChannelRef,
    ChatPort,
    ChatUnavailable,
    MessageRef,
    UserRef,
    WorkspaceRef,
)
from bot.ports.clock import Clock, SystemClock
from bot.ports.storage import DueNudge, Storage, StorageUnavailable, UnitOfWork

__all__ = [
    "Actor",
    "ChannelRef",
    "ChatPort",
    "ChatUnavailable",
    "Clock",
    "DueNudge",
    "MessageRef",
    "Storage",
    "StorageUnavailable",
    "SystemClock",
    "UnitOfWork",
    "UserRef",
    "WorkspaceRef",
]
