"""The exercise file format: pydantic models that forbid unknown keys.

One exercise per YAML file. Field meanings are documented for clinic staff in
docs/exercise-format.md; the JSON Schema in exercises/exercise.schema.json is generated
from these models (`backplan exercises schema`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from backplan.figures.pose import Pose

Kind = Literal["original", "modified", "standalone", "warmup"]
Pattern = Literal["hinge", "squat", "lunge", "core", "hip", "mobility", "stretch", "walking"]
Position = Literal["standing", "chair", "floor"]
Level = Literal["beginner", "intermediate", "advanced"]
LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")
LANGUAGES = ("en", "es")
PRESCRIBABLE: tuple[Kind, ...] = ("modified", "standalone")  # what selection may give as main
# The condition that rules out every exercise done on the floor, with no avoid_if needed.
FLOOR_HARD = "floor_transfers_hard"
# The pose bases a person stands or sits in; every other base is down on the floor.
POSITION_OF_BASE: dict[str, Position] = {
    "standing": "standing",
    "standing_front": "standing",
    "seated": "chair",
}

# Fields that only some kinds need; the models check them, and so does the JSON Schema.
REQUIRED_FOR_KIND: dict[str, tuple[str, ...]] = {
    "original": ("problem",),
    "modified": ("replaces", "why", "steps", "dose"),
    "standalone": ("steps", "dose"),
    "warmup": ("steps", "dose"),
}

ExerciseId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
VocabId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=60)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# A dose's numbers and their limits, written once for a Dose and a DoseChange.
Sets = Annotated[int, Field(ge=1, le=10)]
Reps = Annotated[int, Field(ge=1, le=100)]
Seconds = Annotated[int, Field(ge=0, le=600)]
DaysPerWeek = Annotated[int, Field(ge=1, le=7)]
Minutes = Annotated[int, Field(ge=1, le=120)]


class Dose(Strict):
    """How much: sets of reps, sets of holds (seconds), or minutes of an activity."""

    sets: Sets = Field(description="Number of sets.")
    reps: Reps | None = Field(default=None, description="Repetitions per set.")
    hold_s: Seconds = Field(default=0, description="Seconds to hold each rep; 0 for none.")
    rest_s: Seconds = Field(default=60, description="Seconds of rest between sets.")
    per_side: bool = Field(default=False, description="Done on each side (left and right).")
    days_per_week: DaysPerWeek = Field(default=3, description="Days a week.")
    minutes: Minutes | None = Field(
        default=None, description="Minutes of a timed activity, such as walking."
    )

    @model_validator(mode="after")
    def _reps_or_hold(self) -> Dose:
        if self.reps is None and self.hold_s == 0 and self.minutes is None:
            raise ValueError("give `reps`, `hold_s` or `minutes`")
        return self


class DoseChange(Strict):
    """A change to a Dose (a clinician's, a protocol's): only the fields given replace it.

    The same fields and limits as Dose, each optional; `Dose.model_copy(update=change.given())`
    applies it.
    """

    sets: Sets | None = None
    reps: Reps | None = None
    hold_s: Seconds | None = None
    rest_s: Seconds | None = None
    per_side: bool | None = None
    days_per_week: DaysPerWeek | None = None
    minutes: Minutes | None = None

    def given(self) -> dict[str, Any]:
        """The fields given, to update a Dose with."""
        return self.model_dump(exclude_none=True)


class Progression(Strict):
    """The harder next step of a chain, and when to take it."""

    to: ExerciseId = Field(description="The id of the harder next step.")
    when: Line = Field(description="When the person is ready to take it.")


class ProgressionText(Strict):
    """The `when` of a progression, in another language."""

    when: Line


class Translation(Strict):
    """The exercise's words in another language; a missing field falls back to English."""

    name: Line | None = None
    aliases: list[Line] | None = None
    purpose: Line | None = None
    why: Line | None = None
    problem: Line | None = None
    steps: list[Line] | None = None
    cues: list[Line] | None = None
    mistakes: list[Line] | None = None
    progression: ProgressionText | None = None


class Exercise(Strict):
    """One exercise: an `original` (what people usually do), a back-safe `modified`
    version of one, a back-safe `standalone` exercise, or a `warmup`."""

    id: ExerciseId = Field(description="Lowercase-kebab id, unique across the library.")
    name: Line = Field(description="The name shown on the handout.")
    aliases: list[Line] = Field(
        default_factory=list,
        description="Other names people know it by; `backplan exercises search` finds them.",
    )
    kind: Kind = Field(
        description="original: what people usually do; modified: a back-safe version of an "
        "original; standalone: a back-safe exercise that replaces nothing; warmup: a warm-up "
        "movement."
    )
    pattern: Pattern = Field(description="The movement it trains.")
    position: Position | None = Field(
        default=None,
        description="Where the body is: standing, chair (seated) or floor (lying, kneeling, "
        "hands and knees, plank). Taken from the pose's base when missing.",
    )
    purpose: Line | None = Field(
        default=None,
        description="One plain line: what it does for the person's back (shown first).",
    )
    replaces: ExerciseId | None = Field(
        default=None, description="For kind modified: the id of the original it makes back-safe."
    )
    why: Line | None = Field(
        default=None, description="For kind modified: why the original hurts backs, how this helps."
    )
    problem: Line | None = Field(
        default=None, description="For kind original: the common mistake that hurts backs."
    )
    level: Level = Field(default="beginner", description="How hard it is.")
    equipment: list[VocabId | list[VocabId]] = Field(
        default_factory=list,
        description="Everything needed; an inner list means any one of these.",
    )
    steps: list[Line] = Field(default_factory=list, description="Ordered, one action each.")
    cues: list[Line] = Field(default_factory=list, description="Short reminders while doing it.")
    mistakes: list[Line] = Field(default_factory=list, description="Common mistakes to avoid.")
    dose: Dose | None = Field(
        default=None, description="For kinds modified and warmup: how much, how often."
    )
    progression: Progression | None = Field(
        default=None, description="The harder next step, and when to take it."
    )
    regression: ExerciseId | None = Field(default=None, description="The id of the easier step.")
    avoid_if: list[VocabId] = Field(
        default_factory=list, description="Condition ids that rule it out."
    )
    image: str | None = Field(default=None, description="A picture file inside the library folder.")
    pose: Pose | None = Field(
        default=None, description="Start and end position, drawn by backplan (docs/pose-format.md)."
    )
    video: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="A link shown on the handout; never fetched."
    )
    source: Line = Field(description="Where the content comes from.")
    translations: dict[Literal["es"], Translation] = Field(
        default_factory=dict,
        description="The words in other languages (es: Spanish); missing ones fall back to English.",
    )

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Exercise:
        missing = missing_for_kind(self.kind, self.__dict__)
        if missing:
            # validation.py turns this into one "missing required field" problem per field
            raise PydanticCustomError(
                "missing_for_kind",
                "an exercise of kind {kind} needs: {needs}",
                {"kind": self.kind, "fields": missing, "needs": ", ".join(missing)},
            )
        if self.position is None and self.pose is not None:
            # frozen model: set once, here, so every reader sees the same position
            object.__setattr__(self, "position", POSITION_OF_BASE.get(self.pose.base, "floor"))
        return self

    def ruled_out_by(self, conditions: Iterable[str]) -> list[str]:
        """The conditions among `conditions` that rule this exercise out, sorted: its own
        `avoid_if`, and floor_transfers_hard for a floor exercise (or one of unknown position)."""
        wanted = set(conditions)
        found = wanted & set(self.avoid_if)
        if FLOOR_HARD in wanted and self.position in (None, "floor"):
            found.add(FLOOR_HARD)
        return sorted(found)

    @property
    def prescribable(self) -> bool:
        """Selection may give it as a main exercise (not an original, not a warm-up)."""
        return self.kind in PRESCRIBABLE

    def text(self, lang: str = "en") -> Exercise:
        """This exercise with its words in `lang`, falling back to English field by field."""
        tr = self.translations.get(lang)  # type: ignore[call-overload]
        if tr is None:
            return self
        update: dict[str, Any] = {
            k: v for k, v in tr.model_dump(exclude={"progression"}).items() if v is not None
        }
        if tr.progression is not None and self.progression is not None:
            update["progression"] = self.progression.model_copy(
                update={"when": tr.progression.when}
            )
        return self.model_copy(update=update)

    def equipment_ids(self) -> set[str]:
        return {
            e for entry in self.equipment for e in ([entry] if isinstance(entry, str) else entry)
        }


def missing_for_kind(kind: object, values: Mapping[str, Any]) -> list[str]:
    """The fields `kind` needs that `values` (raw YAML data or a model's fields) leaves empty."""
    if not isinstance(kind, str):
        return []
    return [name for name in REQUIRED_FOR_KIND.get(kind, ()) if values.get(name) in (None, "", [])]


class TermText(Strict):
    """A vocabulary entry's words in another language."""

    label: Line | None = None
    question: Line | None = None


class Term(Strict):
    """One vocabulary entry: the words the interview and the handout use for an id."""

    label: Line = Field(description="How the handout names it.")
    question: Line | None = Field(default=None, description="How the interview asks about it.")
    always_available: bool = Field(
        default=False, description="Every home has it (a wall); the interview does not ask."
    )
    translations: dict[Literal["es"], TermText] = Field(default_factory=dict)

    def text(self, lang: str = "en") -> Term:
        tr = self.translations.get(lang)  # type: ignore[call-overload]
        if tr is None:
            return self
        return self.model_copy(update={k: v for k, v in tr.model_dump().items() if v is not None})


class Vocabulary(Strict):
    """Equipment and condition ids. A clinic's file extends the built-in one."""

    equipment: dict[VocabId, Term] = Field(default_factory=dict)
    conditions: dict[VocabId, Term] = Field(default_factory=dict)

    def merged(self, other: Vocabulary) -> Vocabulary:
        return Vocabulary(
            equipment={**self.equipment, **other.equipment},
            conditions={**self.conditions, **other.conditions},
        )
