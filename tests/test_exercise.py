"""The exercise models: kind rules, translations with English fallback, equipment ids."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from backplan.library.model import (
    REQUIRED_FOR_KIND,
    Exercise,
    Term,
    Vocabulary,
    missing_for_kind,
)

MODIFIED = {
    "id": "pull-through",
    "name": "Pull-Through",
    "kind": "modified",
    "pattern": "hinge",
    "replaces": "deadlift",
    "why": "Hips, not back.",
    "equipment": ["cable_machine", ["glider", "towel"]],
    "steps": ["Stand.", "Hinge."],
    "cues": ["Slow."],
    "dose": {"sets": 2, "reps": 10},
    "progression": {"to": "harder", "when": "When easy."},
    "source": "Test.",
    "translations": {
        "es": {"name": "Tirón", "steps": ["De pie.", "Bisagra."], "progression": {"when": "Ya."}}
    },
}


def test_a_modified_exercise_validates():
    exercise = Exercise.model_validate(MODIFIED)
    assert exercise.level == "beginner"
    assert exercise.dose.rest_s == 60


@pytest.mark.parametrize("kind", sorted(REQUIRED_FOR_KIND))
def test_each_kind_requires_its_fields(kind):
    data = {k: MODIFIED[k] for k in ("id", "name", "pattern", "source")} | {"kind": kind}
    with pytest.raises(ValidationError) as info:
        Exercise.model_validate(data)
    (error,) = info.value.errors()
    assert error["type"] == "missing_for_kind"
    assert error["ctx"]["fields"] == list(REQUIRED_FOR_KIND[kind])
    assert f"an exercise of kind {kind} needs" in error["msg"]


def test_missing_for_kind_treats_empty_as_missing():
    assert missing_for_kind("warmup", {"steps": [], "dose": {"sets": 1}}) == ["steps"]
    assert missing_for_kind("original", {"problem": ""}) == ["problem"]
    assert missing_for_kind("unknown", {}) == []
    assert missing_for_kind(["not", "hashable"], {}) == []


def test_text_in_spanish_falls_back_to_english_field_by_field():
    exercise = Exercise.model_validate(MODIFIED)
    es = exercise.text("es")
    assert es.name == "Tirón"
    assert es.steps == ["De pie.", "Bisagra."]
    assert es.why == "Hips, not back."  # not translated: English
    assert es.cues == ["Slow."]
    assert es.progression.when == "Ya."
    assert es.progression.to == "harder"
    assert exercise.text("en") is exercise


def test_equipment_ids_flattens_any_one_of():
    assert Exercise.model_validate(MODIFIED).equipment_ids() == {"cable_machine", "glider", "towel"}


def test_models_are_frozen_and_forbid_unknown_keys():
    exercise = Exercise.model_validate(MODIFIED)
    with pytest.raises(ValidationError):
        exercise.name = "x"
    with pytest.raises(ValidationError, match="extra"):
        Exercise.model_validate(MODIFIED | {"colour": "red"})


def test_vocabulary_merge_adds_and_rewords():
    base = Vocabulary(equipment={"mat": Term(label="a mat"), "wall": Term(label="a wall")})
    clinic = Vocabulary(
        equipment={"mat": Term(label="a yoga mat"), "foam_roller": Term(label="a roller")}
    )
    merged = base.merged(clinic)
    assert merged.equipment["mat"].label == "a yoga mat"
    assert merged.equipment["wall"].label == "a wall"
    assert set(merged.equipment) == {"mat", "wall", "foam_roller"}


def test_term_text_in_spanish():
    term = Term.model_validate({"label": "a wall", "translations": {"es": {"label": "una pared"}}})
    assert term.text("es").label == "una pared"
    assert term.text("en").label == "a wall"


STANDALONE = {
    "id": "bird-dog",
    "name": "Bird Dog",
    "kind": "standalone",
    "pattern": "core",
    "steps": ["Hands and knees.", "Reach."],
    "dose": {"sets": 2, "reps": 8, "per_side": True},
    "source": "Test.",
}


def test_a_standalone_exercise_needs_no_original_and_is_prescribable():
    exercise = Exercise.model_validate(STANDALONE)
    assert exercise.replaces is None and exercise.prescribable
    assert not Exercise.model_validate(MODIFIED | {"kind": "warmup"}).prescribable


@pytest.mark.parametrize(
    ("base", "position"),
    [
        ("standing", "standing"),
        ("standing_front", "standing"),
        ("seated", "chair"),
        ("all_fours", "floor"),
        ("supine", "floor"),
    ],
)
def test_position_comes_from_the_pose_base_when_missing(base, position):
    pose = {"base": base, "description": "Moves.", "start": {}, "end": {"torso": 10}}
    exercise = Exercise.model_validate(STANDALONE | {"pose": pose})
    assert exercise.position == position
    assert exercise.text("es").position == position  # a translated copy keeps it


def test_every_pose_base_has_a_position_and_only_upright_ones_are_off_the_floor():
    from typing import get_args

    from backplan.figures.pose import Base
    from backplan.library.model import POSITION_OF_BASE

    # a new base drawn standing or seated must be listed, or it would count as the floor
    upright = {b for b in get_args(Base) if b.startswith(("standing", "seated"))}
    assert set(POSITION_OF_BASE) == upright


def test_a_stated_position_wins_over_the_pose_and_none_stays_unknown():
    pose = {"base": "supine", "description": "Moves.", "start": {}, "end": {"torso": 10}}
    stated = Exercise.model_validate(STANDALONE | {"pose": pose, "position": "chair"})
    assert stated.position == "chair"
    assert Exercise.model_validate(STANDALONE).position is None
    with pytest.raises(ValidationError):
        Exercise.model_validate(STANDALONE | {"position": "kneeling"})


def test_a_dose_in_minutes_and_a_dose_with_nothing_to_do():
    walk = Exercise.model_validate(STANDALONE | {"dose": {"sets": 1, "minutes": 10}})
    assert walk.dose.minutes == 10 and walk.dose.reps is None
    for bad in ({"sets": 1}, {"sets": 1, "minutes": 0}, {"sets": 1, "minutes": 121}):
        with pytest.raises(ValidationError):
            Exercise.model_validate(STANDALONE | {"dose": bad})


def test_purpose_is_translated_with_english_fallback():
    data = STANDALONE | {"purpose": "Steadies the back."}
    assert Exercise.model_validate(data).text("es").purpose == "Steadies the back."
    data["translations"] = {"es": {"purpose": "Da firmeza."}}
    assert Exercise.model_validate(data).text("es").purpose == "Da firmeza."
