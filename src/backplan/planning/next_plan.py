"""The next plan from the log: keep, step up or step back each exercise of the plan being
followed, every change with the rule, the sessions and the numbers it rests on.

The rules and thresholds are advice.py's, from clinical-screening.md §4. The next plan itself is
built as a protocol (the chosen exercises, in order, with their doses), so it goes through the
same build step and the same suitability test as every other plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from backplan.errors import BackplanError
from backplan.home.advice import (
    PAIN_DURING_MAX,
    PROGRESSION_PAIN_MAX,
    PROGRESSION_RUN_SESSIONS,
    WEEKLY_RISE_POINTS,
    effective_pain,
    latest_weekly_rise,
    mild_run,
    session_day,
    weekly_means,
)
from backplan.home.logdb import ExerciseRecord, LogRecords, SessionRecord
from backplan.i18n import words
from backplan.intake.answers import Answers
from backplan.intake.answers import Answers as AnswersModel
from backplan.library.catalogue import Library
from backplan.library.model import DoseChange
from backplan.planning import protocols
from backplan.planning.build import Choice, Screened, eased
from backplan.planning.items import next_step
from backplan.planning.outcome import Action, Change, Dose, Patient, Reason, Stop
from backplan.planning.protocols import Protocol, ProtocolExercise
from backplan.planning.suitability import one_level_up, suits_person

# Session stops that stop the next plan too (session.py and the safety check write these).
LOG_STOPS: dict[str, str] = {
    "sharp_pain": "see_clinician",
    "see_clinician": "see_clinician",
    "pain_nrs_severe": "see_clinician",
    "emergency": "emergency",
}


@dataclass(frozen=True)
class _Use:
    """One logged use of an exercise, with the pain that counts for the rules."""

    index: int  # position of its session in the log's sessions
    session: SessionRecord
    log: ExerciseRecord
    pain: int | None


def log_stop(records: LogRecords, since: dt.date | None = None) -> SessionRecord | None:
    """The latest session since `since` that ended in a safety stop, if any."""
    for session in reversed(records.sessions):
        if since is not None and _day(session) is not None and _day(session) < since:  # type: ignore[operator]
            break
        if session.stopped in LOG_STOPS:
            return session
    return None


def _day(session: SessionRecord) -> dt.date | None:
    try:
        return session_day(session)
    except (ValueError, TypeError):
        return None


def _uses(records: LogRecords, exercise_id: str) -> list[_Use]:
    index = {s.id: i for i, s in enumerate(records.sessions)}
    uses = []
    for log in records.exercises:
        if log.exercise_id != exercise_id or log.session_id not in index:
            continue
        session = records.sessions[index[log.session_id]]
        uses.append(_Use(index[log.session_id], session, log, effective_pain(log, session)))
    return sorted(uses, key=lambda u: (u.index, u.log.id))


def propose(
    plan_data: dict[str, Any],
    records: LogRecords,
    *,
    step: Callable[[str, Action], tuple[str, str] | None],
    lang: str = "en",
) -> list[Change]:
    """A change (or a keep) for each main exercise of the plan, by the §4 rules, in `lang`.

    `step(exercise_id, action)` gives the (id, name) of the nearest step up or down the chain
    that suits the person, or None when none does.
    """
    sessions = list(records.sessions)
    changes = []
    for item in plan_data.get("exercises", []):
        eid, name = str(item["id"]), str(item.get("name") or item["id"])
        uses = _uses(records, eid)
        changes.append(_judge(eid, name, uses, sessions, step, lang))
    return changes


Step = Callable[[str, Action], tuple[str, str] | None]


def _judge(
    eid: str,
    name: str,
    uses: list[_Use],
    sessions: Sequence[SessionRecord],
    step: Step,
    lang: str = "en",
) -> Change:
    """The §4 rules in order: pain above the limit, a weekly rise, a run of mild sessions."""
    if not uses:
        _ = words(lang).gettext
        text = _("Kept: {name} is not in the log yet.").format(name=name)
        return Change(eid, name, "keep", "not_logged", text)
    return (
        _pain_above_max(eid, name, uses[-1], step, lang)
        or _weekly_rise(eid, name, uses, step, lang)
        or _mild_run(eid, name, uses, sessions, step, lang)
        or _no_rule_met(eid, name, uses, lang)
    )


def _pain_above_max(eid: str, name: str, last: _Use, step: Step, lang: str) -> Change | None:
    # clinical-screening.md §4: pain during exercise may reach 5/10; above that, ease off.
    if last.pain is None or last.pain <= PAIN_DURING_MAX:
        return None
    _ = words(lang).gettext
    if last.log.pain_during is None:  # a paper day: the day's pain stands in for it
        text = _(
            "your pain on {day}, a day you ticked {name} on the paper log, was {pain}/10 "
            "(more than {limit}/10)"
        )
    else:
        text = _("pain reached {pain}/10 during {name} on {day} (more than {limit}/10)")
    why = text.format(
        pain=last.pain, name=name, day=_date_of(last.session, lang), limit=PAIN_DURING_MAX
    )
    return _step_back(eid, name, "pain_during_above_max", why, (last.session.id,), step, lang)


def _weekly_rise(eid: str, name: str, uses: list[_Use], step: Step, lang: str) -> Change | None:
    # clinical-screening.md §4: pain must not rise from week to week (2 points, Ostelo 2008).
    known = [(d, u.pain) for u in uses if (d := _day(u.session)) is not None]
    if not known:
        return None
    first = min(d for d, _p in known)
    rise = latest_weekly_rise(weekly_means(known, first))
    if rise is None:
        return None
    week_a, week_b, points = rise
    used = tuple(
        dict.fromkeys(
            u.session.id
            for u in uses
            if (d := _day(u.session)) is not None and (d - first).days // 7 + 1 in (week_a, week_b)
        )
    )
    _ = words(lang).gettext
    why = _(
        "pain during {name} rose by {points:.1f} points from week {a} to week {b} "
        "({limit} or more is a real rise)"
    ).format(name=name, points=points, a=week_a, b=week_b, limit=WEEKLY_RISE_POINTS)
    return _step_back(eid, name, "weekly_rise", why, used, step, lang)


def _mild_run(
    eid: str,
    name: str,
    uses: list[_Use],
    sessions: Sequence[SessionRecord],
    step: Step,
    lang: str,
) -> Change | None:
    """A step up after a run of mild sessions, or a keep when no harder step suits."""
    per_session: dict[int, list[tuple[int | None, bool]]] = defaultdict(list)
    for use in uses:
        per_session[use.index].append((use.pain, use.log.sharp_pain))
    run = tuple(sessions[i].id for i in mild_run(sessions, per_session))
    if not run:
        return None
    _ = words(lang).gettext
    run_pains = [(u.pain, _date_of(u.session, lang)) for u in uses if u.session.id in run]
    why = _(
        "{name} stayed at {limit}/10 or less in {n} sessions in a row ({pains}), with no "
        "rise the next day"
    ).format(
        name=name,
        limit=PROGRESSION_PAIN_MAX,
        n=len(run),
        pains=", ".join(_("{pain}/10 on {day}").format(pain=p, day=day) for p, day in run_pains),
    )
    target = step(eid, "progress")
    if target is None:
        text = _(
            "Kept: {why}, but no harder step suits you; ask your chiropractor before you progress."
        ).format(why=why)
        return Change(eid, name, "keep", "no_suitable_progression", text, sessions=run)
    return Change(
        eid,
        name,
        "progress",
        "run_of_mild_sessions",
        _("Moved on to {to}: {why}.").format(to=target[1], why=why),
        to_id=target[0],
        to_name=target[1],
        sessions=run,
    )


def _no_rule_met(eid: str, name: str, uses: list[_Use], lang: str) -> Change:
    _ = words(lang).gettext
    seen_pains = [u.pain for u in uses if u.pain is not None]
    summary = (
        _("pain during it was {low}-{high}/10 over {n} sessions").format(
            low=min(seen_pains), high=max(seen_pains), n=len({u.session.id for u in uses})
        )
        if seen_pains
        else _("no pain during it was recorded")
    )
    return Change(
        eid,
        name,
        "keep",
        "no_rule_met",
        _(
            "Kept: {summary}; the next step needs {n} sessions in a row at {limit}/10 or less "
            "with no rise the next day."
        ).format(summary=summary, n=PROGRESSION_RUN_SESSIONS, limit=PROGRESSION_PAIN_MAX),
        sessions=tuple(dict.fromkeys(u.session.id for u in uses)),
    )


def _step_back(
    eid: str,
    name: str,
    rule: str,
    why: str,
    used: tuple[int, ...],
    step: Step,
    lang: str = "en",
) -> Change:
    _ = words(lang).gettext
    target = step(eid, "regress")
    if target is None:
        return Change(
            eid,
            name,
            "regress",
            rule,
            _(
                "Kept with a lighter dose: {why}, and no easier step suits you. See your "
                "chiropractor."
            ).format(why=why),
            sessions=used,
            eased=True,
        )
    return Change(
        eid,
        name,
        "regress",
        rule,
        _("Stepped back to {to}: {why}.").format(to=target[1], why=why),
        to_id=target[0],
        to_name=target[1],
        sessions=used,
    )


def _date_of(session: SessionRecord, lang: str = "en") -> str:
    """A session's day as the plan's language writes a short date: Nov 9, 9 nov."""
    day = _day(session)
    if day is None:
        return session.started_at
    # the reasons read on the handout: a month name, not 2026-11-09; the year is the plan's own
    return words(lang).short_date(day)


def accepted_changes(
    changes: Sequence[Change], accept: Collection[str] | str, lang: str = "en"
) -> list[Change]:
    """The changes the clinician keeps: `all`, `none`, or a collection of exercise ids.

    A refused change keeps the exercise as it was; a keep needs no acceptance.
    """
    if accept == "all":
        return list(changes)
    ids: Collection[str] = () if accept == "none" else accept
    return [
        c if (c.exercise_id in ids or not c.changes_plan) else _refused(c, lang) for c in changes
    ]


def _refused(change: Change, lang: str) -> Change:
    _ = words(lang).gettext
    return Change(
        change.exercise_id,
        change.name,
        "keep",
        "refused_by_clinician",
        _("Kept: your chiropractor chose to keep {name} as it was.").format(name=change.name),
        sessions=change.sessions,
    )


def chain_step(
    library: Library, answers: Answers, lang: str = "en"
) -> Callable[[str, Action], tuple[str, str] | None]:
    """For `propose`: the nearest step up (or down) the chain that suits this person, found as
    the handout finds its "when it gets easy" and "if it hurts" steps (`items.next_step`)."""
    up = suits_person(answers, library, harder=True)
    down = suits_person(answers, library)

    def step(exercise_id: str, action: Action) -> tuple[str, str] | None:
        exercise = library.exercises.get(exercise_id)
        if exercise is None:
            return None
        harder = action == "progress"
        target = next_step(exercise, library, up if harder else down, harder=harder)
        return (target.id, target.text(lang).name) if target is not None else None

    return step


def next_protocol(
    plan_data: dict[str, Any], changes: Sequence[Change], lang: str = "en"
) -> Protocol:
    """The next plan's exercises as a protocol: changed ones by their new id and own dose,
    kept ones with the dose they had (a lighter one when eased)."""
    _ = words(lang).gettext
    by_id = {c.exercise_id: c for c in changes}
    entries: list[str | ProtocolExercise] = []
    for item in plan_data.get("exercises", []):
        eid = str(item["id"])
        change = by_id.get(eid)
        if change is not None and change.to_id is not None:
            entries.append(ProtocolExercise(id=change.to_id))
            continue
        dose = {
            k: v
            for k, v in (item.get("dose") or {}).items()
            if k in DoseChange.model_fields and v is not None
        }
        if change is not None and change.eased:
            dose = _lighter(dose)
        entries.append(ProtocolExercise(id=eid, dose=DoseChange(**dose) if dose else None))
    warmup = [str(w["id"]) for w in plan_data.get("warmup", [])]
    return Protocol(
        name="next-plan",
        title=_("Your next plan"),
        exercises=entries or [ProtocolExercise(id=warmup[0])],
        warmup=warmup,
        weeks=int(plan_data.get("weeks") or 2),
    )


# -- the next plan as a pipeline request ---------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """What `plan --next` adds to a request: the plan being followed, its log, and which of the
    proposed changes the clinician keeps (`all`, `none`, exercise ids, or a question per change).
    """

    plan_data: dict[str, Any]
    records: LogRecords
    accept: str | Collection[str] | Callable[[Change], bool] = "all"
    shown: str = "the plan"  # how messages name the plan file

    def answers(self, given: Answers | None) -> Answers:
        """The answers the next plan is for: new ones when given, else the plan's own, with the
        pain now taken from the latest logged session (so the same screening reads it)."""
        if given is None:
            stored = self.plan_data.get("answers")
            if not isinstance(stored, dict):
                raise BackplanError(
                    f"{self.shown} does not hold the answers it was made from (it is older than "
                    "`plan --next`): give them with --answers FILE"
                )
            try:
                given = AnswersModel.model_validate(stored)
            except ValidationError as exc:
                raise BackplanError(
                    f"{self.shown}: its answers cannot be read ({exc.error_count()} problems): "
                    "give them with --answers FILE"
                ) from None
        latest = next(
            (s.pain_before for s in reversed(self.records.sessions) if s.pain_before is not None),
            None,
        )
        if latest is not None and latest > given.pain:
            given = given.model_copy(update={"pain": latest})
        return given

    def stop(self, answers: Answers, date: dt.date, lang: str) -> Stop | None:
        """A stop the log already holds (a session that ended at the safety check, in sharp or
        severe pain), as the Stop the next plan gives instead."""
        session = log_stop(self.records, _plan_date(self.plan_data))
        if session is None:
            return None
        urgency = LOG_STOPS[session.stopped or ""]
        _ = words(lang).gettext
        message = _(
            "Your session on {day} stopped for your safety ({why}). See your chiropractor "
            "before the next plan."
        ).format(day=_date_of(session, lang), why=_stop_words(session.stopped or "", lang))
        return Stop(
            urgency=urgency,  # type: ignore[arg-type]
            reasons=(Reason(f"log_{session.stopped}", message, urgency),),  # type: ignore[arg-type]
            patient=Patient(answers.patient.name, answers.patient.age),
            date=date,
            lang=lang,
        )

    def changes(self, library: Library, answers: Answers, lang: str) -> list[Change]:
        # the plan followed may be in another language (plan.json in English, --lang es now):
        # each change names its exercise as the next plan's handout does
        items = [
            {**item, "name": library.exercises[item["id"]].text(lang).name}
            if item.get("id") in library.exercises
            else item
            for item in self.plan_data.get("exercises", [])
        ]
        plan_data = {**self.plan_data, "exercises": items}
        step = chain_step(library, answers, lang)
        proposed = propose(plan_data, self.records, step=step, lang=lang)
        accept = self.accept
        if callable(accept):
            keep = [c.exercise_id for c in proposed if c.changes_plan and accept(c)]
            return accepted_changes(proposed, keep, lang)
        return accepted_changes(proposed, accept, lang)


def _plan_date(plan_data: dict[str, Any]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(plan_data.get("date")))
    except ValueError:
        return None


def _stop_words(stopped: str, lang: str) -> str:
    _ = words(lang).gettext
    return {
        "sharp_pain": _("sharp pain"),
        "pain_nrs_severe": _("pain of 7 or more"),
        "see_clinician": _("a sign that needs your chiropractor"),
        "emergency": _("an emergency sign"),
    }.get(stopped, stopped)


def choose(follow_up: FollowUp, screened: Screened, library: Library) -> Choice:
    """The next plan's choice: the accepted changes as a protocol, each main exercise with the
    reason its change gives, and the changes for the handout's box."""
    answers, lang = screened.answers, screened.lang
    changes = follow_up.changes(library, answers, lang)
    # the step up the log earned (see one_level_up)
    level_up = any(c.action == "progress" and c.to_id for c in changes)
    choice = protocols.choose(
        next_protocol(follow_up.plan_data, changes, lang),
        screened,
        library,
        person=one_level_up(answers) if level_up else answers,
    )
    because = {(c.to_id or c.exercise_id): c.why for c in changes}
    picks = tuple(
        replace(p, because=because.get(p.exercise.id, p.because)) for p in choice.exercises
    )
    return replace(choice, exercises=picks, level_up=level_up, changes=tuple(changes))


def _lighter(dose: dict[str, Any]) -> dict[str, Any]:
    """The plan's dose made lighter exactly as moderate pain eases one (`build.eased`)."""
    known = {k: v for k, v in dose.items() if k in DoseChange.model_fields}
    # not validated: a plan's dose may give only the fields it changes
    lighter = eased(Dose.model_construct(**{"sets": 1, **known})).model_dump()
    return {k: v for k, v in lighter.items() if k in dose}
