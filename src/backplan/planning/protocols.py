"""Saved protocols: a clinic's ready-made choice of exercises, used instead of the automatic one.

A protocol is a YAML file named after it (`home-starter.yaml` holds `name: home-starter`):
the built-in ones live in `exercises/protocols/`, a clinic's own in a `protocols/` folder inside
its library folder (a clinic protocol with a built-in name replaces it). Screening still runs
first (the pipeline screens before it selects), and every exercise of the protocol must still
suit the person: one that does not is left out with a note that says why, never given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, StringConstraints

from backplan.errors import BackplanError, Problem, display_path
from backplan.files.problems import suggest, validate
from backplan.files.yaml_source import Loc, Source, load_yaml
from backplan.i18n import words
from backplan.intake.answers import Answers
from backplan.library.catalogue import Library
from backplan.library.model import DoseChange, Exercise, ExerciseId, Line, Strict
from backplan.planning import outcome as plan
from backplan.planning.build import Choice, Pick, Screened, build, pass_screening
from backplan.planning.selection import MAX_WARMUPS, automatic_warmups
from backplan.planning.suitability import suitability
from backplan.resources import builtin_exercises_dir

PROTOCOLS_FOLDER = "protocols"
SUFFIXES = (".yaml", ".yml")
ProtocolName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]


class NoteText(Strict):
    """A protocol exercise's note in another language."""

    note: Line


class ProtocolExercise(Strict):
    """One exercise of a protocol, with the clinic's own dose or note for it."""

    id: ExerciseId
    dose: DoseChange | None = Field(
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
    """The plan the protocol gives one person: screen (refusing anyone who must stop), choose,
    build. The pipeline, which has screened already, calls `choose` and `build` itself."""
    passed = pass_screening(answers, date=date, lang=lang)
    if not isinstance(passed, Screened):
        raise ValueError("protocol_selection() was called for answers that must stop")
    return build(choose(protocol, passed, library), passed, library)


def choose(
    protocol: Protocol, screened: Screened, library: Library, *, person: Answers | None = None
) -> Choice:
    """The protocol's exercises that suit this person, in its order (`person`: the answers the
    suitability test reads, when not the screened ones: one level up for `plan --next`).

    The clinician's adjustments in the answers still apply on top: `add` appends exercises
    (checked the same way), `remove` drops them, `dose` and `exercise_notes` win over the
    protocol's own (in the build step).
    """
    problems = library_problems(protocol, library)
    if problems:
        raise BackplanError(problems, title=f"The protocol `{protocol.name}` has problems")
    answers, lang = screened.answers, screened.lang
    _ = words(lang).gettext
    text = protocol.text(lang)
    chooser = _Chooser(person or answers, library, lang, protocol)
    exercises = chooser.protocol_exercises()
    added, added_warmups = chooser.additions()
    warmups = chooser.protocol_warmups()
    trailing = [plan.as_note(n, "left_out") for n in chooser.left_out]
    review = protocol.review_date(screened.date)
    if review is not None:
        # written as people write dates in the plan's language, as the handout's own date is
        when = words(lang).long_date(review)
        text_review = _("Review with your chiropractor on {date}.").format(date=when)
        trailing.append(plan.Note(text_review, "review"))
    return Choice(
        exercises=(*exercises, *added),
        warmups=(*warmups, *added_warmups),
        nothing_suits=_(
            "None of the protocol's exercises suits your answers; ask your chiropractor for a plan."
        ),
        notes=tuple(plan.Note(n, "protocol") for n in text.notes or ()),
        trailing=tuple(trailing),
        weeks=protocol.weeks,
    )


class _Chooser:
    """The steps of a protocol's choice, sharing what is taken and what was left out."""

    def __init__(self, answers: Answers, library: Library, lang: str, protocol: Protocol):
        self.answers, self.library, self.lang, self.protocol = answers, library, lang, protocol
        self.removed = set(answers.remove)
        self.seen: set[str] = set()
        self.left_out: list[str] = []
        _ = words(lang).gettext
        self.because = _("Part of the protocol “{title}” your clinician chose.").format(
            title=protocol.text(lang).title
        )
        self.in_protocol = _("{name} (in the protocol) was left out: {reason}.")

    def suits(self, exercise: Exercise, template: str) -> bool:
        reason = suitability(exercise, self.answers, self.library, self.lang)
        if reason is not None:
            name = exercise.text(self.lang).name
            self.left_out.append(template.format(name=name, reason=reason))
        return reason is None

    def take(self, eid: str) -> bool:
        """Whether `eid` is still to consider (not removed, not seen), marking it seen."""
        if eid in self.removed or eid in self.seen:
            return False
        self.seen.add(eid)
        return True

    def protocol_exercises(self) -> list[Pick]:
        picks = []
        for entry in self.protocol.entries():
            exercise = self.library.exercises[entry.id]
            if self.take(entry.id) and self.suits(exercise, self.in_protocol):
                note = entry.note_in(self.lang)
                picks.append(Pick(exercise, self.because, entry.dose, (note,) if note else ()))
        return picks

    def additions(self) -> tuple[list[Pick], list[Pick]]:
        """The clinician's additions that suit: main exercises, and warm-ups."""
        _ = words(self.lang).gettext
        main: list[Pick] = []
        warmups: list[Pick] = []
        for eid in self.answers.add:
            added = self.library.exercises.get(eid)
            if added is None or not self.take(eid):
                continue  # library_problems in the answers reports an unknown id
            if self.suits(added, _("{name} was not added: {reason}.")):
                pick = Pick(added, _("Added by your clinician."))
                (warmups if added.kind == "warmup" else main).append(pick)
        return main, warmups

    def protocol_warmups(self) -> list[Pick]:
        """The protocol's warm-ups, or without a list the automatic ones (as for a plan
        without a protocol, not counting the clinician's)."""
        if self.protocol.warmup is None:
            automatic, _candidates = automatic_warmups(
                self.answers, self.library, self.lang, exclude=self.removed, room=MAX_WARMUPS
            )
            return [p for p in automatic if p.exercise.id not in self.seen]
        picks = []
        for eid in self.protocol.warmup:
            exercise = self.library.exercises[eid]
            if self.take(eid) and self.suits(exercise, self.in_protocol):
                picks.append(Pick(exercise, self.because))
        return picks
