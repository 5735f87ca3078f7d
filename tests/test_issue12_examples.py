"""Each example of issue 12's "Why" list, issue 13 items 1 and 5, and clinician clearance,
through the command a person runs (CliRunner on the real app)."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from backplan.cli.app import app

runner = CliRunner()
DATE = "2026-12-01"


def plan(tmp_path: Path, text: str, *args: str, name: str = "answers.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return runner.invoke(app, ["plan", "-a", str(path), "--date", DATE, *args])


def stop_of(result) -> dict:
    data = json.loads(result.stdout)
    assert data["status"] == "stop" and "exercises" not in data
    return data


SAFE = "sharp_pain: false\npain: 2\nred_flags: []\n"


# --- integers are decimal -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["answers.yaml", "answers.json"])
def test_age_055_is_55_and_new_onset_stops(tmp_path, name):
    text = (
        '{"patient": {"age": 055}, "new_onset": true, "sharp_pain": false, "pain": 2, '
        '"red_flags": []}'
    )
    result = plan(tmp_path, text, "-f", "json", name=name)
    assert result.exit_code == 3, result.output
    assert [r["id"] for r in stop_of(result)["reasons"]] == ["age_new_onset_over_50"]


def test_age_020_is_20_not_16(tmp_path):
    result = plan(tmp_path, "patient: {age: 020}\nnew_onset: true\n" + SAFE, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["patient"]["age"] == 20


def test_a_yaml_roster_reads_055_as_55(tmp_path):
    roster = tmp_path / "r.yaml"
    roster.write_text("- patient: {name: Al, age: 055}\n  new_onset: yes\n" + _indent(SAFE))
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json"])
    assert result.exit_code == 3, result.output
    (notice,) = _handouts(out)
    assert json.loads(notice.read_text())["reasons"][0]["id"] == "age_new_onset_over_50"


def test_base_60_and_other_bases_never_become_numbers(tmp_path):
    result = plan(tmp_path, "sharp_pain: false\npain: 0x7\nred_flags: []\n", "-f", "json")
    # `0x7` is text, which cannot be read as pain: it counts as severe, and is named
    assert result.exit_code == 3
    assert "'0x7' is not a pain score" in result.output


# --- red-flag spellings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "flags",
    [
        "[saddle_anesthesia]",
        "[SADDLE_ANAESTHESIA]",
        "[saddle-anaesthesia]",
        '[" saddle_anaesthesia"]',
        "saddle anesthesia",
        '"history_of_cancer, Saddle-Anesthesia"',
    ],
)
def test_any_spelling_of_an_emergency_sign_is_an_emergency(tmp_path, flags):
    result = plan(tmp_path, f"sharp_pain: true\npain: 2\nred_flags: {flags}\n", "-f", "json")
    assert result.exit_code == 4, result.output
    assert "saddle_anaesthesia" in [r["id"] for r in stop_of(result)["reasons"]]


def test_a_csv_roster_cell_of_red_flags_is_read_like_a_file(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(
        'name,sharp_pain,pain,red_flags\nAl,true,2,"Saddle-Anesthesia, history of cancer"\n'
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json"])
    assert result.exit_code == 4, result.output
    (notice,) = _handouts(out)
    ids = [r["id"] for r in json.loads(notice.read_text())["reasons"]]
    assert ids[0] == "saddle_anaesthesia" and "history_of_cancer" in ids


@pytest.mark.parametrize(
    ("entry", "code"),
    [("bladder trouble", 4), ("xyzzy", 4), ("cancer", 3), ("weight loss", 3)],
)
def test_an_unreadable_red_flag_is_named_and_as_urgent_as_it_could_be(tmp_path, entry, code):
    result = plan(tmp_path, f"sharp_pain: false\npain: 2\nred_flags: [{entry}]\n", "-f", "json")
    assert result.exit_code == code, result.output
    (reason,) = stop_of(result)["reasons"]
    assert reason["id"] == "unreadable_red_flag" and entry in reason["message"]
    assert f"`{entry}`" in result.stderr  # the problem is listed too


# --- a key given twice --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("sharp_pain: false\npain: 2\nred_flags: []\nred_flags: [saddle_anaesthesia]\n", 4),
        ("sharp_pain: false\nsharp_pain: true\npain: 2\nred_flags: []\n", 3),
        ("sharp_pain: false\npain: 2\npain: 8\nred_flags: []\n", 3),
        ("patient: {age: 40, age: 60}\nnew_onset: true\n" + SAFE, 3),
        ("patient: {age: 60}\nnew_onset: false\nnew_onset: true\n" + SAFE, 3),
        ('{"sharp_pain": false, "pain": 2, "red_flags": [], "red_flags": ["fever"]}', 4),
    ],
)
def test_a_key_given_twice_uses_its_most_urgent_value(tmp_path, text, code):
    result = plan(tmp_path, text, "-f", "json")
    assert result.exit_code == code, result.output
    assert "is given twice" in result.stderr


# --- pain and yes/no ----------------------------------------------------------------------------


@pytest.mark.parametrize("pain", ["11", '"9/10"', "7.5", "6.1", '" 8 "', "yes", "high", "-1"])
def test_pain_that_is_severe_or_unreadable_stops(tmp_path, pain):
    result = plan(tmp_path, f"sharp_pain: false\npain: {pain}\nred_flags: []\n", "-f", "json")
    assert result.exit_code == 3, result.output
    assert [r["id"] for r in stop_of(result)["reasons"]] == ["pain_nrs_severe"]


@pytest.mark.parametrize("pain", ['"3/10"', "2.5", "03", '" 3 "'])
def test_readable_pain_is_read_and_rounded_up(tmp_path, pain):
    result = plan(tmp_path, f"sharp_pain: false\npain: {pain}\nred_flags: []\n", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "plan"


def test_pain_yes_is_never_pain_1(tmp_path):
    result = plan(tmp_path, "sharp_pain: false\npain: yes\nred_flags: []\n", "-f", "json")
    assert result.exit_code == 3
    assert "is a yes/no answer, not a pain score" in result.stderr


@pytest.mark.parametrize("word", ["sí", '" TRUE "', "Yes", '"verdadero"', '"S"', "maybe", "1"])
def test_sharp_pain_in_any_yes_word_or_unreadable_stops(tmp_path, word):
    result = plan(tmp_path, f"sharp_pain: {word}\npain: 2\nred_flags: []\n", "-f", "json")
    assert result.exit_code == 3, result.output
    assert [r["id"] for r in stop_of(result)["reasons"]] == ["sharp_pain"]


@pytest.mark.parametrize("word", ["no", '" FALSE "', '"falso"', "N"])
def test_sharp_pain_no_words_give_a_plan(tmp_path, word):
    result = plan(tmp_path, f"sharp_pain: {word}\npain: 2\nred_flags: []\n", "-f", "json")
    assert result.exit_code == 0, result.output


def test_a_batch_row_with_unreadable_pain_is_stopped_with_its_notice(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("name,sharp_pain,pain,red_flags\nAl,no,11,\nBo,sí,2,\nCy,no,9/10,\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json"])
    assert result.exit_code == 3, result.output
    assert len(list(_handouts(out))) == 3
    assert all(json.loads(p.read_text())["status"] == "stop" for p in _handouts(out))


# --- missing new_onset --------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "rule"), [(60, "age_new_onset_over_50"), (17, "under_20")])
def test_missing_new_onset_names_the_age_rule_it_would_turn_off(tmp_path, age, rule):
    result = plan(tmp_path, f"patient: {{age: {age}}}\n" + SAFE)
    assert result.exit_code == 2
    assert "`new_onset` is missing" in result.output and rule in result.output


def test_missing_new_onset_with_another_stop_shows_the_stop(tmp_path):
    text = "patient: {age: 60}\nsharp_pain: true\npain: 2\nred_flags: []\n"
    result = plan(tmp_path, text, "-f", "json")
    assert result.exit_code == 3
    assert "age_new_onset_over_50" in result.stderr


def test_a_roster_without_a_new_onset_column_never_turns_the_age_rules_off(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("name,age,sharp_pain,pain,red_flags\nAl,61,no,2,\nBo,35,no,2,\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json"])
    assert result.exit_code == 1, result.output  # Al failed, naming the rule; Bo has a plan
    assert "age_new_onset_over_50" in result.stdout
    assert [p.name.split("-")[0] for p in _handouts(out)] == ["bo"]


# --- bad options --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["--lang", "xx"], ["--date", "bad"], ["--format", "bad"], ["--paper", "a9"]]
)
def test_a_bad_option_never_hides_a_stop(tmp_path, args):
    text = "sharp_pain: false\npain: 2\nred_flags: [saddle_anaesthesia]\n"
    path = tmp_path / "a.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["plan", "-a", str(path), *args])
    assert result.exit_code == 4, result.output
    assert "emergency" in result.stdout.lower()
    assert args[1] in result.stderr  # and the option's error


def test_a_bad_option_without_a_stop_is_still_exit_2(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(SAFE)
    assert runner.invoke(app, ["plan", "-a", str(path), "--lang", "xx"]).exit_code == 2


# --- issue 13 item 1: a tagged or date-shaped value never hides a stop --------------------------


@pytest.mark.parametrize(
    "extra",
    [
        "notes: [2025-02-29]\n",
        "pain: 2024-02-30\n",
        "pain: !!int x\n",
        "sharp_pain: !!bool maybe\n",
        "patient: {name: !!timestamp soon}\n",
        "level: !!float fast\n",
        "notes: !!set {a}\n",
        "clinician: !custom x\n",
    ],
)
def test_13_1_a_tag_or_date_never_crashes_and_the_emergency_stands(tmp_path, extra):
    base = {"sharp_pain": "false", "pain": "2"}
    lines = [f"{k}: {v}\n" for k, v in base.items() if not extra.startswith(k)]
    text = "".join(lines) + extra + "red_flags: [saddle_anaesthesia]\n"
    result = plan(tmp_path, text, "-f", "json")
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert stop_of(result)["urgency"] == "emergency"


def test_13_1_a_tag_is_a_located_problem(tmp_path):
    result = plan(tmp_path, SAFE + "clinician: !!int x\n")
    assert result.exit_code == 2
    assert "answers.yaml:4:12: the YAML tag `!!int` does not fit the value 'x'" in result.output


def test_13_1_one_bad_row_never_aborts_a_roster(tmp_path):
    roster = tmp_path / "r.yaml"
    roster.write_text(
        "- {patient: {name: Al}, sharp_pain: !!bool maybe, pain: 2, red_flags: []}\n"
        "- {patient: {name: Bo}, sharp_pain: false, pain: 2, red_flags: [saddle_anaesthesia],"
        " notes: [2025-02-29]}\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json"])
    assert result.exit_code == 4, result.output
    assert sorted(p.name.split("-")[0] for p in _handouts(out)) == ["al", "bo"]


# --- issue 13 item 5 and the interview's words --------------------------------------------------

SAFE_INTERVIEW = ["none", "no", "none", "3/10", "no", "", "1", "none", "none", "1"]


def test_13_5_undecodable_bytes_at_the_interview_ask_again(tmp_path):
    lines = [b"\xff\xfe", b"none", b"n\xe9", b"no", *(s.encode() for s in SAFE_INTERVIEW[2:])]
    result = runner.invoke(app, ["plan", "-f", "json"], input=b"\n".join([*lines, b"Ana\xff"]))
    assert result.exit_code == 0, result.output
    assert "could not be read" in result.output
    assert json.loads(result.stdout)["patient"]["name"] == "Ana\ufffd"  # free text: replaced


def test_the_interview_reads_words_like_files():
    lines = ["ninguno", "Sí", "0", "2.5", "NO", "", "1", "none", "none", "1", ""]
    result = runner.invoke(app, ["plan", "-f", "json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 3  # `Sí` is sharp pain
    lines[1] = " n "
    result = runner.invoke(app, ["plan", "-f", "json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output


# --- clinician clearance ------------------------------------------------------------------------

CLEARED = """\
patient: {name: Ana, age: 58}
new_onset: false
sharp_pain: false
pain: 3
red_flags: [not_improving_after_1_month]
cleared: {by: "Dr. Ana Ruiz, DC", on: 2026-11-20, reasons: [not_improving_after_1_month]}
"""


def test_a_cleared_reason_gives_a_plan_that_names_the_clearance_in_every_format(tmp_path):
    result = plan(tmp_path, CLEARED)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Dr. Ana Ruiz, DC assessed you on November 20, 2026" in text
    assert "until February 12, 2027" in text and "not improved after 4 weeks" in text
    assert "Go to an emergency department today if" in text  # the safety box stays whole
    data = json.loads(plan(tmp_path, CLEARED, "-f", "json").stdout)
    assert data["cleared"] == {
        "by": "Dr. Ana Ruiz, DC",
        "on": "2026-11-20",
        "until": "2027-02-12",
        "reasons": [
            {
                "id": "not_improving_after_1_month",
                "message": "This episode has not improved after 4 weeks of looking after it "
                "yourself.",
            }
        ],
    }
    for fmt in ("md", "html"):
        out = " ".join(plan(tmp_path, CLEARED, "-f", fmt).stdout.split())
        assert "Dr. Ana Ruiz, DC assessed you on November 20, 2026" in out, fmt
        assert "not improved after 4 weeks" in out, fmt
    assert "Stop and call your chiropractor if" in out  # every format keeps the safety box
    ics = tmp_path / "plan.ics"
    assert plan(tmp_path, CLEARED, "-o", str(ics)).exit_code == 0
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    description = str(events[0]["DESCRIPTION"])
    assert "Dr. Ana Ruiz, DC" in description and "not improved after 4 weeks" in description


def test_a_clearance_is_shown_in_spanish(tmp_path):
    result = plan(tmp_path, CLEARED + "lang: es\n")
    assert result.exit_code == 0
    assert "AUTORIZADO POR SU PROFESIONAL" in result.stdout.upper()
    assert "le valoró el 20 de noviembre de 2026" in " ".join(result.stdout.split())


@pytest.mark.pdf
def test_a_cleared_pdf_names_the_clearance(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "plan.pdf"
    assert plan(tmp_path, CLEARED, "-o", str(out)).exit_code == 0
    text = " ".join("".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Dr. Ana Ruiz, DC assessed you" in text


@pytest.mark.parametrize(
    ("date", "why"),
    [("2027-02-13", "ended on 2027-02-12"), ("2026-11-19", "after this plan's date")],
)
def test_an_expired_or_future_clearance_does_not_clear(tmp_path, date, why):
    path = tmp_path / "a.yaml"
    path.write_text(CLEARED)
    result = runner.invoke(app, ["plan", "-a", str(path), "--date", date, "-f", "json"])
    assert result.exit_code == 3
    assert why in stop_of(result)["notes"][0]


def test_the_last_day_of_a_clearance_still_clears(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(CLEARED)
    result = runner.invoke(app, ["plan", "-a", str(path), "--date", "2027-02-12"])
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("flags", "sharp", "reasons", "code", "message"),
    [
        ("[saddle_anaesthesia]", "false", "[saddle_anaesthesia]", 4, "an emergency sign"),
        ("[]", "true", "[sharp_pain]", 3, "sharp pain is never cleared"),
        ("[Fever-or-systemically-unwell]", "false", '"fever or systemically unwell"', 4, "never"),
        ("[history_of_cancer]", "false", "[history_of_cancer, sharp_pain]", 3, "never cleared"),
    ],
)
def test_emergency_signs_and_sharp_pain_are_never_cleared(
    tmp_path, flags, sharp, reasons, code, message
):
    text = (
        f"sharp_pain: {sharp}\npain: 2\nred_flags: {flags}\n"
        f"cleared: {{by: Dr X, on: 2026-11-20, reasons: {reasons}}}\n"
    )
    result = plan(tmp_path, text, "-f", "json")
    assert result.exit_code == code, result.output
    assert message in result.stderr
    stop_of(result)


@pytest.mark.parametrize("missing", ["by: Dr X, ", "on: 2026-11-20, "])
def test_a_clearance_without_who_or_when_clears_nothing(tmp_path, missing):
    clearance = "by: Dr X, on: 2026-11-20, ".replace(missing, "")
    text = (
        "sharp_pain: false\npain: 2\nred_flags: [history_of_cancer]\n"
        f"cleared: {{{clearance}reasons: [history_of_cancer]}}\n"
    )
    result = plan(tmp_path, text, "-f", "json")
    assert result.exit_code == 3
    assert "nothing is cleared and the stop stands" in result.stderr


def test_a_clearance_covers_only_the_reasons_it_names(tmp_path):
    text = CLEARED.replace(
        "red_flags: [not_improving_after_1_month]",
        "red_flags: [not_improving_after_1_month, history_of_cancer]",
    )
    result = plan(tmp_path, text, "-f", "json")
    assert result.exit_code == 3
    assert [r["id"] for r in stop_of(result)["reasons"]] == ["history_of_cancer"]


def test_the_interview_with_a_clinician_asks_and_records_the_clearance(tmp_path):
    saved = tmp_path / "saved.yaml"
    lines = ["none", "no", "8", "yes", "8", "yes", "yes", "55", "yes", "1", "none", "none", "1"]
    args = ["plan", "--clinician", "Dr. Ana Ruiz, DC", "--date", DATE, "-f", "json"]
    result = runner.invoke(
        app,
        [*args, "--save-answers", str(saved)],
        input="\n".join([*lines, "Ana"]) + "\n",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["clinician"] == "Dr. Ana Ruiz, DC"
    assert [r["id"] for r in data["cleared"]["reasons"]] == [
        "not_improving_after_1_month",
        "pain_nrs_severe",
        "age_new_onset_over_50",
    ]
    assert data["cleared"]["on"] == DATE
    # the saved answers make the same plan again
    again = runner.invoke(app, ["plan", "-a", str(saved), "--date", DATE, "-f", "json"])
    assert again.exit_code == 0 and json.loads(again.stdout)["cleared"] == data["cleared"]


def test_the_interview_never_asks_to_clear_sharp_pain_or_an_emergency():
    for lines, code in ((["1"], 4), (["none", "yes"], 3)):
        result = runner.invoke(
            app,
            ["plan", "--clinician", "Dr X", "-f", "json"],
            input="\n".join(lines) + "\n",
        )
        assert result.exit_code == code
        assert "do you clear this plan" not in result.output


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.splitlines())


def test_a_bad_option_never_hides_a_stop_in_a_session_either(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("sharp_pain: no\npain: 2\nred_flags: [Saddle-Anesthesia]\n")
    db = tmp_path / "log.sqlite3"
    result = runner.invoke(app, ["session", "-a", str(path), "--lang", "xx", "--db", str(db)])
    assert result.exit_code == 4, result.output
    assert "--lang xx" in result.stderr and not db.exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sharp_Pain: true\npain: 2\nred_flags: []\n", 3),  # a key spelt another way
        ("sharp_pain: false\npain: 2\nRed-Flags: [saddle_anaesthesia]\n", 4),
        (
            "sharp_pain: no\npain: 2\nred_flags: {saddle_anaesthesia: yes, history_of_cancer: no}\n",
            4,
        ),
        ("patient: {age: fifty-five}\nnew_onset: true\n" + SAFE, 3),  # unreadable age: may be >50
        ("patient: {age: 55 years}\nnew_onset: true\n" + SAFE, 3),
        ("sharp_pain: no\npain: 8 out of 10\nred_flags: []\n", 3),
    ],
)
def test_other_ways_of_writing_a_stop_never_weaken_it(tmp_path, text, code):
    result = plan(tmp_path, text, "-f", "json")
    assert result.exit_code == code, result.output
    stop_of(result)


def _handouts(folder):
    """The files a batch made, without its manifest (`.backplan-batch.jsonl`)."""
    from backplan.clinic.batch import MANIFEST

    return [p for p in folder.iterdir() if p.name != MANIFEST]
