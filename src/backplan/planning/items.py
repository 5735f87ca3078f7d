"""Turning a library Exercise into the PlanItem renderers read, in the person's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backplan.figures import figure_for
from backplan.i18n import words
from backplan.library.catalogue import Library
from backplan.library.model import Exercise
from backplan.planning import outcome as plan

Suits = Callable[[Exercise], bool]  # the one suitability test selection applies to everything


def equipment_used(exercise: Exercise, have: set[str] | None) -> tuple[str, ...]:
    """The equipment ids this exercise will use: for "any one of" entries, the first one owned.

    With `have` None (nothing known about the person), the first option of each entry.
    """
    used: list[str] = []
    for entry in exercise.equipment:
        options = [entry] if isinstance(entry, str) else list(entry)
        owned = [o for o in options if have is None or o in have]
        choice = owned[0] if owned else options[0]
        if choice not in used:
            used.append(choice)
    return tuple(used)


def next_step(
    exercise: Exercise, library: Library, suits: Suits | None, *, harder: bool
) -> Exercise | None:
    """The first step along the chain (harder: progressions, else regressions) that suits."""
    seen = {exercise.id}
    current = exercise
    while True:
        target_id = (
            (current.progression.to if current.progression else None)
            if harder
            else current.regression
        )
        if target_id is None or target_id in seen or target_id not in library.exercises:
            return None
        seen.add(target_id)
        current = library.exercises[target_id]
        if current.kind != "original" and (suits is None or suits(current)):
            return current


def dose_of(exercise: Exercise) -> plan.Dose:
    """The exercise's own dose as the plan's Dose (every kind but an original has one)."""
    if exercise.dose is None:
        raise ValueError(f"exercise `{exercise.id}` has no dose; it cannot go on a plan")
    return plan.Dose.model_validate(exercise.dose.model_dump())


def item_for(
    exercise: Exercise,
    library: Library,
    *,
    lang: str = "en",
    have: set[str] | None = None,
    dose: plan.Dose | None = None,
    chosen_because: str = "",
    notes: Sequence[str] = (),
    suits: Suits | None = None,
    suits_harder: Suits | None = None,
) -> plan.PlanItem:
    """The plan entry for `exercise`; `have` is what the person owns, always-available included.

    With `suits`, the "when it gets easy" and "if it hurts" steps name only exercises that pass
    it: the next one along the chain that does, or advice to ask the chiropractor;
    `suits_harder` (default: `suits`) is the test for the steps up.
    """
    text = exercise.text(lang)
    used = equipment_used(exercise, have)
    terms = library.vocabulary.equipment
    labels = tuple(terms[e].text(lang).label if e in terms else e for e in used)
    progression = _step_up(exercise, library, suits_harder or suits, lang)
    regression = _step_down(exercise, library, suits, lang)
    figure = None
    if library.exercises.get(exercise.id) is exercise:
        figure = library.figure(exercise.id, lang)
    elif exercise.id in library.files:
        figure = figure_for(exercise, library.folder_of(exercise.id), lang)
    return plan.PlanItem(
        id=exercise.id,
        name=text.name,
        kind=exercise.kind,
        pattern=exercise.pattern,
        level=exercise.level,
        replaces=exercise.replaces,
        replaces_name=library.name_of(exercise.replaces, lang) if exercise.replaces else None,
        why=text.why,
        chosen_because=chosen_because,
        equipment=used,
        equipment_labels=labels,
        dose=dose if dose is not None else dose_of(exercise),
        steps=tuple(text.steps),
        cues=tuple(text.cues),
        mistakes=tuple(text.mistakes),
        progression=progression,
        regression=regression,
        video=exercise.video,
        source=exercise.source,
        notes=tuple(notes),
        figure=figure,
        purpose=text.purpose,
        position=exercise.position,
    )


def _step_up(
    exercise: Exercise, library: Library, suits: Suits | None, lang: str
) -> plan.Step | None:
    """ "When it gets easy": the next harder step that suits, or advice to ask first."""
    if exercise.progression is None:
        return None
    _ = words(lang).gettext
    target = next_step(exercise, library, suits, harder=True)
    if target is None:
        return plan.Step(id=None, name="", advice=_("Ask your chiropractor before you progress."))
    progression = exercise.text(lang).progression or exercise.progression
    return plan.Step(id=target.id, name=target.text(lang).name, when=progression.when)


def _step_down(
    exercise: Exercise, library: Library, suits: Suits | None, lang: str
) -> plan.Step | None:
    """ "If it hurts": the next easier step that suits, or advice to ask for one."""
    if exercise.regression is None:
        return None
    _ = words(lang).gettext
    target = next_step(exercise, library, suits, harder=False)
    if target is None:
        return plan.Step(
            id=None, name="", advice=_("Ask your chiropractor for an easier exercise.")
        )
    return plan.Step(id=target.id, name=target.text(lang).name)
