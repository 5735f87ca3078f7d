"""`backplan protocols list|show` through Typer's CliRunner: output, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.planning.protocols import find_protocols, load_protocol

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    from backplan.cli.console import out_console

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "200")
    out_console.cache_clear()
    yield
    out_console.cache_clear()


def invoke(*args: str):
    result = runner.invoke(app, ["protocols", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _clinic(tmp_path: Path) -> Path:
    folder = tmp_path / "clinic" / "protocols"
    folder.mkdir(parents=True)
    (folder / "home-starter.yaml").write_text(
        "name: home-starter\ntitle: Our own starter\nexercises: [wall-plank, wall-hip-hinge]\n"
    )
    (folder / "ours.yaml").write_text(
        "name: ours\ntitle: Ours\nexercises:\n  - id: wall-plank\n    dose: {sets: 1}\n"
        "    note: Slowly.\nwarmup: [wall-pelvic-tilt]\nnotes: [See you soon.]\n"
    )
    return tmp_path / "clinic"


def test_list_shows_every_builtin_protocol_with_its_title_and_counts():
    result = invoke("list")
    assert result.exit_code == 0, result.output
    assert f"{len(find_protocols())} protocols" in result.stdout
    for name in find_protocols():
        protocol = load_protocol(name)
        line = next(row for row in result.stdout.splitlines() if row.split()[:1] == [name])
        assert line.split()[1:] == [str(len(protocol.exercises)), str(protocol.weeks), "built-in"]
        assert protocol.title in result.stdout


def test_list_with_a_clinic_folder_shows_its_own_and_the_one_it_replaces(tmp_path):
    result = invoke("list", "--library", str(_clinic(tmp_path)), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["ours"]["exercises"] == 1 and rows["ours"]["title"] == "Ours"
    assert rows["home-starter"]["title"] == "Our own starter"
    assert rows["home-starter"]["file"].endswith("clinic/protocols/home-starter.yaml")
    assert "desk-worker" in rows


def test_show_gives_warmups_exercises_doses_and_notes_in_the_language_asked(tmp_path):
    result = invoke("show", "home-starter")
    assert result.exit_code == 0, result.output
    for words in ("Home starter (a wall and a chair)", "Wall Plank  (wall-plank)", "Warm-up:"):
        assert words in result.stdout
    assert "Dose: 3 sets, hold 20 s" in result.stdout
    result = invoke("show", "home-starter", "--lang", "es")
    assert "Plancha en la pared" in result.stdout and "Dosis: 3 series" in result.stdout
    result = invoke("show", "ours", "--library", str(_clinic(tmp_path)), "--format", "json")
    data = json.loads(result.stdout)
    assert data["exercises"] == [
        {"id": "wall-plank", "name": "Wall Plank", "dose": {"sets": 1}, "note": "Slowly."}
    ]
    assert data["warmup"] == [{"id": "wall-pelvic-tilt", "name": "Pelvic Tilt Against a Wall"}]
    assert data["notes"] == ["See you soon."]


@pytest.mark.parametrize("name", sorted(find_protocols()))
def test_show_prints_every_builtin_protocol_in_both_languages(name):
    for lang in ("en", "es"):
        result = invoke("show", name, "--lang", lang)
        assert result.exit_code == 0, result.output


def test_show_gives_the_protocols_own_dose_over_the_exercises():
    # gentle-restart lowers wall-hip-hinge to 1 x 8 (the exercise's own is 2 x 10)
    result = invoke("show", "gentle-restart")
    assert result.exit_code == 0, result.output
    assert "Dose: 1 set x 8 reps" in result.stdout
    assert "Dose: 2 sets, hold 15 s" in result.stdout


def test_show_in_spanish_has_no_english_labels():
    result = invoke("show", "walking-first", "--lang", "es")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "6 semanas; revisar después de 3 semanas" in text
    assert "Calentamiento: se elige para cada persona" in text
    for english in ("weeks", "review after", "Warm-up", "Exercises:", "Notes:", "Every exercise"):
        assert english not in text


def test_show_an_unknown_protocol_suggests_the_nearest_and_exits_2():
    result = invoke("show", "desk-worke")
    assert result.exit_code == 2
    assert "no protocol named `desk-worke`; did you mean `desk-worker`?" in result.stderr


def test_show_a_protocol_naming_an_unknown_exercise_says_where(tmp_path):
    folder = tmp_path / "protocols"
    folder.mkdir()
    (folder / "bad.yaml").write_text("name: bad\ntitle: Bad\nexercises: [wall-plnak]\n")
    result = invoke("show", "bad", "--library", str(tmp_path))
    assert result.exit_code == 2
    assert "bad.yaml:3:13: no exercise with id `wall-plnak`; did you mean `wall-plank`?" in (
        result.stderr
    )


def test_a_bad_format_is_a_usage_error():
    result = invoke("list", "--format", "pdf")
    assert result.exit_code == 2
    assert "--format must be terminal or json" in result.stderr


@pytest.mark.parametrize(
    "args", [["list"], ["show", "desk-worker"], ["show", "desk-worker", "--lang", "es"]]
)
def test_piped_output_has_no_trailing_spaces(args):
    result = CliRunner().invoke(app, ["protocols", *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []
