"""Progression and safety rules at their edges (clinical-screening.md §4)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from backplan.home.advice import (
    PAIN_DURING_MAX,
    PROGRESSION_PAIN_MAX,
    PROGRESSION_RUN_SESSIONS,
    WEEKLY_RISE_POINTS,
    program_week,
)
from backplan.home.advice import advise as advise_in
from backplan.home.logdb import ExerciseRecord, LogRecords, SessionRecord
from backplan.i18n import words


def advise(records: LogRecords):
    """The advice in English, the language these tests read."""
    return advise_in(records, words("en"))


PLAN = {
    "status": "plan",
    "warmup": [],
    "exercises": [
        {
            "id": "bird-dog",
            "name": "Bird dog",
            "dose": {"sets": 2, "reps": 8},  # every exercise of a plan has a dose
            "progression": {"id": "bird-dog-band", "name": "Banded bird dog", "when": "10 easy"},
            "regression": {"id": "dead-bug", "name": "Dead bug", "when": None},
        },
        {
            "id": "glute-bridge",
            "name": "Glute bridge",
            "dose": {"sets": 2, "reps": 10},
            "progression": None,
            "regression": None,
        },
    ],
}
START = dt.date(2026, 1, 5)


def history(days, pain_before, pain_during, *, exercise="bird-dog", stopped_last=None):
    """One session per day offset, with `exercise` done at the given pain."""
    sessions, logs = [], []
    for i, (day, before, during) in enumerate(zip(days, pain_before, pain_during, strict=True)):
        when = dt.datetime.combine(START + dt.timedelta(days=day), dt.time(9))
        stamp = when.isoformat() + "+00:00"
        last = i == len(days) - 1
        sessions.append(
            SessionRecord(
                i + 1,
                stamp,
                stamp,
                PLAN,
                before,
                before,
                stopped_last if last else None,
                None,
            )
        )
        logs.append(
            ExerciseRecord(
                i + 1, i + 1, exercise, exercise, "modified", 2, 8, None, during, False, stamp
            )
        )
    return LogRecords(tuple(sessions), tuple(logs), ())


def kinds(advice):
    return [(a.kind, a.rule, a.exercise_id) for a in advice]


def test_empty_log_gives_no_advice():
    assert advise(LogRecords()) == []


def test_program_weeks_count_from_the_first_session():
    assert program_week(START, START) == 1
    assert program_week(START + dt.timedelta(days=6), START) == 1
    assert program_week(START + dt.timedelta(days=7), START) == 2


def test_a_mild_settled_run_suggests_the_progression_with_its_when_text():
    n = PROGRESSION_RUN_SESSIONS
    # n sessions to judge plus one more whose pain-before shows the last one settled.
    records = history(
        list(range(n + 1)), [2] * (n + 1), [PROGRESSION_PAIN_MAX] * n + [PROGRESSION_PAIN_MAX]
    )
    (advice,) = advise(records)
    assert (advice.kind, advice.rule, advice.exercise_id) == (
        "progress",
        "run_of_mild_sessions",
        "bird-dog",
    )
    assert advice.step.id == "bird-dog-band"
    assert "Banded bird dog" in advice.message
    assert "10 easy" in advice.message


def test_a_mild_run_with_no_harder_step_that_suits_says_ask_the_chiropractor():
    # A plan's progression with no exercise (none suits the person) carries advice instead;
    # the mild run is still worth saying, with that advice, never "Next step: None".
    n = PROGRESSION_RUN_SESSIONS
    ask = "Ask your chiropractor before you progress."
    first = {**PLAN["exercises"][0], "progression": {"id": None, "name": "", "advice": ask}}
    plan = {**PLAN, "exercises": [first]}
    records = history(list(range(n + 1)), [2] * (n + 1), [PROGRESSION_PAIN_MAX] * (n + 1))
    records = LogRecords(
        tuple(dataclasses.replace(s, plan=plan) for s in records.sessions), records.exercises, ()
    )
    (advice,) = advise(records)
    assert (advice.kind, advice.rule, advice.exercise_id) == (
        "progress",
        "run_of_mild_sessions",
        "bird-dog",
    )
    assert advice.step is not None and advice.step.id is None
    assert advice.message.endswith("with no rise the next day. " + ask)
    assert "None" not in advice.message
    (spanish,) = advise_in(records, words("es"))
    assert "sin aumento al día siguiente." in spanish.message


def test_one_point_above_mild_breaks_the_run():
    n = PROGRESSION_RUN_SESSIONS
    during = [PROGRESSION_PAIN_MAX] * (n + 1)
    during[-2] = PROGRESSION_PAIN_MAX + 1
    assert advise(history(list(range(n + 1)), [2] * (n + 1), during)) == []


def test_a_painful_session_after_the_run_breaks_it():
    n = PROGRESSION_RUN_SESSIONS
    during = [1] * (n + 1) + [PROGRESSION_PAIN_MAX + 1]
    assert advise(history(list(range(n + 2)), [2] * (n + 2), during)) == []


def test_too_short_a_run_is_not_enough():
    n = PROGRESSION_RUN_SESSIONS - 1
    assert advise(history(list(range(n + 1)), [2] * (n + 1), [1] * (n + 1))) == []


def test_a_rise_the_next_day_breaks_the_run():
    n = PROGRESSION_RUN_SESSIONS
    before = [2] * (n + 1)
    before[-1] = 3  # the day after the last session, pain is up
    assert advise(history(list(range(n + 1)), before, [1] * (n + 1))) == []


def test_the_next_day_must_be_known():
    n = PROGRESSION_RUN_SESSIONS
    # Without a session after the run, nobody knows whether the pain settled.
    assert advise(history(list(range(n)), [2] * n, [1] * n)) == []


def test_pain_above_the_limit_suggests_the_regression_and_the_chiropractor():
    records = history([0, 1], [2, 2], [2, PAIN_DURING_MAX + 1])
    (advice,) = advise(records)
    assert kinds([advice]) == [("regress", "pain_during_above_max", "bird-dog")]
    assert advice.step.id == "dead-bug"
    assert "Dead bug" in advice.message
    assert "chiropractor" in advice.message


def test_pain_at_the_limit_is_allowed():
    assert advise(history([0, 1], [2, 2], [2, PAIN_DURING_MAX])) == []


def test_without_a_regression_the_advice_is_to_ease_off():
    records = history([0], [2], [PAIN_DURING_MAX + 1], exercise="glute-bridge")
    (advice,) = advise(records)
    assert advice.kind == "regress"
    assert advice.step is None
    assert "Ease off" in advice.message


def test_a_weekly_rise_in_pain_during_an_exercise_regresses_it():
    # Week 1 mean 1, week 2 mean 1 + WEEKLY_RISE_POINTS (still within the per-session limit).
    high = 1 + WEEKLY_RISE_POINTS
    records = history([0, 2, 7, 9], [1, 1, 1, 1], [1, 1, high, high])
    assert kinds(advise(records)) == [("regress", "weekly_rise", "bird-dog")]


def test_a_weekly_rise_just_under_the_threshold_is_not_advice():
    rise = WEEKLY_RISE_POINTS - 1
    records = history([0, 7], [1, 1], [1, 1 + rise])
    assert advise(records) == []


def test_a_weekly_rise_in_pain_before_sessions_says_see_the_chiropractor():
    records = history([0, 7], [1, 1 + WEEKLY_RISE_POINTS], [1, 1])
    assert kinds(advise(records)) == [("see_chiropractor", "weekly_rise", None)]


def test_a_sharp_pain_stop_comes_first():
    records = history([0, 1], [2, 2], [1, 1], stopped_last="sharp_pain")
    advice = advise(records)
    assert advice[0].kind == "see_chiropractor"
    assert advice[0].rule == "sharp_pain_stop"


def test_advice_to_dict_is_json_ready():
    records = history([0, 1], [2, 2], [2, PAIN_DURING_MAX + 1])
    assert advise(records)[0].to_dict()["step"] == {
        "id": "dead-bug",
        "name": "Dead bug",
        "when": None,
        "advice": None,
    }


def test_a_session_stopped_for_severe_pain_sends_the_person_to_the_chiropractor():
    import dataclasses

    from backplan.home.logdb import LogRecords, SessionRecord

    session = SessionRecord(1, "2026-11-02T18:00:00+00:00", None, {}, 2, None, None, None)
    stopped = dataclasses.replace(session, stopped="pain_nrs_severe")
    (advice,) = [a for a in advise(LogRecords((stopped,))) if a.kind == "see_chiropractor"]
    assert advice.rule == "severe_pain_stop" and "7 or more" in advice.message


def test_days_typed_in_from_the_paper_log_count_with_the_days_pain():
    from backplan.home.logdb import ExerciseRecord, LogRecords, SessionRecord

    plan = {
        "status": "plan",
        "exercises": [
            {
                "id": "a",
                "name": "A",
                "dose": {"sets": 2, "reps": 10},
                "progression": {"id": "b", "name": "B"},
                "regression": None,
            }
        ],
    }
    sessions, logs = [], []
    for n in range(5):
        stamp = f"2026-11-{2 + 2 * n:02d}T12:00:00+00:00"
        sessions.append(SessionRecord(n + 1, stamp, stamp, plan, 1, None, None, None, "paper"))
        logs.append(
            ExerciseRecord(n + 1, n + 1, "a", "A", "modified", 2, 10, None, None, False, stamp)
        )
    (advice,) = advise(LogRecords(tuple(sessions), tuple(logs)))
    assert advice.kind == "progress" and advice.rule == "run_of_mild_sessions"
    flare = [
        *sessions[:-1],
        SessionRecord(5, sessions[-1].started_at, None, plan, 6, None, None, None, "paper"),
    ]
    (advice,) = [a for a in advise(LogRecords(tuple(flare), tuple(logs))) if a.exercise_id]
    assert advice.kind == "regress" and "6/10" in advice.message
