"""Writing a batch of daily answers, and grading them when the post closes: each one unit of
work, so an answer, its streak and (later) its grade and points commit together or not at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.concepts import Vocabulary
from bot.domain.grading import NO_TERMS, Grade, grade_choice, grade_key_points, grade_text
from bot.domain.members import Member
from bot.domain.posts import AnswerOutcome, Outcome, PendingAnswer, Post
from bot.domain.questions import Kind
from bot.domain.scoring import PointsEntry
from bot.domain.streaks import Streak
from bot.ports.grader import Verdict
from bot.ports.storage import UnitOfWork
from bot.service.directory import MemberDirectory
from bot.service.ratings import rate
from bot.service.remembering import Graded, remember


async def record_batch(
    uow: UnitOfWork,
    batch: Sequence[PendingAnswer],
    zones: dict[int, str],
    directory: MemberDirectory,
) -> tuple[list[AnswerOutcome], list[Member]]:
    """Record validated answers: at most one per member and post (a second one reports what
    was recorded), only inside the post's answer window, each moving the member's streak.
    `zones` gives each community's time zone, the fallback for members without one. Returns
    the outcomes in batch order and the members met (to remember once committed)."""
    people: dict[int, dict[str, str]] = {}
    for item in batch:
        people.setdefault(item.community_id, {})[item.user_id] = item.display_name
    found: dict[tuple[int, str], Member] = {}
    for community_id, group in people.items():
        for user_id, member in (await directory.ensure(uow, community_id, group)).items():
            found[(community_id, user_id)] = member

    windows = await uow.posts.windows({item.post_id for item in batch})
    outcomes: list[AnswerOutcome | None] = [None] * len(batch)
    first: dict[tuple[int, int], int] = {}
    for index, item in enumerate(batch):
        window = windows.get(item.post_id)
        if window is None or not window.accepts(item):
            outcomes[index] = AnswerOutcome(Outcome.CLOSED)
            continue
        first.setdefault((item.post_id, found[(item.community_id, item.user_id)].id), index)

    inserted = await uow.answers.insert_new([(batch[i], key[1]) for key, i in first.items()])
    prior = await uow.answers.prior(set(first) - inserted | _repeats(batch, outcomes, found))

    recorded: dict[int, tuple[PendingAnswer, int, str]] = {}
    for index, item in enumerate(batch):
        if outcomes[index] is not None:
            continue
        member = found[(item.community_id, item.user_id)]
        key = (item.post_id, member.id)
        zone = member.timezone or zones.get(item.community_id, "UTC")
        if key in inserted and first[key] == index:
            outcomes[index] = AnswerOutcome(
                Outcome.RECORDED, item.choice, item.text, member_timezone=zone
            )
            recorded[member.id] = (item, windows[item.post_id].seq, zone)
        else:
            before = prior.get(key)
            outcomes[index] = AnswerOutcome(
                Outcome.ALREADY,
                before.choice if before is not None else None,
                before.text if before is not None else None,
                member_timezone=zone,
            )

    if recorded:
        current = await uow.members.streaks(list(recorded))
        moved = {}
        for member_id, (item, seq, zone) in recorded.items():
            streak, answered = current.get(member_id, (Streak(), 0))
            day = item.at.astimezone(ZoneInfo(zone)).date()
            moved[member_id] = (streak.after_answer(seq, day), answered + 1)
        await uow.members.save_streaks(moved)
    return [o for o in outcomes if o is not None], list(found.values())


def _repeats(
    batch: Sequence[PendingAnswer],
    outcomes: Sequence[AnswerOutcome | None],
    found: dict[tuple[int, str], Member],
) -> set[tuple[int, int]]:
    """(post, member) keys that appear more than once among the answers still undecided."""
    seen: set[tuple[int, int]] = set()
    repeated: set[tuple[int, int]] = set()
    for item, outcome in zip(batch, outcomes, strict=True):
        if outcome is None:
            key = (item.post_id, found[(item.community_id, item.user_id)].id)
            (repeated if key in seen else seen).add(key)
    return repeated


async def close_and_grade(
    uow: UnitOfWork,
    post_id: int,
    now: datetime,
    lease: timedelta,
    verdicts: Mapping[int, Verdict] | None = None,
    terms: Vocabulary = NO_TERMS,
) -> Post | None:
    """Close an open post, grade every answer, add the points to the boards and bring each
    answer's question back for review (the reveal is when the member learns the answer, so the
    review counts from the close); None when another caller closed it first.

    `verdicts` are the model grader's, by answer id, asked for before this transaction: a valid
    one (one per key point) replaces the deterministic key-point grade of that answer, and its
    reasons are kept for the member's result. `terms` is the bank's vocabulary."""
    post = await uow.posts.close(post_id, now, lease)
    if post is None:
        return None
    submitted = await uow.answers.of_post(post.id)
    if not submitted:
        return post
    question = post.question
    grades = []
    entries = []
    reviewed = []
    reasons: dict[int, tuple[str, ...]] = {}
    for answer in submitted:
        verdict = (verdicts or {}).get(answer.id)
        grade: Grade
        if question.kind is Kind.MULTIPLE_CHOICE:
            grade = grade_choice(question, answer.choice if answer.choice is not None else -1)
        elif (
            verdict is not None
            and question.kind in (Kind.OPEN, Kind.SCENARIO)
            and len(verdict) == len(question.key_points)
        ):
            grade = grade_key_points(question, tuple(i for i, v in enumerate(verdict) if v.hit))
            reasons[answer.id] = tuple(v.reason for v in verdict)
        else:
            grade = grade_text(question, answer.text or "", terms)
        points = grade.points(question.difficulty)
        grades.append((answer.id, grade.fraction, grade.correct, points, grade.hit_points))
        reviewed.append(Graded(answer.member_id, grade.fraction))
        entries.append(
            PointsEntry(answer.member_id, points, answered=1, correct=int(grade.correct))
        )
    await uow.answers.save_grades(grades)
    if reasons:
        await uow.answers.save_feedback(reasons)
    await uow.scores.add_points(post.community_id, post.local_date, question.topic, entries)
    await remember(uow, question.id, reviewed, now)
    await rate(uow, question, reviewed)
    return post
