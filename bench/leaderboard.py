"""Leaderboard at 100,000 members and 2,000,000 answers: top 10 plus one member's rank.

The core reads the maintained aggregates (`score_totals`); the baseline in the same run is the
naive query, a GROUP BY over every answer. Run: `python -m bench.leaderboard`.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.common import bench_bank, describe
from bot.bootstrap import connect
from bot.domain.scoring import period_keys
from bot.ports import Actor, UserRef
from bot.runtime import tune_gc
from bot.storage.migrate import upgrade

MEMBERS = 100_000
ANSWERS = 2_000_000
POSTS = 400
SAMPLES = 300
DAY0 = date(2026, 1, 1)


def seed(path: Path) -> None:
    """Write members, posts, answers and their aggregates straight into the file, as months
    of daily questions would have left them."""
    rng = random.Random(42)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    conn.execute(
        "INSERT INTO communities (id, platform, workspace_id, name, channel_id, post_time, "
        "timezone, topics, kinds, difficulty_mix, packs, admin_user_ids, paused, created_at, "
        "updated_at) VALUES (1, 'bench', 'W', 'Bench', 'C', '09:00', 'UTC', '[]', "
        '\'["multiple_choice"]\', \'{"1": 1, "2": 1, "3": 1}\', \'["core"]\', \'[]\', 0, ?, ?)',
        (now, now),
    )
    conn.executemany(
        "INSERT INTO members (id, community_id, user_id, display_name, created_at) "
        "VALUES (?, 1, ?, ?, ?)",
        ((i, f"u{i}", f"Member {i}", now) for i in range(1, MEMBERS + 1)),
    )
    topics = ["algorithms", "evaluation", "ethics", "frameworks"]
    post_topic = {}
    post_day = {}
    for p in range(1, POSTS + 1):
        day = DAY0 + timedelta(days=p - 1)
        post_topic[p], post_day[p] = topics[p % len(topics)], day
        conn.execute(
            "INSERT INTO posts (id, community_id, run_key, seq, local_date, status, question_id, "
            "topic, question, attempts, created_at) VALUES (?, 1, ?, ?, ?, 'revealed', ?, ?, "
            "'{}', 0, ?)",
            (p, day.isoformat(), p, day.isoformat(), f"q{p}", post_topic[p], now),
        )
    totals: dict[tuple[str, str, str, int], list[int]] = {}
    activity = [rng.paretovariate(1.2) for _ in range(MEMBERS)]
    weight_sum = sum(activity)
    per_member = [max(1, round(ANSWERS * a / weight_sum)) for a in activity]
    rows = []
    count = 0
    for index, n in enumerate(per_member):
        member_id = index + 1
        n = min(n, POSTS)
        for p in rng.sample(range(1, POSTS + 1), n):
            if count >= ANSWERS:
                break
            points = rng.choice((0, 10, 20, 30))
            rows.append((p, member_id, points // 10, now, points, points > 0))
            count += 1
            for period, key in period_keys(post_day[p]):
                for topic in ("", post_topic[p]):
                    total = totals.setdefault((period, key, topic, member_id), [0, 0, 0])
                    total[0] += points
                    total[1] += 1
                    total[2] += points > 0
        if len(rows) >= 200_000:
            conn.executemany(
                "INSERT INTO answers (post_id, member_id, choice, answered_at, points, correct) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            rows.clear()
    conn.executemany(
        "INSERT INTO answers (post_id, member_id, choice, answered_at, points, correct) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO score_totals (community_id, period, period_key, topic, member_id, points, "
        "answered, correct) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
        ((*key, *value) for key, value in totals.items()),
    )
    histogram: dict[tuple[str, str, str, int], int] = {}
    for (period, key, topic, _member), (points, _answered, _correct) in totals.items():
        bucket = (period, key, topic, points)
        histogram[bucket] = histogram.get(bucket, 0) + 1
    conn.executemany(
        "INSERT INTO score_counts (community_id, period, period_key, topic, points, members) "
        "VALUES (1, ?, ?, ?, ?, ?)",
        ((*bucket, n) for bucket, n in histogram.items()),
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def naive_board(path: Path, member_id: int) -> float:
    """The query a bot without aggregates runs: sum every answer, then rank."""
    conn = sqlite3.connect(path)
    start = time.perf_counter()
    conn.execute(
        "SELECT a.member_id, m.display_name, SUM(a.points) AS total FROM answers a "
        "JOIN members m ON m.id = a.member_id GROUP BY a.member_id ORDER BY total DESC LIMIT 10"
    ).fetchall()
    conn.execute(
        "WITH t AS (SELECT member_id, SUM(points) AS total FROM answers GROUP BY member_id) "
        "SELECT COUNT(*) + 1 FROM t WHERE total > (SELECT total FROM t WHERE member_id = ?)",
        (member_id,),
    ).fetchone()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "board.db"
        url = f"sqlite+aiosqlite:///{path}"
        await upgrade(url)
        started = time.perf_counter()
        seed(path)
        seeded = time.perf_counter() - started
        app = connect(url, bench_bank()).app
        tune_gc()
        rng = random.Random(1)
        who = [rng.randrange(1, MEMBERS + 1) for _ in range(SAMPLES)]
        # warm the pool and the statement cache, as a running bot has
        await app.leaderboard(Actor(UserRef("bench", "W", "u1"), "Member 1"), "all")

        query_times, use_case_times = [], []
        for member_id in who:
            start = time.perf_counter()
            top, mine, total = await app.storage.read(
                lambda uow, m=member_id: uow.scores.board(1, "all", "all", "", m)
            )
            query_times.append(time.perf_counter() - start)
            assert len(top) == 10 and mine is not None and total > 90_000
            actor = Actor(UserRef("bench", "W", f"u{member_id}"), f"Member {member_id}")
            start = time.perf_counter()
            reply = await app.leaderboard(actor, "all")
            use_case_times.append(time.perf_counter() - start)
            assert reply.board is not None and reply.board.me is not None
        # the worst case for counting ranks: a member with the fewest points
        top, mine, total = await app.storage.read(
            lambda uow: uow.scores.board(1, "all", "all", "", who[0])
        )
        await app.close()
        naive = [naive_board(path, m) for m in who[:3]]

    print(
        f"Leaderboard: {MEMBERS:,} members, {ANSWERS:,} answers (SQLite; seeded in {seeded:.0f} s)"
    )
    print(f"  board query (top 10 + own rank)  {describe(query_times)}")
    print(f"  whole /quiz leaderboard use case {describe(use_case_times)}")
    print(f"  naive GROUP BY over answers      {describe(naive)}")
    print(
        f"  speed-up at the median: {sorted(naive)[1] / sorted(query_times)[SAMPLES // 2]:,.0f}x"
        "   (target: <= 5 ms for top 10 + rank)"
    )


if __name__ == "__main__":
    asyncio.run(main())
