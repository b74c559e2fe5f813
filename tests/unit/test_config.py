import re
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config, normalize_database_url, redacted


def test_defaults_need_nothing(tmp_path):
    config = load_config({}, env_file=tmp_path / "none")
    assert config.database_url == "sqlite+aiosqlite:///studybot.db"
    assert config.timezone == "UTC"


def test_dotenv_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("STUDYBOT_TIMEZONE=Asia/Kolkata\nSTUDYBOT_POST_TIME=07:15\n")
    config = load_config({"STUDYBOT_POST_TIME": "08:00"}, env_file=env_file)
    assert (config.timezone, config.post_time) == ("Asia/Kolkata", "08:00")


def test_every_bad_value_is_named_with_an_example(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(
            {
                "STUDYBOT_TIMEZONE": "Nowhere",
                "STUDYBOT_POST_TIME": "9 o'clock",
                "DATABASE_URL": "::::",
                "LOG_LEVEL": "LOUD",
            },
            env_file=tmp_path / "none",
        )
    message = str(info.value)
    for fragment in (
        "STUDYBOT_TIMEZONE",
        "STUDYBOT_POST_TIME",
        "HH:MM",
        "DATABASE_URL",
        "sqlite+aiosqlite:///studybot.db",
        "LOG_LEVEL",
    ):
        assert fragment in message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgres://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
        ("postgresql://u@h:5433/db", "postgresql+asyncpg://u@h:5433/db"),
    ],
)
def test_common_url_spellings_are_turned_into_async_drivers(given, expected):
    assert normalize_database_url(given) == expected


def test_secrets_are_masked_when_settings_are_logged(tmp_path):
    config = load_config(
        {
            "DATABASE_URL": "postgresql://bot:hunter2@db/studybot",
            "DISCORD_TOKEN": "abc",
            "SLACK_SIGNING_SECRET": "s3cret",
            "DISCORD_DEV_GUILD_ID": "42",
        },
        env_file=tmp_path / "none",
    )
    shown = str(redacted(config))
    assert "hunter2" not in shown and "abc" not in shown and "s3cret" not in shown
    assert "42" in shown


ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(
    r'"((?:DISCORD|SLACK|STUDYBOT)_[A-Z_]+|DATABASE_URL|LOG_LEVEL|LOG_FORMAT|PORT|HEALTH_PORT)"'
)


def test_env_example_lists_every_variable_the_code_reads_and_loads_cleanly():
    read = {
        name
        for folder in ("bot", "adapters")
        for path in (ROOT / folder).rglob("*.py")
        for name in VARIABLE.findall(path.read_text(encoding="utf-8"))
    }
    example = ROOT / ".env.example"
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example.read_text(), re.MULTILINE))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", _configuration_table()))
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"
    assert listed == documented, f"README and .env.example differ: {sorted(listed ^ documented)}"
    config = load_config({}, env_file=example)
    assert config.database_url == "sqlite+aiosqlite:///studybot.db"
    assert config.questions_dir is None


def _configuration_table() -> str:
    """The README's table of environment variables (the one before the settings table)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("| setting |", 1)[0]
    return "\n".join(
        line.split(" | ")[0] for line in section.splitlines() if line.startswith("| `")
    )
