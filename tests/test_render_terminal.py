import io

from plan_fixtures import HOSTILE, check_golden, clinic, clinician_stop, emergency_stop, plan
from rich.console import Console

from backplan.planning.outcome import Patient
from backplan.render import RenderOptions, print_outcome, render_text


def plain(outcome, options=None) -> str:
    console = Console(
        file=io.StringIO(), width=80, no_color=True, force_terminal=False, record=True
    )
    print_outcome(outcome, console, options or RenderOptions(clinic=clinic()))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def test_plan_at_80_columns_matches_golden():
    text = plain(plan())
    check_golden("terminal_plan.txt", text)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_stop_at_80_columns_matches_golden():
    check_golden("terminal_stop_emergency.txt", plain(emergency_stop()))


def test_plan_has_every_section():
    text = " ".join(plain(plan()).split())  # wrapped lines joined
    for words in (
        "Maria Lopez",
        "March 2, 2026",  # Babel's English long date
        "Stop and call us if",
        "sharp pain",
        "emergency department",
        "WARM-UP",
        "Instead of Deadlift, because:",
        "Equipment: Cable machine, Rope handle",
        "1. Attach a rope handle",
        "+- Stop and call us if",
        "Tips:",
        "Common mistakes:",
        "2 sets x 10 reps, rest 60 s between sets, 3 days a week",
        "3 sets, hold 20 s",
        "each side",
        "eased because of your pain",
        "When it gets easy: move on to Light Romanian deadlift. When 3 sets of 12 feel",
        "Note: Start with a light weight.",
        "Walk 20 minutes",
        "305-555-0142",
        "Sat: 9:00 am-1:00 pm",
    ):
        assert words in text, words


def test_stop_lists_every_reason_and_no_exercise():
    text = plain(clinician_stop())
    assert "Do not start the exercises: contact your chiropractor" in text
    assert "You have had cancer." in text and "Your pain is 8 out of 10." in text
    assert "Bayside Chiropractic" in text
    assert "Dose" not in text and "Steps" not in text


def test_emergency_stop_says_emergency_care_today():
    text = plain(emergency_stop())
    assert "Seek emergency care today" in text
    assert "emergency department" in text


def test_without_a_clinic_the_footer_points_to_the_chiropractor():
    assert "Ask your chiropractor" in plain(plan(), RenderOptions())


def test_piped_output_has_no_escape_codes_and_colour_terminal_has_them():
    assert "\x1b[" not in plain(plan())
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=True, color_system="standard")
    print_outcome(plan(), console, RenderOptions())
    assert "\x1b[" in buffer.getvalue()


def test_rich_markup_in_typed_text_stays_literal():
    typed = "[bold red]Ana[/] " + HOSTILE
    text = plain(plan(patient=Patient(name=typed), notes=(typed,)))
    assert text.count("[bold red]Ana[/]") == 2
    assert '<img src="file:///etc/passwd">' in text


def test_render_text_is_the_plain_page():
    text = render_text(plan(), RenderOptions(clinic=clinic()))
    assert text == plain(plan())


def test_each_exercise_leads_with_what_it_does_for_the_back():
    import dataclasses

    from backplan.render.markdown import render_markdown

    base = plan()
    first = dataclasses.replace(base.exercises[0], purpose="Teaches your hips to do the work.")
    shown = dataclasses.replace(base, exercises=(first, *base.exercises[1:]))
    for text in (plain(shown), render_markdown(shown, RenderOptions(clinic=clinic()))):
        flat = " ".join(text.split())
        assert flat.index("Teaches your hips to do the work.") < flat.index("Instead of Deadlift")
