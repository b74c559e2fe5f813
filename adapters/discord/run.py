"""Start the Discord adapter from settings (`studybot run` with DISCORD_TOKEN set)."""

from __future__ import annotations

import discord
import yarl

from adapters.discord.client import StudybotDiscord
from bot.app import Studybot
from bot.config import Config, ConfigError
from bot.scheduling import DailyScheduler

DEFAULT_API = "https://discord.com/api/v10"


def point_at(api_base_url: str | None, gateway_url: str | None) -> None:
    """Use a Discord-compatible server instead of Discord (tests, staging)."""
    if api_base_url:
        discord.http.Route.BASE = api_base_url.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def _int(config: Config, name: str) -> int | None:
    value = config.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise ConfigError(f"{name} “{value}” is not a number. Example: {name}=123456789012345678")
    return int(value)


async def run_discord(core: Studybot, config: Config, scheduler: DailyScheduler) -> None:
    token = config.get("DISCORD_TOKEN")
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set.")
    point_at(config.get("DISCORD_API_BASE_URL"), config.get("DISCORD_GATEWAY_URL"))
    client = StudybotDiscord(
        core,
        dev_guild_id=_int(config, "DISCORD_DEV_GUILD_ID"),
        sync_commands=(config.get("DISCORD_SYNC_COMMANDS", "true") or "true").lower()
        not in {"0", "false", "no"},
        on_start=scheduler.start,
        shard_count=_int(config, "DISCORD_SHARD_COUNT"),
    )
    try:
        async with client:
            await client.start(token)
    except discord.LoginFailure:
        raise ConfigError(
            "Discord refused DISCORD_TOKEN. Copy the bot token again from the Developer Portal "
            "(Application → Bot → Reset Token)."
        ) from None
