"""The console adapter driven through stdin, as a person typing would."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from tests.e2e.post_time import open_now

ROOT = Path(__file__).resolve().parents[2]


def run_console(tmp_path: Path, script: str, *extra: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        "STUDYBOT_QUESTIONS_DIR": str(ROOT / "tests" / "data" / "bank"),
        **open_now(),
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
    assert "✓ Monitor for drift after deployment — named “drift”, not said how" in out
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


def test_privacy_and_forget_me_with_its_confirmation(tmp_path):
    script = "\n".join(
        [
            "setup kinds=mc difficulty=easy",
            "post-now replace",
            "answer B",
            "privacy",
            "forget-me confirm",
            "forget-me",
            "forget-me confirm",
            "privacy",
            "quit",
        ]
    )
    out = run_console(tmp_path, script, "--name", "Ada")
    assert "[What studybot stores about you]" in out and "1 daily answer:" in out
    assert "Run forget-me first" in out
    assert "Confirm with: forget-me confirm" in out
    assert "[Your studybot data is deleted]" in out and "Deleted: your name and time zone" in out
    assert "your user id as the admin contact" in out  # Ada ran setup
    last_privacy = out.rsplit("> privacy", 1)[1]
    assert "studybot stores nothing about you in this community" in last_privacy


def test_export_writes_the_answers_and_the_missed_questions_to_files(tmp_path):
    script = "\n".join(
        ["setup kinds=mc difficulty=easy", "post-now replace", "answer A", "close-now", "export"]
    )
    out = run_console(tmp_path, script + "\nquit", "--name", "Ada")
    assert "[Your studybot export]" in out
    saved = tmp_path / "studybot-files"
    answers = (saved / "studybot-answers.csv").read_text(encoding="utf-8-sig")
    assert answers.splitlines()[1].startswith("daily,")
    assert ",A: Recall,0.00,0," in answers
    deck = (saved / "studybot-missed-anki.txt").read_text(encoding="utf-8")
    assert deck.count("studybot:basics-mc-easy") == 1


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
def test_a_line_longer_than_the_terminal_buffer_arrives_whole(tmp_path):
    """A terminal in canonical mode passes on at most 4,095 characters of a line; the console
    reads a terminal with readline, so a long paste arrives whole (here: refused for its
    length, which it could not be if it had been cut to 4,095)."""
    bank = yaml.safe_load((ROOT / "tests" / "data" / "bank" / "basics.yaml").read_text())
    bank["questions"] = [q for q in bank["questions"] if q["kind"] == "open"]  # whatever the day
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "basics.yaml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    master, slave = os.openpty()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        "STUDYBOT_QUESTIONS_DIR": str(tmp_path / "bank"),
        **open_now(),
        "TERM": "dumb",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--name", "Ada"],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    received: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            received.append(data)

    def seen(text: str, timeout: float = 30) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in b"".join(received).decode(errors="replace"):
                return True
            time.sleep(0.05)
        return False

    def prompted(timeout: float = 30) -> bool:
        """The prompt is the last thing printed: readline has the terminal in its own mode.
        (The banner's help text holds "> " too, and a paste sent then would meet the
        terminal's canonical mode and its cut.)"""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if b"".join(received).decode(errors="replace").endswith("> "):
                return True
            time.sleep(0.05)
        return False

    threading.Thread(target=drain, daemon=True).start()
    try:
        assert prompted(), b"".join(received)[-600:]
        line = ("answer " + "x" * 5000 + "\r").encode()
        for start in range(0, len(line), 512):  # as a paste arrives: in pieces
            os.write(master, line[start : start + 512])
        assert seen("Your answer is 5000 characters; the limit is 1500."), b"".join(received)[-600:]
        os.write(master, b"quit\r")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert b"Traceback" not in proc.stderr.read()


def test_a_practice_answer_comes_back_for_review(tmp_path):
    out = run_console(
        tmp_path, "review\npractice basics easy\npick A\nreview\nquit\n", "--name", "Ada"
    )
    assert "Nothing to review yet" in out
    assert "Next review of this question:" in out
    assert "Nothing is due for review. Your next review is due on" in out


def test_review_nudges_are_turned_on_and_off_in_the_console(tmp_path):
    out = run_console(
        tmp_path, "remind on 07:00\nremind on 18:30\nremind off\nquit\n", "--name", "Ada"
    )
    assert "07:00 is in your quiet hours (22:00-08:00)" in out
    assert "Review nudges are on: a private message at 18:30" in out
    assert "Review nudges are off." in out


def test_plain_practice_then_the_admin_difficulty_listing(tmp_path):
    out = run_console(tmp_path, "practice\npick A\ndifficulty\nquit\n", "--name", "Ada")
    assert "Practice — Basics" in out
    assert "Next review of this question:" in out
    assert "Every question plays as labelled. 0 questions have 20 or more answers" in out
