"""Picture claims: short sentences in a pose's `claims:` list, checked on the solved drawing.

A claim states what the picture must show ("glider under near_foot in frame 2"), so a later
change to the angles, the props or the renderer cannot quietly contradict the exercise's
steps. docs/pose-format.md lists the forms; `parse` turns one into a `Claim` (or says which
forms exist) and `check` tells whether solved frames show it.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from backplan.figures.geometry import Pt, Shape, dist

# Body parts a claim can name. Plural (or side-less) names mean both sides; `near_`/`far_`
# pick one. `head` and `hips` are single points.
PAIRED = {
    "shoulder": "shoulders",
    "elbow": "elbows",
    "hand": "hands",
    "knee": "knees",
    "foot": "feet",
    "toes": "toes",
    "heel": "heels",
}
SINGLE = ("head", "hips")
PROPS = (
    "chair",
    "sturdy_support",
    "wall",
    "stability_ball",
    "glider",
    "towel",
    "mat",
    "dumbbell",
    "cable_machine",
    "cable",
    "rope",
    "resistance_band",
)
SPOTS = (
    "head", "shoulders", "chest", "upper_back", "mid_back", "lower_back", "belly", "hips",
    "glutes", "thighs", "knees", "feet", "hands",
)  # fmt: skip
RELATIONS = {"behind": -1, "in front of": 1, "above": 2, "below": -2}
TOUCH = 3.0  # cm between two props that count as touching
STRAIGHT = 10.0  # degrees a "straight" line may bend unless the claim says otherwise
VISIBLE = 0.6  # share of a prop that must not be covered by the body

FORMS = (
    "`PROP under PART`, `PROP against PROP`, `PART behind|in front of|above|below PART`, "
    "`PART on the floor`, `PART N-M cm above the floor`, `PART-PART-PART straight "
    "[within N degrees]`, `PROP visible`, `squeeze at SPOT`, `no squeeze`, "
    "`arrow at SPOT up|down|forward|back`, `no arrow`; each may end with `in frame N`"
)


@dataclass(frozen=True)
class Claim:
    """One parsed claim: what it says, and the frames (1-based) it is about (None: all)."""

    kind: str
    args: tuple[str, ...]
    frame: int | None
    number: tuple[float, ...] = ()


def _part(word: str) -> str | None:
    """The canonical name of a body part (`near_hand`, `hands`, `hips`), or None."""
    if word in SINGLE or word in PAIRED.values():
        return word
    side, _, rest = word.partition("_")
    if side in ("near", "far") and rest in PAIRED:
        return word
    return None


def parse(text: str) -> Claim:
    """The claim a sentence states; ValueError naming the forms when it fits none."""
    words = " ".join(text.strip().split())
    frame: int | None = None
    m = re.search(r" in (?:frame (\d+)|every frame)\b", words)
    if m:  # anywhere: "... straight in frame 2 within 5 degrees" reads as well
        words = words[: m.start()] + words[m.end() :]
        frame = int(m[1]) if m[1] else None
        if frame is not None and frame not in (1, 2):
            raise ValueError(f"a pose has frames 1 and 2, not frame {frame}")
    claim = _statement(words)
    if claim is None:
        raise ValueError(f"cannot read the claim `{text.strip()}`; write one of {FORMS}")
    return Claim(claim.kind, claim.args, frame, claim.number)


def _statement(words: str) -> Claim | None:
    if (m := re.fullmatch(r"(\w+) under (\w+)", words)) and m[1] in PROPS and _part(m[2]):
        return Claim("under", (m[1], m[2]), None)
    if (m := re.fullmatch(r"(\w+) against (\w+)", words)) and m[1] in PROPS and m[2] in PROPS:
        return Claim("against", (m[1], m[2]), None)
    m = re.fullmatch(r"(\w+) (behind|in front of|above|below) (\w+)", words)
    if m and _part(m[1]) and _part(m[3]):
        return Claim("relation", (m[1], m[2], m[3]), None)
    if (m := re.fullmatch(r"(\w+) on the floor", words)) and _part(m[1]):
        return Claim("height", (m[1],), None, (0.0, 1.5))
    if m := re.fullmatch(r"(\w+) (\d+(?:\.\d+)?)-(\d+(?:\.\d+)?) cm above the floor", words):
        lo, hi = float(m[2]), float(m[3])
        if _part(m[1]) and lo <= hi:
            return Claim("height", (m[1],), None, (lo, hi))
    m = re.fullmatch(r"(\w+)-(\w+)-(\w+) straight(?: within (\d+(?:\.\d+)?) degrees)?", words)
    if m and all(_part(p) for p in m.groups()[:3]):
        return Claim("straight", (m[1], m[2], m[3]), None, (float(m[4] or STRAIGHT),))
    if (m := re.fullmatch(r"(\w+) visible", words)) and m[1] in PROPS:
        return Claim("visible", (m[1],), None)
    if (m := re.fullmatch(r"squeeze at (\w+)", words)) and m[1] in SPOTS:
        return Claim("squeeze", (m[1],), None)
    if (m := re.fullmatch(r"arrow at (\w+) (up|down|forward|back)", words)) and m[1] in SPOTS:
        return Claim("arrow", (m[1], m[2]), None)
    if words in ("no squeeze", "no arrow"):
        return Claim(words.replace(" ", "_"), (), None)
    return None


def validate(text: str) -> str:
    """For the pose model: keep the sentence, refuse it if it cannot be read."""
    parse(text)
    return " ".join(text.strip().split())


# --- checking --------------------------------------------------------------------------


def check(text: str, scenes: list) -> list[tuple[int, str]]:
    """The frames (1-based) whose drawing contradicts the claim, each with the reason."""
    claim = parse(text)
    frames = range(1, len(scenes) + 1) if claim.frame is None else [claim.frame]
    failures = []
    for n in frames:
        if n > len(scenes):
            failures.append((n, f"the pose has no frame {n}"))
            continue
        why = _holds(claim, scenes[n - 1])
        if why:
            failures.append((n, why))
    return failures


def _sides(part: str) -> list[str]:
    """`hands` -> near_hand, far_hand; `near_hand` -> itself; `hips` -> hips."""
    if part in SINGLE:
        return [part]
    if "_" in part and part.split("_", 1)[0] in ("near", "far"):
        return [part]
    single = next(k for k, v in PAIRED.items() if v == part)
    return [f"near_{single}", f"far_{single}"]


def _point(scene, part: str) -> Pt:
    """Where a single body part is: its joint (the hand: the wrist, the foot: the ankle)."""
    body = scene.body
    if part == "head":
        return body.head
    if part == "hips":
        return body.hip
    side, kind = part.split("_", 1)
    if kind in ("shoulder", "elbow", "hand"):
        return body.limbs[f"{side}_arm"].joints[("shoulder", "elbow", "hand").index(kind)]
    joints = body.limbs[f"{side}_leg"].joints
    if kind == "heel":
        return _lowest(scene, part)
    return joints[{"knee": 1, "foot": 2, "toes": 3}[kind]]


def _outline(scene, part: str) -> list[Pt]:
    from backplan.figures.scene import contact_points

    body = scene.body
    if part in ("hips", "head"):
        return contact_points(body, part)
    side, kind = part.split("_", 1)
    if kind == "shoulder":
        return contact_points(body, "shoulders")
    if kind == "elbow":
        limb = body.limbs[f"{side}_arm"]
        return [p for p in limb.shapes["upper"].samples if dist(p, limb.joints[1]) < 6]
    key = {"hand": "hand", "knee": "knee", "foot": "foot", "toes": "toes", "heel": "heel"}[kind]
    return contact_points(body, f"{side}_{key}")


def _lowest(scene, part: str) -> Pt:
    return min(_outline(scene, part), key=lambda p: p[1])


def _floor(scene) -> float:
    return max((p.top() for p in scene.props if p.name == "mat"), default=0.0)


def _prop_points(scene, name: str) -> list[Pt]:
    if name == "wall":
        if scene.wall is None:
            return []
        return [(scene.wall[0], y) for y in range(0, 201, 5)]
    out: list[Pt] = []
    for prop in scene.props:
        for style, shape in prop.shapes:
            if name == "rope" and not (prop.name == "cable" and style == "rope"):
                continue
            if name != "rope" and prop.name != name:
                continue
            out += _dense(shape)
    return out


def _dense(shape: Shape) -> list[Pt]:
    """The shape's samples with the straight lines between them filled in every 1 cm."""
    pts = list(shape.samples)
    out: list[Pt] = []
    for a, b in itertools.pairwise(pts):
        n = max(1, int(dist(a, b)))
        out += [(a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n) for k in range(n)]
    return [*out, pts[-1]] if pts else out


def _holds(claim: Claim, scene) -> str:
    """Empty when the scene shows the claim, else why not."""
    kind, args = claim.kind, claim.args
    if kind == "under":
        prop, part = args
        pts = _prop_points(scene, prop)
        if not pts:
            return f"there is no {prop} in this frame"
        lo, hi = min(p[0] for p in pts), max(p[0] for p in pts)
        for side in _sides(part):
            low = _lowest(scene, side)
            if not lo <= low[0] <= hi:
                return f"the {prop} spans x {lo:.0f} to {hi:.0f} cm; {side} is at {low[0]:.0f}"
            top = max((p[1] for p in pts if abs(p[0] - low[0]) < 4), default=low[1])
            if low[1] > top + TOUCH:
                return f"{side} is {low[1] - top:.0f} cm above the {prop}, not on it"
            if low[1] < top - 1.0:
                return f"{side} sinks {top - low[1]:.0f} cm into the {prop}"
            if low[1] < top - 1.5:
                return f"{side} is {top - low[1]:.0f} cm into the {prop}, not on it"
        return ""
    if kind == "against":
        a, b = (_prop_points(scene, n) for n in args)
        if not a or not b:
            return f"there is no {args[0] if not a else args[1]} in this frame"
        gap = min(dist(p, q) for p in a for q in b)
        if args[1] == "wall" or args[0] == "wall":
            other = b if args[0] == "wall" else a
            face, facing = scene.wall
            # the wall extends away from the figure: anything touching it is on the near side
            if min(facing * (face - p[0]) for p in other) < -1.0:
                return "it goes into the wall"
            gap = min(abs(p[0] - face) for p in other)
        return "" if gap <= TOUCH else f"they are {gap:.0f} cm apart"
    if kind == "relation":
        first, rel, second = args
        axis = RELATIONS[rel]
        for s1 in _sides(first):
            for s2 in _sides(second):
                p, q = _point(scene, s1), _point(scene, s2)
                k = 0 if abs(axis) == 1 else 1
                if (p[k] - q[k]) * (1 if axis > 0 else -1) <= 0:
                    return f"{s1} is not {rel} {s2} ({p[k] - q[k]:+.0f} cm)"
        return ""
    if kind == "height":
        lo, hi = claim.number
        for side in _sides(args[0]):
            h = _lowest(scene, side)[1] - _floor(scene)
            if not lo - 0.5 <= h <= hi + 0.5:
                return f"{side} is {h:.0f} cm above the floor, not {lo:g}-{hi:g}"
        return ""
    if kind == "straight":
        (limit,) = claim.number
        side_sets = [_sides(p) for p in args]
        n = max(len(s) for s in side_sets)
        for i in range(n):
            p1, p2, p3 = (_point(scene, s[min(i, len(s) - 1)]) for s in side_sets)
            bend = 180.0 - _angle(p1, p2, p3)
            if bend > limit:
                return f"the line {'-'.join(args)} bends {bend:.0f} degrees at {args[1]}"
        return ""
    if kind == "visible":
        return _visible(scene, args[0])
    marks = [m for m in scene.marks if m.kind == ("squeeze" if "squeeze" in kind else "arrow")]
    if kind == "no_squeeze" or kind == "no_arrow":
        return "" if not marks else f"it has {len(marks)} {kind[3:]} mark(s)"
    if kind == "squeeze":
        return "" if any(m.spot == args[0] for m in marks) else f"no squeeze at {args[0]}"
    if kind == "arrow":
        hit = any(m.spot == args[0] and m.direction == args[1] for m in marks)
        return "" if hit else f"no arrow at {args[0]} pointing {args[1]}"
    return f"unknown claim {kind}"  # pragma: no cover - parse() only makes the kinds above


def _angle(a: Pt, b: Pt, c: Pt) -> float:
    v1, v2 = (a[0] - b[0], a[1] - b[1]), (c[0] - b[0], c[1] - b[1])
    n = math.hypot(*v1) * math.hypot(*v2)
    if n < 1e-9:
        return 180.0
    cos = max(-1.0, min(1.0, (v1[0] * v2[0] + v1[1] * v2[1]) / n))
    return math.degrees(math.acos(cos))


def _visible(scene, name: str) -> str:
    pts = _prop_points(scene, name)
    if not pts:
        return f"there is no {name} in this frame"
    layer = next(
        (p.layer for p in scene.props if p.name == ("cable" if name == "rope" else name)), "back"
    )
    body = scene.body
    over: list[Shape] = []
    if layer == "back":  # far limbs are drawn over the props at the back
        over += [*body.limbs["far_leg"].shapes.values(), *body.limbs["far_arm"].shapes.values()]
    if layer in ("back", "middle"):
        over += [body.torso, body.head_shape, *body.limbs["near_leg"].shapes.values()]
        over += list(body.limbs["near_arm"].shapes.values())
    hulls = [_hull(s.samples) for s in over]
    shown = [p for p in pts if not any(_inside(p, h) for h in hulls)]
    share = len(shown) / len(pts)
    if share < VISIBLE:
        return f"only {share:.0%} of the {name} shows; the body covers the rest"
    return ""


def _hull(points: list[Pt]) -> list[Pt]:
    """Convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: Pt, a: Pt, b: Pt) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Pt] = []
    upper: list[Pt] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _inside(p: Pt, hull: list[Pt]) -> bool:
    if len(hull) < 3:
        return False
    for a, b in zip(hull, hull[1:] + hull[:1], strict=True):
        if (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) < 0:
            return False
    return True
