"""Choosing the exercises: one back-safe exercise per movement pattern, plus a few warm-ups.

Selection reads cleared Answers and a Library and returns a Plan. It is deterministic: the
same answers, library and date give the same plan (every choice sorts on stable keys).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from backplan.i18n import _
from backplan.intake.answers import Answers, DoseOverride
from backplan.intake.screening import PAIN_MODERATE_MAX, PAIN_MODERATE_MIN
from backplan.library.catalogue import Library
from backplan.library.model import LEVELS, Exercise, Pattern
from backplan.planning import outcome as plan
from backplan.planning.items import dose_of, item_for

MAX_EXERCISES = 4  # clinical-screening.md §4 adherence: give 2-4 exercises
MAX_WARMUPS = 2  # side by side on the handout's first page, with the log under them
# Which patterns get a place first (docs/exercise-format.md, "How a plan is chosen"): the
# clinic post's four strength patterns, then hip strength (what stands in for a lunge when a
# lunge does not suit), then mobility, stretches and walking, which fill a plan only when a
# strength pattern has nothing suitable.
PATTERN_ORDER: tuple[Pattern, ...] = (
    "hinge",
    "squat",
    "lunge",
    "core",
    "hip",
    "mobility",
    "stretch",
    "walking",
)
# A plan tries to cover these; when one gets no exercise, the plan says why.
MAIN_PATTERNS: tuple[Pattern, ...] = PATTERN_ORDER[:4]


@dataclasses.dataclass(frozen=True)
class Unsuitable:
    """Why an exercise does not suit a person: `kind` for code, `reason` for people."""

    kind: str  # original | condition | level | equipment
    reason: str
    needs: str = ""  # for kind equipment: what is missing, in words


def level_word(level: str) -> str:
    return {
        "beginner": _("beginner"),
        "intermediate": _("intermediate"),
        "advanced": _("advanced"),
    }.get(level, level)


def pattern_word(pattern: str) -> str:
    return {
        "hinge": _("hip hinge"),
        "squat": _("squat"),
        "lunge": _("lunge"),
        "core": _("core"),
        "hip": _("hip"),
        "mobility": _("mobility"),
        "stretch": _("stretch"),
        "walking": _("walking"),
    }.get(pattern, pattern)


def kind_word(kind: str) -> str:
    return {
        "original": _("original"),
        "modified": _("back-safe version"),
        "standalone": _("back-safe exercise"),
        "warmup": _("warm-up"),
    }.get(kind, kind)


def position_word(position: str) -> str:
    return {
        "standing": _("standing"),
        "chair": _("on a chair"),
        "floor": _("on the floor"),
    }.get(position, position)


def owned_equipment(answers: Answers, library: Library) -> set[str]:
    """What the person has, counting what everyone has (a wall)."""
    return set(answers.equipment) | library.always_available()


def unsuitable(
    exercise: Exercise, answers: Answers, library: Library, lang: str = "en"
) -> Unsuitable | None:
    """The first thing that rules the exercise out for this person, or None when it suits."""
    if exercise.kind == "original":
        return Unsuitable("original", _("it is the original exercise, not the back-safe version"))
    conditions = library.vocabulary.conditions
    ruled_out = exercise.ruled_out_by(answers.condition_ids())
    if ruled_out:
        # avoid_if first: it is the reason a clinician wrote down for this exercise
        cond = next((c for c in ruled_out if c in exercise.avoid_if), ruled_out[0])
        label = conditions[cond].text(lang).label if cond in conditions else cond
        if cond not in exercise.avoid_if:
            # the implicit floor rule; a position nobody stated is not assumed to be standing
            return Unsuitable(
                "condition",
                _("it is done on the floor, and {condition}").format(condition=label)
                if exercise.position == "floor"
                else _("its position is not stated, and {condition}").format(condition=label),
            )
        return Unsuitable(
            "condition", _("it is not advised with {condition}").format(condition=label)
        )
    if LEVELS.index(exercise.level) > answers.level_rank():
        return Unsuitable(
            "level",
            _("its level ({level}) is above yours ({yours})").format(
                level=level_word(exercise.level), yours=level_word(answers.level)
            ),
        )
    missing = _missing_equipment(exercise, owned_equipment(answers, library), library, lang)
    if missing:
        return Unsuitable("equipment", _("it needs {items}").format(items=missing), missing)
    return None


def _missing_equipment(exercise: Exercise, have: set[str], library: Library, lang: str) -> str:
    """What is missing, in words; an inner list is satisfied by any one of its items."""
    terms = library.vocabulary.equipment

    def label(eid: str) -> str:
        return terms[eid].text(lang).label if eid in terms else eid

    missing = []
    for entry in exercise.equipment:
        options = [entry] if isinstance(entry, str) else list(entry)
        if not any(o in have for o in options):
            if len(options) == 1:
                missing.append(label(options[0]))
            else:
                missing.append(
                    # "a mat or a towel": read as the person would say it
                    _("{items} or {last}").format(
                        items=", ".join(label(o) for o in options[:-1]), last=label(options[-1])
                    )
                )
    return "; ".join(missing)


def suitability(
    exercise: Exercise, answers: Answers, library: Library, lang: str = "en"
) -> str | None:
    """The reason the exercise is unsuitable for this person, or None when it suits them."""
    found = unsuitable(exercise, answers, library, lang)
    return found.reason if found else None


def is_moderate_pain(pain: int) -> bool:
    # clinical-screening.md §3 derived stops: bands 1-3 mild, 4-6 moderate, 7-10 severe (a stop).
    return PAIN_MODERATE_MIN <= pain <= PAIN_MODERATE_MAX


def eased(dose: plan.Dose) -> plan.Dose:
    """A lighter dose for moderate pain: one set fewer, or when there is one set, fewer reps
    (or a shorter hold, or fewer minutes)."""
    if dose.sets > 1:
        return dataclasses.replace(dose, sets=dose.sets - 1, eased=True)
    if dose.reps is not None and dose.reps > 1:
        return dataclasses.replace(dose, reps=max(1, dose.reps * 2 // 3), eased=True)
    if dose.hold_s > 1:
        return dataclasses.replace(dose, hold_s=max(1, dose.hold_s * 2 // 3), eased=True)
    if dose.minutes is not None and dose.minutes > 1:
        return dataclasses.replace(dose, minutes=max(1, dose.minutes * 2 // 3), eased=True)
    return dose


def with_override(dose: plan.Dose, override: DoseOverride | None) -> plan.Dose:
    """The clinician's numbers replace ours; the dose stays "eased" only if they left the
    amount (sets, reps, hold) as we eased it."""
    given = override.given() if override is not None else {}
    if not given:
        return dose
    still_eased = dose.eased and not {"sets", "reps", "hold_s", "minutes"} & set(given)
    return dataclasses.replace(dose, **given, eased=still_eased)


def _chain_depths(library: Library) -> dict[str, int]:
    """For each exercise, how many easier steps lie below it (regressions, or what progresses
    to it): the gym version sits above its home regression."""
    below = {e.id: e.regression for e in library.exercises.values() if e.regression}
    for e in library.exercises.values():
        if e.progression is not None:
            below.setdefault(e.progression.to, e.id)
    depths = {}
    for eid in library.exercises:
        depth, current, seen = 0, eid, {eid}
        while below.get(current) in library.exercises and below[current] not in seen:
            current = below[current]
            seen.add(current)
            depth += 1
        depths[eid] = depth
    return depths


def _preference(exercise: Exercise, answers: Answers, depths: dict[str, int]) -> tuple:
    # Prefer the person's own level, then the closest below it; within a level the step furthest
    # along its progression chain (the gym version over its home regression), then the id.
    distance = answers.level_rank() - LEVELS.index(exercise.level)
    if distance < 0:
        distance = len(LEVELS) - distance  # above the person's level: never preferred
    return (distance, -depths.get(exercise.id, 0), exercise.id)


def _warmup_rank(exercise: Exercise) -> tuple:
    on_floor = exercise.position in (None, "floor")
    return (on_floor, _pattern_rank(exercise.pattern), exercise.id)


def one_level_up(answers: Answers) -> Answers:
    """The answers with the experience level one step higher, for the step up a chain.

    A progression is, by design, the harder next step for when an exercise gets easy: being
    ready for it is what makes a person ready for its level. So the "when it gets easy" line,
    and a step up the log has earned in `plan --next`, may name an exercise one level above
    the person's (a beginner's progression may be an intermediate exercise). A product decision;
    every other part of the suitability test (conditions, equipment, the floor) applies in full.
    """
    rank = min(answers.level_rank() + 1, len(LEVELS) - 1)
    return answers.model_copy(update={"level": LEVELS[rank]})


def suits_person(
    answers: Answers, library: Library, *, harder: bool = False
) -> Callable[[Exercise], bool]:
    """The one suitability test as a predicate, for the steps of a chain (`harder`: a step
    up, which may be one level above the person's, see `one_level_up`)."""
    person = one_level_up(answers) if harder else answers
    return lambda exercise: unsuitable(exercise, person, library) is None


def pattern_left_out_note(
    pattern: str, candidates: list[tuple[Exercise, Unsuitable]], depths: dict[str, int]
) -> plan.Note:
    """Why the plan has no exercise for `pattern`, naming what would make one possible."""
    # The easiest thing to change first: equipment (get it), then level (grow into it), then a
    # condition (ask the chiropractor). `candidates` is in order of preference.
    fixable = {"equipment": 0, "level": 1, "condition": 2}
    # Among the ones that need equipment, the one that needs the fewest things, then the
    # easiest one (a chair for sit-to-stand before a ball and a dumbbell for a squat).
    ranked = sorted(
        (c for c in candidates if c[1].kind in fixable),
        key=lambda c: (
            fixable[c[1].kind],
            c[1].needs.count(";"),
            LEVELS.index(c[0].level),
            depths.get(c[0].id, 0),
        ),
    )
    word = pattern_word(pattern)
    if not ranked:
        text = _("No {pattern} exercise in this plan: the exercise library has none.").format(
            pattern=word
        )
    elif ranked[0][1].kind == "equipment":
        text = _("No {pattern} exercise in this plan: one needs {items}.").format(
            pattern=word, items=ranked[0][1].needs
        )
    else:
        text = _(
            "No {pattern} exercise in this plan: none of the library's suits you ({reason})."
        ).format(pattern=word, reason=ranked[0][1].reason)
    return plan.Note(text, f"pattern_left_out:{pattern}")


def _pattern_rank(pattern: str) -> tuple[int, str]:
    if pattern in PATTERN_ORDER:
        return (PATTERN_ORDER.index(pattern), pattern)
    return (len(PATTERN_ORDER), pattern)


def _why_chosen(
    exercise: Exercise,
    outranking: list[tuple[Exercise, Unsuitable]],
    answers: Answers,
    library: Library,
    lang: str,
) -> str:
    if exercise.replaces is None:  # a standalone exercise makes no usual exercise back-safe
        pattern = pattern_word(exercise.pattern)
        if exercise.level != answers.level:
            return _(
                "A back-safe {pattern} exercise; the closest to your level that suits you."
            ).format(pattern=pattern)
        return _("A back-safe {pattern} exercise at your level, with what you have.").format(
            pattern=pattern
        )
    original = library.name_of(exercise.replaces, lang)
    for better, why_not in outranking:
        if why_not.kind == "equipment" and better.replaces == exercise.replaces:
            return _(
                "A back-safe version of {original} you can do with what you have "
                "({other}: {reason})."
            ).format(original=original, other=better.text(lang).name, reason=why_not.reason)
    if exercise.level != answers.level:
        return _(
            "A back-safe version of {original}; the closest to your level that suits you."
        ).format(original=original)
    return _("A back-safe version of {original} at your level, with what you have.").format(
        original=original
    )


def select(
    answers: Answers,
    library: Library,
    *,
    max_exercises: int = MAX_EXERCISES,
    date: dt.date,
    lang: str = "en",
) -> plan.Plan:
    """The plan for someone screening has cleared (it refuses anyone who must stop)."""
    from backplan.intake.screening import screen

    # Defence in depth: the pipeline screens first, but no caller may get exercises for
    # answers that stop, even by calling this directly.
    if screen(answers) is not None:
        raise ValueError("select() was called for answers that must stop; screen them first")
    if max_exercises < 0:
        raise ValueError("max_exercises must be 0 or more")

    have = owned_equipment(answers, library)
    removed = set(answers.remove)
    notes: list[str] = [plan.Note(n, "clinician") for n in answers.notes]
    moderate = is_moderate_pain(answers.pain)
    exercises = [library.exercises[k] for k in sorted(library.exercises)]

    chosen: list[tuple[Exercise, str]] = []  # (exercise, chosen_because), main exercises
    warmups: list[tuple[Exercise, str]] = []
    left_out: list[str] = []  # each a plan.Note "not_added"

    # The clinician's additions come first; they must still suit the person.
    for eid in dict.fromkeys(answers.add):
        exercise = library.exercises.get(eid)
        if exercise is None:
            left_out.append(
                _("`{id}` was not added: it is not in the exercise library.").format(id=eid)
            )
            continue
        name = exercise.text(lang).name
        if eid in removed:
            left_out.append(
                _("{name} was both added and removed, so it was left out.").format(name=name)
            )
            continue
        why_not = suitability(exercise, answers, library, lang)
        if why_not is not None:
            left_out.append(_("{name} was not added: {reason}.").format(name=name, reason=why_not))
            continue
        if exercise.kind == "warmup":
            if len(warmups) >= MAX_WARMUPS:
                left_out.append(
                    _("{name} was not added: the plan already has {n} warm-ups.").format(
                        name=name, n=MAX_WARMUPS
                    )
                )
            else:
                warmups.append((exercise, _("Added by your clinician.")))
            continue
        same = next((e for e, _why in chosen if e.pattern == exercise.pattern), None)
        if same is not None:
            left_out.append(
                _("{name} was not added: {other} already covers the {pattern} movement.").format(
                    name=name, other=same.text(lang).name, pattern=pattern_word(exercise.pattern)
                )
            )
            continue
        if len(chosen) >= max_exercises:
            left_out.append(
                _("{name} was not added: the plan already has {n} exercises.").format(
                    name=name, n=max_exercises
                )
            )
            continue
        chosen.append((exercise, _("Added by your clinician.")))

    # Then one exercise for each pattern not yet covered, in the patterns' order of priority.
    by_pattern: dict[str, list[Exercise]] = {}
    for exercise in exercises:
        if exercise.prescribable and exercise.id not in removed:
            by_pattern.setdefault(exercise.pattern, []).append(exercise)
    covered = {e.pattern for e, _why in chosen}
    depths = _chain_depths(library)
    uncovered: list[plan.Note] = []  # the main patterns that got nothing, and why
    for pattern in sorted(set(by_pattern) | set(MAIN_PATTERNS), key=_pattern_rank):
        if len(chosen) >= max_exercises:
            break
        if pattern in covered:
            continue
        ranked = sorted(by_pattern.get(pattern, []), key=lambda e: _preference(e, answers, depths))
        outranking: list[tuple[Exercise, Unsuitable]] = []
        for exercise in ranked:
            ruled_out = unsuitable(exercise, answers, library, lang)
            if ruled_out is None:
                chosen.append((exercise, _why_chosen(exercise, outranking, answers, library, lang)))
                break
            outranking.append((exercise, ruled_out))
        else:
            if pattern in MAIN_PATTERNS:
                uncovered.append(pattern_left_out_note(pattern, outranking, depths))

    candidates = [
        e
        for e in exercises
        if e.kind == "warmup" and e.id not in removed and e.id not in {w.id for w, _w in warmups}
    ]
    # Standing and chair warm-ups first: nobody should have to get down to the floor and back
    # up just to warm up, when a standing one does the job.
    for exercise in sorted(candidates, key=_warmup_rank):
        if len(warmups) >= MAX_WARMUPS:
            break
        if unsuitable(exercise, answers, library, lang) is None:
            warmups.append(
                (exercise, _("A gentle warm-up: backs do better warmed up before exercise."))
            )

    chosen.sort(key=lambda pair: _pattern_rank(pair[0].pattern))

    def make(exercise: Exercise, because: str) -> plan.PlanItem:
        dose = dose_of(exercise)
        if moderate:
            dose = eased(dose)
        dose = with_override(dose, answers.dose.get(exercise.id))
        return item_for(
            exercise,
            library,
            lang=lang,
            have=have,
            dose=dose,
            chosen_because=because,
            notes=answers.exercise_notes.get(exercise.id, ()),
            suits=suits_person(answers, library),
            suits_harder=suits_person(answers, library, harder=True),
        )

    items = tuple(make(e, why) for e, why in chosen)
    warmup_items = tuple(make(e, why) for e, why in warmups)
    if moderate and (items or warmup_items):
        notes.append(plan.Note(moderate_pain_note(answers.pain), "moderate_pain"))
    if not items:
        notes.append(
            plan.Note(
                _(
                    "No exercise in the library suits your answers; "
                    "ask your chiropractor for a plan."
                ),
                "nothing_suits",
            )
        )
    if not warmup_items and candidates and max_exercises > 0:
        notes.append(
            plan.Note(
                _("No warm-up in the library suits your answers; start each exercise gently."),
                "no_warmup",
            )
        )
    notes += uncovered
    notes += [plan.as_note(n, "not_added") for n in left_out]
    return plan.Plan(
        patient=plan.Patient(answers.patient.name, answers.patient.age),
        date=date,
        warmup=warmup_items,
        exercises=items,
        notes=tuple(notes),
        clinician=answers.clinician,
        lang=lang,
    )


def moderate_pain_note(pain: int) -> str:
    """The plan note that explains why doses start lighter for moderate pain."""
    # clinical-screening.md §3 bands (4-6 moderate) and §4 pain-monitoring model.
    return _(
        "Your pain is {pain} out of 10 (moderate), so each exercise starts lighter than "
        "usual: fewer sets or repetitions. Pain during exercise may reach 5 out of 10 but "
        "must settle by the next morning and must not rise from week to week; if it does, "
        "do less and tell your chiropractor."
    ).format(pain=pain)
