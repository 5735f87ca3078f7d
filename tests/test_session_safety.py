"""Issue 12 in sessions: severe pain stops, pain above 5 eases off, every sign asked again,
a clearance in the plan holds, and no answer at a prompt gives a traceback (issue 13.5)."""

from __future__ import annotations

import datetime as dt
import json
import os

import pexpect
import pytest
from test_cli_session import NORMAL, PROMPTS, plain, short_plan, spawn
from test_session import PSFS_FIRST, SAFE, Clock, Interrupt, ScriptedIO, plan_data
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.home.logdb import open_log
from backplan.home.session import plan_from_data, run_session

runner = CliRunner()
PAIN_DURING = PROMPTS.index(r"Pain during ")
PAIN_AFTER = PROMPTS.index(r"Pain now, after the session\?")


def plan_with_regression():
    data = short_plan()
    data["exercises"][0]["regression"] = {"id": "wall-squat-small", "name": "Small wall squat"}
    return data


@pytest.fixture
def files(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(plan_with_regression()), encoding="utf-8")
    return {"plan": plan, "db": tmp_path / "log.sqlite3", "dir": tmp_path}


def drive(child, answer_for):
    """Answer every prompt; the counts of each, and the whole transcript as plain words."""
    counts = [0] * len(PROMPTS)
    seen = []
    while True:
        index = child.expect(PROMPTS)
        seen.append(child.before + (child.after if isinstance(child.after, str) else ""))
        if PROMPTS[index] is pexpect.EOF:
            break
        counts[index] += 1
        answer = answer_for(index, counts[index])
        child.sendline(NORMAL[index] if answer is None else answer)
    child.close()
    return counts, plain("".join(seen))


def test_pain_7_during_an_exercise_stops_with_exit_3_under_a_terminal(files):
    child = spawn("--plan", files["plan"], "--db", files["db"])
    counts, text = drive(child, lambda i, n: "7" if i == PAIN_DURING and n == 1 else None)
    assert child.exitstatus == 3, text
    assert "contact your chiropractor" in text and "7 or more out of 10" in text
    assert "Well done" not in text
    assert counts[PAIN_DURING] == 1  # nothing after the stop: no second exercise
    with open_log(files["db"], create=False) as db:
        (session,) = db.records().sessions
    assert session.stopped == "pain_nrs_severe"


def test_pain_10_after_the_session_stops_with_exit_3_not_well_done(files):
    child = spawn("--plan", files["plan"], "--db", files["db"])
    _counts, text = drive(child, lambda i, n: "10/10" if i == PAIN_AFTER else None)
    assert child.exitstatus == 3, text
    assert "Well done" not in text and "7 or more out of 10" in text
    with open_log(files["db"], create=False) as db:
        (session,) = db.records().sessions
    assert (session.stopped, session.pain_after) == ("pain_nrs_severe", 10)


def test_pain_6_says_ease_off_at_once_and_names_the_easier_exercise(files):
    child = spawn("--plan", files["plan"], "--db", files["db"])
    _counts, text = drive(child, lambda i, n: "6" if i == PAIN_DURING and n == 1 else None)
    assert child.exitstatus == 0, text
    assert "ease off now" in text and "Small wall squat" in text
    # said at once: before the next question (sharp pain) is asked
    after_pain = text[text.index("Pain during") :]
    assert after_pain.index("ease off now") < after_pain.index("Any sharp pain?")


def test_an_undecodable_byte_at_a_session_prompt_asks_again(files):
    child = spawn("--plan", files["plan"], "--db", files["db"])
    child._decoder.errors = "replace"  # the terminal echoes the bad bytes back to us too
    sharp = PROMPTS.index(r"sharp pain in your back right now\?")
    sent = []

    def answer(index, count):
        if index == sharp and not sent:
            sent.append(True)
            os.write(child.child_fd, b"\xff\xfe\n")
            child.expect("could not be read")
            return "no"
        return None

    _counts, text = drive(child, answer)
    assert child.exitstatus == 0, text
    assert "Traceback" not in text


def test_scripted_severe_pain_skips_the_rest_and_logs_the_stop(tmp_path):
    data = plan_data()
    with open_log(tmp_path / "log.sqlite3") as db:
        io = ScriptedIO([*SAFE, *PSFS_FIRST, 8])  # the warm-up hurts 8/10
        result = run_session(plan_from_data(data), data, db, io, now=Clock())
        assert (result.status, result.exit_code, result.reason) == ("stopped", 3, "pain_nrs_severe")
        assert [r.id for r in io.stops[0].reasons] == ["pain_nrs_severe"]
        assert io.answers == []
        # the next session says the last one ended in a stop, before the safety check
        io = ScriptedIO([*SAFE, Interrupt])
        run_session(plan_from_data(data), data, db, io, now=Clock())
        assert io.text().index("Your last session ended in a stop") < io.text().index(
            "Safety check"
        )


def test_the_opening_check_asks_the_see_a_clinician_signs(tmp_path):
    data = plan_data()
    with open_log(tmp_path / "log.sqlite3") as db:
        io = ScriptedIO([[], False, [7], 2])  # not improving after a month
        result = run_session(plan_from_data(data), data, db, io, now=Clock())
    assert result.exit_code == 3
    assert [r.id for r in io.stops[0].reasons] == ["not_improving_after_1_month"]


def cleared_plan(on: str, reasons=("not_improving_after_1_month",)):
    data = plan_data()
    data["cleared"] = {"by": "Dr. Ana Ruiz, DC", "on": on, "reasons": [{"id": r} for r in reasons]}
    return data


@pytest.mark.parametrize(
    ("on", "signs", "code"),
    [
        ("2026-02-20", [7], None),  # cleared, and the clearance holds: the session goes on
        ("2026-02-20", [0], 3),  # history_of_cancer was not cleared: it stops
        ("2025-10-01", [7], 3),  # more than 12 weeks ago: it stops
        ("2026-04-01", [7], 3),  # dated after today: it stops
    ],
)
def test_a_clearance_in_the_plan_holds_only_for_its_reasons_and_its_weeks(
    tmp_path, on, signs, code
):
    data = cleared_plan(on)
    with open_log(tmp_path / "log.sqlite3") as db:
        io = ScriptedIO([[], False, signs, 2, *PSFS_FIRST, Interrupt])
        clock = Clock()  # 2026-03-02
        result = run_session(plan_from_data(data), data, db, io, now=clock)
    if code is None:
        assert not io.stops and result.status == "interrupted"  # it went on to the exercises
    else:
        assert result.exit_code == code and io.stops


def test_an_emergency_sign_is_never_cleared_in_a_session(tmp_path):
    data = cleared_plan("2026-02-20", reasons=("saddle_anaesthesia", "sharp_pain"))
    with open_log(tmp_path / "log.sqlite3") as db:
        io = ScriptedIO([[0], True, [], 2])
        result = run_session(plan_from_data(data), data, db, io, now=Clock())
    assert result.exit_code == 4
    assert {r.id for r in io.stops[0].reasons} == {"saddle_anaesthesia", "sharp_pain"}


def test_piped_session_answers_in_spanish_words_and_fractions(files):
    # `ninguno`, `sí`/`no` and `3/10` are read as the interview and files read them
    lines = ["ninguno", "NO", "0", "3/10", "", *["", "", "2.5", "no"], *["", "1", "n"], "1", ""]
    result = runner.invoke(
        app,
        ["session", "--plan", str(files["plan"]), "--db", str(files["db"])],
        input="\n".join(lines) + "\n",
        env={"BACKPLAN_TIME_SCALE": "0"},
    )
    assert result.exit_code == 0, result.output
    with open_log(files["db"], create=False) as db:
        records = db.records()
    assert records.sessions[0].pain_before == 3
    assert records.exercises[0].pain_during == 3  # 2.5 rounds up


def test_the_clock_fixture_day_is_the_one_the_clearance_cases_assume():
    assert Clock()().date() == dt.date(2026, 3, 2)
