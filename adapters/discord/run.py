"""Start the Discord adapter from settings (`studybot run` with DISCORD_TOKEN set)."""

from __future__ import annotations

from gettext import gettext as _

import discord
import yarl

from adapters.discord.client import StudybotDiscord
from bot.app import Studybot
from bot.config import Config, ConfigError
from bot.health import Health
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
        raise ConfigError(
            _("{name} “{value}” is not a number. Example: {name}=123456789012345678").format(
                name=name, value=value
            )
        )
    return int(value)


def shard_ids(config: Config) -> list[int] | None:
    """DISCORD_SHARD_IDS=0,1: the shards this process runs, out of DISCORD_SHARD_COUNT."""
    value = config.get("DISCORD_SHARD_IDS")
    if value is None:
        return None
    count = _int(config, "DISCORD_SHARD_COUNT")
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if count is None or not parts or not all(p.isdigit() and int(p) < count for p in parts):
        raise ConfigError(
            _(
                "DISCORD_SHARD_IDS “{value}” needs DISCORD_SHARD_COUNT and ids below it. Example: "
                "DISCORD_SHARD_COUNT=4 with DISCORD_SHARD_IDS=0,1 here and 2,3 in a second process"
            ).format(value=value)
        )
    return sorted({int(p) for p in parts})


async def run_discord(
    core: Studybot, config: Config, scheduler: DailyScheduler, health: Health | None = None
) -> None:
    token = config.get("DISCORD_TOKEN")
    if not token:
        raise ConfigError(_("DISCORD_TOKEN is not set."))
    point_at(config.get("DISCORD_API_BASE_URL"), config.get("DISCORD_GATEWAY_URL"))
    client = StudybotDiscord(
        core,
        dev_guild_id=_int(config, "DISCORD_DEV_GUILD_ID"),
        sync_commands=(config.get("DISCORD_SYNC_COMMANDS", "true") or "true").lower()
        not in {"0", "false", "no"},
        on_start=scheduler.start,
        shard_count=_int(config, "DISCORD_SHARD_COUNT"),
        shard_ids=shard_ids(config),
    )
    if health is not None:

        async def connected() -> bool:
            return client.is_ready() and not client.is_closed()

        health.watch("discord", connected)
    try:
        async with client:
            await client.start(token)
    except discord.LoginFailure:
        raise ConfigError(
            _(
                "Discord refused DISCORD_TOKEN. Copy the bot token again from the Developer Portal "
                "(Application → Bot → Reset Token)."
            )
        ) from None
