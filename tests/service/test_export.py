"""`/quiz export` on the in-memory storage: the handler streams the history into both files."""

import csv
import io

from bot import commands as c
from tests.conftest import ADMIN, configure, member

BEA = member("u1", "Bea")


async def test_a_daily_miss_and_a_practice_answer_are_exported_as_two_files(app, chat):
    await configure(app, kinds="mc", difficulty="easy")
    await app.post_now(ADMIN)
    await app.press(BEA, chat.posted[-1][1].actions[0].id)  # A: wrong
    await app.close_now(ADMIN)
    started = await app.handle(BEA, c.StartPractice("basics", "hard"))
    await app.press(BEA, {a.label: a.id for a in started.actions}["C"])  # right

    reply = await app.export(BEA)
    assert [f.filename for f in reply.files] == ["studybot-answers.csv", "studybot-missed-anki.txt"]
    table = reply.files[0].data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(table, newline="")))
    assert [(r["source"], r["question_id"], r["score"]) for r in rows] == [
        ("daily", "basics-mc-easy", "0.00"),
        ("practice", "basics-mc-hard", "1.00"),
    ]
    assert "studybot:basics-mc-easy" in reply.files[1].data.decode("utf-8")
    assert all(f.description for f in reply.files)
