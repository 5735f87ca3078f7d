"""The `pose:` block of an exercise file: a base position, then what differs in each frame.

Angle conventions (docs/pose-format.md draws them): the figure faces right; every angle is
in degrees; 0 is standing straight with the arms hanging; a positive angle moves the limb
forward (flexion), a negative one backward. This module holds only the models; geometry
lives in `skeleton.py`. It must not import `backplan.library.model` (that module imports this).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from backplan.figures.claims import validate as validate_claim

Base = Literal[
    "standing", "forearm_plank", "kneeling_plank", "all_fours", "supine", "prone", "seated",
    "half_kneeling", "side_lying", "prone_on_elbows", "standing_front",
]  # fmt: skip
PropName = Literal[
    "stability_ball",
    "wall",
    "cable_machine",
    "glider",
    "towel",
    "chair",
    "sturdy_support",
    "mat",
    "dumbbell",
    "resistance_band",
]
# Parts that can rest on the floor. A pair word (`feet`) means both sides.
Contact = Literal[
    "feet",
    "near_foot",
    "far_foot",
    "toes",
    "near_toes",
    "far_toes",
    "heels",
    "near_heel",
    "far_heel",
    "knees",
    "near_knee",
    "far_knee",
    "hands",
    "near_hand",
    "far_hand",
    "forearms",
    "near_forearm",
    "far_forearm",
    "hips",
    "shoulders",
    "head",
]
Limb = Literal["hands", "near_hand", "far_hand", "feet", "near_foot", "far_foot"]
Holder = Literal["hands", "near_hand", "far_hand"]
# Places on the body a prop can lean against or a mark can point at.
Spot = Literal[
    "head",
    "shoulders",
    "chest",
    "upper_back",
    "mid_back",
    "lower_back",
    "belly",
    "hips",
    "glutes",
    "thighs",
    "knees",
    "feet",
    "hands",
]
Against = Literal[
    "head", "shoulders", "chest", "upper_back", "mid_back", "lower_back", "belly", "hips",
    "glutes", "thighs", "knees", "feet", "hands", "stability_ball",
]  # fmt: skip
Target = Literal[
    "chair.top",
    "chair.seat",
    "sturdy_support.top",
    "stability_ball.top",
    "hips",
    "chest",
    "near_thigh",
    "near_knee",
]
Direction = Literal["up", "down", "forward", "back"]
ClaimText = Annotated[str, StringConstraints(max_length=200), AfterValidator(validate_claim)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Degrees = Annotated[float, Field(ge=-180, le=180)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Sides(Strict):
    """An angle that differs between the near side (towards the viewer) and the far side."""

    near: Degrees | None = None
    far: Degrees | None = None


def _both_sides(value: object) -> object:
    """A plain number means the same angle on both sides."""
    if isinstance(value, bool):
        raise ValueError("an angle is a number of degrees, or `near:` and `far:` angles")
    if isinstance(value, int | float):
        if not -180 <= value <= 180:
            raise ValueError(f"{value} degrees is out of range; use -180 to 180")
        return {"near": value, "far": value}
    if not isinstance(value, dict):
        raise ValueError("an angle is a number of degrees, or `near:` and `far:` angles")
    return value


def _english(value: object) -> object:
    return {"en": value} if isinstance(value, str) else value


# One type each (no unions), so a mistake gets one clear message rather than one per branch.
Angle = Annotated[Sides, BeforeValidator(_both_sides, json_schema_input_type=float | Sides)]


PLACES = ("x", "under", "against", "held", "around")


class Placement(Strict):
    """Where a prop is: one of `x`, `under`, `against`, `held` or `around` (a mat needs none)."""

    x: float | None = Field(
        default=None,
        ge=-300,
        le=300,
        description="Centimetres from the first part listed in `ground` (negative: behind).",
    )
    under: Contact | None = Field(default=None, description="Sits on the floor under this part.")
    against: Against | None = Field(
        default=None, description="Touches this part of the body (or the ball), behind it."
    )
    held: Holder | None = Field(default=None, description="Held in the hand(s).")
    around: Literal["near_foot", "far_foot", "ankles"] | None = Field(
        default=None,
        description="towel, resistance_band: looped round the ball of this foot (with `to:`); "
        "resistance_band: `ankles`, a loop round both ankles.",
    )
    to: Holder | None = Field(
        default=None,
        description="cable_machine, resistance_band, towel: the hand(s) pulling or holding it.",
    )
    handle: Literal["rope"] | None = Field(default=None, description="cable_machine: the handle.")
    seat: Literal["away", "toward"] | None = Field(
        default=None, description="chair placed with x: which way its seat points from the figure."
    )
    height: float | None = Field(
        default=None, ge=0, le=220, description="resistance_band: how high it is tied (cm)."
    )

    @model_validator(mode="after")
    def _one_place(self) -> Placement:
        given = [k for k in PLACES if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(
                "say where the prop is with one of `x`, `under`, `against`, `held`, `around`"
            )
        return self


class Arrow(Strict):
    """A motion arrow beside a part of the body."""

    at: Spot
    direction: Direction


class Frame(Strict):
    """One picture: the angles that differ from the base position, and what touches what."""

    torso: Degrees | None = Field(
        default=None, description="Lean from upright; forward positive (a hinge is about 60)."
    )
    head: Degrees | None = Field(default=None, description="Chin towards chest positive.")
    spine: Annotated[float, Field(ge=-60, le=60)] | None = Field(
        default=None, description="Back rounded (positive) or arched (negative), like cat-cow."
    )
    hip: Angle | None = Field(default=None, description="Thigh forward of the torso line positive.")
    knee: Angle | None = Field(default=None, description="Bend; 0 is straight.")
    ankle: Angle | None = Field(
        default=None, description="Toes pointed positive, pulled up negative."
    )
    shoulder: Angle | None = Field(
        default=None, description="Arm forward of the torso line positive (90: straight ahead)."
    )
    elbow: Angle | None = Field(default=None, description="Bend; 0 is straight.")
    lift: Angle | None = Field(
        default=None, description="side_lying, standing_front: the leg turned out to the near side."
    )
    arm_lift: Angle | None = Field(
        default=None, description="side_lying, standing_front: the arm turned out to the near side."
    )
    open: Angle | None = Field(
        default=None, description="side_lying: a bent knee turned up, feet together (clamshell)."
    )
    ground: Annotated[list[Contact], Field(min_length=1)] | None = Field(
        default=None, description="The parts resting on the floor (the base's when omitted)."
    )
    reach: dict[Limb, Target] = Field(
        default_factory=dict, description="Hands or feet placed on a prop, e.g. hands: chair.top."
    )
    props: dict[PropName, Placement] = Field(
        default_factory=dict, description="Props that sit differently in this frame."
    )
    squeeze: list[Spot] = Field(default_factory=list, description="Draw a 'squeeze here' mark.")
    arrow: Arrow | None = None


class Description(Strict):
    en: Line
    es: Line | None = None


class Pose(Strict):
    """Start and end position of an exercise, drawn side by side by backplan."""

    base: Base = Field(description="The named position every frame starts from.")
    description: Annotated[
        Description, BeforeValidator(_english, json_schema_input_type=Line | Description)
    ] = Field(description="One line saying what moves, for the picture's text alternative.")
    props: dict[PropName, Placement] = Field(default_factory=dict)
    start: Frame
    end: Frame | None = Field(default=None, description="Omit for a picture of one position.")
    claims: list[ClaimText] = Field(
        default_factory=list,
        description="What the picture must show, checked on the drawing, e.g. "
        "`glider under near_foot in frame 2` (docs/pose-format.md lists the forms).",
    )

    def describe(self, lang: str = "en") -> str:
        return getattr(self.description, lang, None) or self.description.en

    def frames(self) -> list[tuple[str, Frame]]:
        return [("start", self.start)] + ([("end", self.end)] if self.end is not None else [])
