"""A library is folders of exercise files: the built-in one, then each clinic folder on top.

`load_library` reads and checks everything and reports every problem at once; a clinic
exercise with a built-in id replaces the built-in one (and `Library.notices` says so).
"""

from __future__ import annotations

import dataclasses
import gc
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backplan.errors import BackplanError, Problem, display_path
from backplan.figures import Loc, check_pose, figure_for
from backplan.figures.pose import Pose
from backplan.files.atomic import path_problem
from backplan.files.problems import missing_for_kind_problem, misspelt_fields, suggest, validate
from backplan.files.yaml_source import Source, load_yaml
from backplan.library import cache as library_cache
from backplan.library.model import Exercise, Vocabulary, missing_for_kind
from backplan.resources import builtin_exercises_dir

if TYPE_CHECKING:
    from backplan.planning.outcome import Figure

VOCABULARY_FILE = "vocabulary.yaml"
EXERCISE_SUFFIXES = (".yaml", ".yml")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
LANGUAGE_NAMES = {"es": "Spanish"}


@dataclass
class Library:
    exercises: dict[str, Exercise] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    files: dict[str, Path] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    builtin: set[str] = field(default_factory=set)  # ids that come from the built-in folder
    # (id, lang) -> Figure: a batch worker draws each exercise's pose once, not once a handout
    _figures: dict[tuple[str, str], Figure | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise BackplanError(
                f"no exercise with id `{exercise_id}`{suggest(exercise_id, self.exercises)} "
                "(`backplan exercises list` shows them all)"
            ) from None

    def folder_of(self, exercise_id: str) -> Path:
        return self.files[exercise_id].parent

    def name_of(self, exercise_id: str | None, lang: str = "en") -> str:
        if exercise_id is None or exercise_id not in self.exercises:
            return exercise_id or ""
        return self.exercises[exercise_id].text(lang).name

    def always_available(self) -> set[str]:
        return {k for k, t in self.vocabulary.equipment.items() if t.always_available}

    def figure(self, exercise_id: str, lang: str = "en") -> Figure | None:
        """The exercise's illustration, drawn at most once per library and language."""
        key = (exercise_id, lang)
        if key not in self._figures:
            figure = figure_for(self.get(exercise_id), self.folder_of(exercise_id), lang)
            if figure is not None and figure.draw is not None:
                figure = dataclasses.replace(figure, draw=cache(figure.draw))
            self._figures[key] = figure
        return self._figures[key]


@dataclass
class _Root:
    """One folder of the library and the exercise files taken from it."""

    folder: Path
    files: list[Path]
    builtin: bool = False


def exercise_files(folder: Path) -> list[Path]:
    """The exercise files of one library folder (not its vocabulary, not subfolders), sorted."""
    with os.scandir(folder) as entries:  # scandir: no extra stat per file
        return sorted(
            folder / e.name
            for e in entries
            if e.name.endswith(EXERCISE_SUFFIXES)
            and e.name != VOCABULARY_FILE
            and not e.name.startswith(".")
            and e.is_file()
        )


def load_library(extra: Sequence[Path] = (), *, builtin: bool = True) -> Library:
    """The built-in library plus `extra` folders (or single files). Raises with every problem."""
    # Poses are not solved here: it costs ~2 ms an exercise on every run, and a pose that
    # draws oddly is a picture problem, not a safety one. `exercises validate` checks them.
    library, problems = check_library(extra, builtin=builtin, poses=False)
    if problems:
        raise BackplanError(problems, title="The exercise library has problems")
    return library


def check_library(
    extra: Sequence[Path] = (), *, builtin: bool = True, poses: bool = True
) -> tuple[Library, list[Problem]]:
    """Load and check; return the library (possibly partial) and every problem found.

    `poses=False` skips solving each pose (the one slow check) for commands that only draw.
    """
    # Loading builds many small containers (positions, models) and no garbage cycles, yet
    # each of them counts towards the cyclic collector's full passes: about a quarter of the
    # time of a 2,000-file library. The collector resumes as it was, so nothing is lost.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _check_library(extra, builtin=builtin, poses=poses)
    finally:
        if enabled:
            gc.enable()


def _check_library(
    extra: Sequence[Path], *, builtin: bool, poses: bool
) -> tuple[Library, list[Problem]]:
    problems: list[Problem] = []
    roots = _roots(extra, builtin, problems)
    library = Library(folders=_unique_folders(roots))
    library.vocabulary = _vocabulary(library.folders, problems)

    broken_ids: set[str] = set()  # ids of files that failed: others may name them
    for root in roots:
        shown_folder = display_path(root.folder)
        resolved_folder = root.folder.resolve()
        cached = library_cache.open_folder(root.folder)
        for path in root.files:
            shown = os.path.join(shown_folder, path.name)
            reading, stamp = cached.get(path, shown)
            if reading is None:
                reading = _load_exercise(path, shown)
                cached.put(path, shown, stamp, reading)
            exercise, source, found = reading
            problems += found
            if exercise is None:
                raw_id = source.data.get("id") if isinstance(source.data, dict) else None
                if isinstance(raw_id, str):
                    broken_ids.add(raw_id)
                continue
            eid = exercise.id
            if eid in library.exercises:
                previous = library.files[eid]
                if previous.parent.resolve() == resolved_folder:
                    problems.append(
                        source.problem(
                            ("id",),
                            f"duplicate id `{eid}`: {library.sources[eid].path} uses it too; "
                            "give one of them another id",
                        )
                    )
                    continue
                what = (
                    f"the built-in exercise `{eid}`"
                    if eid in library.builtin
                    else f"`{eid}` from {library.sources[eid].path}"
                )
                library.notices.append(f"{shown} replaces {what}")
                library.builtin.discard(eid)
            library.exercises[eid] = exercise
            library.files[eid] = path
            library.sources[eid] = source
            if root.builtin:
                library.builtin.add(eid)
        cached.save()

    problems += _cross_check(library, broken_ids, poses=poses)
    return library, sorted(set(problems), key=_order)


def _roots(extra: Sequence[Path], builtin: bool, problems: list[Problem]) -> list[_Root]:
    """The folders to read, in order, each file at most once (a path may repeat a built-in)."""
    roots: list[_Root] = []
    if builtin:
        base = builtin_exercises_dir()
        roots.append(_Root(base, exercise_files(base), builtin=True))
    for path in extra:
        if path.is_dir():
            roots.append(_Root(path, exercise_files(path)))
        elif path.is_file():
            roots.append(_Root(path.parent, [] if path.name == VOCABULARY_FILE else [path]))
        else:
            problems.append(
                Problem(display_path(path), None, None, "no such file or folder; check the path")
            )
    seen: set[Path] = set()
    for root in roots:
        folder = root.folder.resolve()  # once per folder: resolving each file is slow
        kept = []
        for path in root.files:
            resolved = folder / path.name
            if resolved not in seen:
                seen.add(resolved)
                kept.append(path)
        root.files = kept
    return roots


def _unique_folders(roots: list[_Root]) -> list[Path]:
    folders: dict[Path, Path] = {}
    for root in roots:
        folders.setdefault(root.folder.resolve(), root.folder)
    return list(folders.values())


def _vocabulary(folders: list[Path], problems: list[Problem]) -> Vocabulary:
    """The built-in vocabulary extended by each folder's own vocabulary file, in order."""
    vocabulary = Vocabulary()
    for folder in folders:
        vocab_file = folder / VOCABULARY_FILE
        if not vocab_file.is_file():
            continue
        try:
            source = load_yaml(vocab_file, what="vocabulary file")
        except BackplanError as exc:
            problems += exc.problems
            continue
        vocab, found = validate(Vocabulary, source)
        problems += found
        if vocab is not None:
            vocabulary = vocabulary.merged(vocab)
    return vocabulary


def _order(p: Problem) -> tuple[str, int, int, str]:
    return (p.path, p.line or 0, p.column or 0, p.message)


def _load_exercise(path: Path, shown: str) -> tuple[Exercise | None, Source, list[Problem]]:
    try:
        source = load_yaml(path, what="exercise file", shown=shown)
    except BackplanError as exc:
        return None, Source(shown, None), exc.problems
    exercise, problems = validate(Exercise, source)
    if exercise is None and isinstance(source.data, dict):
        problems = list(dict.fromkeys(problems + _kind_problems(source)))
    return exercise, source, problems


def _kind_problems(source: Source) -> list[Problem]:
    """The kind's required fields, which the model checks only once every field is valid."""
    data: dict[str, Any] = source.data
    kind = data.get("kind")
    misspelt = misspelt_fields(data, Exercise)  # `steeps:` is reported as a typo already
    return [
        missing_for_kind_problem(source, (), name, str(kind))
        for name in missing_for_kind(kind, data)
        if name not in misspelt
    ]


def _cross_check(library: Library, broken_ids: set[str], *, poses: bool = True) -> list[Problem]:
    """Checks that need the whole library: ids that point elsewhere, images, cycles."""
    problems: list[Problem] = []
    for eid, exercise in library.exercises.items():
        source = library.sources[eid]
        problems += _replaces_problems(exercise, source, library, broken_ids)
        problems += _step_problems(exercise, source, library, broken_ids)
        problems += _term_problems(exercise, source, library.vocabulary)
        if exercise.image is not None:
            problems += _check_image(exercise.image, library.files[eid].parent, source)
        if poses and exercise.pose is not None:
            problems += [
                source.problem(("pose", *loc), msg) for loc, msg in _pose_problems(exercise.pose)
            ]
    problems += _progression_cycles(library)
    return problems


def _unknown(target: str, library: Library, broken_ids: set[str]) -> str | None:
    """Why `target` can't be used, or None if it is fine or broken elsewhere."""
    if target in library.exercises:
        return None
    if target in broken_ids:
        return None  # its own file's problems are reported; don't pile on
    return (
        f"which is not in the library{suggest(target, library.exercises)} "
        "(`backplan exercises list` shows the ids)"
    )


def _replaces_problems(
    exercise: Exercise, source: Source, library: Library, broken_ids: set[str]
) -> list[Problem]:
    """`replaces` names an original in the library, and only a modified exercise has it."""
    if exercise.replaces is None:
        return []
    problems: list[Problem] = []
    target = library.exercises.get(exercise.replaces)
    why = _unknown(exercise.replaces, library, broken_ids)
    if why:
        problems.append(
            source.problem(("replaces",), f"`replaces` names `{exercise.replaces}`, {why}")
        )
    elif target is not None and target.kind != "original":
        problems.append(
            source.problem(
                ("replaces",),
                f"`replaces` names `{exercise.replaces}`, a `{target.kind}` exercise; "
                "it must name an `original` (the usual version this one makes back-safe)",
            )
        )
    if exercise.kind != "modified":
        problems.append(
            source.problem(
                ("replaces",),
                "only a `modified` exercise replaces an original; "
                "remove `replaces` or set `kind: modified`",
                key=True,
            )
        )
    return problems


def _step_problems(
    exercise: Exercise, source: Source, library: Library, broken_ids: set[str]
) -> list[Problem]:
    """The progression and regression name back-safe exercises in the library."""
    ex = library.exercises
    steps: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
        (
            "progression",
            ("progression", "to"),
            exercise.progression.to if exercise.progression else None,
        ),
        ("regression", ("regression",), exercise.regression),
    )
    problems: list[Problem] = []
    for key, loc, target_id in steps:
        if target_id is None:
            continue
        why = _unknown(target_id, library, broken_ids)
        if why:
            problems.append(source.problem(loc, f"`{key}` names `{target_id}`, {why}"))
        elif target_id in ex and ex[target_id].kind == "original":
            problems.append(
                source.problem(
                    loc,
                    f"`{key}` names `{target_id}`, an `original`; point it at a "
                    "back-safe (`modified`, `standalone` or `warmup`) exercise",
                )
            )
    return problems


def _term_problems(exercise: Exercise, source: Source, vocab: Vocabulary) -> list[Problem]:
    """Every equipment item and condition is one the vocabulary defines."""
    problems: list[Problem] = []
    for i, entry in enumerate(exercise.equipment):
        options = [entry] if isinstance(entry, str) else entry
        for j, item in enumerate(options):
            if item not in vocab.equipment:
                where: tuple[str | int, ...] = (
                    ("equipment", i) if isinstance(entry, str) else ("equipment", i, j)
                )
                problems.append(
                    source.problem(
                        where,
                        f"unknown equipment `{item}`{suggest(item, vocab.equipment)} "
                        f"(a new one goes in the folder's {VOCABULARY_FILE})",
                    )
                )
    for i, cond in enumerate(exercise.avoid_if):
        if cond not in vocab.conditions:
            problems.append(
                source.problem(
                    ("avoid_if", i),
                    f"unknown condition `{cond}`{suggest(cond, vocab.conditions)} "
                    f"(a new one goes in the folder's {VOCABULARY_FILE})",
                )
            )
    return problems


# Solving a pose is the slow check (a few ms each), and a process that checks a library
# more than once (`doctor`, a test run) meets the same poses again: remember the answers by
# the pose's full content, which is all `check_pose` reads.
_POSE_PROBLEMS: dict[str, list[tuple[Loc, str]]] = {}
_POSES_REMEMBERED = 4096


def _pose_problems(pose: Pose) -> list[tuple[Loc, str]]:
    """check_pose, remembered by the pose's content."""
    key = pose.model_dump_json()
    found = _POSE_PROBLEMS.get(key)
    if found is None:
        if len(_POSE_PROBLEMS) >= _POSES_REMEMBERED:
            _POSE_PROBLEMS.clear()
        found = _POSE_PROBLEMS[key] = check_pose(pose)
    return list(found)


def _check_image(image: str, folder: Path, source: Source) -> list[Problem]:
    unusable = path_problem(image)
    if unusable is not None:  # a NUL or a 300-character name would make the OS raise
        return [source.problem(("image",), f"`image`: {unusable}")]
    if "://" in image or image.startswith(("/", "\\")) or ":" in image.split("/")[0]:
        return [
            source.problem(
                ("image",),
                "`image` must be a file path inside the library folder, "
                "like images/my-exercise.svg",
            )
        ]
    path = (folder / image).resolve()
    if not path.is_relative_to(folder.resolve()):
        return [
            source.problem(
                ("image",),
                f"`image` {image!r} points outside the library folder; "
                "copy the picture into the folder and give its path from there",
            )
        ]
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return [
            source.problem(
                ("image",),
                f"`image` {image!r} is not a picture backplan can print; "
                f"use one of: {', '.join(IMAGE_SUFFIXES)}",
            )
        ]
    if not path.is_file():
        return [
            source.problem(
                ("image",),
                f"`image` {image!r} does not exist in {display_path(folder)}; "
                "check the file name (paths are relative to the exercise file's folder)",
            )
        ]
    return []


def _progression_cycles(library: Library) -> list[Problem]:
    """A chain of progressions must end; a loop would send a patient round forever."""
    problems = []
    done: set[str] = set()
    for start in sorted(library.exercises):
        chain = [start]
        current = library.exercises[start]
        while current.progression is not None and current.progression.to in library.exercises:
            nxt = current.progression.to
            if nxt in done:
                break
            if nxt in chain:
                cycle = chain[chain.index(nxt) :]
                first = min(cycle)
                at = cycle.index(first)
                cycle = cycle[at:] + cycle[:at]
                loop = " -> ".join([*cycle, first])
                problems.append(
                    library.sources[first].problem(
                        ("progression", "to"),
                        f"progressions go round in a circle: {loop}; "
                        "the last step of a chain has no `progression`",
                    )
                )
                break
            chain.append(nxt)
            current = library.exercises[nxt]
        done.update(chain)
    return problems


# What the body rests on in a pose base, and the condition that makes it hurt: when one exercise
# on that base avoids the condition, every exercise on it should (issue 15: a knee-pain plan that
# left out the kneeling plank still warmed up with Cat-Cow on hands and knees).
SHARED_LOADS: tuple[tuple[str, frozenset[str], str], ...] = (
    ("knee_pain", frozenset({"all_fours", "kneeling_plank", "half_kneeling"}), "kneels"),
    ("wrist_pain", frozenset({"all_fours"}), "puts weight on the hands"),
    ("pregnancy", frozenset({"supine"}), "lies on the back"),
    ("pregnancy", frozenset({"prone", "prone_on_elbows"}), "lies on the stomach"),
)


def care_problems(library: Library) -> tuple[list[Problem], list[Problem]]:
    """Conditions that make no sense together across the library: (problems, warnings).

    Problems: an exercise that rests on the body the way another does (both kneel) but does not
    avoid the condition the other avoids for that reason. Warnings: a chain whose next step does
    not suit a condition the exercise itself suits, with no later step that does (the plan then
    says "ask your chiropractor").
    """
    problems: list[Problem] = []
    given = [e for e in library.exercises.values() if e.kind != "original"]
    for condition, bases, does in SHARED_LOADS:
        if condition not in library.vocabulary.conditions:
            continue
        on_base = [(e, e.pose.base) for e in given if e.pose is not None and e.pose.base in bases]
        avoiding = sorted(e.id for e, _base in on_base if condition in e.avoid_if)
        if not avoiding:
            continue
        for e, base in on_base:
            if condition not in e.avoid_if:
                others = ", ".join(avoiding[:3])
                problems.append(
                    library.sources[e.id].problem(
                        ("avoid_if",) if e.avoid_if else ("id",),
                        f"`{e.id}` {does} (pose base {base}) like {others}, which "
                        f"avoid `{condition}`; add {condition} to its avoid_if, or give the "
                        "others' reason a different pose",
                        key=not e.avoid_if,
                    )
                )
    return sorted(problems, key=_order), sorted(
        _chain_warnings(library) + _position_warnings(library), key=_order
    )


def _position_warnings(library: Library) -> list[Problem]:
    """An exercise whose position nobody can tell is left out for anyone who finds the floor
    hard: say so, so the clinic can add `position:`."""
    return [
        library.sources[e.id].problem(
            ("id",),
            f"warning: `{e.id}` has no `position` (and no `pose` to take it from); "
            "it is left out for anyone who finds getting down to the floor hard. "
            "Add `position: standing`, `chair` or `floor`",
            key=True,
        )
        for e in library.exercises.values()
        if e.position is None and e.kind != "original"
    ]


def _chain_warnings(library: Library) -> list[Problem]:
    ex = library.exercises
    conditions = sorted(library.vocabulary.conditions)
    warnings: list[Problem] = []
    for eid in sorted(ex):
        exercise = ex[eid]
        if exercise.kind == "original":
            continue
        for key, harder in (("progression", True), ("regression", False)):
            first = _step_of(exercise, harder)
            if first is None or first not in ex:
                continue
            chain = _chain_from(ex, first, harder)
            stranded = [
                c
                for c in conditions
                if not exercise.ruled_out_by([c])
                and ex[first].ruled_out_by([c])
                and all(ex[step].ruled_out_by([c]) for step in chain[1:])
            ]
            if not stranded:
                continue
            ending = "before they progress" if harder else "for an easier exercise"
            warnings.append(
                library.sources[eid].problem(
                    ("progression", "to") if harder else ("regression",),
                    f"warning: `{key}` names `{first}`, which does not suit "
                    f"{', '.join(stranded)} while `{eid}` does, and no later step does: "
                    f"for those, the plan says to ask the chiropractor {ending}",
                )
            )
    return sorted(warnings, key=_order)


def _step_of(exercise: Exercise, harder: bool) -> str | None:
    if harder:
        return exercise.progression.to if exercise.progression else None
    return exercise.regression


def _chain_from(ex: dict[str, Exercise], start: str, harder: bool) -> list[str]:
    """`start` and the steps after it (harder or easier), stopping at a loop or an unknown id."""
    chain = [start]
    nxt = _step_of(ex[start], harder)
    while nxt is not None and nxt in ex and nxt not in chain:
        chain.append(nxt)
        nxt = _step_of(ex[nxt], harder)
    return chain


def translation_gaps(
    library: Library, lang: str, ids: Iterable[str] | None = None
) -> list[Problem]:
    """Warnings for exercise words with no `lang` translation (the handout falls back to English)."""
    language = LANGUAGE_NAMES.get(lang, lang)
    warnings: list[Problem] = []
    for eid in sorted(library.exercises if ids is None else ids):
        exercise = library.exercises[eid]
        source = library.sources[eid]
        tr = exercise.translations.get(lang)  # type: ignore[call-overload]
        tr_loc = ("translations", lang)
        if tr is None:
            warnings.append(
                source.problem(
                    (),
                    f"warning: no {language} text; add a `translations: {lang}:` block "
                    f"(the {language} handout shows this exercise in English)",
                )
            )
            continue
        fields: list[tuple[str, Any, Any]] = [
            ("name", exercise.name, tr.name),
            ("purpose", exercise.purpose, tr.purpose),
            ("why", exercise.why, tr.why),
            ("problem", exercise.problem, tr.problem),
            ("steps", exercise.steps, tr.steps),
            ("cues", exercise.cues, tr.cues),
            ("mistakes", exercise.mistakes, tr.mistakes),
        ]
        if exercise.progression is not None:
            fields.append(("progression", exercise.progression, tr.progression))
        for name, english, translated in fields:
            if not english:
                continue
            if translated is None:
                where = "progression: when" if name == "progression" else name
                warnings.append(
                    source.problem(
                        tr_loc,
                        f"warning: `{where}` has no {language} text; add it under "
                        f"`translations: {lang}:`",
                        key=True,
                    )
                )
            elif isinstance(english, list) and len(english) != len(translated):
                warnings.append(
                    source.problem(
                        (*tr_loc, name),
                        f"warning: `translations.{lang}.{name}` has {len(translated)} items "
                        f"but `{name}` has {len(english)}; translate each one",
                        key=True,
                    )
                )
    return sorted(warnings, key=_order)


def filter_exercises(
    library: Library,
    *,
    pattern: str | None = None,
    kind: str | None = None,
    equipment: Iterable[str] = (),
    position: str | None = None,
    level: str | None = None,
) -> list[Exercise]:
    """The exercises matching every filter given; `equipment` keeps those that use all of it."""
    wanted = set(equipment)
    out = []
    for exercise in library.exercises.values():
        if pattern and exercise.pattern != pattern:
            continue
        if kind and exercise.kind != kind:
            continue
        if wanted and not wanted <= exercise.equipment_ids():
            continue
        if position and exercise.position != position:
            continue
        if level and (exercise.kind == "original" or exercise.level != level):
            continue  # an original has no level of its own: it is never given
        out.append(exercise)
    return sorted(out, key=lambda e: (e.pattern, e.kind, e.id))


def _folded(text: str) -> str:
    """Lowercase, accents off, hyphens and punctuation as spaces: 'Gato-Vaca' -> 'gato vaca'."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def search_exercises(library: Library, words: str) -> list[Exercise]:
    """The exercises whose id, name or aliases, in any language, contain every word given."""
    wanted = _folded(words).split()
    found = []
    for exercise in library.exercises.values():
        names = [exercise.id, exercise.name, *exercise.aliases]
        for tr in exercise.translations.values():
            names += [tr.name or "", *(tr.aliases or [])]
        haystack = " | ".join(_folded(n) for n in names)
        if wanted and all(w in haystack for w in wanted):
            found.append(exercise)
    return sorted(found, key=lambda e: (e.pattern, e.kind, e.id))
