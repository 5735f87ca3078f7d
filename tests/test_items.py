"""Turning an Exercise into a PlanItem: equipment in use, labels, links, dose, language."""

from __future__ import annotations

import pytest
from selection_fixtures import exercise, library

from backplan.planning.items import dose_of, equipment_used, item_for
from backplan.planning.outcome import Dose


def chain_library():
    return library(
        exercise(
            "ball-squat",
            pattern="squat",
            equipment=["stability_ball", ["mat", "towel"], "wall"],
            progression={"to": "ball-squat-plus", "when": "when it is easy"},
            regression="chair-squat",
            video="https://example.org/v",
            translations={
                "es": {
                    "name": "Sentadilla con balón",
                    "steps": ["Despacio."],
                    "progression": {"when": "cuando sea fácil"},
                }
            },
        ),
        exercise("ball-squat-plus", pattern="squat", level="intermediate", regression="ball-squat"),
        exercise("chair-squat", pattern="squat", equipment=["chair"]),
    )


def test_item_fields():
    lib = chain_library()
    item = item_for(
        lib.exercises["ball-squat"],
        lib,
        have={"stability_ball", "towel", "wall"},
        chosen_because="because",
        notes=["note"],
    )
    assert item.id == "ball-squat"
    assert item.kind == "modified"
    assert item.pattern == "squat"
    assert item.replaces == "squat-original"
    assert item.replaces_name == "Squat Original"
    assert item.equipment == ("stability_ball", "towel", "wall")
    assert item.equipment_labels == ("a stability ball", "a towel", "a wall")
    assert item.progression.id == "ball-squat-plus"
    assert item.progression.name == "Ball Squat Plus"
    assert item.progression.when == "when it is easy"
    assert item.regression.id == "chair-squat"
    assert item.regression.name == "Chair Squat"
    assert item.dose == Dose(sets=2, reps=10, hold_s=0, rest_s=60, per_side=False, days_per_week=3)
    assert item.chosen_because == "because"
    assert item.notes == ("note",)
    assert item.video == "https://example.org/v"
    assert item.figure is None
    d = item.to_dict()
    for key in (
        "id",
        "name",
        "pattern",
        "replaces",
        "why",
        "equipment",
        "dose",
        "steps",
        "cues",
        "progression",
    ):
        assert key in d
    assert d["equipment"] == ["stability_ball", "towel", "wall"]


def test_equipment_without_knowing_what_the_person_has_takes_the_first_option():
    lib = chain_library()
    assert equipment_used(lib.exercises["ball-squat"], None) == ("stability_ball", "mat", "wall")


def test_given_dose_wins():
    lib = chain_library()
    dose = Dose(sets=1, reps=5, hold_s=0, rest_s=30, per_side=True, days_per_week=2, eased=True)
    assert item_for(lib.exercises["chair-squat"], lib, dose=dose).dose == dose


def test_spanish_text_with_english_fallback():
    lib = chain_library()
    item = item_for(lib.exercises["ball-squat"], lib, lang="es")
    assert item.name == "Sentadilla con balón"
    assert item.steps == ("Despacio.",)
    assert item.progression.when == "cuando sea fácil"
    assert item.equipment_labels[1] == "una colchoneta"
    assert item.regression.name == "Chair Squat"  # no Spanish name: English


def test_an_original_has_no_dose_for_a_plan():
    lib = chain_library()
    with pytest.raises(ValueError, match="no dose"):
        dose_of(lib.exercises["squat-original"])
