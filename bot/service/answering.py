"""Members answering the daily question: one answer each, private until the reveal.

Answers from many members arrive at once. `AnswerBatcher` writes whatever is waiting in one
transaction (group commit), so a burst costs a few transactions instead of one each, and
SQLite's single writer is never fought over.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from dataclasses import dataclass
from gettext import gettext as _

from bot.domain.errors import AnswerRejected, InvalidSetting, UnknownQuestion
from bot.domain.grading import MAX_FREE_TEXT_LENGTH, grade_text
from bot.domain.posts import AnswerOutcome, Outcome, PendingAnswer, Post
from bot.domain.questions import LETTERS, Kind
from bot.ports import Actor, Storage, StorageUnavailable
from bot.render import Reply, quoted
from bot.service import actions, cards
from bot.service.context import Context
from bot.service.directory import MemberDirectory
from bot.service.feedback import key_point_lines, term_list_note, wrong_claim_note
from bot.service.recording import record_batch

log = logging.getLogger(__name__)
SHORT_ANSWER_LIMIT = 200


@dataclass
class _Waiting:
    item: PendingAnswer
    zone: str
    future: asyncio.Future[AnswerOutcome]


class AnswerBatcher:
    """Queues validated answers and writes them in batches of up to `max_batch`.

    While the database cannot be reached, answers are held in memory (the member is told so)
    and written, in the order they were given, as soon as it is back; an answer counts by the
    time it was given, so the wait never closes its window."""

    RETRY_FIRST_S = 1.0
    RETRY_MAX_S = 15.0
    DRAIN_S = 8.0

    def __init__(self, storage: Storage, directory: MemberDirectory, max_batch: int = 500) -> None:
        self.storage = storage
        self.directory = directory
        self.max_batch = max_batch
        self._queue: asyncio.Queue[_Waiting] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._held: list[tuple[PendingAnswer, str]] = []
        self._retry: asyncio.Task[None] | None = None

    @property
    def held(self) -> int:
        """Answers waiting for the database to come back."""
        return len(self._held)

    async def submit(self, item: PendingAnswer, community_zone: str) -> AnswerOutcome:
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._run(), name="answer-batcher")
        future: asyncio.Future[AnswerOutcome] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Waiting(item, community_zone, future))
        return await future

    def discard(self, community_id: int, user_id: str) -> None:
        """Drop a member's answers held for the database (they asked to be forgotten)."""
        self._held = [
            (item, zone)
            for item, zone in self._held
            if (item.community_id, item.user_id) != (community_id, user_id)
        ]

    async def _write(
        self, items: list[PendingAnswer], zones: dict[int, str]
    ) -> list[AnswerOutcome]:
        outcomes, met = await self.storage.transact(
            functools.partial(record_batch, batch=items, zones=zones, directory=self.directory)
        )
        self.directory.remember(met)
        return outcomes

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            # Let members whose clicks are already being handled reach the queue, so one
            # transaction carries all of them; stop as soon as a round adds nobody.
            for _round in range(4):
                queued = self._queue.qsize()
                await asyncio.sleep(0)
                if self._queue.qsize() == queued:
                    break
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._settle(batch)
            finally:
                for _waiting in batch:
                    self._queue.task_done()

    async def _settle(self, batch: list[_Waiting]) -> None:
        """Write `batch` and give every waiting member their outcome."""
        if self._held:
            # behind answers that are already waiting, so the first answer still counts
            self._hold(batch)
            return
        zones = {w.item.community_id: w.zone for w in batch}
        try:
            outcomes = await self._write([w.item for w in batch], zones)
        except StorageUnavailable:
            self._hold(batch)
            return
        except Exception as error:
            log.exception("writing %d answers failed", len(batch))
            for waiting in batch:
                if not waiting.future.done():
                    waiting.future.set_exception(error)
            return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if not waiting.future.done():
                waiting.future.set_result(outcome)

    def _hold(self, batch: list[_Waiting]) -> None:
        for waiting in batch:
            self._held.append((waiting.item, waiting.zone))
            if not waiting.future.done():
                waiting.future.set_result(
                    AnswerOutcome(Outcome.HELD, waiting.item.choice, waiting.item.text)
                )
        if self._retry is None or self._retry.done():
            self._retry = asyncio.create_task(self._write_held(), name="held-answers")

    async def _write_held(self) -> None:
        delay = self.RETRY_FIRST_S
        while self._held:
            await asyncio.sleep(delay)
            batch = self._held[: self.max_batch]
            zones = {item.community_id: zone for item, zone in batch}
            try:
                await self._write([item for item, _zone in batch], zones)
            except StorageUnavailable:
                delay = min(delay * 2, self.RETRY_MAX_S)
                continue
            except Exception:
                log.exception("writing %d held answers failed; they are dropped", len(batch))
            del self._held[: len(batch)]
            delay = 0
        log.info("held answers written")

    async def close(self) -> None:
        """Write the answers already queued (waiting at most DRAIN_S), then stop."""
        if self._worker is not None and not self._worker.done():
            drained = asyncio.ensure_future(self._queue.join())
            done, _pending = await asyncio.wait({drained}, timeout=self.DRAIN_S)
            if not done:
                drained.cancel()
                log.error("%d queued answers were not written in time", self._queue.qsize())
        for task in (self._worker, self._retry):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._worker = self._retry = None
        if self._held:
            log.error("%d answers held for the database were not written", len(self._held))


class Answering:
    def __init__(self, ctx: Context, batcher: AnswerBatcher) -> None:
        self.ctx = ctx
        self.batcher = batcher
        self._open_posts: dict[int, Post] = {}
        self._loading: dict[int, asyncio.Future[Post | None]] = {}

    def forget(self, post_id: int) -> None:
        self._open_posts.pop(post_id, None)

    async def _load(self, post_id: int) -> Post | None:
        """Read a post once however many members click at the same moment."""
        pending = self._loading.get(post_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Post | None] = asyncio.get_running_loop().create_future()
        self._loading[post_id] = future
        try:
            post = await self.ctx.storage.read(lambda uow: uow.posts.get(post_id))
        except Exception as error:
            future.set_exception(error)
            future.exception()  # retrieved here; the callers get it through `raise`
            raise
        else:
            future.set_result(post)
            if post is not None and post.is_open_at(self.ctx.clock.now()):
                self._open_posts[post_id] = post
            return post
        finally:
            del self._loading[post_id]

    async def _open_post(self, actor: Actor, post_id: int) -> tuple[Post, str]:
        community = await self.ctx.community(actor.user.workspace)
        post = self._open_posts.get(post_id) or await self._load(post_id)
        if post is None or post.community_id != community.id:
            raise UnknownQuestion(
                _("I don't know that question any more. Answer today's question instead.")
            )
        if not post.is_open_at(self.ctx.clock.now()):
            raise AnswerRejected(
                _(
                    "Question #{seq} is closed, so answers are no longer taken. "
                    "The answer is in its reveal."
                ).format(seq=post.seq)
            )
        return post, community.settings.timezone

    async def choose(self, actor: Actor, post_id: int, choice: int) -> Reply:
        post, zone = await self._open_post(actor, post_id)
        question = post.question
        if question.kind is not Kind.MULTIPLE_CHOICE or not 0 <= choice < len(question.options):
            raise AnswerRejected(_("That button does not belong to this question."))
        outcome = await self._submit(actor, post, zone, choice=choice)
        return self._reply(post, outcome)

    async def open_form(self, actor: Actor, post_id: int) -> Reply:
        post, _zone = await self._open_post(actor, post_id)
        if post.question.kind is Kind.MULTIPLE_CHOICE:
            raise AnswerRejected(_("This question is answered with its buttons."))
        form = cards.answer_form(
            actions.daily_form_id(post.id),
            post.question,
            _("Answer question #{seq}").format(seq=post.seq),
        )
        return Reply("", form=form)

    async def submit_text(self, actor: Actor, post_id: int, text: str) -> Reply:
        post, zone = await self._open_post(actor, post_id)
        if post.question.kind is Kind.MULTIPLE_CHOICE:
            raise AnswerRejected(_("This question is answered with its buttons."))
        cleaned = validate_text(text, post.question.kind)
        outcome = await self._submit(actor, post, zone, text=cleaned)
        return self._reply(post, outcome)

    async def _submit(
        self,
        actor: Actor,
        post: Post,
        zone: str,
        *,
        choice: int | None = None,
        text: str | None = None,
    ) -> AnswerOutcome:
        item = PendingAnswer(
            post_id=post.id,
            community_id=post.community_id,
            user_id=actor.user.user_id,
            display_name=actor.display_name,
            choice=choice,
            text=text,
            at=self.ctx.clock.now(),
        )
        return await self.batcher.submit(item, zone)

    def _reply(self, post: Post, outcome: AnswerOutcome) -> Reply:
        when = (
            cards.local_time(post.closes_at, outcome.member_timezone or "UTC")
            if (post.closes_at)
            else _("at the close")
        )
        if outcome.outcome is Outcome.CLOSED:
            return Reply(
                _("Question #{seq} closed before your answer arrived; it was not recorded.").format(
                    seq=post.seq
                )
            )
        what = describe(post, outcome)
        if outcome.outcome is Outcome.HELD:
            # a text answer is described as "your answer ..." already; a choice is not
            yours = (
                what if outcome.choice is None else _("your answer {answer}").format(answer=what)
            )
            return Reply(
                _(
                    "studybot cannot reach its database just now, so {yours} for question "
                    "#{seq} is kept and will be recorded as soon as the database is back. It "
                    "counts as given now; there is no need to answer again."
                ).format(yours=yours, seq=post.seq)
            )
        if outcome.outcome is Outcome.ALREADY:
            return Reply(
                _(
                    "You already answered question #{seq}: {answer}. Only your first answer "
                    "counts. The answer is revealed {when}."
                ).format(seq=post.seq, answer=what, when=when)
            )
        return Reply(
            _(
                "Recorded {answer} for question #{seq}. The answer is revealed {when}. Good luck!"
            ).format(answer=what, seq=post.seq, when=when)
        )

    async def latest_result(self, actor: Actor, number: str | None = None) -> Reply:
        """`result`: the most recently revealed question; `result N`: question #N."""
        community = await self.ctx.community(actor.user.workspace)
        if number is None or not number.strip():
            post_id = await self.ctx.storage.read(
                lambda uow: uow.posts.latest_revealed(community.id)
            )
            if post_id is None:
                return Reply(_("No question has been revealed yet."))
            return await self.my_result(actor, post_id)
        seq = number.strip().lstrip("#")
        if not seq.isdigit():
            raise InvalidSetting(
                _("“{number}” is not a question number. Example: result 3").format(number=number)
            )
        post = await self.ctx.storage.read(lambda uow: uow.posts.by_seq(community.id, int(seq)))
        if post is None:
            raise UnknownQuestion(
                _("There is no question #{seq} in this group yet.").format(seq=seq)
            )
        return await self.my_result(actor, post.id)

    async def my_result(self, actor: Actor, post_id: int) -> Reply:
        community, member = await self.ctx.member(actor)
        post = await self.ctx.storage.read(lambda uow: uow.posts.get(post_id))
        if post is None or post.community_id != community.id:
            raise UnknownQuestion(_("I don't know that question any more."))
        if post.closed_at is None:
            raise AnswerRejected(_("Results come with the reveal, when the question closes."))
        row = await self.ctx.storage.read(lambda uow: uow.answers.graded(post_id, member.id))
        if row is None:
            return Reply(_("You did not answer question #{seq}.").format(seq=post.seq))
        question = post.question
        if question.kind is Kind.MULTIPLE_CHOICE and row.choice is not None:
            # one whole sentence per verdict, so a translator never glues fragments
            template = (
                _("You answered **{letter}**, which is right: +{points} points.")
                if row.correct
                else _("You answered **{letter}**, which is not right: +{points} points.")
            )
            return Reply(template.format(letter=LETTERS[row.choice], points=row.points))
        if question.kind is Kind.SHORT_ANSWER:
            template = (
                _("Your answer “{answer}” is accepted: +{points} points.")
                if row.correct
                else _(
                    "Your answer “{answer}” is not one of the accepted answers: +{points} points."
                )
            )
            return Reply(template.format(answer=row.text, points=row.points))
        hits = set(row.hits)
        reasons = row.reasons if len(row.reasons) == len(question.key_points) else ()
        again = grade_text(question, row.text or "", self.ctx.bank.terms)
        lines = key_point_lines(question, hits, again.evidence, reasons)
        if not reasons:
            wrong = wrong_claim_note(again.evidence, again.fraction, len(question.key_points))
            lines += ["", wrong] if wrong else []
            lines += ["", term_list_note()] if again.term_list else []
        summary = _("You covered {covered} of {total} key points: +{points} points.").format(
            covered=len(hits), total=len(question.key_points), points=row.points
        )
        if reasons:
            summary += "\n" + _("The model grader judged each key point; its reasons follow.")
        return Reply(summary + "\n" + "\n".join(lines))


def describe(post: Post, outcome: AnswerOutcome) -> str:
    if outcome.choice is not None:
        option = post.question.options[outcome.choice]
        return f"**{LETTERS[outcome.choice]}** ({option.text})"
    text = outcome.text or ""
    return _("your answer {answer}").format(answer=quoted(text))


def validate_text(text: str, kind: Kind) -> str:
    """Refuse empty and over-long answers with a message that says what to do."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise AnswerRejected(_("Your answer is empty. Write a few words and submit again."))
    limit = SHORT_ANSWER_LIMIT if kind is Kind.SHORT_ANSWER else MAX_FREE_TEXT_LENGTH
    if len(cleaned) > limit:
        raise AnswerRejected(
            _(
                "Your answer is {length} characters; the limit is {limit}. Nothing was "
                "saved: shorten it and submit again."
            ).format(length=len(cleaned), limit=limit)
        )
    return cleaned
