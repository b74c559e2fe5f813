"""APScheduler jobs follow each community's settings, in its own time zone."""

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.date import DateTrigger

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


async def test_stopping_lets_running_jobs_end_and_cancels_one_that_outlasts_the_grace(app):
    scheduler = DailyScheduler(app, tick_seconds=3600)
    await scheduler.start()
    ended: list[str] = []

    async def paced_fan_out() -> None:
        await asyncio.sleep(0.2)
        ended.append("finished")

    async def stuck() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            ended.append("cancelled")
            raise

    for name, act in (("fan-out", paced_fan_out), ("stuck", stuck)):
        scheduler._add(name, DateTrigger(datetime.now(UTC)), act)
    for _ in range(200):
        if len(scheduler._running) == 2:
            break
        await asyncio.sleep(0.01)
    assert len(scheduler._running) == 2

    await scheduler.stop(grace=1)
    assert sorted(ended) == ["cancelled", "finished"]
    assert not scheduler.scheduler.running and not scheduler._running
