"""Mock interviews end to end on a real database: opt in, a round, introductions, packets."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.mock_interviews import count_no_shows
from tests.conftest import ADMIN, configure, member

PEOPLE = [
    ("u1", "Ana", "Mon-Thu 18:00-21:00", "Europe/Berlin"),
    ("u2", "Ben", "weekdays 17:00-20:00", "Europe/London"),
    ("u3", "Chi", "Mon-Thu 22:30-23:59", "Asia/Kolkata"),
    ("u4", "Dev", "weekdays 22:00-23:30", "Asia/Kolkata"),
    ("u5", "Eli", "Mon-Fri 19:00-22:00", "Europe/Paris"),
]


async def latest_round(app):
    return await app.storage.read(lambda uow: uow.pairing.latest_round(1))


async def assignments(app):
    latest = await latest_round(app)
    return await app.storage.read(lambda uow: uow.pairing.assignments(latest.id))


async def no_shows(app, rounds=3):
    async def read(uow):
        recent = await uow.pairing.recent_rounds(1, rounds)
        return count_no_shows(await uow.pairing.seats([r[0] for r in recent]))

    return await app.storage.read(read)


async def join_all(app):
    for user_id, name, windows, zone in PEOPLE:
        reply = await app.pair_join(member(user_id, name), windows, zone)
        assert reply.text.startswith("You're in for mock interviews"), reply.text


async def test_a_round_pairs_everyone_once_and_introduces_them_privately(app, chat, clock):
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await join_all(app)
    refused = await app.pair_now(member("u1", "Ana"))
    assert refused.text == "Only a community admin can do that."

    summary = await app.pair_now(ADMIN)
    assert summary.text.startswith("Round 2026-W48: 5 members in 2 group(s)")
    assert sorted(user.user_id for user, _ in chat.dms) == ["u1", "u2", "u3", "u4", "u5"]
    intro = {user.user_id: message.text for user, message in chat.dms}
    assert "This week you practise with" in intro["u1"]
    assert "CET" in intro["u1"] and "IST" in intro["u4"]  # times in each member's own zone
    assert "**Your packet**" in intro["u1"] and "Rubric" in intro["u1"]
    assert "swap halfway" in intro["u1"]
    assert len(chat.spaces) == 2  # one private conversation per group
    users, opening = next(space for space in chat.spaces if "u4" in space[0])
    assert sorted(users) == ["u3", "u4"] and "- Dev: " in opening.text and "IST" in opening.text
    assert "Rubric" not in opening.text  # packets stay private to each interviewer

    again = await app.pair_now(ADMIN)
    assert again.text == "This week's round is already paired."
    status = await app.pair_status(member("u1", "Ana"))
    assert "Round 2026-W48: with" in status.text
    assert "Next round: Mon 30 Nov 09:00 UTC" in status.text


async def test_a_restart_never_resends_introductions(make_app, chat, clock):
    app = make_app()
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await join_all(app)
    await app.pair_now(ADMIN)
    sent, spaces = len(chat.dms), len(chat.spaces)
    restarted = make_app()
    latest = await latest_round(restarted)
    community = await restarted.ctx.community_by_id(1)
    await restarted.services.mock.introduce(community, latest.id, latest.week_monday)
    assert (len(chat.dms), len(chat.spaces)) == (sent, spaces)


async def test_introductions_cut_short_by_a_stop_are_sent_by_a_later_tick(app, chat, clock):
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await join_all(app)
    send = chat.send_dm
    stalled = asyncio.Event()

    async def stall_on_the_second(user, message):
        if chat.dms:
            stalled.set()
            await asyncio.Event().wait()  # a send still waiting when the process stops
        return await send(user, message)

    chat.send_dm = stall_on_the_second
    pairing = asyncio.create_task(app.pair_now(ADMIN))
    await asyncio.wait_for(stalled.wait(), 10)
    pairing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await pairing
    chat.send_dm = send
    (first,) = [user.user_id for user, _ in chat.dms]

    await app.tick()
    assert len(chat.dms) == 1  # a round just paired may still be sending: not yet
    clock.advance(minutes=2)
    await app.tick()
    introduced = sorted(user.user_id for user, _ in chat.dms)
    # all but the one whose introduction was claimed and in flight: never sent twice
    assert len(introduced) == 4 and len(set(introduced)) == 4 and first in introduced
    await app.tick()
    clock.advance(days=1)
    await app.tick()
    assert len(chat.dms) == 4


async def test_next_rounds_bring_new_partners_and_respect_pauses(app, chat, clock):
    await configure(app)
    await join_all(app)
    await app.pair_leave(member("u5", "Eli"))  # four members: three repeat-free rounds exist
    partners: dict[str, set[str]] = {}
    for week in range(3):
        clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC) + timedelta(weeks=week))
        await app.pair_now(ADMIN)
        groups: dict[int, list[str]] = {}
        for a in await assignments(app):
            groups.setdefault(a.group_no, []).append(a.user_id)
        for group in groups.values():
            for user in group:
                met = set(group) - {user}
                assert not (partners.get(user, set()) & met), "met the same partner twice"
                partners.setdefault(user, set()).update(met)

    await app.pair_join(member("u5", "Eli"), "Mon-Fri 19:00-22:00", "Europe/Paris")
    assert "sit out the next 1 round" in (await app.pair_pause(member("u5", "Eli"), "1")).text
    clock.set(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    summary = await app.pair_now(ADMIN)
    assert summary.text.startswith("Round 2026-W51: 4 members")
    status = await app.pair_status(member("u5", "Eli"))
    assert "Status: active" in status.text  # the pause was used up


async def test_bad_availability_gets_an_example_and_nothing_is_saved(app):
    reply = await app.pair_join(member("u1", "Ana"), "whenever I can")
    assert "Mon-Thu 18:00-21:00" in reply.text
    status = await app.pair_status(member("u1", "Ana"))
    assert "haven't joined" in status.text
    left = await app.pair_leave(member("u1", "Ana"))
    assert "haven't joined" in left.text


async def test_two_days_later_members_are_asked_once_whether_they_met(app, chat, clock):
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await app.pair_join(member("u1", "Ana"), "Mon-Thu 18:00-21:00", "Europe/Berlin")
    await app.pair_join(member("u2", "Ben"), "weekdays 17:00-20:00", "Europe/London")
    await app.pair_now(ADMIN)
    intros = len(chat.dms)
    await app.tick()
    assert len(chat.dms) == intros  # not yet

    clock.advance(days=2, minutes=1)
    await app.tick()
    await app.tick()  # a second tick asks nobody twice
    asked = chat.dms[intros:]
    assert sorted(user.user_id for user, _ in asked) == ["u1", "u2"]
    ana = next(message for user, message in asked if user.user_id == "u1")
    labels = [a.label for a in ana.actions]
    assert labels == ["We met", "Rescheduled", "Partner didn't show", "I couldn't make it"]

    no_show = ana.actions[2].id
    assert "noted" in (await app.handle_action(member("u1", "Ana"), no_show)).text
    again = await app.handle_action(member("u1", "Ana"), ana.actions[0].id)
    assert "already answered “Partner didn't show”" in again.text
    stranger = await app.handle_action(member("u2", "Ben"), no_show)
    assert "belongs to someone else" in stranger.text
    assert await no_shows(app) == {2: 1}  # Ben was reported missing


async def test_members_who_met_rate_each_other_privately_and_earn_points(app, chat, clock):
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    ana, ben = member("u1", "Ana"), member("u2", "Ben")
    await app.pair_join(ana, "Mon-Thu 18:00-21:00", "Europe/Berlin")
    await app.pair_join(ben, "weekdays 17:00-20:00", "Europe/London")
    await app.pair_now(ADMIN)
    clock.advance(days=2, minutes=1)
    await app.tick()
    ask = next(m for u, m in chat.dms if u.user_id == "u1" and m.actions)
    met = await app.handle_action(ana, ask.actions[0].id)
    assert "+10 points" in met.text and met.actions[0].label == "Give feedback"

    form = (await app.handle_action(ana, met.actions[0].id)).form
    assert [f.id for f in form.fields] == [
        "problem_solving",
        "ml_knowledge",
        "communication",
        "structure",
        "answer",
    ]
    bad = await app.submit_form(
        ana,
        form.form_id,
        "Great structure",
        {"problem_solving": "5", "ml_knowledge": "3", "communication": "4", "structure": "4"},
    )
    assert "“5” is not a rating" in bad.text
    stolen = await app.handle_action(ben, met.actions[0].id)
    assert "belongs to someone else" in stolen.text

    ratings = {"problem_solving": "3", "ml_knowledge": "4", "communication": "2", "structure": "3"}
    sent = await app.submit_form(ana, form.form_id, "Clear framing; slow down on metrics.", ratings)
    assert "+5 points" in sent.text
    to_ben = [m for u, m in chat.dms if u.user_id == "u2" and "Feedback from" in m.text]
    assert len(to_ben) == 1 and "Communication: 2/4" in to_ben[0].text
    assert "slow down on metrics" in to_ben[0].text
    twice = await app.submit_form(ana, form.form_id, "again", ratings)
    assert "already gave feedback" in twice.text

    board = await app.leaderboard(ana, "all", "mock")
    assert board.board.me.points == 15

    stats = await app.pair_stats(ADMIN)
    assert "2026-W48: 2 members in 1 groups · 100% met (1 answered)" in stats.text
    assert "1 feedback given" in stats.text
    assert (await app.pair_stats(ana)).text == "Only a community admin can do that."


async def test_the_round_is_announced_once_the_day_before(app, chat, clock):
    await configure(app)
    await app.pair_join(member("u1", "Ana"), "Mon-Thu 18:00-21:00", "Europe/Berlin")
    clock.set(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))  # a Sunday
    await app.announce_pairing_round(1)
    await app.announce_pairing_round(1)  # a second process, or a double fire
    assert len(chat.notices) == 1
    text = chat.notices[0][1].text
    assert "pairs for 2026-W49 are made tomorrow" in text and "1 member(s)" in text


async def test_a_closed_inbox_is_reported_in_the_channel_without_the_packet(app, chat, clock):
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await app.pair_join(member("u1", "Ana"), "Mon-Thu 18:00-21:00", "Europe/Berlin")
    await app.pair_join(member("u2", "Ben"), "weekdays 17:00-20:00", "Europe/London")
    chat.closed_dms.add("u2")
    await app.pair_now(ADMIN)
    notice = chat.notices[-1][1].text
    assert notice.startswith("Ben, I couldn't send you a direct message")
    assert "Rubric" not in notice and "packet" not in notice.lower()


async def test_leaving_mid_round_tells_the_partner_plainly(app, chat, clock):
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await app.pair_join(member("u1", "Ana"), "Mon-Thu 18:00-21:00", "Europe/Berlin")
    await app.pair_join(member("u2", "Ben"), "weekdays 17:00-20:00", "Europe/London")
    await app.pair_now(ADMIN)
    clock.advance(days=1)
    await app.pair_leave(member("u1", "Ana"))
    told = [m.text for u, m in chat.dms if u.user_id == "u2"]
    assert told[-1].startswith("Ana has left mock interviews, so this week's interview")

    again = await app.pair_leave(member("u1", "Ana"))
    assert "already left" in again.text and "nobody was told again" in again.text
    assert [m.text for u, m in chat.dms if u.user_id == "u2"] == told  # one notice only
    status = await app.pair_status(member("u1", "Ana"))
    assert "Status: left" in status.text and "Next round:" not in status.text
    assert "join again any time" in status.text


async def test_members_reported_missing_twice_sit_out_and_are_told_why(app, chat, clock):
    await configure(app)
    for user_id, name in (("u1", "Ana"), ("u2", "Ben"), ("u3", "Cy"), ("u4", "Di")):
        await app.pair_join(member(user_id, name), "weekdays 17:00-20:00", "Europe/London")
    for week in range(2):
        clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC) + timedelta(weeks=week))
        await app.pair_now(ADMIN)
        group = await assignments(app)
        di = next(a for a in group if a.user_id == "u4")
        partner = next(a for a in group if a.group_no == di.group_no and a.user_id != "u4")
        await app.storage.transact(
            lambda uow, p=partner: uow.pairing.record_checkin(p.id, p.member_id, "no_show")
        )
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    summary = await app.pair_now(ADMIN)
    assert summary.text.startswith("Round 2026-W50: 3 members")
    told = [m.text for u, m in chat.dms if u.user_id == "u4"][-1]
    assert told.startswith("You're sitting out round 2026-W50") and "missed 2" in told


async def test_admins_choose_the_round_day_time_and_check_in_delay(app, chat, clock):
    from bot.commands import SetupChange

    bad = await app.setup(ADMIN, SetupChange(pair_day="someday"))
    assert "not a weekday" in bad.text
    bad = await app.setup(ADMIN, SetupChange(checkin_days="9"))
    assert "1 to 6 days" in bad.text
    saved = await app.setup(
        ADMIN,
        SetupChange(
            channel="C1",
            timezone="Asia/Kolkata",
            pair_day="wed",
            pair_time="18:30",
            checkin_days="3",
        ),
    )
    assert "Mock interviews: Wed 18:30, check-in after 3 day(s)" in saved.text

    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # Monday 14:30 in Kolkata
    await app.pair_join(member("u1", "Ana"), "weekdays 19:00-22:00")
    await app.pair_join(member("u2", "Ben"), "weekdays 19:00-22:00")
    status = await app.pair_status(member("u1", "Ana"))
    assert "Next round: Wed 25 Nov 18:30 IST" in status.text
    await app.pair_now(ADMIN)
    clock.advance(days=2, hours=1)
    await app.tick()
    assert not any(m.actions for _, m in chat.dms)  # three days, not two
    clock.advance(days=1)
    await app.tick()
    assert sum(1 for _, m in chat.dms if m.actions) == 2


class _ScoresThatCrash:
    """The scoreboard of a process that dies just before the points are written."""

    async def add_points(self, *args, **kwargs):
        raise RuntimeError("the process died here")


class _CrashBeforePoints:
    def __init__(self, uow):
        self._uow = uow
        self.scores = _ScoresThatCrash()

    def __getattr__(self, name):
        return getattr(self._uow, name)


class _StorageThatCrashes:
    def __init__(self, inner):
        self.inner = inner

    async def transact(self, work):
        return await self.inner.transact(lambda uow: work(_CrashBeforePoints(uow)))

    def __getattr__(self, name):
        return getattr(self.inner, name)


async def test_a_crash_between_the_check_in_and_its_points_loses_neither(app, chat, clock):
    """The check-in and its points are one unit of work: a crash before the points are
    written leaves no check-in behind, so pressing the button again records both once."""
    await configure(app)
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    ana, ben = member("u1", "Ana"), member("u2", "Ben")
    await app.pair_join(ana, "Mon-Thu 18:00-21:00", "Europe/Berlin")
    await app.pair_join(ben, "weekdays 17:00-20:00", "Europe/London")
    await app.pair_now(ADMIN)
    clock.advance(days=2, minutes=1)
    await app.tick()
    ask = next(m for u, m in chat.dms if u.user_id == "u1" and m.actions)

    healthy = app.ctx.storage
    app.ctx.storage = _StorageThatCrashes(healthy)
    crashed = await app.handle_action(ana, ask.actions[0].id)
    assert "Something went wrong" in crashed.text
    app.ctx.storage = healthy

    met = await app.handle_action(ana, ask.actions[0].id)
    assert "+10 points" in met.text
    again = await app.handle_action(ana, ask.actions[0].id)
    assert "already answered" in again.text
    assert (await app.leaderboard(ana, "all", "mock")).board.me.points == 10
