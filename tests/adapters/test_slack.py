"""The real slack-bolt app in HTTP mode, end to end against the local Slack stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.app import OAuthCredentials, SlackAdapter
from bot.app import Studybot
from bot.bootstrap import connect
from bot.ports import Actor, UserRef
from bot.question_bank import load_bank
from bot.storage.migrate import upgrade
from tests.adapters.nudging import make_a_nudge_due
from tests.adapters.slack_standin import (
    SIGNING_SECRET,
    TEAM,
    SlackStandIn,
    action_body,
    command_body,
    signed,
    view_body,
)
from tests.adapters.waiting import until
from tests.conftest import TEST_BANK


class Slack:
    def __init__(
        self, standin: SlackStandIn, http: TestClient, core: Studybot, adapter: SlackAdapter
    ) -> None:
        self.standin, self.http, self.core, self.adapter = standin, http, core, adapter

    async def post(self, body: str, **sign: Any) -> int:
        response = await self.http.post("/slack/events", data=body, headers=signed(body, **sign))
        return response.status

    async def command(self, text: str, **who: str) -> dict[str, Any]:
        before = len(self.standin.responses)
        assert await self.post(command_body(text, self.standin, **who)) == 200
        await until(lambda: len(self.standin.responses) > before)
        return self.standin.responses[-1]

    async def click(self, action_id: str, **who: str) -> None:
        assert await self.post(action_body(action_id, self.standin, **who)) == 200


@pytest_asyncio.fixture
async def slack(tmp_path: Path) -> AsyncIterator[Slack]:
    standin = SlackStandIn(admins={"U001"})
    api = TestServer(standin.app(), host="127.0.0.1")
    await api.start_server()
    standin.base = f"http://127.0.0.1:{api.port}"
    url = f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}"
    await upgrade(url)
    core = connect(url, load_bank(TEST_BANK)).app
    adapter = SlackAdapter(
        core, token="xoxb-test", signing_secret=SIGNING_SECRET, api_url=f"{standin.base}/api/"
    )
    http = TestClient(TestServer(adapter.app.web_app(path="/slack/events")))
    await http.start_server()
    yield Slack(standin, http, core, adapter)
    await http.close()
    await core.close()
    await api.close()


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


async def test_forged_and_stale_requests_are_rejected(slack):
    body = command_body("help", slack.standin)
    assert await slack.post(body, secret="wrong-secret") == 401
    assert await slack.post(body, timestamp=1_000_000_000) == 401
    assert slack.standin.responses == []


async def test_daily_question_by_button_close_and_threaded_reveal(slack):
    refused = await slack.command("post-now", user="U100")
    assert refused["text"] == "Only a community admin can do that."
    assert refused["response_type"] == "ephemeral"

    saved = await slack.command(
        "setup channel=<#C0001|study> kinds=mc difficulty=easy time=18:00", user="U001"
    )
    assert "Channel: C0001" in saved["text"] or "C0001" in str(saved["blocks"])
    posted = await slack.command("post-now", user="U001")
    assert posted["text"].startswith("Posted question #1")
    card = slack.standin.by_method("chat.postMessage")[0]
    assert card["channel"] == "C0001"
    choices = buttons(card["blocks"])
    assert [c["text"]["text"] for c in choices] == ["A", "B", "C"]

    await slack.click(choices[1]["action_id"], user="U100", name="bea")
    await until(lambda: len(slack.standin.responses) == 4)
    confirmation = slack.standin.responses[-1]
    assert confirmation["response_type"] == "ephemeral"
    assert confirmation["text"].startswith("Recorded B")
    await slack.click(choices[0]["action_id"], user="U100", name="bea")
    await until(lambda: "already answered" in slack.standin.responses[-1]["text"])

    closed = await slack.command("close-now", user="U001")
    assert closed["text"].startswith("Closed question #1")
    update = slack.standin.by_method("chat.update")[0]
    assert buttons(update["blocks"]) == []  # buttons removed at the close
    assert "Closed. 1 answered." in str(update["blocks"])
    reveal = slack.standin.by_method("chat.postMessage")[-1]
    assert reveal["thread_ts"] == "1764000000.000001"
    assert "*Got it right:* bea" in str(reveal["blocks"])


async def test_a_free_text_question_is_answered_in_a_modal(slack):
    await slack.command("setup channel=C0001 kinds=open", user="U001")
    await slack.command("post-now", user="U001")
    answer = buttons(slack.standin.by_method("chat.postMessage")[0]["blocks"])[0]
    await slack.click(answer["action_id"])
    await until(lambda: slack.standin.by_method("views.open"))
    view = slack.standin.by_method("views.open")[0]["view"]
    assert view["private_metadata"] == "C0001" and len(view["title"]["text"]) <= 24
    body = view_body(view["callback_id"], "Underfit means high bias; overfit means high variance.")
    assert await slack.post(body) == 200
    await until(lambda: slack.standin.by_method("chat.postEphemeral"))
    ephemeral = slack.standin.by_method("chat.postEphemeral")[0]
    assert ephemeral["user"] == "U100" and ephemeral["text"].startswith("Recorded your answer")


async def test_practice_feedback_names_the_evidence_per_key_point(slack):
    await slack.command("setup channel=C0001", user="U001")
    scenario = await slack.command("scenario fraud")
    await slack.click(buttons(scenario["blocks"])[0]["action_id"])
    await until(lambda: slack.standin.by_method("views.open"))
    view = slack.standin.by_method("views.open")[-1]["view"]
    text = "The classes are imbalanced, so I would use a random split and monitor drift."
    assert await slack.post(view_body(view["callback_id"], text)) == 200
    await until(lambda: slack.standin.by_method("chat.postEphemeral"))
    feedback = str(slack.standin.by_method("chat.postEphemeral")[-1])
    assert "found “classes imbalanced”" in feedback and "claims “random split”" in feedback


async def test_member_text_never_pings(slack):
    await slack.command("setup channel=C0001", user="U001")
    reply = await slack.command("scenario <!channel> <@U001>")
    assert "<!channel>" not in str(reply) and "&lt;!channel&gt;" in str(reply)


async def test_scenario_unknown_subcommands_and_app_home(slack):
    scenario = await slack.command("scenario fraud")
    labels = [b["text"]["text"] for b in buttons(scenario["blocks"])]
    assert labels == ["Answer", "Hint", "Model answer"]
    usage = await slack.command("frobnicate now")
    assert usage["text"].startswith("*studybot*")
    event = {
        "type": "event_callback",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event_id": "Ev1",
        "event_time": 1,
        "token": "legacy",
        "event": {"type": "app_home_opened", "user": "U100", "channel": "D1", "tab": "home"},
    }
    raw = json.dumps(event)
    headers = {**signed(raw), "Content-Type": "application/json"}
    response = await slack.http.post("/slack/events", data=raw, headers=headers)
    assert response.status == 200
    await until(lambda: slack.standin.by_method("views.publish"))
    home = slack.standin.by_method("views.publish")[0]
    assert home["user_id"] == "U100" and home["view"]["type"] == "home"


async def test_not_in_channel_is_reported_and_retried(slack):
    slack.standin.not_in_channel.add("C0001")
    await slack.command("setup channel=C0001", user="U001")
    reply = await slack.command("post-now", user="U001")
    assert "retried automatically" in reply["text"] and "/invite" in reply["text"]
    dm = slack.standin.by_method("chat.postMessage")[-1]
    assert dm["channel"] == "DU001"  # the admin who ran setup is told directly


async def test_socket_mode_takes_commands_over_the_websocket(slack):
    handler = AsyncSocketModeHandler(
        slack.adapter.app, "xapp-test", web_client=slack.adapter.client
    )
    await handler.connect_async()
    try:
        await until(lambda: slack.standin.sockets)
        fields = urllib.parse.parse_qs(command_body("help", slack.standin))
        payload = {key: values[0] for key, values in fields.items()}
        envelope_id = await slack.standin.envelope("slash_commands", payload)
        await until(lambda: slack.standin.envelope_acks and slack.standin.responses)
        assert slack.standin.envelope_acks[0]["envelope_id"] == envelope_id
        assert "studybot" in str(slack.standin.responses[-1]["blocks"])
    finally:
        await handler.close_async()


async def test_a_second_workspace_installs_through_oauth_and_gets_its_own_token(tmp_path):
    standin = SlackStandIn(admins={"U900"})
    api = TestServer(standin.app(), host="127.0.0.1")
    await api.start_server()
    standin.base = f"http://127.0.0.1:{api.port}"
    url = f"sqlite+aiosqlite:///{tmp_path / 'oauth.db'}"
    await upgrade(url)
    running = connect(url, load_bank(TEST_BANK))
    core = running.app
    adapter = SlackAdapter(
        core,
        signing_secret=SIGNING_SECRET,
        api_url=f"{standin.base}/api/",
        oauth=OAuthCredentials("111.222", "client-secret"),
        oauth_engine=running.engine,
    )
    http = TestClient(TestServer(adapter.app.web_app(path="/slack/events")))
    await http.start_server()
    try:
        install = await http.get("/slack/install", allow_redirects=False)
        assert install.status in (200, 302)
        cookie = install.headers["Set-Cookie"].split(";")[0]
        state = cookie.split("=", 1)[1]
        done = await http.get(
            f"/slack/oauth_redirect?code=the-code&state={state}",
            headers={"Cookie": cookie},
            allow_redirects=False,
        )
        assert done.status == 200, await done.text()
        assert standin.by_method("oauth.v2.access")

        slack = Slack(standin, http, core, adapter)
        setup = command_body("setup channel=C0009", standin, user="U900", name="owner")
        setup = setup.replace("team_id=T0001", "team_id=T0002")
        assert await slack.post(setup) == 200
        await until(lambda: standin.responses)
        post = command_body("post-now", standin, user="U900", name="owner")
        assert await slack.post(post.replace("team_id=T0001", "team_id=T0002")) == 200
        await until(lambda: standin.by_method("chat.postMessage"))
        posted = next(c for c in standin.calls if c.method == "chat.postMessage")
        assert posted.body["channel"] == "C0009" and posted.token == "xoxb-second-team"
        # the command's reply comes last: closing the database before it would cut the
        # listener (bolt runs it after the ack) short in the middle of its writes
        await until(lambda: len(standin.responses) >= 2)
    finally:
        await http.close()
        await core.close()
        await api.close()


async def test_members_opt_in_to_mock_interviews_and_get_paired_by_direct_message(slack):
    await slack.command("setup channel=C0001", user="U001")
    joined = await slack.command("pair join Mon-Thu 18:00-21:00 tz=Europe/Berlin", user="U100")
    assert joined["text"].startswith("You're in for mock interviews")
    await slack.command("pair join weekdays 17:00-20:00 tz=Europe/London", user="U200")
    bad = await slack.command("pair join whenever", user="U300")
    assert "Mon-Thu 18:00-21:00" in bad["text"]
    paired = await slack.command("pair-now", user="U001")
    assert ": 2 members in 1 group(s)" in paired["text"]
    opened = sorted(c["users"] for c in slack.standin.by_method("conversations.open"))
    assert opened == ["U100", "U100,U200", "U200"]  # the pair's group DM, then one DM each
    group = [c for c in slack.standin.by_method("chat.postMessage") if c["channel"] == "DU100,U200"]
    assert "Say hello and pick a time" in str(group[0]["blocks"])
    intros = [c for c in slack.standin.by_method("chat.postMessage") if c["channel"] == "DU100"]
    assert "practise with" in str(intros[0]["blocks"]) and "CET" in str(intros[0]["blocks"])


async def test_mock_interview_feedback_goes_through_a_multi_field_modal(slack):
    from datetime import timedelta

    await slack.command("setup channel=C0001", user="U001")
    await slack.command("pair join Mon-Thu 18:00-21:00 tz=Europe/Berlin", user="U100")
    await slack.command("pair join weekdays 17:00-20:00 tz=Europe/London", user="U200")
    await slack.command("pair-now", user="U001")
    real_now = slack.core.ctx.clock.now

    class Later:
        def now(self):
            return real_now() + timedelta(days=2, minutes=5)

    slack.core.ctx.clock = Later()
    await slack.core.tick()
    ask = [c for c in slack.standin.by_method("chat.postMessage") if c["channel"] == "DU100"][-1]
    met = buttons(ask["blocks"])[0]
    await slack.click(met["action_id"], user="U100", channel="DU100")
    await until(lambda: "Give feedback" in str(slack.standin.responses[-1]))
    give = buttons(slack.standin.responses[-1]["blocks"])[0]
    await slack.click(give["action_id"], user="U100", channel="DU100")
    await until(lambda: slack.standin.by_method("views.open"))
    view = slack.standin.by_method("views.open")[-1]["view"]
    assert [b["block_id"] for b in view["blocks"]] == [
        "problem_solving",
        "ml_knowledge",
        "communication",
        "structure",
        "answer",
    ]
    payload = json.loads(
        urllib.parse.parse_qs(view_body(view["callback_id"], "Nice."))["payload"][0]
    )
    payload["user"]["id"] = "U100"
    payload["view"]["private_metadata"] = "DU100"
    payload["view"]["state"]["values"].update(
        {
            key: {key: {"type": "plain_text_input", "value": value}}
            for key, value in (
                ("problem_solving", "3"),
                ("ml_knowledge", "4"),
                ("communication", "2"),
                ("structure", "3"),
            )
        }
    )
    assert await slack.post(urllib.parse.urlencode({"payload": json.dumps(payload)})) == 200
    await until(
        lambda: any(
            "Feedback from" in str(c["blocks"])
            for c in slack.standin.by_method("chat.postMessage")
            if c["channel"] == "DU200"
        )
    )


async def test_studybot_run_http_serves_slack_from_settings(tmp_path):
    import socket

    import aiohttp

    from bot.cli import _run
    from bot.config import load_config

    standin = SlackStandIn()
    api = TestServer(standin.app(), host="127.0.0.1")
    await api.start_server()
    standin.base = f"http://127.0.0.1:{api.port}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = load_config(
        {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'http.db'}",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{standin.base}/api/",
            "PORT": str(port),
        },
        env_file=tmp_path / "none",
    )
    task = asyncio.create_task(_run(config, http=True))
    try:
        body = command_body("help", standin)
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.post(
                        f"http://127.0.0.1:{port}/slack/events", data=body, headers=signed(body)
                    ) as response:
                        assert response.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            # the health endpoints are served beside Slack's routes, on PORT
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200 and await response.json() == {"status": "ok"}
            async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 200
                assert await response.json() == {"ready": True, "checks": {"database": True}}
        await until(lambda: standin.responses)
        assert "studybot" in str(standin.responses[-1]["blocks"])
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await api.close()


async def test_privacy_and_forget_me_with_a_confirmation_button(slack):
    await slack.command("setup channel=C0001 kinds=mc difficulty=easy", user="U001")
    await slack.command("post-now", user="U001")
    choice = buttons(slack.standin.by_method("chat.postMessage")[0]["blocks"])[1]
    await slack.click(choice["action_id"], user="U100", name="bea")
    await until(lambda: slack.standin.responses[-1]["text"].startswith("Recorded B"))

    privacy = await slack.command("privacy", user="U100", name="bea")
    assert privacy["response_type"] == "ephemeral"
    assert "1 daily answer" in str(privacy["blocks"])
    ask = await slack.command("forget-me", user="U100", name="bea")
    (confirm,) = buttons(ask["blocks"])
    assert confirm["text"]["text"] == "Delete my data" and confirm["style"] == "danger"
    before = len(slack.standin.responses)
    await slack.click(confirm["action_id"], user="U100", name="bea")
    await until(lambda: len(slack.standin.responses) > before)
    deleted = slack.standin.responses[-1]
    assert deleted["response_type"] == "ephemeral"
    assert "Deleted: your name and time zone, 1 daily answer" in str(deleted["blocks"])
    again = await slack.command("privacy", user="U100", name="bea")
    assert "stores nothing about you" in str(again["blocks"]) + again["text"]


async def test_review_is_a_private_reply(slack):
    reply = await slack.command("review", user="U100", name="bea")
    assert reply["response_type"] == "ephemeral"
    assert "Nothing to review yet" in str(reply["blocks"]) + reply["text"]


async def test_export_is_a_private_reply(slack):
    reply = await slack.command("export", user="U100", name="bea")
    assert reply["response_type"] == "ephemeral"
    assert "no answers to export" in str(reply["blocks"]) + reply["text"]


async def test_remind_is_a_private_reply_and_the_nudge_is_a_direct_message(slack):
    on = await slack.command("remind on 08:30", user="U100", name="bea")
    assert on["response_type"] == "ephemeral"
    assert "Review nudges are on: a private message at 08:30" in on["text"] + str(on["blocks"])
    await make_a_nudge_due(slack.core, Actor(UserRef("slack", TEAM, "U100"), "bea"))
    await slack.core.send_nudges()
    (dm,) = [
        m for m in slack.standin.by_method("chat.postMessage") if "due for review" in m["text"]
    ]
    assert dm["channel"] == "DU100"
    assert dm["text"].startswith("You have 1 question due for review today.")


async def test_stats_send_the_card_to_the_members_dm_and_say_so_privately(slack):
    reply = await slack.command("stats", user="U100", name="bea")
    assert reply["response_type"] == "ephemeral"
    assert "*bea*" in str(reply["blocks"])  # the text stays, for screen readers
    assert "in your direct messages with studybot" in reply["text"]
    (asked,) = slack.standin.by_method("files.getUploadURLExternal")
    assert asked["filename"] == "studybot-stats.png"
    assert asked["alt_txt"] == "Your stats card: no answers yet."
    (shared,) = slack.standin.shared
    assert shared["channel_id"] == "DU100"  # the DM with the app, never the channel
    uploaded = slack.standin.uploads[shared["files"][0]["id"]]
    assert int(asked["length"]) == len(uploaded)
    with Image.open(io.BytesIO(uploaded)) as image:
        assert image.format == "PNG" and image.size == (1200, 800)


async def test_without_files_write_the_stats_stay_text_and_name_the_missing_scope(slack):
    slack.standin.missing_scopes.add("files:write")
    reply = await slack.command("stats", user="U100", name="bea")
    assert reply["response_type"] == "ephemeral"
    assert "*bea*" in str(reply["blocks"])
    assert "needs the files:write scope" in reply["text"]
    assert (
        slack.standin.shared == [] and slack.standin.by_method("files.completeUploadExternal") == []
    )


async def test_group_stats_are_for_admins_and_their_card_goes_to_the_admins_dm(slack):
    refused = await slack.command("stats group", user="U100")
    assert refused["text"] == "Only a community admin can do that."
    assert slack.standin.shared == []
    reply = await slack.command("stats group", user="U001", name="ada")
    assert "Group stats" in str(reply["blocks"]) and "direct messages" in reply["text"]
    (shared,) = slack.standin.shared
    assert shared["channel_id"] == "DU001"
