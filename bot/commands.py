"""Commands: everything a member or admin can ask of studybot, one frozen dataclass per use
case. Adapters build a command from a slash command, a button or a form, and hand it with the
member who sent it to the message bus (`bot.bus`); each command has exactly one handler.

Values are kept as typed (strings): parsing and checking them is the handler's job, so every
platform gets the same messages for the same mistakes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.domain.questions import DIFFICULTY_NAMES

DIFFICULTIES = tuple(DIFFICULTY_NAMES.values())
"""The difficulty words members type or pick, easiest first."""


class Command:
    """Base of every command; a marker for the bus's handler table."""


# the daily question --------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmitChoice(Command):
    post_id: int
    choice: int


@dataclass(frozen=True)
class OpenAnswerForm(Command):
    post_id: int


@dataclass(frozen=True)
class SubmitAnswerText(Command):
    post_id: int
    text: str


@dataclass(frozen=True)
class ShowMyResult(Command):
    post_id: int


@dataclass(frozen=True)
class ShowLatestResult(Command):
    """A member's result for the most recently revealed question, or for question #`number`
    (as typed: checked by the handler)."""

    number: str | None = None


@dataclass(frozen=True)
class ShowCurrentQuestion(Command):
    """The open daily question, for adapters without a channel history (the console)."""


# practice ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartPractice(Command):
    topic: str | None = None
    difficulty: str | None = None


@dataclass(frozen=True)
class StartScenario(Command):
    domain: str | None = None


@dataclass(frozen=True)
class ShowHint(Command):
    session_id: int


@dataclass(frozen=True)
class ShowModelAnswer(Command):
    session_id: int


@dataclass(frozen=True)
class OpenPracticeForm(Command):
    session_id: int


@dataclass(frozen=True)
class SubmitPracticeChoice(Command):
    session_id: int
    choice: int


@dataclass(frozen=True)
class SubmitPracticeText(Command):
    session_id: int
    text: str


# boards and personal stats -------------------------------------------------------------------


@dataclass(frozen=True)
class ShowLeaderboard(Command):
    period: str | None = None
    topic: str | None = None


@dataclass(frozen=True)
class ShowStats(Command):
    """`stats`: the member's numbers as text, with the stats card as a picture unless
    `picture` is False (a view that cannot show files, such as Slack's App Home)."""

    picture: bool = True


@dataclass(frozen=True)
class ShowGroupStats(Command):
    """`stats group` (admins): the group's coverage per topic and its most missed questions,
    as text with a picture."""


@dataclass(frozen=True)
class ShowStreak(Command):
    pass


@dataclass(frozen=True)
class StartReview(Command):
    """`review`: the member's next question due for review, privately, answered like practice."""


@dataclass(frozen=True)
class Remind(Command):
    """`remind on [HH:MM]`, `remind off`, `remind quiet HH:MM-HH:MM`, or `remind` alone for
    the current setting: the daily review nudge, as typed."""

    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetTimezone(Command):
    timezone: str


@dataclass(frozen=True)
class ShowHelp(Command):
    pass


# a member's own data ------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowPrivacy(Command):
    """What studybot stores about the member, and how to delete it."""


@dataclass(frozen=True)
class AskToForget(Command):
    """`forget-me`: list what would be deleted and offer a confirmation button."""


@dataclass(frozen=True)
class ForgetMe(Command):
    """The confirmation button: `member_id` it was offered to, `issued` its minute stamp."""

    member_id: int
    issued: int


@dataclass(frozen=True)
class ExportMyData(Command):
    """`export`: the member's answers in this community as a CSV file, and the questions they
    missed as an Anki deck, attached to a private reply."""


# mock interviews -----------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinPairing(Command):
    availability: str
    timezone: str | None = None
    role: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class LeavePairing(Command):
    pass


@dataclass(frozen=True)
class PausePairing(Command):
    rounds: str


@dataclass(frozen=True)
class ShowPairingStatus(Command):
    pass


@dataclass(frozen=True)
class ShowPairingStats(Command):
    pass


@dataclass(frozen=True)
class PairNow(Command):
    pass


@dataclass(frozen=True)
class CheckIn(Command):
    assignment_id: int
    answer: int


@dataclass(frozen=True)
class OpenFeedbackForm(Command):
    assignment_id: int


@dataclass(frozen=True)
class SubmitFeedback(Command):
    assignment_id: int
    text: str
    fields: Mapping[str, str] = field(default_factory=dict)


# admins --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetupChange:
    """Raw values as typed by an admin; None leaves a setting as it is."""

    channel: str | None = None
    time: str | None = None
    timezone: str | None = None
    topics: str | None = None
    window: str | None = None
    kinds: str | None = None
    difficulty: str | None = None
    admins: str | None = None
    packs: str | None = None
    pair_day: str | None = None
    pair_time: str | None = None
    checkin_days: str | None = None
    paused: bool | None = None


@dataclass(frozen=True)
class ChangeSetup(Command):
    change: SetupChange


@dataclass(frozen=True)
class SetupFromWords(Command):
    """`setup` as typed: key=value words, or `#channel HH:MM Area/City` in any order
    (adapters turn their channel mention syntax into `#id`)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class ShowSettings(Command):
    pass


@dataclass(frozen=True)
class ShowQuestionDifficulty(Command):
    """`difficulty`: questions whose answers say they play harder or easier than labelled."""


@dataclass(frozen=True)
class PostNow(Command):
    """`replace`: close and reveal the open question first (otherwise refused while one is
    open)."""

    replace: bool = False


@dataclass(frozen=True)
class SkipToday(Command):
    pass


@dataclass(frozen=True)
class CloseNow(Command):
    pass


@dataclass(frozen=True)
class StaleControl(Command):
    """A button or form the core cannot read. `reason`: "old" (not an id this version makes),
    "unknown" (our prefix, an action this version no longer has) or "form" (a form)."""

    reason: str = "old"
