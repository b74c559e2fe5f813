"""The daily review nudge: `/quiz remind on|off [HH:MM]` and `/quiz remind quiet HH:MM-HH:MM`,
and the fan-out that sends the day's nudges (rules in `bot.domain.reminders`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from gettext import gettext as _
from gettext import ngettext
from zoneinfo import ZoneInfo

from bot.domain.community import Community
from bot.domain.errors import InvalidSetting
from bot.domain.members import Member
from bot.domain.reminders import (
    QUIET_END,
    QUIET_START,
    Reminder,
    Slot,
    advanced,
    caught_up,
    check_time,
    clock_text,
    is_quiet,
    may_send,
    minute_of,
    next_nudge,
    parse_quiet_hours,
    scheduled,
)
from bot.ports import Actor, ChatPort, Recipient, UnitOfWork, UserRef
from bot.render import OutMessage, Reply
from bot.service.context import Context
from bot.service.remembering import due_date

log = logging.getLogger(__name__)

BATCH = 500
"""Nudges claimed per transaction; the chat adapters pace the sending. A crash between a claim
and its sending loses at most this many of the day's nudges."""

USAGE = _(
    "Use `/quiz remind on [HH:MM]` for a private nudge on days when reviews are due, "
    "`/quiz remind off` to stop it, or `/quiz remind quiet HH:MM-HH:MM` for your quiet hours."
)


class Reminders:
    def __init__(self, ctx: Context, batch: int = BATCH) -> None:
        self.ctx = ctx
        self.batch = batch

    # the member's command ------------------------------------------------------------------

    async def remind(self, actor: Actor, words: Sequence[str]) -> Reply:
        community, member = await self.ctx.member(actor)
        zone = self.ctx.zone_of(community, member)
        current = await self.ctx.storage.read(lambda uow: uow.reminders.get(member.id))
        verb = words[0].lower() if words else ""
        rest = list(words[1:])
        if verb == "":
            return Reply(self._status(current, zone), title=_("Review nudges"))
        if verb == "off":
            gone = await self.ctx.storage.transact(lambda uow: uow.reminders.delete(member.id))
            said = _("Review nudges are off.") if gone else _("Review nudges were already off.")
            return Reply(said, title=_("Review nudges"))
        if verb == "on":
            return await self._turn_on(community, member, current, zone, rest)
        if verb == "quiet":
            return await self._quiet(member, current, zone, rest)
        raise InvalidSetting(
            _("“{word}” is not a remind setting. {usage}").format(word=words[0], usage=USAGE)
        )

    async def _turn_on(
        self,
        community: Community,
        member: Member,
        current: Reminder | None,
        zone: str,
        rest: list[str],
    ) -> Reply:
        if len(rest) > 1:
            raise InvalidSetting(USAGE)
        quiet = (current.quiet_start, current.quiet_end) if current else (QUIET_START, QUIET_END)
        if rest:
            minute = minute_of(rest[0])
        elif current is not None:
            minute = current.at_minute
        else:
            post = community.settings.post_time
            minute = post.hour * 60 + post.minute
            if is_quiet(minute, *quiet):
                minute = quiet[1]
        reminder = scheduled(member.id, minute, self.ctx.clock.now(), ZoneInfo(zone), *quiet)
        await self.ctx.storage.transact(lambda uow: uow.reminders.put(reminder))
        return Reply(self._status(reminder, zone), title=_("Review nudges"))

    async def _quiet(
        self, member: Member, current: Reminder | None, zone: str, rest: list[str]
    ) -> Reply:
        if len(rest) != 1:
            raise InvalidSetting(USAGE)
        start, end = parse_quiet_hours(rest[0])
        if current is None:
            raise InvalidSetting(
                _(
                    "Review nudges are off, so there are no quiet hours to change. Turn them on "
                    "first with `/quiz remind on HH:MM`."
                )
            )
        check_time(current.at_minute, start, end)
        reminder = scheduled(
            member.id, current.at_minute, self.ctx.clock.now(), ZoneInfo(zone), start, end
        )
        await self.ctx.storage.transact(lambda uow: uow.reminders.put(reminder))
        return Reply(self._status(reminder, zone), title=_("Review nudges"))

    def _status(self, reminder: Reminder | None, zone: str) -> str:
        if reminder is None:
            return _("Review nudges are off. {usage}").format(usage=USAGE)
        if reminder.quiet_start == reminder.quiet_end:
            quiet = _("You have no quiet hours.")
        else:
            quiet = _("Never between {start} and {end} (your quiet hours).").format(
                start=clock_text(reminder.quiet_start), end=clock_text(reminder.quiet_end)
            )
        return _(
            "Review nudges are on: a private message at {time} ({zone}) on days when reviews "
            "are due, the next on {date} at the earliest. {quiet} "
            "Turn them off with `/quiz remind off`."
        ).format(
            time=clock_text(reminder.at_minute),
            zone=zone,
            date=due_date(reminder.next_at, zone),
            quiet=quiet,
        )

    async def follow_timezone(self, member: Member, community: Community) -> None:
        """A member's time zone changed: their nudge moves to their chosen time in it."""
        zone = ZoneInfo(self.ctx.zone_of(community, member))
        now = self.ctx.clock.now()

        async def move(uow: UnitOfWork) -> None:
            current = await uow.reminders.get(member.id)
            if current is not None:
                next_at, day_ends_at = next_nudge(now, current.at_minute, zone)
                await uow.reminders.put(
                    Reminder(
                        current.member_id,
                        current.at_minute,
                        next_at,
                        day_ends_at,
                        current.quiet_start,
                        current.quiet_end,
                        current.sent_on,
                    )
                )

        await self.ctx.storage.transact(move)

    # the scheduled fan-out -------------------------------------------------------------------

    async def send_due(self) -> int:
        """Send every nudge whose time has come, slot by slot (see `Slot`). Members with a
        review due are claimed `batch` at a time (moved on to their next day by the statement
        that picks them, so a restart, a second process or a double fire never sends twice)
        and sent through the chat, which paces them; the others are moved on without a
        message, and so is a whole slot that is too late (quiet hours, or its day is over).
        Claimed before sending: a crash between the two loses that day's nudge, never doubles
        it. The number sent."""
        now = self.ctx.clock.now()
        slots = await self.ctx.storage.read(lambda uow: uow.reminders.due_slots(now))
        sent = 0
        for slot in slots:
            current = caught_up(slot, now)
            next_at, day_ends_at = advanced(current, now)
            sendable = may_send(current, now)
            while sendable:
                claimed, recipients = await self._claim(slot, current, next_at, day_ends_at)
                if not claimed:
                    break
                sent += await self._send_all(recipients)

            async def move_on(
                uow: UnitOfWork,
                slot: Slot = slot,
                moves: tuple[datetime, datetime] = (next_at, day_ends_at),
                due_before: datetime = current.day_ends_at,
                sendable: bool = sendable,
            ) -> None:
                await uow.reminders.move(
                    slot,
                    *moves,
                    with_reviews=False if sendable else None,
                    due_before=due_before,
                )

            await self.ctx.storage.transact(move_on)
        return sent

    async def _claim(
        self, slot: Slot, current: Slot, next_at: datetime, day_ends_at: datetime
    ) -> tuple[list[int], list[Recipient]]:
        """Up to `batch` of the slot's members with a review due today, moved on to their next
        day and stamped as nudged, with what their messages say."""

        async def claim(uow: UnitOfWork) -> tuple[list[int], list[Recipient]]:
            won = await uow.reminders.move(
                slot,
                next_at,
                day_ends_at,
                with_reviews=True,
                due_before=current.day_ends_at,
                sent_on=current.day,
                limit=self.batch,
            )
            return won, await uow.reminders.recipients(won, current.day_ends_at)

        return await self.ctx.storage.transact(claim)

    async def _send_all(self, recipients: list[Recipient]) -> int:
        by_community: dict[int, list[Recipient]] = {}
        for recipient in recipients:
            by_community.setdefault(recipient.community_id, []).append(recipient)
        sent = 0
        for community_id, group in by_community.items():
            community = await self.ctx.community_by_id(community_id)
            chat = self.ctx.chats.get(community.platform)
            if chat is not None:
                results = await asyncio.gather(*(self._send(chat, community, r) for r in group))
                sent += sum(results)
        return sent

    async def _send(self, chat: ChatPort, community: Community, recipient: Recipient) -> bool:
        count = recipient.due_reviews
        text = ngettext(
            "You have {count} question due for review today. Answer it privately with "
            "`/quiz review`; it does not touch the leaderboard.",
            "You have {count} questions due for review today. Answer them privately with "
            "`/quiz review`, one at a time; they do not touch the leaderboard.",
            count,
        ).format(count=count)
        text += "\n" + _(
            "You get this because you turned on review nudges in {group}; "
            "`/quiz remind off` stops them."
        ).format(group=community.name)
        user = UserRef(community.platform, community.workspace_id, recipient.user_id)
        try:
            return await chat.send_dm(user, OutMessage(text, title=_("Reviews due"))) is not None
        except Exception:
            log.warning("review nudge to member %s failed", recipient.member_id, exc_info=True)
            return False
