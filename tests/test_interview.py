"""The interview through a scripted I/O object: order, re-asking, stops at the first one met."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from selection_fixtures import VOCABULARY

from backplan.errors import BackplanError
from backplan.intake.answers import Answers
from backplan.intake.interview import QUESTION_COUNT, StreamIO, question_words, run_interview
from backplan.intake.screening import EMERGENCY_SIGNS, SEE_CLINICIAN_SIGNS
from backplan.planning.outcome import Stop

# emergency, sharp, clinician signs, pain, new onset, age, legs, conditions, equipment, level, name
CLEAR = ["none", "no", "none", "3", "no", "", "1", "none", "none", "1", ""]


class Script:
    """Answers from a list; raises EOFError when they run out, like a closed pipe."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        self.said: list[str] = []
        self.asked = 0

    def say(self, text: str) -> None:
        self.said.append(text)

    def ask(self, prompt: str) -> str:
        self.asked += 1
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def text(self) -> str:
        return "\n".join(self.said)


def run(lines: list[str], lang: str = "en"):
    script = Script(lines)
    return run_interview(script, VOCABULARY, lang=lang, date=dt.date(2026, 3, 2)), script


def test_a_clear_interview_gives_answers():
    result, script = run(CLEAR)
    assert isinstance(result, Answers)
    assert result.pain == 3
    assert result.red_flags == []
    assert result.patient.age is None
    assert script.asked == QUESTION_COUNT
    assert f"Question {QUESTION_COUNT} of {QUESTION_COUNT}" in script.text()


def test_every_answer_lands_in_its_field():
    lines = ["none", "n", "none", "5", "yes", "35", "3", "1", "1 3, 7", "2", "Ana Pérez"]
    result, _script = run(lines)
    assert result.pain == 5
    assert result.new_onset is True
    assert result.patient.age == 35
    assert result.patient.name == "Ana Pérez"
    assert result.leg_symptoms == "one_leg_below_knee"
    assert result.conditions == ["knee_pain"]
    assert result.equipment == ["mat", "stability_ball", "glider"]
    assert result.level == "intermediate"
    assert result.lang == "en"


def test_the_order_follows_the_reference():
    _result, script = run(CLEAR)
    text = script.text()
    words = question_words("en").data["questions"]
    order = [
        words["emergency_signs"]["en"],
        words["sharp_pain"]["en"],
        words["clinician_signs"]["en"],
        words["pain"]["en"],
        words["new_onset"]["en"],
        words["age"]["en"],
        words["leg_symptoms"]["en"],
        words["conditions"]["en"],
        words["equipment"]["en"],
        words["level"]["en"],
        words["name"]["en"],
    ]
    positions = [text.index(q) for q in order]
    assert positions == sorted(positions)


def test_the_allowed_answers_are_shown():
    _result, script = run(CLEAR)
    text = script.text()
    assert "  1. Numbness or changed feeling" in text
    assert "Type yes or no." in text
    assert "Type a whole number from 0 to 10." in text
    assert "or type none" in text
    assert "  4. Yes, in both legs" in text
    assert "  2. A chair" in text
    assert "a wall" not in text.lower().split("which of these")[1]  # always available: not asked


@pytest.mark.parametrize(
    ("position", "bad"),
    [
        (0, "maybe"),
        (0, "9"),
        (0, "1 none"),
        (1, "perhaps"),
        (3, "11"),
        (3, "-1"),
        (3, "3.5"),
        (5, "abc"),
        (6, "5"),
        (7, "0"),
        (9, "expert"),
        (3, ""),
    ],
)
def test_an_invalid_answer_is_asked_again(position, bad):
    lines = list(CLEAR)
    lines.insert(position, bad)
    result, script = run(lines)
    assert isinstance(result, Answers)
    assert script.asked == QUESTION_COUNT + 1
    assert "is not one of the answers" in script.text() or "Please answer" in script.text()


def test_age_is_required_when_the_pain_is_new():
    lines = ["none", "no", "none", "3", "yes", "", "40", "1", "none", "none", "1", ""]
    result, script = run(lines)
    assert result.patient.age == 40
    assert "Please answer" in script.text()


@pytest.mark.parametrize("number", range(1, len(EMERGENCY_SIGNS) + 1))
def test_an_emergency_sign_stops_at_once(number):
    result, script = run([str(number)])
    assert isinstance(result, Stop)
    assert result.urgency == "emergency"
    assert [r.id for r in result.reasons] == [EMERGENCY_SIGNS[number - 1]]
    assert script.asked == 1


def test_all_ticked_emergency_signs_are_named():
    result, _script = run(["8 1"])
    assert [r.id for r in result.reasons] == ["saddle_anaesthesia", "significant_trauma"]


def test_sharp_pain_stops_before_the_other_signs():
    result, script = run(["none", "yes"])
    assert isinstance(result, Stop)
    assert [r.id for r in result.reasons] == ["sharp_pain"]
    assert result.urgency == "see_clinician"
    assert script.asked == 2


@pytest.mark.parametrize("number", range(1, len(SEE_CLINICIAN_SIGNS) + 1))
def test_a_clinician_sign_stops(number):
    result, script = run(["none", "no", str(number)])
    assert result.urgency == "see_clinician"
    assert [r.id for r in result.reasons] == [SEE_CLINICIAN_SIGNS[number - 1]]
    assert script.asked == 3


@pytest.mark.parametrize(("pain", "stops"), [("6", False), ("7", True)])
def test_pain_edge(pain, stops):
    lines = list(CLEAR)
    lines[3] = pain
    result, script = run(lines)
    assert isinstance(result, Stop) == stops
    if stops:
        assert [r.id for r in result.reasons] == ["pain_nrs_severe"]
        assert script.asked == 4


@pytest.mark.parametrize(
    ("age", "rule"),
    [("19", "age_new_onset_under_20"), ("20", None), ("50", None), ("51", "age_new_onset_over_50")],
)
def test_age_edges_with_new_onset(age, rule):
    lines = list(CLEAR)
    lines[4], lines[5] = "yes", age
    result, script = run(lines)
    if rule is None:
        assert isinstance(result, Answers)
        assert result.patient.age == int(age)
    else:
        assert [r.id for r in result.reasons] == [rule]
        assert script.asked == 6


def test_both_legs_is_an_emergency():
    lines = list(CLEAR)
    lines[6] = "4"
    result, script = run(lines)
    assert result.urgency == "emergency"
    assert [r.id for r in result.reasons] == ["bilateral_leg_symptoms"]
    assert script.asked == 7


def test_the_library_is_read_only_after_the_safety_questions():
    def broken():
        raise BackplanError("the library is broken")

    result = run_interview(Script(["3"]), broken)
    assert isinstance(result, Stop)
    with pytest.raises(BackplanError, match="broken"):
        run_interview(Script(CLEAR), broken)


def test_input_ending_early_is_a_user_error():
    with pytest.raises(BackplanError) as info:
        run(CLEAR[:4])
    assert info.value.exit_code == 2
    assert "nothing was saved" in str(info.value)


def test_spanish_interview():
    lines = ["ninguno", "no", "ninguno", "2", "sí", "30", "1", "ninguno", "1", "1", "Ana"]
    result, script = run(lines, lang="es")
    assert isinstance(result, Answers)
    assert result.new_onset is True
    assert result.equipment == ["mat"]
    assert "Pregunta 1 de 11" in script.text()
    assert "¿Tiene ahora algún dolor agudo" in script.text()
    assert "una colchoneta" in script.text().lower()


def test_every_question_has_both_languages():
    data = question_words("en").data
    for qid, q in data["questions"].items():
        assert q["en"] and q["es"], qid
        for key in ("items", "options"):
            for item_id, words in q.get(key, {}).items():
                assert words["en"] and words["es"], (qid, item_id)
    assert list(data["questions"]["emergency_signs"]["items"]) == list(EMERGENCY_SIGNS)
    assert list(data["questions"]["clinician_signs"]["items"]) == list(SEE_CLINICIAN_SIGNS)
    for word in ("yes", "no", "none"):
        assert all(
            isinstance(w, str) for w in data["words"][word]["en"] + data["words"][word]["es"]
        )


def test_stream_io_reads_lines_and_echoes_piped_answers():
    out = io.StringIO()
    stream = StreamIO(out=out, inp=io.StringIO("first\r\nsecond\n"))
    assert stream.ask("> ") == "first"
    assert stream.ask("> ") == "second"
    with pytest.raises(EOFError):
        stream.ask("> ")
    assert out.getvalue() == "> first\n> second\n> "


def test_wrap_for_terminal_breaks_at_words_and_hangs_choices():
    from backplan.intake.interview import wrap_for_terminal

    text = "Question 1. Do you have any of these now?\n  2. New trouble starting or stopping urine, not feeling your bladder, or leaking"
    wrapped = wrap_for_terminal(text, 40).splitlines()
    assert all(len(line) <= 39 for line in wrapped)
    assert wrapped[2] == "  2. New trouble starting or stopping"
    assert wrapped[3].startswith("     urine,")  # continues under the choice's text
    assert " ".join(w.strip() for w in wrapped[2:]).split() == text.splitlines()[1].split()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Getting down to the floor and back up is hard for me"),
        ("es", "Me cuesta bajar al piso y volver a levantarme"),
    ],
)
def test_the_builtin_interview_asks_about_the_floor_in_plain_words(lang, words):
    from backplan.library.catalogue import load_library

    vocabulary = load_library().vocabulary
    # leg pain below the knee has its own question, so the checklist leaves it out
    asked = [c for c in vocabulary.conditions if c != "leg_pain_below_knee"]
    number = asked.index("floor_transfers_hard") + 1
    lines = [*CLEAR[:7], str(number), *CLEAR[8:]]
    script = Script(lines)
    result = run_interview(script, vocabulary, lang=lang, date=dt.date(2026, 3, 2))
    assert words in script.text()
    assert result.conditions == ["floor_transfers_hard"]
