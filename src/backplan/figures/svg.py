"""Drawing solved frames as one compact, self-contained SVG: frames side by side, numbered,
with an arrow between them, on one ground line and at one scale.

Presentation attributes rather than a <style> element: an inline SVG's style sheet would
apply to the whole HTML handout. No ids either, for the same reason.

WeasyPrint parses every path in Python each time it lays out a handout (about 50 calls a
point, 600 an element), so the markup is kept lean: the body's parts drawn by their middles
with a wide round stroke (`geometry.core`), each silhouette two paths, the floors and the
frame numbers of all frames one path each, coordinates to 0.1 cm, attributes shared through
the root or the frame, no wrapper groups, no opacity or filters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from backplan.figures import props as P
from backplan.figures.geometry import (
    Middle,
    Pt,
    Shape,
    add,
    capsule,
    core,
    local,
    phi_of,
    polygon,
    sub,
)
from backplan.figures.scene import Scene
from backplan.figures.skeleton import Body, Limb

PAD = 12.0  # cm around the content of a frame
STACK_GAP = 10.0
HATCH = 5.0
HATCH_STEP = 7.0
LABEL_R = 10.0  # cm: the frame number the arrow between frames is drawn for
MIN_LABEL_R = 6.0  # cm: numbers are never smaller, however big the drawing is printed
NUMBER_MM = 3.2  # printed height of a frame number's digit (read on paper without glasses)
DIGIT = 0.7  # the digit's half-height, as a share of its disc's radius


@dataclass(frozen=True)
class Box:
    """The largest box (mm) the handout prints a drawing in; the drawing is shrunk to fit,
    so the frame numbers are drawn big enough to stay NUMBER_MM high once it is."""

    width: float
    height: float
    pad: float = PAD  # cm around each frame's content


MAIN_BOX = Box(72.0, 52.0)  # templates/handout.css: `.exercise .figure svg`
WARMUP_BOX = Box(28.0, 32.0, pad=5.0)  # three warm-ups side by side: every mm for the body
STROKE = 1.3
FAR_STROKE = 1.1
LIMB_R = 2.2  # cm: the stroke radius the body's parts are drawn with (the fingertips')
CORE_TOLERANCE = 0.4  # cm: how far a part drawn from its middle may stray from its outline

STYLES = {  # prop style -> (fill, stroke, width)
    "prop": ("#ececec", "#6f6f6f", 0.9),
    "prop-dark": ("#a6a6a6", "#555", 0.7),
    "prop-hole": ("#fff", "#6f6f6f", 0.7),
    "wall": ("#e4e4e4", "#444", 0.9),
    "prop-line": ("none", "#6f6f6f", 0.8),
    "cable": ("none", "#333", 0.7),
    "rope": ("none", "#222", 2.4),
    "band": ("none", "#444", 1.8),
}


def num(v: float) -> str:
    text = f"{v:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def path_data(shapes: list[Shape], dx: float = 0.0) -> str:
    """SVG path data, with y flipped (world y is up, SVG y is down). Arcs are written as the
    cubic curves WeasyPrint would draw for them (`_arc_curves`)."""
    out: list[str] = []

    def at(p: Pt) -> Pt:  # the point as the markup gives it: SVG axes, rounded
        return (float(num(p[0] + dx)), float(num(-p[1])))

    def pt(p: Pt) -> str:
        return f"{num(p[0])} {num(p[1])}"

    here = start = (0.0, 0.0)
    for shape in shapes:
        for c in shape.commands:
            kind = c[0]
            if kind in ("M", "L"):
                here = at(c[1])
                start = here if kind == "M" else start
                out.append(f"{kind}{pt(here)}")
            elif kind == "C":
                p1, p2, here = at(c[1]), at(c[2]), at(c[3])
                out.append(f"C{pt(p1)} {pt(p2)} {pt(here)}")
            elif kind == "A":
                end = at(c[3])
                for p1, p2, p3 in _arc_curves(here, float(num(c[1])), bool(c[2]), end):
                    out.append(f"C{pt(p1)} {pt(p2)} {pt(p3)}")
                here = end
            else:
                out.append("Z")
                here = start
    return "".join(out)


def _arc_curves(a: Pt, r: float, large: bool, b: Pt) -> list[tuple[Pt, Pt, Pt]]:
    """The clockwise (SVG sweep 1) arc of radius r from a to b as cubic Bezier curves, the
    very ones WeasyPrint 70 computes for an `A` command (svg/path.py): one curve, or three
    for a large arc. Written out here, WeasyPrint reads six numbers a curve instead of doing
    the trigonometry in Python for every arc of every handout; the drawing is the same."""
    sweep = True
    ex, ey = b[0] - a[0], b[1] - a[1]
    angle = math.atan2(ey, ex)
    chord = math.hypot(ex, ey)
    if not r or not chord:
        return [(a, b, b)] if chord else []
    r = max(r, chord / 2)
    xc, yc = chord / 2, math.sqrt(max(0.0, r * r - (chord / 2) ** 2))
    if large == sweep:
        yc = -yc
    cos_t, sin_t = math.cos(angle), math.sin(angle)
    ex, ey = chord * cos_t, chord * sin_t
    xc, yc = xc * cos_t - yc * sin_t, yc * cos_t + xc * sin_t
    a1, a2 = math.atan2(-yc, -xc), math.atan2(ey - yc, ex - xc)
    while a1 < 0 or a2 < 0:
        a1 += 2 * math.pi
        a2 += 2 * math.pi
    if math.isclose(abs(a2 - a1), math.pi):
        if a2 < a1:  # sweep
            a1 -= 2 * math.pi
    elif large == (abs(a2 - a1) < math.pi):
        if a1 > a2:
            a1 -= 2 * math.pi
        else:
            a2 -= 2 * math.pi
    if large:
        step = (a2 - a1) / 3
        spans = [(a1, a1 + step), (a1 + step, a1 + 2 * step), (a1 + 2 * step, a2)]
    else:
        spans = [(a1, a2)]
    h = 4 / 3 * math.tan((spans[0][1] - spans[0][0]) / 4)
    cx, cy = a[0] + xc, a[1] + yc
    curves = []
    for t1, t2 in spans:
        c1, s1, c2, s2 = math.cos(t1), math.sin(t1), math.cos(t2), math.sin(t2)
        curves.append(
            (
                (cx + r * c1 - h * r * s1, cy + r * s1 + h * r * c1),
                (cx + r * c2 + h * r * s2, cy + r * s2 - h * r * c2),
                (cx + r * c2, cy + r * s2),
            )
        )
    return curves


def _union(
    cls: str, shapes: list[Shape], fill: str, stroke: str, width: float, dx: float, r: float
) -> str:
    """Shapes filled as one silhouette: each drawn as its middle (`core`) stroked `2 r` wide
    with round joins, which paints the shape with a few points a part. First the middles
    with a stroke `width` wider each side, in the outline's colour; then the same in the
    fill colour on top, so the lines where the shapes overlap disappear and only the outer
    outline shows."""
    cores: list[Shape] = []
    for i in range(len(shapes) - 1, -1, -1):  # a limb's end first: its joints drawn round
        cores.append(core(shapes[i], r, CORE_TOLERANCE, shapes[i + 1 :]))
    d = path_data(cores[::-1], dx)
    return (
        f'<path class="{cls}" d="{d}" fill="{stroke}" stroke="{stroke}" '
        f'stroke-width="{num(2 * (r + width))}"/>'
        f'<path d="{d}" fill="{fill}" stroke="{fill}" stroke-width="{num(2 * r)}"/>'
    )


def _props(scene: Scene, layer: str, dx: float) -> list[str]:
    """Each prop as few paths as its styles allow: neighbouring shapes of one style share a
    path (their outlines then show where they overlap, which reads as the joints)."""
    out = []
    for prop in scene.props:
        if prop.layer != layer:
            continue
        runs: list[tuple[str, list[Shape]]] = []
        for style, shape in prop.shapes:
            if runs and runs[-1][0] == style:
                runs[-1][1].append(shape)
            elif (at := _body_run(runs, style, shape)) is not None:
                runs[at][1].append(shape)
            else:
                runs.append((style, [shape]))
        cls = f' class="bpf-prop bpf-{prop.name.replace("_", "-")}"'
        for style, shapes in runs:
            fill, stroke, width = STYLES[style]
            paint = f' fill="{fill}"' if fill != "none" else ""
            out.append(
                f'<path{cls} d="{path_data(shapes, dx)}"{paint} stroke="{stroke}" '
                f'stroke-width="{num(width)}"/>'
            )
            cls = ""
    return out


def _body_run(runs: list[tuple[str, list[Shape]]], style: str, line: Shape) -> int | None:
    """The run of the prop's body ("prop") that a straight detail line (a counter's edge, a
    machine's frame) can join, which saves a path: its stroke is the body's colour, a
    straight line fills nothing, and no run drawn in between may cross it. A curved line
    would not do: its fill, within one path, can cancel the body's (a white ball seam)."""
    if style != "prop-line" or len(line.commands) != 2 or line.commands[1][0] != "L":
        return None
    box = _box(line)
    for i in range(len(runs) - 1, -1, -1):
        if runs[i][0] == "prop":
            return i
        if any(_overlap(box, _box(shape)) for shape in runs[i][1]):
            return None
    return None


def _box(shape: Shape) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in shape.samples], [p[1] for p in shape.samples]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _crease(scene: Scene, dx: float) -> str:
    """The near thigh's outline where it lies over the torso (a knee pulled to the chest)."""
    if scene.body.view == "front":  # seen from the front the thigh never lies over the torso
        return ""
    limb = scene.body.limbs["near_leg"]
    hip, knee = limb.joints[0], limb.joints[1]
    thigh = phi_of(sub(knee, hip))
    flexion = (thigh - (scene.body.torso_phi - 180.0) + 180.0) % 360.0 - 180.0
    if flexion < 100.0:  # the thigh only lies over the torso when pulled towards the chest
        return ""
    shape = capsule(hip, 8.3, knee, 5.4)
    a1, b1 = shape.commands[0][1], shape.commands[1][1]
    b2, a2 = shape.commands[2][3], shape.commands[3][1]
    lines = []
    for p, q in ((a1, b1), (a2, b2)):
        start = add(p, (q[0] - p[0], q[1] - p[1]), 0.45)
        lines.append(Shape([("M", start), ("L", q)], [start, q]))
    return f'<path class="bpf-crease" d="{path_data(lines, dx)}" stroke-width="{num(STROKE)}"/>'


# The side view's foot as a polygon (along the foot from the ankle, up from it) that,
# stroked LIMB_R wide, paints skeleton.FOOT: the outline moved in by LIMB_R, and the toe,
# thinner than the stroke, a line.
FOOT_MIDDLE = [(-2.6, 1.6), (-4.3, -2.6), (-4.0, -4.6), (-2.8, -5.6), (-1.0, -5.8),
               (13.0, -5.8), (17.6, -5.6), (10.0, -4.7), (2.8, -0.8), (0.8, 2.0)]  # fmt: skip


def _parts(leg: Limb) -> list[Shape]:
    """A leg's shapes, the side view's foot (an outline, not a capsule) by its middle."""
    shapes = list(leg.shapes.values())
    if leg.shapes["end"].discs:  # seen from the front the foot is a capsule
        return shapes
    ankle, phi = leg.joints[2], leg.end_phi
    foot = polygon([local(ankle, phi, w, n) for w, n in FOOT_MIDDLE])
    return [*shapes[:-1], Middle(foot.commands, leg.shapes["end"].samples)]  # covers the ankle


def _nose(b: Body) -> Shape:
    """The nose by its middle: a line sloping down from inside the head to LIMB_R short of
    skeleton's nose tip, so its ridge slopes like the outline's and its tip is round."""
    if not b.nose.commands:  # seen from the front there is no nose
        return b.nose
    inner, tip = (local(b.head, b.head_phi - 90, w, n) for w, n in ((7.5, 2.0), (10.5, 0.0)))
    return Middle([("M", inner), ("L", tip)], b.nose.samples)


def _eyes(scene: Scene) -> list[Pt]:
    """The eye that shows which way the figure looks; seen from the front, both eyes."""
    b = scene.body
    if b.view == "front":
        return [local(b.head, b.head_phi - 180, 3.0, n) for n in (-3.6, 3.6)]
    return [local(b.head, b.head_phi - 90, 4.6, 2.6)]


def _eye_dots(points: list[Pt]) -> str:
    """Eyes (SVG coordinates) as dots of one path: round-capped lines 2.4 cm wide."""
    d = "".join(f"M{num(x)} {num(y)}h{DOT}" for x, y in points)
    return f'<path class="bpf-eye" d="{d}" stroke-width="2.4"/>' if points else ""


def _labels(numbers: list[tuple[int, float, float]], r: float) -> str:
    """The frame numbers: white numerals drawn as strokes (no font needed) on black discs,
    all the discs one path (each a dot of a round-capped line) and all the numerals one
    more, as WeasyPrint's cost is mostly a path's."""
    k = r / 6.0 * DIGIT / 0.6  # the numerals are drawn 3.6 high for a disc of radius 6
    discs, digits = [], []
    for n, x, y in numbers:

        def p(u: float, v: float, x: float = x, y: float = y) -> str:
            return f"{num(x + k * u)} {num(y + k * v)}"

        discs.append(f"M{num(x)} {num(y)}h{DOT}")
        if n == 1:
            digits.append(f"M{p(-1.2, -1.9)}L{p(0.9, -3.6)}V{num(y + k * 3.6)}")
        else:
            digits.append(
                f"M{p(-2.3, -1.6)}C{p(-2.3, -4.5)} {p(2.5, -4.5)} {p(2.3, -1.4)}"
                f"C{p(2.1, 0.6)} {p(-2.4, 2.1)} {p(-2.5, 3.6)}H{num(x + k * 2.6)}"
            )
    return (
        f'<path class="bpf-label" d="{"".join(discs)}" stroke-width="{num(2 * r)}"/>'
        f'<path d="{"".join(digits)}" stroke="#fff" stroke-width="{num(r * 0.22)}"/>'
    )


DOT = "0.1"  # a line this long with round caps is a disc; zero-length ones some viewers skip


def _grounds(floors: list[tuple[float, float, float]]) -> str:
    """The floor lines (x0, x1, y) of all frames as one path, and their hatching as one
    dashed band slanted by a skew: two points a frame for WeasyPrint to read instead of
    two per tick."""
    dash = 1.0
    lines, bands = [], []
    for x0, x1, y in floors:
        lines.append(f"M{num(x0)} {num(y)}H{num(x1)}")
        ticks = _range(x0 + HATCH, x1, HATCH_STEP)
        if ticks:  # the skew moves a band left by its y: start it that much to the right
            yb = y + HATCH / 2
            bands.append(
                f"M{num(ticks[0] - dash / 2 + yb - HATCH / 2)} {num(yb)}"
                f"H{num(ticks[-1] + dash / 2 + yb - HATCH / 2)}"
            )
    hatch = ""
    if bands:
        hatch = (
            f'<path d="{"".join(bands)}" stroke-width="{num(HATCH)}" '
            f'stroke-dasharray="{num(dash)} {num(HATCH_STEP - dash)}" '
            'stroke-linecap="butt" transform="skewX(-45)"/>'
        )
    return (
        f'<path class="bpf-ground" d="{"".join(lines)}" stroke-width="0.7" '
        f'stroke-linecap="butt"/>{hatch}'
    )


def _range(start: float, stop: float, step: float) -> list[float]:
    out, x = [], start
    while x <= stop + 1e-9:
        out.append(x)
        x += step
    return out


ROOT = (
    'xmlns="http://www.w3.org/2000/svg" class="bpf-figure" role="img" fill="none" '
    'stroke="#000" stroke-linecap="round" stroke-linejoin="round"'
)


def _frame(
    scene: Scene,
    index: int,
    left: float,
    x_min: float,
    width: float,
    top: float,
    pad: float = PAD,
    eyes: bool = True,
) -> str:
    """One frame's markup, without its floor and number (the drawing draws those of all
    frames at once), and with its eyes unless the drawing draws them too."""
    dx = left + pad - x_min
    b = scene.body
    parts = [f'<g class="bpf-frame bpf-frame-{index}">']
    parts += _props(scene, "back", dx)
    # The far limbs as one silhouette: half hidden behind the near ones, they need not show
    # where the far arm crosses the far leg, and one pair of paths costs less than two.
    far = [*_parts(b.limbs["far_leg"]), *b.limbs["far_arm"].shapes.values()]
    cls = "bpf-far bpf-far-leg bpf-far-arm"
    parts.append(_union(cls, far, "#d4d4d4", "#6b6b6b", FAR_STROKE, dx, LIMB_R))
    parts += _props(scene, "middle", dx)
    body = [*_parts(b.limbs["near_leg"]), b.torso, b.neck, b.head_shape, _nose(b)]
    parts.append(_union("bpf-near bpf-body", body, "#fff", "#000", STROKE, dx, LIMB_R))
    parts.append(_crease(scene, dx))
    near_arm = list(b.limbs["near_arm"].shapes.values())
    parts.append(_union("bpf-near bpf-near-arm", near_arm, "#fff", "#000", STROKE, dx, LIMB_R))
    if eyes:
        parts.append(_eye_dots([(x + dx, -y) for x, y in _eyes(scene)]))
    parts += _props(scene, "front", dx)
    for mark in scene.marks:
        parts.append(
            f'<path class="bpf-mark bpf-{mark.kind}" d="{path_data(mark.shapes, dx)}" '
            f'stroke-width="{num((2.0 if mark.kind == "arrow" else 1.4) * mark.k)}"/>'
        )
    parts.append("</g>")
    return "".join(parts)


def _label_space(label_r: float) -> float:
    """The band above the tallest figure that holds the frame numbers."""
    return 2 * label_r + 6


ARROW_SHAPE = [(-13, -3.6), (2.5, -3.6), (2.5, -9), (13, 0), (2.5, 9), (2.5, 3.6), (-13, 3.6)]
ARROW_LENGTH = 26.0


def _between(x: float, y: float, k: float, down: bool = False) -> str:
    """The block arrow that leads from frame 1 to frame 2 (SVG coordinates), `k` times its
    size for a two-metre drawing."""
    pts = [(x - k * b, y + k * a) if down else (x + k * a, y + k * b) for a, b in ARROW_SHAPE]
    d = "M" + "L".join(f"{num(px)} {num(py)}" for px, py in pts) + "Z"
    return f'<path class="bpf-between" d="{d}" fill="#444" stroke="none"/>'


def _numbers(size: object, box: Box) -> float:
    """The frame numbers' disc radius (cm) that prints the digit NUMBER_MM high once the
    drawing (whose size in cm `size(r)` gives for numbers of radius r) fits in `box`."""
    r = MIN_LABEL_R
    for _ in range(6):  # bigger numbers make the drawing bigger: settle on a fixed point
        width, height = size(r)  # type: ignore[operator]
        mm_per_cm = min(box.width / width, box.height / height)
        r = max(MIN_LABEL_R, NUMBER_MM / (2 * DIGIT * mm_per_cm))
    return r


def _stacked_size(width: float, top: float, label_r: float) -> tuple[float, float]:
    frame_height = top + HATCH + 1
    return width + _column(label_r), 2 * frame_height + STACK_GAP


def _column(label_r: float) -> float:
    """The strip left of stacked frames that holds their numbers and the arrow."""
    return 2 * label_r + 4


def _stacked(
    scenes: list[Scene],
    boxes: list[tuple[float, float, float]],
    top: float,
    title: str,
    description: str,
    box: Box,
) -> str:
    """Lying figures one above the other: side by side they would be a thin strip, too
    small to read in a handout's picture box. The frames share one x axis, so the parts
    that stay put line up. Their numbers and the arrow from 1 to 2 stand in a strip on the
    left, away from the body, where the arrow cannot read as a movement of the hips."""
    x_min = min(b[0] for b in boxes)
    width = max(b[1] for b in boxes) - x_min + 2 * box.pad
    label_r = _numbers(lambda r: _stacked_size(width, top, r), box)
    column = _column(label_r)
    frame_height = top + HATCH + 1
    step = frame_height + STACK_GAP
    first = _frame(scenes[0], 1, column, x_min, width, top, box.pad, eyes=False)
    second = _frame(scenes[1], 2, column, x_min, width, top, box.pad, eyes=False)
    dx = column + box.pad - x_min
    eyes = _eye_dots(
        [(x + dx, k * step - y) for k, scene in enumerate(scenes) for x, y in _eyes(scene)]
    )
    second = second.replace(
        '<g class="bpf-frame bpf-frame-2"',
        f'<g class="bpf-frame bpf-frame-2" transform="translate(0 {num(step)})"',
        1,
    )
    x = label_r + 1
    y1, y2 = -top + label_r, step - top + label_r
    free = y2 - y1 - 2 * label_r - 4  # between the two discs
    k = min(label_r / LABEL_R, free / ARROW_LENGTH, 2 * label_r / 18)
    labels = _labels([(1, x, y1), (2, x, y2)], label_r)
    arrow = _between(x, (y1 + y2) / 2, k, down=True) if k > 0.3 else ""
    floors = _grounds([(column, column + width, 0.0), (column, column + width, step)])
    view = f"0 {num(-top)} {num(width + column)} {num(step + frame_height)}"
    return (
        f'<svg {ROOT} viewBox="{view}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + first
        + second
        + eyes
        + floors
        + labels
        + arrow
        + "</svg>"
    )


def _arrow_k(label_r: float) -> float:
    """The arrow between side-by-side frames grows with the numbers, but less: in a warm-up's
    narrow column its width is taken from the figures."""
    return min(label_r / LABEL_R, 1.5)


def _row_size(widths: list[float], top: float, label_r: float) -> tuple[float, float]:
    gap = ARROW_LENGTH * _arrow_k(label_r) + 12
    return sum(widths) + gap * (len(widths) - 1), top + _label_space(label_r) + HATCH + 1


def _stacking_prints_bigger(
    boxes: list[tuple[float, float, float]], widths: list[float], top: float, box: Box
) -> bool:
    """Lying and kneeling frames, long and low, print bigger one above the other; standing
    and sitting ones side by side."""

    def scale(size: tuple[float, float]) -> float:
        return min(box.width / size[0], box.height / size[1])

    width = max(b[1] for b in boxes) - min(b[0] for b in boxes) + 2 * box.pad
    stacked = scale(_stacked_size(width, top, MIN_LABEL_R))
    return stacked > scale(_row_size(widths, top, MIN_LABEL_R))


def draw(scenes: list[Scene], title: str, description: str, box: Box = MAIN_BOX) -> str:
    """The SVG markup for one exercise's frames, for printing at most `box` big."""
    tops = [s.bounds()[2] for s in scenes]
    top = max(tops) + 8
    for scene in scenes:
        if scene.wall is not None:
            x_face, facing = scene.wall
            scene.props.insert(0, P.wall(x_face, facing, top))
    boxes = [s.bounds() for s in scenes]
    widths = [x_max - x_min + 2 * box.pad for x_min, x_max, _ in boxes]
    if len(scenes) == 2 and _stacking_prints_bigger(boxes, widths, top, box):
        return _stacked(scenes, boxes, top, title, description, box)
    label_r = _numbers(lambda r: _row_size(widths, top, r), box)
    k = _arrow_k(label_r)
    gap = ARROW_LENGTH * k + 12
    space = _label_space(label_r)
    left = 0.0
    frames, arrows, floors, numbers, eyes = [], [], [], [], []
    for i, (scene, (x_min, _, _), width) in enumerate(
        zip(scenes, boxes, widths, strict=True), start=1
    ):
        if i > 1:
            y = -(min(tops) * 0.45 if min(tops) > 40 else top / 2)
            arrows.append(_between(left - gap / 2, y, k))
        frames.append(_frame(scene, i, left, x_min, width, top, box.pad, eyes=False))
        eyes += [(x + left + box.pad - x_min, -y) for x, y in _eyes(scene)]
        floors.append((left, left + width, 0.0))
        numbers.append((i, left + label_r + 1, -(top + space - label_r - 1)))
        left += width + gap
    total = left - gap
    height = top + space + HATCH + 1
    view = f"0 {num(-(top + space))} {num(total)} {num(height)}"
    return (
        f'<svg {ROOT} viewBox="{view}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(frames)
        + _eye_dots(eyes)
        + _grounds(floors)
        + _labels(numbers, label_r)
        + "".join(arrows)
        + "</svg>"
    )
