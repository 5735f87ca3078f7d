"""The HTML page's quick paths give what the slow ones gave: a drawing's data: URL, its alt
text, and the stylesheets that skip the template's output filter."""

from __future__ import annotations

import html
from urllib.parse import quote
from xml.sax.saxutils import escape

from depth import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_fixtures import plan

from backplan.planning.outcome import Patient
from backplan.render import RenderOptions, render_html
from backplan.render.controls import CONTROL
from backplan.render.html import _URL_SAFE, Stylesheets, fonts_css, unescape_xml, url_escaped

CONTROLS = "\x00\x07\x1b\x7f\x85\u202e\u2066"


@settings(max_examples=examples(100, 2000))
@given(st.text())
def test_a_url_is_escaped_as_quote_escapes_it(text):
    assert url_escaped(text) == quote(text, safe=_URL_SAFE)


def test_a_drawing_is_escaped_as_quote_escapes_it():
    drawing = (
        '<svg viewBox="0 0 10 10"><title>Puente &amp; glúteos 100%</title><path d="M0 0"/></svg>'
    )
    assert url_escaped(drawing) == quote(drawing, safe=_URL_SAFE)
    assert "%25" in url_escaped(drawing) and "%C3%BA" in url_escaped(drawing)


@settings(max_examples=examples(100, 2000))
@given(st.text())
def test_escaped_xml_text_reads_back_as_written(text):
    written = escape(text, {'"': "&quot;", "'": "&apos;"})
    assert unescape_xml(written) == text == html.unescape(written)


def test_numeric_references_are_read_and_broken_ones_left_alone():
    assert unescape_xml("Gl&#250;teo &#xFA; &#x1F600;") == "Glúteo ú \U0001f600"
    for broken in ("&#0;", "&#xD800;", "&#x110000;", "&amp", "&nbsp;", "& x"):
        assert unescape_xml(broken) == broken  # XML has no `nbsp`; the rest is no reference


def test_the_stylesheets_are_markup_that_is_not_a_string():
    styles = Stylesheets("@font-face { }\n", 'p { content: "a\x07b</style>"; }')
    assert not isinstance(styles, str)  # so the template's output filter passes it by
    assert styles.__html__() == '@font-face { }\np { content: "ab<\\/style>"; }'
    assert str(styles) == styles.__html__() and len(styles) == len(styles.__html__())
    assert styles and not Stylesheets("", "")


def test_no_control_character_reaches_the_page_from_a_stylesheet_or_a_name(tmp_path):
    (tmp_path / "handout.css").write_text(f"body {{ color: teal; }} /* {CONTROLS} */")
    name = f"Maria{CONTROLS}Lopez"
    page = render_html(plan(patient=Patient(name=name)), RenderOptions(templates_dir=tmp_path))
    assert "color: teal" in page and "MariaLopez" in page
    assert not CONTROL.search(page)


def test_what_a_clinic_template_makes_of_the_styles_is_filtered(tmp_path):
    (tmp_path / "base.html.j2").write_text(
        "<style>{{ styles ~ outcome.patient.name }}</style>"
        "{% if styles %}{{ styles | length > 100000 }}{% endif %}"
    )
    name = f"Maria{CONTROLS}Lopez"
    page = render_html(plan(patient=Patient(name=name)), RenderOptions(templates_dir=tmp_path))
    assert "@font-face" in page and "MariaLopez</style>True" in page
    assert not CONTROL.search(page)


def test_the_inlined_fonts_are_made_once_per_process():
    assert fonts_css(inline=True) is fonts_css(inline=True)
    assert "data:font/ttf;base64," in fonts_css(inline=True)
    assert "file:" in fonts_css() and "base64" not in fonts_css()


def test_a_clinic_template_can_still_read_the_styles_as_a_string(tmp_path):
    (tmp_path / "base.html.j2").write_text(
        '{{ "@font-face" in styles }} {{ styles[:10] }} {{ styles.count("@font-face") >= 4 }} '
        "{{ styles | upper | length > 1000 }} {{ (styles | list)[0] }} {{ styles.markup[:1] }}"
    )
    page = render_html(plan(), RenderOptions(templates_dir=tmp_path))
    assert page == "True @font-face True True @ @"


def test_a_copy_of_the_stylesheets_is_the_same_text():
    import copy
    import pickle

    styles = Stylesheets("@font-face { }\n", "p { }")
    assert str(copy.copy(styles)) == str(styles) == str(pickle.loads(pickle.dumps(styles)))
