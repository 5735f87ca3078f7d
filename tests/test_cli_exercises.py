"""`backplan exercises list|show|validate|schema` through Typer's CliRunner: output and exit codes.

The broken corpus (tests/data/broken/) is compared with tests/data/broken.golden.txt;
run with BACKPLAN_UPDATE_GOLDEN=1 to rewrite the golden file after a deliberate change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from golden import assert_golden
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.library.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
BROKEN = DATA / "broken"
GOLDEN = DATA / "broken.golden.txt"
CLINIC = DATA / "clinic"

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_checkout(monkeypatch):
    # Paths in messages are relative to the working directory; the golden file assumes the root.
    monkeypatch.chdir(ROOT)


@pytest.fixture
def wide(monkeypatch):
    """A wide terminal, so table cells (ids) are not folded across lines."""
    from backplan.cli.console import out_console

    monkeypatch.setenv("COLUMNS", "200")
    out_console.cache_clear()
    yield
    out_console.cache_clear()


def invoke(*args: str):
    result = runner.invoke(app, ["exercises", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# --- validate ------------------------------------------------------------------------------


def test_broken_corpus_matches_the_golden_file():
    result = invoke("validate", "tests/data/broken")
    assert result.exit_code == 1
    assert_golden(GOLDEN, result.stdout)


def test_broken_corpus_has_a_problem_for_every_broken_file():
    result = invoke("validate", "tests/data/broken")
    helpers = {"corpus-deadlift.yaml", "corpus-pull-through.yaml"}  # valid targets of the rest
    broken = {p.name for p in BROKEN.iterdir()} - helpers
    assert len(broken) >= 25
    problems = [line for line in result.stdout.splitlines()[:-1] if ": warning: " not in line]
    reported = {line.split(":", 1)[0].rsplit("/", 1)[-1] for line in problems}
    # a duplicate id and a cycle are reported once, at one file, naming the other
    partners = {"duplicate-id-a.yaml", "cycle-b.yaml"}
    assert reported == broken - partners
    for partner in partners:
        assert partner.removesuffix(".yaml") in result.stdout
    for line in result.stdout.splitlines()[:-1]:  # warnings too: each with file:line:column
        path, line_no, column, message = line.split(":", 3)
        assert path.startswith("tests/data/broken/")
        assert line_no.isdigit(), line
        assert column.isdigit(), line
        assert message.strip()


def test_broken_corpus_summary_counts_problems_and_files():
    result = invoke("validate", "tests/data/broken")
    *lines, summary = result.stdout.splitlines()
    problems = [line for line in lines if ": warning: " not in line]
    files = {line.split(":", 1)[0] for line in problems}
    warnings = len(lines) - len(problems)
    assert warnings  # the corpus's files have no position: each says so, as a warning
    assert summary == f"{len(problems)} problems in {len(files)} files; {warnings} warnings."


def test_validate_with_no_path_checks_the_builtin_library():
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    *warnings, summary = result.stdout.rstrip().splitlines()
    # chains that end early for a condition are warnings (the plan then says "ask your
    # chiropractor"), never problems
    assert all(": warning: " in w for w in warnings)
    expected = f"; {len(warnings)} warnings." if len(warnings) > 1 else "."
    if len(warnings) == 1:
        expected = "; 1 warning."
    assert re.fullmatch(r"\d+ exercises, no problems" + re.escape(expected), summary)


def test_validate_reports_a_kneeling_warmup_that_ignores_knee_pain_and_a_stranded_chain(
    tmp_path,
):
    (tmp_path / "rock.yaml").write_text(
        "id: rock\nname: Rock\nkind: warmup\npattern: mobility\nsteps: [Rock.]\n"
        "dose: {sets: 1, reps: 5}\nsource: Test.\nprogression: {to: kneeling-plank, when: Easy.}\n"
        "pose:\n  base: all_fours\n  description: Rocks.\n  start: {}\n  end: {spine: 10}\n"
    )
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 1
    out = result.stdout
    assert "rock.yaml:1:1: `rock` kneels (pose base all_fours) like " in out
    assert "which avoid `knee_pain`; add knee_pain to its avoid_if" in out
    # it suits pregnancy and the floor-hard rule applies to both, but kneeling-plank avoids
    # pregnancy and nothing follows it that suits: a warning on the progression line
    assert "rock.yaml:8:19: warning: `progression` names `kneeling-plank`, which does not " in out
    assert "suit pregnancy while `rock` does" in out


def test_validate_a_clinic_folder_notices_the_override_on_stderr():
    result = invoke("validate", "tests/data/clinic")
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stdout
    assert "tests/data/clinic/deadlift.yaml replaces the built-in exercise `deadlift`" in (
        result.stderr
    )


def test_validate_one_file_uses_its_folders_vocabulary():
    result = invoke("validate", "tests/data/clinic/foam-roller-bridge.yaml")
    assert result.exit_code == 0, result.output


def test_validate_one_broken_file(tmp_path):
    (tmp_path / "x.yaml").write_text("id: x\nname: X\nkind: original\npattern: hinge\n")
    result = invoke("validate", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1
    assert "x.yaml:1:1: missing required field `source`" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 problems in 1 file."


def test_validate_the_builtin_folder_again_finds_no_duplicates():
    result = invoke("validate", "exercises", "exercises/deadlift.yaml")
    assert result.exit_code == 0, result.output


def test_validate_a_missing_path_is_a_usage_error():
    result = invoke("validate", "no/such/folder", "tests/data/clinic")
    assert result.exit_code == 2
    assert "no/such/folder: no such file or folder" in result.stderr
    assert result.stdout == ""


def test_validate_lang_es_lists_missing_spanish_as_warnings():
    result = invoke("validate", "tests/data/clinic", "--lang", "es")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "foam-roller-bridge.yaml:18:3: warning: `steps` has no Spanish text" in out
    assert "foam-roller-bridge.yaml:18:3: warning: `cues` has no Spanish text" in out
    assert "deadlift.yaml" not in out  # fully translated
    # and the one that says the clinic's exercise has no position (always listed)
    assert "foam-roller-bridge.yaml:2:1: warning: `foam-roller-bridge` has no `position`" in out
    assert out.splitlines()[-1].endswith("no problems; 3 warnings.")


def test_validate_lang_es_only_warns_about_the_paths_given():
    result = invoke("validate", "tests/data/clinic", "--lang", "es")
    assert "exercises/" not in result.stdout


def test_validate_unknown_lang_is_a_usage_error():
    result = invoke("validate", "--lang", "fr")
    assert result.exit_code == 2
    assert "--lang can only be es" in result.stderr


def test_validate_an_oversized_file(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("id: big\nname: " + "x" * (1024 * 1024) + "\n")
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 1
    assert "big.yaml: the whole exercise file is larger than 1 MiB" in result.stdout


# --- list ----------------------------------------------------------------------------------


def test_list_shows_every_exercise_in_a_table(wide):
    result = invoke("list")
    assert result.exit_code == 0, result.output
    for header in ("id", "name", "kind", "pattern", "level", "equipment"):
        assert header in result.stdout
    for eid in ("deadlift", "cable-pull-through", "plank"):
        assert eid in result.stdout


def test_list_filters_by_pattern_kind_and_equipment(wide):
    result = invoke("list", "--pattern", "hinge", "--kind", "original")
    assert result.exit_code == 0, result.output
    assert "deadlift" in result.stdout
    assert "cable-pull-through" not in result.stdout
    assert "plank" not in result.stdout
    result = invoke("list", "--equipment", "cable_machine")
    assert "cable-pull-through" in result.stdout
    assert "wall-plank" not in result.stdout


def test_list_filters_by_position_and_level(wide):
    from backplan.library.catalogue import load_library

    library = load_library()
    result = invoke("list", "--position", "chair", "--level", "beginner")
    assert result.exit_code == 0, result.output
    expected = sorted(
        e.id
        for e in library.exercises.values()
        if e.position == "chair" and e.level == "beginner" and e.kind != "original"
    )
    assert "chair-sit-to-stand" in expected
    assert f"{len(expected)} of {len(library.exercises)} exercises" in result.stdout
    shown = [line.split()[0] for line in result.stdout.splitlines() if line.split()]
    assert sorted(eid for eid in shown if eid in library.exercises) == expected
    result = invoke("list", "--position", "floor", "--kind", "warmup")
    assert "cat-cow" in result.stdout and "wall-pelvic-tilt" not in result.stdout


def test_search_finds_by_name_id_and_alias_in_both_languages_ignoring_case_and_accents(
    tmp_path, wide
):
    for query in (["gato", "vaca"], ["CAT-COW"], ["Gató"], ["cat", "cow"]):
        result = invoke("search", *query)
        assert result.exit_code == 0, result.output
        assert "cat-cow" in result.stdout.split(), query
    result = invoke("search", "plancha", "rodillas")  # every word must match
    assert "kneeling-plank" in result.stdout.split()
    assert "wall-plank" not in result.stdout.split()
    (tmp_path / "roller.yaml").write_text(
        "id: roller\nname: Roller\nkind: standalone\npattern: mobility\nposition: floor\n"
        "aliases: [foam rolling]\nsteps: [Roll.]\ndose: {sets: 1, reps: 5}\nsource: Test.\n"
        "translations: {es: {name: Rodillo, aliases: [masaje con rodillo de espuma]}}\n"
    )
    for word in ("FOAM", "espuma", "rodillo"):
        result = invoke("search", word, "--library", str(tmp_path))
        assert "roller" in result.stdout.split(), word
    result = invoke("search", "zzz-nothing")
    assert result.exit_code == 0
    assert "No exercise matches 'zzz-nothing'." in result.stdout


def test_list_with_a_clinic_library_adds_its_exercises_and_says_what_it_replaces(wide):
    result = invoke("list", "--library", "tests/data/clinic", "--equipment", "foam_roller")
    assert result.exit_code == 0, result.output
    assert "foam-roller-bridge" in result.stdout
    assert "replaces the built-in exercise `deadlift`" in result.stderr


def test_list_folds_long_cells_at_80_columns():
    result = invoke("list", "--kind", "warmup")
    assert result.exit_code == 0
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_list_with_no_match_says_so():
    result = invoke("list", "--pattern", "lunge", "--kind", "warmup")
    assert result.exit_code == 0
    assert "No exercise matches those filters." in result.stdout


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--pattern", "hing", "did you mean `hinge`?"),
        ("--kind", "modifed", "did you mean `modified`?"),
        ("--equipment", "dumbell", "did you mean `dumbbell`?"),
        ("--position", "sitting", "use one of: standing, chair, floor"),
        ("--level", "beginer", "did you mean `beginner`?"),
    ],
)
def test_list_with_an_unknown_filter_value_is_a_usage_error(option, value, expected):
    result = invoke("list", option, value)
    assert result.exit_code == 2
    assert expected in result.stderr


def test_list_with_a_broken_library_reports_every_problem():
    result = invoke("list", "--library", "tests/data/broken")
    assert result.exit_code == 2
    assert "The exercise library has problems" in result.stderr
    assert "tests/data/broken/unknown-key.yaml:3:1: unknown key `steeps`" in result.stderr


def test_list_with_a_missing_library_folder():
    result = invoke("list", "--library", "nowhere")
    assert result.exit_code == 2
    assert "nowhere: no such file or folder" in result.stderr


# --- show ----------------------------------------------------------------------------------


def test_show_a_modified_exercise_like_the_plan():
    result = invoke("show", "cable-pull-through")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Cable Pull-Through" in out
    assert "Instead of: Deadlift (deadlift)" in out
    assert "Why:" in out
    assert "Equipment: a cable machine" in out
    assert "Dose: 2 sets x 12 reps" in out
    assert "1. Set the cable pulley" in out
    assert "Tips:" in out
    assert "Common mistakes:" in out
    assert "Source:" in out


def test_show_an_original_with_its_problem_and_safer_versions():
    result = invoke("show", "deadlift")
    assert result.exit_code == 0, result.output
    assert "The problem:" in result.stdout
    assert "Back-safe versions:" in result.stdout
    assert "cable-pull-through" in result.stdout
    assert "Steps:" not in result.stdout


def test_show_names_the_progression_and_regression():
    result = invoke("show", "stability-ball-squat")
    assert result.exit_code == 0, result.output
    assert "When it gets easy:" in result.stdout
    assert "(stability-ball-squat-dumbbell)" in result.stdout


def test_show_in_spanish():
    result = invoke("show", "deadlift", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert "Peso muerto" in result.stdout
    warmup = invoke("show", "cat-cow", "--lang", "es")
    for spanish in ("calentamiento · movilidad", "Dosis:", "Pasos:", "Consejos:", "Fuente:"):
        assert spanish in warmup.stdout, spanish


def test_show_a_clinic_exercise_with_labels_from_its_vocabulary():
    result = invoke("show", "foam-roller-bridge", "--library", "tests/data/clinic")
    assert result.exit_code == 0, result.output
    assert "an exercise mat" in result.stdout
    assert "a foam roller" in result.stdout
    assert "Not for people with: hip pain" in result.stdout


def test_show_an_unknown_id_suggests_the_nearest():
    result = invoke("show", "dedlift")
    assert result.exit_code == 2
    assert "no exercise with id `dedlift`; did you mean `deadlift`?" in result.stderr


def test_show_an_unknown_language_is_a_usage_error():
    result = invoke("show", "deadlift", "--lang", "de")
    assert result.exit_code == 2
    assert "--lang de: use one of en, es" in result.stderr


# --- schema and help -----------------------------------------------------------------------


def test_schema_prints_the_json_schema():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert result.stdout == schema_text()


@pytest.mark.parametrize("command", ["list", "show", "validate", "schema"])
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    assert "Example: backplan exercises" in result.stdout


def test_exercises_alone_shows_help():
    result = invoke()
    assert "list" in result.output
    assert "validate" in result.output


# --- the format documentation stays true -------------------------------------------------

DOC = ROOT / "docs" / "exercise-format.md"


def test_the_documented_example_validates(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "example.yaml").write_text(example, encoding="utf-8")
    # the example's progression points at an exercise of the clinic's own
    (tmp_path / "next.yaml").write_text(
        "id: single-leg-pull-through\nname: N\nkind: modified\npattern: hinge\n"
        "replaces: deadlift\nwhy: W.\nsteps: [x]\ndose: {sets: 1, reps: 5}\nsource: S.\n",
        encoding="utf-8",
    )
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "replaces the built-in exercise `cable-pull-through`" in result.stderr


def test_the_documentation_lists_every_field():
    from backplan.library.model import Dose, Exercise

    text = DOC.read_text(encoding="utf-8")
    for name in [*Exercise.model_fields, *Dose.model_fields]:
        assert f"| `{name}` |" in text, f"docs/exercise-format.md does not describe `{name}`"


def test_list_never_breaks_an_id_at_80_columns():
    from backplan.library.catalogue import load_library

    result = CliRunner().invoke(app, ["exercises", "list"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    for exercise_id in load_library().exercises:
        assert any(line.startswith(exercise_id + " ") for line in lines), exercise_id


def test_validate_a_clinic_folder_checks_its_protocols(tmp_path):
    (tmp_path / "protocols").mkdir()
    (tmp_path / "protocols" / "p.yaml").write_text("name: p\ntitle: P\nexercises: [nope]\n")
    result = runner.invoke(app, ["exercises", "validate", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "p.yaml:3:13: no exercise with id `nope`" in result.stdout
    assert "1 problem in 1 file." in result.stdout


def test_list_never_breaks_an_equipment_id_at_80_columns():
    from backplan.library.catalogue import load_library

    result = CliRunner().invoke(app, ["exercises", "list"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    words = {w.strip(",") for line in result.stdout.splitlines() for w in line.split()}
    for exercise in load_library().exercises.values():
        for entry in exercise.equipment:
            for equipment_id in [entry] if isinstance(entry, str) else entry:
                assert equipment_id in words, equipment_id


@pytest.mark.parametrize(
    "args", [["list"], ["show", "deadlift"], ["show", "cat-cow", "--lang", "es"]]
)
def test_piped_output_has_no_trailing_spaces(args):
    result = CliRunner().invoke(app, ["exercises", *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []
