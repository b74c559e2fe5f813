"""`studybot …` commands."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config, ConfigError, load_config, redacted
from bot.storage.faults import DatabaseUnavailable

if TYPE_CHECKING:
    from bot.app import Studybot
    from bot.bootstrap import Running
    from bot.ports import Grader
    from bot.question_bank import Bank
    from bot.scheduling import DailyScheduler

log = logging.getLogger("studybot")
SHUTDOWN_S = 10


def _setup_logging(config: Config, *, quiet: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if config.log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(
        level=logging.WARNING if quiet else getattr(logging, config.log_level), handlers=[handler]
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if quiet:
        logging.getLogger("apscheduler").setLevel(logging.ERROR)


def _bank(config: Config) -> Bank:
    from bot.question_bank import QUESTIONS_DIR, load_bank

    bank = load_bank(config.questions_dir or QUESTIONS_DIR, packs=config.packs_dir)
    for problem in bank.problems:
        log.warning("question bank: %s", problem)
    if not bank.questions:
        raise ConfigError(
            "No valid questions were found. Check the folder named by STUDYBOT_QUESTIONS_DIR "
            "(default: questions/) with `studybot questions check`."
        )
    return bank


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("studybot")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _user_name() -> str:
    """The console's member: the person at the terminal, by their login name."""
    import getpass

    try:
        return getpass.getuser() or "Member"
    except (OSError, KeyError):
        return "Member"


async def _open(config: Config) -> Running:
    from bot.bootstrap import open_configured

    return await open_configured(config, _bank(config), grader=_grader(config))


def _grader(config: Config) -> Grader | None:
    """The model grader named by STUDYBOT_GRADER_URL, or None (deterministic grading only)."""
    settings = config.grader
    if settings is None:
        return None
    from adapters.grader.openai_compatible import OpenAICompatibleGrader

    log.info("model grader: %s at %s", settings.model, redacted(config)["STUDYBOT_GRADER_URL"])
    return OpenAICompatibleGrader(
        settings.url,
        settings.model,
        settings.api_key,
        request_timeout_s=settings.request_timeout_s,
        concurrency=settings.batch,
        max_tokens=settings.max_tokens,
    )


async def _until_stopped(work: Awaitable[object]) -> None:
    """Run `work` until it ends or SIGTERM/SIGINT arrives (what Docker, systemd and a PaaS send
    to stop a process); a signal cancels it, so that the caller can clean up."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    signalled: list[str] = []

    def stop(name: str) -> None:
        if not signalled:
            log.info("%s received: stopping", name)
        signalled.append(name)
        task.cancel()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop, sig.name)
    try:
        await task
    except asyncio.CancelledError:
        if not signalled:
            raise
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


async def _shut_down(app: Studybot, scheduler: DailyScheduler) -> None:
    """Let running jobs end (half of SHUTDOWN_S at most), write the queued answers, close the
    database; at most SHUTDOWN_S in all, which a container's stop timeout (10 s) allows."""
    try:
        async with asyncio.timeout(SHUTDOWN_S):
            await scheduler.stop(grace=SHUTDOWN_S / 2)
            await app.close()
    except TimeoutError:
        log.error("shutting down took longer than %d s; stopping anyway", SHUTDOWN_S)


async def _console(config: Config, name: str) -> None:
    from adapters.console.repl import run_console
    from bot.scheduling import DailyScheduler

    app = (await _open(config)).app
    scheduler = DailyScheduler(app)
    try:
        files_dir = config.get("STUDYBOT_FILES_DIR")
        await _until_stopped(
            run_console(
                app,
                name=name,
                scheduler=scheduler,
                files_dir=Path(files_dir) if files_dir else None,
            )
        )
    finally:
        await _shut_down(app, scheduler)


async def _run(config: Config, *, http: bool = False) -> int:
    """Discord and/or Slack in one process on one database, with one scheduler."""
    from adapters.slack.run import build as build_slack
    from adapters.slack.run import run_slack, serves_http, slack_configured
    from bot.health import Health
    from bot.scheduling import DailyScheduler

    use_discord = bool(config.get("DISCORD_TOKEN")) and not http
    use_slack = slack_configured(config)
    if not (use_discord or use_slack):
        print(
            "No platform is configured: set DISCORD_TOKEN (Discord), or SLACK_BOT_TOKEN with "
            "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET (Slack). To try studybot without tokens, "
            "run `studybot console`.",
            file=sys.stderr,
        )
        return 2
    health_port = config.get("HEALTH_PORT")
    if health_port is not None and not health_port.isdigit():
        raise ConfigError(f"HEALTH_PORT “{health_port}” is not a number. Example: HEALTH_PORT=8080")
    running = await _open(config)
    app = running.app
    scheduler = DailyScheduler(app)
    health = Health(app.database_ready)
    health_runner = None
    try:
        runs = []
        slack_http = False
        if use_slack:
            slack = build_slack(app, config, oauth_engine=running.engine)
            slack_http = serves_http(slack, config, http=http)
            runs.append(run_slack(slack, config, http=http, health=health))
        if health_port and not slack_http:
            health_runner = await health.serve(int(health_port))
        if use_discord:
            from adapters.discord.run import run_discord

            # Discord starts the scheduler once it has logged in, so that catch-up posts can go
            # out on every platform.
            runs.append(run_discord(app, config, scheduler, health))
        else:
            await scheduler.start()
        # a signal cancels the platforms' runs, which close their connections as they end
        await _until_stopped(asyncio.gather(*runs))
    finally:
        if health_runner is not None:
            await health_runner.cleanup()
        await _shut_down(app, scheduler)
    return 0


def _questions(args: argparse.Namespace, config: Config) -> int:
    from bot.question_bank import QUESTIONS_DIR, load_bank

    directory = config.questions_dir or QUESTIONS_DIR
    if args.action == "import":
        return _import(args, config.packs_dir)
    listed = args.files if args.action == "check" else None
    files = [Path(f) for f in listed] if listed else None
    bank = load_bank(directory, files, packs=config.packs_dir)
    if args.action == "try":
        return _try(bank, args.files)
    if args.action == "stats":
        stats = bank.stats()
        if args.json:
            print(json.dumps(stats, indent=2))
        else:
            print(f"{stats['total']} questions")
            for key in ("by_topic", "by_kind", "by_difficulty"):
                print(
                    f"{key.replace('_', ' ')}: "
                    + ", ".join(f"{k} {v}" for k, v in stats[key].items())
                )
        return 0
    for problem in bank.problems:
        print(problem)
    count = len(bank.questions)
    if not count and not bank.problems:
        print(
            f"No questions found in {directory}. Point STUDYBOT_QUESTIONS_DIR at a folder of "
            "question files (topic.yaml), or unset it to use the shipped bank.",
            file=sys.stderr,
        )
        return 1
    if bank.problems:
        print(f"{len(bank.problems)} problem(s); {count} question(s) valid.", file=sys.stderr)
        return 1
    imported = sum(1 for q in bank.questions if q.pack != "core")
    from_packs = f" ({imported} from the packs in {config.packs_dir})" if imported else ""
    print(f"OK: {count} questions in {len(bank.topics)} topics{from_packs}, no problems.")
    return 0


def _try(bank: Bank, words: Sequence[str]) -> int:
    """Grade one answer to one question as the bot would, with the evidence for each key
    point: how question authors check that their phrasings meet the ways people say a point."""
    from bot.domain.concepts import assess
    from bot.domain.grading import grade_text
    from bot.domain.questions import Kind

    if not words:
        print("usage: studybot questions try QUESTION-ID [ANSWER...]", file=sys.stderr)
        return 2
    question = next((q for q in bank.questions if q.id == words[0]), None)
    if question is None:
        print(f"No question {words[0]} in the bank.", file=sys.stderr)
        return 1
    text = " ".join(words[1:]) if len(words) > 1 else sys.stdin.read()
    if question.kind not in (Kind.OPEN, Kind.SCENARIO):
        print(f"score {grade_text(question, text).fraction:.2f}")
        return 0
    result = assess(question, text, bank.terms)
    for key_point, verdict in zip(question.key_points, result.verdicts, strict=True):
        if verdict.contradiction:
            print(f"✗ {key_point.point}\n    wrong claim: “{verdict.contradiction}”")
        elif verdict.hit:
            how = "named only (3/4 of the point)" if verdict.named else "found"
            print(f"✓ {key_point.point}\n    {how}: “{verdict.phrasing}”")
        else:
            print(f"✗ {key_point.point}")
    if result.term_list:
        print("(a bare list of terms: capped)")
    print(f"score {result.fraction:.2f}")
    return 0


def _import(args: argparse.Namespace, packs: Path) -> int:
    import re

    from bot.question_import import import_csv, import_red_trivia, write_pack

    if len(args.files) != 1 or not args.pack:
        print(
            "Usage: studybot questions import FILE --pack NAME [--topic T] [--license L]",
            file=sys.stderr,
        )
        return 2
    if not re.fullmatch(r"[a-z][a-z0-9_-]{1,31}", args.pack) or args.pack == "core":
        print(
            f"“{args.pack}” is not a pack name: use 2–32 lower-case letters, digits, - or _, "
            "starting with a letter (and not `core`). Example: --pack our-club",
            file=sys.stderr,
        )
        return 2
    source = Path(args.files[0])
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"Cannot read {source}: {error}", file=sys.stderr)
        return 2
    if source.suffix.lower() == ".csv":
        result = import_csv(text, args.pack, args.license)
    else:
        topic = re.sub(r"[^a-z0-9_]+", "_", args.topic.lower()).strip("_") or "trivia"
        result = import_red_trivia(text, args.pack, topic, args.license)
    for reason in result.rejected:
        print(f"rejected: {reason}")
    written = write_pack(result, packs, args.pack) if result.accepted else []
    for path in written:
        print(f"wrote {path}")
    print(
        f"{result.accepted} question(s) imported into pack “{args.pack}”, "
        f"{len(result.rejected)} rejected. Admins add the pack with `setup packs=core,{args.pack}`."
    )
    return 0 if result.accepted or not result.rejected else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="studybot", description=__doc__)
    parser.add_argument("--version", action="version", version=f"studybot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    console = sub.add_parser("console", help="run the bot in this terminal (no tokens needed)")
    console.add_argument(
        "--name", default=None, help="the member you play (default: your user name)"
    )
    run = sub.add_parser("run", help="run the configured Discord and/or Slack adapters")
    run.add_argument(
        "--http", action="store_true", help="serve only Slack's HTTP endpoint (the web process)"
    )
    db = sub.add_parser("db", help="database commands")
    db.add_argument("action", choices=["upgrade"])
    questions = sub.add_parser("questions", help="question bank commands")
    questions.add_argument("action", choices=["check", "stats", "import", "try"])
    questions.add_argument(
        "files",
        nargs="*",
        help="check: only these files (default: all); import: the file; "
        "try: a question id and an answer (or the answer on standard input)",
    )
    questions.add_argument("--json", action="store_true", help="stats as JSON")
    questions.add_argument("--pack", help="import: the pack's name, e.g. our-club")
    questions.add_argument("--topic", default="trivia", help="import: topic of a trivia list")
    questions.add_argument("--license", default="unknown", help="import: the pack's license")
    args = parser.parse_args(argv)

    try:
        config = load_config()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    _setup_logging(config, quiet=args.command in {"console", "questions"})
    log.debug("settings: %s", redacted(config))
    try:
        if args.command == "console":
            asyncio.run(_console(config, args.name or _user_name()))
            return 0
        if args.command == "run":
            return asyncio.run(_run(config, http=args.http))
        if args.command == "db":
            from bot.storage.faults import prepare

            asyncio.run(prepare(config.database_url))
            print("Database is up to date.")
            return 0
        return _questions(args, config)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader of our output went away (`studybot console | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
