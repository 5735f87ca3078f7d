"""`backplan log add`: the printed log typed in, as `paper` sessions progress and --next read."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.home.logdb import open_log

runner = CliRunner()

PLAN = {
    "status": "plan",
    "date": "2026-12-01",
    "weeks": 2,
    "patient": {"name": "Ana", "age": 44},
    "warmup": [
        {"id": "cat-cow", "name": "Cat-Cow", "kind": "warmup", "dose": {"sets": 1, "reps": 8}}
    ],
    "exercises": [
        {"id": "wall-hip-hinge", "name": "Wall Hip Hinge", "dose": {"sets": 2, "reps": 10}},
        {"id": "wall-plank", "name": "Wall Plank", "dose": {"sets": 3, "hold_s": 20}},
    ],
}


def write_plan(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN), encoding="utf-8")
    return path


def test_days_go_in_as_paper_sessions_with_the_ticked_exercises(tmp_path):
    plan, db = write_plan(tmp_path), tmp_path / "log.sqlite3"
    result = runner.invoke(
        app,
        [
            "log",
            "add",
            "--plan",
            str(plan),
            "--db",
            str(db),
            "d1",
            "W",
            "1",
            "pain",
            "3",
            "2026-12-03",
            "2",
            "pain=2",
        ],
    )
    assert result.exit_code == 0, result.output
    with open_log(db, create=False) as log:
        records = log.records()
    assert [s.source for s in records.sessions] == ["paper", "paper"]
    assert [s.started_at[:10] for s in records.sessions] == ["2026-12-01", "2026-12-03"]
    assert [s.pain_before for s in records.sessions] == [3, 2]
    done = [(e.session_id, e.exercise_id, e.sets, e.pain_during) for e in records.exercises]
    first, second = (s.id for s in records.sessions)
    assert sorted(done) == sorted(
        [
            (first, "cat-cow", 1, None),
            (first, "wall-hip-hinge", 2, None),
            (second, "wall-plank", 3, None),
        ]
    )
    assert db.stat().st_mode & 0o777 == 0o600


def test_a_day_typed_in_again_replaces_the_first_entry(tmp_path):
    plan, db = write_plan(tmp_path), tmp_path / "log.sqlite3"
    for ticks in (["d2", "1", "2", "pain", "4"], ["d2", "1", "pain", "1"]):
        result = runner.invoke(app, ["log", "add", "--plan", str(plan), "--db", str(db), *ticks])
        assert result.exit_code == 0, result.output
    assert "replaced" in result.output
    with open_log(db, create=False) as log:
        records = log.records()
    assert len(records.sessions) == 1 and records.sessions[0].pain_before == 1
    assert [e.exercise_id for e in records.exercises] == ["wall-hip-hinge"]


def test_severe_pain_on_paper_is_logged_as_a_stop_and_said(tmp_path):
    plan, db = write_plan(tmp_path), tmp_path / "log.sqlite3"
    result = runner.invoke(
        app, ["log", "add", "--plan", str(plan), "--db", str(db), "d4", "pain", "8"]
    )
    assert result.exit_code == 0
    assert "see your chiropractor" in result.output
    with open_log(db, create=False) as log:
        assert log.records().sessions[0].stopped == "pain_nrs_severe"


def test_a_wrong_tick_is_exit_2_and_writes_nothing(tmp_path):
    plan, db = write_plan(tmp_path), tmp_path / "log.sqlite3"
    result = runner.invoke(
        app, ["log", "add", "--plan", str(plan), "--db", str(db), "d1", "1", "7"]
    )
    assert result.exit_code == 2
    assert "`7`" in result.output and "1 to 2" in result.output
    assert not db.exists()


def test_without_a_plan_or_a_log_it_says_what_to_give(tmp_path):
    result = runner.invoke(app, ["log", "add", "--db", str(tmp_path / "none.sqlite3"), "d1", "1"])
    assert result.exit_code == 2
    assert "--plan plan.json" in result.output
