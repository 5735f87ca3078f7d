"""Real PDF renders (about a second each): kept to a handful."""

import io
import subprocess
import sys

import pytest
from plan_fixtures import DATE, HOSTILE, clinic, emergency_stop, long_plan
from pypdf import PdfReader

from backplan.errors import BackplanError
from backplan.intake.answers import Answers
from backplan.library.catalogue import load_library
from backplan.planning.outcome import Patient, Reason, Stop
from backplan.planning.selection import MAX_WARMUPS, select
from backplan.render import RenderOptions, pdf, render_pdf

pytestmark = pytest.mark.pdf


@pytest.fixture
def policies(monkeypatch):
    """Every FetchPolicy a render uses, to see what was fetched and what was refused."""
    seen = []
    real = pdf.make_fetcher

    def spy(policy):
        seen.append(policy)
        return real(policy)

    monkeypatch.setattr(pdf, "make_fetcher", spy)
    return seen


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _alts(node, found):
    node = node.get_object()
    if hasattr(node, "keys"):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _alts(kid, found)
    return found


@pytest.fixture(scope="module")
def logo(tmp_path_factory):
    from PIL import Image

    path = tmp_path_factory.mktemp("clinic") / "logo.png"
    Image.new("RGB", (40, 20), "navy").save(path)
    return path


def test_four_exercise_handout_fits_three_pages_tagged_with_every_step(logo, policies):
    options = RenderOptions(clinic=clinic().model_copy(update={"logo": logo}))
    plan = long_plan()
    reader = PdfReader(io.BytesIO(render_pdf(plan, options)))
    assert len(reader.pages) <= 3
    text = _text(reader)
    for item in (*plan.warmup, *plan.exercises):
        assert item.name in text
        for step in item.steps:
            assert " ".join(step.split()) in text, step
    assert "Stop and call us if" in text and f"Page 1 of {len(reader.pages)}" in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"
    assert reader.metadata.title == "Your home exercise plan: Maria Lopez"
    assert reader.metadata.author == "Bayside Chiropractic"
    alts = _alts(root["/StructTreeRoot"], [])
    assert "Bayside Chiropractic logo" in alts
    assert any("Cable Pull-Through" in alt for alt in alts)
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Atkinson" in f for f in fonts)
    assert reader.pages[0].mediabox.width == 612  # US Letter
    assert any(str(logo) in url for p in policies for url in p.fetched)
    assert all(p.refused == [] for p in policies)


def _longest_builtin_plan(lang: str):
    """The most text the built-in library can put in a four-exercise plan in `lang`: its
    longest warm-ups, the longest back-safe exercise of each pattern, eased doses and the
    moderate-pain note, a long name, the clinician."""
    library = load_library([])

    def size(exercise):
        text = exercise.text(lang)
        when = text.progression.when if text.progression and text.progression.when else ""
        full_width = len(" ".join((text.name, *text.cues, *text.mistakes, when)))
        # the reason runs beside the figure and the steps in two columns: in lines, each of
        # their characters costs about twice one that runs across the page
        return full_width + 2 * len(" ".join((text.why or "", *text.steps)))

    ordered = sorted(library.exercises.values(), key=lambda e: (-size(e), e.id))
    warmups = [e.id for e in ordered if e.kind == "warmup"][:MAX_WARMUPS]
    longest = {}
    for exercise in ordered:
        if exercise.kind == "modified":
            longest.setdefault(exercise.pattern, exercise.id)
    answers = Answers(
        patient={"name": "Maria Guadalupe Fernández-López", "age": 46},
        sharp_pain=False,
        pain=5,
        red_flags=[],
        equipment=sorted(library.vocabulary.equipment),
        level="advanced",
        clinician="Dr. Ana Ruiz, DC",
        add=[*warmups, *longest.values()],
        lang=lang,
    )
    plan = select(answers, library, date=DATE, lang=lang)
    assert [w.id for w in plan.warmup] == warmups
    assert sorted(i.id for i in plan.exercises) == sorted(longest.values())
    assert len(plan.exercises) == 4 and all(i.figure for i in (*plan.warmup, *plan.exercises))
    return plan


# Spanish runs about a sixth longer than English. Letter with the letterhead leaves the least
# room; each case is a real render (about a second), so four cover language, paper and header.
@pytest.mark.parametrize(
    ("lang", "paper", "letterhead"),
    [("en", "letter", True), ("en", "a4", False), ("es", "letter", True), ("es", "a4", False)],
)
def test_the_longest_builtin_plan_fits_three_pages(lang, paper, letterhead):
    from backplan import i18n

    plan = _longest_builtin_plan(lang)
    gettext = i18n.words(lang).gettext
    options = RenderOptions(paper=paper, clinic=clinic() if letterhead else None, lang=lang)
    reader = PdfReader(io.BytesIO(render_pdf(plan, options)))
    assert len(reader.pages) <= 3
    # each page's text read once (pypdf takes about a fifth of a second a page)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages).replace("- ", "-")  # a line broken after "shoulder-"
    for item in (*plan.warmup, *plan.exercises):
        assert item.name in text
        # each block leads with what it does for the back (its purpose), else its reason
        for words in (item.purpose or item.why or "", *item.steps, *item.cues, *item.mistakes):
            assert " ".join(words.split()).replace("- ", "-") in text, words
    call = "Stop and call us if" if letterhead else "Stop and call your chiropractor if"
    for fixed in ("Your log", "Clinician's notes", call):
        assert gettext(fixed) in text
    assert " ".join(plan.notes[0].split()) in text  # the moderate-pain note
    assert ("Your pain is 5 out of 10 (moderate)" in text) == (lang == "en")
    # the clinic (or where to ask) at the foot of every page, in place of a footer at the end
    foot = (
        "Bayside Chiropractic · 305-555-0142" if letterhead else "Questions? Ask your chiropractor."
    )
    for page in pages:
        assert gettext(foot) in page


def test_stop_on_a4_has_the_notice_and_escapes_typed_text(policies):
    stop = Stop(
        "see_clinician",
        (Reason("history_of_cancer", "You have had cancer. " + HOSTILE, "see_clinician"),),
        Patient(HOSTILE),
        DATE,
    )
    reader = PdfReader(io.BytesIO(render_pdf(stop, RenderOptions(paper="a4", clinic=clinic()))))
    text = _text(reader)
    assert "Do not start the exercises" in text and "You have had cancer." in text
    assert '<img src="file:///etc/passwd">' in text  # shown as text, not fetched
    assert "Dose" not in text and "Your log" not in text
    assert round(float(reader.pages[0].mediabox.height)) == 842  # A4
    assert all(p.refused == [] for p in policies)


@pytest.mark.parametrize(
    ("template", "refused"),
    [
        ('<img src="file:///etc/passwd" alt="x">', "file:///etc/passwd"),
        (
            '<link rel="stylesheet" href="http://example.com/evil.css">',
            "http://example.com/evil.css",
        ),
    ],
)
def test_clinic_template_reaching_outside_is_refused(tmp_path, policies, template, refused):
    (tmp_path / "_footer.html.j2").write_text(f"<footer>{template}</footer>")
    with pytest.raises(BackplanError, match="refused") as info:
        render_pdf(emergency_stop(), RenderOptions(templates_dir=tmp_path))
    assert refused in str(info.value)
    assert [url for p in policies for url in p.refused] == [refused]
    assert not any(refused in url for p in policies for url in p.fetched)


def test_attachment_links_are_not_embedded(tmp_path):
    inside = tmp_path / "notes.txt"
    inside.write_text("private clinic file")
    (tmp_path / "_footer.html.j2").write_text(
        f'<footer><link rel="attachment" href="{inside.as_uri()}">'
        f'<a rel="attachment" href="{inside.as_uri()}">notes</a></footer>'
    )
    data = render_pdf(emergency_stop(), RenderOptions(templates_dir=tmp_path))
    reader = PdfReader(io.BytesIO(data))
    assert (
        "/Names" not in reader.trailer["/Root"]
        or "/EmbeddedFiles" not in (reader.trailer["/Root"]["/Names"])
    )
    assert b"private clinic file" not in data


def test_importing_the_renderer_does_not_import_weasyprint():
    code = (
        "import sys, backplan.render, backplan.render.html, backplan.render.terminal;"
        "print('weasyprint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_css_url_with_a_nul_byte_is_refused_not_a_traceback(tmp_path, policies):
    (tmp_path / "handout.css").write_text('p { background: url("file:///a%00b") }')
    with pytest.raises(BackplanError, match="refused to read file:///a%00b"):
        render_pdf(emergency_stop(), RenderOptions(templates_dir=tmp_path))


def test_many_long_plan_notes_split_across_pages_instead_of_piling_up():
    """Issue 13 item 3: the notes block may split (it was a flex box that could not)."""
    from dataclasses import replace

    note = " ".join(f"word{i % 40}" for i in range(400))
    counts = []
    for n in (4, 8):
        plan = replace(long_plan(), notes=tuple(f"note{k} {note}" for k in range(n)))
        reader = PdfReader(io.BytesIO(render_pdf(plan, RenderOptions())))
        first = " ".join(reader.pages[0].extract_text().split())
        assert "Notes" in first and "note0 word0 word1" in first  # starts under the safety box
        counts.append(len(reader.pages))
    # twice the notes, about twice the pages they fill: linear, no page lost to a block
    # that had to move whole to the next page
    assert counts[1] - counts[0] <= counts[0] - 3 + 1
