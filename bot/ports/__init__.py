"""What the core needs from the outside world: the chat platforms, a clock, storage, and an
optional grader."""

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
from bot.ports.grader import Grader, PointVerdict, Rubric, Verdict
from bot.ports.storage import Recipient, Storage, StorageUnavailable, UnitOfWork

__all__ = [
    "Actor",
    "ChannelRef",
    "ChatPort",
    "ChatUnavailable",
    "Clock",
    "Grader",
    "MessageRef",
    "PointVerdict",
    "Recipient",
    "Rubric",
    "Storage",
    "StorageUnavailable",
    "SystemClock",
    "UnitOfWork",
    "UserRef",
    "Verdict",
    "WorkspaceRef",
]
