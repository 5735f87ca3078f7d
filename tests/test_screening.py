"""Each rule of the clinical-screening reference at its edges, and the precedence between them."""

from __future__ import annotations

import datetime as dt

import pytest
from reference_ids import EMERGENCY, SEE_CLINICIAN

from backplan.i18n import words
from backplan.intake.answers import Answers
from backplan.intake.screening import (
    DERIVED_STOPS,
    EMERGENCY_SIGNS,
    RED_FLAG_IDS,
    SEE_CLINICIAN_SIGNS,
    message,
    screen,
    stop_reasons,
)

REFERENCE_EMERGENCY = list(EMERGENCY)
REFERENCE_SEE_CLINICIAN = list(SEE_CLINICIAN)


EN = words("en")


def answers(**changes) -> Answers:
    base = {"sharp_pain": False, "pain": 2, "red_flags": [], "patient": {"age": 35}}
    return Answers.model_validate({**base, **changes})


def test_ids_are_the_reference_ids():
    assert list(EMERGENCY_SIGNS) == REFERENCE_EMERGENCY
    assert list(SEE_CLINICIAN_SIGNS) == REFERENCE_SEE_CLINICIAN
    assert set(RED_FLAG_IDS) == set(REFERENCE_EMERGENCY + REFERENCE_SEE_CLINICIAN)
    assert set(DERIVED_STOPS) == {
        "sharp_pain",
        "pain_nrs_severe",
        "age_new_onset_over_50",
        "age_new_onset_under_20",
    }


def test_nothing_reported_proceeds():
    assert screen(answers()) is None


@pytest.mark.parametrize("flag", REFERENCE_EMERGENCY)
def test_each_emergency_sign_stops_with_emergency(flag):
    stop = screen(answers(red_flags=[flag]))
    assert stop is not None
    assert stop.urgency == "emergency"
    assert [r.id for r in stop.reasons] == [flag]
    assert stop.reasons[0].urgency == "emergency"


@pytest.mark.parametrize("flag", REFERENCE_SEE_CLINICIAN)
def test_each_see_clinician_sign_stops_with_see_clinician(flag):
    stop = screen(answers(red_flags=[flag]))
    assert stop is not None
    assert stop.urgency == "see_clinician"
    assert [r.id for r in stop.reasons] == [flag]


def test_sharp_pain_stops():
    stop = screen(answers(sharp_pain=True))
    assert stop is not None
    assert stop.urgency == "see_clinician"
    assert [r.id for r in stop.reasons] == ["sharp_pain"]


@pytest.mark.parametrize(("pain", "stops"), [(0, False), (6, False), (7, True), (10, True)])
def test_pain_edges(pain, stops):
    stop = screen(answers(pain=pain))
    assert (stop is not None) == stops
    if stops:
        assert [r.id for r in stop.reasons] == ["pain_nrs_severe"]
        assert stop.urgency == "see_clinician"


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (19, ["age_new_onset_under_20"]),
        (20, []),
        (35, []),
        (50, []),
        (51, ["age_new_onset_over_50"]),
        (0, ["age_new_onset_under_20"]),
        (120, ["age_new_onset_over_50"]),
    ],
)
def test_age_edges_with_new_onset(age, expected):
    assert stop_reasons(answers(new_onset=True, patient={"age": age})) == expected


@pytest.mark.parametrize("age", [19, 51, 80])
def test_age_alone_without_new_onset_does_not_stop(age):
    assert screen(answers(new_onset=False, patient={"age": age})) is None


def test_every_reason_is_named_and_emergency_comes_first():
    stop = screen(
        answers(
            sharp_pain=True,
            pain=9,
            new_onset=True,
            patient={"name": "Ana", "age": 60},
            red_flags=["history_of_cancer", "significant_trauma", "saddle_anaesthesia"],
        ),
        date=dt.date(2026, 1, 5),
        lang="es",
    )
    assert stop is not None
    assert stop.urgency == "emergency"
    assert [r.id for r in stop.reasons] == [
        "saddle_anaesthesia",
        "significant_trauma",
        "sharp_pain",
        "history_of_cancer",
        "pain_nrs_severe",
        "age_new_onset_over_50",
    ]
    assert [r.urgency for r in stop.reasons][:2] == ["emergency", "emergency"]
    assert stop.patient.name == "Ana"
    assert stop.date == dt.date(2026, 1, 5)
    assert stop.lang == "es"


def test_stop_json_has_no_exercise():
    stop = screen(answers(red_flags=["night_pain_unrelieved"]))
    assert stop.to_dict() == {
        "status": "stop",
        "urgency": "see_clinician",
        "reasons": [
            {"id": "night_pain_unrelieved", "message": message("night_pain_unrelieved", EN)}
        ],
    }


@pytest.mark.parametrize("rule", [*RED_FLAG_IDS, *DERIVED_STOPS])
def test_every_rule_has_plain_words(rule):
    for said in (EN, words("es")):
        text = message(rule, said)
        assert text.endswith(".")
        assert "_" not in text
    assert message(rule, words("es")) != message(rule, EN)  # every reason is translated


def test_each_stop_speaks_its_own_language_whatever_came_before():
    answers = Answers(sharp_pain=True, pain=8, red_flags=["history_of_cancer"])
    spanish = screen(answers, lang="es")
    english = screen(answers, lang="en")
    again = screen(answers, lang="es")
    assert spanish.lang == "es" and english.lang == "en"
    assert spanish.reasons[0].message.startswith("Tiene un dolor agudo")
    assert english.reasons[0].message.startswith("You have sharp pain")
    assert again == spanish
    assert not {r.message for r in english.reasons} & {r.message for r in spanish.reasons}
