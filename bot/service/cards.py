"""Domain records -> render models."""

from __future__ import annotations

from datetime import datetime
from gettext import gettext as _
from zoneinfo import ZoneInfo

from bot.domain.grading import MAX_FREE_TEXT_LENGTH
from bot.domain.posts import Post, RevealFacts
from bot.domain.questions import DIFFICULTY_NAMES, LETTERS, Kind, Question
from bot.render import Action, ChoiceOption, FormSpec, QuestionCard, Reveal
from bot.service import actions

MAX_NAMES_IN_REVEAL = 15


def local_time(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return local.strftime("%a %H:%M ") + (local.tzname() or zone)


def label(question: Question, topic_title: str) -> str:
    return f"{topic_title} · {DIFFICULTY_NAMES[question.difficulty]} · {question.kind.label}"


def question_card(
    post: Post, topic_title: str, zone: str, *, closed: bool = False, answered: int | None = None
) -> QuestionCard:
    q = post.question
    options = tuple(ChoiceOption(LETTERS[i], o.text) for i, o in enumerate(q.options))
    if closed:
        buttons: tuple[Action, ...] = ()
    elif q.kind is Kind.MULTIPLE_CHOICE:
        buttons = tuple(
            Action(actions.answer_choice(post.id, i), o.letter) for i, o in enumerate(options)
        )
    else:
        buttons = (Action(actions.answer_form(post.id), _("Answer"), "primary"),)
    if closed and answered is None:
        footer = _("Closed. The answer is in the reveal.")
    elif closed:
        footer = _("Closed. {answered} answered. The answer is in the reveal.").format(
            answered=answered
        )
    elif post.closes_at is not None:
        footer = _("Answers are private until the reveal, {closes}.").format(
            closes=local_time(post.closes_at, zone)
        )
    else:
        footer = _("Answers are private until the reveal.")
    return QuestionCard(
        post_id=post.id,
        title=_("Question of the day #{seq} — {label}").format(
            seq=post.seq, label=label(q, topic_title)
        ),
        prompt=q.prompt,
        topic=q.topic,
        difficulty=q.difficulty,
        kind=q.kind.value,
        options=options,
        actions=buttons,
        closes_at=post.closes_at,
        footer=footer,
        closed=closed,
    )


def answer_form(form_id: str, question: Question, title: str) -> FormSpec:
    if question.kind is Kind.SHORT_ANSWER:
        prompt_label = _("Your answer (a word, a number or a short term)")
        limit = 200
    else:
        prompt_label = _("Your answer (up to {limit} characters)").format(
            limit=MAX_FREE_TEXT_LENGTH
        )
        limit = MAX_FREE_TEXT_LENGTH
    return FormSpec(
        form_id=form_id,
        title=title,
        label=prompt_label,
        max_length=limit,
        placeholder=_("Cover the key ideas in your own words."),
    )


def answer_summary(question: Question) -> str:
    if question.kind is Kind.MULTIPLE_CHOICE:
        index = question.correct_index or 0
        return f"**{LETTERS[index]}** — {question.options[index].text}"
    if question.kind is Kind.SHORT_ANSWER:
        return " / ".join(f"**{a}**" for a in question.answers[:3])
    return question.model_answer


def reveal(post: Post, facts: RevealFacts, topic_title: str) -> Reveal:
    q = post.question
    distribution: tuple[tuple[str, int], ...] = ()
    if q.kind is Kind.MULTIPLE_CHOICE:
        distribution = tuple(
            (LETTERS[i], facts.distribution.get(i, 0)) for i in range(len(q.options))
        )
    explanation = q.explanation
    if q.kind is Kind.MULTIPLE_CHOICE:
        wrong = [f"- {LETTERS[i]}: {o.why}" for i, o in enumerate(q.options) if not o.correct]
        explanation = "\n".join([q.explanation, *wrong]).strip()
    names = facts.right_names
    return Reveal(
        post_id=post.id,
        title=_("Answer to question #{seq} — {label}").format(
            seq=post.seq, label=label(q, topic_title)
        ),
        prompt=q.prompt,
        answer=answer_summary(q),
        key_points=tuple(k.point for k in q.key_points),
        explanation=explanation,
        answered=facts.answered,
        distribution=distribution,
        right=tuple(names[:MAX_NAMES_IN_REVEAL]),
        right_more=max(0, len(names) - MAX_NAMES_IN_REVEAL),
        reference=q.reference,
        actions=(Action(actions.my_result(post.id), _("My result")),),
    )
