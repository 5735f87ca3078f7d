"""What the pipeline hands to renderers: a finished Plan, or a Stop. Renderers decide nothing.

Plain frozen dataclasses (no validation needed: they are built by our own code), with
`to_dict()` giving the JSON contract documented in the README, and `Plan.from_dict` reading
it back (the session, progress and advice read plans through it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cache
from typing import Any, Literal

from pydantic import TypeAdapter

from backplan.figures import Figure  # the plan item's illustration, made by figures/
from backplan.library import model as library_model

Urgency = Literal["see_clinician", "emergency"]
Action = Literal["progress", "regress", "keep"]


@dataclass(frozen=True)
class Patient:
    name: str | None = None
    age: int | None = None


@dataclass(frozen=True)
class Reason:
    id: str  # the id the clinical-screening reference gives the rule
    message: str  # plain words for the person
    urgency: Urgency


@dataclass(frozen=True)
class Cleared:
    """Stop reasons a clinician who assessed the person cleared for this plan (issue 12)."""

    by: str
    on: dt.date
    until: dt.date  # the last day it holds
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "on": self.on.isoformat(),
            "until": self.until.isoformat(),
            "reasons": [{"id": r.id, "message": r.message} for r in self.reasons],
        }


@dataclass(frozen=True)
class Stop:
    """Do not exercise: see the chiropractor (exit 3) or seek emergency care today (exit 4)."""

    urgency: Urgency
    reasons: tuple[Reason, ...]
    patient: Patient = field(default_factory=Patient)
    date: dt.date = field(default_factory=dt.date.today)
    lang: str = "en"
    notes: tuple[str, ...] = ()  # e.g. why a clinician's clearance does not apply

    status = "stop"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": "stop",
            "urgency": self.urgency,
            "reasons": [{"id": r.id, "message": r.message} for r in self.reasons],
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return data


class Dose(library_model.Dose):
    """A dose on a plan: the exercise's Dose (the one dose type), and whether moderate pain
    lowered it from the exercise's own."""

    eased: bool = False


@dataclass(frozen=True)
class Step:
    """A link to another exercise (progression or regression) with its display name; with no
    step of the chain that suits the person, `id` is None and `advice` says what to do."""

    id: str | None
    name: str
    when: str | None = None
    advice: str | None = None


@dataclass(frozen=True)
class PlanItem:
    id: str
    name: str
    kind: str  # modified | warmup
    pattern: str
    level: str
    replaces: str | None
    replaces_name: str | None
    why: str | None
    chosen_because: str  # why selection picked it for this person
    equipment: tuple[str, ...]  # ids it will use, given what the person has
    equipment_labels: tuple[str, ...]
    dose: Dose
    steps: tuple[str, ...]
    cues: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    progression: Step | None = None
    regression: Step | None = None
    video: str | None = None
    source: str = ""
    notes: tuple[str, ...] = ()  # clinician's notes for this exercise
    figure: Figure | None = None
    purpose: str | None = None  # what it does for the back, in plain words
    position: str | None = None  # standing | chair | floor

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("figure")
        d["dose"] = self.dose.model_dump()
        d["equipment"] = list(self.equipment)
        return d


class Note(str):
    """A plan note: its text (it is a str, so templates print it as before) and a stable `id`
    that says what kind of note it is, for programs reading the JSON."""

    id: str

    def __new__(cls, text: str, id: str = "note") -> Note:
        note = super().__new__(cls, text)
        note.id = id
        return note

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": str(self)}


def as_note(text: str, id: str = "note") -> Note:
    """`text` as a Note, keeping the id it already has."""
    return text if isinstance(text, Note) else Note(text, id)


@dataclass(frozen=True)
class Change:
    """What the next plan does with one exercise of the plan being followed, and why."""

    exercise_id: str
    name: str
    action: Action
    rule: str  # run_of_mild_sessions | pain_during_above_max | weekly_rise | no_rule_met | ...
    why: str  # what changed and why, in words, with the sessions and numbers
    to_id: str | None = None  # the exercise given instead (progress, regress)
    to_name: str | None = None
    sessions: tuple[int, ...] = ()  # the log's session ids the rule used
    eased: bool = False  # kept, with a lighter dose (no easier step suits)

    @property
    def changes_plan(self) -> bool:
        return self.to_id is not None or self.eased

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "name": self.name,
            "action": self.action,
            "rule": self.rule,
            "why": self.why,
            "to_id": self.to_id,
            "to_name": self.to_name,
            "sessions": list(self.sessions),
            "eased": self.eased,
        }


@dataclass(frozen=True)
class Plan:
    patient: Patient
    date: dt.date
    warmup: tuple[PlanItem, ...]
    exercises: tuple[PlanItem, ...]
    notes: tuple[str, ...] = ()  # each a Note when selection made it; plain text is id "note"
    clinician: str | None = None
    lang: str = "en"
    weeks: int = 2
    cleared: Cleared | None = None  # stop reasons a clinician cleared for this plan
    # `plan --next`: what changed since the plan being followed, and why
    changes: tuple[Change, ...] = ()
    # the answers the plan was made from, so `plan --next` can make the next one from the file
    answers: dict[str, Any] | None = field(default=None, repr=False)

    status = "plan"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "plan",
            "patient": {"name": self.patient.name, "age": self.patient.age},
            "date": self.date.isoformat(),
            "clinician": self.clinician,
            "lang": self.lang,
            "weeks": self.weeks,
            "warmup": [i.to_dict() for i in self.warmup],
            "exercises": [i.to_dict() for i in self.exercises],
            "notes": [as_note(n).to_dict() for n in self.notes],
            "cleared": self.cleared.to_dict() if self.cleared else None,
            "changes": [c.to_dict() for c in self.changes],
            "answers": self.answers,
        }

    def items(self) -> tuple[PlanItem, ...]:
        """The warm-ups, then the exercises: the order a session follows."""
        return (*self.warmup, *self.exercises)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """The Plan `to_dict()` wrote, by this release or an older one: a field an older file
        lacks takes its default, a key this release does not know is ignored. Each exercise
        needs its `id` and `dose`. Raises ValueError (pydantic's ValidationError, with the
        place of each problem) when a value cannot be read, or when the data is not a plan.
        """
        status = data.get("status")
        if not isinstance(status, str) or status.strip().casefold() != "plan":
            raise ValueError(f"its status is {status!r}, not 'plan'")
        plan = _plan_adapter().validate_python(_plan_fields(data))
        notes = data.get("notes") or []
        return replace(plan, notes=tuple(_note_from(n) for n in notes))


# -- reading a plan's JSON back (Plan.from_dict) ---------------------------------------------

# What an older plan file, or a plan the log keeps, may leave out (an exercise's id and dose
# it may not).
_ITEM_DEFAULTS: dict[str, Any] = {
    "kind": "modified",
    "pattern": "",
    "level": "beginner",
    "replaces": None,
    "replaces_name": None,
    "why": None,
    "chosen_because": "",
    "equipment": (),
    "equipment_labels": (),
    "steps": (),
}


@cache
def _plan_adapter() -> TypeAdapter[Plan]:
    # built on first use: most commands never read a plan back
    return TypeAdapter(Plan)


def _known(cls: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)} if not hasattr(cls, "model_fields") else cls.model_fields
    return {k: v for k, v in data.items() if k in names}


def _plan_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The plan's JSON as Plan's fields, with the defaults an older file needs."""
    found = _known(Plan, data)
    found.pop("notes", None)  # notes keep their ids: read by _note_from
    found.setdefault("patient", {})
    found.setdefault("date", dt.date.today())  # a plan file from before dates
    for part in ("warmup", "exercises"):
        items = found.get(part) or []
        found[part] = [_item_fields(i) if isinstance(i, Mapping) else i for i in items]
    if isinstance(found.get("cleared"), Mapping):
        found["cleared"] = _cleared_fields(found["cleared"])
    return found


def _item_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    found = {**_ITEM_DEFAULTS, **_known(PlanItem, item)}
    found.pop("figure", None)
    found.setdefault("name", str(item.get("id") or ""))
    dose = found.get("dose")
    if isinstance(dose, Mapping):
        found["dose"] = _known(Dose, dose)
    for step in ("progression", "regression"):
        if isinstance(found.get(step), Mapping):
            found[step] = {"name": "", **_known(Step, found[step])}
    return found


def _cleared_fields(cleared: Mapping[str, Any]) -> dict[str, Any]:
    found = _known(Cleared, cleared)
    found.setdefault("until", found.get("on"))  # shown only; screening dates a clearance
    reasons = found.get("reasons") or []
    # only a see-a-clinician reason can be cleared (an emergency never is)
    found["reasons"] = [
        {"message": "", "urgency": "see_clinician", **_known(Reason, r)}
        if isinstance(r, Mapping)
        else r
        for r in reasons
    ]
    return found


def _note_from(note: Any) -> str:
    if isinstance(note, Mapping):
        return Note(str(note.get("text", "")), str(note.get("id", "note")))
    return Note(str(note))


Outcome = Plan | Stop
