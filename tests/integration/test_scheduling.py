"""APScheduler jobs follow each community's settings, in its own time zone."""

import asyncio
from zoneinfo import ZoneInfo

from bot.commands import SetupChange
from bot.scheduling import DailyScheduler
from tests.conftest import ADMIN, configure


async def test_jobs_are_built_from_the_database_and_rebuilt_when_settings_change(app):
    await configure(app, timezone="America/Los_Angeles", time="09:00")
    scheduler = DailyScheduler(app, tick_seconds=3600)
    await scheduler.start()
    try:
        community = await app.ctx.community_by_id(1)
        job = scheduler.scheduler.get_job("post:1")
        local = job.next_run_time.astimezone(ZoneInfo("America/Los_Angeles"))
        assert (local.hour, local.minute) == (9, 0)
        assert scheduler.scheduler.get_job("tick") is not None

        await app.setup(ADMIN, SetupChange(time="18:30", timezone="Asia/Kolkata"))
        job = scheduler.scheduler.get_job("post:1")
        local = job.next_run_time.astimezone(ZoneInfo("Asia/Kolkata"))
        assert (local.hour, local.minute) == (18, 30)

        paused = community.settings.with_changes(paused=True)
        await app.ctx.save_settings(community, paused)
        assert scheduler.scheduler.get_job("post:1") is None
    finally:
        scheduler.shutdown()
        await asyncio.sleep(0)


async def test_mock_interview_jobs_follow_the_chosen_day_and_time(app):
    await configure(app, timezone="Asia/Kolkata")
    await app.setup(ADMIN, SetupChange(pair_day="wed", pair_time="18:30"))
    scheduler = DailyScheduler(app, tick_seconds=3600)
    await scheduler.start()
    try:
        zone = ZoneInfo("Asia/Kolkata")
        pairs = scheduler.scheduler.get_job("pairs:1").next_run_time.astimezone(zone)
        announce = scheduler.scheduler.get_job("pairs-announce:1").next_run_time.astimezone(zone)
        assert (pairs.strftime("%a %H:%M"), announce.strftime("%a %H:%M")) == (
            "Wed 18:30",
            "Tue 18:30",
        )
    finally:
        scheduler.shutdown()
        await asyncio.sleep(0)
