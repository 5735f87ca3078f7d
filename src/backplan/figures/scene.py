"""Solving one frame of a pose: angles to a body resting on the floor, props placed, hands
and feet moved onto their targets, and the problems a person editing the pose can fix."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from backplan.figures import props as P
from backplan.figures.frontview import build_front
from backplan.figures.geometry import Pt, Shape, add, along, direction, dist, local, phi_of, sub
from backplan.figures.pose import PLACES, Frame, Placement, Pose
from backplan.figures.skeleton import (
    ANKLE_HEIGHT,
    BASES,
    FOREARM,
    HEAD_R,
    JOINTS,
    R_KNEE,
    R_WRIST,
    SHIN,
    SIDE_LYING_ONLY,
    SPOTS_U,
    THIGH,
    TOE_W,
    UPPER_ARM,
    Body,
    Limb,
    arm,
    build,
    leg,
    resolve,
)

TOUCH_TOLERANCE = 3.0  # cm a listed contact may float above the floor
FLOOR_TOLERANCE = 1.5  # cm anything may dip below it (outlines are drawn over the line)
REACH_SLACK = 2.0  # cm a straight limb may fall short of its target and still hold it
LEVEL_MIN_SPAN = 15.0  # contacts closer than this do not tilt the body

PAIRS = {
    "feet": ("near_foot", "far_foot"),
    "toes": ("near_toes", "far_toes"),
    "heels": ("near_heel", "far_heel"),
    "knees": ("near_knee", "far_knee"),
    "hands": ("near_hand", "far_hand"),
    "forearms": ("near_forearm", "far_forearm"),
}
FLAT_CONTACTS = {"near_foot", "far_foot", "near_hand", "far_hand", "near_forearm", "far_forearm"}
SEATS = ("chair", "stability_ball", "sturdy_support")
FOOT_PARTS = ("foot", "toes", "heel")
WORDS = {
    "near_foot": "the near foot",
    "far_foot": "the far foot",
    "near_toes": "the near toes",
    "far_toes": "the far toes",
    "near_heel": "the near heel",
    "far_heel": "the far heel",
    "near_knee": "the near knee",
    "far_knee": "the far knee",
    "near_hand": "the near hand",
    "far_hand": "the far hand",
    "near_forearm": "the near forearm",
    "far_forearm": "the far forearm",
    "hips": "the hips",
    "shoulders": "the shoulders",
    "head": "the head",
    "torso": "the torso",
    "near_arm": "the near arm",
    "far_arm": "the far arm",
    "near_leg": "the near leg",
    "far_leg": "the far leg",
}

Loc = tuple[str | int, ...]


@dataclass
class Mark:
    kind: str  # squeeze | arrow
    shapes: list[Shape]
    spot: str = ""
    direction: str = ""
    k: float = 1.0  # drawn this many times bigger (and bolder) than for a full-size figure


@dataclass
class Scene:
    """One solved frame, in world coordinates with the floor at y = 0."""

    body: Body
    props: list[P.Prop] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    wall: tuple[float, int] | None = None  # face x and facing; drawn to the figure's height
    problems: list[tuple[Loc, str]] = field(default_factory=list)
    contacts: dict[str, float] = field(default_factory=dict)  # contact -> floor height under it

    def body_shapes(self) -> dict[str, list[Shape]]:
        """Every outline of the body, by part (torso, head, near_arm, ...)."""
        b = self.body
        parts = {"torso": [b.torso, b.neck], "head": [b.head_shape, b.nose]}
        for name, limb in b.limbs.items():
            parts[name] = list(limb.shapes.values())
        return parts

    def bounds(self) -> tuple[float, float, float]:
        """Leftmost x, rightmost x and top y of everything drawn (except the wall)."""
        pts = [p for shapes in self.body_shapes().values() for s in shapes for p in s.samples]
        pts += [p for prop in self.props for _, s in prop.shapes for p in s.samples]
        pts += [p for m in self.marks for s in m.shapes for p in s.samples]
        if self.wall is not None:
            pts.append((self.wall[0] + self.wall[1] * P.WALL_DEPTH, 0.0))
        return min(p[0] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)


def expand(parts: list[str]) -> list[str]:
    out: list[str] = []
    for p in parts:
        for q in PAIRS.get(p, (p,)):
            if q not in out:
                out.append(q)
    return out


def contact_points(body: Body, contact: str) -> list[Pt]:
    """The outline points of a part that can rest on the floor."""
    if contact in ("hips", "shoulders"):
        lo, hi = (-14.0, 16.0) if contact == "hips" else (32.0, 57.0)
        axis = (math.sin(math.radians(body.torso_phi)), -math.cos(math.radians(body.torso_phi)))
        return [
            p
            for p in body.torso.samples
            if lo <= (p[0] - body.hip[0]) * axis[0] + (p[1] - body.hip[1]) * axis[1] <= hi
        ]
    if contact == "head":
        return body.head_shape.samples
    side, part = contact.split("_", 1)
    if part in ("foot", "toes", "heel"):
        limb = body.limbs[f"{side}_leg"]
        foot = limb.shapes["end"].samples
        if part == "foot":
            return foot
        ankle, phi = limb.joints[2], limb.end_phi
        u = (math.sin(math.radians(phi)), -math.cos(math.radians(phi)))

        def w(p: Pt) -> float:
            return (p[0] - ankle[0]) * u[0] + (p[1] - ankle[1]) * u[1]

        # a foot seen end-on (lying on the side) has no toes or heel to pick: all of it
        return [p for p in foot if (w(p) >= TOE_W if part == "toes" else w(p) <= -1.0)] or foot
    if part == "knee":
        limb = body.limbs[f"{side}_leg"]
        knee = limb.joints[1]
        return [p for p in limb.shapes["lower"].samples if dist(p, knee) < 6.5]
    limb = body.limbs[f"{side}_arm"]
    if part == "hand":
        return limb.shapes["end"].samples
    return limb.shapes["lower"].samples  # forearm


def lowest(body: Body, contact: str) -> Pt:
    return min(contact_points(body, contact), key=lambda p: (p[1], p[0]))


def solve(pose: Pose, frame: Frame, marks: float = 1.0) -> Scene:
    """Place one frame of `pose` on the floor and check it; `marks` enlarges the squeeze
    lines and the arrow for a drawing the handout prints small."""
    problems: list[tuple[Loc, str]] = []
    angles = resolve(pose.base, {k: _plain(getattr(frame, k)) for k in (*JOINTS, *SIDE_LYING_ONLY)})
    view = BASES[pose.base].view
    if view != "front":
        for key in SIDE_LYING_ONLY:
            if getattr(frame, key) is not None:
                problems.append(
                    (
                        (key,),
                        f"`{key}` only shows seen from the front: use `base: side_lying` "
                        "or `standing_front`",
                    )
                )
    ground = list(frame.ground if frame.ground is not None else BASES[pose.base].ground)
    contacts = expand(ground)
    placements: dict[str, Placement] = {
        str(name): where for props in (pose.props, frame.props) for name, where in props.items()
    }
    reach = {limb: (key, target) for key, target in frame.reach.items() for limb in expand([key])}
    for limb in reach:
        if limb in contacts:
            problems.append(
                (("reach",), f"{WORDS[limb]} is listed under `ground` and under `reach`; keep one")
            )
    contacts = [c for c in contacts if c not in reach]
    if not contacts:
        problems.append(
            (("ground",), "list at least one part that rests on the floor under `ground`")
        )
        contacts = ["near_foot"]
    floor = P.THICKNESS["mat"] if "mat" in placements else 0.0
    heights = {c: floor + _lift_under(c, placements) for c in contacts}
    # seen from the front, a hand or foot on the floor shows its edge: nothing to lay flat
    flat = frozenset(c for c in contacts if c in FLAT_CONTACTS and view == "side")
    make = (
        partial(build_front, shoulders=BASES[pose.base].shoulders)
        if view == "front"
        else partial(build, flat=flat)
    )

    tilt = _level(make, angles, flat, contacts, heights)
    body = make(angles, tilt)
    anchor_x = lowest(body, contacts[0])[0]
    if contacts[0] in ("near_foot", "far_foot"):
        anchor_x = body.limbs[contacts[0].replace("foot", "leg")].joints[2][0]
    drop = min(lowest(body, c)[1] - heights[c] for c in contacts)
    body = body.shifted(-anchor_x, -drop)
    scene = Scene(body, contacts=heights)

    _place_props(scene, placements, problems)
    for limb_name, (key, target) in sorted(reach.items()):
        _reach(scene, limb_name, target, ("reach", key), problems)
    _attach_pulls(scene, placements, problems)
    _check_contacts(scene, ground, problems)
    _check_floor(scene, floor, problems)
    if pose.base == "seated" and "hips" not in contacts and angles["near_hip"] >= 45:
        seat = next((n for n in SEATS if n in placements and placements[n].under == "hips"), None)
        if seat is None:
            problems.append(
                (
                    ("ground",),
                    "a seated figure needs something under the hips: add "
                    "`chair: {under: hips}` to `props`, or list `hips` under `ground`",
                )
            )
    scene.marks = _marks(scene.body, frame, floor, marks)
    scene.problems = problems
    return scene


def _plain(value: Any) -> Any:
    return value.model_dump() if hasattr(value, "model_dump") else value


def _lift_under(contact: str, placements: dict[str, Placement]) -> float:
    """How much a glider or towel under a foot raises that foot's contact (only feet: a
    slider put under anything else is reported by `_slider`)."""
    side, _, part = contact.partition("_")
    if part not in FOOT_PARTS:
        return 0.0
    for name in ("glider", "towel"):
        where = placements.get(name)
        if where is None or where.under is None:
            continue
        covered = [c.partition("_") for c in expand([where.under])]
        if any(s == side and p in FOOT_PARTS for s, _, p in covered):
            return P.THICKNESS[name]
    return 0.0


def contact_discs(
    body: Body, contact: str, flat: frozenset[str]
) -> list[tuple[float, float, float]]:
    """A contact as discs (x, y, radius) whose lowest points are the part's lowest points
    however the body is tilted about the hip. A part laid flat keeps its own orientation,
    so it becomes one disc at its joint, as far above its underside as it is now."""
    if contact in flat:
        side, part = contact.split("_", 1)
        limb = body.limbs[f"{side}_{'leg' if part == 'foot' else 'arm'}"]
        joint = limb.joints[2] if part in ("foot", "hand") else limb.joints[1]
        return [(joint[0], joint[1], joint[1] - min(p[1] for p in contact_points(body, contact)))]
    if contact == "head":
        return [(body.head[0], body.head[1], HEAD_R)]
    if contact.endswith("_knee"):
        knee = body.limbs[contact.replace("knee", "leg")].joints[1]
        return [(knee[0], knee[1], R_KNEE)]
    return [(p[0], p[1], 0.0) for p in contact_points(body, contact)]


def _level(
    make: Callable[[dict[str, float], float], Body],
    angles: dict[str, float],
    flat: frozenset[str],
    contacts: list[str],
    heights: dict[str, float],
) -> float:
    """The whole-body tilt that rests the contacts on the floor as evenly as they allow,
    as a rigid body settles: the largest gap between a contact and the floor is smallest."""
    if len(contacts) < 2:
        return 0.0
    upright = make(angles, 0.0)
    xs = [lowest(upright, c)[0] for c in contacts]
    if max(xs) - min(xs) < LEVEL_MIN_SPAN:
        return 0.0
    discs = [(contact_discs(upright, c, flat), heights[c]) for c in contacts]

    def spread(tilt: float) -> float:
        sin, cos = math.sin(math.radians(tilt)), math.cos(math.radians(tilt))
        gaps = [min(x * sin + y * cos - r for x, y, r in ds) - h for ds, h in discs]
        return max(gaps) - min(gaps)

    best = min(range(-60, 61), key=lambda t: (round(spread(float(t)), 2), abs(t)))
    lo, hi = best - 1.0, best + 1.0
    for _ in range(30):  # golden-section search around the best whole degree
        a, b = hi - 0.618 * (hi - lo), lo + 0.618 * (hi - lo)
        if spread(a) <= spread(b):
            hi = b
        else:
            lo = a
    return round((lo + hi) / 2, 3)


def _facing(x: float) -> int:
    """Props in front of the figure extend forward, those behind it extend backward."""
    return 1 if x >= 0 else -1


def _place_props(
    scene: Scene, placements: dict[str, Placement], problems: list[tuple[Loc, str]]
) -> None:
    """Put each prop where its placement says; the wall and then the mat last, as they are
    placed against, or under, what is already there."""
    for name in sorted(placements, key=lambda n: (n == "wall", n == "mat", n)):
        _place_prop(scene, name, placements[name], problems)


def _place_prop(scene: Scene, name: str, where: Placement, problems: list[tuple[Loc, str]]) -> None:
    """One prop: added to the scene, or a problem saying how to place it."""
    loc: Loc = ("props", name)
    allowed = _ALLOWED[name]
    given = next((k for k in PLACES if getattr(where, k) is not None), None)
    if name == "mat" and given is None:
        given = "mat"
    if given not in allowed:
        problems.append(
            (
                loc,
                f"place the {name.replace('_', ' ')} with "
                + " or ".join(f"`{k}`" for k in allowed),
            )
        )
        return
    x = where.x if where.x is not None else 0.0  # only read where `given` is "x"
    if name in ("chair", "sturdy_support") and given == "x":
        facing = _facing(x) * (-1 if where.seat == "toward" else 1)
        maker = P.chair if name == "chair" else P.sturdy_support
        scene.props.append(maker(x, facing))
    elif name in SEATS and given == "under":
        _seat(scene, name, where.under, problems, loc)
    elif name == "stability_ball" and given == "against":
        _ball_against(scene, where.against, problems, loc)
    elif name == "stability_ball" and given == "x":
        scene.props.append(P.ball((x, P.BALL_R)))
    elif name == "wall":
        _place_wall(scene, where, given, x, problems, loc)
    elif name in ("glider", "towel") and given == "under":
        _slider(scene, name, where.under, problems, loc)
    elif given == "around" and where.around == "ankles" and name != "resistance_band":
        problems.append((loc, "only a resistance band goes round both ankles"))
    elif given == "around" and where.around != "ankles" and where.to is None:
        problems.append((loc, f"say which hand(s) hold the {name.replace('_', ' ')}: `to: hands`"))
    elif name == "mat":
        scene.props.append(_mat_under(scene))
    elif name == "dumbbell":
        pass  # drawn once the hands are where they end up (after reach)
    elif name in ("cable_machine", "resistance_band") and given == "x":
        if where.to is None:
            problems.append(
                (loc, f"say which hand(s) pull the {name.replace('_', ' ')}: `to: hands`")
            )
        if name == "cable_machine":
            scene.props.append(P.cable_machine(x, _facing(x)))
    elif name == "resistance_band" and given == "under" and where.to is None:
        problems.append((loc, "say which hand(s) pull the resistance band: `to: hands`"))


def _ball_against(scene: Scene, spot: object, problems: list[tuple[Loc, str]], loc: Loc) -> None:
    """The stability ball behind the back, touching it at `spot`."""
    point, out = scene.body.surface(spot) if spot in SPOTS_U else (None, 0.0)
    if point is None:
        problems.append(
            (
                loc,
                "the ball can lean against the back: use `lower_back`, `mid_back`, `upper_back` or `shoulders`",
            )
        )
        return
    scene.props.append(P.ball(along(point, out, P.BALL_R)))


def _place_wall(
    scene: Scene,
    where: Placement,
    given: str,
    x: float,
    problems: list[tuple[Loc, str]],
    loc: Loc,
) -> None:
    """The wall: at `x`, against the stability ball, or touching the body."""
    if given == "x":
        scene.wall = (x, _facing(x))
    elif where.against == "stability_ball":
        ball = next((p for p in scene.props if p.name == "stability_ball"), None)
        if ball is None:
            problems.append(
                (
                    loc,
                    "the wall is against the stability ball, but there is no ball in `props`",
                )
            )
            return
        top = ball.points["top"]
        scene.wall = (top[0] - P.BALL_R, -1)
    else:
        scene.wall = _wall_against(scene.body, str(where.against))


def _mat_under(scene: Scene) -> P.Prop:
    """A mat under every part of the figure near the floor, with a margin at each end."""
    xs = [
        p[0]
        for shapes in scene.body_shapes().values()
        for s in shapes
        for p in s.samples
        if p[1] < 25
    ]
    return P.mat(min(xs) - 8, max(xs) + 8)


def _wall_against(body: Body, spot: str) -> tuple[float, int]:
    """A wall touching the body at `spot`, on the side that spot faces."""
    if spot == "hands":
        limb = body.limbs["near_arm"]
        centre, out = limb.joints[2], phi_of(sub(limb.joints[2], limb.joints[0]))
    else:
        centre, out = spot_centre(body, spot)
    facing = 1 if math.sin(math.radians(out)) > 0 else -1
    near = [p for shapes in _all(body) for p in shapes.samples if dist(p, centre) < 22]
    x = max(p[0] for p in near) if facing > 0 else min(p[0] for p in near)
    return (x, facing)


_ALLOWED = {
    "chair": ("x", "under"),
    "sturdy_support": ("x",),
    "stability_ball": ("against", "under", "x"),
    "wall": ("x", "against"),
    "glider": ("under",),
    "towel": ("under", "around"),
    "mat": ("mat",),
    "dumbbell": ("held",),
    "cable_machine": ("x",),
    "resistance_band": ("x", "under", "around"),
}


def _seat(
    scene: Scene, name: str, under: str | None, problems: list[tuple[Loc, str]], loc: Loc
) -> None:
    if under != "hips":
        problems.append((loc, f"a {name.replace('_', ' ')} can only go `under: hips`"))
        return
    low = lowest(scene.body, "hips")
    height = low[1]
    lo, hi = {"chair": (30, 65), "stability_ball": (45, 75), "sturdy_support": (45, 100)}[name]
    if not lo <= height <= hi:
        problems.append(
            (
                loc,
                f"the seat would be {height:.0f} cm high; a {name.replace('_', ' ')} needs "
                f"{lo}-{hi} cm: change the hip or knee angles",
            )
        )
    hip_x = scene.body.hip[0]
    if name == "chair":  # the back rest just behind the buttocks, however the torso leans
        behind = min(p[0] for p in contact_points(scene.body, "hips")) - 2.5
        scene.props.append(P.chair(behind, 1, seat=height))
    elif name == "stability_ball":
        r = height / 2
        prop = P.ball((hip_x, r))
        scale = r / P.BALL_R
        prop.shapes = [(style, _scaled(s, (hip_x, r), scale)) for style, s in prop.shapes]
        scene.props.append(prop)
    else:
        scene.props.append(
            P.Prop("sturdy_support", "back", [("prop", P.rect(hip_x - 25, 0, hip_x + 25, height))])
        )


def _scaled(shape: Shape, centre: Pt, k: float) -> Shape:
    def sc(p: Pt) -> Pt:
        return (centre[0] + (p[0] - centre[0]) * k, centre[1] + (p[1] - centre[1]) * k)

    commands = []
    for c in shape.commands:
        if c[0] == "A":
            commands.append(("A", c[1] * k, c[2], sc(c[3])))
        else:
            commands.append((c[0], *[sc(p) for p in c[1:]]))
    return Shape(commands, [sc(p) for p in shape.samples])


def _slider(
    scene: Scene, name: str, under: str | None, problems: list[tuple[Loc, str]], loc: Loc
) -> None:
    feet = [c for c in expand([under or ""]) if c.split("_", 1)[-1] in ("foot", "toes", "heel")]
    if not feet:
        problems.append((loc, f"put the {name} under a foot, e.g. `under: far_foot`"))
        return
    for contact in feet:
        side = contact.split("_", 1)[0]
        limb = scene.body.limbs[f"{side}_leg"]
        x = (
            lowest(scene.body, f"{side}_toes")[0]
            if contact.endswith("toes")
            else limb.joints[2][0] + 5
        )
        scene.props.append(P.slider(name, x))


def _target(scene: Scene, target: str, side: str = "near") -> Pt | None:
    body = scene.body
    if target == "hips":  # seen from the front, each hand on its own side of the waist
        lateral = (15.0 if side == "near" else -15.0) if body.view == "front" else 0.0
        return body.torso_point(8.0, lateral)
    if target == "chest":
        return body.torso_point(36.0, 9.0)
    if target in ("near_thigh", "near_knee"):
        hip, knee = body.limbs["near_leg"].joints[:2]
        k = 0.72 if target == "near_thigh" else 1.0
        return add(hip, sub(knee, hip), k)
    prop_name, point = target.split(".", 1)
    for prop in scene.props:
        if prop.name == prop_name and point in prop.points:
            return prop.points[point]
    return None


def _reach(
    scene: Scene, limb_name: str, target: str, loc: Loc, problems: list[tuple[Loc, str]]
) -> None:
    side, part = limb_name.split("_", 1)
    goal = _target(scene, target, side)
    if goal is None:
        prop_name = target.split(".", 1)[0]
        problems.append(
            (loc, f"`{target}`: there is no {prop_name.replace('_', ' ')} in `props` to reach")
        )
        return
    key = f"{side}_{'arm' if part == 'hand' else 'leg'}"
    limb = scene.body.limbs[key]
    root = limb.joints[0]
    a, b = (UPPER_ARM, FOREARM) if part == "hand" else (THIGH, SHIN)
    on_body = "." not in target
    lift = 0.0 if on_body else (R_WRIST + 0.6 if part == "hand" else ANKLE_HEIGHT)
    end = (goal[0], goal[1] + lift)
    d = dist(root, end)
    if d > a + b + REACH_SLACK:
        problems.append(
            (
                loc,
                f"{WORDS[limb_name]} cannot reach `{target}`: it is {d - a - b:.0f} cm too far; move the prop or change the pose",
            )
        )
        return
    if d < abs(a - b) + 2:
        problems.append(
            (
                loc,
                f"{WORDS[limb_name]} cannot reach `{target}`: it is too close to the {'shoulder' if part == 'hand' else 'hip'}",
            )
        )
        return
    cos_beta = max(-1.0, min(1.0, (a * a + d * d - b * b) / (2 * a * d))) if d < a + b else 1.0
    beta = math.degrees(math.acos(cos_beta))
    toward = phi_of((end[0] - root[0], end[1] - root[1]))
    upper = toward - beta if part == "hand" else toward + beta
    if scene.body.view == "front":  # the elbow or knee bends out to its own side
        body = scene.body
        o, out = body.torso_point(0.0, 0.0), body.torso_point(0.0, 1.0 if side == "near" else -1.0)

        def outward(phi: float) -> float:
            m = along(root, phi, a)
            return (m[0] - o[0]) * (out[0] - o[0]) + (m[1] - o[1]) * (out[1] - o[1])

        upper = max((toward - beta, toward + beta), key=outward)
    middle = along(root, upper, a)
    lower = phi_of((end[0] - middle[0], end[1] - middle[1]))
    end_phi = 90.0 if end[0] >= root[0] else -90.0
    if on_body:  # a hand on the hips points down, one on the chest points up it
        torso = scene.body.torso_phi
        end_phi = {"hips": torso - 165.0, "chest": torso - 10.0}.get(target, lower)
    if part == "hand":
        scene.body.limbs[key] = arm(side, root, upper, lower, end_phi)
    else:
        scene.body.limbs[key] = leg(side, root, upper, lower, 90.0)


def _grip(limb: Limb) -> Pt:
    """Where a hand holds a handle: a little past the wrist."""
    wrist, tip = limb.joints[2], limb.joints[3]
    return add(wrist, ((tip[0] - wrist[0]) * 0.35, (tip[1] - wrist[1]) * 0.35))


def _hands(body: Body, who: str) -> Pt:
    sides = ("near", "far") if who == "hands" else (who.split("_", 1)[0],)
    grips = [_grip(body.limbs[f"{s}_arm"]) for s in sides]
    return (sum(p[0] for p in grips) / len(grips), sum(p[1] for p in grips) / len(grips))


def _attach_pulls(
    scene: Scene, placements: dict[str, Placement], problems: list[tuple[Loc, str]]
) -> None:
    body = scene.body
    for name in ("towel", "resistance_band"):  # a strap looped round a foot, held in the hands
        where = placements.get(name)
        if name == "resistance_band" and where is not None and where.around == "ankles":
            ankles = [body.limbs[f"{s}_leg"].joints[2] for s in ("near", "far")]
            scene.props.append(P.loop(ankles[0], ankles[1]))
        elif where is not None and where.around is not None and where.to is not None:
            limb = body.limbs[where.around.replace("foot", "leg")]
            ankle, phi = limb.joints[2], limb.end_phi
            ball = local(ankle, phi, 13.0, -9.5)  # just under the ball of the foot
            scene.props.append(P.strap(name, _hands(body, where.to), ball, ankle))
    for name in ("cable_machine", "resistance_band"):
        where = placements.get(name)
        if where is None or where.to is None or where.around is not None:
            continue
        hand = _hands(body, where.to)
        if name == "cable_machine" and where.x is not None:
            pulley = (where.x, P.PULLEY_HEIGHT)
            scene.props.append(P.cable(pulley, hand, where.handle == "rope"))
        elif name == "resistance_band":
            if where.x is not None:
                anchor = (where.x, where.height if where.height is not None else 12.0)
            else:
                feet = [
                    c for c in expand([where.under or "feet"]) if c in ("near_foot", "far_foot")
                ]
                side = feet[0].split("_", 1)[0] if feet else "near"
                anchor = (body.limbs[f"{side}_leg"].joints[2][0] + 4, 1.5)
            scene.props.append(P.band(anchor, hand))
    where = placements.get("dumbbell")
    if where is not None and where.held is not None:
        side = "near" if where.held in ("hands", "near_hand") else "far"
        limb = body.limbs[f"{side}_arm"]
        fore_phi = phi_of(
            (limb.joints[2][0] - limb.joints[1][0], limb.joints[2][1] - limb.joints[1][1])
        )
        scene.props.append(P.dumbbell(_hands(body, where.held), fore_phi + 90))


def _check_contacts(scene: Scene, ground: list[str], problems: list[tuple[Loc, str]]) -> None:
    for index, entry in enumerate(ground):
        for contact in expand([entry]):
            if contact not in scene.contacts:
                continue
            gap = lowest(scene.body, contact)[1] - scene.contacts[contact]
            if gap > TOUCH_TOLERANCE:
                problems.append(
                    (
                        ("ground", index),
                        f"{WORDS[contact]} should rest on the floor but {_is(contact)} "
                        f"{gap:.0f} cm above it; "
                        "change the angles or remove it from `ground`",
                    )
                )


def _is(part: str) -> str:
    return "are" if part.endswith(("s", "toes")) else "is"


def _check_floor(scene: Scene, floor: float, problems: list[tuple[Loc, str]]) -> None:
    for part, shapes in scene.body_shapes().items():
        low = min(s.lowest() for s in shapes)
        if low < floor - FLOOR_TOLERANCE:
            problems.append(
                (
                    (),
                    f"{WORDS[part]} goes {floor - low:.0f} cm below the floor; change the angles or list it under `ground`",
                )
            )


def spot_centre(body: Body, spot: str) -> tuple[Pt, float]:
    """The middle of a named spot and the direction pointing out of the body there."""
    if spot in SPOTS_U:
        point, out = body.surface(spot)
        return point, out
    if spot == "head":
        return body.head, body.head_phi
    near_leg, near_arm = body.limbs["near_leg"], body.limbs["near_arm"]
    if spot == "thighs":
        a, b = near_leg.joints[0], near_leg.joints[1]
        return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), body.torso_phi - 90
    if spot == "knees":
        return near_leg.joints[1], body.torso_phi - 90
    if spot == "feet":
        return near_leg.joints[2], 0.0
    return near_arm.joints[2], 0.0  # hands


DIRECTIONS = {"up": 180.0, "down": 0.0, "forward": 90.0, "back": -90.0}


ARROW_LENGTH, ARROW_GAP = 16.0, 4.0


def _arrow(body: Body, spot: str, phi: float, floor: float, k: float = 1.0) -> list[Shape]:
    """A straight arrow beside `spot` pointing `phi`: just outside the body on the side it
    moves towards, or, if there is no room there (the floor), pointing at the body from the
    other side."""
    point, _ = spot_centre(body, spot)
    u = direction(phi)

    def beside(p: Pt) -> bool:  # within the arrow's lane: the body it must clear
        rel = (p[0] - point[0], p[1] - point[1])
        return abs(rel[0] * u[1] - rel[1] * u[0]) < 10 and dist(p, point) < 45

    outline = [p for shape in _all(body) for p in shape.samples] + _limb_sides(body)
    near = [p for p in outline if beside(p)] or [point]

    def reach(sign: float) -> float:
        return max(sign * (p[0] * u[0] + p[1] * u[1]) for p in near)

    base = point[0] * u[0] + point[1] * u[1]
    start = along(point, phi, reach(1) - base + ARROW_GAP)
    tip = along(start, phi, ARROW_LENGTH * k)
    if min(start[1], tip[1]) < floor + 2:
        tip = along(point, phi, -(reach(-1) + base) - ARROW_GAP)
        start = along(tip, phi, -ARROW_LENGTH * k)
    head = [along(tip, phi + 150, 5.5 * k), tip, along(tip, phi - 150, 5.5 * k)]
    return [_stroke([start, tip]), _stroke(head)]


def _limb_sides(body: Body, radius: float = 6.0) -> list[Pt]:
    """Points along both sides of every limb: a limb's outline samples are only the circles
    at its joints, and an arrow must clear an arm lying across its lane too."""
    out: list[Pt] = []
    for limb in body.limbs.values():
        for a, b in zip(limb.joints, limb.joints[1:], strict=False):
            length = dist(a, b)
            if length < 1e-6:
                continue
            nx, ny = (a[1] - b[1]) / length, (b[0] - a[0]) / length
            for i in range(int(length // 3) + 1):
                t = i * 3 / length
                c = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                out += [
                    (c[0] + nx * radius, c[1] + ny * radius),
                    (c[0] - nx * radius, c[1] - ny * radius),
                ]
    return out


def _marks(body: Body, frame: Frame, floor: float, k: float = 1.0) -> list[Mark]:
    """Squeeze lines and the motion arrow, `k` times their size for a drawing printed big."""
    marks = []
    for spot in frame.squeeze:
        point, out = spot_centre(body, spot)
        lines = []
        for fan in (-35.0, 0.0, 35.0):
            start = along(point, out + fan, 4.0)
            lines.append(_stroke([start, along(start, out + fan, 7.0 * k)]))
        marks.append(Mark("squeeze", lines, spot, k=k))
    if frame.arrow is not None:
        at, way = frame.arrow.at, frame.arrow.direction
        marks.append(Mark("arrow", _arrow(body, at, DIRECTIONS[way], floor, k), at, way, k))
    return marks


def _all(body: Body) -> list[Shape]:
    out = [body.torso, body.head_shape]
    for limb in body.limbs.values():
        out += list(limb.shapes.values())
    return out


def _stroke(points: list[Pt]) -> Shape:
    return P.line(points)
