"""How fair the free-text grader is: its scores against human scores on a labelled answer set.

The set (`tests/data/grading/*.yaml`) holds, for open and scenario questions of every topic,
five answers written from the prompt alone (an expert answer in one's own words, a terse
correct one, a one-point partial one, a confidently wrong one in the topic's vocabulary, and a
bare keyword list), each scored by a person against the key points. Every grader in GRADERS
is measured in the same run, so a new grader is compared with the old one side by side.

Run: `python -m bench.grading` (add `--per-question` to list the worst disagreements, and
`--files batch3 batch4` to measure a part of the set, e.g. the half held out from development).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from scipy.stats import spearmanr

from bot.domain.concepts import concept_fraction
from bot.domain.grading import key_points_hit
from bot.domain.questions import Question
from bot.question_bank import QUESTIONS_DIR, load_bank
from bot.runtime import tune_gc

SET_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "grading"
STYLES = ("expert", "terse", "partial", "wrong", "keywords")
TIMING_ROUNDS = 20

Grader = Callable[[Question, str], float]

VOCABULARY = load_bank(QUESTIONS_DIR).terms


def consecutive_words(question: Question, text: str) -> float:
    """The grader before issue 11: the share of key points with a phrasing word for word."""
    return len(key_points_hit(question, text)) / (len(question.key_points) or 1)


GRADERS: dict[str, Grader] = {
    "phrasings (consecutive words)": consecutive_words,
    "concepts (stems, terms, window)": lambda q, text: concept_fraction(q, text, VOCABULARY),
}


@dataclass(frozen=True)
class Labelled:
    question: Question
    style: str
    text: str
    human: float


def load_set(directory: Path = SET_DIR, names: Sequence[str] = ()) -> list[Labelled]:
    """Every batch in `directory`, or only those named (`batch3`, `batch4.yaml`)."""
    bank = {q.id: q for q in load_bank(QUESTIONS_DIR).questions}
    paths = sorted(directory.glob("*.yaml"))
    if names:
        wanted = {name.removesuffix(".yaml") for name in names}
        unknown = wanted - {path.stem for path in paths}
        if unknown:
            raise SystemExit(f"no labelled batch {', '.join(sorted(unknown))} in {directory}")
        paths = [path for path in paths if path.stem in wanted]
    found: list[Labelled] = []
    for path in paths:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            question = bank.get(entry["question"])
            if question is None:
                raise SystemExit(f"{path.name}: no question {entry['question']} in the bank")
            for answer in entry["answers"]:
                if answer["style"] not in STYLES:
                    raise SystemExit(f"{path.name}: unknown style {answer['style']}")
                found.append(
                    Labelled(question, answer["style"], answer["text"], float(answer["score"]))
                )
    return found


@dataclass(frozen=True)
class Figures:
    spearman: float
    mae: float
    experts_below_half: float
    keyword_mean: float
    wrong_at_half: float
    p50_ms: float
    p99_ms: float


def measure(grader: Grader, answers: list[Labelled]) -> tuple[Figures, list[float]]:
    scores = [grader(a.question, a.text) for a in answers]
    humans = [a.human for a in answers]

    def of(style: str) -> list[float]:
        return [s for s, a in zip(scores, answers, strict=True) if a.style == style]

    timings = []
    for _ in range(TIMING_ROUNDS):
        for answer in answers:
            start = time.perf_counter()
            grader(answer.question, answer.text)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    experts, keywords, wrong = of("expert"), of("keywords"), of("wrong")
    figures = Figures(
        spearman=float(spearmanr(scores, humans).statistic),
        mae=statistics.fmean(abs(s - h) for s, h in zip(scores, humans, strict=True)),
        experts_below_half=sum(s < 0.5 for s in experts) / len(experts),
        keyword_mean=statistics.fmean(keywords),
        wrong_at_half=sum(s >= 0.5 for s in wrong) / len(wrong),
        p50_ms=timings[len(timings) // 2],
        p99_ms=timings[int(len(timings) * 0.99) - 1],
    )
    return figures, scores


TARGETS = (
    ("Spearman with human scores", "spearman", "≥ 0.80", lambda v: v >= 0.80),
    ("mean absolute error", "mae", "", lambda v: True),
    ("expert answers scored below 0.5", "experts_below_half", "≤ 5%", lambda v: v <= 0.05),
    ("mean score of keyword lists", "keyword_mean", "≤ 0.20", lambda v: v <= 0.20),
    ("wrong answers scored 0.5 or more", "wrong_at_half", "≤ 10%", lambda v: v <= 0.10),
    ("grading time per answer, median (ms)", "p50_ms", "", lambda v: True),
    ("grading time per answer, p99 (ms)", "p99_ms", "< 2", lambda v: v < 2),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-question", action="store_true")
    parser.add_argument(
        "--files",
        nargs="+",
        default=(),
        metavar="BATCH",
        help="measure only these batches of the labelled set (e.g. batch3 batch4)",
    )
    args = parser.parse_args()
    answers = load_set(names=args.files)
    tune_gc()  # as the bot does at start, so timings are the bot's
    questions = {a.question.id for a in answers}
    print(f"{len(answers)} labelled answers over {len(questions)} questions")
    print(
        "human score by style: "
        + ", ".join(
            f"{style} {statistics.fmean(a.human for a in answers if a.style == style):.2f}"
            for style in STYLES
        )
    )
    results = {name: measure(grader, answers) for name, grader in GRADERS.items()}
    width = max(len(label) for label, *_ in TARGETS)
    print(f"{'':{width}}  target  " + "  ".join(f"{name:>30}" for name in results))
    for label, field, target, met in TARGETS:
        cells = []
        for figures, _scores in results.values():
            value = getattr(figures, field)
            shown = f"{value:.0%}" if "%" in target else f"{value:.3f}"
            cells.append(f"{shown + (' ok' if met(value) else ' MISSED'):>30}")
        print(f"{label:{width}}  {target:>6}  " + "  ".join(cells))
    if args.per_question:
        for name, (_figures, scores) in results.items():
            print(f"\nlargest disagreements, {name}:")
            worst = sorted(zip(scores, answers, strict=True), key=lambda p: -abs(p[0] - p[1].human))
            for score, answer in worst[:15]:
                print(
                    f"  {answer.question.id:<45} {answer.style:<8} "
                    f"grader {score:.2f}  human {answer.human:.2f}"
                )


if __name__ == "__main__":
    main()
