"""`backplan plan` end to end: scripted interviews, answers files, exit codes, JSON and files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app

DATA = Path(__file__).parent / "data" / "answers"
# emergency, sharp, clinician signs, pain, new onset, age, legs, conditions, equipment, level, name
CLEAR = ["none", "no", "none", "3", "no", "", "1", "none", "1 2", "1", "Ana"]

runner = CliRunner()


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, ["plan", *args], input=input, env=env)


def script(lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


def test_scripted_interview_prints_a_plan():
    result = invoke("--date", "2026-03-02", input=script(CLEAR))
    assert result.exit_code == 0, result.output
    assert "Question 1 of 11" in result.stderr
    assert "Your exercises" in result.stdout or "YOUR EXERCISES" in result.stdout
    assert "Ana" in result.stdout
    assert "Question 1 of" not in result.stdout  # the questions stay on stderr


def test_scripted_interview_json_and_saved_answers(tmp_path):
    saved = tmp_path / "answers.yaml"
    result = invoke(
        "--format",
        "json",
        "--save-answers",
        str(saved),
        "--date",
        "2026-03-02",
        input=script(CLEAR),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "plan"
    assert data["patient"] == {"name": "Ana", "age": None}
    assert data["date"] == "2026-03-02"
    assert 1 <= len(data["exercises"]) <= 4
    for item in data["exercises"]:
        for key in (
            "id",
            "name",
            "pattern",
            "replaces",
            "why",
            "equipment",
            "dose",
            "steps",
            "cues",
            "progression",
        ):
            assert key in item
    # The saved answers give the same plan without asking anything.
    again = invoke("--answers", str(saved), "--format", "json", "--date", "2026-03-02")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == data


def test_invalid_answers_are_asked_again():
    lines = ["maybe", *CLEAR[:3], "eleven", "11", *CLEAR[3:]]
    result = invoke("--format", "json", input=script(lines))
    assert result.exit_code == 0, result.output
    assert result.stderr.count("is not one of the answers") == 3
    assert json.loads(result.stdout)["status"] == "plan"


def test_live_interview_stops_at_the_first_stop():
    result = invoke("--format", "json", input=script(["none", "yes"]))
    assert result.exit_code == 3
    assert json.loads(result.stdout) == {
        "status": "stop",
        "urgency": "see_clinician",
        "reasons": [
            {"id": "sharp_pain", "message": json.loads(result.stdout)["reasons"][0]["message"]}
        ],
    }
    assert "Question 3" not in result.stderr


def test_live_emergency_exits_4_and_prints_the_reasons():
    result = invoke(input=script(["5"]))
    assert result.exit_code == 4
    assert "both legs" in result.stdout
    assert "Question 2" not in result.stderr


def test_input_ending_early_exits_2_and_writes_nothing(tmp_path):
    saved, out = tmp_path / "a.yaml", tmp_path / "plan.md"
    result = invoke("--save-answers", str(saved), "-o", str(out), input=script(CLEAR[:5]))
    assert result.exit_code == 2
    assert "the input ended before the interview was complete" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_cancels_with_130(tmp_path, monkeypatch):
    def interrupted(self, prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr("backplan.intake.interview.StreamIO.ask", interrupted)
    saved = tmp_path / "a.yaml"
    result = invoke("--save-answers", str(saved), input="none\n")
    assert result.exit_code == 130
    assert "Interview cancelled; nothing was saved" in result.stderr
    assert not saved.exists()


@pytest.mark.parametrize(
    ("name", "code", "status", "urgency", "reasons"),
    [
        ("plan-home.yaml", 0, "plan", None, None),
        ("plan-moderate-pain.yaml", 0, "plan", None, None),
        ("plan-clinic.yaml", 0, "plan", None, None),
        ("stop-sharp-pain.yaml", 3, "stop", "see_clinician", ["sharp_pain"]),
        ("stop-severe-pain.json", 3, "stop", "see_clinician", ["pain_nrs_severe"]),
        (
            "stop-emergency.yaml",
            4,
            "stop",
            "emergency",
            [
                "saddle_anaesthesia",
                "sharp_pain",
                "history_of_cancer",
                "pain_nrs_severe",
                "age_new_onset_over_50",
            ],
        ),
        ("stop-with-bad-vocabulary.yaml", 4, "stop", "emergency", ["progressive_leg_weakness"]),
    ],
)
def test_answers_files(name, code, status, urgency, reasons):
    result = invoke("--answers", str(DATA / name), "--format", "json", "--date", "2026-03-02")
    assert result.exit_code == code, result.output
    data = json.loads(result.stdout)
    assert data["status"] == status
    if status == "stop":
        assert data["urgency"] == urgency
        assert [r["id"] for r in data["reasons"]] == reasons
        assert set(data) == {"status", "urgency", "reasons"}
    else:
        assert data["exercises"]
    assert "Question 1 of" not in result.output  # an answers file asks nothing


def test_moderate_pain_plan_is_eased_and_says_so():
    result = invoke("--answers", str(DATA / "plan-moderate-pain.yaml"), "--format", "json")
    data = json.loads(result.stdout)
    assert all(i["dose"]["eased"] for i in data["exercises"])
    assert any("moderate" in n["text"] for n in data["notes"])


def test_clinic_answers_adjust_the_plan_in_spanish():
    result = invoke("--answers", str(DATA / "plan-clinic.yaml"), "--format", "json")
    data = json.loads(result.stdout)
    assert data["lang"] == "es"
    assert data["clinician"] == "Dr. Ana Ruiz, DC"
    assert data["notes"][0] == {"id": "clinician", "text": "Walk 20 minutes a day as well."}
    ids = [i["id"] for i in data["exercises"]]
    assert "wall-plank" not in ids
    band = next(i for i in data["exercises"] if i["id"] == "band-pull-through")
    assert (band["dose"]["sets"], band["dose"]["reps"]) == (3, 8)
    assert band["notes"] == ["Keep the band low."]


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        # both_legs is an emergency sign: the stop is shown with the file's problems
        ("bad-many.yaml", 4, ["bad-many.yaml:3:13:", "bad-many.yaml:4:7:", "bad-many.yaml:8:1:"]),
        ("bad-new-onset-no-age.yaml", 2, ["bad-new-onset-no-age.yaml:2:12:", "patient.age"]),
        ("bad-vocabulary.yaml", 2, ["bad-vocabulary.yaml:4:14:", "kettlebell", "no-such-exercise"]),
    ],
)
def test_bad_answers_files_exit_with_lines(name, code, expected):
    result = invoke("--answers", str(DATA / name), "--format", "json")
    assert result.exit_code == code
    if code == 2:
        assert result.stdout == ""
    else:
        assert json.loads(result.stdout)["status"] == "stop"
    for text in expected:
        assert text in result.stderr
    assert "Traceback" not in result.output


def test_a_stop_to_a_file_holds_only_the_stop_notice(tmp_path):
    out = tmp_path / "notice.html"
    result = invoke("--answers", str(DATA / "stop-emergency.yaml"), "-o", str(out))
    assert result.exit_code == 4
    text = out.read_text(encoding="utf-8")
    assert "genitals" in text
    assert "Dose" not in text and "Steps" not in text and "Wall" not in text
    assert "written to" in result.stderr
    assert "genitals" in result.stdout  # said on screen too


def test_a_plan_to_a_json_file(tmp_path):
    out = tmp_path / "plan.json"
    result = invoke("--answers", str(DATA / "plan-home.yaml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["status"] == "plan"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "add -o FILE"),
        (["--date", "02/03/2026"], "YYYY-MM-DD"),
        (["--lang", "fr"], "--lang fr"),
        (["--paper", "a5"], "--paper a5"),
        (["--format", "docx"], "unknown format"),
        (["--max-exercises", "0"], "--max-exercises"),
    ],
)
def test_bad_options_exit_2_before_any_question(args, message):
    result = invoke(*args, input=script(CLEAR))
    assert result.exit_code == 2
    assert message in result.output
    assert "Question 1" not in result.output


def test_missing_answers_file_exits_2():
    result = invoke("--answers", "nope.yaml")
    assert result.exit_code == 2
    assert "no such answers file" in result.stderr


def test_max_exercises_option():
    result = invoke(
        "--answers", str(DATA / "plan-home.yaml"), "--format", "json", "--max-exercises", "1"
    )
    assert len(json.loads(result.stdout)["exercises"]) == 1


def test_spanish_interview_through_the_cli():
    lines = ["ninguno", "no", "ninguno", "2", "no", "", "1", "ninguno", "1", "1", ""]
    result = invoke("--lang", "es", "--format", "json", input=script(lines))
    assert result.exit_code == 0, result.output
    assert "Pregunta 1 de 11" in result.stderr
    assert json.loads(result.stdout)["lang"] == "es"


def test_piped_input_to_the_installed_command():
    proc = subprocess.run(
        [sys.executable, "-m", "backplan", "plan", "--format", "json"],
        input=script(["none", "no", "1"]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3
    assert json.loads(proc.stdout)["reasons"][0]["id"] == "history_of_cancer"
    assert "> none" in proc.stderr  # piped answers are echoed into the transcript


def test_the_documented_scripted_interview_runs():
    doc = (Path(__file__).parents[1] / "docs" / "answers-format.md").read_text(encoding="utf-8")
    line = next(x for x in doc.splitlines() if x.startswith("$ printf"))
    piped = line.split("'")[1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
    result = invoke("--format", "json", input=piped)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["patient"] == {"name": "Ana Pérez", "age": 44}
    assert any("moderate" in n["text"] for n in data["notes"])


def test_a_clinic_exercise_that_replaces_a_built_in_one_is_announced(tmp_path):
    from backplan.resources import builtin_exercises_dir

    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "squat.yaml").write_text(
        (builtin_exercises_dir() / "squat.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = invoke(
        "--answers", str(DATA / "plan-home.yaml"), "--library", str(clinic), "--format", "json"
    )
    assert result.exit_code == 0
    assert "replaces the built-in exercise `squat`" in result.stderr
    assert json.loads(result.stdout)["status"] == "plan"


def test_a_typo_never_hides_an_emergency_in_an_answers_file(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("sharp_pain: false\npain: 3\nred_flags: [saddle_anaesthesia]\ncolour: blue\n")
    result = invoke("--answers", str(path), "--format", "json")
    assert result.exit_code == 4, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "stop" and data["urgency"] == "emergency"
    assert "exercises" not in data
    assert "answers.yaml:4:1: unknown key `colour`" in result.stderr


@pytest.mark.pdf
def test_a_stop_whose_file_cannot_be_written_keeps_the_stop_exit_code(tmp_path):
    result = invoke(
        "--answers", str(DATA / "stop-sharp-pain.yaml"), "-o", str(tmp_path / "no" / "x.pdf")
    )
    assert result.exit_code == 3, result.output
    assert "sharp pain" in result.stdout
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("given", ["a-file.txt", "missing-folder"])
def test_templates_must_be_an_existing_folder(tmp_path, given):
    (tmp_path / "a-file.txt").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "plan.html"
    result = invoke(
        "--answers",
        str(DATA / "plan-home.yaml"),
        "--templates",
        str(tmp_path / given),
        "-o",
        str(out),
    )
    assert result.exit_code == 2
    assert "--templates" in result.output
    assert not out.exists()


# -- issue 18: `-` for standard input and output ---------------------------------------------

PLAN_YAML = "sharp_pain: no\npain: 3\nred_flags: []\n"


def test_answers_from_stdin():
    result = invoke("--answers", "-", "--date", "2026-03-02", "-f", "json", input=PLAN_YAML)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "plan"


def test_json_answers_from_stdin():
    text = json.dumps({"sharp_pain": False, "pain": 3, "red_flags": []})
    result = invoke("--answers", "-", "-o", "-", "-f", "json", input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "plan"


def test_a_problem_in_stdin_answers_is_named_stdin_with_its_line():
    result = invoke("--answers", "-", input="sharp_pain: no\npain: 3\nred_flag: []\n")
    assert result.exit_code == 2
    assert "<stdin>:3:1: unknown key `red_flag`" in result.stderr


def test_a_stop_in_stdin_answers_survives_a_bad_option():
    result = invoke(
        "--answers", "-", "--paper", "a5", input="sharp_pain: yes\npain: 3\nred_flags: []\n"
    )
    assert result.exit_code == 3
    assert "--paper a5" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "start"), [("md", "#"), ("html", "<!"), ("ics", "BEGIN:VCALENDAR")]
)
def test_dash_output_writes_each_format_to_stdout(tmp_path, fmt, start, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("--answers", str(DATA / "plan-home.yaml"), "-f", fmt, "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith(start)
    assert not (tmp_path / "-").exists()


def test_dash_output_without_format_is_the_plain_page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("--answers", str(DATA / "plan-home.yaml"), "-o", "-")
    assert result.exit_code == 0, result.output
    assert "exercise" in result.stdout.lower()
    assert not (tmp_path / "-").exists()


@pytest.mark.pdf
def test_a_pdf_goes_to_stdout_as_bytes_for_lpr(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "backplan", "plan", "--answers", "-", "-f", "pdf", "-o", "-"],
        input=PLAN_YAML.encode(),
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b"%PDF-")
    assert done.stdout.rstrip().endswith(b"%%EOF")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.pdf
def test_a_stop_sent_to_stdout_as_pdf_is_also_said_on_stderr(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "backplan", "plan", "--answers", "-", "-f", "pdf", "-o", "-"],
        input=b"sharp_pain: yes\npain: 3\nred_flags: []\n",
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 3
    assert done.stdout.startswith(b"%PDF-")
    assert "contact your chiropractor" in done.stderr.decode()


# -- issue 18: choices in any case, and every one of them in --help ---------------------------


@pytest.mark.parametrize("options", [["--format", "JSON"], ["--lang", "ES", "-f", "Json"]])
def test_choices_are_read_in_any_case(options):
    result = invoke("--answers", str(DATA / "plan-home.yaml"), *options)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "plan"
    assert data["lang"] == ("es" if "--lang" in options else "en")


def test_paper_and_lang_are_named_as_the_renderers_know_them():
    from backplan.cli.options import check_lang, check_paper

    assert check_paper("A4") == "a4"
    assert check_paper(" Letter") == "letter"
    assert check_lang("ES") == "es"
    assert check_lang(None) is None


@pytest.mark.pdf
def test_paper_in_capitals_makes_an_a4_pdf(tmp_path):
    out = tmp_path / "plan.pdf"
    result = invoke("--answers", str(DATA / "plan-home.yaml"), "--paper", "A4", "-o", str(out))
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert "595.276 x 841.89" in info.stdout  # A4 in points


def test_an_unknown_choice_is_still_refused_with_the_choices():
    result = invoke("--answers", str(DATA / "plan-home.yaml"), "--paper", "A5")
    assert result.exit_code == 2
    assert "--paper A5: use one of letter, a4" in result.stderr


def test_plan_help_lists_every_format():
    from backplan.cli.plan import FORMATS
    from backplan.render import FORMATS as RENDERED

    assert FORMATS == RENDERED
    text = " ".join(invoke("--help", env={"COLUMNS": "200"}).output.split())
    assert "terminal, json, pdf, html, md or ics" in text


# -- issue 18: the locale picks Spanish when nothing else says ----------------------------------


def test_lang_from_the_locale_for_an_answers_file_without_lang():
    result = invoke("--answers", "-", "-f", "json", input=PLAN_YAML, env={"LANG": "es_ES.UTF-8"})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lang"] == "es"


def test_the_answers_lang_and_the_option_beat_the_locale():
    spanish = {"LC_ALL": "es_ES.UTF-8"}
    said = invoke("--answers", "-", "-f", "json", input=PLAN_YAML + "lang: en\n", env=spanish)
    assert json.loads(said.stdout)["lang"] == "en"
    option = invoke("--answers", "-", "-f", "json", "--lang", "en", input=PLAN_YAML, env=spanish)
    assert json.loads(option.stdout)["lang"] == "en"


def test_the_interview_speaks_the_locale_language():
    result = invoke("--date", "2026-03-02", input=script(CLEAR), env={"LANG": "es_ES.UTF-8"})
    assert result.exit_code == 0, result.output
    assert "Pregunta 1 de 11" in result.stderr


def test_a_stop_in_the_locale_language():
    result = invoke(
        "--answers",
        "-",
        input="sharp_pain: yes\npain: 3\nred_flags: []\n",
        env={"LANG": "es_ES.UTF-8"},
    )
    assert result.exit_code == 3
    assert "quiropráctico" in result.stdout


# -- issue 18: help that reads at 80 columns, output without padding --------------------------


@pytest.mark.parametrize("answers", ["plan-home.yaml", "stop-sharp-pain.yaml"])
def test_piped_terminal_page_has_no_trailing_spaces(answers):
    result = invoke("--answers", str(DATA / answers))
    lines = result.stdout.splitlines()
    assert len(lines) > 10
    assert [line for line in lines if line != line.rstrip()] == []
    assert max(len(line) for line in lines) == 80  # boxes still drawn at the full width


def test_plan_help_descriptions_are_not_squeezed_at_80_columns():
    text = invoke("--help", env={"COLUMNS": "80"}).output
    first = next(line for line in text.splitlines() if "--answers" in line)
    start = first.index("Read the answers")
    assert 80 - 2 - start >= 40  # was 28: the --max-exercises range took the room
    assert all(len(line) <= 80 for line in text.splitlines())


# -- issue 18: a PDF without Pango ---------------------------------------------------------------


def test_a_pdf_without_pango_says_what_doctor_says_and_exits_2(no_pango, tmp_path):
    from backplan.doctor import PANGO_HINT

    doctor = runner.invoke(app, ["doctor"])
    assert f"weasyprint: {PANGO_HINT}" in " ".join(doctor.output.split())
    result = invoke("--answers", str(DATA / "plan-home.yaml"), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert f"weasyprint: {PANGO_HINT}" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_a_stop_without_pango_is_still_shown_and_keeps_its_code(no_pango, tmp_path):
    result = invoke("--answers", str(DATA / "stop-sharp-pain.yaml"), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 3
    assert "contact your chiropractor" in result.stdout
    assert "install Pango" in result.stderr


# -- issue 18: after the interview, a footer; a stop saved for the clinic's record --------------


def test_after_the_interview_a_footer_says_how_to_save_and_print():
    result = invoke("--date", "2026-03-02", input=script(CLEAR))
    assert result.exit_code == 0, result.output
    tail = result.stderr.strip().splitlines()[-2:]
    assert tail[0].startswith("To keep these answers, add --save-answers ana.yaml")
    assert tail[1] == "To print the plan, add -o plan.pdf."


def test_the_footer_leaves_out_what_was_already_given(tmp_path):
    saved = tmp_path / "a.yaml"
    result = invoke("--save-answers", str(saved), "-f", "json", input=script(CLEAR))
    assert result.exit_code == 0, result.output
    assert "--save-answers ana.yaml" not in result.stderr
    assert "To print the plan, add -o plan.pdf." in result.stderr
    both = invoke("--save-answers", str(saved), "-o", str(tmp_path / "p.md"), input=script(CLEAR))
    assert "To keep these answers" not in both.stderr
    assert "To print the plan" not in both.stderr
    from_file = invoke("--answers", str(DATA / "plan-home.yaml"))
    assert "To keep these answers" not in from_file.stderr  # no interview, no footer


def test_a_stop_in_the_interview_is_saved_with_its_reasons_and_read_back_stops(tmp_path):
    import yaml

    saved = tmp_path / "a.yaml"
    result = invoke("--date", "2026-03-02", "--save-answers", str(saved), input="1\n")
    assert result.exit_code == 4
    assert "saved to" in result.stderr and "for the clinic's record" in result.stderr
    assert "To print the plan" not in result.stderr  # a stop has no plan to print
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["red_flags"] == ["saddle_anaesthesia"]
    assert "sharp_pain" not in data and "pain" not in data  # never asked: not made up
    assert data["stop"] == {
        "urgency": "emergency",
        "reasons": ["saddle_anaesthesia"],
        "date": "2026-03-02",
        "not_asked": ["sharp_pain", "pain"],
    }
    again = invoke("--answers", str(saved), "-f", "json")
    assert again.exit_code == 4, again.output
    assert [r["id"] for r in json.loads(again.stdout)["reasons"]] == ["saddle_anaesthesia"]


def test_a_sharp_pain_stop_is_saved_with_the_answers_given(tmp_path):
    import yaml

    saved = tmp_path / "a.json"
    result = invoke("--save-answers", str(saved), input="none\nyes\n")
    assert result.exit_code == 3
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["sharp_pain"] is True and data["red_flags"] == []
    assert data["stop"]["reasons"] == ["sharp_pain"]
    assert data["stop"]["not_asked"] == ["pain"]
    assert invoke("--answers", str(saved)).exit_code == 3
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == data  # JSON for .json


def test_a_stop_from_an_answers_file_is_saved_too(tmp_path):
    saved = tmp_path / "a.yaml"
    result = invoke("--answers", str(DATA / "stop-emergency.yaml"), "--save-answers", str(saved))
    assert result.exit_code == 4
    again = invoke("--answers", str(saved), "-f", "json")
    assert again.exit_code == 4
    assert len(json.loads(again.stdout)["reasons"]) == 5


def test_a_stop_is_shown_with_its_code_when_its_answers_cannot_be_saved(tmp_path):
    nowhere = tmp_path / "no-such-folder" / "a.yaml"
    result = invoke("--answers", str(DATA / "stop-emergency.yaml"), "--save-answers", str(nowhere))
    assert result.exit_code == 4  # not 2: the unwritable file never hides the stop
    assert "emergency" in result.stdout.lower()
    assert "not saved" in result.stderr
    assert not nowhere.exists()


def test_a_stop_whose_answers_are_not_an_answers_file_says_why_it_was_not_saved(tmp_path):
    # Only an unreadable sign's name as a key: the stop stands, and the file cannot be kept
    # as answers until it is corrected; no validation dump reaches the person.
    answers = tmp_path / "given.yaml"
    answers.write_text("patient: {name: Ana, age: 40}\nsadle_anaesthesia: yes\n")
    saved = tmp_path / "a.yaml"
    result = invoke("--answers", str(answers), "--save-answers", str(saved))
    assert result.exit_code == 4
    assert "not saved: these answers cannot be kept as an answers file" in result.stderr
    assert "validation error" not in result.stderr and "pydantic" not in result.stderr
    assert not saved.exists()


def test_editing_the_answers_of_a_saved_stop_never_removes_it(tmp_path):
    saved = tmp_path / "a.yaml"
    saved.write_text(
        "sharp_pain: false\npain: 2\nred_flags: []\n"
        "stop: {urgency: see_clinician, reasons: [history_of_cancer]}\n",
        encoding="utf-8",
    )
    result = invoke("--answers", str(saved), "-f", "json")
    assert result.exit_code == 3
    assert "records a stop (history_of_cancer)" in result.stderr
    assert json.loads(result.stdout)["status"] == "stop"


def test_the_leg_question_takes_no_as_its_first_option():
    """Issue 18: "no" was accepted as "none" in checklists but refused at Q7, whose option is "No"."""
    lines = CLEAR.copy()
    lines[6] = "no"
    result = invoke("--date", "2026-03-02", "-f", "json", input=script(lines))
    assert result.exit_code == 0, result.output
    assert "is not one of the answers" not in result.stderr


# -- issue 18: reminders at a chosen time and days, in the local time zone ---------------------


def test_calendar_reminders_with_time_days_and_the_local_zone(tmp_path):
    out = tmp_path / "plan.ics"
    result = invoke(
        "--answers",
        str(DATA / "plan-home.yaml"),
        "--date",
        "2026-03-02",
        "-o",
        str(out),
        "--time",
        "07:30",
        "--days",
        "mon,thu",
        env={"TZ": "Europe/Madrid"},
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "DTSTART;TZID=Europe/Madrid:20260302T073000" in text
    assert "BYDAY=MO,TH" in text
    assert "TZID:Europe/Madrid" in text  # the VTIMEZONE that defines it


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--time", "7pm", "-o", "p.ics"], "--time: `7pm` is not a time"),
        (["--days", "mon,funday", "-o", "p.ics"], "--days: `funday` is not a weekday"),
        (["--days", "mon"], "--days sets calendar reminders: add -o plan.ics"),
    ],
)
def test_bad_reminder_options_are_usage_errors(tmp_path, args, message):
    result = invoke("--answers", str(DATA / "plan-home.yaml"), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_written_to_line_names_the_whole_path_without_its_control_characters(tmp_path):
    folder = tmp_path / ("a long folder name that a terminal would wrap " * 3).strip()
    folder.mkdir()
    out = folder / "plan\x1b[31m.html"
    result = invoke(
        "--answers", str(DATA / "plan-home.yaml"), "-o", str(out), env={"COLUMNS": "40"}
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    line = result.stderr.strip()
    assert line.startswith("Your plan was written to ") and "\n" not in line  # never wrapped
    assert line.endswith("plan[31m.html") and "\x1b" not in line
