"""The built wheel is the product: installed into a fresh virtualenv outside the checkout, it
runs with its shipped bank and migrations (found as package data, not beside the source)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.question_bank import load_bank
from tests.e2e.post_time import open_now

ROOT = Path(__file__).resolve().parents[2]


def run(command: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "STUDYBOT_QUESTIONS_DIR", "DATABASE_URL", "VIRTUAL_ENV"}
    }
    environment["DATABASE_URL"] = "sqlite:///studybot.db"
    environment.update(open_now())
    result = subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, text=True, env=environment, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel built from this checkout and its dependencies."""
    base = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", "dist"], base)
    (wheel,) = (base / "dist").glob("studybot-*.whl")
    run([sys.executable, "-m", "venv", "venv"], base)
    run([str(base / "venv/bin/python"), "-m", "pip", "install", "-q", str(wheel)], base)
    return base / "venv" / "bin"


def test_the_installed_wheel_runs_from_a_folder_that_is_not_the_checkout(installed, tmp_path):
    where = run([str(installed / "python"), "-c", "import bot; print(bot.__file__)"], tmp_path)
    assert str(ROOT) not in where.stdout and "site-packages" in where.stdout

    version = run([str(installed / "studybot"), "--version"], tmp_path)
    assert version.stdout.startswith("studybot 0.")

    run([str(installed / "studybot"), "db", "upgrade"], tmp_path)
    assert (tmp_path / "studybot.db").is_file()

    check = run([str(installed / "studybot"), "questions", "check"], tmp_path)
    shipped = load_bank(ROOT / "questions")
    assert f"OK: {len(shipped.questions)} questions in {len(shipped.topics)} topics" in check.stdout
    stats = json.loads(
        run([str(installed / "studybot"), "questions", "stats", "--json"], tmp_path).stdout
    )
    assert stats["total"] == len(shipped.questions) > 300

    session = run(
        [str(installed / "studybot"), "console", "--name", "Ada"],
        tmp_path,
        stdin="question\nleaderboard all\nquit\n",
    )
    assert "Question of the day #1" in session.stdout
    assert "No scores yet for this period" in session.stdout
    assert "Traceback" not in session.stdout + session.stderr


def test_questions_check_of_an_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "questions", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "STUDYBOT_QUESTIONS_DIR": str(tmp_path / "empty")},
        timeout=60,
    )
    assert result.returncode == 1
    assert "No questions found in" in result.stderr and "OK" not in result.stdout
