"""Helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
from pathlib import Path

from bot.question_bank import Bank, load_bank

TEST_BANK = Path(__file__).resolve().parent.parent / "tests" / "data" / "bank"


def bench_bank() -> Bank:
    return load_bank(TEST_BANK)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def describe(samples_s: list[float]) -> str:
    ms = [s * 1000 for s in samples_s]
    return (
        f"p50 {statistics.median(ms):7.2f} ms   p99 {percentile(ms, 99):7.2f} ms   "
        f"max {max(ms):7.2f} ms"
    )
