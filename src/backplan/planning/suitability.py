"""Whether an exercise suits a person: the one test every way of choosing applies, in words.

The automatic choice, a protocol and the next plan all ask `unsuitable`; the handout's "when it
gets easy" and "if it hurts" steps ask it through `suits_person`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from backplan.i18n import words
from backplan.intake.answers import Answers
from backplan.intake.screening import PAIN_MODERATE_MAX, PAIN_MODERATE_MIN
from backplan.library.catalogue import Library
from backplan.library.model import LEVELS, Exercise


@dataclasses.dataclass(frozen=True)
class Unsuitable:
    """Why an exercise does not suit a person: `kind` for code, `reason` for people."""

    kind: str  # original | condition | level | equipment
    reason: str
    needs: str = ""  # for kind equipment: what is missing, in words


def level_word(level: str, lang: str) -> str:
    _ = words(lang).gettext
    return {
        "beginner": _("beginner"),
        "intermediate": _("intermediate"),
        "advanced": _("advanced"),
    }.get(level, level)


def pattern_word(pattern: str, lang: str) -> str:
    _ = words(lang).gettext
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


def kind_word(kind: str, lang: str) -> str:
    _ = words(lang).gettext
    return {
        "original": _("original"),
        "modified": _("back-safe version"),
        "standalone": _("back-safe exercise"),
        "warmup": _("warm-up"),
    }.get(kind, kind)


def position_word(position: str, lang: str) -> str:
    _ = words(lang).gettext
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
    _ = words(lang).gettext
    if exercise.kind == "original":
        return Unsuitable("original", _("it is the original exercise, not the back-safe version"))
    ruled_out = exercise.ruled_out_by(answers.condition_ids())
    if ruled_out:
        return _condition_rules_out(exercise, ruled_out, library, lang)
    if LEVELS.index(exercise.level) > answers.level_rank():
        return Unsuitable(
            "level",
            _("its level ({level}) is above yours ({yours})").format(
                level=level_word(exercise.level, lang), yours=level_word(answers.level, lang)
            ),
        )
    missing = _missing_equipment(exercise, owned_equipment(answers, library), library, lang)
    if missing:
        return Unsuitable("equipment", _("it needs {items}").format(items=missing), missing)
    return None


def _condition_rules_out(
    exercise: Exercise, ruled_out: list[str], library: Library, lang: str
) -> Unsuitable:
    """Why a condition rules the exercise out: its own avoid_if, or the implicit floor rule."""
    _ = words(lang).gettext
    conditions = library.vocabulary.conditions
    # avoid_if first: it is the reason a clinician wrote down for this exercise
    cond = next((c for c in ruled_out if c in exercise.avoid_if), ruled_out[0])
    label = conditions[cond].text(lang).label if cond in conditions else cond
    if cond in exercise.avoid_if:
        return Unsuitable(
            "condition", _("it is not advised with {condition}").format(condition=label)
        )
    # the implicit floor rule; a position nobody stated is not assumed to be standing
    return Unsuitable(
        "condition",
        _("it is done on the floor, and {condition}").format(condition=label)
        if exercise.position == "floor"
        else _("its position is not stated, and {condition}").format(condition=label),
    )


def _missing_equipment(exercise: Exercise, have: set[str], library: Library, lang: str) -> str:
    """What is missing, in words; an inner list is satisfied by any one of its items."""
    _ = words(lang).gettext
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
