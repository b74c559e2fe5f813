"""`setup` as admins type it: the short form (`setup #ml-study 18:00 Europe/Berlin`, any
order), `key=value` words with or without spaces around `=`, and clear refusals."""

from __future__ import annotations

import pytest

from bot import commands as c
from tests.conftest import ADMIN, member


async def setup(app, *words: str, actor=ADMIN):
    return await app.handle(actor, c.SetupFromWords(tuple(words)))


async def test_the_short_form_sets_channel_time_and_time_zone_in_any_order(app):
    reply = await setup(app, "Europe/Berlin", "#ml-study", "18:00")
    assert reply.title == "Settings saved", reply.text
    shown = await setup(app)
    assert "ml-study" in shown.text and "18:00" in shown.text and "Europe/Berlin" in shown.text


async def test_spaces_around_the_equals_sign_are_fine(app):
    assert (await setup(app, "time", "=", "07:30", "window=", "6h")).title == "Settings saved"
    shown = await setup(app)
    assert "Daily post: 07:30" in shown.text and "Answer window: 6h00" in shown.text


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (("colour=blue",), "“colour” is not a setting. Settings: channel, time, timezone"),
        (("18:00", "19:00"), "“19:00” sets time a second time"),
        (("Europe/Berln",), "Did you mean Europe/Berlin"),
        (("PST",), "Did you mean America/Los_Angeles"),
        (("tomorrow",), "“tomorrow” is not a channel (#name), a time (HH:MM), a time zone"),
        (("25:00",), "HH:MM"),
    ],
)
async def test_what_is_not_a_setting_is_refused_and_nothing_changes(app, words, message):
    before = (await setup(app)).text
    reply = await setup(app, *words)
    assert reply.private and message in reply.text, reply.text
    assert (await setup(app)).text == before


async def test_members_who_are_not_admins_are_refused_before_their_words_are_read(app):
    await setup(app, "#ml-study")
    reply = await setup(app, "nonsense", actor=member("u9"))
    assert reply.private and "admin" in reply.text.lower()
