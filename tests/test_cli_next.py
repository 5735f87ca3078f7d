"""`backplan plan --next`: the next plan from the plan being followed and its log."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.home.logdb import open_log, records_to_data

runner = CliRunner()
DATA = Path(__file__).parent / "data" / "answers"
START = dt.date(2026, 11, 2)


def make_plan(tmp_path: Path, answers: dict) -> tuple[Path, dict]:
    source = tmp_path / "answers.yaml"
    source.write_text(json.dumps(answers), encoding="utf-8")
    out = tmp_path / "plan.json"
    result = runner.invoke(
        app, ["plan", "--answers", str(source), "-o", str(out), "--date", START.isoformat()]
    )
    assert result.exit_code == 0, result.output
    return out, json.loads(out.read_text(encoding="utf-8"))


ANSWERS = {
    "patient": {"name": "Ana", "age": 44},
    "sharp_pain": False,
    "pain": 2,
    "red_flags": [],
    "equipment": ["stability_ball", "glider", "sturdy_support", "mat", "towel", "chair"],
    "level": "beginner",
}


def log_days(db: Path, plan: dict, pains_during: list[int | None], stopped: str | None = None):
    """Guided sessions every other day, each exercise at the given pain, pain before 1."""
    with open_log(db) as log:
        for n, pain in enumerate(pains_during):
            day = START + dt.timedelta(days=2 * n)
            stamp = f"{day.isoformat()}T18:00:00+00:00"
            sid = log.start_session(stamp, plan)
            log.set_pain_before(sid, 1)
            for item in plan["exercises"]:
                log.log_exercise(
                    sid,
                    exercise_id=item["id"],
                    name=item["name"],
                    kind="modified",
                    sets=2,
                    reps=10,
                    hold_s=None,
                    pain_during=pain,
                    sharp_pain=False,
                    done_at=stamp,
                )
            last = n == len(pains_during) - 1
            log.end_session(sid, stamp, pain_after=1, stopped=stopped if last else None)


def next_plan(tmp_path, plan_file, *args: str, input: str | None = None):
    return runner.invoke(
        app,
        ["plan", "--next", "--plan", str(plan_file), "--date", "2026-11-20", "-f", "json", *args],
        input=input,
    )


def test_a_mild_log_moves_on_and_every_change_says_why(tmp_path):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [1, 1, 1, 1, 1])
    result = next_plan(tmp_path, plan_file, "--db", str(db), "--accept", "all")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    moved = [c for c in data["changes"] if c["action"] == "progress"]
    assert moved, data["changes"]
    for change in moved:
        assert change["to_id"] in [e["id"] for e in data["exercises"]]
        assert change["exercise_id"] not in [e["id"] for e in data["exercises"]]
        assert "3 sessions in a row" in change["why"] and len(change["sessions"]) == 3


def test_a_painful_log_steps_back(tmp_path):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [2, 2, 3, 6])
    data = json.loads(next_plan(tmp_path, plan_file, "--db", str(db), "--accept", "all").stdout)
    assert {c["action"] for c in data["changes"]} == {"regress"}
    assert all("6/10" in c["why"] for c in data["changes"])


def test_refused_changes_keep_the_plan_as_it_was(tmp_path):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [1, 1, 1, 1, 1])
    data = json.loads(next_plan(tmp_path, plan_file, "--db", str(db), "--accept", "none").stdout)
    assert [e["id"] for e in data["exercises"]] == [e["id"] for e in plan["exercises"]]


def test_the_clinician_is_asked_about_each_change(tmp_path):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [1, 1, 1, 1, 1])
    proposed = json.loads(
        next_plan(tmp_path, plan_file, "--db", str(db), "--accept", "all").stdout
    )["changes"]
    asked = [c for c in proposed if c["to_id"]]
    replies = "maybe\n" + "\n".join(["yes"] + ["no"] * (len(asked) - 1)) + "\n"
    result = next_plan(tmp_path, plan_file, "--db", str(db), input=replies)
    assert result.exit_code == 0, result.output
    assert "Please answer yes or no." in result.stderr
    ids = [e["id"] for e in json.loads(result.stdout)["exercises"]]
    assert asked[0]["to_id"] in ids
    assert all(c["exercise_id"] in ids for c in asked[1:])
    ended = next_plan(tmp_path, plan_file, "--db", str(db), input="")
    assert ended.exit_code == 2 and "--accept" in ended.output


@pytest.mark.parametrize(("stopped", "code"), [("sharp_pain", 3), ("emergency", 4)])
def test_a_stop_in_the_log_stops_the_next_plan(tmp_path, stopped, code):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [1, 1, 1, 1, 1], stopped=stopped)
    result = next_plan(tmp_path, plan_file, "--db", str(db), "--accept", "all")
    assert result.exit_code == code
    data = json.loads(result.stdout)
    assert data["status"] == "stop" and "exercises" not in data


def test_new_answers_are_screened_first(tmp_path):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [1, 1, 1, 1, 1])
    new = tmp_path / "new.yaml"
    new.write_text(json.dumps({**ANSWERS, "red_flags": ["Saddle anesthesia"]}), encoding="utf-8")
    result = next_plan(
        tmp_path, plan_file, "--db", str(db), "--answers", str(new), "--accept", "all"
    )
    assert result.exit_code == 4


def test_new_conditions_keep_unsuitable_steps_out(tmp_path):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [1, 1, 1, 1, 1])
    new = tmp_path / "new.yaml"
    new.write_text(json.dumps({**ANSWERS, "conditions": ["knee_pain", "floor_transfers_hard"]}))
    result = next_plan(
        tmp_path, plan_file, "--db", str(db), "--answers", str(new), "--accept", "all"
    )
    assert result.exit_code == 0, result.output
    from backplan.library.catalogue import load_library

    library = load_library()
    for item in json.loads(result.stdout)["exercises"]:
        exercise = library.exercises[item["id"]]
        assert "knee_pain" not in exercise.avoid_if
        assert exercise.position != "floor"


def test_the_patients_progress_json_is_enough_for_the_clinic(tmp_path):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [1, 1, 1, 1, 1])
    exported = runner.invoke(app, ["progress", "--db", str(db), "--format", "json"])
    assert exported.exit_code == 0
    progress = tmp_path / "progress.json"
    progress.write_text(exported.stdout, encoding="utf-8")
    from_db = next_plan(tmp_path, plan_file, "--db", str(db), "--accept", "all").stdout
    from_file = next_plan(tmp_path, plan_file, "--progress", str(progress), "--accept", "all")
    assert from_file.exit_code == 0, from_file.output
    assert json.loads(from_file.stdout)["changes"] == json.loads(from_db)["changes"]
    with open_log(db, create=False) as log:
        assert json.loads(exported.stdout)["log"] == json.loads(
            json.dumps(records_to_data(log.records()))
        )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["plan", "--plan", "x.json"], "--plan goes with --next"),
        (["plan", "--accept", "all"], "--accept goes with --next"),
        (["plan", "--next"], "--next needs --plan FILE"),
    ],
)
def test_next_options_are_checked(args, words):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert words in result.output


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_every_format_has_the_changes_box(tmp_path, fmt):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [2, 2, 3, 6])
    result = runner.invoke(
        app,
        [
            "plan",
            "--next",
            "--plan",
            str(plan_file),
            "--db",
            str(db),
            "--accept",
            "all",
            "--date",
            "2026-11-20",
            "-f",
            fmt,
        ],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "changes since your last plan" in text.lower()
    assert "Stepped back to" in text and "6/10" in text


def test_a_spanish_next_plan_names_the_exercises_of_an_english_plan_in_spanish(tmp_path):
    plan_file, plan = make_plan(tmp_path, ANSWERS)
    db = tmp_path / "log.sqlite3"
    log_days(db, plan, [1, 1, 1, 1, 1])
    result = next_plan(tmp_path, plan_file, "--db", str(db), "--accept", "all", "--lang", "es")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    english = {item["id"]: item["name"] for item in plan["exercises"]}
    for change in changes:
        assert english[change["exercise_id"]] not in change["why"], change["why"]
        assert change["name"] != english[change["exercise_id"]]
