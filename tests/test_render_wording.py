from dataclasses import replace

from plan_fixtures import items

from backplan.planning.outcome import Step
from backplan.render.wording import Wording

EN = Wording.of("en")
ES = Wording.of("es")


def test_progression_names_the_next_exercise_then_its_condition_as_a_sentence():
    item = replace(
        items()[0],
        progression=Step("band-pull-through", "Band Pull-Through", "When you can do 2 sets of 10."),
    )
    assert EN.progression_parts(item) == (
        "move on to ",
        "Band Pull-Through",
        ". When you can do 2 sets of 10.",
    )
    assert EN.progression_text(item) == (
        "move on to Band Pull-Through. When you can do 2 sets of 10."
    )


def test_a_condition_written_as_a_clause_becomes_a_sentence():
    item = replace(items()[0], progression=Step("x", "Light deadlift", "when 12 reps feel easy"))
    assert EN.progression_text(item) == "move on to Light deadlift. When 12 reps feel easy."


def test_progression_without_a_condition_or_without_a_next_exercise():
    assert EN.progression_text(replace(items()[0], progression=Step("x", "Plank"))) == (
        "move on to Plank."
    )
    assert EN.progression_parts(replace(items()[0], progression=None)) is None


def test_progression_in_spanish():
    item = replace(items()[0], progression=Step("x", "Plancha", "Cuando pueda."))
    assert ES.progression_text(item) == "pase a Plancha. Cuando pueda."
    assert EN.progression_text(item) == "move on to Plancha. Cuando pueda."  # no state left


def test_a_dose_in_minutes_and_a_step_that_does_not_suit():
    from backplan.planning.outcome import Dose

    walk = Dose(sets=1, reps=None, hold_s=0, rest_s=0, per_side=False, days_per_week=5, minutes=20)
    assert EN.dose_text(walk) == "20 minutes, 5 days a week"
    assert EN.dose_text(walk.model_copy(update={"sets": 2, "rest_s": 60})).startswith(
        "2 x 20 minutes, rest 60 s"
    )
    advice = Step(None, "", advice="Ask your chiropractor before you progress.")
    assert EN.progression_parts(replace(items()[0], progression=advice)) == (
        "",
        "",
        "Ask your chiropractor before you progress.",
    )
    assert EN.regression_text(replace(items()[0], regression=Step("x", "Wall Plank"))) == (
        "go back to Wall Plank."
    )
    easier = Step(None, "", advice="Ask your chiropractor for an easier exercise.")
    assert EN.regression_text(replace(items()[0], regression=easier)) == easier.advice


def test_dates_and_month_names_come_from_the_language_s_locale_data():
    import datetime as dt

    day = dt.date(2026, 3, 2)
    assert ES.date_text(day) == "2 de marzo de 2026"
    assert EN.date_text(day) == "March 2, 2026"


def test_the_dose_grid_has_a_column_per_number():
    from backplan.planning.outcome import Dose

    grid = EN.dose_grid(Dose(sets=2, reps=8, hold_s=0, rest_s=45, per_side=True, days_per_week=3))
    assert grid == [
        ("Sets", "2"),
        ("Reps each side", "8"),
        ("Rest", "45 s"),
        ("Days a week", "3"),
    ]
    held = EN.dose_grid(
        Dose(sets=1, reps=None, hold_s=120, rest_s=0, per_side=False, days_per_week=5)
    )
    assert held == [("Sets", "1"), ("Hold", "2 min"), ("Days a week", "5")]
    walk = Dose(sets=1, reps=None, hold_s=0, rest_s=0, per_side=False, days_per_week=5, minutes=20)
    assert EN.dose_grid(walk) == [("Minutes", "20"), ("Days a week", "5")]
    labels = [
        label
        for label, _ in ES.dose_grid(Dose(sets=2, reps=10, hold_s=5, rest_s=60, days_per_week=3))
    ]
    assert labels == ["Series", "Repeticiones", "Mantener", "Descanso", "Días por semana"]
    walk = Dose(sets=1, rest_s=0, days_per_week=5, minutes=30)
    assert [label for label, _ in ES.dose_grid(walk)] == ["Minutos", "Días por semana"]


def test_the_glossary_explains_reps_sets_and_bracing_in_both_languages():
    assert [w for w, _ in EN.glossary()] == ["Rep", "Set", "Brace your core"]
    assert EN.warmup_badge() == "W"
    assert EN.safety_title(has_clinic=False) == "Stop and call your chiropractor if"
    words = dict(ES.glossary())
    assert words["Active el abdomen"].startswith("apriete")
    assert ES.warmup_badge() == "C"  # calentamiento
    assert ES.safety_title(has_clinic=False) == "Pare y llame a su quiropráctico si"
