"""Practice and scenarios on the in-memory unit of work."""

from __future__ import annotations

from bot import commands as c
from tests.conftest import member


async def test_practice_hint_model_answer_and_an_answer(app):
    started = await app.handle(member("u1"), c.StartPractice("basics", "medium"))
    labels = {a.label: a.id for a in started.actions}
    assert started.title.startswith("Practice") and "Hint" in labels
    hint = await app.press(member("u1"), labels["Hint"])
    assert hint.private and hint.text
    model = await app.press(member("u1"), labels["Model answer"])
    assert model.private and model.text


async def test_a_practice_session_belongs_to_its_member(app):
    started = await app.handle(member("u1"), c.StartPractice("basics", "medium"))
    model = next(a.id for a in started.actions if a.label == "Model answer")
    other = await app.press(member("u2"), model)
    assert other.private and "belongs to someone else" in other.text


async def test_an_unknown_scenario_domain_lists_the_domains_there_are(app):
    reply = await app.handle(member("u1"), c.StartScenario("quantum-finance"))
    assert reply.private and "No scenario about “quantum-finance”" in reply.text
    assert "Try one of: fraud-detection (1)." in reply.text


async def test_a_scenario_by_part_of_its_domain(app):
    reply = await app.handle(member("u1"), c.StartScenario("Fraud"))
    assert reply.title.startswith("Scenario")


async def test_practice_arguments_may_come_in_any_order(app):
    for words in ("basics medium", "medium basics", "medium", "Basics"):
        reply = await app.handle(member("u1"), c.StartPractice(words))
        assert reply.title.startswith("Practice"), (words, reply.text)
    hard = await app.handle(member("u1"), c.StartPractice("hard"))
    assert "hard" in hard.title
    bad = await app.handle(member("u1"), c.StartPractice("astrology hard"))
    assert "“astrology” is not a topic" in bad.text
    lone = await app.handle(member("u1"), c.StartPractice("astrology"))
    assert "is neither a difficulty (easy, medium or hard) nor a topic" in lone.text


async def test_leaderboard_arguments_may_come_in_any_order(app):
    for words in ("basics", "basics all", "all basics", "month"):
        reply = await app.handle(member("u1"), c.ShowLeaderboard(words))
        assert reply.title.startswith("Leaderboard"), (words, reply.text)
    assert (
        "all time — Basics"
        in (await app.handle(member("u1"), c.ShowLeaderboard("basics all"))).title
    )
