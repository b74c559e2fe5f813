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
from dataclasses import dataclass
from gettext import gettext as _
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack import files, render
from adapters.slack.chat import SlackChat
from bot import commands as c
from bot.app import Studybot
from bot.ports import Actor, ChatUnavailable, UserRef
from bot.render import OutMessage, Reply
from bot.service import actions

log = logging.getLogger(__name__)
PLATFORM = "slack"
ADMIN_CACHE_SECONDS = 300
_CHANNEL = re.compile(r"<#(\w+)(?:\|[^>]*)?>")
BOT_SCOPES = ("commands", "chat:write", "im:write", "users:read", "files:write")
OAUTH_STATE_SECONDS = 600


@dataclass(frozen=True)
class OAuthCredentials:
    client_id: str
    client_secret: str


USAGE = _("""\
*studybot* — `/quiz <command>`:
• `scenario [domain]` — a scenario question (e.g. fraud-detection)
• `practice [topic] [easy|medium|hard]` — a practice question · `review` — what is due again
• `remind on [HH:MM]` · `remind off` · `remind quiet 22:00-08:00` — nudges when reviews are due
• `leaderboard [week|month|all] [topic]` · `stats` (its picture comes by DM) · `streak` · \
`result [N]` · `timezone <Area/City>` · `help`
• `pair join Mon-Thu 18:00-21:00 [tz=Europe/Berlin]` · `pair status` · `pair pause 1` · \
`pair leave` — weekly mock interviews with a peer
• `privacy` — what studybot stores about you · `forget-me` — delete it · `export` — your \
answers as a CSV file and your missed questions for Anki
Admins: `setup channel=#study time=18:00 timezone=Europe/Berlin topics=evaluation,ethics`, \
`post-now [replace]`, `close-now`, `skip`, `pair-now`, `pair-stats`, `stats group`, `difficulty`""")

_NO_ARGUMENTS: dict[str, type[c.Command]] = {
    "stats": c.ShowStats,
    "streak": c.ShowStreak,
    "review": c.StartReview,
    "help": c.ShowHelp,
    "privacy": c.ShowPrivacy,
    "forget-me": c.AskToForget,
    "export": c.ExportMyData,
    "post-now": c.PostNow,
    "close-now": c.CloseNow,
    "skip": c.SkipToday,
    "pair-now": c.PairNow,
    "pair-stats": c.ShowPairingStats,
    "difficulty": c.ShowQuestionDifficulty,
}


class SlackAdapter:
    def __init__(
        self,
        core: Studybot,
        *,
        signing_secret: str,
        token: str | None = None,
        api_url: str | None = None,
        oauth: OAuthCredentials | None = None,
        oauth_engine: AsyncEngine | None = None,
    ) -> None:
        """One workspace with a bot `token`, or any number installed through OAuth, whose
        installations are kept in the bot's own database."""
        self.core = core
        self.api_url = api_url or AsyncWebClient.BASE_URL
        self.client = self._web_client(token)
        self._admins: dict[tuple[str, str], tuple[float, bool]] = {}
        self._clients: dict[str, AsyncWebClient] = {}
        self.installations: AsyncSQLAlchemyInstallationStore | None = None
        if oauth is not None:
            if oauth_engine is None:
                raise ValueError("installing through OAuth needs the database engine")
            engine = oauth_engine
            self.installations = AsyncSQLAlchemyInstallationStore(oauth.client_id, engine)
            settings = AsyncOAuthSettings(
                client_id=oauth.client_id,
                client_secret=oauth.client_secret,
                scopes=list(BOT_SCOPES),
                installation_store=self.installations,
                state_store=AsyncSQLAlchemyOAuthStateStore(OAUTH_STATE_SECONDS, engine),
            )
            self.app = AsyncApp(
                client=self.client, signing_secret=signing_secret, oauth_settings=settings
            )
        else:
            if not token:
                raise ValueError("a bot token is needed without OAuth")
            self.app = AsyncApp(client=self.client, signing_secret=signing_secret)
        self.chat = SlackChat(self.client_for)
        core.attach_chat(PLATFORM, self.chat)
        self.app.command("/quiz")(self.on_command)
        self.app.action(re.compile(r"^sb:"))(self.on_action)
        self.app.view(re.compile(r"^sb:"))(self.on_view)
        self.app.event("app_home_opened")(self.on_home)

    def _web_client(self, token: str | None) -> AsyncWebClient:
        client = AsyncWebClient(token=token, base_url=self.api_url)
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
        return client

    async def client_for(self, team: str) -> AsyncWebClient:
        """The Web API client holding this workspace's bot token."""
        if self.installations is None:
            return self.client
        client = self._clients.get(team)
        if client is None:
            bot = await self.installations.async_find_bot(enterprise_id=None, team_id=team)
            if bot is None or not bot.bot_token:
                raise ChatUnavailable(
                    _("studybot is no longer installed in this workspace: reinstall it.")
                )
            client = self._clients[team] = self._web_client(bot.bot_token)
        return client

    # who is asking -------------------------------------------------------------------------

    async def is_admin(self, client: AsyncWebClient, team: str, user: str) -> bool:
        cached = self._admins.get((team, user))
        if cached and time.monotonic() - cached[0] < ADMIN_CACHE_SECONDS:
            return cached[1]
        try:
            info = await client.users_info(user=user)
            person = info["user"]
            verdict = bool(
                person.get("is_admin") or person.get("is_owner") or person.get("is_primary_owner")
            )
        except SlackApiError:
            verdict = False
        self._admins[(team, user)] = (time.monotonic(), verdict)
        return verdict

    async def actor(
        self,
        team: str,
        user: str,
        name: str,
        *,
        client: AsyncWebClient | None = None,
    ) -> Actor:
        admin = await self.is_admin(client, team, user) if client is not None else False
        return Actor(UserRef(PLATFORM, team, user), name or user, is_admin=admin)

    # listeners -----------------------------------------------------------------------------

    async def on_command(
        self, ack: Any, body: dict[str, Any], respond: Any, client: AsyncWebClient
    ) -> None:
        await ack()
        team, user = body.get("team_id", ""), body.get("user_id", "")
        text = body.get("text", "").strip()
        try:
            words = shlex.split(text)
        except ValueError:
            words = text.split()
        sub, args = (words[0].lower(), words[1:]) if words else ("help", [])
        admin_commands = {
            "setup",
            "post-now",
            "close-now",
            "skip",
            "pair-now",
            "pair-stats",
            "difficulty",
        }
        actor = await self.actor(
            team,
            user,
            body.get("user_name", ""),
            client=client if sub in admin_commands or _group_stats(sub, args) else None,
        )
        command = self._route(sub, args, text)
        if command is None:
            await respond(response_type="ephemeral", text=USAGE)
            return
        reply = await self.core.handle(actor, command)
        reply = await files.deliver(client, actor.user.user_id, reply)
        await self._respond(respond, reply)

    def _route(self, sub: str, args: list[str], text: str) -> c.Command | None:
        """The command a `/quiz` line asks for; None when it is not one (the usage is shown)."""
        if sub == "scenario":
            return c.StartScenario(" ".join(args) or None)
        if sub == "practice":
            return c.StartPractice(" ".join(args) or None)
        if sub == "leaderboard":
            return c.ShowLeaderboard(" ".join(args) or None)
        if sub == "result" and len(args) <= 1:
            return c.ShowLatestResult(args[0] if args else None)
        if sub == "post-now" and args == ["replace"]:
            return c.PostNow(replace=True)
        if sub == "timezone" and len(args) == 1:
            return c.SetTimezone(args[0])
        if _group_stats(sub, args):
            return c.ShowGroupStats()
        if sub == "remind":
            return c.Remind(tuple(args))
        if sub in _NO_ARGUMENTS and not args:
            return _NO_ARGUMENTS[sub]()
        if sub == "pair":
            return self._pair(args, text)
        if sub == "setup":
            return c.SetupFromWords(tuple(_channel_ids(word) for word in args))
        return None

    def _pair(self, args: list[str], text: str) -> c.Command | None:
        action = args[0].lower() if args else "status"
        if action == "join" and len(args) > 1:
            rest = text.split(None, 2)[2]
            options = {
                k: v
                for k, sep, v in (w.partition("=") for w in rest.split())
                if sep and k in {"tz", "role", "level"}
            }
            windows = " ".join(w for w in rest.split() if w.partition("=")[0] not in options)
            return c.JoinPairing(
                windows, options.get("tz"), options.get("role"), options.get("level")
            )
        if action == "leave" and len(args) == 1:
            return c.LeavePairing()
        if action == "pause" and len(args) == 2:
            return c.PausePairing(args[1])
        if action == "status" and len(args) <= 1:
            return c.ShowPairingStatus()
        return None

    async def on_action(
        self, ack: Any, body: dict[str, Any], respond: Any, client: AsyncWebClient
    ) -> None:
        await ack()
        action_id = str(body["actions"][0]["action_id"])
        user = body.get("user", {})
        team = (body.get("team") or {}).get("id") or user.get("team_id", "")
        actor = await self.actor(
            team, user.get("id", ""), user.get("name") or user.get("username", "")
        )
        reply = await self.core.press(actor, action_id)
        if reply.form is not None and actions.opens_a_form(action_id):
            channel = (body.get("channel") or {}).get("id", "")
            await client.views_open(
                trigger_id=body["trigger_id"], view=render.modal(reply.form, channel)
            )
            return
        reply = await files.deliver(client, actor.user.user_id, reply)
        await self._respond(respond, reply)

    async def on_view(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        user = body.get("user", {})
        team = (body.get("team") or {}).get("id") or user.get("team_id", "")
        actor = await self.actor(
            team, user.get("id", ""), user.get("name") or user.get("username", "")
        )
        state: dict[str, dict[str, dict[str, Any]]] = view.get("state", {}).get("values", {})
        values: dict[str, str] = {}
        for block, inputs in state.items():
            for element in inputs.values():
                values[block] = str(element.get("value") or "")
        reply = await self.core.submit(
            actor, str(view["callback_id"]), values.pop("answer", ""), values
        )
        channel = view.get("private_metadata") or ""
        if channel:
            await client.chat_postEphemeral(
                channel=channel,
                user=actor.user.user_id,
                text=render.fallback_text(reply.text),
                blocks=render.reply_blocks(reply),
            )
        else:
            await self.chat.send_dm(actor.user, OutMessage(reply.text))

    async def on_home(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        team = body.get("team_id", "")
        actor = await self.actor(team, event.get("user", ""), "")
        stats = await self.core.handle(actor, c.ShowStats(picture=False))
        streak = await self.core.handle(actor, c.ShowStreak())
        blocks = [
            render.header(_("Your studybot")),
            *render.sections(stats.text),
            *render.sections(streak.text),
            render.context(_("Practice any time with /quiz practice or /quiz scenario.")),
        ]
        await client.views_publish(
            user_id=actor.user.user_id, view={"type": "home", "blocks": render.capped(blocks)}
        )

    async def _respond(self, respond: Any, reply: Reply) -> None:
        await respond(
            response_type="ephemeral" if reply.private else "in_channel",
            replace_original=False,
            text=render.fallback_text(reply.text or reply.title),
            blocks=render.reply_blocks(reply),
        )


def _group_stats(sub: str, args: list[str]) -> bool:
    return sub == "stats" and [a.lower() for a in args] == ["group"]


def _channel_ids(word: str) -> str:
    """Slack's channel mention `<#C123|study>` as the core's `#C123`, in any word
    (`channel=<#C123|study>` becomes `channel=C123`)."""
    if _CHANNEL.fullmatch(word):
        return _CHANNEL.sub(lambda m: f"#{m.group(1)}", word)
    return _CHANNEL.sub(lambda m: m.group(1), word)
