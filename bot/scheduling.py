"""APScheduler wiring. Per community: the daily post, the weekly mock-interview round (Mondays
09:00 unless admins choose otherwise) and its announcement the day before, all in the
community's time zone, rebuilt from the database at start and whenever settings change; plus a
tick that closes due posts, sends check-ins and resumes interrupted introductions.

Stopping lets the jobs that are running finish, for a while: a paced fan-out of messages that
is cancelled half-way leaves the rest to the next process's tick, but the one message in
flight is claimed already and would be lost."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import Studybot
from bot.domain.community import WEEKDAYS, Community

log = logging.getLogger(__name__)


class DailyScheduler:
    def __init__(self, app: Studybot, *, tick_seconds: float = 30) -> None:
        self.app = app
        self.tick_seconds = tick_seconds
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )
        self._running: set[asyncio.Task[object]] = set()

    def job_id(self, community: Community) -> str:
        return f"post:{community.id}"

    def schedule(self, community: Community) -> None:
        """(Re)create the community's daily job from its current settings."""
        settings = community.settings
        job_id = self.job_id(community)
        if settings.paused or not settings.channel_id:
            for job in (job_id, f"pairs:{community.id}", f"pairs-announce:{community.id}"):
                if self.scheduler.get_job(job):
                    self.scheduler.remove_job(job)
            return
        zone = ZoneInfo(settings.timezone)
        day_before = WEEKDAYS[(WEEKDAYS.index(settings.pair_day) - 1) % 7]
        jobs = (
            (job_id, self.app.post_due, "*", settings.post_time),
            (
                f"pairs:{community.id}",
                self.app.run_pairing_round,
                settings.pair_day,
                settings.pair_time,
            ),
            (
                f"pairs-announce:{community.id}",
                self.app.announce_pairing_round,
                day_before,
                settings.pair_time,
            ),
        )
        for name, act, day, at in jobs:
            trigger = CronTrigger(day_of_week=day, hour=at.hour, minute=at.minute, timezone=zone)
            self._add(name, trigger, act, community.id)

    def _add(
        self,
        job_id: str,
        trigger: BaseTrigger,
        act: Callable[..., Awaitable[object]],
        *args: object,
    ) -> None:
        self.scheduler.add_job(
            self._tracked, trigger, args=[act, *args], id=job_id, replace_existing=True
        )

    async def _tracked(self, act: Callable[..., Awaitable[object]], *args: object) -> None:
        """Run a job, known as running until it ends, so that `stop` can wait for it."""
        task = asyncio.current_task()
        assert task is not None  # APScheduler runs a coroutine job as a task of its own
        self._running.add(task)
        try:
            await act(*args)
        finally:
            self._running.discard(task)

    async def start(self) -> None:
        """Build the jobs, start the scheduler (inside the running loop) and catch up on what
        was missed while the bot was down."""
        for community in await self.app.communities():
            self.schedule(community)
        self._add("tick", IntervalTrigger(seconds=self.tick_seconds), self.app.tick)
        self._add("nudges", IntervalTrigger(seconds=60), self.app.send_nudges)
        self.app.settings_listeners.append(self.schedule)
        self.scheduler.start()
        await self.app.catch_up()

    async def stop(self, grace: float) -> None:
        """Start no more jobs, give the running ones up to `grace` seconds to end, then cancel
        the rest and let them unwind (before the database closes under them)."""
        if self.scheduler.running:
            self.scheduler.pause()
        running = set(self._running)
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            if late:
                log.warning("stopping: %d scheduled job(s) still running, cancelled", len(late))
        self.shutdown()
        if running:
            await asyncio.wait(running, timeout=1)

    def shutdown(self) -> None:
        if self.app.settings_listeners.count(self.schedule):
            self.app.settings_listeners.remove(self.schedule)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
