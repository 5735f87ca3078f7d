"""The progress report as a terminal page, an HTML page and a one-page PDF for the chiropractor.

Reads a finished `ProgressReport` and decides nothing. The PDF uses the handout's Jinja
environment (templates/progress.html.j2, progress.css) and the same restricted fetcher.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from backplan.home.advice import PAIN_DURING_MAX
from backplan.i18n import Words, words
from backplan.render.chart import AFTER_MARK, BEFORE_MARK, BOTH_MARK, Point, svg_chart, text_chart
from backplan.render.fetcher import FetchPolicy, make_fetcher
from backplan.render.wording import Wording
from backplan.resources import builtin_templates_dir

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from backplan.clinic.profile import Clinic
    from backplan.home.progress import ProgressReport

TEMPLATE = "progress.html.j2"
STYLESHEET = "progress.css"
RECENT_SESSIONS = 10  # the terminal shows the latest sessions; JSON and the PDF count them all
RECENT_WEEKS = 12  # and the latest weeks: a log kept for years stays one screen


def stopped_text(reason: str | None, words: Words, ended: bool = True) -> str:
    """Why a session ended early, in a few words (the log keeps the id)."""
    _ = words.gettext
    if reason is None:
        return "" if ended else _("did not finish")
    said = {
        "sharp_pain": _("stopped: sharp pain"),
        "see_clinician": _("stopped at the safety check"),
        "emergency": _("stopped: emergency signs"),
        "interrupted": _("stopped early"),
        "input_ended": _("stopped early"),
    }
    return said.get(reason, reason)


def chart_points(report: ProgressReport) -> list[Point]:
    return [Point(p.day, p.pain_before, p.pain_after) for p in report.trend]


def first_day(report: ProgressReport) -> dt.date:
    return report.weeks[0].start if report.weeks else dt.date.today()


def _pain(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def summary(report: ProgressReport, words: Words) -> str:
    _, ngettext = words.gettext, words.ngettext
    parts = [
        ngettext("{n} session", "{n} sessions", report.sessions).format(n=report.sessions),
        _("{n} finished").format(n=report.finished),
        _("{n} stopped early").format(n=report.stopped),
        ngettext("{n} exercise done", "{n} exercises done", report.exercises_done).format(
            n=report.exercises_done
        ),
    ]
    text = ", ".join(parts)
    if report.adherence is not None:
        text += ". " + ngettext(
            "Adherence {pct} over {n} week.", "Adherence {pct} over {n} weeks.", len(report.weeks)
        ).format(pct=f"{round(report.adherence * 100)}%", n=len(report.weeks))
    return text


# -- terminal ----------------------------------------------------------------------------------


def print_report(report: ProgressReport, console: Console) -> None:
    """The history, the pain chart, weekly adherence, PSFS and the advice, at 80 columns, in
    the report's language."""
    said = words(report.lang)
    _ = said.gettext
    title = _("Progress")
    if report.patient:
        title += f": {report.patient}"
    console.print(Text(title, style="bold"))
    if not report.history:
        # the exact commands, each on its own line so none is broken (issue 18)
        for line in (
            _("No sessions logged yet. Make your plan file once with:"),
            "  backplan plan --answers ana.yaml -o plan.json",
            _("then start a session with:"),
            "  backplan session --plan plan.json",
        ):
            console.print(line, markup=False, highlight=False)
        return
    console.print(summary(report, said), highlight=False)
    console.print()
    for renderable in (
        _advice(report, said),
        _chart(report, console.width, said),
        _weeks(report, said),
        _history(report, said),
        _psfs(report, said),
    ):
        if renderable is not None:
            console.print(renderable)
            console.print()


def _advice(report: ProgressReport, words: Words) -> RenderableType | None:
    _ = words.gettext
    if not report.advice:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for advice in report.advice:
        style = {"progress": "green", "regress": "yellow"}.get(advice.kind, "bold red")
        marker = {"progress": "↑", "regress": "↓"}.get(advice.kind, "!")
        grid.add_row(Text(marker, style=style), Text(advice.message, style=style))
    return _titled(_("Advice"), grid)


def _chart(report: ProgressReport, width: int, words: Words) -> RenderableType:
    _ = words.gettext
    points, first = chart_points(report), first_day(report)
    lines = text_chart(points, first, len(report.weeks), words, min(width, 100))
    body = []
    for line in lines:
        text = Text(line)
        text.highlight_words([BEFORE_MARK], "red")
        text.highlight_words([AFTER_MARK], "green")
        text.highlight_words([BOTH_MARK], "yellow")
        body.append(text)
    legend = Text.assemble(
        (BEFORE_MARK, "red"),
        " " + _("before the session") + "   ",
        (AFTER_MARK, "green"),
        " " + _("after") + "   ",
        (BOTH_MARK, "yellow"),
        " " + _("both") + "   ",
        (_("W = week of the program"), "dim"),
    )
    return _titled(_("Pain, 0-10"), Group(*body, legend))


def _weeks(report: ProgressReport, words: Words) -> RenderableType:
    _, ngettext = words.gettext, words.ngettext
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(_("Week"), justify="right")
    table.add_column(_("From"))
    table.add_column(_("Done"), justify="right")
    table.add_column(_("Adherence"), justify="right")
    table.add_column(_("Pain before"), justify="right")
    table.add_column(_("after"), justify="right")
    table.add_column(_("during"), justify="right")
    recent = report.weeks[-RECENT_WEEKS:]
    for week in recent:
        table.add_row(
            str(week.week),
            words.short_date(week.start),  # "Dec 7", "7 dic"
            f"{week.done}/{week.planned}",
            f"{round(week.adherence * 100)}%",
            _pain(week.pain_before),
            _pain(week.pain_after),
            _pain(week.pain_during),
        )
    earlier = len(report.weeks) - len(recent)
    if earlier:
        more = ngettext(
            "... and {n} earlier week (all of them: --format json)",
            "... and {n} earlier weeks (all of them: --format json)",
            earlier,
        ).format(n=earlier)
        return _titled(_("Each week"), Group(table, Text(more, style="dim")))
    return _titled(_("Each week"), table)


def _history(report: ProgressReport, words: Words) -> RenderableType:
    _, ngettext = words.gettext, words.ngettext
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(_("Date"), no_wrap=True)
    table.add_column(_("Min"), justify="right")
    table.add_column(_("Done"), justify="right")
    table.add_column(_("Before"), justify="right")
    table.add_column(_("After"), justify="right")
    table.add_column(_("Worst during"), justify="right")
    table.add_column(_("Note"), overflow="ellipsis", no_wrap=True, max_width=30)
    recent = report.history[-RECENT_SESSIONS:]
    for row in recent:
        worst = Text(_pain(row.max_pain_during))
        if row.max_pain_during is not None and row.max_pain_during > PAIN_DURING_MAX:
            worst.stylize("bold red")
        why = stopped_text(row.stopped, words, ended=row.minutes is not None)
        note = " · ".join(t for t in (why, row.note or "") if t)
        table.add_row(
            f"{row.day.isoformat()} {row.time}",
            "-" if row.minutes is None else str(row.minutes),
            f"{row.exercises}/{row.planned}",
            _pain(row.pain_before),
            _pain(row.pain_after),
            worst,
            Text(note, style="red" if why else ""),
        )
    parts: list[Any] = [table]
    earlier = len(report.history) - len(recent)
    if earlier:
        parts.append(
            Text(
                ngettext(
                    "... and {n} earlier session (all of them: --format json)",
                    "... and {n} earlier sessions (all of them: --format json)",
                    earlier,
                ).format(n=earlier),
                style="dim",
            )
        )
    return _titled(_("Latest sessions"), Group(*parts))


def _psfs(report: ProgressReport, words: Words) -> RenderableType | None:
    _ = words.gettext
    if not report.psfs:
        return None
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(_("Activity"), overflow="fold")
    table.add_column(_("First"), justify="right")
    table.add_column(_("Latest"), justify="right")
    table.add_column(_("Change"), justify="right")
    for series in report.psfs:
        first, last = series.points[0], series.points[-1]
        change = series.change
        table.add_row(
            series.activity,
            f"{first[1]} ({words.short_date(first[0])})",
            f"{last[1]} ({words.short_date(last[0])})",
            "-" if change is None else f"{change:+d}",
        )
    return _titled(_("Everyday activities (PSFS, 0-10, 10 = as before)"), table)


def _titled(title: str, body: RenderableType) -> RenderableType:
    return Group(Text(title, style="bold underline"), body)


# -- HTML and PDF ------------------------------------------------------------------------------


def render_html(
    report: ProgressReport,
    *,
    paper: str = "letter",
    inline_css: bool = True,
    clinic: Clinic | None = None,
) -> str:
    """The one-page report as HTML (styles inline unless the PDF passes them separately), with
    the clinic's name and phone when a profile is set up."""

    from backplan.render import html

    said = words(report.lang)
    _ = said.gettext
    w = Wording(said)
    env = html.environment(None, said.lang)
    styles = None
    if inline_css:
        css = env.loader.get_source(env, STYLESHEET)[0]  # type: ignore[union-attr]
        page = html.page_css(paper, said)
        styles = Markup((html.fonts_css() + page + css).replace("</", "<\\/"))
    title = _("Progress report")
    if report.patient:
        title += f": {report.patient}"
    weeks = len(report.weeks)
    return env.get_template(TEMPLATE).render(
        lang=said.lang,
        title=title,
        report=report,
        summary=summary(report, said),
        chart=Markup(svg_chart(chart_points(report), first_day(report), max(weeks, 1), said)),
        date=w.date_text(dt.date.today()),
        first=w.date_text(report.history[0].day) if report.history else "",
        last=w.date_text(report.history[-1].day) if report.history else "",
        pain=_pain,
        styles=styles,
        clinic=clinic,
        exercises=[(name, w.dose_text(dose)) for name, dose in report.exercises],
        notes=[(w.date_text(h.day), h.note) for h in report.history if h.note],
    )


def render_pdf(
    report: ProgressReport, *, paper: str = "letter", clinic: Clinic | None = None
) -> bytes:
    """The report as a tagged PDF, fetching nothing outside the templates and the font."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from backplan.render import html

    templates = builtin_templates_dir()
    fetcher = make_fetcher(FetchPolicy.of(folders=(templates, html.fonts_dir())))
    fonts = FontConfiguration()
    env = html.environment(None, report.lang)
    css = env.loader.get_source(env, STYLESHEET)[0]  # type: ignore[union-attr]
    stylesheets = [
        weasyprint.CSS(string=text, font_config=fonts, url_fetcher=fetcher)
        for text in (html.fonts_css(), css, html.page_css(paper, words(report.lang)))
    ]
    document = weasyprint.HTML(
        string=render_html(report, paper=paper, inline_css=False, clinic=clinic),
        base_url=str(templates.resolve()) + "/",
        url_fetcher=fetcher,
    )
    rendered = document.render(stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1")
    return rendered.write_pdf(pdf_variant="pdf/ua-1")
