"""Stats cards as PNG pictures, drawn with matplotlib's object API on the Agg canvas.

Only `matplotlib.figure.Figure` is used, never `pyplot`: pyplot keeps global state (the
current figure, a GUI backend) and is not safe to call from several threads at once, while a
`Figure` with its own Agg canvas is a plain object, so cards can be drawn in worker threads
(`asyncio.to_thread`) without blocking the event loop or each other. Every card has the same
size, `CARD_SIZE_PX`, and reads sensibly with no data at all.
"""

from __future__ import annotations

import io
import math
from datetime import timedelta
from gettext import gettext as _

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from bot.domain.stats import CALENDAR_DAYS, GroupCard, MemberCard

CARD_WIDTH_PX = 1200
CARD_HEIGHT_PX = 800
CARD_SIZE_PX = (CARD_WIDTH_PX, CARD_HEIGHT_PX)
DPI = 100
PNG_OPTIONS = {"compress_level": 3}
"""zlib level 3 instead of 6: the flat colours of a chart compress almost as well, and
encoding takes about half the time."""

INK = "#1f2328"
MUTED = "#656d76"
ACCENT = "#2f6fdb"
GOOD = "#2da44e"
BAD = "#cf222e"
BACKGROUND = "#ffffff"
PANEL = "#f6f8fa"
HEAT = ListedColormap(["#ebedf0", "#40c463"]).with_extremes(bad=BACKGROUND)
TOPIC_ROWS = 8
"""Topics shown as bars; a card with more names its best-covered ones."""
MIN_ROWS = 4
"""Room kept for this many bars, so that one or two bars are not drawn as slabs."""


def _figure() -> Figure:
    figure = Figure(figsize=(CARD_WIDTH_PX / DPI, CARD_HEIGHT_PX / DPI), dpi=DPI)
    figure.patch.set_facecolor(BACKGROUND)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor=BACKGROUND, pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()


def _style(axes: Axes, title: str) -> None:
    axes.set_facecolor(PANEL)
    axes.set_title(title, loc="left", fontsize=13, color=INK, fontweight="bold")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(MUTED)
    axes.tick_params(colors=MUTED, labelsize=9)


def _nothing_yet(axes: Axes, text: str) -> None:
    axes.set_xticks([])
    axes.set_yticks([])
    axes.text(
        0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes,
        color=MUTED, fontsize=14, wrap=True,
    )  # fmt: skip


def _points(axes: Axes, card: MemberCard) -> None:
    _style(axes, _("Points, last {days} days").format(days=len(card.points)))
    if not any(points for _day, points in card.points):
        _nothing_yet(axes, _("No answers yet") + "\n" + _("answer the daily question to start"))
        return
    positions = range(len(card.points))
    running = []
    total = 0
    for _day, points in card.points:
        total += points
        running.append(total)
    axes.fill_between(positions, running, color=ACCENT, alpha=0.18, linewidth=0)
    axes.plot(positions, running, color=ACCENT, linewidth=2.2)
    ticks = list(range(0, len(card.points), 15))
    axes.set_xticks(ticks, [card.points[i][0].strftime("%d %b") for i in ticks])
    axes.set_xlim(0, len(card.points) - 1)
    axes.set_ylim(bottom=0)
    axes.set_ylabel(_("running total"), color=MUTED, fontsize=9)


def _topics(axes: Axes, card: MemberCard) -> None:
    _style(axes, _("Accuracy by topic"))
    shown = sorted((t for t in card.topics if t.answered), key=lambda t: -t.answered)
    shown = sorted(shown[:TOPIC_ROWS], key=lambda t: t.title)
    if not shown:
        _nothing_yet(axes, _("No answers yet"))
        return
    rows = range(len(shown))
    accuracy = [t.accuracy * 100 for t in shown]
    axes.barh(rows, [100] * len(shown), color="#e1e4e8", height=0.6)
    axes.barh(rows, accuracy, color=[GOOD if a >= 50 else BAD for a in accuracy], height=0.6)
    axes.set_yticks(list(rows), [t.title[:24] for t in shown])
    axes.set_ylim(max(len(shown), MIN_ROWS) - 0.4, -0.6)
    axes.set_xlim(0, 100)
    axes.set_xlabel(_("% right"), color=MUTED, fontsize=9)
    for row, topic in zip(rows, shown, strict=True):
        axes.text(101, row, f"{topic.correct}/{topic.answered}", va="center", fontsize=9, color=INK)


def _reviews(axes: Axes, card: MemberCard) -> None:
    _style(axes, _("Reviews"))
    axes.set_xticks([])
    axes.set_yticks([])
    axes.text(
        0.5, 0.62, str(card.reviews_due), ha="center", va="center",
        transform=axes.transAxes, fontsize=54, color=ACCENT if card.reviews_due else MUTED,
        fontweight="bold",
    )  # fmt: skip
    if card.reviews_due:
        note = _("due today")
    elif card.next_review is None:
        note = _("nothing to review yet")
    else:
        note = _("next due on {day}").format(day=card.next_review.strftime("%d %b"))
    axes.text(
        0.5, 0.2, note, ha="center", va="center", transform=axes.transAxes,
        fontsize=12, color=MUTED,
    )  # fmt: skip


def _calendar(axes: Axes, card: MemberCard) -> None:
    _style(axes, _("Days answered, last 12 months"))
    first = card.today - timedelta(days=CALENDAR_DAYS - 1)
    start = first - timedelta(days=first.weekday())  # the Monday of the first week
    weeks = (card.today - start).days // 7 + 1
    grid = [[0.0] * weeks for _row in range(7)]
    for offset in range((card.today - start).days + 1, weeks * 7):
        grid[offset % 7][offset // 7] = math.nan  # after today: no cell
    for day in card.answered_days:
        offset = (day - start).days
        grid[offset % 7][offset // 7] = 1.0
    axes.imshow(grid, cmap=HEAT, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    # white lines between the cells: two line collections draw faster than a mesh of edges
    axes.vlines([w - 0.5 for w in range(weeks + 1)], -0.5, 6.5, colors="white", linewidth=1.5)
    axes.hlines([d - 0.5 for d in range(8)], -0.5, weeks - 0.5, colors="white", linewidth=1.5)
    months = []
    for week in range(weeks):
        monday = start + timedelta(weeks=week)
        if monday.day <= 7:
            months.append((week, monday.strftime("%b")))
    axes.set_xticks([w for w, _name in months], [name for _w, name in months])
    axes.set_yticks([0, 2, 4, 6], [_("Mon"), _("Wed"), _("Fri"), _("Sun")])
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    if not card.answered_days:
        axes.text(
            0.5, 0.5, _("No answers yet"), ha="center", va="center",
            transform=axes.transAxes, color=MUTED, fontsize=14,
        )  # fmt: skip


def member_card_png(card: MemberCard) -> bytes:
    """The member's card: points over time, accuracy per topic, reviews due and a year of
    answered days; `CARD_SIZE_PX`, PNG."""
    figure = _figure()
    figure.suptitle(
        _("Stats — {name}").format(name=card.name[:60]), x=0.03, y=0.975, ha="left",
        fontsize=18, color=INK, fontweight="bold",
    )  # fmt: skip
    grid = figure.add_gridspec(
        2, 3, height_ratios=(1.35, 1), width_ratios=(1.1, 1.1, 0.7),
        left=0.09, right=0.97, top=0.89, bottom=0.06, hspace=0.38, wspace=0.38,
    )  # fmt: skip
    _points(figure.add_subplot(grid[0, 0]), card)
    _topics(figure.add_subplot(grid[0, 1]), card)
    _reviews(figure.add_subplot(grid[0, 2]), card)
    _calendar(figure.add_subplot(grid[1, :]), card)
    return _png(figure)


def group_card_png(card: GroupCard) -> bytes:
    """The group's card: answers and accuracy per topic, and the questions most often missed;
    `CARD_SIZE_PX`, PNG."""
    figure = _figure()
    figure.suptitle(
        _("Group stats — {name} ({members} members)").format(
            name=card.name[:60], members=card.members
        ),
        x=0.03, y=0.975, ha="left", fontsize=18, color=INK, fontweight="bold",
    )  # fmt: skip
    grid = figure.add_gridspec(2, 1, left=0.3, right=0.95, top=0.88, bottom=0.06, hspace=0.35)
    coverage = figure.add_subplot(grid[0, 0])
    _style(coverage, _("Answers per topic (green: right)"))
    topics = sorted(card.topics, key=lambda t: -t.answered)[:TOPIC_ROWS]
    topics.sort(key=lambda t: t.title)
    if topics:
        rows = range(len(topics))
        coverage.barh(rows, [t.answered for t in topics], color="#d0d7de", height=0.6)
        coverage.barh(rows, [t.correct for t in topics], color=GOOD, height=0.6)
        coverage.set_yticks(list(rows), [t.title[:40] for t in topics])
        coverage.set_ylim(max(len(topics), MIN_ROWS) - 0.4, -0.6)
        coverage.set_xlim(0, max(t.answered for t in topics) * 1.4)
        for row, topic in zip(rows, topics, strict=True):
            coverage.text(
                topic.answered, row, " " + _("{share} right, {members} members").format(
                    share=f"{topic.accuracy:.0%}", members=topic.members
                ),
                va="center", fontsize=9, color=INK,
            )  # fmt: skip
    else:
        _nothing_yet(coverage, _("No answers yet"))
    missed = figure.add_subplot(grid[1, 0])
    _style(missed, _("Most often missed (red: not right)"))
    rows_missed = list(card.missed)
    if rows_missed:
        rows = range(len(rows_missed))
        missed.barh(rows, [m.answered for m in rows_missed], color="#d0d7de", height=0.6)
        missed.barh(rows, [m.missed for m in rows_missed], color=BAD, height=0.6)
        missed.set_yticks(list(rows), [_short(m.title, 48) for m in rows_missed])
        missed.set_ylim(max(len(rows_missed), MIN_ROWS) - 0.4, -0.6)
        missed.set_xlim(0, max(m.answered for m in rows_missed) * 1.15)
        for row, question in zip(rows, rows_missed, strict=True):
            missed.text(
                question.answered, row, f" {question.missed}/{question.answered}",
                va="center", fontsize=9, color=INK,
            )  # fmt: skip
    else:
        _nothing_yet(missed, _("No missed questions yet"))
    return _png(figure)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
