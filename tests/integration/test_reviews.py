"""Reviews on a real database: a miss comes back when FSRS says, a review answer moves it on,
and a member of two communities keeps two histories."""

from datetime import UTC, datetime

from bot import commands as c
from tests.conftest import configure, member

BEA = member("u1", "Bea")


async def miss_the_daily_question(app, chat, clock, who=BEA) -> str:
    """Bea answers A (wrong; B is right) and the question closes a day later."""
    await configure(app, kinds="mc", difficulty="easy")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await app.catch_up()
    card = chat.posted[-1][1]
    recorded = await app.handle_action(who, card.actions[0].id)
    assert recorded.text.startswith("Recorded **A**")
    clock.advance(days=1)
    await app.tick()
    assert chat.reveals, "the question closed"
    return card.prompt


async def test_a_missed_daily_question_is_due_the_next_day_and_a_right_review_moves_it_on(
    app, chat, clock
):
    assert "Nothing to review yet" in (await app.review(BEA)).text
    prompt = await miss_the_daily_question(app, chat, clock)

    early = await app.review(BEA)
    assert early.private
    assert early.text == "Nothing is due for review. Your next review is due on Thu 26 Nov."

    clock.advance(days=1)
    due = await app.review(BEA)
    assert due.title.startswith("Review (1 due)") and due.text.startswith(prompt)
    letters = {a.label: a.id for a in due.actions}
    clock.advance(seconds=40)  # not quick enough for Easy: a Good
    feedback = await app.press(BEA, letters["B"])
    assert feedback.text.startswith("**B** is right.")
    assert "Next review of this question: Sat 28 Nov" in feedback.text

    after = await app.review(BEA)
    assert after.text == (
        "Nothing is due for review. Your next review is due on Sat 28 Nov.\n"
        "Reviews done: 1 day in a row (best 1)."
    )
    board = await app.leaderboard(BEA, "all")
    assert [(r.name, r.points) for r in board.board.rows] == [("Bea", 0)]  # reviews score nothing


async def test_a_review_answered_after_a_hint_counts_as_hard(app, chat, clock):
    await miss_the_daily_question(app, chat, clock)
    clock.advance(days=1)
    due = await app.review(BEA)
    letters = {a.label: a.id for a in due.actions}
    await app.press(BEA, letters["Hint"])
    feedback = await app.press(BEA, letters["B"])
    assert "Next review of this question: Fri 27 Nov" in feedback.text  # sooner than Good


async def test_practice_answers_are_remembered_too(app, clock):
    started = await app.handle(BEA, c.StartPractice("basics", "easy"))
    letters = {a.label: a.id for a in started.actions}
    wrong = next(label for label in ("A", "B", "C") if label in letters)
    feedback = await app.press(BEA, letters[wrong])
    assert "Next review of this question:" in feedback.text
    again = await app.press(BEA, letters[wrong])
    assert "Next review" not in again.text  # a session's first answer is the one remembered


async def test_a_member_of_two_communities_keeps_two_review_histories(app, chat, clock):
    await miss_the_daily_question(app, chat, clock)
    elsewhere = member("u1", "Bea", workspace="W2")
    clock.advance(days=1)
    assert (await app.review(BEA)).title.startswith("Review (1 due)")
    assert "Nothing to review yet" in (await app.review(elsewhere)).text


async def test_forget_me_deletes_the_review_history(app, chat, clock):
    await miss_the_daily_question(app, chat, clock)
    shown = await app.handle(BEA, c.ShowPrivacy())
    assert "1 review card: when that question comes back" in shown.text
    asked = await app.handle(BEA, c.AskToForget())
    confirm = next(a.id for a in asked.actions if a.id.startswith("sb:fm:"))
    deleted = await app.press(BEA, confirm)
    assert "deleted" in deleted.text.lower()
    clock.advance(days=1)
    assert "Nothing to review yet" in (await app.review(BEA)).text
