"""Leaderboards read the maintained aggregates: ranks, ties, periods and topics."""

from datetime import UTC, datetime

from tests.conftest import ADMIN, configure, member


async def answer_round(app, chat, right: set[int], everyone: range) -> None:
    await app.post_now(ADMIN)
    card = chat.posted[-1][1]
    correct = next(i for i, a in enumerate(card.actions) if a.label == "B")
    for i in everyone:
        choice = correct if i in right else 0
        reply = await app.handle_action(member(f"u{i:02d}", f"M{i:02d}"), card.actions[choice].id)
        assert reply.text.startswith("Recorded")
    await app.close_now(ADMIN)


async def test_own_rank_outside_the_top_ten_and_ties_share_a_rank(app, chat):
    await configure(app, kinds="mc", difficulty="easy")  # the easy question: B, 10 points
    everyone = range(15)
    await answer_round(app, chat, right=set(range(0, 15, 1)) - {12, 13, 14}, everyone=everyone)
    await answer_round(app, chat, right={0, 1, 2}, everyone=everyone)

    last = await app.leaderboard(member("u14", "M14"), "all")
    board = last.board
    assert len(board.rows) == 10 and board.members == 15
    assert [(r.rank, r.points) for r in board.rows[:4]] == [(1, 20), (1, 20), (1, 20), (4, 10)]
    assert board.me.rank == 13 and board.me.points == 0
    assert "13. M14 — 0 pts (you)" in last.text

    middle = await app.leaderboard(member("u05", "M05"), "week")
    assert middle.board.me.rank == 4


async def test_topic_and_month_boards_and_bad_periods(app, chat, clock):
    await configure(app, kinds="mc", difficulty="easy")
    await answer_round(app, chat, right={1}, everyone=range(3))
    topic = await app.leaderboard(member("u01", "M01"), "month", "basics")
    assert topic.board.title == "Leaderboard, this month — Basics"
    assert topic.board.rows[0].name == "M01"
    clock.set(datetime(2027, 1, 5, 12, 0, tzinfo=UTC))
    new_month = await app.leaderboard(member("u01", "M01"), "month")
    assert new_month.board.rows == () and "No scores yet" in new_month.text
    still = await app.leaderboard(member("u01", "M01"), "all")
    assert still.board.me.points == 10
    bad = await app.leaderboard(member("u01", "M01"), "fortnight")
    assert "week, month or all" in bad.text
    unknown_topic = await app.leaderboard(member("u01", "M01"), "all", "astrology")
    assert "not a topic" in unknown_topic.text
