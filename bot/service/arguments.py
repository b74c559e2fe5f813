"""Command arguments in any order: `practice hard deep learning` and `practice deep learning
hard` mean the same. Adapters pass what the member typed; the use case picks out the one word
of a closed vocabulary (a difficulty, a period) and reads the rest as free text (a topic)."""

from __future__ import annotations

from collections.abc import Callable


def pick_keyword(
    parts: tuple[str | None, ...], is_keyword: Callable[[str], bool]
) -> tuple[str | None, str | None]:
    """(the first word for which `is_keyword` holds, the other words joined) from `parts`,
    each of which may hold several words; None where there is nothing."""
    words = [w for part in parts if part for w in part.split()]
    keyword = next((w for w in words if is_keyword(w)), None)
    if keyword is not None:
        words.remove(keyword)
    return keyword, " ".join(words) or None
