"""The iCalendar reminders: the file parses back, has the right sessions, alarms and words."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from dateutil.rrule import rrulestr

from backplan.planning.outcome import Dose, Patient, Plan, PlanItem, Reason, Stop
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
    # the dose in the words of every other format (render/wording.py)
    assert "Bird Dog: 2 sets x 10 reps, each side, rest 60 s between sets" in description
    assert "Wall Sit: 2 sets, hold 20 s, rest 60 s between sets" in description
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


def test_a_spanish_plan_speaks_spanish_and_the_next_english_one_english():
    (event,) = _events(render_ics(_plan(lang="es")))
    assert str(event["SUMMARY"]) == "Ejercicios para la espalda"
    assert "series" in str(event["DESCRIPTION"])
    (event,) = _events(render_ics(_plan(lang="en")))
    assert str(event["SUMMARY"]) == "Back exercises"
    assert "series" not in str(event["DESCRIPTION"])


# -- issue 18: --time, --days and the local time zone ------------------------------------------


def test_reminders_at_a_time_on_chosen_days_in_a_named_zone():
    from backplan.render.ics import Reminders

    plan = _plan()
    reminders = Reminders(at=dt.time(7, 30), days=("MO", "TH"), zone="Europe/Madrid")
    data = render_ics(plan, reminders=reminders)
    cal = icalendar.Calendar.from_ical(data)
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Madrid"
    (event,) = _events(data)
    assert "DTSTART;TZID=Europe/Madrid:20250306T073000" in data.decode()
    days = _occurrences(event)
    assert [d.date() for d in days] == [
        dt.date(2025, 3, 6),
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 13),
        dt.date(2025, 3, 17),
    ]
    assert {d.strftime("%H:%M %Z") for d in days} == {"07:30 CET"}


def test_the_default_is_mon_wed_fri_at_six_in_the_local_zone(monkeypatch):
    monkeypatch.setenv("TZ", "America/Mexico_City")
    data = render_ics(_plan()).decode()
    assert "DTSTART;TZID=America/Mexico_City:20250305T180000" in data
    assert "BYDAY=MO,WE,FR" in data


def test_without_a_known_zone_the_times_float():
    from backplan.render.ics import Reminders

    data = render_ics(_plan(), reminders=Reminders(zone=None)).decode()
    assert "DTSTART:20250305T180000\r\n" in data
    assert "VTIMEZONE" not in data


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("mon,thu", ("MO", "TH")),
        ("Thu, Mon", ("MO", "TH")),
        ("lun,jue", ("MO", "TH")),
        ("MO TH SU", ("MO", "TH", "SU")),
        ("friday", ("FR",)),
    ],
)
def test_days_in_words(text, codes):
    from backplan.render.ics import parse_days

    assert parse_days(text) == codes


@pytest.mark.parametrize("text", ["mon,funday", "", ","])
def test_a_day_that_is_not_one_is_refused(text):
    from backplan.render.ics import parse_days

    with pytest.raises(ValueError):
        parse_days(text)


@pytest.mark.parametrize(
    ("text", "ok"), [("07:30", True), ("18:00", True), ("7", False), ("25:00", False)]
)
def test_times_are_hh_mm(text, ok):
    from backplan.render.ics import parse_time

    if ok:
        assert parse_time(text).strftime("%H:%M") == text
    else:
        with pytest.raises(ValueError):
            parse_time(text)


@pytest.mark.parametrize(
    ("env", "zone"),
    [({"TZ": "Europe/Madrid"}, "Europe/Madrid"), ({"TZ": ":America/Bogota"}, "America/Bogota")],
)
def test_the_local_zone_comes_from_tz_first(env, zone):
    from backplan.render.ics import local_zone_name

    assert local_zone_name(env) == zone


def test_a_tz_that_names_no_zone_falls_back_to_the_system():
    from backplan.render.ics import _is_zone, local_zone_name

    found = local_zone_name({"TZ": "Not/AZone"})
    assert found is None or (found != "Not/AZone" and _is_zone(found))
