"""Render models as terminal text."""

from __future__ import annotations

import re
import textwrap
from gettext import gettext as _

from bot.render import LeaderboardView, QuestionCard, Reply, Reveal, format_board

RULE = "─" * 60
FORGET_PREFIX = "sb:fm:"


def plain(text: str) -> str:
    """The neutral markdown subset, as plain terminal text."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text)


def card(card: QuestionCard) -> str:
    lines = [RULE, plain(card.title), "", plain(card.prompt)]
    if card.options:
        lines.append("")
        lines += [f"  {o.letter}) {plain(o.text)}" for o in card.options]
    lines.append("")
    if card.closed:
        lines.append(_("(closed)"))
    elif card.options:
        letters = "|".join(o.letter for o in card.options)
        lines.append(_("Answer with: answer {letters}").format(letters=letters))
    else:
        lines.append(_("Answer with: answer <your text>"))
    lines.append(card.footer)
    lines.append(RULE)
    return "\n".join(lines)


def reveal(reveal: Reveal) -> str:
    lines = [
        RULE,
        plain(reveal.title),
        "",
        _("Answer: {answer}").format(answer=plain(reveal.answer)),
    ]
    if reveal.key_points:
        lines.append(_("Key points:"))
        lines += [f"  - {plain(k)}" for k in reveal.key_points]
    if reveal.explanation:
        lines += ["", plain(reveal.explanation)]
    lines.append("")
    lines.append(_("{count} answered.").format(count=reveal.answered))
    if reveal.distribution:
        counts = "  ".join(f"{letter}: {n}" for letter, n in reveal.distribution)
        lines.append(_("Choices: {counts}").format(counts=counts))
    if reveal.right:
        names = ", ".join(reveal.right)
        if reveal.right_more:
            lines.append(
                _("Got it right: {names} and {more} more").format(
                    names=names, more=reveal.right_more
                )
            )
        else:
            lines.append(_("Got it right: {names}").format(names=names))
    else:
        lines.append(_("Nobody got it right this time."))
    if reveal.reference:
        lines.append(_("Read more: {reference}").format(reference=reveal.reference))
    lines.append(_("Your own result: result"))
    lines.append(RULE)
    return "\n".join(lines)


def board(board: LeaderboardView) -> str:
    return "\n".join([board.title, format_board(board)])


def reply(reply: Reply) -> str:
    if reply.card is not None:
        return card(reply.card)
    parts = []
    if reply.title:
        parts.append(f"[{plain(reply.title)}]")
    if reply.text:
        parts.append(plain(reply.text))
    if reply.form is not None and reply.form.extra:
        keys = " ".join(f"{f.id}=…" for f in reply.form.extra)
        parts.append(
            _("{title}. Fill it with: submit {keys} <{label}>").format(
                title=reply.form.title, keys=keys, label=reply.form.label
            )
        )
    elif reply.form is not None:
        parts.append(f"{reply.form.title}: {reply.form.label}")
    choices = [a.label for a in reply.actions if len(a.label) == 1]
    others = [a.label.lower() for a in reply.actions if len(a.label) > 1]
    if choices:
        parts.append(_("Practice: pick {choices}").format(choices="|".join(choices)))
    if "answer" in others:
        parts.append(_("Practice: pick <your text>"))
    extra = ["hint" if w == "hint" else "model" for w in others if w in {"hint", "model answer"}]
    if extra:
        parts.append(_("Also: {extras}").format(extras=", ".join(extra)))
    if any(a.id.startswith(FORGET_PREFIX) for a in reply.actions):
        parts.append(_("Confirm with: forget-me confirm"))
    return "\n".join(textwrap.dedent(p) for p in parts)
