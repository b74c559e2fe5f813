"""The learning loop end to end on a real database: a member misses the daily question, is
nudged on the day it is due, reviews it privately, sees it move in their stats and finds it in
their export."""

import csv
import io
from datetime import UTC, datetime

from tests.conftest import configure, member

BEA = member("u1", "Bea")


async def test_a_miss_is_nudged_reviewed_counted_and_exported(app, chat, clock):
    await configure(app, kinds="mc", difficulty="easy")
    await app.remind(BEA, "on", "08:30")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await app.catch_up()
    card = chat.posted[-1][1]
    await app.handle_action(BEA, card.actions[0].id)  # A: wrong
    clock.advance(days=1)
    await app.tick()  # closed and revealed: the miss is due on the 26th

    clock.set(datetime(2026, 11, 26, 8, 31, tzinfo=UTC))
    assert "Reviews: 1 due now" in (await app.stats(BEA)).text
    await app.send_nudges()
    (nudge,) = [m for user, m in chat.dms if user.user_id == "u1" and m.title == "Reviews due"]
    assert nudge.text.startswith("You have 1 question due for review today.")

    review = await app.review(BEA)
    assert review.private and review.text.startswith(card.prompt)
    letters = {a.label: a.id for a in review.actions}
    feedback = await app.press(BEA, letters["B"])
    assert feedback.text.startswith("**B** is right.")

    after = await app.stats(BEA)
    assert "Reviews: 1 due now" not in after.text and "Reviews:" in after.text
    (png,) = after.files
    assert png.mime == "image/png" and png.data.startswith(b"\x89PNG")
    assert "Reviews done: 1 day in a row (best 1)." in (await app.review(BEA)).text

    export = await app.export(BEA)
    answers = next(f for f in export.files if f.filename.endswith(".csv"))
    rows = list(csv.DictReader(io.StringIO(answers.data.decode("utf-8-sig"))))
    assert [r["source"] for r in rows] == ["daily", "practice"]  # the review is a practice row
    assert rows[0]["question_id"] == rows[1]["question_id"]
    anki = next(f for f in export.files if f.filename.endswith(".txt")).data.decode()
    assert card.prompt.splitlines()[0][:40] in anki
