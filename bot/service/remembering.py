"""Every graded answer updates the member's review card for its question (FSRS, see
`bot.domain.reviews`), inside the unit of work that records the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.reviews import ReviewCard, rating_for, reviewed
from bot.ports import UnitOfWork


@dataclass(frozen=True)
class Graded:
    """One member's graded answer to a question: the credit, how long they took when known,
    and whether a hint or the model answer was shown first."""

    member_id: int
    fraction: float
    seconds: float | None = None
    helped: bool = False


async def remember(
    uow: UnitOfWork,
    question_id: str,
    grades: Sequence[Graded],
    now: datetime,
) -> dict[int, ReviewCard]:
    """Update each member's card for one question, inside the caller's unit of work; the new
    cards by member id."""
    if not grades:
        return {}
    before = await uow.reviews.cards([g.member_id for g in grades], question_id)
    after = {
        g.member_id: reviewed(
            before.get(g.member_id),
            g.member_id,
            question_id,
            rating_for(g.fraction, g.seconds, g.helped),
            now,
        )
        for g in grades
    }
    await uow.reviews.save(list(after.values()))
    return after


def due_date(due: datetime, zone: str) -> str:
    return due.astimezone(ZoneInfo(zone)).strftime("%a %d %b")
