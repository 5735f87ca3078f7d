"""The tagged PDF checked against the PDF/UA (Matterhorn) points a structure tree shows, with
pikepdf as an independent reader: headings in order, table headers scoped, figures with their
pose's description, running header and footer as artifacts, /Lang and the document title."""

import io
import itertools

import pikepdf
import pytest
from plan_fixtures import DATE, clinic, emergency_stop

from backplan.intake.answers import Answers
from backplan.library.catalogue import load_library
from backplan.planning.selection import select
from backplan.render import RenderOptions, render_html, render_pdf

pytestmark = pytest.mark.pdf


def _elements(node, found):
    """Every structure element under `node`, in reading order."""
    if isinstance(node, pikepdf.Array):
        for kid in node:
            _elements(kid, found)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        found.append(node)
        if "/K" in node:
            _elements(node.K, found)
    return found


def _artifact_text_shows(page) -> int:
    """How many text-showing operators sit inside /Artifact marked content on `page`."""
    stack: list[str] = []
    shows = 0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            stack.append(str(operands[0]))
        elif op == "EMC" and stack:
            stack.pop()
        elif op in ("Tj", "TJ", "'", '"') and "/Artifact" in stack:
            shows += 1
    return shows


@pytest.fixture(scope="module")
def spanish_plan():
    library = load_library([])
    answers = Answers(
        patient={"name": "Marta Ruiz", "age": 38},
        sharp_pain=False,
        pain=2,
        red_flags=[],
        equipment=["mat", "resistance_band", "sturdy_support"],
        lang="es",
    )
    return select(answers, library, date=DATE, lang="es")


@pytest.fixture(scope="module")
def tagged(spanish_plan, tmp_path_factory):
    from PIL import Image

    logo = tmp_path_factory.mktemp("clinic") / "logo.png"
    Image.new("RGB", (300, 100), "navy").save(logo)
    options = RenderOptions(clinic=clinic().model_copy(update={"logo": logo}), lang="es")
    return pikepdf.open(io.BytesIO(render_pdf(spanish_plan, options)))


def test_language_title_and_pdf_ua_identification(tagged):
    root = tagged.Root
    assert str(root.Lang) == "es"
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    assert bool(root.MarkInfo.Marked) is True
    with tagged.open_metadata() as meta:
        assert meta.get("pdfuaid:part") == "1"
        assert meta.get("dc:title") == "Su plan de ejercicios en casa: Marta Ruiz"


def test_headings_start_at_h1_and_never_skip_a_level(tagged):
    levels = [
        int(str(e.S)[2:])
        for e in _elements(tagged.Root.StructTreeRoot.K, [])
        if str(e.S)[1:2] == "H"
    ]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def test_every_table_header_cell_has_a_scope(tagged):
    elements = _elements(tagged.Root.StructTreeRoot.K, [])
    headers = [e for e in elements if e.S == "/TH"]
    assert len(headers) > 20  # the log's days and rows, each dose grid's labels
    scopes = {str(e.A.Scope) for e in headers}
    assert scopes == {"/Column", "/Row"}  # the log names its rows
    cells = [e for e in elements if e.S == "/TD"]
    assert cells and all(len(e.A.Headers) >= 1 for e in cells)


def test_figures_are_described_by_their_pose(tagged, spanish_plan):
    figures = [e for e in _elements(tagged.Root.StructTreeRoot.K, []) if e.S == "/Figure"]
    alts = [str(f.Alt) for f in figures]
    assert all(alt.strip() for alt in alts)
    assert "Logotipo de Bayside Chiropractic" in alts
    for item in (*spanish_plan.warmup, *spanish_plan.exercises):
        # the name, then what the drawing shows: not the heading repeated
        alt = next(a for a in alts if a.startswith(f"{item.name}: "))
        assert len(alt) > len(item.name) + 30


def test_patient_block_is_a_paragraph_and_the_running_header_an_artifact(tagged):
    elements = _elements(tagged.Root.StructTreeRoot.K, [])
    tags = [str(e.S) for e in elements]
    h1, first_h2 = tags.index("/H1"), tags.index("/H2")
    # between the title and the safety box: the patient, date and clinician as a paragraph
    assert "/P" in tags[h1:first_h2] and "/L" not in tags[h1:first_h2]
    assert "/LI" not in tags[:h1]  # nothing list-like (or hidden) read before the title
    # the patient's name at the top and the clinic at the foot of page 2 are artifacts
    assert _artifact_text_shows(tagged.pages[1]) >= 3  # name, clinic and phone, page number


def test_the_html_hides_nothing_a_reader_would_still_get(spanish_plan):
    page = render_html(spanish_plan, RenderOptions(clinic=clinic(), lang="es"))
    assert "aria-hidden" not in page and "running-patient" not in page
    assert "<dl" not in page


def test_a_stop_notice_is_tagged_too():
    reader = pikepdf.open(io.BytesIO(render_pdf(emergency_stop(), RenderOptions())))
    tags = [str(e.S) for e in _elements(reader.Root.StructTreeRoot.K, [])]
    assert tags.index("/H1") < tags.index("/H2") < tags.index("/H3")
    assert str(reader.Root.Lang) == "en"
