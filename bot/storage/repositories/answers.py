"""Members' answers to daily posts: one per member and post, graded when the post closes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date

from sqlalchemy import (
    Integer,
    bindparam,
    case,
    func,
    literal_column,
    select,
    tuple_,
    union_all,
    update,
)

from bot.domain.export import AnswerRecord
from bot.domain.posts import GradedRecord, PendingAnswer, PriorAnswer, RevealFacts, SubmittedAnswer
from bot.domain.stats import AnsweredDay, MissedQuestion
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import answers, members, posts, practice_sessions


class SqlAnswerRepository(SqlRepository):
    async def insert_new(self, new: Sequence[tuple[PendingAnswer, int]]) -> set[tuple[int, int]]:
        if not new:
            return set()
        stmt = (
            self.insert(answers)
            .on_conflict_do_nothing(index_elements=["post_id", "member_id"])
            .returning(answers.c.post_id, answers.c.member_id)
        )
        result = await self.conn.execute(
            stmt,
            [
                {
                    "post_id": item.post_id,
                    "member_id": member_id,
                    "choice": item.choice,
                    "text": item.text,
                    "answered_at": item.at,
                }
                for item, member_id in new
            ],
        )
        return {(r.post_id, r.member_id) for r in result.all()}

    async def prior(self, keys: set[tuple[int, int]]) -> dict[tuple[int, int], PriorAnswer]:
        if not keys:
            return {}
        rows = await self.conn.execute(
            select(answers.c.post_id, answers.c.member_id, answers.c.choice, answers.c.text).where(
                tuple_(answers.c.post_id, answers.c.member_id).in_(list(keys))
            )
        )
        return {(r.post_id, r.member_id): PriorAnswer(r.choice, r.text) for r in rows}

    async def of_post(self, post_id: int) -> list[SubmittedAnswer]:
        rows = await self.conn.execute(
            select(answers.c.id, answers.c.member_id, answers.c.choice, answers.c.text).where(
                answers.c.post_id == post_id
            )
        )
        return [SubmittedAnswer(r.id, r.member_id, r.choice, r.text) for r in rows]

    async def save_grades(
        self, grades: Sequence[tuple[int, float, bool, int, tuple[int, ...]]]
    ) -> None:
        if not grades:
            return
        await self.conn.execute(
            update(answers)
            .where(answers.c.id == bindparam("answer_id"))
            .values(
                fraction=bindparam("fraction"),
                correct=bindparam("correct"),
                points=bindparam("points"),
                hits=bindparam("hits"),
            ),
            [
                {
                    "answer_id": answer_id,
                    "fraction": fraction,
                    "correct": correct,
                    "points": points,
                    "hits": list(hits),
                }
                for answer_id, fraction, correct, points, hits in grades
            ],
        )

    async def save_feedback(self, reasons: dict[int, tuple[str, ...]]) -> None:
        if not reasons:
            return
        await self.conn.execute(
            update(answers)
            .where(answers.c.id == bindparam("answer_id"))
            .values(feedback=bindparam("feedback")),
            [{"answer_id": i, "feedback": list(given)} for i, given in reasons.items()],
        )

    async def graded(self, post_id: int, member_id: int) -> GradedRecord | None:
        row = (
            await self.conn.execute(
                select(answers).where(
                    answers.c.post_id == post_id, answers.c.member_id == member_id
                )
            )
        ).one_or_none()
        if row is None:
            return None
        return GradedRecord(
            row.choice,
            row.text,
            bool(row.correct),
            row.points or 0,
            tuple(row.hits or ()),
            tuple(row.feedback or ()),
        )

    async def reveal_facts(self, post_id: int) -> RevealFacts:
        dist_rows = (
            await self.conn.execute(
                select(answers.c.choice, func.count())
                .where(answers.c.post_id == post_id)
                .group_by(answers.c.choice)
            )
        ).all()
        right = (
            await self.conn.execute(
                select(members.c.display_name)
                .join(answers, answers.c.member_id == members.c.id)
                .where(answers.c.post_id == post_id, answers.c.correct.is_(True))
                .order_by(answers.c.answered_at, answers.c.id)
            )
        ).all()
        distribution = {r[0]: r[1] for r in dist_rows if r[0] is not None}
        answered = sum(r[1] for r in dist_rows)
        return RevealFacts(answered, distribution, [r.display_name for r in right])

    async def answered_days(self, member_id: int, since: date) -> list[AnsweredDay]:
        rows = await self.conn.execute(
            select(posts.c.local_date, answers.c.answered_at, answers.c.points)
            .join(posts, posts.c.id == answers.c.post_id)
            .where(answers.c.member_id == member_id, posts.c.local_date >= since)
            .order_by(posts.c.local_date, answers.c.answered_at)
        )
        return [AnsweredDay(r.local_date, r.answered_at, r.points or 0) for r in rows]

    async def most_missed(self, community_id: int, limit: int = 5) -> list[MissedQuestion]:
        missed = func.sum(case((answers.c.correct.is_(False), 1), else_=0)).cast(Integer)
        rows = await self.conn.execute(
            select(
                posts.c.question_id,
                func.min(posts.c.topic).label("topic"),
                func.count().label("answered"),
                missed.label("missed"),
            )
            .join(posts, posts.c.id == answers.c.post_id)
            .where(posts.c.community_id == community_id, answers.c.correct.is_not(None))
            .group_by(posts.c.question_id)
            .having(missed > 0)
            .order_by(missed.desc(), posts.c.question_id)
            .limit(limit)
        )
        return [MissedQuestion(r.question_id, r.topic, r.answered, r.missed) for r in rows]

    async def history(self, member_id: int) -> AsyncIterator[AnswerRecord]:
        daily = (
            select(
                literal_column("1").label("daily"),
                posts.c.question_id,
                answers.c.answered_at,
                answers.c.choice,
                answers.c.text,
                answers.c.fraction,
                answers.c.points,
                answers.c.hits,
                answers.c.id.label("row_id"),
            )
            .join(posts, posts.c.id == answers.c.post_id)
            .where(answers.c.member_id == member_id)
        )
        practice = select(
            literal_column("0"),
            practice_sessions.c.question_id,
            practice_sessions.c.answered_at,
            practice_sessions.c.choice,
            practice_sessions.c.text,
            practice_sessions.c.fraction,
            literal_column("0"),
            practice_sessions.c.hits,
            practice_sessions.c.id,
        ).where(
            practice_sessions.c.member_id == member_id,
            practice_sessions.c.answered_at.is_not(None),
        )
        both = union_all(daily, practice).subquery()
        rows = await self.conn.stream(
            select(both).order_by(both.c.answered_at, both.c.daily.desc(), both.c.row_id)
        )
        async for r in rows:
            yield AnswerRecord(
                daily=bool(r.daily),
                question_id=r.question_id,
                answered_at=r.answered_at,
                choice=r.choice,
                text=r.text,
                fraction=r.fraction,
                points=None if r.fraction is None else r.points,
                hits=tuple(r.hits or ()),
            )
