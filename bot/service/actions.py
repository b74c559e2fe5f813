"""Button and form ids. They carry all the state a click needs, so buttons keep working after
a restart. Every id fits the platforms' limits (Discord 100, Slack 255 characters)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot import commands as c

PREFIX = "sb"


@dataclass(frozen=True)
class ParsedId:
    verb: str
    target: int
    arg: int | None = None


def answer_choice(post_id: int, choice: int) -> str:
    return f"{PREFIX}:a:{post_id}:{choice}"


def answer_form(post_id: int) -> str:
    return f"{PREFIX}:f:{post_id}"


def my_result(post_id: int) -> str:
    return f"{PREFIX}:r:{post_id}"


def practice_hint(session_id: int) -> str:
    return f"{PREFIX}:ph:{session_id}"


def practice_model(session_id: int) -> str:
    return f"{PREFIX}:pm:{session_id}"


def practice_form(session_id: int) -> str:
    return f"{PREFIX}:pf:{session_id}"


def practice_choice(session_id: int, choice: int) -> str:
    return f"{PREFIX}:pc:{session_id}:{choice}"


def checkin(assignment_id: int, answer: int) -> str:
    return f"{PREFIX}:ci:{assignment_id}:{answer}"


def feedback(assignment_id: int) -> str:
    return f"{PREFIX}:fb:{assignment_id}"


def feedback_form_id(assignment_id: int) -> str:
    return f"{PREFIX}:mf:{assignment_id}"


def forget_me(member_id: int, issued: int) -> str:
    return f"{PREFIX}:fm:{member_id}:{issued}"


def daily_form_id(post_id: int) -> str:
    return f"{PREFIX}:da:{post_id}"


def practice_form_id(session_id: int) -> str:
    return f"{PREFIX}:pa:{session_id}"


FORM_OPENERS = frozenset({"f", "pf", "fb"})


def opens_a_form(action_id: str) -> bool:
    """A button that answers with a form; platforms must open it from the click itself
    (Discord: the first response; Slack: within the trigger id's three seconds)."""
    parsed = parse(action_id)
    return parsed is not None and parsed.verb in FORM_OPENERS


def parse(action_id: str) -> ParsedId | None:
    """Parse an id made here; None for anything else (a stale or foreign button)."""
    parts = action_id.split(":")
    if len(parts) not in (3, 4) or parts[0] != PREFIX:
        return None
    try:
        numbers = [int(p) for p in parts[2:]]
    except ValueError:
        return None
    if any(n < 0 for n in numbers):
        return None
    return ParsedId(parts[1], numbers[0], numbers[1] if len(numbers) == 2 else None)


_BUTTONS: dict[str, Callable[[int, int | None], c.Command | None]] = {
    "a": lambda target, arg: None if arg is None else c.SubmitChoice(target, arg),
    "f": lambda target, _: c.OpenAnswerForm(target),
    "r": lambda target, _: c.ShowMyResult(target),
    "ph": lambda target, _: c.ShowHint(target),
    "pm": lambda target, _: c.ShowModelAnswer(target),
    "pf": lambda target, _: c.OpenPracticeForm(target),
    "pc": lambda target, arg: None if arg is None else c.SubmitPracticeChoice(target, arg),
    "ci": lambda target, arg: None if arg is None else c.CheckIn(target, arg),
    "fb": lambda target, _: c.OpenFeedbackForm(target),
    "fm": lambda target, arg: None if arg is None else c.ForgetMe(target, arg),
}


def decode_button(action_id: str) -> c.Command:
    """The command a button press asks for; `StaleControl` when the id cannot be read."""
    parsed = parse(action_id)
    if parsed is None:
        return c.StaleControl("old")
    make = _BUTTONS.get(parsed.verb)
    command = make(parsed.target, parsed.arg) if make else None
    return command or c.StaleControl("unknown")


def decode_form(form_id: str, text: str, fields: Mapping[str, str] | None = None) -> c.Command:
    """The command a submitted form asks for: `text` is its main field, `fields` the others."""
    parsed = parse(form_id)
    if parsed is not None:
        if parsed.verb == "da":
            return c.SubmitAnswerText(parsed.target, text)
        if parsed.verb == "pa":
            return c.SubmitPracticeText(parsed.target, text)
        if parsed.verb == "mf":
            return c.SubmitFeedback(parsed.target, text, dict(fields or {}))
    return c.StaleControl("form")
