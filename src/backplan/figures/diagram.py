"""The angle-conventions picture in docs/pose-format.md, drawn by the renderer itself so the
documentation cannot drift from the code (a test compares it with docs/images/pose-angles.svg)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from backplan.figures.geometry import Pt, along, phi_of, sub
from backplan.figures.pose import Pose
from backplan.figures.scene import solve
from backplan.figures.svg import PAD, _frame, _grounds, num

ANGLES = {"torso": 20, "head": 15, "hip": 90, "knee": 60, "ankle": 25, "shoulder": 75, "elbow": 60}
DEMO = {
    "base": "standing",
    "description": "A figure leaning forward 20 degrees, near knee raised, near arm reaching "
    "forward; each joint's zero line and positive angle marked.",
    "start": {
        "torso": ANGLES["torso"],
        "head": ANGLES["head"],
        "hip": {"near": ANGLES["hip"], "far": 20},
        "knee": {"near": ANGLES["knee"], "far": 0},
        "ankle": {"near": ANGLES["ankle"]},
        "shoulder": {"near": ANGLES["shoulder"], "far": -20},
        "elbow": {"near": ANGLES["elbow"]},
        "ground": ["far_foot"],
    },
}
ARC_R = 13.0


def angle_diagram() -> str:
    """An SVG of a figure with each joint's zero line (dashed) and its positive angle (arc)."""
    pose = Pose.model_validate(DEMO)
    scene = solve(pose, pose.start)
    body = scene.body
    leg, arm = body.limbs["near_leg"].joints, body.limbs["near_arm"].joints
    torso_up = body.torso_phi
    neck = body.torso_point(53.0, 1.5)
    # (name, joint, direction of 0, direction of the limb, dashed length, label side)
    marks = [
        ("torso", body.hip, 180.0, torso_up, 40.0, -1),
        ("head", neck, torso_up, body.head_phi, 26.0, 1),
        ("hip", leg[0], torso_up - 180, _phi(leg[0], leg[1]), 30.0, 1),
        ("knee", leg[1], _phi(leg[0], leg[1]), _phi(leg[1], leg[2]), 22.0, 1),
        ("ankle", leg[2], _phi(leg[1], leg[2]) + 90, _phi(leg[2], leg[3]), 20.0, 1),
        ("shoulder", arm[0], torso_up - 180, _phi(arm[0], arm[1]), 20.0, 1),
        ("elbow", arm[1], _phi(arm[0], arm[1]), _phi(arm[1], arm[2]), 24.0, 1),
    ]
    x_min, x_max, top = scene.bounds()
    x_min, x_max, top = x_min - 30, x_max + 30, top + 4
    width = x_max - x_min + 2 * PAD
    dx = PAD - x_min
    parts = [_frame(scene, 1, 0.0, x_min, width, top), _grounds([(0.0, width, 0.0)])]
    for name, at, zero, phi, length, side in marks:
        parts.append(_mark(f"{name} {ANGLES[name]:+d}", at, zero, phi, length, side, dx))
    for i, line in enumerate(
        ("The figure faces right. Dashed: where the angle is 0.", "Arrow: the positive direction.")
    ):
        parts.append(
            f'<text x="{num(width / 2)}" y="{num(12 + 6 * i)}" font-size="4.8" fill="#000" '
            f'stroke="none" font-family="sans-serif" text-anchor="middle">{line}</text>'
        )
    view_top = top + 4
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {num(-view_top)} '
        f'{num(width)} {num(view_top + 22)}" role="img" fill="none" stroke="#000" '
        f'stroke-linecap="round" stroke-linejoin="round"><title>Pose angle conventions</title>'
        f"<desc>{escape(pose.describe())}</desc>" + "".join(parts) + "</svg>\n"
    )


def _phi(a: Pt, b: Pt) -> float:
    return phi_of(sub(b, a))


def _mark(text: str, at: Pt, zero: float, phi: float, length: float, side: int, dx: float) -> str:
    """A dashed zero line from a joint, an arc to the limb, and the angle's name beside
    the end of the dashed line (on the arc's side when `side` is 1, else the other)."""
    sweep = (phi - zero + 180.0) % 360.0 - 180.0
    end = along(at, zero, length)
    a0, a1 = along(at, zero, ARC_R), along(at, phi, ARC_R)
    label = along(end, zero + (90 if (sweep > 0) == (side > 0) else -90), 5)

    def p(q: Pt) -> str:
        return f"{num(q[0] + dx)} {num(-q[1])}"

    # positive angles turn counter-clockwise in world coordinates: clockwise once y is flipped
    flag = 1 if sweep < 0 else 0
    large = 1 if abs(sweep) > 180 else 0
    tip = along(at, phi, ARC_R)
    head_dir = phi + (90 if sweep > 0 else -90)
    head = [along(tip, head_dir + 180 + 30, 3.0), tip, along(tip, head_dir + 180 - 30, 3.0)]
    return (
        f'<g class="bpf-angle" fill="none" stroke="#b00" stroke-width="0.6">'
        f'<path d="M{p(at)}L{p(end)}" stroke-dasharray="2 1.5"/>'
        f'<path d="M{p(a0)}A{num(ARC_R)} {num(ARC_R)} 0 {large} {flag} {p(a1)}"/>'
        f'<path d="M{p(head[0])}L{p(head[1])}L{p(head[2])}"/>'
        f'<text x="{num(label[0] + dx)}" y="{num(-label[1])}" fill="#b00" stroke="none" '
        f'font-size="5" font-family="sans-serif" text-anchor="middle">'
        f"{text}</text></g>"
    )
