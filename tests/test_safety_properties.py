"""Properties of the safety gate and the choice, over generated answers and generated libraries.

The expected stops are worked out here again, straight from clinical-screening.md §2 and §3,
so a mistake in screening.py cannot hide behind itself. The examples per property are the
Hypothesis profile's (tests/depth.py): 50 in the normal run, 500 with BACKPLAN_LONG_TESTS=1.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import reference_ids
from depth import examples, reaches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selection_fixtures import CONDITIONS, EQUIPMENT, PATTERNS, VOCABULARY, exercise, library
from typer.testing import CliRunner

from backplan.intake.answers import Answers, save_answers
from backplan.library.catalogue import Library
from backplan.library.model import LEVELS
from backplan.pipeline import PlanRequest, make_outcome
from backplan.planning.outcome import Plan, Stop
from backplan.planning.selection import select

DATE = dt.date(2026, 3, 2)

EMERGENCY = set(reference_ids.EMERGENCY)
SEE_CLINICIAN = set(reference_ids.SEE_CLINICIAN)


def expected_stop(a: Answers) -> tuple[set[str], str | None]:
    """The reasons and urgency the reference gives these answers."""
    ids = set(a.red_flags)
    if a.sharp_pain:
        ids.add("sharp_pain")
    if a.pain >= 7:
        ids.add("pain_nrs_severe")
    if a.new_onset and a.patient.age is not None and a.patient.age > 50:
        ids.add("age_new_onset_over_50")
    if a.new_onset and a.patient.age is not None and a.patient.age < 20:
        ids.add("age_new_onset_under_20")
    if not ids:
        return ids, None
    return ids, "emergency" if ids & EMERGENCY else "see_clinician"


# --- generated libraries ---------------------------------------------------------------------

equipment_entry = st.one_of(
    st.sampled_from(EQUIPMENT),
    st.lists(st.sampled_from(EQUIPMENT), min_size=2, max_size=3, unique=True),
)
dose = st.one_of(
    st.builds(lambda s, r: {"sets": s, "reps": r}, st.integers(1, 4), st.integers(1, 15)),
    st.builds(lambda s, h: {"sets": s, "hold_s": h}, st.integers(1, 4), st.integers(1, 60)),
)


@st.composite
def libraries(draw) -> Library:
    count = draw(st.integers(0, 12))
    made = []
    for i in range(count):
        kind = draw(st.sampled_from(["modified", "modified", "warmup", "original"]))
        fields: dict[str, Any] = {
            "kind": kind,
            "pattern": draw(st.sampled_from(PATTERNS)),
            "level": draw(st.sampled_from(LEVELS)),
            "equipment": draw(st.lists(equipment_entry, max_size=3)),
            "avoid_if": draw(st.lists(st.sampled_from(CONDITIONS), max_size=2, unique=True)),
        }
        if kind != "original":
            fields["dose"] = draw(dose)
            earlier = [e.id for e in made if e.kind != "original"]
            if earlier and draw(st.booleans()):
                fields["regression"] = draw(st.sampled_from(earlier))
        made.append(exercise(f"ex-{i}", **fields))
    return library(*made)


@st.composite
def answer_data(draw, ids: list[str] | None = None) -> dict[str, Any]:
    age = draw(st.one_of(st.none(), st.integers(0, 120)))
    data: dict[str, Any] = {
        "patient": {"age": age},
        "new_onset": draw(st.booleans()) if age is not None else False,
        "sharp_pain": draw(st.booleans()),
        "pain": draw(st.integers(0, 10)),
        "red_flags": draw(
            st.lists(st.sampled_from(sorted(EMERGENCY | SEE_CLINICIAN)), max_size=3, unique=True)
        ),
        "leg_symptoms": draw(st.sampled_from(["none", "one_leg_above_knee", "one_leg_below_knee"])),
        "conditions": draw(st.lists(st.sampled_from(CONDITIONS), max_size=2, unique=True)),
        "equipment": draw(st.lists(st.sampled_from(EQUIPMENT), max_size=6, unique=True)),
        "level": draw(st.sampled_from(LEVELS)),
    }
    if ids:
        data["add"] = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
        data["remove"] = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
    return data


def cleared(data: dict[str, Any]) -> dict[str, Any]:
    """The same answers with nothing that stops."""
    return {
        **data,
        "sharp_pain": False,
        "pain": min(data["pain"], 6),
        "red_flags": [],
        "new_onset": False,
    }


@st.composite
def library_and_answers(draw, *, clear: bool = False):
    lib = draw(libraries())
    data = draw(answer_data(sorted(lib.exercises)))
    return lib, Answers.model_validate(cleared(data) if clear else data)


def suits(e, a: Answers, lib: Library) -> bool:
    """Suitability as issue 4 defines it, independently of selection.py."""
    have = set(a.equipment) | {k for k, t in lib.vocabulary.equipment.items() if t.always_available}
    conditions = set(a.conditions) | (
        {"leg_pain_below_knee"} if a.leg_symptoms == "one_leg_below_knee" else set()
    )
    equipment_ok = all(
        (entry in have) if isinstance(entry, str) else bool(set(entry) & have)
        for entry in e.equipment
    )
    return (
        e.kind != "original"
        and equipment_ok
        and not (set(e.avoid_if) & conditions)
        and LEVELS.index(e.level) <= LEVELS.index(a.level)
    )


# --- properties ------------------------------------------------------------------------------


@given(library_and_answers(), st.integers(1, 5))
def test_any_stop_condition_gives_no_exercises_and_the_right_urgency(pair, max_exercises):
    lib, a = pair
    outcome = make_outcome(PlanRequest(a, library=lib, max_exercises=max_exercises, date=DATE))
    ids, urgency = expected_stop(a)
    if urgency is None:
        assert isinstance(outcome, Plan)
        return
    assert isinstance(outcome, Stop)
    assert not hasattr(outcome, "exercises") and not hasattr(outcome, "warmup")
    assert set(outcome.to_dict()) == {"status", "urgency", "reasons"}
    assert outcome.urgency == urgency
    assert {r.id for r in outcome.reasons} == ids  # every reason named
    with pytest.raises(ValueError, match="must stop"):
        select(a, lib, date=DATE)


@given(library_and_answers(), st.sampled_from(sorted(EMERGENCY)))
def test_emergency_outranks_every_other_reason(pair, sign):
    lib, a = pair
    a = a.model_copy(
        update={"red_flags": [*a.red_flags, sign] if sign not in a.red_flags else a.red_flags}
    )
    outcome = make_outcome(PlanRequest(a, library=lib, date=DATE))
    assert isinstance(outcome, Stop)
    assert outcome.urgency == "emergency"
    urgencies = [r.urgency for r in outcome.reasons]
    assert urgencies == sorted(urgencies, key=lambda u: u != "emergency")


@given(library_and_answers(clear=True), st.integers(1, 5))
def test_every_chosen_exercise_suits_and_patterns_do_not_repeat(pair, max_exercises):
    lib, a = pair
    outcome = make_outcome(PlanRequest(a, library=lib, max_exercises=max_exercises, date=DATE))
    assert isinstance(outcome, Plan)
    main = [lib.exercises[i.id] for i in outcome.exercises]
    warm = [lib.exercises[i.id] for i in outcome.warmup]
    assert all(suits(e, a, lib) for e in main + warm)
    assert all(e.kind == "modified" for e in main)
    assert all(e.kind == "warmup" for e in warm)
    assert len({e.pattern for e in main}) == len(main)
    assert len(main) <= max_exercises
    assert len(warm) <= 3
    assert not {e.id for e in main + warm} & set(a.remove)
    have = set(a.equipment) | lib.always_available()
    for item in outcome.exercises + outcome.warmup:
        assert set(item.equipment) <= have
    # A pattern with a suitable exercise is never left empty while there is room.
    if len(main) < max_exercises:
        covered = {e.pattern for e in main}
        for e in lib.exercises.values():
            if e.kind == "modified" and e.id not in a.remove and suits(e, a, lib):
                assert e.pattern in covered


@given(library_and_answers(clear=True))
def test_moderate_pain_eases_every_dose_it_can(pair):
    lib, a = pair
    plan = make_outcome(PlanRequest(a, library=lib, date=DATE))
    for item in plan.exercises + plan.warmup:
        own = lib.exercises[item.id].dose
        if 4 <= a.pain <= 6:
            assert (
                item.dose.sets < own.sets
                or item.dose.eased
                or (own.sets == 1 and (own.reps or 1) == 1 and own.hold_s <= 1)
            )
            assert item.dose.sets <= own.sets
        else:
            assert (item.dose.sets, item.dose.reps, item.dose.hold_s) == (
                own.sets,
                own.reps,
                own.hold_s,
            )


@given(library_and_answers(), st.randoms(use_true_random=False))
def test_same_answers_library_and_date_give_the_same_outcome(pair, rnd):
    lib, a = pair
    first = make_outcome(PlanRequest(a, library=lib, date=DATE))
    # The same library read in another order (files listed differently) changes nothing.
    shuffled = list(lib.exercises.values())
    rnd.shuffle(shuffled)
    again = Library(vocabulary=VOCABULARY)
    for e in shuffled:
        again.exercises[e.id] = e
        again.files[e.id] = lib.files[e.id]
    assert make_outcome(PlanRequest(a, library=again, date=DATE)) == first


runner = CliRunner()


@settings(max_examples=examples(25, 250), suppress_health_check=[HealthCheck.too_slow])
@given(answer_data())
def test_the_cli_exit_code_follows_the_gate(data):
    from backplan.cli.app import app

    a = Answers.model_validate(data)
    ids, urgency = expected_stop(a)
    with tempfile.TemporaryDirectory() as folder:
        path = save_answers(a, Path(folder) / "answers.json")
        result = runner.invoke(
            app, ["plan", "--answers", str(path), "--format", "json", "--date", "2026-03-02"]
        )
    out = json.loads(result.stdout)
    if urgency is None:
        assert result.exit_code == 0, result.output
        assert out["status"] == "plan"
    else:
        assert result.exit_code == (4 if urgency == "emergency" else 3)
        assert out["status"] == "stop"
        assert out["urgency"] == urgency
        assert {r["id"] for r in out["reasons"]} == ids
        assert "exercises" not in out and "warmup" not in out


def test_the_strategies_reach_full_plans_and_both_urgencies():
    # Guards the properties above against strategies that never produce the interesting cases.
    def plan_size(pair) -> int:
        lib, a = pair
        return len(select(a, lib, date=DATE).exercises)

    reaches(library_and_answers(clear=True), lambda pair: plan_size(pair) >= 3)
    for urgency in ("emergency", "see_clinician"):
        reaches(
            answer_data(), lambda d, u=urgency: expected_stop(Answers.model_validate(d))[1] == u
        )
