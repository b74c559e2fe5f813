"""The daily loop: post at the community's local time, close at the end of the window, score,
reveal. Every act that reaches the chat is claimed in the database first, so a restart, a double
fire or a second process never does it twice."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from gettext import gettext as _

from bot.domain.community import Community
from bot.domain.errors import NotConfigured, NothingToDo
from bot.domain.posts import Post, PostStatus, SubmittedAnswer
from bot.domain.questions import Question
from bot.domain.schedule import closes_at, due_days, local_date, scheduled_at
from bot.domain.selection import choose_daily
from bot.ports import (
    Actor,
    ChannelRef,
    ChatUnavailable,
    MessageRef,
    StorageUnavailable,
    UnitOfWork,
    UserRef,
    Verdict,
)
from bot.render import OutMessage, Reply
from bot.service import cards
from bot.service.context import Context
from bot.service.model_grading import ask_grader, gradable
from bot.service.recording import close_and_grade

log = logging.getLogger(__name__)
MIN_USEFUL_WINDOW = timedelta(minutes=5)
FAN_OUT_CONCURRENCY = 16


class DailyQuestions:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._forget: list[Callable[[int], None]] = []
        self._fan_out = asyncio.Semaphore(FAN_OUT_CONCURRENCY)

    def on_closed(self, forget: Callable[[int], None]) -> None:
        """Call `forget(post_id)` when a post closes (answer caches drop it)."""
        self._forget.append(forget)

    # scheduled ---------------------------------------------------------------------------

    async def post_due(self, community_id: int) -> list[Post]:
        """Post every daily question that is due and not yet claimed (the cron job and the
        catch-up after a restart both land here). Yesterday's question closes and is revealed
        first.

        When many communities share a post time their jobs fire together. Their database work
        goes a few at a time, so the first posts go out at once and the rest follow at the
        chat's pace instead of all waiting behind each other's reads; the chat calls then run
        side by side.
        """
        community = await self.ctx.community_by_id(community_id)
        settings = community.settings
        if settings.paused or not settings.channel_id:
            return []
        async with self._fan_out:
            now = self.ctx.clock.now()
            closed = [
                post
                for post_id in await self.ctx.storage.read(
                    lambda uow: uow.posts.due_to_close(now, community_id)
                )
                if (post := await self._close_in_db(community, post_id)) is not None
            ]
            claimed = [
                post
                for day in due_days(settings, now)
                if (post := await self._claim(community, day.isoformat(), day)) is not None
            ]
        for post in closed:
            await self._reveal(community, post)
        for post in claimed:
            await self._publish(community, post)
        return claimed

    async def close_due(self) -> int:
        """Close and reveal every post whose window has ended, and finish acts whose owner
        died mid-way (claimed but never posted, closed but never revealed)."""
        now = self.ctx.clock.now()
        closed = 0
        for post_id in await self.ctx.storage.read(lambda uow: uow.posts.due_to_close(now)):
            if await self.close(post_id):
                closed += 1
        lease = self.ctx.lease
        for post in await self.ctx.storage.transact(lambda uow: uow.posts.reclaim(now, lease)):
            community = await self.ctx.community_by_id(post.community_id)
            if post.status is PostStatus.CLAIMED:
                if self._still_due(community, post):
                    await self._publish(community, post)
                else:
                    await self._drop_claim(post.id)
            elif post.status is PostStatus.CLOSED:
                await self._reveal(community, post)
        return closed

    def _still_due(self, community: Community, post: Post) -> bool:
        """A claim retried late is posted only while its day's window is still open."""
        now = self.ctx.clock.now()
        if post.run_key != post.local_date.isoformat():
            return local_date(community.settings, now) == post.local_date
        return post.local_date in due_days(community.settings, now)

    async def catch_up(self) -> None:
        for community in await self.ctx.all_communities():
            try:
                await self.post_due(community.id)
            except StorageUnavailable:
                raise
            except Exception:
                log.exception("catch-up failed for community %s", community.id)
        await self.close_due()

    # admin -------------------------------------------------------------------------------

    async def post_now(self, actor: Actor, replace_open: bool = False) -> Reply:
        """Post a question now. While one is open, only with `replace_open`, which closes and
        reveals it first: a community never has two daily questions open."""
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        if not community.settings.channel_id:
            raise NotConfigured(_("No question channel is set. Run setup with a channel first."))
        current = await self.ctx.storage.read(lambda uow: uow.posts.current(community.id))
        if current is not None:
            if not replace_open:
                raise NothingToDo(
                    _(
                        "Question #{seq} is still open. Close it with close-now, or use "
                        "post-now replace to close and reveal it and post a new one."
                    ).format(seq=current.seq)
                )
            await self.close(current.id)
        now = self.ctx.clock.now()
        today = local_date(community.settings, now)
        taken = set(
            await self.ctx.storage.read(lambda uow: uow.posts.run_keys_on(community.id, today))
        )
        run_key = today.isoformat()
        n = 1
        while run_key in taken:
            run_key = f"{today.isoformat()}+{n}"
            n += 1
        post = await self._claim_and_publish(community, run_key, today)
        if post is None:
            return Reply(_("Another request posted at the same moment; nothing more was posted."))
        refreshed = await self.ctx.storage.read(lambda uow: uow.posts.get(post.id))
        if refreshed is None or refreshed.status is not PostStatus.OPEN:
            problem = await self.ctx.storage.read(lambda uow: uow.communities.problem(community.id))
            if problem:
                return Reply(
                    _(
                        "The question could not be posted yet; it will be retried automatically."
                        " The problem: {problem}"
                    ).format(problem=problem)
                )
            return Reply(
                _("The question could not be posted yet; it will be retried automatically.")
            )
        return Reply(
            _("Posted question #{seq} ({question}); answers close {closes}.").format(
                seq=refreshed.seq,
                question=refreshed.question.id,
                closes=cards.local_time(refreshed.closes_at or now, community.settings.timezone),
            )
        )

    async def skip_today(self, actor: Actor) -> Reply:
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        settings = community.settings
        now = self.ctx.clock.now()
        today = local_date(settings, now)

        async def skip(uow: UnitOfWork) -> None:
            existing = await uow.posts.by_key(community.id, today.isoformat())
            if existing is not None:
                if existing.status is PostStatus.SKIPPED:
                    raise NothingToDo(_("Today is already skipped."))
                if existing.status in (PostStatus.CLOSED, PostStatus.REVEALED):
                    following = scheduled_at(settings, today + timedelta(days=1))
                    raise NothingToDo(
                        _(
                            "Today's question (#{seq}) has already closed, so there is "
                            "nothing left to skip today. The next one comes {following}."
                        ).format(
                            seq=existing.seq,
                            following=cards.local_time(following, settings.timezone),
                        )
                    )
                raise NothingToDo(
                    _(
                        "Today's question (#{seq}) is already posted. Use close-now to "
                        "end it early."
                    ).format(seq=existing.seq)
                )
            question = self._choose(community, await uow.posts.history(community.id), "skip")
            await uow.posts.claim(
                community.id,
                today.isoformat(),
                today,
                question,
                now,
                timedelta(0),
                status=PostStatus.SKIPPED,
            )

        await self.ctx.storage.transact(skip)
        following = scheduled_at(settings, today + timedelta(days=1))
        return Reply(
            _("Skipped today's question. The next one comes {following}.").format(
                following=cards.local_time(following, settings.timezone)
            )
        )

    async def close_now(self, actor: Actor) -> Reply:
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        post = await self.ctx.storage.read(lambda uow: uow.posts.current(community.id))
        if post is None:
            raise NothingToDo(_("No question is open right now."))
        if not await self.close(post.id):
            return Reply(_("That question was closed a moment ago."))
        return Reply(_("Closed question #{seq} and posted the answer.").format(seq=post.seq))

    # the acts ----------------------------------------------------------------------------

    def _choose(
        self, community: Community, history: list[tuple[str, str]], run_key: str
    ) -> Question:
        return choose_daily(
            self.ctx.bank.questions, community.settings, history, f"{community.id}:{run_key}"
        )

    async def _claim(self, community: Community, run_key: str, day: date) -> Post | None:
        now, lease = self.ctx.clock.now(), self.ctx.lease

        async def claim(uow: UnitOfWork) -> Post | None:
            if await uow.posts.by_key(community.id, run_key) is not None:
                return None
            question = self._choose(community, await uow.posts.history(community.id), run_key)
            return await uow.posts.claim(community.id, run_key, day, question, now, lease)

        return await self.ctx.storage.transact(claim)

    async def _drop_claim(self, post_id: int) -> None:
        await self.ctx.storage.transact(lambda uow: uow.posts.drop_claim(post_id))

    async def _postpone(self, post_id: int) -> None:
        until = self.ctx.clock.now() + self.ctx.retry_after
        await self.ctx.storage.transact(lambda uow: uow.posts.postpone(post_id, until))

    async def _claim_and_publish(
        self, community: Community, run_key: str, day: date
    ) -> Post | None:
        post = await self._claim(community, run_key, day)
        if post is not None:
            await self._publish(community, post)
        return post

    async def _publish(self, community: Community, post: Post) -> None:
        settings = community.settings
        now = self.ctx.clock.now()
        ends = closes_at(settings, post.local_date, now)
        if ends - now < MIN_USEFUL_WINDOW:
            await self._drop_claim(post.id)
            return
        chat = self.ctx.chats.get(community.platform)
        if chat is None or not settings.channel_id:
            await self._postpone(post.id)
            return
        channel = ChannelRef(community.platform, community.workspace_id, settings.channel_id)
        opened = replace(post, opened_at=now, closes_at=ends, status=PostStatus.OPEN)
        card = cards.question_card(
            opened, self.ctx.bank.topic_title(post.question.topic), settings.timezone
        )
        try:
            ref = await chat.post_question(channel, card)
        except ChatUnavailable as problem:
            await self._postpone(post.id)
            await self._report(community, problem.reason)
            return
        except Exception:
            log.exception("posting question %s failed", post.id)
            await self._postpone(post.id)
            return

        async def posted(uow: UnitOfWork) -> None:
            await uow.posts.mark_posted(post.id, channel.channel_id, ref.message_id, now, ends)
            await uow.communities.set_problem(community.id, None)

        await self.ctx.storage.transact(posted)

    async def close(self, post_id: int) -> bool:
        """Close, score and reveal one post; False when someone else already closed it."""
        post = await self.ctx.storage.read(lambda uow: uow.posts.get(post_id))
        if post is None:
            return False
        community = await self.ctx.community_by_id(post.community_id)
        closed = await self._close_in_db(community, post_id)
        if closed is None:
            return False
        await self._reveal(community, closed)
        return True

    async def _close_in_db(self, community: Community, post_id: int) -> Post | None:
        verdicts = await self._model_verdicts(post_id)
        now, lease, terms = self.ctx.clock.now(), self.ctx.lease, self.ctx.bank.terms
        closed = await self.ctx.storage.transact(
            lambda uow: close_and_grade(uow, post_id, now, lease, verdicts, terms)
        )
        if closed is not None:
            for forget in self._forget:
                forget(post_id)
        return closed

    async def _model_verdicts(self, post_id: int) -> dict[int, Verdict]:
        """The configured grader's verdicts on an open post's free-text answers, asked before
        the closing transaction so that no database lock is held while it thinks (bounded by
        the grader's timeout). Empty without a grader, or for a post with nothing to grade."""
        grader = self.ctx.grader
        if grader is None:
            return {}

        async def look(uow: UnitOfWork) -> tuple[Post, list[SubmittedAnswer]] | None:
            post = await uow.posts.get(post_id)
            if post is None or post.status is not PostStatus.OPEN or not gradable(post.question):
                return None
            return post, await uow.answers.of_post(post_id)

        found = await self.ctx.storage.read(look)
        if found is None or not found[1]:
            return {}
        post, answers = found
        return await ask_grader(grader, self.ctx.grader_limits, post.question, answers)

    async def _reveal(self, community: Community, post: Post) -> None:
        chat = self.ctx.chats.get(community.platform)
        if chat is None or post.channel_id is None:
            return
        channel = ChannelRef(community.platform, community.workspace_id, post.channel_id)
        message = MessageRef(channel, post.message_id) if post.message_id else None
        title = self.ctx.bank.topic_title(post.question.topic)
        facts = await self.ctx.storage.read(lambda uow: uow.answers.reveal_facts(post.id))
        try:
            if message is not None:
                closed_card = cards.question_card(
                    post,
                    title,
                    community.settings.timezone,
                    closed=True,
                    answered=facts.answered,
                )
                await chat.close_question(message, closed_card)
            await chat.post_reveal(channel, cards.reveal(post, facts, title), thread=message)
        except ChatUnavailable as problem:
            await self._report(community, problem.reason)
            return
        except Exception:
            log.exception("revealing post %s failed; it will be retried", post.id)
            return
        now = self.ctx.clock.now()
        await self.ctx.storage.transact(lambda uow: uow.posts.mark_revealed(post.id, now))

    async def _report(self, community: Community, reason: str) -> None:
        """Record why the chat refused, and tell the admin who set the bot up, once per
        problem (the attempts continue every `retry_after`)."""

        async def record(uow: UnitOfWork) -> tuple[str | None, str | None]:
            before = await uow.communities.set_problem(community.id, reason)
            return before, await uow.communities.contact(community.id)

        before, contact = await self.ctx.storage.transact(record)
        if before == reason:
            return
        log.warning("community %s: %s", community.id, reason)
        chat = self.ctx.chats.get(community.platform)
        if contact is None or chat is None:
            return
        minutes = int(self.ctx.retry_after.total_seconds() // 60)
        message = OutMessage(
            _(
                "studybot could not post in your study group: {reason} "
                "It will try again every {minutes} minutes, and nothing is lost meanwhile."
            ).format(reason=reason, minutes=minutes),
            title=_("studybot needs a hand"),
        )
        try:
            await chat.send_dm(
                UserRef(community.platform, community.workspace_id, contact), message
            )
        except Exception:
            log.warning("could not tell the admin of community %s", community.id, exc_info=True)
