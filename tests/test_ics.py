"""The iCalendar reminders: the file parses back, has the right sessions, alarms and words."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from dateutil.rrule import rrulestr

from backplan.i18n import current_language, set_language
from backplan.plan import Dose, Patient, Plan, PlanItem, Reason, Stop
from backplan.render.ics import first_session, render_ics, session_days, session_minutes


def _item(id_: str, name: str, *, days: int = 3, kind: str = "modified", **dose) -> PlanItem:
    values = {"sets": 2, "reps": 10, "hold_s": 0, "rest_s": 60, "per_side": False}
    values.update(dose)
    return PlanItem(
        id=id_,
        name=name,
        kind=kind,
        pattern="core",
        level="beginner",
        replaces=None,
        replaces_name=None,
        why=None,
        chosen_because="test",
        equipment=(),
        equipment_labels=(),
        dose=Dose(days_per_week=days, **values),
        steps=("Do it.",),
    )


def _plan(*, weeks: int = 2, days: int = 3, date=dt.date(2025, 3, 4), lang="en") -> Plan:
    # 2025-03-04 is a Tuesday
    return Plan(
        patient=Patient("Ana Pérez", 42),
        date=date,
        warmup=(_item("cat-cow", "Cat-Cow", kind="warmup", days=7),),
        exercises=(
            _item("bird-dog", "Bird Dog", days=days, per_side=True),
            _item("wall-sit", "Wall Sit", days=days, reps=None, hold_s=20),
        ),
        lang=lang,
        weeks=weeks,
    )


def _events(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0"
    assert "backplan" in str(cal["PRODID"])
    return list(cal.walk("VEVENT"))


def _occurrences(event: icalendar.Event) -> list[dt.datetime]:
    start = event.decoded("DTSTART")
    rule = event["RRULE"].to_ical().decode()
    return list(rrulestr(rule, dtstart=start))


def test_sessions_are_on_the_plans_days_for_its_weeks():
    plan = _plan()
    (event,) = _events(render_ics(plan))
    days = _occurrences(event)
    # three a week (main exercises), for two weeks, starting on the first Monday/Wednesday/Friday
    assert [d.date() for d in days] == [
        dt.date(2025, 3, 5),
        dt.date(2025, 3, 7),
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 12),
        dt.date(2025, 3, 14),
        dt.date(2025, 3, 17),
    ]
    assert all(d.time() == dt.time(18, 0) for d in days)
    assert session_days(plan) == ("MO", "WE", "FR")
    assert first_session(plan) == dt.date(2025, 3, 5)


def test_a_protocol_with_more_weeks_gives_more_sessions():
    (event,) = _events(render_ics(_plan(weeks=4, days=2)))
    days = _occurrences(event)
    assert len(days) == 8
    assert {d.strftime("%a") for d in days} == {"Tue", "Fri"}
    assert days[0].date() == dt.date(2025, 3, 4)  # the plan's own day is a Tuesday


def test_each_session_lists_the_exercises_and_has_an_alarm():
    (event,) = _events(render_ics(_plan(), alarm_minutes=30))
    description = str(event["DESCRIPTION"])
    assert "Cat-Cow" in description
    assert "Bird Dog: 2 sets × 10 reps, 60 s rest, each side" in description
    assert "Wall Sit: 2 sets × hold 20 s, 60 s rest" in description
    assert "sharp pain" in description
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == dt.timedelta(minutes=-30)
    assert str(alarm["DESCRIPTION"])
    # required by RFC 5545 for every event
    assert event["UID"].endswith("@backplan")
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(
        minutes=session_minutes(_plan())
    )


def test_same_plan_same_file():
    assert render_ics(_plan()) == render_ics(_plan())
    assert render_ics(_plan()) != render_ics(_plan(weeks=3))


def test_lines_are_folded_and_crlf_terminated():
    data = render_ics(_plan())
    lines = data.split(b"\r\n")
    assert data.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in lines)


@pytest.mark.parametrize(
    ("urgency", "summary"),
    [
        ("see_clinician", "Call your chiropractor before you exercise"),
        ("emergency", "Seek emergency care today"),
    ],
)
def test_a_stop_gives_one_reminder_and_no_exercise(urgency, summary):
    stop = Stop(
        urgency=urgency,
        reasons=(Reason("sharp_pain", "You have sharp pain.", urgency),),
        patient=Patient("Ana"),
        date=dt.date(2025, 3, 4),
    )
    (event,) = _events(render_ics(stop))
    assert str(event["SUMMARY"]) == summary
    assert "You have sharp pain." in str(event["DESCRIPTION"])
    assert "RRULE" not in event
    assert event.decoded("DTSTART") == dt.date(2025, 3, 4)


def test_write_outcome_routes_ics_files_here(tmp_path):
    from backplan.render import RenderOptions, format_for, write_outcome

    path = write_outcome(_plan(), tmp_path / "plan.ics", None, RenderOptions())
    assert format_for(path, None) == "ics"
    assert len(_events(path.read_bytes())) == 1
    assert list(tmp_path.iterdir()) == [path]  # nothing half-written left behind


def test_spanish_plan_uses_the_catalogue_and_restores_the_language():
    set_language("en")
    (event,) = _events(render_ics(_plan(lang="es")))
    assert str(event["SUMMARY"]) == "Ejercicios para la espalda"
    assert "series" in str(event["DESCRIPTION"])
    assert current_language() == "en"
