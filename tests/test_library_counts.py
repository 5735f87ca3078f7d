"""Issue 17's counts: a library a chiropractor can prescribe from every day.

At least 45 prescribable exercises (modified or standalone), each with a drawn pose, Spanish
name, steps and purpose, a dose, a source and a place in a chain of at least two steps; every
movement pattern covered, each with a standing or chair alternative for people who find the
floor hard.
"""

from __future__ import annotations

from typing import get_args

import pytest

from backplan.library.catalogue import Library, load_library
from backplan.library.model import Exercise, Pattern

MIN_PRESCRIBABLE = 45


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def _prescribable(library: Library) -> list[Exercise]:
    return sorted((e for e in library.exercises.values() if e.prescribable), key=lambda e: e.id)


def _chain_of(exercise: Exercise, library: Library) -> set[str]:
    """Every exercise linked to this one by progressions and regressions, either way."""
    links: dict[str, set[str]] = {eid: set() for eid in library.exercises}
    for e in library.exercises.values():
        for target in (e.progression.to if e.progression else None, e.regression):
            if target in links:
                links[e.id].add(target)
                links[target].add(e.id)
    seen, todo = {exercise.id}, [exercise.id]
    while todo:
        for nxt in links[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_at_least_45_prescribable_exercises(library):
    found = _prescribable(library)
    assert len(found) >= MIN_PRESCRIBABLE, f"{len(found)} prescribable exercises"


def test_each_prescribable_exercise_is_complete(library):
    for e in _prescribable(library):
        es = e.translations.get("es")
        assert e.pose is not None, f"{e.id}: no pose"
        assert e.position is not None, f"{e.id}: no position"
        assert e.dose is not None and e.source, e.id
        assert e.purpose, f"{e.id}: no purpose"
        assert e.steps and e.cues and e.mistakes, f"{e.id}: steps, cues and mistakes"
        assert es is not None and es.name and es.purpose, f"{e.id}: Spanish name and purpose"
        assert es.steps is not None and len(es.steps) == len(e.steps), f"{e.id}: Spanish steps"
        chain = _chain_of(e, library)
        assert len(chain) >= 2, f"{e.id}: not part of a chain of at least two steps"


@pytest.mark.parametrize("pattern", get_args(Pattern))
def test_every_pattern_has_exercises_and_a_standing_or_chair_one(library, pattern):
    ours = [e for e in _prescribable(library) if e.pattern == pattern]
    assert ours, f"no prescribable {pattern} exercise"
    upright = [e.id for e in ours if e.position in ("standing", "chair")]
    assert upright, f"no standing or chair {pattern} exercise for people who find the floor hard"
