"""Moderate pain eases a timed activity (a walk) by the step below, never by cutting minutes that
its name and steps state ("Walking, 20 Minutes a Day" ... "Walk for 20 minutes")."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from selection_fixtures import answers

from backplan.library.catalogue import Library, load_library
from backplan.planning.build import Choice, Pick, build, pass_screening
from backplan.planning.outcome import Plan

DATE = dt.date(2026, 3, 2)


@cache
def builtin() -> Library:
    return load_library()


def _plan(eid: str, **changes) -> Plan:
    person = answers(level="intermediate", **changes)
    screened = pass_screening(person, date=DATE, lang="en")
    pick = Pick(builtin().exercises[eid], "chosen for the test")
    plan = build(Choice((pick,), (), "nothing suits"), screened, builtin())
    assert isinstance(plan, Plan)
    return plan


@pytest.mark.parametrize("eid", ["walking-20-minutes", "walking-30-minutes"])
def test_moderate_pain_walks_the_step_below_at_its_own_length(eid):
    chosen = builtin().exercises[eid]
    (item,) = _plan(eid, pain=5).exercises
    lower = builtin().exercises[chosen.regression]
    assert item.id == lower.id and item.dose.eased
    assert item.dose.minutes == lower.dose.minutes
    assert f"{item.dose.minutes} Minutes" in item.name  # the name and the dose agree
    assert item.progression is not None and item.progression.id == eid  # back up when easy


def test_mild_pain_keeps_the_chosen_walk_and_its_minutes():
    (item,) = _plan("walking-20-minutes", pain=2).exercises
    assert (item.id, item.dose.minutes, item.dose.eased) == ("walking-20-minutes", 20, False)


def test_the_shortest_walk_keeps_its_length_under_moderate_pain():
    (item,) = _plan("walking-10-minutes", pain=5).exercises
    assert (item.id, item.dose.minutes) == ("walking-10-minutes", 10)


def test_the_clinicians_dose_keeps_the_chosen_walk():
    dose = {"walking-20-minutes": {"minutes": 15}}
    (item,) = _plan("walking-20-minutes", pain=5, dose=dose).exercises
    assert (item.id, item.dose.minutes) == ("walking-20-minutes", 15)


def test_other_exercises_are_still_eased_by_sets_or_reps():
    lib = builtin().exercises
    eid = next(e.id for e in lib.values() if e.dose is not None and e.dose.sets > 1)
    (item,) = _plan(eid, pain=5).exercises
    assert item.id == eid and item.dose.eased and item.dose.sets == lib[eid].dose.sets - 1
