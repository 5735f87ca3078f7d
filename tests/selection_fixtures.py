"""Small exercise libraries built in memory, and answers, for the selection and safety tests.

They do not depend on the built-in library's content, so those tests keep their meaning when
the content changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backplan.intake.answers import Answers
from backplan.library.catalogue import Library
from backplan.library.model import Exercise, Term, Vocabulary

VOCABULARY = Vocabulary(
    equipment={
        "wall": Term(label="a wall", always_available=True),
        "mat": Term(label="a mat", translations={"es": {"label": "una colchoneta"}}),
        "chair": Term(label="a chair"),
        "stability_ball": Term(label="a stability ball"),
        "cable_machine": Term(label="a cable machine"),
        "resistance_band": Term(label="a resistance band"),
        "towel": Term(label="a towel"),
        "glider": Term(label="a glider"),
    },
    conditions={
        "knee_pain": Term(label="knee pain"),
        "wrist_pain": Term(label="wrist pain"),
        "leg_pain_below_knee": Term(label="leg pain below the knee"),
    },
)
EQUIPMENT = tuple(VOCABULARY.equipment)
CONDITIONS = tuple(VOCABULARY.conditions)
PATTERNS = ("hinge", "squat", "lunge", "core", "mobility")


def exercise(eid: str, **fields: Any) -> Exercise:
    """A valid exercise; `kind` modified by default, replacing the original of its pattern."""
    kind = fields.pop("kind", "modified")
    pattern = fields.pop("pattern", "hinge")
    data: dict[str, Any] = {
        "id": eid,
        "name": fields.pop("name", eid.replace("-", " ").title()),
        "kind": kind,
        "pattern": pattern,
        "source": "test",
    }
    if kind == "original":
        data["problem"] = "hurts backs"
    else:
        data["steps"] = ["Do it slowly."]
        data["dose"] = fields.pop("dose", {"sets": 2, "reps": 10})
    if kind == "modified":
        data["replaces"] = fields.pop("replaces", f"{pattern}-original")
        data["why"] = "safer"
    data.update(fields)
    return Exercise.model_validate(data)


def originals() -> list[Exercise]:
    return [exercise(f"{p}-original", kind="original", pattern=p) for p in PATTERNS]


def library(*exercises: Exercise, with_originals: bool = True) -> Library:
    everything = [*originals(), *exercises] if with_originals else list(exercises)
    lib = Library(vocabulary=VOCABULARY)
    for e in everything:
        lib.exercises[e.id] = e
        lib.files[e.id] = Path("/nonexistent-library") / f"{e.id}.yaml"
    return lib


def answers(**changes: Any) -> Answers:
    """Answers that clear the screen, with `changes` applied."""
    base: dict[str, Any] = {"sharp_pain": False, "pain": 2, "red_flags": [], "patient": {"age": 35}}
    return Answers.model_validate({**base, **changes})


def home_and_gym_library() -> Library:
    """A hinge chain (wall -> band -> cable), a squat with a ball, a core exercise that needs a
    mat and is bad for wrists, an intermediate lunge and two warm-ups."""
    return library(
        exercise(
            "wall-hinge",
            equipment=["wall"],
            progression={"to": "band-hinge", "when": "easy"},
        ),
        exercise(
            "band-hinge",
            equipment=["resistance_band"],
            regression="wall-hinge",
            progression={"to": "cable-hinge", "when": "easy"},
        ),
        exercise("cable-hinge", equipment=["cable_machine"], regression="band-hinge"),
        exercise(
            "ball-squat",
            pattern="squat",
            equipment=["stability_ball", "wall"],
            avoid_if=["knee_pain"],
        ),
        exercise(
            "mat-plank",
            pattern="core",
            equipment=[["mat", "towel"]],
            avoid_if=["wrist_pain"],
            dose={"sets": 3, "hold_s": 20},
        ),
        exercise(
            "slide-lunge", pattern="lunge", level="intermediate", equipment=[["glider", "towel"]]
        ),
        exercise("cat-cow", kind="warmup", pattern="mobility", equipment=["mat"]),
        exercise("pelvic-tilt", kind="warmup", pattern="mobility", dose={"sets": 1, "reps": 1}),
    )
