"""The handout's layout over a fixed grid of extremes, read back from the PDF's text boxes
(pdftotext -bbox-layout): every word at least 8 mm from the paper's edges, the running header
and footer at least 10 mm, the letterhead whole (name, hours, web address), the log on page 1,
and the planned number of pages with no nearly empty last page.

The grid: three clinics (the seed clinic's split hours and a 300x100 logo; an 80-character
name, seven lines of hours, a tall logo and a long web address; a short name and a square
logo) and none, English and Spanish, Letter and A4, normal and large print: eight renders
chosen so that each value of each axis appears, its hardest partner beside it.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from plan_fixtures import DATE

from backplan.clinic.profile import Clinic, Hours
from backplan.intake.answers import Answers
from backplan.library.catalogue import load_library
from backplan.planning.selection import select
from backplan.render import RenderOptions, render_pdf

pytestmark = pytest.mark.pdf

if shutil.which("pdftotext") is None:
    pytest.skip(
        "pdftotext (poppler-utils) is needed to read the PDF's text boxes", allow_module_level=True
    )

MM = 72 / 25.4
LONG_NAME = "Centro Integral de Quiropráctica y Rehabilitación Física del Valle de San Fernando"[
    :80
]
LONG_URL = "https://www.centrointegralquiropractica.example.mx/pacientes/ejercicios-en-casa"
PATIENTS = {
    "en": "Maria Lopez",
    "es": "María Guadalupe Fernández-López de la Torre y Villaseñor",
}


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(pdf: bytes, tmp_path: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word with its box, and each page's size, in points from the top left."""
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes, found = [], []
    for number, page in enumerate(re.split(r"<page ", out)[1:]):
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', page)
        assert size
        sizes.append((float(size[1]), float(size[2])))
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            found.append(Word(number, float(x0), float(y0), float(x1), float(y1), text))
    return found, sizes


def logo(folder: Path, shape: str) -> Path:
    from PIL import Image

    size = {"wide": (300, 100), "tall": (100, 300), "square": (200, 200)}[shape]
    path = folder / f"{shape}.png"
    Image.new("RGB", size, "navy").save(path)
    return path


def clinic(kind: str, folder: Path) -> Clinic | None:
    if kind == "seed":
        split = "9:00 am-12:30 pm, 3:30 pm-7:00 pm"
        return Clinic(
            name="Bayside Chiropractic",
            address="12 Ocean Drive, Miami Beach, FL 33139",
            phone="305-555-0142",
            email="desk@bayside.example",
            hours=(
                Hours(
                    days="Mon, Wed, Fri",
                    times=split,
                    translations={
                        "es": {"days": "lun, mié, vie", "times": "9:00-12:30, 15:30-19:00"}
                    },
                ),
                Hours(days="Tue, Thu", times=split),
                Hours(days="Sat", times="9:00 am-1:00 pm"),
            ),
            logo=logo(folder, "wide"),
        )
    if kind == "extreme":
        days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        return Clinic(
            name=LONG_NAME,
            address="Avenida de los Insurgentes Sur 1234, Piso 5, Consultorio 502, CDMX",
            phone="+52 55 5555 0142 ext. 204",
            email="recepcion@centrointegralquiropractica.example.mx",
            website=LONG_URL,
            hours=tuple(Hours(days=d, times="8:00 am-1:00 pm, 4:00 pm-8:30 pm") for d in days),
            clinician="Dra. María de los Ángeles Hernández-Villaseñor, DC",
            logo=logo(folder, "tall"),
        )
    if kind == "plain":
        return Clinic(name="Back Care", phone="555 0199", logo=logo(folder, "square"))
    return None


def plan(lang: str):
    answers = Answers(
        patient={"name": PATIENTS[lang], "age": 46},
        sharp_pain=False,
        pain=3,
        red_flags=[],
        equipment=["mat", "resistance_band", "sturdy_support"],
        clinician="Dr. Ana Ruiz, DC",
        lang=lang,
    )
    return select(answers, load_library([]), date=DATE, lang=lang)


# (clinic, language, paper, large print, the most pages planned)
GRID = [
    ("seed", "en", "letter", False, 3),
    ("seed", "es", "a4", True, 8),
    ("extreme", "es", "a4", False, 3),
    ("extreme", "en", "letter", True, 8),
    ("extreme", "es", "letter", False, 3),
    ("plain", "en", "a4", False, 3),
    ("plain", "es", "letter", True, 8),
    ("none", "es", "letter", False, 3),
]


@pytest.fixture(scope="module")
def plans():
    return {lang: plan(lang) for lang in ("en", "es")}


@pytest.mark.parametrize(("kind", "lang", "paper", "large", "planned"), GRID)
def test_the_handout_stays_inside_the_printable_area_and_its_planned_pages(
    plans, tmp_path, kind, lang, paper, large, planned
):
    from backplan import i18n

    the_plan = plans[lang]
    profile = clinic(kind, tmp_path)
    options = RenderOptions(paper=paper, clinic=profile, lang=lang, large_print=large)
    found, sizes = words(render_pdf(the_plan, options), tmp_path)
    pages = len(sizes)
    assert pages <= planned, pages

    for w in found:  # no text within 8 mm of any edge
        width, height = sizes[w.page]
        assert w.x0 >= 8 * MM and w.y0 >= 8 * MM, w
        assert w.x1 <= width - 8 * MM and w.y1 <= height - 8 * MM, w

    # the running header (pages 2 on) and footer (every page) at least 10 mm in
    for page, (_width, height) in enumerate(sizes):
        on_page = [w for w in found if w.page == page]
        top, bottom = min(w.y0 for w in on_page), max(w.y1 for w in on_page)
        assert bottom <= height - 10 * MM, (page, bottom)
        if page:  # page 1 has no running header: its letterhead only keeps the 8 mm
            assert top >= 10 * MM, (page, top)
        footer = [w for w in on_page if w.y0 > height - 16 * MM]
        assert footer, page  # the clinic (or where to ask) and the page number
        if page:
            surname = PATIENTS[lang].split()[-1]
            assert any(w.text == surname and w.y1 < 16 * MM for w in on_page), page

    text = " ".join(w.text for w in found)
    log_word = i18n.words(lang).gettext("Your log").split()[-1]
    log_page = next(w.page for w in found if w.text == log_word)
    if not large:
        assert log_page == 0  # the log shares page 1 with the warm-up, long name or not
    if profile is not None:
        distinctive = {t for t in profile.name.split() if len(t) >= 6} or set(profile.name.split())
        name = [w for w in found if w.page == 0 and w.y0 < 45 * MM and w.text in distinctive]
        assert name and len({round(w.y0) for w in name}) <= 2  # the name in at most 2 lines
        for days, times in profile.hours_in(lang):
            assert f"{days.split()[-1]}" in text
            assert times.split()[-1] in text  # "7:00 pm", never "7:00 p"
    if profile is not None and profile.website:
        # the web address whole, broken only after a slash or before a dot, never after "://"
        start = next(i for i, w in enumerate(found) if w.text.startswith("https://"))
        pieces: list[str] = []
        for w in found[start:]:
            pieces.append(w.text)
            if len("".join(pieces)) >= len(LONG_URL):
                break
        assert "".join(pieces) == LONG_URL and pieces[0] != "https://", pieces
        assert all(p.endswith("/") or q.startswith(".") for p, q in itertools.pairwise(pieces))

    if large:  # 14 pt text (a 17 pt word box) in lines of at most 75 characters
        lines: dict[tuple[int, int], list[Word]] = {}
        for w in found:
            lines.setdefault((w.page, round(w.y1)), []).append(w)
        body = [ws for ws in lines.values() if min(w.y1 - w.y0 for w in ws) >= 15]
        assert len(body) > 100
        long_lines = [" ".join(w.text for w in ws) for ws in body]
        assert [t for t in long_lines if len(t) > 75] == []
        share_14pt = sum(min(w.y1 - w.y0 for w in ws) >= 14 * 1.2 for ws in body) / len(body)
        assert share_14pt > 0.9

    # the last page carries at least a third of a page, or the closer layout could not help
    last = [w for w in found if w.page == pages - 1 and w.y0 < sizes[-1][1] - 16 * MM]
    height = sizes[-1][1]
    used = (max(w.y1 for w in last) - min(w.y0 for w in last)) / (height - 27 * MM)
    assert pages == 1 or used >= 1 / 3 or large, used
