"""History, weekly adherence, pain trend and PSFS from log records."""

from __future__ import annotations

import datetime as dt
import json

from backplan.home.logdb import ExerciseRecord, LogRecords, PsfsRecord, SessionRecord
from backplan.home.progress import (
    DEFAULT_DAYS_PER_WEEK,
    PSFS_EVERY_DAYS,
    build_report,
    current_plan,
    days_per_week,
    history,
    pain_trend,
    psfs_activities,
    psfs_due,
    psfs_series,
    weekly,
)

START = dt.date(2026, 1, 5)


def plan(days=3):
    dose = {"sets": 2, "reps": 8, "hold_s": 0, "rest_s": 30, "days_per_week": days}
    return {
        "status": "plan",
        "warmup": [{"id": "cat-cow", "name": "Cat-cow", "dose": dose}],
        "exercises": [
            {"id": "bird-dog", "name": "Bird dog", "dose": dose},
            {"id": "glute-bridge", "name": "Glute bridge", "dose": dose},
        ],
    }


def session(sid, day, before=3, after=2, *, minutes=20, stopped=None, the_plan=None):
    start = dt.datetime.combine(START + dt.timedelta(days=day), dt.time(18, 30))
    end = None if minutes is None else start + dt.timedelta(minutes=minutes)
    return SessionRecord(
        sid,
        start.isoformat() + "+01:00",
        None if end is None else end.isoformat() + "+01:00",
        the_plan or plan(),
        before,
        after,
        stopped,
        None,
    )


def done(lid, sid, exercise="bird-dog", pain=2, kind="modified"):
    return ExerciseRecord(lid, sid, exercise, exercise, kind, 2, 8, None, pain, False, "")


def test_history_rows_count_main_exercises_and_the_worst_pain():
    records = LogRecords(
        (session(1, 0), session(2, 2, minutes=None)),
        (
            done(1, 1, "cat-cow", pain=1, kind="warmup"),
            done(2, 1, "bird-dog", pain=4),
            done(3, 1, "glute-bridge", pain=2),
            done(4, 2, "bird-dog", pain=1),
        ),
    )
    first, second = history(records)
    assert (first.day, first.time, first.minutes) == (START, "18:30", 20)
    assert (first.exercises, first.planned, first.max_pain_during) == (2, 2, 4)
    assert second.minutes is None  # killed: never ended
    assert second.exercises == 1
    assert build_report(records).stopped == 1


def test_weeks_run_through_today_and_empty_weeks_count_as_zero():
    records = LogRecords(
        (session(1, 0), session(2, 2), session(3, 4), session(4, 15)),
        tuple(done(i, i) for i in (1, 2, 3, 4)),
    )
    weeks = weekly(records, today=START + dt.timedelta(days=22))
    assert [w.week for w in weeks] == [1, 2, 3, 4]
    assert [w.done for w in weeks] == [3, 0, 1, 0]
    assert [w.adherence for w in weeks] == [1.0, 0.0, 1 / 3, 0.0]
    assert weeks[1].start == START + dt.timedelta(days=7)
    assert weeks[1].pain_before is None


def test_sessions_without_an_exercise_are_not_adherence():
    records = LogRecords(
        (session(1, 0), session(2, 1, stopped="sharp_pain")), (done(1, 1, pain=3),)
    )
    (week,) = weekly(records)
    assert (week.sessions, week.done) == (2, 1)


def test_extra_sessions_do_not_push_adherence_over_100_percent():
    records = LogRecords(
        tuple(session(i, i - 1) for i in range(1, 6)), tuple(done(i, i) for i in range(1, 6))
    )
    (week,) = weekly(records)
    assert week.adherence == 1.0
    assert build_report(records).adherence == 1.0


def test_planned_sessions_follow_the_plan_in_force():
    records = LogRecords((session(1, 0), session(2, 8, the_plan=plan(days=5))), ())
    assert [w.planned for w in weekly(records)] == [3, 5]
    assert days_per_week({"exercises": [{"id": "x"}]}) == DEFAULT_DAYS_PER_WEEK


def test_pain_trend_skips_sessions_without_pain():
    records = LogRecords((session(1, 0, before=None, after=None), session(2, 1, before=4)), ())
    assert [(p.day, p.pain_before, p.pain_after) for p in pain_trend(records)] == [
        (START + dt.timedelta(days=1), 4, 2)
    ]


def test_psfs_series_by_activity_in_the_order_first_named():
    psfs = (
        PsfsRecord(1, "2026-01-05", "Lifting my child", 3),
        PsfsRecord(2, "2026-01-05", "Sitting an hour", 5),
        PsfsRecord(3, "2026-01-19", "Lifting my child", 6),
        PsfsRecord(4, "2026-01-19", "Sitting an hour", 5),
    )
    lifting, sitting = psfs_series(psfs)
    assert lifting.activity == "Lifting my child"
    assert lifting.points == ((dt.date(2026, 1, 5), 3), (dt.date(2026, 1, 19), 6))
    assert lifting.change == 3
    assert sitting.change == 0
    assert psfs_activities(psfs) == ["Lifting my child", "Sitting an hour"]


def test_psfs_is_due_first_and_then_every_two_weeks():
    first = dt.date(2026, 1, 5)
    assert psfs_due((), first)
    asked = (PsfsRecord(1, first.isoformat(), "Walking", 4),)
    assert not psfs_due(asked, first + dt.timedelta(days=PSFS_EVERY_DAYS - 1))
    assert psfs_due(asked, first + dt.timedelta(days=PSFS_EVERY_DAYS))


def test_report_to_dict_is_json_with_counts_and_advice():
    records = LogRecords(
        (session(1, 0), session(2, 1, stopped="sharp_pain")),
        (done(1, 1), done(2, 2, pain=6)),
        (PsfsRecord(1, "2026-01-05", "Walking", 4),),
    )
    data = json.loads(json.dumps(build_report(records, today=START).to_dict()))
    assert data["counts"] == {"sessions": 2, "finished": 1, "stopped": 1, "exercises_done": 2}
    assert data["sessions"][0]["day"] == "2026-01-05"
    assert data["weeks"][0]["adherence"] == round(2 / 3, 3)
    assert data["psfs"] == [{"activity": "Walking", "scores": [{"date": "2026-01-05", "score": 4}]}]
    assert [a["rule"] for a in data["advice"]] == ["sharp_pain_stop", "pain_during_above_max"]


def test_current_plan_is_the_latest_with_exercises():
    newer = plan(days=5)
    records = LogRecords((session(1, 0), session(2, 1, the_plan=newer)), ())
    assert current_plan(records) == newer
    assert current_plan(LogRecords()) is None


def test_a_session_with_only_the_warm_up_is_not_adherence():
    """Issue 18: the session says "0 of 3 exercises" after a warm-up; progress agrees."""
    records = LogRecords(
        (session(1, 0, stopped="interrupted"), session(2, 1)),
        (done(1, 1, exercise="cat-cow", kind="warmup"), done(2, 2)),
    )
    (week,) = weekly(records)
    assert (week.sessions, week.done) == (2, 1)
    first, second = history(records)
    assert (first.exercises, second.exercises) == (0, 1)
