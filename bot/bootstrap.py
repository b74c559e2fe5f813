"""The composition root: the one place that builds storage, services and the message bus, and
says which handler answers which command. Adapters receive the finished `Studybot`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot import commands as c
from bot.app import Services, Studybot
from bot.bus import MessageBus
from bot.domain.community import CommunitySettings
from bot.ports import ChatPort, Clock, Grader, Storage, SystemClock
from bot.question_bank import Bank
from bot.service.admin import Admin
from bot.service.answering import AnswerBatcher, Answering
from bot.service.context import Context
from bot.service.daily import DailyQuestions
from bot.service.export import Export
from bot.service.general import General
from bot.service.mock_interviews import MOCK_TOPIC, MockInterviews
from bot.service.model_grading import GraderLimits
from bot.service.practice import Practice
from bot.service.privacy import Privacy
from bot.service.queries import Queries
from bot.service.reminders import Reminders
from bot.service.reviews import Reviews
from bot.service.stats_card import GroupStats

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.config import Config


def build(
    storage: Storage,
    bank: Bank,
    *,
    clock: Clock | None = None,
    chats: dict[str, ChatPort] | None = None,
    defaults: CommunitySettings | None = None,
    lease: timedelta = timedelta(minutes=5),
    grader: Grader | None = None,
    grader_limits: GraderLimits | None = None,
) -> Studybot:
    """`grader`, when given, grades the open and scenario answers of each daily post once it
    closes (within `grader_limits`); without one, grading is deterministic only."""
    ctx = Context(
        storage=storage,
        bank=bank,
        clock=clock or SystemClock(),
        chats=dict(chats or {}),
        defaults=defaults or CommunitySettings(),
        lease=lease,
        grader=grader,
        grader_limits=grader_limits or GraderLimits(),
    )
    batcher = AnswerBatcher(storage, ctx.directory)
    practice = Practice(ctx)
    reminders = Reminders(ctx)

    def board_topic(text: str | None) -> str | None:
        """Leaderboards exist per bank topic and for mock interviews."""
        if text and MOCK_TOPIC.startswith(text.strip().lower().replace(" ", "_")):
            return MOCK_TOPIC
        return practice.resolve_topic(text)

    services = Services(
        general=General(ctx, on_timezone=[reminders.follow_timezone]),
        daily=DailyQuestions(ctx),
        answering=Answering(ctx, batcher),
        practice=practice,
        queries=Queries(ctx, board_topic),
        group_stats=GroupStats(ctx),
        admin=Admin(ctx),
        mock=MockInterviews(ctx),
        privacy=Privacy(ctx, batcher),
        export=Export(ctx),
        reviews=Reviews(ctx, practice),
        reminders=reminders,
        batcher=batcher,
    )
    services.daily.on_closed(services.answering.forget)
    return Studybot(ctx, services, _bus(services))


def _bus(s: Services) -> MessageBus:
    bus = MessageBus()
    on = bus.register
    on(c.SubmitChoice, lambda a, m: s.answering.choose(a, m.post_id, m.choice))
    on(c.OpenAnswerForm, lambda a, m: s.answering.open_form(a, m.post_id))
    on(c.SubmitAnswerText, lambda a, m: s.answering.submit_text(a, m.post_id, m.text))
    on(c.ShowMyResult, lambda a, m: s.answering.my_result(a, m.post_id))
    on(c.ShowLatestResult, lambda a, m: s.answering.latest_result(a, m.number))
    on(c.ShowCurrentQuestion, lambda a, m: s.general.current_card(a))

    on(c.StartPractice, lambda a, m: s.practice.practice(a, m.topic, m.difficulty))
    on(c.StartScenario, lambda a, m: s.practice.scenario(a, m.domain))
    on(c.ShowHint, lambda a, m: s.practice.hint(a, m.session_id))
    on(c.ShowModelAnswer, lambda a, m: s.practice.model_answer(a, m.session_id))
    on(c.OpenPracticeForm, lambda a, m: s.practice.open_form(a, m.session_id))
    on(c.SubmitPracticeChoice, lambda a, m: s.practice.choose(a, m.session_id, m.choice))
    on(c.SubmitPracticeText, lambda a, m: s.practice.submit_text(a, m.session_id, m.text))
    on(c.StartReview, lambda a, m: s.reviews.review(a))
    on(c.Remind, lambda a, m: s.reminders.remind(a, m.words))

    on(c.ShowLeaderboard, lambda a, m: s.queries.leaderboard(a, m.period, m.topic))
    on(c.ShowStats, lambda a, m: s.queries.stats(a, picture=m.picture))
    on(c.ShowGroupStats, lambda a, m: s.group_stats.group(a))
    on(c.ShowStreak, lambda a, m: s.queries.streak(a))
    on(c.SetTimezone, lambda a, m: s.general.set_timezone(a, m.timezone))
    on(c.ShowHelp, lambda a, m: s.general.help(a))
    on(c.StaleControl, s.general.stale)
    on(c.ShowPrivacy, lambda a, m: s.privacy.show(a))
    on(c.AskToForget, lambda a, m: s.privacy.ask(a))
    on(c.ForgetMe, lambda a, m: s.privacy.forget(a, m.member_id, m.issued))
    on(c.ExportMyData, lambda a, m: s.export.export(a))

    on(c.JoinPairing, lambda a, m: s.mock.join(a, m.availability, m.timezone, m.role, m.level))
    on(c.LeavePairing, lambda a, m: s.mock.leave(a))
    on(c.PausePairing, lambda a, m: s.mock.pause(a, m.rounds))
    on(c.ShowPairingStatus, lambda a, m: s.mock.status(a))
    on(c.ShowPairingStats, lambda a, m: s.mock.stats(a))
    on(c.PairNow, lambda a, m: s.mock.pair_now(a))
    on(c.CheckIn, lambda a, m: s.mock.checkin(a, m.assignment_id, m.answer))
    on(c.OpenFeedbackForm, lambda a, m: s.mock.feedback_form(a, m.assignment_id))
    on(
        c.SubmitFeedback,
        lambda a, m: s.mock.submit_feedback(a, m.assignment_id, m.text, m.fields),
    )

    on(c.ChangeSetup, lambda a, m: s.admin.setup(a, m.change))
    on(c.ShowSettings, lambda a, m: s.admin.show(a))
    on(c.ShowQuestionDifficulty, lambda a, m: s.admin.difficulty(a))
    on(c.SetupFromWords, lambda a, m: s.admin.setup_from_words(a, m.words))
    on(c.PostNow, lambda a, m: s.daily.post_now(a, m.replace))
    on(c.SkipToday, lambda a, m: s.daily.skip_today(a))
    on(c.CloseNow, lambda a, m: s.daily.close_now(a))
    return bus


@dataclass
class Running:
    """A bot on a SQL database. `engine` is for libraries that keep their own tables in the
    bot's database (Slack's OAuth installation and state stores)."""

    app: Studybot
    engine: AsyncEngine


def connect(
    url: str,
    bank: Bank,
    *,
    clock: Clock | None = None,
    chats: dict[str, ChatPort] | None = None,
    defaults: CommunitySettings | None = None,
    grader: Grader | None = None,
    grader_limits: GraderLimits | None = None,
) -> Running:
    from bot.storage.uow import SqlStorage

    storage = SqlStorage.connect(url)
    app = build(
        storage,
        bank,
        clock=clock,
        chats=chats,
        defaults=defaults,
        grader=grader,
        grader_limits=grader_limits,
    )
    return Running(app, storage.db.write)


async def open_configured(config: Config, bank: Bank, grader: Grader | None = None) -> Running:
    """Check and migrate the configured database (DatabaseUnavailable says what is wrong) and
    build the bot on it. `grader` is the configured model grader, made by the caller (the CLI,
    which may import adapters); its limits come from `config.grader`."""
    from bot.runtime import tune_gc
    from bot.storage.faults import prepare

    await prepare(config.database_url)
    limits = (
        GraderLimits(config.grader.timeout_s, config.grader.batch, config.grader.max_answers)
        if config.grader is not None
        else None
    )
    running = connect(
        config.database_url,
        bank,
        defaults=config.community_defaults(),
        grader=grader,
        grader_limits=limits,
    )
    tune_gc()
    return running
