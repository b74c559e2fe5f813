"""Drawing the stats card: 50 cards for a member with a full year of daily answers, against
an empty figure of the same size saved as PNG in the same run (the floor matplotlib's Agg
canvas and the PNG encoder set). Target: p95 <= 300 ms. Run: `python -m bench.stats_card`.
"""

from __future__ import annotations

import io
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bench.common import percentile
from bot.charts import CARD_HEIGHT_PX, CARD_WIDTH_PX, DPI, group_card_png, member_card_png
from bot.domain.stats import (
    CALENDAR_DAYS,
    AnsweredDay,
    CoverageBar,
    GroupCard,
    MemberCard,
    MissedRow,
    TopicBar,
    member_card,
)

CARDS = 50
TARGET_P95_MS = 300.0
TODAY = date(2026, 11, 24)


def year_of_answers() -> MemberCard:
    rng = random.Random(3)
    days = [
        AnsweredDay(day, datetime(day.year, day.month, day.day, 12, tzinfo=UTC), points)
        for day in (TODAY - timedelta(days=i) for i in range(CALENDAR_DAYS))
        if rng.random() < 0.8  # most days, not all
        for points in [rng.choice((0, 10, 20, 30))]
    ]
    topics = tuple(
        TopicBar(name, answered, rng.randint(0, answered))
        for name, answered in (
            ("Algorithms", 60), ("Evaluation", 80), ("Ethics", 45), ("Frameworks", 70),
            ("Statistics", 40), ("Deep learning", 35), ("MLOps", 20), ("Data", 15),
        )
    )  # fmt: skip
    due = datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC)
    return member_card("Ada Lovelace", TODAY, "Europe/Berlin", days, topics, 7, due)


def busy_group() -> GroupCard:
    topics = tuple(CoverageBar(f"Topic {i}", 40 + i, 900 + 37 * i, 500 + 21 * i) for i in range(8))
    missed = tuple(
        MissedRow(f"A question whose prompt is long enough to be cut, number {i}", "T", 60, 40 - i)
        for i in range(5)
    )
    return GroupCard("Study group", 180, topics, missed)


def empty_figure() -> bytes:
    figure = Figure(figsize=(CARD_WIDTH_PX / DPI, CARD_HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def timed(draw: object, times: int) -> tuple[list[float], int]:
    samples = []
    size = 0
    for _ in range(times):
        start = time.perf_counter()
        size = len(draw())  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return samples, size


def line(label: str, samples: list[float], size: int) -> str:
    return (
        f"  {label:<38} p50 {statistics.median(samples):7.1f} ms   "
        f"p95 {percentile(samples, 95):7.1f} ms   max {max(samples):7.1f} ms   "
        f"{size / 1024:6.1f} KiB"
    )


def main() -> None:
    card, group = year_of_answers(), busy_group()
    member_card_png(card)  # warm up: fonts found and cached once per process
    group_card_png(group)
    empty_figure()
    baseline, baseline_size = timed(empty_figure, CARDS)
    members, member_size = timed(lambda: member_card_png(card), CARDS)
    groups, group_size = timed(lambda: group_card_png(group), CARDS)
    print(f"stats card, {CARD_WIDTH_PX}x{CARD_HEIGHT_PX} px PNG, {CARDS} renders each")
    print(line("baseline: empty figure, savefig", baseline, baseline_size))
    print(line("member card (a full year of answers)", members, member_size))
    print(line("group card (8 topics, 5 missed)", groups, group_size))
    p95 = percentile(members, 95)
    verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
    print(f"  member card p95 {p95:.1f} ms {verdict} the {TARGET_P95_MS:.0f} ms target")


if __name__ == "__main__":
    main()
