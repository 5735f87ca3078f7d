"""Fuzz: every input format, mutated from a valid example, through the real commands.

Whatever the mutation (a flipped byte, a control character, an odd scalar, a deleted or
duplicated line, a huge value), the command must answer: no traceback, an exit code from the
documented set, an exit-2 message that names the file and, where the input has lines, a line;
and in answers and rosters a stop in the lines left intact is still reported (exit 4).

Bounded for the normal run (a few examples per format, derandomized); set BACKPLAN_LONG_TESTS=1
(or BACKPLAN_LONG_FUZZ=1) for a long, random run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from depth import LONG
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.resources import builtin_exercises_dir

FUZZ = settings(
    max_examples=int(os.environ.get("BACKPLAN_FUZZ_EXAMPLES", "400")) if LONG else 12,
    derandomize=not LONG,  # the normal run tries the same cases every time
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
EXIT_CODES = {0, 1, 2, 3, 4}
runner = CliRunner()

STOP_LINE = "red_flags: [saddle_anaesthesia]"

ANSWERS_YAML = f"""\
# A clinician's answers file with an emergency sign.
patient: {{name: Marta Ruiz, age: 38}}
new_onset: false
sharp_pain: false
pain: 2
{STOP_LINE}
leg_symptoms: none
conditions: []
equipment: [mat, resistance_band, sturdy_support]
level: beginner
clinician: Dr. Ana Ruiz, DC
lang: es
notes: [Walk 20 minutes a day as well.]
remove: [wall-plank]
dose:
  band-pull-through: {{sets: 3, reps: 8}}
exercise_notes:
  band-pull-through: [Keep the band low.]
"""

_JSON_FIELDS = {
    "patient": {"name": "Kim", "age": 30},
    "sharp_pain": False,
    "pain": 3,
    "red_flags": ["saddle_anaesthesia"],
    "equipment": ["towel"],
    "level": "beginner",
    "notes": ["Call us if it hurts."],
}
ANSWERS_JSON = (
    "{\n"
    + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in _JSON_FIELDS.items())
    + "\n}\n"
)

ROSTER_YAML = f"""\
- patient: {{name: Ana Pérez, age: 42}}
  sharp_pain: false
  pain: 3
  red_flags: []
  equipment: [stability_ball, towel]
- patient: {{name: Dan Wu, age: 50}}
  sharp_pain: false
  pain: 1
  {STOP_LINE}
- patient: {{name: Eve}}
  sharp_pain: false
  pain: 2
  red_flags: []
  protocol: home-starter
"""

CSV_HEADER = "name,age,sharp_pain,pain,red_flags,equipment,level,lang,protocol,notes"
CSV_STOP_ROW = "Dan Wu,50,false,1,saddle_anaesthesia,,beginner,,,"
ROSTER_CSV = f"""\
{CSV_HEADER}
Ana Pérez,42,false,3,,chair,beginner,es,,Call us if it hurts
{CSV_STOP_ROW}
Bob Smith,61,false,2,,stability_ball; towel,beginner,,home-starter,
"""

PLAN_ANSWERS = "patient: {name: Ana}\nsharp_pain: false\npain: 3\nred_flags: []\n"

CLINIC = """\
name: Our Clinic
address: 1 Main Street
phone: 555-0100
email: desk@example.com
hours:
  - days: Mon-Fri
    times: "8:00-18:00"
clinician: Dr. Jane Doe, DC
"""

PROTOCOL = """\
name: desk
title: Desk workers
description: Short and done at the desk.
warmup: [cat-cow]
exercises:
  - wall-hip-hinge
  - id: wall-plank
    dose: {sets: 2, hold_s: 15}
    note: Between meetings is fine.
weeks: 4
review_after_weeks: 4
notes: [Bring this sheet to your next visit.]
"""

CONTROL_CHARS = ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\u202e", "\x1b[31m", "\r", "\t", "\ufeff"]
ODD_SCALARS = [
    "2025-02-29",
    "2024-02-30",
    "!!int x",
    "!!bool maybe",
    "!!timestamp soon",
    "!!binary x",
    "~",
    "null",
    ".nan",
    "-.inf",
    "1e999",
    "0x1F",
    "0o17",
    "1_000",
    "yes",
    "Off",
    "12:30:00",
    "[",
    "{",
    "'",
    '"',
    "&a x",
    "*a",
    "!x y",
    "- a",
    "? a",
    "|",
    ">-",
    "%TAG",
    "@x",
    "`x`",
    "[[[[[[]]]]]]",
    "{a: {b: {c: {d: 1}}}}",
    "-1",
    "99999999999999999999999",
    "/etc/passwd",
    "../../x.yaml",
    "a" * 300,
]


@dataclass(frozen=True)
class Mutation:
    op: str
    line: int
    position: int
    payload: str


mutations = st.lists(
    st.builds(
        Mutation,
        op=st.sampled_from(["flip", "control", "scalar", "delete", "duplicate", "huge", "key"]),
        line=st.integers(0, 10_000),
        position=st.integers(0, 10_000),
        payload=st.one_of(st.sampled_from(ODD_SCALARS), st.sampled_from(CONTROL_CHARS)),
    ),
    min_size=1,
    max_size=4,
)


def mutate(text: str, changes: list[Mutation], protected: Callable[[str], bool]) -> bytes:
    """Apply the changes to the lines `protected` does not keep; bytes, as a file holds."""
    lines: list[bytes] = [line.encode("utf-8") for line in text.split("\n")]
    for change in changes:
        free = [i for i, line in enumerate(lines) if not protected(line.decode("utf-8", "replace"))]
        if not free:
            break
        i = free[change.line % len(free)]
        line = lines[i]
        at = change.position % (len(line) + 1)
        if change.op == "flip" and line:
            at = change.position % len(line)
            lines[i] = line[:at] + bytes([line[at] ^ (1 << (change.position % 8))]) + line[at + 1 :]
        elif change.op == "control":
            char = change.payload if change.payload in CONTROL_CHARS else "\x00"
            lines[i] = line[:at] + char.encode("utf-8") + line[at:]
        elif change.op in ("scalar", "huge"):
            value = change.payload if change.op == "scalar" else "x" * (200_000 + change.position)
            head, sep, _tail = line.partition(b": ")
            lines[i] = (head + sep if sep else line[:at]) + value.encode("utf-8")
        elif change.op == "delete":
            del lines[i]
        elif change.op == "duplicate":
            lines.insert(i, line)
        elif change.op == "key":
            # a key another line also has: a duplicated key, or an unknown one
            lines.insert(
                i, (change.payload if change.payload.isalpha() else "pain").encode() + b": 1"
            )
    return b"\n".join(lines)


def run(args: list[str], cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, args)
    finally:
        os.chdir(old)


def check(result, name: str, *, has_lines: bool = True) -> None:
    """The guarantees every command keeps, whatever the input."""
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in output
    assert result.exit_code in EXIT_CODES, (result.exit_code, output[-2000:])
    if result.exit_code == 2:
        assert name in output, output[-2000:]
        if has_lines and "whole" not in result.stderr:
            assert re.search(rf"{re.escape(name)}:\d+", " ".join(output.split())), output[-2000:]


def _yaml_stop_intact(data: bytes, name: str, *, roster: bool) -> bool:
    """Whether the product's own reader still finds the emergency sign in the mutated file."""
    from backplan.errors import BackplanError
    from backplan.files.yaml_source import parse_yaml

    try:
        parsed = parse_yaml(data.decode("utf-8"), name).data
    except (UnicodeDecodeError, BackplanError):
        return False
    records = parsed if roster and isinstance(parsed, list) else [parsed]
    return any(
        isinstance(r, dict) and r.get("red_flags") == ["saddle_anaesthesia"] for r in records
    )


def _is_stop_line(line: str) -> bool:
    return "saddle_anaesthesia" in line


@FUZZ
@given(changes=mutations, fmt=st.sampled_from([[], ["-f", "json"], ["-f", "md"], ["-f", "ics"]]))
def test_answers_yaml(changes, fmt):
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        data = mutate(ANSWERS_YAML, changes, _is_stop_line)
        (cwd / "a.yaml").write_bytes(data)
        result = run(["plan", "--answers", "a.yaml", *fmt], cwd)
        check(result, "a.yaml")
        if _yaml_stop_intact(data, "a.yaml", roster=False):
            assert result.exit_code == 4, result.output[-2000:]


@FUZZ
@given(changes=mutations)
def test_answers_json(changes):
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        data = mutate(ANSWERS_JSON, changes, _is_stop_line)
        (cwd / "a.json").write_bytes(data)
        result = run(["plan", "--answers", "a.json", "-f", "json"], cwd)
        check(result, "a.json")
        if _yaml_stop_intact(data, "a.json", roster=False):
            assert result.exit_code == 4, result.output[-2000:]


@FUZZ
@given(changes=mutations)
def test_roster_yaml(changes):
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        data = mutate(ROSTER_YAML, changes, _is_stop_line)
        (cwd / "r.yaml").write_bytes(data)
        result = run(["batch", "r.yaml", "-o", "out", "-f", "json", "-j", "1"], cwd)
        check(result, "r.yaml")
        if _yaml_stop_intact(data, "r.yaml", roster=True):
            assert result.exit_code == 4, result.output[-2000:]
            assert "EMERGENCY" in result.stdout


@FUZZ
@given(changes=mutations)
def test_roster_csv(changes):
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        data = mutate(ROSTER_CSV, changes, lambda line: line in (CSV_HEADER, CSV_STOP_ROW))
        (cwd / "r.csv").write_bytes(data)
        result = run(["batch", "r.csv", "-o", "out", "-f", "json", "-j", "1"], cwd)
        check(result, "r.csv")
        try:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        except (UnicodeDecodeError, csv.Error):
            rows = []
        if rows and ",".join(rows[0]) == CSV_HEADER and CSV_STOP_ROW.split(",") in rows:
            assert result.exit_code == 4, result.output[-2000:]


def _library(cwd: Path, exercise: bytes | None = None, protocol: bytes | None = None) -> None:
    lib = cwd / "lib"
    (lib / "protocols").mkdir(parents=True)
    if exercise is not None:
        (lib / "my-cat.yaml").write_bytes(exercise)
    if protocol is not None:
        (lib / "protocols" / "desk.yaml").write_bytes(protocol)


EXERCISE = (
    (builtin_exercises_dir() / "cat-cow.yaml")
    .read_text(encoding="utf-8")
    .replace("id: cat-cow", "id: my-cat", 1)
)


@FUZZ
@given(changes=mutations)
def test_exercise_file(changes):
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        _library(cwd, exercise=mutate(EXERCISE, changes, lambda line: False))
        check(run(["exercises", "validate", "lib"], cwd), "my-cat.yaml")
        (cwd / "a.yaml").write_text(PLAN_ANSWERS)
        check(
            run(["plan", "--answers", "a.yaml", "--library", "lib", "-f", "json"], cwd),
            "my-cat.yaml",
        )


@FUZZ
@given(changes=mutations)
def test_protocol_file(changes):
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        _library(cwd, protocol=mutate(PROTOCOL, changes, lambda line: False))
        check(run(["exercises", "validate", "lib"], cwd), "desk.yaml")
        (cwd / "a.yaml").write_text(PLAN_ANSWERS)
        args = ["plan", "--answers", "a.yaml", "--library", "lib", "--protocol", "desk", "-f", "md"]
        check(run(args, cwd), "desk.yaml")


@FUZZ
@given(changes=mutations, fmt=st.sampled_from(["md", "html", "ics"]))
def test_clinic_profile(changes, fmt):
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        (cwd / "clinic.yaml").write_bytes(mutate(CLINIC, changes, lambda line: False))
        (cwd / "a.yaml").write_text(PLAN_ANSWERS)
        check(run(["clinic", "show", "--path", "clinic.yaml"], cwd), "clinic.yaml")
        args = ["plan", "--answers", "a.yaml", "--clinic", "clinic.yaml", "-f", fmt]
        check(run(args, cwd), "clinic.yaml")


def test_the_mutations_change_the_files_they_are_given():
    change = [Mutation("control", 0, 3, "\x1b")]
    assert mutate("ab: c\nd: e", change, lambda line: False) == b"ab:\x1b c\nd: e"
    kept = mutate(
        "a: 1\nred_flags: [saddle_anaesthesia]", [Mutation("delete", 1, 0, "")], _is_stop_line
    )
    assert kept == b"red_flags: [saddle_anaesthesia]"  # the stop line is never touched
