"""Where the shipped question bank and the migrations are.

In a checkout they are the top-level `questions/` and `migrations/` folders, their source. An
installed wheel carries the same files as the package data `bot.data.questions` and
`bot.data.migrations` (see pyproject.toml), found through importlib.resources.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(top_level: str, packaged: str, marker: str) -> Path:
    source = CHECKOUT / top_level
    if (CHECKOUT / "pyproject.toml").is_file() and (source / marker).is_file():
        return source
    # `bot` is a regular package installed as plain files, so this is a real folder (the data
    # folders themselves have no __init__.py, and would resolve to a namespace path)
    return Path(str(files("bot").joinpath("data", packaged)))


def questions_dir() -> Path:
    return _folder("questions", "questions", "schema.json")


def migrations_dir() -> Path:
    return _folder("migrations", "migrations", "env.py")
