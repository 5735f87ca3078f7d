"""`backplan session` end to end: under a pseudo-terminal (pexpect), piped, and killed."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import sys

import pexpect
import pytest
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.home.logdb import open_log

runner = CliRunner()

ANSWERS = """\
patient: {name: Ana Pérez, age: 42}
sharp_pain: false
pain: 3
red_flags: []
equipment: [towel]
level: beginner
"""


def short_plan(hold_s=0):
    """Two main exercises by reps, the second a timed hold when `hold_s` is given."""
    second = {"sets": 1, "hold_s": hold_s} if hold_s else {"sets": 1, "reps": 3}
    return {
        "status": "plan",
        "patient": {"name": "Ana", "age": 42},
        "lang": "en",
        "warmup": [],
        "exercises": [
            {
                "id": "wall-hip-hinge",
                "name": "Wall hip hinge",
                "kind": "modified",
                "steps": ["Stand with your back to a wall.", "Hinge at the hips."],
                "dose": {"sets": 2, "reps": 5, "rest_s": 30},
            },
            {
                "id": "wall-plank",
                "name": "Wall plank",
                "kind": "modified",
                "steps": ["Lean on the wall."],
                "dose": second,
            },
        ],
    }


@pytest.fixture
def files(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(short_plan()), encoding="utf-8")
    return {"answers": answers, "plan": plan, "db": tmp_path / "log.sqlite3", "dir": tmp_path}


def spawn(*args, time_scale="0"):
    env = dict(os.environ, BACKPLAN_TIME_SCALE=time_scale, TERM="xterm", COLUMNS="80")
    return pexpect.spawn(
        sys.executable,
        ["-m", "backplan", "session", *map(str, args)],
        env=env,
        encoding="utf-8",
        dimensions=(40, 80),
        timeout=30,
    )


def plain(text):
    """Terminal output as one line of words: no colours, no line breaks."""
    return " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).split())


# What the session asks, in any order the plan gives, and a normal answer to each.
PROMPTS = [
    r"numbers that apply, or 0 for none > ",
    r"sharp pain in your back right now\?",
    r"How bad is your back pain right now",
    r"Activity \d",
    r"How well can you do it",
    r"then press Enter\.",
    r"Pain during ",
    r"Any sharp pain\?",
    r"Pain now, after the session\?",
    r"note for your chiropractor",
    pexpect.EOF,
]
NORMAL = ["0", "no", "3", "", "5", "", "2", "no", "1", "steady today", None]


def drive(child, answer_for=None, stop_after=None):
    """Answer every prompt until the process ends; `answer_for(prompt_index, count)` may
    override an answer (return None to keep the normal one)."""
    counts = [0] * len(PROMPTS)
    while True:
        index = child.expect(PROMPTS)
        if PROMPTS[index] is pexpect.EOF:
            break
        counts[index] += 1
        answer = answer_for(index, counts[index]) if answer_for else None
        if answer is Ellipsis:
            return counts
        child.sendline(NORMAL[index] if answer is None else answer)
    child.close()
    return counts


SHARP = PROMPTS.index(r"Any sharp pain\?")


def test_a_full_session_from_answers_under_a_terminal(files):
    child = spawn("--answers", files["answers"], "--db", files["db"])
    counts = drive(child)
    assert child.exitstatus == 0
    assert "Well done" in plain(child.before)
    with open_log(files["db"], create=False) as db:
        records = db.records()
    (session,) = records.sessions
    plan = session.plan
    items = [i["id"] for i in plan["warmup"] + plan["exercises"]]
    assert [e.exercise_id for e in records.exercises] == items
    assert counts[SHARP] == len(items)
    assert (session.pain_before, session.pain_after, session.note) == (3, 1, "steady today")
    assert session.stopped is None
    assert [p.activity for p in records.psfs] == []  # the first activity prompt got Enter


def test_sharp_pain_mid_session_stops_with_exit_3(files):
    child = spawn("--plan", files["plan"], "--db", files["db"])
    drive(child, lambda index, count: "yes" if index == SHARP and count == 1 else None)
    assert child.exitstatus == 3
    assert "See your chiropractor before your next session" in plain(child.before)
    with open_log(files["db"], create=False) as db:
        records = db.records()
    assert records.sessions[0].stopped == "sharp_pain"
    assert [(e.exercise_id, e.sharp_pain) for e in records.exercises] == [("wall-hip-hinge", True)]


def test_ctrl_c_keeps_what_was_done(files):
    child = spawn("--plan", files["plan"], "--db", files["db"])
    pain = PROMPTS.index(r"Pain during ")
    # Interrupt at the second exercise's pain question: the first one is already saved.
    drive(child, lambda index, count: ... if index == pain and count == 2 else None)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    said = plain(child.before)
    assert "Session stopped with 1 of 2 exercises done; it is saved in" in said
    # progress counts the same session the same way: 1 of its 2 exercises
    report = runner.invoke(app, ["progress", "--db", str(files["db"]), "--format", "json"])
    (row,) = json.loads(report.stdout)["sessions"]
    assert (row["exercises"], row["planned"]) == (1, 2)
    with open_log(files["db"], create=False) as db:
        records = db.records()
    assert records.sessions[0].stopped == "interrupted"
    assert [e.exercise_id for e in records.exercises] == ["wall-hip-hinge"]


def test_sigkill_mid_exercise_leaves_the_log_intact(files):
    plan = files["dir"] / "hold.json"
    data = short_plan(hold_s=600)
    data["exercises"][0]["dose"]["rest_s"] = 0  # in real time: no rest to wait through
    plan.write_text(json.dumps(data), encoding="utf-8")
    child = spawn("--plan", plan, "--db", files["db"], time_scale="1")
    hold = "Set 1 of 1 · hold"
    # Real time: the second exercise's 600 s hold is running when the process is killed.
    counts = [0] * len(PROMPTS)
    while True:
        index = child.expect([*PROMPTS[:-1], hold])
        if index == len(PROMPTS) - 1:
            break
        counts[index] += 1
        child.sendline(NORMAL[index])
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    conn = sqlite3.connect(files["db"])
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with open_log(files["db"], create=False) as db:
        records = db.records()
    (session,) = records.sessions
    assert session.ended_at is None  # never reached its end
    assert session.pain_before == 3
    assert [e.exercise_id for e in records.exercises] == ["wall-hip-hinge"]


def test_piped_answers_work_without_a_terminal(files):
    lines = ["0", "no", "0", "2", "", *["", "", "1", "no"], *["", "1", "no"], "1", ""]
    result = runner.invoke(
        app,
        ["session", "--plan", str(files["plan"]), "--db", str(files["db"])],
        input="\n".join(lines) + "\n",
        env={"BACKPLAN_TIME_SCALE": "0"},
    )
    assert result.exit_code == 0, result.output
    assert "Well done: 2 of 2 exercises done and saved." in result.output
    assert "✓ Set 2 of 2 done" in result.output


def test_input_ending_early_is_exit_2_and_keeps_the_session(files):
    result = runner.invoke(
        app,
        ["session", "--plan", str(files["plan"]), "--db", str(files["db"])],
        input="0\nno\n0\n2\n",
        env={"BACKPLAN_TIME_SCALE": "0"},
    )
    assert result.exit_code == 2
    assert "input ended before the session was complete" in result.output
    with open_log(files["db"], create=False) as db:
        assert db.records().sessions[0].stopped == "input_ended"


def test_an_emergency_sign_at_the_check_stops_like_plan(files):
    result = runner.invoke(
        app,
        ["session", "--plan", str(files["plan"]), "--db", str(files["db"])],
        input="2\nno\n0\n3\n",
        env={"BACKPLAN_TIME_SCALE": "0"},
    )
    assert result.exit_code == 4
    assert "urine" in result.output
    assert "Wall hip hinge" not in result.output


def test_answers_that_stop_the_plan_stop_the_session(files):
    stop = files["dir"] / "stop.yaml"
    stop.write_text(ANSWERS.replace("sharp_pain: false", "sharp_pain: true"), encoding="utf-8")
    result = runner.invoke(app, ["session", "--answers", str(stop), "--db", str(files["db"])])
    assert result.exit_code == 3
    assert "sharp pain" in result.output
    assert not files["db"].exists()  # nothing to log: no session was started


def test_without_a_plan_the_last_one_is_repeated(files):
    first = runner.invoke(
        app,
        ["session", "--plan", str(files["plan"]), "--db", str(files["db"])],
        input="0\nno\n0\n2\n\n",  # ends at the first exercise
        env={"BACKPLAN_TIME_SCALE": "0"},
    )
    assert first.exit_code == 2
    again = runner.invoke(
        app,
        ["session", "--db", str(files["db"])],
        input="0\nno\n0\n2\n\n",
        env={"BACKPLAN_TIME_SCALE": "0"},
    )
    assert again.exit_code == 2
    assert "Wall hip hinge" in again.output


def test_no_plan_anywhere_is_a_usage_error(files):
    result = runner.invoke(app, ["session", "--db", str(files["db"])])
    assert result.exit_code == 2
    assert "no plan to follow yet" in result.output
    assert not files["db"].exists()


def test_answers_and_plan_together_are_refused(files):
    result = runner.invoke(
        app, ["session", "--answers", str(files["answers"]), "--plan", str(files["plan"])]
    )
    assert result.exit_code == 2
    assert "not both" in result.output


def test_a_typo_never_hides_a_stop_in_the_answers(files):
    stop = files["dir"] / "stop.yaml"
    text = ANSWERS.replace("sharp_pain: false", "sharp_pain: true") + "colour: blue\n"
    stop.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["session", "--answers", str(stop), "--db", str(files["db"])])
    assert result.exit_code == 3, result.output
    assert "sharp pain" in result.output and "colour" in result.output
    assert not files["db"].exists()


def test_ctrl_c_before_any_exercise_says_so_plainly(files):
    child = spawn("--plan", files["plan"], "--db", files["db"])
    pain = PROMPTS.index(r"Pain during ")
    drive(child, lambda index, count: ... if index == pain and count == 1 else None)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Session stopped with 0 of 2 exercises done" in plain(child.before)
    with open_log(files["db"], create=False) as db:
        assert not db.records().exercises


def test_answers_on_stdin_need_a_terminal_for_the_questions(files, monkeypatch):
    import backplan.cli.session as cli_session

    def no_terminal():
        from backplan.errors import BackplanError

        raise BackplanError("no terminal here")

    monkeypatch.setattr(cli_session, "_terminal_input", no_terminal)
    result = runner.invoke(
        app, ["session", "--answers", "-", "--db", str(files["db"])], input=ANSWERS
    )
    assert result.exit_code == 2
    assert "no terminal here" in result.stderr
    assert not files["db"].exists()


def test_plan_on_stdin_with_the_questions_from_the_terminal(files, monkeypatch):
    import io

    import backplan.cli.session as cli_session

    lines = ["0", "no", "0", "2", "", *["", "", "1", "no"], *["", "1", "no"], "1", ""]
    terminal = io.StringIO("\n".join(lines) + "\n")
    monkeypatch.setattr(cli_session, "_terminal_input", lambda: terminal)
    result = runner.invoke(
        app,
        ["session", "--plan", "-", "--db", str(files["db"])],
        input=json.dumps(short_plan()),
        env={"BACKPLAN_TIME_SCALE": "0"},
    )
    assert result.exit_code == 0, result.output
    assert "Well done: 2 of 2 exercises done and saved." in result.output


def test_a_piped_session_transcript_has_no_trailing_spaces(files):
    lines = ["0", "no", "0", "2", "", *["", "", "1", "no"], *["", "1", "no"], "1", ""]
    result = runner.invoke(
        app,
        ["session", "--plan", str(files["plan"]), "--db", str(files["db"])],
        input="\n".join(lines) + "\n",
        env={"BACKPLAN_TIME_SCALE": "0"},
    )
    assert result.exit_code == 0, result.output
    padded = [line for line in result.output.splitlines() if line != line.rstrip()]
    assert padded == []
    assert "  numbers that apply, or 0 for none > 0" in result.output  # the answer echoed


def test_no_plan_anywhere_says_the_commands_progress_gives(files):
    result = runner.invoke(app, ["session", "--db", str(files["db"])])
    assert result.exit_code == 2
    words = " ".join(result.stderr.split())
    assert "backplan plan --answers ana.yaml -o plan.json" in words
    assert "backplan session --plan plan.json" in words
