"""The daily loop end to end on a real database: post, answer, close, reveal, score."""

from datetime import UTC, datetime, timedelta

from bot.domain.posts import PostStatus
from tests.conftest import ADMIN, configure, member


async def test_a_member_answers_the_daily_question_and_moves_up_the_leaderboard(app, chat, clock):
    await configure(app, kinds="mc", difficulty="easy")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await app.catch_up()
    assert len(chat.posted) == 1
    channel, card = chat.posted[0]
    assert channel.channel_id == "C1" and card.options and len(card.actions) == 3

    reply = await app.handle_action(member("u1", "Bea"), card.actions[1].id)
    assert reply.private and reply.text.startswith("Recorded **B**")
    wrong = await app.handle_action(member("u2", "Cy"), card.actions[0].id)
    assert wrong.text.startswith("Recorded **A**")

    clock.advance(days=1)
    await app.tick()
    reveal = chat.reveals[0][1]
    assert reveal.answered == 2
    assert dict(reveal.distribution) == {"A": 1, "B": 1, "C": 0}
    assert reveal.right == ("Bea",)
    assert chat.closed[0][1].closed and not chat.closed[0][1].actions
    assert chat.reveals[0][2] is not None  # the reveal is threaded on the question

    board = await app.leaderboard(member("u2", "Cy"), "week")
    assert [(r.name, r.points) for r in board.board.rows] == [("Bea", 10), ("Cy", 0)]
    assert board.board.me.rank == 2


async def test_a_second_answer_is_refused_and_says_what_was_recorded(app, chat):
    await configure(app, kinds="mc")
    await app.post_now(ADMIN)
    card = chat.posted[0][1]
    first = await app.handle_action(member("u1"), card.actions[0].id)
    second = await app.handle_action(member("u1"), card.actions[2].id)
    assert first.text.startswith("Recorded **A**")
    assert second.text.startswith("You already answered question #1: **A**")
    await app.close_now(ADMIN)
    assert chat.reveals[0][1].answered == 1


async def test_free_text_answers_score_by_key_points_and_the_member_sees_which_they_hit(
    app, chat, clock
):
    await configure(app, kinds="open")
    await app.post_now(ADMIN)
    card = chat.posted[0][1]
    form = await app.handle_action(member("u1"), card.actions[0].id)
    assert form.form is not None and "1500" in form.form.label
    empty = await app.submit_form(member("u1"), form.form.form_id, "   ")
    assert "empty" in empty.text
    reply = await app.submit_form(
        member("u1"),
        form.form.form_id,
        "Simple models underfit (high bias), complex ones overfit; choose by validation.",
    )
    assert reply.text.startswith("Recorded your answer")
    early = await app.handle_action(member("u1"), f"sb:r:{card.post_id}")
    assert "Results come with the reveal" in early.text
    await app.close_now(ADMIN)
    result = await app.handle_action(member("u1"), f"sb:r:{card.post_id}")
    assert "3 of 4 key points" in result.text and "+15 points" in result.text
    assert "✗ Error decomposes" in result.text
    assert "✓ Simple models underfit with high bias — found “high bias”" in result.text


async def test_answers_after_the_close_are_refused_and_change_nothing(app, chat, clock):
    await configure(app, kinds="mc")
    await app.post_now(ADMIN)
    card = chat.posted[0][1]
    clock.advance(days=2)
    late = await app.handle_action(member("u1"), card.actions[0].id)
    assert "closed" in late.text
    await app.tick()
    assert chat.reveals[0][1].answered == 0


async def test_stale_and_foreign_buttons_get_a_clear_message(app, chat):
    await configure(app, kinds="mc")
    for bad in ("sb:a:999:0", "garbage", "sb:a:x:1", "sb:zz:1"):
        reply = await app.handle_action(member("u1"), bad)
        assert reply.private and "Traceback" not in reply.text and reply.text


async def test_a_question_from_another_community_cannot_be_answered(app, chat):
    await configure(app, kinds="mc")
    await app.post_now(ADMIN)
    card = chat.posted[0][1]
    outsider = member("u9", workspace="W2")
    reply = await app.handle_action(outsider, card.actions[0].id)
    assert "don't know that question" in reply.text


async def test_admin_commands_are_refused_without_the_admin_flag(app, chat):
    await configure(app)
    for call in (app.post_now, app.skip_today, app.close_now):
        reply = await call(member("u1"))
        assert reply.text == "Only a community admin can do that."
    assert chat.posted == []


async def test_skip_today_prevents_the_scheduled_post(app, chat, clock):
    await configure(app, time="18:00")
    reply = await app.skip_today(ADMIN)
    assert reply.text.startswith("Skipped today's question")
    clock.set(datetime(2026, 11, 24, 18, 1, tzinfo=UTC))
    await app.catch_up()
    assert chat.posted == []


async def test_a_refused_post_is_recorded_for_admins_and_retried(app, chat, clock):
    await configure(app)
    chat.refuse = "studybot cannot send messages in #C1: give it Send Messages there."
    reply = await app.post_now(ADMIN)
    assert "retried automatically" in reply.text and "Send Messages" in reply.text
    settings = await app.settings(ADMIN)
    assert "Send Messages" in settings.text
    assert len(chat.dms) == 1  # the admin who ran setup hears about it once
    assert chat.dms[0][0].user_id == ADMIN.user.user_id
    assert "try again every 10 minutes" in chat.dms[0][1].text
    chat.refuse = None
    clock.advance(minutes=11)
    await app.tick()
    assert len(chat.posted) == 1
    post = await app.storage.read(lambda uow: uow.posts.current(1))
    assert post is not None and post.status is PostStatus.OPEN
    assert await app.storage.read(lambda uow: uow.communities.problem(1)) is None


async def test_invalid_settings_are_refused_and_nothing_changes(app):
    await configure(app, time="07:30")
    for change, fragment in (
        ({"timezone": "Mars/Base"}, "not a known time zone"),
        ({"time": "7.30"}, "HH:MM"),
        ({"topics": "astrology"}, "Topics: basics"),
        ({"window": "5m"}, "between 1 hour"),
        ({"difficulty": "extreme"}, "not a difficulty"),
    ):
        from bot.commands import SetupChange

        reply = await app.setup(ADMIN, SetupChange(**change))
        assert fragment in reply.text
    shown = await app.settings(ADMIN)
    assert "07:30 UTC" in shown.text


async def test_practice_gives_instant_feedback_and_never_touches_the_leaderboard(app):
    await configure(app)
    bea = member("u1", "Bea")
    card = await app.scenario(bea, "fraud")
    assert card.title.startswith("Scenario") and [a.label for a in card.actions] == [
        "Answer",
        "Hint",
        "Model answer",
    ]
    hint = await app.handle_action(bea, card.actions[1].id)
    assert "review" in hint.text
    form = await app.handle_action(bea, card.actions[0].id)
    feedback = await app.submit_form(bea, form.form.form_id, "Imbalanced data, use PR AUC")
    assert "2 of 4 key points" in feedback.text
    model = await app.handle_action(bea, card.actions[2].id)
    assert "Follow-up questions" in model.text and "Rubric" in model.text
    other = await app.handle_action(member("u2"), card.actions[1].id)
    assert "belongs to someone else" in other.text
    board = await app.leaderboard(bea, "all")
    assert board.board.rows == ()


async def test_practice_feedback_names_a_wrong_claim_and_caps_a_list_of_terms(app):
    await configure(app)
    bea = member("u1", "Bea")
    card = await app.scenario(bea, "fraud")
    form = await app.handle_action(bea, card.actions[0].id)
    feedback = await app.submit_form(
        bea,
        form.form.form_id,
        "The classes are imbalanced, so I would use a random split of the transactions, "
        "report PR AUC and monitor drift after launch.",
    )
    assert "3 of 4 key points" in feedback.text
    assert "A wrong claim costs one key point's worth, so the answer earns 2 of 4." in feedback.text
    assert (
        "✗ Split by time to avoid leakage — your answer claims “random split”, which this "
        "point rules out" in feedback.text
    )
    assert "✓ Monitor for drift after deployment — found “monitor drift”" in feedback.text

    card = await app.scenario(bea, "fraud")
    form = await app.handle_action(bea, card.actions[0].id)
    salad = await app.submit_form(
        bea, form.form.form_id, "imbalance, PR AUC, recall, time split, leakage, drift"
    )
    assert "list of terms" in salad.text and "at most a tenth" in salad.text


async def test_practice_topics_and_difficulties_are_checked(app):
    bad_topic = await app.practice(member("u1"), "astrology")
    assert "Topics: basics" in bad_topic.text
    bad_level = await app.practice(member("u1"), "basics", "impossible")
    assert "easy, medium or hard" in bad_level.text
    good = await app.practice(member("u1"), "basics", "hard")
    assert "Practice" in good.title


async def test_stats_show_rank_streak_and_topics(app, chat, clock):
    await configure(app, kinds="mc")
    bea = member("u1", "Bea")
    for _day in range(3):
        await app.post_now(ADMIN)
        card = chat.posted[-1][1]
        await app.handle_action(bea, card.actions[0].id)
        await app.close_now(ADMIN)
        clock.advance(days=1)
    stats = await app.stats(bea)
    assert "streak 3 day(s)" in stats.text and "all time: #1 of 1" in stats.text
    streak = await app.streak(bea)
    assert "3 day(s)" in streak.text
    await app.post_now(ADMIN)
    await app.close_now(ADMIN)
    assert "No streak running" in (await app.streak(bea)).text


async def test_times_come_back_time_zone_aware_in_utc(app, chat):
    await configure(app)
    await app.post_now(ADMIN)
    post = await app.storage.read(lambda uow: uow.posts.current(1))
    assert post.opened_at.tzinfo is not None and post.opened_at.utcoffset() == timedelta(0)


async def test_admins_choose_the_question_packs_a_community_draws_from(app):
    from bot.commands import SetupChange

    refused = await app.setup(ADMIN, SetupChange(packs="core,nonexistent"))
    assert "Unknown question pack(s): nonexistent. Packs: core." in refused.text
    saved = await app.setup(ADMIN, SetupChange(channel="C1", packs="core"))
    assert "Question packs: core" in saved.text
