"""The built-in exercise library's content: complete, linked, translated, and usable at home."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.library.catalogue import Library, check_library
from backplan.library.model import LEVELS, Exercise
from backplan.resources import builtin_exercises_dir

ORIGINALS = {"deadlift", "squat", "lunge", "plank"}
# The clinic post's modifications and the original each one makes back-safe.
POST_MODIFICATIONS = {
    "cable-pull-through": "deadlift",
    "stability-ball-squat": "squat",
    "reverse-lunge-slide": "lunge",
    "rkc-plank-pulses": "plank",
}
# The post's own progressions: (from, to).
POST_PROGRESSIONS = {
    ("stability-ball-squat", "stability-ball-squat-dumbbell"),
    ("reverse-lunge-slide", "reverse-lunge"),
}
MAIN_PATTERNS = ("hinge", "squat", "lunge", "core")
# What a patient at home with nothing special still has, besides the always-available items.
HOME_BASICS = {"chair", "sturdy_support", "towel"}
GYM_ONLY = {"cable_machine"}


@pytest.fixture(scope="module")
def library() -> Library:
    lib, problems = check_library()
    assert problems == []
    return lib


@pytest.fixture(scope="module")
def exercises(library: Library) -> dict[str, Exercise]:
    return library.exercises


def _of_kind(exercises: dict[str, Exercise], *kinds: str) -> list[Exercise]:
    return [e for e in exercises.values() if e.kind in kinds]


def _satisfiable(exercise: Exercise, have: set[str]) -> bool:
    return all(
        (entry in have) if isinstance(entry, str) else bool(have.intersection(entry))
        for entry in exercise.equipment
    )


def test_the_builtin_library_validates_with_no_problems() -> None:
    _, problems = check_library()
    assert [str(p) for p in problems] == []


def test_validate_command_exits_0_on_the_builtin_library(exercises: dict[str, Exercise]) -> None:
    result = CliRunner().invoke(app, ["exercises", "validate"])
    assert result.exit_code == 0, result.output
    # chains that end early for a condition are warnings, listed but not failing
    assert f"{len(exercises)} exercises, no problems" in result.output
    assert all(": warning: " in line for line in result.output.splitlines()[:-1])


def test_there_are_at_least_16_exercises(exercises: dict[str, Exercise]) -> None:
    assert len(exercises) >= 16


def test_each_file_is_named_after_its_id(library: Library) -> None:
    for eid, path in library.files.items():
        assert path.parent == builtin_exercises_dir()
        assert path.name == f"{eid}.yaml"


def test_the_four_originals_are_there_with_their_problem(exercises: dict[str, Exercise]) -> None:
    originals = {e.id for e in _of_kind(exercises, "original")}
    assert originals == ORIGINALS
    for eid in ORIGINALS:
        assert exercises[eid].problem
        assert "How to Strengthen your back" in exercises[eid].source


def test_the_posts_four_modifications_replace_their_originals(
    exercises: dict[str, Exercise],
) -> None:
    for eid, original in POST_MODIFICATIONS.items():
        exercise = exercises[eid]
        assert exercise.kind == "modified"
        assert exercise.replaces == original
        assert exercise.pattern == exercises[original].pattern
        assert "How to Strengthen your back" in exercise.source


def test_the_posts_progressions_are_in_the_chains(exercises: dict[str, Exercise]) -> None:
    for start, to in POST_PROGRESSIONS:
        progression = exercises[start].progression
        assert progression is not None and progression.to == to
    assert exercises["stability-ball-squat-dumbbell"].equipment_ids() >= {
        "stability_ball",
        "dumbbell",
    }
    assert "balance_problems" in exercises["reverse-lunge"].avoid_if


def test_every_modified_exercise_replaces_an_original_of_its_own_pattern(
    exercises: dict[str, Exercise],
) -> None:
    for exercise in _of_kind(exercises, "modified"):
        assert exercise.replaces in ORIGINALS, exercise.id
        assert exercises[exercise.replaces].pattern == exercise.pattern, exercise.id


def test_chain_links_resolve_both_ways(exercises: dict[str, Exercise]) -> None:
    links = 0
    for exercise in exercises.values():
        if exercise.progression is not None:
            harder = exercises[exercise.progression.to]
            assert harder.regression == exercise.id, (exercise.id, harder.id)
            assert harder.pattern == exercise.pattern
            assert harder.replaces == exercise.replaces
            assert LEVELS.index(harder.level) >= LEVELS.index(exercise.level)
            links += 1
        if exercise.regression is not None:
            easier = exercises[exercise.regression]
            assert easier.progression is not None, (exercise.id, easier.id)
            assert easier.progression.to == exercise.id
    assert links >= 8


def test_every_main_pattern_has_a_chain_of_at_least_three(
    exercises: dict[str, Exercise],
) -> None:
    # A pattern may have several chains (home and gym, standing and floor); together they
    # hold every modified exercise of the pattern, and the longest has at least three steps.
    for pattern in MAIN_PATTERNS:
        starts = [
            e
            for e in _of_kind(exercises, "modified")
            if e.pattern == pattern and e.regression is None
        ]
        assert starts, pattern
        chains = []
        for start in starts:
            chain = [start.id]
            while (step := exercises[chain[-1]].progression) is not None:
                chain.append(step.to)
            chains.append(chain)
        members = {e.id for e in _of_kind(exercises, "modified") if e.pattern == pattern}
        assert {i for chain in chains for i in chain} == members, pattern
        assert max(len(chain) for chain in chains) >= 3, pattern


def test_modified_and_warmup_exercises_are_complete(exercises: dict[str, Exercise]) -> None:
    for exercise in _of_kind(exercises, "modified", "warmup"):
        assert exercise.steps and exercise.cues and exercise.dose, exercise.id
        assert exercise.pose is not None and exercise.image is None, exercise.id


def test_there_is_a_short_back_warmup(exercises: dict[str, Exercise]) -> None:
    warmups = _of_kind(exercises, "warmup")
    assert len(warmups) >= 3
    assert all(w.pattern == "mobility" and w.level == "beginner" for w in warmups)


def test_every_gym_only_exercise_has_a_home_alternative(exercises: dict[str, Exercise]) -> None:
    gym = [e for e in _of_kind(exercises, "modified") if e.equipment_ids() & GYM_ONLY]
    assert gym, "expected the cable pull-through at least"
    for exercise in gym:
        home = [
            e
            for e in _of_kind(exercises, "modified")
            if e.replaces == exercise.replaces and not e.equipment_ids() & GYM_ONLY
        ]
        assert home, exercise.id


@pytest.mark.parametrize("pattern", MAIN_PATTERNS)
def test_a_beginner_at_home_with_nothing_gets_every_pattern(library: Library, pattern: str) -> None:
    have = library.always_available() | HOME_BASICS
    assert any(
        e.pattern == pattern and e.level == "beginner" and _satisfiable(e, have)
        for e in _of_kind(library.exercises, "modified")
    )


def test_the_hinge_needs_nothing_but_a_wall(library: Library) -> None:
    assert any(
        e.pattern == "hinge"
        and e.level == "beginner"
        and _satisfiable(e, library.always_available())
        for e in _of_kind(library.exercises, "modified")
    )


def test_no_single_condition_takes_a_pattern_or_the_warmup_away(library: Library) -> None:
    have = library.always_available() | HOME_BASICS
    for condition in library.vocabulary.conditions:
        for pattern in (*MAIN_PATTERNS, "mobility"):
            assert any(
                e.pattern == pattern
                and e.level == "beginner"
                and condition not in e.avoid_if
                and _satisfiable(e, have)
                for e in _of_kind(library.exercises, "modified", "warmup")
            ), (condition, pattern)


def test_conditions_rule_out_the_risky_versions(exercises: dict[str, Exercise]) -> None:
    assert "knee_pain" in exercises["reverse-lunge-slide"].avoid_if
    assert "pregnancy" in exercises["rkc-plank-pulses"].avoid_if
    # Forearm planks keep weight off the wrists, so none of them rules out wrist pain; the
    # bird dog puts weight on the hands, so it does.
    planks = [e for e in exercises.values() if e.pattern == "core" and "plank" in e.id]
    assert len(planks) >= 3
    assert not any("wrist_pain" in e.avoid_if for e in planks)
    assert "wrist_pain" in exercises["bird-dog"].avoid_if


def test_every_modified_and_warmup_exercise_is_fully_in_spanish(
    exercises: dict[str, Exercise],
) -> None:
    for exercise in _of_kind(exercises, "modified", "warmup"):
        es = exercise.translations.get("es")
        assert es is not None, exercise.id
        assert es.name and es.name != exercise.name, exercise.id
        assert es.steps is not None and len(es.steps) == len(exercise.steps), exercise.id
        assert es.cues is not None and len(es.cues) == len(exercise.cues), exercise.id
        assert len(es.mistakes or []) == len(exercise.mistakes), exercise.id
        if exercise.why is not None:
            assert es.why and es.why != exercise.why, exercise.id
        if exercise.progression is not None:
            assert es.progression is not None, exercise.id
            assert es.progression.when != exercise.progression.when, exercise.id
        english = set(exercise.steps) | set(exercise.cues) | set(exercise.mistakes)
        assert not english & set(es.steps + es.cues + (es.mistakes or [])), exercise.id


def test_originals_have_spanish_name_and_problem(exercises: dict[str, Exercise]) -> None:
    for eid in ORIGINALS:
        spanish = exercises[eid].text("es")
        assert spanish.name != exercises[eid].name
        assert spanish.problem != exercises[eid].problem


def test_spanish_text_keeps_the_english_structure(exercises: dict[str, Exercise]) -> None:
    for exercise in exercises.values():
        spanish = exercise.text("es")
        assert spanish.id == exercise.id
        assert len(spanish.steps) == len(exercise.steps)
        assert spanish.dose == exercise.dose
        if exercise.progression is not None:
            assert spanish.progression is not None
            assert spanish.progression.to == exercise.progression.to


def test_every_exercise_names_its_source(exercises: dict[str, Exercise]) -> None:
    for exercise in exercises.values():
        from_post = "How to Strengthen your back" in exercise.source
        # issue 17: what is not from the post names its author or body and the year
        cited = re.search(r"\b(19|20)\d\d\b", exercise.source) is not None
        assert from_post or cited, exercise.id
