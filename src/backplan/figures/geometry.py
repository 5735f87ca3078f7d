"""Plane geometry for the figures: points, directions, and outlined shapes with sample points.

World coordinates are centimetres with y pointing up and the floor at y = 0. A direction
`phi` is measured in degrees from straight down, turning towards the front (+x): 0 is down,
90 forward, 180 up, -90 backward.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
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


def core(
    shape: Shape, r: float, tolerance: float, drawn: tuple[tuple[Pt, float], ...] = ()
) -> Shape:
    """The shape's middle: lines that, stroked `2 r` wide with round caps and joins (and
    filled), paint `shape` to within `tolerance` cm. A drawing made of these has a few
    points a part where the outline has dozens of curve points, and WeasyPrint reads every
    one in Python each time it lays a handout out. A joint's disc in `drawn` (painted by
    the next part of the limb) is left flat, saving its points a second time."""
    if len(shape.discs) == 1:
        ((c, radius),) = shape.discs
        return circle(c, radius - r) if radius - r > tolerance else _segment(c, c)
    if shape.discs:
        return _disc_hull(shape.discs, r, tolerance, drawn)
    if not shape.commands:
        return Shape()
    ring = _inset(shape.samples, r)
    if signed_area(ring) > -r * r:  # thinner than the stroke: its longest chord will do
        a, b = max(itertools.combinations(shape.samples, 2), key=lambda pq: dist(pq[0], pq[1]))
        u = _unit(sub(b, a)) or (1.0, 0.0)
        return _segment(add(a, u, r), add(b, u, -r))
    pts = _simplify_ring(ring, tolerance)
    return Shape([("M", pts[0]), *[("L", p) for p in pts[1:]], ("Z",)], pts)


def _segment(a: Pt, b: Pt) -> Shape:
    if dist(a, b) < 0.05:  # a zero-length line may draw nothing: make it a short one
        b = add(a, (0.05, 0.0))
    return Shape([("M", a), ("L", b)], [a, b])


def _disc_hull(
    discs: list[tuple[Pt, float]], r: float, tolerance: float, drawn: tuple[tuple[Pt, float], ...]
) -> Shape:
    """The hull of the discs shrunk by `r`: a line between their centres where they are
    thin, otherwise a polygon whose corners lie on the shrunk circles (error within
    +-tolerance/2); a disc already `drawn` by a neighbour only by its two sides."""
    points: list[Pt] = []
    axis = _unit(sub(discs[-1][0], discs[0][0])) or (1.0, 0.0)
    for c, radius in discs:
        d = radius - r
        if d <= tolerance / 2:
            points.append(c)
            continue
        if any(dist(c, o) < 1e-6 and ro >= radius - 1e-6 for o, ro in drawn):
            points += [add(c, (-axis[1], axis[0]), d), add(c, (axis[1], -axis[0]), d)]
            continue
        step = 2 * math.acos(max(-1.0, 1 - tolerance / d))
        n = max(3, math.ceil(2 * math.pi / step))
        k = d * (1 + 1 / math.cos(math.pi / n)) / 2  # halfway between in- and circumscribed
        points += [
            (c[0] + k * math.cos(2 * math.pi * i / n), c[1] + k * math.sin(2 * math.pi * i / n))
            for i in range(n)
        ]
    hull = _convex_hull(points)
    if len(hull) < 3:
        return _segment(hull[0], hull[-1])
    return Shape([("M", hull[0]), *[("L", p) for p in hull[1:]], ("Z",)], hull)


def _convex_hull(points: list[Pt]) -> list[Pt]:
    """Andrew's monotone chain, clockwise (like every closed Shape)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: Pt, a: Pt, b: Pt) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Pt] = []
    upper: list[Pt] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 1e-9:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 1e-9:
            upper.pop()
        upper.append(p)
    return list(reversed(lower[:-1] + upper[:-1]))


def _inset(ring: list[Pt], r: float) -> list[Pt]:
    """A clockwise ring's points moved `r` inwards (along the bisector of their edges)."""
    if signed_area(ring) > 0:
        ring = list(reversed(ring))
    out = []
    n = len(ring)
    for i, p in enumerate(ring):
        a, b = ring[i - 1], ring[(i + 1) % n]
        n1 = _unit((p[1] - a[1], a[0] - p[0]))  # right of a->p: inside a clockwise ring
        n2 = _unit((b[1] - p[1], p[0] - b[0]))
        if n1 is None or n2 is None:
            continue
        mid = _unit((n1[0] + n2[0], n1[1] + n2[1])) or n1
        k = r / max(0.5, mid[0] * n1[0] + mid[1] * n1[1])
        out.append(add(p, mid, k))
    return out


def _simplify_ring(ring: list[Pt], tolerance: float) -> list[Pt]:
    """Douglas-Peucker on a closed ring, split at its first point and the point farthest."""
    far = max(range(len(ring)), key=lambda i: dist(ring[0], ring[i]))
    first = _simplify(ring[: far + 1], tolerance)
    second = _simplify([*ring[far:], ring[0]], tolerance)
    return first[:-1] + second[:-1]


def _simplify(line: list[Pt], tolerance: float) -> list[Pt]:
    if len(line) < 3:
        return line
    i, worst = max(
        ((i, _to_segment(p, line[0], line[-1])) for i, p in enumerate(line[1:-1], start=1)),
        key=lambda t: t[1],
    )
    if worst <= tolerance:
        return [line[0], line[-1]]
    return _simplify(line[: i + 1], tolerance)[:-1] + _simplify(line[i:], tolerance)
