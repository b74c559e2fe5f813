"""Every member-facing sentence of the core and the adapters is wrapped for translation
(gettext's `_` or `ngettext`), so a later change adds languages with a catalog, not a code hunt.

The rule is read from the source: a string of a few words in the core's use cases, domain or
render layer, or in an adapter, must sit inside `_()`/`ngettext()`, unless it is a docstring, a
log message or the text of a programming error (a builtin exception, which members never see).
An f-string can never be wrapped (the catalog would need every value), so it counts as
unwrapped: write `_("Recorded {choice}.").format(choice=...)` instead.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = [
    *sorted((ROOT / "bot" / "service").rglob("*.py")),
    *sorted((ROOT / "bot" / "domain").glob("*.py")),
    ROOT / "bot" / "render.py",
    ROOT / "bot" / "texts.py",
    *sorted((ROOT / "adapters").rglob("*.py")),
]
WRAPPERS = {"_", "ngettext"}
LOGGERS = {"log", "logger", "logging"}
PROGRAMMING_ERRORS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def is_sentence(text: str) -> bool:
    """A few words, at least two of them words of letters: not an id, a format or a pattern."""
    words = text.split()
    return len(words) >= 3 and sum(sum(ch.isalpha() for ch in w) >= 2 for w in words) >= 2


def _callee(call: ast.Call) -> tuple[str, str]:
    func = call.func
    if isinstance(func, ast.Name):
        return "", func.id
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return owner, func.attr
    return "", ""


def exempt_nodes(tree: ast.AST) -> set[int]:
    exempt: set[int] = set()

    def cover(node: ast.AST) -> None:
        exempt.update(id(sub) for sub in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            cover(node)  # a docstring, of a module, class, function or attribute
        elif isinstance(node, ast.Call):
            owner, name = _callee(node)
            if name in WRAPPERS or owner in LOGGERS:
                cover(node)
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            if _callee(node.exc)[1] in PROGRAMMING_ERRORS:
                cover(node)
        elif isinstance(node, ast.JoinedStr):
            exempt.update(id(part) for part in node.values)  # judged as the whole f-string
    return exempt


def unwrapped(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = exempt_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)
        else:
            continue
        if is_sentence(text):
            where = path.relative_to(ROOT)
            found.append(f"{where}:{node.lineno}: {text[:70]!r}")
    return sorted(found)


def test_every_member_facing_sentence_is_wrapped_for_translation():
    found = [line for path in CHECKED for line in unwrapped(path)]
    assert not found, "wrap these in _() (an f-string becomes _(...).format()):\n" + "\n".join(
        found
    )


def test_the_rule_sees_sentences_and_f_strings_and_skips_what_members_never_read():
    source = '''
"""Module docstring, many words."""
from gettext import gettext as _
A = _("Wrapped, so fine here.")
B = "Not wrapped at all here."
def f(n):
    log.info("a log line with words %s", n)
    if n:
        raise ValueError("a programming error with words")
    return f"Recorded {n} for you."
PATTERN = "%a %d %b %H:%M"
'''
    tree = ast.parse(source)
    exempt = exempt_nodes(tree)
    texts = [
        node
        for node in ast.walk(tree)
        if id(node) not in exempt and isinstance(node, (ast.Constant, ast.JoinedStr))
    ]
    sentences = [
        n.value if isinstance(n, ast.Constant) else "f-string"
        for n in texts
        if isinstance(n, ast.JoinedStr) or (isinstance(n.value, str) and is_sentence(n.value))
    ]
    assert sentences == ["Not wrapped at all here.", "f-string"]
