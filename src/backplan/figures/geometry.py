"""Plane geometry for the figures: points, directions, and outlined shapes with sample points.

World coordinates are centimetres with y pointing up and the floor at y = 0. A direction
`phi` is measured in degrees from straight down, turning towards the front (+x): 0 is down,
90 forward, 180 up, -90 backward.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Pt = tuple[float, float]


def direction(phi: float) -> Pt:
    r = math.radians(phi)
    return (math.sin(r), -math.cos(r))


def phi_of(v: Pt) -> float:
    return math.degrees(math.atan2(v[0], -v[1]))


def add(p: Pt, q: Pt, k: float = 1.0) -> Pt:
    return (p[0] + k * q[0], p[1] + k * q[1])


def sub(p: Pt, q: Pt) -> Pt:
    return (p[0] - q[0], p[1] - q[1])


def dist(p: Pt, q: Pt) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def along(p: Pt, phi: float, length: float) -> Pt:
    return add(p, direction(phi), length)


def rotate(p: Pt, centre: Pt, degrees: float) -> Pt:
    r = math.radians(degrees)
    x, y = p[0] - centre[0], p[1] - centre[1]
    return (
        centre[0] + x * math.cos(r) - y * math.sin(r),
        centre[1] + x * math.sin(r) + y * math.cos(r),
    )


_UNIT_CIRCLE = [(math.cos(2 * math.pi * i / 24), math.sin(2 * math.pi * i / 24)) for i in range(24)]


def circle_samples(c: Pt, r: float) -> list[Pt]:
    cx, cy = c
    return [(cx + r * x, cy + r * y) for x, y in _UNIT_CIRCLE]


@dataclass
class Shape:
    """An outlined shape: SVG path commands in world coordinates plus points for the checks.

    Commands are ("M", p), ("L", p), ("C", p1, p2, p3), ("A", r, large, p) (a clockwise
    arc, in y-up coordinates) and ("Z",). Closed shapes run clockwise so that several of
    them filled as one path make a union.
    """

    commands: list[tuple] = field(default_factory=list)
    samples: list[Pt] = field(default_factory=list)
    discs: list[tuple[Pt, float]] = field(default_factory=list)  # a capsule: their hull

    def lowest(self) -> float:
        return min(p[1] for p in self.samples)

    def shifted(self, dx: float, dy: float) -> Shape:
        def mv(c: tuple) -> tuple:
            kind = c[0]
            if kind == "A":
                return ("A", c[1], c[2], (c[3][0] + dx, c[3][1] + dy))
            return (kind, *[(p[0] + dx, p[1] + dy) for p in c[1:]])

        return Shape(
            [mv(c) for c in self.commands],
            [(x + dx, y + dy) for x, y in self.samples],
            [((c[0] + dx, c[1] + dy), r) for c, r in self.discs],
        )


def capsule(a: Pt, ra: float, b: Pt, rb: float) -> Shape:
    """A tapered limb: the hull of a circle at each end."""
    d = dist(a, b)
    if d <= abs(ra - rb) + 1e-6:  # one circle swallows the other
        big, r = (a, ra) if ra >= rb else (b, rb)
        return circle(big, r)
    u = ((b[0] - a[0]) / d, (b[1] - a[1]) / d)
    left = (-u[1], u[0])
    c = (ra - rb) / d
    s = math.sqrt(max(0.0, 1 - c * c))
    n1 = (c * u[0] + s * left[0], c * u[1] + s * left[1])
    n2 = (c * u[0] - s * left[0], c * u[1] - s * left[1])
    a1, b1 = add(a, n1, ra), add(b, n1, rb)
    a2, b2 = add(a, n2, ra), add(b, n2, rb)
    commands = [
        ("M", a1),
        ("L", b1),
        ("A", rb, c < 0, b2),
        ("L", a2),
        ("A", ra, c > 0, a1),
        ("Z",),
    ]
    return Shape(commands, circle_samples(a, ra) + circle_samples(b, rb), [(a, ra), (b, rb)])


def circle(c: Pt, r: float) -> Shape:
    top, bottom = (c[0], c[1] + r), (c[0], c[1] - r)
    commands = [("M", top), ("A", r, False, bottom), ("A", r, False, top), ("Z",)]
    return Shape(commands, circle_samples(c, r), [(c, r)])


def signed_area(points: list[Pt]) -> float:
    return 0.5 * sum(
        points[i][0] * points[(i + 1) % len(points)][1]
        - points[(i + 1) % len(points)][0] * points[i][1]
        for i in range(len(points))
    )


def smooth(points: list[Pt], closed: bool = True, samples_per: int = 6) -> Shape:
    """A Catmull-Rom curve through `points` as cubic Béziers (clockwise when closed)."""
    pts = list(points)
    if closed and signed_area(pts) > 0:
        pts.reverse()
    n = len(pts)
    commands: list[tuple] = [("M", pts[0])]
    samples: list[Pt] = []
    last = n if closed else n - 1
    for i in range(last):
        p0 = pts[(i - 1) % n] if closed or i > 0 else pts[i]
        p1, p2 = pts[i], pts[(i + 1) % n]
        p3 = pts[(i + 2) % n] if closed or i + 2 < n else p2
        c1 = add(p1, sub(p2, p0), 1 / 6)
        c2 = add(p2, sub(p3, p1), -1 / 6)
        commands.append(("C", c1, c2, p2))
        for k in range(samples_per):
            t = k / samples_per
            samples.append(_bezier(p1, c1, c2, p2, t))
    if closed:
        commands.append(("Z",))
    else:
        samples.append(pts[-1])
    return Shape(commands, samples)


def polygon(points: list[Pt]) -> Shape:
    pts = list(points)
    if signed_area(pts) > 0:
        pts.reverse()
    commands: list[tuple] = [("M", pts[0]), *[("L", p) for p in pts[1:]], ("Z",)]
    return Shape(commands, pts)


def _bezier(p0: Pt, p1: Pt, p2: Pt, p3: Pt, t: float) -> Pt:
    m = 1 - t
    return (
        m**3 * p0[0] + 3 * m * m * t * p1[0] + 3 * m * t * t * p2[0] + t**3 * p3[0],
        m**3 * p0[1] + 3 * m * m * t * p1[1] + 3 * m * t * t * p2[1] + t**3 * p3[1],
    )


def local(origin: Pt, phi: float, w: float, n: float) -> Pt:
    """The point `w` along direction `phi` from `origin` and `n` to its left (counter-clockwise)."""
    u = direction(phi)
    return (origin[0] + w * u[0] - n * u[1], origin[1] + w * u[1] + n * u[0])


def simplified(shape: Shape, tolerance: float) -> Shape:
    """The same outline drawn with fewer cubic segments: each run of Béziers is refitted,
    merging neighbours while the merged curve stays within `tolerance` (cm) of the
    original. The samples (used by the checks) are kept as they were."""
    out: list[tuple] = []
    run: list[tuple] = []
    here: Pt = (0.0, 0.0)
    run_start = here
    for c in shape.commands:
        if c[0] == "C":
            if not run:
                run_start = here
            run.append(c)
            here = c[3]
            continue
        if run:
            out += _refit(run_start, run, tolerance)
            run = []
        out.append(c)
        if c[0] in ("M", "L"):
            here = c[1]
        elif c[0] == "A":
            here = c[3]
    if run:
        out += _refit(run_start, run, tolerance)
    return Shape(out, shape.samples)


def mapped(commands: list[tuple], f: Callable[[Pt], Pt]) -> list[tuple]:
    """Path commands (lines and curves) with every point passed through `f`."""
    return [(c[0], *[f(p) for p in c[1:]]) for c in commands]


def _refit(start: Pt, run: list[tuple], tolerance: float) -> list[tuple]:
    out: list[tuple] = []
    i, p0 = 0, start
    while i < len(run):
        best, j = run[i], i + 1
        while j < len(run):
            fit = _fit(p0, run[i : j + 1], tolerance)
            if fit is None:
                break
            best, j = fit, j + 1
        out.append(best)
        p0, i = best[3], j
    return out


def _fit(p0: Pt, segments: list[tuple], tolerance: float) -> tuple | None:
    """One cubic from `p0` through `segments`' end, with their end tangents, fitted by least
    squares (Schneider's method with fixed tangents); None if it strays past `tolerance`."""
    points: list[Pt] = []
    a = p0
    for _, c1, c2, b in segments:
        points += [_bezier(a, c1, c2, b, k / 8) for k in range(8)]
        a = b
    p3 = a
    points.append(p3)
    v1 = _unit(sub(segments[0][1], p0)) or _unit(sub(segments[0][3], p0))
    v2 = _unit(sub(segments[-1][2], p3)) or _unit(sub(segments[-1][1], p3))
    if v1 is None or v2 is None:
        return None
    lengths = [0.0]
    for q, r in itertools.pairwise(points):
        lengths.append(lengths[-1] + dist(q, r))
    if lengths[-1] < 1e-9:
        return None
    ts = [s / lengths[-1] for s in lengths]
    c11 = c12 = c22 = x1 = x2 = 0.0
    for t, p in zip(ts, points, strict=True):
        m = 1 - t
        b0, b1, b2, b3 = m**3, 3 * m * m * t, 3 * m * t * t, t**3
        a1, a2 = (v1[0] * b1, v1[1] * b1), (v2[0] * b2, v2[1] * b2)
        rest = (
            p[0] - p0[0] * (b0 + b1) - p3[0] * (b2 + b3),
            p[1] - p0[1] * (b0 + b1) - p3[1] * (b2 + b3),
        )
        c11 += a1[0] * a1[0] + a1[1] * a1[1]
        c12 += a1[0] * a2[0] + a1[1] * a2[1]
        c22 += a2[0] * a2[0] + a2[1] * a2[1]
        x1 += rest[0] * a1[0] + rest[1] * a1[1]
        x2 += rest[0] * a2[0] + rest[1] * a2[1]
    det = c11 * c22 - c12 * c12
    if abs(det) < 1e-12:
        return None
    alpha, beta = (x1 * c22 - x2 * c12) / det, (c11 * x2 - c12 * x1) / det
    if alpha <= 0 or beta <= 0:
        return None
    q1, q2 = add(p0, v1, alpha), add(p3, v2, beta)
    drawn = [_bezier(p0, q1, q2, p3, k / 64) for k in range(65)]
    for t, p in zip(ts, points, strict=True):
        k = round(t * 64)  # the nearest drawn point is close to the same parameter
        near = drawn[max(0, k - 8) : k + 9]
        if min(_to_segment(p, q, r) for q, r in itertools.pairwise(near)) > tolerance:
            return None
    return ("C", q1, q2, p3)


def _to_segment(p: Pt, a: Pt, b: Pt) -> float:
    ab = sub(b, a)
    n = ab[0] * ab[0] + ab[1] * ab[1]
    t = (
        0.0
        if n < 1e-12
        else max(0.0, min(1.0, ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / n))
    )
    return dist(p, add(a, ab, t))


def _unit(v: Pt) -> Pt | None:
    n = math.hypot(v[0], v[1])
    return None if n < 1e-9 else (v[0] / n, v[1] / n)


def core(shape: Shape, r: float, tolerance: float, drawn: Sequence[Shape] = ()) -> Shape:
    """The shape's middle: lines that, stroked `2 r` wide with round caps and joins (and
    filled), paint `shape` to within `tolerance` cm. A drawing made of these has a few
    points a part where the outline has dozens of curve points, and WeasyPrint reads every
    one in Python each time it lays a handout out. A capsule's end inside a shape `drawn`
    anyway (a knee's disc by the shin, an ankle's by the foot) is left flat: its points
    would paint nothing."""
    if len(shape.discs) == 1:
        ((c, radius),) = shape.discs
        return circle(c, radius - r) if radius - r > tolerance else _segment(c, c)
    if shape.discs:
        return _disc_hull(shape.discs, r, tolerance, drawn)
    if isinstance(shape, Middle) or not shape.commands:
        return shape
    # refitted within twice the tolerance: a long, gently bent edge hides an error a joint's
    # round end would show
    inner = simplified(Shape(_offset(shape.commands, r)), 2 * tolerance).commands
    ends = [c[-1] for c in inner if c[0] != "Z"]
    if signed_area(ends) > -r * r:  # thinner than the stroke: its longest chord will do
        a, b = max(itertools.combinations(shape.samples, 2), key=lambda pq: dist(pq[0], pq[1]))
        u = _unit(sub(b, a)) or (1.0, 0.0)
        return _segment(add(a, u, r), add(b, u, -r))
    return Shape(inner, ends)


@dataclass
class Middle(Shape):
    """Lines that are already the middle of a part (see `core`), drawn as they are."""


def _offset(commands: list[tuple], r: float) -> list[tuple]:
    """A clockwise outline of lines and curves moved `r` inwards, each curve by its control
    polygon (Tiller and Hanson): close enough where the outline bends gently."""
    out: list[tuple] = []
    here: Pt = (0.0, 0.0)
    for c in commands:
        if c[0] == "M":
            here = c[1]
            continue
        if c[0] == "Z":
            out.append(c)
            continue
        pts = [here, *c[1:]]
        normals = [_inward(a, b) for a, b in itertools.pairwise(pts)]
        moved = [add(pts[0], normals[0], r)]
        for i in range(1, len(pts) - 1):
            moved.append(_meet(pts[i], normals[i - 1], normals[i], r))
        moved.append(add(pts[-1], normals[-1], r))
        if not out:
            out.append(("M", moved[0]))
        out.append((c[0], *moved[1:]))
        here = c[-1]
    return out


def _inward(a: Pt, b: Pt) -> Pt:
    """The normal of a->b on its right: inside a clockwise outline (y up)."""
    u = _unit(sub(b, a)) or (1.0, 0.0)
    return (u[1], -u[0])


def _meet(p: Pt, n1: Pt, n2: Pt, r: float) -> Pt:
    """Where the lines through p's two edges meet once each is moved r along its normal."""
    mid = _unit((n1[0] + n2[0], n1[1] + n2[1])) or n1
    cos = mid[0] * n1[0] + mid[1] * n1[1]
    return add(p, mid, r / max(cos, 0.5))  # a sharp corner: no spike


def _segment(a: Pt, b: Pt) -> Shape:
    if dist(a, b) < 0.15:  # a line of zero length once rounded to 0.1 cm may draw nothing
        b = add(a, (0.15, 0.0))
    return Shape([("M", a), ("L", b)], [a, b])


def _disc_hull(
    discs: list[tuple[Pt, float]], r: float, tolerance: float, drawn: Sequence[Shape]
) -> Shape:
    """A capsule's hull shrunk by `r`: a line between its centres where it is thin, else
    two tangent lines and a round end (arcs as cubic curves, so the joints stay round)
    at each disc, or a straight one where a neighbour `drawn` covers that disc."""
    (a, ra), (b, rb) = discs
    da, db = (max(0.0, radius - r) for radius in (ra, rb))
    da, db = (0.0 if d <= tolerance / 2 else d for d in (da, db))
    length = dist(a, b)
    if da == db == 0.0:
        return _segment(a, b)
    if length <= abs(da - db) + 1e-6:  # one disc swallows the other
        return circle(a, da) if da >= db else circle(b, db)
    flat_a, flat_b = (any(_covers(o, c, rc, tolerance) for o in drawn) for c, rc in discs)
    u = ((b[0] - a[0]) / length, (b[1] - a[1]) / length)
    beta = math.acos(max(-1.0, min(1.0, (da - db) / length)))  # tangent side from u
    phi = math.atan2(u[1], u[0])

    def at(c: Pt, d: float, angle: float) -> Pt:
        return (c[0] + d * math.cos(angle), c[1] + d * math.sin(angle))

    a1, b1 = at(a, da, phi + beta), at(b, db, phi + beta)
    commands: list[tuple] = [("M", a1), ("L", b1)]
    if db:  # clockwise round b's far side
        commands += _end(b, db, phi + beta, 2 * beta, flat_b)
    if da:
        commands.append(("L", at(a, da, phi - beta)))
        commands += _end(a, da, phi - beta, 2 * math.pi - 2 * beta, flat_a)
    commands.append(("Z",))
    return Shape(commands, [a1, b1])


ARC_ERROR = 0.15  # cm a joint's round end may stray from its circle
ROUGH_END = 0.6  # cm: rounder than this, an end is drawn as a curve


def _end(c: Pt, radius: float, start: float, sweep: float, flat: bool) -> list[tuple]:
    """The clockwise round end of a capsule's middle from angle `start`, up to its other
    tangent point: cubic curves, each short enough to stay within ARC_ERROR of the circle
    (a cubic's error is about angle**6 / 55296 of the radius); a corner where the circle is
    small; a straight line where a neighbour covers it."""

    def at(angle: float) -> Pt:
        return (c[0] + radius * math.cos(angle), c[1] + radius * math.sin(angle))

    if flat:
        return [("L", at(start - sweep))]
    if radius < ROUGH_END:
        return [("L", at(start - sweep / 2)), ("L", at(start - sweep))]
    n = 1
    while (sweep / n) ** 6 / 55296 * radius > ARC_ERROR:
        n += 1
    step = sweep / n
    h = 4 / 3 * math.tan(step / 4) * radius
    out: list[tuple] = []
    for i in range(n):
        t1, t2 = start - i * step, start - (i + 1) * step
        p1, p2 = at(t1), at(t2)
        out.append(
            (
                "C",
                (p1[0] + h * math.sin(t1), p1[1] - h * math.cos(t1)),
                (p2[0] - h * math.sin(t2), p2[1] + h * math.cos(t2)),
                p2,
            )
        )
    return out


def _covers(shape: Shape, c: Pt, radius: float, tolerance: float) -> bool:
    """Whether the disc lies inside the shape (a capsule's discs, or a closed outline)."""
    if shape.discs:
        return any(dist(c, o) + radius <= r + tolerance for o, r in shape.discs)
    ring = shape.samples
    if not shape.commands or len(ring) < 3:
        return False
    inside = False
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        if (a[1] > c[1]) != (b[1] > c[1]):
            inside ^= a[0] + (c[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]) > c[0]
    edges = zip(ring, ring[1:] + ring[:1], strict=True)
    return inside and min(_to_segment(c, a, b) for a, b in edges) >= radius - tolerance
