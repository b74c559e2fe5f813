"""`stats` and `stats group` on the in-memory unit of work: text for screen readers, and the
card as a PNG attachment."""

from __future__ import annotations

import io

from PIL import Image

from bot import commands as c
from bot.charts import CARD_SIZE_PX
from tests.conftest import ADMIN, configure, member


async def answer_and_close(app, chat, answers: dict[str, int]) -> None:
    await app.post_now(ADMIN)
    card = chat.posted[-1][1]
    for user, choice in answers.items():
        await app.press(member(user, user.title()), card.actions[choice].id)
    await app.close_now(ADMIN)


async def test_stats_keep_their_text_and_attach_the_card(app, chat):
    await configure(app, kinds="mc", difficulty="easy")  # B is right, 10 points
    await answer_and_close(app, chat, {"bea": 1, "cy": 0})
    reply = await app.stats(member("bea", "Bea"))
    assert reply.private and "**Bea**" in reply.text
    assert "Last 90 days: 10 pts · answered on 1 of the last 365 days" in reply.text
    assert "- Basics: 1/1 right, 10 pts" in reply.text
    (png,) = reply.files
    assert png.filename == "studybot-stats.png" and png.mime == "image/png"
    assert "10 in all" in png.description
    assert Image.open(io.BytesIO(png.data)).size == CARD_SIZE_PX


async def test_a_new_member_gets_a_card_that_says_no_answers_yet(app):
    reply = await app.stats(member("new", "Nia"))
    assert "not ranked yet" in reply.text
    assert "Reviews: none yet" in reply.text
    assert reply.files[0].description == "Your stats card: no answers yet."


async def test_the_app_home_asks_for_the_numbers_without_a_picture(app):
    reply = await app.handle(member("bea", "Bea"), c.ShowStats(picture=False))
    assert reply.files == () and "**Bea**" in reply.text


async def test_group_stats_are_for_admins_and_name_the_most_missed_question(app, chat):
    await configure(app, kinds="mc", difficulty="easy")
    await answer_and_close(app, chat, {"bea": 1, "cy": 0, "dan": 2})
    refused = await app.group_stats(member("bea", "Bea"))
    assert refused.files == () and "admin" in refused.text.lower()

    reply = await app.group_stats(ADMIN)
    assert "3 members have answered daily questions." in reply.text
    assert "- Basics: 3 answer(s) from 3 member(s), 33% right" in reply.text
    assert "missed 2 of 3" in reply.text
    (png,) = reply.files
    assert png.filename == "studybot-group-stats.png"
    assert Image.open(io.BytesIO(png.data)).size == CARD_SIZE_PX
