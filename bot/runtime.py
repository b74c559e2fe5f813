"""Process settings for a long-running bot."""

from __future__ import annotations

import gc

GC_THRESHOLDS = (20_000, 20, 50)


def tune_gc() -> None:
    """Collect garbage less often, and never re-scan what startup loaded.

    The bot allocates many short-lived objects per answer; with CPython's default thresholds
    a full collection stalls an answer burst for tens of milliseconds (measured in
    `bench/answers.py`). Objects alive after startup (the question bank, SQLAlchemy's
    metadata and compiled statements) are frozen out of collections altogether.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
