"""`Studybot`: what adapters hold. Members' and admins' requests go through `handle` (a command,
see `bot.commands`), `press` (a button id) and `submit` (a form); each returns a `Reply`, never
raises. The scheduler calls the timed entry points at the bottom. Built by `bot.bootstrap`.

The named methods (`practice`, `setup`, …) are one-line shorthands for `handle` with the
matching command, for tests and scripts."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot import commands as c
from bot.bus import MessageBus
from bot.domain.community import Community
from bot.ports import Actor, ChatPort, Storage, StorageUnavailable
from bot.question_bank import Bank
from bot.render import Reply
from bot.service import actions
from bot.service.admin import Admin
from bot.service.answering import AnswerBatcher, Answering
from bot.service.context import Context
from bot.service.daily import DailyQuestions
from bot.service.export import Export
from bot.service.general import General
from bot.service.mock_interviews import MockInterviews
from bot.service.practice import Practice
from bot.service.privacy import Privacy
from bot.service.queries import Queries
from bot.service.reminders import Reminders
from bot.service.reviews import Reviews
from bot.service.stats_card import GroupStats
from bot.texts import SORRY

__all__ = ["SORRY", "Services", "Studybot"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    general: General
    daily: DailyQuestions
    answering: Answering
    practice: Practice
    queries: Queries
    group_stats: GroupStats
    admin: Admin
    mock: MockInterviews
    privacy: Privacy
    export: Export
    reviews: Reviews
    reminders: Reminders
    batcher: AnswerBatcher


class Studybot:
    def __init__(self, ctx: Context, services: Services, bus: MessageBus) -> None:
        self.ctx = ctx
        self.services = services
        self.bus = bus
        self._missed = False

    # what adapters call ------------------------------------------------------------------

    async def handle(self, actor: Actor, command: c.Command) -> Reply:
        return await self.bus.handle(actor, command)

    async def press(self, actor: Actor, action_id: str) -> Reply:
        """A button press. Ids come from the cards this core made (see `service.actions`)."""
        return await self.bus.handle(actor, actions.decode_button(action_id))

    async def submit(
        self, actor: Actor, form_id: str, text: str, fields: Mapping[str, str] | None = None
    ) -> Reply:
        """A submitted form: `text` is its main field, `fields` the others by field id."""
        return await self.bus.handle(actor, actions.decode_form(form_id, text, fields))

    @property
    def bank(self) -> Bank:
        return self.ctx.bank

    def attach_chat(self, platform: str, chat: ChatPort) -> None:
        self.ctx.chats[platform] = chat

    async def start_local_group(self, actor: Actor, name: str, channel_id: str) -> None:
        await self.services.general.start_local_group(actor, name, channel_id)

    async def database_ready(self) -> bool:
        """Whether the database answers now (for /readyz)."""
        try:
            await self.ctx.storage.ping()
        except StorageUnavailable:
            return False
        return True

    async def close(self) -> None:
        await self.services.batcher.close()
        if self.ctx.grader is not None:
            await self.ctx.grader.close()
        await self.ctx.storage.close()

    @property
    def storage(self) -> Storage:
        """For tests and benchmarks that inspect what was stored; adapters never use it."""
        return self.ctx.storage

    # shorthands --------------------------------------------------------------------------

    async def handle_action(self, actor: Actor, action_id: str) -> Reply:
        return await self.press(actor, action_id)

    async def submit_form(
        self, actor: Actor, form_id: str, text: str, extra: Mapping[str, str] | None = None
    ) -> Reply:
        return await self.submit(actor, form_id, text, extra)

    async def practice(
        self, actor: Actor, topic: str | None = None, difficulty: str | None = None
    ) -> Reply:
        return await self.handle(actor, c.StartPractice(topic, difficulty))

    async def scenario(self, actor: Actor, domain: str | None = None) -> Reply:
        return await self.handle(actor, c.StartScenario(domain))

    async def leaderboard(
        self, actor: Actor, period: str | None = None, topic: str | None = None
    ) -> Reply:
        return await self.handle(actor, c.ShowLeaderboard(period, topic))

    async def stats(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ShowStats())

    async def group_stats(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ShowGroupStats())

    async def streak(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ShowStreak())

    async def review(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.StartReview())

    async def remind(self, actor: Actor, *words: str) -> Reply:
        return await self.handle(actor, c.Remind(tuple(words)))

    async def export(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ExportMyData())

    async def set_timezone(self, actor: Actor, timezone: str) -> Reply:
        return await self.handle(actor, c.SetTimezone(timezone))

    async def help(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ShowHelp())

    async def current_card(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ShowCurrentQuestion())

    async def pair_join(
        self,
        actor: Actor,
        availability: str,
        timezone: str | None = None,
        role: str | None = None,
        level: str | None = None,
    ) -> Reply:
        return await self.handle(actor, c.JoinPairing(availability, timezone, role, level))

    async def pair_leave(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.LeavePairing())

    async def pair_pause(self, actor: Actor, rounds: str) -> Reply:
        return await self.handle(actor, c.PausePairing(rounds))

    async def pair_status(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ShowPairingStatus())

    async def pair_now(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.PairNow())

    async def pair_stats(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ShowPairingStats())

    async def setup(self, actor: Actor, change: c.SetupChange) -> Reply:
        return await self.handle(actor, c.ChangeSetup(change))

    async def settings(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.ShowSettings())

    async def post_now(self, actor: Actor, replace: bool = False) -> Reply:
        return await self.handle(actor, c.PostNow(replace))

    async def skip_today(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.SkipToday())

    async def close_now(self, actor: Actor) -> Reply:
        return await self.handle(actor, c.CloseNow())

    # scheduled ---------------------------------------------------------------------------

    async def communities(self) -> list[Community]:
        return await self.ctx.all_communities()

    @property
    def settings_listeners(self) -> list[Callable[[Community], None]]:
        """Called with a community whenever its settings change (the scheduler reschedules)."""
        return self.ctx.on_settings_changed

    async def _timed(self, act: Awaitable[object], what: str) -> bool:
        """Run a scheduled act; a failure is logged (an unreachable database only by the
        storage, once per outage) and remembered, so that the next tick catches up."""
        try:
            await act
        except StorageUnavailable:
            self._missed = True
            return False
        except Exception:
            log.exception("%s failed", what)
            return False
        return True

    async def post_due(self, community_id: int) -> None:
        await self._timed(
            self.services.daily.post_due(community_id),
            f"scheduled post for community {community_id}",
        )

    async def announce_pairing_round(self, community_id: int) -> None:
        await self._timed(
            self.services.mock.announce(community_id),
            f"mock-interview announcement for community {community_id}",
        )

    async def run_pairing_round(self, community_id: int) -> None:
        await self._timed(
            self.services.mock.run_round(community_id),
            f"pairing round for community {community_id}",
        )

    async def tick(self) -> None:
        """Close what is due, finish interrupted acts and checkpoint SQLite's log; runs every
        half minute. After the database was unreachable, it also posts what was missed."""
        if await self._timed(self.services.daily.close_due(), "closing due posts") and self._missed:
            self._missed = False
            await self._timed(self.catch_up(), "catching up after a database outage")
        await self._timed(self.services.mock.send_checkins(), "mock-interview check-ins")
        await self._timed(
            self.services.mock.resume_introductions(), "resuming mock-interview introductions"
        )
        try:
            await self.ctx.storage.maintain()
        except Exception:
            log.debug("checkpoint skipped", exc_info=True)

    async def send_nudges(self) -> None:
        """Send the review nudges whose time has come (a job of its own: a fan-out to many
        members is paced and may outlast a tick)."""
        await self._timed(self.services.reminders.send_due(), "review nudges")

    async def catch_up(self) -> None:
        await self.services.daily.catch_up()
