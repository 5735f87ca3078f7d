"""A guided exercise session: safety check, pain before, each exercise with its timers, pain after.

The logic only talks to a `SessionIO` (prompts, countdowns) and a clock, so tests drive it with
scripted answers; `session_terminal.TerminalIO` is the real one. Every completed exercise is
committed to the log before the next begins, and Ctrl-C keeps everything done so far.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from backplan.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SEE_CLINICIAN,
    BackplanError,
    Problem,
    exit_code_for_stop,
)
from backplan.files.yaml_source import Source, load_yaml_or_stdin
from backplan.home.logdb import LogDB
from backplan.home.progress import psfs_activities, psfs_due
from backplan.i18n import Words, words
from backplan.intake.answers import Answers, Clearance, PatientInfo, read_safety
from backplan.intake.questions import question_words
from backplan.intake.reading import red_flag_id, unread_checklist_answer
from backplan.intake.screening import (
    CLEARABLE,
    EMERGENCY,
    EMERGENCY_SIGNS,
    PAIN_SEVERE_MIN,
    RED_FLAG_IDS,
    SEE_CLINICIAN,
    SEE_CLINICIAN_SIGNS,
    screen,
)
from backplan.planning.outcome import Cleared, Dose, Patient, Plan, PlanItem, Stop
from backplan.render.wording import Wording

# Product decision: a short pause between repeated holds, and to switch sides, so the next
# hold does not start the instant the last one ends.
REP_RELAX_S = 3
PSFS_MAX_ACTIVITIES = 3  # clinical-screening.md §5 line 70: "up to 3 activities"

Style = Literal["", "title", "heading", "step", "cue", "warn", "ok", "dim"]
Status = Literal["finished", "stopped", "interrupted"]


class SessionIO(Protocol):
    """What the session needs from a person: everything it shows and asks goes through here."""

    def show(self, text: str, style: Style = "") -> None: ...

    def show_list(
        self, lines: Sequence[str], *, numbered: bool = True, style: Style = ""
    ) -> None: ...

    def ask_number(self, prompt: str, low: int, high: int) -> int: ...

    def ask_yes_no(self, prompt: str) -> bool: ...

    def ask_text(self, prompt: str) -> str: ...

    def ask_checklist(self, prompt: str, options: Sequence[str]) -> list[int]:
        """Indexes (0-based) of the options that apply; empty for none."""
        ...

    def countdown(self, label: str, seconds: int) -> None:
        """Count `seconds` down with a bar; the person may skip it or pause it."""
        ...

    def wait(self, prompt: str) -> None:
        """Wait until the person says they are done (Enter)."""
        ...

    def show_stop(self, stop: Stop) -> None:
        """The same stop notice `backplan plan` prints."""
        ...


# -- the plan as the session reads it -------------------------------------------------------


# The plan a session follows is the Plan itself, read back by Plan.from_dict; these are the
# names the session code gives its parts.
SessionPlan = Plan
SessionItem = PlanItem
SessionDose = Dose
SessionPatient = Patient
SessionCleared = Cleared


def _word(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def load_plan_file(path: Path) -> tuple[Plan, dict[str, Any]]:
    """Read a plan JSON written by `backplan plan -o plan.json` (`-`: standard input);
    problems with file:line."""
    source = load_yaml_or_stdin(path, what="plan file")
    return plan_from_data(source.data, source.path, source), source.data


def plan_from_data(data: Any, shown: str = "the plan", source: Source | None = None) -> Plan:
    """A plan dict (Plan.to_dict(), a file, or the log's copy) as the session follows it.

    A stop comes first: a file that is, or says, a stop is refused with the stop's exit code
    before anything else in it is read (`check_plan`)."""
    if not isinstance(data, dict):
        raise BackplanError(f"{shown} is not a plan backplan can follow: it is not a mapping")
    check_plan(data, shown)
    if source is not None and source.problems:  # a key given twice
        raise BackplanError(
            list(source.problems), title=f"{shown} is not a plan backplan can follow"
        )
    try:
        plan = Plan.from_dict(data)
    except ValidationError as exc:
        problems = [_problem(error, shown, source) for error in exc.errors(include_url=False)]
        raise BackplanError(problems, title=f"{shown} is not a plan backplan can follow") from None
    except ValueError as exc:
        raise BackplanError(f"{shown} is not a plan backplan can follow: {exc}") from None
    if not plan.items():
        raise BackplanError(f"{shown} has no exercises to follow")
    return plan


def _problem(error: Any, shown: str, source: Source | None) -> Problem:
    """One pydantic error as a Problem, at its file:line when the file is known."""
    loc = tuple(error["loc"])
    where = ".".join(str(p) for p in loc)
    message = f"`{where}`: {error['msg']}"
    return source.problem(loc, message) if source is not None else Problem(shown, message=message)


def check_plan(data: dict[str, Any], shown: str) -> None:
    """BackplanError with the stop's exit code when the plan data is, or says, a stop.

    A file edited by hand must not turn a stop into exercises: an urgency or stop reasons
    on a `plan`, or answers inside it that stop, make it a stop; an urgency that cannot be
    read counts as an emergency (clinical-screening.md §1: when in doubt, stop)."""
    urgency = _stop_urgency(data)
    if urgency is not None:
        emergency = urgency == EMERGENCY
        raise BackplanError(
            f"{shown} is a stop notice, not a plan: "
            + (
                "seek emergency care today."
                if emergency
                else "see your chiropractor before you exercise."
            ),
            exit_code=exit_code_for_stop(urgency),
        )


def _clearance(cleared: Any) -> Clearance | None:
    """The plan's clearance as the answers hold it, its clearable reasons only (or None)."""
    if not isinstance(cleared, dict) or not isinstance(cleared.get("reasons"), list):
        return None  # nothing readable is cleared: the stop stands
    ids = [r.get("id") for r in cleared["reasons"] if isinstance(r, dict)]
    try:
        reasons = [i for i in ids if i in CLEARABLE]
        given = {"by": cleared.get("by"), "on": cleared.get("on"), "reasons": reasons}
        return Clearance.model_validate(given)
    except ValidationError:
        return None  # nothing it names can be cleared: the stop stands


def _stop_urgency(data: dict[str, Any]) -> str | None:
    """How urgent the stop a plan's data says is, or None when it says none."""
    found: list[str] = []
    if data.get("answers") is not None:
        # the answers are read as a stop reads them: a sign among them is a stop here too,
        # unless the plan's clearance names it and still holds today
        answers, _notes = read_safety(data["answers"])
        if answers is not None and data.get("cleared") is not None:
            answers = answers.model_copy(update={"cleared": _clearance(data["cleared"])})
        stop = screen(answers, date=dt.date.today()) if answers is not None else None
        if stop is not None:
            found.append(stop.urgency)
    said = _said_urgency(data)
    if said is not None:
        found.append(said)
    if not found:
        return None
    return EMERGENCY if EMERGENCY in found else SEE_CLINICIAN


def _said_urgency(data: dict[str, Any]) -> str | None:
    """The urgency of the stop the plan data says in words: its status, urgency or reasons."""
    urgency, reasons = data.get("urgency"), data.get("reasons")
    if not (_word(data.get("status")) == "stop" or urgency is not None or bool(reasons)):
        return None
    word = _word(urgency)
    if word in (EMERGENCY, SEE_CLINICIAN):
        return str(word)
    ids = [
        red_flag_id(r.get("id") if isinstance(r, dict) else r)
        for r in (reasons if isinstance(reasons, list) else [reasons])
    ]
    known = [i for i in ids if i in RED_FLAG_IDS or i in ("sharp_pain", "pain_nrs_severe")]
    unknown = len(known) < len(ids) or not ids or urgency is not None
    urgent = unknown or any(i in EMERGENCY_SIGNS for i in known)
    return EMERGENCY if urgent else SEE_CLINICIAN


# -- the session ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionResult:
    session_id: int | None
    status: Status
    exit_code: int
    exercises_done: int  # main exercises, as `progress` counts them (warm-ups not counted)
    stop: Stop | None = None
    reason: str | None = None  # what `stopped` says in the log
    exercises_planned: int = 0  # the plan's main exercises
    lang: str = "en"  # the language the session spoke

    def done_text(self) -> str:
        """ "2 of 3 exercises": the words `progress` uses for the same count."""
        return Wording.of(self.lang).exercises_done_text(
            self.exercises_done, self.exercises_planned
        )


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class SafetyWords:
    """The interview's own words (data/questions.yaml) for the questions a session asks again."""

    emergency_question: str
    emergency_signs: dict[str, str]
    sharp_question: str
    clinician_question: str
    clinician_signs: dict[str, str]
    pain_question: str


def safety_words(lang: str) -> SafetyWords:
    """The emergency signs (clinical-screening.md §2), sharp pain, the see-a-clinician signs
    (§3) and pain now, in the interview's words, asked again before every session."""
    said = question_words(lang)
    q = said.data["questions"]
    return SafetyWords(
        emergency_question=said.get("questions", "emergency_signs"),
        emergency_signs={i: said.pick(q["emergency_signs"]["items"][i]) for i in EMERGENCY_SIGNS},
        sharp_question=said.get("questions", "sharp_pain"),
        clinician_question=said.get("questions", "clinician_signs"),
        clinician_signs={
            i: said.pick(q["clinician_signs"]["items"][i]) for i in SEE_CLINICIAN_SIGNS
        },
        pain_question=said.get("questions", "pain"),
    )


@dataclass
class _Today:
    red_flags: list[str]
    sharp_pain: bool
    pain: int
    # Checklist answers that could not be read, each with the urgency it counts as.
    unread: tuple[tuple[str, str], ...] = ()


class AnswerNotRead(EOFError):
    """The input ended right after an answer that could not be read (`raw`): a SessionIO
    raises this instead of a bare EOFError, so a safety question counts it at its most
    urgent (clinical-screening.md §1: when in doubt, stop)."""

    def __init__(self, raw: str):
        super().__init__("the input ended after an answer that could not be read")
        self.raw = raw


def _count_unread(today: _Today, stage: str, raw: str) -> None:
    """The unread last answer to a safety question at its most urgent: sharp pain, pain 10,
    and the signs a checklist answer names; the rest of a checklist answer is an unreadable
    sign (an emergency at the emergency checklist, whatever it resembles)."""
    if stage == "sharp_pain":
        today.sharp_pain = True
    elif stage == "pain":
        today.pain = 10
    else:
        known, unread = unread_checklist_answer(raw, stage == "emergency_signs")
        today.red_flags += known
        today.unread += tuple(unread)


def ask_safety(io: SessionIO, words: Words) -> _Today:
    """Emergency signs first, then sharp pain, the see-a-clinician signs and pain now
    (clinical-screening.md §1, the interview's order)."""
    _ = words.gettext
    asked = safety_words(words.lang)
    io.show(_("Safety check"), "heading")
    urgent = list(asked.emergency_signs)
    today = _Today([], False, 0)  # filled as answered: what was said stands if the input ends
    stage = "emergency_signs"
    try:
        today.red_flags += [
            urgent[i]
            for i in io.ask_checklist(
                asked.emergency_question, [asked.emergency_signs[i] for i in urgent]
            )
        ]
        stage = "sharp_pain"
        today.sharp_pain = io.ask_yes_no(asked.sharp_question)
        stage = "clinician_signs"
        soon = list(asked.clinician_signs)
        today.red_flags += [
            soon[i]
            for i in io.ask_checklist(
                asked.clinician_question, [asked.clinician_signs[i] for i in soon]
            )
        ]
        stage = "pain"
        today.pain = io.ask_number(asked.pain_question, 0, 10)
    except EOFError as exc:
        if isinstance(exc, AnswerNotRead):
            _count_unread(today, stage, exc.raw)
        raise SafetyCheckEnded(today) from exc
    return today


class SafetyCheckEnded(EOFError):
    """The input ended during the safety check; `today` holds the answers given before it
    (an emergency sign ticked must still stop: clinical-screening.md §1)."""

    def __init__(self, today: _Today):
        super().__init__("the input ended during the safety check")
        self.today = today


def screen_today(
    today: _Today,
    patient: SessionPatient,
    date: dt.date,
    lang: str,
    cleared: SessionCleared | None = None,
) -> Stop | None:
    """The same gate as `plan` (screening.screen), on what the person said today; a reason
    the plan's clearance names stays cleared while the clearance holds (screening.cleared_ids)."""
    clearance = None
    if cleared is not None:
        ids = [r.id for r in cleared.reasons if r.id in CLEARABLE]
        if ids:
            clearance = Clearance(by=cleared.by, on=cleared.on, reasons=ids)
    answers = Answers(
        patient=PatientInfo(name=patient.name, age=patient.age),
        new_onset=False,  # the onset was screened when the plan was made
        sharp_pain=today.sharp_pain,
        pain=today.pain,
        red_flags=list(dict.fromkeys(today.red_flags)),
        cleared=clearance,
    )
    answers._unread_flags = today.unread
    return screen(answers, date=date, lang=lang)


def severe_pain_stop(pain: int, patient: SessionPatient, date: dt.date, lang: str) -> Stop | None:
    """Pain of 7 or more during or after the session (clinical-screening.md §3 pain_nrs_severe
    and §4: above 5 is already "ease off"): the see-your-chiropractor stop, never cleared."""
    if pain < PAIN_SEVERE_MIN:
        return None
    answers = Answers(
        patient=PatientInfo(name=patient.name, age=patient.age),
        new_onset=False,
        sharp_pain=False,
        pain=pain,
        red_flags=[],
    )
    return screen(answers, date=date, lang=lang)


# clinical-screening.md §4: pain during exercise may reach 5/10; above that, ease off.
PAIN_EASE_OFF_ABOVE = 5
# What the log's `stopped` holds when a session ended in a stop (not Ctrl-C or end of input).
STOP_MARKS = ("emergency", "see_clinician", "sharp_pain", "pain_nrs_severe")


def ease_off_message(item: SessionItem, words: Words) -> str:
    """Pain above 5 (clinical-screening.md §4): ease off now, and the easier exercise."""
    _ = words.gettext
    if item.regression is not None and item.regression.id and item.regression.name:
        return _(
            "Your pain is above 5 out of 10: ease off now. Do the rest gently, with fewer "
            "reps or a smaller movement. Next time, do the easier exercise instead: {name}."
        ).format(name=item.regression.name)
    return _(
        "Your pain is above 5 out of 10: ease off now. Do the rest gently, with fewer reps or "
        "a smaller movement, and tell your chiropractor."
    )


def last_session_stopped(db: LogDB) -> str | None:
    """How the last logged session ended, when that was a stop."""
    sessions = db.records().sessions
    if sessions and sessions[-1].stopped in STOP_MARKS:
        return sessions[-1].stopped
    return None


def run_session(
    plan: SessionPlan,
    plan_data: dict[str, Any],
    db: LogDB,
    io: SessionIO,
    *,
    now: Callable[[], dt.datetime] = local_now,
    lang: str | None = None,
) -> SessionResult:
    """Run one guided session and log it, in `lang` (the plan's language when None); Ctrl-C
    ends it with everything done so far kept."""
    started = now()
    before = last_session_stopped(db)
    session_id = db.start_session(_stamp(started), plan_data)
    run = _Run(plan, db, io, now, words(lang or plan.lang), session_id, started.date())
    try:
        if before is not None:
            run.warn_after_last_stop()
        return run.safety_check() or run.exercises() or run.finish()
    except KeyboardInterrupt:
        db.end_session(session_id, _stamp(now()), stopped="interrupted")
        return run.result("interrupted", EXIT_INTERRUPTED, reason="interrupted")
    except EOFError:
        db.end_session(session_id, _stamp(now()), stopped="input_ended")
        raise


@dataclass
class _Run:
    """One session under way: its steps, each ending the session (a result) or going on (None)."""

    plan: SessionPlan
    db: LogDB
    io: SessionIO
    now: Callable[[], dt.datetime]
    words: Words
    session_id: int
    day: dt.date
    done: int = 0  # main exercises done, as `progress` counts them

    def result(
        self, status: Status, code: int, stop: Stop | None = None, reason: str | None = None
    ) -> SessionResult:
        planned = len(self.plan.exercises)
        return SessionResult(
            self.session_id, status, code, self.done, stop, reason, planned, self.words.lang
        )

    def end(self, **fields: Any) -> None:
        self.db.end_session(self.session_id, _stamp(self.now()), **fields)

    def warn_after_last_stop(self) -> None:
        _ = self.words.gettext
        self.io.show(
            _(
                "Your last session ended in a stop. If your chiropractor has not seen you "
                "since, contact them before you exercise again."
            ),
            "warn",
        )

    def safety_check(self) -> SessionResult | None:
        """Today's safety questions through the plan's gate, then the PSFS when it is due."""
        try:
            today = ask_safety(self.io, self.words)
        except SafetyCheckEnded as ended:
            stop = screen_today(
                ended.today, self.plan.patient, self.day, self.words.lang, self.plan.cleared
            )
            if stop is None:
                raise  # nothing said so far stops: the session is simply not complete
            self.end(stopped=stop.urgency)
            self.io.show_stop(stop)
            return self.result("stopped", exit_code_for_stop(stop.urgency), stop, stop.urgency)
        self.db.set_pain_before(self.session_id, today.pain)
        stop = screen_today(today, self.plan.patient, self.day, self.words.lang, self.plan.cleared)
        if stop is not None:
            self.end(stopped=stop.urgency)
            self.io.show_stop(stop)
            return self.result("stopped", exit_code_for_stop(stop.urgency), stop, stop.urgency)
        records = self.db.records()
        if psfs_due(records.psfs, self.day):
            activities = psfs_activities(records.psfs)
            ask_psfs(self.io, self.db, self.session_id, self.day, activities, self.words)
        return None

    def exercises(self) -> SessionResult | None:
        """Each exercise guided and logged before the next; a stop or sharp pain ends here."""
        _ = self.words.gettext
        items = self.plan.items()
        self.io.show(_("Timers: press Enter to skip one, p to pause it."), "dim")
        for number, item in enumerate(items, start=1):
            self.io.show(item_title(item, number, len(items), self.words), "title")
            ended = self.exercise(item)
            if ended is not None:
                return ended
        return None

    def exercise(self, item: SessionItem) -> SessionResult | None:
        _ = self.words.gettext
        sets_done = guide(self.io, item, self.words)
        pain = self.io.ask_number(
            _("Pain during {name}? 0 = none, 10 = worst").format(name=item.name), 0, 10
        )
        severe = severe_pain_stop(pain, self.plan.patient, self.day, self.words.lang)
        if severe is None and pain > PAIN_EASE_OFF_ABOVE:
            self.io.show(ease_off_message(item, self.words), "warn")  # at once, before anything
        sharp = False if severe is not None else self.io.ask_yes_no(_("Any sharp pain?"))
        self.db.log_exercise(
            self.session_id,
            exercise_id=item.id,
            name=item.name,
            kind=item.kind,
            sets=sets_done,
            reps=item.dose.reps,
            hold_s=item.dose.hold_s or None,
            pain_during=pain,
            sharp_pain=sharp,
            done_at=_stamp(self.now()),
        )
        if item.kind != "warmup":
            self.done += 1  # the count `progress` keeps: main exercises only
        if severe is not None:
            return self.severe_stop(severe)
        if sharp:
            self.end(stopped="sharp_pain")
            self.io.show(
                _(
                    "Stop here. Sharp pain means: do not go on with these exercises. "
                    "See your chiropractor before your next session."
                ),
                "warn",
            )
            self.io.show(_("What you did today is saved."), "dim")
            return self.result("stopped", EXIT_SEE_CLINICIAN, None, "sharp_pain")
        return None

    def severe_stop(self, severe: Stop, **fields: Any) -> SessionResult:
        _ = self.words.gettext
        self.end(stopped="pain_nrs_severe", **fields)
        self.io.show_stop(severe)
        self.io.show(_("What you did today is saved."), "dim")
        return self.result("stopped", EXIT_SEE_CLINICIAN, severe, "pain_nrs_severe")

    def finish(self) -> SessionResult:
        """Pain after the session, a note for the chiropractor, and the session closed."""
        _ = self.words.gettext
        pain_after = self.io.ask_number(
            _("Pain now, after the session? 0 = none, 10 = worst"), 0, 10
        )
        severe = severe_pain_stop(pain_after, self.plan.patient, self.day, self.words.lang)
        if severe is not None:
            return self.severe_stop(severe, pain_after=pain_after)
        if pain_after > PAIN_EASE_OFF_ABOVE:
            self.io.show(
                _(
                    "Your pain is above 5 out of 10 after the session: next time, ease off "
                    "(fewer reps, a smaller movement) and tell your chiropractor."
                ),
                "warn",
            )
        note = self.io.ask_text(_("A note for your chiropractor (optional, Enter to skip)"))
        self.end(pain_after=pain_after, note=note.strip())
        finished = self.result("finished", EXIT_OK)
        self.io.show(
            _("Well done: {count} done and saved.").format(count=finished.done_text()), "ok"
        )
        return finished


def item_title(item: SessionItem, number: int, total: int, words: Words) -> str:
    _ = words.gettext
    if item.kind == "warmup":
        return _("{n} of {total} · Warm-up: {name}").format(n=number, total=total, name=item.name)
    return _("{n} of {total} · {name}").format(n=number, total=total, name=item.name)


def dose_line(dose: SessionDose, words: Words) -> str:
    parts = Wording(words).dose_parts(dose)
    return ", ".join(parts[:-1])  # days a week means nothing in the middle of a session


def guide(io: SessionIO, item: SessionItem, words: Words) -> int:
    """Walk through the steps and every set; returns the sets done."""
    _ = words.gettext
    io.show_list(item.steps)
    io.show_list(item.cues, numbered=False, style="cue")
    dose = item.dose
    io.show(dose_line(dose, words), "dim")
    sides = [_("left side"), _("right side")] if dose.per_side else [None]
    for set_number in range(1, dose.sets + 1):
        counter = _("Set {n} of {total}").format(n=set_number, total=dose.sets)
        for side_index, side in enumerate(sides):
            if side_index:
                io.countdown(_("Switch sides"), REP_RELAX_S)
            do_set(io, dose, counter, side, words)
        io.show("✓ " + _("{counter} done").format(counter=counter), "ok")
        if set_number < dose.sets and dose.rest_s:
            io.countdown(_("Rest"), dose.rest_s)
    return dose.sets


def do_set(io: SessionIO, dose: SessionDose, counter: str, side: str | None, words: Words) -> None:
    """One set on one side: each hold timed, or the reps done at the person's pace."""
    _, ngettext = words.gettext, words.ngettext
    where = f" ({side})" if side else ""
    if dose.hold_s:
        reps = dose.reps or 1
        for rep in range(1, reps + 1):
            hold = _("hold {n} of {total}").format(n=rep, total=reps) if reps > 1 else _("hold")
            io.countdown(f"{counter}{where} · {hold}", dose.hold_s)
            if rep < reps:
                io.countdown(_("Relax"), REP_RELAX_S)
    elif dose.minutes is not None and dose.reps is None:
        # a walk is done outside the terminal: no countdown of many minutes, the person says
        io.wait(
            ngettext(
                "{counter}{where}: {n} minute, then press Enter.",
                "{counter}{where}: {n} minutes, then press Enter.",
                dose.minutes,
            ).format(counter=counter, where=where, n=dose.minutes)
        )
    else:
        io.wait(
            ngettext(
                "{counter}{where}: do {n} rep, then press Enter.",
                "{counter}{where}: do {n} reps, then press Enter.",
                dose.reps or 1,
            ).format(counter=counter, where=where, n=dose.reps or 1)
        )


def ask_psfs(
    io: SessionIO,
    db: LogDB,
    session_id: int,
    day: dt.date,
    known: Sequence[str],
    words: Words,
) -> None:
    """The Patient-Specific Functional Scale (clinical-screening.md §5 line 70): name up to 3
    activities the back makes hard, the first time; rate each 0-10 every time."""
    _ = words.gettext
    io.show(_("Everyday activities (every 2 weeks)"), "heading")
    activities = list(known)
    if not activities:
        io.show(
            _(
                "Name up to {n} everyday activities your back makes hard (for example: "
                "putting on socks, lifting a child). Press Enter with nothing to finish."
            ).format(n=PSFS_MAX_ACTIVITIES),
            "dim",
        )
        while len(activities) < PSFS_MAX_ACTIVITIES:
            text = io.ask_text(_("Activity {n}").format(n=len(activities) + 1)).strip()
            if not text:
                break
            activities.append(text[:200])
    for activity in activities:
        score = io.ask_number(
            _("How well can you do it: {activity}? 0 = not at all, 10 = as before").format(
                activity=activity
            ),
            0,
            10,
        )
        db.add_psfs(day.isoformat(), activity, score, session_id)
