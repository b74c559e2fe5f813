"""Choosing the daily question: no repeats until the pool is used up, topics in rotation."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from gettext import gettext as _

from bot.domain.community import CommunitySettings
from bot.domain.errors import NotConfigured
from bot.domain.questions import Question


def eligible(questions: Sequence[Question], settings: CommunitySettings) -> list[Question]:
    weights = settings.difficulty_mix
    return [
        q
        for q in questions
        if (not settings.topics or q.topic in settings.topics)
        and q.kind in settings.kinds
        and q.pack in settings.packs
        and weights.get(q.difficulty, 0) > 0
    ]


def choose_daily(
    questions: Sequence[Question],
    settings: CommunitySettings,
    history: Sequence[tuple[str, str]],
    seed: str,
) -> Question:
    """Pick the next daily question.

    `history` is the community's earlier posts as (question id, topic), oldest first. The same
    seed always gives the same pick, so a retried post asks the same question.
    """
    pool = eligible(questions, settings)
    if not pool:
        raise NotConfigured(
            _(
                "No question matches this community's topics, kinds and difficulty mix. "
                "Widen them with the setup command."
            )
        )
    asked = Counter(qid for qid, _topic in history)
    fewest = min(asked[q.id] for q in pool)
    fresh = [q for q in pool if asked[q.id] == fewest]

    last_seen = {topic: i for i, (_, topic) in enumerate(history)}
    rng = random.Random(seed)
    topics = sorted({q.topic for q in fresh})
    rng.shuffle(topics)
    topic = min(topics, key=lambda t: last_seen.get(t, -1))

    in_topic = [q for q in fresh if q.topic == topic]
    levels = sorted({q.difficulty for q in in_topic})
    level = rng.choices(levels, weights=[settings.difficulty_mix[d] for d in levels])[0]
    return rng.choice(sorted((q for q in in_topic if q.difficulty == level), key=lambda q: q.id))
