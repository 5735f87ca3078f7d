"""Geometry helpers: refitting an outline with fewer curves keeps its shape and its samples."""

from __future__ import annotations

from backplan.figures.geometry import _bezier, dist, mapped, simplified, smooth
from backplan.figures.skeleton import FOOT, TORSO_BACK, TORSO_FRONT


def _curve_points(commands: list[tuple], per: int = 24) -> list[tuple[float, float]]:
    out, here = [], (0.0, 0.0)
    for c in commands:
        if c[0] == "M":
            here = c[1]
        elif c[0] == "C":
            out += [_bezier(here, c[1], c[2], c[3], k / per) for k in range(per + 1)]
            here = c[3]
    return out


def test_simplified_outlines_have_fewer_curves_and_stay_within_the_tolerance():
    for points in (FOOT, [(v, u) for u, v in TORSO_BACK + TORSO_FRONT]):
        shape = smooth(points)
        fewer = simplified(shape, 0.4)
        curves = [c for c in fewer.commands if c[0] == "C"]
        assert len(curves) < len([c for c in shape.commands if c[0] == "C"]) - 2
        assert fewer.samples == shape.samples  # the checks see the same body
        assert fewer.commands[0] == shape.commands[0] and fewer.commands[-1] == ("Z",)
        drawn = _curve_points(fewer.commands, 200)
        for p in _curve_points(shape.commands):
            assert min(dist(p, q) for q in drawn) < 0.45


def test_simplified_leaves_lines_and_arcs_alone():
    shape = smooth([(0, 0), (10, 0), (10, 10), (0, 10)])
    line_only = type(shape)([("M", (0, 0)), ("L", (5, 0)), ("A", 2.0, False, (5, 4)), ("Z",)])
    assert simplified(line_only, 0.4).commands == line_only.commands
    assert simplified(shape, 0.0).commands == shape.commands


def test_mapped_moves_every_point():
    moved = mapped(
        [("M", (1, 2)), ("C", (1, 2), (3, 4), (5, 6)), ("Z",)], lambda p: (p[0] + 1, p[1])
    )
    assert moved == [("M", (2, 2)), ("C", (2, 2), (4, 4), (6, 6)), ("Z",)]
