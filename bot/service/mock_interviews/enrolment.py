"""Joining, pausing and leaving mock interviews, and what a member or admin can look up."""

from __future__ import annotations

from gettext import gettext as _

from bot.domain.availability import parse_availability, week_slots
from bot.domain.community import Community, parse_timezone
from bot.domain.errors import InvalidSetting, NothingToDo
from bot.domain.mock_interviews import (
    Assignment,
    Profile,
    RoundRef,
    next_round_at,
    round_key,
    round_monday,
)
from bot.ports import Actor, UnitOfWork, UserRef
from bot.render import OutMessage, Reply
from bot.service.context import Context
from bot.service.mock_interviews import copy


class Enrolment:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def join(
        self,
        actor: Actor,
        availability: str,
        timezone: str | None = None,
        role: str | None = None,
        level: str | None = None,
    ) -> Reply:
        windows = parse_availability(availability)
        community, member = await self.ctx.member(actor)
        zone = (
            parse_timezone(timezone).key
            if timezone
            else (member.timezone or community.settings.timezone)
        )
        now = self.ctx.clock.now()
        if not week_slots(windows, zone, round_monday(community.settings, now)):
            raise InvalidSetting(
                _("Those windows are shorter than half an hour; give longer ones.")
            )
        await self.ctx.storage.transact(
            lambda uow: uow.pairing.save_profile(
                community.id,
                member.id,
                now,
                availability=availability.strip(),
                timezone=zone,
                role=(role or None),
                level=(level or None),
            )
        )
        return Reply(copy.joined(availability.strip(), zone))

    async def leave(self, actor: Actor) -> Reply:
        community, member = await self.ctx.member(actor)
        this_week = round_key(round_monday(community.settings, self.ctx.clock.now()))

        async def leave(uow: UnitOfWork) -> list[Assignment]:
            found = await uow.pairing.profiles(community.id, member_id=member.id)
            if not found:
                raise NothingToDo(copy.JOIN_FIRST)
            if not found[0].active:
                raise NothingToDo(
                    _(
                        "You have already left mock interviews; nobody was told again. "
                        "Join again any time with `pair join`."
                    )
                )
            await uow.pairing.update_profile(member.id, active=False)
            latest = await uow.pairing.latest_round(community.id)
            if latest is None or latest.run_key != this_week:
                return []
            return await uow.pairing.assignments(latest.id)

        group = await self.ctx.storage.transact(leave)
        await self._release_partners(community, member.id, member.display_name, group)
        return Reply(_("You've left mock interviews. Join again any time with `pair join`."))

    async def _release_partners(
        self, community: Community, member_id: int, name: str, group: list[Assignment]
    ) -> None:
        """Someone left during this week's round: tell their partners plainly."""
        mine = next((a for a in group if a.member_id == member_id), None)
        chat = self.ctx.chats.get(community.platform)
        if mine is None or chat is None:
            return
        for partner in group:
            if partner.group_no != mine.group_no or partner.member_id == member_id:
                continue
            await chat.send_dm(
                UserRef(community.platform, community.workspace_id, partner.user_id),
                OutMessage(copy.partner_left(name), title=_("Mock interview")),
            )

    async def pause(self, actor: Actor, rounds: str) -> Reply:
        if not rounds.isdigit() or not 1 <= int(rounds) <= 12:
            raise InvalidSetting(_("Pause for 1 to 12 rounds, for example: pair pause 2"))
        _community, member = await self.ctx.member(actor)
        paused = await self.ctx.storage.transact(
            lambda uow: uow.pairing.update_profile(member.id, pause_rounds=int(rounds))
        )
        if not paused:
            raise NothingToDo(copy.JOIN_FIRST)
        return Reply(_("You'll sit out the next {rounds} round(s).").format(rounds=rounds))

    async def status(self, actor: Actor) -> Reply:
        community, member = await self.ctx.member(actor)

        async def read(
            uow: UnitOfWork,
        ) -> tuple[list[Profile], RoundRef | None, list[Assignment], int]:
            found = await uow.pairing.profiles(community.id, member_id=member.id)
            latest = await uow.pairing.latest_round(community.id)
            group = [] if latest is None else await uow.pairing.assignments(latest.id)
            return found, latest, group, await uow.pairing.rounds_of(member.id)

        found, latest, group, rounds = await self.ctx.storage.read(read)
        if not found:
            return Reply(
                _("You haven't joined mock interviews. Try: pair join Mon-Thu 18:00-21:00")
            )
        profile = found[0]
        lines = [
            _("Availability: {availability} ({zone})").format(
                availability=profile.availability, zone=profile.timezone
            ),
            _("Status: {status}").format(
                status=(
                    _("paused for {rounds} round(s)").format(rounds=profile.pause_rounds)
                    if profile.pause_rounds
                    else _("active")
                    if profile.active
                    else _("left")
                )
            ),
        ]
        if latest is not None:
            my_groups = {a.group_no for a in group if a.member_id == member.id}
            partners = [
                a.display_name
                for a in group
                if a.group_no in my_groups and a.member_id != member.id
            ]
            if partners:
                lines.append(
                    _("Round {key}: with {names}").format(
                        key=latest.run_key, names=", ".join(partners)
                    )
                )
        lines.append(_("Rounds so far: {rounds}").format(rounds=rounds))
        if not profile.active:
            lines.append(_("No next round for you: join again any time with `pair join`."))
            return Reply("\n".join(lines), title=_("Mock interviews"))
        at = next_round_at(community.settings, self.ctx.clock.now())
        when = f"{at:%a %d %b %H:%M} {at.tzname()}" if at else _("next week")
        lines.append(_("Next round: {when}").format(when=when))
        return Reply("\n".join(lines), title=_("Mock interviews"))

    async def stats(self, actor: Actor) -> Reply:
        """For admins: the last rounds' pairs, met rate, no-shows and feedback given."""
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        rounds = await self.ctx.storage.read(lambda uow: uow.pairing.round_stats(community.id, 6))
        if not rounds:
            return Reply(_("No mock-interview round has been paired yet."))
        return Reply(
            "\n".join(copy.round_line(r) for r in rounds), title=_("Mock interview rounds")
        )
