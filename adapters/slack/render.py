"""Render models -> Slack Block Kit, within Slack's limits.

All text is escaped (`&`, `<`, `>`) so that `<!channel>`, `<!here>` or `<@U…>` in a question or
an answer never pings. Limits (Block Kit): 50 blocks a message, 3,000 characters a section,
75 characters of button text, 255-character action ids, 24-character modal titles.
"""

from __future__ import annotations

import re
from gettext import gettext as _
from typing import Any

from bot.render import Action, FormSpec, LeaderboardView, QuestionCard, Reply, Reveal, format_board

SECTION_LIMIT = 3000
MAX_BLOCKS = 50
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape(text: str) -> str:
    """Slack's three control characters; after this no text can ping or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """The core's markdown subset (escaped) as Slack mrkdwn: `**bold**` becomes `*bold*`."""
    return _BOLD.sub(r"*\1*", escape(text))


def sections(text: str) -> list[dict[str, Any]]:
    """Long text split at line ends into sections of at most 3,000 characters."""
    blocks: list[dict[str, Any]] = []
    chunk = ""
    for line in mrkdwn(text).split("\n"):
        while len(line) > SECTION_LIMIT:
            blocks.append(_section(line[:SECTION_LIMIT]))
            line = line[SECTION_LIMIT:]
        if len(chunk) + len(line) + 1 > SECTION_LIMIT:
            blocks.append(_section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk.strip():
        blocks.append(_section(chunk))
    return blocks


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, 150)}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(mrkdwn(text), 3000)}]}


def buttons(actions: tuple[Action, ...]) -> list[dict[str, Any]]:
    if not actions:
        return []
    elements = []
    for action in actions[:25]:
        button: dict[str, Any] = {
            "type": "button",
            "action_id": action.id[:255],
            "value": action.id[:2000],
            "text": {"type": "plain_text", "text": clip(action.label, 75)},
        }
        if action.style in ("primary", "danger"):
            button["style"] = action.style
        elements.append(button)
    return [{"type": "actions", "elements": elements}]


def capped(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most 50 blocks: the end (buttons, footer) is kept, the middle shortened."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 3], _section("…"), *blocks[-2:]]


def question_blocks(card: QuestionCard) -> list[dict[str, Any]]:
    body = card.prompt
    if card.options:
        body += "\n\n" + "\n".join(f"**{o.letter}**  {o.text}" for o in card.options)
    blocks = [header(card.title), *sections(body), *buttons(card.actions), context(card.footer)]
    return capped(blocks)


def reveal_blocks(reveal: Reveal) -> list[dict[str, Any]]:
    lines = [_("**Answer:** {answer}").format(answer=reveal.answer)]
    if reveal.key_points:
        lines.append(_("**Key points**") + "\n" + "\n".join(f"• {k}" for k in reveal.key_points))
    if reveal.explanation:
        lines.append(reveal.explanation)
    summary = _("{count} answered").format(count=reveal.answered)
    if reveal.distribution:
        summary += " · " + " · ".join(f"{letter}: {n}" for letter, n in reveal.distribution)
    right = ", ".join(reveal.right)
    if reveal.right_more:
        right = _("{names} and {count} more").format(names=right, count=reveal.right_more)
    got_it = _("**Got it right:** {names}").format(names=right or _("nobody this time"))
    lines.append(summary + "\n" + got_it)
    blocks = [header(reveal.title), *sections("\n\n".join(lines)), *buttons(reveal.actions)]
    if reveal.reference:
        blocks.append(context(_("Read more: {reference}").format(reference=reveal.reference)))
    return capped(blocks)


def board_blocks(board: LeaderboardView) -> list[dict[str, Any]]:
    text = format_board(board) if board.rows else _("No scores yet for this period.")
    return [header(board.title), *sections(text)]


def reply_blocks(reply: Reply) -> list[dict[str, Any]]:
    if reply.card is not None:
        return question_blocks(reply.card)
    blocks = [header(reply.title)] if reply.title else []
    return capped([*blocks, *sections(reply.text), *buttons(reply.actions)])


def fallback_text(text: str) -> str:
    """The notification text that goes with blocks."""
    return clip(escape(_BOLD.sub(r"\1", text)), 300)


def modal(form: FormSpec, private_metadata: str) -> dict[str, Any]:
    blocks = []
    for field in form.fields:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": field.id,
            "multiline": field.multiline,
            "max_length": min(field.max_length, 3000),
        }
        if field.min_length:
            element["min_length"] = field.min_length
        if field.placeholder:
            element["placeholder"] = {"type": "plain_text", "text": clip(field.placeholder, 150)}
        blocks.append(
            {
                "type": "input",
                "block_id": field.id,
                "optional": field.min_length == 0,
                "label": {"type": "plain_text", "text": clip(field.label, 2000)},
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": form.form_id[:255],
        "private_metadata": private_metadata[:3000],
        "title": {"type": "plain_text", "text": clip(form.title, 24)},
        "submit": {"type": "plain_text", "text": _("Submit")},
        "close": {"type": "plain_text", "text": _("Cancel")},
        "blocks": blocks,
    }
