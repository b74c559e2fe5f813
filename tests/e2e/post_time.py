"""A post time that leaves the day's question open whenever a test runs."""

from datetime import UTC, datetime, timedelta


def open_now() -> dict[str, str]:
    """Settings for a post two hours ago, in UTC. A fixed post time would leave the five
    minutes before each post with no question open (yesterday's has closed, today's is not
    out yet), and a test run in those minutes would find none."""
    earlier = datetime.now(UTC) - timedelta(hours=2)
    return {"STUDYBOT_POST_TIME": earlier.strftime("%H:%M"), "STUDYBOT_TIMEZONE": "UTC"}
