"""The Slack adapter: `/quiz …` parsed from its text, card buttons, answer modals and the App
Home, on slack-bolt's AsyncApp. Every listener acknowledges first; the work follows.

Admins are workspace admins and owners (from `users.info`) or members listed in the
community's settings (`/quiz setup admins=U123,U456`).
"""

from __future__ import annotations

import logging
import re
import shlex
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.chat import SlackChat
from bot.app import Studybot
from bot.ports import Actor, UserRef
from bot.render import OutMessage, Reply
from bot.service.admin import SetupChange

log = logging.getLogger(__name__)
PLATFORM = "slack"
OPENS_A_FORM = ("sb:f:", "sb:pf:")
ADMIN_CACHE_SECONDS = 300
_CHANNEL = re.compile(r"<#(\w+)(?:\|[^>]*)?>")

USAGE = """\
*studybot* — `/quiz <command>`:
• `scenario [domain]` — a scenario question (e.g. fraud-detection)
• `practice [topic] [easy|medium|hard]` — a practice question
• `leaderboard [week|month|all] [topic]` · `stats` · `streak` · `timezone <Area/City>` · `help`
Admins: `setup channel=#study time=18:00 timezone=Europe/Berlin topics=evaluation,ethics`, \
`post-now`, `close-now`, `skip`"""

Reply_ = Callable[[Actor], Awaitable[Reply]]


class SlackAdapter:
    def __init__(
        self,
        core: Studybot,
        *,
        token: str,
        signing_secret: str,
        api_url: str | None = None,
    ) -> None:
        self.core = core
        client = AsyncWebClient(token=token, base_url=api_url or AsyncWebClient.BASE_URL)
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
        self.client = client
        # HTTP requests are verified by signature; Socket Mode traffic is authenticated by the
        # app token's connection (bolt skips the signature check for it).
        self.app = AsyncApp(client=client, signing_secret=signing_secret)
        self._admins: dict[tuple[str, str], tuple[float, bool]] = {}
        core.attach_chat(PLATFORM, SlackChat(client))
        self.app.command("/quiz")(self.on_command)
        self.app.action(re.compile(r"^sb:"))(self.on_action)
        self.app.view(re.compile(r"^sb:"))(self.on_view)
        self.app.event("app_home_opened")(self.on_home)

    # who is asking -------------------------------------------------------------------------

    async def is_admin(self, team: str, user: str) -> bool:
        cached = self._admins.get((team, user))
        if cached and time.monotonic() - cached[0] < ADMIN_CACHE_SECONDS:
            return cached[1]
        try:
            info = await self.client.users_info(user=user)
            person = info["user"]
            verdict = bool(
                person.get("is_admin") or person.get("is_owner") or person.get("is_primary_owner")
            )
        except SlackApiError:
            verdict = False
        self._admins[(team, user)] = (time.monotonic(), verdict)
        return verdict

    async def actor(self, team: str, user: str, name: str, *, check_admin: bool = False) -> Actor:
        admin = await self.is_admin(team, user) if check_admin else False
        return Actor(UserRef(PLATFORM, team, user), name or user, is_admin=admin)

    # listeners -----------------------------------------------------------------------------

    async def on_command(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        team, user = body.get("team_id", ""), body.get("user_id", "")
        text = body.get("text", "").strip()
        try:
            words = shlex.split(text)
        except ValueError:
            words = text.split()
        sub, args = (words[0].lower(), words[1:]) if words else ("help", [])
        admin_commands = {"setup", "post-now", "close-now", "skip"}
        actor = await self.actor(
            team, user, body.get("user_name", ""), check_admin=sub in admin_commands
        )
        call = self._route(sub, args, text)
        if call is None:
            await respond(response_type="ephemeral", text=USAGE)
            return
        reply = await call(actor)
        await self._respond(respond, reply)

    def _route(self, sub: str, args: list[str], text: str) -> Reply_ | None:
        core = self.core
        if sub == "scenario":
            return lambda a: core.scenario(a, " ".join(args) or None)
        if sub == "practice" and len(args) <= 2:
            return lambda a: core.practice(a, *args)
        if sub == "leaderboard" and len(args) <= 2:
            return lambda a: core.leaderboard(a, *args)
        if sub == "stats" and not args:
            return core.stats
        if sub == "streak" and not args:
            return core.streak
        if sub == "help" and not args:
            return core.help
        if sub == "timezone" and len(args) == 1:
            return lambda a: core.set_timezone(a, args[0])
        if sub == "post-now" and not args:
            return core.post_now
        if sub == "close-now" and not args:
            return core.close_now
        if sub == "skip" and not args:
            return core.skip_today
        if sub == "setup":
            change = parse_setup(args)
            if change is None:
                return None
            if change == SetupChange():
                return core.settings
            return lambda a: core.setup(a, change)
        return None

    async def on_action(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        action_id = str(body["actions"][0]["action_id"])
        user = body.get("user", {})
        team = (body.get("team") or {}).get("id") or user.get("team_id", "")
        actor = await self.actor(
            team, user.get("id", ""), user.get("name") or user.get("username", "")
        )
        reply = await self.core.handle_action(actor, action_id)
        if reply.form is not None and action_id.startswith(OPENS_A_FORM):
            channel = (body.get("channel") or {}).get("id", "")
            await self.client.views_open(
                trigger_id=body["trigger_id"], view=render.modal(reply.form, channel)
            )
            return
        await self._respond(respond, reply)

    async def on_view(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        user = body.get("user", {})
        team = (body.get("team") or {}).get("id") or user.get("team_id", "")
        actor = await self.actor(
            team, user.get("id", ""), user.get("name") or user.get("username", "")
        )
        values = view.get("state", {}).get("values", {})
        text = str(values.get("answer", {}).get("answer", {}).get("value") or "")
        reply = await self.core.submit_form(actor, str(view["callback_id"]), text)
        channel = view.get("private_metadata") or ""
        if channel:
            await self.client.chat_postEphemeral(
                channel=channel,
                user=actor.user.user_id,
                text=render.fallback_text(reply.text),
                blocks=render.reply_blocks(reply),
            )
        else:
            await self.core.ctx.chats[PLATFORM].send_dm(actor.user, OutMessage(reply.text))

    async def on_home(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        team = body.get("team_id", "")
        actor = await self.actor(team, event.get("user", ""), "")
        stats = await self.core.stats(actor)
        streak = await self.core.streak(actor)
        blocks = [
            render.header("Your studybot"),
            *render.sections(stats.text),
            *render.sections(streak.text),
            render.context("Practice any time with /quiz practice or /quiz scenario."),
        ]
        await self.client.views_publish(
            user_id=actor.user.user_id, view={"type": "home", "blocks": render.capped(blocks)}
        )

    async def _respond(self, respond: Any, reply: Reply) -> None:
        await respond(
            response_type="ephemeral" if reply.private else "in_channel",
            replace_original=False,
            text=render.fallback_text(reply.text or reply.title),
            blocks=render.reply_blocks(reply),
        )


def parse_setup(args: list[str]) -> SetupChange | None:
    """`key=value` words into a settings change; None when a word is not a setting."""
    fields = {f for f in SetupChange.__dataclass_fields__ if f != "paused"}
    values: dict[str, str] = {}
    for arg in args:
        key, sep, value = arg.partition("=")
        if not sep or key not in fields:
            return None
        if key == "channel":
            match = _CHANNEL.fullmatch(value)
            value = match.group(1) if match else value
        values[key] = value
    return SetupChange(**values)  # type: ignore[arg-type]
