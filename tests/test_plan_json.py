"""The plan's JSON read back: Plan.from_dict matches Plan.to_dict, and reads the plan files
earlier releases wrote (tests/data/plans, made by `backplan plan -f json` at the commit in
each file's name: 15dacdd, before plans kept their answers; 5e360b9, before issue 14)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from selection_fixtures import answers, home_and_gym_library

from backplan.errors import EXIT_EMERGENCY, EXIT_SEE_CLINICIAN, BackplanError
from backplan.home.session import load_plan_file
from backplan.pipeline import PlanRequest, make_outcome
from backplan.planning.outcome import Plan

PLANS = Path(__file__).parent / "data" / "plans"
OLD_FILES = sorted(PLANS.glob("written-by-*.json"))


def test_from_dict_reads_back_what_to_dict_writes():
    plan = make_outcome(
        PlanRequest(
            answers(equipment=["mat"], pain=5, notes=["Seen."]),
            library=home_and_gym_library(),
            date=dt.date(2026, 3, 2),
        )
    )
    assert isinstance(plan, Plan)
    data = json.loads(json.dumps(plan.to_dict()))
    back = Plan.from_dict(data)
    assert json.loads(json.dumps(back.to_dict())) == data
    assert [n.id for n in back.notes] == [n.id for n in plan.notes]  # notes keep their ids
    assert back.exercises[0].dose == plan.exercises[0].dose


@pytest.mark.parametrize("path", OLD_FILES, ids=lambda p: p.stem)
def test_a_plan_file_an_earlier_release_wrote_still_loads(path):
    assert len(OLD_FILES) == 2
    plan, data = load_plan_file(path)
    assert [i.id for i in plan.items()] == [i["id"] for i in (*data["warmup"], *data["exercises"])]
    first = data["exercises"][0]
    assert plan.exercises[0].dose.model_dump() == first["dose"]
    assert plan.exercises[0].dose.eased  # pain 6: eased, as the file says
    assert [n.id for n in plan.notes] == [n["id"] for n in data["notes"]]
    assert plan.patient.name == data["patient"]["name"]
    assert plan.date == dt.date.fromisoformat(data["date"])


@pytest.mark.parametrize("path", OLD_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "STOP"}, EXIT_EMERGENCY),
        ({"urgency": "see_clinician"}, EXIT_SEE_CLINICIAN),
        ({"answers": {"sharp_pain": True, "pain": 2, "red_flags": []}}, EXIT_SEE_CLINICIAN),
    ],
)
def test_an_earlier_release_s_plan_edited_to_say_stop_is_refused(tmp_path, path, changes, code):
    data = {**json.loads(path.read_text(encoding="utf-8")), **changes}
    edited = tmp_path / "plan.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BackplanError, match="stop notice") as caught:
        load_plan_file(edited)
    assert caught.value.exit_code == code


def test_a_value_that_cannot_be_read_is_named_with_its_line(tmp_path):
    data = json.loads(OLD_FILES[-1].read_text(encoding="utf-8"))
    data["exercises"][0]["dose"]["sets"] = "many"
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(BackplanError) as caught:
        load_plan_file(bad)
    (problem,) = caught.value.problems
    assert problem.line is not None and "exercises.0.dose.sets" in problem.message
    assert caught.value.exit_code == 2
