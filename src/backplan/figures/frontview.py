"""The body lying on its side, seen from the front (the belly side): for side planks,
clamshells and leg lifts, whose movement is up towards the ceiling and so shows only in
this view.

The torso lies in the picture's plane, the near side on top. Each limb is posed in three
dimensions (towards the viewer is `z`) and drawn as seen from the front: a thigh bent
forward comes towards the viewer and looks shorter. Angles keep their meaning from
docs/pose-format.md (`hip` bends the thigh forward, `knee` the shin back, ...); `lift` turns
a leg or an arm up towards the ceiling (the far, lower one down towards the floor), and
`open` turns a bent leg about the line from the hip to the ankle, so the knee rises while
the feet stay together (a clamshell).
"""

from __future__ import annotations

import math

from backplan.figures.geometry import Pt, Shape, capsule, circle, local, phi_of, smooth
from backplan.figures.skeleton import (
    FOREARM,
    HAND,
    HEAD_R,
    NECK,
    R_ANKLE,
    R_ELBOW,
    R_FINGERS,
    R_HIP,
    R_KNEE,
    R_NECK,
    R_SHOULDER,
    R_WRIST,
    SHIN,
    THIGH,
    TORSO,
    UPPER_ARM,
    Angles,
    Body,
    Limb,
)

V3 = tuple[float, float, float]  # (u along the torso to the head, v up to the near side, z out)

# Half-widths of the torso seen from the front, from the buttocks to the neck: (u, v).
OUTLINE = [(-6.0, 7.0), (-2.0, 14.5), (5.0, 16.5), (14.0, 14.5), (22.0, 13.0), (32.0, 15.0),
           (42.0, 18.0), (48.0, 18.5), (53.0, 14.5), (56.0, 6.0)]  # fmt: skip
HIP_SPREAD = 8.5  # hip joints from the middle line
FOOT_R = 4.2


def _add(a: V3, b: V3, k: float = 1.0) -> V3:
    return (a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2])


def _mix(a: V3, ka: float, b: V3, kb: float) -> V3:
    return (ka * a[0] + kb * b[0], ka * a[1] + kb * b[1], ka * a[2] + kb * b[2])


def _rotate(p: V3, axis: V3, degrees: float) -> V3:
    """`p` turned about the unit `axis` through the origin (Rodrigues)."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    dot = p[0] * axis[0] + p[1] * axis[1] + p[2] * axis[2]
    cross = (
        axis[1] * p[2] - axis[2] * p[1],
        axis[2] * p[0] - axis[0] * p[2],
        axis[0] * p[1] - axis[1] * p[0],
    )
    return (
        p[0] * c + cross[0] * s + axis[0] * dot * (1 - c),
        p[1] * c + cross[1] * s + axis[1] * dot * (1 - c),
        p[2] * c + cross[2] * s + axis[2] * dot * (1 - c),
    )


def _unit(v: V3) -> V3 | None:
    n = math.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2)
    return None if n < 1e-9 else (v[0] / n, v[1] / n, v[2] / n)


def _limb(
    root: V3, flex: float, lift: float, bend: float, end: float, sign: float, leg: bool
) -> tuple[list[V3], V3]:
    """Joints (root, middle, end joint, tip) of a limb lying along the body towards the
    feet at 0, and the direction of its hand or foot."""
    f = math.radians(flex)
    straight: V3 = (-math.cos(f), 0.0, math.sin(f))
    front: V3 = (math.sin(f), 0.0, math.cos(f))  # where more `flex` moves it
    a = math.radians(lift)
    upper = _mix(straight, math.cos(a), (0.0, sign, 0.0), math.sin(a))
    k = math.radians(bend)
    # a knee bends the shin back, an elbow bends the forearm forward
    lower = _mix(upper, math.cos(k), front, -math.sin(k) if leg else math.sin(k))
    lower_front = _mix(upper, math.sin(k), front, math.cos(k)) if leg else front
    a_len, b_len = (THIGH, SHIN) if leg else (UPPER_ARM, FOREARM)
    middle = _add(root, upper, a_len)
    joint = _add(middle, lower, b_len)
    if leg:
        e = math.radians(end)  # a foot at 0 is at right angles to the shin, toes forward
        tip_dir = _mix(lower, math.sin(e), lower_front, math.cos(e))
        tip = _add(joint, tip_dir, 15.0)
    else:
        tip_dir = lower
        tip = _add(joint, lower, HAND)
    return [root, middle, joint, tip], tip_dir


def _open(joints: list[V3], degrees: float, sign: float) -> list[V3]:
    """A bent leg turned about its hip-to-ankle line so the knee rises (the clamshell)."""
    root, knee, ankle, toe = joints
    axis = _unit(_add(ankle, root, -1.0))
    if axis is None or degrees == 0:
        return joints
    turned = [_rotate(_add(p, root, -1.0), axis, degrees) for p in (knee, ankle, toe)]
    other = [_rotate(_add(p, root, -1.0), axis, -degrees) for p in (knee, ankle, toe)]
    if (other[0][1] - turned[0][1]) * sign > 0:
        turned = other
    return [root, *(_add(p, root) for p in turned)]


def build_front(angles: Angles, tilt: float = 0.0, shoulders: float = 13.5) -> Body:
    """A body seen from the front, with the hip joint at the origin and the shoulder joints
    `shoulders` cm either side of the middle (lying on the side, nearer: the arm lies along
    the body and the lower one fits under the head)."""
    torso_phi = 180.0 - angles["torso"] + tilt
    hip: Pt = (0.0, 0.0)

    def at(u: float, v: float) -> Pt:
        return local(hip, torso_phi, u, -v)

    def project(p: V3) -> Pt:
        return at(p[0], p[1])

    limbs: dict[str, Limb] = {}
    for side, sign in (("near", 1.0), ("far", -1.0)):
        leg_joints, foot = _limb(
            (0.0, sign * HIP_SPREAD, 0.0),
            angles[f"{side}_hip"],
            angles.get(f"{side}_lift", 0.0),
            angles[f"{side}_knee"],
            angles[f"{side}_ankle"],
            sign,
            leg=True,
        )
        leg_joints = _open(leg_joints, angles.get(f"{side}_open", 0.0), sign)
        pts = [project(p) for p in leg_joints]
        limb = Limb(side, "leg", pts, _phi(at(0, 0), project(foot)))
        toe = pts[3]
        limb.shapes = {
            "upper": capsule(pts[0], R_HIP, pts[1], R_KNEE),
            "lower": capsule(pts[1], R_KNEE, pts[2], R_ANKLE),
            "end": capsule(pts[2], FOOT_R, toe, FOOT_R - 1.2),
        }
        limbs[f"{side}_leg"] = limb
        arm_joints, _ = _limb(
            (TORSO, sign * shoulders, 0.0),
            angles[f"{side}_shoulder"],
            angles.get(f"{side}_arm_lift", 0.0),
            angles[f"{side}_elbow"],
            0.0,
            sign,
            leg=False,
        )
        pts = [project(p) for p in arm_joints]
        limb = Limb(side, "arm", pts, _phi(pts[2], pts[3]))
        limb.shapes = {
            "upper": capsule(pts[0], R_SHOULDER, pts[1], R_ELBOW),
            "lower": capsule(pts[1], R_ELBOW, pts[2], R_WRIST),
            "end": capsule(pts[2], R_WRIST + 0.3, pts[3], R_FINGERS),
        }
        limbs[f"{side}_arm"] = limb
    ring = [(u, v) for u, v in OUTLINE] + [(u, -v) for u, v in reversed(OUTLINE)]
    torso = smooth([at(u, v) for u, v in ring])
    neck_base = at(TORSO + 6.0, 0.0)
    head_phi = torso_phi - angles["head"]
    head = local(neck_base, head_phi, NECK, 0.0)
    neck = capsule(neck_base, R_NECK + 1.5, local(neck_base, head_phi, NECK - 4, 0.0), R_NECK)
    # seen from the front there is no nose: a dot in the middle of the head keeps the shape
    nose = Shape([], [head])
    head_shape = circle(head, HEAD_R)
    return Body(hip, torso_phi, head_phi, head, torso, neck, head_shape, nose, limbs, view="front")


def _phi(a: Pt, b: Pt) -> float:
    if abs(b[0] - a[0]) + abs(b[1] - a[1]) < 1e-9:
        return 0.0
    return phi_of((b[0] - a[0], b[1] - a[1]))
