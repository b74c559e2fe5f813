"""Peer mock interviews: members opt in with their weekly availability; each round pairs the
active ones (bot.domain.pairing), introduces each group privately with meeting times in every
member's own time zone, and gives each interviewer a scenario packet."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.availability import SLOT_MINUTES, parse_availability, week_slots
from bot.domain.community import WEEKDAYS, Community, parse_timezone
from bot.domain.errors import InvalidSetting, NothingToDo, UnknownQuestion
from bot.domain.pairing import REPEAT_WINDOW, Candidate, pair_members
from bot.domain.questions import Kind, Question
from bot.domain.schedule import local_date
from bot.ports import Actor, ChannelRef, UserRef
from bot.render import Action, FormField, FormSpec, OutMessage, Reply
from bot.service import actions
from bot.service.context import Context
from bot.service.practice import model_answer_text
from bot.storage.pairing_store import Assignment, Profile, SqlPairingStore

log = logging.getLogger(__name__)
SUGGESTED_TIMES = 3
NO_SHOW_MEMORY = 3  # rounds in which a partner's "didn't show" report counts
CHECKIN_ANSWERS = ("met", "rescheduled", "no_show", "missed")
CHECKIN_LABELS = ("We met", "Rescheduled", "Partner didn't show", "I couldn't make it")
MOCK_TOPIC = "mock_interviews"
POINTS_FOR_A_MOCK = 10
POINTS_FOR_FEEDBACK = 5
RATINGS = (
    ("problem_solving", "Problem solving (1-4)"),
    ("ml_knowledge", "ML knowledge (1-4)"),
    ("communication", "Communication (1-4)"),
    ("structure", "Structure (1-4)"),
)
FEEDBACK_LIMIT = 1000
CHECKIN_THANKS = {
    "met": "Thanks, noted that you met. Well done for practising out loud!",
    "rescheduled": "Noted. Good luck when you meet!",
    "no_show": "Sorry about that. It's noted: members who miss repeatedly sit out future rounds.",
    "missed": "Thanks for saying so. Let your partner know, and join the next round when you can.",
}


def round_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def round_monday(community: Community, now: datetime) -> date:
    today = local_date(community.settings, now)
    return today - timedelta(days=today.weekday())


def meeting_times(shared: int, monday: date, zone: str, limit: int = SUGGESTED_TIMES) -> list[str]:
    """The first stretches of shared free time, in `zone`, as "Tue 19:00–21:00"."""
    blocks: list[tuple[int, int]] = []
    slot = 0
    while shared >> slot:
        if shared >> slot & 1:
            start = slot
            while shared >> slot & 1:
                slot += 1
            blocks.append((start, slot))
        else:
            slot += 1
    week = datetime.combine(monday, datetime.min.time(), tzinfo=UTC)
    tz = ZoneInfo(zone)
    out = []
    for start, end in blocks[:limit]:
        begin = (week + timedelta(minutes=start * SLOT_MINUTES)).astimezone(tz)
        finish = (week + timedelta(minutes=end * SLOT_MINUTES)).astimezone(tz)
        out.append(f"{begin:%a %H:%M}–{finish:%H:%M} {begin.tzname()}")
    return out


class MockInterviews:
    def __init__(self, ctx: Context, store: SqlPairingStore) -> None:
        self.ctx = ctx
        self.store = store

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
        monday = round_monday(community, self.ctx.clock.now())
        if not week_slots(windows, zone, monday):
            raise InvalidSetting("Those windows are shorter than half an hour; give longer ones.")
        await self.store.save_profile(
            community.id,
            member.id,
            self.ctx.clock.now(),
            availability=availability.strip(),
            timezone=zone,
            role=(role or None),
            level=(level or None),
        )
        return Reply(
            f"You're in for mock interviews: {availability.strip()} ({zone}). You'll be paired "
            "with someone who shares your free time, a new partner each round. "
            "`pair pause 1` skips a round, `pair leave` stops."
        )

    async def leave(self, actor: Actor) -> Reply:
        community, member = await self.ctx.member(actor)
        if not await self.store.update_profile(member.id, active=False):
            raise NothingToDo("You haven't joined mock interviews.")
        await self._release_partners(community, member.id, member.display_name)
        return Reply("You've left mock interviews. Join again any time with `pair join`.")

    async def _release_partners(self, community: Community, member_id: int, name: str) -> None:
        """Someone left during this week's round: tell their partners plainly."""
        latest = await self.store.latest_round(community.id)
        if latest is None or latest[1] != round_key(round_monday(community, self.ctx.clock.now())):
            return
        group = await self.store.assignments(latest[0])
        mine = next((a for a in group if a.member_id == member_id), None)
        chat = self.ctx.chats.get(community.platform)
        if mine is None or chat is None:
            return
        for partner in group:
            if partner.group_no != mine.group_no or partner.member_id == member_id:
                continue
            await chat.send_dm(
                UserRef(community.platform, community.workspace_id, partner.user_id),
                OutMessage(
                    f"{name} has left mock interviews, so this week's interview with them is "
                    "off. Sorry! You'll get a new partner next round.",
                    title="Mock interview",
                ),
            )

    async def pause(self, actor: Actor, rounds: str) -> Reply:
        if not rounds.isdigit() or not 1 <= int(rounds) <= 12:
            raise InvalidSetting("Pause for 1 to 12 rounds, for example: pair pause 2")
        _community, member = await self.ctx.member(actor)
        if not await self.store.update_profile(member.id, pause_rounds=int(rounds)):
            raise NothingToDo("You haven't joined mock interviews.")
        return Reply(f"You'll sit out the next {rounds} round(s).")

    async def status(self, actor: Actor) -> Reply:
        community, member = await self.ctx.member(actor)
        found = await self.store.profiles(community.id, member_id=member.id)
        if not found:
            return Reply("You haven't joined mock interviews. Try: pair join Mon-Thu 18:00-21:00")
        profile = found[0]
        lines = [
            f"Availability: {profile.availability} ({profile.timezone})",
            "Status: "
            + (
                f"paused for {profile.pause_rounds} round(s)"
                if profile.pause_rounds
                else "active"
                if profile.active
                else "left"
            ),
        ]
        latest = await self.store.latest_round(community.id)
        if latest is not None:
            group = [
                a
                for a in await self.store.assignments(latest[0])
                if a.group_no
                in {
                    x.group_no
                    for x in await self.store.assignments(latest[0])
                    if x.member_id == member.id
                }
            ]
            partners = [a.display_name for a in group if a.member_id != member.id]
            if partners:
                lines.append(f"Round {latest[1]}: with {', '.join(partners)}")
        lines.append(f"Rounds so far: {await self.store.rounds_of(member.id)}")
        lines.append(f"Next round: {self._next_round(community)}")
        return Reply("\n".join(lines), title="Mock interviews")

    async def stats(self, actor: Actor) -> Reply:
        """For admins: the last rounds' pairs, met rate, no-shows and feedback given."""
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        rounds = await self.store.round_stats(community.id, 6)
        if not rounds:
            return Reply("No mock-interview round has been paired yet.")
        lines = []
        for r in rounds:
            answered = sum(r["checkins"].values())
            met = r["checkins"].get("met", 0)
            rate = f"{met / answered:.0%} met" if answered else "no check-ins yet"
            lines.append(
                f"{r['round']}: {r['members']} members in {r['groups']} groups · {rate} "
                f"({answered} answered) · {r['checkins'].get('no_show', 0)} no-show reports · "
                f"{r['feedback']} feedback given"
            )
        return Reply("\n".join(lines), title="Mock interview rounds")

    def _next_round(self, community: Community) -> str:
        settings = community.settings
        zone = ZoneInfo(settings.timezone)
        local = self.ctx.clock.now().astimezone(zone)
        target = WEEKDAYS.index(settings.pair_day)
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            at = datetime.combine(day, settings.pair_time, tzinfo=zone)
            if day.weekday() == target and at > local:
                return f"{at:%a %d %b %H:%M} {at.tzname()}"
        return "next week"

    async def pair_now(self, actor: Actor) -> Reply:
        community = await self.ctx.community(actor.user.workspace)
        self.ctx.require_admin(actor, community)
        made = await self.run_round(community.id)
        if made is None:
            return Reply("This week's round is already paired.")
        return Reply(made)

    async def run_round(self, community_id: int) -> str | None:
        """Pair this week's round once (claimed in the database), then introduce the groups;
        the summary, or None when the round already exists."""
        community = await self.ctx.community_by_id(community_id)
        now = self.ctx.clock.now()
        monday = round_monday(community, now)
        key = round_key(monday)
        profiles = [p for p in await self.store.profiles(community.id) if p.active]
        taking_part = [p for p in profiles if p.pause_rounds == 0]
        if len(taking_part) < 2:
            return f"Round {key}: fewer than two members take part, so nobody was paired."
        seed = int(
            hashlib.sha256(f"{community.id}:{key}".encode()).hexdigest()[:7], 16
        )  # fits a 32-bit column
        round_id = await self.store.claim_round(community.id, key, monday, seed, now)
        if round_id is None:
            return None
        met, odd_last = await self.store.history(community.id, REPEAT_WINDOW)
        missed = await self.store.no_shows(community.id, NO_SHOW_MEMORY)
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
        rows: list[dict[str, object]] = []
        for number, group in enumerate(pairing.groups):
            for position, member_id in enumerate(group.members):
                rows.append(
                    {
                        "group_no": number,
                        "member_id": member_id,
                        "interviews_first": position == 0,
                        "question_id": None,
                        "shared_slots": group.shared_slots,
                    }
                )
        await self._choose_packets(rows)
        await self.store.save_round(
            round_id, rows, pairing.odd_one, [p.member_id for p in profiles if p.pause_rounds > 0]
        )
        await self.introduce(community, round_id, monday)
        await self._tell_benched(community, key, pairing.benched, missed, taking_part)
        groups = len(pairing.groups)
        no_overlap = sum(g.no_overlap for g in pairing.groups)
        note = f", {no_overlap} without shared free time" if no_overlap else ""
        if pairing.benched:
            note += f", {len(pairing.benched)} sitting out after missed interviews"
        paired = len(candidates) - len(pairing.benched)
        return f"Round {key}: {paired} members in {groups} group(s){note}."

    async def send_checkins(self) -> int:
        """Two days after a round, ask each member whether the interview happened (once)."""
        now = self.ctx.clock.now()
        sent = 0
        for assignment_id, community_id, user_id, made in await self.store.due_checkins(
            now - timedelta(days=1)
        ):
            community = await self.ctx.community_by_id(community_id)
            if now - made < timedelta(days=community.settings.checkin_days):
                continue
            if not await self.store.claim_checkin(assignment_id, now):
                continue
            chat = self.ctx.chats.get(community.platform)
            if chat is None:
                continue
            buttons = tuple(
                Action(actions.checkin(assignment_id, i), label)
                for i, label in enumerate(CHECKIN_LABELS)
            )
            message = OutMessage(
                "Did your mock interview happen?", title="Mock interview", actions=buttons
            )
            try:
                await chat.send_dm(
                    UserRef(community.platform, community.workspace_id, user_id), message
                )
                sent += 1
            except Exception:
                log.warning("check-in for assignment %s failed", assignment_id, exc_info=True)
        return sent

    async def checkin(self, actor: Actor, assignment_id: int, answer: int) -> Reply:
        if not 0 <= answer < len(CHECKIN_ANSWERS):
            raise UnknownQuestion("That button no longer works.")
        _community, member = await self.ctx.member(actor)
        recorded, current = await self.store.record_checkin(
            assignment_id, member.id, CHECKIN_ANSWERS[answer]
        )
        if current is None and not recorded:
            raise UnknownQuestion("That check-in belongs to someone else or has expired.")
        if not recorded:
            label = CHECKIN_LABELS[CHECKIN_ANSWERS.index(current)] if current else "?"
            return Reply(f"You already answered “{label}”; the first answer counts.")
        if CHECKIN_ANSWERS[answer] != "met":
            return Reply(CHECKIN_THANKS[CHECKIN_ANSWERS[answer]])
        community = await self.ctx.community(actor.user.workspace)
        today = local_date(community.settings, self.ctx.clock.now())
        await self.ctx.store.award(community.id, member.id, today, POINTS_FOR_A_MOCK, MOCK_TOPIC)
        return Reply(
            f"{CHECKIN_THANKS['met']} +{POINTS_FOR_A_MOCK} points. Your partner would value "
            "your feedback:",
            actions=(Action(actions.feedback(assignment_id), "Give feedback", "primary"),),
        )

    async def feedback_form(self, actor: Actor, assignment_id: int) -> Reply:
        _community, member = await self.ctx.member(actor)
        mine = await self.store.assignment(assignment_id)
        if mine is None or mine.member_id != member.id:
            raise UnknownQuestion("That feedback form belongs to someone else or has expired.")
        extra = tuple(
            FormField(key, label, 1, placeholder="1, 2, 3 or 4", multiline=False)
            for key, label in RATINGS
        )
        return Reply(
            "",
            form=FormSpec(
                form_id=actions.feedback_form_id(assignment_id),
                title="Feedback for your partner",
                label="What went well, what to work on",
                max_length=FEEDBACK_LIMIT,
                placeholder="Be specific and kind: one strength, one thing to practise.",
                min_length=0,
                extra=extra,
            ),
        )

    async def submit_feedback(
        self, actor: Actor, assignment_id: int, text: str, values: Mapping[str, str]
    ) -> Reply:
        """Ratings 1-4 and a comment, sent privately to the partner(s); given once a round."""
        community, member = await self.ctx.member(actor)
        mine = await self.store.assignment(assignment_id)
        if mine is None or mine.member_id != member.id:
            raise UnknownQuestion("That feedback form belongs to someone else or has expired.")
        ratings = {}
        for key, label in RATINGS:
            value = (values.get(key) or "").strip()
            if value not in {"1", "2", "3", "4"}:
                raise InvalidSetting(
                    f"{label.split(' (')[0]}: “{value}” is not a rating. Use 1, 2, 3 or 4; "
                    "nothing was sent, so open the form again."
                )
            ratings[key] = int(value)
        comment = (text or "").strip()
        if len(comment) > FEEDBACK_LIMIT:
            raise InvalidSetting(f"Keep the comment under {FEEDBACK_LIMIT} characters.")
        if not await self.store.save_feedback(
            assignment_id, ratings, comment, self.ctx.clock.now()
        ):
            raise NothingToDo("You already gave feedback for this round. Thank you!")
        today = local_date(community.settings, self.ctx.clock.now())
        await self.ctx.store.award(community.id, member.id, today, POINTS_FOR_FEEDBACK, MOCK_TOPIC)
        chat = self.ctx.chats.get(community.platform)
        partners = [
            a
            for a in await self.store.assignments(mine.round_id)
            if a.group_no == mine.group_no and a.member_id != member.id
        ]
        summary = "\n".join(f"- {label.split(' (')[0]}: {ratings[key]}/4" for key, label in RATINGS)
        message = OutMessage(
            f"Feedback from your mock interview partner {member.display_name}:\n{summary}"
            + (f"\n\n{comment}" if comment else ""),
            title="Mock interview feedback",
        )
        for partner in partners:
            if chat is not None:
                await chat.send_dm(
                    UserRef(community.platform, community.workspace_id, partner.user_id), message
                )
        return Reply(f"Sent to your partner privately. +{POINTS_FOR_FEEDBACK} points. Thank you!")

    async def _choose_packets(self, rows: list[dict[str, object]]) -> None:
        """Each member interviews the next one in the group: pick a scenario the candidate has
        not met, preferring one the interviewer has answered."""
        scenarios = [q for q in self.ctx.bank.questions if q.kind is Kind.SCENARIO]
        if not scenarios:
            return
        groups: dict[object, list[dict[str, object]]] = {}
        for row in rows:
            groups.setdefault(row["group_no"], []).append(row)
        history = {
            member_id: await self.store.seen_questions(member_id)
            for member_id in (int(str(row["member_id"])) for row in rows)
        }
        for group in groups.values():
            for i, interviewer in enumerate(group):
                candidate = group[(i + 1) % len(group)]
                seen, _ = history[int(str(candidate["member_id"]))]
                _, answered = history[int(str(interviewer["member_id"]))]
                fresh = [q for q in scenarios if q.id not in seen] or scenarios
                known = [q for q in fresh if q.id in answered]
                pick = sorted(known or fresh, key=lambda q: q.id)[
                    int(str(interviewer["member_id"])) % len(known or fresh)
                ]
                interviewer["question_id"] = pick.id

    async def introduce(self, community: Community, round_id: int, monday: date) -> None:
        """Introductions and packets, each claimed once: a restart never sends them twice."""
        chat = self.ctx.chats.get(community.platform)
        assignments = await self.store.assignments(round_id)
        profiles = {p.member_id: p for p in await self.store.profiles(community.id)}
        zones = {m: p.timezone for m, p in profiles.items()}
        slots = {
            m: week_slots(parse_availability(p.availability), p.timezone, monday)
            for m, p in profiles.items()
        }
        groups: dict[int, list[Assignment]] = {}
        for a in assignments:
            groups.setdefault(a.group_no, []).append(a)
        for number, group in groups.items():
            if chat is None:
                return
            shared = -1
            for a in group:
                shared &= slots.get(a.member_id, 0)
            space = await self._open_space(
                community, round_id, number, group, monday, zones, shared
            )
            for i, me in enumerate(group):
                if me.intro_sent or not await self.store.claim_intro(me.id, self.ctx.clock.now()):
                    continue
                candidate = group[(i + 1) % len(group)]
                text = self._intro(me, group, candidate, monday, zones, shared, space)
                user = UserRef(community.platform, community.workspace_id, me.user_id)
                try:
                    sent = await chat.send_dm(user, OutMessage(text, title="Your mock interview"))
                except Exception:
                    log.warning("introduction to member %s failed", me.member_id, exc_info=True)
                    sent = None
                if sent is None:
                    await self._notice(
                        community,
                        f"{me.display_name}, I couldn't send you a direct message about this "
                        "week's mock interview. Allow direct messages from this server, then "
                        "run `/quiz pair status` to see your partner.",
                    )

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
        if not await self.ctx.store.claim(
            community.id, f"space:{round_id}:{number}", self.ctx.clock.now()
        ):
            return True  # opened before a restart
        names = ", ".join(a.display_name for a in group)
        first = next((a.display_name for a in group if a.interviews_first), group[0].display_name)
        lines = [f"Mock interview this week: {names}. Say hello and pick a time!"]
        for a in group:
            times = meeting_times(shared, monday, zones.get(a.member_id, "UTC"))
            lines.append(
                f"- {a.display_name}: "
                + ("; ".join(times) if times else "no shared time; agree one")
            )
        lines.append(f"{first} interviews first; swap halfway. Packets come by direct message.")
        users = [UserRef(community.platform, community.workspace_id, a.user_id) for a in group]
        try:
            opened = await chat.open_private_space(
                ChannelRef(community.platform, community.workspace_id, channel),
                users,
                OutMessage("\n".join(lines), title=f"Mock interview: {names}"),
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
        if chat is None or not await self.ctx.store.claim(
            community.id, f"benched:{key}", self.ctx.clock.now()
        ):
            return
        users = {p.member_id: p.user_id for p in profiles}
        for member_id in benched:
            await chat.send_dm(
                UserRef(community.platform, community.workspace_id, users[member_id]),
                OutMessage(
                    f"You're sitting out round {key}: partners reported that you missed "
                    f"{missed.get(member_id, 0)} of the last interviews. You're back in the "
                    "next round; if something got in the way, `pair pause` skips a round "
                    "without counting against you.",
                    title="Mock interview",
                ),
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
        monday = round_monday(community, now + timedelta(days=1))
        key = round_key(monday)
        taking_part = [
            p for p in await self.store.profiles(community.id) if p.active and not p.pause_rounds
        ]
        if not taking_part or not await self.ctx.store.claim(community.id, f"announce:{key}", now):
            return False
        await self._notice(
            community,
            f"Mock interview pairs for {key} are made tomorrow at "
            f"{community.settings.pair_time.strftime('%H:%M')} "
            f"({community.settings.timezone}): {len(taking_part)} member(s) take part. "
            "Join with `/quiz pair join <your free times>`; skip this round with "
            "`/quiz pair pause 1`.",
        )
        return True

    def _intro(
        self,
        me: Assignment,
        group: list[Assignment],
        candidate: Assignment,
        monday: date,
        zones: dict[int, str],
        shared: int,
        space: bool = False,
    ) -> str:
        others = [a.display_name for a in group if a.member_id != me.member_id]
        zone = zones.get(me.member_id, "UTC")
        times = meeting_times(shared, monday, zone)
        lines = [f"This week you practise with {', '.join(others)}."]
        if times:
            lines.append("You're all free: " + "; ".join(times) + ".")
        else:
            lines.append(
                "Your free times don't overlap this week (nobody else fit better): "
                "agree a time that works."
            )
        first = next((a.display_name for a in group if a.interviews_first), others[0])
        lines.append(f"{first} interviews first; swap halfway.")
        if space:
            lines.append("Your group has a private conversation: say hello there.")
        question = self.ctx.bank.by_id.get(me.question_id or "")
        if question is not None:
            lines.append("")
            lines.append(
                f"**Your packet** — you interview {candidate.display_name}. Keep it "
                "private until you've run the interview."
            )
            lines.append(packet(question))
        return "\n".join(lines)


def packet(question: Question) -> str:
    hints = "\n".join(f"- {h}" for h in question.hints)
    return "\n\n".join(
        p
        for p in (
            f"**Question**\n{question.prompt}",
            f"**Hints, if they get stuck**\n{hints}" if hints else "",
            model_answer_text(question),
        )
        if p
    )
