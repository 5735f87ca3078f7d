"""Saved protocols: a clinic's ready-made choice of exercises, used instead of the automatic one.

A protocol is a YAML file named after it (`home-starter.yaml` holds `name: home-starter`):
the built-in ones live in `exercises/protocols/`, a clinic's own in a `protocols/` folder inside
its library folder (a clinic protocol with a built-in name replaces it). Screening still runs
first (the pipeline screens before it selects), and every exercise of the protocol must still
suit the person: one that does not is left out with a note that says why, never given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, PrivateAttr, StringConstraints

from backplan.errors import BackplanError, Problem, display_path
from backplan.files.problems import suggest, validate
from backplan.files.yaml_source import Loc, Source, load_yaml
from backplan.i18n import _
from backplan.intake.answers import DoseOverride
from backplan.library.model import ExerciseId, Line, Strict
from backplan.resources import builtin_exercises_dir

if TYPE_CHECKING:
    from backplan.intake.answers import Answers
    from backplan.library.catalogue import Library
    from backplan.library.model import Exercise
    from backplan.planning import outcome as plan

PROTOCOLS_FOLDER = "protocols"
SUFFIXES = (".yaml", ".yml")
ProtocolName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]


class NoteText(Strict):
    """A protocol exercise's note in another language."""

    note: Line


class ProtocolExercise(Strict):
    """One exercise of a protocol, with the clinic's own dose or note for it."""

    id: ExerciseId
    dose: DoseOverride | None = Field(
        default=None, description="Only the fields given replace the exercise's own dose."
    )
    note: Line | None = Field(default=None, description="Printed with the exercise.")
    translations: dict[Literal["es"], NoteText] = Field(default_factory=dict)

    def note_in(self, lang: str) -> str | None:
        """The note in `lang`, falling back to English."""
        tr = self.translations.get(lang)  # type: ignore[call-overload]
        return tr.note if tr is not None and self.note else self.note


class ProtocolText(Strict):
    """A protocol's words in another language; a missing field falls back to English."""

    title: Line | None = None
    description: Line | None = None
    notes: list[Line] | None = None


class Protocol(Strict):
    """A named, reusable choice of exercises for a kind of patient."""

    name: ProtocolName = Field(description="The file's name without .yaml; what --protocol takes.")
    title: Line
    description: Line | None = None
    exercises: list[ExerciseId | ProtocolExercise] = Field(min_length=1)
    warmup: list[ExerciseId] | None = Field(
        default=None, description="Warm-up ids; without it, the automatic warm-ups."
    )
    weeks: int = Field(default=2, ge=1, le=26, description="How long the plan runs.")
    review_after_weeks: int | None = Field(
        default=None, ge=1, le=52, description="When to see the clinician again."
    )
    notes: list[Line] = Field(default_factory=list)
    translations: dict[Literal["es"], ProtocolText] = Field(
        default_factory=dict, description="The words in other languages (es: Spanish)."
    )

    _path: Path | None = PrivateAttr(default=None)
    _source: Source | None = PrivateAttr(default=None)

    def text(self, lang: str = "en") -> ProtocolText:
        """Title, description and notes in `lang`, field by field falling back to English."""
        tr = self.translations.get(lang)  # type: ignore[call-overload]
        return ProtocolText(
            title=tr.title if tr and tr.title else self.title,
            description=tr.description if tr and tr.description else self.description,
            notes=tr.notes if tr and tr.notes is not None else list(self.notes),
        )

    def entries(self) -> list[ProtocolExercise]:
        """Every exercise as a ProtocolExercise, a bare id included."""
        return [ProtocolExercise(id=e) if isinstance(e, str) else e for e in self.exercises]

    def review_date(self, start: dt.date) -> dt.date | None:
        if self.review_after_weeks is None:
            return None
        return start + dt.timedelta(weeks=self.review_after_weeks)

    @property
    def path(self) -> Path | None:
        return self._path


def protocol_folders(library_dirs: Sequence[Path] = ()) -> list[Path]:
    """Where protocols are looked for, the built-ins first (later folders win)."""
    folders = [builtin_exercises_dir() / PROTOCOLS_FOLDER]
    for d in library_dirs:
        base = d if d.is_dir() else d.parent
        folders.append(base / PROTOCOLS_FOLDER)
    return [f for f in folders if f.is_dir()]


def find_protocols(library_dirs: Sequence[Path] = ()) -> dict[str, Path]:
    """Every protocol name and its file; a clinic's file replaces a built-in one of that name."""
    found: dict[str, Path] = {}
    for folder in protocol_folders(library_dirs):
        for path in sorted(folder.iterdir()):
            if path.suffix in SUFFIXES and path.is_file() and not path.name.startswith("."):
                found[path.stem] = path
    return found


def load_protocol(
    name: str, library_dirs: Sequence[Path] = (), *, source: Source | None = None, loc: Loc = ()
) -> Protocol:
    """The protocol called `name`, from the protocol folders only. Raises BackplanError, exit 2.

    Never a path: a protocol named in an answers file or a roster must not make backplan read
    (and quote) any other file, or wait on a pipe. A clinic adds its protocols with --library.
    `source` and `loc` say where the name was written, for the error's file:line.
    """
    text = str(name)
    known = find_protocols(library_dirs)
    listing = ", ".join(sorted(known)) or "none"
    where = "" if source is not None else "--protocol: "
    hint = (
        f"known protocols: {listing}; a clinic's own go in a `{PROTOCOLS_FOLDER}/` folder of "
        "its --library folder"
    )
    if len(text) > 80 or not _PROTOCOL_NAME.fullmatch(text):
        message = (
            f"{where}`{_shown_name(text)}` is not a protocol name: give a name such as "
            f"`home-starter`, not a file ({hint})"
        )
    elif text not in known:
        message = f"{where}no protocol named `{text}`{suggest(text, known)} ({hint})"
    else:
        return read_protocol(known[text])
    if source is not None:
        raise BackplanError([source.problem(loc, message)])
    raise BackplanError(message)


_PROTOCOL_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _shown_name(text: str) -> str:
    """A name as an error quotes it: short, control characters shown as escapes."""
    shown = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return shown if len(shown) <= 60 else shown[:57] + "..."


def read_protocol(path: Path) -> Protocol:
    """Read and check one protocol file, every problem reported at once with file:line."""
    source = load_yaml(path, what="protocol file")
    protocol, problems = validate(Protocol, source)
    if protocol is not None:
        for lang, tr in protocol.translations.items():
            if tr.notes is not None and len(tr.notes) != len(protocol.notes):
                problems.append(
                    source.problem(
                        ("translations", lang, "notes"),
                        f"`translations.{lang}.notes` has {len(tr.notes)} notes but `notes` has "
                        f"{len(protocol.notes)}; translate each one",
                    )
                )
    if protocol is not None and protocol.name != path.stem:
        problems.append(
            source.problem(
                ("name",),
                f"the protocol is called `{protocol.name}` but its file is `{path.name}`; "
                "give the file the protocol's name (or the other way round)",
            )
        )
    if problems:
        raise BackplanError(problems, title=f"{display_path(path)} is not a valid protocol")
    protocol._path = path
    protocol._source = source
    return protocol


def library_problems(protocol: Protocol, library: Library) -> list[Problem]:
    """Ids in the protocol that the library does not have, or that name the wrong kind."""
    source = protocol._source or Source(protocol.name, None)
    problems = []

    def check(loc: tuple, eid: str, want_warmup: bool) -> None:
        exercise = library.exercises.get(eid)
        if exercise is None:
            problems.append(
                source.problem(loc, f"no exercise with id `{eid}`{suggest(eid, library.exercises)}")
            )
        elif exercise.kind == "original":
            safer = sorted(e.id for e in library.exercises.values() if e.replaces == eid)
            hint = f"; name its back-safe version ({', '.join(safer)})" if safer else ""
            problems.append(
                source.problem(loc, f"`{eid}` is an original exercise, never given{hint}")
            )
        elif want_warmup and exercise.kind != "warmup":
            problems.append(
                source.problem(loc, f"`{eid}` is not a warm-up; move it to `exercises`")
            )

    for i, entry in enumerate(protocol.exercises):
        loc = ("exercises", i) if isinstance(entry, str) else ("exercises", i, "id")
        check(loc, entry if isinstance(entry, str) else entry.id, want_warmup=False)
    for i, eid in enumerate(protocol.warmup or ()):
        check(("warmup", i), eid, want_warmup=True)
    return problems


def check_protocols(library_dirs: Sequence[Path], library: Library) -> list[Problem]:
    """Every problem of every protocol these library folders use, for `exercises validate`."""
    problems: list[Problem] = []
    for path in find_protocols(library_dirs).values():
        try:
            problems += library_problems(read_protocol(path), library)
        except BackplanError as exc:
            problems += exc.problems
    return problems


def protocol_selection(
    protocol: Protocol,
    answers: Answers,
    library: Library,
    *,
    date: dt.date,
    lang: str = "en",
) -> plan.Plan:
    """The plan the protocol gives this person: only the exercises that suit them.

    The clinician's adjustments in the answers still apply on top: `add` appends exercises
    (checked the same way), `remove` drops them, `dose` and `exercise_notes` win over the
    protocol's own.
    """
    from backplan.intake.screening import screen
    from backplan.planning import outcome as plan
    from backplan.planning.selection import (
        eased,
        is_moderate_pain,
        moderate_pain_note,
        owned_equipment,
        select,
        suitability,
        suits_person,
        with_override,
    )

    # Defence in depth, as in select(): nobody who must stop is given exercises.
    if screen(answers) is not None:
        raise ValueError("protocol_selection() was called for answers that must stop")
    problems = library_problems(protocol, library)
    if problems:
        raise BackplanError(problems, title=f"The protocol `{protocol.name}` has problems")

    have = owned_equipment(answers, library)
    removed = set(answers.remove)
    moderate = is_moderate_pain(answers.pain)
    left_out: list[str] = []
    words = protocol.text(lang)
    because = _("Part of the protocol “{title}” your clinician chose.").format(title=words.title)

    def make(exercise: Exercise, why: str, entry: ProtocolExercise | None) -> plan.PlanItem:
        from backplan.planning.items import dose_of, item_for

        # The protocol's dose is the starting point; moderate pain eases it like any other,
        # and the clinician's dose for this patient has the last word.
        dose = dose_of(exercise)
        if entry is not None and entry.dose is not None and entry.dose.given():
            dose = dataclasses.replace(dose, **entry.dose.given())
        if moderate:
            dose = eased(dose)
        dose = with_override(dose, answers.dose.get(exercise.id))
        note = entry.note_in(lang) if entry else None
        notes = [note] if note else []
        notes += answers.exercise_notes.get(exercise.id, [])
        return item_for(
            exercise,
            library,
            lang=lang,
            have=have,
            dose=dose,
            chosen_because=why,
            notes=notes,
            suits=suits_person(answers, library),
            suits_harder=suits_person(answers, library, harder=True),
        )

    def suits(exercise: Exercise, template: str) -> bool:
        reason = suitability(exercise, answers, library, lang)
        if reason is not None:
            left_out.append(template.format(name=exercise.text(lang).name, reason=reason))
        return reason is None

    items: list[plan.PlanItem] = []
    seen: set[str] = set()
    for entry in protocol.entries():
        exercise = library.exercises[entry.id]
        if entry.id in removed or entry.id in seen:
            continue
        seen.add(entry.id)
        if suits(exercise, _("{name} (in the protocol) was left out: {reason}.")):
            items.append(make(exercise, because, entry))
    added_warmups: list[Exercise] = []
    for eid in answers.add:
        added = library.exercises.get(eid)
        if added is None or eid in seen or eid in removed:
            continue  # library_problems in the answers reports an unknown id
        seen.add(eid)
        if not suits(added, _("{name} was not added: {reason}.")):
            continue
        if added.kind == "warmup":
            added_warmups.append(added)
        else:
            items.append(make(added, _("Added by your clinician."), None))

    if protocol.warmup is None:
        # the automatic warm-ups, chosen exactly as for a plan without a protocol
        automatic = select(
            answers.model_copy(update={"add": [], "notes": []}),
            library,
            max_exercises=0,
            date=date,
            lang=lang,
        )
        warmups = [w for w in automatic.warmup if w.id not in seen]
    else:
        warmups = []
        for eid in protocol.warmup:
            exercise = library.exercises[eid]
            if eid in removed or eid in seen:
                continue
            seen.add(eid)
            if suits(exercise, _("{name} (in the protocol) was left out: {reason}.")):
                warmups.append(make(exercise, because, None))

    warmups += [make(e, _("Added by your clinician."), None) for e in added_warmups]

    notes = [plan.Note(n, "clinician") for n in answers.notes]
    notes += [plan.Note(n, "protocol") for n in words.notes or ()]
    if moderate and (items or warmups):
        notes.append(plan.Note(moderate_pain_note(answers.pain), "moderate_pain"))
    if not items:
        text = _(
            "None of the protocol's exercises suits your answers; ask your chiropractor for a plan."
        )
        notes.append(plan.Note(text, "nothing_suits"))
    notes += [plan.as_note(n, "left_out") for n in left_out]
    review = protocol.review_date(date)
    if review is not None:
        from backplan import i18n

        # written as people write dates in the plan's language, as the handout's own date is
        text = _("Review with your chiropractor on {date}.").format(
            date=i18n.words(lang).long_date(review)
        )
        notes.append(plan.Note(text, "review"))
    return plan.Plan(
        patient=plan.Patient(answers.patient.name, answers.patient.age),
        date=date,
        warmup=tuple(warmups),
        exercises=tuple(items),
        notes=tuple(notes),
        clinician=answers.clinician,
        lang=lang,
        weeks=protocol.weeks,
    )
