"""The shipped bank is valid, and the checker catches what a bad file gets wrong."""

import os
import subprocess
import sys
import textwrap
from importlib.util import find_spec
from pathlib import Path

import pytest

from bot.cli import main
from bot.question_bank import QUESTIONS_DIR, load_bank

SHIPPED = load_bank(QUESTIONS_DIR)


def test_the_shipped_bank_has_no_problems():
    assert [str(p) for p in SHIPPED.problems] == []
    assert len(SHIPPED.questions) > 0


@pytest.mark.parametrize(
    "question",
    [q for q in SHIPPED.questions if q.extra.get("code_check")],
    ids=lambda q: q.id,
)
def test_code_in_questions_prints_what_the_answer_key_says(question):
    check = question.extra["code_check"]
    missing = [name for name in check.get("requires", []) if find_spec(name) is None]
    if missing and os.environ.get("STUDYBOT_REQUIRE_CODE_CHECKS"):
        pytest.fail(f"needs {', '.join(missing)}; CI installs the ml extra (`.[ml]`)")
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: install the ml test extra (`.[ml]`)")
    if check.get("shown", True):
        assert check["code"].strip()[:40] in question.prompt.replace("```python", "```")
    result = subprocess.run(
        [sys.executable, "-c", check["code"]], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == check["output"].strip()


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_MC = """
  - id: {id}
    tags: [x]
    difficulty: 1
    kind: multiple_choice
    prompt: {prompt}
    options:
      - {{text: one, why: "because one is wrong"}}
      - {{text: two, correct: {two}, why: "because two is right"}}
      - {{text: three, correct: {three}, why: "because three is wrong"}}
    explanation: An explanation that is long enough.
    reference: A reference title
    source: original
    license: CC-BY-4.0
"""


def test_errors_name_the_file_the_question_and_the_field(tmp_path):
    body = (
        "topic: demo\ntitle: Demo\nquestions:\n"
        + GOOD_MC.format(
            id="demo-a", prompt="What is the first demo question about?", two="true", three="true"
        )
        + GOOD_MC.format(
            id="demo-a",
            prompt="What is the second demo question about, then?",
            two="true",
            three="false",
        )
        + GOOD_MC.format(
            id="demo-c",
            prompt="What is the second demo question about, then?!",
            two="true",
            three="false",
        )
        + """
  - id: demo-d
    tags: [x]
    difficulty: 4
    kind: open
    prompt: Ping @everyone about this one please.
    model_answer: short
    key_points: []
    reference: A reference title
    source: original
    license: CC-BY-4.0
"""
    )
    write(tmp_path, "demo.yaml", body)
    write(tmp_path, "broken.yaml", "topic: [unclosed\n")
    bank = load_bank(tmp_path)
    messages = [str(p) for p in bank.problems]
    assert any(
        m.startswith("demo.yaml: demo-a: options: needs exactly one correct option")
        for m in messages
    )
    assert any(m.startswith("demo.yaml: demo-a: id: already used in demo.yaml") for m in messages)
    assert any("demo-c: prompt: near-duplicate of demo-a" in m for m in messages), messages
    assert any(m.startswith("demo.yaml: demo-d: difficulty:") for m in messages)
    assert any(m.startswith("demo.yaml: demo-d: model_answer:") for m in messages)
    assert any(m.startswith(("broken.yaml: : line", "broken.yaml: line")) for m in messages), (
        messages
    )
    assert [q.id for q in bank.questions] == [
        "demo-a",
        "demo-c",
    ]  # near-duplicates are flagged, kept


def test_mention_syntax_is_refused(tmp_path):
    body = "topic: demo\ntitle: Demo\nquestions:\n" + GOOD_MC.format(
        id="demo-a", prompt="Tell <!channel> what the answer is?", two="true", three="false"
    )
    write(tmp_path, "demo.yaml", body)
    assert any("mention syntax" in str(p) for p in load_bank(tmp_path).problems)


def test_an_answer_format_is_for_short_answers_and_a_shape_must_parse(tmp_path):
    body = """topic: demo
title: Demo
questions:
  - id: demo-shape
    tags: [x]
    difficulty: 1
    kind: short_answer
    answer_format: shape
    prompt: What shape does the array have after the transform?
    answers: ["(5, 10)", "five by ten"]
    explanation: An explanation that is long enough.
    reference: A reference title
    source: original
    license: CC-BY-4.0
""" + GOOD_MC.format(
        id="demo-mc", prompt="Which of these is the demo answer?", two="true", three="false"
    ).replace("kind: multiple_choice", "kind: multiple_choice\n    answer_format: code")
    write(tmp_path, "demo.yaml", body)
    messages = [str(p) for p in load_bank(tmp_path).problems]
    refused = (
        "demo.yaml: demo-shape: answers.1: “five by ten” is not a shape; write it like (5, 10)"
    )
    assert refused in messages, messages
    assert any(m.startswith("demo.yaml: demo-mc: ") for m in messages), messages
    assert len(messages) == 2, messages


def test_questions_check_exits_non_zero_on_a_bad_file(tmp_path, monkeypatch, capsys):
    write(tmp_path, "demo.yaml", "topic: demo\ntitle: Demo\nquestions: []\n")
    monkeypatch.setenv("STUDYBOT_QUESTIONS_DIR", str(tmp_path))
    assert main(["questions", "check"]) == 1
    assert "demo.yaml" in capsys.readouterr().out


def test_questions_stats_prints_json(monkeypatch, capsys, tmp_path):
    import json

    monkeypatch.delenv("STUDYBOT_QUESTIONS_DIR", raising=False)
    monkeypatch.setenv("STUDYBOT_PACKS_DIR", str(tmp_path / "no-packs"))
    assert main(["questions", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == len(load_bank(QUESTIONS_DIR).questions)
    assert sum(stats["by_kind"].values()) == stats["total"]


def test_questions_try_shows_the_evidence_for_each_key_point(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("STUDYBOT_QUESTIONS_DIR", str(Path(__file__).parents[1] / "data" / "bank"))
    monkeypatch.setenv("STUDYBOT_PACKS_DIR", str(tmp_path / "no-packs"))
    answer = "Classes are imbalanced, so use a random split and watch for drift."
    assert main(["questions", "try", "basics-scenario", answer]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == "✓ Extreme class imbalance makes accuracy useless"
    assert shown[1] == "    found: “classes imbalanced”"
    assert "    wrong claim: “random split”" in shown
    assert "    named only (3/4 of the point): “drift”" in shown
    assert shown[-1] == "score 0.19"
    assert main(["questions", "try", "no-such-question", "x"]) == 1


def test_every_listed_scenario_domain_has_at_least_three_packets():
    from bot.domain.scenarios import DOMAINS, domain_counts

    counts = domain_counts(SHIPPED.questions)
    assert {d: counts[d] for d in DOMAINS if counts[d] < 3} == {}
