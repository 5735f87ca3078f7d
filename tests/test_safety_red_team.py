"""Red-team families of issue 12 that the encodings fuzz did not reach: each property draws
what a person means, writes it in a family of shapes, and the stop must be at least as urgent.

Families: red flags written as a YAML set or a mapping of blank values, the file itself a list
of signs, a sign's id in another safety field (a CSV row short of a cell), files in UTF-16 or
UTF-32, CSV rosters not in UTF-8, a CSV column given twice. Expected urgencies come from the
reference's tables (reference_ids), not from screening.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import reference_ids
from depth import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_safety_encodings import flag_text

from backplan.clinic.roster import read_roster
from backplan.errors import BackplanError
from backplan.intake.answers import StopInInvalidAnswers, load_answers
from backplan.intake.screening import screen

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
