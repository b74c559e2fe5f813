"""What studybot holds about one member of one community: the facts `/quiz privacy` reports
and `/quiz forget-me` deletes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

CONFIRM_WITHIN = timedelta(minutes=10)
"""How long a forget-me confirmation button stays valid: long enough to read the list, short
enough that an old message scrolled back to cannot delete anything by surprise."""


@dataclass(frozen=True)
class StoredData:
    """`member_id` is None when only `setup_contact` is held (an admin who ran setup and never
    answered, practised or joined)."""

    member_id: int | None
    display_name: str
    timezone: str | None
    daily_answers: int
    practice_sessions: int
    board_rows: int
    all_time_points: int
    streak_best: int
    pairing_profile: bool
    mock_rounds: int
    feedback_given: int
    setup_contact: bool
    review_cards: int = 0
    review_nudge: bool = False
    review_days: int = 0
    practice_rating: bool = False


def issued_stamp(now: datetime) -> int:
    """The minute a confirmation was offered, as it travels in a button id."""
    return int(now.timestamp() // 60)


def confirmation_expired(issued: int, now: datetime) -> bool:
    return now.timestamp() - issued * 60 > CONFIRM_WITHIN.total_seconds()


def contact_only(display_name: str) -> StoredData:
    return StoredData(None, display_name, None, 0, 0, 0, 0, 0, False, 0, 0, True)
