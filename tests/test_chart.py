"""The pain chart as text and as SVG."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from backplan.i18n import words
from backplan.render.chart import (
    AFTER_MARK,
    BEFORE_MARK,
    BOTH_MARK,
    Point,
    describe,
    svg_chart,
    text_chart,
)

FIRST = dt.date(2026, 1, 5)
EN = words("en")


def test_marks_land_on_their_pain_rows():
    lines = text_chart([Point(FIRST, 7, 3)], FIRST, words=EN, weeks=2, width=80)
    rows = {10 - i: line for i, line in enumerate(lines[:11])}
    assert rows[7].rstrip().endswith(BEFORE_MARK)
    assert rows[3].rstrip().endswith(AFTER_MARK)
    assert BEFORE_MARK not in rows[3]


def test_same_before_and_after_show_one_combined_mark():
    lines = text_chart([Point(FIRST, 4, 4)], FIRST, words=EN, weeks=1, width=80)
    assert BOTH_MARK in lines[10 - 4]


def test_fits_the_width_and_labels_every_week():
    points = [Point(FIRST + dt.timedelta(days=d), 5, 4) for d in range(0, 84, 2)]
    lines = text_chart(points, FIRST, words=EN, weeks=12, width=80)
    assert all(len(line) <= 80 for line in lines)
    assert lines[-1].split() == [f"W{n}" for n in range(1, 13)]


def test_the_last_day_is_in_the_last_column():
    last = FIRST + dt.timedelta(days=13)
    lines = text_chart(
        [Point(FIRST, 2, None), Point(last, 8, None)], FIRST, words=EN, weeks=2, width=40
    )
    assert lines[10 - 8].index(BEFORE_MARK) == len(lines[-2]) - 1


def test_svg_is_well_formed_with_a_text_alternative():
    svg = svg_chart([Point(FIRST, 6, 5), Point(FIRST + dt.timedelta(days=9), 4, 2)], FIRST, 2, EN)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == describe(
        [Point(FIRST, 6, 5), Point(FIRST + dt.timedelta(days=9), 4, 2)], EN
    )
    assert len(root.findall(f"{ns}polyline")) == 2
    assert len(root.findall(f"{ns}circle")) == 4


def test_describe_without_scores():
    assert "no pain scores" in describe([], EN)
