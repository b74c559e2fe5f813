"""Start the Slack adapter from settings: Socket Mode (SLACK_APP_TOKEN, no public URL) or HTTP
mode (SLACK_SIGNING_SECRET, listening on PORT at /slack/events)."""

from __future__ import annotations

import asyncio
from gettext import gettext as _

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.app import OAuthCredentials, SlackAdapter
from bot.app import Studybot
from bot.config import Config, ConfigError
from bot.health import Health

EVENTS_PATH = "/slack/events"


def slack_configured(config: Config) -> bool:
    return bool(config.get("SLACK_BOT_TOKEN") or config.get("SLACK_CLIENT_ID"))


def build(
    core: Studybot, config: Config, *, oauth_engine: AsyncEngine | None = None
) -> SlackAdapter:
    """The adapter the settings ask for. Installing through OAuth keeps installations in the
    bot's own database, through `oauth_engine` (from `bot.bootstrap`)."""
    token = config.get("SLACK_BOT_TOKEN")
    app_token = config.get("SLACK_APP_TOKEN")
    secret = config.get("SLACK_SIGNING_SECRET")
    client_id, client_secret = config.get("SLACK_CLIENT_ID"), config.get("SLACK_CLIENT_SECRET")
    if client_id:
        if not client_secret or not secret:
            raise ConfigError(
                _(
                    "Installing to many workspaces (SLACK_CLIENT_ID) also needs "
                    "SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET, from the app's Basic "
                    "Information page."
                )
            )
        return SlackAdapter(
            core,
            signing_secret=secret,
            api_url=config.get("SLACK_API_URL"),
            oauth=OAuthCredentials(client_id, client_secret),
            oauth_engine=oauth_engine,
        )
    if not token:
        raise ConfigError(_("SLACK_BOT_TOKEN is not set. Example: SLACK_BOT_TOKEN=xoxb-…"))
    if not app_token and not secret:
        raise ConfigError(
            _(
                "Slack needs SLACK_APP_TOKEN (Socket Mode, e.g. xapp-…) or SLACK_SIGNING_SECRET "
                "(HTTP mode, from the app's Basic Information page)."
            )
        )
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError(_("SLACK_APP_TOKEN must be an app-level token starting with xapp-."))
    return SlackAdapter(
        core,
        token=token,
        signing_secret=secret or "",
        api_url=config.get("SLACK_API_URL"),
    )


def serves_http(adapter: SlackAdapter, config: Config, *, http: bool = False) -> bool:
    """Whether `run_slack` serves HTTP (signed requests on PORT) rather than Socket Mode."""
    return http or not config.get("SLACK_APP_TOKEN") or adapter.installations is not None


async def run_slack(
    adapter: SlackAdapter, config: Config, *, http: bool = False, health: Health | None = None
) -> None:
    """Run until cancelled. `http=True` forces HTTP mode (the Procfile's `web:` process).
    `health` watches the Socket Mode connection; in HTTP mode its endpoints are served beside
    Slack's routes, on PORT."""
    app_token = config.get("SLACK_APP_TOKEN")
    if not serves_http(adapter, config, http=http):
        handler = AsyncSocketModeHandler(adapter.app, app_token or "", web_client=adapter.client)
        if health is not None:
            health.watch("slack", handler.client.is_connected)
        await handler.connect_async()
        try:
            await asyncio.Event().wait()
        finally:
            await handler.close_async()
        return
    if not config.get("SLACK_SIGNING_SECRET"):
        raise ConfigError(_("HTTP mode needs SLACK_SIGNING_SECRET."))
    port = config.get("PORT", "3000") or "3000"
    if not port.isdigit():
        raise ConfigError(_("PORT “{port}” is not a number. Example: PORT=3000").format(port=port))
    web_app = adapter.app.web_app(path=EVENTS_PATH)
    if health is not None:
        health.add_routes(web_app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, port=int(port))
    await site.start()
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
