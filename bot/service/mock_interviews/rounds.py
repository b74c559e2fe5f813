"""A weekly round: pair the members taking part (claimed once in the database), introduce each
group privately with meeting times in every member's zone, and hand each interviewer a packet.
Every message is claimed before it is sent, so a restart never sends one twice."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta
from gettext import gettext as _

from bot.domain.availability import parse_availability, week_slots
from bot.domain.community import Community
from bot.domain.mock_interviews import (
    NO_SHOW_MEMORY,
    RESUME_INTRODUCTIONS_AFTER,
    RESUME_INTRODUCTIONS_WITHIN,
    Assignment,
    Profile,
    choose_packets,
    count_no_shows,
    meeting_times,
    partners_met,
    round_key,
    round_monday,
    shared_slots,
)
from bot.domain.pairing import REPEAT_WINDOW, Candidate, Pairing, pair_members
from bot.domain.questions import Kind
from bot.ports import Actor, ChannelRef, UnitOfWork, UserRef
from bot.render import OutMessage, Reply
from bot.service.context import Context
from bot.service.mock_interviews import copy

log = logging.getLogger(__name__)


async def stamp_once(ctx: Context, assignment_id: int, column: str) -> bool:
    """Claim a once-only message of an assignment (its introduction or check-in)."""
    now = ctx.clock.now()
    return await ctx.storage.transact(
        lambda uow: uow.pairing.stamp_once(assignment_id, column, now)
    )


class Rounds:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def pair_now(self, actor: Actor) -> Reply:
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        made = await self.run_round(community.id)
        if made is None:
            return Reply(_("This week's round is already paired."))
        return Reply(made)

    async def run_round(self, community_id: int) -> str | None:
        """Pair this week's round once, then introduce the groups; the summary, or None when
        the round already exists."""
        community = await self.ctx.community_by_id(community_id)
        now = self.ctx.clock.now()
        monday = round_monday(community.settings, now)
        key = round_key(monday)
        seed = int(hashlib.sha256(f"{community.id}:{key}".encode()).hexdigest()[:7], 16)
        scenarios = [q for q in self.ctx.bank.questions if q.kind is Kind.SCENARIO]

        async def pair(
            uow: UnitOfWork,
        ) -> tuple[int, Pairing, dict[int, int], list[Profile]] | str | None:
            profiles = [p for p in await uow.pairing.profiles(community.id) if p.active]
            taking_part = [p for p in profiles if p.pause_rounds == 0]
            if len(taking_part) < 2:
                return _(
                    "Round {key}: fewer than two members take part, so nobody was paired."
                ).format(key=key)
            round_id = await uow.pairing.claim_round(community.id, key, monday, seed, now)
            if round_id is None:
                return None
            recent = await uow.pairing.recent_rounds(
                community.id, max(REPEAT_WINDOW, NO_SHOW_MEMORY)
            )
            seats = await uow.pairing.seats([r[0] for r in recent])
            ago = {r[0]: i + 1 for i, r in enumerate(recent[:REPEAT_WINDOW])}
            met = partners_met((s for s in seats if s.round_id in ago), ago)
            last_ids = {r[0] for r in recent[:NO_SHOW_MEMORY]}
            missed = count_no_shows(s for s in seats if s.round_id in last_ids)
            odd_last = recent[0][2] if recent else None
            candidates = [
                Candidate(
                    p.member_id,
                    week_slots(parse_availability(p.availability), p.timezone, monday),
                    met.get(p.member_id, {}),
                    odd_last_round=p.member_id == odd_last,
                    no_shows=missed.get(p.member_id, 0),
                )
                for p in taking_part
            ]
            pairing = pair_members(candidates, seed)
            groups = [list(g.members) for g in pairing.groups]
            seen = await uow.pairing.seen_questions([m for g in groups for m in g])
            packets = choose_packets(groups, scenarios, seen)
            rows: list[dict[str, object]] = [
                {
                    "group_no": number,
                    "member_id": member_id,
                    "interviews_first": position == 0,
                    "question_id": packets.get(member_id),
                    "shared_slots": group.shared_slots,
                }
                for number, group in enumerate(pairing.groups)
                for position, member_id in enumerate(group.members)
            ]
            paused = [p.member_id for p in profiles if p.pause_rounds > 0]
            await uow.pairing.save_round(round_id, rows, pairing.odd_one, paused)
            return round_id, pairing, missed, taking_part

        made = await self.ctx.storage.transact(pair)
        if made is None or isinstance(made, str):
            return made
        round_id, pairing, missed, taking_part = made
        await self.introduce(community, round_id, monday)
        await self._tell_benched(community, key, pairing.benched, missed, taking_part)
        no_overlap = sum(g.no_overlap for g in pairing.groups)
        note = (
            _(", {count} without shared free time").format(count=no_overlap) if no_overlap else ""
        )
        if pairing.benched:
            note += _(", {count} sitting out after missed interviews").format(
                count=len(pairing.benched)
            )
        paired = len(taking_part) - len(pairing.benched)
        return _("Round {key}: {paired} members in {groups} group(s){details}.").format(
            key=key, paired=paired, groups=len(pairing.groups), details=note
        )

    async def _claim(self, community: Community, key: str) -> bool:
        now = self.ctx.clock.now()
        return await self.ctx.storage.transact(lambda uow: uow.claims.claim(community.id, key, now))

    async def introduce(self, community: Community, round_id: int, monday: date) -> None:
        """Introductions and packets, each claimed once."""
        chat = self.ctx.chats.get(community.platform)

        async def read(uow: UnitOfWork) -> tuple[list[Assignment], list[Profile]]:
            group = await uow.pairing.assignments(round_id)
            return group, await uow.pairing.profiles(community.id)

        assignments, profiles = await self.ctx.storage.read(read)
        zones = {p.member_id: p.timezone for p in profiles}
        slots = {
            p.member_id: week_slots(parse_availability(p.availability), p.timezone, monday)
            for p in profiles
        }
        groups: dict[int, list[Assignment]] = {}
        for a in assignments:
            groups.setdefault(a.group_no, []).append(a)
        for number, group in groups.items():
            if chat is None:
                return
            shared = shared_slots(slots.get(a.member_id, 0) for a in group)
            space = await self._open_space(
                community, round_id, number, group, monday, zones, shared
            )
            for i, me in enumerate(group):
                if me.intro_sent:
                    continue
                if not await stamp_once(self.ctx, me.id, "intro_sent_at"):
                    continue
                candidate = group[(i + 1) % len(group)]
                times = meeting_times(shared, monday, zones.get(me.member_id, "UTC"))
                question = self.ctx.bank.by_id.get(me.question_id or "")
                text = copy.introduction(me, group, candidate, times, question, space)
                user = UserRef(community.platform, community.workspace_id, me.user_id)
                try:
                    sent = await chat.send_dm(
                        user, OutMessage(text, title=_("Your mock interview"))
                    )
                except Exception:
                    log.warning("introduction to member %s failed", me.member_id, exc_info=True)
                    sent = None
                if sent is None:
                    await self._notice(community, copy.no_dm_notice(me.display_name))

    async def resume_introductions(self) -> int:
        """Send what pairing left unsent in recent rounds (a restart or an outage cut it
        short); an introduction already claimed is never sent again. The rounds resumed."""
        now = self.ctx.clock.now()
        pending = await self.ctx.storage.read(
            lambda uow: uow.pairing.unintroduced_rounds(
                now - RESUME_INTRODUCTIONS_WITHIN, now - RESUME_INTRODUCTIONS_AFTER
            )
        )
        resumed = 0
        for item in pending:
            community = await self.ctx.community_by_id(item.community_id)
            if self.ctx.chats.get(community.platform) is None:
                continue
            log.info("resuming the introductions of round %s", item.round.run_key)
            await self.introduce(community, item.round.id, item.round.week_monday)
            resumed += 1
        return resumed

    async def _open_space(
        self,
        community: Community,
        round_id: int,
        number: int,
        group: list[Assignment],
        monday: date,
        zones: dict[int, str],
        shared: int,
    ) -> bool:
        """A private conversation for the group, opened once; False where the platform has
        none or refuses (members then get the whole introduction by direct message)."""
        chat = self.ctx.chats.get(community.platform)
        channel = community.settings.channel_id
        if chat is None or not channel:
            return False
        if not await self._claim(community, f"space:{round_id}:{number}"):
            return True  # opened before a restart
        names = ", ".join(a.display_name for a in group)
        users = [UserRef(community.platform, community.workspace_id, a.user_id) for a in group]
        try:
            opened = await chat.open_private_space(
                ChannelRef(community.platform, community.workspace_id, channel),
                users,
                OutMessage(
                    copy.space_text(group, monday, zones, shared),
                    title=_("Mock interview: {names}").format(names=names),
                ),
            )
        except Exception:
            log.warning("private space for round %s failed", round_id, exc_info=True)
            opened = None
        return opened is not None

    async def _tell_benched(
        self,
        community: Community,
        key: str,
        benched: tuple[int, ...],
        missed: dict[int, int],
        profiles: list[Profile],
    ) -> None:
        chat = self.ctx.chats.get(community.platform)
        if chat is None or not await self._claim(community, f"benched:{key}"):
            return
        users = {p.member_id: p.user_id for p in profiles}
        for member_id in benched:
            await chat.send_dm(
                UserRef(community.platform, community.workspace_id, users[member_id]),
                OutMessage(copy.benched(key, missed.get(member_id, 0)), title=_("Mock interview")),
            )

    async def _notice(self, community: Community, text: str) -> None:
        chat = self.ctx.chats.get(community.platform)
        channel = community.settings.channel_id
        if chat is None or not channel:
            return
        try:
            await chat.post_notice(
                ChannelRef(community.platform, community.workspace_id, channel), OutMessage(text)
            )
        except Exception:
            log.warning("notice in community %s failed", community.id, exc_info=True)

    async def announce(self, community_id: int) -> bool:
        """The day before a round, say in the channel who takes part and how to skip (once)."""
        community = await self.ctx.community_by_id(community_id)
        now = self.ctx.clock.now()
        key = round_key(round_monday(community.settings, now + timedelta(days=1)))
        profiles = await self.ctx.storage.read(lambda uow: uow.pairing.profiles(community.id))
        taking_part = [p for p in profiles if p.active and not p.pause_rounds]
        if not taking_part or not await self._claim(community, f"announce:{key}"):
            return False
        settings = community.settings
        await self._notice(
            community,
            copy.announcement(
                key, settings.pair_time.strftime("%H:%M"), settings.timezone, len(taking_part)
            ),
        )
        return True
