"""Geometry helpers: refitting an outline with fewer curves keeps its shape and its samples;
a part drawn from its middle (`core`) with a wide round stroke paints the part's outline."""

from __future__ import annotations

import pytest

from backplan.figures.geometry import (
    Pt,
    Shape,
    _bezier,
    capsule,
    circle,
    core,
    dist,
    mapped,
    signed_area,
    simplified,
    smooth,
)
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


def _to_core(p: Pt, middle: Shape) -> float:
    """How far `p` is from the region the core's lines enclose (0 inside a closed one)."""
    if len(middle.discs) == 1:  # a circle's core is a smaller circle
        ((c, radius),) = middle.discs
        return max(0.0, dist(p, c) - radius)
    pts: list[Pt] = []
    for c in middle.commands:  # the lines, and each curve as 24 short ones
        if c[0] in ("M", "L"):
            pts.append(c[1])
        elif c[0] == "C":
            pts += [_bezier(pts[-1], c[1], c[2], c[3], k / 24) for k in range(1, 25)]
    closed = middle.commands[-1] == ("Z",)
    edges = list(zip(pts, pts[1:] + pts[:1] if closed else pts[1:], strict=True))

    def seg(a: Pt, b: Pt) -> float:
        ab = (b[0] - a[0], b[1] - a[1])
        n = ab[0] ** 2 + ab[1] ** 2
        t = (
            0.0
            if n == 0
            else max(0.0, min(1.0, ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / n))
        )
        return dist(p, (a[0] + t * ab[0], a[1] + t * ab[1]))

    inside = False
    if closed:  # even-odd ray cast
        for a, b in edges:
            if (a[1] > p[1]) != (b[1] > p[1]):
                x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
                inside ^= x > p[0]
    return 0.0 if inside else min(seg(a, b) for a, b in edges)


def _points(shape: Shape) -> int:
    """The points WeasyPrint reads for the shape: three a curve (arcs are written as one)."""
    return sum({"M": 1, "L": 1, "C": 3, "A": 3, "Z": 0}[c[0]] for c in shape.commands)


def _hull_outline(shape: Shape) -> list[Pt]:
    """The samples of a capsule that lie on its outline (not inside the other disc)."""
    return [
        s
        for s in shape.samples
        if all(dist(s, c) >= r - 1e-6 for c, r in shape.discs)
        and all(
            (s[0] - c[0]) * (q[0] - s[0]) + (s[1] - c[1]) * (q[1] - s[1]) <= 1e-6
            for c, _ in shape.discs
            if abs(dist(s, c) - next(r for cc, r in shape.discs if cc == c)) < 1e-6
            for q in shape.samples
        )
    ]


PARTS = [
    capsule((0, 0), 8.3, (0, -44), 5.4),  # a thigh
    capsule((0, 0), 3.8, (20, -15), 2.6),  # a forearm
    capsule((0, 0), 2.9, (13, 0), 2.2),  # a hand
    circle((5, 5), 10.5),  # a head
]


@pytest.mark.parametrize("shape", PARTS)
def test_a_part_stroked_from_its_core_paints_its_outline(shape):
    r, tolerance = 2.2, 0.4
    middle = core(shape, r, tolerance)
    assert _points(middle) <= 13  # an outlined capsule is 15 points, its arcs written as curves
    for s in _hull_outline(shape):
        # the round stroke reaches r from the core: the outline lies on its edge
        assert abs(_to_core(s, middle) - r) <= tolerance / 2, (s, _to_core(s, middle))


def test_a_joint_the_next_part_draws_is_left_flat_and_the_limb_is_still_whole():
    thigh, shin = capsule((0, 0), 8.3, (0, -44), 5.4), capsule((0, -44), 5.4, (30, -70), 3.7)
    r = 2.2
    alone, flat = core(thigh, r, 0.5), core(thigh, r, 0.5, [shin])
    assert _points(flat) < _points(alone)
    shin_core = core(shin, r, 0.5)
    for s in _hull_outline(thigh):
        assert min(_to_core(s, flat), _to_core(s, shin_core)) <= r + 0.5


def test_the_torso_drawn_from_its_core_keeps_its_outline():
    torso = smooth([(v, u) for u, v in TORSO_BACK + TORSO_FRONT])
    r = 2.2
    middle = core(torso, r, 0.4)
    ends = [c[-1] for c in middle.commands if c[0] != "Z"]
    assert signed_area(ends) < 0  # clockwise like every closed shape: overlaps fill as one
    assert len(middle.commands) < len(torso.commands) * 0.7  # refitted with fewer curves
    for s in torso.samples:
        assert abs(_to_core(s, middle) - r) <= 2 * 0.4, s  # refitted within twice it


def test_a_part_thinner_than_the_stroke_becomes_a_line():
    nose = smooth([(0, 0), (3.7, 2.3), (0, 4.7)])
    middle = core(nose, 2.2, 0.5)
    assert [c[0] for c in middle.commands] == ["M", "L"]
