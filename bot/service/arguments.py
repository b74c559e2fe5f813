"""Command arguments in any order: `practice hard deep learning` and `practice deep learning
hard` mean the same. Adapters pass what the member typed; the use case picks out the one word
of a closed vocabulary (a difficulty, a period) and reads the rest as a topic."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from gettext import gettext as _

from bot.commands import SetupChange
from bot.domain.community import parse_timezone, suggest_timezones
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
    raise InvalidSetting(
        _("“{text}” is neither {kind} nor a topic. Topics: {topics}.").format(
            text=text, kind=keyword_kind, topics=topics
        )
    )


SETUP_KEYS = tuple(f for f in SetupChange.__dataclass_fields__ if f != "paused")
SETUP_EXAMPLE = _(
    "Examples: setup #ml-study 18:00 Europe/Berlin, or setup time=18:00 topics=evaluation,ethics"
)


def _joined(words: Sequence[str]) -> list[str]:
    """`time = 18:00`, `time= 18:00` and `time =18:00` as one word `time=18:00`."""
    joined: list[str] = []
    for word in words:
        if joined and (word.startswith("=") or joined[-1].endswith("=")):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def read_setup_words(words: Sequence[str]) -> SetupChange:
    """Settings as an admin types them: `key=value` words, and in the short form a channel
    (`#id`; adapters turn their mention syntax into it), a time (HH:MM) and a time zone, in any
    order. No words: no change (the caller shows the settings)."""
    values: dict[str, str] = {}

    def put(key: str, value: str, word: str) -> None:
        if key in values:
            raise InvalidSetting(
                _("“{word}” sets {key} a second time. Give each setting once.").format(
                    word=word, key=key
                )
            )
        values[key] = value

    for word in _joined(words):
        key, sep, value = word.partition("=")
        if sep:
            if key.lower() not in SETUP_KEYS:
                raise InvalidSetting(
                    _("“{key}” is not a setting. Settings: {keys}. {example}").format(
                        key=key, keys=", ".join(SETUP_KEYS), example=SETUP_EXAMPLE
                    )
                )
            put(key.lower(), value, word)
        elif word.startswith("#") and len(word) > 1:
            put("channel", word[1:], word)
        elif re.fullmatch(r"\d{1,2}:\d{2}", word):
            put("time", word, word)
        else:
            try:
                zone = parse_timezone(word).key
            except InvalidSetting as error:
                if "/" in word or suggest_timezones(word):
                    raise
                raise InvalidSetting(
                    _(
                        "“{word}” is not a channel (#name), a time (HH:MM), a time zone or a "
                        "key=value setting. {example}"
                    ).format(word=word, example=SETUP_EXAMPLE)
                ) from error
            put("timezone", zone, word)
    return SetupChange(**values)  # type: ignore[arg-type]
