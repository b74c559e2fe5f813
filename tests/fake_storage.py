"""An in-memory `Storage`: the unit of work and repositories of `bot.ports.storage` over plain
dicts, for service tests that need no database.

`transact` works on a deep copy of the state and swaps it in only when the work returns, so
a failing use case leaves nothing behind, as a rolled-back transaction would. The mock-
interview (pairing) repository is not modelled: those use cases are tested on real SQLite and
PostgreSQL (tests/integration/test_mock_interviews.py); touching it here fails loudly.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, NoReturn, TypeVar

from bot.domain.community import Community, CommunitySettings
from bot.domain.export import AnswerRecord
from bot.domain.members import Member, MemberTotals
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
from bot.domain.questions import Question
from bot.domain.ratings import Change, Standing
from bot.domain.reviews import ReviewCard
from bot.domain.scoring import BoardRow, PointsEntry, period_keys
from bot.domain.stats import AnsweredDay, MissedQuestion, TopicCoverage
from bot.domain.streaks import Streak
from bot.ports import Storage, UnitOfWork

T = TypeVar("T")
Board = tuple[int, str, str, str]  # community, period, period key, topic


@dataclass
class StoredAnswer:
    id: int
    post_id: int
    member_id: int
    choice: int | None
    text: str | None
    at: datetime
    fraction: float | None = None
    correct: bool = False
    points: int = 0
    hits: tuple[int, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass
class State:
    communities: dict[int, Community] = field(default_factory=dict)
    problems: dict[int, str | None] = field(default_factory=dict)
    contacts: dict[int, str] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    stats: dict[int, tuple[Streak, int]] = field(default_factory=dict)
    posts: dict[int, Post] = field(default_factory=dict)
    leases: dict[int, datetime | None] = field(default_factory=dict)
    answers: dict[int, StoredAnswer] = field(default_factory=dict)
    totals: dict[tuple[Board, int], tuple[int, int, int]] = field(default_factory=dict)
    sessions: dict[int, PracticeSession] = field(default_factory=dict)
    claims: set[tuple[int, str]] = field(default_factory=set)
    reviews: dict[tuple[int, str], ReviewCard] = field(default_factory=dict)
    practice_fractions: dict[int, float] = field(default_factory=dict)
    question_ratings: dict[str, Standing] = field(default_factory=dict)
    member_ratings: dict[int, Standing] = field(default_factory=dict)
    review_days: dict[tuple[int, date], int] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


class _Repository:
    def __init__(self, state: State) -> None:
        self.s = state


class MemoryCommunities(_Repository):
    async def ensure(
        self, platform: str, workspace_id: str, name: str, defaults: CommunitySettings
    ) -> Community:
        found = await self.find(platform, workspace_id)
        if found is not None:
            return found
        made = Community(self.s.new_id(), platform, workspace_id, name, defaults)
        self.s.communities[made.id] = made
        return made

    async def find(self, platform: str, workspace_id: str) -> Community | None:
        return next(
            (
                c
                for c in self.s.communities.values()
                if (c.platform, c.workspace_id) == (platform, workspace_id)
            ),
            None,
        )

    async def get(self, community_id: int) -> Community:
        return self.s.communities[community_id]

    async def all(self) -> list[Community]:
        return sorted(self.s.communities.values(), key=lambda c: c.id)

    async def save_settings(self, community_id: int, settings: CommunitySettings) -> None:
        self.s.communities[community_id] = replace(
            self.s.communities[community_id], settings=settings
        )

    async def problem(self, community_id: int) -> str | None:
        return self.s.problems.get(community_id)

    async def set_problem(self, community_id: int, problem: str | None) -> str | None:
        before = self.s.problems.get(community_id)
        self.s.problems[community_id] = problem
        return before

    async def contact(self, community_id: int) -> str | None:
        return self.s.contacts.get(community_id)

    async def set_contact(self, community_id: int, user_id: str) -> None:
        self.s.contacts[community_id] = user_id


class MemoryMembers(_Repository):
    async def ensure(self, community_id: int, people: dict[str, str]) -> dict[str, Member]:
        found: dict[str, Member] = {}
        for user_id, name in people.items():
            member = await self.find(community_id, user_id)
            if member is None:
                member = Member(self.s.new_id(), community_id, user_id, name[:100], None)
                self.s.members[member.id] = member
            found[user_id] = member
        return found

    async def rename(self, member_id: int, display_name: str) -> None:
        self.s.members[member_id] = replace(
            self.s.members[member_id], display_name=display_name[:100]
        )

    async def find(self, community_id: int, user_id: str) -> Member | None:
        return next(
            (
                m
                for m in self.s.members.values()
                if (m.community_id, m.user_id) == (community_id, user_id)
            ),
            None,
        )

    async def set_timezone(self, member_id: int, timezone: str | None) -> None:
        self.s.members[member_id] = replace(self.s.members[member_id], timezone=timezone)

    async def streaks(self, member_ids: Sequence[int]) -> dict[int, tuple[Streak, int]]:
        return {m: self.s.stats[m] for m in member_ids if m in self.s.stats}

    async def save_streaks(self, values: dict[int, tuple[Streak, int]]) -> None:
        self.s.stats.update(values)

    async def totals(self, community_id: int, member_id: int) -> MemberTotals:
        stats = self.s.stats.get(member_id)
        topics = {
            board[3]: value
            for (board, member), value in self.s.totals.items()
            if member == member_id and board[0] == community_id and board[1] == "all"
        }
        return MemberTotals(
            streak=None if stats is None else stats[0],
            answered=0 if stats is None else stats[1],
            topics=topics,
        )


class MemoryPosts(_Repository):
    def _of(self, community_id: int) -> list[Post]:
        return sorted(
            (p for p in self.s.posts.values() if p.community_id == community_id),
            key=lambda p: p.seq,
        )

    def _set(self, post: Post, **changes: Any) -> Post:
        self.s.posts[post.id] = updated = replace(post, **changes)
        return updated

    async def history(self, community_id: int) -> list[tuple[str, str]]:
        return [
            (p.question.id, p.question.topic)
            for p in self._of(community_id)
            if p.status is not PostStatus.SKIPPED
        ]

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
        if await self.by_key(community_id, run_key) is not None:
            return None
        seq = max((p.seq for p in self._of(community_id)), default=0) + 1
        post = Post(
            self.s.new_id(), community_id, run_key, seq, day, status, question,
            None, None, None, None,
        )  # fmt: skip
        self.s.posts[post.id] = post
        self.s.leases[post.id] = now + lease
        return post

    async def by_key(self, community_id: int, run_key: str) -> Post | None:
        return next((p for p in self._of(community_id) if p.run_key == run_key), None)

    async def run_keys_on(self, community_id: int, day: date) -> list[str]:
        return [p.run_key for p in self._of(community_id) if p.local_date == day]

    async def get(self, post_id: int) -> Post | None:
        return self.s.posts.get(post_id)

    async def by_seq(self, community_id: int, seq: int) -> Post | None:
        return next((p for p in self._of(community_id) if p.seq == seq), None)

    async def current(self, community_id: int) -> Post | None:
        open_ = [p for p in self._of(community_id) if p.status is PostStatus.OPEN]
        return open_[-1] if open_ else None

    async def latest_revealed(self, community_id: int) -> int | None:
        shown = [p for p in self._of(community_id) if p.status is PostStatus.REVEALED]
        return shown[-1].id if shown else None

    async def latest_closed_seq(self, community_id: int) -> int | None:
        done = {PostStatus.CLOSED, PostStatus.REVEALED}
        return max((p.seq for p in self._of(community_id) if p.status in done), default=None)

    async def mark_posted(
        self,
        post_id: int,
        channel_id: str,
        message_id: str,
        opened_at: datetime,
        closes_at: datetime,
    ) -> None:
        self._set(
            self.s.posts[post_id],
            status=PostStatus.OPEN,
            channel_id=channel_id,
            message_id=message_id,
            opened_at=opened_at,
            closes_at=closes_at,
        )
        self.s.leases[post_id] = None

    async def postpone(self, post_id: int, until: datetime) -> None:
        self.s.leases[post_id] = until

    async def reclaim(self, now: datetime, lease: timedelta) -> list[Post]:
        taken = []
        for post in self.s.posts.values():
            until = self.s.leases.get(post.id)
            waiting = post.status in (PostStatus.CLAIMED, PostStatus.CLOSED)
            if waiting and until is not None and until <= now:
                self.s.leases[post.id] = now + lease
                taken.append(post)
        return taken

    async def drop_claim(self, post_id: int) -> None:
        post = self.s.posts[post_id]
        if post.status is PostStatus.CLAIMED:
            self._set(post, status=PostStatus.SKIPPED)
            self.s.leases[post_id] = None

    async def due_to_close(self, now: datetime, community_id: int | None = None) -> list[int]:
        return [
            p.id
            for p in self.s.posts.values()
            if p.status is PostStatus.OPEN
            and p.closes_at is not None
            and p.closes_at <= now
            and community_id in (None, p.community_id)
        ]

    async def close(self, post_id: int, now: datetime, lease: timedelta) -> Post | None:
        post = self.s.posts.get(post_id)
        if post is None or post.status is not PostStatus.OPEN:
            return None
        self.s.leases[post_id] = now + lease
        return self._set(post, status=PostStatus.CLOSED, closed_at=now)

    async def mark_revealed(self, post_id: int, now: datetime) -> None:
        self._set(self.s.posts[post_id], status=PostStatus.REVEALED)
        self.s.leases[post_id] = None

    async def windows(self, post_ids: set[int]) -> dict[int, PostWindow]:
        return {
            p.id: PostWindow(p.id, p.community_id, p.status, p.closes_at, p.seq)
            for p in self.s.posts.values()
            if p.id in post_ids
        }


class MemoryAnswers(_Repository):
    def _find(self, post_id: int, member_id: int) -> StoredAnswer | None:
        return next(
            (
                a
                for a in self.s.answers.values()
                if (a.post_id, a.member_id) == (post_id, member_id)
            ),
            None,
        )

    async def insert_new(
        self, answers: Sequence[tuple[PendingAnswer, int]]
    ) -> set[tuple[int, int]]:
        inserted = set()
        for item, member_id in answers:
            if self._find(item.post_id, member_id) is None:
                stored = StoredAnswer(
                    self.s.new_id(), item.post_id, member_id, item.choice, item.text, item.at
                )
                self.s.answers[stored.id] = stored
                inserted.add((item.post_id, member_id))
        return inserted

    async def prior(self, keys: set[tuple[int, int]]) -> dict[tuple[int, int], PriorAnswer]:
        found = {key: self._find(*key) for key in keys}
        return {k: PriorAnswer(a.choice, a.text) for k, a in found.items() if a is not None}

    async def of_post(self, post_id: int) -> list[SubmittedAnswer]:
        return [
            SubmittedAnswer(a.id, a.member_id, a.choice, a.text)
            for a in self.s.answers.values()
            if a.post_id == post_id
        ]

    async def save_grades(
        self, grades: Sequence[tuple[int, float, bool, int, tuple[int, ...]]]
    ) -> None:
        for answer_id, fraction, correct, points, hits in grades:
            answer = self.s.answers[answer_id]
            answer.fraction, answer.correct, answer.points, answer.hits = (
                fraction, correct, points, tuple(hits),
            )  # fmt: skip

    async def save_feedback(self, reasons: dict[int, tuple[str, ...]]) -> None:
        for answer_id, given in reasons.items():
            self.s.answers[answer_id].reasons = tuple(given)

    async def graded(self, post_id: int, member_id: int) -> GradedRecord | None:
        a = self._find(post_id, member_id)
        if a is None:
            return None
        return GradedRecord(a.choice, a.text, a.correct, a.points, a.hits, a.reasons)

    async def reveal_facts(self, post_id: int) -> RevealFacts:
        mine = [a for a in self.s.answers.values() if a.post_id == post_id]
        distribution: dict[int, int] = {}
        for a in mine:
            if a.choice is not None:
                distribution[a.choice] = distribution.get(a.choice, 0) + 1
        right = sorted((a for a in mine if a.correct), key=lambda a: (a.at, a.id))
        names = [self.s.members[a.member_id].display_name for a in right]
        return RevealFacts(len(mine), distribution, names)

    async def history(self, member_id: int) -> AsyncIterator[AnswerRecord]:
        found: list[tuple[datetime, int, int, AnswerRecord]] = []
        for a in self.s.answers.values():
            if a.member_id == member_id:
                points = None if a.fraction is None else a.points
                question_id = self.s.posts[a.post_id].question.id
                record = AnswerRecord(
                    True, question_id, a.at, a.choice, a.text, a.fraction, points, a.hits
                )
                found.append((a.at, 0, a.id, record))
        for p in self.s.sessions.values():
            if p.member_id == member_id and p.answered_at is not None:
                fraction = self.s.practice_fractions.get(p.id)
                record = AnswerRecord(False, p.question.id, p.answered_at, None, None, fraction, 0)
                found.append((p.answered_at, 1, p.id, record))
        for *_order, record in sorted(found, key=lambda row: row[:3]):
            yield record

    async def answered_days(self, member_id: int, since: date) -> list[AnsweredDay]:
        days = [
            AnsweredDay(self.s.posts[a.post_id].local_date, a.at, a.points)
            for a in self.s.answers.values()
            if a.member_id == member_id and self.s.posts[a.post_id].local_date >= since
        ]
        return sorted(days, key=lambda d: (d.post_date, d.answered_at))

    async def most_missed(self, community_id: int, limit: int = 5) -> list[MissedQuestion]:
        counts: dict[str, list[Any]] = {}
        for a in self.s.answers.values():
            post = self.s.posts[a.post_id]
            if post.community_id != community_id or a.fraction is None:
                continue
            row = counts.setdefault(post.question.id, [post.question.topic, 0, 0])
            row[1] += 1
            row[2] += not a.correct
        found = [MissedQuestion(q, t, n, m) for q, (t, n, m) in counts.items() if m]
        return sorted(found, key=lambda r: (-r.missed, r.question_id))[:limit]


class MemoryScores(_Repository):
    async def add_points(
        self, community_id: int, day: date, topic: str, entries: Sequence[PointsEntry]
    ) -> None:
        topics = ["", topic] if topic else [""]
        for entry in entries:
            for period, key in period_keys(day):
                for t in topics:
                    slot = ((community_id, period, key, t), entry.member_id)
                    points, answered, correct = self.s.totals.get(slot, (0, 0, 0))
                    self.s.totals[slot] = (
                        points + entry.points,
                        answered + entry.answered,
                        correct + entry.correct,
                    )

    async def board(
        self,
        community_id: int,
        period: str,
        period_key: str,
        topic: str,
        member_id: int | None,
        limit: int = 10,
    ) -> tuple[list[BoardRow], tuple[int, BoardRow] | None, int]:
        board = (community_id, period, period_key, topic)
        rows = sorted(
            (
                BoardRow(m, self.s.members[m].display_name, *value)
                for (b, m), value in self.s.totals.items()
                if b == board
            ),
            key=lambda r: (-r.points, r.member_id),
        )
        mine = None
        for row in rows:
            if row.member_id == member_id:
                mine = (1 + sum(r.points > row.points for r in rows), row)
        return rows[:limit], mine, len(rows)

    async def coverage(self, community_id: int) -> list[TopicCoverage]:
        per_topic: dict[str, list[int]] = {}
        for (board, _member), (_points, answered, correct) in self.s.totals.items():
            if board[0] == community_id and board[1] == "all" and board[3]:
                row = per_topic.setdefault(board[3], [0, 0, 0])
                row[0] += 1
                row[1] += answered
                row[2] += correct
        return [TopicCoverage(t, *per_topic[t]) for t in sorted(per_topic)]


class MemoryPractice(_Repository):
    async def start(self, member_id: int, question: Question, now: datetime) -> int:
        session = PracticeSession(self.s.new_id(), member_id, question, 0, False, None, now)
        self.s.sessions[session.id] = session
        return session.id

    async def get(self, session_id: int) -> PracticeSession | None:
        return self.s.sessions.get(session_id)

    async def seen(self, member_id: int) -> set[str]:
        return {s.question.id for s in self.s.sessions.values() if s.member_id == member_id}

    async def recent(self, member_id: int, limit: int) -> list[str]:
        mine = sorted(
            (s for s in self.s.sessions.values() if s.member_id == member_id),
            key=lambda s: -s.id,
        )
        return [s.question.id for s in mine[:limit]]

    async def update(self, session_id: int, **values: Any) -> None:
        if "fraction" in values:
            self.s.practice_fractions[session_id] = values["fraction"]
        known = {f.name for f in dataclasses.fields(PracticeSession)}
        self.s.sessions[session_id] = replace(
            self.s.sessions[session_id], **{k: v for k, v in values.items() if k in known}
        )


class MemoryClaims(_Repository):
    async def claim(self, community_id: int, key: str, now: datetime) -> bool:
        if (community_id, key) in self.s.claims:
            return False
        self.s.claims.add((community_id, key))
        return True


class MemoryReviews(_Repository):
    async def cards(self, member_ids: Sequence[int], question_id: str) -> dict[int, ReviewCard]:
        found = (self.s.reviews.get((m, question_id)) for m in member_ids)
        return {card.member_id: card for card in found if card is not None}

    async def save(self, cards: Sequence[ReviewCard]) -> None:
        for card in cards:
            self.s.reviews[(card.member_id, card.question_id)] = card

    async def due(self, member_id: int, now: datetime, limit: int = 1) -> list[ReviewCard]:
        mine = [c for (m, _q), c in self.s.reviews.items() if m == member_id and c.due <= now]
        return sorted(mine, key=lambda c: (c.due, c.question_id))[:limit]

    async def count_due(self, member_id: int, now: datetime) -> int:
        return len(await self.due(member_id, now, limit=len(self.s.reviews)))

    async def next_due(self, member_id: int) -> datetime | None:
        return min((c.due for (m, _q), c in self.s.reviews.items() if m == member_id), default=None)

    async def count_review(self, member_id: int, day: date) -> None:
        self.s.review_days[(member_id, day)] = self.s.review_days.get((member_id, day), 0) + 1

    async def review_days(self, member_id: int, since: date) -> list[date]:
        return sorted(d for (m, d) in self.s.review_days if m == member_id and d >= since)


class NoReminders:
    def __getattr__(self, name: str) -> NoReturn:
        raise NotImplementedError(
            f"reminders.{name}: nudges are tested on real databases, not this fake"
        )


class MemoryRatings(_Repository):
    async def questions(self, question_ids: Sequence[str]) -> dict[str, Standing]:
        return {q: self.s.question_ratings[q] for q in question_ids if q in self.s.question_ratings}

    async def members(self, member_ids: Sequence[int]) -> dict[int, Standing]:
        return {m: self.s.member_ratings[m] for m in member_ids if m in self.s.member_ratings}

    async def add_question(self, question_id: str, start: float, change: Change) -> None:
        if change.games:
            was = self.s.question_ratings.get(question_id, Standing(start))
            self.s.question_ratings[question_id] = Standing(
                was.rating + change.delta, was.games + change.games, was.credit + change.credit
            )

    async def add_members(self, start: float, changes: dict[int, Change]) -> None:
        for member_id, change in changes.items():
            if change.games:
                was = self.s.member_ratings.get(member_id, Standing(start))
                self.s.member_ratings[member_id] = Standing(
                    was.rating + change.delta, was.games + change.games
                )

    async def played(self, min_games: int) -> dict[str, Standing]:
        return {q: s for q, s in self.s.question_ratings.items() if s.games >= min_games}

    async def answered(self, member_id: int) -> dict[str, tuple[int, int]]:
        return {q: (c.reviews, c.lapses) for (m, q), c in self.s.reviews.items() if m == member_id}


class NoPairing:
    def __getattr__(self, name: str) -> NoReturn:
        raise NotImplementedError(
            f"pairing.{name}: mock interviews are tested on real databases, not this fake"
        )


class NoPrivacy:
    def __getattr__(self, name: str) -> NoReturn:
        raise NotImplementedError(
            f"privacy.{name}: erasing a member is tested on real databases, not this fake"
        )


class MemoryUnitOfWork:
    def __init__(self, state: State) -> None:
        self.communities = MemoryCommunities(state)
        self.members = MemoryMembers(state)
        self.posts = MemoryPosts(state)
        self.answers = MemoryAnswers(state)
        self.scores = MemoryScores(state)
        self.practice = MemoryPractice(state)
        self.claims = MemoryClaims(state)
        self.pairing: Any = NoPairing()
        self.privacy: Any = NoPrivacy()
        self.reviews = MemoryReviews(state)
        self.ratings = MemoryRatings(state)
        self.reminders: Any = NoReminders()


class MemoryStorage:
    """A `Storage` whose transactions are all-or-nothing; `transactions` counts commits and
    `fail_next` makes the next transaction raise after its work ran (a crash before commit)."""

    def __init__(self) -> None:
        self.state = State()
        self.transactions = 0
        self.fail_next: Exception | None = None

    async def transact(self, work: Callable[[Any], Awaitable[T]]) -> T:
        draft = copy.deepcopy(self.state)
        result = await work(MemoryUnitOfWork(draft))
        if self.fail_next is not None:
            failure, self.fail_next = self.fail_next, None
            raise failure
        self.state = draft
        self.transactions += 1
        return result

    async def read(self, work: Callable[[Any], Awaitable[T]]) -> T:
        return await work(MemoryUnitOfWork(copy.deepcopy(self.state)))

    async def ping(self) -> None:
        return None

    async def maintain(self) -> None:
        return None

    async def close(self) -> None:
        return None


def _matches_the_ports(storage: MemoryStorage, uow: MemoryUnitOfWork) -> tuple[Storage, UnitOfWork]:
    """Never called: mypy checks here that the fakes still satisfy the ports."""
    return storage, uow
