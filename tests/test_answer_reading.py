"""The reading rules for safety answers (answer_reading.py) and the YAML scalars under them."""

from __future__ import annotations

import json

import pytest
from depth import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from backplan.files.yaml_source import parse_yaml, plain_scalar
from backplan.intake.reading import (
    flag_urgency,
    is_none_answer,
    read_age,
    read_pain,
    read_yes_no,
    red_flag_id,
    split_red_flags,
    urgent_pain,
    urgent_red_flags,
    urgent_yes_no,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("055", 55),
        ("020", 20),
        ("0", 0),
        ("-07", -7),
        ("1_000", 1000),
        ("7.5", 7.5),
        ("0x1f", "0x1f"),
        ("0o17", "0o17"),
        ("0b101", "0b101"),
        ("1:30", "1:30"),
        ("190:20:30", "190:20:30"),
        ("2024-02-30", "2024-02-30"),
        ("2020-01-02", "2020-01-02"),
        ("Yes", True),
        ("OFF", False),
        ("yEs", "yEs"),
        ("~", None),
        ("Null", None),
    ],
)
def test_plain_scalars_are_decimal_and_never_base_60_or_dates(text, value):
    assert plain_scalar(text) == value and type(plain_scalar(text)) is type(value)


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [
        ("a: !!int 055\n", 55, False),
        ("a: !!int x\n", "x", True),
        ("a: !!bool yes\n", True, False),
        ("a: !!bool maybe\n", "maybe", True),
        ("a: !!float 3\n", 3.0, False),
        ("a: !!timestamp 2024-01-01\n", "2024-01-01", False),
        ("a: !!timestamp soon\n", "soon", True),
        ("a: !!timestamp 2024-02-30\n", "2024-02-30", True),
        ("a: !!null x\n", "x", True),
        ("a: !!binary aGk=\n", "aGk=", True),
    ],
)
def test_a_tag_never_raises_it_is_accepted_or_noted(text, value, problem):
    source = parse_yaml(text, "t.yaml")
    assert source.data == {"a": value}
    assert bool(source.problems) == problem
    if problem:
        assert (source.problems[0].line, source.problems[0].column) == (1, 4)


def test_a_number_too_long_to_convert_stays_text_and_never_raises():
    digits = "9" * 5000
    assert plain_scalar(digits) == digits
    source = parse_yaml(f"pain: {digits}\nx: !!int {digits}\n", "t.yaml")
    assert source.data == {"pain": digits, "x": digits}
    assert urgent_pain([digits]) == (10, [repr(digits)])


def test_a_key_given_twice_keeps_its_later_values_for_the_safety_reader():
    source = parse_yaml("a: 1\nb: {c: 2, c: 3}\na: 4\na: 5\n", "t.yaml")
    assert source.data == {"a": 1, "b": {"c": 2}}
    assert source.again == {("a",): [4, 5], ("b", "c"): [3]}
    assert len(source.problems) == 3


@pytest.mark.parametrize("word", [True, "yes", " TRUE ", "Sí", "si", "S", "y", "verdadero"])
def test_yes_words(word):
    assert read_yes_no(word) is True


@pytest.mark.parametrize("word", [False, "no", " FALSE ", "N", "falso"])
def test_no_words(word):
    assert read_yes_no(word) is False


@pytest.mark.parametrize("value", [1, 0, 1.0, "maybe", "", None, [True]])
def test_a_number_or_anything_else_is_never_yes_or_no(value):
    with pytest.raises(ValueError):
        read_yes_no(value)


@pytest.mark.parametrize(
    ("value", "pain"),
    [(7, 7), ("9/10", 9), (" 9 / 10 ", 9), (7.5, 8), (6.1, 7), ("6,1", 7), ("03", 3), (0.0, 0)],
)
def test_pain_readings(value, pain):
    assert read_pain(value) == pain


@pytest.mark.parametrize("value", [True, "yes", 11, -1, "high", "9/11", float("nan"), 10.5])
def test_pain_that_cannot_be_read_raises(value):
    with pytest.raises(ValueError):
        read_pain(value)


def test_urgent_readers_take_the_most_urgent_value():
    assert urgent_pain([2, "high"]) == (10, ["'high'"])
    assert urgent_pain([3, 12]) == (10, ["12"])
    assert urgent_pain([3, "8/10"]) == (8, [])
    assert urgent_yes_no([False, "maybe"]) == (True, ["'maybe'"])
    assert urgent_yes_no(["no", False]) == (False, [])
    flags, unread = urgent_red_flags([[], "Saddle-Anesthesia; history of cancer", ["x y"]])
    assert flags == ["saddle_anaesthesia", "history_of_cancer"]
    assert unread == [("x y", "emergency")]


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("saddle_anesthesia", "saddle_anaesthesia"),
        ("  SADDLE  ANAESTHESIA ", "saddle_anaesthesia"),
        ("Not-Improving-After-1-Month", "not_improving_after_1_month"),
        ("fever  or systemically_unwell", "fever_or_systemically_unwell"),
        ("unknown", "unknown"),
    ],
)
def test_red_flag_spellings(text, flag):
    assert red_flag_id(text) == flag


def test_a_string_of_red_flags_is_a_list():
    assert split_red_flags("a, b;c\nd") == ["a", "b", "c", "d"]
    assert split_red_flags("none") == [] and split_red_flags("  ") == []
    assert split_red_flags(["a, b", "c"]) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("cancer", "see_clinician"),
        ("weight loss", "see_clinician"),
        ("steroids long term", "see_clinician"),
        ("bladder", "emergency"),
        ("saddle anaesthsia", "emergency"),
        ("leg", "emergency"),
        ("zzz", "emergency"),
        ("", "emergency"),
    ],
)
def test_an_unreadable_flag_is_as_urgent_as_what_it_resembles(text, urgency):
    assert flag_urgency(text) == urgency


def test_a_very_long_unreadable_flag_is_an_emergency_at_once():
    # Even when every word of it resembles a see-a-clinician sign: a text that long is no
    # misspelt sign, and the stricter reading is the safe one.
    assert flag_urgency("cancer " * 10) == "see_clinician"
    assert flag_urgency("cancer " * 200) == "emergency"


def test_ages_are_decimal_whole_years():
    assert read_age("055") == 55 and read_age(55.0) == 55 and read_age(None) is None
    for bad in (True, "fifty", 55.5):
        with pytest.raises(ValueError):
            read_age(bad)


@pytest.mark.parametrize("text", ["none", "NONE", " ninguno ", "nada", "0", "no"])
def test_none_answers(text):
    assert is_none_answer(text)


_TAGS = ["", "!!int ", "!!bool ", "!!float ", "!!null ", "!!timestamp ", "!!str ", "!!binary "]
_TAGS += ["!!set ", "!!python/object:os.system ", "!x ", "!!omap "]


@settings(max_examples=examples(200, 2000), deadline=None)
@given(
    st.sampled_from(_TAGS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.sampled_from(["notes", "pain", "sharp_pain", "patient", "level", "clinician"]),
)
def test_13_1_no_tag_or_scalar_hides_an_emergency(tag, text, key):
    """Issue 13 item 1: whatever value and tag sit beside it, the emergency sign is read."""
    from backplan.errors import BackplanError
    from backplan.intake.answers import StopInInvalidAnswers, parse_answers
    from backplan.intake.screening import screen

    value = tag + json.dumps(text, ensure_ascii=False) if tag and text[:1] in "[{" else tag + text
    document = f"red_flags: [saddle_anaesthesia]\n{key}: {value}\n"
    try:
        source = parse_yaml(document, "t.yaml")
    except BackplanError:
        return  # a YAML syntax error in the generated value: reported, with its line
    try:
        answers = parse_answers(source)
    except StopInInvalidAnswers as exc:
        answers = exc.answers
    stop = screen(answers)
    assert stop is not None and stop.urgency == "emergency"
