"""Render models -> Discord embeds, buttons and modals, within Discord's limits.

Limits (Discord API): message content 2,000; embed title 256, description 4,096, footer 2,048,
field value 1,024, 25 fields; 5 buttons a row, 5 rows; button label 80; custom id 100; modal
title 45, text input label 45, value 4,000, placeholder 100.
"""

from __future__ import annotations

from gettext import gettext as _

import discord

from bot.render import Action, FormSpec, LeaderboardView, QuestionCard, Reply, Reveal, format_board
from bot.service import actions

CONTENT_LIMIT = 2000
DESCRIPTION_LIMIT = 4096
COLOUR = discord.Colour.blurple()
STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "danger": discord.ButtonStyle.danger,
}


def clip(text: str, limit: int) -> str:
    """Shorten deliberately, marking the cut, so Discord never rejects a message."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


GUILD_MARK = "|g"


def in_guild(custom_id: str, guild_id: str | None) -> str:
    """A control's id that also names its server, for controls sent in a direct message: an
    interaction there carries no guild, and the core needs the community."""
    return f"{custom_id}{GUILD_MARK}{guild_id}" if guild_id else custom_id


def guild_of(custom_id: str) -> tuple[str, str | None]:
    """The core's id and the server named by `in_guild` (None when it names none)."""
    core_id, mark, guild = custom_id.rpartition(GUILD_MARK)
    if mark and guild.isdigit():
        return core_id, guild
    return custom_id, None


def buttons(
    actions: tuple[Action, ...], *, disabled: bool = False, guild_id: str | None = None
) -> discord.ui.View | None:
    """`guild_id`: the server to name in each id, for buttons in a direct message."""
    if not actions:
        return None
    view = discord.ui.View(timeout=None)
    for index, action in enumerate(actions[:25]):
        view.add_item(
            discord.ui.Button(
                label=clip(action.label, 80),
                custom_id=in_guild(action.id, guild_id)[:100],
                style=STYLES.get(action.style, discord.ButtonStyle.secondary),
                disabled=disabled,
                row=index // 5,
            )
        )
    return view


def question_embed(card: QuestionCard) -> discord.Embed:
    body = card.prompt
    if card.options:
        body += "\n\n" + "\n".join(f"**{o.letter}** {o.text}" for o in card.options)
    embed = discord.Embed(
        title=clip(card.title, 256), description=clip(body, DESCRIPTION_LIMIT), colour=COLOUR
    )
    embed.set_footer(text=clip(card.footer, 2048))
    return embed


def closed_view(card: QuestionCard) -> discord.ui.View | None:
    """The question's buttons, greyed out: the question no longer takes answers."""
    if not card.options:
        return None
    greyed = tuple(
        Action(actions.answer_choice(card.post_id, i), o.letter) for i, o in enumerate(card.options)
    )
    return buttons(greyed, disabled=True)


def reveal_embed(reveal: Reveal) -> discord.Embed:
    parts = [_("**Answer:** {answer}").format(answer=reveal.answer)]
    if reveal.key_points:
        parts.append(_("**Key points**") + "\n" + "\n".join(f"- {k}" for k in reveal.key_points))
    if reveal.explanation:
        parts.append(reveal.explanation)
    embed = discord.Embed(
        title=clip(reveal.title, 256),
        description=clip("\n\n".join(parts), DESCRIPTION_LIMIT),
        colour=discord.Colour.green(),
    )
    embed.add_field(name=_("Answered"), value=str(reveal.answered))
    if reveal.distribution:
        embed.add_field(
            name=_("Choices"),
            value=" · ".join(f"{letter} {n}" for letter, n in reveal.distribution),
        )
    right = ", ".join(reveal.right)
    if reveal.right_more:
        right = _("{names} and {count} more").format(names=right, count=reveal.right_more)
    embed.add_field(
        name=_("Got it right"), value=clip(right or _("Nobody this time"), 1024), inline=False
    )
    if reveal.reference:
        embed.set_footer(
            text=clip(_("Read more: {reference}").format(reference=reveal.reference), 2048)
        )
    return embed


def board_embed(board: LeaderboardView) -> discord.Embed:
    text = format_board(board) if board.rows else _("No scores yet for this period.")
    return discord.Embed(title=clip(board.title, 256), description=clip(text, DESCRIPTION_LIMIT))


def reply_parts(reply: Reply) -> tuple[str | None, discord.Embed | None]:
    """Content for a short untitled reply, an embed otherwise (4,096 characters)."""
    if reply.card is not None:
        return None, question_embed(reply.card)
    if not reply.title and len(reply.text) <= CONTENT_LIMIT:
        return reply.text, None
    embed = discord.Embed(
        title=clip(reply.title, 256) if reply.title else None,
        description=clip(reply.text, DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    return None, embed


def modal(form: FormSpec, *, guild_id: str | None = None) -> discord.ui.Modal:
    dialog = discord.ui.Modal(
        title=clip(form.title, 45), custom_id=in_guild(form.form_id, guild_id)[:100], timeout=None
    )
    for field in form.fields[:5]:
        dialog.add_item(
            discord.ui.TextInput(
                label=clip(field.label, 45),
                custom_id=field.id,
                style=discord.TextStyle.paragraph if field.multiline else discord.TextStyle.short,
                max_length=min(field.max_length, 4000),
                min_length=field.min_length,
                placeholder=clip(field.placeholder, 100) or None,
                required=field.min_length > 0,
            )
        )
    return dialog
