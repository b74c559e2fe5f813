"""A reply's files as Discord attachments: each `discord.File` carries its description as
alt text, which screen readers read out in place of the picture."""

from __future__ import annotations

import io

import discord

from bot.render import Attachment

FILES_LIMIT = 10
"""Attachments one message may carry."""
DESCRIPTION_LIMIT = 1024


def attachments(files: tuple[Attachment, ...]) -> list[discord.File]:
    return [
        discord.File(
            io.BytesIO(item.data),
            filename=item.filename,
            description=item.description[:DESCRIPTION_LIMIT] or None,
        )
        for item in files[:FILES_LIMIT]
    ]
