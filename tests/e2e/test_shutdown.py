"""SIGTERM and SIGINT (what Docker, systemd and a PaaS send) stop the bot cleanly: the answers
that got a reply are in the database, the database is closed (SQLite's write-ahead log folded
back), and the process exits 0 within the shutdown bound."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def wait_for_line(lines: queue.Queue[str], text: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"never saw {text!r}; output was:\n" + "".join(seen))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_console_cleanly_with_every_recorded_answer_kept(tmp_path, stop):
    database = tmp_path / "studybot.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--name", "Ada"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "STUDYBOT_QUESTIONS_DIR": str(ROOT / "tests" / "data" / "bank"),
            "LOG_LEVEL": "INFO",
        },
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    assert process.stdin is not None
    try:
        script = "setup kinds=mc difficulty=easy\npost-now replace\nanswer B\nas Bob\nanswer A\n"
        process.stdin.write(script)
        process.stdin.flush()
        wait_for_line(lines, "Recorded A")
        # stdin stays open: the bot is waiting for the next command when the signal comes
        started = time.monotonic()
        process.send_signal(stop)
        returncode = process.wait(timeout=20)
        took = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read() if process.stderr else ""
    # 0, not -15 (killed by SIGTERM) or 130 (KeyboardInterrupt): the bot's own handler stopped it
    assert returncode == 0, stderr
    assert took < 12, took
    assert "Traceback" not in stderr
    # closed cleanly: the last connection folded SQLite's log back and removed it
    assert not Path(f"{database}-wal").exists()
    with sqlite3.connect(database) as conn:
        answers = conn.execute(
            "SELECT m.display_name, a.choice FROM answers a JOIN members m ON m.id = a.member_id "
            "ORDER BY m.display_name"
        ).fetchall()
    assert answers == [("Ada", 1), ("Bob", 0)]
