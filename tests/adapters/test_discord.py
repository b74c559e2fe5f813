"""The real discord.py client, end to end against the local Discord stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio
import yarl
from aiohttp.test_utils import TestServer
from PIL import Image

from adapters.discord.client import StudybotDiscord
from bot.app import Studybot
from bot.bootstrap import connect
from bot.commands import SetupChange
from bot.ports import Actor, UserRef
from bot.question_bank import load_bank
from bot.render import Action, OutMessage
from bot.service import actions
from bot.storage.migrate import upgrade
from tests.adapters.discord_standin import (
    APP_ID,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    GUILD_ID,
    DiscordStandIn,
)
from tests.adapters.nudging import make_a_nudge_due
from tests.adapters.waiting import until
from tests.conftest import TEST_BANK


@pytest_asyncio.fixture
async def standin(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordStandIn]:
    fake = DiscordStandIn()
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    base = f"http://127.0.0.1:{server.port}"
    monkeypatch.setattr(discord.http.Route, "BASE", f"{base}/api/v10")
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket,
        "DEFAULT_GATEWAY",
        yarl.URL(f"ws://127.0.0.1:{server.port}/gateway"),
    )
    yield fake
    await server.close()


@pytest_asyncio.fixture
async def db_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'discord.db'}"
    await upgrade(url)
    return url


class Running:
    """A core and a connected discord.py client; `restart` replaces both, like a new process."""

    def __init__(self, url: str, **options: Any) -> None:
        self.url = url
        self.options = options
        self.core: Studybot | None = None
        self.client: StudybotDiscord | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.core = connect(self.url, load_bank(TEST_BANK)).app
        self.client = StudybotDiscord(self.core, dev_guild_id=int(GUILD_ID), **self.options)
        self.task = asyncio.create_task(self.client.start("test-token"))
        # (not wait_until_ready: on Python 3.12+ it can run before start() has set it up)
        await until(self.client.is_ready, seconds=10)

    async def stop(self) -> None:
        assert self.client and self.task and self.core
        await self.client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.core.close()


@pytest_asyncio.fixture
async def bot(standin: DiscordStandIn, db_url: str) -> AsyncIterator[Running]:
    running = Running(db_url)
    await running.start()
    admin = Actor(UserRef("discord", GUILD_ID, "1"), "Owner", is_admin=True)
    reply = await running.core.setup(
        admin, SetupChange(channel=CHANNEL_ID, kinds="mc", difficulty="easy")
    )
    assert reply.title == "Settings saved"
    yield running
    await running.stop()


def command(name: str, sub: str, options: list | None = None) -> dict:
    return {
        "id": "1",
        "name": name,
        "type": 1,
        "options": [{"type": 1, "name": sub, "options": options or []}],
    }


async def run_command(
    standin: DiscordStandIn,
    name: str,
    sub: str,
    *,
    admin: bool = False,
    user_id: str = "100",
    options: list | None = None,
) -> dict:
    before = len(standin.followups())
    await standin.dispatch(
        "INTERACTION_CREATE",
        standin.interaction(2, command(name, sub, options), admin=admin, user_id=user_id),
    )
    await until(lambda: len(standin.followups()) > before)
    return standin.followups()[-1].body


async def click(
    standin: DiscordStandIn, custom_id: str, *, user_id: str = "100", name: str = "Ada"
) -> None:
    message = standin.message(CHANNEL_ID, {})
    await standin.dispatch(
        "INTERACTION_CREATE",
        standin.interaction(
            3,
            {"custom_id": custom_id, "component_type": 2},
            user_id=user_id,
            name=name,
            message=message,
        ),
    )


def buttons_of(body: dict) -> list[dict]:
    return [b for row in body.get("components", []) for b in row["components"]]


async def test_commands_sync_once_with_admin_commands_in_their_own_hidden_group(bot, standin):
    synced = [c for c in standin.calls if c.method == "PUT"]
    assert len(synced) == 1
    assert synced[0].path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    by_name = {c["name"]: c for c in synced[0].body}
    assert set(by_name) == {"quiz", "quiz-admin"}
    assert int(by_name["quiz-admin"]["default_member_permissions"]) == 1 << 5  # Manage Server
    assert {o["name"] for o in by_name["quiz"]["options"]} >= {
        "practice",
        "scenario",
        "leaderboard",
        "stats",
        "streak",
        "help",
        "privacy",
        "forget-me",
        "review",
        "remind",
        "export",
    }


async def test_daily_question_answer_close_and_threaded_reveal(bot, standin):
    refused = await run_command(standin, "quiz-admin", "post-now", user_id="200")
    assert "Manage Server" in refused["content"] and refused["flags"] == 64
    assert standin.posts(CHANNEL_ID) == []

    posted = await run_command(standin, "quiz-admin", "post-now", admin=True)
    assert posted["content"].startswith("Posted question #1")
    card = standin.posts(CHANNEL_ID)[0].body
    assert card["allowed_mentions"] == {"parse": []}
    assert card["embeds"][0]["title"].startswith("Question of the day #1")
    choices = buttons_of(card)
    assert [b["label"] for b in choices] == ["A", "B", "C"]

    await click(standin, choices[1]["custom_id"])
    await until(
        lambda: any("Recorded" in (c.body or {}).get("content", "") for c in standin.followups())
    )
    defer = standin.callbacks()[-1].body
    assert defer == {"type": 5, "data": {"flags": 64}}
    recorded = standin.followups()[-1].body
    assert recorded["content"].startswith("Recorded **B**") and recorded["flags"] == 64

    await click(standin, choices[0]["custom_id"])
    await until(lambda: "already answered" in standin.followups()[-1].body.get("content", ""))

    closed = await run_command(standin, "quiz-admin", "close-now", admin=True)
    assert closed["content"].startswith("Closed question #1")
    edits = [c for c in standin.calls if c.method == "PATCH" and c.path.startswith("/channels/")]
    assert all(b["disabled"] for b in buttons_of(edits[-1].body))
    thread = [c for c in standin.calls if c.path.endswith("/threads")]
    assert len(thread) == 1
    reveal = standin.posts()[-1]
    assert reveal.path != f"/channels/{CHANNEL_ID}/messages"  # in the thread
    assert reveal.body["embeds"][0]["fields"][2]["value"] == "Ada"


async def test_a_free_text_question_opens_a_modal_and_takes_the_answer(bot, standin):
    admin = Actor(UserRef("discord", GUILD_ID, "1"), "Owner", is_admin=True)
    await bot.core.setup(admin, SetupChange(kinds="open", difficulty="medium"))
    await run_command(standin, "quiz-admin", "post-now", admin=True)
    answer_button = buttons_of(standin.posts(CHANNEL_ID)[0].body)[0]
    await click(standin, answer_button["custom_id"])
    await until(lambda: standin.callbacks()[-1].body["type"] == 9)
    modal = standin.callbacks()[-1].body["data"]
    text_input = modal["components"][0]["components"][0]
    assert len(modal["title"]) <= 45 and text_input["max_length"] == 1500

    await standin.dispatch(
        "INTERACTION_CREATE",
        standin.interaction(
            5,
            {
                "custom_id": modal["custom_id"],
                "components": [
                    {
                        "type": 1,
                        "components": [
                            {
                                "type": 4,
                                "custom_id": "answer",
                                "value": "High bias underfits; high variance "
                                "overfits; pick complexity with validation.",
                            }
                        ],
                    }
                ],
            },
        ),
    )
    await until(lambda: "Recorded your answer" in standin.followups()[-1].body.get("content", ""))


async def test_scenario_practice_comes_with_hint_and_model_answer_buttons(bot, standin):
    body = await run_command(standin, "quiz", "scenario")
    assert body["embeds"][0]["title"].startswith("Scenario")
    labels = [b["label"] for b in buttons_of(body)]
    assert labels == ["Answer", "Hint", "Model answer"]
    await click(standin, buttons_of(body)[1]["custom_id"])
    await until(lambda: "Hint 1 of 1" in standin.followups()[-1].body.get("content", ""))


async def test_practice_feedback_names_the_evidence_per_key_point(bot, standin):
    body = await run_command(standin, "quiz", "scenario")
    await click(standin, buttons_of(body)[0]["custom_id"])
    await until(lambda: standin.callbacks()[-1].body["type"] == 9)
    modal = standin.callbacks()[-1].body["data"]
    answer = "The classes are imbalanced, so I would use a random split and monitor drift."
    field = {"type": 4, "custom_id": "answer", "value": answer}
    await standin.dispatch(
        "INTERACTION_CREATE",
        standin.interaction(
            5,
            {"custom_id": modal["custom_id"], "components": [{"type": 1, "components": [field]}]},
        ),
    )
    await until(lambda: "found “classes imbalanced”" in str(standin.followups()[-1].body))
    assert "claims “random split”" in str(standin.followups()[-1].body)


async def test_buttons_keep_working_after_a_restart(bot, standin):
    await run_command(standin, "quiz-admin", "post-now", admin=True)
    choices = buttons_of(standin.posts(CHANNEL_ID)[0].body)
    await bot.stop()
    await bot.start()
    await click(standin, choices[2]["custom_id"], user_id="300", name="Cy")
    await until(
        lambda: standin.followups()[-1].body.get("content", "").startswith("Recorded **C**")
    )


async def test_a_rate_limited_post_is_retried_and_nothing_is_lost(bot, standin):
    standin.rate_limit_next_post = 1
    posted = await run_command(standin, "quiz-admin", "post-now", admin=True)
    assert posted["content"].startswith("Posted question #1")
    assert len(standin.posts(CHANNEL_ID)) == 2  # the refused attempt and the retry


async def test_a_channel_without_permission_is_reported_to_the_admin(bot, standin):
    standin.forbidden_channels.add(CHANNEL_ID)
    reply = await run_command(standin, "quiz-admin", "post-now", admin=True)
    assert "retried automatically" in reply["content"]
    assert "Send Messages" in reply["content"]
    # the admin who ran setup also gets a direct message, once
    opened = [c for c in standin.calls if c.path == "/users/@me/channels"]
    assert [str(c.body["recipient_id"]) for c in opened] == ["1"]
    dm = standin.posts()[-1].body
    assert "could not post in your study group" in dm["content"]


async def test_the_client_shards_as_discord_recommends(standin, db_url):
    standin.shards = 2
    running = Running(db_url)
    await running.start()
    try:
        assert sorted(standin.identified_shards) == [[0, 2], [1, 2]]
        body = await run_command(standin, "quiz", "help")
        assert "studybot" in body["embeds"][0]["description"]
        assert len(standin.followups()) == 1  # one shard answered, not both
    finally:
        await running.stop()


async def test_a_process_runs_only_the_shards_it_is_given(standin, db_url):
    running = Running(db_url, shard_count=2, shard_ids=[1])
    await running.start()
    try:
        assert standin.identified_shards == [[1, 2]]  # the other process identifies shard 0
    finally:
        await running.stop()


def test_shard_ids_need_a_count_and_ids_below_it():
    from adapters.discord.run import shard_ids
    from bot.config import ConfigError, load_config

    def ids(**values: str) -> list[int] | None:
        return shard_ids(load_config(values, env_file=Path("/nonexistent")))

    assert ids(DISCORD_SHARD_COUNT="4", DISCORD_SHARD_IDS="2, 3") == [2, 3]
    assert ids(DISCORD_SHARD_COUNT="4") is None
    for bad in ({"DISCORD_SHARD_IDS": "0"}, {"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "2"}):
        with pytest.raises(ConfigError, match="DISCORD_SHARD_IDS"):
            ids(**bad)


async def test_mock_interview_opt_in_and_pairing(bot, standin):
    group = {
        "id": "1",
        "name": "quiz",
        "type": 1,
        "options": [
            {
                "type": 2,
                "name": "pair",
                "options": [
                    {
                        "type": 1,
                        "name": "join",
                        "options": [
                            {"type": 3, "name": "availability", "value": "Mon-Thu 18:00-21:00"},
                            {"type": 3, "name": "timezone", "value": "Europe/Berlin"},
                        ],
                    }
                ],
            }
        ],
    }
    for user_id in ("100", "200"):
        before = len(standin.followups())
        await standin.dispatch("INTERACTION_CREATE", standin.interaction(2, group, user_id=user_id))
        await until(lambda b=before: len(standin.followups()) > b)
        assert standin.followups()[-1].body["content"].startswith("You're in for mock interviews")
    paired = await run_command(standin, "quiz-admin", "pair-now", admin=True)
    assert ": 2 members in 1 group(s)" in paired["content"]
    dms = [c for c in standin.calls if c.path == "/users/@me/channels"]
    assert sorted(str(c.body["recipient_id"]) for c in dms) == ["100", "200"]
    thread = next(c for c in standin.calls if c.path == f"/channels/{CHANNEL_ID}/threads")
    assert thread.body["type"] == 12 and thread.body["invitable"] is False
    added = sorted(c.path.rsplit("/", 1)[1] for c in standin.calls if "thread-members" in c.path)
    assert added == ["100", "200"]


async def test_mock_interview_check_in_buttons_and_feedback_modal(bot, standin):
    from datetime import timedelta

    for user_id, zone in (("100", "Europe/Berlin"), ("200", "Europe/London")):
        actor = Actor(UserRef("discord", GUILD_ID, user_id), f"M{user_id}")
        await bot.core.pair_join(actor, "weekdays 17:00-20:00", zone)
    await run_command(standin, "quiz-admin", "pair-now", admin=True)
    real_now = bot.core.ctx.clock.now

    class Later:
        def now(self):
            return real_now() + timedelta(days=2, minutes=5)

    bot.core.ctx.clock = Later()
    await bot.core.tick()
    asks = [
        c.body
        for c in standin.posts()
        if buttons_of(c.body) and buttons_of(c.body)[0]["label"] == "We met"
    ]
    assert len(asks) == 2
    await click(standin, buttons_of(asks[0])[0]["custom_id"], user_id="100", name="M100")
    await until(lambda: "+10 points" in standin.followups()[-1].body.get("content", ""))
    give = buttons_of(standin.followups()[-1].body)[0]
    await click(standin, give["custom_id"], user_id="100", name="M100")
    await until(lambda: standin.callbacks()[-1].body["type"] == 9)
    modal = standin.callbacks()[-1].body["data"]
    inputs = [row["components"][0] for row in modal["components"]]
    assert [i["custom_id"] for i in inputs] == [
        "problem_solving",
        "ml_knowledge",
        "communication",
        "structure",
        "answer",
    ]
    values = {
        "problem_solving": "3",
        "ml_knowledge": "4",
        "communication": "2",
        "structure": "3",
        "answer": "Clear framing.",
    }
    await standin.dispatch(
        "INTERACTION_CREATE",
        standin.interaction(
            5,
            {
                "custom_id": modal["custom_id"],
                "components": [
                    {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                    for k, v in values.items()
                ],
            },
            user_id="100",
            name="M100",
        ),
    )
    await until(lambda: "Sent to your partner" in standin.followups()[-1].body.get("content", ""))
    to_partner = [
        c.body for c in standin.posts() if "Feedback from" in (c.body or {}).get("content", "")
    ]
    assert len(to_partner) == 1 and "Communication: 2/4" in to_partner[0]["content"]


async def test_studybot_run_starts_discord_from_settings(standin, tmp_path):
    from bot.cli import _run
    from bot.config import load_config

    base = discord.http.Route.BASE.removesuffix("/api/v10")
    gateway = str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    config = load_config(
        {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
            "DISCORD_TOKEN": "run-token",
            "DISCORD_API_BASE_URL": f"{base}/api/v10",
            "DISCORD_GATEWAY_URL": gateway,
            "DISCORD_DEV_GUILD_ID": GUILD_ID,
        },
        env_file=tmp_path / "none",
    )
    task = asyncio.create_task(_run(config))
    try:
        await until(lambda: standin.ready.is_set(), seconds=15)
        await until(lambda: any(c.method == "PUT" for c in standin.calls))
        synced = next(c for c in standin.calls if c.method == "PUT")
        assert synced.path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
        body = await run_command(standin, "quiz", "help")
        assert "studybot" in body["embeds"][0]["description"]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_forget_me_asks_with_a_danger_button_and_deletes_privately(bot, standin):
    await run_command(standin, "quiz-admin", "post-now", admin=True)
    choices = buttons_of(standin.posts(CHANNEL_ID)[0].body)
    await click(standin, choices[1]["custom_id"])
    await until(
        lambda: any("Recorded" in (c.body or {}).get("content", "") for c in standin.followups())
    )
    ask = await run_command(standin, "quiz", "forget-me")
    assert ask["flags"] == 64 and "1 daily answer" in str(ask)
    (confirm,) = buttons_of(ask)
    assert confirm["label"] == "Delete my data" and confirm["style"] == 4  # danger
    before = len(standin.followups())
    await click(standin, confirm["custom_id"])
    await until(lambda: len(standin.followups()) > before)
    done = standin.followups()[-1].body
    assert done["flags"] == 64 and "Deleted: your name and time zone, 1 daily answer" in str(done)
    privacy = await run_command(standin, "quiz", "privacy")
    assert "stores nothing about you" in str(privacy)


async def test_review_answers_privately_and_says_what_it_is_for(bot, standin):
    reply = await run_command(standin, "quiz", "review")
    assert reply["flags"] == 64  # ephemeral
    assert "Nothing to review yet" in str(reply)


async def test_export_is_a_quiz_command_with_a_private_reply(bot, standin):
    reply = await run_command(standin, "quiz", "export")
    assert reply["flags"] == 64  # ephemeral
    assert "no answers to export" in str(reply)


async def test_stats_arrive_privately_with_the_card_as_an_attachment(bot, standin):
    body = await run_command(standin, "quiz", "stats")
    assert body["flags"] == 64 and body["allowed_mentions"] == {"parse": []}
    assert "Your stats" in str(body["embeds"])  # the text stays, for screen readers
    (upload,) = standin.followups()[-1].files
    assert upload.field == "files[0]" and upload.filename == "studybot-stats.png"
    with Image.open(io.BytesIO(upload.data)) as image:
        assert image.format == "PNG" and image.size == (1200, 800)
    (described,) = body["attachments"]
    assert described["filename"] == "studybot-stats.png"
    assert described["description"] == "Your stats card: no answers yet."


async def test_group_stats_are_an_admin_command_with_their_own_card(bot, standin):
    refused = await run_command(standin, "quiz-admin", "stats", user_id="200")
    assert "Manage Server" in refused["content"] and standin.followups()[-1].files == []
    body = await run_command(standin, "quiz-admin", "stats", admin=True)
    assert body["flags"] == 64 and "Group stats" in str(body["embeds"])
    (upload,) = standin.followups()[-1].files
    assert upload.filename == "studybot-group-stats.png"
    assert upload.data.startswith(b"\x89PNG\r\n\x1a\n")


async def test_remind_is_set_privately_and_the_nudge_arrives_as_a_direct_message(bot, standin):
    on = await run_command(
        standin,
        "quiz",
        "remind",
        options=[
            {"type": 3, "name": "state", "value": "on"},
            {"type": 3, "name": "time", "value": "08:30"},
        ],
    )
    assert on["flags"] == 64 and "Review nudges are on: a private message at 08:30" in str(on)
    member = Actor(UserRef("discord", GUILD_ID, "100"), "Ada")
    await make_a_nudge_due(bot.core, member)
    await bot.core.send_nudges()
    (dm,) = [c for c in standin.posts() if "due for review" in (c.body or {}).get("content", "")]
    assert dm.body["content"].startswith("You have 1 question due for review today.")
    assert dm.body["allowed_mentions"] == {"parse": []}
    assert not dm.path.startswith(f"/channels/{CHANNEL_ID}/")  # not in the group's channel
    await bot.core.send_nudges()
    assert len([c for c in standin.posts() if "due for review" in str(c.body)]) == 1


async def test_a_button_in_a_direct_message_works_though_the_click_names_no_server(bot, standin):
    """Discord sends a click in a DM without a guild; the button names its server itself."""
    assert bot.client is not None and bot.core is not None
    member = UserRef("discord", GUILD_ID, "100")
    button = Action(actions.my_result(1), "My result")
    await bot.core.ctx.chats["discord"].send_dm(
        member, OutMessage("Your result is in.", actions=(button,))
    )
    (sent,) = [c for c in standin.posts() if (c.body or {}).get("content") == "Your result is in."]
    (shown,) = buttons_of(sent.body)
    assert shown["custom_id"] == f"sb:r:1|g{GUILD_ID}"
    before = len(standin.callbacks()) + len(standin.followups())
    await standin.dispatch(
        "INTERACTION_CREATE",
        standin.interaction(
            3,
            {"custom_id": shown["custom_id"], "component_type": 2},
            message=standin.message(DM_CHANNEL_ID, sent.body),
            in_dm=True,
        ),
    )
    await until(lambda: len(standin.callbacks()) + len(standin.followups()) > before)
    await until(lambda: any(c.body for c in standin.followups()[-1:]))
    answered = str(standin.followups()[-1].body)
    assert "works inside a server" not in answered
    assert "question" in answered.lower()
