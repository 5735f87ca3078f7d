"""The pain trend chart: pain before and after each session over the program's weeks, drawn as
text for the terminal and as SVG for the report. Pure: points in, lines or markup out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from backplan.i18n import Words

# The SVG carries its own presentation attributes: WeasyPrint does not apply the page's
# stylesheet inside an inline <svg>.
BEFORE_COLOUR = "#b22222"
AFTER_COLOUR = "#2e7d32"
_FONT = 'font-family="Atkinson Hyperlegible, sans-serif" font-size="12" fill="#444"'

PAIN_MAX = 10  # clinical-screening.md §4 line 53: the 0-10 numeric rating scale
BEFORE_MARK = "●"
AFTER_MARK = "○"
BOTH_MARK = "◉"  # before and after fall on the same cell
_AXIS_WIDTH = 4  # "10 ┤"


@dataclass(frozen=True)
class Point:
    day: dt.date
    before: int | None
    after: int | None


def week_starts(first_day: dt.date, weeks: int) -> list[dt.date]:
    return [first_day + dt.timedelta(days=7 * i) for i in range(weeks)]


def _column(day: dt.date, first_day: dt.date, span_days: int, columns: int) -> int:
    return round((day - first_day).days / max(span_days, 1) * (columns - 1))


def text_chart(
    points: Sequence[Point], first_day: dt.date, weeks: int, words: Words, width: int = 80
) -> list[str]:
    """The chart as lines of text `width` wide; the renderer colours the marks."""
    _ = words.gettext
    columns = max(width - _AXIS_WIDTH - 1, 10)
    span = max(weeks * 7 - 1, 1)
    grid = [[" "] * columns for _ in range(PAIN_MAX + 1)]
    for point in points:
        col = _column(point.day, first_day, span, columns)
        for value, mark in ((point.before, BEFORE_MARK), (point.after, AFTER_MARK)):
            if value is None:
                continue
            cell = grid[PAIN_MAX - value][col]
            grid[PAIN_MAX - value][col] = BOTH_MARK if cell not in (" ", mark) else mark
    lines: list[str] = []
    for row, cells in enumerate(grid):
        value = PAIN_MAX - row
        label = f"{value:>2} ┤" if value % 2 == 0 else "   │"
        lines.append(label + " " + "".join(cells).rstrip())
    axis = [" "] * columns
    labels = [" "] * (columns + 6)
    step = 1
    while columns / max(weeks // step, 1) < len(f"{_('W')}{weeks}") + 1:
        step += 1
    for index, start in enumerate(week_starts(first_day, weeks)):
        col = _column(start, first_day, span, columns)
        axis[col] = "┬"
        if index % step == 0:
            text = f"{_('W')}{index + 1}"
            if all(c == " " for c in labels[col : col + len(text) + 1]):
                labels[col : col + len(text)] = list(text)
    lines.append("   └─" + "".join(axis).replace(" ", "─"))
    lines.append("     " + "".join(labels).rstrip())
    return lines


def svg_chart(
    points: Sequence[Point],
    first_day: dt.date,
    weeks: int,
    words: Words,
    *,
    width: int = 640,
    height: int = 240,
) -> str:
    """The same chart as an inline SVG with a <title> (the PDF's text alternative)."""
    _ = words.gettext
    left, right, top, bottom = 36, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max(weeks * 7 - 1, 1)

    def x(day: dt.date) -> float:
        return left + (day - first_day).days / span * plot_w

    def y(value: float) -> float:
        return top + (PAIN_MAX - value) / PAIN_MAX * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="pain-chart" role="img">',
        f"<title>{escape(describe(points, words))}</title>",
    ]
    for value in range(0, PAIN_MAX + 1, 2):
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - right}" y2="{y(value):.1f}" '
            f'stroke="#ccc" stroke-width="0.8"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" {_FONT} '
            f'text-anchor="end">{value}</text>'
        )
    step = max(1, -(-weeks // 16))  # at most 16 week lines, however long the log
    for index, start in enumerate(week_starts(first_day, weeks)):
        if index % step:
            continue
        px = x(start)
        parts.append(
            f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{top + plot_h}" '
            f'stroke="#e4e4e4" stroke-width="0.8"/>'
            f'<text x="{px + 3:.1f}" y="{height - 10}" {_FONT}>'
            f"{escape(_('W'))}{index + 1}</text>"
        )
    series = (
        ("before", f'stroke="{BEFORE_COLOUR}"', f'fill="{BEFORE_COLOUR}" stroke="{BEFORE_COLOUR}"'),
        (
            "after",
            f'stroke="{AFTER_COLOUR}" stroke-dasharray="4 3"',
            f'fill="#fff" stroke="{AFTER_COLOUR}" stroke-width="1.4"',
        ),
    )
    for attr, line_style, dot_style in series:
        known = [(x(p.day), y(v)) for p in points if (v := getattr(p, attr)) is not None]
        if len(known) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in known)
            parts.append(f'<polyline points="{path}" fill="none" stroke-width="1.6" {line_style}/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" {dot_style}/>' for px, py in known]
    parts.append("</svg>")
    return "".join(parts)


def describe(points: Sequence[Point], words: Words) -> str:
    """One sentence saying what the chart shows, for screen readers and the PDF's alt text."""
    _ = words.gettext
    before = [p.before for p in points if p.before is not None]
    if not before:
        return _("Pain chart: no pain scores logged yet.")
    return _(
        "Pain before each session, 0 to 10, over {n} sessions: {first} at the start, "
        "{last} at the latest."
    ).format(n=len(before), first=before[0], last=before[-1])
