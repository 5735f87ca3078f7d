from dataclasses import replace

from plan_fixtures import items

from backplan import i18n
from backplan.plan import Step
from backplan.render.wording import progression_parts, progression_text


def test_progression_names_the_next_exercise_then_its_condition_as_a_sentence():
    item = replace(
        items()[0],
        progression=Step("band-pull-through", "Band Pull-Through", "When you can do 2 sets of 10."),
    )
    assert progression_parts(item) == (
        "move on to ",
        "Band Pull-Through",
        ". When you can do 2 sets of 10.",
    )
    assert progression_text(item) == ("move on to Band Pull-Through. When you can do 2 sets of 10.")


def test_a_condition_written_as_a_clause_becomes_a_sentence():
    item = replace(items()[0], progression=Step("x", "Light deadlift", "when 12 reps feel easy"))
    assert progression_text(item) == "move on to Light deadlift. When 12 reps feel easy."


def test_progression_without_a_condition_or_without_a_next_exercise():
    assert progression_text(replace(items()[0], progression=Step("x", "Plank"))) == (
        "move on to Plank."
    )
    assert progression_parts(replace(items()[0], progression=None)) is None


def test_progression_in_spanish():
    i18n.set_language("es")
    try:
        item = replace(items()[0], progression=Step("x", "Plancha", "Cuando pueda."))
        assert progression_text(item) == "pase a Plancha. Cuando pueda."
    finally:
        i18n.set_language("en")


def test_a_dose_in_minutes_and_a_step_that_does_not_suit():
    from backplan.plan import Dose
    from backplan.render.wording import dose_text, regression_text

    walk = Dose(sets=1, reps=None, hold_s=0, rest_s=0, per_side=False, days_per_week=5, minutes=20)
    assert dose_text(walk) == "20 minutes, 5 days a week"
    assert dose_text(replace(walk, sets=2, rest_s=60)).startswith("2 x 20 minutes, rest 60 s")
    advice = Step(None, "", advice="Ask your chiropractor before you progress.")
    assert progression_parts(replace(items()[0], progression=advice)) == (
        "",
        "",
        "Ask your chiropractor before you progress.",
    )
    assert regression_text(replace(items()[0], regression=Step("x", "Wall Plank"))) == (
        "go back to Wall Plank."
    )
    easier = Step(None, "", advice="Ask your chiropractor for an easier exercise.")
    assert regression_text(replace(items()[0], regression=easier)) == easier.advice
