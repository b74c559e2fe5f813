"""On-demand practice (`/quiz practice`, `/quiz scenario`): hints, model answers and instant
key-point feedback. Practice never touches the daily leaderboard."""

from __future__ import annotations

import random
from gettext import gettext as _
from gettext import ngettext
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import scenarios
from bot.domain.errors import AnswerRejected, InvalidSetting, UnknownQuestion
from bot.domain.grading import grade_choice, grade_text
from bot.domain.practice import PracticeSession
from bot.domain.questions import DIFFICULTY_NAMES, LETTERS, Kind, Question, difficulty_level
from bot.domain.reviews import ReviewCard, day_end
from bot.ports import Actor, UnitOfWork
from bot.render import Action, Reply
from bot.service import actions, adaptive, cards
from bot.service.answering import validate_text
from bot.service.arguments import split_arguments
from bot.service.context import Context
from bot.service.feedback import key_point_lines, term_list_note, wrong_claim_note
from bot.service.ratings import rate
from bot.service.remembering import Graded, due_date, remember


def parse_difficulty(text: str | None) -> int | None:
    if text is None or not text.strip() or text.strip().lower() == "any":
        return None
    value = difficulty_level(text)
    if value is None:
        raise InvalidSetting(
            _("“{text}” is not a difficulty. Use easy, medium or hard (or 1–3).").format(text=text)
        )
    return value


class Practice:
    def __init__(self, ctx: Context, rng: random.Random | None = None) -> None:
        self.ctx = ctx
        self.rng = rng or random.Random()

    def resolve_topic(self, text: str | None) -> str | None:
        if text is None or not text.strip() or text.strip().lower() in {"any", "all"}:
            return None
        wanted = text.strip().lower().replace(" ", "_").replace("-", "_")
        topics = self.ctx.bank.topics
        if wanted in topics:
            return wanted
        matches = [t for t in topics if t.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        raise InvalidSetting(
            _("“{text}” is not a topic. Topics: {topics}.").format(
                text=text, topics=", ".join(topics)
            )
        )

    def is_topic(self, text: str) -> bool:
        try:
            self.resolve_topic(text)
        except InvalidSetting:
            return False
        return True

    async def practice(
        self, actor: Actor, topic: str | None = None, difficulty: str | None = None
    ) -> Reply:
        difficulty, topic = split_arguments(
            (topic, difficulty),
            lambda w: difficulty_level(w) is not None,
            self.is_topic,
            keyword_kind=_("a difficulty (easy, medium or hard)"),
            topics=", ".join(self.ctx.bank.topics),
        )
        chosen_topic = self.resolve_topic(topic)
        level = parse_difficulty(difficulty)
        if chosen_topic is None and level is None:
            return await self.adaptive(actor)
        pool = [
            q
            for q in self.ctx.bank.questions
            if q.kind is not Kind.SCENARIO
            and (chosen_topic is None or q.topic == chosen_topic)
            and (level is None or q.difficulty == level)
        ]
        if not pool:
            raise InvalidSetting(_("No practice question matches that topic and difficulty yet."))
        return await self._start(actor, pool, _("Practice"))

    async def scenario(self, actor: Actor, domain: str | None = None) -> Reply:
        pool = [q for q in self.ctx.bank.questions if q.kind is Kind.SCENARIO]
        if domain and domain.strip().lower() not in {"any", "all"}:
            wanted = domain.strip().lower().replace(" ", "-")
            matching = [q for q in pool if scenarios.matches(q, wanted)]
            if not matching:
                raise InvalidSetting(
                    _("No scenario about “{domain}”. Try one of: {domains}.").format(
                        domain=domain, domains=self.domains() or _("none yet")
                    )
                )
            pool = matching
        if not pool:
            raise InvalidSetting(_("The question bank has no scenario questions yet."))
        return await self._start(actor, pool, _("Scenario"))

    def domains(self) -> str:
        """The scenario domains the bank has, with how many packets each."""
        counts = scenarios.domain_counts(self.ctx.bank.questions)
        return ", ".join(f"{d} ({n})" for d, n in sorted(counts.items()))

    async def _start(self, actor: Actor, pool: list[Question], heading: str) -> Reply:
        _community, member = await self.ctx.member(actor)
        now = self.ctx.clock.now()

        async def start(uow: UnitOfWork) -> tuple[int, Question]:
            seen = await uow.practice.seen(member.id)
            fresh = [q for q in pool if q.id not in seen] or pool
            question = self.rng.choice(sorted(fresh, key=lambda q: q.id))
            return await uow.practice.start(member.id, question, now), question

        session, question = await self.ctx.storage.transact(start)
        return self._card(session, question, heading)

    async def adaptive(self, actor: Actor) -> Reply:
        """Practice with nothing named: a due review first, else a question chosen for the
        member (`bot.service.adaptive`)."""
        community, member = await self.ctx.member(actor)
        now = self.ctx.clock.now()
        questions = {q.id: q for q in self.ctx.bank.questions}
        pool = adaptive.practice_pool(self.ctx.bank.questions, community.settings)

        async def start(uow: UnitOfWork) -> tuple[int, Question, str]:
            review = await adaptive.due_review(uow, member.id, questions, now)
            if review is not None:
                question, count = review
                heading = ngettext(
                    "Practice: a review is due ({count} due)",
                    "Practice: a review is due ({count} due)",
                    count,
                ).format(count=count)
            elif pool:
                question = await adaptive.suited(uow, member.id, pool, self.rng)
                heading = _("Practice")
            else:
                raise InvalidSetting(_("No practice question matches this community's topics."))
            return await uow.practice.start(member.id, question, now), question, heading

        session, question, heading = await self.ctx.storage.transact(start)
        return self._card(session, question, heading)

    async def start_one(self, actor: Actor, question: Question, heading: str) -> Reply:
        """A practice session for this question (a review), with the usual buttons."""
        _community, member = await self.ctx.member(actor)
        now = self.ctx.clock.now()
        session = await self.ctx.storage.transact(
            lambda uow: uow.practice.start(member.id, question, now)
        )
        return self._card(session, question, heading)

    def _card(self, session: int, question: Question, heading: str) -> Reply:
        title = self.ctx.bank.topic_title(question.topic)
        buttons: list[Action] = []
        lines = [question.prompt]
        if question.kind is Kind.MULTIPLE_CHOICE:
            lines.append("")
            lines += [f"**{LETTERS[i]}**  {o.text}" for i, o in enumerate(question.options)]
            buttons += [
                Action(actions.practice_choice(session, i), LETTERS[i])
                for i in range(len(question.options))
            ]
        else:
            buttons.append(Action(actions.practice_form(session), _("Answer"), "primary"))
        buttons.append(Action(actions.practice_hint(session), _("Hint")))
        buttons.append(Action(actions.practice_model(session), _("Model answer")))
        return Reply(
            "\n".join(lines),
            title=f"{heading} — {cards.label(question, title)}",
            actions=tuple(buttons),
        )

    async def _session(self, actor: Actor, session_id: int) -> PracticeSession:
        _community, member = await self.ctx.member(actor)
        record = await self.ctx.storage.read(lambda uow: uow.practice.get(session_id))
        if record is None or record.member_id != member.id:
            raise UnknownQuestion(
                _(
                    "That practice question belongs to someone else or has expired. "
                    "Start your own with the practice command."
                )
            )
        return record

    async def hint(self, actor: Actor, session_id: int) -> Reply:
        record = await self._session(actor, session_id)
        question = record.question
        if question.hints:
            index = min(record.hints_shown, len(question.hints) - 1)
            await self._update(session_id, hints_shown=index + 1)
            if index + 1 >= len(question.hints):
                template = _("Hint {number} of {count} (that was the last hint): {hint}")
            else:
                template = _("Hint {number} of {count}: {hint}")
            return Reply(
                template.format(
                    number=index + 1, count=len(question.hints), hint=question.hints[index]
                )
            )
        if question.kind is Kind.MULTIPLE_CHOICE:
            wrong = [i for i, o in enumerate(question.options) if not o.correct]
            index = wrong[min(record.hints_shown, len(wrong) - 1)]
            await self._update(session_id, hints_shown=record.hints_shown + 1)
            return Reply(
                _("Hint: it is not **{letter}**. {why}").format(
                    letter=LETTERS[index], why=question.options[index].why
                )
            )
        if question.key_points:
            return Reply(
                _("Hint: a strong answer covers {count} key ideas. Think about: {tags}.").format(
                    count=len(question.key_points), tags=", ".join(question.tags)
                )
            )
        return Reply(_("Hint: think about {tags}.").format(tags=", ".join(question.tags)))

    async def model_answer(self, actor: Actor, session_id: int) -> Reply:
        record = await self._session(actor, session_id)
        await self._update(session_id, model_shown=True)
        return Reply(model_answer_text(record.question), title=_("Model answer"))

    async def open_form(self, actor: Actor, session_id: int) -> Reply:
        record = await self._session(actor, session_id)
        if record.question.kind is Kind.MULTIPLE_CHOICE:
            raise AnswerRejected(_("This question is answered with its buttons."))
        form = cards.answer_form(
            actions.practice_form_id(session_id), record.question, _("Practice answer")
        )
        return Reply("", form=form)

    async def choose(self, actor: Actor, session_id: int, choice: int) -> Reply:
        record = await self._session(actor, session_id)
        question = record.question
        if question.kind is not Kind.MULTIPLE_CHOICE or not 0 <= choice < len(question.options):
            raise AnswerRejected(_("That button does not belong to this question."))
        grade = grade_choice(question, choice)
        next_review = await self._record(actor, record, grade.fraction, choice=choice)
        picked = question.options[choice]
        correct = question.options[question.correct_index or 0]
        if grade.correct:
            text = _("**{letter}** is right. {why}\n\n{explanation}").format(
                letter=LETTERS[choice], why=picked.why, explanation=question.explanation
            )
        else:
            text = _(
                "**{letter}** is not right: {why}\n"
                "The answer is **{answer}** — {answer_text}.\n\n"
                "{explanation}"
            ).format(
                letter=LETTERS[choice],
                why=picked.why,
                answer=question.correct_letter,
                answer_text=correct.text,
                explanation=question.explanation,
            )
        return Reply(text.strip() + next_review, title=_("Practice feedback"))

    async def submit_text(self, actor: Actor, session_id: int, text: str) -> Reply:
        record = await self._session(actor, session_id)
        question = record.question
        if question.kind is Kind.MULTIPLE_CHOICE:
            raise AnswerRejected(_("This question is answered with its buttons."))
        cleaned = validate_text(text, question.kind)
        grade = grade_text(question, cleaned, self.ctx.bank.terms)
        next_review = await self._record(
            actor, record, grade.fraction, text=cleaned, hits=tuple(grade.hit_points)
        )
        if question.kind is Kind.SHORT_ANSWER:
            if grade.correct:
                template = _("“{answer}” is accepted. Accepted: {accepted}.\n\n{explanation}")
            else:
                template = _(
                    "“{answer}” is not one of the accepted answers. Accepted: {accepted}.\n\n"
                    "{explanation}"
                )
            body = template.format(
                answer=cleaned,
                accepted=", ".join(question.answers[:4]),
                explanation=question.explanation,
            )
            return Reply(body.strip() + next_review, title=_("Practice feedback"))
        hits = set(grade.hit_points)
        lines = [
            _("You covered {hit} of {total} key points:").format(
                hit=len(hits), total=len(question.key_points)
            )
        ]
        lines += key_point_lines(question, hits, grade.evidence)
        wrong = wrong_claim_note(grade.evidence, grade.fraction, len(question.key_points))
        if wrong:
            lines += ["", wrong]
        if grade.term_list:
            lines += ["", term_list_note()]
        lines.append("")
        lines.append(_("Press “Model answer” to compare with a full answer."))
        return Reply("\n".join(lines) + next_review, title=_("Practice feedback"))

    async def _record(
        self,
        actor: Actor,
        record: PracticeSession,
        fraction: float,
        *,
        choice: int | None = None,
        text: str | None = None,
        hits: tuple[int, ...] = (),
    ) -> str:
        """Store the first answer of a session (what was answered, its grade, the key points
        hit) and update the member's review card with it, in one unit of work; the line that
        says when the question comes back for review."""
        if record.answered_at is not None:
            return ""
        community, member = await self.ctx.member(actor)
        now = self.ctx.clock.now()
        seconds = (now - record.started_at).total_seconds() if record.started_at else None
        graded = Graded(
            member.id, fraction, seconds, helped=record.hints_shown > 0 or record.model_shown
        )

        zone = self.ctx.zone_of(community, member)

        async def record_answer(uow: UnitOfWork) -> ReviewCard:
            await uow.practice.update(
                record.id,
                answered_at=now,
                fraction=fraction,
                choice=choice,
                text=text,
                hits=list(hits),
            )
            before = (await uow.reviews.cards([member.id], record.question.id)).get(member.id)
            if before is not None and before.due < day_end(now, zone):
                await uow.reviews.count_review(member.id, now.astimezone(ZoneInfo(zone)).date())
            cards = await remember(uow, record.question.id, [graded], now)
            await rate(uow, record.question, [graded])
            return cards[member.id]

        card = await self.ctx.storage.transact(record_answer)
        return "\n\n" + _("Next review of this question: {date} (`review`).").format(
            date=due_date(card.due, zone)
        )

    async def _update(self, session_id: int, **values: Any) -> None:
        await self.ctx.storage.transact(lambda uow: uow.practice.update(session_id, **values))


def model_answer_text(question: Question) -> str:
    parts: list[str] = []
    if question.kind is Kind.MULTIPLE_CHOICE:
        parts.append(
            f"**{question.correct_letter}** — {question.options[question.correct_index or 0].text}"
        )
        parts.append(question.explanation)
    elif question.kind is Kind.SHORT_ANSWER:
        parts.append(_("Accepted: {answers}").format(answers=", ".join(question.answers)))
        parts.append(question.explanation)
    else:
        parts.append(question.model_answer)
        parts.append(
            _("**Key points**") + "\n" + "\n".join(f"- {k.point}" for k in question.key_points)
        )
    if question.follow_ups:
        parts.append(
            _("**Follow-up questions**") + "\n" + "\n".join(f"- {f}" for f in question.follow_ups)
        )
    if question.rubric:
        parts.append(
            _("**Rubric**")
            + "\n"
            + "\n".join(f"- {r.criterion}: {r.look_for}" for r in question.rubric)
        )
    parts.append(
        _("Reference: {reference} · {difficulty}").format(
            reference=question.reference, difficulty=DIFFICULTY_NAMES[question.difficulty]
        )
    )
    return "\n\n".join(p for p in parts if p)
