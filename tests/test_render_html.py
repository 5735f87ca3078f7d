import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from plan_fixtures import DATE, HOSTILE, SVG, check_golden, clinic, emergency_stop, plan

from backplan.clinic.profile import Clinic
from backplan.errors import BackplanError
from backplan.planning.outcome import Figure, Patient, Reason, Stop
from backplan.render import (
    RenderOptions,
    format_for,
    render_bytes,
    render_html,
    write_outcome,
)
from backplan.render.html import figure_markup, figure_shape, fonts_dir


def normalised(page: str) -> str:
    """The page without its stylesheet (a static file, checked elsewhere) for golden files."""
    assert "@font-face" in page and "data:font/ttf;base64," in page
    assert "file:" not in page and fonts_dir().as_posix() not in page  # self-contained
    return re.sub(r"<style>.*?</style>", "<style>...</style>", page, flags=re.DOTALL)


def test_plan_html_matches_golden():
    check_golden(
        "handout_plan.html", normalised(render_html(plan(), RenderOptions(clinic=clinic())))
    )


def test_stop_html_matches_golden():
    check_golden(
        "handout_stop.html",
        normalised(render_html(emergency_stop(), RenderOptions(clinic=clinic()))),
    )


def test_page_declares_language_title_author_and_font():
    page = render_html(plan(), RenderOptions(clinic=clinic(), paper="a4"))
    assert '<html lang="en">' in page
    assert "<title>Your home exercise plan: Maria Lopez</title>" in page
    assert '<meta name="author" content="Bayside Chiropractic">' in page
    assert "size: A4" in page
    assert 'font-family: "Atkinson Hyperlegible"' in page and "data:font/ttf;base64," in page


def test_without_clinic_author_is_backplan_and_header_neutral():
    page = render_html(plan(), RenderOptions())
    assert '<meta name="author" content="backplan">' in page
    assert 'class="letterhead neutral"' in page
    assert "Ask your chiropractor" in page


def test_every_exercise_and_step_and_the_log():
    page = render_html(plan(), RenderOptions())
    for item in plan().exercises:
        assert item.name in page
        for step in item.steps:
            assert step in page
    # a row of days for the warm-up and each exercise, and one for the pain: one cell each
    assert page.count('<td colspan="14" class="days d14">') == 1 + 4 + 1
    assert page.count('class="ruled"') == 2 * 4  # two notes lines per exercise
    assert '<th scope="col" class="day">14</th>' in page and "Pain 0-10" in page
    for number, item in enumerate(plan().exercises, 1):  # named on the log's rows
        assert f'<span class="number">{number}</span> {item.name}</th>' in page


def test_first_page_order_safety_notes_warmup_log_then_exercises():
    page = render_html(plan(), RenderOptions())
    marks = ('class="safety"', 'class="plan-notes"', 'class="warmup"', 'class="log"')
    found = [page.index(mark) for mark in (*marks, 'class="exercises"')]
    assert found == sorted(found)


def test_the_steps_run_in_two_columns_only_under_a_wide_figure():
    wide = SVG.replace('viewBox="0 0 120 80"', 'viewBox="0 0 441 209"')
    tall = SVG.replace('viewBox="0 0 120 80"', 'viewBox="0 -112 154.8 252"')
    assert figure_shape(wide) == "wide" and figure_shape(tall) == "tall"
    assert figure_shape('<img src="x.png" alt="x">') == "tall"  # size unknown until layout
    page = render_html(plan(), RenderOptions())
    assert 'class="exercise has-figure figure-wide" id="ex-cable-pull-through"' in page  # 120x80
    assert 'class="exercise" id="ex-stability-ball-squat"' in page  # no figure, no shape


def test_a_drawing_is_an_image_with_its_alt_text_also_in_its_title():
    markup = str(figure_markup(Figure(alt='Hip "hinge" <start>', svg=SVG)))
    assert markup.startswith('<img class="drawing" src="data:image/svg+xml,%3Csvg')
    assert 'alt="Hip &#34;hinge&#34; &lt;start&gt;"' in markup
    svg = unquote(html.unescape(markup.split('src="')[1].split('"')[0]).split(",", 1)[1])
    assert "<title>Hip &#34;hinge&#34; &lt;start&gt;</title>" in svg
    assert ET.fromstring(svg).tag.endswith("svg")  # the whole drawing, still well-formed


def test_image_figure_has_alt_and_no_figure_means_nothing():
    markup = str(figure_markup(Figure(alt="A bridge", path="/lib/bridge.png")))
    assert markup == '<img src="file:///lib/bridge.png" alt="A bridge">'
    page = render_html(plan(), RenderOptions())
    assert page.count("<figure") == 2  # only the two items that have one
    assert "missing" not in page.lower()


def test_everything_typed_is_escaped():
    hostile_clinic = Clinic(name=HOSTILE, address=HOSTILE, phone=HOSTILE)
    page = render_html(
        plan(patient=Patient(name=HOSTILE), notes=(HOSTILE,), clinician=HOSTILE),
        RenderOptions(clinic=hostile_clinic),
    )
    assert "<img src=" not in page and "<script>" not in page and "<a href" not in page
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page
    stop = Stop("see_clinician", (Reason("x", HOSTILE, "see_clinician"),), Patient(HOSTILE), DATE)
    assert "<script>" not in render_html(stop, RenderOptions())


def test_stop_page_has_reasons_and_contact_but_no_exercise():
    page = render_html(emergency_stop(), RenderOptions(clinic=clinic()))
    assert "Seek emergency care today" in page
    assert "emergency department" in page
    assert "You have numbness around your genitals" in page and "You have sharp pain." in page
    assert "305-555-0142" in page
    assert "Dose" not in page and 'class="exercise' not in page and "Your log" not in page


def test_clinic_template_folder_replaces_a_built_in(tmp_path):
    (tmp_path / "_footer.html.j2").write_text("<footer>Call {{ clinic.name }} now</footer>")
    (tmp_path / "handout.css").write_text("body { color: teal; }")
    options = RenderOptions(clinic=clinic(), templates_dir=tmp_path)
    page = render_html(plan(), options)
    assert "<footer>Call Bayside Chiropractic now</footer>" in page
    assert "color: teal" in page and "border-collapse" not in page
    assert 'class="letterhead"' in page  # the rest still comes from the built-ins


def test_clinic_profile_template_folder_is_used(tmp_path):
    (tmp_path / "_footer.html.j2").write_text("<footer>from the profile</footer>")
    options = RenderOptions(clinic=clinic().model_copy(update={"templates": tmp_path}))
    assert "from the profile" in render_html(plan(), options)


def test_clinic_template_with_a_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "_footer.html.j2").write_text("<footer>\n{% if %}\n</footer>")
    with pytest.raises(BackplanError) as info:
        render_html(plan(), RenderOptions(templates_dir=tmp_path))
    problem = info.value.problems[0]
    assert problem.path.endswith("_footer.html.j2") and problem.line == 2


def test_a_style_block_cannot_be_closed_by_a_clinic_stylesheet(tmp_path):
    (tmp_path / "handout.css").write_text("</style><script>alert(1)</script>")
    page = render_html(plan(), RenderOptions(templates_dir=tmp_path))
    assert page.count("</style>") == 1 and "<\\/style><script>" in page


@pytest.mark.parametrize(
    ("path", "fmt", "expected"),
    [
        (None, None, "terminal"),
        (Path("plan.PDF"), None, "pdf"),
        (Path("plan.html"), None, "html"),
        (Path("plan.htm"), None, "html"),
        (Path("plan.md"), None, "md"),
        (Path("plan.json"), None, "json"),
        (Path("plan.txt"), "markdown", "md"),
        (Path("plan.pdf"), "html", "html"),
    ],
)
def test_format_for(path, fmt, expected):
    assert format_for(path, fmt) == expected


def test_unknown_suffix_or_format_is_exit_2_naming_the_allowed_ones():
    with pytest.raises(BackplanError) as info:
        format_for(Path("plan.docx"), None)
    assert info.value.exit_code == 2
    assert ".pdf" in str(info.value) and ".md" in str(info.value) and "--format" in str(info.value)
    with pytest.raises(BackplanError, match="terminal, json, pdf, html, md"):
        format_for(None, "docx")


def test_write_outcome_json_is_the_contract(tmp_path):
    target = write_outcome(plan(), tmp_path / "plan.json", None, RenderOptions())
    assert json.loads(target.read_text()) == json.loads(json.dumps(plan().to_dict()))
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_write_outcome_of_a_stop_holds_the_notice_only(tmp_path):
    for name in ("stop.html", "stop.md", "stop.json"):
        text = write_outcome(emergency_stop(), tmp_path / name, None, RenderOptions()).read_text()
        body = re.sub(r"<style>.*?</style>", "", text, flags=re.DOTALL)
        assert "sharp" in body.lower()
        assert "warm" not in body.lower() and "steps" not in body and "Dose" not in body


def test_terminal_format_to_a_file_is_plain_text():
    text = render_bytes(plan(), "terminal", RenderOptions()).decode()
    assert text.startswith("Your home exercise plan\n") and "\x1b[" not in text


def test_a_clinic_template_cannot_reach_python_or_the_shell(tmp_path):
    marker = tmp_path / "ran"
    (tmp_path / "_footer.html.j2").write_text(
        "<footer>{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}</footer>"
    )
    with pytest.raises(BackplanError, match="refused") as info:
        render_html(plan(), RenderOptions(templates_dir=tmp_path))
    assert info.value.exit_code == 2
    assert not marker.exists()


def test_a_clinic_template_cannot_include_a_link_leaving_its_folder(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "passwd.html").symlink_to(secret)
    (folder / "_footer.html.j2").write_text('<footer>{% include "passwd.html" %}</footer>')
    with pytest.raises(BackplanError, match="outside the templates folder") as info:
        render_html(plan(), RenderOptions(templates_dir=folder))
    assert "root:x" not in str(info.value)
    # a link to a file inside the folder is still fine
    (folder / "inside.html").write_text("<p>our own words</p>")
    (folder / "link.html").symlink_to(folder / "inside.html")
    (folder / "_footer.html.j2").write_text('<footer>{% include "link.html" %}</footer>')
    assert "our own words" in render_html(plan(), RenderOptions(templates_dir=folder))


def test_a_number_stays_on_the_line_of_its_unit():
    from backplan.render.html import with_units

    assert with_units("Step 10 cm back, hold 30 seconds, 2 segundos; 12 steps") == (
        "Step 10\u00a0cm back, hold 30\u00a0seconds, 2\u00a0segundos; 12 steps"
    )
    page = render_html(plan(), RenderOptions())
    assert "60\u00a0s</td>" in page  # the dose grid's rest, never "60 / s"


def test_steps_split_so_the_taller_column_is_as_short_as_can_be():
    from backplan.render.html import balanced_halves

    assert balanced_halves([]) == ([], [])
    assert balanced_halves(["one"]) == (["one"], [])
    long, short = "x" * 100, "y" * 10  # 3 lines and 1 line in a column
    assert balanced_halves([long, short, short, short, short]) == ([long, short], [short] * 3)
