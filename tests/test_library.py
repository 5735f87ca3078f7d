"""Loading a library: the built-in folder, clinic folders on top, and the checks across files."""

from __future__ import annotations

from pathlib import Path

import pytest

from backplan.errors import BackplanError
from backplan.library.catalogue import (
    check_library,
    exercise_files,
    filter_exercises,
    load_library,
    translation_gaps,
)
from backplan.resources import builtin_exercises_dir

DATA = Path(__file__).resolve().parent / "data"
CLINIC = DATA / "clinic"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _yaml(fields: dict[str, str]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def original(eid: str, **extra: str) -> str:
    fields = {"id": eid, "name": eid.title(), "kind": "original", "pattern": "hinge"}
    return _yaml(fields | {"problem": "P.", "source": "S."} | extra)


def modified(eid: str, replaces: str = "deadlift", **extra: str) -> str:
    fields = {"id": eid, "name": eid.title(), "kind": "modified", "pattern": "hinge"}
    fields |= {"replaces": replaces, "why": "W.", "equipment": "[mat]", "steps": "[Do it.]"}
    fields |= {"dose": "{sets: 2, reps: 10}", "source": "S."}
    return _yaml(fields | extra)


def messages(*paths: Path) -> list[str]:
    _, problems = check_library(list(paths))
    return [p.message for p in problems]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths in messages are relative to here


def test_the_builtin_library_loads_without_problems():
    library = load_library()
    assert len(library.exercises) >= 16
    assert "wall" in library.always_available()
    assert library.builtin == set(library.exercises)
    assert library.notices == []
    assert library.folders == [builtin_exercises_dir()]


def test_exercise_files_skips_the_vocabulary_hidden_files_and_others(tmp_path):
    for name in ("b.yaml", "a.yml", "vocabulary.yaml", ".hidden.yaml", "notes.txt"):
        write(tmp_path, name, "x: 1\n")
    (tmp_path / "sub.yaml").mkdir()
    assert [p.name for p in exercise_files(tmp_path)] == ["a.yml", "b.yaml"]


def test_a_clinic_folder_adds_exercises_extends_the_vocabulary_and_replaces_by_id():
    library = load_library([CLINIC])
    assert "foam-roller-bridge" in library.exercises
    assert library.exercises["deadlift"].name == "Clinic Deadlift"
    assert "deadlift" not in library.builtin
    assert len(library.notices) == 1
    assert library.notices[0].endswith(
        "clinic/deadlift.yaml replaces the built-in exercise `deadlift`"
    )
    assert "foam_roller" in library.vocabulary.equipment
    assert "hip_pain" in library.vocabulary.conditions
    assert "wall" in library.vocabulary.equipment  # the built-in vocabulary still applies
    assert library.folder_of("foam-roller-bridge") == CLINIC


def test_a_folder_without_vocabulary_uses_the_builtin_one(tmp_path):
    write(tmp_path / "c", "x.yaml", modified("x", equipment="[foam_roller]"))
    assert messages(tmp_path / "c") == [
        "unknown equipment `foam_roller` (a new one goes in the folder's vocabulary.yaml)"
    ]


def test_a_single_file_uses_its_folders_vocabulary():
    library, problems = check_library([CLINIC / "foam-roller-bridge.yaml"])
    assert problems == []
    assert "foam-roller-bridge" in library.exercises
    assert library.exercises["deadlift"].name == "Deadlift"  # only the file given is added


def test_the_vocabulary_file_alone_adds_no_exercise():
    library, problems = check_library([CLINIC / "vocabulary.yaml"])
    assert problems == []
    assert "foam_roller" in library.vocabulary.equipment


def test_giving_the_builtin_folder_or_a_builtin_file_again_is_not_a_duplicate():
    base = builtin_exercises_dir()
    library, problems = check_library([base, base / "deadlift.yaml", base])
    assert problems == []
    assert library.notices == []


def test_duplicate_ids_in_one_folder_name_both_files(tmp_path):
    write(tmp_path / "c", "a.yaml", original("twin"))
    write(tmp_path / "c", "b.yaml", original("twin"))
    _, problems = check_library([tmp_path / "c"])
    assert [str(p) for p in problems] == [
        "c/b.yaml:1:5: duplicate id `twin`: c/a.yaml uses it too; give one of them another id"
    ]


def test_a_later_clinic_folder_replaces_an_earlier_one(tmp_path):
    write(tmp_path / "one", "x.yaml", original("x-move"))
    write(tmp_path / "two", "x.yaml", original("x-move", problem="Other."))
    library = load_library([tmp_path / "one", tmp_path / "two"])
    assert library.exercises["x-move"].problem == "Other."
    assert library.notices == ["two/x.yaml replaces `x-move` from one/x.yaml"]


def test_references_to_unknown_ids_suggest_the_nearest(tmp_path):
    write(tmp_path / "c", "a.yaml", modified("a-move", replaces="deadlfit", regression="b-mvoe"))
    write(tmp_path / "c", "b.yaml", modified("b-move"))
    assert messages(tmp_path / "c") == [
        "`replaces` names `deadlfit`, which is not in the library; did you mean `deadlift`? "
        "(`backplan exercises list` shows the ids)",
        "`regression` names `b-mvoe`, which is not in the library; did you mean `b-move`? "
        "(`backplan exercises list` shows the ids)",
    ]


def test_a_broken_file_does_not_make_its_id_unknown_elsewhere(tmp_path):
    write(tmp_path / "c", "a.yaml", modified("a-move", regression="b-move"))
    write(tmp_path / "c", "b.yaml", modified("b-move") + "colour: red\n")
    got = messages(tmp_path / "c")
    assert len(got) == 1
    assert got[0].startswith("unknown key `colour`")


def test_replaces_must_name_an_original_and_only_modified_may_replace(tmp_path):
    write(tmp_path / "c", "a.yaml", modified("a-move", replaces="cable-pull-through"))
    write(
        tmp_path / "c",
        "w.yaml",
        "id: w\nname: W\nkind: warmup\npattern: mobility\nreplaces: deadlift\n"
        "steps: [x]\ndose: {sets: 1, reps: 5}\nsource: S.\n",
    )
    assert messages(tmp_path / "c") == [
        "`replaces` names `cable-pull-through`, a `modified` exercise; it must name an "
        "`original` (the usual version this one makes back-safe)",
        "only a `modified` exercise replaces an original; remove `replaces` or set "
        "`kind: modified`",
    ]


def test_progression_and_regression_must_not_name_an_original(tmp_path):
    write(tmp_path / "c", "a.yaml", modified("a-move", regression="deadlift"))
    assert messages(tmp_path / "c") == [
        "`regression` names `deadlift`, an `original`; point it at a back-safe (`modified`, "
        "`standalone` or `warmup`) exercise"
    ]


def test_progression_cycles_are_reported_once(tmp_path):
    write(tmp_path / "c", "a.yaml", modified("a-move", progression="{to: b-move, when: x}"))
    write(tmp_path / "c", "b.yaml", modified("b-move", progression="{to: c-move, when: x}"))
    write(tmp_path / "c", "c.yaml", modified("c-move", progression="{to: a-move, when: x}"))
    write(tmp_path / "c", "s.yaml", modified("s-move", progression="{to: s-move, when: x}"))
    _, problems = check_library([tmp_path / "c"])
    assert [str(p) for p in problems] == [
        "c/a.yaml:11:19: progressions go round in a circle: a-move -> b-move -> c-move -> a-move; "
        "the last step of a chain has no `progression`",
        "c/s.yaml:11:19: progressions go round in a circle: s-move -> s-move; the last step of "
        "a chain has no `progression`",
    ]


def test_a_chain_into_a_cycle_reports_only_the_cycle(tmp_path):
    write(tmp_path / "c", "a.yaml", modified("a-move", progression="{to: b-move, when: x}"))
    write(tmp_path / "c", "b.yaml", modified("b-move", progression="{to: c-move, when: x}"))
    write(tmp_path / "c", "c.yaml", modified("c-move", progression="{to: b-move, when: x}"))
    got = messages(tmp_path / "c")
    assert got == [
        "progressions go round in a circle: b-move -> c-move -> b-move; the last step of a "
        "chain has no `progression`"
    ]


def test_unknown_equipment_and_conditions(tmp_path):
    write(
        tmp_path / "c",
        "a.yaml",
        modified("a-move").replace("equipment: [mat]", "equipment: [dumbell, [towl, mat]]")
        + "avoid_if: [pregnant]\n",
    )
    assert messages(tmp_path / "c") == [
        "unknown equipment `dumbell`; did you mean `dumbbell`? (a new one goes in the folder's "
        "vocabulary.yaml)",
        "unknown equipment `towl`; did you mean `towel`? (a new one goes in the folder's "
        "vocabulary.yaml)",
        "unknown condition `pregnant`; did you mean `pregnancy`? (a new one goes in the "
        "folder's vocabulary.yaml)",
    ]


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("images/a.svg", None),
        ("images/missing.svg", "does not exist in c"),
        ("../outside.svg", "points outside the library folder"),
        ("/etc/passwd", "must be a file path inside the library folder"),
        ("https://example.com/a.png", "must be a file path inside the library folder"),
        ("notes.txt", "is not a picture backplan can print"),
    ],
)
def test_image_paths(tmp_path, image, expected):
    write(tmp_path / "c" / "images", "a.svg", "<svg/>")
    write(tmp_path, "outside.svg", "<svg/>")
    write(tmp_path / "c", "notes.txt", "x")
    write(tmp_path / "c", "a.yaml", modified("a-move", image=image))
    got = messages(tmp_path / "c")
    if expected is None:
        assert got == []
    else:
        assert len(got) == 1
        assert expected in got[0]


def test_a_missing_extra_path_is_a_problem(tmp_path):
    _, problems = check_library([tmp_path / "nowhere"])
    assert [str(p) for p in problems] == ["nowhere: no such file or folder; check the path"]


def test_a_broken_vocabulary_is_reported_and_the_builtin_one_still_applies(tmp_path):
    write(tmp_path / "c", "vocabulary.yaml", "equipment:\n  roller: {lable: x}\n")
    write(tmp_path / "c", "a.yaml", modified("a-move"))
    library, problems = check_library([tmp_path / "c"])
    assert [p.message for p in problems] == [
        "unknown key `lable` in `equipment.roller`; did you mean `label`?"
    ]
    assert "mat" in library.vocabulary.equipment
    assert "a-move" in library.exercises


def test_problems_are_sorted_by_file_then_position(tmp_path):
    write(tmp_path / "c", "b.yaml", "id: b\nname: 1\nkind: x\n")
    write(tmp_path / "c", "a.yaml", "[]\n")
    _, problems = check_library([tmp_path / "c"])
    keys = [(p.path, p.line or 0, p.column or 0) for p in problems]
    assert keys == sorted(keys)
    assert problems[0].path == "c/a.yaml"


def test_kind_fields_are_reported_even_when_other_fields_are_wrong(tmp_path):
    write(
        tmp_path / "c",
        "w.yaml",
        "id: w\nname: W\nkind: warmup\npattern: mobility\nlevel: beginer\nsteeps: [x]\n"
        "source: S.\n",
    )
    assert messages(tmp_path / "c") == [
        "missing required field `dose` (needed for kind warmup)",
        "`level` is 'beginer'; did you mean `beginner`? use one of: beginner, intermediate, "
        "advanced",
        "unknown key `steeps`; did you mean `steps`?",
    ]


def test_load_library_raises_with_every_problem(tmp_path):
    write(tmp_path / "c", "a.yaml", "")
    write(tmp_path / "c", "b.yaml", "- x\n")
    with pytest.raises(BackplanError) as info:
        load_library([tmp_path / "c"])
    assert info.value.title == "The exercise library has problems"
    assert [p.path for p in info.value.problems] == ["c/a.yaml", "c/b.yaml"]
    assert info.value.exit_code == 2


def test_get_suggests_the_nearest_id():
    library = load_library()
    assert library.get("deadlift").kind == "original"
    with pytest.raises(BackplanError, match="did you mean `deadlift`"):
        library.get("dedlift")
    assert library.name_of("deadlift", "es") == "Peso muerto"
    assert library.name_of("nothing") == "nothing"
    assert library.name_of(None) == ""


def test_translation_gaps_warn_about_missing_and_miscounted_spanish(tmp_path):
    write(
        tmp_path / "c",
        "a.yaml",
        modified("a-move").replace("steps: [Do it.]", "steps: [One., Two.]")
        + "cues: [Slow.]\ntranslations:\n  es:\n    name: A\n    why: P.\n    steps: [Uno.]\n",
    )
    write(tmp_path / "c", "b.yaml", modified("b-move"))
    library = load_library([tmp_path / "c"])
    got = [str(p) for p in translation_gaps(library, "es", ["a-move", "b-move"])]
    assert got == [
        "c/a.yaml:13:3: warning: `cues` has no Spanish text; add it under `translations: es:`",
        "c/a.yaml:16:5: warning: `translations.es.steps` has 1 items but `steps` has 2; "
        "translate each one",
        "c/b.yaml:1:1: warning: no Spanish text; add a `translations: es:` block (the Spanish "
        "handout shows this exercise in English)",
    ]


def test_the_builtin_library_has_no_spanish_gaps():
    assert translation_gaps(load_library(), "es") == []


def test_filter_exercises():
    library = load_library()
    hinges = filter_exercises(library, pattern="hinge", kind="original")
    assert [e.id for e in hinges] == ["deadlift"]
    with_cable = filter_exercises(library, equipment=["cable_machine"])
    assert {e.id for e in with_cable} == {"cable-pull-through"}
    everything = filter_exercises(library)
    assert len(everything) == len(library.exercises)
    assert everything == sorted(everything, key=lambda e: (e.pattern, e.kind, e.id))


def test_many_files_load(tmp_path):
    folder = tmp_path / "many"
    for i in range(300):
        write(folder, f"m{i:03}.yaml", modified(f"m-{i}"))
    library, problems = check_library([folder])
    assert problems == []
    assert sum(1 for e in library.exercises if e.startswith("m-")) == 300


def test_figure_draws_each_pose_once_per_language():
    library = load_library()
    figure = library.figure("cat-cow")
    assert figure is not None and figure.alt == library.name_of("cat-cow")
    svg = figure.svg_markup()
    assert svg is not None and svg.startswith("<svg")
    assert library.figure("cat-cow") is figure  # a batch worker reuses it for every handout
    assert figure.svg_markup() is svg  # drawn once, not once a call
    spanish = library.figure("cat-cow", "es")
    assert spanish is not figure and spanish.alt == library.name_of("cat-cow", "es")
