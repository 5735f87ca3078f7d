"""The answers to the interview: the model, reading it from YAML or JSON, and saving it.

The contract is documented for people in docs/answers-format.md. Structure and ranges are
checked by the model; ids that depend on the exercise library (conditions, equipment, exercise
ids) are checked against a library by `library_problems`, each with file:line when there is one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
)

from backplan.errors import BackplanError, Problem
from backplan.exercise import LEVELS, ExerciseId, Level, Line, Strict, VocabId
from backplan.screening import EMERGENCY_SIGNS, RED_FLAG_IDS, SEE_CLINICIAN_SIGNS
from backplan.validation import suggest, validate
from backplan.yamlsource import Loc, Source, dump_yaml, load_yaml, to_json

LegSymptoms = Literal["none", "one_leg_above_knee", "one_leg_below_knee"]
LEG_SYMPTOMS: tuple[str, ...] = ("none", "one_leg_above_knee", "one_leg_below_knee")
LEG_BELOW_KNEE_CONDITION = "leg_pain_below_knee"  # what one_leg_below_knee counts as


def _known_red_flag(value: str) -> str:
    if value not in RED_FLAG_IDS:
        raise ValueError(
            f"unknown red flag `{value}`{suggest(value, RED_FLAG_IDS)} "
            f"(emergency signs: {', '.join(EMERGENCY_SIGNS)}; "
            f"see-a-clinician signs: {', '.join(SEE_CLINICIAN_SIGNS)})"
        )
    return value


def _not_both_legs(value: Any) -> Any:
    if isinstance(value, str) and "both" in value.lower():
        raise ValueError(
            f"{value!r} is not a choice here; use none, one_leg_above_knee or "
            "one_leg_below_knee. Symptoms down both legs are the red flag "
            "`bilateral_leg_symptoms`: put it in `red_flags`"
        )
    return value


RedFlagId = Annotated[str, AfterValidator(_known_red_flag)]


class PatientInfo(Strict):
    name: Line | None = None
    age: int | None = Field(default=None, ge=0, le=120)


class DoseOverride(Strict):
    """A clinician's change to an exercise's dose: only the fields given change."""

    sets: int | None = Field(default=None, ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_s: int | None = Field(default=None, ge=0, le=600)
    rest_s: int | None = Field(default=None, ge=0, le=600)
    per_side: bool | None = None
    days_per_week: int | None = Field(default=None, ge=1, le=7)

    def given(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class Answers(Strict):
    """What the person answered (or what a clinician wrote for them)."""

    patient: PatientInfo = Field(default_factory=PatientInfo)
    new_onset: bool = False
    sharp_pain: bool
    pain: int = Field(ge=0, le=10)
    red_flags: list[RedFlagId]
    leg_symptoms: Annotated[LegSymptoms, BeforeValidator(_not_both_legs)] = "none"
    conditions: list[VocabId] = Field(default_factory=list)
    equipment: list[VocabId] = Field(default_factory=list)
    level: Level = "beginner"
    # Clinic workflows (issue 7): all optional.
    clinician: Line | None = None
    lang: Literal["en", "es"] | None = None
    large_print: bool = False  # the handout in large print (render/__init__.py RenderOptions)
    protocol: Line | None = None
    notes: list[Line] = Field(default_factory=list)
    add: list[ExerciseId] = Field(default_factory=list)
    remove: list[ExerciseId] = Field(default_factory=list)
    dose: dict[ExerciseId, DoseOverride] = Field(default_factory=dict)
    exercise_notes: dict[ExerciseId, list[Line]] = Field(default_factory=dict)

    @field_validator("new_onset")
    @classmethod
    def _age_for_new_onset(cls, value: bool, info: ValidationInfo) -> bool:
        patient = info.data.get("patient")
        # clinical-screening.md §3 derived stops: the age rules need the age when onset is new.
        if value and isinstance(patient, PatientInfo) and patient.age is None:
            raise ValueError(
                "true needs `patient.age` (the age rules depend on it): add `patient: {age: NN}`"
            )
        return value

    def condition_ids(self) -> set[str]:
        """The conditions that rule exercises out, counting leg symptoms below the knee."""
        found = set(self.conditions)
        if self.leg_symptoms == "one_leg_below_knee":
            found.add(LEG_BELOW_KNEE_CONDITION)
        return found

    def level_rank(self) -> int:
        return LEVELS.index(self.level)

    def to_data(self) -> dict[str, Any]:
        """A plain mapping for saving: the interview's fields always, the others only when set."""
        data = self.model_dump(mode="json", exclude_none=True)
        if not data["patient"]:
            del data["patient"]
        return {k: v for k, v in data.items() if k in CORE_FIELDS or v not in ([], {})}


CORE_FIELDS = (
    "patient",
    "new_onset",
    "sharp_pain",
    "pain",
    "red_flags",
    "leg_symptoms",
    "conditions",
    "equipment",
    "level",
)


class StopInInvalidAnswers(BackplanError):
    """Answers that do not validate, though their valid safety answers already say stop.

    `answers` holds only those safety answers (screening stops them). Callers show the stop
    notice and these problems: a typo elsewhere in the file must never hide a stop.
    """

    def __init__(self, problems: list[Problem], *, title: str, answers: Answers):
        from backplan.errors import EXIT_EMERGENCY, EXIT_SEE_CLINICIAN
        from backplan.screening import EMERGENCY, screen

        stop = screen(answers)
        urgent = stop is not None and stop.urgency == EMERGENCY
        super().__init__(
            problems, title=title, exit_code=EXIT_EMERGENCY if urgent else EXIT_SEE_CLINICIAN
        )
        self.answers = answers


_NEVER_STOPS: dict[str, Any] = {"sharp_pain": False, "pain": 0, "red_flags": []}


def _valid(fields: dict[str, Any]) -> bool:
    from pydantic import ValidationError

    try:
        Answers.model_validate({**_NEVER_STOPS, **fields})
    except ValidationError:
        return False
    return True


def safety_answers(record: Any) -> Answers | None:
    """From a record that does not validate, the safety answers that do, when they stop."""
    from backplan.screening import screen

    if not isinstance(record, dict):
        return None
    fields: dict[str, Any] = {}
    for key in ("sharp_pain", "pain", "lang"):
        if key in record and _valid({key: record[key]}):
            fields[key] = record[key]
    flags = record.get("red_flags")
    known = [f for f in flags if f in RED_FLAG_IDS] if isinstance(flags, list) else []
    legs = record.get("leg_symptoms")
    if isinstance(legs, str) and "both" in legs.lower():
        known.append("bilateral_leg_symptoms")  # what _not_both_legs tells them to write
    fields["red_flags"] = list(dict.fromkeys(known))
    patient = record.get("patient")
    if isinstance(patient, dict):
        fields["patient"] = {
            k: patient[k]
            for k in ("name", "age")
            if k in patient and _valid({"patient": {k: patient[k]}})
        }
    if _valid({"new_onset": record.get("new_onset"), "patient": fields.get("patient", {})}):
        fields["new_onset"] = record["new_onset"]
    answers = Answers.model_validate({**_NEVER_STOPS, **fields})
    return answers if screen(answers) is not None else None


def parse_answers(source: Source, prefix: Loc = ()) -> Answers:
    """Validate a parsed document as Answers; raise BackplanError naming every problem
    (StopInInvalidAnswers when the valid safety answers already say stop)."""
    answers, problems = validate(Answers, source, prefix)
    if problems:
        title = f"{source.path} is not a valid answers file"
        record = source.data
        for part in prefix:
            record = record[part]
        stopping = safety_answers(record)
        if stopping is not None:
            raise StopInInvalidAnswers(
                problems, title=f"{title} (it already says stop: see below)", answers=stopping
            )
        raise BackplanError(problems, title=title)
    return answers


def load_answers(path: Path) -> tuple[Answers, Source]:
    """Read an answers file (YAML or JSON). Returns the answers and the source, for positions."""
    source = load_yaml(path, what="answers file")
    return parse_answers(source), source


def library_problems(
    answers: Answers, library: Any, source: Source | None = None, prefix: Loc = ()
) -> list[Problem]:
    """Ids in the answers that the exercise library does not know, located when we can."""
    vocab = library.vocabulary
    exercises = library.exercises

    def problem(loc: Loc, message: str) -> Problem:
        if source is not None:
            return source.problem((*prefix, *loc), message)
        return Problem(message=f"`{'.'.join(str(p) for p in loc)}`: {message}")

    problems = []
    for field, known, what in (
        ("conditions", vocab.conditions, "condition"),
        ("equipment", vocab.equipment, "equipment"),
    ):
        for i, item in enumerate(getattr(answers, field)):
            if item not in known:
                problems.append(
                    problem(
                        (field, i),
                        f"unknown {what} `{item}`{suggest(item, known)} "
                        f"(known: {', '.join(sorted(known))})",
                    )
                )
    for field in ("add", "remove"):
        for i, eid in enumerate(getattr(answers, field)):
            if eid not in exercises:
                problems.append(
                    problem((field, i), f"no exercise with id `{eid}`{suggest(eid, exercises)}")
                )
    for eid, override in answers.dose.items():
        exercise = exercises.get(eid)
        if exercise is None or exercise.dose is None:
            continue
        merged = {**exercise.dose.model_dump(), **override.given()}
        if merged["reps"] is None and merged["hold_s"] == 0:
            problems.append(
                problem(("dose", eid), "with this change the exercise has neither reps nor a hold")
            )
    for field in ("dose", "exercise_notes"):
        for eid in getattr(answers, field):
            if eid not in exercises:
                problems.append(
                    problem((field, eid), f"no exercise with id `{eid}`{suggest(eid, exercises)}")
                )
    return problems


def answers_text(answers: Answers, path: Path) -> str:
    """The answers as the file `path` should hold them: JSON for .json, YAML otherwise."""
    data = answers.to_data()
    if path.suffix.lower() == ".json":
        return to_json(data) + "\n"
    return "# backplan answers (see docs/answers-format.md)\n" + dump_yaml(data)


def save_answers(answers: Answers, path: Path) -> Path:
    """Write the answers atomically, so an interrupted save never leaves half a file."""
    from backplan.files import write_atomic

    return write_atomic(path, answers_text(answers, path))
