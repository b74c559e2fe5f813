"""The Discord adapter: `/quiz` for members, `/quiz-admin` for admins, and the buttons and
forms of the cards. It translates; every rule stays in the core.

Admin commands live in a separate top-level group because Discord applies default member
permissions only to top-level commands: `/quiz-admin` is hidden from members without Manage
Server, and every handler checks the permission again (server owners can change who sees it).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from gettext import gettext as _
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands

from adapters.discord import files, render
from adapters.discord.chat import NO_MENTIONS, DiscordChat
from bot import commands as c
from bot import texts
from bot.app import Studybot
from bot.ports import Actor, UserRef
from bot.render import Reply
from bot.service import actions

log = logging.getLogger(__name__)
PLATFORM = "discord"
# Buttons whose answer is a form must open it as the first response; all others defer.
_ZONES = sorted(available_timezones())


def actor_of(interaction: discord.Interaction, dm_guild: str | None = None) -> Actor | None:
    """The member acting. In a direct message the interaction names no server: a control the
    bot sent there names it (`dm_guild`, see `render.in_guild`), and no one is an admin there.
    """
    user = interaction.user
    if interaction.guild_id is None:
        if dm_guild is None:
            return None
        return Actor(UserRef(PLATFORM, dm_guild, str(user.id)), user.display_name)
    permissions = interaction.permissions
    return Actor(
        UserRef(PLATFORM, str(interaction.guild_id), str(user.id)),
        user.display_name,
        is_admin=bool(permissions.manage_guild or permissions.administrator),
    )


async def send_reply(
    interaction: discord.Interaction, reply: Reply, *, dm_guild: str | None = None
) -> None:
    """Show a core reply in this interaction: a modal, or an (ephemeral) message. In a direct
    message (`dm_guild`) its controls name the server, as the one clicked did."""
    if reply.form is not None and not interaction.response.is_done():
        await interaction.response.send_modal(render.modal(reply.form, guild_id=dm_guild))
        return
    content, embed = render.reply_parts(reply)
    shown = reply.card.actions if reply.card else reply.actions
    view = render.buttons(shown, guild_id=dm_guild)
    missing: Any = discord.utils.MISSING
    attached = files.attachments(reply.files)
    if interaction.response.is_done():
        await interaction.followup.send(
            content=content or missing,
            embed=embed or missing,
            view=view or missing,
            files=attached or missing,
            ephemeral=reply.private,
            allowed_mentions=NO_MENTIONS,
        )
    else:
        await interaction.response.send_message(
            content=content,
            embed=embed or missing,
            view=view or missing,
            files=attached or missing,
            ephemeral=reply.private,
            allowed_mentions=NO_MENTIONS,
        )


class StudybotDiscord(discord.AutoShardedClient):
    """The bot's Discord client. It shards automatically: with no `shard_count` it asks
    Discord (`GET /gateway/bot`) how many shards the bot needs, one for a small bot."""

    def __init__(
        self,
        core: Studybot,
        *,
        dev_guild_id: int | None = None,
        sync_commands: bool = True,
        shard_count: int | None = None,
        shard_ids: list[int] | None = None,
        on_start: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """`shard_ids` (with `shard_count`): run only those shards, so that several processes
        share a large bot."""
        intents = discord.Intents.none()
        intents.guilds = True  # not privileged
        options: dict[str, object] = {}
        if shard_count:
            options["shard_count"] = shard_count
        if shard_ids:
            options["shard_ids"] = shard_ids
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **options)  # type: ignore[arg-type]
        self.core = core
        self.dev_guild_id = dev_guild_id
        self.sync_commands = sync_commands
        self.on_start = on_start
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._on_command_error  # type: ignore[method-assign]
        build_commands(self.tree, core)
        core.attach_chat(PLATFORM, DiscordChat(self))

    async def setup_hook(self) -> None:
        """Runs once per start, after login and before the gateway connects (not on
        reconnects): the one place commands are synced, and where the scheduler starts."""
        if self.sync_commands:
            if self.dev_guild_id:
                guild = discord.Object(id=self.dev_guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
            else:
                await self.tree.sync()
        if self.on_start is not None:
            await self.on_start()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id, named_guild = render.guild_of(str(data.get("custom_id", "")))
        if not custom_id.startswith("sb:"):
            return
        dm_guild = named_guild if interaction.guild_id is None else None
        actor = actor_of(interaction, dm_guild)
        try:
            if actor is None:
                await send_reply(interaction, Reply(_("studybot works inside a server.")))
                return
            if interaction.type is discord.InteractionType.modal_submit:
                await interaction.response.defer(ephemeral=True, thinking=True)
                values = _modal_values(data)
                reply = await self.core.submit(actor, custom_id, values.pop("answer", ""), values)
            elif actions.opens_a_form(custom_id):
                reply = await self.core.press(actor, custom_id)
            else:
                await interaction.response.defer(ephemeral=True, thinking=True)
                reply = await self.core.press(actor, custom_id)
            await send_reply(interaction, reply, dm_guild=dm_guild)
        except discord.HTTPException:
            log.exception("answering interaction %s failed", custom_id)

    async def _on_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.error("command failed", exc_info=error)
        try:
            await send_reply(interaction, Reply(texts.SORRY))
        except discord.HTTPException:
            log.exception("could not tell the member about the failure")


def _modal_values(data: dict[str, Any]) -> dict[str, str]:
    """The text inputs of a submitted modal, by custom id."""
    values: dict[str, str] = {}
    for row in data.get("components", []):
        for component in row.get("components", [row.get("component") or row]):
            if component and "custom_id" in component and "value" in component:
                values[str(component["custom_id"])] = str(component["value"] or "")
    return values


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    needle = current.lower().replace(" ", "_")
    return [app_commands.Choice(name=z, value=z) for z in _ZONES if needle in z.lower()][:25]


def build_commands(tree: app_commands.CommandTree, core: Studybot) -> None:
    topics = [
        app_commands.Choice(name=core.bank.topic_title(t)[:100], value=t)
        for t in core.bank.topics[:25]
    ]
    levels = [app_commands.Choice(name=n, value=n) for n in c.DIFFICULTIES]
    periods = [
        app_commands.Choice(name=n, value=v)
        for n, v in ((_("this week"), "week"), (_("this month"), "month"), (_("all time"), "all"))
    ]

    quiz = app_commands.Group(name="quiz", description=_("ML interview practice"), guild_only=True)
    admin = app_commands.Group(
        name="quiz-admin",
        description=_("Set up and run the daily question"),
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    async def run(
        interaction: discord.Interaction, command: c.Command, *, needs_admin: bool = False
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        actor = actor_of(interaction)
        if actor is None:
            await send_reply(interaction, Reply(_("studybot works inside a server.")))
        elif needs_admin and not actor.is_admin:
            await send_reply(
                interaction, Reply(_("You need the Manage Server permission for that."))
            )
        else:
            await send_reply(interaction, await core.handle(actor, command))

    @quiz.command(name="practice", description=_("A practice question by topic and difficulty"))
    @app_commands.choices(topic=topics, difficulty=levels)
    async def practice(
        interaction: discord.Interaction,
        topic: app_commands.Choice[str] | None = None,
        difficulty: app_commands.Choice[str] | None = None,
    ) -> None:
        await run(
            interaction,
            c.StartPractice(
                topic.value if topic else None, difficulty.value if difficulty else None
            ),
        )

    @quiz.command(name="scenario", description=_("A scenario question, e.g. fraud detection"))
    @app_commands.describe(domain=_("e.g. fraud-detection, predictive-maintenance"))
    async def scenario(interaction: discord.Interaction, domain: str | None = None) -> None:
        await run(interaction, c.StartScenario(domain))

    @quiz.command(name="leaderboard", description=_("The leaderboard and your own rank"))
    @app_commands.choices(period=periods, topic=topics)
    async def leaderboard(
        interaction: discord.Interaction,
        period: app_commands.Choice[str] | None = None,
        topic: app_commands.Choice[str] | None = None,
    ) -> None:
        await run(
            interaction,
            c.ShowLeaderboard(period.value if period else None, topic.value if topic else None),
        )

    @quiz.command(name="stats", description=_("Your points, ranks, streak and topics"))
    async def stats(interaction: discord.Interaction) -> None:
        await run(interaction, c.ShowStats())

    @quiz.command(name="result", description=_("Your result for the latest reveal, or for #N"))
    @app_commands.describe(number=_("the question number, e.g. 3 (default: the latest reveal)"))
    async def result(interaction: discord.Interaction, number: int | None = None) -> None:
        await run(interaction, c.ShowLatestResult(None if number is None else str(number)))

    @quiz.command(name="streak", description=_("Your streak of days answered"))
    async def streak(interaction: discord.Interaction) -> None:
        await run(interaction, c.ShowStreak())

    @quiz.command(name="review", description=_("Your next question due for review, privately"))
    async def review(interaction: discord.Interaction) -> None:
        await run(interaction, c.StartReview())

    @quiz.command(name="remind", description=_("A private nudge on days when reviews are due"))
    @app_commands.describe(
        state=_("on, off, or quiet (your quiet hours); empty: how it is set now"),
        time=_("on: the local time, HH:MM; quiet: the span, HH:MM-HH:MM"),
    )
    @app_commands.choices(
        state=[
            app_commands.Choice(name=_("on"), value="on"),
            app_commands.Choice(name=_("off"), value="off"),
            app_commands.Choice(name=_("quiet hours"), value="quiet"),
        ]
    )
    async def remind(
        interaction: discord.Interaction, state: str | None = None, time: str | None = None
    ) -> None:
        words = tuple(word for word in (state, time) if word)
        await run(interaction, c.Remind(words))

    @quiz.command(name="timezone", description=_("Your time zone, for streak days and times"))
    async def timezone(interaction: discord.Interaction, zone: str) -> None:
        await run(interaction, c.SetTimezone(zone))

    @quiz.command(name="privacy", description=_("What studybot stores about you"))
    async def privacy(interaction: discord.Interaction) -> None:
        await run(interaction, c.ShowPrivacy())

    @quiz.command(
        name="export", description=_("Your answers as a CSV file, your misses as Anki cards")
    )
    async def export(interaction: discord.Interaction) -> None:
        await run(interaction, c.ExportMyData())

    @quiz.command(name="forget-me", description=_("Delete everything studybot stores about you"))
    async def forget_me(interaction: discord.Interaction) -> None:
        await run(interaction, c.AskToForget())

    @quiz.command(name="help", description=_("What studybot does and how to use it"))
    async def help_(interaction: discord.Interaction) -> None:
        await run(interaction, c.ShowHelp())

    @admin.command(name="setup", description=_("Channel, time, time zone and topics"))
    @app_commands.describe(
        time=_("HH:MM, 24-hour"),
        timezone=_("e.g. Europe/Berlin"),
        topics=_("comma-separated topic ids, or all"),
        window=_("next, or a duration like 6h"),
        kinds=_("mc, short, open, scenario (comma-separated)"),
        difficulty=_("easy,medium or weights like 1:3,2:5,3:2"),
        packs=_("question packs, e.g. core,our-club"),
    )
    async def setup(
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        time: str | None = None,
        timezone: str | None = None,
        topics: str | None = None,
        window: str | None = None,
        kinds: str | None = None,
        difficulty: str | None = None,
        packs: str | None = None,
    ) -> None:
        change = c.SetupChange(
            channel=str(channel.id) if channel else None,
            time=time,
            timezone=timezone,
            topics=topics,
            window=window,
            kinds=kinds,
            difficulty=difficulty,
            packs=packs,
        )
        if change == c.SetupChange():
            await run(interaction, c.ShowSettings(), needs_admin=True)
        else:
            await run(interaction, c.ChangeSetup(change), needs_admin=True)

    @setup.autocomplete("timezone")
    async def zones(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @admin.command(
        name="stats", description=_("The group's coverage per topic and most missed questions")
    )
    async def group_stats(interaction: discord.Interaction) -> None:
        await run(interaction, c.ShowGroupStats(), needs_admin=True)

    @admin.command(name="post-now", description=_("Post a question now"))
    @app_commands.describe(replace=_("Close and reveal the open question first"))
    async def post_now(interaction: discord.Interaction, replace: bool = False) -> None:
        await run(interaction, c.PostNow(replace), needs_admin=True)

    @admin.command(name="close-now", description=_("Close the open question and reveal it"))
    async def close_now(interaction: discord.Interaction) -> None:
        await run(interaction, c.CloseNow(), needs_admin=True)

    @admin.command(name="skip", description=_("Skip today's question"))
    async def skip(interaction: discord.Interaction) -> None:
        await run(interaction, c.SkipToday(), needs_admin=True)

    @admin.command(
        name="difficulty", description=_("Questions that play harder or easier than labelled")
    )
    async def difficulty(interaction: discord.Interaction) -> None:
        await run(interaction, c.ShowQuestionDifficulty(), needs_admin=True)

    pair = app_commands.Group(name="pair", description=_("Weekly mock interviews"), parent=quiz)

    @pair.command(name="join", description=_("Join weekly mock interviews with a peer"))
    @app_commands.describe(
        availability=_("e.g. Mon-Thu 18:00-21:00; Sat 10:00-12:00 (your own time)"),
        timezone=_("e.g. Europe/Berlin"),
    )
    async def pair_join(
        interaction: discord.Interaction, availability: str, timezone: str | None = None
    ) -> None:
        await run(interaction, c.JoinPairing(availability, timezone))

    @pair_join.autocomplete("timezone")
    async def pair_zones(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @pair.command(name="status", description=_("Your next round, partner and history"))
    async def pair_status(interaction: discord.Interaction) -> None:
        await run(interaction, c.ShowPairingStatus())

    @pair.command(name="pause", description=_("Skip the next rounds"))
    async def pair_pause(interaction: discord.Interaction, rounds: int = 1) -> None:
        await run(interaction, c.PausePairing(str(rounds)))

    @pair.command(name="leave", description=_("Stop taking part"))
    async def pair_leave(interaction: discord.Interaction) -> None:
        await run(interaction, c.LeavePairing())

    @admin.command(name="pair-now", description=_("Pair this week's mock interviews now"))
    async def pair_now(interaction: discord.Interaction) -> None:
        await run(interaction, c.PairNow(), needs_admin=True)

    @admin.command(name="pair-stats", description=_("Mock-interview rounds: met rate, no-shows"))
    async def pair_stats(interaction: discord.Interaction) -> None:
        await run(interaction, c.ShowPairingStats(), needs_admin=True)

    tree.add_command(quiz)
    tree.add_command(admin)
