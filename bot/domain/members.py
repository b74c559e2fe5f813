"""Members of a community as the core sees them, and their running totals."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.streaks import Streak


@dataclass(frozen=True)
class Member:
    id: int
    community_id: int
    user_id: str
    display_name: str
    timezone: str | None


@dataclass(frozen=True)
class MemberTotals:
    """A member's streak, daily questions answered, and all-time (points, answered, correct)
    per topic ("" is the overall board)."""

    streak: Streak | None = None
    answered: int = 0
    topics: dict[str, tuple[int, int, int]] = field(default_factory=dict)
