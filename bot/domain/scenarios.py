"""Scenario domains: the first tag of a scenario packet names the business problem it is about,
so `/quiz scenario <domain>` and the help can list the domains the bank really has."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.domain.questions import Kind, Question

DOMAINS = (
    "ad-click-prediction",
    "churn-prediction",
    "content-moderation",
    "credit-risk",
    "demand-forecasting",
    "end-to-end-design",
    "fraud-detection",
    "hiring",
    "llm-applications",
    "log-anomaly-detection",
    "medical-triage",
    "predictive-maintenance",
    "recommendation",
    "search-ranking",
    "spam-filtering",
)
"""The domains `/quiz scenario` lists (the shipped bank has at least three packets each). A
packet whose first tag is not one of them is still served, by tag or topic, but not listed."""


def domain_of(question: Question) -> str | None:
    if question.kind is not Kind.SCENARIO or not question.tags:
        return None
    return question.tags[0]


def domain_counts(questions: Iterable[Question]) -> Counter[str]:
    """Scenario packets per domain, for the domains that appear in `questions`."""
    return Counter(d for d in map(domain_of, questions) if d is not None and d in DOMAINS)


def matches(question: Question, wanted: str) -> bool:
    """`wanted` (lower case, dashes for spaces) is part of one of the packet's tags or of its
    topic: `fraud` finds `fraud-detection`."""
    if question.kind is not Kind.SCENARIO:
        return False
    return any(wanted in tag for tag in question.tags) or wanted in question.topic
