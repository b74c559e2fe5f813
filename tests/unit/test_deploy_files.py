"""The Dockerfile and compose.yaml run the documented command from the locked runtime
dependencies. No image can be built here (no container registry), so the build stage's COPY
set is rebuilt into a folder and the wheel is built from exactly that."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from bot.config import normalize_database_url

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def worker_command() -> list[str]:
    procfile = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    return procfile["worker"].split()


def test_the_image_runs_the_worker_as_a_user_from_the_runtime_lockfile():
    assert f"CMD {worker_command()!r}".replace("'", '"') in DOCKERFILE
    assert "-r requirements/runtime.txt" in DOCKERFILE
    assert "USER studybot" in DOCKERFILE and "VOLUME /data" in DOCKERFILE
    assert "requirements/dev.txt" not in DOCKERFILE and "requirements/ml.txt" not in DOCKERFILE


def test_compose_runs_the_same_command_on_postgres():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    bot = compose["services"]["bot"]
    assert bot["command"] == worker_command()
    assert normalize_database_url(bot["environment"]["DATABASE_URL"]).startswith(
        "postgresql+asyncpg://"
    )
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_build_stage_copies_everything_the_wheel_needs(tmp_path):
    build_stage = DOCKERFILE.split("\nFROM ", 2)[1]
    context = tmp_path / "context"
    for line in build_stage.splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            *sources, _target = line.split()[1:]
            for source in sources:
                target = context / source
                target.parent.mkdir(parents=True, exist_ok=True)
                if (ROOT / source).is_dir():
                    shutil.copytree(
                        ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__")
                    )
                else:
                    shutil.copy2(ROOT / source, target)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        cwd=context,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("studybot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bot/data/questions/schema.json" in names
    assert "bot/data/migrations/env.py" in names
    assert "bot/data/questions/vocabulary/terms.yaml" in names
    assert "adapters/slack/app.py" in names


def test_the_declared_python_versions_are_the_ones_ci_runs():
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    script = (ROOT / "scripts" / "test-pythons").read_text()
    others = re.search(r"STUDYBOT_OTHER_PYTHONS:-([\d. ]+)\}", script).group(1).split()
    assert project["requires-python"] == ">=3.11"
    assert declared == {"3.11", *others}  # 3.11 is CI's main interpreter (make test)
    assert "scripts/test-pythons" in (ROOT / ".ci" / "run").read_text()
