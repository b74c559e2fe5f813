"""`studybot run` says plainly what is missing instead of starting half-configured."""

import pytest

from bot.cli import main


@pytest.fixture(autouse=True)
def no_platform_tokens(monkeypatch, tmp_path):
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'run.db'}")


def test_without_tokens_it_points_to_the_console(capsys):
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN" in err and "studybot console" in err


def test_a_slack_bot_token_alone_names_the_missing_setting(monkeypatch, capsys):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_APP_TOKEN" in err and "SLACK_SIGNING_SECRET" in err
    assert "xoxb-1" not in err
