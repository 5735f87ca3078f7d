"""When to make an exercise harder, when to ease off and see the chiropractor: pure rules over
the session log. Each threshold cites the line of the clinical reference (clinical-screening.md)
it follows, or says it is a product decision.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from statistics import fmean
from typing import Any, Literal

from backplan.home.logdb import ExerciseRecord, LogRecords, SessionRecord
from backplan.i18n import Words
from backplan.planning.outcome import Plan, PlanItem, Step

# clinical-screening.md §4 line 54 (pain-monitoring model, Thomee 1997; Silbernagel 2007): pain
# during exercise "may reach 5/10"; above that, ease off.
PAIN_DURING_MAX = 5
# Progress only while pain during the exercise stays in the mild band, 3/10 or less: issue 8
# point 4, on the conventional bands of clinical-screening.md §3 line 45 (1-3 mild).
PROGRESSION_PAIN_MAX = 3
# Product decision (not a published rule): how many sessions in a row must stay at or under
# PROGRESSION_PAIN_MAX, with no rise the next day, before suggesting the harder step.
PROGRESSION_RUN_SESSIONS = 3
# clinical-screening.md §4 line 56: minimal important change for back pain is 2 points (Ostelo
# 2008); §4 line 55: pain "must not rise from week to week". A weekly rise this big counts.
WEEKLY_RISE_POINTS = 2
# clinical-screening.md §4 line 55: pain "must settle by the next morning". A session counts
# towards progression only when the pain before the next day's session is no higher than before
# this one. 0 = any rise breaks the run.
NEXT_DAY_RISE_ALLOWED = 0

Kind = Literal["progress", "regress", "see_chiropractor"]


@dataclass(frozen=True)
class Advice:
    kind: Kind
    rule: str  # which rule fired: pain_during_above_max, weekly_rise, run_of_mild_sessions, ...
    message: str
    exercise_id: str | None = None
    exercise_name: str | None = None
    step: Step | None = None  # the progression or regression to take: id, name, when

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rule": self.rule,
            "message": self.message,
            "exercise_id": self.exercise_id,
            "exercise_name": self.exercise_name,
            "step": asdict(self.step) if self.step is not None else None,
        }


def session_day(session: SessionRecord) -> dt.date:
    """The local calendar day a session started (timestamps keep the person's UTC offset)."""
    return dt.datetime.fromisoformat(session.started_at).date()


def program_week(day: dt.date, first_day: dt.date) -> int:
    """Week 1 is the first seven days from the first session, week 2 the next seven, ..."""
    return (day - first_day).days // 7 + 1


def weekly_means(
    points: Iterable[tuple[dt.date, int | None]], first_day: dt.date
) -> dict[int, float]:
    """Mean of the known values in each program week that has any."""
    by_week: dict[int, list[int]] = defaultdict(list)
    for day, value in points:
        if value is not None:
            by_week[program_week(day, first_day)].append(value)
    return {week: fmean(values) for week, values in sorted(by_week.items())}


def latest_weekly_rise(means: dict[int, float]) -> tuple[int, int, float] | None:
    """(previous week, latest week, rise) when the latest week's mean rose by WEEKLY_RISE_POINTS
    or more over the week before it that has data; else None."""
    if len(means) < 2:
        return None
    (week_a, mean_a), (week_b, mean_b) = sorted(means.items())[-2:]
    rise = mean_b - mean_a
    return (week_a, week_b, rise) if rise >= WEEKLY_RISE_POINTS else None


def next_day_pain(sessions: Sequence[SessionRecord], index: int) -> int | None:
    """Pain before the first session on a later day than sessions[index] (None if unknown)."""
    day = session_day(sessions[index])
    for later in sessions[index + 1 :]:
        if session_day(later) > day:
            return later.pain_before
    return None


def settled_next_day(sessions: Sequence[SessionRecord], index: int) -> bool:
    before, after = sessions[index].pain_before, next_day_pain(sessions, index)
    return before is not None and after is not None and after - before <= NEXT_DAY_RISE_ALLOWED


def plan_in_log(data: Any) -> Plan | None:
    """A plan the log keeps, read as a Plan (Plan.from_dict); None when it cannot be read
    (`null`, a hand edit), so the reports pass over it."""
    if not isinstance(data, dict):
        return None
    try:
        return Plan.from_dict(data)
    except ValueError:
        return None


def plan_items(data: Any) -> tuple[PlanItem, ...]:
    """The warm-ups and exercises of a plan the log keeps; none when it cannot be read."""
    plan = plan_in_log(data)
    return plan.items() if plan is not None else ()


def advise(records: LogRecords, words: Words) -> list[Advice]:
    """Every piece of advice the log supports now, in the language of `words`: safety first,
    then per exercise."""
    _ = words.gettext
    sessions = list(records.sessions)
    if not sessions:
        return []
    advice: list[Advice] = []
    latest = sessions[-1]
    if latest.stopped == "sharp_pain":
        advice.append(
            Advice(
                "see_chiropractor",
                "sharp_pain_stop",
                _(
                    "Your last session stopped because of sharp pain. See your chiropractor "
                    "before you exercise again."
                ),
            )
        )
    elif latest.stopped == "pain_nrs_severe":
        advice.append(
            Advice(
                "see_chiropractor",
                "severe_pain_stop",
                _(
                    "Your last session stopped because your pain reached 7 or more out of 10. "
                    "See your chiropractor before you exercise again."
                ),
            )
        )
    elif latest.stopped in ("see_clinician", "emergency"):
        advice.append(
            Advice(
                "see_chiropractor",
                "safety_check_stop",
                _(
                    "Your last session stopped at the safety check. See your chiropractor "
                    "before you exercise again."
                ),
            )
        )

    first_day = session_day(sessions[0])
    rise = latest_weekly_rise(
        weekly_means(((session_day(s), s.pain_before) for s in sessions), first_day)
    )
    if rise is not None:
        week_a, week_b, points = rise
        advice.append(
            Advice(
                "see_chiropractor",
                "weekly_rise",
                _(
                    "Your pain before sessions rose by {points:.1f} points from week {a} to "
                    "week {b}. Ease off and see your chiropractor."
                ).format(points=points, a=week_a, b=week_b),
            )
        )

    advice += exercise_advice(sessions, records.exercises, words)
    return advice


def exercise_advice(
    sessions: Sequence[SessionRecord], exercises: Sequence[ExerciseRecord], words: Words
) -> list[Advice]:
    """Regress or progress each exercise of the current plan (the latest session's)."""
    by_session = {s.id: i for i, s in enumerate(sessions)}
    logs: dict[str, list[ExerciseRecord]] = defaultdict(list)
    for log in exercises:
        if log.session_id in by_session:
            logs[log.exercise_id].append(log)

    advice: list[Advice] = []
    for item in plan_items(sessions[-1].plan):
        done = sorted(logs.get(item.id, []), key=lambda e: (by_session[e.session_id], e.id))
        if done:
            found = _item_advice(item, done, sessions, by_session, words)
            advice += [found] if found is not None else []
    return advice


def _item_advice(
    item: PlanItem,
    done: list[ExerciseRecord],
    sessions: Sequence[SessionRecord],
    by_session: dict[int, int],
    words: Words,
) -> Advice | None:
    """One exercise's advice from its uses, oldest first: regress on pain, else progress."""
    _ = words.gettext
    name = item.name or item.id
    regression = item.regression if item.regression and item.regression.id else None
    last = done[-1]
    last_pain = effective_pain(last, sessions[by_session[last.session_id]])
    if last_pain is not None and last_pain > PAIN_DURING_MAX:
        why = _("Pain reached {pain}/10 during {name} (more than {limit}/10).").format(
            pain=last_pain, name=name, limit=PAIN_DURING_MAX
        )
        return _regress(item, "pain_during_above_max", why, regression, words)
    rise = latest_weekly_rise(
        weekly_means(
            (
                (
                    session_day(sessions[by_session[e.session_id]]),
                    effective_pain(e, sessions[by_session[e.session_id]]),
                )
                for e in done
            ),
            session_day(sessions[0]),
        )
    )
    if rise is not None:
        week_a, week_b, points = rise
        why = _("Pain during {name} rose by {points:.1f} points from week {a} to week {b}.").format(
            name=name, points=points, a=week_a, b=week_b
        )
        return _regress(item, "weekly_rise", why, regression, words)
    # A step with no exercise (none suits the person) carries advice: still worth saying.
    progression = item.progression
    if progression is None or not (progression.id or progression.advice):
        return None
    uses: dict[int, list[tuple[int | None, bool]]] = defaultdict(list)
    for log in done:
        index = by_session[log.session_id]
        uses[index].append((effective_pain(log, sessions[index]), log.sharp_pain))
    if not mild_run(sessions, uses):
        return None
    facts = {"name": name, "limit": PROGRESSION_PAIN_MAX, "n": PROGRESSION_RUN_SESSIONS}
    if progression.id:
        message = _(
            "{name} has stayed at {limit}/10 or less for {n} sessions in a row, with no rise "
            "the next day. Next step: {next}."
        ).format(**facts, next=progression.name or progression.id)
        if progression.when:  # the exercise's own "ready when" sentence
            message += f" {progression.when}"
    else:
        message = _(
            "{name} has stayed at {limit}/10 or less for {n} sessions in a row, with no rise "
            "the next day."
        ).format(**facts)
        message += f" {progression.advice}"
    return Advice("progress", "run_of_mild_sessions", message, item.id, name, progression)


def effective_pain(log: ExerciseRecord, session: SessionRecord) -> int | None:
    """The pain the rules read for one exercise done: the pain during it, or, for a day typed in
    from the printed log (which records only the day's pain), that day's pain (docs/sessions.md,
    "Paper logs")."""
    if log.pain_during is None and session.source == "paper":
        return session.pain_before
    return log.pain_during


def mild_run(
    sessions: Sequence[SessionRecord], uses: dict[int, list[tuple[int | None, bool]]]
) -> list[int]:
    """The indexes (into `sessions`) of the last PROGRESSION_RUN_SESSIONS sessions with this
    exercise whose next day is known, when they were mild and settled and every session since
    was mild too; [] otherwise. `uses` maps a session's index to (pain, sharp pain) per use."""

    def mild(index: int) -> bool:
        return all(
            pain is not None and pain <= PROGRESSION_PAIN_MAX and not sharp
            for pain, sharp in uses[index]
        )

    indexes = sorted(uses)
    judged = [i for i in indexes if next_day_pain(sessions, i) is not None]
    run = judged[-PROGRESSION_RUN_SESSIONS:]
    since = [i for i in indexes if not run or i > run[-1]]
    if (
        len(run) == PROGRESSION_RUN_SESSIONS
        and all(mild(i) and settled_next_day(sessions, i) for i in run)
        and all(mild(i) for i in since)
    ):
        return run
    return []


def _regress(item: PlanItem, rule: str, why: str, regression: Step | None, words: Words) -> Advice:
    _ = words.gettext
    name = item.name or item.id
    if regression:
        todo = _("Go back to {easier} for now, and see your chiropractor.").format(
            easier=regression.name or regression.id
        )
    else:
        todo = _("Ease off (fewer reps, a smaller range), and see your chiropractor.")
    return Advice("regress", rule, f"{why} {todo}", item.id, name, regression)
