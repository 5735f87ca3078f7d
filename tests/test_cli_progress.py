"""`backplan progress` on a generated 12-week history: terminal, JSON and the one-page PDF."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil

import pypdf
import pytest
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.home.logdb import open_log
from backplan.i18n import words as words_of

runner = CliRunner()
WEEKS = 12

PLAN = {
    "status": "plan",
    "patient": {"name": "Ana Pérez", "age": 42},
    "lang": "en",
    "warmup": [
        {
            "id": "cat-cow",
            "name": "Cat-Cow",
            "kind": "warmup",
            "dose": {"sets": 1, "reps": 10, "hold_s": 0, "rest_s": 0, "days_per_week": 3},
            "progression": None,
            "regression": None,
        }
    ],
    "exercises": [
        {
            "id": "wall-hip-hinge",
            "name": "Wall Hip Hinge",
            "kind": "modified",
            "dose": {"sets": 2, "reps": 10, "hold_s": 0, "rest_s": 45, "days_per_week": 3},
            "progression": {
                "id": "band-pull-through",
                "name": "Band Pull-Through",
                "when": "When you can do 2 sets of 10 without pain.",
            },
            "regression": None,
        },
        {
            "id": "kneeling-plank",
            "name": "Kneeling Plank",
            "kind": "modified",
            "dose": {"sets": 3, "reps": None, "hold_s": 20, "rest_s": 45, "days_per_week": 3},
            "progression": None,
            "regression": {"id": "wall-plank", "name": "Wall Plank", "when": None},
        },
    ],
}


def make_history(path, *, today, rise_at_the_end=False):
    """Three sessions a week for 12 weeks ending today (one missed in week 6), pain easing
    from 6 to 1; PSFS every two weeks. `rise_at_the_end`: the last week's pain jumps."""
    first = today - dt.timedelta(days=WEEKS * 7 - 1)
    with open_log(path) as db:
        for offset in range(WEEKS * 7):
            week = offset // 7 + 1
            if offset % 7 not in (0, 2, 4) or (week == 6 and offset % 7 == 4):
                continue
            day = first + dt.timedelta(days=offset)
            start = dt.datetime.combine(day, dt.time(18, 30), dt.UTC)
            before = 6 - (5 * offset) // (WEEKS * 7)
            if rise_at_the_end and week == WEEKS:
                before += 4
            sid = db.start_session(start.isoformat(), PLAN)
            db.set_pain_before(sid, before)
            if offset % 14 == 0:
                db.add_psfs(day.isoformat(), "Putting on socks", 3 + offset // 14, sid)
            for minute, item in enumerate(PLAN["warmup"] + PLAN["exercises"], start=1):
                db.log_exercise(
                    sid,
                    exercise_id=item["id"],
                    name=item["name"],
                    kind=item["kind"],
                    sets=item["dose"]["sets"],
                    reps=item["dose"]["reps"],
                    hold_s=item["dose"]["hold_s"] or None,
                    pain_during=max(before - 2, 0),
                    sharp_pain=False,
                    done_at=(start + dt.timedelta(minutes=5 * minute)).isoformat(),
                )
            end = (start + dt.timedelta(minutes=22)).isoformat()
            db.end_session(sid, end, pain_after=max(before - 1, 0))
    return first


@pytest.fixture(scope="session")
def _saved_history(tmp_path_factory):
    """The 12-week log, written once: its ~300 synced commits take most of a second."""
    path = tmp_path_factory.mktemp("history") / "log.sqlite3"
    first = make_history(path, today=dt.date.today())
    assert not path.with_name(path.name + "-wal").exists()  # checkpointed: one file holds it
    return path, first


@pytest.fixture
def history(_saved_history, tmp_path):
    """A copy of the 12-week log of its own, for a test to read or change; its first day."""
    saved, first = _saved_history
    path = tmp_path / saved.name
    shutil.copy2(saved, path)
    return path, first


def test_terminal_shows_history_chart_weeks_psfs_and_advice(history):
    path, first = history
    result = runner.invoke(app, ["progress", "--db", str(path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Progress: Ana Pérez" in out
    words = " ".join(out.split())
    assert "35 sessions, 35 finished, 0 stopped early, 70 exercises done." in words
    assert "Adherence 97% over 12 weeks." in words
    # The chart: the y axis 0-10, the week axis through W12, and both series plotted.
    assert "10 ┤" in out and " 0 ┤" in out
    assert "W12" in out
    assert "●" in out and "○" in out
    week_6 = words_of("en").short_date(first + dt.timedelta(days=35))  # "Oct 19"
    assert re.search(rf"^\s+6\s+{week_6}\s+2/3\s", out, re.MULTILINE)
    assert "... and 25 earlier sessions" in out
    assert "Putting on socks" in out
    # Pain during stayed at 3 or less and settled: the hinge's progression is suggested.
    assert "Next step: Band Pull-Through." in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_json_has_every_session_and_week(history):
    path, first = history
    result = runner.invoke(app, ["progress", "--db", str(path), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["patient"] == "Ana Pérez"
    assert data["counts"] == {"sessions": 35, "finished": 35, "stopped": 0, "exercises_done": 70}
    assert len(data["sessions"]) == 35
    assert [w["week"] for w in data["weeks"]] == list(range(1, 13))
    assert data["weeks"][5]["done"] == 2
    assert data["weeks"][0]["start"] == first.isoformat()
    (socks,) = data["psfs"]
    assert [s["score"] for s in socks["scores"]] == [3, 4, 5, 6, 7, 8]
    assert [a["rule"] for a in data["advice"]] == ["run_of_mild_sessions"]


def test_a_rise_in_the_last_week_says_see_the_chiropractor(tmp_path):
    path = tmp_path / "log.sqlite3"
    make_history(path, today=dt.date.today(), rise_at_the_end=True)
    result = runner.invoke(app, ["progress", "--db", str(path), "--format", "json"])
    rules = [(a["kind"], a["rule"]) for a in json.loads(result.output)["advice"]]
    assert ("see_chiropractor", "weekly_rise") in rules
    assert ("regress", "weekly_rise") in rules


@pytest.mark.pdf
def test_pdf_report_is_one_page_with_chart_weeks_and_psfs(history, tmp_path):
    path, _ = history
    out = tmp_path / "report.pdf"
    result = runner.invoke(app, ["progress", "--db", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "written to" in result.output
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Progress report: Ana Pérez" in text
    assert "35 sessions" in text
    assert "Each week" in text
    assert "Putting on socks" in text
    assert "W12" in text  # the chart's axis, drawn as SVG text
    assert "/StructTreeRoot" in str(reader.trailer["/Root"].keys())


def test_html_report_escapes_what_people_typed(tmp_path):
    path = tmp_path / "log.sqlite3"
    with open_log(path) as db:
        sid = db.start_session("2026-03-02T18:00:00+00:00", PLAN)
        db.add_psfs("2026-03-02", "<script>alert(1)</script>", 3, sid)
    result = runner.invoke(app, ["progress", "--db", str(path), "--format", "html"])
    assert result.exit_code == 0
    assert "<script>alert" not in result.output
    assert "&lt;script&gt;" in result.output


def test_no_log_yet_is_not_an_error_and_creates_nothing(tmp_path):
    result = runner.invoke(app, ["progress"])
    assert result.exit_code == 0
    assert "No sessions logged yet" in result.output
    data = json.loads(runner.invoke(app, ["progress", "--format", "json"]).output)
    assert data["counts"]["sessions"] == 0


def test_a_missing_db_named_with_db_is_an_error(tmp_path):
    result = runner.invoke(app, ["progress", "--db", str(tmp_path / "nope.sqlite3")])
    assert result.exit_code == 2
    assert "no such session log" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "report.txt"], "cannot tell the format"),
        (["--format", "pdf"], "add -o FILE"),
        (["--format", "csv"], "unknown format"),
        (["--paper", "a5"], "use one of letter, a4"),
    ],
)
def test_bad_options_are_usage_errors(history, args, message):
    path, _ = history
    result = runner.invoke(app, ["progress", "--db", str(path), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_a_hand_edited_log_is_reported_row_by_row_and_drawn_over_its_real_range(history):
    import sqlite3

    path, _first = history
    raw = sqlite3.connect(path)
    raw.executemany(
        "INSERT INTO sessions (started_at, ended_at, plan) VALUES (?, ?, ?)",
        [
            ("0001-01-01T00:00:00+00:00", None, json.dumps(PLAN)),  # would be 105,000 weeks
            ("2001-01-01T10:00:00+00:00", None, json.dumps(PLAN)),  # real, but long ago
            ("not a time", None, json.dumps(PLAN)),
            (dt.date.today().isoformat() + "T08:00:00", None, "null"),
            # mixed time zones: no offset at the start, one at the end
            (
                dt.date.today().isoformat() + "T07:00:00",
                dt.date.today().isoformat() + "T07:30:00+02:00",
                json.dumps(PLAN),
            ),
        ],
    )
    raw.commit()
    raw.close()
    result = runner.invoke(app, ["progress", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "session 36: started_at '0001-01-01T00:00:00+00:00' is before 2000; skipped"
        in result.stderr
    )
    assert "session 38: started_at 'not a time' is not a date and time; skipped" in result.stderr
    assert "session 39: plan is 'null', not a plan; skipped" in result.stderr
    assert len(result.stdout.splitlines()) < 100
    assert "earlier weeks (all of them: --format json)" in result.stdout
    as_json = runner.invoke(app, ["progress", "--db", str(path), "--format", "json"])
    assert as_json.exit_code == 0
    sessions = json.loads(as_json.stdout)["sessions"]
    assert len(sessions) == 12 * 3 - 1 + 2  # with 2001's and the mixed-zone one


def test_piped_report_has_no_trailing_spaces(history):
    """Issue 18: Rich pads every line to the width; a pipe or a file must not get the padding."""
    path, _first = history
    result = runner.invoke(app, ["progress", "--db", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 30
    assert [line for line in lines if line != line.rstrip()] == []


def test_a_pdf_report_without_pango_says_what_doctor_says(no_pango, history, tmp_path):
    path, _first = history
    result = runner.invoke(app, ["progress", "--db", str(path), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "weasyprint: install Pango" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_an_empty_log_says_exactly_what_to_run():
    result = runner.invoke(app, ["progress"])
    words = " ".join(result.stdout.split())
    assert "backplan plan --answers ana.yaml -o plan.json" in words
    assert "backplan session --plan plan.json" in words


def test_the_report_carries_the_clinic_the_exercises_and_the_patients_notes(tmp_path, monkeypatch):
    """Issue 18: the report for the chiropractor is more than a chart."""
    from backplan.home.logdb import open_log

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    profile = tmp_path / "config" / "backplan" / "clinic.yaml"
    profile.parent.mkdir(parents=True)
    profile.write_text("name: Bayside Chiropractic\nphone: 305-555-0142\n", encoding="utf-8")
    plan = {
        "status": "plan",
        "patient": {"name": "Ana"},
        "exercises": [
            {"id": "wall-plank", "name": "Wall Plank", "dose": {"sets": 3, "hold_s": 20}}
        ],
    }
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        sid = log.start_session("2026-11-02T18:00:00+00:00", plan)
        log.set_pain_before(sid, 2)
        log.end_session(sid, "2026-11-02T18:20:00+00:00", pain_after=1, note="Stairs felt easier")
    result = runner.invoke(app, ["progress", "--db", str(db), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    page = " ".join((tmp_path / "r.html").read_text(encoding="utf-8").split())
    assert "Bayside Chiropractic" in page and "305-555-0142" in page
    assert "Wall Plank" in page and "3 sets" in page
    assert "Stairs felt easier" in page


def test_the_report_goes_to_standard_output_with_dash(tmp_path):
    from backplan.home.logdb import open_log

    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        sid = log.start_session("2026-11-02T18:00:00+00:00", {"status": "plan", "exercises": []})
        log.end_session(sid, "2026-11-02T18:20:00+00:00", pain_after=1)
    result = runner.invoke(app, ["progress", "--db", str(db), "-o", "-", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["sessions"] == 1
    assert not (tmp_path / "-").exists()
    unsaid = runner.invoke(app, ["progress", "--db", str(db), "-o", "-"])
    assert unsaid.exit_code == 2 and "--format" in unsaid.output
