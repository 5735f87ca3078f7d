"""The next plan from the log: the §4 rules on generated six-week logs, chains that suit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from backplan.home.logdb import ExerciseRecord, LogRecords, SessionRecord
from backplan.planning.next_plan import (
    Change,
    accepted_changes,
    chain_step,
    log_stop,
    next_protocol,
    propose,
)

START = dt.date(2026, 10, 5)  # a Monday
PLAN = {
    "status": "plan",
    "weeks": 2,
    "warmup": [{"id": "cat-cow", "name": "Cat-Cow"}],
    "exercises": [
        {"id": "a", "name": "A", "dose": {"sets": 2, "reps": 10, "hold_s": 0, "rest_s": 60}},
        {"id": "b", "name": "B", "dose": {"sets": 2, "reps": 8, "hold_s": 0, "rest_s": 45}},
    ],
}


def six_weeks(
    during: Callable[[int, str], int | None],
    before: Callable[[int], int] = lambda n: 2,
    *,
    source: str = "session",
) -> LogRecords:
    """Three sessions a week for six weeks; `during(n, id)` is the pain during exercise `id` in
    session n (0-based), `before(n)` the pain before it."""
    sessions, logs = [], []
    n = 0
    for week in range(6):
        for weekday in (0, 2, 4):
            day = START + dt.timedelta(days=7 * week + weekday)
            stamp = f"{day.isoformat()}T18:00:00+01:00"
            session = SessionRecord(n + 1, stamp, stamp, PLAN, before(n), None, None, None)
            if source != "session":
                session = SessionRecord(
                    n + 1, stamp, stamp, PLAN, before(n), None, None, None, source=source
                )
            sessions.append(session)
            for eid in ("a", "b"):
                logs.append(
                    ExerciseRecord(
                        len(logs) + 1,
                        n + 1,
                        eid,
                        eid.upper(),
                        "modified",
                        2,
                        10,
                        None,
                        during(n, eid),
                        False,
                        stamp,
                    )
                )
            n += 1
    return LogRecords(tuple(sessions), tuple(logs), ())


def steps(progress: dict[str, str] | None = None, regress: dict[str, str] | None = None):
    def step(eid: str, action: str):
        target = (progress or {}).get(eid) if action == "progress" else (regress or {}).get(eid)
        return (target, target.upper()) if target else None

    return step


def by_id(changes: list[Change]) -> dict[str, Change]:
    return {c.exercise_id: c for c in changes}


def test_improving_log_moves_each_exercise_on_naming_the_sessions_and_pains():
    records = six_weeks(lambda n, eid: 1)
    changes = by_id(propose(PLAN, records, step=steps({"a": "a2", "b": "b2"})))
    assert changes["a"].action == "progress" and changes["a"].to_id == "a2"
    assert changes["a"].rule == "run_of_mild_sessions"
    assert len(changes["a"].sessions) == 3
    assert "1/10 on Nov " in changes["a"].why and "A2" in changes["a"].why


def test_flaring_log_steps_back_when_pain_goes_above_five():
    records = six_weeks(lambda n, eid: 6 if (eid == "b" and n >= 15) else 2)
    changes = by_id(propose(PLAN, records, step=steps(regress={"b": "b0"})))
    assert changes["b"].action == "regress" and changes["b"].to_id == "b0"
    assert changes["b"].rule == "pain_during_above_max"
    assert changes["b"].sessions == (18,)
    assert "6/10" in changes["b"].why


def test_a_weekly_rise_of_two_points_steps_back_even_below_six():
    # weeks 1-5 at 2/10, week 6 at 5/10: a rise of 3 points, never above 5
    records = six_weeks(lambda n, eid: 5 if n >= 15 else 2)
    changes = by_id(propose(PLAN, records, step=steps(regress={"a": "a0"})))
    assert changes["a"].rule == "weekly_rise" and changes["a"].to_id == "a0"
    assert "3.0 points" in changes["a"].why and "week 5 to week 6" in changes["a"].why


def test_no_easier_step_keeps_the_exercise_with_a_lighter_dose():
    records = six_weeks(lambda n, eid: 7 if n == 17 else 2)
    changes = by_id(propose(PLAN, records, step=steps()))
    assert changes["a"].action == "regress" and changes["a"].eased and changes["a"].to_id is None
    protocol = next_protocol(PLAN, list(changes.values()))
    entry = protocol.entries()[0]
    assert entry.id == "a" and entry.dose is not None and entry.dose.sets == 1


def test_flat_log_keeps_and_says_what_the_next_step_needs():
    records = six_weeks(lambda n, eid: 4)
    changes = by_id(propose(PLAN, records, step=steps({"a": "a2"})))
    assert changes["a"].action == "keep" and changes["a"].rule == "no_rule_met"
    assert "4-4/10 over 18 sessions" in changes["a"].why
    protocol = next_protocol(PLAN, list(changes.values()))
    assert [e.id for e in protocol.entries()] == ["a", "b"]
    assert protocol.entries()[1].dose is not None and protocol.entries()[1].dose.reps == 8
    assert protocol.warmup == ["cat-cow"]


def test_mixed_log_judges_each_exercise_on_its_own():
    records = six_weeks(lambda n, eid: 1 if eid == "a" else (6 if n == 17 else 3))
    changes = by_id(propose(PLAN, records, step=steps({"a": "a2"}, {"b": "b0"})))
    assert changes["a"].action == "progress"
    assert changes["b"].action == "regress"


def test_a_rise_the_next_day_breaks_the_run():
    # mild during, but the pain before each next session climbs: never settled
    records = six_weeks(lambda n, eid: 1, before=lambda n: min(10, n // 2))
    changes = by_id(propose(PLAN, records, step=steps({"a": "a2"})))
    assert changes["a"].action != "progress"


def test_paper_only_log_uses_the_days_pain_for_pain_during():
    records = six_weeks(lambda n, eid: None, before=lambda n: 1, source="paper")
    changes = by_id(propose(PLAN, records, step=steps({"a": "a2"})))
    assert changes["a"].action == "progress"
    flare = six_weeks(lambda n, eid: None, before=lambda n: 6 if n == 17 else 2, source="paper")
    assert by_id(propose(PLAN, flare, step=steps(regress={"a": "a0"})))["a"].action == "regress"


def test_without_pain_records_nothing_progresses():
    records = six_weeks(lambda n, eid: None)  # a session log with no pain during (not paper)
    changes = by_id(propose(PLAN, records, step=steps({"a": "a2"})))
    assert changes["a"].action == "keep"


def test_the_clinician_refuses_a_change_and_the_exercise_stays():
    records = six_weeks(lambda n, eid: 1)
    changes = propose(PLAN, records, step=steps({"a": "a2", "b": "b2"}))
    kept = by_id(accepted_changes(changes, ["b"]))
    assert kept["a"].action == "keep" and kept["a"].rule == "refused_by_clinician"
    assert kept["b"].to_id == "b2"
    assert all(c.to_id is None for c in accepted_changes(changes, "none"))
    assert [c.to_id for c in accepted_changes(changes, "all")] == ["a2", "b2"]
    protocol = next_protocol(PLAN, accepted_changes(changes, ["b"]))
    assert [e.id for e in protocol.entries()] == ["a", "b2"]


@pytest.mark.parametrize("stopped", ["sharp_pain", "see_clinician", "emergency", "pain_nrs_severe"])
def test_a_stop_in_the_log_is_found(stopped):
    records = six_weeks(lambda n, eid: 1)
    last = records.sessions[-1]
    sessions = (
        *records.sessions[:-1],
        SessionRecord(*list(last.__dict__.values())[:6], stopped, None),
    )
    found = log_stop(LogRecords(sessions, records.exercises, ()))
    assert found is not None and found.stopped == stopped


def test_an_interrupted_session_is_not_a_stop():
    records = six_weeks(lambda n, eid: 1)
    last = records.sessions[-1]
    sessions = (
        *records.sessions[:-1],
        SessionRecord(*list(last.__dict__.values())[:6], "interrupted", None),
    )
    assert log_stop(LogRecords(sessions, records.exercises, ())) is None


def test_chain_step_skips_a_step_that_does_not_suit_and_stops_at_the_chain_end():
    from backplan.intake.answers import Answers
    from backplan.library.catalogue import load_library

    library = load_library()
    # find a chain a -> b where b avoids knee pain
    for exercise in library.exercises.values():
        if exercise.progression is None:
            continue
        target = library.exercises[exercise.progression.to]
        if "knee_pain" in target.avoid_if and "knee_pain" not in exercise.avoid_if:
            break
    else:
        pytest.skip("the built-in library has no chain whose next step avoids knee pain")
    have = sorted({e for x in library.exercises.values() for e in x.equipment_ids()})
    sore = Answers(
        sharp_pain=False,
        pain=2,
        red_flags=[],
        conditions=["knee_pain"],
        equipment=have,
        level="advanced",
    )
    found = chain_step(library, sore)(exercise.id, "progress")
    assert found is None or "knee_pain" not in library.exercises[found[0]].avoid_if
    fine = sore.model_copy(update={"conditions": []})
    assert chain_step(library, fine)(exercise.id, "progress") == (target.id, target.name)


def test_the_log_travels_as_progress_json_and_reads_back_the_same():
    import json

    from backplan.home.logdb import records_from_data, records_to_data

    records = six_weeks(lambda n, eid: 1 if n % 2 else None, source="paper")
    data = json.loads(json.dumps(records_to_data(records)))
    back = records_from_data(data, "progress.json")
    assert back.sessions == records.sessions
    assert back.exercises == records.exercises
    assert back.skipped == ()
    changes = propose(PLAN, back, step=steps({"a": "a2"}))
    assert changes == propose(PLAN, records, step=steps({"a": "a2"}))


def test_a_hand_edited_progress_json_row_is_skipped_and_named():
    from backplan.home.logdb import records_from_data, records_to_data

    data = records_to_data(six_weeks(lambda n, eid: 1))
    data["sessions"][0]["started_at"] = "yesterday"
    data["exercises"][1]["pain_during"] = "high"
    back = records_from_data(data, "progress.json")
    assert len(back.sessions) == 17 and len(back.exercises) == 35
    assert any("session 1" in s for s in back.skipped)
    assert any("exercise log 2" in s for s in back.skipped)


def test_a_file_without_a_log_says_how_to_make_one():
    from backplan.errors import BackplanError
    from backplan.home.logdb import records_from_data

    with pytest.raises(BackplanError, match="progress --format json"):
        records_from_data({"counts": {}}, "old.json")
