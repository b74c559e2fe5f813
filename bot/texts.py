"""The core's own member-facing sentences that belong to no single use case: help, apologies,
stale controls. Wrapped in `_` (stdlib gettext: the identity until a catalog is installed) so a
later change can add languages without touching the code that uses them."""

from __future__ import annotations

from gettext import gettext as _

SORRY = _(
    "Something went wrong on our side and nothing was changed. Please try again in a minute; "
    "if it keeps happening, tell an admin."
)

DATABASE_DOWN = _(
    "studybot cannot reach its database just now, so nothing was changed. Please try again in "
    "a minute."
)

STALE_CONTROL = {
    "old": _(
        "That button is from an older version of studybot and no longer works. "
        "Use the latest question instead."
    ),
    "unknown": _("That button no longer works. Use the latest question instead."),
    "form": _("That form has expired. Open the question again and answer there."),
}

HELP_TITLE = _("studybot help")

HELP = _("""\
**studybot** — a daily ML interview question, practice on demand, and leaderboards.
- `/quiz practice [topic] [difficulty]` — a practice question now, with hint and model answer
- `/quiz review` — the next question you are due to see again (what you missed comes back)
- `/quiz remind on [HH:MM]` — a private nudge on days when reviews are due; `remind off` stops it
- `/quiz scenario [domain]` — a scenario question; domains: {domains}
- `/quiz leaderboard [week|month|all] [topic]` — the board and your own rank
- `/quiz stats` — your points, ranks, streak and topics
- `/quiz streak` — your streak
- `/quiz result [N]` — what you answered and scored on the latest reveal, or question #N
- `/quiz timezone <Area/City>` — your time zone, for streak days and reveal times
- `/quiz pair join <availability>` — weekly mock interviews with a peer, e.g. \
`pair join Mon-Thu 18:00-21:00; Sat 10:00-12:00`; also `pair status`, `pair pause 1`, `pair leave`
- `/quiz privacy` — what studybot stores about you; `/quiz forget-me` deletes it
- `/quiz export` — your answers as a CSV file, and the questions you missed as Anki cards
Admins: `/quiz setup`, `/quiz post-now`, `/quiz close-now`, `/quiz skip`, `/quiz pair-now`.
Topics: {topics}.""")

NO_TOPICS = _("none loaded")

TIMEZONE_SET = _("Your time zone is now {zone}.")

NOTHING_OPEN = _("No question is open right now.")
