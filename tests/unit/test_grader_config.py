"""The model grader's settings: off unless a URL is set, every bad value named, the key masked."""

import pytest

from bot.config import ConfigError, load_config, redacted

GRADER = {
    "STUDYBOT_GRADER_URL": "http://localhost:11434/v1/",
    "STUDYBOT_GRADER_MODEL": "qwen2.5:7b-instruct",
    "STUDYBOT_GRADER_API_KEY": "sk-secret-77",
}


def test_without_a_url_there_is_no_model_grader(tmp_path):
    config = load_config({"STUDYBOT_GRADER_MODEL": "ignored"}, env_file=tmp_path / "none")
    assert config.grader is None


def test_a_configured_grader_has_its_defaults_and_a_url_without_the_trailing_slash(tmp_path):
    grader = load_config(GRADER, env_file=tmp_path / "none").grader
    assert grader is not None
    assert grader.url == "http://localhost:11434/v1"
    assert (grader.timeout_s, grader.request_timeout_s, grader.batch) == (20.0, 10.0, 4)
    assert (grader.max_answers, grader.max_tokens, grader.api_key) == (100, 600, "sk-secret-77")


def test_every_bad_grader_value_is_named_with_an_example(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(
            {
                "STUDYBOT_GRADER_URL": "ftp://models.example.org",
                "STUDYBOT_GRADER_TIMEOUT": "soon",
                "STUDYBOT_GRADER_BATCH": "0",
                "STUDYBOT_GRADER_MAX_ANSWERS": "lots",
                "STUDYBOT_GRADER_MAX_TOKENS": "10",
            },
            env_file=tmp_path / "none",
        )
    message = str(info.value)
    for fragment in (
        "STUDYBOT_GRADER_URL=http://localhost:11434/v1",
        "STUDYBOT_GRADER_MODEL is needed",
        "STUDYBOT_GRADER_TIMEOUT “soon”",
        "STUDYBOT_GRADER_BATCH “0” must be a number from 1 to 64",
        "STUDYBOT_GRADER_MAX_ANSWERS “lots”",
        "STUDYBOT_GRADER_MAX_TOKENS “10”",
    ):
        assert fragment in message


def test_a_request_timeout_longer_than_the_reveal_wait_is_refused(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(
            {
                **GRADER,
                "STUDYBOT_GRADER_TIMEOUT": "5",
                "STUDYBOT_GRADER_REQUEST_TIMEOUT": "8",
            },
            env_file=tmp_path / "none",
        )
    assert "STUDYBOT_GRADER_REQUEST_TIMEOUT (8 s) is longer than" in str(info.value)


def test_the_api_key_is_masked_in_logged_settings_and_in_the_configs_repr(tmp_path):
    config = load_config(
        {**GRADER, "STUDYBOT_GRADER_URL": "https://bot:pw@llm.example.org/v1"},
        env_file=tmp_path / "none",
    )
    shown = str(redacted(config))
    assert "sk-secret-77" not in shown and "pw@" not in shown
    assert "llm.example.org/v1" in shown and "qwen2.5:7b-instruct" in shown
    assert "sk-secret-77" not in repr(config.grader)
