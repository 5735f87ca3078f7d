"""What the pipeline hands to renderers: a finished Plan, or a Stop. Renderers decide nothing.

Plain frozen dataclasses (no validation needed: they are built by our own code), with
`to_dict()` giving the JSON contract documented in the README.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from backplan.library import model as library_model

Urgency = Literal["see_clinician", "emergency"]


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
class Figure:
    """An illustration: inline SVG markup (drawn from a pose) or an image file."""

    alt: str  # text alternative for the tagged PDF
    svg: str | None = None
    path: str | None = None  # absolute path of an image file inside a library folder
    # Drawing a pose costs a few ms; the terminal page never shows it, so it is drawn on demand.
    draw: Callable[[], str] | None = field(default=None, repr=False, compare=False)

    def svg_markup(self) -> str | None:
        """The SVG to inline, drawing it now if it was left for later."""
        if self.svg is None and self.draw is not None:
            return self.draw()
        return self.svg


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
    # `plan --next`: what changed since the plan being followed, and why (next_plan.Change)
    changes: tuple[Any, ...] = ()
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


Outcome = Plan | Stop
