"""Issue 15's property: no plan names an unsuitable exercise anywhere.

For answers with knee pain, wrist pain, balance problems, pregnancy, floor transfers hard, and
each combination of two, over generated libraries with chains, positions and protocols: every
warm-up, main exercise, "when it gets easy" and "if it hurts" target, protocol item and
clinician addition suits the person, in the Plan, its JSON and the rendered terminal and
Markdown text (where an unsuitable exercise may be named only next to the reason it was left
out). Suitability is worked out here again, independently of selection.py.

Bounded for the shared machine; BACKPLAN_LONG_TESTS=1 runs many more examples.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from depth import examples, reaches
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from selection_fixtures import EQUIPMENT, answers, exercise, library

from backplan.intake.answers import Answers
from backplan.library.catalogue import Library
from backplan.library.model import LEVELS, Exercise, Term, Vocabulary
from backplan.planning.outcome import Plan
from backplan.planning.protocols import Protocol, protocol_selection
from backplan.planning.selection import select
from backplan.planning.suitability import one_level_up, unsuitable
from backplan.render import RenderOptions, print_outcome
from backplan.render.markdown import render_markdown

DATE = dt.date(2026, 3, 2)
EXAMPLES = examples(30, 400)
CONDITIONS = ("knee_pain", "wrist_pain", "balance_problems", "pregnancy", "floor_transfers_hard")
COMBINATIONS = [[c] for c in CONDITIONS] + [list(p) for p in itertools.combinations(CONDITIONS, 2)]
POSITIONS = ("standing", "chair", "floor", None)
# the fixtures' originals exist for these; other patterns get standalone exercises
ORIGINAL_PATTERNS = ("hinge", "squat", "lunge", "core", "mobility")
PATTERNS = (*ORIGINAL_PATTERNS, "hip", "stretch", "walking")


def _vocabulary(lib: Library) -> Vocabulary:
    extra = {c: Term(label=c.replace("_", " ")) for c in CONDITIONS}
    return lib.vocabulary.merged(Vocabulary(conditions=extra))


def suits(e: Exercise, a: Answers, lib: Library) -> bool:
    """The one suitability test as issue 15 states it: kind, equipment, avoid_if, floor, level."""
    have = set(a.equipment) | {k for k, t in lib.vocabulary.equipment.items() if t.always_available}
    conditions = set(a.conditions)
    on_floor = e.position not in ("standing", "chair")  # unknown counts as the floor
    return (
        e.kind != "original"
        and all(
            (entry in have) if isinstance(entry, str) else bool(set(entry) & have)
            for entry in e.equipment
        )
        and not set(e.avoid_if) & conditions
        and not ("floor_transfers_hard" in conditions and on_floor)
        and LEVELS.index(e.level) <= LEVELS.index(a.level)
    )


@st.composite
def libraries(draw) -> Library:
    made: list[Exercise] = []
    for i in range(draw(st.integers(1, 12))):
        pattern = draw(st.sampled_from(PATTERNS))
        kinds = ["modified", "standalone", "warmup", "original"]
        if pattern not in ORIGINAL_PATTERNS:
            kinds = ["standalone", "warmup"]
        kind = draw(st.sampled_from(kinds))
        fields: dict[str, Any] = {
            "kind": kind,
            "pattern": pattern,
            "name": f"Move{i:02d}x",  # never a part of another name
            "level": draw(st.sampled_from(LEVELS)),
            "equipment": draw(st.lists(st.sampled_from(EQUIPMENT), max_size=2, unique=True)),
            "avoid_if": draw(st.lists(st.sampled_from(CONDITIONS[:4]), max_size=2, unique=True)),
        }
        position = draw(st.sampled_from(POSITIONS))
        if position is not None:
            fields["position"] = position
        if kind == "original":
            fields["name"] = f"Usual{i:02d}y"
        else:
            earlier = [e.id for e in made if e.kind != "original"]
            if earlier and draw(st.booleans()):
                fields["progression"] = {"to": draw(st.sampled_from(earlier)), "when": "Easy."}
            if earlier and draw(st.booleans()):
                fields["regression"] = draw(st.sampled_from(earlier))
        made.append(exercise(f"ex-{i}", **fields))
    lib = library(*made)
    lib.vocabulary = _vocabulary(lib)
    return lib


@st.composite
def cases(draw) -> tuple[Library, Answers, Protocol | None]:
    lib = draw(libraries())
    given_ids = sorted(e.id for e in lib.exercises.values() if e.kind != "original")
    add = draw(st.lists(st.sampled_from(given_ids), max_size=3, unique=True)) if given_ids else []
    person = answers(
        conditions=draw(st.sampled_from(COMBINATIONS)),
        equipment=draw(st.lists(st.sampled_from(EQUIPMENT), max_size=5, unique=True)),
        level=draw(st.sampled_from(LEVELS)),
        pain=draw(st.integers(0, 6)),
        add=add,
    )
    protocol = None
    if given_ids and draw(st.booleans()):
        warmups = sorted(e.id for e in lib.exercises.values() if e.kind == "warmup")
        protocol = Protocol(
            name="generated",
            title="Generated",
            exercises=draw(st.lists(st.sampled_from(given_ids), min_size=1, max_size=4)),
            warmup=draw(st.one_of(st.none(), st.lists(st.sampled_from(warmups), max_size=2)))
            if warmups
            else None,
        )
    return lib, person, protocol


def _terminal(plan: Plan) -> str:
    console = Console(file=io.StringIO(), width=3000, no_color=True, record=True)
    print_outcome(plan, console, RenderOptions())
    return console.export_text()


def _named(plan: Plan) -> list[tuple[str, bool]]:
    """Every exercise id the plan gives or points to, and whether it is a step up (which may
    be one level above the person's: selection.one_level_up)."""
    ids = []
    for item in plan.warmup + plan.exercises:
        ids.append((item.id, False))
        for step, harder in ((item.progression, True), (item.regression, False)):
            if step is not None and step.id is not None:
                ids.append((step.id, harder))
    return ids


def _fits(exercise, person, lib, harder: bool) -> bool:
    return suits(exercise, one_level_up(person) if harder else person, lib)


@settings(max_examples=EXAMPLES)
@given(cases())
def test_no_plan_names_an_unsuitable_exercise_anywhere(case):
    lib, person, protocol = case
    if protocol is None:
        plan = select(person, lib, date=DATE)
    else:
        plan = protocol_selection(protocol, person, lib, date=DATE)

    for eid, harder in _named(plan):
        assert _fits(lib.exercises[eid], person, lib, harder), eid
    data = plan.to_dict()
    for key in ("warmup", "exercises"):
        for item in data[key]:
            assert suits(lib.exercises[item["id"]], person, lib)
            for step in ("progression", "regression"):
                target = item[step]
                if target is not None and target["id"] is not None:
                    assert _fits(lib.exercises[target["id"]], person, lib, step == "progression")
                    assert target["name"] == lib.exercises[target["id"]].name
                elif target is not None:
                    assert target["name"] == "" and target["advice"]

    # In the words people read, an unsuitable exercise is named only beside why it is not given.
    for text in (_terminal(plan), render_markdown(plan, RenderOptions())):
        steps_up = {eid for eid, harder in _named(plan) if harder}
        for e in lib.exercises.values():
            if e.kind == "original" or suits(e, person, lib):
                continue
            if e.id in steps_up and _fits(e, person, lib, harder=True):
                continue  # "when it gets easy": the next level, and nothing else, is allowed
            reason = unsuitable(e, person, lib).reason
            for line in text.splitlines():
                if e.name in line:
                    assert reason in line, (e.id, line)


def test_the_cases_reach_chains_that_skip_and_chains_that_stop():
    # Guards the property against strategies that never produce the interesting plans.
    def steps(case) -> list[tuple[str, str | None]]:
        """(the exercise's own next step, the step the plan names) for each main exercise."""
        lib, person, _protocol = case
        return [
            (lib.exercises[i.id].progression.to, i.progression.id)
            for i in select(person, lib, date=DATE).exercises
            if i.progression is not None
        ]

    reaches(cases(), lambda c: any(named is None for _own, named in steps(c)))
    reaches(cases(), lambda c: any(named not in (None, own) for own, named in steps(c)))


EQUIPMENT_SETS = ([], ["chair"], ["chair", "sturdy_support", "mat", "stability_ball", "dumbbell"])


def test_the_builtin_library_and_protocols_name_only_suitable_exercises():
    # The same property over the shipped content, for every combination, level and protocol.
    from backplan.library.catalogue import load_library
    from backplan.planning.protocols import find_protocols, load_protocol

    lib = load_library()
    protocols = [load_protocol(name) for name in find_protocols()]
    for conditions, equipment, level in itertools.product(COMBINATIONS, EQUIPMENT_SETS, LEVELS):
        person = answers(
            conditions=conditions,
            equipment=equipment,
            level=level,
            patient={"age": 75},
            new_onset=False,
        )
        plans = [select(person, lib, date=DATE)]
        plans += [protocol_selection(p, person, lib, date=DATE) for p in protocols]
        for plan in plans:
            for eid, harder in _named(plan):
                assert _fits(lib.exercises[eid], person, lib, harder), (conditions, equipment, eid)
        if "floor_transfers_hard" not in conditions and equipment:
            assert len(plans[0].exercises) >= 2, (conditions, equipment, level)
        if "floor_transfers_hard" in conditions and equipment:
            assert len(plans[0].exercises) == 4, (conditions, equipment, level)
