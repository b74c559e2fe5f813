"""The stats cards' numbers from real answers on SQLite and PostgreSQL: points per day, the
days answered, reviews, a group's coverage and its most missed questions."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image

from bot.charts import CARD_SIZE_PX
from tests.conftest import ADMIN, configure, member

BEA = member("bea", "Bea")


async def day_of_answers(app, chat, clock, answers: dict[str, int]) -> None:
    await app.post_now(ADMIN)
    card = chat.posted[-1][1]
    for user, choice in answers.items():
        reply = await app.press(member(user, user.title()), card.actions[choice].id)
        assert reply.text.startswith("Recorded")
    await app.close_now(ADMIN)
    clock.advance(days=1)


async def test_the_cards_count_what_was_answered(app, chat, clock):
    await configure(app, kinds="mc", difficulty="easy")  # B (index 1) is right: 10 points
    start = clock.now().date()
    await day_of_answers(app, chat, clock, {"bea": 1, "cy": 0})
    await day_of_answers(app, chat, clock, {"bea": 1, "cy": 1})
    clock.advance(days=1)  # a day without a question
    await day_of_answers(app, chat, clock, {"bea": 2})

    reply = await app.stats(BEA)
    assert "Last 90 days: 20 pts · answered on 3 of the last 365 days" in reply.text
    assert "- Basics: 2/3 right, 20 pts" in reply.text
    (png,) = reply.files
    assert Image.open(io.BytesIO(png.data)).size == CARD_SIZE_PX
    assert "20 in all" in png.description and "3 day(s) answered" in png.description

    days = await _answered_days(app, "bea", start)
    assert [(d.post_date, d.points) for d in days] == [
        (start, 10),
        (start + timedelta(days=1), 10),
        (start + timedelta(days=3), 0),
    ]

    group = await app.group_stats(ADMIN)
    assert "2 members have answered daily questions." in group.text
    assert "- Basics: 5 answer(s) from 2 member(s), 60% right" in group.text
    assert "missed 2 of 5" in group.text
    assert group.files[0].mime == "image/png"


async def test_reviews_due_show_on_the_card_once_they_come_back(app, chat, clock):
    await configure(app, kinds="mc", difficulty="easy")
    await day_of_answers(app, chat, clock, {"bea": 1})  # right: not due again tomorrow
    soon = await app.stats(BEA)
    assert "Reviews: none due now, next on" in soon.text
    clock.advance(days=120)
    later = await app.stats(BEA)
    assert "Reviews: 1 due now" in later.text
    assert "1 review(s) due" in later.files[0].description


async def _answered_days(app, user_id: str, since: date):
    async def read(uow):
        community = (await uow.communities.all())[0]
        found = await uow.members.find(community.id, user_id)
        return await uow.answers.answered_days(found.id, since)

    return await app.storage.read(read)
