"""Settings from the environment (and an optional `.env`), checked at start.

A bad value stops the bot with a message that names the variable and shows a valid example.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from dotenv import dotenv_values
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.community import CommunitySettings, parse_time, parse_timezone
from bot.domain.errors import InvalidSetting

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///studybot.db"
DEFAULT_PACKS_DIR = Path("packs")
"""Imported question packs live with the bot's data (next to the default `studybot.db`), never
inside the shipped bank, so `questions check` of the bank stays as shipped."""
SECRET_NAMES = ("TOKEN", "SECRET", "PASSWORD")


class ConfigError(Exception):
    """One or more settings are wrong; the message lists each with an example."""


@dataclass(frozen=True)
class GraderSettings:
    """The optional model grader (an OpenAI-compatible chat-completions endpoint)."""

    url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 20.0
    request_timeout_s: float = 10.0
    batch: int = 4
    max_answers: int = 100
    max_tokens: int = 600


@dataclass(frozen=True)
class Config:
    database_url: str = DEFAULT_DATABASE_URL
    timezone: str = "UTC"
    post_time: str = "09:00"
    questions_dir: Path | None = None
    packs_dir: Path = DEFAULT_PACKS_DIR
    log_level: str = "INFO"
    log_format: str = "text"
    grader: GraderSettings | None = None
    env: Mapping[str, str] = field(default_factory=dict, repr=False)

    def community_defaults(self) -> CommunitySettings:
        return CommunitySettings(timezone=self.timezone, post_time=parse_time(self.post_time))

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.env.get(name, default)
        return value if value not in ("", None) else default


def normalize_database_url(url: str) -> str:
    """Accept the usual spellings and return the async driver's URL.

    `sqlite:///x.db` becomes `sqlite+aiosqlite:///x.db`; `postgres://` and `postgresql://`
    become `postgresql+asyncpg://`.
    """
    text = url.strip()
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://") :]
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise InvalidSetting(
            f"DATABASE_URL “{_redact(url)}” is not a database URL. Examples: "
            "sqlite+aiosqlite:///studybot.db or postgresql+asyncpg://user:pass@host/dbname"
        ) from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend == "sqlite" and driver in ("pysqlite", "aiosqlite"):
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend == "postgresql" and driver in ("psycopg2", "asyncpg", "psycopg"):
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise InvalidSetting(
        f"DATABASE_URL uses “{parsed.drivername}”, which studybot does not support. Use "
        "sqlite+aiosqlite:///studybot.db or postgresql+asyncpg://user:pass@host/dbname"
    )


def _redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url


N = TypeVar("N", int, float)


def _number(
    values: Mapping[str, str],
    name: str,
    kind: Callable[[str], N],
    default: N,
    low: N,
    high: N,
    errors: list[str],
) -> N:
    text = (values.get(name) or "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors.append(
            f"{name} “{text}” must be a number from {low} to {high}. Example: {name}={default}"
        )
        return default
    return value


def _grader_settings(values: Mapping[str, str], errors: list[str]) -> GraderSettings | None:
    """None unless STUDYBOT_GRADER_URL is set: the deterministic grader needs no settings."""
    url = (values.get("STUDYBOT_GRADER_URL") or "").strip().rstrip("/")
    if not url:
        return None
    try:
        parts = urlsplit(url)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        usable = False
    if not usable:
        errors.append(
            "STUDYBOT_GRADER_URL must be the http(s) base URL of an OpenAI-compatible API "
            "(the part before /chat/completions). Example: "
            "STUDYBOT_GRADER_URL=http://localhost:11434/v1"
        )
    model = (values.get("STUDYBOT_GRADER_MODEL") or "").strip()
    if not model:
        errors.append(
            "STUDYBOT_GRADER_MODEL is needed with STUDYBOT_GRADER_URL: the model's name at that "
            "endpoint. Example: STUDYBOT_GRADER_MODEL=qwen2.5:7b-instruct"
        )
    timeout = _number(values, "STUDYBOT_GRADER_TIMEOUT", float, 20.0, 1.0, 600.0, errors)
    request_timeout = _number(
        values, "STUDYBOT_GRADER_REQUEST_TIMEOUT", float, min(10.0, timeout), 1.0, 600.0, errors
    )
    if request_timeout > timeout:
        errors.append(
            f"STUDYBOT_GRADER_REQUEST_TIMEOUT ({request_timeout:g} s) is longer than "
            f"STUDYBOT_GRADER_TIMEOUT ({timeout:g} s), the most a reveal waits for the grader. "
            "Example: STUDYBOT_GRADER_REQUEST_TIMEOUT=10"
        )
    return GraderSettings(
        url=url,
        model=model,
        api_key=(values.get("STUDYBOT_GRADER_API_KEY") or "").strip() or None,
        timeout_s=timeout,
        request_timeout_s=request_timeout,
        batch=_number(values, "STUDYBOT_GRADER_BATCH", int, 4, 1, 64, errors),
        max_answers=_number(values, "STUDYBOT_GRADER_MAX_ANSWERS", int, 100, 1, 10_000, errors),
        max_tokens=_number(values, "STUDYBOT_GRADER_MAX_TOKENS", int, 600, 50, 8_000, errors),
    )


def load_config(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Config:
    """Read settings; the process environment wins over `.env`."""
    values: dict[str, str] = {}
    path = env_file if env_file is not None else Path.cwd() / ".env"
    if path.is_file():
        values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    errors = []
    database_url = DEFAULT_DATABASE_URL
    try:
        database_url = normalize_database_url(values.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    except InvalidSetting as error:
        errors.append(error.user_message)
    timezone = values.get("STUDYBOT_TIMEZONE") or "UTC"
    try:
        timezone = parse_timezone(timezone).key
    except InvalidSetting as error:
        errors.append(f"STUDYBOT_TIMEZONE: {error.user_message}")
    post_time = values.get("STUDYBOT_POST_TIME") or "09:00"
    try:
        parse_time(post_time)
    except InvalidSetting as error:
        errors.append(f"STUDYBOT_POST_TIME: {error.user_message}")
    questions_dir = None
    if values.get("STUDYBOT_QUESTIONS_DIR"):
        questions_dir = Path(values["STUDYBOT_QUESTIONS_DIR"])
        if not questions_dir.is_dir():
            errors.append(
                f"STUDYBOT_QUESTIONS_DIR “{questions_dir}” is not a folder. Example: "
                "STUDYBOT_QUESTIONS_DIR=./questions"
            )
    packs_dir = Path(values.get("STUDYBOT_PACKS_DIR") or DEFAULT_PACKS_DIR)
    if packs_dir.exists() and not packs_dir.is_dir():
        errors.append(
            f"STUDYBOT_PACKS_DIR “{packs_dir}” is a file, not a folder. Example: "
            "STUDYBOT_PACKS_DIR=./packs"
        )
    log_level = (values.get("LOG_LEVEL") or "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        errors.append(f"LOG_LEVEL “{log_level}” is not a level. Use DEBUG, INFO, WARNING or ERROR.")
    log_format = (values.get("LOG_FORMAT") or "text").lower()
    if log_format not in {"text", "json"}:
        errors.append(
            f"LOG_FORMAT “{log_format}” is not a format. Use text (the default) or json "
            "(one JSON object per line)."
        )
    grader = _grader_settings(values, errors)
    if errors:
        raise ConfigError("Configuration problems:\n" + "\n".join(f"- {e}" for e in errors))
    return Config(
        database_url=database_url,
        timezone=timezone,
        post_time=post_time,
        questions_dir=questions_dir,
        packs_dir=packs_dir,
        log_level=log_level,
        log_format=log_format,
        grader=grader,
        env=values,
    )


def redacted(config: Config) -> dict[str, str]:
    """The settings that are safe to log: secrets masked, passwords cut out of URLs."""
    shown = {
        "DATABASE_URL": _redact(config.database_url),
        "STUDYBOT_TIMEZONE": config.timezone,
        "STUDYBOT_POST_TIME": config.post_time,
    }
    for name, value in config.env.items():
        if name.startswith(("DISCORD_", "SLACK_")):
            shown[name] = "***" if any(s in name for s in SECRET_NAMES) else value
    if config.grader is not None:
        shown["STUDYBOT_GRADER_URL"] = _without_credentials(config.grader.url)
        shown["STUDYBOT_GRADER_MODEL"] = config.grader.model
        shown["STUDYBOT_GRADER_API_KEY"] = "***" if config.grader.api_key else ""
    return shown


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()
