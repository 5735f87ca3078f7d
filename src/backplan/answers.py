"""The answers to the interview: the model, reading it from YAML or JSON, and saving it.

The contract is documented for people in docs/answers-format.md. Structure and ranges are
checked by the model; ids that depend on the exercise library (conditions, equipment, exercise
ids) are checked against a library by `library_problems`, each with file:line when there is one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from backplan.answer_reading import (
    read_age,
    read_optional_yes_no,
    read_pain,
    read_yes_no,
    red_flag_id,
    split_red_flags,
    urgent_pain,
    urgent_red_flags,
    urgent_yes_no,
)
from backplan.errors import BackplanError, Problem, display_path
from backplan.exercise import LEVELS, ExerciseId, Level, Line, Strict, VocabId
from backplan.screening import (
    AGE_NEW_ONSET_OVER,
    AGE_NEW_ONSET_OVER_50,
    AGE_NEW_ONSET_UNDER,
    AGE_NEW_ONSET_UNDER_20,
    CLEARABLE,
    DERIVED_STOPS,
    EMERGENCY,
    EMERGENCY_SIGNS,
    RED_FLAG_IDS,
    SEE_CLINICIAN_SIGNS,
    SHARP_PAIN,
    UNREADABLE_RED_FLAG,
)
from backplan.validation import suggest, validate
from backplan.yamlsource import (
    MAX_FILE_BYTES,
    STDIN,
    Loc,
    Source,
    dump_yaml,
    is_stdin,
    load_yaml_or_stdin,
    stdin_bytes,
    to_json,
)

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


# Read by answer_reading's rules: `Saddle-Anesthesia ` is saddle_anaesthesia.
RedFlagId = Annotated[str, BeforeValidator(red_flag_id), AfterValidator(_known_red_flag)]


def _clearable(value: str) -> str:
    if value in EMERGENCY_SIGNS:
        raise ValueError(
            f"`{value}` is an emergency sign: it can never be cleared (emergency care today); "
            "nothing in this clearance applies until it is removed"
        )
    if value == SHARP_PAIN:
        raise ValueError(
            "sharp pain is never cleared (the clinic's rule: treat it first); "
            "nothing in this clearance applies until it is removed"
        )
    if value not in CLEARABLE:
        raise ValueError(
            f"`{value}` is not a reason a clinician can clear{suggest(value, CLEARABLE)} "
            f"(clearable: {', '.join(CLEARABLE)})"
        )
    return value


def _reason_id(value: Any) -> Any:
    """A clearance reason written like a red flag (case, spaces, hyphens) as its id."""
    if isinstance(value, str):
        flag = red_flag_id(value)
        if flag in RED_FLAG_IDS:
            return flag
        key = "_".join(value.casefold().replace("-", " ").split())
        return key if key in DERIVED_STOPS else value
    return value


ClearableId = Annotated[str, BeforeValidator(_reason_id), AfterValidator(_clearable)]


class Clearance(Strict):
    """A clinician who assessed the person clears these stop reasons for this plan (issue 12)."""

    by: Line
    on: dt.date
    reasons: Annotated[list[ClearableId], BeforeValidator(split_red_flags)] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _who_and_when(cls, data: Any) -> Any:
        if isinstance(data, dict) and not (data.get("by") and data.get("on")):
            raise ValueError(
                "a clearance needs `by` (the clinician who assessed the person) and `on` "
                "(the date of the assessment); without them nothing is cleared and the stop stands"
            )
        return data


class PatientInfo(Strict):
    name: Line | None = None
    age: Annotated[int | None, BeforeValidator(read_age)] = Field(default=None, ge=0, le=120)


class DoseOverride(Strict):
    """A clinician's change to an exercise's dose: only the fields given change."""

    sets: int | None = Field(default=None, ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_s: int | None = Field(default=None, ge=0, le=600)
    rest_s: int | None = Field(default=None, ge=0, le=600)
    per_side: bool | None = None
    days_per_week: int | None = Field(default=None, ge=1, le=7)
    minutes: int | None = Field(default=None, ge=1, le=120)

    def given(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


# The interview's safety questions: a saved stop may leave those it never reached unanswered.
SAFETY_FIELDS = ("sharp_pain", "pain", "red_flags")
_NOT_ASKED: dict[str, Any] = {"sharp_pain": False, "pain": 0, "red_flags": []}


class SavedStop(Strict):
    """The stop these answers gave, kept for the clinic's record (`--save-answers` on a stop)."""

    urgency: Literal["emergency", "see_clinician"]
    reasons: list[Line] = Field(min_length=1)  # the reference's reason ids
    date: dt.date | None = None
    # Questions the interview never reached: left out of the file, read as answers that never
    # stop, so only the answers given decide (and they must still stop).
    not_asked: list[Literal["sharp_pain", "pain", "red_flags"]] = Field(default_factory=list)


class Answers(Strict):
    """What the person answered (or what a clinician wrote for them)."""

    patient: PatientInfo = Field(default_factory=PatientInfo)
    # None: not answered. Checked even when absent: with some ages it decides a stop.
    new_onset: Annotated[bool | None, BeforeValidator(read_optional_yes_no)] = Field(
        default=None, validate_default=True
    )
    sharp_pain: Annotated[bool, BeforeValidator(read_yes_no)]
    pain: Annotated[int, BeforeValidator(read_pain)] = Field(ge=0, le=10)
    red_flags: Annotated[list[RedFlagId], BeforeValidator(split_red_flags)]
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
    cleared: Clearance | None = None
    stop: SavedStop | None = None  # a saved stop's record (docs/answers-format.md)
    # Red flags that could not be read, with the urgency each could have; only the safety
    # reader (`safety_answers`) sets them, never a file.
    _unread_flags: tuple[tuple[str, str], ...] = PrivateAttr(default=())

    @model_validator(mode="before")
    @classmethod
    def _not_asked(cls, data: Any) -> Any:
        """A saved stop's unasked safety questions, as answers that never stop."""
        if not isinstance(data, dict) or not isinstance(data.get("stop"), dict):
            return data
        skipped = data["stop"].get("not_asked") or []
        if not isinstance(skipped, list):
            return data
        filled = {k: _NOT_ASKED[k] for k in SAFETY_FIELDS if k in skipped and k not in data}
        return {**data, **filled}

    @model_validator(mode="after")
    def _still_stops(self) -> Answers:
        """A file that records a stop must still give one: editing never removes a stop."""
        if self.stop is not None:
            from backplan.screening import stop_reasons

            # Each recorded reason must still follow from the answers (a clearance may then
            # clear it as usual); the safety reader keeps the record's reasons meanwhile.
            still = set(stop_reasons(self))
            lost = [r for r in self.stop.reasons if r not in still]
            if lost:
                raise ValueError(
                    f"this file records a stop ({', '.join(lost)}) that its answers no longer "
                    "give; a stop is not removed by editing the file: a clinician who has "
                    "assessed it adds a `cleared:` block instead"
                )
        return self

    @field_validator("new_onset")
    @classmethod
    def _age_for_new_onset(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        patient = info.data.get("patient")
        age = patient.age if isinstance(patient, PatientInfo) else None
        # clinical-screening.md §3 derived stops: the age rules need the age when onset is new.
        if value and isinstance(patient, PatientInfo) and age is None:
            raise ValueError(
                "true needs `patient.age` (the age rules depend on it): add `patient: {age: NN}`"
            )
        # ... and the onset when the age is one they cover: a missing answer must not turn
        # a rule off.
        if value is None and age is not None:
            rule = (
                AGE_NEW_ONSET_OVER_50
                if age > AGE_NEW_ONSET_OVER
                else AGE_NEW_ONSET_UNDER_20
                if age < AGE_NEW_ONSET_UNDER
                else None
            )
            if rule is not None:
                raise ValueError(
                    f"`new_onset` is missing; with age {age} it decides the rule `{rule}`, which "
                    "would be off without it: add `new_onset: true` if the back pain began in "
                    "the last 6 weeks, else `new_onset: false`"
                )
        return value

    @property
    def unread_flags(self) -> tuple[tuple[str, str], ...]:
        """Red-flag entries that could not be read, each with the urgency it could have."""
        return self._unread_flags

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
        if self.stop is not None:  # a saved stop: the answers as given, nothing filled in
            given = self.model_fields_set - set(self.stop.not_asked)
            return {k: v for k, v in data.items() if k in given}
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


_NEVER_STOPS: dict[str, Any] = {"sharp_pain": False, "pain": 0, "red_flags": [], "new_onset": False}


def _valid(fields: dict[str, Any]) -> bool:
    from pydantic import ValidationError

    try:
        Answers.model_validate({**_NEVER_STOPS, **fields})
    except ValidationError:
        return False
    return True


def _key(text: Any) -> str:
    """A key as the safety reader compares it: `Sharp-Pain ` is `sharp_pain`."""
    return "_".join(str(text).casefold().replace("-", " ").replace("_", " ").split())


def _given(record: dict[str, Any], again: dict[Loc, list[Any]], *path: str) -> list[Any]:
    """Every value written for `path`: the first, then those of a key given twice, and those
    of a key spelt another way (`Sharp_Pain`), which is an error but must not hide a stop."""
    parents: list[Any] = [record]
    for depth, part in enumerate(path):
        wanted = tuple(_key(p) for p in path[: depth + 1])
        later = [v for loc, vals in again.items() if tuple(map(_key, loc)) == wanted for v in vals]
        nodes = [
            value
            for parent in parents
            if isinstance(parent, dict)
            for key, value in parent.items()
            if _key(key) == _key(part)
        ]
        parents = [*nodes, *later]
    return parents


def read_safety(
    record: Any, again: dict[Loc, list[Any]] | None = None
) -> tuple[Answers | None, list[tuple[str, str, str]]]:
    """The safety answers of a record that does not validate, each read at its most urgent
    (a key given twice: its most urgent value; an unreadable value: the most urgent thing
    it could mean), and (field, value as shown, what it counts as) for each value unread."""
    if not isinstance(record, dict):
        return None, []
    again = again or {}
    notes: list[tuple[str, str, str]] = []
    sharp, unread = urgent_yes_no(_given(record, again, "sharp_pain"))
    notes += [("sharp_pain", u, "until it is corrected it counts as sharp pain") for u in unread]
    pain, unread = urgent_pain(_given(record, again, "pain"))
    notes += [("pain", u, "until it is corrected it counts as severe pain") for u in unread]
    flags, unread_flags = urgent_red_flags(_given(record, again, "red_flags"))
    notes += [
        (
            "red_flags",
            text,
            "until it is corrected it counts as "
            + ("an emergency sign" if u == "emergency" else "a see-a-clinician sign"),
        )
        for text, u in unread_flags
    ]
    for recorded in _given(record, again, "stop"):
        # A saved stop's record (`stop.reasons`): its reasons stand even when the answers were
        # edited away, at the urgency it recorded; editing never weakens a stop.
        if not isinstance(recorded, dict):
            continue
        urgency = "see_clinician" if recorded.get("urgency") == "see_clinician" else EMERGENCY
        reasons = split_red_flags(recorded.get("reasons"))
        for reason in reasons if isinstance(reasons, list) else [reasons]:
            flag = red_flag_id(reason)
            if flag in RED_FLAG_IDS:
                flags.append(flag)
            elif _key(reason) == SHARP_PAIN:
                sharp = True
            elif reason is not None:
                unread_flags.append((str(reason), urgency))
    for legs in _given(record, again, "leg_symptoms"):
        if isinstance(legs, str) and "both" in legs.lower():
            flags.append("bilateral_leg_symptoms")  # what _not_both_legs tells them to write
    ages = []
    for value in _given(record, again, "patient", "age"):
        try:
            age = read_age(value)
        except ValueError:
            age = 120  # an age that cannot be read may be over 50: the rule is not turned off
        if age is not None:
            ages.append(min(max(age, 0), 120))  # an age past 120 is still over 50
    onset, _unread = urgent_yes_no(_given(record, again, "new_onset"))
    fields: dict[str, Any] = {
        "sharp_pain": sharp,
        "pain": pain or 0,
        "red_flags": list(dict.fromkeys(flags)),
    }
    if "lang" in record and _valid({"lang": record["lang"]}):
        fields["lang"] = record["lang"]
    patient: dict[str, Any] = {}
    names = _given(record, again, "patient", "name")
    if names and _valid({"patient": {"name": names[0]}}):
        patient["name"] = names[0]
    if ages:
        # the age that stops, when one of those given does
        urgent = [a for a in ages if a > AGE_NEW_ONSET_OVER] or [
            a for a in ages if a < AGE_NEW_ONSET_UNDER
        ]
        patient["age"] = (urgent or ages)[0]
        fields["new_onset"] = onset
    fields["patient"] = patient
    answers = Answers.model_validate({**_NEVER_STOPS, **fields})
    answers._unread_flags = tuple(unread_flags)
    return answers, notes


def safety_answers(record: Any, again: dict[Loc, list[Any]] | None = None) -> Answers | None:
    """From a record that does not validate, the safety answers that do, when they stop."""
    from backplan.screening import screen

    answers, _notes = read_safety(record, again)
    return answers if answers is not None and screen(answers) is not None else None


def again_within(source: Source, prefix: Loc) -> dict[Loc, list[Any]]:
    """The later values of keys given twice inside `prefix` (a roster row), relative to it."""
    n = len(prefix)
    return {loc[n:]: vals for loc, vals in source.again.items() if tuple(loc[:n]) == tuple(prefix)}


def stop_in_problems(
    source: Source, prefix: Loc, problems: list[Problem]
) -> tuple[Answers | None, list[Problem]]:
    """For a record with problems: its stopping safety answers (or None), and the problems
    with a note for every safety value that could not be read (what it was counted as)."""
    from backplan.screening import screen

    record = source.data
    for part in prefix:
        record = record[part]
    answers, notes = read_safety(record, again_within(source, prefix))
    if answers is None or screen(answers) is None:
        return None, problems
    problems = list(problems)
    for field, shown, counts in notes:
        # Said beside the problem that names the value, or on its own when none does.
        for n, problem in enumerate(problems):
            if problem.message.startswith(f"`{field}") and shown.strip("'") in problem.message:
                problems[n] = dataclasses.replace(problem, message=f"{problem.message}; {counts}")
                break
        else:
            problems.append(source.problem((*prefix, field), f"`{field}`: {shown}: {counts}"))
    return answers, sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def parse_answers(source: Source, prefix: Loc = ()) -> Answers:
    """Validate a parsed document as Answers; raise BackplanError naming every problem
    (StopInInvalidAnswers when the valid safety answers already say stop)."""
    answers, problems = validate(Answers, source, prefix)
    if problems:
        title = f"{source.path} is not a valid answers file"
        stopping, problems = stop_in_problems(source, prefix, problems)
        if stopping is not None:
            raise StopInInvalidAnswers(
                problems, title=f"{title} (it already says stop: see below)", answers=stopping
            )
        raise BackplanError(problems, title=title)
    return answers


def load_answers(path: Path) -> tuple[Answers, Source]:
    """Read an answers file (YAML or JSON; `-` is standard input). Returns the answers and the
    source, for positions."""
    try:
        source = load_yaml_or_stdin(path, what="answers file")
    except BackplanError as exc:
        stopping = salvage_stop(path)
        if stopping is None:
            raise
        raise StopInInvalidAnswers(
            exc.problems,
            title=f"{STDIN if is_stdin(path) else display_path(path)} cannot be read as a whole "
            "(it already says stop: see "
            "below)",
            answers=stopping,
        ) from None
    return parse_answers(source), source


# The keys whose lines `salvage_stop` reads on their own (the safety answers and the patient).
_SALVAGED = {"sharp_pain", "pain", "red_flags", "new_onset", "leg_symptoms", "patient"}
_KEY_LINE = re.compile(
    r"""^(?P<indent>[ \t]*)[{,]?[ \t]*(?P<q>["']?)(?P<key>[A-Za-z][\w \-]*?)(?P=q)[ \t]*:(?=\s|$)"""
)


def salvage_stop(path: Path) -> Answers | None:
    """From a file that cannot be read as a whole (a YAML or JSON syntax error, a byte that is
    not UTF-8), the stop its safety lines still say, read line by line; None when they say none.

    A typo anywhere else in the file must never hide a stop (issue 12): each top-level safety
    key is read with the lines indented under it, on its own, and read at its most urgent.
    """
    try:
        if is_stdin(path):
            raw = stdin_bytes()[:MAX_FILE_BYTES]
        else:
            with path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES)
    except OSError:
        return None
    text = raw.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    matches = [(i, _KEY_LINE.match(line)) for i, line in enumerate(lines)]
    found = [(i, m) for i, m in matches if m is not None]
    if not found:
        return None
    top = min(len(m["indent"].expandtabs()) for _i, m in found)
    record: dict[str, Any] = {}
    again: dict[Loc, list[Any]] = {}
    for i, match in found:
        if len(match["indent"].expandtabs()) != top or _key(match["key"]) not in _SALVAGED:
            continue
        block = [lines[i][match.start("q") :]]
        for line in lines[i + 1 :]:
            depth = len(line) - len(line.lstrip())
            if line.strip() and depth <= top:
                if line.strip()[:1] in "]}":
                    block.append(" " * (top + 1) + line.strip())  # a JSON list's closing line
                break
            block.append(line)
        value = _read_block("\n".join(block).rstrip().rstrip(","))
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            if key in record:
                again.setdefault((key,), []).append(item)
            else:
                record[key] = item
    return safety_answers(record, again)


def _read_block(text: str) -> Any:
    from backplan.yamlsource import parse_yaml

    try:
        return parse_yaml(textwrap.dedent(text), "<salvaged>").data
    except BackplanError:
        return None


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


def with_stop(given: Answers | dict[str, Any], stop: Any) -> Answers:
    """The answers as given (a model, or an interview's answers so far) with the record of
    the stop they gave: what `--save-answers` keeps for the clinic when the plan stops."""
    data = given.to_data() if isinstance(given, Answers) else dict(given)
    data.pop("stop", None)
    record = {
        "urgency": stop.urgency,
        # an unreadable entry is kept as written in the answers, not as a reason id
        "reasons": list(dict.fromkeys(r.id for r in stop.reasons if r.id != UNREADABLE_RED_FLAG)),
        "date": stop.date,
        "not_asked": [k for k in SAFETY_FIELDS if k not in data],
    }
    return Answers.model_validate({**data, "stop": record})
