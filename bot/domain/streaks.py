"""Streaks: consecutive days answered, counted in the member's own time zone.

A streak is broken only by a daily question the member left unanswered. Days with no
question (a skipped day, the bot being down) do not break it, and two questions answered on
the same local day count as one day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class Streak:
    current: int = 0
    best: int = 0
    last_day: date | None = None
    last_seq: int | None = None

    def after_answer(self, post_seq: int, day: date) -> Streak:
        """The streak after answering the community's post number `post_seq` on local `day`."""
        if self.last_seq is not None and post_seq <= self.last_seq:
            return self
        continues = self.last_seq is not None and post_seq == self.last_seq + 1
        if not continues:
            current = 1
        elif self.last_day is None or day > self.last_day:
            current = self.current + 1
        else:
            current = self.current
        return replace(
            self,
            current=current,
            best=max(self.best, current),
            last_day=day if self.last_day is None else max(day, self.last_day),
            last_seq=post_seq,
        )

    def shown(self, latest_closed_seq: int | None) -> int:
        """The streak as it stands: zero once a closed post went unanswered."""
        if self.last_seq is None:
            return 0
        if latest_closed_seq is not None and latest_closed_seq > self.last_seq:
            return 0
        return self.current
