"""The exercise file format: pydantic models that forbid unknown keys.

One exercise per YAML file. Field meanings are documented for clinic staff in
docs/exercise-format.md; the JSON Schema in exercises/exercise.schema.json is generated
from these models (`backplan exercises schema`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Kind = Literal["original", "modified", "warmup"]
Pattern = Literal["hinge", "squat", "lunge", "core", "mobility"]
Level = Literal["beginner", "intermediate", "advanced"]
LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")
LANGUAGES = ("en", "es")

ExerciseId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
VocabId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=60)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dose(Strict):
    """How much: sets of reps, or sets of holds (seconds)."""

    sets: int = Field(ge=1, le=10, description="Number of sets.")
    reps: int | None = Field(default=None, ge=1, le=100, description="Repetitions per set.")
    hold_s: int = Field(
        default=0, ge=0, le=600, description="Seconds to hold each rep; 0 for none."
    )
    rest_s: int = Field(default=60, ge=0, le=600, description="Seconds of rest between sets.")
    per_side: bool = Field(default=False, description="Done on each side (left and right).")
    days_per_week: int = Field(default=3, ge=1, le=7, description="Days a week.")

    @model_validator(mode="after")
    def _reps_or_hold(self) -> Dose:
        if self.reps is None and self.hold_s == 0:
            raise ValueError("give `reps` or `hold_s` (or both)")
        return self


class Progression(Strict):
    to: ExerciseId = Field(description="The id of the harder next step.")
    when: Line = Field(description="When the person is ready to take it.")


class ProgressionText(Strict):
    when: Line


class Translation(Strict):
    """The exercise's words in another language; a missing field falls back to English."""

    name: Line | None = None
    why: Line | None = None
    problem: Line | None = None
    steps: list[Line] | None = None
    cues: list[Line] | None = None
    mistakes: list[Line] | None = None
    progression: ProgressionText | None = None


class Exercise(Strict):
    """One exercise: an `original` (what people usually do), a back-safe `modified`
    version of one, or a `warmup`."""

    id: ExerciseId = Field(description="Lowercase-kebab id, unique across the library.")
    name: Line
    kind: Kind
    pattern: Pattern
    replaces: ExerciseId | None = Field(
        default=None, description="For kind modified: the id of the original it makes back-safe."
    )
    why: Line | None = Field(
        default=None, description="For kind modified: why the original hurts backs, how this helps."
    )
    problem: Line | None = Field(
        default=None, description="For kind original: the common mistake that hurts backs."
    )
    level: Level = "beginner"
    equipment: list[VocabId | list[VocabId]] = Field(
        default_factory=list,
        description="Everything needed; an inner list means any one of these.",
    )
    steps: list[Line] = Field(default_factory=list, description="Ordered, one action each.")
    cues: list[Line] = Field(default_factory=list)
    mistakes: list[Line] = Field(default_factory=list)
    dose: Dose | None = None
    progression: Progression | None = None
    regression: ExerciseId | None = None
    avoid_if: list[VocabId] = Field(
        default_factory=list, description="Condition ids that rule it out."
    )
    image: str | None = Field(default=None, description="A picture file inside the library folder.")
    pose: dict[str, Any] | None = Field(
        default=None, description="Start and end position, drawn by backplan."
    )
    video: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="A link shown on the handout; never fetched."
    )
    source: Line = Field(description="Where the content comes from.")
    translations: dict[Literal["es"], Translation] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Exercise:
        missing = []
        if self.kind == "modified":
            missing += [f for f in ("replaces", "why") if getattr(self, f) is None]
        if self.kind in ("modified", "warmup"):
            if not self.steps:
                missing.append("steps")
            if self.dose is None:
                missing.append("dose")
        if self.kind == "original" and self.problem is None:
            missing.append("problem")
        if missing:
            raise ValueError(
                f"an exercise of kind `{self.kind}` needs " + ", ".join(f"`{m}`" for m in missing)
            )
        return self

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


class TermText(Strict):
    label: Line | None = None
    question: Line | None = None


class Term(Strict):
    """One vocabulary entry: the words the interview and the handout use for an id."""

    label: Line
    question: Line | None = Field(default=None, description="How the interview asks about it.")
    always_available: bool = False
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
