"""Hostile or careless input gets a clear error with file and line, never a crash or a hang."""

from __future__ import annotations

import dataclasses
import os

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app

runner = CliRunner()

ANSWERS = "patient: {name: Ana}\nsharp_pain: false\npain: 3\nred_flags: []\n"


def _plan(tmp_path, monkeypatch, extra: str, *args: str):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(ANSWERS + extra)
    return runner.invoke(app, ["plan", "--answers", "a.yaml", *args])


@pytest.mark.parametrize(
    "value",
    ["/etc/passwd", "../exercises/protocols/home-starter.yaml", '"a\\0b"', "x" * 300, "fifo"],
)
def test_a_protocol_is_a_name_never_a_path(tmp_path, monkeypatch, value):
    os.mkfifo(tmp_path / "fifo")  # reading it would wait forever
    result = _plan(tmp_path, monkeypatch, f"protocol: {value}\n")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "a.yaml:5:11: " in result.stderr
    assert "home-starter" in result.stderr  # the known names
    assert "root:" not in result.output  # nothing of the file is quoted


def test_protocol_option_takes_names_only(tmp_path, monkeypatch):
    result = _plan(tmp_path, monkeypatch, "", "--protocol", "/etc/passwd")
    assert result.exit_code == 2
    assert "--protocol: `/etc/passwd` is not a protocol name" in result.stderr
    assert "root:" not in result.output


def test_a_roster_rows_protocol_path_fails_that_row_at_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(
        "- {patient: {name: Ana}, sharp_pain: false, pain: 2, red_flags: []}\n"
        "- {patient: {name: Bo}, sharp_pain: false, pain: 2, red_flags: [], protocol: /etc/passwd}\n"
    )
    result = runner.invoke(app, ["batch", "r.yaml", "-o", "out", "-f", "json"])
    assert result.exit_code == 1, result.output
    assert "r.yaml:2:" in result.stdout.replace("\n", "")
    assert "root:" not in result.output


LONG = "y" * 300


@pytest.mark.parametrize("key", ["logo", "templates"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"a\\0b.png"', "control character"),
        (f"{LONG}.png", "longer than 255 bytes"),
        (f"dir/{LONG}/x.png", "longer than 255 bytes"),
    ],
)
def test_unusable_clinic_paths_are_errors_at_their_line(tmp_path, monkeypatch, key, value, message):
    (tmp_path / "clinic.yaml").write_text(f"name: Our Clinic\n{key}: {value}\n")
    result = _plan(tmp_path, monkeypatch, "", "--clinic", "clinic.yaml", "-f", "html")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"clinic.yaml:2:{len(key) + 3}: `{key}`: " in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    ("image", "message"),
    [("a\x00b.png", "control character"), (f"{LONG}.png", "longer than 255 bytes")],
)
def test_unusable_image_paths_are_errors_at_their_line(tmp_path, monkeypatch, image, message):
    import json

    from backplan.resources import builtin_exercises_dir

    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib").mkdir()
    text = (builtin_exercises_dir() / "cat-cow.yaml").read_text()
    text = text.replace("id: cat-cow", "id: my-cat", 1).replace(
        "kind: warmup", f"kind: warmup\nimage: {json.dumps(image)}", 1
    )
    (tmp_path / "lib" / "my-cat.yaml").write_text(text)
    result = runner.invoke(app, ["exercises", "validate", "lib"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "my-cat.yaml:4:8: `image`: " in result.output.replace("\n", "")
    assert message in result.output


@pytest.mark.parametrize("date", ["9999-12-31", "9999-12-20", "0001-01-01"])
@pytest.mark.parametrize("extra", [[], ["--protocol", "home-starter"]])
@pytest.mark.parametrize("fmt", ["ics", "md"])
def test_a_date_at_the_calendars_limits_is_a_clear_error(tmp_path, monkeypatch, date, extra, fmt):
    result = _plan(tmp_path, monkeypatch, "", "--date", date, "-f", fmt, *extra)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"--date {date}: give a date between 2000-01-01 and 2999-12-31" in result.stderr


def test_the_calendar_refuses_a_plan_too_late_to_fit_before_year_9999():
    import datetime as dt

    from backplan.errors import BackplanError
    from backplan.planning.outcome import Patient, Stop
    from backplan.render.ics import render_ics

    late = Stop(
        patient=Patient("Ana", None), date=dt.date(9999, 12, 31), urgency="emergency", reasons=()
    )
    with pytest.raises(BackplanError, match="too late for a calendar"):
        render_ics(late)


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        ('patient: {name: "A\x01na"}\nsharp_pain: false\n', "a.yaml:1:19:", "U+0001"),
        ("sharp_pain: false\nnotes: [x\x1b[31m]\n", "a.yaml:2:10:", "U+001B"),
        # (in `red_flags` the same character is an unreadable sign: the stop wins, exit 4)
        ("sharp_pain: false\npain: 3\nnotes: [\x7f]\n", "a.yaml:3:9:", "U+007F"),
    ],
)
def test_a_control_character_in_yaml_is_reported_at_line_and_column(
    tmp_path, monkeypatch, text, where, code
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(text)
    result = runner.invoke(app, ["plan", "--answers", "a.yaml"])
    assert result.exit_code == 2, result.output
    assert f"{where} the file contains a control character ({code})" in result.stderr
    assert "position" not in result.stderr


def test_a_file_over_the_size_limit_names_the_file_as_a_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("notes:\n  - " + "x" * (1024 * 1024) + "\n")
    result = runner.invoke(app, ["plan", "--answers", "a.yaml"])
    assert result.exit_code == 2
    assert "a.yaml: the whole answers file is larger than 1 MiB" in result.stderr


CONTROLS = ("\x1b", "\x07", "\x00", "\x9b", "\u202e")
HOSTILE_NAME = "A\\e[31mna\\a\\u009b\\u202e"  # YAML escapes: ESC, BEL, C1 CSI, bidi override


def _no_controls(text: str) -> None:
    assert not any(c in text for c in CONTROLS), repr(text)


def test_control_characters_never_reach_the_terminal_from_a_plan(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    note = '"n\\e]0;title\\ao\\0te"'  # YAML escapes: ESC, BEL, NUL
    (tmp_path / "a.yaml").write_text(
        ANSWERS.replace("{name: Ana}", f'{{name: "{HOSTILE_NAME}"}}') + f"notes: [{note}]\n"
    )
    result = runner.invoke(app, ["plan", "--answers", "a.yaml"])
    assert result.exit_code == 0, result.output
    _no_controls(result.output)
    assert "A[31mna" in result.stdout  # the rest of the sequence is shown, harmless
    assert "n]0;titleote" in result.stdout


def test_control_characters_never_reach_markdown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(
        ANSWERS.replace("{name: Ana}", f'{{name: "{HOSTILE_NAME}"}}') + 'notes: ["n\\e[2Jo\\0te"]\n'
    )
    result = runner.invoke(app, ["plan", "--answers", "a.yaml", "-f", "md", "-o", "p.md"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "p.md").read_text()
    _no_controls(text)
    assert "no\\[2Jte" not in text and "n\\[2Jote" in text


def test_control_characters_never_reach_the_terminal_from_a_batch_or_an_error(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(
        f'- {{patient: {{name: "{HOSTILE_NAME}"}}, sharp_pain: false, pain: 2, red_flags: []}}\n'
        f'- {{patient: {{name: "B\\eo"}}, sharp_pain: false, pain: 2, red_flags: [], level: champion}}\n'
        f'- {{patient: {{name: "C\\ey"}}, sharp_pain: false, pain: 2, red_flags: [saddle_anaesthesia]}}\n'
    )
    result = runner.invoke(app, ["batch", "r.yaml", "-o", "out", "-f", "md"])
    assert result.exit_code == 4, result.output  # C's emergency outranks B's failed row
    _no_controls(result.output)
    assert "Bo" in result.stdout and "Cy" in result.stdout  # made rows are not listed
    (tmp_path / "e.yaml").write_text(ANSWERS + 'add: ["bird\\e[2J-dog"]\n')
    error = runner.invoke(app, ["plan", "--answers", "e.yaml"])
    assert error.exit_code == 2, error.output
    _no_controls(error.output)
    assert "[2J-dog" in error.stderr  # shown escaped or stripped, never run


def test_control_characters_in_the_log_never_reach_the_terminal(tmp_path):
    from backplan.home.logdb import open_log

    db = tmp_path / "log.sqlite3"
    plan = {
        "status": "plan",
        "patient": {"name": "A\x1b[31mna\x07"},
        "exercises": [{"id": "bird-dog", "dose": {"sets": 1, "reps": 5}}],
    }
    with open_log(db) as log:
        sid = log.start_session("2026-11-02T10:00:00+00:00", plan)
        log.end_session(sid, "2026-11-02T10:20:00+00:00", note="tired\x1b]0;x\x07 today")
        log.add_psfs("2026-11-02", "walk\x1b[2J", 4, sid)
    result = runner.invoke(app, ["progress", "--db", str(db)])
    assert result.exit_code == 0, result.output
    _no_controls(result.output)
    assert "A[31mna" in result.stdout and "walk[2J" in result.stdout


def test_the_safe_console_keeps_rich_colours(tmp_path):
    import io

    from rich.text import Text

    from backplan.cli.console import SafeConsole

    out = io.StringIO()
    console = SafeConsole(file=out, force_terminal=True, color_system="standard")
    console.print(Text("A\x1b[31mna", style="red"))
    assert "\x1b[31m" in out.getvalue()  # Rich's own colour code for the style
    assert out.getvalue().count("\x1b") == 2  # the colour and its reset, never the name's


def test_handouts_notices_and_reports_are_created_private(tmp_path, monkeypatch):
    import stat

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(ANSWERS)
    (tmp_path / "stop.yaml").write_text(ANSWERS.replace("red_flags: []", STOP))
    old = os.umask(0o022)  # the usual umask would make a new file 0644
    try:
        made = runner.invoke(app, ["plan", "--answers", "a.yaml", "-o", "plan.md"])
        stop = runner.invoke(app, ["plan", "--answers", "stop.yaml", "-o", "stop.html"])
    finally:
        os.umask(old)
    assert made.exit_code == 0 and stop.exit_code == 4, made.output + stop.output
    for name in ("plan.md", "stop.html"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


STOP = "red_flags: [saddle_anaesthesia]"


def test_a_csv_column_both_a_value_and_a_parent_stops_the_batch_at_line_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.csv").write_text(
        "name,sharp_pain,pain,red_flags,dose.wall-plank,dose.wall-plank.sets\nAl,false,2,,3,4\n"
    )
    result = runner.invoke(app, ["batch", "r.csv", "-o", "out", "-f", "json"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "r.csv:1: column 5 `dose.wall-plank` is a single value" in result.stderr


def test_a_control_character_after_accented_text_is_located_by_character(tmp_path, monkeypatch):
    # libyaml reports a byte offset: `é` is two bytes, the column is still the character's
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text('patient: {name: "Pérez\u202e"}\nnotes: [ééé\x00]\n')
    result = runner.invoke(app, ["plan", "--answers", "a.yaml"])
    assert result.exit_code == 2, result.output
    assert "a.yaml:2:12: the file contains a control character (U+0000)" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", [["plan", "--answers"], ["batch"]])
def test_a_named_pipe_given_as_a_file_is_refused_without_waiting(tmp_path, command):
    pipe = tmp_path / "answers.yaml"
    os.mkfifo(pipe)
    extra = ["-o", str(tmp_path / "out")] if command == ["batch"] else []
    result = runner.invoke(app, [*command, str(pipe), *extra])  # would block if it were opened
    assert result.exit_code == 2
    assert "is not a regular file" in result.output


def test_no_nul_or_escape_from_a_name_reaches_the_html_page(tmp_path):
    from plan_fixtures import plan as sample

    from backplan.planning.outcome import Patient
    from backplan.render import RenderOptions, render_bytes

    named = dataclasses.replace(sample(), patient=Patient("A\x00na\x1b[31m", 44))
    page = render_bytes(named, "html", RenderOptions()).decode("utf-8")
    assert "\x00" not in page and "\x1b" not in page
    assert "Ana[31m" in page
