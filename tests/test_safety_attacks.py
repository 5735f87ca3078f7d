"""Attacks on the safety gate through the command a person runs: other spellings, keys, files
and orders than the issue's examples. Each must stop at least as urgently as the intent, with
no exercise, or (for a none-word) must not invent an emergency."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app

runner = CliRunner()
DATE = "2026-12-01"
OK = "patient: {name: Ana, age: 40}\nnew_onset: false\n"
EMERGENCY, SEE = 4, 3


def answers(sharp: str = "false", pain: str = "3", flags: str = "[]", head: str = OK) -> str:
    return f"{head}sharp_pain: {sharp}\npain: {pain}\nred_flags: {flags}\n"


def plan(tmp_path: Path, text: str, *args: str, name: str = "answers.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return runner.invoke(app, ["plan", "-a", str(path), "--date", DATE, "-f", "json", *args])


def assert_stops(result, code: int) -> None:
    assert result.exit_code == code, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "stop"
    assert "warmup" not in data and "exercises" not in data


SAFETY_KEY_TYPOS = [
    ("redflags", EMERGENCY),
    ("red_flag", EMERGENCY),
    ("flags", EMERGENCY),
    ("red_flgas", EMERGENCY),
    ("Red Flags", EMERGENCY),
    ("RED-FLAGS", EMERGENCY),
]


@pytest.mark.parametrize(("key", "code"), SAFETY_KEY_TYPOS)
def test_a_typo_in_the_red_flags_key_does_not_hide_the_emergency(tmp_path, key, code):
    text = OK + f"sharp_pain: false\npain: 3\n{key}: [saddle_anaesthesia]\n"
    assert_stops(plan(tmp_path, text), code)


@pytest.mark.parametrize(
    "line",
    ["sharpPain: true", "sharp_pian: true", "Sharp Pain: yes", "pain_score: 8", "dolor: 8"],
)
def test_a_near_miss_of_sharp_pain_or_pain_still_stops(tmp_path, line):
    key = line.split(":")[0]
    rest = "" if "harp" in key else "sharp_pain: false\n"
    rest += "" if "harp" not in key else "pain: 3\n"
    assert_stops(plan(tmp_path, OK + rest + line + "\nred_flags: []\n"), SEE)


def test_a_none_key_that_only_looks_alike_is_not_read_as_a_safety_field(tmp_path):
    # `color` is one letter from the Spanish `dolor` (pain): it must stay an unknown key
    result = plan(tmp_path, answers() + "color: 9\n")
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize(
    "head",
    [
        "age: 55\nnew_onset: true\n",  # age at the top level, a common slip
        'patient: "Ana, 55"\nnew_onset: true\n',  # patient written as text
        "patient: {aeg: 55}\nnew_onset: true\n",  # a typo of `age`
        "pateint: {age: 55}\nnew_onset: true\n",
        "paciente: {edad: 55}\nnew_onset: sí\n",  # Spanish keys
        "patient: {age: 55}\nnew_onest: yes\n",
    ],
)
def test_the_age_rule_is_not_turned_off_by_where_or_how_the_age_is_written(tmp_path, head):
    result = plan(tmp_path, answers(head=head))
    assert_stops(result, SEE)
    reasons = [r["id"] for r in json.loads(result.stdout)["reasons"]]
    assert reasons == ["age_new_onset_over_50"]


@pytest.mark.parametrize("flags", ["[none]", "[no]", "[ninguno]", "[None, nada]", '"none"'])
def test_a_none_word_inside_the_list_reports_nothing(tmp_path, flags):
    result = plan(tmp_path, answers(flags=flags))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "plan"


def test_a_none_word_beside_a_sign_keeps_the_sign(tmp_path):
    assert_stops(plan(tmp_path, answers(flags="[none, saddle_anaesthesia]")), EMERGENCY)


@pytest.mark.parametrize(
    "flags",
    [
        "[saddle.anaesthesia]",
        "[saddle/anaesthesia]",
        "[saddle–anaesthesia]",
        "[saddle—anaesthesia]",
        "[ｓａｄｄｌｅ_ａｎａｅｓｔｈｅｓｉａ]",
        '["saddle\u200b_anaesthesia"]',
        "[saddle_anaesthesia.]",
        "{saddle_anaesthesia: sí}",
        "[[saddle_anaesthesia]]",
        "[[none], [saddle_anaesthesia]]",
    ],
)
def test_a_red_flag_written_any_way_is_an_emergency(tmp_path, flags):
    assert_stops(plan(tmp_path, answers(flags=flags)), EMERGENCY)


def test_a_see_clinician_sign_in_a_mapping_or_nested_list_is_not_made_an_emergency(tmp_path):
    result = plan(tmp_path, answers(flags="{history_of_cancer: yes, saddle_anaesthesia: no}"))
    assert_stops(result, SEE)
    assert_stops(plan(tmp_path, answers(flags="[[history_of_cancer]]")), SEE)


@pytest.mark.parametrize(
    "legs", ["ambas piernas", "Sí, en las dos piernas", "Yes, in both legs", "bilateral", "???"]
)
def test_both_legs_in_any_words_or_an_unreadable_answer_is_the_emergency(tmp_path, legs):
    result = plan(tmp_path, answers() + f"leg_symptoms: {legs!r}\n")
    assert_stops(result, EMERGENCY)
    assert "bilateral_leg_symptoms" in result.stdout


@pytest.mark.parametrize(
    ("legs", "choice"),
    [
        ("One-Leg Below Knee", "one_leg_below_knee"),
        ("Yes, in one leg, going below the knee", "one_leg_below_knee"),
        ("Sí, en una pierna, solo por encima de la rodilla", "one_leg_above_knee"),
    ],
)
def test_a_one_leg_answer_in_the_interviews_words_is_read(tmp_path, legs, choice):
    from backplan.intake.answers import Answers

    data = {"sharp_pain": False, "pain": 2, "red_flags": [], "leg_symptoms": legs}
    assert Answers.model_validate(data).leg_symptoms == choice


@pytest.mark.parametrize("sharp", ["'No.'", "ｎｏ", "'\u200bno'"])  # the person said no: read as no
def test_a_no_with_punctuation_or_other_forms_is_read_as_no(tmp_path, sharp):
    result = plan(tmp_path, answers(sharp=sharp))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            '[{"sharp_pain": false, "pain": 3, "red_flags": ["saddle_anaesthesia"]}]',
            "a.json",
        ),
        ("- " + answers(flags="[saddle_anaesthesia]").replace("\n", "\n  ").rstrip(), "a.yaml"),
        (
            '{"sharp_pain": false, "pain": 3, "red_flags": ["saddle_anaesthesia"], "notes": [}',
            "a.json",
        ),
        (OK + "sharp_pain: false\npain: 3\nred_flags: [saddle_anaesthesia, \n", "a.yaml"),
        (OK + "sharp_pain: false\npain: 3\nred_flags:\n\t- saddle_anaesthesia\n", "a.yaml"),
    ],
    ids=["json-array", "yaml-list", "one-line-json-broken", "flags-cut-short", "tab-indent"],
)
def test_a_file_of_another_shape_or_broken_still_gives_its_emergency(tmp_path, text, name):
    assert_stops(plan(tmp_path, text, name=name), EMERGENCY)


def test_a_broken_file_without_a_sign_is_a_plain_error(tmp_path):
    result = plan(tmp_path, OK + "sharp_pain: false\npain: 3\nred_flags: [\n", name="a.yaml")
    assert result.exit_code == 2, result.output


# --- rosters --------------------------------------------------------------------------------


def batch(tmp_path: Path, name: str, text: str, *args: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["batch", str(path), "-o", str(out), "-f", "json", "--date", DATE, *args]
    )
    written = {p.name: json.loads(p.read_text()) for p in out.glob("*.json")}
    return result, written


ROW = "  new_onset: false\n  sharp_pain: false\n  pain: 3\n"


def test_a_yaml_syntax_error_in_one_row_does_not_hide_another_rows_emergency(tmp_path):
    text = (
        "- patient: {name: Ana, age: 40}\n" + ROW + "  red_flags: [saddle_anaesthesia]\n"
        "- patient: {name: Bo, age: 40}\n" + ROW + "  notes: [a, b\n  red_flags: []\n"
        "- patient: {name: Cy, age: 40}\n" + ROW + "  red_flags: []\n"
    )
    result, written = batch(tmp_path, "r.yaml", text)
    assert result.exit_code == 4, result.output
    ana = next(v for k, v in written.items() if k.startswith("ana"))
    assert ana["status"] == "stop" and ana["urgency"] == "emergency"
    assert not any(k.startswith("bo") for k in written)  # the broken row gets nothing
    cy = next(v for k, v in written.items() if k.startswith("cy"))
    assert cy["status"] == "plan"


def test_a_broken_yaml_row_is_itself_searched_for_its_stop(tmp_path):
    text = (
        "- patient: {name: Ana, age: 40}\n" + ROW + "  red_flags: [saddle_anaesthesia\n"
        "- patient: {name: Bo, age: 40}\n" + ROW + "  red_flags: []\n"
    )
    result, written = batch(tmp_path, "r.yaml", text)
    assert result.exit_code == 4, result.output
    (stop,) = [v for v in written.values() if v["status"] == "stop"]
    assert stop["urgency"] == "emergency"


def test_a_yaml_roster_broken_without_any_stop_is_still_the_files_error(tmp_path):
    text = "- patient: {name: Bo, age: 40}\n" + ROW + "  notes: [a, b\n  red_flags: []\n"
    result, written = batch(tmp_path, "r.yaml", text)
    assert result.exit_code == 2 and not written
    assert "YAML syntax error" in result.output


def test_a_byte_that_is_not_utf8_in_one_row_does_not_hide_another_rows_emergency(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_bytes(
        b"- patient: {name: Ana, age: 40}\n" + ROW.encode() + b"  red_flags: [fever]\n"
        b"- patient: {name: Caf\xe9, age: 40}\n" + ROW.encode() + b"  red_flags: []\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(path), "-o", str(out), "-f", "json"])
    assert result.exit_code == 4, result.output
    assert [json.loads(p.read_text())["status"] for p in out.glob("*.json")] == ["stop"]


HEADER = "name,age,new_onset,sharp_pain,pain,{flags}\n"


@pytest.mark.parametrize("flags", ["Red Flags", "RED_FLAGS", "red-flags", "redflags"])
def test_a_csv_header_spelling_the_red_flags_column_otherwise_keeps_the_stop(tmp_path, flags):
    text = HEADER.format(flags=flags) + "Ana,40,no,no,3,saddle_anaesthesia\nBo,40,no,no,3,\n"
    result, written = batch(tmp_path, "r.csv", text)
    assert result.exit_code == 4, result.output
    assert [v["status"] for v in written.values()] == ["stop"]  # no plan until it is fixed


def test_an_extra_csv_column_does_not_hide_a_stop(tmp_path):
    text = HEADER.format(flags="red_flags,extra") + "Ana,40,no,no,8,,x\n"
    result, written = batch(tmp_path, "r.csv", text)
    assert result.exit_code == 3, result.output
    assert [v["status"] for v in written.values()] == ["stop"]


def test_a_csv_header_problem_without_a_stop_is_one_file_error(tmp_path):
    result, written = batch(tmp_path, "r.csv", HEADER.format(flags="extra") + "Bo,40,no,no,3,\n")
    assert result.exit_code == 2 and not written


def test_a_semicolon_delimited_csv_is_read(tmp_path):
    text = "name;age;new_onset;sharp_pain;pain;red_flags\nAna;40;no;no;3;saddle_anaesthesia\n"
    result, written = batch(tmp_path, "r.csv", text)
    assert result.exit_code == 4, result.output
    assert [v["status"] for v in written.values()] == ["stop"]


def test_an_unquoted_comma_in_a_name_does_not_hide_the_rows_emergency(tmp_path):
    text = HEADER.format(flags="red_flags") + "Ana, Maria,40,no,no,3,saddle_anaesthesia\n"
    text += "Bo,40,no,no,3,\n"
    result, written = batch(tmp_path, "r.csv", text)
    assert result.exit_code == 4, result.output
    stops = [v for v in written.values() if v["status"] == "stop"]
    assert [s["urgency"] for s in stops] == ["emergency"]


def test_an_unquoted_comma_in_a_row_that_does_not_stop_is_a_failed_row(tmp_path):
    text = HEADER.format(flags="red_flags") + "Ana, Maria,40,no,no,3,\n"
    result, written = batch(tmp_path, "r.csv", text)
    assert result.exit_code == 1, result.output
    assert not written


# --- options ----------------------------------------------------------------------------------

STOP = "sharp_pain: false\npain: 3\nred_flags: [saddle_anaesthesia]\n"


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--max-exercises", "0"],
        ["plan", "--max-exercises", "x"],
        ["plan", "--templates", "/nonexistent/folder"],
        ["plan", "--no-such-option"],
        ["session", "--no-such-option"],
    ],
)
def test_an_option_typer_refuses_never_hides_the_stop(tmp_path, monkeypatch, capsys, args):
    import sys

    from backplan.cli.app import main

    path = tmp_path / "a.yaml"
    path.write_text(STOP, encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["backplan", *args, "--answers", str(path)])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == EMERGENCY
    out = capsys.readouterr().out
    assert "Seek emergency care today" in out


def test_a_refused_option_without_a_stop_is_still_exit_2(tmp_path, monkeypatch, capsys):
    import sys

    from backplan.cli.app import main

    path = tmp_path / "a.yaml"
    path.write_text(answers(), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["backplan", "plan", "--max-exercises", "0", "-a", str(path)])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2


@pytest.mark.parametrize("args", [["-f", "bad"], ["--paper", "a7"], ["--date", "2026-13-45"]])
def test_a_batch_with_a_bad_option_lists_its_stops_and_exits_with_their_code(tmp_path, args):
    roster = tmp_path / "r.yaml"
    roster.write_text(
        "- patient: {name: Ana, age: 40}\n" + ROW + "  red_flags: [saddle_anaesthesia]\n"
        "- patient: {name: Bo, age: 40}\n" + ROW + "  red_flags: []\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), *args])
    assert result.exit_code == 4, result.output
    assert "Ana (line 1): EMERGENCY CARE TODAY: saddle_anaesthesia" in result.output
    assert "Bo" not in result.output.split("These rows stop")[1]
    assert not out.exists()


def test_a_batch_with_a_bad_option_and_no_stop_is_exit_2(tmp_path):
    roster = tmp_path / "r.yaml"
    roster.write_text("- patient: {name: Bo, age: 40}\n" + ROW + "  red_flags: []\n")
    result = runner.invoke(app, ["batch", str(roster), "-o", str(tmp_path / "o"), "-f", "bad"])
    assert result.exit_code == 2


# --- a plan file edited by hand -----------------------------------------------------------------


def _plan_file(tmp_path: Path, **changes) -> Path:
    made = plan(tmp_path, answers())
    data = json.loads(made.stdout)
    assert data["status"] == "plan"
    data.update(changes)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "Stop"}, EMERGENCY),  # a stop of unknown urgency: when in doubt
        ({"status": " STOP "}, EMERGENCY),
        ({"urgency": "emergency"}, EMERGENCY),  # a plan that carries an urgency
        ({"reasons": [{"id": "Saddle Anesthesia"}]}, EMERGENCY),
        (
            {
                "status": "stop",
                "urgency": "see_clinician",
                "reasons": [{"id": "history_of_cancer"}],
            },
            SEE,
        ),
        ({"answers": {"sharp_pain": False, "pain": 3, "red_flags": ["fever"]}}, EMERGENCY),
        ({"answers": {"sharp_pain": "yes please", "pain": 3, "red_flags": []}}, SEE),
    ],
)
def test_a_hand_edited_plan_that_says_stop_gives_no_session_and_no_next_plan(
    tmp_path, changes, code
):
    path = _plan_file(tmp_path, **changes)
    result = runner.invoke(app, ["session", "--plan", str(path), "--db", str(tmp_path / "l.db")])
    assert result.exit_code == code, result.output
    assert "stop notice, not a plan" in result.output
    result = runner.invoke(
        app, ["plan", "--next", "--plan", str(path), "--db", str(tmp_path / "l.db"), "-f", "json"]
    )
    assert result.exit_code == code, result.output
    assert "warmup" not in result.stdout


def test_a_plan_whose_answers_stop_for_a_cleared_reason_is_still_followed(tmp_path):
    path = _plan_file(
        tmp_path,
        answers={"sharp_pain": False, "pain": 3, "red_flags": ["history_of_cancer"]},
        # today: the clearance holds 12 weeks from its date, and the session checks it today
        cleared={"by": "Dr A", "on": str(date.today()), "reasons": [{"id": "history_of_cancer"}]},
    )
    from backplan.home.session import load_plan_file

    plan_read, _data = load_plan_file(path)
    assert plan_read.items()


# --- at a prompt ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "1.",
        "1)",
        "#1",
        "saddle anesthesia",
        "Numbness or changed feeling around the genitals, buttocks or inner thighs",
        "3 and 1",
    ],
)
def test_the_interviews_checklist_reads_a_sign_however_it_is_typed(typed):
    result = runner.invoke(app, ["plan", "-f", "json"], input=typed + "\n")
    assert result.exit_code == EMERGENCY, result.output
    assert "warmup" not in result.stdout


def test_an_unreadable_checklist_answer_is_asked_again_not_taken_as_none():
    result = runner.invoke(app, ["plan", "-f", "json"], input="history_of_cancer\n")
    # Asked again; the input then ends, so the sign it names stands (see a clinician, 3).
    assert result.exit_code == 3
    assert "is not one of the answers" in result.output
    assert "warmup" not in result.stdout


@pytest.mark.parametrize("typed", ["7/10", "siete", "seven", "7.5", "６.５", "8 out of 10"])
def test_severe_pain_typed_in_words_or_forms_at_the_prompt_stops(typed):
    result = runner.invoke(app, ["plan", "-f", "json"], input=f"none\nno\nnone\n{typed}\n")
    assert result.exit_code == SEE, result.output
    assert "pain_nrs_severe" in result.stdout


def test_the_session_checklist_reads_an_items_own_words():
    from backplan.intake.reading import pick_items

    items = [(f"item{n}", label) for n, label in enumerate(["Fever or chills", "A fall"])]
    assert pick_items("Fever or chills", items) == ["item0"]
    assert pick_items("2, 1", items) == ["item0", "item1"]
    with pytest.raises(ValueError):
        pick_items("3", items)


@pytest.mark.parametrize(
    ("bo_row", "bo_urgency"),
    [('"Bo,40,no,no,3,', None), ('Bo,40,no,no,3,"history_of_cancer', "see_clinician")],
    ids=["quote-in-name", "quote-in-flags"],
)
def test_a_quote_left_open_does_not_swallow_the_next_rows_emergency(tmp_path, bo_row, bo_urgency):
    text = HEADER.format(flags="red_flags") + bo_row + "\nAna,40,no,no,3,saddle_anaesthesia\n"
    result, written = batch(tmp_path, "r.csv", text)
    assert result.exit_code == 4, result.output
    urgency = {name.split("-")[0]: data.get("urgency") for name, data in written.items()}
    assert urgency["ana"] == "emergency"
    assert urgency.get("bo") == bo_urgency
    assert "is not closed" in result.output


def test_a_note_on_several_lines_in_quotes_is_still_one_row(tmp_path):
    text = "name,sharp_pain,pain,red_flags,notes\n" + 'Bo,no,3,,"line one\nline two"\n'
    result, written = batch(tmp_path, "r.csv", text)
    assert result.exit_code == 0, result.output
    (data,) = written.values()
    assert data["status"] == "plan"


def test_a_key_given_twice_inside_a_json_array_of_one_object_keeps_the_emergency(tmp_path):
    text = (
        '[{"red_flags": [], "red_flags": ["saddle_anaesthesia"], "sharp_pain": false, "pain": 0}]'
    )
    assert_stops(plan(tmp_path, text, name="a.json"), EMERGENCY)


def test_an_age_at_the_top_level_without_new_onset_names_the_rule_it_would_turn_off(tmp_path):
    result = plan(tmp_path, "age: 55\n" + "sharp_pain: false\npain: 3\nred_flags: []\n")
    assert result.exit_code == 2
    assert "with age 55 it decides the rule `age_new_onset_over_50`" in result.output


@pytest.mark.parametrize("flags", ['["?"]', '["¿?"]', '["..."]'])
def test_a_question_mark_for_a_red_flag_is_doubt_not_nothing(tmp_path, flags):
    assert_stops(plan(tmp_path, answers(flags=flags)), EMERGENCY)


@pytest.mark.parametrize("sharp", ['"no?"', '"¿no?"', '"?"'])
def test_a_no_with_a_question_mark_is_doubt_and_counts_as_sharp_pain(tmp_path, sharp):
    assert_stops(plan(tmp_path, answers(sharp=sharp)), SEE)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("patient: {age: 40, red_flags: [saddle_anaesthesia]}\nsharp_pain: no\npain: 1\n", 4),
        ("answers: {sharp_pain: yes, pain: 2, red_flags: []}\n", 3),
        ("sharp_pain: no\npain: 2\nred_flags: []\nsaddle_anaesthesia: yes\n", 4),
        ("sharp_pain: no\npain: 2\nred_flags: []\nHistory of cancer: true\n", 3),
    ],
    ids=["flags-under-patient", "wrapped", "sign-as-key", "clinician-sign-as-key"],
)
def test_an_answer_in_the_wrong_place_or_a_sign_as_a_key_still_stops(tmp_path, text, code):
    assert_stops(plan(tmp_path, text), code)


def test_a_sign_answered_no_as_a_key_or_in_a_clearance_does_not_stop(tmp_path):
    text = "sharp_pain: no\npain: 2\nred_flags: []\nsaddle_anaesthesia: no\nnotes: [{pain: 9}]\n"
    result = plan(tmp_path, text)
    assert result.exit_code == 2, result.output


def test_a_csv_with_a_column_per_sign_keeps_the_stop(tmp_path):
    text = "name,sharp_pain,pain,red_flags,saddle_anaesthesia,history_of_cancer\n"
    text += "Ana,no,2,,yes,no\nBo,no,2,,no,no\n"
    result, written = batch(tmp_path, "r.csv", text)
    assert result.exit_code == 4, result.output
    assert [v.get("urgency") for v in written.values()] == ["emergency"]


@pytest.mark.parametrize(
    "text",
    [
        "Ana:\n  sharp_pain: no\n  pain: 2\n  red_flags: [saddle_anaesthesia]\n"
        "Bo:\n  sharp_pain: no\n  pain: 2\n  red_flags: []\n",
        "sharp_pain: no\npain: 2\nred_flags: [fever]\n",
    ],
    ids=["mapping-of-patients", "one-record"],
)
def test_a_roster_that_is_not_a_list_still_gives_its_emergency(tmp_path, text):
    result, written = batch(tmp_path, "r.yaml", text)
    assert result.exit_code == 4, result.output
    assert [v["urgency"] for v in written.values()] == ["emergency"]


def test_a_roster_that_is_not_a_list_and_does_not_stop_is_the_files_error(tmp_path):
    result, written = batch(tmp_path, "r.yaml", "sharp_pain: no\npain: 2\nred_flags: []\n")
    assert result.exit_code == 2 and not written


@pytest.mark.parametrize("legs", ["no", "No", "'ninguno'", "none"])
def test_leg_symptoms_no_is_none_not_an_emergency(tmp_path, legs):
    result = plan(tmp_path, answers() + f"leg_symptoms: {legs}\n")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("legs", ["yes", "4", "true"])
def test_leg_symptoms_that_do_not_say_which_legs_count_as_both(tmp_path, legs):
    assert_stops(plan(tmp_path, answers() + f"leg_symptoms: {legs}\n"), EMERGENCY)


def test_a_plan_whose_clearance_has_expired_is_not_followed(tmp_path):
    path = _plan_file(
        tmp_path,
        answers={"sharp_pain": False, "pain": 3, "red_flags": ["history_of_cancer"]},
        cleared={"by": "Dr A", "on": "2020-01-06", "reasons": [{"id": "history_of_cancer"}]},
    )
    result = runner.invoke(app, ["session", "--plan", str(path), "--db", str(tmp_path / "l.db")])
    assert result.exit_code == SEE, result.output


@pytest.mark.parametrize("suffix", ["ics", "html", "md", "json"])
def test_a_stop_from_a_broken_file_writes_no_exercise_in_any_format(tmp_path, suffix):
    path = tmp_path / "a.yaml"
    path.write_text(OK + "sharp_pain: false\npain: 3\nredflags: [saddle anesthesia\n")
    out = tmp_path / f"notice.{suffix}"
    result = runner.invoke(app, ["plan", "-a", str(path), "-o", str(out), "--date", DATE])
    assert result.exit_code == EMERGENCY, result.output
    text = out.read_text(encoding="utf-8")
    shown = re.sub(r"<style.*?</style>", "", text, flags=re.S)  # the stylesheet names classes
    assert "Seek emergency care today" in shown or "emergency" in shown
    for exercise_word in ("Warm-up", "warmup", "reps", "Bird Dog", "Pelvic Tilt"):
        assert exercise_word not in shown
    if suffix == "ics":
        import icalendar

        events = icalendar.Calendar.from_ical(text).walk("VEVENT")
        assert [str(e["SUMMARY"]) for e in events] == ["Seek emergency care today"]
