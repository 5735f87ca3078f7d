from plan_fixtures import HOSTILE, check_golden, clinic, clinician_stop, plan

from backplan.planning.outcome import Patient
from backplan.render import RenderOptions, render_bytes
from backplan.render.markdown import md, render_markdown


def test_plan_markdown_matches_golden():
    check_golden("plan.md", render_markdown(plan(), RenderOptions(clinic=clinic())))


def test_plan_has_sections_steps_and_dose():
    text = render_markdown(plan(), RenderOptions(clinic=clinic()))
    assert text.startswith("# Your home exercise plan\n")
    assert "> **Stop and call us if:**" in text
    assert "### 1. Cable pull-through" in text
    assert "1. Attach a rope handle to the bottom setting of a cable machine." in text
    assert "**Dose:** 2 sets x 8 reps, rest 60 s between sets, 3 days a week (eased" in text
    assert "- Sat: 9:00 am-1:00 pm" in text


def test_stop_markdown_has_reasons_and_no_exercise():
    text = render_markdown(clinician_stop(), RenderOptions())
    assert text.startswith("# Do not start the exercises: contact your chiropractor\n")
    assert "- You have had cancer." in text
    assert "Dose" not in text and "###" not in text


def test_typed_text_cannot_become_html_or_markup():
    text = render_markdown(
        plan(patient=Patient(name=HOSTILE + " *bold* [link](x)"), notes=("# heading",)),
        RenderOptions(),
    )
    assert " <img" not in text and " <script" not in text and "><script" not in text
    assert "\\<img src=" in text and "\\*bold\\*" in text and "\\[link\\]" in text
    assert "- \\# heading" in text


def test_md_escape_keeps_plain_sentences_readable():
    assert md("Hold 20 s. Rest (60 s) - then repeat!") == "Hold 20 s. Rest (60 s) - then repeat!"
    assert md("a  \n b") == "a b"


def test_render_bytes_md_is_utf8():
    data = render_bytes(plan(patient=Patient(name="Señora Núñez")), "md", RenderOptions())
    assert "Señora Núñez".encode() in data


def test_the_next_exercise_is_named_in_bold_before_its_condition():
    text = render_markdown(plan(), RenderOptions())
    assert (
        "**When it gets easy:** move on to **Light Romanian deadlift**. "
        "When 3 sets of 12 feel easy for a week.  "
    ) in text
