"""The side-view body: proportions, the base positions, and forward kinematics.

The figure faces right (+x). Joint angles follow docs/pose-format.md; `Body` holds the
joints and the outline shapes of every part in world coordinates.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from backplan.figures.geometry import (
    Pt,
    Shape,
    add,
    along,
    capsule,
    circle,
    local,
    mapped,
    simplified,
    smooth,
)

# Proportions of an adult about 172 cm tall, in centimetres.
THIGH, SHIN, ANKLE_HEIGHT = 44.0, 44.0, 8.0
TORSO = 47.0  # hip joint to shoulder joint
NECK = 15.0  # top of the torso to the centre of the head
HEAD_R = 10.5
UPPER_ARM, FOREARM, HAND = 31.0, 26.0, 13.0
R_HIP, R_KNEE, R_ANKLE = 8.3, 5.4, 3.7
R_SHOULDER, R_ELBOW, R_WRIST, R_FINGERS = 5.6, 3.8, 2.6, 2.2
R_NECK = 4.8
FAR_OFFSET = (-3.0, 0.0)  # far limbs sit a little behind the near ones so both show

# Torso outline as (u along hip->shoulder, v towards the front), back from the buttocks up,
# then the front from the neck down.
TORSO_BACK = [(-9, -6), (-4, -10.5), (3, -12), (11, -10.5), (20, -8.5), (31, -9.5), (41, -11.5),
              (49, -9.5), (54, -5)]  # fmt: skip
TORSO_FRONT = [
    (55, 1),
    (50, 8),
    (41, 11.5),
    (32, 10),
    (22, 9.5),
    (12, 10),
    (4, 9),
    (-3, 6),
    (-8, 0),
]
# Foot outline as (w along the foot from the ankle, n up from it).
FOOT = [(-4.5, 2.5), (-6.5, -3), (-5.2, -7.2), (-2.5, -8), (13, -8), (18, -7.2), (19.8, -5.6),
        (18, -3.9), (10, -2.6), (4, 1.2), (2.8, 4)]  # fmt: skip
TOE_W, HEEL_W = 10.0, -1.0  # foot points beyond these count as toes / heel
SPOTS_U = {  # where along the torso a spot is (u), and on which side (+1 front, -1 back)
    "shoulders": (46.0, -1),
    "upper_back": (42.0, -1),
    "mid_back": (29.0, -1),
    "lower_back": (16.0, -1),
    "glutes": (1.0, -1),
    "hips": (2.0, -1),
    "chest": (40.0, 1),
    "belly": (20.0, 1),
}

JOINTS = ("torso", "head", "spine", "hip", "knee", "ankle", "shoulder", "elbow")
SIDE_LYING_ONLY = ("lift", "arm_lift", "open")  # turns that only show seen from the front
SIDES = ("near", "far")


@dataclass(frozen=True)
class BaseSpec:
    angles: dict[str, float]  # a joint for both sides, or `near_hip`, `far_knee`, ...
    ground: tuple[str, ...]
    view: str = "side"
    shoulders: float = 13.5  # seen from the front: shoulder joints from the middle line


_ZERO = {"torso": 0.0, "head": 0.0, "hip": 0.0, "knee": 0.0, "ankle": 0.0, "shoulder": 0.0,
         "elbow": 0.0}  # fmt: skip
BASES: dict[str, BaseSpec] = {
    "standing": BaseSpec({**_ZERO, "elbow": 6.0}, ("feet",)),
    "forearm_plank": BaseSpec(
        {**_ZERO, "torso": 75.0, "shoulder": 75.0, "elbow": 90.0, "head": -5.0},
        ("forearms", "toes"),
    ),
    "kneeling_plank": BaseSpec(
        {**_ZERO, "torso": 70.0, "knee": 100.0, "ankle": 20.0, "shoulder": 72.0, "elbow": 90.0},
        ("forearms", "knees"),
    ),
    "all_fours": BaseSpec(
        {**_ZERO, "torso": 90.0, "hip": 90.0, "knee": 100.0, "ankle": 70.0, "shoulder": 90.0},
        ("hands", "knees"),
    ),
    "supine": BaseSpec({**_ZERO, "torso": -90.0, "ankle": 20.0}, ("shoulders", "hips", "heels")),
    "prone": BaseSpec(
        {**_ZERO, "torso": 90.0, "ankle": 80.0, "shoulder": 160.0, "elbow": 60.0, "head": -10.0},
        ("shoulders", "hips"),
    ),
    "seated": BaseSpec({**_ZERO, "hip": 90.0, "knee": 90.0, "elbow": 6.0}, ("feet",)),
    # the near (black) leg kneels behind, its hip stretched; the far foot is in front
    "half_kneeling": BaseSpec(
        {
            **_ZERO,
            "near_hip": -10.0,
            "far_hip": 90.0,
            "knee": 90.0,
            "near_ankle": 60.0,
            "elbow": 6.0,
        },
        ("near_knee", "far_foot"),
    ),
    # chest up on the forearms, hips and legs on the floor (press-ups straighten the arms)
    "prone_on_elbows": BaseSpec(
        {
            **_ZERO,
            "torso": 55.0,
            "spine": -15.0,
            "hip": -35.0,
            "ankle": 80.0,
            "shoulder": 55.0,
            "elbow": 90.0,
            "head": -20.0,
        },
        ("forearms", "hips", "feet"),
    ),
    # upright, seen from the front (its right side is the near one): sideways leg lifts
    "standing_front": BaseSpec({**_ZERO, "elbow": 6.0}, ("feet",), view="front", shoulders=16.5),
    # on the far side, seen from the front, head on the far arm; see frontview.py
    "side_lying": BaseSpec(
        {
            **_ZERO,
            "torso": -90.0,
            "hip": 10.0,
            "knee": 10.0,
            "far_arm_lift": 175.0,
            "far_elbow": 10.0,
        },
        ("hips", "far_forearm"),
        view="front",
    ),
}


@dataclass
class Limb:
    """One arm or leg: its joints from the root out, and its outline shapes."""

    side: str
    kind: str  # arm | leg
    joints: list[Pt]  # arm: shoulder, elbow, wrist, fingertips; leg: hip, knee, ankle, toe
    end_phi: float  # direction of the hand or foot
    shapes: dict[str, Shape] = field(default_factory=dict)  # upper, lower, end


@dataclass
class Body:
    hip: Pt
    torso_phi: float
    head_phi: float
    head: Pt
    torso: Shape
    neck: Shape
    head_shape: Shape
    nose: Shape
    limbs: dict[str, Limb]  # near_arm, far_arm, near_leg, far_leg
    bend: float = 0.0
    view: str = "side"  # "front": lying on the side, seen from the belly (frontview.py)

    def shifted(self, dx: float, dy: float) -> Body:
        def mv(p: Pt) -> Pt:
            return (p[0] + dx, p[1] + dy)

        return Body(
            mv(self.hip),
            self.torso_phi,
            self.head_phi,
            mv(self.head),
            self.torso.shifted(dx, dy),
            self.neck.shifted(dx, dy),
            self.head_shape.shifted(dx, dy),
            self.nose.shifted(dx, dy),
            {
                k: Limb(
                    v.side,
                    v.kind,
                    [mv(p) for p in v.joints],
                    v.end_phi,
                    {n: s.shifted(dx, dy) for n, s in v.shapes.items()},
                )
                for k, v in self.limbs.items()
            },
            self.bend,
            self.view,
        )

    def torso_point(self, u: float, v: float) -> Pt:
        """A point `u` up the torso axis and `v` towards the front."""
        su, sv = Spine(self.bend).point(u, v)
        return local(self.hip, self.torso_phi, su, -sv)

    def surface(self, spot: str) -> tuple[Pt, float]:
        """The torso's surface at a named spot, and the outward direction there."""
        u, side = SPOTS_U[spot]
        profile = TORSO_FRONT if side > 0 else TORSO_BACK
        v = _interpolate(profile, u)
        theta = self.bend * (min(max(u, 0.0), TORSO) / TORSO - 0.5)
        return self.torso_point(u, v), self.torso_phi - theta - 90 * side

    def shoulder(self, side: str) -> Pt:
        return self.limbs[f"{side}_arm"].joints[0]


def _interpolate(profile: Sequence[tuple[float, float]], u: float) -> float:
    pts = sorted(profile)
    for (u0, v0), (u1, v1) in itertools.pairwise(pts):
        if u0 <= u <= u1:
            return v0 + (v1 - v0) * (u - u0) / (u1 - u0)
    return pts[0][1] if u < pts[0][0] else pts[-1][1]


Angles = dict[str, float]  # "torso", "head", and "near_hip", "far_knee", ...


def build(angles: Angles, tilt: float = 0.0, flat: frozenset[str] = frozenset()) -> Body:
    """Forward kinematics from the hip joint at the origin; `tilt` turns the whole body
    (counter-clockwise), `flat` names hands, forearms and feet laid flat on the floor."""
    torso_phi = 180.0 - angles["torso"] + tilt
    down = torso_phi - 180.0
    hip = (0.0, 0.0)
    bend = angles.get("spine", 0.0)
    spine = Spine(bend)

    def at(u: float, v: float) -> Pt:
        su, sv = spine.point(u, v)
        return local(hip, torso_phi, su, -sv)

    shoulder = at(TORSO, 0.0)
    neck_base = at(TORSO + 6.0, 1.5)
    head_phi = torso_phi - bend / 2 - angles["head"]
    head = along(neck_base, head_phi, NECK)
    limbs: dict[str, Limb] = {}
    for side in SIDES:
        off = FAR_OFFSET if side == "far" else (0.0, 0.0)
        thigh_phi = down + angles[f"{side}_hip"]
        shin_phi = thigh_phi - angles[f"{side}_knee"]
        foot_phi = 90.0 if f"{side}_foot" in flat else shin_phi + 90.0 - angles[f"{side}_ankle"]
        limbs[f"{side}_leg"] = leg(side, add(hip, off), thigh_phi, shin_phi, foot_phi)
        arm_phi = down + angles[f"{side}_shoulder"]
        fore_phi = 90.0 if f"{side}_forearm" in flat else arm_phi + angles[f"{side}_elbow"]
        hand_phi = 90.0 if f"{side}_hand" in flat or f"{side}_forearm" in flat else fore_phi
        limbs[f"{side}_arm"] = arm(side, add(shoulder, off), arm_phi, fore_phi, hand_phi)
    torso = smooth([at(u, v) for u, v in TORSO_BACK + TORSO_FRONT])
    torso.commands = mapped(_torso_outline(), lambda p: at(p[1], p[0]))
    neck = capsule(neck_base, R_NECK + 0.6, along(neck_base, head_phi, NECK - 4), R_NECK)
    face = head_phi - 90.0
    nose = smooth(
        [
            local(head, face, HEAD_R - 1.5, 2.5),
            local(head, face, HEAD_R + 2.2, 0.2),
            local(head, face, HEAD_R - 1.0, -2.2),
        ]
    )
    return Body(
        hip, torso_phi, head_phi, head, torso, neck, circle(head, HEAD_R), nose, limbs, bend
    )


@dataclass(frozen=True)
class Spine:
    """The torso's centre line bent evenly by `bend` degrees (rounded positive, arched
    negative) with its ends on the straight hip-to-shoulder line."""

    bend: float

    def point(self, u: float, v: float) -> Pt:
        """Where the straight torso's point (u along, v to the front) lies on the bent one."""
        theta = math.radians(self.bend)
        if abs(theta) < 1e-6:
            return (u, v)
        s = min(max(u, 0.0), TORSO)
        psi0 = -theta / 2
        psi = psi0 + theta * s / TORSO
        k = TORSO / theta
        cu = k * (math.sin(psi) - math.sin(psi0))
        cv = -k * (math.cos(psi) - math.cos(psi0))
        extra = u - s  # beyond the ends the torso carries on straight
        tu, tv = math.cos(psi), math.sin(psi)
        return (cu + extra * tu - v * tv, cv + extra * tv + v * tu)


def leg(side: str, hip: Pt, thigh_phi: float, shin_phi: float, foot_phi: float) -> Limb:
    knee = along(hip, thigh_phi, THIGH)
    ankle = along(knee, shin_phi, SHIN)
    toe = local(ankle, foot_phi, FOOT[6][0], FOOT[6][1])
    limb = Limb(side, "leg", [hip, knee, ankle, toe], foot_phi)
    limb.shapes = {
        "upper": capsule(hip, R_HIP, knee, R_KNEE),
        "lower": capsule(knee, R_KNEE, ankle, R_ANKLE),
        "end": foot_shape(ankle, foot_phi),
    }
    return limb


def foot_shape(ankle: Pt, foot_phi: float) -> Shape:
    shape = smooth([local(ankle, foot_phi, w, n) for w, n in FOOT])
    shape.commands = mapped(_foot_outline(), lambda p: local(ankle, foot_phi, p[0], p[1]))
    return shape


# The drawn outlines use fewer curves than the samples the checks use: fitted once, in the
# part's own frame (torso: x forward, y up the spine; foot: x along it, y up), then moved
# with the part, which keeps the PDF cheaper to draw.
OUTLINE_TOLERANCE = 0.4  # cm


@cache
def _torso_outline() -> list[tuple]:
    return simplified(
        smooth([(v, u) for u, v in TORSO_BACK + TORSO_FRONT]), OUTLINE_TOLERANCE
    ).commands


@cache
def _foot_outline() -> list[tuple]:
    return simplified(smooth(FOOT), OUTLINE_TOLERANCE).commands


def arm(side: str, shoulder: Pt, arm_phi: float, fore_phi: float, hand_phi: float) -> Limb:
    elbow = along(shoulder, arm_phi, UPPER_ARM)
    wrist = along(elbow, fore_phi, FOREARM)
    tip = along(wrist, hand_phi, HAND)
    limb = Limb(side, "arm", [shoulder, elbow, wrist, tip], hand_phi)
    limb.shapes = {
        "upper": capsule(shoulder, R_SHOULDER, elbow, R_ELBOW),
        "lower": capsule(elbow, R_ELBOW, wrist, R_WRIST),
        "end": capsule(wrist, R_WRIST + 0.3, tip, R_FINGERS),
    }
    return limb


def resolve(base: str, overrides: dict[str, float | dict[str, float | None] | None]) -> Angles:
    """The base position's angles with a frame's changes applied (per side where given)."""
    spec = BASES[base].angles
    out: Angles = {"torso": spec["torso"], "head": spec["head"], "spine": spec.get("spine", 0.0)}
    for joint in JOINTS[3:] + SIDE_LYING_ONLY:
        for side in SIDES:
            out[f"{side}_{joint}"] = spec.get(f"{side}_{joint}", spec.get(joint, 0.0))
    for joint, value in overrides.items():
        if value is None:
            continue
        if joint in ("torso", "head", "spine"):
            out[joint] = float(value)  # type: ignore[arg-type]
        elif isinstance(value, dict):
            for side in SIDES:
                if value.get(side) is not None:
                    out[f"{side}_{joint}"] = float(value[side])  # type: ignore[arg-type]
        else:
            for side in SIDES:
                out[f"{side}_{joint}"] = float(value)
    return out
