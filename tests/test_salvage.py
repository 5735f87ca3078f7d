"""A file that cannot be read as a whole still says the stop its safety lines give."""

from __future__ import annotations

import json

import pytest
from depth import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backplan.cli.app import app
from backplan.intake.answers import salvage_stop
from backplan.intake.screening import EMERGENCY_SIGNS, SEE_CLINICIAN_SIGNS, screen

runner = CliRunner()

BROKEN = [
    'notes:\n  - "never closed\n',
    "equipment: [mat, towel\n",
    "level: beginner\n  extra: indented wrongly\n",
    "conditions: {knee_pain\n",
    "\tlevel: beginner\n",
    "add: [wall-plank]]\n",
    "name: @clinic\n",
]


def write(tmp_path, text: bytes | str, name: str = "answers.yaml"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize("broken", BROKEN)
def test_an_emergency_sign_survives_a_syntax_error_anywhere_else(tmp_path, broken):
    for at in (0, 2, 5):
        lines = [
            "patient: {name: Ana, age: 44}\n",
            "sharp_pain: false\n",
            "pain: 3\n",
            "red_flags: [Saddle-Anesthesia]\n",
            "new_onset: false\n",
        ]
        lines.insert(at, broken)
        path = write(tmp_path, "".join(lines))
        result = runner.invoke(app, ["plan", "--answers", str(path)])
        assert result.exit_code == 4, (broken, at, result.output)
        assert "YAML" in result.output  # the syntax error is still named


def test_a_json_file_with_a_syntax_error_keeps_its_stop(tmp_path):
    text = (
        '{\n  "patient": {"name": "Ana", "age": 44},\n  "sharp_pain": false,\n  "pain": 3,\n'
        '  "red_flags": [\n    "fever_or_systemically_unwell"\n  ],\n  "notes": [oops\n}\n'
    )
    result = runner.invoke(app, ["plan", "--answers", str(write(tmp_path, text, "a.json"))])
    assert result.exit_code == 4


def test_a_byte_that_is_not_utf8_elsewhere_keeps_the_stop(tmp_path):
    text = b"patient: {name: \xe9ric, age: 44}\nsharp_pain: no\npain: 8\nred_flags: []\n"
    result = runner.invoke(app, ["plan", "--answers", str(write(tmp_path, text))])
    assert result.exit_code == 3
    assert "UTF-8" in result.output


def test_a_broken_file_that_says_no_stop_is_still_just_an_error(tmp_path):
    text = "patient: {name: Ana, age: 44}\nsharp_pain: no\npain: 3\nred_flags: []\nequipment: [a\n"
    result = runner.invoke(app, ["plan", "--answers", str(write(tmp_path, text))])
    assert result.exit_code == 2
    assert salvage_stop(tmp_path / "answers.yaml") is None


def test_a_safety_key_given_twice_in_a_broken_file_counts_its_most_urgent_value(tmp_path):
    text = "sharp_pain: no\npain: 2\nred_flags: []\nsharp_pain: yes\nnotes: [\n"
    answers = salvage_stop(write(tmp_path, text))
    assert answers is not None and answers.sharp_pain


@settings(max_examples=examples(40, 400))
@given(
    emergency=st.lists(st.sampled_from(EMERGENCY_SIGNS), max_size=2, unique=True),
    clinician=st.lists(st.sampled_from(SEE_CLINICIAN_SIGNS), max_size=2, unique=True),
    sharp=st.booleans(),
    pain=st.integers(0, 10),
    broken=st.sampled_from(BROKEN),
    at=st.integers(0, 6),
    as_json=st.booleans(),
)
def test_a_syntax_error_never_lowers_the_urgency(
    tmp_path_factory, emergency, clinician, sharp, pain, broken, at, as_json
):
    """Property: the salvaged stop of a broken file is at least as urgent as its intent."""
    from backplan.intake.answers import Answers

    intent = Answers(
        patient={"name": "Ana", "age": 40},
        sharp_pain=sharp,
        pain=pain,
        red_flags=[*emergency, *clinician],
    )
    expected = screen(intent)
    fields = {
        "patient": {"name": "Ana", "age": 40},
        "sharp_pain": sharp,
        "pain": pain,
        "red_flags": [*emergency, *clinician],
        "level": "beginner",
        "equipment": ["mat"],
    }
    if as_json:
        lines = [f"  {json.dumps(k)}: {json.dumps(v)},\n" for k, v in fields.items()]
        lines.insert(min(at, len(lines)), '  "notes": [oops,\n')
        text = "{\n" + "".join(lines) + '  "end": 1\n}\n'
    else:
        lines = [f"{k}: {json.dumps(v)}\n" for k, v in fields.items()]
        lines.insert(min(at, len(lines)), broken)
        text = "".join(lines)
    folder = tmp_path_factory.mktemp("salvage")
    salvaged = salvage_stop(write(folder, text, "a.json" if as_json else "a.yaml"))
    if expected is None:
        return  # nothing to keep: the file's error is the answer (exit 2)
    assert salvaged is not None
    got = screen(salvaged)
    assert got is not None
    rank = {"see_clinician": 1, "emergency": 2}
    assert rank[got.urgency] >= rank[expected.urgency]
