"""A library is folders of exercise files: the built-in one, then each clinic folder on top.

`load_library` reads and checks everything and reports every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from backplan.errors import BackplanError, Problem, display_path
from backplan.exercise import Exercise, Vocabulary
from backplan.resources import builtin_exercises_dir
from backplan.validation import suggest, validate
from backplan.yamlsource import Source, load_yaml

VOCABULARY_FILE = "vocabulary.yaml"
EXERCISE_SUFFIXES = (".yaml", ".yml")


@dataclass
class Library:
    exercises: dict[str, Exercise] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    files: dict[str, Path] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)

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


def exercise_files(folder: Path) -> list[Path]:
    """The exercise files of one library folder (not its vocabulary, not subfolders), sorted."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in EXERCISE_SUFFIXES
        and p.name != VOCABULARY_FILE
        and not p.name.startswith(".")
        and p.is_file()
    )


def load_library(extra: Sequence[Path] = (), *, builtin: bool = True) -> Library:
    """The built-in library plus `extra` folders (or single files). Raises with every problem."""
    library, problems = check_library(extra, builtin=builtin)
    if problems:
        raise BackplanError(problems, title="The exercise library has problems")
    return library


def check_library(
    extra: Sequence[Path] = (), *, builtin: bool = True
) -> tuple[Library, list[Problem]]:
    """Load and check; return the library (possibly partial) and every problem found."""
    problems: list[Problem] = []
    library = Library()
    roots: list[tuple[Path, list[Path]]] = []
    if builtin:
        base = builtin_exercises_dir()
        roots.append((base, exercise_files(base)))
    for path in extra:
        if path.is_dir():
            roots.append((path, exercise_files(path)))
        elif path.is_file():
            roots.append((path.parent, [path]))
        else:
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    None,
                    "no such file or folder (check the path given to --library)",
                )
            )

    vocabulary = Vocabulary()
    for folder, _ in roots:
        vocab_file = folder / VOCABULARY_FILE
        if vocab_file.is_file():
            try:
                source = load_yaml(vocab_file, what="vocabulary file")
            except BackplanError as exc:
                problems += exc.problems
                continue
            vocab, found = validate(Vocabulary, source)
            problems += found
            if vocab is not None:
                vocabulary = vocabulary.merged(vocab)
        library.folders.append(folder)
    library.vocabulary = vocabulary

    for index, (folder, paths) in enumerate(roots):
        seen_here: dict[str, Path] = {}
        for path in paths:
            exercise, source, found = _load_exercise(path)
            problems += found
            if exercise is None:
                continue
            if exercise.id in seen_here:
                first = display_path(seen_here[exercise.id])
                problems.append(
                    source.problem(
                        ("id",),
                        f"duplicate id `{exercise.id}`: {first} uses it too; "
                        "give one of them another id",
                    )
                )
                continue
            seen_here[exercise.id] = path
            if exercise.id in library.exercises:
                previous = library.files[exercise.id]
                if index == 0 or previous.parent == folder:
                    problems.append(
                        source.problem(
                            ("id",),
                            f"duplicate id `{exercise.id}`: {display_path(previous)} uses it too",
                        )
                    )
                    continue
                library.notices.append(
                    f"{display_path(path)} replaces the built-in exercise `{exercise.id}`"
                )
            library.exercises[exercise.id] = exercise
            library.files[exercise.id] = path
            library.sources[exercise.id] = source

    problems += _cross_check(library)
    return library, sorted(set(problems), key=_order)


def _order(p: Problem) -> tuple[str, int, int, str]:
    return (p.path, p.line or 0, p.column or 0, p.message)


def _load_exercise(path: Path) -> tuple[Exercise | None, Source, list[Problem]]:
    try:
        source = load_yaml(path, what="exercise file")
    except BackplanError as exc:
        return None, Source(display_path(path), None), exc.problems
    exercise, problems = validate(Exercise, source)
    return exercise, source, problems


def _cross_check(library: Library) -> list[Problem]:
    """Checks that need the whole library: ids that point elsewhere, images, cycles."""
    problems: list[Problem] = []
    ex = library.exercises
    vocab = library.vocabulary
    for eid, exercise in ex.items():
        source = library.sources[eid]
        if exercise.replaces is not None:
            target = ex.get(exercise.replaces)
            if target is None:
                problems.append(
                    source.problem(
                        ("replaces",),
                        f"`replaces` names `{exercise.replaces}`, "
                        f"which is not in the library{suggest(exercise.replaces, ex)}",
                    )
                )
            elif target.kind != "original":
                problems.append(
                    source.problem(
                        ("replaces",),
                        f"`replaces` names `{exercise.replaces}`, "
                        f"which is a `{target.kind}` exercise; it must name an `original`",
                    )
                )
            if exercise.kind != "modified":
                problems.append(
                    source.problem(
                        ("replaces",),
                        "only a `modified` exercise replaces an original; "
                        "remove `replaces` or set `kind: modified`",
                    )
                )
        for key, target_id in (
            ("progression", exercise.progression and exercise.progression.to),
            ("regression", exercise.regression),
        ):
            if target_id is None:
                continue
            loc = ("progression", "to") if key == "progression" else ("regression",)
            if target_id not in ex:
                problems.append(
                    source.problem(
                        loc,
                        f"`{key}` names `{target_id}`, which is not in the "
                        f"library{suggest(target_id, ex)}",
                    )
                )
            elif ex[target_id].kind == "original":
                problems.append(
                    source.problem(
                        loc,
                        f"`{key}` names `{target_id}`, an `original`; point it "
                        "at a back-safe exercise",
                    )
                )
            elif target_id == eid:
                problems.append(source.problem(loc, f"`{key}` names the exercise itself"))
        for i, entry in enumerate(exercise.equipment):
            options = [entry] if isinstance(entry, str) else entry
            for j, item in enumerate(options):
                if item not in vocab.equipment:
                    loc = ("equipment", i) if isinstance(entry, str) else ("equipment", i, j)
                    problems.append(
                        source.problem(
                            loc,
                            f"unknown equipment `{item}`{suggest(item, vocab.equipment)} "
                            "(add it to vocabulary.yaml if it is new)",
                        )
                    )
        for i, cond in enumerate(exercise.avoid_if):
            if cond not in vocab.conditions:
                problems.append(
                    source.problem(
                        ("avoid_if", i),
                        f"unknown condition `{cond}`"
                        f"{suggest(cond, vocab.conditions)} (add it to vocabulary.yaml "
                        "if it is new)",
                    )
                )
        if exercise.image is not None:
            problems += _check_image(exercise.image, library.files[eid].parent, source)
    problems += _progression_cycles(library)
    return problems


def _check_image(image: str, folder: Path, source: Source) -> list[Problem]:
    if "://" in image or image.startswith("/") or ":" in image.split("/")[0]:
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
                f"`image` {image!r} points outside the library folder; copy the picture into it",
            )
        ]
    if not path.is_file():
        return [
            source.problem(
                ("image",), f"`image` {image!r} does not exist in {display_path(folder)}"
            )
        ]
    return []


def _progression_cycles(library: Library) -> list[Problem]:
    problems = []
    reported: set[str] = set()
    for start in sorted(library.exercises):
        chain = [start]
        current = library.exercises[start]
        while current.progression is not None and current.progression.to in library.exercises:
            nxt = current.progression.to
            if nxt in chain:
                cycle = chain[chain.index(nxt) :]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    loop = " -> ".join([*cycle, nxt])
                    first = min(cycle)
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
    return problems


def filter_exercises(
    library: Library,
    *,
    pattern: str | None = None,
    kind: str | None = None,
    equipment: Iterable[str] = (),
) -> list[Exercise]:
    wanted = set(equipment)
    out = []
    for exercise in library.exercises.values():
        if pattern and exercise.pattern != pattern:
            continue
        if kind and exercise.kind != kind:
            continue
        if wanted and not wanted <= exercise.equipment_ids():
            continue
        out.append(exercise)
    return sorted(out, key=lambda e: (e.pattern, e.kind, e.id))
