"""Review nudges on a real database: one private message on a day when reviews are due, at
the member's local time, never in quiet hours, once across restarts and two processes."""

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import commands as c
from tests.conftest import configure, member
from tests.fakes import RecordingChat

BEA = member("u1", "Bea")


async def miss_a_question(app, chat, clock, who=BEA) -> None:
    """`who` misses the daily question of Tue 24 Nov (09:00 UTC); it closes on the 25th, and
    the miss is due again on Thu 26 Nov."""
    await configure(app, kinds="mc", difficulty="easy")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await app.catch_up()
    card = chat.posted[-1][1]
    await app.handle_action(who, card.actions[0].id)
    clock.advance(days=1)
    await app.tick()
    assert "due on Thu 26 Nov" in (await app.review(who)).text


def nudges(chat: RecordingChat, user_id: str = "u1") -> list[str]:
    return [m.text for user, m in chat.dms if user.user_id == user_id and m.title == "Reviews due"]


async def test_turning_nudges_on_off_and_asking_how_they_are_set(app, clock):
    assert "Review nudges are off" in (await app.remind(BEA)).text
    on = await app.remind(BEA, "on", "08:30")
    assert on.private
    assert "at 08:30 (UTC)" in on.text and "the next on Wed 25 Nov" in on.text
    assert "Never between 22:00 and 08:00" in on.text
    assert "at 08:30 (UTC)" in (await app.remind(BEA)).text
    quiet = await app.remind(BEA, "quiet", "23:00-07:00")
    assert "Never between 23:00 and 07:00" in quiet.text
    assert (await app.remind(BEA, "off")).text == "Review nudges are off."
    assert (await app.remind(BEA, "off")).text == "Review nudges were already off."


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (("on", "25:00"), "“25:00” is not a time"),
        (("on", "23:30"), "23:30 is in your quiet hours (22:00-08:00)"),
        (("sometimes",), "“sometimes” is not a remind setting"),
        (("quiet", "late"), "“late” is not a span of quiet hours"),
        (("quiet", "22:00-08:00"), "Review nudges are off, so there are no quiet hours"),
    ],
)
async def test_a_wrong_remind_setting_says_what_to_type_and_changes_nothing(app, words, said):
    reply = await app.remind(BEA, *words)
    assert said in reply.text and reply.private
    assert "Review nudges are off" in (await app.remind(BEA)).text


async def test_a_nudge_comes_once_on_the_day_a_review_is_due_at_the_chosen_time(app, chat, clock):
    await miss_a_question(app, chat, clock)
    await app.remind(BEA, "on", "08:30")
    await app.remind(member("u2", "Cy"), "on", "08:30")
    clock.set(datetime(2026, 11, 26, 8, 29, tzinfo=UTC))
    await app.send_nudges()
    assert nudges(chat) == []  # not before its time
    clock.set(datetime(2026, 11, 26, 8, 30, 20, tzinfo=UTC))
    await app.send_nudges()
    await app.send_nudges()
    (text,) = nudges(chat)
    assert text.startswith("You have 1 question due for review today.")
    assert "`/quiz remind off` stops them" in text

    assert nudges(chat, "u2") == []  # Cy has nudges on and nothing due: no message
    clock.set(datetime(2026, 11, 27, 8, 31, tzinfo=UTC))
    await app.send_nudges()
    assert len(nudges(chat)) == 2  # still due the next day (never reviewed): a new day's nudge


async def test_a_nudge_is_sent_once_across_a_restart_and_two_processes(make_app, chat, clock):
    first = make_app()
    await miss_a_question(first, chat, clock)
    await first.remind(BEA, "on", "08:30")
    other_chat = RecordingChat()
    second = make_app(chat=other_chat)
    clock.set(datetime(2026, 11, 26, 8, 31, tzinfo=UTC))
    await asyncio.gather(first.send_nudges(), second.send_nudges())
    assert len(nudges(chat)) + len(nudges(other_chat)) == 1
    restarted = make_app()
    await restarted.send_nudges()
    assert len(nudges(chat)) + len(nudges(other_chat)) == 1


async def test_a_late_nudge_is_dropped_once_quiet_hours_begin(app, chat, clock):
    await miss_a_question(app, chat, clock)
    await app.remind(BEA, "on", "08:30")
    clock.set(datetime(2026, 11, 26, 22, 5, tzinfo=UTC))  # the bot was down all day
    await app.send_nudges()
    assert nudges(chat) == []
    clock.set(datetime(2026, 11, 27, 8, 30, tzinfo=UTC))  # still due (overdue): the next day
    await app.send_nudges()
    assert len(nudges(chat)) == 1


async def test_quiet_hours_hold_in_local_time_across_a_daylight_saving_change(app, chat, clock):
    """New York springs forward on Sun 14 Mar 2027: 08:15 local is 13:15 UTC before and
    12:15 UTC after. A nudge kept in UTC would arrive at 07:15, inside the quiet hours."""
    await configure(app, kinds="mc", difficulty="easy")
    await app.set_timezone(BEA, "America/New_York")
    clock.set(datetime(2027, 3, 10, 14, 0, tzinfo=UTC))
    await app.catch_up()
    card = chat.posted[-1][1]
    await app.handle_action(BEA, card.actions[0].id)  # a miss, due from the 12th and not reviewed
    clock.advance(days=2)
    await app.tick()
    await app.remind(BEA, "on", "08:15")
    sent_at = []
    start = datetime(2027, 3, 13, 0, 0, tzinfo=UTC)
    for hour in range(24 * 5):  # Sat 13 to Wed 17 March, every 20 minutes
        for minute in (0, 20, 40):
            clock.set(start)
            clock.advance(hours=hour, minutes=minute)
            before = len(nudges(chat))
            await app.send_nudges()
            if len(nudges(chat)) > before:
                sent_at.append(clock.now())
    local = [moment.astimezone(ZoneInfo("America/New_York")) for moment in sent_at]
    assert len(local) == len({m.date() for m in local})  # at most one a day
    assert all(m.hour * 60 + m.minute >= 8 * 60 + 15 for m in local), local
    assert all(m.hour < 22 for m in local), local
    assert [m.date().day for m in local] == [13, 14, 15, 16, 17], local


async def test_a_new_time_zone_moves_the_nudge_to_the_same_local_time(app, chat, clock):
    await miss_a_question(app, chat, clock)
    await app.remind(BEA, "on", "08:30")
    await app.set_timezone(BEA, "Asia/Tokyo")  # 08:30 on the 26th in Tokyo: 23:30 UTC the 25th
    assert "at 08:30 (Asia/Tokyo)" in (await app.remind(BEA)).text
    clock.set(datetime(2026, 11, 25, 23, 29, tzinfo=UTC))
    await app.send_nudges()
    assert nudges(chat) == []
    clock.set(datetime(2026, 11, 25, 23, 31, tzinfo=UTC))
    await app.send_nudges()
    assert len(nudges(chat)) == 1


async def test_a_day_without_a_run_does_not_cost_the_next_days_nudge(app, chat, clock):
    await app.remind(BEA, "on", "08:30")  # first considered Wed 25 Nov 08:30
    await miss_a_question(app, chat, clock)
    clock.set(datetime(2026, 11, 26, 8, 45, tzinfo=UTC))  # nothing ran on the 25th
    await app.send_nudges()
    assert len(nudges(chat)) == 1
    await app.send_nudges()
    assert len(nudges(chat)) == 1


async def test_privacy_lists_the_nudge_and_forget_me_deletes_it(app, chat, clock):
    await miss_a_question(app, chat, clock)
    await app.remind(BEA, "on", "08:30")
    shown = await app.handle(BEA, c.ShowPrivacy())
    assert "your review nudge: its time and quiet hours" in shown.text
    asked = await app.handle(BEA, c.AskToForget())
    confirm = next(a.id for a in asked.actions if a.id.startswith("sb:fm:"))
    await app.press(BEA, confirm)
    clock.set(datetime(2026, 11, 26, 8, 31, tzinfo=UTC))
    await app.send_nudges()
    assert nudges(chat) == []
    assert "Review nudges are off" in (await app.remind(BEA)).text
