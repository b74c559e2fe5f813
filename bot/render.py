"""Platform-neutral render models: what a card, a reveal or a reply says, not how it looks.

Text uses a small markdown subset every adapter can translate: `**bold**`, `` `code` ``,
fenced code blocks and `- ` bullets. Text from questions and members is never trusted to be
mention-free; each adapter neutralises mentions when it renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from gettext import gettext as _


@dataclass(frozen=True)
class Action:
    """A button. `id` is stable across restarts: it carries all the state the core needs."""

    id: str
    label: str
    style: str = "secondary"  # "primary" | "secondary" | "danger"


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    max_length: int
    placeholder: str = ""
    min_length: int = 1
    multiline: bool = True


@dataclass(frozen=True)
class FormSpec:
    """A form (modal) shown inside the interaction that asked for it: a main free-text field
    (id `answer`) and up to four `extra` fields; at most five, as Discord allows."""

    form_id: str
    title: str
    label: str
    max_length: int
    placeholder: str = ""
    min_length: int = 1
    extra: tuple[FormField, ...] = ()

    @property
    def fields(self) -> tuple[FormField, ...]:
        main = FormField("answer", self.label, self.max_length, self.placeholder, self.min_length)
        return (*self.extra, main)


@dataclass(frozen=True)
class ChoiceOption:
    letter: str
    text: str


@dataclass(frozen=True)
class QuestionCard:
    post_id: int
    title: str
    prompt: str
    topic: str
    difficulty: int
    kind: str
    options: tuple[ChoiceOption, ...]
    actions: tuple[Action, ...]
    closes_at: datetime | None
    footer: str
    closed: bool = False


@dataclass(frozen=True)
class Reveal:
    post_id: int
    title: str
    prompt: str
    answer: str
    key_points: tuple[str, ...]
    explanation: str
    answered: int
    distribution: tuple[tuple[str, int], ...]
    right: tuple[str, ...]
    right_more: int
    reference: str
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    name: str
    points: int
    answered: int
    correct: int


@dataclass(frozen=True)
class LeaderboardView:
    title: str
    rows: tuple[LeaderboardRow, ...]
    me: LeaderboardRow | None
    members: int


@dataclass(frozen=True)
class OutMessage:
    """A message the core starts itself, such as a direct message; it may carry buttons."""

    text: str
    title: str = ""
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply: a picture (the stats card) or a download (an export).
    `description` says in words what the file shows or holds, for screen readers and for
    platforms that cannot take the file; the reply's text stands on its own without it."""

    filename: str
    data: bytes
    mime: str
    description: str = ""


@dataclass(frozen=True)
class Reply:
    """The answer to a member's own action. Private replies are ephemeral where the platform
    has them. A reply may carry a form to open at once, a card to show, or buttons."""

    text: str
    private: bool = True
    title: str = ""
    actions: tuple[Action, ...] = ()
    form: FormSpec | None = None
    card: QuestionCard | None = None
    board: LeaderboardView | None = None
    fields: tuple[tuple[str, str], ...] = field(default=())
    files: tuple[Attachment, ...] = ()


def quoted(text: str, width: int = 80) -> str:
    """A member's words echoed back in a reply, cut so a long paste does not flood the chat."""
    return f"“{text[:width]}{'…' if len(text) > width else ''}”"


def format_board(board: LeaderboardView) -> str:
    lines = [
        _("{rank:>2}. {name} — {points} pts ({correct}/{answered} right)").format(
            rank=row.rank,
            name=row.name,
            points=row.points,
            correct=row.correct,
            answered=row.answered,
        )
        for row in board.rows
    ]
    if board.me is not None and all(
        r.name != board.me.name or r.rank != board.me.rank for r in board.rows
    ):
        lines.append("…")
        lines.append(
            _("{rank:>2}. {name} — {points} pts (you)").format(
                rank=board.me.rank, name=board.me.name, points=board.me.points
            )
        )
    elif board.me is None:
        lines.append(_("You are not on this board yet."))
    return "\n".join(lines)
