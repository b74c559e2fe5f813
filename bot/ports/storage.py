"""Storage as the core sees it: a unit of work holding one repository per aggregate.

A use case runs its reads and writes inside one `Storage.transact` call, so they commit or
fail together. The work may run more than once (a busy database is retried from the start),
so it must not touch the chat: chat side effects happen after the commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from bot.domain.community import Community, CommunitySettings
from bot.domain.export import AnswerRecord
from bot.domain.members import Member, MemberTotals
from bot.domain.mock_interviews import (
    Assignment,
    DueCheckin,
    GroupSeat,
    Profile,
    RoundRef,
    RoundStats,
    SeenQuestions,
    UnintroducedRound,
)
from bot.domain.posts import (
    GradedRecord,
    PendingAnswer,
    Post,
    PostStatus,
    PostWindow,
    PriorAnswer,
    RevealFacts,
    SubmittedAnswer,
)
from bot.domain.practice import PracticeSession
from bot.domain.privacy import StoredData
from bot.domain.questions import Question
from bot.domain.ratings import Change, Standing
from bot.domain.reminders import Reminder, Slot
from bot.domain.reviews import ReviewCard
from bot.domain.scoring import BoardRow, PointsEntry
from bot.domain.stats import AnsweredDay, MissedQuestion, TopicCoverage
from bot.domain.streaks import Streak

T = TypeVar("T")


class StorageUnavailable(Exception):
    """The database cannot be reached (its server is down, the network is cut, its file went
    away); nothing was written. The storage logs the cause once per outage."""


class CommunityRepository(Protocol):
    async def ensure(
        self, platform: str, workspace_id: str, name: str, defaults: CommunitySettings
    ) -> Community: ...

    async def find(self, platform: str, workspace_id: str) -> Community | None: ...

    async def get(self, community_id: int) -> Community: ...

    async def all(self) -> list[Community]: ...

    async def save_settings(self, community_id: int, settings: CommunitySettings) -> None: ...

    async def problem(self, community_id: int) -> str | None: ...

    async def set_problem(self, community_id: int, problem: str | None) -> str | None:
        """Record (or clear) what stops posting; returns the problem recorded before."""
        ...

    async def contact(self, community_id: int) -> str | None: ...

    async def set_contact(self, community_id: int, user_id: str) -> None: ...


class MemberRepository(Protocol):
    async def ensure(self, community_id: int, people: dict[str, str]) -> dict[str, Member]:
        """Members by user id, created on first sight; names are not updated here."""
        ...

    async def rename(self, member_id: int, display_name: str) -> None: ...

    async def find(self, community_id: int, user_id: str) -> Member | None: ...

    async def set_timezone(self, member_id: int, timezone: str | None) -> None: ...

    async def streaks(self, member_ids: Sequence[int]) -> dict[int, tuple[Streak, int]]:
        """Each member's streak and daily questions answered, where they have any."""
        ...

    async def save_streaks(self, values: dict[int, tuple[Streak, int]]) -> None: ...

    async def totals(self, community_id: int, member_id: int) -> MemberTotals: ...


class PostRepository(Protocol):
    async def history(self, community_id: int) -> list[tuple[str, str]]:
        """(question id, topic) of every post that was not skipped, oldest first."""
        ...

    async def claim(
        self,
        community_id: int,
        run_key: str,
        day: date,
        question: Question,
        now: datetime,
        lease: timedelta,
        status: PostStatus = PostStatus.CLAIMED,
    ) -> Post | None:
        """Claim the post under `run_key`; exactly one caller, across processes, gets it."""
        ...

    async def by_key(self, community_id: int, run_key: str) -> Post | None: ...

    async def run_keys_on(self, community_id: int, day: date) -> list[str]: ...

    async def get(self, post_id: int) -> Post | None: ...

    async def by_seq(self, community_id: int, seq: int) -> Post | None:
        """The community's question #`seq`."""
        ...

    async def current(self, community_id: int) -> Post | None:
        """The open post, if any."""
        ...

    async def latest_revealed(self, community_id: int) -> int | None: ...

    async def latest_closed_seq(self, community_id: int) -> int | None: ...

    async def mark_posted(
        self,
        post_id: int,
        channel_id: str,
        message_id: str,
        opened_at: datetime,
        closes_at: datetime,
    ) -> None: ...

    async def postpone(self, post_id: int, until: datetime) -> None: ...

    async def reclaim(self, now: datetime, lease: timedelta) -> list[Post]:
        """Take over posts whose owner's lease ran out (claimed but never posted, closed but
        never revealed); each goes to exactly one caller."""
        ...

    async def drop_claim(self, post_id: int) -> None: ...

    async def due_to_close(self, now: datetime, community_id: int | None = None) -> list[int]: ...

    async def close(self, post_id: int, now: datetime, lease: timedelta) -> Post | None:
        """Mark an open post closed; None when another caller closed it first."""
        ...

    async def mark_revealed(self, post_id: int, now: datetime) -> None: ...

    async def windows(self, post_ids: set[int]) -> dict[int, PostWindow]: ...


class AnswerRepository(Protocol):
    async def insert_new(
        self, answers: Sequence[tuple[PendingAnswer, int]]
    ) -> set[tuple[int, int]]:
        """Insert (answer, member id) pairs; the (post, member) keys that were new."""
        ...

    async def prior(self, keys: set[tuple[int, int]]) -> dict[tuple[int, int], PriorAnswer]: ...

    async def of_post(self, post_id: int) -> list[SubmittedAnswer]: ...

    async def save_grades(
        self, grades: Sequence[tuple[int, float, bool, int, tuple[int, ...]]]
    ) -> None:
        """(answer id, fraction, correct, points, key points hit) for each graded answer."""
        ...

    async def save_feedback(self, reasons: dict[int, tuple[str, ...]]) -> None:
        """The model grader's reason per key point, by answer id (answers it graded)."""
        ...

    async def graded(self, post_id: int, member_id: int) -> GradedRecord | None: ...

    async def reveal_facts(self, post_id: int) -> RevealFacts: ...

    def history(self, member_id: int) -> AsyncIterator[AnswerRecord]:
        """Every answer the member gave, daily questions and answered practice sessions,
        oldest first: one query, its rows streamed (iterate it inside the unit of work)."""
        ...

    async def answered_days(self, member_id: int, since: date) -> list[AnsweredDay]:
        """The member's answers to daily posts dated `since` or later, oldest first."""
        ...

    async def most_missed(self, community_id: int, limit: int = 5) -> list[MissedQuestion]:
        """The daily questions whose graded answers were most often not right (at least one
        miss), most misses first."""
        ...


class ScoreRepository(Protocol):
    async def add_points(
        self, community_id: int, day: date, topic: str, entries: Sequence[PointsEntry]
    ) -> None:
        """Add to every board of `day` (week, month, all time; overall and `topic`), keeping
        the rank histogram consistent. The one way points are given."""
        ...

    async def board(
        self,
        community_id: int,
        period: str,
        period_key: str,
        topic: str,
        member_id: int | None,
        limit: int = 10,
    ) -> tuple[list[BoardRow], tuple[int, BoardRow] | None, int]:
        """Top `limit` rows, the member's own (rank, row) and how many are ranked."""
        ...

    async def coverage(self, community_id: int) -> list[TopicCoverage]:
        """All-time answers per topic across the community's members, by topic id."""
        ...


class PracticeRepository(Protocol):
    async def start(self, member_id: int, question: Question, now: datetime) -> int: ...

    async def get(self, session_id: int) -> PracticeSession | None: ...

    async def seen(self, member_id: int) -> set[str]: ...

    async def recent(self, member_id: int, limit: int) -> list[str]:
        """The question ids of the member's last `limit` practice sessions, newest first."""
        ...

    async def update(self, session_id: int, **values: Any) -> None: ...


class ClaimRepository(Protocol):
    async def claim(self, community_id: int, key: str, now: datetime) -> bool:
        """True for exactly one caller per (community, key), across processes."""
        ...


class PairingRepository(Protocol):
    async def save_profile(
        self, community_id: int, member_id: int, now: datetime, **values: Any
    ) -> None: ...

    async def update_profile(self, member_id: int, **values: Any) -> bool: ...

    async def profiles(
        self, community_id: int, *, member_id: int | None = None
    ) -> list[Profile]: ...

    async def recent_rounds(
        self, community_id: int, rounds: int
    ) -> list[tuple[int, str, int | None]]:
        """(round id, run key, odd member id) of the last `rounds` rounds, newest first."""
        ...

    async def seats(self, round_ids: Sequence[int]) -> list[GroupSeat]: ...

    async def claim_round(
        self, community_id: int, run_key: str, monday: date, seed: int, now: datetime
    ) -> int | None:
        """The new round's id; None when another process already made it."""
        ...

    async def save_round(
        self,
        round_id: int,
        rows: list[dict[str, Any]],
        odd_member_id: int | None,
        paused: list[int],
    ) -> None: ...

    async def assignments(self, round_id: int) -> list[Assignment]: ...

    async def assignment(self, assignment_id: int) -> Assignment | None: ...

    async def latest_round(self, community_id: int) -> RoundRef | None: ...

    async def rounds_of(self, member_id: int) -> int: ...

    async def stamp_once(self, assignment_id: int, column: str, now: datetime) -> bool:
        """Set `intro_sent_at` or `checkin_sent_at` if still empty; True for one caller."""
        ...

    async def due_checkins(self, before: datetime) -> list[DueCheckin]: ...

    async def unintroduced_rounds(
        self, made_after: datetime, made_before: datetime
    ) -> list[UnintroducedRound]:
        """Rounds made in that span with an introduction not yet claimed."""
        ...

    async def record_checkin(
        self, assignment_id: int, member_id: int, answer: str
    ) -> tuple[bool, str | None]:
        """(recorded now, the answer on record); only the member's own assignment, once."""
        ...

    async def save_feedback(
        self, assignment_id: int, ratings: dict[str, int], text: str, now: datetime
    ) -> bool:
        """False when this member already gave feedback for this round."""
        ...

    async def round_stats(self, community_id: int, rounds: int) -> list[RoundStats]: ...

    async def seen_questions(self, member_ids: Sequence[int]) -> dict[int, SeenQuestions]: ...


class PrivacyRepository(Protocol):
    async def held(self, community_id: int, user_id: str) -> StoredData | None:
        """What is stored about the person; None when nothing is."""
        ...

    async def erase(self, community_id: int, user_id: str) -> StoredData | None:
        """Delete the member and everything stored about them, keeping every leaderboard
        consistent; what was deleted, or None when there was nothing."""
        ...


class ReviewRepository(Protocol):
    async def cards(self, member_ids: Sequence[int], question_id: str) -> dict[int, ReviewCard]:
        """The members' cards for one question (members who never answered it have none)."""
        ...

    async def save(self, cards: Sequence[ReviewCard]) -> None:
        """Insert or replace each card (one per member and question)."""
        ...

    async def due(self, member_id: int, now: datetime, limit: int = 1) -> list[ReviewCard]:
        """The member's cards due by `now`, longest overdue first."""
        ...

    async def count_due(self, member_id: int, now: datetime) -> int: ...

    async def next_due(self, member_id: int) -> datetime | None:
        """When the member's earliest card is due (None without cards)."""
        ...

    async def count_review(self, member_id: int, day: date) -> None:
        """One more review answered on the member's local `day` (the reviews-done streak)."""
        ...

    async def review_days(self, member_id: int, since: date) -> list[date]:
        """The member's local days with at least one review answered, from `since`, in order."""
        ...


@dataclass(frozen=True)
class Recipient:
    """A member whose nudge was claimed: where to send it and how many reviews it announces."""

    member_id: int
    community_id: int
    user_id: str
    due_reviews: int


class ReminderRepository(Protocol):
    async def get(self, member_id: int) -> Reminder | None: ...

    async def put(self, reminder: Reminder) -> None:
        """Insert or replace the member's reminder."""
        ...

    async def delete(self, member_id: int) -> bool:
        """True when there was one."""
        ...

    async def due_slots(self, now: datetime) -> list[Slot]:
        """The slots whose `next_at` has come, earliest first."""
        ...

    async def move(
        self,
        slot: Slot,
        next_at: datetime,
        day_ends_at: datetime,
        *,
        with_reviews: bool | None,
        due_before: datetime | None = None,
        sent_on: date | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Move the slot's reminders on to `next_at` (and stamp `sent_on` when given): only
        those with a review due before `due_before` (default: the end of the slot's day) when
        `with_reviews` is True, only those without when False, or all (None); at most `limit`,
        lowest member ids first. A reminder
        another caller moved first is left alone, so each is moved, and its nudge claimed, by
        exactly one caller. The member ids moved."""
        ...

    async def pick(
        self,
        slot: Slot,
        *,
        with_reviews: bool | None,
        due_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """The member ids `move` would move (read only), lowest first."""
        ...

    async def recipients(self, member_ids: Sequence[int], before: datetime) -> list[Recipient]:
        """Who the members are, with their count of reviews due before `before` (members with
        none are left out)."""
        ...


class RatingRepository(Protocol):
    """Elo standings (`bot.domain.ratings`): questions' across communities, members' own."""

    async def questions(self, question_ids: Sequence[str]) -> dict[str, Standing]:
        """The standings of those questions that have played (the others have none)."""
        ...

    async def members(self, member_ids: Sequence[int]) -> dict[int, Standing]: ...

    async def add_question(self, question_id: str, start: float, change: Change) -> None:
        """Add `change` to the question's standing (made at `start` on its first games) in one
        additive statement, so two communities' answers at once both count."""
        ...

    async def add_members(self, start: float, changes: dict[int, Change]) -> None:
        """Add each member's change (made at `start` on their first games), in one statement."""
        ...

    async def played(self, min_games: int) -> dict[str, Standing]:
        """Every question with at least `min_games` games."""
        ...

    async def answered(self, member_id: int) -> dict[str, tuple[int, int]]:
        """(answers, misses) by question id, from the member's review cards."""
        ...


class UnitOfWork(Protocol):
    """The repositories of one transaction."""

    @property
    def communities(self) -> CommunityRepository: ...

    @property
    def members(self) -> MemberRepository: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def answers(self) -> AnswerRepository: ...

    @property
    def scores(self) -> ScoreRepository: ...

    @property
    def practice(self) -> PracticeRepository: ...

    @property
    def claims(self) -> ClaimRepository: ...

    @property
    def pairing(self) -> PairingRepository: ...

    @property
    def privacy(self) -> PrivacyRepository: ...

    @property
    def reviews(self) -> ReviewRepository: ...

    @property
    def ratings(self) -> RatingRepository: ...

    @property
    def reminders(self) -> ReminderRepository: ...


class Storage(Protocol):
    async def transact(self, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run `work` in one write transaction; retried from the start on a busy database.
        Raises StorageUnavailable when the database cannot be reached."""
        ...

    async def read(self, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run read-only `work` on a snapshot that never waits for writers."""
        ...

    async def ping(self) -> None:
        """Raise StorageUnavailable unless the database answers (readiness checks)."""
        ...

    async def maintain(self) -> None:
        """Housekeeping between bursts (SQLite folds its write-ahead log back)."""
        ...

    async def close(self) -> None: ...
