"""APScheduler wiring. Per community: the daily post, the weekly mock-interview round (Mondays
09:00 unless admins choose otherwise) and its announcement the day before, all in the
community's time zone, rebuilt from the database at start and whenever settings change; plus a
tick that closes due posts and sends check-ins."""

from __future__ import annotations

import logging
from datetime import UTC
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
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
            self.scheduler.add_job(
                act, trigger, args=[community.id], id=name, replace_existing=True
            )

    async def start(self) -> None:
        """Build the jobs, start the scheduler (inside the running loop) and catch up on what
        was missed while the bot was down."""
        for community in await self.app.communities():
            self.schedule(community)
        self.scheduler.add_job(
            self.app.tick,
            IntervalTrigger(seconds=self.tick_seconds),
            id="tick",
            replace_existing=True,
        )
        self.scheduler.add_job(
            self.app.send_nudges,
            IntervalTrigger(seconds=60),
            id="nudges",
            replace_existing=True,
        )
        self.app.settings_listeners.append(self.schedule)
        self.scheduler.start()
        await self.app.catch_up()

    def shutdown(self) -> None:
        if self.app.settings_listeners.count(self.schedule):
            self.app.settings_listeners.remove(self.schedule)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
