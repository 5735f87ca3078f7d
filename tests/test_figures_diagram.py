"""The angle picture in docs/pose-format.md is drawn by the renderer and kept up to date."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from golden import assert_golden

from backplan.figures.diagram import ANGLES, angle_diagram

DOCS = Path(__file__).resolve().parents[1] / "docs"
PICTURE = DOCS / "images" / "pose-angles.svg"


def test_the_committed_picture_is_what_the_renderer_draws():
    assert_golden(PICTURE, angle_diagram())


def test_the_picture_labels_every_angle_the_docs_table_names():
    root = ET.fromstring(angle_diagram())
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for name, value in ANGLES.items():
        assert f"{name} {value:+d}" in labels
    table = (DOCS / "pose-format.md").read_text(encoding="utf-8")
    assert "images/pose-angles.svg" in table
    for name in ANGLES:
        assert f"| `{name}` |" in table, name
