"""`/quiz export` on a real database: the CSV holds exactly the member's answers in the
community they ask from, and the Anki file exactly the questions they missed."""

import csv
import io
from datetime import UTC, datetime

from bot import commands as c
from tests.conftest import ADMIN, configure, member

BEA = member("u1", "Bea")
BEA_ELSEWHERE = member("u1", "Bea", workspace="W2")

OPEN_ANSWER = (
    '=HYPERLINK("http://x")\tSimple models underfit with high bias;\n'
    "complex models overfit with high variance."
)
SCENARIO_ANSWER = (
    "The class imbalance is extreme, so evaluate with precision at the review capacity, "
    "use a time based split against leakage, and monitor drift after launch."
)


async def answer_daily(app, chat, who, press_label=None, text=None):
    await app.post_now(ADMIN)
    card = chat.posted[-1][1]
    if text is None:
        letter = {a.label: a.id for a in card.actions}
        await app.press(who, letter[press_label])
    else:
        form = await app.press(who, card.actions[0].id)
        recorded = await app.submit(who, form.form.form_id, text)
        assert recorded.text.startswith("Recorded your answer"), recorded.text
    await app.close_now(ADMIN)


async def practise(app, who, start, press_label=None, text=None):
    started = await app.handle(who, start)
    buttons = {a.label: a.id for a in started.actions}
    if text is None:
        return await app.press(who, buttons[press_label])
    form = await app.press(who, buttons["Answer"])
    return await app.submit(who, form.form.form_id, text)


async def bea_answers_a_miss_a_partial_and_two_rights(app, chat, clock):
    await app.set_timezone(BEA, "Pacific/Auckland")  # UTC+13 in November: a day ahead
    await configure(app, kinds="mc", difficulty="easy")
    clock.set(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    await answer_daily(app, chat, BEA, press_label="A")  # Recall: wrong
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    await configure(app, kinds="open", difficulty="medium")
    await answer_daily(app, chat, BEA, text=OPEN_ANSWER)  # two of four key points
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    await practise(app, BEA, c.StartScenario("fraud-detection"), text=SCENARIO_ANSWER)
    clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    await practise(app, BEA, c.StartPractice("basics", "easy"), press_label="B")


def attachment(reply, name):
    return next(f for f in reply.files if f.filename == name)


def parsed_csv(reply):
    data = attachment(reply, "studybot-answers.csv").data
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def row(source, day, question_id, question, answer, score, points, hits):
    return {
        "source": source,
        "date": day,
        "question_id": question_id,
        "question": question,
        "answer": answer,
        "score": score,
        "points": points,
        "key_points_hit": hits,
    }


async def test_the_csv_holds_every_answer_as_given_with_dates_in_the_members_zone(app, chat, clock):
    await bea_answers_a_miss_a_partial_and_two_rights(app, chat, clock)
    reply = await app.export(BEA)
    assert reply.private
    assert "your 4 answers in this community (2 daily, 2 practice)" in reply.text
    assert "the 1 question you missed" in reply.text
    privacy = await app.handle(BEA, c.ShowPrivacy())
    assert "`/quiz export` gives you a copy of your answers" in privacy.text

    partial = await app.handle(BEA, c.ShowLatestResult())
    assert "2 of 4 key points" in partial.text and "+10 points" in partial.text
    assert parsed_csv(reply) == [
        row(
            "daily",
            "2026-11-25",
            "basics-mc-easy",
            "Which metric is the share of predicted positives that are truly positive?",
            "A: Recall",
            "0.00",
            "0",
            "",
        ),
        row(
            "daily",
            "2026-11-26",
            "basics-open",
            "Explain the bias-variance tradeoff and how model complexity moves it.",
            "'" + OPEN_ANSWER,  # a formula to a spreadsheet: kept as text
            "0.50",
            "10",
            "Simple models underfit with high bias; Complex models overfit with high variance",
        ),
        row(
            "scenario",
            "2026-11-27",
            "basics-scenario",
            "Design a fraud detection model for card transactions where 0.1% are fraud.",
            SCENARIO_ANSWER,
            "1.00",
            "0",
            "Extreme class imbalance makes accuracy useless; "
            "Evaluate with precision-recall metrics at the review capacity; "
            "Split by time to avoid leakage; Monitor for drift after deployment",
        ),
        row(
            "practice",
            "2026-11-28",
            "basics-mc-easy",
            "Which metric is the share of predicted positives that are truly positive?",
            "B: Precision",
            "1.00",
            "0",
            "",
        ),
    ]


async def test_the_anki_file_holds_exactly_the_missed_question(app, chat, clock):
    await bea_answers_a_miss_a_partial_and_two_rights(app, chat, clock)
    reply = await app.export(BEA)
    text = attachment(reply, "studybot-missed-anki.txt").data.decode("utf-8")
    headers = [line for line in text.splitlines() if line.startswith("#")]
    notes = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert "#separator:tab" in headers and "#html:true" in headers
    assert notes == [
        [
            "Which metric is the share of predicted positives that are truly positive?"
            "<br><br>A. Recall<br>B. Precision<br>C. Specificity",
            "<b>B</b> Precision<br><br>Precision = TP / (TP + FP); recall = TP / (TP + FN).",
            "studybot basics",
            "studybot:basics-mc-easy",
        ]
    ]


async def test_a_member_of_two_communities_exports_only_the_one_they_ask_from(app, chat, clock):
    await bea_answers_a_miss_a_partial_and_two_rights(app, chat, clock)
    await practise(app, BEA_ELSEWHERE, c.StartPractice("basics", "hard"), press_label="C")

    here = parsed_csv(await app.export(BEA))
    elsewhere = await app.export(BEA_ELSEWHERE)
    assert [r["question_id"] for r in here] == [
        "basics-mc-easy",
        "basics-open",
        "basics-scenario",
        "basics-mc-easy",
    ]
    assert [(r["source"], r["question_id"]) for r in parsed_csv(elsewhere)] == [
        ("practice", "basics-mc-hard")
    ]
    assert [f.filename for f in elsewhere.files] == ["studybot-answers.csv"]  # nothing missed


async def test_a_member_without_answers_gets_no_files_and_export_stores_nothing(app):
    stranger = member("u7", "Dee")
    reply = await app.export(stranger)
    assert reply.private and not reply.files
    assert "no answers to export" in reply.text
    privacy = await app.handle(stranger, c.ShowPrivacy())
    assert "stores nothing about you" in privacy.text
