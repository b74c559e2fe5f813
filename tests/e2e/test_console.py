"""The console adapter driven through stdin, as a person typing would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_console(tmp_path: Path, script: str, *extra: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        "STUDYBOT_QUESTIONS_DIR": str(ROOT / "tests" / "data" / "bank"),
        "STUDYBOT_POST_TIME": "23:59",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", *extra],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def test_post_answer_second_answer_close_reveal_and_leaderboard(tmp_path):
    script = "\n".join(
        [
            "setup kinds=mc difficulty=easy",
            "post-now",
            "post-now replace",
            "answer B",
            "answer C",
            "as Bob",
            "answer A",
            "close-now",
            "result",
            "leaderboard all",
            "quit",
        ]
    )
    out = run_console(tmp_path, script, "--name", "Ada")
    assert "Which metric is the share of predicted positives" in out
    # the first start posted #1; a plain post-now refuses to stack a second one
    assert "Question #1 is still open. Close it with close-now, or use post-now replace" in out
    assert "Answer with: answer A|B|C" in out
    assert "Recorded B (Precision)" in out
    # (the console's first start also posted the day's question that was due: this is #2)
    assert "You already answered question #2: B (Precision). Only your first answer counts." in out
    assert "Recorded A (Recall)" in out
    assert "Answer: B — Precision" in out
    assert "Choices: A: 1  B: 1  C: 0" in out
    assert "Got it right: Ada" in out
    assert "You answered A, which is not right: +0 points." in out
    assert "1. Ada — 10 pts (1/1 right)\n2. Bob — 0 pts (0/1 right)" in out


def test_practice_scenario_help_and_bad_input(tmp_path):
    script = "\n".join(
        [
            "/quiz help",
            "/quiz scenario fraud",
            "hint",
            "pick imbalanced classes; watch precision and drift",
            "model",
            "practice astrology",
            "setup timezone=Mars/Olympus",
            "close-now",
            "close-now",
            "answer B",
            "frobnicate",
        ]
    )
    out = run_console(tmp_path, script)
    assert "/quiz practice [topic] [difficulty]" in out
    assert "Design a fraud detection model" in out
    assert "Hint 1 of 1" in out
    assert "You covered 3 of 4 key points" in out
    assert "Follow-up questions" in out
    assert (
        "“astrology” is neither a difficulty (easy, medium or hard) nor a topic. Topics: basics."
        in out
    )
    assert "“Mars/Olympus” is not a known time zone." in out
    assert "No question is open right now." in out  # after closing the day's question
    assert "Unknown command “frobnicate”." in out


def test_the_bot_refuses_to_start_on_a_bad_setting_and_names_it(tmp_path):
    env = {**os.environ, "STUDYBOT_TIMEZONE": "Moon/Base", "DATABASE_URL": "mysql://x"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert "STUDYBOT_TIMEZONE" in result.stderr and "Moon/Base" in result.stderr
    assert "DATABASE_URL" in result.stderr and "postgresql+asyncpg://" in result.stderr
    assert "Traceback" not in result.stderr


def test_mock_interviews_from_the_console(tmp_path):
    script = "\n".join(
        [
            "pair join whenever",
            "pair join Mon-Thu 18:00-21:00 tz=Europe/Berlin",
            "as Bob",
            "pair join weekdays 17:00-20:00 tz=Europe/London",
            "pair-now",
            "pair status",
        ]
    )
    out = run_console(tmp_path, script, "--name", "Ada")
    assert "for example: Mon-Thu 18:00-21:00" in out
    assert "You're in for mock interviews" in out
    assert "(direct message to local-ada) This week you practise with Bob." in out
    assert "Mon 18:00–21:00 CET" in out  # 17:00–20:00 UTC, in Ada's own time zone
    assert "Mon 17:00–20:00 GMT" in out  # the same hours, in Bob's
    assert "with Ada" in out


def test_a_letter_for_a_free_text_question_is_refused_and_nothing_is_recorded(tmp_path):
    script = "\n".join(
        [
            "setup kinds=open",
            "post-now replace",
            "answer B",
            "close-now",
            "result",
            "result 1",
            "quit",
        ]
    )
    out = run_console(tmp_path, script, "--name", "Ada")
    assert "is a free-text question (open): answer in your own words" in out
    assert "You did not answer question #2." in out
    assert "You did not answer question #1." in out  # result N reads question #N


def test_the_default_member_is_the_login_name_and_bare_commands_print_their_usage(
    tmp_path, monkeypatch
):
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "grace")
    out = run_console(tmp_path, "as\ntimezone\nquit\n")
    assert "Usage: as <name>, e.g. as Bob: play another member of the group. You are grace." in out
    assert "Usage: timezone <IANA name>, e.g. timezone Europe/Berlin" in out
    assert "Unknown command" not in out


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.strip().startswith("studybot 0.")
