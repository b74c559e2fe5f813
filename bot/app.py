"""`Studybot`: the one object adapters talk to. Every use case returns a `Reply`; a refusal
becomes a friendly private reply and an unexpected failure a short apology, never a traceback."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Concatenate, ParamSpec

from bot.domain.community import Community, CommunitySettings, parse_timezone
from bot.domain.errors import StudybotError, UnknownQuestion
from bot.ports import Actor, ChatPort, Clock, Storage, SystemClock
from bot.question_bank import Bank
from bot.render import Reply
from bot.service import actions
from bot.service.admin import Admin, SetupChange
from bot.service.answering import AnswerBatcher, Answering
from bot.service.context import Context
from bot.service.daily import DailyQuestions
from bot.service.mock_interviews import MOCK_TOPIC, MockInterviews
from bot.service.practice import Practice
from bot.service.queries import Queries
from bot.storage.uow import SqlStorage

log = logging.getLogger(__name__)
P = ParamSpec("P")

SORRY = (
    "Something went wrong on our side and nothing was changed. Please try again in a minute; "
    "if it keeps happening, tell an admin."
)

HELP = """\
**studybot** — a daily ML interview question, practice on demand, and leaderboards.
- `/quiz practice [topic] [difficulty]` — a practice question now, with hint and model answer
- `/quiz scenario [domain]` — a scenario question (fraud detection, predictive maintenance, …)
- `/quiz leaderboard [week|month|all] [topic]` — the board and your own rank
- `/quiz stats` — your points, ranks, streak and topics
- `/quiz streak` — your streak
- `/quiz timezone <Area/City>` — your time zone, for streak days and reveal times
- `/quiz pair join <availability>` — weekly mock interviews with a peer, e.g. \
`pair join Mon-Thu 18:00-21:00; Sat 10:00-12:00`; also `pair status`, `pair pause 1`, `pair leave`
Admins: `/quiz setup`, `/quiz post-now`, `/quiz close-now`, `/quiz skip`, `/quiz pair-now`.
Topics: {topics}."""


def guarded(
    method: Callable[Concatenate[Studybot, P], Awaitable[Reply]],
) -> Callable[Concatenate[Studybot, P], Awaitable[Reply]]:
    @functools.wraps(method)
    async def wrapper(self: Studybot, *args: P.args, **kwargs: P.kwargs) -> Reply:
        try:
            return await method(self, *args, **kwargs)
        except StudybotError as refusal:
            return Reply(refusal.user_message, private=True)
        except Exception:
            log.exception("%s failed", method.__name__)
            return Reply(SORRY, private=True)

    return wrapper


class Studybot:
    def __init__(
        self,
        storage: Storage,
        bank: Bank,
        *,
        clock: Clock | None = None,
        chats: dict[str, ChatPort] | None = None,
        defaults: CommunitySettings | None = None,
        lease: timedelta = timedelta(minutes=5),
    ) -> None:
        self.ctx = Context(
            storage=storage,
            bank=bank,
            clock=clock or SystemClock(),
            chats=dict(chats or {}),
            defaults=defaults or CommunitySettings(),
            lease=lease,
        )
        self.batcher = AnswerBatcher(storage, self.ctx.directory)
        self.daily = DailyQuestions(self.ctx)
        self.answering = Answering(self.ctx, self.batcher)
        self.practice_ = Practice(self.ctx)
        self.queries = Queries(self.ctx, self._board_topic)
        self.admin = Admin(self.ctx)
        self.mock = MockInterviews(self.ctx)
        self.daily.on_closed(self.answering.forget)

    @classmethod
    def from_url(cls, url: str, bank: Bank, **kwargs: object) -> Studybot:
        return cls(SqlStorage.connect(url), bank, **kwargs)  # type: ignore[arg-type]

    def _board_topic(self, text: str | None) -> str | None:
        """Leaderboards exist per bank topic and for mock interviews."""
        if text and MOCK_TOPIC.startswith(text.strip().lower().replace(" ", "_")):
            return MOCK_TOPIC
        return self.practice_.resolve_topic(text)

    @property
    def storage(self) -> Storage:
        return self.ctx.storage

    @property
    def bank(self) -> Bank:
        return self.ctx.bank

    async def communities(self) -> list[Community]:
        return await self.ctx.all_communities()

    async def start_local_group(self, actor: Actor, name: str, channel_id: str) -> None:
        """A local (console) group: its one member sets it up, so it posts in `channel_id`
        from the first start."""
        community = await self.ctx.community(actor.user.workspace, name)
        if not community.settings.channel_id:
            changed = community.settings.with_changes(channel_id=channel_id)
            await self.ctx.save_settings(community, changed, contact=actor.user.user_id)

    async def latest_revealed(self, actor: Actor) -> int | None:
        """The post id of the community's most recent reveal, for `result` without a number."""
        community = await self.ctx.community(actor.user.workspace)
        return await self.ctx.storage.read(lambda uow: uow.posts.latest_revealed(community.id))

    def attach_chat(self, platform: str, chat: ChatPort) -> None:
        self.ctx.chats[platform] = chat

    async def close(self) -> None:
        await self.batcher.close()
        await self.ctx.storage.close()

    # members -----------------------------------------------------------------------------

    @guarded
    async def handle_action(self, actor: Actor, action_id: str) -> Reply:
        """A button press. Ids come from the cards this core made (see `service.actions`)."""
        parsed = actions.parse(action_id)
        if parsed is None:
            raise UnknownQuestion(
                "That button is from an older version of studybot and no "
                "longer works. Use the latest question instead."
            )
        verb, target, arg = parsed.verb, parsed.target, parsed.arg
        if verb == "a" and arg is not None:
            return await self.answering.choose(actor, target, arg)
        if verb == "f":
            return await self.answering.open_form(actor, target)
        if verb == "r":
            return await self.answering.my_result(actor, target)
        if verb == "ph":
            return await self.practice_.hint(actor, target)
        if verb == "pm":
            return await self.practice_.model_answer(actor, target)
        if verb == "pf":
            return await self.practice_.open_form(actor, target)
        if verb == "pc" and arg is not None:
            return await self.practice_.choose(actor, target, arg)
        if verb == "ci" and arg is not None:
            return await self.mock.checkin(actor, target, arg)
        if verb == "fb":
            return await self.mock.feedback_form(actor, target)
        raise UnknownQuestion("That button no longer works. Use the latest question instead.")

    @guarded
    async def submit_form(
        self, actor: Actor, form_id: str, text: str, extra: Mapping[str, str] | None = None
    ) -> Reply:
        """A submitted form: `text` is its main field, `extra` the others by field id."""
        parsed = actions.parse(form_id)
        if parsed is not None and parsed.verb == "da":
            return await self.answering.submit_text(actor, parsed.target, text)
        if parsed is not None and parsed.verb == "pa":
            return await self.practice_.submit_text(actor, parsed.target, text)
        if parsed is not None and parsed.verb == "mf":
            return await self.mock.submit_feedback(actor, parsed.target, text, extra or {})
        raise UnknownQuestion("That form has expired. Open the question again and answer there.")

    @guarded
    async def practice(
        self, actor: Actor, topic: str | None = None, difficulty: str | None = None
    ) -> Reply:
        return await self.practice_.practice(actor, topic, difficulty)

    @guarded
    async def scenario(self, actor: Actor, domain: str | None = None) -> Reply:
        return await self.practice_.scenario(actor, domain)

    @guarded
    async def leaderboard(
        self, actor: Actor, period: str | None = None, topic: str | None = None
    ) -> Reply:
        return await self.queries.leaderboard(actor, period, topic)

    @guarded
    async def stats(self, actor: Actor) -> Reply:
        return await self.queries.stats(actor)

    @guarded
    async def streak(self, actor: Actor) -> Reply:
        return await self.queries.streak(actor)

    @guarded
    async def set_timezone(self, actor: Actor, timezone: str) -> Reply:
        zone = parse_timezone(timezone).key
        _community, member = await self.ctx.member(actor)
        await self.ctx.set_member_timezone(member, zone)
        return Reply(f"Your time zone is now {zone}.")

    @guarded
    async def help(self, actor: Actor) -> Reply:
        del actor
        return Reply(
            HELP.format(topics=", ".join(self.ctx.bank.topics) or "none loaded"),
            title="studybot help",
        )

    async def current_card(self, actor: Actor) -> Reply:
        """The open daily question, for adapters without a channel history (the console)."""
        from bot.service import cards

        community = await self.ctx.community(actor.user.workspace)
        post = await self.ctx.storage.read(lambda uow: uow.posts.current(community.id))
        if post is None:
            return Reply("No question is open right now.")
        card = cards.question_card(
            post, self.ctx.bank.topic_title(post.question.topic), community.settings.timezone
        )
        return Reply("", card=card)

    # mock interviews ---------------------------------------------------------------------

    @guarded
    async def pair_join(
        self,
        actor: Actor,
        availability: str,
        timezone: str | None = None,
        role: str | None = None,
        level: str | None = None,
    ) -> Reply:
        return await self.mock.join(actor, availability, timezone, role, level)

    @guarded
    async def pair_leave(self, actor: Actor) -> Reply:
        return await self.mock.leave(actor)

    @guarded
    async def pair_pause(self, actor: Actor, rounds: str) -> Reply:
        return await self.mock.pause(actor, rounds)

    @guarded
    async def pair_status(self, actor: Actor) -> Reply:
        return await self.mock.status(actor)

    @guarded
    async def pair_now(self, actor: Actor) -> Reply:
        return await self.mock.pair_now(actor)

    @guarded
    async def pair_stats(self, actor: Actor) -> Reply:
        return await self.mock.stats(actor)

    async def announce_pairing_round(self, community_id: int) -> None:
        try:
            await self.mock.announce(community_id)
        except Exception:
            log.exception("mock-interview announcement for community %s failed", community_id)

    async def run_pairing_round(self, community_id: int) -> None:
        try:
            await self.mock.run_round(community_id)
        except Exception:
            log.exception("pairing round for community %s failed", community_id)

    # admins ------------------------------------------------------------------------------

    @guarded
    async def setup(self, actor: Actor, change: SetupChange) -> Reply:
        return await self.admin.setup(actor, change)

    @guarded
    async def settings(self, actor: Actor) -> Reply:
        return await self.admin.show(actor)

    @guarded
    async def post_now(self, actor: Actor) -> Reply:
        return await self.daily.post_now(actor)

    @guarded
    async def skip_today(self, actor: Actor) -> Reply:
        return await self.daily.skip_today(actor)

    @guarded
    async def close_now(self, actor: Actor) -> Reply:
        return await self.daily.close_now(actor)

    # scheduled ---------------------------------------------------------------------------

    async def post_due(self, community_id: int) -> None:
        try:
            await self.daily.post_due(community_id)
        except Exception:
            log.exception("scheduled post for community %s failed", community_id)

    async def tick(self) -> None:
        """Close what is due, finish interrupted acts and checkpoint SQLite's log; runs every
        half minute."""
        try:
            await self.daily.close_due()
        except Exception:
            log.exception("closing due posts failed")
        try:
            await self.mock.send_checkins()
        except Exception:
            log.exception("mock-interview check-ins failed")
        try:
            await self.ctx.storage.maintain()
        except Exception:
            log.warning("checkpoint skipped", exc_info=True)

    async def catch_up(self) -> None:
        await self.daily.catch_up()
