"""When a community's posts open and close, in its own time zone (DST-correct)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.community import MIN_WINDOW_MINUTES, CommunitySettings


def local_date(settings: CommunitySettings, moment: datetime) -> date:
    return moment.astimezone(settings.zone).date()


def scheduled_at(settings: CommunitySettings, day: date) -> datetime:
    """The UTC instant of the daily post on a local calendar day.

    A post time that does not exist on a spring-forward day (02:30 in a zone that jumps from
    02:00 to 03:00) resolves to the instant an hour later in wall time; one that exists twice
    on a fall-back day resolves to the first.
    """
    local = datetime.combine(day, settings.post_time, tzinfo=settings.zone)
    return local.astimezone(UTC)


def closes_at(settings: CommunitySettings, day: date, opened_at: datetime) -> datetime:
    """When a post for local `day`, opened at `opened_at`, stops taking answers.

    With no fixed window a post stays open until the next day's post, and never less than an
    hour, so a post made late still gets a fair window.
    """
    minimum = opened_at + timedelta(minutes=MIN_WINDOW_MINUTES)
    if settings.answer_window_minutes is None:
        end = scheduled_at(settings, day + timedelta(days=1))
    else:
        start = min(opened_at, scheduled_at(settings, day))
        end = start + timedelta(minutes=settings.answer_window_minutes)
    return max(end, minimum)


def due_days(settings: CommunitySettings, now: datetime) -> list[date]:
    """Local days whose daily post should exist by `now`, oldest first.

    Yesterday's counts while its window is still open (the bot was down at post time).
    """
    today = local_date(settings, now)
    days = []
    for day in (today - timedelta(days=1), today):
        opens = scheduled_at(settings, day)
        if opens <= now < closes_at(settings, day, opens) - timedelta(minutes=5):
            days.append(day)
    return days
