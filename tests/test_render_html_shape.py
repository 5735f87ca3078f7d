"""A drawing's shape is read from its <svg> tag alone, as it was from the whole drawing; and a
page's own fonts and pictures get their media types (the fonts without `mimetypes`)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from backplan.figures import Figure, render_pose
from backplan.figures.pose import Pose
from backplan.library.catalogue import load_library
from backplan.render.html import _VIEWBOX, WIDE, data_uri, figure_markup, figure_shape, fonts_dir


def shape_from_the_whole(markup: str) -> str:
    match = _VIEWBOX.search(unquote(markup))
    return "wide" if match and float(match[1]) / float(match[2]) >= WIDE else "tall"


def test_the_built_in_drawings_have_the_shape_their_whole_drawing_gives():
    library = load_library([])
    shapes = set()
    for exercise in library.exercises.values():
        if isinstance(exercise.pose, Pose):
            svg = render_pose(exercise.pose, exercise.name, "en", exercise.kind == "warmup")
            markup = str(figure_markup(Figure(alt=exercise.name, svg=svg)))
            assert figure_shape(markup) == shape_from_the_whole(markup), exercise.id
            shapes.add(figure_shape(markup))
    assert shapes == {"wide", "tall"}  # both kinds are checked


@pytest.mark.parametrize("prolog", ["", '<?xml version="1.0"?>\n', "<!-- a > b -->"])
def test_a_prolog_before_the_svg_tag_changes_nothing(prolog):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><path d="M0 0"/></svg>'
    markup = str(figure_markup(Figure(alt="Wide", svg=prolog + svg)))
    assert figure_shape(markup) == "wide"
    tall = re.sub(r'viewBox="[^"]*"', 'viewBox="0 0 100 300"', prolog + svg)
    assert figure_shape(str(figure_markup(Figure(alt="Tall", svg=tall)))) == "tall"


def test_fonts_and_pictures_get_their_media_types(tmp_path):
    font = next(fonts_dir().glob("*.ttf"))
    assert data_uri(font).startswith("data:font/ttf;base64,")
    picture = tmp_path / "logo.PNG"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert data_uri(picture).startswith("data:image/png;base64,")
    odd = tmp_path / "notes.unknownsuffix"
    odd.write_bytes(b"x")
    assert data_uri(odd).startswith("data:application/octet-stream;base64,")
