"""What the log says about progress: history, weekly adherence, pain trend, PSFS. Pure functions
over `LogRecords`; the terminal, the PDF and JSON all draw from one `ProgressReport`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from typing import Any

from backplan.home.advice import (
    Advice,
    advise,
    plan_in_log,
    plan_items,
    program_week,
    session_day,
)
from backplan.home.logdb import ExerciseRecord, LogRecords, PsfsRecord, SessionRecord, open_log
from backplan.i18n import words
from backplan.planning.outcome import Dose

# When a plan item carries no dose, assume the library's default of 3 days a week.
DEFAULT_DAYS_PER_WEEK = 3
# The PSFS is asked at the first session and then every 2 weeks (issue 8 point 5).
PSFS_EVERY_DAYS = 14


@dataclass(frozen=True)
class HistoryRow:
    session_id: int
    day: dt.date
    time: str  # HH:MM local
    minutes: int | None  # None when the session never ended (killed)
    exercises: int  # main exercises done (warm-ups not counted)
    planned: int  # main exercises in its plan
    pain_before: int | None
    pain_after: int | None
    max_pain_during: int | None
    stopped: str | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d["day"] = self.day.isoformat()
        return d


@dataclass(frozen=True)
class WeekRow:
    week: int
    start: dt.date
    sessions: int  # started
    done: int  # with at least one exercise logged
    planned: int  # sessions a week the plan asks for
    pain_before: float | None  # weekly means
    pain_after: float | None
    pain_during: float | None

    @property
    def adherence(self) -> float:
        """Share of the planned sessions done, capped at 1 (extra sessions don't bank)."""
        return min(self.done, self.planned) / self.planned if self.planned else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d["start"] = self.start.isoformat()
        d["adherence"] = round(self.adherence, 3)
        for key in ("pain_before", "pain_after", "pain_during"):
            d[key] = None if d[key] is None else round(d[key], 2)
        return d


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    pain_before: int | None
    pain_after: int | None


@dataclass(frozen=True)
class PsfsSeries:
    activity: str
    points: tuple[tuple[dt.date, int], ...]

    @property
    def change(self) -> int | None:
        """Latest score minus the first (positive is better)."""
        return self.points[-1][1] - self.points[0][1] if len(self.points) > 1 else None


@dataclass(frozen=True)
class ProgressReport:
    history: tuple[HistoryRow, ...]
    weeks: tuple[WeekRow, ...]
    trend: tuple[TrendPoint, ...]
    psfs: tuple[PsfsSeries, ...]
    advice: tuple[Advice, ...]
    patient: str | None = None  # the name on the latest plan
    # the exercises of the plan being followed (name, the plan's dose), for the report's page
    exercises: tuple[tuple[str, Dose], ...] = ()
    lang: str = "en"  # the language its advice is in and its renderers speak

    @property
    def sessions(self) -> int:
        return len(self.history)

    @property
    def finished(self) -> int:
        return sum(1 for h in self.history if h.minutes is not None and h.stopped is None)

    @property
    def stopped(self) -> int:
        """Ended early: stopped for a reason, or never ended (the program was killed)."""
        return sum(1 for h in self.history if h.stopped is not None or h.minutes is None)

    @property
    def exercises_done(self) -> int:
        return sum(h.exercises for h in self.history)

    @property
    def adherence(self) -> float | None:
        """Planned sessions done over every week so far."""
        planned = sum(w.planned for w in self.weeks)
        if not planned:
            return None
        return sum(min(w.done, w.planned) for w in self.weeks) / planned

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient": self.patient,
            "counts": {
                "sessions": self.sessions,
                "finished": self.finished,
                "stopped": self.stopped,
                "exercises_done": self.exercises_done,
            },
            "adherence": None if self.adherence is None else round(self.adherence, 3),
            "sessions": [h.to_dict() for h in self.history],
            "weeks": [w.to_dict() for w in self.weeks],
            "psfs": [
                {
                    "activity": s.activity,
                    "scores": [{"date": d.isoformat(), "score": v} for d, v in s.points],
                }
                for s in self.psfs
            ],
            "advice": [a.to_dict() for a in self.advice],
        }


def history(records: LogRecords) -> list[HistoryRow]:
    """One row per session, oldest first."""
    logs: dict[int, list[ExerciseRecord]] = defaultdict(list)
    for log in records.exercises:
        logs[log.session_id].append(log)
    rows = []
    for s in records.sessions:
        start = dt.datetime.fromisoformat(s.started_at)
        minutes = _minutes(start, dt.datetime.fromisoformat(s.ended_at)) if s.ended_at else None
        done = logs.get(s.id, [])
        pains = [e.pain_during for e in done if e.pain_during is not None]
        rows.append(
            HistoryRow(
                session_id=s.id,
                day=start.date(),
                time=start.strftime("%H:%M"),
                minutes=minutes,
                exercises=sum(1 for e in done if e.kind != "warmup"),
                planned=_planned(s.plan),
                pain_before=s.pain_before,
                pain_after=s.pain_after,
                max_pain_during=max(pains) if pains else None,
                stopped=s.stopped,
                note=s.note,
            )
        )
    return rows


def _minutes(start: dt.datetime, end: dt.datetime) -> int | None:
    """Minutes between two log timestamps; None when the end is before the start (a hand edit).

    A timestamp without a UTC offset (hand-written) is compared as wall-clock time.
    """
    if (start.tzinfo is None) != (end.tzinfo is None):
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    minutes = round((end - start).total_seconds() / 60)
    return minutes if minutes >= 0 else None


def _planned(data: Any) -> int:
    """The main exercises of a plan the log keeps (0 when it cannot be read)."""
    plan = plan_in_log(data)
    return len(plan.exercises) if plan is not None else 0


def days_per_week(data: Any) -> int:
    """How many sessions a week a plan asks for: its most frequent main exercise."""
    plan = plan_in_log(data)
    days = [item.dose.days_per_week for item in plan.exercises] if plan is not None else []
    return max(days) if days else DEFAULT_DAYS_PER_WEEK


def weekly(records: LogRecords, today: dt.date | None = None) -> list[WeekRow]:
    """Program weeks from the first session through `today`'s week (or the last session's)."""
    sessions = records.sessions
    if not sessions:
        return []
    first = session_day(sessions[0])
    last_week = program_week(session_day(sessions[-1]), first)
    if today is not None and today >= first:
        last_week = max(last_week, program_week(today, first))
    # a session counts when a main exercise was done, the count the session itself says
    with_exercises = {e.session_id for e in records.exercises if e.kind != "warmup"}
    during: dict[int, list[int]] = defaultdict(list)
    for e in records.exercises:
        if e.pain_during is not None:
            during[e.session_id].append(e.pain_during)

    by_week: dict[int, list[SessionRecord]] = defaultdict(list)
    for s in sessions:
        by_week[program_week(session_day(s), first)].append(s)

    rows = []
    planned = days_per_week(sessions[0].plan)
    for week in range(1, last_week + 1):
        these = by_week.get(week, [])
        if these:  # the plan in force is the one last followed
            planned = days_per_week(these[-1].plan)
        rows.append(
            WeekRow(
                week=week,
                start=first + dt.timedelta(days=7 * (week - 1)),
                sessions=len(these),
                done=sum(1 for s in these if s.id in with_exercises),
                planned=planned,
                pain_before=_mean(s.pain_before for s in these),
                pain_after=_mean(s.pain_after for s in these),
                pain_during=_mean(p for s in these for p in during.get(s.id, [])),
            )
        )
    return rows


def pain_trend(records: LogRecords) -> list[TrendPoint]:
    """Pain before and after each session that recorded either."""
    return [
        TrendPoint(session_day(s), s.pain_before, s.pain_after)
        for s in records.sessions
        if s.pain_before is not None or s.pain_after is not None
    ]


def psfs_series(psfs: Sequence[PsfsRecord]) -> list[PsfsSeries]:
    """Each activity's scores over time, in the order the person first named them."""
    points: dict[str, list[tuple[dt.date, int]]] = {}
    for record in sorted(psfs, key=lambda p: (p.date, p.id)):
        points.setdefault(record.activity, []).append(
            (dt.date.fromisoformat(record.date), record.score)
        )
    return [PsfsSeries(activity, tuple(p)) for activity, p in points.items()]


def psfs_activities(psfs: Sequence[PsfsRecord]) -> list[str]:
    """The activities the person named, first named first."""
    return [s.activity for s in psfs_series(psfs)]


def psfs_due(psfs: Sequence[PsfsRecord], today: dt.date) -> bool:
    """Whether today's session should ask the PSFS."""
    if not psfs:
        return True
    last = max(dt.date.fromisoformat(p.date) for p in psfs)
    return (today - last).days >= PSFS_EVERY_DAYS


def build_report(
    records: LogRecords, today: dt.date | None = None, *, lang: str = "en"
) -> ProgressReport:
    """What the log shows, with its advice in `lang`."""
    return ProgressReport(
        history=tuple(history(records)),
        weeks=tuple(weekly(records, today)),
        trend=tuple(pain_trend(records)),
        psfs=tuple(psfs_series(records.psfs)),
        advice=tuple(advise(records, words(lang))),
        patient=_patient_name(records),
        exercises=_plan_exercises(records),
        lang=words(lang).lang,
    )


def _plan_exercises(records: LogRecords) -> tuple[tuple[str, Dose], ...]:
    plan = plan_in_log(current_plan(records))
    exercises = plan.exercises if plan is not None else ()
    return tuple((item.name or item.id, item.dose) for item in exercises)


def _patient_name(records: LogRecords) -> str | None:
    for s in reversed(records.sessions):
        plan = plan_in_log(s.plan)
        if plan is not None and plan.patient.name:
            return plan.patient.name
    return None


def current_plan(records: LogRecords) -> dict[str, Any] | None:
    """The plan of the latest session, to repeat when no plan is given."""
    for s in reversed(records.sessions):
        if plan_items(s.plan):
            return s.plan
    return None


def last_plan_in(path: Path) -> dict[str, Any] | None:
    """The plan of the latest session in the log at `path`; None when there is no log yet
    (reading never creates one) or no session with exercises."""
    try:
        with open_log(path, create=False) as log:
            return current_plan(log.records())
    except FileNotFoundError:
        return None


def _mean(values: Any) -> float | None:
    known = [v for v in values if v is not None]
    return fmean(known) if known else None
