"""A community in Los Angeles and a member in Kolkata, across the March 2026 DST change."""

from datetime import UTC, datetime

from tests.conftest import configure, member


async def test_posts_follow_local_time_and_streak_days_follow_the_members_zone(app, chat, clock):
    await configure(app, kinds="mc", timezone="America/Los_Angeles", time="09:00")
    priya = member("u1", "Priya")
    assert "Asia/Kolkata" in (await app.set_timezone(priya, "Asia/Kolkata")).text

    # 09:00 PST is 17:00 UTC before the change (8 March 2026), 16:00 UTC after it
    expected_posts = [
        datetime(2026, 3, 6, 17, 0, tzinfo=UTC),
        datetime(2026, 3, 7, 17, 0, tzinfo=UTC),
        datetime(2026, 3, 8, 16, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 16, 0, tzinfo=UTC),
    ]
    # Priya answers each an hour after it opens, except the third: she answers it early in
    # her next morning, so two answers land on the same Kolkata day (9 March). In Los Angeles
    # time the four answers fall on four different days.
    answer_at = [
        datetime(2026, 3, 6, 18, 0, tzinfo=UTC),  # 23:30 IST 6 March
        datetime(2026, 3, 7, 18, 0, tzinfo=UTC),  # 23:30 IST 7 March
        datetime(2026, 3, 9, 1, 0, tzinfo=UTC),  # 06:30 IST 9 March
        datetime(2026, 3, 9, 17, 0, tzinfo=UTC),  # 22:30 IST 9 March
    ]
    for opens, answered in zip(expected_posts, answer_at, strict=True):
        clock.set(opens.replace(second=1))
        await app.post_due(1)
        _channel, card = chat.posted[-1]
        assert card.closes_at is not None
        clock.set(answered)
        reply = await app.handle_action(priya, card.actions[0].id)
        assert reply.text.startswith("Recorded"), reply.text
        assert "IST" in reply.text  # reveal time in her own zone
    assert len(chat.posted) == 4
    # the first post closes at the second's opening, 24 h later; the third across the jump, 23 h
    assert chat.reveals and len(chat.reveals) == 3
    closes = [card.closes_at for _, card in chat.posted]
    assert closes[1] == expected_posts[2]
    assert (expected_posts[2] - expected_posts[1]).total_seconds() == 23 * 3600

    streak = await app.streak(priya)
    # Kolkata days answered: 6, 7, 9, 9 March -> 3 distinct days, no post missed
    assert "3 day(s)" in streak.text, streak.text
