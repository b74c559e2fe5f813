"""Per-key-point feedback on a free-text answer: which points it made, and the evidence.

The deterministic grader's evidence is the phrasing it found (or the wrong claim it read);
the model grader's is its short reason. A member can check either against their answer."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from gettext import gettext as _
from gettext import ngettext

from bot.domain.concepts import PointVerdict
from bot.domain.questions import Question


def key_point_lines(
    question: Question,
    hits: Collection[int],
    evidence: Sequence[PointVerdict] = (),
    reasons: Sequence[str] = (),
) -> list[str]:
    """One line per key point, ✓ or ✗, with the model grader's reason where it judged the
    answer and otherwise the deterministic evidence that agrees with the stored verdict."""
    count = len(question.key_points)
    lines = []
    for i, key_point in enumerate(question.key_points):
        hit = i in hits
        line = f"{'✓' if hit else '✗'} {key_point.point}"
        if len(reasons) == count:
            line += f" — {reasons[i]}"
        elif len(evidence) == count:
            verdict = evidence[i]
            if hit and verdict.hit and verdict.phrasing and verdict.named:
                named = _("named “{phrasing}”, not said how: three quarters of the point")
                line += " — " + named.format(phrasing=verdict.phrasing)
            elif hit and verdict.hit and verdict.phrasing:
                line += " — " + _("found “{phrasing}”").format(phrasing=verdict.phrasing)
            elif not hit and verdict.contradiction:
                claim = _("your answer claims “{claim}”, which this point rules out")
                line += " — " + claim.format(claim=verdict.contradiction)
        lines.append(line)
    return lines


def term_list_note() -> str:
    return _(
        "Your answer reads as a list of terms, so it earns at most a tenth of the points: a key "
        "point counts when a sentence makes it."
    )


def wrong_claim_note(evidence: Sequence[PointVerdict], fraction: float, total: int) -> str:
    """Why the score is below the points covered, when the answer made wrong claims; else ''."""
    wrong = sum(v.contradiction is not None for v in evidence)
    if not wrong:
        return ""
    return ngettext(
        "A wrong claim costs one key point's worth, so the answer earns {earned:g} of {total}.",
        "Each wrong claim costs one key point's worth, so the answer earns {earned:g} of {total}.",
        wrong,
    ).format(earned=round(fraction * total, 2), total=total)
