"""make_outcome: the safety gate comes first, then the library, then the choice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from selection_fixtures import answers, home_and_gym_library

from backplan.errors import BackplanError
from backplan.pipeline import PlanRequest, make_outcome
from backplan.planning.outcome import Plan, Stop

DATE = dt.date(2026, 3, 2)


def test_a_cleared_person_gets_a_plan():
    outcome = make_outcome(
        PlanRequest(answers(equipment=["mat"]), library=home_and_gym_library(), date=DATE)
    )
    assert isinstance(outcome, Plan)
    assert [i.id for i in outcome.exercises] == ["wall-hinge", "mat-plank"]
    assert outcome.date == DATE
    assert outcome.lang == "en"


def test_a_stop_never_reads_the_library():
    missing = Path("/nonexistent/clinic-library")
    outcome = make_outcome(
        PlanRequest(answers(red_flags=["saddle_anaesthesia"]), library_paths=(missing,), date=DATE)
    )
    assert isinstance(outcome, Stop)
    assert outcome.urgency == "emergency"
    assert outcome.date == DATE
    with pytest.raises(BackplanError, match="no such file or folder"):
        make_outcome(PlanRequest(answers(), library_paths=(missing,), date=DATE))


def test_a_stop_wins_over_unknown_ids():
    person = answers(equipment=["kettlebell"], pain=8)
    outcome = make_outcome(PlanRequest(person, library=home_and_gym_library(), date=DATE))
    assert isinstance(outcome, Stop)
    assert [r.id for r in outcome.reasons] == ["pain_nrs_severe"]
    with pytest.raises(BackplanError) as info:
        make_outcome(PlanRequest(answers(equipment=["kettlebell"]), library=home_and_gym_library()))
    assert "kettlebell" in str(info.value)
    assert info.value.exit_code == 2


def test_language_from_the_request_then_the_answers():
    lib = home_and_gym_library()
    assert make_outcome(PlanRequest(answers(lang="es"), library=lib, date=DATE)).lang == "es"
    assert make_outcome(PlanRequest(answers(lang="es"), library=lib, lang="en")).lang == "en"
    stop = make_outcome(PlanRequest(answers(lang="es", sharp_pain=True), library=lib))
    assert stop.lang == "es"


def test_max_exercises_is_passed_on():
    person = answers(equipment=["mat", "stability_ball"])
    plan = make_outcome(PlanRequest(person, library=home_and_gym_library(), max_exercises=1))
    assert [i.id for i in plan.exercises] == ["wall-hinge"]


def test_the_built_in_library_gives_a_plan_to_a_person_at_home():
    outcome = make_outcome(PlanRequest(answers(equipment=["mat", "chair"]), date=DATE))
    assert isinstance(outcome, Plan)
    assert 1 <= len(outcome.exercises) <= 4
    assert len({i.pattern for i in outcome.exercises}) == len(outcome.exercises)
    assert all(i.kind in ("modified", "standalone") for i in outcome.exercises)


def _screenings(request: PlanRequest, make=make_outcome) -> tuple[int, object]:
    """How many times screening.screen runs while `make` makes one outcome."""
    import sys

    calls = []

    def count(frame, event, _arg):
        code = frame.f_code
        if (
            event == "call"
            and code.co_name == "screen"
            and code.co_filename.endswith("screening.py")
        ):
            calls.append(code)

    sys.setprofile(count)
    try:
        outcome = make(request)
    finally:
        sys.setprofile(None)
    return len(calls), outcome


def test_screening_runs_once_per_plan_whatever_chooses_the_exercises():
    from backplan.library.catalogue import load_library

    library = load_library()
    person = answers(equipment=["chair", "mat"])
    # gym-back-safe has no warm-up list: its warm-ups are the automatic ones
    for protocol in (None, "home-starter", "gym-back-safe"):
        n, plan = _screenings(PlanRequest(person, library=library, date=DATE, protocol=protocol))
        assert isinstance(plan, Plan) and plan.items()
        assert n == 1, protocol


def test_the_command_path_screens_once_and_reads_the_library_only_after(tmp_path, monkeypatch):
    """`plan --answers` goes through requests.make_plan: one screening, and the library is
    read only when nothing stops (a broken library never hides a stop)."""
    from backplan import pipeline
    from backplan.requests import PlanCall, make_plan

    loads = []
    real = pipeline.load_library
    monkeypatch.setattr(pipeline, "load_library", lambda paths: loads.append(1) or real(paths))
    monkeypatch.setattr(
        "backplan.requests.load_library", lambda paths: loads.append(1) or real(paths)
    )
    ok = tmp_path / "ok.yaml"
    ok.write_text("pain: 3\nsharp_pain: no\nred_flags: []\nequipment: [chair, mat]\n")
    stop = tmp_path / "stop.yaml"
    stop.write_text("pain: 3\nsharp_pain: yes\nred_flags: []\n")

    n, made = _screenings(PlanCall(answers_path=ok, date=DATE), make_plan)
    assert n == 1 and isinstance(made.outcome, Plan) and loads == [1]
    loads.clear()
    n, made = _screenings(PlanCall(answers_path=stop, date=DATE), make_plan)
    assert n == 1 and isinstance(made.outcome, Stop) and loads == []


def test_the_build_step_takes_only_answers_screening_let_through():
    from backplan.planning.build import Screened, pass_screening

    with pytest.raises(ValueError, match="pass_screening"):
        Screened(answers(sharp_pain=True), DATE, "en")  # made by hand: refused
    assert isinstance(pass_screening(answers(sharp_pain=True), date=DATE, lang="en"), Stop)
    assert isinstance(pass_screening(answers(), date=DATE, lang="en"), Screened)
