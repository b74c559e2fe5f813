"""Command arguments in any order: `practice hard deep learning` and `practice deep learning
hard` mean the same. Adapters pass what the member typed; the use case picks out the one word
of a closed vocabulary (a difficulty, a period) and reads the rest as a topic."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.errors import InvalidSetting


def split_arguments(
    parts: tuple[str | None, ...],
    is_keyword: Callable[[str], bool],
    is_topic: Callable[[str], bool],
    *,
    keyword_kind: str,
    topics: str,
) -> tuple[str | None, str | None]:
    """(keyword, topic text) from `parts`, each of which may hold several words.

    Without a keyword, a word whose removal leaves a known topic is returned as the keyword
    (so that its own parser names the vocabulary it missed); a text that is neither says so.
    """
    words = [w for part in parts if part for w in part.split()]
    keyword = next((w for w in words if is_keyword(w)), None)
    if keyword is not None:
        words.remove(keyword)
        return keyword, " ".join(words) or None
    text = " ".join(words)
    if not words or is_topic(text):
        return None, text or None
    for i, word in enumerate(words):
        rest = " ".join(words[:i] + words[i + 1 :])
        if rest and is_topic(rest):
            return word, rest
    raise InvalidSetting(f"“{text}” is neither {keyword_kind} nor a topic. Topics: {topics}.")
