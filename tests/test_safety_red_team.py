"""Red-team families of issue 12 that the encodings fuzz did not reach: each property draws
what a person means, writes it in a family of shapes, and the stop must be at least as urgent.

Families: red flags written as a YAML set or a mapping of blank values, the file itself a list
of signs, a sign's id in another safety field (a CSV row short of a cell), files in UTF-16 or
UTF-32, CSV rosters not in UTF-8, a CSV column given twice. Expected urgencies come from the
reference's tables (reference_ids), not from screening.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import reference_ids
from depth import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_safety_encodings import flag_text

from backplan.clinic.roster import read_roster
from backplan.errors import BackplanError
from backplan.intake.answers import StopInInvalidAnswers, load_answers
from backplan.intake.screening import screen
from backplan.planning.outcome import Stop

RANK = {None: 0, "see_clinician": 1, "emergency": 2}
SIGNS = st.lists(
    st.sampled_from(reference_ids.EMERGENCY + reference_ids.SEE_CLINICIAN),
    min_size=1,
    max_size=3,
    unique=True,
)
CALM = "sharp_pain: no\npain: 2\n"


def meant(signs: list[str]) -> str:
    return "emergency" if set(signs) & set(reference_ids.EMERGENCY) else "see_clinician"


def urgency_of(path: Path) -> str | None:
    """The urgency the plan command reaches for this answers file (None: no stop)."""
    try:
        answers, _source = load_answers(path)
    except StopInInvalidAnswers as exc:
        answers = exc.answers
    except BackplanError:
        return None
    stop = screen(answers)
    return stop.urgency if stop is not None else None


def written(tmp_path: Path, text: str | bytes, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- red flags as a YAML set, or a mapping whose signs have no value ----------------------------


@st.composite
def flags_as_set(draw, signs: list[str]) -> str:
    texts = [json.dumps(draw(flag_text(s)), ensure_ascii=False) for s in signs]
    shape = draw(st.sampled_from(["set-tag", "question", "blank-block", "blank-flow", "mixed"]))
    if shape == "set-tag":
        return "red_flags: !!set {" + ", ".join(texts) + "}\n"
    if shape == "question":
        return "red_flags:\n" + "".join(f"  ? {t}\n" for t in texts)
    if shape == "blank-block":
        return "red_flags:\n" + "".join(f"  {t}:\n" for t in texts)
    if shape == "blank-flow":
        return "red_flags: {" + ", ".join(f"{t}: " for t in texts) + "}\n"
    values = ["", "~", "null", "yes", '"sí"']
    return "red_flags:\n" + "".join(f"  {t}: {draw(st.sampled_from(values))}\n" for t in texts)


@settings(max_examples=examples(25, 300))
@given(data=st.data(), signs=SIGNS)
def test_red_flags_written_as_a_set_keep_their_stop(tmp_path_factory, data, signs):
    """clinical-screening.md §2/§3: `!!set {a}`, `? a` and `a:` list the sign `a`."""
    text = CALM + data.draw(flags_as_set(signs))
    path = written(tmp_path_factory.mktemp("set"), text)
    assert RANK[urgency_of(path)] >= RANK[meant(signs)], text


def test_a_sign_key_left_blank_outside_red_flags_is_not_an_answer(tmp_path):
    """Outside `red_flags`, `saddle_anaesthesia:` with nothing is a question left blank."""
    path = written(tmp_path, CALM + "red_flags: []\nsaddle_anaesthesia:\n")
    assert urgency_of(path) is None


# -- the file itself a list of signs -------------------------------------------------------------


@settings(max_examples=examples(25, 300))
@given(data=st.data(), signs=SIGNS, shape=st.sampled_from(["block", "flow", "with-record"]))
def test_a_file_that_is_a_list_of_signs_keeps_their_stop(tmp_path_factory, data, signs, shape):
    texts = [json.dumps(data.draw(flag_text(s)), ensure_ascii=False) for s in signs]
    if shape == "flow":
        text = "[" + ", ".join(texts) + "]\n"
    else:
        text = "".join(f"- {t}\n" for t in texts)
        if shape == "with-record":
            text = "- {sharp_pain: no, pain: 2, red_flags: []}\n" + text
    path = written(tmp_path_factory.mktemp("list"), text)
    assert RANK[urgency_of(path)] >= RANK[meant(signs)], text


def test_a_list_of_other_words_is_the_files_error_not_a_stop(tmp_path):
    assert urgency_of(written(tmp_path, "- hello\n- world\n")) is None


# -- a sign's id as the value of another safety field --------------------------------------------


@settings(max_examples=examples(25, 300))
@given(
    data=st.data(),
    signs=SIGNS,
    field=st.sampled_from(["sharp_pain", "pain", "new_onset", "leg_symptoms", "age"]),
)
def test_a_sign_written_in_another_safety_field_keeps_its_stop(
    tmp_path_factory, data, signs, field
):
    value = json.dumps(", ".join(data.draw(flag_text(s)) for s in signs), ensure_ascii=False)
    fields = {"sharp_pain": "no", "pain": "2", "red_flags": "[]", field: value}
    text = "".join(f"{k}: {v}\n" for k, v in fields.items())
    path = written(tmp_path_factory.mktemp("field"), text)
    assert RANK[urgency_of(path)] >= RANK[meant(signs)], text


@pytest.mark.parametrize(
    ("row", "urgency"),
    [
        ("Bob,40,no,saddle_anaesthesia", "emergency"),  # the pain cell left out
        ("Bob,history_of_cancer", "see_clinician"),  # only the name and the sign
        ("Bob,Saddle Anaesthesia", "emergency"),
    ],
)
def test_a_csv_row_short_of_cells_keeps_the_sign_it_names(tmp_path, row, urgency):
    path = written(tmp_path, f"name,age,sharp_pain,pain,red_flags\nAna,40,no,2,\n{row}\n", "r.csv")
    rows = read_roster(path)
    assert rows[0].answers is not None and screen(rows[0].answers) is None
    stop = screen(rows[1].answers)
    assert stop is not None and RANK[stop.urgency] >= RANK[urgency]


# -- files in another encoding: UTF-16 or UTF-32 (with or without the mark), Windows-1252 ------

ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "bom-utf-16-be"]


def encoded(text: str, encoding: str) -> bytes:
    if encoding == "bom-utf-16-be":
        return "\ufeff".encode("utf-16-be") + text.encode("utf-16-be")
    return text.encode(encoding)


@settings(max_examples=examples(25, 300))
@given(
    data=st.data(),
    signs=SIGNS,
    encoding=st.sampled_from(ENCODINGS),
    form=st.sampled_from(["yaml", "json", "crlf"]),
)
def test_an_answers_file_in_another_unicode_encoding_keeps_its_stop(
    tmp_path_factory, data, signs, encoding, form
):
    texts = [data.draw(flag_text(s)) for s in signs]
    record = {"patient": {"name": "Peña"}, "sharp_pain": False, "pain": 2, "red_flags": texts}
    if form == "json":
        text = json.dumps(record, ensure_ascii=False)
    else:
        text = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in record.items())
        text = text.replace("\n", "\r\n") if form == "crlf" else text
    path = written(tmp_path_factory.mktemp("enc"), encoded(text, encoding), f"a.{form}")
    assert RANK[urgency_of(path)] >= RANK[meant(signs)], (encoding, text)


def test_a_utf16_answers_file_with_its_mark_is_read_as_written(tmp_path):
    text = "sharp_pain: no\npain: 3\nred_flags: []\npatient: {name: Peña}\n"
    answers, _source = load_answers(written(tmp_path, encoded(text, "utf-16")))
    assert answers.patient.name == "Peña" and answers.pain == 3


ROSTER_HEAD = "name,age,sharp_pain,pain,red_flags\n"


@settings(max_examples=examples(20, 200))
@given(
    data=st.data(),
    signs=SIGNS,
    encoding=st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-32"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    last=st.booleans(),
)
def test_a_csv_roster_not_in_utf8_keeps_each_rows_stop(
    tmp_path_factory, data, signs, encoding, delimiter, last
):
    """A spreadsheet's Windows-1252 (`Peña`), or its "Unicode text" (UTF-16): no row gets a
    plan until the file is saved as UTF-8, but the rows that stop are shown."""
    cell = "; ".join(data.draw(flag_text(s)) for s in signs).replace("\t", " ")
    if encoding in ("cp1252", "latin-1"):  # full-width letters have no byte there
        cell = unicodedata.normalize("NFKC", cell)
        cell = "".join(c if c.encode(encoding, "ignore") else "-" for c in cell)
    calm = ["Peña Núñez", "40", "no", "2", ""]
    stop = ["Bob", "40", "no", "2", f'"{cell}"']
    rows = [calm, stop] if last else [stop, calm]
    text = ROSTER_HEAD.replace(",", delimiter) + "".join(delimiter.join(r) + "\r\n" for r in rows)
    path = written(tmp_path_factory.mktemp("csv"), encoded(text, encoding), "r.csv")
    read = read_roster(path)
    (stopping,) = [r for r in read if r.label == "Bob"]
    stop_found = screen(stopping.answers)
    assert stop_found is not None and RANK[stop_found.urgency] >= RANK[meant(signs)]
    if encoding in ("cp1252", "latin-1"):
        assert all(r.problems for r in read)  # nobody gets a plan from a misread file


def test_a_csv_roster_not_in_utf8_without_a_stop_is_the_files_error(tmp_path):
    text = ROSTER_HEAD + "Peña,40,no,2,\n"
    with pytest.raises(BackplanError) as raised:
        read_roster(written(tmp_path, text.encode("cp1252"), "r.csv"))
    assert "not UTF-8" in str(raised.value.problems[0])


# -- a CSV column given twice, or a key given twice in a roster that is not a list ------------


@settings(max_examples=examples(25, 300))
@given(
    data=st.data(),
    signs=SIGNS,
    column=st.sampled_from(["red_flags", "sharp_pain", "pain"]),
    stop_first=st.booleans(),
)
def test_a_csv_column_given_twice_keeps_the_stop_in_either_copy(
    tmp_path_factory, data, signs, column, stop_first
):
    """The header's problem (the column twice) is every row's; the stop in either copy
    stands, as a key given twice does in YAML."""
    cells = {"name": "Bob", "age": "40", "sharp_pain": "no", "pain": "2", "red_flags": ""}
    urgent = {
        "red_flags": '"' + "; ".join(data.draw(flag_text(s)) for s in signs) + '"',
        "sharp_pain": "yes",
        "pain": "8",
    }[column]
    expected = meant(signs) if column == "red_flags" else "see_clinician"
    copies = [urgent, cells[column]] if stop_first else [cells[column], urgent]
    cells[column] = copies[0]
    header = [*cells, column]
    text = ",".join(header) + "\nAna,40,no,2,,\n" + ",".join([*cells.values(), copies[1]]) + "\n"
    rows = read_roster(written(tmp_path_factory.mktemp("dup"), text, "r.csv"))
    assert rows[0].answers is None and rows[0].problems  # calm, but no plan either
    stop = screen(rows[1].answers)
    assert stop is not None and RANK[stop.urgency] >= RANK[expected], text


@pytest.mark.parametrize("order", ["later", "earlier"])
def test_a_roster_of_named_records_keeps_a_stop_in_a_key_given_twice(tmp_path, order):
    flags = ["[]", "[saddle_anaesthesia]"] if order == "later" else ["[saddle_anaesthesia]", "[]"]
    text = "Ana:\n  sharp_pain: no\n  pain: 2\n" + "".join(f"  red_flags: {f}\n" for f in flags)
    (row,) = read_roster(written(tmp_path, text, "r.yaml"))
    stop = screen(row.answers)
    assert stop is not None and stop.urgency == "emergency"


# -- answers on standard input, with an option Typer refuses -------------------------------------


@pytest.mark.parametrize(
    ("answers", "bad"),
    [
        (["--answers", "-"], ["--no-such-option"]),
        (["-a", "-"], ["--max-exercises", "0"]),
        (["--answers=-"], ["--templates", "/nonexistent/folder"]),
        (["-a-"], ["--no-such-option"]),
    ],
)
def test_answers_piped_in_keep_their_stop_behind_a_refused_option(tmp_path, answers, bad):
    stop = "sharp_pain: no\npain: 2\nred_flags: [history_of_cancer, Saddle Anaesthesia]\n"
    run = subprocess.run(
        [sys.executable, "-m", "backplan", "plan", *answers, *bad],
        input=stop.encode(),
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 4, run.stderr.decode()
    assert "Seek emergency care today" in run.stdout.decode()


def test_calm_answers_piped_in_behind_a_refused_option_are_still_exit_2(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "backplan", "plan", "-a", "-", "--no-such-option"],
        input=b"sharp_pain: no\npain: 2\nred_flags: []\n",
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 2 and "No such option" in run.stderr.decode()


# -- a sign written as a key: one typo off, or in the interview's own words ---------------------

LABELS = {  # the interview's checklist words (data/questions.yaml), as a person copies them
    "saddle_anaesthesia": "Entumecimiento o cambio de sensibilidad alrededor de los genitales, "
    "las nalgas o la parte interna de los muslos",
    "fever_or_systemically_unwell": "Fever or chills, or feeling generally unwell, along with "
    "the back pain",
    "significant_trauma": "El dolor empezó después de una caída fuerte, un accidente o un golpe",
    "history_of_cancer": "Ha tenido cáncer alguna vez",
    "unexplained_weight_loss": "You are losing weight without trying",
}


@st.composite
def misspelt_key(draw, sign: str) -> str:
    how = draw(st.sampled_from(["drop", "double", "swap", "label"] if sign in LABELS else ["drop"]))
    if how == "label":
        return LABELS[sign]
    at = draw(st.integers(1, len(sign) - 3))
    if how == "drop":
        return sign[:at] + sign[at + 1 :]
    if how == "double":
        return sign[:at] + sign[at] + sign[at:]
    return sign[:at] + sign[at + 1] + sign[at] + sign[at + 2 :]


@settings(max_examples=examples(25, 300))
@given(
    data=st.data(),
    signs=SIGNS,
    yes=st.sampled_from(["yes", "true", "'sí'", "Y", "'Si'"]),
    nested=st.booleans(),
)
def test_a_sign_key_misspelt_or_in_the_interviews_words_keeps_its_stop(
    tmp_path_factory, data, signs, yes, nested
):
    keys = [json.dumps(data.draw(misspelt_key(s)), ensure_ascii=False) for s in signs]
    lines = "".join(("  " if nested else "") + f"{k}: {yes}\n" for k in keys)
    text = CALM + "red_flags: []\n" + ("symptoms:\n" if nested else "") + lines
    path = written(tmp_path_factory.mktemp("key"), text)
    assert RANK[urgency_of(path)] >= RANK[meant(signs)], text


@pytest.mark.parametrize("line", ["large_prnt: yes", "weight: 70", "clinican: yes", "cancer: no"])
def test_an_unknown_key_that_names_no_sign_answered_yes_is_only_an_error(tmp_path, line):
    assert urgency_of(written(tmp_path, CALM + "red_flags: []\n" + line + "\n")) is None


@pytest.mark.parametrize("sign", sorted(LABELS))
def test_a_sign_in_the_interviews_words_inside_red_flags_is_that_sign(tmp_path, sign):
    path = written(tmp_path, CALM + f"red_flags: [{json.dumps(LABELS[sign])}]\n")
    answers, _source = load_answers(path)
    assert answers.red_flags == [sign]


# -- both legs said as left and right ------------------------------------------------------------


@settings(max_examples=examples(25, 300))
@given(
    left=st.sampled_from(["left", "Left", "LEFT", "izquierda", "Izquierda", "izquierdo"]),
    right=st.sampled_from(["right", "Right", "RIGHT", "derecha", "Derecha", "derecho"]),
    join=st.sampled_from([" and ", " & ", " y ", ", ", "/", " + ", " e "]),
    leg=st.sampled_from(["", " leg", " legs", "pierna ", "piernas "]),
    swap=st.booleans(),
)
def test_leg_symptoms_in_the_left_and_the_right_leg_are_both_legs(
    tmp_path_factory, left, right, join, leg, swap
):
    """clinical-screening.md §2 bilateral_leg_symptoms: both legs, however they are named."""
    sides = [right, left] if swap else [left, right]
    said = (
        (leg.strip() + " " if leg.endswith(" ") else "")
        + join.join(sides)
        + (leg if not leg.endswith(" ") else "")
    )
    text = CALM + "red_flags: []\nleg_symptoms: " + json.dumps(said, ensure_ascii=False) + "\n"
    path = written(tmp_path_factory.mktemp("legs"), text)
    assert urgency_of(path) == "emergency", text


@pytest.mark.parametrize("legs", ["left leg", "right leg below the knee", "pierna izquierda"])
def test_one_named_leg_is_not_both(tmp_path, legs):
    text = CALM + f"red_flags: []\nleg_symptoms: {legs}\n"
    assert urgency_of(written(tmp_path, text)) is None


# -- answers put inside a clinician's clearance ---------------------------------------------------


@settings(max_examples=examples(25, 300))
@given(data=st.data(), signs=SIGNS, as_key=st.booleans())
def test_signs_written_inside_a_clearance_still_stop(tmp_path_factory, data, signs, as_key):
    """A clearance clears only its `reasons`; a sign put inside it is a misplaced answer."""
    texts = [json.dumps(data.draw(flag_text(s)), ensure_ascii=False) for s in signs]
    inside = ", ".join(f"{t}: yes" for t in texts) if as_key else f"red_flags: [{', '.join(texts)}]"
    text = CALM + (
        "red_flags: [history_of_cancer]\n"
        f"cleared: {{by: Dr Ruiz, on: 2026-01-05, reasons: [history_of_cancer], {inside}}}\n"
    )
    path = written(tmp_path_factory.mktemp("cleared"), text)
    assert RANK[urgency_of(path)] >= RANK[meant(signs)], text


# -- the interview: both legs in words, and the input ending on an unread safety answer --------


def interview(lines: list[str]) -> object:
    """run_interview over piped lines, as `backplan plan` reads them; the outcome."""
    import io

    from selection_fixtures import VOCABULARY

    from backplan.intake.interview import StreamIO, run_interview

    stream = StreamIO(out=io.StringIO(), inp=io.StringIO("".join(f"{x}\n" for x in lines)))
    try:
        return run_interview(stream, VOCABULARY)
    except BackplanError as exc:
        return exc


CALM_START = ["none", "no", "none", "3", "no", ""]  # up to the leg question


@settings(max_examples=examples(20, 200))
@given(
    said=st.sampled_from(
        ["both", "Both legs", "las dos", "ambas piernas", "left and right", "izquierda y derecha"]
    )
)
def test_the_interview_reads_both_legs_in_words(said):
    outcome = interview([*CALM_START, said])
    assert isinstance(outcome, Stop) and outcome.urgency == "emergency", outcome


UNREAD = st.sampled_from(["yes", "sí", "maybe", "9", "1 and maybe 3", "fiebre", "??", "sort of"])


@settings(max_examples=examples(25, 300))
@given(
    stage=st.sampled_from(["emergency", "sharp", "clinician", "pain", "age", "legs"]),
    said=UNREAD,
)
def test_input_ending_on_an_unread_safety_answer_counts_it_at_its_most_urgent(stage, said):
    """clinical-screening.md §1 (when in doubt, stop): a person who typed `yes` to the
    emergency checklist, or `maybe` to sharp pain, and whose input then ended, is stopped."""
    before = {
        "emergency": [],
        "sharp": ["none"],
        "clinician": ["none", "no"],
        "pain": ["none", "no", "none"],
        "age": ["none", "no", "none", "3", "yes"],
        "legs": CALM_START,
    }[stage]
    # at the leg question `1 and maybe 3` names option 1 (no) and a leg: not both legs
    assume(not (stage == "legs" and said == "1 and maybe 3"))
    outcome = interview([*before, said])
    assert isinstance(outcome, Stop), (stage, said, outcome)
    if stage in ("emergency", "legs"):
        assert outcome.urgency == "emergency"


def test_input_ending_with_no_answer_at_all_is_an_unfinished_interview():
    outcome = interview(["none"])
    assert isinstance(outcome, BackplanError) and outcome.exit_code == 2


# -- a broken file with a long line of dashes: the stop is still found (no quadratic search) ----


@pytest.mark.parametrize("filler", ["-x", "- ", ",a"])
def test_a_long_line_in_a_broken_file_does_not_keep_the_stop_from_being_found(tmp_path, filler):
    """The line-by-line search bounds a key's length; unbounded, a 200 KB line of `-x` took
    minutes (each `-` began a search to the end of the line), so the stop was never shown."""
    text = CALM + "red_flags: [saddle_anaesthesia\n# " + filler * 30_000 + "\n"
    assert urgency_of(written(tmp_path, text)) == "emergency"


@pytest.mark.parametrize("bulk", ["notes", "comment"])
def test_a_file_over_the_size_limit_still_gives_the_stop_written_after_the_bulk(tmp_path, bulk):
    filler = "x" * (1024 * 1024 + 10)
    head = f'notes: ["{filler}"]\n' if bulk == "notes" else f"# {filler}\n"
    path = written(tmp_path, head + CALM + "red_flags: [history_of_cancer, Saddle Anesthesia]\n")
    with pytest.raises(StopInInvalidAnswers) as raised:
        load_answers(path)
    assert "larger than 1 MiB" in str(raised.value.problems[0])
    assert urgency_of(path) == "emergency"


# -- the red flags' field under other names, and a roster saved as a spreadsheet's .txt --------

FLAG_FIELD_NAMES = [
    "Señales de alarma",
    "señales_de_alarma",
    "SEÑALES DE ALERTA",
    "Signos de alarma",
    "Banderas rojas",
    "Warning signs",
    "Red-Flags",
    "red flag symptoms",
]


@settings(max_examples=examples(20, 200))
@given(data=st.data(), signs=SIGNS, name=st.sampled_from(FLAG_FIELD_NAMES), csv=st.booleans())
def test_the_red_flags_field_under_another_name_keeps_its_stop(
    tmp_path_factory, data, signs, name, csv
):
    cell = "; ".join(data.draw(flag_text(s)) for s in signs)
    folder = tmp_path_factory.mktemp("names")
    if csv:
        text = f'name,sharp_pain,pain,{name}\nAna,no,2,\nBob,no,2,"{cell}"\n'
        rows = read_roster(written(folder, text, "r.csv"))
        stop = screen(rows[1].answers)
        assert stop is not None and RANK[stop.urgency] >= RANK[meant(signs)], text
    else:
        text = CALM + f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(cell)}\n"
        assert RANK[urgency_of(written(folder, text))] >= RANK[meant(signs)], text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_tab_separated_roster_saved_as_txt_is_read_as_csv(tmp_path, encoding):
    """Excel's "Unicode Text" export: tab-separated, UTF-16, a .txt name."""
    text = "name\tsharp_pain\tpain\tred_flags\nAna\tno\t2\t\nBob\tno\t2\tsaddle_anaesthesia\n"
    rows = read_roster(written(tmp_path, text.encode(encoding), "roster.txt"))
    assert rows[0].ok and screen(rows[0].answers) is None
    stop = screen(rows[1].answers)
    assert stop is not None and stop.urgency == "emergency"


def test_a_yaml_roster_saved_as_txt_is_still_yaml(tmp_path):
    text = "- {sharp_pain: no, pain: 2, red_flags: [history_of_cancer]}\n"
    (row,) = read_roster(written(tmp_path, text, "roster.txt"))
    assert screen(row.answers).urgency == "see_clinician"


# -- a JSON roster broken somewhere: each object is read on its own -----------------------------


@settings(max_examples=examples(25, 300))
@given(
    data=st.data(),
    signs=SIGNS,
    size=st.integers(2, 4),
    layout=st.sampled_from(["one-line", "a-line-each", "pretty"]),
    damage=st.sampled_from(["no-comma", "cut-short", "bad-value", "trailing-comma", "quote"]),
)
def test_a_broken_json_roster_keeps_each_rows_stop(
    tmp_path_factory, data, signs, size, layout, damage
):
    stop_at = data.draw(st.integers(0, size - 1))
    broken_at = data.draw(st.integers(0, size - 1).filter(lambda n: n != stop_at))
    texts = [data.draw(flag_text(s)) for s in signs]
    rows = []
    for n in range(size):
        flags = texts if n == stop_at else []
        record = {"patient": {"name": f"P{n}"}, "sharp_pain": False, "pain": 2, "red_flags": flags}
        rows.append(
            json.dumps(record, ensure_ascii=False, indent=2 if layout == "pretty" else None)
        )
    if damage == "bad-value":
        rows[broken_at] = rows[broken_at].replace('"pain": 2', '"pain": [}', 1)
    elif damage == "quote":
        rows[broken_at] = rows[broken_at].replace('"P', "'P", 1)
    joiner = " " if damage == "no-comma" else ", "
    text = "[" + ("\n" if layout != "one-line" else "").join(
        (joiner if n else "") + row for n, row in enumerate(rows)
    )
    text += {"cut-short": "", "trailing-comma": ",]"}.get(damage, "]")
    path = written(tmp_path_factory.mktemp("json"), text, "roster.json")
    read = read_roster(path)
    stopping = [r for r in read if r.answers is not None and screen(r.answers) is not None]
    assert stopping, text
    assert max(RANK[screen(r.answers).urgency] for r in stopping) >= RANK[meant(signs)], text


# -- answers in a neighbouring syntax, and signs listed where no sign belongs --------------------


@settings(max_examples=examples(25, 300))
@given(
    data=st.data(),
    signs=SIGNS,
    syntax=st.sampled_from(
        ["equals", "toml", "ini", "full-width", "anchor", "tag", "bom", "bullets", "dashes"]
    ),
)
def test_answers_in_a_neighbouring_syntax_keep_their_stop(tmp_path_factory, data, signs, syntax):
    """INI or TOML lines, a full-width colon, an anchor or tag before the key, a second file
    pasted after the first with its byte-order mark, a bulleted list: the stop is read."""
    texts = [data.draw(flag_text(s)).strip() for s in signs]
    flow = "[" + ", ".join(json.dumps(t, ensure_ascii=False) for t in texts) + "]"
    body = {
        "equals": f"sharp_pain = no\npain = 2\nred_flags = {flow}\n",
        "toml": f"sharp_pain = false\npain = 2\nred_flags = {flow}\n",
        "ini": f"[answers]\nsharp_pain = no\npain = 2\nred_flags = {', '.join(texts)}\n",
        "full-width": f"sharp_pain：no\npain：2\nred_flags：{flow}\n",
        "anchor": CALM + f"&signs red_flags: {flow}\n",
        "tag": CALM + f"!answers red_flags: {flow}\n",
        "bom": "sharp_pain: no\n\ufeffpain: 2\n\ufeffred_flags: " + flow + "\n",
        "bullets": CALM + "red_flags:\n" + "".join(f"* {t}\n" for t in texts),
        "dashes": CALM + "red_flags:\n" + "".join(f"- {t}\n" for t in texts) + "  - [\n",
    }[syntax]
    path = written(tmp_path_factory.mktemp("syntax"), body)
    assert RANK[urgency_of(path)] >= RANK[meant(signs)], body


@settings(max_examples=examples(25, 300))
@given(
    data=st.data(),
    signs=SIGNS,
    where=st.sampled_from(["conditions", "equipment", "add", "symptoms", "~", "otros"]),
    shape=st.sampled_from(["list", "string", "nested"]),
)
def test_a_sign_listed_where_no_sign_belongs_keeps_its_stop(
    tmp_path_factory, data, signs, where, shape
):
    texts = [data.draw(flag_text(s)).strip() for s in signs]
    value = {
        "list": "[" + ", ".join(json.dumps(t, ensure_ascii=False) for t in texts) + "]",
        "string": json.dumps("; ".join(texts), ensure_ascii=False),
        "nested": "{these: [" + ", ".join(json.dumps(t, ensure_ascii=False) for t in texts) + "]}",
    }[shape]
    text = CALM + f"red_flags: []\n{where}: {value}\n"
    path = written(tmp_path_factory.mktemp("elsewhere"), text)
    assert RANK[urgency_of(path)] >= RANK[meant(signs)], text


@pytest.mark.parametrize(
    "line", ["symptoms: [headache]", "conditions: [knee_pain]", "notes: [saddle_anaesthesia]"]
)
def test_other_words_or_a_note_naming_a_sign_are_not_a_stop(tmp_path, line):
    """Only the reference's ids outside notes count: a clinician's note is free text
    (clinical-screening.md lists no rule that reads it)."""
    assert urgency_of(written(tmp_path, CALM + f"red_flags: []\n{line}\n")) is None


@settings(max_examples=examples(20, 200))
@given(data=st.data(), signs=SIGNS, first=st.booleans())
def test_a_roster_row_that_is_only_signs_keeps_their_stop(tmp_path_factory, data, signs, first):
    """`- saddle_anaesthesia` as a row of a YAML roster: the row's signs, as in a file."""
    row = json.dumps(", ".join(data.draw(flag_text(s)).strip() for s in signs), ensure_ascii=False)
    calm = "- {patient: {name: Ana}, sharp_pain: no, pain: 2, red_flags: []}\n"
    text = f"- {row}\n{calm}" if first else f"{calm}- {row}\n"
    rows = read_roster(written(tmp_path_factory.mktemp("rows"), text, "r.yaml"))
    stops = [screen(r.answers) for r in rows if r.answers is not None]
    urgencies = [s.urgency for s in stops if s is not None]
    assert urgencies and max(RANK[u] for u in urgencies) >= RANK[meant(signs)], text


def test_a_file_of_plain_sentences_is_an_error_not_a_stop(tmp_path):
    """Free text is not read for signs (no rule of the reference does): only the error."""
    assert urgency_of(written(tmp_path, "I have saddle anaesthesia and sharp pain\n")) is None


@pytest.mark.parametrize(
    ("row", "urgency"),
    [
        ("sharp_pain = no\n  pain = 2\n  red_flags = [saddle_anaesthesia]", "emergency"),
        ("sharp_pain = yes\n  pain = 2\n  red_flags = []", "see_clinician"),
        ("Sharp Pain = no\n  Pain = 8/10\n  Red Flags = none", "see_clinician"),
    ],
)
def test_a_roster_row_in_key_equals_value_lines_keeps_its_stop(tmp_path, row, urgency):
    """YAML folds such a row into one string; its pairs are still read."""
    text = f"- {{sharp_pain: no, pain: 2, red_flags: []}}\n- {row}\n"
    rows = read_roster(written(tmp_path, text, "r.yaml"))
    stop = screen(rows[1].answers)
    assert stop is not None and stop.urgency == urgency


# -- the session's safety check: the input ending after a sign was ticked ----------------------


@settings(max_examples=examples(10, 100))
@given(
    ticked=st.lists(st.integers(1, 8), min_size=1, max_size=3, unique=True),
    sep=st.sampled_from([" ", ",", ", "]),
    at=st.sampled_from(["emergency", "clinician"]),
)
def test_a_session_whose_input_ends_after_a_ticked_sign_still_stops(
    tmp_path_factory, ticked, sep, at
):
    """clinical-screening.md §1: a sign ticked at the session's safety check stops it, even
    when the input ends before the check's last question (it was exit 2, the stop unsaid)."""
    from typer.testing import CliRunner

    from backplan.cli.app import app

    folder = tmp_path_factory.mktemp("session")
    answers = written(folder, CALM + "red_flags: []\n")
    numbers = sep.join(str(n) for n in ticked)
    typed = f"{numbers}\n" if at == "emergency" else f"0\nno\n{numbers}\n"
    result = CliRunner().invoke(
        app,
        ["session", "--answers", str(answers), "--db", str(folder / "log.db"), "-q"],
        input=typed,
    )
    assert result.exit_code == (4 if at == "emergency" else 3), result.output


def test_a_session_whose_input_ends_with_nothing_ticked_is_not_complete(tmp_path):
    from typer.testing import CliRunner

    from backplan.cli.app import app

    answers = written(tmp_path, CALM + "red_flags: []\n")
    result = CliRunner().invoke(
        app,
        ["session", "--answers", str(answers), "--db", str(tmp_path / "log.db"), "-q"],
        input="0\nno\n",
    )
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize(
    ("typed", "code", "said"),
    [
        ("maybe\n", 4, "could not be read"),  # the emergency checklist: an emergency
        ("0\nmaybe\n", 3, "sharp pain"),  # sharp pain: counted as sharp pain
        # the see-a-clinician checklist: weighed as a file's unreadable sign would be
        ("0\nno\nsomething else\n", 4, "could not be read"),
        ("0\nno\nhistory_of_cancr\n", 3, "could not be read"),
        ("0\nno\n0\nquite bad\n", 3, "7 or more"),  # pain now: counted as 10
        ("0\nno\n0\nmaybe 1\n", 3, "7 or more"),
        ("0\nmaybe\nyes\n", 3, "sharp pain"),  # read at last: `yes` counts
    ],
)
def test_a_session_whose_input_ends_after_an_unread_safety_answer_stops(
    tmp_path, typed, code, said
):
    """clinical-screening.md §1 (when in doubt, stop): an answer to a safety question that
    could not be read, then the end of the input, counts at its most urgent; it was exit 2."""
    from typer.testing import CliRunner

    from backplan.cli.app import app

    answers = written(tmp_path, CALM + "red_flags: []\n")
    result = CliRunner().invoke(
        app,
        ["session", "--answers", str(answers), "--db", str(tmp_path / "log.db"), "-q"],
        input=typed,
    )
    assert result.exit_code == code, result.output
    assert said in result.output.lower()


def test_thousands_of_unreadable_red_flags_are_an_emergency_without_weighing_each():
    # One unreadable entry is weighed against the signs' names (about a millisecond); past
    # MAX_WEIGHED_FLAGS the rest count as emergencies at once, so the stop is shown quickly
    # and is never weaker than weighing them would give.
    from backplan.intake import reading

    see_clinician_like = "history_of_cancr"
    assert reading.flag_urgency(see_clinician_like) == "see_clinician"
    many = [f"{see_clinician_like}{n}" for n in range(reading.MAX_WEIGHED_FLAGS + 50)]
    _known, unread = reading.urgent_red_flags([many])
    assert len(unread) == len(many)
    assert all(u == "see_clinician" for _t, u in unread[: reading.MAX_WEIGHED_FLAGS])
    assert all(u == reading.EMERGENCY for _t, u in unread[reading.MAX_WEIGHED_FLAGS :])


def test_hundreds_of_unreadable_red_flags_each_say_what_they_count_as(tmp_path):
    # Too many to pair each note with its problem (that was minutes for 30,000): the notes are
    # listed on their own; past the first MAX_WEIGHED_FLAGS each counts as an emergency.
    from backplan.intake import answers as answers_module

    count = 700
    assert count * count > answers_module.MAX_NOTE_PAIRINGS
    flags = "".join(f"  - histry_{n}\n" for n in range(count))
    path = written(tmp_path, f"sharp_pain: false\npain: 2\nred_flags:\n{flags}")
    with pytest.raises(StopInInvalidAnswers) as caught:
        load_answers(path)
    assert screen(caught.value.answers).urgency == "emergency"
    text = "\n".join(str(p) for p in caught.value.problems)
    assert text.count("until it is corrected it counts as") == count
