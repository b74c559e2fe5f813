"""The Slack manifest asks for every scope the adapter's Web API calls need, and no more.

The table gives each method the adapter calls its bot-token scope, from Slack's method
reference; a method missing from the table fails the test until its scope is looked up."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SLACK = ROOT / "adapters" / "slack"

SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    # files.getUploadURLExternal and files.completeUploadExternal, both files:write
    "files_upload_v2": {"files:write"},
    "users_info": {"users:read"},
    "views_open": set(),
    "views_publish": set(),
}
# conversations.open needs im:write for a direct message and mpim:write for a group of people
CONVERSATIONS_OPEN = {"one": {"im:write"}, "group": {"mpim:write"}}


def manifest() -> dict:
    return yaml.safe_load((ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))


def called_methods() -> dict[str, list[str]]:
    calls: dict[str, list[str]] = {}
    for path in SLACK.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"client\.([a-z]+_[A-Za-z0-9_]+)\((.*)", source):
            calls.setdefault(match.group(1), []).append(match.group(2))
    return calls


def test_manifest_scopes_are_exactly_what_the_calls_need():
    needed = {"commands"}  # the /quiz slash command
    for method, arguments in called_methods().items():
        if method == "conversations_open":
            for argument in arguments:
                kind = "group" if "join" in argument else "one"
                needed |= CONVERSATIONS_OPEN[kind]
            continue
        assert method in SCOPES, f"look up the scope of {method} and add it to SCOPES"
        needed |= SCOPES[method]
    requested = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert requested == needed, f"missing {needed - requested}, unused {requested - needed}"
    # the pair of a mock interview gets a group DM: the case that used to be missing
    assert "mpim:write" in requested


def test_usage_hint_lists_every_subcommand_members_use():
    (quiz,) = manifest()["features"]["slash_commands"]
    words = ("scenario", "practice", "leaderboard", "stats", "pair", "privacy", "forget-me", "help")
    for word in words:
        assert word in quiz["usage_hint"]
    assert len(quiz["usage_hint"]) <= 1000
