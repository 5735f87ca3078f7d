"""`backplan exercises preview ID -o FILE` through CliRunner, and the writer behind it."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.library.catalogue import load_library

runner = CliRunner()
CLINIC = Path(__file__).resolve().parent / "data" / "clinic"

BROKEN_POSE = """\
id: clinic-bridge
name: Clinic Bridge
kind: warmup
pattern: hinge
steps: [Lift your hips.]
cues: [Squeeze.]
dose: {sets: 1, reps: 5}
source: Test.
pose:
  base: supine
  description: Lift the hips.
  start:
    hip: {near: -60}
    ground: [shoulders, hips]
"""


def preview(*args: str):
    return runner.invoke(app, ["exercises", "preview", *args])


def test_svg_is_written_and_names_the_file(tmp_path):
    out = tmp_path / "bridge.svg"
    result = preview("glute-bridge", "-o", str(out))
    assert result.exit_code == 0, result.output
    said = "".join(result.stdout.split())  # a long path wraps at 80 columns
    assert "Wrote" in said and "bridge.svg" in said
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "Glute Bridge"


def test_lang_translates_title_and_description(tmp_path):
    out = tmp_path / "x.svg"
    assert preview("cat-cow", "-o", str(out), "--lang", "es").exit_code == 0
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    pose = load_library().exercises["cat-cow"].pose
    assert pose is not None and pose.description.es
    assert root.findtext("{http://www.w3.org/2000/svg}desc") == pose.description.es
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "Gato-vaca"


@pytest.mark.pdf
def test_pdf_goes_through_weasyprint(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "plank.pdf"
    result = preview("rkc-plank-pulses", "-o", str(out))
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert "RKC Plank Pulses" in reader.pages[0].extract_text()


def test_png_without_pdftoppm_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = preview("squat", "-o", str(tmp_path / "squat.png"))
    assert result.exit_code == 2
    assert "pdftoppm" in result.stderr and "poppler" in result.stderr
    assert not (tmp_path / "squat.png").exists()


def test_an_unknown_suffix_is_refused(tmp_path):
    result = preview("squat", "-o", str(tmp_path / "squat.jpg"))
    assert result.exit_code == 2
    assert "end the file name with .svg, .pdf or .png" in result.stderr


def test_an_unknown_id_is_refused_with_a_suggestion(tmp_path):
    result = preview("glute-brige", "-o", str(tmp_path / "x.svg"))
    assert result.exit_code == 2
    assert "did you mean `glute-bridge`" in result.stderr


def test_an_exercise_with_its_own_picture_has_nothing_to_draw(tmp_path):
    result = preview("foam-roller-bridge", "-L", str(CLINIC), "-o", str(tmp_path / "x.svg"))
    assert result.exit_code == 2
    assert "uses its own picture" in result.stderr


def test_a_broken_clinic_pose_is_drawn_and_its_problems_listed(tmp_path):
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "clinic-bridge.yaml").write_text(BROKEN_POSE, encoding="utf-8")
    out = tmp_path / "bridge.svg"
    result = preview("clinic-bridge", "--library", str(folder), "-o", str(out))
    assert result.exit_code == 1
    assert out.is_file()
    assert "clinic-bridge.yaml:13:" in result.stderr
    assert "below the floor" in result.stderr


@pytest.mark.parametrize("lang", ["fr", "english"])
def test_an_unknown_language_is_refused(tmp_path, lang):
    result = preview("squat", "-o", str(tmp_path / "x.svg"), "--lang", lang)
    assert result.exit_code == 2
    assert "use one of en, es" in result.stderr
