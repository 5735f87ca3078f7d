"""Props drawn beside the figure: their shapes, and the points a hand or foot can reach on them.

Sizes are centimetres of a typical object; `facing` is +1 when the prop extends to the
right of its reference x (away from a figure on its left), -1 the other way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backplan.figures.geometry import Pt, Shape, circle, dist, local, polygon, smooth

CHAIR_SEAT, CHAIR_BACK, CHAIR_DEPTH = 46.0, 90.0, 42.0
COUNTER_HEIGHT, COUNTER_DEPTH = 90.0, 55.0
BALL_R = 32.5
MACHINE_HEIGHT, MACHINE_DEPTH, PULLEY_HEIGHT = 200.0, 42.0, 14.0
THICKNESS = {"glider": 3.0, "towel": 2.4, "mat": 1.2}  # drawn thicker than life, to show in print
WALL_DEPTH = 6.0


@dataclass
class Prop:
    """A placed prop. Layer `back` is drawn behind the body, `middle` between the far and the
    near limbs (a cable between the legs), `front` over it."""

    name: str
    layer: str
    shapes: list[tuple[str, Shape]] = field(default_factory=list)  # (style, shape)
    points: dict[str, Pt] = field(default_factory=dict)

    def top(self) -> float:
        return max((p[1] for _, s in self.shapes for p in s.samples), default=0.0)


def rect(x0: float, y0: float, x1: float, y1: float) -> Shape:
    return polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def line(points: list[Pt]) -> Shape:
    return Shape([("M", points[0]), *[("L", p) for p in points[1:]]], list(points))


def chair(x_back: float, facing: int, seat: float = CHAIR_SEAT) -> Prop:
    """A kitchen chair seen from the side, its back rest at `x_back`."""
    f = facing
    back_top = seat + (CHAIR_BACK - CHAIR_SEAT)
    x_front = x_back + f * CHAIR_DEPTH
    shapes = [
        ("prop", rect(x_back - 1.6, 0, x_back + 1.6, back_top)),
        ("prop", rect(x_front - f * 1.6, 0, x_front + f * 1.6, seat)),
        ("prop", rect(x_back, seat - 3.5, x_front + f * 1.6, seat)),
        ("prop", rect(x_back + f * 1.6, back_top - 24, x_back + f * 3.2, back_top - 2)),
    ]
    return Prop(
        "chair",
        "back",
        shapes,
        {"top": (x_back, back_top), "seat": (x_back + f * CHAIR_DEPTH / 2, seat)},
    )


def sturdy_support(x_near: float, facing: int) -> Prop:
    """A kitchen counter: something sturdy at hip height to hold."""
    f = facing
    x_far = x_near + f * COUNTER_DEPTH
    shapes = [
        ("prop", rect(x_near + f * 3, 0, x_far, COUNTER_HEIGHT - 4)),
        ("prop", rect(x_near, COUNTER_HEIGHT - 4, x_far, COUNTER_HEIGHT)),
        (
            "prop-line",
            line([(x_near + f * 8, COUNTER_HEIGHT - 12), (x_far - f * 6, COUNTER_HEIGHT - 12)]),
        ),
    ]
    return Prop("sturdy_support", "back", shapes, {"top": (x_near + f * 3, COUNTER_HEIGHT)})


def wall(x_face: float, facing: int, height: float) -> Prop:
    """A wall whose face is at `x_face`; it extends away from the figure."""
    x_back = x_face + facing * WALL_DEPTH
    return Prop(
        "wall", "back", [("wall", rect(min(x_face, x_back), 0, max(x_face, x_back), height))]
    )


def ball(centre: Pt) -> Prop:
    seam = smooth(
        [
            local(centre, 200, BALL_R * 0.92, 0),
            local(centre, 240, BALL_R * 0.45, 0),
            local(centre, 310, BALL_R * 0.2, 0),
            local(centre, 20, BALL_R * 0.92, 0),
        ],
        closed=False,
    )
    return Prop(
        "stability_ball",
        "back",
        [("prop", circle(centre, BALL_R)), ("prop-line", seam)],
        {"top": (centre[0], centre[1] + BALL_R)},
    )


def cable_machine(x_face: float, facing: int) -> Prop:
    f = facing
    x_far = x_face + f * MACHINE_DEPTH
    inner0, inner1 = x_face + f * 8, x_far - f * 8
    stack = [
        ("prop-dark", rect(min(inner0, inner1), 6 + 6.5 * i, max(inner0, inner1), 11 + 6.5 * i))
        for i in range(7)
    ]
    shapes = [
        ("prop", rect(min(x_face, x_far), 0, max(x_face, x_far), MACHINE_HEIGHT)),
        ("prop-hole", rect(min(inner0, inner1), 4, max(inner0, inner1), MACHINE_HEIGHT - 10)),
        *stack,
        ("prop-line", line([(x_face + f * 4, 0), (x_face + f * 4, MACHINE_HEIGHT)])),
        ("prop", circle((x_face, PULLEY_HEIGHT), 2.6)),
    ]
    return Prop("cable_machine", "back", shapes, {"pulley": (x_face, PULLEY_HEIGHT)})


ROPE = 20.0  # cm from the hands to where the rope clips onto the cable


def cable(start: Pt, end: Pt, rope: bool) -> Prop:
    """The cable from the pulley to the hands, or to a rope handle whose two ends are in the
    hands. Drawn over the body, as the pull-through's cable crosses in front of the near
    leg in the handout's reference sketch: between the legs it would otherwise vanish."""
    if not rope:
        return Prop("cable", "front", [("cable", line([start, end]))])
    d = dist(start, end)
    k = min(ROPE, d / 2) / d if d > 0 else 0.0
    clip = (end[0] + (start[0] - end[0]) * k, end[1] + (start[1] - end[1]) * k)
    shapes: list[tuple[str, Shape]] = [("cable", line([start, clip]))]
    for dy in (-2.0, 2.0):
        shapes.append(("rope", line([clip, (end[0], end[1] + dy)])))
    return Prop("cable", "front", shapes)


def band(start: Pt, end: Pt) -> Prop:
    """A band from its anchor to the hands, over the body like the cable."""
    return Prop(
        "resistance_band",
        "front",
        [("band", line([start, end])), ("prop", circle(start, 2.2))],
    )


def strap(name: str, hands: Pt, ball: Pt, ankle: Pt) -> Prop:
    """A towel or band from the hands to a loop round the sole of a foot."""
    loop = [ball, (ankle[0] + (ball[0] - ankle[0]) * 0.2, ankle[1] + (ball[1] - ankle[1]) * 0.2)]
    return Prop(name, "front", [("band", line([hands, ball])), ("band", line(loop))])


def loop(a: Pt, b: Pt) -> Prop:
    """A band looped round both ankles, drawn just above them."""
    lift = 3.0
    shapes = [("band", line([(a[0], a[1] + lift), (b[0], b[1] + lift)]))]
    return Prop("resistance_band", "front", shapes)


def dumbbell(grip: Pt, axis_phi: float) -> Prop:
    shapes = [("prop-dark", _bar(grip, axis_phi, 0, 7.5, 1.2))]
    for w in (-8.5, 8.5):
        shapes.append(("prop-dark", _bar(grip, axis_phi, w, 2.2, 5.5)))
    return Prop("dumbbell", "front", shapes)


def _bar(centre: Pt, phi: float, w: float, half_len: float, half_width: float) -> Shape:
    return polygon(
        [
            local(centre, phi, w - half_len, -half_width),
            local(centre, phi, w + half_len, -half_width),
            local(centre, phi, w + half_len, half_width),
            local(centre, phi, w - half_len, half_width),
        ]
    )


def slider(name: str, x_centre: float) -> Prop:
    """A glider (a flat disc) or a folded towel under a foot."""
    t = THICKNESS[name]
    half = 11.0 if name == "glider" else 15.0
    shapes = [("prop-dark", rect(x_centre - half, 0, x_centre + half, t))]
    return Prop(name, "back", shapes, {"top": (x_centre, t)})


def mat(x0: float, x1: float) -> Prop:
    return Prop("mat", "back", [("prop", rect(x0, 0, x1, THICKNESS["mat"]))])
