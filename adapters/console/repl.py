"""`studybot console`: the whole bot in a terminal, on the local database, with no tokens.

You play a member (and admin) of a local community. Commands are read line by line from
stdin, so a script or a test can drive it through a pipe.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
import threading
from dataclasses import dataclass
from gettext import gettext as _
from pathlib import Path
from typing import TextIO

from adapters.console import files
from adapters.console import format as fmt
from adapters.console.chat import ConsoleChat
from bot import commands as c
from bot.app import Studybot
from bot.ports import Actor, UserRef
from bot.render import FormSpec, Reply, quoted

PLATFORM = "console"
PAIR_OPTIONS = {"tz", "role", "level"}
WORKSPACE = "local"
CHANNEL = "study-group"

USAGE = _("""\
Console commands (the /quiz prefix is optional):
  help | practice [topic] [difficulty] | scenario [domain] | leaderboard [week|month|all] [topic]
  stats | streak | timezone <Area/City> | privacy | forget-me (then forget-me confirm)
  export                    your answers as a CSV file, your missed questions for Anki
  answer <letter or text>   answer the open daily question     result [N] your result (latest or #N)
  question                  show the open daily question
  pick <letter or text>     answer your practice question      hint | model
  review                    your next question due for review (answer it with pick)
  remind on [HH:MM] | remind off | remind quiet HH:MM-HH:MM   a daily nudge when reviews are due
  admin: setup #channel HH:MM Area/City, or setup key=value… (channel time timezone topics
         window kinds difficulty …) | settings | stats group (coverage, most missed)
         post-now [replace] | close-now | skip | difficulty (questions that play off their label)
  pair join <availability> [tz=Area/City] | pair status | pair pause N | pair leave
         (mock interviews, e.g. pair join Mon-Thu 18:00-21:00; Sat 10:00-12:00)
         admin: pair-now, pair-stats
  press <button id>         press a button shown in a direct message
  submit key=value … <text> fill the form that is open (e.g. mock-interview feedback)
  as <name>                 play another member (to try the leaderboard)      quit""")


@dataclass
class Player:
    name: str

    def actor(self) -> Actor:
        user_id = "local-" + "".join(ch for ch in self.name.lower() if ch.isalnum())
        return Actor(UserRef(PLATFORM, WORKSPACE, user_id), self.name, is_admin=True)


class ConsoleSession:
    def __init__(
        self, app: Studybot, out: TextIO, name: str = "you", files_dir: Path | None = None
    ) -> None:
        self.app = app
        self.out = out
        self.files_dir = files_dir or files.folder()
        self.player = Player(name)
        self.practice_actions: dict[str, str] = {}
        self.practice_form: str | None = None
        self.open_form: FormSpec | None = None
        self.forget_action: str | None = None

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def show(self, reply: Reply) -> None:
        self.say(fmt.reply(reply))
        if reply.files:
            self.say("\n".join(files.save(reply.files, self.files_dir)))
        if reply.form is not None and reply.form.extra:
            self.open_form = reply.form
        if reply.actions and any(a.id.startswith("sb:p") for a in reply.actions):
            self.practice_actions = {a.label.lower(): a.id for a in reply.actions}
            form = self.practice_actions.get("answer")
            self.practice_form = form
        self.forget_action = next(
            (a.id for a in reply.actions if a.id.startswith(fmt.FORGET_PREFIX)), None
        )

    async def prepare(self) -> None:
        actor = self.player.actor()
        await self.app.start_local_group(actor, _("Local study group"), CHANNEL)

    async def handle(self, line: str) -> bool:
        """Run one command line; False when the session should end."""
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        if not words:
            return True
        if words[0] in {"/quiz", "quiz"}:
            words = words[1:] or ["help"]
        command, args = words[0].lstrip("/").lower(), words[1:]
        rest = line.split(None, 1)[1] if len(line.split(None, 1)) > 1 else ""
        if line.strip().startswith(("/quiz", "quiz")):
            rest = line.strip().split(None, 2)[2] if len(line.split(None, 2)) > 2 else ""
        actor = self.player.actor()
        app = self.app
        if command in {"quit", "exit"}:
            return False
        if command == "help":
            self.show(await app.handle(actor, c.ShowHelp()))
            self.say(USAGE)
        elif command == "practice":
            self.show(await app.handle(actor, c.StartPractice(" ".join(args) or None)))
        elif command == "review":
            self.show(await app.handle(actor, c.StartReview()))
        elif command == "remind":
            self.show(await app.handle(actor, c.Remind(tuple(args))))
        elif command == "scenario":
            self.show(await app.handle(actor, c.StartScenario(" ".join(args) or None)))
        elif command == "leaderboard":
            self.show(await app.handle(actor, c.ShowLeaderboard(" ".join(args) or None)))
        elif command == "stats" and args in ([], ["group"]):
            self.show(await app.handle(actor, c.ShowGroupStats() if args else c.ShowStats()))
        elif command == "streak":
            self.show(await app.handle(actor, c.ShowStreak()))
        elif command == "timezone":
            if args:
                self.show(await app.handle(actor, c.SetTimezone(args[0])))
            else:
                self.say(
                    _(
                        "Usage: timezone <IANA name>, e.g. timezone Europe/Berlin or timezone "
                        "America/New_York. Your time zone sets the day your streak counts."
                    )
                )
        elif command == "privacy":
            self.show(await app.handle(actor, c.ShowPrivacy()))
        elif command == "export":
            self.show(await app.handle(actor, c.ExportMyData()))
        elif command == "forget-me":
            await self.forget_me(actor, args)
        elif command == "question":
            self.show(await app.handle(actor, c.ShowCurrentQuestion()))
        elif command == "answer":
            await self.answer(actor, rest)
        elif command == "result" and len(args) <= 1:
            self.show(await app.handle(actor, c.ShowLatestResult(args[0] if args else None)))
        elif command == "pick":
            await self.pick(actor, rest)
        elif command in {"hint", "model"}:
            key = "hint" if command == "hint" else "model answer"
            if key not in self.practice_actions:
                self.say(_("Start a practice question first: practice [topic] [difficulty]."))
            else:
                self.show(await app.press(actor, self.practice_actions[key]))
        elif command == "setup":
            await self.setup(actor, args)
        elif command == "settings":
            self.show(await app.handle(actor, c.ShowSettings()))
        elif command == "post-now" and args in ([], ["replace"]):
            self.show(await app.handle(actor, c.PostNow(replace=bool(args))))
        elif command == "close-now":
            self.show(await app.handle(actor, c.CloseNow()))
        elif command == "skip":
            self.show(await app.handle(actor, c.SkipToday()))
        elif command == "difficulty":
            self.show(await app.handle(actor, c.ShowQuestionDifficulty()))
        elif command == "pair":
            await self.pair(actor, args, rest)
        elif command == "submit":
            await self.submit(actor, rest)
        elif command == "press" and args:
            self.show(await app.press(actor, args[0]))
        elif command == "pair-now":
            self.show(await app.handle(actor, c.PairNow()))
        elif command == "pair-stats":
            self.show(await app.handle(actor, c.ShowPairingStats()))
        elif command == "as":
            if args:
                self.player = Player(" ".join(args))
                self.say(_("You are now {name}.").format(name=self.player.name))
            else:
                self.say(
                    _(
                        "Usage: as <name>, e.g. as Bob: play another member of the group. "
                        "You are {name}."
                    ).format(name=self.player.name)
                )
        else:
            self.say(
                _("Unknown command “{command}”.\n{usage}").format(command=words[0], usage=USAGE)
            )
        return True

    async def forget_me(self, actor: Actor, args: list[str]) -> None:
        if args != ["confirm"]:
            self.show(await self.app.handle(actor, c.AskToForget()))
            return
        if self.forget_action is None:
            self.say(_("Run forget-me first: it lists what would be deleted, then confirm."))
            return
        action, self.forget_action = self.forget_action, None
        self.show(await self.app.press(actor, action))

    async def answer(self, actor: Actor, text: str) -> None:
        current = await self.app.handle(actor, c.ShowCurrentQuestion())
        card = current.card
        if card is None:
            self.show(current)
            return
        if not text.strip():
            self.say(_("Answer with a letter (answer B) or your text (answer <text>)."))
            return
        if card.options:
            letter = text.strip().upper()
            match = [a for a in card.actions if a.label == letter]
            if not match:
                letters = ", ".join(o.letter for o in card.options)
                self.say(
                    _("{answer} is not one of the choices ({letters}).").format(
                        answer=quoted(text.strip()), letters=letters
                    )
                )
                return
            self.show(await self.app.press(actor, match[0].id))
            return
        if len(text.strip()) == 1 and text.strip().upper() in "ABCDE":
            self.say(
                _(
                    "“{title}” is a free-text question ({kind}): answer in your own "
                    "words, e.g. answer <your text>. Nothing was recorded."
                ).format(title=card.title, kind=card.kind)
            )
            return
        opened = await self.app.press(actor, card.actions[0].id)
        if opened.form is None:
            self.show(opened)
            return
        self.show(await self.app.submit(actor, opened.form.form_id, text))

    async def pick(self, actor: Actor, text: str) -> None:
        if not self.practice_actions:
            self.say(_("Start a practice question first: practice [topic] [difficulty]."))
            return
        choice = self.practice_actions.get(text.strip().lower())
        if choice is not None and len(text.strip()) == 1:
            self.show(await self.app.press(actor, choice))
            return
        if self.practice_form is None:
            letters = [k.upper() for k in self.practice_actions if len(k) == 1]
            self.say(_("Pick one of {letters}.").format(letters=", ".join(letters)))
            return
        opened = await self.app.press(actor, self.practice_form)
        if opened.form is None:
            self.show(opened)
            return
        self.show(await self.app.submit(actor, opened.form.form_id, text))

    async def submit(self, actor: Actor, rest: str) -> None:
        if self.open_form is None:
            self.say(_("No form is open."))
            return
        ids = {f.id for f in self.open_form.extra}
        words = rest.split()
        values = {k: v for k, _sep, v in (w.partition("=") for w in words) if k in ids}
        text = " ".join(w for w in words if w.partition("=")[0] not in ids)
        reply = await self.app.submit(actor, self.open_form.form_id, text, values)
        self.show(reply)

    async def pair(self, actor: Actor, args: list[str], rest: str) -> None:
        sub = args[0].lower() if args else "status"
        if sub == "join":
            text = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
            options = dict(
                w.split("=", 1) for w in text.split() if w.split("=", 1)[0] in PAIR_OPTIONS
            )
            windows = " ".join(w for w in text.split() if w.split("=", 1)[0] not in PAIR_OPTIONS)
            self.show(
                await self.app.handle(
                    actor,
                    c.JoinPairing(
                        windows, options.get("tz"), options.get("role"), options.get("level")
                    ),
                )
            )
        elif sub == "leave":
            self.show(await self.app.handle(actor, c.LeavePairing()))
        elif sub == "pause":
            self.show(
                await self.app.handle(actor, c.PausePairing(args[1] if len(args) > 1 else ""))
            )
        elif sub == "status":
            self.show(await self.app.handle(actor, c.ShowPairingStatus()))
        else:
            self.say(
                _(
                    "Use: pair join <availability> [tz=Area/City] | pair status | pair pause N"
                    " | pair leave"
                )
            )

    async def setup(self, actor: Actor, args: list[str]) -> None:
        self.show(await self.app.handle(actor, c.SetupFromWords(tuple(args))))


TERMINAL_LINE_LIMIT = 4095
"""The longest line a terminal in canonical mode passes on (Linux's line discipline keeps
4,096 bytes, newline included); anything after it is dropped before studybot sees it."""


class LineReader:
    """Lines from stdin, read on a thread so the scheduler keeps running.

    On a terminal each line is read with `readline` when it is available: line editing,
    history, and no cut at the terminal's line limit, because readline reads key by key. The
    next line is read only when asked, so the prompt comes after the previous reply."""

    def __init__(self, stream: TextIO, interactive: bool) -> None:
        self.stream = stream
        self.interactive = interactive
        self.edited = interactive and _readline_available()
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._asked = threading.Event()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._pump, name="console-stdin", daemon=True).start()

    def _put(self, line: str | None) -> None:
        self._loop.call_soon_threadsafe(self.queue.put_nowait, line)

    def _pump(self) -> None:
        if self.edited:
            while True:
                self._asked.wait()
                self._asked.clear()
                try:
                    self._put(input("> "))
                except EOFError:
                    break
        else:
            for line in self.stream:
                self._put(line.rstrip("\n"))
        self._put(None)

    async def next(self, out: TextIO) -> str | None:
        if self.edited:
            self._asked.set()
        elif self.interactive:
            print("> ", end="", file=out, flush=True)
        return await self.queue.get()

    def cut_by_terminal(self, line: str) -> bool:
        """A line that filled the terminal's buffer lost its end (no readline here)."""
        return self.interactive and not self.edited and len(line) >= TERMINAL_LINE_LIMIT


def _readline_available() -> bool:
    try:
        import readline  # noqa: F401  (imported for its effect on input())
    except ImportError:
        return False
    return True


async def run_console(
    app: Studybot,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    name: str = "you",
    scheduler: object | None = None,
    files_dir: Path | None = None,
) -> None:
    out = stdout or sys.stdout
    chat = ConsoleChat(out)
    app.attach_chat(PLATFORM, chat)
    session = ConsoleSession(app, out, name, files_dir)
    interactive = (stdin or sys.stdin).isatty()
    session.say(_("studybot console — type `help` for commands, `quit` to leave."))
    await session.prepare()
    if scheduler is not None:
        await scheduler.start()  # type: ignore[attr-defined]
    current = await app.handle(session.player.actor(), c.ShowCurrentQuestion())
    if current.card is not None and not chat.posted:
        session.say(_("The question of the day is open:"))
        session.show(current)
    lines = LineReader(stdin or sys.stdin, interactive)
    while True:
        line = await lines.next(out)
        if line is None:
            break
        if not interactive and line.strip():
            session.say(f"> {line}")
        if lines.cut_by_terminal(line):
            session.say(
                _(
                    "That line is {length:,} characters, the most this terminal passes on, so "
                    "its end was probably cut and it was not used. Shorten it, or pipe a file: "
                    "studybot console < commands.txt"
                ).format(length=len(line))
            )
            continue
        if not await session.handle(line):
            break
