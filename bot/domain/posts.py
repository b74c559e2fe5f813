"""Daily posts and answers as records the services pass around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.domain.questions import Question


class PostStatus(StrEnum):
    CLAIMED = "claimed"  # a process owns the right to post it; not in the chat yet
    SKIPPED = "skipped"  # an admin skipped the day
    OPEN = "open"  # in the chat, taking answers
    CLOSED = "closed"  # graded and scored; the reveal may still be owed
    REVEALED = "revealed"


@dataclass(frozen=True)
class Post:
    id: int
    community_id: int
    run_key: str
    seq: int
    local_date: date
    status: PostStatus
    question: Question
    channel_id: str | None
    message_id: str | None
    opened_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None = None

    def is_open_at(self, moment: datetime) -> bool:
        return takes_answers(self.status, self.closes_at, moment)


def takes_answers(status: PostStatus, closes_at: datetime | None, moment: datetime) -> bool:
    """The answer window: a post takes answers while it is open and before its close time."""
    return status is PostStatus.OPEN and closes_at is not None and moment < closes_at


@dataclass(frozen=True)
class PostWindow:
    """What the answer path needs to know of a post."""

    id: int
    community_id: int
    status: PostStatus
    closes_at: datetime | None
    seq: int

    def accepts(self, answer: PendingAnswer) -> bool:
        return answer.community_id == self.community_id and takes_answers(
            self.status, self.closes_at, answer.at
        )


@dataclass(frozen=True)
class PendingAnswer:
    """An answer that passed validation and waits for its batch to be written."""

    post_id: int
    community_id: int
    user_id: str
    display_name: str
    choice: int | None
    text: str | None
    at: datetime


class Outcome(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    CLOSED = "closed"
    HELD = "held"  # the database was unreachable: kept in memory, written when it is back


@dataclass(frozen=True)
class AnswerOutcome:
    outcome: Outcome
    choice: int | None = None
    text: str | None = None
    member_timezone: str | None = None


@dataclass(frozen=True)
class GradedAnswer:
    member_id: int
    display_name: str
    choice: int | None
    fraction: float
    correct: bool


@dataclass(frozen=True)
class RevealFacts:
    answered: int
    distribution: dict[int, int]
    right_names: list[str]


@dataclass(frozen=True)
class SubmittedAnswer:
    """An answer as stored before grading."""

    id: int
    member_id: int
    choice: int | None
    text: str | None


@dataclass(frozen=True)
class GradedRecord:
    """A member's answer to a post after grading, for their private result."""

    choice: int | None
    text: str | None
    correct: bool
    points: int
    hits: tuple[int, ...]
    reasons: tuple[str, ...] = ()
    """Per key point, the model grader's reason, when it graded the answer."""


@dataclass(frozen=True)
class PriorAnswer:
    choice: int | None
    text: str | None
