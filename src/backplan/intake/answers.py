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
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from backplan.errors import EXIT_EMERGENCY, EXIT_SEE_CLINICIAN, BackplanError, Problem, display_path
from backplan.files.atomic import write_atomic
from backplan.files.problems import suggest, validate
from backplan.files.yaml_source import (
    MAX_FILE_BYTES,
    STDIN,
    Loc,
    Source,
    best_effort_text,
    dump_yaml,
    is_stdin,
    load_yaml_or_stdin,
    parse_yaml,
    stdin_bytes,
    to_json,
)
from backplan.intake.reading import (
    flag_entries,
    leg_choice,
    read_age,
    read_optional_yes_no,
    read_pain,
    read_yes_no,
    red_flag_id,
    resembles_sign,
    safety_key,
    says_both_legs,
    split_red_flags,
    urgent_pain,
    urgent_red_flags,
    urgent_yes_no,
)
from backplan.intake.screening import (
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
    screen,
    stop_reasons,
)
from backplan.library.model import LEVELS, DoseChange, ExerciseId, Level, Line, Strict, VocabId

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
    value = leg_choice(value)  # `One-Leg-Below-Knee`, or the interview's own label
    if isinstance(value, str) and says_both_legs(value) and _BOTH_WORDS.search(value.lower()):
        raise ValueError(
            f"{value!r} is not a choice here; use none, one_leg_above_knee or "
            "one_leg_below_knee. Symptoms down both legs are the red flag "
            "`bilateral_leg_symptoms`: put it in `red_flags`"
        )
    return value


_BOTH_WORDS = re.compile(r"both|two|bilateral|ambas|ambos|\bdos\b")

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
    dose: dict[ExerciseId, DoseChange] = Field(default_factory=dict)
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

    @model_validator(mode="after")
    def _no_sign_in_id_lists(self) -> Answers:
        """A sign's id among conditions, equipment or exercise ids is a slip for `red_flags`:
        an error, so the safety reader counts it (clinical-screening.md §2, §3)."""
        for field in _ID_LISTS:
            for item in getattr(self, field):
                if red_flag_id(item) in RED_FLAG_IDS:
                    raise ValueError(
                        f"`{item}` in `{field}` is a warning sign: put it in `red_flags` "
                        "(until then it counts as reported)"
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
        stop = screen(answers)
        urgent = stop is not None and stop.urgency == EMERGENCY
        super().__init__(
            problems, title=title, exit_code=EXIT_EMERGENCY if urgent else EXIT_SEE_CLINICIAN
        )
        self.answers = answers


_NEVER_STOPS: dict[str, Any] = {"sharp_pain": False, "pain": 0, "red_flags": [], "new_onset": False}


def _valid(fields: dict[str, Any]) -> bool:
    try:
        Answers.model_validate({**_NEVER_STOPS, **fields})
    except ValidationError:
        return False
    return True


def _key(text: Any) -> str:
    """A key as the safety reader compares it: `Sharp-Pain `, `sharpPain`, `sharp_pian` are
    `sharp_pain` (answer_reading.safety_key); other keys ignoring case, spaces and `-`."""
    if isinstance(text, int):
        return str(text)
    return safety_key(str(text)) or "_".join(
        str(text).casefold().replace("-", " ").replace("_", " ").split()
    )


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


# Parts of a record whose keys are never safety answers (a clearance names cleared reasons).
_NOT_ANSWERS = {"cleared", "dose", "exercise_notes", "notes"}


def _clearance_extras(record: dict[str, Any], again: dict[Loc, list[Any]]) -> list[Any]:
    """What a clearance holds besides who, when and the reasons it clears: answers put in the
    wrong place (`cleared: {red_flags: [...]}`), which count like any misplaced answer."""
    return [
        {k: v for k, v in given.items() if _key(k) not in ("by", "on", "reasons")}
        for given in _given(record, again, "cleared")
        if isinstance(given, dict)
    ]


def _anywhere(record: dict[str, Any], again: dict[Loc, list[Any]], field: str) -> list[Any]:
    """`_given` for a top-level field, and its values under any other key, however deep
    (`patient: {red_flags: [...]}`, `answers: {pain: 8}`): put in the wrong place, an answer
    is an error but still counts."""
    found = _given(record, again, field)
    stack: list[Any] = [v for k, v in record.items() if _key(k) not in _NOT_ANSWERS]
    stack += [v for loc, vals in again.items() if _key(loc[0]) not in _NOT_ANSWERS for v in vals]
    stack += _clearance_extras(record, again)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if _key(key) == field:
                    found.append(value)
                stack.append(value)
        elif isinstance(node, list):
            stack += node
    return found


def _signs_as_keys(record: dict[str, Any], again: dict[Loc, list[Any]]) -> dict[str, Any]:
    """Signs written as keys (`saddle_anaesthesia: yes`, a CSV column per sign), anywhere
    but in a clearance: each with its value (not answered no: reported)."""
    found: dict[str, Any] = {}
    stack: list[Any] = [{k: v for k, v in record.items() if _key(k) not in _NOT_ANSWERS}]
    stack += _clearance_extras(record, again)
    stack += [{loc[-1]: v} for loc, vals in again.items() for v in vals if len(loc) == 1]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and red_flag_id(key) in RED_FLAG_IDS:
                    # A sign key left blank outside `red_flags` is a question not answered;
                    # inside it, the `red_flags` reading counts it (a YAML set).
                    found[str(key) if key not in found else f"{key} "] = (
                        False if value is None else value
                    )
                elif _names_a_sign_yes(key, value):
                    # `sadle_anaesthesia: yes`, `fiebre: sí`: a sign misspelt or in other
                    # words, answered yes: an unreadable sign, as in `red_flags` (§1).
                    found[str(key) if key not in found else f"{key} "] = True
                elif _key(key) not in _NOT_ANSWERS:
                    stack.append(value)
        elif isinstance(node, list):
            stack += node
    return found


# Fields whose items are ids a person picks, where a sign's id is a slip for `red_flags`.
_ID_LISTS = ("conditions", "equipment", "add", "remove")


def _signs_listed_elsewhere(record: dict[str, Any], again: dict[Loc, list[Any]]) -> list[str]:
    """Signs' ids listed where no sign belongs: in a list of conditions or equipment, or under
    a key that is no field (`symptoms: [saddle_anaesthesia]`); each is that sign (§2, §3).
    Only the reference's ids (in any spelling) count, never other words."""
    fields = set(Answers.model_fields)
    stack: list[Any] = [
        v for k, v in record.items() if _key(k) in _ID_LISTS or _key(k) not in fields
    ]
    stack += [
        v
        for loc, vals in again.items()
        if len(loc) == 1 and (_key(loc[0]) in _ID_LISTS or _key(loc[0]) not in fields)
        for v in vals
    ]
    found: list[str] = []
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack += [v for k, v in node.items() if _key(k) not in _NOT_ANSWERS]
        elif isinstance(node, list | str):
            for entry in flag_entries(node):
                if isinstance(entry, list | dict):
                    stack.append(entry)
                elif (flag := red_flag_id(entry)) in RED_FLAG_IDS:
                    found.append(flag)
    return found


_PAIR_KEY = re.compile(r"""(?:^|(?<=\s))["']?([A-Za-z][\w\-]{0,40})["']?[ \t]*[=:：][ \t]*""")


def _pairs_in_text(text: str) -> dict[str, Any]:
    """The safety `key = value` pairs in one line of text (`sharp_pain = no pain = 2
    red_flags = [a, b]`), each value read as YAML where it can be, else as written."""
    keys = list(_PAIR_KEY.finditer(text))
    pairs: dict[str, Any] = {}
    for n, match in enumerate(keys):
        if _key(match[1]) not in _SALVAGED:
            continue
        end = keys[n + 1].start() if n + 1 < len(keys) else len(text)
        written = text[match.end() : end].strip().rstrip(",")
        parsed = _read_block(f"x: {written}") if written else None
        pairs.setdefault(match[1], parsed["x"] if parsed else written)
    return pairs


def _names_a_sign_yes(key: Any, value: Any) -> bool:
    """A key that is no answers field but resembles a sign, answered plainly yes."""
    if not isinstance(key, str) or _key(key) in Answers.model_fields or safety_key(key):
        return False
    try:
        said_yes = read_yes_no(value)
    except ValueError:
        return False  # `weight: 70` is not a sign answered
    return said_yes and resembles_sign(key)


def read_safety(
    record: Any, again: dict[Loc, list[Any]] | None = None
) -> tuple[Answers | None, list[tuple[str, str, str]]]:
    """The safety answers of a record that does not validate, each read at its most urgent
    (a key given twice: its most urgent value; an unreadable value: the most urgent thing
    it could mean), and (field, value as shown, what it counts as) for each value unread."""
    again = dict(again or {})
    if isinstance(record, str):
        # A row or file that is one string: `key = value` pairs that YAML folded into one
        # line, and its signs' ids, if it names any.
        pairs = _pairs_in_text(record)
        record = [pairs, record] if pairs else [record]
    record = _as_one_record(record, again)
    if not isinstance(record, dict):
        return None, []
    found = _read_signs(record, again)
    _read_saved_stop(record, again, found)
    _read_legs(record, again, found)
    ages = _read_ages(record, again, found.notes)
    onset, unread = urgent_yes_no(_anywhere(record, again, "new_onset"))
    found.notes += [
        ("new_onset", u, "until it is corrected it counts as a new onset") for u in unread
    ]
    fields = _safety_fields(record, again, found, ages, onset)
    answers = Answers.model_validate({**_NEVER_STOPS, **fields})
    answers._unread_flags = tuple(found.unread_flags)
    return answers, found.notes


@dataclasses.dataclass
class _SafetyRead:
    """What the safety reader has found so far, every value at its most urgent."""

    sharp: bool
    pain: int | None
    flags: list[str]
    unread_flags: list[tuple[str, str]]  # (as written, the urgency it could have)
    notes: list[tuple[str, str, str]]  # (field, value as shown, what it counts as)


def _as_one_record(record: Any, again: dict[Loc, list[Any]]) -> Any:
    """A list of records (`[{...}]`, a JSON array of one object) read as one, each key's
    values at their most urgent, as a key given twice (added to `again`)."""
    if not isinstance(record, list):
        return record
    records = [r for r in record if isinstance(r, dict)]
    # Signs written as the list itself (`- saddle_anaesthesia`, `[history_of_cancer]`): the
    # red flags, read as such (§2, §3); other text in the list is not taken for a sign.
    signs = [
        flag
        for entry in flag_entries([r for r in record if not isinstance(r, dict)])
        if (flag := red_flag_id(entry)) in RED_FLAG_IDS
    ]
    if signs:
        records.append({"red_flags": signs})
    if not records:
        return None
    for loc in [loc for loc in again if loc and isinstance(loc[0], int)]:
        # a key given twice inside one of the records
        again.setdefault(loc[1:], []).extend(again.pop(loc))
    merged: dict[str, Any] = {}
    for one in records:
        for key, value in one.items():
            if key in merged:
                again.setdefault((key,), []).append(value)
            else:
                merged[key] = value
    return merged


def _read_signs(record: dict[str, Any], again: dict[Loc, list[Any]]) -> _SafetyRead:
    """Sharp pain, pain and the red flags, wherever they were written."""
    notes: list[tuple[str, str, str]] = []
    sharp, unread = urgent_yes_no(_anywhere(record, again, "sharp_pain"))
    notes += [("sharp_pain", u, "until it is corrected it counts as sharp pain") for u in unread]
    pain, unread = urgent_pain(_anywhere(record, again, "pain"))
    notes += [("pain", u, "until it is corrected it counts as severe pain") for u in unread]
    flags, unread_flags = urgent_red_flags(
        [*_anywhere(record, again, "red_flags"), _signs_as_keys(record, again)]
    )
    flags += _signs_listed_elsewhere(record, again)
    # A sign's id as another safety answer (`pain: saddle_anaesthesia`, a CSV row short of a
    # cell, so the signs sit in the pain column): the sign, as well as that field's own
    # reading (§1: the most urgent reading stands).
    for field in ("sharp_pain", "pain", "new_onset", "leg_symptoms", "age"):
        for value in _anywhere(record, again, field):
            if isinstance(value, str | list):
                entries = flag_entries(value)
                flags += [f for e in entries if (f := red_flag_id(e)) in RED_FLAG_IDS]
    notes += [
        (
            "red_flags",
            text,
            "until it is corrected it counts as "
            + ("an emergency sign" if u == "emergency" else "a see-a-clinician sign"),
        )
        for text, u in unread_flags
    ]
    return _SafetyRead(sharp, pain, list(dict.fromkeys(flags)), list(unread_flags), notes)


def _read_saved_stop(
    record: dict[str, Any], again: dict[Loc, list[Any]], found: _SafetyRead
) -> None:
    """A saved stop's record (`stop.reasons`): its reasons stand even when the answers were
    edited away, at the urgency it recorded; editing never weakens a stop."""
    for recorded in _given(record, again, "stop"):
        if not isinstance(recorded, dict):
            continue
        urgency = "see_clinician" if recorded.get("urgency") == "see_clinician" else EMERGENCY
        reasons = split_red_flags(recorded.get("reasons"))
        for reason in reasons if isinstance(reasons, list) else [reasons]:
            flag = red_flag_id(reason)
            if flag in RED_FLAG_IDS:
                found.flags.append(flag)
            elif _key(reason) == SHARP_PAIN:
                found.sharp = True
            elif reason is not None:
                found.unread_flags.append((str(reason), urgency))


def _read_legs(record: dict[str, Any], again: dict[Loc, list[Any]], found: _SafetyRead) -> None:
    """Leg symptoms that say both legs: the red flag `bilateral_leg_symptoms`."""
    for legs in _anywhere(record, again, "leg_symptoms"):
        if says_both_legs(legs):
            # what _not_both_legs tells them to write; an unreadable answer might mean it
            found.flags.append("bilateral_leg_symptoms")
            if leg_choice(legs) == legs and not _BOTH_WORDS.search(str(legs).lower()):
                found.notes.append(
                    (
                        "leg_symptoms",
                        repr(legs) if isinstance(legs, str) else str(legs),
                        "until it is corrected it counts as symptoms down both legs",
                    )
                )


def _read_ages(
    record: dict[str, Any], again: dict[Loc, list[Any]], notes: list[tuple[str, str, str]]
) -> list[int]:
    """Every age written, an unreadable one counted as over 50 (a note says so)."""
    ages = []
    # `age:` at the top level instead of under `patient:` (a common slip) is still an age,
    # and a `patient:` written as text (`"Ana, 55"`) still says one: neither turns a rule off.
    written = [*_given(record, again, "patient", "age"), *_anywhere(record, again, "age")]
    for written_patient in _given(record, again, "patient"):
        if written_patient is not None and not isinstance(written_patient, dict):
            numbers = re.findall(r"[0-9]+", str(written_patient))
            written += [int(n, 10) for n in numbers] or [str(written_patient)]
    for value in written:
        try:
            age = read_age(value)
        except ValueError:
            age = 120  # an age that cannot be read may be over 50: the rule is not turned off
            shown = repr(value) if isinstance(value, str) else str(value)
            notes.append(("patient.age", shown, "until it is corrected it counts as over 50"))
        if age is not None:
            ages.append(min(max(age, 0), 120))  # an age past 120 is still over 50
    return ages


def _safety_fields(
    record: dict[str, Any],
    again: dict[Loc, list[Any]],
    found: _SafetyRead,
    ages: list[int],
    onset: bool,
) -> dict[str, Any]:
    """The Answers fields of what was read: the safety answers, the patient, the language."""
    fields: dict[str, Any] = {
        "sharp_pain": found.sharp,
        "pain": found.pain or 0,
        "red_flags": list(dict.fromkeys(found.flags)),
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
    return fields


def safety_answers(record: Any, again: dict[Loc, list[Any]] | None = None) -> Answers | None:
    """From a record that does not validate, the safety answers that do, when they stop."""
    answers, _notes = read_safety(record, again)
    return answers if answers is not None and screen(answers) is not None else None


def again_within(source: Source, prefix: Loc) -> dict[Loc, list[Any]]:
    """The later values of keys given twice inside `prefix` (a roster row), relative to it."""
    n = len(prefix)
    return {loc[n:]: vals for loc, vals in source.again.items() if tuple(loc[:n]) == tuple(prefix)}


# Past this many (note, problem) comparisons, notes are listed on their own lines.
MAX_NOTE_PAIRINGS = 200_000


def stop_in_problems(
    source: Source, prefix: Loc, problems: list[Problem]
) -> tuple[Answers | None, list[Problem]]:
    """For a record with problems: its stopping safety answers (or None), and the problems
    with a note for every safety value that could not be read (what it was counted as)."""
    record = source.data
    for part in prefix:
        record = record[part]
    answers, notes = read_safety(record, again_within(source, prefix))
    problems = list(problems) + _onset_needed(answers, record, source, prefix, problems)
    if answers is None or screen(answers) is None:
        return None, problems
    # Each note is said beside the problem that names its value, or on its own when none does
    # (or when a file has so many that pairing them, note by problem, would take minutes).
    pair = len(notes) * len(problems) <= MAX_NOTE_PAIRINGS
    for field, shown, counts in notes:
        for n, problem in enumerate(problems if pair else ()):
            if problem.message.startswith(f"`{field}") and shown.strip("'") in problem.message:
                problems[n] = dataclasses.replace(problem, message=f"{problem.message}; {counts}")
                break
        else:
            problems.append(source.problem((*prefix, field), f"`{field}`: {shown}: {counts}"))
    return answers, sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _onset_needed(
    answers: Answers | None, record: Any, source: Source, prefix: Loc, problems: list[Problem]
) -> list[Problem]:
    """When the age was written where the model does not look (`age:` at the top level, a
    misspelt key) and `new_onset` is missing: the problem that names the rule it turns off."""
    age = answers.patient.age if answers is not None else None
    if age is None or not isinstance(record, dict) or _given(record, {}, "new_onset"):
        return []
    if any(p.message.startswith("`new_onset`") for p in problems):
        return []
    if AGE_NEW_ONSET_UNDER <= age <= AGE_NEW_ONSET_OVER:
        return []
    rule = AGE_NEW_ONSET_OVER_50 if age > AGE_NEW_ONSET_OVER else AGE_NEW_ONSET_UNDER_20
    return [
        source.problem(
            prefix,
            f"`new_onset` is missing; with age {age} it decides the rule `{rule}`, which would "
            "be off without it: add `new_onset: true` if the back pain began in the last 6 "
            "weeks, else `new_onset: false`",
        )
    ]


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
    try:
        return parse_answers(source), source
    except StopInInvalidAnswers as exc:
        # Its lines may say more than the parsed data (`key = value` lines read as one
        # string): the stop is the union of both readings, never the weaker one.
        stopping = salvage_stop(path)
        if stopping is None:
            raise
        raise StopInInvalidAnswers(
            exc.problems, title=exc.title or "", answers=_union(exc.answers, stopping)
        ) from None
    except BackplanError as exc:
        # YAML that reads, but as something else than answers: its lines are still searched
        # for a stop, as a broken file's are.
        stopping = salvage_stop(path)
        if stopping is None:
            raise
        raise StopInInvalidAnswers(
            exc.problems, title=f"{exc.title} (it already says stop: see below)", answers=stopping
        ) from None


def _union(one: Answers, other: Answers) -> Answers:
    """Two readings of the same safety answers as one, each answer at its most urgent."""
    merged = one.model_copy(
        update={
            "red_flags": list(dict.fromkeys([*one.red_flags, *other.red_flags])),
            "sharp_pain": one.sharp_pain or other.sharp_pain,
            "pain": max(one.pain, other.pain),
        }
    )
    if one.patient.age is None or not one.new_onset:
        merged = merged.model_copy(update={"patient": other.patient, "new_onset": other.new_onset})
    merged._unread_flags = tuple(dict.fromkeys([*one.unread_flags, *other.unread_flags]))
    return merged


# The keys whose lines `salvage_stop` reads on their own (the safety answers and the patient).
_SALVAGED = {"sharp_pain", "pain", "red_flags", "new_onset", "leg_symptoms", "patient", "age"}
# A safety key anywhere on a line (a one-line JSON object, a flow mapping), and its value:
# a bracketed list, a quoted string, or the text up to the next `,`, `}` or line end.
_INLINE = re.compile(
    r"""(?:^|[{,\-])[ \t]*(?P<q>["']?)(?P<key>[A-Za-z][\w \-]{0,80}?)(?P=q)[ \t]*:[ \t]*"""
    r"""(?P<value>\[[^\]\n]*\]?|\{[^}\n]*\}?|"[^"\n]*"?|'[^'\n]*'?|[^,}\n]*)""",
    re.MULTILINE,
)
_KEY_LINE = re.compile(
    r"""^(?P<indent>[ \t]*)[{,]?[ \t]*(?P<q>["']?)(?P<key>[A-Za-z][\w \-]{0,80}?)(?P=q)[ \t]*:(?=\s|$)"""
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
        elif not path.is_file():
            return None  # a folder, a pipe or a device: nothing to search (and no waiting)
        else:
            with path.open("rb") as handle:
                raw = handle.read(SALVAGE_BYTES)
    except OSError:
        return None
    return salvage_text(best_effort_text(raw))  # UTF-16 without its mark, a stray byte


# A file over the 1 MiB limit (a huge note, a pasted log) is still searched for its stop this far:
# the search is line by line and linear, and the safety lines may come after the bulk.
SALVAGE_BYTES = 8 * MAX_FILE_BYTES


def salvage_text(text: str) -> Answers | None:
    """`salvage_stop` for text already read (a roster row that cannot be parsed)."""
    lines = [_as_yaml_line(line) for line in text.replace("\ufeff", "").splitlines()]
    text = "\n".join(lines)
    matches = [(i, _KEY_LINE.match(line)) for i, line in enumerate(lines)]
    found = [(i, m) for i, m in matches if m is not None]
    top = min((len(m["indent"].expandtabs()) for _i, m in found), default=0)
    record: dict[str, Any] = {}
    again: dict[Loc, list[Any]] = {}
    for i, match in found:
        if len(match["indent"].expandtabs()) != top or _key(match["key"]) not in _SALVAGED:
            continue
        block = [lines[i][match.start("q") :]]
        for line in lines[i + 1 :]:
            depth = len(line) - len(line.lstrip())
            if depth == top and line.strip()[:2] in _BULLETS and i + 1 < len(lines):
                # `key:` then `- item` lines at the key's own indent (YAML allows it), or a
                # bulleted list typed as in a document (`* item`, `• item`)
                block.append(" " * (top + 2) + "- " + line.strip()[1:].strip())
                continue
            if line.strip() and depth <= top:
                if line.strip()[:1] in "]}":
                    block.append(" " * (top + 1) + line.strip())  # a JSON list's closing line
                break
            block.append(line)
        value = _read_block("\n".join(block).rstrip().rstrip(","))
        if not isinstance(value, dict):
            # The block itself is broken (`red_flags: [a, b` cut short): its text is the
            # answer, read at its most urgent (a red-flag string is split into entries).
            value = {match["key"]: " ".join(b.strip() for b in block)[len(match["key"]) + 1 :]}
        _add(record, again, value)
    for inline in _INLINE.finditer(text):
        # A safety key inside a line: a one-line JSON object or flow mapping that is broken
        # elsewhere. Read once more; a value read twice only ever adds urgency.
        written = inline["value"].strip()
        if _key(inline["key"]) in _SALVAGED and written and written[:1] not in "{":
            parsed = _read_block(f"x: {written}")
            _add(record, again, {inline["key"]: parsed["x"] if parsed else written})
    if not record:
        return None
    return safety_answers(record, again)


_BULLETS = ("- ", "* ", "• ", "-", "*", "•")
# Before a key: a YAML anchor or tag (`&a red_flags:`), which the whole file's reading refuses.
_KEY_PREFIX = re.compile(r"^([ \t]*)(?:[&!]\S*[ \t]+)+(?=[\"']?[A-Za-z])")
# `key = value` (INI, TOML) or a full-width colon (`key：value`), as `key: value`.
_OTHER_SEPARATOR = re.compile(r"^([ \t]*[\"']?[A-Za-z][\w \-]{0,80}?[\"']?)[ \t]*(?:=|：)[ \t]*")


def _as_yaml_line(line: str) -> str:
    """A line as the stop search reads it: a key's anchor or tag dropped, `=` or `：` a colon."""
    return _OTHER_SEPARATOR.sub(r"\1: ", _KEY_PREFIX.sub(r"\1", line), count=1)


def _add(record: dict[str, Any], again: dict[Loc, list[Any]], value: dict[str, Any]) -> None:
    for key, item in value.items():
        if key in record:
            again.setdefault((key,), []).append(item)
        else:
            record[key] = item


def _read_block(text: str) -> Any:
    for attempt in (text, text.expandtabs(4)):  # a tab in the indentation is a YAML error
        try:
            data = parse_yaml(textwrap.dedent(attempt), "<salvaged>").data
        except BackplanError:
            continue
        return data if isinstance(data, dict) else None
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
