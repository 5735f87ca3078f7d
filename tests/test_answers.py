"""The answers contract: reading files with file:line errors, library ids, and saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selection_fixtures import answers, exercise, library

from backplan.errors import BackplanError
from backplan.files.yaml_source import parse_yaml
from backplan.intake.answers import (
    Answers,
    answers_text,
    library_problems,
    load_answers,
    parse_answers,
    save_answers,
)
from backplan.intake.screening import RED_FLAG_IDS, screen

DATA = Path(__file__).parent / "data" / "answers"


def problems_of(path: Path, code: int = 2) -> list[str]:
    with pytest.raises(BackplanError) as info:
        load_answers(path)
    assert info.value.exit_code == code
    return [str(p) for p in info.value.problems]


def test_sample_files_load():
    home, _source = load_answers(DATA / "plan-home.yaml")
    assert home.patient.name == "Ana Pérez"
    assert home.patient.age == 42
    assert home.equipment == ["stability_ball", "towel"]
    clinic, _source = load_answers(DATA / "plan-clinic.yaml")
    assert clinic.lang == "es"
    assert clinic.dose["band-pull-through"].given() == {"sets": 3, "reps": 8}
    severe, _source = load_answers(DATA / "stop-severe-pain.json")
    assert severe.pain == 7


def test_every_problem_is_reported_with_its_line():
    # exit 4: both legs is an emergency sign, whatever else is wrong with the file
    found = problems_of(DATA / "bad-many.yaml", code=4)
    where = [p.split(": ", 1)[0].rsplit(":", 2)[-2] for p in found]
    assert where == ["3", "4", "5", "6", "7", "8"]
    text = "\n".join(found)
    assert "`pain`: 11 is outside 0 to 10; until it is corrected it counts as severe pain" in text
    assert "'maybe' is not yes or no; write true or false" in text
    assert "until it is corrected it counts as sharp pain" in text
    assert "did you mean `history_of_cancer`" in text
    assert "bilateral_leg_symptoms" in found[3]
    assert "expert" in found[4]
    assert "colour" in found[5]


def test_unknown_red_flag_lists_the_valid_ids():
    source = parse_yaml("sharp_pain: false\npain: 1\nred_flags: [weird]\n", "a.yaml")
    with pytest.raises(BackplanError) as info:
        parse_answers(source)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (3, 13)
    for flag in RED_FLAG_IDS:
        assert flag in problem.message


def test_new_onset_without_age_is_an_error_at_its_line():
    (problem,) = problems_of(DATA / "bad-new-onset-no-age.yaml")
    assert "bad-new-onset-no-age.yaml:2:12:" in problem
    assert "patient.age" in problem


@pytest.mark.parametrize("missing", ["sharp_pain", "pain", "red_flags"])
def test_required_fields(missing):
    data = {"sharp_pain": False, "pain": 1, "red_flags": []}
    del data[missing]
    with pytest.raises(ValueError, match=missing):
        Answers.model_validate(data)


@pytest.mark.parametrize("pain", [-1, 11])
def test_pain_out_of_range(pain):
    with pytest.raises(ValueError, match="pain"):
        answers(pain=pain)


def test_one_leg_below_knee_counts_as_a_condition():
    assert answers(leg_symptoms="one_leg_below_knee").condition_ids() == {"leg_pain_below_knee"}
    assert answers(leg_symptoms="one_leg_above_knee").condition_ids() == set()
    assert answers(conditions=["knee_pain"]).condition_ids() == {"knee_pain"}


def test_library_problems_name_unknown_ids_with_lines():
    lib = library(exercise("wall-hinge"))
    path = DATA / "bad-vocabulary.yaml"
    given, source = load_answers(path)
    found = library_problems(given, lib, source)
    messages = [str(p) for p in found]
    assert len(messages) == 3
    assert ":4:14:" in messages[0] and "knee_pian" in messages[0]
    assert "did you mean `knee_pain`" in messages[0]
    assert ":5:18:" in messages[1] and "kettlebell" in messages[1]
    assert ":6:7:" in messages[2] and "no-such-exercise" in messages[2]


def test_library_problems_without_a_file():
    lib = library(exercise("wall-hinge"))
    found = library_problems(
        answers(equipment=["mat"], remove=["nope"], exercise_notes={"nope": ["x"]}), lib
    )
    assert [p.message.split(":")[0] for p in found] == ["`remove.0`", "`exercise_notes.nope`"]


def test_dose_override_that_leaves_no_reps_nor_hold():
    lib = library(exercise("plank-hold", dose={"sets": 2, "hold_s": 20}))
    found = library_problems(answers(dose={"plank-hold": {"hold_s": 0}}), lib)
    assert len(found) == 1
    assert "neither reps nor a hold" in found[0].message


def test_save_and_load_round_trip_yaml_and_json(tmp_path):
    original = answers(
        patient={"name": "Zoë", "age": 51},
        new_onset=False,  # with age 51 it must be answered (the over-50 rule)
        equipment=["mat"],
        notes=["walk daily"],
        dose={"wall-hinge": {"sets": 1}},
    )
    for name in ("a.yaml", "a.json"):
        path = save_answers(original, tmp_path / name)
        again, _source = load_answers(path)
        assert again == original
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["patient"] == {"name": "Zoë", "age": 51}
    assert "add" not in data  # clinic fields only when set
    assert data["red_flags"] == []


def test_saved_yaml_says_what_it_is():
    text = answers_text(answers(), Path("x.yaml"))
    assert text.startswith("# backplan answers")
    assert "sharp_pain: false" in text


def test_save_into_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(BackplanError, match="does not exist"):
        save_answers(answers(), tmp_path / "nope" / "a.yaml")


def _doc_blocks(kind: str) -> list[str]:
    text = (Path(__file__).parents[1] / "docs" / "answers-format.md").read_text(encoding="utf-8")
    return [block.split("```")[0] for block in text.split(f"```{kind}\n")[1:]]


def test_the_documented_answers_files_are_valid():
    sample, clinic, saved_stop, clearance = _doc_blocks("yaml")
    base = parse_answers(parse_yaml(sample, "sample.yaml"))
    assert base.patient.name == "Ana Pérez"
    assert base.new_onset is True
    full = parse_answers(parse_yaml(sample + clinic, "clinic.yaml"))
    assert full.lang == "es"
    assert full.dose["band-pull-through"].given() == {"sets": 3, "reps": 8}
    cleared = parse_answers(parse_yaml(sample + clearance, "cleared.yaml")).cleared
    assert cleared is not None and cleared.reasons == ["not_improving_after_1_month"]
    stopped = parse_answers(parse_yaml(saved_stop, "stop.yaml"))
    assert stopped.stop is not None and stopped.stop.not_asked == ["pain"]
    assert [r.id for r in screen(stopped).reasons] == ["history_of_cancer"]  # type: ignore[union-attr]


# A typo elsewhere must never hide a stop the valid safety answers already report.
@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        ("sharp_pain: true\npain: 3\nred_flags: []\ncolour: blue\n", ["sharp_pain"]),
        (
            "sharp_pain: false\npain: 3\nred_flags: [saddle_anaesthesia, zzz_typo]\n",
            ["saddle_anaesthesia"],
        ),
        (
            "sharp_pain: false\npain: 3\nred_flags: []\nleg_symptoms: both_legs\n",
            ["bilateral_leg_symptoms"],
        ),
        ("sharp_pain: no\npain: 8\nred_flags: []\nequipment: mat\n", ["pain_nrs_severe"]),
        (
            "patient: {age: 60, name: 7}\nnew_onset: true\nsharp_pain: false\npain: 2\n"
            "red_flags: []\nlevel: expert\n",
            ["age_new_onset_over_50"],
        ),
    ],
)
def test_invalid_answers_that_already_stop_carry_the_stopping_answers(text, reasons):
    from backplan.intake.answers import StopInInvalidAnswers
    from backplan.intake.screening import stop_reasons

    with pytest.raises(StopInInvalidAnswers) as info:
        parse_answers(parse_yaml(text, "a.yaml"))
    assert info.value.problems  # the file's problems are still reported
    assert stop_reasons(info.value.answers) == reasons


def test_invalid_answers_that_do_not_stop_are_a_plain_error():
    from backplan.intake.answers import StopInInvalidAnswers

    with pytest.raises(BackplanError) as info:
        parse_answers(parse_yaml("sharp_pain: no\npain: 3\nred_flags: []\ncolor: x\n", "a.yaml"))
    assert not isinstance(info.value, StopInInvalidAnswers)
    assert info.value.exit_code == 2
