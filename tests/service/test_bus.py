"""The message bus: one handler per command, refusals private, crashes an apology logged once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

from bot.bus import MessageBus
from bot.commands import Command, ShowHelp
from bot.domain.errors import InvalidSetting
from bot.render import Reply
from bot.texts import SORRY
from tests.conftest import member


@dataclass(frozen=True)
class Explode(Command):
    refusal: bool


async def explode(actor, command: Explode) -> Reply:
    if command.refusal:
        raise InvalidSetting("That is not a topic. Try one of: basics.")
    raise RuntimeError("secret-token-1234 leaked into an exception")


async def test_a_refusal_is_a_private_reply_with_its_own_message():
    bus = MessageBus()
    bus.register(Explode, explode)
    reply = await bus.handle(member("u1"), Explode(refusal=True))
    assert reply.private and reply.text == "That is not a topic. Try one of: basics."


async def test_a_crash_is_an_apology_and_one_log_record(caplog):
    bus = MessageBus()
    bus.register(Explode, explode)
    with caplog.at_level(logging.ERROR, logger="bot.bus"):
        reply = await bus.handle(member("u1"), Explode(refusal=False))
    assert reply.private and reply.text == SORRY
    assert "secret-token" not in reply.text
    assert [r.getMessage() for r in caplog.records] == ["Explode failed"]


async def test_a_command_without_a_handler_is_an_apology():
    assert (await MessageBus().handle(member("u1"), ShowHelp())).text == SORRY


def test_a_command_has_exactly_one_handler():
    bus = MessageBus()
    bus.register(Explode, explode)
    with pytest.raises(ValueError, match="already has a handler"):
        bus.register(Explode, explode)


def test_every_command_the_adapters_can_send_has_a_handler(app):
    import bot.commands as c

    commands = [
        t
        for t in vars(c).values()
        if isinstance(t, type) and issubclass(t, c.Command) and t is not c.Command
    ]
    assert len(commands) > 30
    assert [t.__name__ for t in commands if not app.bus.handles(t)] == []
