"""Reading a roster: YAML and CSV, each row validated on its own with its row and line."""

from __future__ import annotations

import pytest

from backplan.clinic.roster import read_roster
from backplan.errors import BackplanError

YAML_ROSTER = """\
- patient: {name: Ana Pérez, age: 42}
  sharp_pain: false
  pain: 3
  red_flags: []
  equipment: [stability_ball, towel]
  protocol: home-starter
  lang: es
  notes: [Call if the pain rises.]
- patient: {name: Bob}
  sharp_pain: false
  pain: eleven
  red_flags: []
- sharp_pain: false
  pain: 2
  red_flags: []
  colour: blue
- just text
"""


def test_yaml_rows_are_validated_one_by_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "roster.yaml"
    path.write_text(YAML_ROSTER)
    rows = read_roster(path)
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert [r.line for r in rows] == [1, 9, 13, 17]
    ana, bob, anon, text = rows
    assert ana.ok and ana.answers.protocol == "home-starter" and ana.answers.lang == "es"
    assert ana.answers.notes == ["Call if the pain rises."]
    assert ana.label == "Ana Pérez"
    # pain that cannot be read never lowers the urgency: the row is the stop, its problem named
    assert bob.ok and bob.label == "Bob" and bob.answers.pain == 10
    (problem,) = bob.problems
    assert str(problem).startswith("roster.yaml:11:9: `pain`: 'eleven' is not a pain score")
    assert "counts as severe pain" in str(problem)
    assert anon.label == "row 3"
    (problem,) = anon.problems
    assert str(problem).startswith("roster.yaml:16:3: unknown key `colour`")
    assert not text.ok and "mapping" in str(text.problems[0])
    assert str(text.problems[0]).startswith("roster.yaml:17:3:")


CSV_ROSTER = """\
name,age,sharp_pain,pain,red_flags,equipment,conditions,protocol,lang,exercise_notes.bird-dog,dose.bird-dog.sets
Ana Pérez,42,false,3,,stability_ball; towel,,home-starter,es,Go slowly,3
"Smith, John",55,no,7,,,,,,,
,,,x,,,,,,,
,,,,,,,,,,

Carla,30,false,2,history_of_cancer; fever_or_systemically_unwell,mat,knee_pain,,,,
"""


def test_csv_rows_map_onto_the_answers_contract(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "roster.csv"
    path.write_text(CSV_ROSTER)
    rows = read_roster(path)
    assert [(r.number, r.line) for r in rows] == [(1, 2), (2, 3), (3, 4), (4, 7)]
    ana, smith, bad, carla = rows
    assert ana.ok
    a = ana.answers
    assert (a.patient.name, a.patient.age) == ("Ana Pérez", 42)
    assert a.equipment == ["stability_ball", "towel"] and a.red_flags == []
    assert a.exercise_notes == {"bird-dog": ["Go slowly"]}
    assert a.dose["bird-dog"].sets == 3
    assert smith.ok and smith.answers.patient.name == "Smith, John" and smith.answers.pain == 7
    assert not smith.answers.sharp_pain
    # the row has no new_onset column: with age 55 that is an error naming the rule
    assert any("age_new_onset_over_50" in str(p) for p in smith.problems)
    found = sorted(str(p) for p in bad.problems)
    assert len(found) == 2
    assert found[0].startswith("roster.csv:4: `pain`: 'x' is not a pain score")
    assert "counts as severe pain" in found[0]  # a stop, not a failed row
    assert found[1].startswith("roster.csv:4: ") and "`sharp_pain`" in found[1]
    assert bad.ok and bad.answers.pain == 10
    assert bad.label == "row 3"
    assert carla.ok
    assert carla.answers.red_flags == ["history_of_cancer", "fever_or_systemically_unwell"]
    assert carla.answers.conditions == ["knee_pain"]


def test_csv_missing_list_column_means_empty_list(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("patient.name,sharp_pain,pain,red_flags\nDee,true,0,\n")
    (row,) = read_roster(path)
    assert row.ok and row.answers.red_flags == [] and row.answers.sharp_pain is True


def test_csv_row_with_too_many_cells_is_one_failed_row(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "r.csv"
    path.write_text("name,sharp_pain,pain,red_flags\nSmith, John,false,3,\nAl,false,1,\n")
    first, second = read_roster(path)
    assert not first.ok
    assert "the row has 5 cells but the header names 4 columns" in str(first.problems[0])
    assert str(first.problems[0]).startswith("r.csv:2:")
    assert second.ok


def test_csv_unknown_column_is_a_file_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "r.csv"
    path.write_text("name,pian,sharp_pain\nAl,3,false\n")
    with pytest.raises(BackplanError) as err:
        read_roster(path)
    (problem,) = err.value.problems
    assert str(problem).startswith(
        "r.csv:1: column 2 `pian` is not an answers field; did you mean `pain`?"
    )


@pytest.mark.parametrize(
    ("header", "value", "inside"),
    [
        ("name,pain,pain.x", "2 `pain`", "3 `pain.x`"),
        ("name,pain.x,pain", "3 `pain`", "2 `pain.x`"),
        (
            "name,dose.wall-plank,dose.wall-plank.sets",
            "2 `dose.wall-plank`",
            "3 `dose.wall-plank.sets`",
        ),
    ],
)
def test_csv_column_both_a_value_and_a_parent_is_a_header_error(
    tmp_path, monkeypatch, header, value, inside
):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "r.csv"
    path.write_text(f"{header}\nAl,3,4\n")
    with pytest.raises(BackplanError) as err:
        read_roster(path)
    (problem,) = err.value.problems
    assert str(problem).startswith(
        f"r.csv:1: column {value} is a single value, but column {inside}"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("patient: {name: Al}\n", "a roster is a list of patients"),
        ("[]\n", "the roster has no patients"),
        ("- a: [\n", "YAML syntax error"),
        ("", "the file is empty"),
    ],
)
def test_a_file_that_is_not_a_roster_raises(tmp_path, text, message):
    path = tmp_path / "roster.yaml"
    path.write_text(text)
    with pytest.raises(BackplanError) as err:
        read_roster(path)
    assert message in str(err.value)


def test_missing_roster(tmp_path):
    with pytest.raises(BackplanError, match="no such roster"):
        read_roster(tmp_path / "nope.csv")


def test_an_invalid_row_that_already_reports_a_stop_is_read_as_that_stop(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "name,sharp_pain,pain,red_flags,leg_symptoms,level\n"
        "Bo,false,3,,both_legs,beginner\n"
        "Cy,true,3,,none,expert\n"
        "Di,maybe,3,,none,expert\n"
        "Ed,no,3,,none,expert\n"
    )
    bo, cy, di, ed = read_roster(path)
    assert bo.ok and bo.problems and bo.answers.red_flags == ["bilateral_leg_symptoms"]
    assert cy.ok and cy.problems and cy.answers.sharp_pain is True
    # `maybe` cannot be read as yes or no: it counts as sharp pain, never as none
    assert di.ok and di.problems and di.answers.sharp_pain is True
    assert not ed.ok and ed.problems  # nothing in it says stop: an ordinary failed row
