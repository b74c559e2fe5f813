"""What members read about mock interviews: introductions, packets, notices and replies."""

from __future__ import annotations

from datetime import date

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

CHECKIN_LABELS = ("We met", "Rescheduled", "Partner didn't show", "I couldn't make it")
RATING_LABELS = {
    "problem_solving": "Problem solving (1-4)",
    "ml_knowledge": "ML knowledge (1-4)",
    "communication": "Communication (1-4)",
    "structure": "Structure (1-4)",
}
CHECKIN_THANKS = {
    "met": "Thanks, noted that you met. Well done for practising out loud!",
    "rescheduled": "Noted. Good luck when you meet!",
    "no_show": "Sorry about that. It's noted: members who miss repeatedly sit out future rounds.",
    "missed": "Thanks for saying so. Let your partner know, and join the next round when you can.",
}
JOIN_FIRST = "You haven't joined mock interviews."
NOT_YOURS_FEEDBACK = "That feedback form belongs to someone else or has expired."


def rating_name(key: str) -> str:
    return RATING_LABELS[key].split(" (")[0]


def joined(availability: str, zone: str) -> str:
    return (
        f"You're in for mock interviews: {availability} ({zone}). You'll be paired "
        "with someone who shares your free time, a new partner each round. "
        "`pair pause 1` skips a round, `pair leave` stops."
    )


def partner_left(name: str) -> str:
    return (
        f"{name} has left mock interviews, so this week's interview with them is "
        "off. Sorry! You'll get a new partner next round."
    )


def round_line(stats: RoundStats) -> str:
    answered = sum(stats.checkins.values())
    met = stats.checkins.get("met", 0)
    rate = f"{met / answered:.0%} met" if answered else "no check-ins yet"
    return (
        f"{stats.run_key}: {stats.members} members in {stats.groups} groups · {rate} "
        f"({answered} answered) · {stats.checkins.get('no_show', 0)} no-show reports · "
        f"{stats.feedback} feedback given"
    )


def met_thanks() -> str:
    return (
        f"{CHECKIN_THANKS['met']} +{POINTS_FOR_A_MOCK} points. Your partner would value "
        "your feedback:"
    )


def feedback_sent() -> str:
    return f"Sent to your partner privately. +{POINTS_FOR_FEEDBACK} points. Thank you!"


def feedback_message(name: str, ratings: dict[str, int], comment: str) -> str:
    summary = "\n".join(f"- {rating_name(key)}: {ratings[key]}/4" for key in RATING_LABELS)
    return f"Feedback from your mock interview partner {name}:\n{summary}" + (
        f"\n\n{comment}" if comment else ""
    )


def comment_too_long() -> str:
    return f"Keep the comment under {FEEDBACK_LIMIT} characters."


def no_dm_notice(name: str) -> str:
    return (
        f"{name}, I couldn't send you a direct message about this "
        "week's mock interview. Allow direct messages from this server, then "
        "run `/quiz pair status` to see your partner."
    )


def space_text(group: list[Assignment], monday: date, zones: dict[int, str], shared: int) -> str:
    names = ", ".join(a.display_name for a in group)
    first = next((a.display_name for a in group if a.interviews_first), group[0].display_name)
    lines = [f"Mock interview this week: {names}. Say hello and pick a time!"]
    for a in group:
        times = meeting_times(shared, monday, zones.get(a.member_id, "UTC"))
        lines.append(
            f"- {a.display_name}: " + ("; ".join(times) if times else "no shared time; agree one")
        )
    lines.append(f"{first} interviews first; swap halfway. Packets come by direct message.")
    return "\n".join(lines)


def benched(key: str, missed: int) -> str:
    return (
        f"You're sitting out round {key}: partners reported that you missed "
        f"{missed} of the last interviews. You're back in the "
        "next round; if something got in the way, `pair pause` skips a round "
        "without counting against you."
    )


def announcement(key: str, at: str, zone: str, taking_part: int) -> str:
    return (
        f"Mock interview pairs for {key} are made tomorrow at {at} ({zone}): "
        f"{taking_part} member(s) take part. "
        "Join with `/quiz pair join <your free times>`; skip this round with "
        "`/quiz pair pause 1`."
    )


def introduction(
    me: Assignment,
    group: list[Assignment],
    candidate: Assignment,
    times: list[str],
    question: Question | None,
    space: bool = False,
) -> str:
    others = [a.display_name for a in group if a.member_id != me.member_id]
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
