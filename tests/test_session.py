"""The guided session's logic, driven by scripted answers and a fixed clock."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from backplan.errors import BackplanError
from backplan.home.logdb import open_log
from backplan.home.session import (
    REP_RELAX_S,
    dose_line,
    guide,
    load_plan_file,
    plan_from_data,
    run_session,
)
from backplan.i18n import words
from backplan.planning.outcome import Plan, PlanItem

TZ = dt.timezone(dt.timedelta(hours=-5))


def item_of(**fields) -> PlanItem:
    """One exercise as a plan file gives it, read the way the session reads plans."""
    return Plan.from_dict({"status": "plan", "exercises": [fields]}).exercises[0]


def plan_data(*, per_side=False):
    return {
        "status": "plan",
        "patient": {"name": "Ana", "age": 42},
        "lang": "en",
        "warmup": [
            {
                "id": "cat-cow",
                "name": "Cat-cow",
                "kind": "warmup",
                "steps": ["Kneel.", "Round your back."],
                "dose": {"sets": 1, "reps": 8, "hold_s": 0, "rest_s": 0},
            }
        ],
        "exercises": [
            {
                "id": "bird-dog",
                "name": "Bird dog",
                "kind": "modified",
                "steps": ["Reach.", "Hold."],
                "cues": ["Keep your back flat."],
                "dose": {"sets": 2, "reps": 2, "hold_s": 5, "rest_s": 30, "per_side": per_side},
                "why": "ignored by the session",
            },
            {
                "id": "wall-plank",
                "name": "Wall plank",
                "kind": "modified",
                "steps": ["Lean on the wall."],
                "dose": {"sets": 1, "hold_s": 20, "rest_s": 0},
            },
        ],
    }


class Interrupt:
    """Put in the script: answering this question raises Ctrl-C."""


class ScriptedIO:
    def __init__(self, answers):
        self.answers = list(answers)
        self.shown: list[tuple[str, str]] = []
        self.timers: list[tuple[str, int]] = []
        self.asked: list[str] = []
        self.stops = []

    def _next(self, prompt):
        self.asked.append(prompt)
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        if answer is Interrupt:
            raise KeyboardInterrupt
        return answer

    def show(self, text, style=""):
        self.shown.append((text, style))

    def show_list(self, lines, *, numbered=True, style=""):
        self.shown += [(line, style or "list") for line in lines]

    def ask_number(self, prompt, low, high):
        value = self._next(prompt)
        assert low <= value <= high
        return value

    def ask_yes_no(self, prompt):
        return self._next(prompt)

    def ask_text(self, prompt):
        return self._next(prompt)

    def ask_checklist(self, prompt, options):
        assert len(options) == 8  # clinical-screening.md §2 and §3 have 8 signs each
        return self._next(prompt)

    def countdown(self, label, seconds):
        self.timers.append((label, seconds))

    def wait(self, prompt):
        self.asked.append(prompt)

    def show_stop(self, stop):
        self.stops.append(stop)

    def text(self):
        return "\n".join(t for t, _ in self.shown)


class Clock:
    def __init__(self):
        self.t = dt.datetime(2026, 3, 2, 18, 0, tzinfo=TZ)

    def __call__(self):
        self.t += dt.timedelta(minutes=1)
        return self.t


SAFE = [[], False, [], 3]  # no emergency sign, no sharp pain, no see-a-clinician sign, pain 3
PSFS_FIRST = ["Putting on socks", "", 4]  # one activity named, then rated
EXERCISE_OK = [2, False]  # pain during, sharp pain?


@pytest.fixture
def db(tmp_path):
    with open_log(tmp_path / "log.sqlite3") as log:
        yield log


def run(db, answers, data=None):
    data = data or plan_data()
    io = ScriptedIO(answers)
    result = run_session(plan_from_data(data), data, db, io, now=Clock())
    return result, io


def test_a_full_session_logs_everything_in_order(db):
    answers = [*SAFE, *PSFS_FIRST, *EXERCISE_OK * 3, 1, "felt good"]
    result, io = run(db, answers)
    # the warm-up is done and logged, but the count is the main exercises, as progress says
    assert (result.status, result.exit_code, result.exercises_done) == ("finished", 0, 2)
    assert result.done_text() == "2 of 2 exercises"
    assert io.answers == []
    records = db.records()
    (session,) = records.sessions
    assert (session.pain_before, session.pain_after, session.note) == (3, 1, "felt good")
    assert session.stopped is None
    assert session.started_at == "2026-03-02T18:01:00-05:00"
    assert session.plan["exercises"][0]["why"] == "ignored by the session"  # stored whole
    assert [e.exercise_id for e in records.exercises] == ["cat-cow", "bird-dog", "wall-plank"]
    bird = records.exercises[1]
    assert (bird.sets, bird.reps, bird.hold_s, bird.pain_during) == (2, 2, 5, 2)
    assert [(p.activity, p.score) for p in records.psfs] == [("Putting on socks", 4)]
    assert "Well done: 2 of 2 exercises done and saved." in io.text()


def test_every_hold_and_rest_is_timed(db):
    _, io = run(db, [*SAFE, *PSFS_FIRST, *EXERCISE_OK * 3, 1, ""])
    bird = [t for t in io.timers if t[1] in (5, 30, REP_RELAX_S)]
    assert bird == [
        ("Set 1 of 2 · hold 1 of 2", 5),
        ("Relax", REP_RELAX_S),
        ("Set 1 of 2 · hold 2 of 2", 5),
        ("Rest", 30),
        ("Set 2 of 2 · hold 1 of 2", 5),
        ("Relax", REP_RELAX_S),
        ("Set 2 of 2 · hold 2 of 2", 5),
    ]
    assert ("Set 1 of 1 · hold", 20) in io.timers  # a hold without reps: one hold a set
    assert "Set 1 of 1: do 8 reps, then press Enter." in io.asked  # reps at their own pace


def test_per_side_sets_time_each_side_and_the_switch():
    io = ScriptedIO([])
    item = item_of(id="x", name="X", dose={"sets": 1, "reps": 1, "hold_s": 10, "per_side": True})
    assert guide(io, item, words("en")) == 1
    assert io.timers == [
        ("Set 1 of 1 (left side) · hold", 10),
        ("Switch sides", REP_RELAX_S),
        ("Set 1 of 1 (right side) · hold", 10),
    ]
    assert "✓ Set 1 of 1 done" in io.text()


def test_sharp_pain_after_an_exercise_stops_and_logs_it(db):
    answers = [*SAFE, *PSFS_FIRST, *EXERCISE_OK, 4, True]
    result, io = run(db, answers)
    assert (result.status, result.exit_code, result.reason) == ("stopped", 3, "sharp_pain")
    records = db.records()
    assert records.sessions[0].stopped == "sharp_pain"
    assert records.sessions[0].ended_at is not None
    assert [(e.exercise_id, e.sharp_pain) for e in records.exercises] == [
        ("cat-cow", False),
        ("bird-dog", True),
    ]
    assert "See your chiropractor" in io.text()
    assert not any("Pain now, after" in q for q in io.asked)


def test_an_emergency_sign_stops_before_any_exercise(db):
    result, io = run(db, [[0], False, [], 2])  # saddle anaesthesia
    assert (result.status, result.exit_code) == ("stopped", 4)
    (stop,) = io.stops
    assert stop.urgency == "emergency"
    assert stop.reasons[0].id == "saddle_anaesthesia"
    records = db.records()
    assert records.sessions[0].stopped == "emergency"
    assert records.exercises == ()


def test_sharp_pain_at_the_check_and_severe_pain_stop_like_plan(db):
    result, io = run(db, [[], True, [], 7])
    assert result.exit_code == 3
    assert [r.id for r in io.stops[0].reasons] == ["sharp_pain", "pain_nrs_severe"]
    assert db.records().sessions[0].pain_before == 7


def test_ctrl_c_keeps_the_exercises_done(db):
    answers = [*SAFE, *PSFS_FIRST, *EXERCISE_OK, Interrupt]
    result, _ = run(db, answers)
    # only the warm-up was done: no exercise of the plan's two, as progress will say
    assert (result.status, result.exit_code, result.exercises_done) == ("interrupted", 130, 0)
    assert result.done_text() == "0 of 2 exercises"
    records = db.records()
    assert records.sessions[0].stopped == "interrupted"
    assert [e.exercise_id for e in records.exercises] == ["cat-cow"]


def test_psfs_is_rerated_not_renamed_two_weeks_later(db, tmp_path):
    run(db, [*SAFE, *PSFS_FIRST, *EXERCISE_OK * 3, 1, ""])
    # The next day: not due, so no PSFS question at all.
    data = plan_data()
    io = ScriptedIO([*SAFE, *EXERCISE_OK * 3, 1, ""])
    later = Clock()
    later.t += dt.timedelta(days=1)
    run_session(plan_from_data(data), data, db, io, now=later)
    assert io.answers == []
    # Two weeks on: the same activity is rated again, nothing new is asked.
    io = ScriptedIO([*SAFE, 7, *EXERCISE_OK * 3, 1, ""])
    later.t += dt.timedelta(days=14)
    run_session(plan_from_data(data), data, db, io, now=later)
    assert io.answers == []
    assert [(p.activity, p.score) for p in db.records().psfs] == [
        ("Putting on socks", 4),
        ("Putting on socks", 7),
    ]


def test_input_that_ends_early_keeps_what_was_done(db):
    with pytest.raises(EOFError):
        run(db, [*SAFE, *PSFS_FIRST, *EXERCISE_OK])
    records = db.records()
    assert records.sessions[0].stopped == "input_ended"
    assert len(records.exercises) == 1


def test_plan_file_problems_have_file_and_line(tmp_path):
    path = tmp_path / "plan.json"
    data = plan_data()
    data["exercises"][0]["dose"]["sets"] = 0
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(BackplanError) as info:
        load_plan_file(path)
    (problem,) = info.value.problems
    assert problem.line is not None and problem.line > 1
    assert "sets" in problem.message


def test_a_stop_notice_is_not_a_plan(tmp_path):
    path = tmp_path / "stop.json"
    path.write_text(json.dumps({"status": "stop", "urgency": "emergency", "reasons": []}))
    with pytest.raises(BackplanError) as info:
        load_plan_file(path)
    assert info.value.exit_code == 4
    assert "stop notice" in str(info.value)


def test_a_plan_without_exercises_is_refused():
    with pytest.raises(BackplanError, match="no exercises"):
        plan_from_data({"status": "plan", "warmup": [], "exercises": []})


def test_a_walk_in_minutes_is_done_away_from_the_screen_then_confirmed():
    io = ScriptedIO([])
    item = item_of(id="walk", name="Walk", dose={"sets": 1, "minutes": 15})
    assert guide(io, item, words("en")) == 1
    assert io.timers == []  # no 15-minute countdown in a terminal
    assert "Set 1 of 1: 15 minutes, then press Enter." in io.asked
    assert dose_line(item.dose, words("en")) == "15 minutes"


def test_a_spanish_session_says_each_set_is_done_in_spanish(db):
    # "Serie" is feminine: "Serie 1 de 2 hecha", never "hecho"
    data = plan_data()
    io = ScriptedIO([*SAFE, *PSFS_FIRST, *EXERCISE_OK * 3, 1, ""])
    run_session(plan_from_data(data), data, db, io, now=Clock(), lang="es")
    done = [text for text, _ in io.shown if text.startswith("✓ ")]
    assert "✓ Serie 1 de 2 hecha" in done
    assert not [text for text in done if text.endswith(" hecho")]
