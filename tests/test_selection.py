"""Choosing exercises: suitability, one per pattern, levels, home alternatives, doses, adjustments."""

from __future__ import annotations

import datetime as dt

import pytest
from selection_fixtures import answers, exercise, home_and_gym_library, library

from backplan.planning.build import eased
from backplan.planning.selection import select
from backplan.planning.suitability import suitability

DATE = dt.date(2026, 3, 2)


def ids(plan) -> list[str]:
    return [i.id for i in plan.exercises]


def test_nothing_owned_gives_the_home_versions_only():
    plan = select(answers(), home_and_gym_library(), date=DATE)
    assert ids(plan) == ["wall-hinge"]  # ball, mat, glider all missing; lunge is intermediate
    assert [w.id for w in plan.warmup] == ["pelvic-tilt"]
    assert plan.date == DATE
    item = plan.exercises[0]
    assert item.equipment == ("wall",)
    assert item.replaces == "hinge-original"
    assert "Cable Hinge" in item.chosen_because and "a cable machine" in item.chosen_because


def test_the_gym_version_when_it_is_in_reach():
    plan = select(
        answers(equipment=["cable_machine", "resistance_band"]), home_and_gym_library(), date=DATE
    )
    assert ids(plan) == ["cable-hinge"]


def test_the_middle_step_when_only_the_band_is_there():
    plan = select(answers(equipment=["resistance_band"]), home_and_gym_library(), date=DATE)
    assert ids(plan) == ["band-hinge"]


def test_one_per_pattern_in_pattern_order_and_inner_lists_mean_any_one():
    plan = select(
        answers(equipment=["stability_ball", "towel"], level="intermediate"),
        home_and_gym_library(),
        date=DATE,
    )
    assert ids(plan) == ["wall-hinge", "ball-squat", "slide-lunge", "mat-plank"]
    assert [i.pattern for i in plan.exercises] == ["hinge", "squat", "lunge", "core"]
    plank = plan.exercises[3]
    assert plank.equipment == ("towel",)  # the towel is what the person has, not the mat


def test_max_exercises_keeps_the_first_patterns():
    plan = select(
        answers(equipment=["stability_ball", "towel"], level="intermediate"),
        home_and_gym_library(),
        max_exercises=2,
        date=DATE,
    )
    assert ids(plan) == ["wall-hinge", "ball-squat"]


def test_conditions_rule_exercises_out():
    plan = select(
        answers(equipment=["stability_ball", "mat"], conditions=["knee_pain", "wrist_pain"]),
        home_and_gym_library(),
        date=DATE,
    )
    assert ids(plan) == ["wall-hinge"]


def test_leg_below_knee_counts_as_the_condition():
    lib = library(
        exercise("lunge-a", pattern="lunge", avoid_if=["leg_pain_below_knee"]),
        exercise("lunge-b", pattern="lunge", equipment=["chair"]),
    )
    plain = select(answers(equipment=["chair"]), lib, date=DATE)
    assert ids(plain) == ["lunge-a"]
    below = select(answers(equipment=["chair"], leg_symptoms="one_leg_below_knee"), lib, date=DATE)
    assert ids(below) == ["lunge-b"]


def test_prefers_the_persons_level_then_the_closest_below():
    lib = library(
        exercise("core-a", pattern="core", level="beginner"),
        exercise("core-b", pattern="core", level="intermediate"),
        exercise("core-c", pattern="core", level="advanced"),
    )
    assert ids(select(answers(level="beginner"), lib, date=DATE)) == ["core-a"]
    assert ids(select(answers(level="intermediate"), lib, date=DATE)) == ["core-b"]
    assert ids(select(answers(level="advanced"), lib, date=DATE)) == ["core-c"]
    lib2 = library(
        exercise("core-a", pattern="core", level="beginner"),
        exercise("core-b", pattern="core", level="intermediate"),
    )
    plan = select(answers(level="advanced"), lib2, date=DATE)
    assert ids(plan) == ["core-b"]
    assert "closest to your level" in plan.exercises[0].chosen_because


def test_never_an_original_even_when_it_is_the_only_one():
    lib = library()  # only originals
    plan = select(answers(), lib, date=DATE)
    assert plan.exercises == ()
    assert any("No exercise" in n for n in plan.notes)


def test_suitability_reasons():
    lib = home_and_gym_library()
    person = answers(conditions=["wrist_pain"])
    assert suitability(lib.exercises["hinge-original"], person, lib) is not None
    assert suitability(lib.exercises["wall-hinge"], person, lib) is None
    assert suitability(lib.exercises["cable-hinge"], person, lib) == "it needs a cable machine"
    assert suitability(lib.exercises["mat-plank"], answers(), lib) == "it needs a mat or a towel"
    assert suitability(lib.exercises["mat-plank"], person, lib) == (
        "it is not advised with wrist pain"
    )
    assert "intermediate" in suitability(lib.exercises["slide-lunge"], answers(), lib)
    assert "una colchoneta" in suitability(lib.exercises["cat-cow"], answers(), lib, "es")


@pytest.mark.parametrize("pain", [0, 3])
def test_mild_pain_keeps_the_dose(pain):
    plan = select(answers(pain=pain, equipment=["mat"]), home_and_gym_library(), date=DATE)
    assert [i.dose.sets for i in plan.exercises] == [2, 3]
    assert not any(i.dose.eased for i in plan.exercises)
    assert not any("moderate" in n for n in plan.notes)


@pytest.mark.parametrize("pain", [4, 6])
def test_moderate_pain_eases_the_dose_and_says_so(pain):
    plan = select(answers(pain=pain, equipment=["mat"]), home_and_gym_library(), date=DATE)
    assert [i.dose.sets for i in plan.exercises] == [1, 2]
    assert all(i.dose.eased for i in plan.exercises)
    assert any(f"Your pain is {pain} out of 10 (moderate)" in n for n in plan.notes)


def test_easing_one_set_lowers_reps_or_hold():
    from backplan.planning.outcome import Dose

    base = Dose(sets=1, reps=12, hold_s=0, rest_s=60, per_side=False, days_per_week=3)
    assert eased(base).reps == 8 and eased(base).eased
    hold = Dose(sets=1, reps=None, hold_s=30, rest_s=60, per_side=False, days_per_week=3)
    assert eased(hold).hold_s == 20
    two = Dose(sets=2, reps=10, hold_s=0, rest_s=60, per_side=False, days_per_week=3)
    assert (eased(two).sets, eased(two).reps) == (1, 10)


def test_refuses_answers_that_must_stop():
    with pytest.raises(ValueError, match="must stop"):
        select(answers(sharp_pain=True), home_and_gym_library(), date=DATE)


def test_clinician_add_remove_dose_and_notes():
    lib = home_and_gym_library()
    person = answers(
        equipment=["cable_machine", "mat", "stability_ball"],
        add=["band-hinge"],  # needs a band the person does not have
        remove=["ball-squat", "cat-cow"],
        dose={"cable-hinge": {"sets": 4, "rest_s": 90}},
        notes=["Walk every day."],
        exercise_notes={"cable-hinge": ["Light weight only."]},
        clinician="Dr. Ruiz",
    )
    plan = select(person, lib, date=DATE)
    assert ids(plan) == ["cable-hinge", "mat-plank"]
    assert [w.id for w in plan.warmup] == ["pelvic-tilt"]
    cable = plan.exercises[0]
    assert (cable.dose.sets, cable.dose.reps, cable.dose.rest_s) == (4, 10, 90)
    assert cable.notes == ("Light weight only.",)
    assert plan.notes[0] == "Walk every day."
    assert any(
        n.startswith("Band Hinge was not added: it needs a resistance band") for n in plan.notes
    )
    assert plan.clinician == "Dr. Ruiz"


def test_an_added_exercise_takes_the_place_of_its_pattern():
    lib = home_and_gym_library()
    plan = select(
        answers(equipment=["cable_machine", "resistance_band"], add=["band-hinge"]), lib, date=DATE
    )
    assert ids(plan) == ["band-hinge"]
    assert plan.exercises[0].chosen_because == "Added by your clinician."


def test_added_original_or_same_pattern_twice_is_left_out_with_a_note():
    lib = home_and_gym_library()
    plan = select(answers(add=["hinge-original", "wall-hinge", "band-hinge"]), lib, date=DATE)
    assert ids(plan) == ["wall-hinge"]
    assert any("Hinge Original was not added" in n for n in plan.notes)
    assert any("Band Hinge was not added" in n for n in plan.notes)


def test_added_warmup_and_add_plus_remove():
    lib = home_and_gym_library()
    plan = select(
        answers(equipment=["mat"], add=["cat-cow", "wall-hinge"], remove=["wall-hinge"]),
        lib,
        date=DATE,
    )
    assert [w.id for w in plan.warmup] == ["cat-cow", "pelvic-tilt"]
    assert "wall-hinge" not in ids(plan)
    assert any("both added and removed" in n for n in plan.notes)


def test_warmups_are_at_most_two():
    # two fit beside each other on the handout's first page, with the log under them
    lib = library(*[exercise(f"warm-{i}", kind="warmup", pattern="mobility") for i in range(5)])
    plan = select(answers(), lib, date=DATE)
    assert [w.id for w in plan.warmup] == ["warm-0", "warm-1"]
    added = select(answers(add=["warm-4", "warm-3", "warm-2"]), lib, date=DATE)
    assert [w.id for w in added.warmup] == ["warm-4", "warm-3"]
    assert any("already has 2 warm-ups" in n for n in added.notes)


def test_spanish_words():
    plan = select(answers(equipment=["mat"]), home_and_gym_library(), date=DATE, lang="es")
    assert plan.lang == "es"
    assert plan.exercises[1].equipment_labels == ("una colchoneta",)


def test_same_inputs_same_plan():
    lib = home_and_gym_library()
    person = answers(equipment=["mat", "towel", "stability_ball"], level="advanced", pain=5)
    assert select(person, lib, date=DATE) == select(person, lib, date=DATE)


def test_floor_transfers_hard_leaves_out_floor_exercises_and_unknown_positions():
    from backplan.library.model import Term

    lib = library(
        exercise("floor-core", kind="standalone", pattern="core", position="floor"),
        exercise(
            "chair-core", kind="standalone", pattern="core", position="chair", level="intermediate"
        ),
        exercise("who-knows", kind="standalone", pattern="hinge"),
        exercise("stand-hinge", pattern="hinge", position="standing", level="intermediate"),
    )
    lib.vocabulary = lib.vocabulary.merged(
        type(lib.vocabulary)(conditions={"floor_transfers_hard": Term(label="the floor is hard")})
    )
    person = answers(level="intermediate", conditions=["floor_transfers_hard"])
    plan = select(person, lib, date=DATE)
    assert ids(plan) == ["stand-hinge", "chair-core"]
    floor = lib.exercises["floor-core"]
    assert suitability(floor, person, lib) == "it is done on the floor, and the floor is hard"
    assert "position is not stated" in suitability(lib.exercises["who-knows"], person, lib)
    # without the condition, floor exercises are as suitable as any other
    assert suitability(floor, answers(level="intermediate"), lib) is None


def test_a_standalone_exercise_says_why_it_was_chosen_without_an_original():
    lib = library(exercise("bird-dog", kind="standalone", pattern="core", position="floor"))
    (item,) = select(answers(), lib, date=DATE).exercises
    assert item.replaces is None and item.position == "floor"
    assert item.chosen_because == "A back-safe core exercise at your level, with what you have."


def test_minutes_are_eased_when_there_is_one_set():
    from backplan.planning.outcome import Dose

    walk = Dose(sets=1, reps=None, hold_s=0, rest_s=0, per_side=False, days_per_week=5, minutes=15)
    assert eased(walk).minutes == 10 and eased(walk).eased


def test_plan_notes_are_text_with_an_id_in_json():
    plan = select(answers(pain=5, notes=["Walk daily."]), home_and_gym_library(), date=DATE)
    assert plan.notes[0] == "Walk daily."  # still plain text for templates
    data = plan.to_dict()["notes"]
    assert data[0] == {"id": "clinician", "text": "Walk daily."}
    assert data[1]["id"] == "moderate_pain" and "moderate" in data[1]["text"]


def _chain_library():
    """wall-core -> mat-core (avoids knee pain) -> ball-core; regressions the other way."""
    return library(
        exercise("wall-core", pattern="core", progression={"to": "mat-core", "when": "Easy."}),
        exercise(
            "mat-core",
            pattern="core",
            avoid_if=["knee_pain"],
            regression="wall-core",
            progression={"to": "ball-core", "when": "Easier."},
        ),
        exercise("ball-core", pattern="core", regression="mat-core", equipment=["stability_ball"]),
    )


def test_when_it_gets_easy_skips_to_the_next_step_that_suits():
    person = answers(conditions=["knee_pain"], equipment=["stability_ball"])
    (item,) = select(person, _chain_library(), date=DATE).exercises
    assert item.id == "ball-core"  # the furthest along the chain that suits
    assert item.regression.id == "wall-core"  # past mat-core, which hurts knees
    person = answers(conditions=["knee_pain", "wrist_pain"], equipment=["stability_ball"])
    lib = _chain_library()
    lib.exercises["wall-core"] = lib.exercises["wall-core"].model_copy(
        update={"avoid_if": ["wrist_pain"]}
    )
    (item,) = select(person, lib, date=DATE).exercises
    assert item.id == "ball-core" and item.regression.id is None
    assert item.regression.advice == "Ask your chiropractor for an easier exercise."


def test_when_no_step_suits_the_plan_says_ask_before_you_progress():
    (item,) = select(answers(conditions=["knee_pain"]), _chain_library(), date=DATE).exercises
    assert item.id == "wall-core"
    assert item.progression.id is None and item.progression.name == ""
    assert item.progression.advice == "Ask your chiropractor before you progress."
    # with the ball, the step after the unsuitable one is named, with the first step's `when`
    (item,) = select(
        answers(conditions=["knee_pain"], equipment=["stability_ball"]),
        _chain_library(),
        max_exercises=1,
        date=DATE,
    ).exercises
    assert item.id == "ball-core"


def test_a_skipped_step_is_named_when_it_suits():
    lib = _chain_library()
    person = answers(conditions=["knee_pain"], equipment=["stability_ball"])
    from backplan.planning.items import item_for
    from backplan.planning.suitability import suits_person

    item = item_for(lib.exercises["wall-core"], lib, suits=suits_person(person, lib))
    assert (item.progression.id, item.progression.when) == ("ball-core", "Easy.")


def test_a_main_pattern_with_nothing_suitable_is_explained_with_what_would_make_it_possible():
    plan = select(answers(equipment=["stability_ball"]), home_and_gym_library(), date=DATE)
    notes = {n.id: str(n) for n in plan.notes}
    # the only lunge is intermediate; the only core exercise needs a mat or a towel
    assert notes["pattern_left_out:core"] == (
        "No core exercise in this plan: one needs a mat or a towel."
    )
    assert notes["pattern_left_out:lunge"] == (
        "No lunge exercise in this plan: none of the library's suits you "
        "(its level (intermediate) is above yours (beginner))."
    )
    assert "pattern_left_out:hinge" not in notes  # covered


def test_warmups_standing_first_and_a_note_when_none_suits():
    lib = home_and_gym_library()
    plan = select(answers(equipment=["mat"]), lib, date=DATE)
    assert [w.id for w in plan.warmup] == ["cat-cow", "pelvic-tilt"]  # no positions: by id
    standing = library(
        exercise("floor-warm", kind="warmup", pattern="mobility", position="floor"),
        exercise("stand-warm", kind="warmup", pattern="mobility", position="standing"),
        exercise("a-hinge", position="standing"),
    )
    assert [w.id for w in select(answers(), standing, date=DATE).warmup] == [
        "stand-warm",
        "floor-warm",
    ]
    plan = select(
        answers(conditions=["knee_pain"]),
        library(
            exercise("kneel-warm", kind="warmup", pattern="mobility", avoid_if=["knee_pain"]),
            exercise("a-hinge"),
        ),
        date=DATE,
    )
    assert plan.warmup == ()
    assert any(n.id == "no_warmup" for n in plan.notes)


def test_age_alone_changes_nothing():
    # Issue 15: what a person reports (floor_transfers_hard) counts, not an age threshold.
    lib = home_and_gym_library()
    for equipment in ([], ["stability_ball", "towel", "mat"]):
        young = select(
            answers(patient={"age": 40}, new_onset=False, equipment=equipment), lib, date=DATE
        )
        old = select(
            answers(patient={"age": 82}, new_onset=False, equipment=equipment), lib, date=DATE
        )
        assert ids(old) == ids(young) and old.warmup == young.warmup
        assert old.notes == young.notes


def test_a_beginners_next_step_may_be_one_level_up_but_never_two():
    from backplan.library.catalogue import load_library
    from backplan.library.model import LEVELS

    lib = load_library()
    have = sorted({e for x in lib.exercises.values() for e in x.equipment_ids()})
    person = answers(equipment=have, level="beginner")
    plan = select(person, lib, date=DATE)
    named = [i.progression for i in plan.exercises if i.progression and i.progression.id]
    assert named, "a beginner with every piece of equipment is shown at least one next step"
    for step in named:
        assert LEVELS.index(lib.exercises[step.id].level) <= 1, step.id
