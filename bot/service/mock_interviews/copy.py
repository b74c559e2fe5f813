"""What members read about mock interviews: introductions, packets, notices and replies."""

from __future__ import annotations

from datetime import date
from gettext import gettext as _

from bot.domain.mock_interviews import (
    FEEDBACK_LIMIT,
    POINTS_FOR_A_MOCK,
    POINTS_FOR_FEEDBACK,
    Assignment,
    RoundStats,
    meeting_times,
)
from bot.domain.questions import Question
from bot.service.practice import model_answer_text

CHECKIN_LABELS = (
    _("We met"),
    _("Rescheduled"),
    _("Partner didn't show"),
    _("I couldn't make it"),
)
RATING_LABELS = {
    "problem_solving": _("Problem solving (1-4)"),
    "ml_knowledge": _("ML knowledge (1-4)"),
    "communication": _("Communication (1-4)"),
    "structure": _("Structure (1-4)"),
}
CHECKIN_THANKS = {
    "met": _("Thanks, noted that you met. Well done for practising out loud!"),
    "rescheduled": _("Noted. Good luck when you meet!"),
    "no_show": _(
        "Sorry about that. It's noted: members who miss repeatedly sit out future rounds."
    ),
    "missed": _(
        "Thanks for saying so. Let your partner know, and join the next round when you can."
    ),
}
JOIN_FIRST = _("You haven't joined mock interviews.")
NOT_YOURS_FEEDBACK = _("That feedback form belongs to someone else or has expired.")


def rating_name(key: str) -> str:
    return RATING_LABELS[key].split(" (")[0]


def joined(availability: str, zone: str) -> str:
    return _(
        "You're in for mock interviews: {availability} ({zone}). You'll be paired "
        "with someone who shares your free time, a new partner each round. "
        "`pair pause 1` skips a round, `pair leave` stops."
    ).format(availability=availability, zone=zone)


def partner_left(name: str) -> str:
    return _(
        "{name} has left mock interviews, so this week's interview with them is "
        "off. Sorry! You'll get a new partner next round."
    ).format(name=name)


def round_line(stats: RoundStats) -> str:
    answered = sum(stats.checkins.values())
    met = stats.checkins.get("met", 0)
    rate = _("{rate:.0%} met").format(rate=met / answered) if answered else _("no check-ins yet")
    return _(
        "{key}: {members} members in {groups} groups · {rate} "
        "({answered} answered) · {no_shows} no-show reports · "
        "{feedback} feedback given"
    ).format(
        key=stats.run_key,
        members=stats.members,
        groups=stats.groups,
        rate=rate,
        answered=answered,
        no_shows=stats.checkins.get("no_show", 0),
        feedback=stats.feedback,
    )


def met_thanks() -> str:
    return _("{thanks} +{points} points. Your partner would value your feedback:").format(
        thanks=CHECKIN_THANKS["met"], points=POINTS_FOR_A_MOCK
    )


def feedback_sent() -> str:
    return _("Sent to your partner privately. +{points} points. Thank you!").format(
        points=POINTS_FOR_FEEDBACK
    )


def feedback_message(name: str, ratings: dict[str, int], comment: str) -> str:
    summary = "\n".join(f"- {rating_name(key)}: {ratings[key]}/4" for key in RATING_LABELS)
    return _("Feedback from your mock interview partner {name}:\n{summary}").format(
        name=name, summary=summary
    ) + (f"\n\n{comment}" if comment else "")


def comment_too_long() -> str:
    return _("Keep the comment under {limit} characters.").format(limit=FEEDBACK_LIMIT)


def no_dm_notice(name: str) -> str:
    return _(
        "{name}, I couldn't send you a direct message about this "
        "week's mock interview. Allow direct messages from this server, then "
        "run `/quiz pair status` to see your partner."
    ).format(name=name)


def space_text(group: list[Assignment], monday: date, zones: dict[int, str], shared: int) -> str:
    names = ", ".join(a.display_name for a in group)
    first = next((a.display_name for a in group if a.interviews_first), group[0].display_name)
    lines = [_("Mock interview this week: {names}. Say hello and pick a time!").format(names=names)]
    for a in group:
        times = meeting_times(shared, monday, zones.get(a.member_id, "UTC"))
        lines.append(
            f"- {a.display_name}: "
            + ("; ".join(times) if times else _("no shared time; agree one"))
        )
    lines.append(
        _("{name} interviews first; swap halfway. Packets come by direct message.").format(
            name=first
        )
    )
    return "\n".join(lines)


def benched(key: str, missed: int) -> str:
    return _(
        "You're sitting out round {key}: partners reported that you missed "
        "{missed} of the last interviews. You're back in the "
        "next round; if something got in the way, `pair pause` skips a round "
        "without counting against you."
    ).format(key=key, missed=missed)


def announcement(key: str, at: str, zone: str, taking_part: int) -> str:
    return _(
        "Mock interview pairs for {key} are made tomorrow at {at} ({zone}): "
        "{count} member(s) take part. "
        "Join with `/quiz pair join <your free times>`; skip this round with "
        "`/quiz pair pause 1`."
    ).format(key=key, at=at, zone=zone, count=taking_part)


def introduction(
    me: Assignment,
    group: list[Assignment],
    candidate: Assignment,
    times: list[str],
    question: Question | None,
    space: bool = False,
) -> str:
    others = [a.display_name for a in group if a.member_id != me.member_id]
    lines = [_("This week you practise with {names}.").format(names=", ".join(others))]
    if times:
        lines.append(_("You're all free: {times}.").format(times="; ".join(times)))
    else:
        lines.append(
            _(
                "Your free times don't overlap this week (nobody else fit better): "
                "agree a time that works."
            )
        )
    first = next((a.display_name for a in group if a.interviews_first), others[0])
    lines.append(_("{name} interviews first; swap halfway.").format(name=first))
    if space:
        lines.append(_("Your group has a private conversation: say hello there."))
    if question is not None:
        lines.append("")
        lines.append(
            _(
                "**Your packet** — you interview {name}. Keep it "
                "private until you've run the interview."
            ).format(name=candidate.display_name)
        )
        lines.append(packet(question))
    return "\n".join(lines)


def packet(question: Question) -> str:
    hints = "\n".join(f"- {h}" for h in question.hints)
    return "\n\n".join(
        p
        for p in (
            _("**Question**\n{prompt}").format(prompt=question.prompt),
            _("**Hints, if they get stuck**\n{hints}").format(hints=hints) if hints else "",
            model_answer_text(question),
        )
        if p
    )
