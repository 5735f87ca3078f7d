"""Drawing solved frames as one compact, self-contained SVG: frames side by side, numbered,
with an arrow between them, on one ground line and at one scale.

Presentation attributes rather than a <style> element: an inline SVG's style sheet would
apply to the whole HTML handout. No ids either, for the same reason.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from backplan.figures import props as P
from backplan.figures.geometry import Pt, Shape, add, capsule, local, phi_of, sub
from backplan.figures.scene import Scene

PAD = 12.0  # cm around the content of a frame
GAP = 36.0  # cm between frames, for the arrow
STACK_BELOW = 90.0  # frames lower than this (lying, kneeling) go one above the other
STACK_GAP = 16.0
LABEL_SPACE = 20.0
HATCH = 5.0
STROKE = 1.3
FAR_STROKE = 1.1

STYLES = {  # prop style -> (fill, stroke, width)
    "prop": ("#ececec", "#6f6f6f", 0.9),
    "prop-dark": ("#a6a6a6", "#555", 0.7),
    "prop-hole": ("#fff", "#6f6f6f", 0.7),
    "wall": ("#e4e4e4", "#444", 0.9),
    "prop-line": ("none", "#6f6f6f", 0.8),
    "cable": ("none", "#333", 0.7),
    "rope": ("none", "#333", 1.5),
    "band": ("none", "#444", 1.8),
}


def num(v: float) -> str:
    text = f"{v:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def path_data(shapes: list[Shape], dx: float = 0.0) -> str:
    """SVG path data, with y flipped (world y is up, SVG y is down)."""
    out: list[str] = []

    def pt(p: Pt) -> str:
        return f"{num(p[0] + dx)} {num(-p[1])}"

    for shape in shapes:
        for c in shape.commands:
            kind = c[0]
            if kind in ("M", "L"):
                out.append(f"{kind}{pt(c[1])}")
            elif kind == "C":
                out.append(f"C{pt(c[1])} {pt(c[2])} {pt(c[3])}")
            elif kind == "A":
                r = num(c[1])
                out.append(f"A{r} {r} 0 {int(c[2])} 1 {pt(c[3])}")
            else:
                out.append("Z")
    return "".join(out)


def _union(cls: str, shapes: list[Shape], fill: str, stroke: str, width: float, dx: float) -> str:
    """Shapes filled as one silhouette: a wide stroke underneath, the fill on top, so the
    lines where the shapes overlap disappear and only the outer outline shows."""
    d = path_data(shapes, dx)
    return (
        f'<g class="{cls}" fill="{fill}">'
        f'<path d="{d}" stroke="{stroke}" stroke-width="{num(2 * width)}" stroke-linejoin="round"/>'
        f'<path d="{d}"/></g>'
    )


def _props(scene: Scene, layer: str, dx: float) -> list[str]:
    out = []
    for prop in scene.props:
        if prop.layer != layer:
            continue
        parts = []
        for style, shape in prop.shapes:
            fill, stroke, width = STYLES[style]
            parts.append(
                f'<path d="{path_data([shape], dx)}" fill="{fill}" stroke="{stroke}" '
                f'stroke-width="{num(width)}"/>'
            )
        out.append(
            f'<g class="bpf-prop bpf-{prop.name.replace("_", "-")}" stroke-linecap="round" stroke-linejoin="round">{"".join(parts)}</g>'
        )
    return out


def _crease(scene: Scene, dx: float) -> str:
    """The near thigh's outline where it lies over the torso (a knee pulled to the chest)."""
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
    return f'<path class="bpf-crease" d="{path_data(lines, dx)}" fill="none" stroke="#000" stroke-width="{num(STROKE)}" stroke-linecap="round"/>'


def _face(scene: Scene, dx: float) -> str:
    b = scene.body
    eye = local(b.head, b.head_phi - 90, 4.6, 2.6)
    return (
        f'<circle class="bpf-eye" cx="{num(eye[0] + dx)}" cy="{num(-eye[1])}" r="1.2" fill="#000"/>'
    )


def _label(n: int, x: float, y: float) -> str:
    """A circled frame number, drawn as strokes so no font is needed."""
    cx, cy = num(x), num(y)
    if n == 1:
        digit = f"M{num(x - 1.6)} {num(y - 2.2)}L{num(x + 0.6)} {num(y - 3.9)}V{num(y + 3.9)}"
    else:
        digit = (
            f"M{num(x - 2.6)} {num(y - 1.8)}C{num(x - 2.6)} {num(y - 4.9)} {num(x + 2.8)} {num(y - 4.9)} "
            f"{num(x + 2.6)} {num(y - 1.5)}C{num(x + 2.4)} {num(y + 0.6)} {num(x - 2.6)} {num(y + 2.3)} "
            f"{num(x - 2.8)} {num(y + 3.9)}H{num(x + 2.9)}"
        )
    return (
        f'<g class="bpf-label" fill="none" stroke="#000" stroke-width="0.9">'
        f'<circle cx="{cx}" cy="{cy}" r="6"/><path d="{digit}" stroke-linecap="round" stroke-linejoin="round"/></g>'
    )


def _ground(x0: float, x1: float) -> str:
    ticks = "".join(f"M{num(x)} 0l-{num(HATCH)} {num(HATCH)}" for x in _range(x0 + HATCH, x1, 7.0))
    return (
        f'<path class="bpf-ground" d="M{num(x0)} 0H{num(x1)}{ticks}" fill="none" stroke="#000" '
        f'stroke-width="0.7"/>'
    )


def _range(start: float, stop: float, step: float) -> list[float]:
    out, x = [], start
    while x <= stop + 1e-9:
        out.append(x)
        x += step
    return out


def _frame(scene: Scene, index: int, left: float, x_min: float, width: float, top: float) -> str:
    dx = left + PAD - x_min
    b = scene.body
    parts = [f'<g class="bpf-frame bpf-frame-{index}">']
    parts += _props(scene, "back", dx)
    for name in ("far_leg", "far_arm"):
        shapes = list(b.limbs[name].shapes.values())
        parts.append(
            _union(
                f"bpf-far bpf-{name.replace('_', '-')}",
                shapes,
                "#d4d4d4",
                "#6b6b6b",
                FAR_STROKE,
                dx,
            )
        )
    parts += _props(scene, "middle", dx)
    body = [*b.limbs["near_leg"].shapes.values(), b.torso, b.neck, b.head_shape, b.nose]
    parts.append(_union("bpf-near bpf-body", body, "#fff", "#000", STROKE, dx))
    parts.append(_crease(scene, dx))
    parts.append(
        _union(
            "bpf-near bpf-near-arm",
            list(b.limbs["near_arm"].shapes.values()),
            "#fff",
            "#000",
            STROKE,
            dx,
        )
    )
    parts.append(_face(scene, dx))
    parts += _props(scene, "front", dx)
    for mark in scene.marks:
        parts.append(
            f'<path class="bpf-mark bpf-{mark.kind}" d="{path_data(mark.shapes, dx)}" fill="none" '
            f'stroke="#000" stroke-width="{num(1.6 if mark.kind == "arrow" else 1.1)}" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )
    parts.append(_ground(left, left + width))
    parts.append(_label(index, left + 7, -(top + LABEL_SPACE - 8)))
    parts.append("</g>")
    return "".join(parts)


ARROW_SHAPE = [(-9, -2.6), (2, -2.6), (2, -6.5), (10, 0), (2, 6.5), (2, 2.6), (-9, 2.6)]


def _between(x: float, y: float, down: bool = False) -> str:
    """The block arrow that leads from frame 1 to frame 2 (SVG coordinates)."""
    pts = [(x - b, y + a) if down else (x + a, y + b) for a, b in ARROW_SHAPE]
    d = "M" + "L".join(f"{num(px)} {num(py)}" for px, py in pts) + "Z"
    return f'<path class="bpf-between" d="{d}" fill="#9d9d9d" stroke="#333" stroke-width="0.8" stroke-linejoin="round"/>'


def _stacked(
    scenes: list[Scene],
    boxes: list[tuple[float, float, float]],
    top: float,
    title: str,
    description: str,
) -> str:
    """Lying figures one above the other: side by side they would be a thin strip, too
    small to read in a handout's picture box. The frames share one x axis, so the parts
    that stay put line up."""
    x_min = min(b[0] for b in boxes)
    width = max(b[1] for b in boxes) - x_min + 2 * PAD
    frame_height = top + LABEL_SPACE + HATCH + 1
    step = frame_height + STACK_GAP
    first = _frame(scenes[0], 1, 0.0, x_min, width, top)
    second = _frame(scenes[1], 2, 0.0, x_min, width, top)
    second = second.replace(
        '<g class="bpf-frame bpf-frame-2"',
        f'<g class="bpf-frame bpf-frame-2" transform="translate(0 {num(step)})"',
        1,
    )
    arrow = _between(width / 2, HATCH + 1 + STACK_GAP / 2, down=True)
    view = f"0 {num(-(top + LABEL_SPACE))} {num(width)} {num(step + frame_height)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view}" class="bpf-figure" role="img">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + first
        + second
        + arrow
        + "</svg>"
    )


def draw(scenes: list[Scene], title: str, description: str) -> str:
    """The SVG markup for one exercise's frames."""
    tops = [s.bounds()[2] for s in scenes]
    top = max(tops) + 8
    for scene in scenes:
        if scene.wall is not None:
            x_face, facing = scene.wall
            scene.props.insert(0, P.wall(x_face, facing, top))
    boxes = [s.bounds() for s in scenes]
    if len(scenes) == 2 and max(tops) < STACK_BELOW:
        return _stacked(scenes, boxes, top, title, description)
    left = 0.0
    frames = []
    arrows = []
    for i, (scene, (x_min, x_max, _)) in enumerate(zip(scenes, boxes, strict=True), start=1):
        width = x_max - x_min + 2 * PAD
        if i > 1:
            arrows.append(
                _between(left - GAP / 2, -(min(tops) * 0.45 if min(tops) > 40 else top / 2))
            )
        frames.append(_frame(scene, i, left, x_min, width, top))
        left += width + GAP
    total = left - GAP
    height = top + LABEL_SPACE + HATCH + 1
    view = f"0 {num(-(top + LABEL_SPACE))} {num(total)} {num(height)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view}" class="bpf-figure" role="img">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(frames)
        + "".join(arrows)
        + "</svg>"
    )
