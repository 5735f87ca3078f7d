"""How many times a handout is laid out, what the closer layout keeps in large print, and
the large-print stylesheet that only large print reads.

Large print is laid out once, closer from the start; standard print tries the closer layout
only when the first one leaves a nearly empty last page or pushes the log off page 1.
"""

from __future__ import annotations

from typing import Any

import pytest
from plan_fixtures import DATE

from backplan.intake.answers import Answers
from backplan.library.catalogue import load_library
from backplan.planning.selection import select
from backplan.render import RenderOptions, html, pdf, render_html, render_pdf
from backplan.resources import builtin_templates_dir

MM = 96 / 25.4  # CSS pixels in a millimetre


@pytest.fixture(scope="module")
def plan():
    answers = Answers(
        patient={"name": "Maria Lopez", "age": 46},
        sharp_pain=False,
        pain=3,
        red_flags=[],
        equipment=["mat", "resistance_band", "sturdy_support"],
        lang="en",
    )
    return select(answers, load_library([]), date=DATE, lang="en")


@pytest.fixture
def layouts(monkeypatch):
    """The `tight` flag of every page the PDF renderer asks the templates for."""
    asked: list[bool] = []
    real = html.render_page

    def spy(*args: Any, **kwargs: Any) -> str:
        asked.append(kwargs.get("tight", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(html, "render_page", spy)
    return asked


@pytest.mark.pdf
def test_large_print_is_laid_out_once_in_the_closer_layout(plan, layouts):
    render_pdf(plan, RenderOptions(paper="letter", lang="en", large_print=True))
    assert layouts == [True]


@pytest.mark.pdf
def test_a_standard_handout_with_a_full_last_page_is_laid_out_once(plan, layouts):
    render_pdf(plan, RenderOptions(paper="letter", lang="en"))
    assert layouts == [False]


def _laid_out(plan, options: RenderOptions, *, tight: bool) -> Any:
    import weasyprint

    page = html.render_page(plan, options, inline_css=False, tight=tight)
    document = weasyprint.HTML(string=page, base_url=str(builtin_templates_dir()) + "/")
    return document.render(
        stylesheets=pdf._stylesheets(
            None, options.paper_size(), options.lang, options.is_large_print()
        ),
        font_config=pdf._font_config(),
    )


def _boxes_with_class(document: Any, name: str) -> list[Any]:
    return [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if box.element is not None
        and name in (box.element.get("class") or "").split()
        and box.element_tag in ("td", "img")
    ]


def _tick_boxes_mm(cell: Any) -> set[float]:
    """The inner size (mm) of the boxes a log row's background draws, from its SVG."""
    import re
    from urllib.parse import unquote

    found = set()
    for kind, url in cell.style["background_image"]:
        svg = unquote(str(url)) if kind == "url" else ""
        stroke = re.search(r'<g fill="none" stroke="#333" stroke-width="([\d.]+)"', svg)
        for width in re.findall(r'<rect [^>]*width="([\d.]+)"', svg):
            assert stroke  # a box is drawn with a line, centred on its edge
            found.add(round((float(width) - float(stroke[1])) / MM, 1))
    return found


@pytest.mark.pdf
def test_the_closer_large_print_keeps_its_8_mm_log_boxes_and_large_figures(plan):
    options = RenderOptions(paper="letter", lang="en", large_print=True)
    document = _laid_out(plan, options, tight=True)
    ticked = [c for c in _boxes_with_class(document, "days") if _tick_boxes_mm(c)]
    assert ticked and all(_tick_boxes_mm(c) == {8.0} for c in ticked)
    assert all(c.border_height() >= 9 * MM for c in ticked)
    # the warm-ups' drawings (first in the page) at least 55 mm wide, the exercises' 70 mm:
    # standard print's closer layout narrows a warm-up's to 25 mm
    drawings = [round(b.width / MM) for b in _boxes_with_class(document, "drawing")]
    warmups = len(plan.warmup)
    assert warmups and len(drawings) == warmups + len(plan.exercises)
    assert min(drawings[:warmups]) >= 55 and min(drawings[warmups:]) >= 70, drawings


@pytest.mark.pdf
def test_the_standard_log_draws_a_4_mm_box_a_day(plan):
    document = _laid_out(plan, RenderOptions(paper="a4", lang="en"), tight=False)
    ticked = [c for c in _boxes_with_class(document, "days") if _tick_boxes_mm(c)]
    # a row for the warm-up and each exercise; the pain row has lines, no boxes
    assert len(ticked) == 1 + len(plan.exercises)
    assert all(_tick_boxes_mm(c) == {4.2} for c in ticked)


@pytest.mark.pdf
def test_the_closer_layout_saves_pages_but_never_adds_one(plan):
    """The rule's premise, checked on this plan: large print closer is never longer."""
    options = RenderOptions(paper="a4", lang="en", large_print=True)
    closer = _laid_out(plan, options, tight=True)
    wider = _laid_out(plan, options, tight=False)
    assert len(closer.pages) <= len(wider.pages)
    assert not pdf.worth_a_closer_layout(_laid_out(plan, RenderOptions(lang="en"), tight=False))


def test_only_a_large_print_handout_carries_the_large_print_rules(plan):
    standard = render_html(plan, RenderOptions(lang="en"))
    large = render_html(plan, RenderOptions(lang="en", large_print=True))
    assert ".large-print .log .box" not in standard and "body {" in standard
    assert ".large-print .log .box" in large
    assert large.index("body {") < large.index(".large-print .log .box")  # after handout.css


def test_a_clinic_can_replace_the_large_print_rules(plan, tmp_path):
    (tmp_path / "large-print.css").write_text(".large-print { font-size: 19pt; }")
    options = RenderOptions(lang="en", large_print=True, templates_dir=tmp_path)
    page = render_html(plan, options)
    assert "font-size: 19pt" in page and ".large-print .log .box" not in page


def test_a_clinic_stylesheet_from_before_the_drawn_log_still_gets_its_days(plan, tmp_path):
    # A clinic's own handout.css replaces the built-in one; the log's days are drawn by
    # log.css, which every handout reads after it, so an older sheet keeps a usable log.
    (tmp_path / "handout.css").write_text(".log .box { border: 1pt solid #000; }")
    page = render_html(plan, RenderOptions(lang="en", templates_dir=tmp_path))
    assert 'class="days d14"' in page
    assert page.index(".log .box { border") < page.index(".log td.days {")
    assert "background-size: 100% 100%" in page


def test_a_clinic_can_draw_its_own_log_days(plan, tmp_path):
    (tmp_path / "log.css").write_text(".log td.days { background: #eee; }")
    page = render_html(plan, RenderOptions(lang="en", templates_dir=tmp_path))
    assert ".log td.days { background: #eee; }" in page and "%3Crect" not in page
