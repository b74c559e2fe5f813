"""`/quiz privacy` and `/quiz forget-me` on a real database: what is reported is what is
stored, and erasing a member leaves every leaderboard consistent."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot import commands as c
from bot.storage.tables import members, score_counts, score_totals
from tests.conftest import ADMIN, configure, member
from tests.integration.test_leaderboard import answer_round

ANA, BEN = member("u01", "M01"), member("u02", "M02")


async def boards_are_consistent(app) -> None:
    """Every board's histogram counts exactly the members holding each score."""
    engine = app.storage.db.read
    async with engine.connect() as conn:
        held = (
            await conn.execute(
                select(
                    score_totals.c.period,
                    score_totals.c.period_key,
                    score_totals.c.topic,
                    score_totals.c.points,
                    func.count(),
                ).group_by(
                    score_totals.c.period,
                    score_totals.c.period_key,
                    score_totals.c.topic,
                    score_totals.c.points,
                )
            )
        ).all()
        counted = (
            await conn.execute(
                select(
                    score_counts.c.period,
                    score_counts.c.period_key,
                    score_counts.c.topic,
                    score_counts.c.points,
                    score_counts.c.members,
                )
            )
        ).all()
    assert sorted(tuple(r) for r in held) == sorted(tuple(r) for r in counted)


async def member_rows(app) -> int:
    async with app.storage.db.read.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(members))).scalar_one()


async def test_privacy_for_someone_new_stores_nothing(app):
    await configure(app)
    before = await member_rows(app)
    reply = await app.handle(member("new", "Newcomer"), c.ShowPrivacy())
    assert "stores nothing about you" in reply.text
    asked = await app.handle(member("new", "Newcomer"), c.AskToForget())
    assert "stores nothing about you" in asked.text and asked.actions == ()
    assert await member_rows(app) == before  # asking stored nothing


async def test_privacy_lists_what_is_stored(app, chat):
    await configure(app, kinds="mc", difficulty="easy")
    await answer_round(app, chat, right={1}, everyone=range(3))
    await app.practice(ANA)
    await app.set_timezone(ANA, "Europe/Berlin")
    await app.pair_join(ANA, "Mon-Thu 18:00-21:00", "Europe/Berlin")

    reply = await app.handle(ANA, c.ShowPrivacy())
    assert reply.title == "What studybot stores about you"
    assert "(**M01**)" in reply.text and "(Europe/Berlin)" in reply.text
    assert "1 daily answer:" in reply.text
    assert "1 practice question" in reply.text
    assert "10 all time" in reply.text and "(best: 1 day)" in reply.text
    assert "your mock-interview profile" in reply.text
    assert "0 mock-interview rounds and 0 feedback forms" in reply.text
    assert "forget-me" in reply.text


async def test_forget_me_deletes_everything_and_the_boards_stay_consistent(app, chat):
    await configure(app, kinds="mc", difficulty="easy")
    await answer_round(app, chat, right={1, 2}, everyone=range(4))
    await answer_round(app, chat, right={1}, everyone=range(4))
    await app.practice(BEN)
    await app.pair_join(BEN, "weekdays 17:00-20:00", "Europe/London")
    first = (await app.leaderboard(member("u00", "M00"), "all")).board
    assert [r.name for r in first.rows[:2]] == ["M01", "M02"] and first.members == 4

    ask = await app.handle(BEN, c.AskToForget())
    assert "2 daily answers" in ask.text and "Press **Delete my data**" in ask.text
    (button,) = ask.actions
    assert button.label == "Delete my data" and button.style == "danger"
    assert "nothing was deleted" in (await app.handle_action(ANA, button.id)).text

    done = await app.handle_action(BEN, button.id)
    assert done.title == "Your studybot data is deleted"
    assert "2 daily answers, 1 practice question" in done.text
    assert "your mock-interview profile" in done.text

    board = (await app.leaderboard(member("u00", "M00"), "all")).board
    assert [r.name for r in board.rows] == ["M01", "M00", "M03"] and board.members == 3
    assert [r.rank for r in board.rows] == [1, 2, 2]
    await boards_are_consistent(app)
    left = await app.handle(BEN, c.ShowPrivacy())
    assert "stores nothing about you" in left.text
    again = await app.handle_action(BEN, button.id)
    assert again.text.startswith("Nothing is stored about you here any more")
    assert "haven't joined" in (await app.pair_status(BEN)).text

    # answering again starts afresh, as a new member
    await answer_round(app, chat, right={2}, everyone=range(4))
    fresh = (await app.leaderboard(BEN, "all")).board
    assert fresh.me.points == 10 and fresh.members == 4
    await boards_are_consistent(app)


async def test_an_expired_confirmation_deletes_nothing(app, chat, clock):
    await configure(app, kinds="mc", difficulty="easy")
    await answer_round(app, chat, right={1}, everyone=range(2))
    ask = await app.handle(ANA, c.AskToForget())
    clock.advance(minutes=11)
    expired = await app.handle_action(ANA, ask.actions[0].id)
    assert "expired" in expired.text and "nothing was deleted" in expired.text
    assert "1 daily answer" in (await app.handle(ANA, c.ShowPrivacy())).text


async def test_forgetting_a_mock_interviewer_removes_their_feedback_not_their_partners(
    app, chat, clock
):
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    ana, ben, chi = member("u1", "Ana"), member("u2", "Ben"), member("u3", "Chi")
    await app.pair_join(ana, "Mon-Thu 18:00-21:00", "Europe/Berlin")
    await app.pair_join(ben, "weekdays 17:00-20:00", "Europe/London")
    await app.pair_join(chi, "weekdays 17:00-20:00", "Europe/London")
    await app.pair_now(ADMIN)
    clock.advance(days=2, minutes=1)
    await app.tick()
    ratings = {"problem_solving": "3", "ml_knowledge": "4", "communication": "2", "structure": "3"}
    for person in (ana, ben):
        ask = next(m for u, m in chat.dms if u.user_id == person.user.user_id and m.actions)
        met = await app.handle_action(person, ask.actions[0].id)
        form = (await app.handle_action(person, met.actions[0].id)).form
        await app.submit_form(person, form.form_id, "Good session.", ratings)

    before = await app.handle(ana, c.ShowPrivacy())
    assert "1 mock-interview round and 1 feedback form" in before.text
    ask = await app.handle(ana, c.AskToForget())
    done = await app.handle_action(ana, ask.actions[0].id)
    assert "1 round, 1 feedback form" in done.text
    partner = await app.handle(ben, c.ShowPrivacy())
    assert "1 mock-interview round and 1 feedback form" in partner.text
    stats = await app.pair_stats(ADMIN)
    assert "feedback given" in stats.text
    await boards_are_consistent(app)


async def test_an_admin_who_only_ran_setup_is_told_and_can_be_forgotten(app):
    await configure(app)
    shown = await app.handle(ADMIN, c.ShowPrivacy())
    assert "- your user id as the admin told when posting fails" in shown.text
    assert "daily answer" not in shown.text
    ask = await app.handle(ADMIN, c.AskToForget())
    done = await app.handle_action(ADMIN, ask.actions[0].id)
    assert done.text.startswith("Deleted: your user id as the admin contact.")
    assert "stores nothing about you" in (await app.handle(ADMIN, c.ShowPrivacy())).text
