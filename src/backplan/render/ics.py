"""Reminders: a plan as an iCalendar file (RFC 5545) that Google, Apple and Outlook import.

One weekly recurring event holds every session of the plan (so a person deletes the whole
series in one go), on the days its dose asks for (or `--days`), for the plan's weeks, each with
the exercises in its description and an alarm. Times are local: the event carries this
computer's time zone as a TZID with its VTIMEZONE (`TZ=Europe/Madrid` names another), so "6 pm"
stays 6 pm at home when a phone travels; without a known zone they are floating. The output
depends only on the outcome, the reminder settings and the zone, so the same plan gives the
same file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

from backplan import __version__
from backplan.errors import BackplanError
from backplan.i18n import Words, words
from backplan.intake.screening import clearance_sentence
from backplan.planning.outcome import Outcome, Plan, PlanItem, Stop
from backplan.render.wording import Wording  # one dose wording for every format

DEFAULT_TIME = dt.time(18, 0)
DEFAULT_ALARM_MINUTES = 15

# Spread the sessions over the week so there is a rest day between them where the count allows.
WEEKDAYS_FOR: dict[int, tuple[str, ...]] = {
    1: ("WE",),
    2: ("TU", "FR"),
    3: ("MO", "WE", "FR"),
    4: ("MO", "TU", "TH", "FR"),
    5: ("MO", "TU", "WE", "TH", "FR"),
    6: ("MO", "TU", "WE", "TH", "FR", "SA"),
    7: ("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
}
_WEEKDAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
# The longest plan (26 weeks) and its first session must end before the calendar does.
LAST_START = dt.date.max - dt.timedelta(weeks=27)


@dataclass(frozen=True)
class Reminders:
    """When the sessions are: a time of day, weekdays (RFC 5545 codes; None: from the dose),
    and an IANA time zone (None: floating times)."""

    at: dt.time = DEFAULT_TIME
    days: tuple[str, ...] | None = None
    zone: str | None = None

    @classmethod
    def local(cls, at: dt.time = DEFAULT_TIME, days: tuple[str, ...] | None = None) -> Reminders:
        return cls(at=at, days=days, zone=local_zone_name())


_DAY_NAMES = {
    "MO": ("mo", "mon", "monday", "lu", "lun", "lunes"),
    "TU": ("tu", "tue", "tues", "tuesday", "ma", "mar", "martes"),
    "WE": ("we", "wed", "wednesday", "mi", "mié", "mie", "miércoles", "miercoles"),
    "TH": ("th", "thu", "thur", "thurs", "thursday", "ju", "jue", "jueves"),
    "FR": ("fr", "fri", "friday", "vi", "vie", "viernes"),
    "SA": ("sa", "sat", "saturday", "sá", "sáb", "sab", "sábado", "sabado"),
    "SU": ("su", "sun", "sunday", "do", "dom", "domingo"),
}
_DAY_CODE = {name: code for code, names in _DAY_NAMES.items() for name in names}


def parse_days(text: str) -> tuple[str, ...]:
    """`mon,thu` (or `lun,jue`, `MO TH`) as RFC 5545 weekday codes in week order."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    codes = set()
    for part in parts:
        code = _DAY_CODE.get(part.strip().casefold())
        if code is None:
            raise ValueError(f"`{part.strip()}` is not a weekday; write them like mon,thu")
        codes.add(code)
    if not codes:
        raise ValueError("no weekday given; write them like mon,thu")
    return tuple(c for c in _WEEKDAY_INDEX if c in codes)


def parse_time(text: str) -> dt.time:
    """`07:30` or `18:00` (24-hour clock) as a time of day."""
    try:
        hours, minutes = text.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(
            f"`{text}` is not a time; write it as HH:MM, like 07:30 or 18:00"
        ) from None


def local_zone_name(environ: Mapping[str, str] | None = None) -> str | None:
    """This computer's IANA time zone: TZ when it names one, else where /etc/localtime points,
    else /etc/timezone; None when none can be told (the times are then floating)."""
    env = os.environ if environ is None else environ
    candidates = [env.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError), open("/etc/timezone", encoding="utf-8") as f:
        candidates.append(f.read().strip())
    for name in candidates:
        if name and _is_zone(name):
            return name
    return None


def _is_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def render_ics(
    outcome: Outcome,
    *,
    reminders: Reminders | None = None,
    alarm_minutes: int = DEFAULT_ALARM_MINUTES,
) -> bytes:
    """The outcome as iCalendar bytes: the plan's sessions, or for a stop one reminder to call.
    Without `reminders`: the dose's days at 18:00 in this computer's time zone."""
    import icalendar

    if outcome.date > LAST_START:
        raise BackplanError(
            f"the plan's date {outcome.date.isoformat()} is too late for a calendar: its "
            "sessions would run past the year 9999; give a real date with --date"
        )

    reminders = reminders if reminders is not None else Reminders.local()
    said = words(outcome.lang)  # the calendar speaks the outcome's own language
    _ = said.gettext
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//backplan//backplan {__version__}//{outcome.lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Back exercises"))
    if isinstance(outcome, Stop):
        cal.add_component(_stop_event(outcome, said))
    else:
        cal.add_component(_session_event(outcome, reminders, alarm_minutes, said))
        if reminders.zone is not None:
            # the zone's rules only for the plan's weeks, not 1970-2038
            first = first_session(outcome, reminders.days)
            cal.add_missing_timezones(
                first - dt.timedelta(days=7), first + dt.timedelta(weeks=outcome.weeks + 1)
            )
    return cal.to_ical()


def session_days(plan: Plan) -> tuple[str, ...]:
    """The weekdays (RFC 5545 two-letter codes) of the plan's sessions."""
    items = plan.exercises or plan.warmup
    per_week = max((i.dose.days_per_week for i in items), default=3)
    return WEEKDAYS_FOR[min(max(per_week, 1), 7)]


def first_session(plan: Plan, days: tuple[str, ...] | None = None) -> dt.date:
    """The first session day on or after the plan's date (an RRULE's start must be one)."""
    wanted = {_WEEKDAY_INDEX[d] for d in (days or session_days(plan))}
    day = plan.date
    while day.weekday() not in wanted:
        day += dt.timedelta(days=1)
    return day


def session_minutes(plan: Plan) -> int:
    """A generous estimate of one session's length, rounded up to 5 minutes (at least 15)."""
    seconds = sum(_item_seconds(i) for i in (*plan.warmup, *plan.exercises))
    return max(15, 5 * math.ceil(seconds / 300))


def _item_seconds(item: PlanItem) -> int:
    dose = item.dose
    per_rep = 4 + dose.hold_s  # about 4 s a rep to move in and out of the position
    work = (dose.reps or 1) * per_rep
    sides = 2 if dose.per_side else 1
    return dose.sets * sides * work + max(dose.sets * sides - 1, 0) * dose.rest_s + 30


def _uid(outcome: Outcome, what: str) -> str:
    digest = hashlib.sha256(
        json.dumps(
            {**outcome.to_dict(), "date": outcome.date.isoformat(), "name": outcome.patient.name},
            sort_keys=True,
            ensure_ascii=False,
        ).encode()
    ).hexdigest()[:24]
    return f"{digest}-{what}@backplan"


def _stamp(outcome: Outcome) -> dt.datetime:
    # DTSTAMP is required; the plan's date keeps the file reproducible.
    return dt.datetime.combine(outcome.date, dt.time(0, 0), tzinfo=dt.UTC)


def _session_event(
    plan: Plan, when: Reminders, alarm_minutes: int, words: Words
):  # -> icalendar.Event
    import icalendar

    _ = words.gettext
    days = when.days or session_days(plan)
    zone = None
    if when.zone is not None:
        zone = zoneinfo.ZoneInfo(when.zone)
    start = dt.datetime.combine(first_session(plan, days), when.at, tzinfo=zone)
    event = icalendar.Event()
    event.add("uid", _uid(plan, "sessions"))
    event.add("dtstamp", _stamp(plan))
    event.add("summary", _("Back exercises"))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=session_minutes(plan)))
    event.add("rrule", {"freq": "weekly", "byday": list(days), "count": len(days) * plan.weeks})
    event.add("description", session_description(plan, words))
    event.add("categories", [_("Exercise")])
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot in the patient's diary
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Time for your back exercises"))
    alarm.add("trigger", dt.timedelta(minutes=-alarm_minutes))
    event.add_component(alarm)
    return event


def _stop_event(stop: Stop, words: Words):  # -> icalendar.Event
    import icalendar

    _ = words.gettext
    event = icalendar.Event()
    event.add("uid", _uid(stop, "stop"))
    event.add("dtstamp", _stamp(stop))
    if stop.urgency == "emergency":
        summary = _("Seek emergency care today")
    else:
        summary = _("Call your chiropractor before you exercise")
    event.add("summary", summary)
    event.add("dtstart", stop.date)
    event.add("dtend", stop.date + dt.timedelta(days=1))
    lines = [_("Do not start the exercises yet."), ""]
    lines += [f"- {r.message}" for r in stop.reasons]
    event.add("description", "\n".join(lines))
    return event


def session_description(plan: Plan, words: Words) -> str:
    """Plain text for the event: the warm-up and the exercises with their doses."""
    _ = words.gettext
    lines: list[str] = []
    if plan.warmup:
        lines.append(_("Warm-up:"))
        lines += [f"- {i.name}: {Wording(words).dose_text(i.dose)}" for i in plan.warmup]
        lines.append("")
    lines.append(_("Exercises:"))
    lines += [f"- {i.name}: {Wording(words).dose_text(i.dose)}" for i in plan.exercises]
    lines.append("")
    lines.append(_("Stop and call your chiropractor if you feel sharp pain."))
    if plan.cleared is not None:
        lines += ["", clearance_sentence(plan.cleared, words)]
        lines += [f"- {r.message}" for r in plan.cleared.reasons]
    return "\n".join(lines)
