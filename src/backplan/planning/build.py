"""The one build step: the exercises a strategy chose, made into the Plan every renderer reads.

How a plan is made (`pipeline.make_outcome`, and `select` / `protocol_selection` when called alone):
  1. `pass_screening` screens the answers, once. A Stop ends there; otherwise it returns a
     `Screened` (the answers, the plan's date and language), the only way into a build.
  2. A strategy only chooses: `selection.choose` (automatic), `protocols.choose` (a saved
     protocol) or `next_plan.choose` (`plan --next`, a protocol made from the log). It returns
     a `Choice`: the exercises and warm-ups, each a `Pick` (why, the strategy's dose, its note),
     the strategy's notes and how long the plan runs.
  3. `build` makes each Pick a PlanItem (the dose chain: the exercise's dose, the strategy's,
     eased for moderate pain, then the clinician's), adds the plan notes and the patient.
  4. The pipeline adds the clinician's clearance and the answers; renderers draw the Plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from backplan.i18n import words
from backplan.intake.answers import Answers
from backplan.intake.screening import screen
from backplan.library.catalogue import Library
from backplan.library.model import DoseChange, Exercise
from backplan.planning import outcome as plan
from backplan.planning.items import dose_of, item_for
from backplan.planning.suitability import (
    is_moderate_pain,
    one_level_up,
    owned_equipment,
    suits_person,
)

_PASSED = object()  # only pass_screening holds it, so only it makes a Screened


@dataclass(frozen=True)
class Screened:
    """Answers screening let through, with the plan's date and language: what a build takes."""

    answers: Answers
    date: dt.date
    lang: str
    _by: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The cheap guard: no Screened exists unless `pass_screening` screened its answers.
        if self._by is not _PASSED:
            raise ValueError("a Screened is made by pass_screening(), which screens the answers")


def pass_screening(answers: Answers, *, date: dt.date, lang: str) -> Screened | plan.Stop:
    """Screen the answers (the one screening of a plan): the Stop, or the Screened answers."""
    stop = screen(answers, date=date, lang=lang)
    return stop if stop is not None else Screened(answers, date, lang, _PASSED)


@dataclass(frozen=True)
class Pick:
    """One exercise a strategy chose, why, and what the strategy says about its dose and use."""

    exercise: Exercise
    because: str
    dose: DoseChange | None = None  # the strategy's own dose (a protocol's), before easing
    notes: tuple[str, ...] = ()  # the strategy's note for it (a protocol's)
    stepped_down: bool = False  # the step below the chosen one, at its own dose (moderate pain)


@dataclass(frozen=True)
class Choice:
    """What a strategy chose: the exercises and warm-ups in order, and what the plan says."""

    exercises: tuple[Pick, ...]
    warmups: tuple[Pick, ...]
    nothing_suits: str  # the note when no exercise suits
    notes: tuple[plan.Note, ...] = ()  # after the clinician's notes (a protocol's own)
    trailing: tuple[plan.Note, ...] = ()  # at the end (left out, not added, review)
    weeks: int = 2
    level_up: bool = False  # the suitability test one level up (a step the log earned)
    changes: tuple[plan.Change, ...] = ()  # `plan --next`: what changed for each exercise


def eased(dose: plan.Dose) -> plan.Dose:
    """A lighter dose for moderate pain: one set fewer, or when there is one set, fewer reps
    (or a shorter hold, or fewer minutes)."""
    if dose.sets > 1:
        return dose.model_copy(update={"sets": dose.sets - 1, "eased": True})
    if dose.reps is not None and dose.reps > 1:
        return dose.model_copy(update={"reps": max(1, dose.reps * 2 // 3), "eased": True})
    if dose.hold_s > 1:
        return dose.model_copy(update={"hold_s": max(1, dose.hold_s * 2 // 3), "eased": True})
    if dose.minutes is not None and dose.minutes > 1:
        return dose.model_copy(update={"minutes": max(1, dose.minutes * 2 // 3), "eased": True})
    return dose


def with_override(dose: plan.Dose, override: DoseChange | None) -> plan.Dose:
    """The clinician's numbers replace ours; the dose stays "eased" only if they left the
    amount (sets, reps, hold) as we eased it."""
    given = override.given() if override is not None else {}
    if not given:
        return dose
    still_eased = dose.eased and not {"sets", "reps", "hold_s", "minutes"} & set(given)
    return dose.model_copy(update={**given, "eased": still_eased})


def dose_chain(pick: Pick, answers: Answers) -> plan.Dose:
    """The exercise's own dose, then the strategy's, eased for moderate pain, and the
    clinician's dose for this patient has the last word."""
    dose = dose_of(pick.exercise)
    if pick.dose is not None and pick.dose.given():
        dose = dose.model_copy(update=pick.dose.given())
    if pick.stepped_down:
        dose = dose.model_copy(update={"eased": True})  # the lighter step is the easing
    elif is_moderate_pain(answers.pain) and not _timed(dose):
        dose = eased(dose)
    return with_override(dose, answers.dose.get(pick.exercise.id))


def _timed(dose: plan.Dose) -> bool:
    """One bout of a timed activity (a walk): its steps and name say how many minutes."""
    return dose.minutes is not None and dose.sets == 1


def step_down_timed(pick: Pick, answers: Answers, library: Library, taken: set[str]) -> Pick:
    """For moderate pain, a timed activity is eased by the step below it, at that step's own
    length, never by cutting minutes its steps and name state ("Walk for 20 minutes"). The
    bottom step keeps its length: its steps already offer two shorter bouts. A dose the
    protocol or the clinician set for it is kept as they wrote it."""
    exercise = pick.exercise
    if (
        not is_moderate_pain(answers.pain)
        or not _timed(dose_of(exercise))
        or (pick.dose is not None and pick.dose.given())
        or answers.dose.get(exercise.id) is not None
        or exercise.regression is None
        or exercise.regression in taken
    ):
        return pick
    lower = library.exercises.get(exercise.regression)
    if lower is None or not suits_person(answers, library)(lower):
        return pick
    return Pick(lower, pick.because, None, pick.notes, stepped_down=True)


def moderate_pain_note(pain: int, lang: str = "en") -> str:
    """The plan note that explains why doses start lighter for moderate pain."""
    _ = words(lang).gettext
    # clinical-screening.md §3 bands (4-6 moderate) and §4 pain-monitoring model.
    return _(
        "Your pain is {pain} out of 10 (moderate), so each exercise starts lighter than "
        "usual: fewer sets or repetitions, or a shorter walk. Pain during exercise may reach "
        "5 out of 10 but must settle by the next morning and must not rise from week to week; "
        "if it does, do less and tell your chiropractor."
    ).format(pain=pain)


def build(choice: Choice, screened: Screened, library: Library) -> plan.Plan:
    """The Plan for the chosen exercises: items with their doses, notes and the patient."""
    answers = screened.answers
    make = _item_maker(screened, library, one_level_up(answers) if choice.level_up else answers)
    taken = {p.exercise.id for p in (*choice.exercises, *choice.warmups)}
    items = tuple(make(step_down_timed(p, answers, library, taken)) for p in choice.exercises)
    warmups = tuple(make(p) for p in choice.warmups)
    return plan.Plan(
        patient=plan.Patient(answers.patient.name, answers.patient.age),
        date=screened.date,
        warmup=warmups,
        exercises=items,
        notes=tuple(_plan_notes(choice, screened, items, warmups)),
        clinician=answers.clinician,
        lang=screened.lang,
        weeks=choice.weeks,
        changes=choice.changes,
    )


def _item_maker(
    screened: Screened, library: Library, person: Answers
) -> Callable[[Pick], plan.PlanItem]:
    """Pick -> PlanItem for this person; `person` is the answers the chain steps must suit."""
    answers = screened.answers
    have = owned_equipment(answers, library)
    suits, suits_harder = suits_person(person, library), suits_person(person, library, harder=True)

    def make(pick: Pick) -> plan.PlanItem:
        return item_for(
            pick.exercise,
            library,
            lang=screened.lang,
            have=have,
            dose=dose_chain(pick, answers),
            chosen_because=pick.because,
            notes=[*pick.notes, *answers.exercise_notes.get(pick.exercise.id, ())],
            suits=suits,
            suits_harder=suits_harder,
        )

    return make


def _plan_notes(
    choice: Choice,
    screened: Screened,
    items: Sequence[plan.PlanItem],
    warmups: Sequence[plan.PlanItem],
) -> list[plan.Note]:
    """The clinician's notes, the strategy's, why doses are lighter, and what was left out."""
    answers = screened.answers
    notes = [plan.Note(n, "clinician") for n in answers.notes]
    notes += choice.notes
    if is_moderate_pain(answers.pain) and (items or warmups):
        text = moderate_pain_note(answers.pain, screened.lang)
        notes.append(plan.Note(text, "moderate_pain"))
    if not items:
        notes.append(plan.Note(choice.nothing_suits, "nothing_suits"))
    notes += choice.trailing
    return notes
