"""The stats cards as pictures: valid PNGs of the stated size that are not blank, whatever
the data, and the card's numbers folded from answered questions."""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime, timedelta

from PIL import Image

from bot.charts import CARD_SIZE_PX, group_card_png, member_card_png
from bot.domain.stats import (
    CALENDAR_DAYS,
    POINTS_DAYS,
    AnsweredDay,
    CoverageBar,
    GroupCard,
    MissedRow,
    TopicBar,
    member_card,
)

TODAY = date(2026, 11, 24)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def full_year() -> list[AnsweredDay]:
    rng = random.Random(7)
    return [
        AnsweredDay(day, at_noon(day), rng.choice((0, 10, 20, 30)))
        for day in (TODAY - timedelta(days=i) for i in range(CALENDAR_DAYS))
        if rng.random() < 0.8
    ]


def picture(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.convert("RGB")


def ink(image: Image.Image) -> float:
    """The share of pixels that are not (near) white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)


def colours(image: Image.Image) -> int:
    return len(image.getcolors(maxcolors=1 << 20) or ())


def test_a_year_of_answers_draws_a_card_of_the_stated_size_full_of_colour():
    card = member_card(
        "Ada",
        TODAY,
        "UTC",
        full_year(),
        (TopicBar("Evaluation", 40, 31), TopicBar("Ethics", 12, 3), TopicBar("Basics", 9, 9)),
        reviews_due=4,
        next_review=at_noon(TODAY),
    )
    image = picture(member_card_png(card))
    assert image.size == CARD_SIZE_PX == (1200, 800)
    assert ink(image) > 0.25  # the heat map, the bars and the line, not a blank canvas
    assert colours(image) > 200
    # the heat map's green is there: answered days are drawn
    counted = image.getcolors(maxcolors=1 << 20) or []
    green = sum(n for n, (r, g, b) in counted if g > 150 and r < 120 and b < 140)
    assert green > 10_000


def test_a_new_member_gets_a_readable_card_not_an_error():
    card = member_card("New", TODAY, "UTC", [], (), reviews_due=0, next_review=None)
    assert card.empty
    image = picture(member_card_png(card))
    assert image.size == CARD_SIZE_PX
    assert colours(image) > 20  # titles, panels and the "no answers yet" notes
    full = picture(member_card_png(member_card("Ada", TODAY, "UTC", full_year(), (), 0, None)))
    assert ink(image) < ink(full)


def test_the_group_card_draws_with_and_without_data():
    card = GroupCard(
        "Study group",
        12,
        (CoverageBar("Evaluation", 10, 120, 80), CoverageBar("Ethics", 5, 40, 10)),
        (MissedRow("Which metric is the share of predicted positives…", "Evaluation", 12, 9),),
    )
    drawn = picture(group_card_png(card))
    assert drawn.size == CARD_SIZE_PX and colours(drawn) > 100 and ink(drawn) > 0.05
    empty = picture(group_card_png(GroupCard("Study group", 0, (), ())))
    assert empty.size == CARD_SIZE_PX and ink(empty) < ink(drawn)


def test_points_are_counted_on_the_posts_day_and_answered_days_in_the_members_zone():
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # already the 24th in Berlin
    old = TODAY - timedelta(days=POINTS_DAYS + 5)
    days = [
        AnsweredDay(date(2026, 11, 23), late, 20),
        AnsweredDay(date(2026, 11, 20), at_noon(date(2026, 11, 20)), 10),
        AnsweredDay(old, at_noon(old), 30),  # on the heat map, before the points line
    ]
    card = member_card("Ada", TODAY, "Europe/Berlin", days, (), 0, None)
    assert len(card.points) == POINTS_DAYS and card.points[-1][0] == TODAY
    points = dict(card.points)
    assert points[date(2026, 11, 23)] == 20 and points[date(2026, 11, 20)] == 10
    assert sum(points.values()) == 30
    assert card.answered_days == {date(2026, 11, 24), date(2026, 11, 20), old}
