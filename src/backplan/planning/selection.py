"""The automatic choice: one back-safe exercise per movement pattern, plus a few warm-ups.

`choose` reads Screened answers and a Library and returns a Choice for `build.build`. It is
deterministic: the same answers, library and date give the same plan (every choice sorts on
stable keys). `select` is the whole way for one person: screen, choose, build.
"""

from __future__ import annotations

import datetime as dt

from backplan.i18n import words
from backplan.intake.answers import Answers
from backplan.library.catalogue import Library
from backplan.library.model import LEVELS, Exercise, Pattern
from backplan.planning import outcome as plan
from backplan.planning.build import Choice, Pick, Screened, build, pass_screening
from backplan.planning.suitability import Unsuitable, pattern_word, suitability, unsuitable

# cli/ reads these words from here; they live with the suitability test (explicit re-exports)
from backplan.planning.suitability import kind_word as kind_word
from backplan.planning.suitability import position_word as position_word

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


def pattern_left_out_note(
    pattern: str,
    candidates: list[tuple[Exercise, Unsuitable]],
    depths: dict[str, int],
    lang: str = "en",
) -> plan.Note:
    """Why the plan has no exercise for `pattern`, naming what would make one possible."""
    _ = words(lang).gettext
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
    word = pattern_word(pattern, lang)
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
    _ = words(lang).gettext
    if exercise.replaces is None:  # a standalone exercise makes no usual exercise back-safe
        pattern = pattern_word(exercise.pattern, lang)
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
    """The automatic plan for one person: screen (refusing anyone who must stop), choose, build."""
    passed = pass_screening(answers, date=date, lang=lang)
    # No caller may get exercises for answers that stop, even by calling this directly.
    if not isinstance(passed, Screened):
        raise ValueError("select() was called for answers that must stop; screen them first")
    return build(choose(passed, library, max_exercises=max_exercises), passed, library)


def choose(screened: Screened, library: Library, *, max_exercises: int = MAX_EXERCISES) -> Choice:
    """The automatic choice: the clinician's additions, one exercise for each pattern not yet
    covered (in the patterns' order of priority), and warm-ups."""
    if max_exercises < 0:
        raise ValueError("max_exercises must be 0 or more")
    answers, lang = screened.answers, screened.lang
    _ = words(lang).gettext
    added, added_warmups, not_added = _clinician_additions(answers, library, lang, max_exercises)
    chosen, uncovered = _one_per_pattern(answers, library, lang, added, max_exercises)
    taken = set(answers.remove) | {p.exercise.id for p in added_warmups}
    automatic, candidates = automatic_warmups(
        answers, library, lang, exclude=taken, room=MAX_WARMUPS - len(added_warmups)
    )
    warmups = [*added_warmups, *automatic]
    trailing: list[plan.Note] = []
    if not warmups and candidates and max_exercises > 0:
        text = _("No warm-up in the library suits your answers; start each exercise gently.")
        trailing.append(plan.Note(text, "no_warmup"))
    trailing += uncovered
    trailing += [plan.as_note(n, "not_added") for n in not_added]
    return Choice(
        exercises=tuple(sorted(chosen, key=lambda p: _pattern_rank(p.exercise.pattern))),
        warmups=tuple(warmups),
        nothing_suits=_(
            "No exercise in the library suits your answers; ask your chiropractor for a plan."
        ),
        trailing=tuple(trailing),
    )


def _clinician_additions(
    answers: Answers, library: Library, lang: str, max_exercises: int
) -> tuple[list[Pick], list[Pick], list[str]]:
    """The clinician's additions that suit the person (main exercises, warm-ups), and why
    each other one was not added."""
    _ = words(lang).gettext
    chosen: list[Pick] = []
    warmups: list[Pick] = []
    left_out: list[str] = []
    because = _("Added by your clinician.")
    for eid in dict.fromkeys(answers.add):
        exercise = library.exercises.get(eid)
        if exercise is None:
            left_out.append(
                _("`{id}` was not added: it is not in the exercise library.").format(id=eid)
            )
            continue
        why_not = _why_not_added(exercise, answers, library, lang, chosen, warmups, max_exercises)
        if why_not is not None:
            left_out.append(why_not)
        elif exercise.kind == "warmup":
            warmups.append(Pick(exercise, because))
        else:
            chosen.append(Pick(exercise, because))
    return chosen, warmups, left_out


def _why_not_added(
    exercise: Exercise,
    answers: Answers,
    library: Library,
    lang: str,
    chosen: list[Pick],
    warmups: list[Pick],
    max_exercises: int,
) -> str | None:
    """Why the clinician's addition cannot go on the plan (it must still suit the person)."""
    _ = words(lang).gettext
    name = exercise.text(lang).name
    if exercise.id in answers.remove:
        return _("{name} was both added and removed, so it was left out.").format(name=name)
    why_not = suitability(exercise, answers, library, lang)
    if why_not is not None:
        return _("{name} was not added: {reason}.").format(name=name, reason=why_not)
    if exercise.kind == "warmup":
        if len(warmups) >= MAX_WARMUPS:
            return _("{name} was not added: the plan already has {n} warm-ups.").format(
                name=name, n=MAX_WARMUPS
            )
        return None
    same = next((p.exercise for p in chosen if p.exercise.pattern == exercise.pattern), None)
    if same is not None:
        return _("{name} was not added: {other} already covers the {pattern} movement.").format(
            name=name, other=same.text(lang).name, pattern=pattern_word(exercise.pattern, lang)
        )
    if len(chosen) >= max_exercises:
        return _("{name} was not added: the plan already has {n} exercises.").format(
            name=name, n=max_exercises
        )
    return None


def _one_per_pattern(
    answers: Answers, library: Library, lang: str, chosen: list[Pick], max_exercises: int
) -> tuple[list[Pick], list[plan.Note]]:
    """`chosen` and one exercise for each pattern it does not cover, until the plan is full;
    and, for each main pattern that got nothing, why."""
    removed = set(answers.remove)
    by_pattern: dict[str, list[Exercise]] = {}
    for eid in sorted(library.exercises):
        exercise = library.exercises[eid]
        if exercise.prescribable and exercise.id not in removed:
            by_pattern.setdefault(exercise.pattern, []).append(exercise)
    chosen = list(chosen)
    covered = {p.exercise.pattern for p in chosen}
    depths = _chain_depths(library)
    uncovered: list[plan.Note] = []
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
                why = _why_chosen(exercise, outranking, answers, library, lang)
                chosen.append(Pick(exercise, why))
                break
            outranking.append((exercise, ruled_out))
        else:
            if pattern in MAIN_PATTERNS:
                uncovered.append(pattern_left_out_note(pattern, outranking, depths, lang))
    return chosen, uncovered


def automatic_warmups(
    answers: Answers, library: Library, lang: str, *, exclude: set[str], room: int
) -> tuple[list[Pick], bool]:
    """Up to `room` warm-ups that suit the person, none of `exclude`; and whether the library
    had any warm-up to try."""
    _ = words(lang).gettext
    candidates = [
        library.exercises[k]
        for k in sorted(library.exercises)
        if library.exercises[k].kind == "warmup" and k not in exclude
    ]
    because = _("A gentle warm-up: backs do better warmed up before exercise.")
    picks: list[Pick] = []
    # Standing and chair warm-ups first: nobody should have to get down to the floor and back
    # up just to warm up, when a standing one does the job.
    for exercise in sorted(candidates, key=_warmup_rank):
        if len(picks) >= room:
            break
        if unsuitable(exercise, answers, library, lang) is None:
            picks.append(Pick(exercise, because))
    return picks, bool(candidates)
