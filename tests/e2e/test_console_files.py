"""Files that come with a reply, from the console: written to a folder, their paths printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.e2e.post_time import open_now

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, script: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--name", "Ada"],
        input=script,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
            "STUDYBOT_QUESTIONS_DIR": str(ROOT / "tests" / "data" / "bank"),
            **open_now(),
            **env,
        },
        cwd=tmp_path,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def test_stats_and_group_stats_write_their_cards_and_print_where(tmp_path):
    folder = tmp_path / "cards"
    lines = ["setup kinds=mc difficulty=easy", "post-now replace", "answer B", "close-now"]
    script = "\n".join([*lines, "stats", "stats group", "quit"])
    out = run(tmp_path, script, STUDYBOT_FILES_DIR=str(folder))
    card = folder / "studybot-stats.png"
    group = folder / "studybot-group-stats.png"
    assert f"Saved {card.resolve()}" in out and f"Saved {group.resolve()}" in out
    assert "Your stats card: points over the last 90 days (10 in all)" in out
    assert "Most often missed" not in out  # Ada was right: nothing missed yet
    for path in (card, group):
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (1200, 800)


def test_without_a_folder_setting_the_files_go_beside_the_database(tmp_path):
    out = run(tmp_path, "stats\nquit\n", STUDYBOT_FILES_DIR="")
    saved = tmp_path / "studybot-files" / "studybot-stats.png"
    assert saved.is_file() and f"Saved {saved.resolve()}" in out
    assert "Your stats card: no answers yet." in out
