"""The message bus: one handler per command, and one place that turns failures into replies.

A refusal (`StudybotError`: a wrong argument, a closed question, a missing permission) becomes
a private reply with the error's own message; a database that cannot be reached gets a
"try again in a minute" (the storage logs the outage once); anything else is logged once, with
the command's name, and the member gets a short apology. No traceback reaches a chat channel."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.commands import Command
from bot.domain.errors import StudybotError
from bot.ports import Actor, StorageUnavailable
from bot.render import Reply
from bot.texts import DATABASE_DOWN, SORRY

log = logging.getLogger(__name__)

C = TypeVar("C", bound=Command)
Handler = Callable[[Actor, Any], Awaitable[Reply]]


class MessageBus:
    def __init__(self) -> None:
        self._handlers: dict[type[Command], Handler] = {}

    def register(self, command: type[C], handler: Callable[[Actor, C], Awaitable[Reply]]) -> None:
        if command in self._handlers:
            raise ValueError(f"{command.__name__} already has a handler")
        self._handlers[command] = handler

    def handles(self, command: type[Command]) -> bool:
        return command in self._handlers

    async def handle(self, actor: Actor, command: Command) -> Reply:
        handler = self._handlers.get(type(command))
        if handler is None:
            log.error("no handler for %s", type(command).__name__)
            return Reply(SORRY, private=True)
        try:
            return await handler(actor, command)
        except StudybotError as refusal:
            return Reply(refusal.user_message, private=True)
        except StorageUnavailable:
            # the storage has logged the outage once; a traceback per member would drown it
            return Reply(DATABASE_DOWN, private=True)
        except Exception:
            log.exception("%s failed", type(command).__name__)
            return Reply(SORRY, private=True)
