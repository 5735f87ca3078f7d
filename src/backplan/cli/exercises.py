"""`backplan exercises ...`: list, show, validate and describe the exercise library."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backplan.cli import preview
from backplan.cli.errors import handle_errors
from backplan.cli.options import LibraryOption, check_lang
from backplan.errors import EXIT_PROBLEMS, BackplanError, Problem, display_path
from backplan.i18n import words

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

    from backplan.library.catalogue import Library
    from backplan.library.model import Exercise

app = typer.Typer(
    help="Browse and check the exercise library (the built-in one, plus any --library folder).",
    no_args_is_help=True,
)

ShowLang = Annotated[
    str, typer.Option("--lang", help="Language of the exercise text: en or es.", metavar="LANG")
]


@app.command("list")
@handle_errors
def list_command(
    pattern: Annotated[
        str | None,
        typer.Option(
            help="Only this movement: hinge, squat, lunge, core, hip, mobility, stretch or walking.",
            metavar="PATTERN",
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="Only this kind: original, modified, standalone or warmup.", metavar="KIND"
        ),
    ] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            help="Only exercises that use this equipment id, like towel (repeatable: all of them).",
            metavar="ID",
        ),
    ] = None,
    position: Annotated[
        str | None,
        typer.Option(
            help="Only this position: standing, chair or floor (lying, kneeling, a plank).",
            metavar="POSITION",
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(help="Only this level: beginner, intermediate or advanced.", metavar="LEVEL"),
    ] = None,
    library: LibraryOption = None,
) -> None:
    """List the exercises as a table: id, name, kind, pattern, position, level, equipment.

    Example: backplan exercises list --pattern core --position standing
    """
    from backplan.library.catalogue import filter_exercises

    lib = _load(library or [])
    _check_choice("--pattern", pattern, _literal_values("Pattern"))
    _check_choice("--kind", kind, _literal_values("Kind"))
    _check_choice("--position", position, _literal_values("Position"))
    _check_choice("--level", level, _literal_values("Level"))
    for item in equipment or []:
        _check_choice("--equipment", item, list(lib.vocabulary.equipment))
    found = filter_exercises(
        lib,
        pattern=pattern,
        kind=kind,
        equipment=equipment or [],
        position=position,
        level=level,
    )
    _print_table(found, lib, "No exercise matches those filters.")


@app.command("search")
@handle_errors
def search_command(
    words: Annotated[
        list[str],
        typer.Argument(metavar="WORD", help="Words of the name, id or another name (any case)."),
    ],
    library: LibraryOption = None,
) -> None:
    """Find exercises by name, id or another name they are known by, in English or Spanish.

    Capitals and accents do not matter, and every word must match: `backplan exercises search
    gato vaca` finds Cat-Cow.

    Example: backplan exercises search plank
    """
    from backplan.library.catalogue import search_exercises

    lib = _load(library or [])
    found = search_exercises(lib, " ".join(words))
    _print_table(found, lib, f"No exercise matches {' '.join(words)!r}.")


def _print_table(found: list[Exercise], lib: Library, nothing: str) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from backplan.cli.console import out_console
    from backplan.render.terminal import trimmed

    console = out_console()
    if not found:
        console.print(nothing, markup=False)
        return
    table = Table(
        title=f"{len(found)} of {len(lib.exercises)} exercises",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    # Ids are copied into commands and files, so they never wrap: the name goes under the id,
    # the position under the pattern and the level under the kind, so 80 columns leave the
    # equipment room for its longest id; it wraps between ids, never inside one.
    widest_id = max(len(e.id) for e in found)
    table.add_column("id and name", width=widest_id)
    for column in ("kind\nlevel", "pattern\nposition"):
        table.add_column(column, no_wrap=True)
    widest_equipment = max((len(i) for e in found for i in _equipment_of(e)), default=0)
    room = console.width - widest_id - len("intermediate") - len("position") - 3 * 2
    # Narrower than its longest id, the column would vanish: then an id folds, as a last resort.
    table.add_column(
        "equipment",
        min_width=max(10, min(widest_equipment, room)),
        ratio=1,
        overflow="fold" if room < widest_equipment else "ellipsis",
    )
    for exercise in found:
        name = Text(exercise.id, style="bold")
        name.append("\n" + exercise.name, style="")
        level = exercise.level if exercise.kind != "original" else ""
        table.add_row(
            name,
            f"{exercise.kind}\n{level}".rstrip(),
            f"{exercise.pattern}\n{exercise.position or ''}".rstrip(),
            _equipment_ids(exercise),
        )
    with trimmed(console):  # no padding spaces when piped
        console.print(table)


@app.command("show")
@handle_errors
def show_command(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
    library: LibraryOption = None,
    lang: ShowLang = "en",
) -> None:
    """Show everything about one exercise (any kind, originals included).

    Example: backplan exercises show cable-pull-through --lang es
    """
    from backplan.cli.console import out_console
    from backplan.render.terminal import trimmed

    lang = check_lang(lang) or "en"
    lib = _load(library or [])
    exercise = lib.get(exercise_id)
    console = out_console()
    with trimmed(console):  # no padding spaces when piped
        console.print(_card(exercise, lib, lang))


@app.command("validate")
@handle_errors
def validate_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Exercise files or library folders to check on top of the built-in library.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Also list exercises with no text in this language (es), as warnings.",
            metavar="LANG",
        ),
    ] = None,
) -> None:
    """Check exercise files and report every problem as path:line:column: message.

    With no PATH, checks the built-in library. A folder is checked the way --library would use it (with its own vocabulary.yaml), on top of the built-in library.

    Exit code 0: no problems; 1: problems found; 2: a PATH does not exist.

    Example: backplan exercises validate my-clinic-exercises/
    """
    from backplan.cli.console import out_console

    paths = paths or []
    _check_validate_args(paths, lang)
    library, problems, warnings = _checked(paths, lang)
    console = out_console()
    for problem in problems:
        console.print(str(problem), markup=False, soft_wrap=True)
    for warning in warnings:
        console.print(str(warning), markup=False, soft_wrap=True)
    console.print(_summary(library, problems, warnings), markup=False, soft_wrap=True)
    if problems:
        raise typer.Exit(EXIT_PROBLEMS)


def _check_validate_args(paths: list[Path], lang: str | None) -> None:
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise BackplanError(
            [Problem(display_path(p), None, None, "no such file or folder") for p in missing],
            title="Nothing to check",
        )
    if lang is not None and lang not in ("es",):
        raise BackplanError(
            f"--lang can only be es (the exercises are written in English), not {lang!r}"
        )


def _checked(paths: list[Path], lang: str | None) -> tuple[Library, list[Problem], list[Problem]]:
    """The library with `paths`, its problems, and the warnings about the files given."""
    from backplan.cli.console import err_console
    from backplan.library.catalogue import care_problems, check_library, translation_gaps
    from backplan.planning.protocols import check_protocols

    library, problems = check_library(paths)
    # A clinic's protocols name exercise ids: check them now, not when a patient needs one.
    problems += check_protocols(paths, library)
    # Conditions that make no sense together across the library (issue 15): a clinic's own
    # library gets the same care as the built-in one.
    care, chain_warnings = care_problems(library)
    problems += care
    for notice in library.notices:
        err_console().print(notice, markup=False, soft_wrap=True)
    # Warnings are about the files given (all of them with no PATH), errors about everything.
    mine = _ids_under(library, paths) if paths else None
    warnings = [w for w in chain_warnings if mine is None or _warned_id(w, library) in mine]
    if lang is not None:
        warnings += translation_gaps(library, lang, mine)
    return library, problems, warnings


def _summary(library: Library, problems: list[Problem], warnings: list[Problem]) -> str:
    """ "3 problems in 2 files; 1 warning.": in English, as the messages above it are."""
    ngettext = words("en").ngettext
    files = len({p.path for p in problems})
    summary = (
        ngettext("{n} problem", "{n} problems", len(problems)).format(n=len(problems))
        + " "
        + ngettext("in {n} file", "in {n} files", files).format(n=files)
        if problems
        else ngettext(
            "{n} exercise, no problems", "{n} exercises, no problems", len(library.exercises)
        ).format(n=len(library.exercises))
    )
    if warnings:
        summary += ngettext("; {n} warning", "; {n} warnings", len(warnings)).format(
            n=len(warnings)
        )
    return summary + "."


@app.command("schema")
@handle_errors
def schema_command() -> None:
    """Print the JSON Schema of an exercise file, for editors that check YAML as you type.

    Example: backplan exercises schema > exercise.schema.json
    """
    from backplan.library.schema import schema_text

    typer.echo(schema_text(), nl=False)


def _warned_id(warning: Problem, library: Library) -> str | None:
    """The id of the exercise a warning is about (its file's), or None."""
    return next((eid for eid, src in library.sources.items() if src.path == warning.path), None)


def _load(paths: list[Path]) -> Library:
    from backplan.cli.console import err_console
    from backplan.library.catalogue import load_library

    library = load_library(paths)
    for notice in library.notices:
        err_console().print(notice, markup=False, soft_wrap=True)
    return library


def _literal_values(name: str) -> list[str]:
    import typing

    from backplan.library import model as exercise

    return list(typing.get_args(getattr(exercise, name)))


def _check_choice(option: str, value: str | None, choices: list[str]) -> None:
    from backplan.files.problems import suggest

    if value is not None and value not in choices:
        raise BackplanError(
            f"{option} {value!r} is not known{suggest(value, choices)} "
            f"(use one of: {', '.join(choices)})"
        )


def _ids_under(library: Library, paths: list[Path]) -> list[str]:
    """The ids whose files come from `paths` (a file, or a folder's own files)."""
    wanted = {p.resolve() for p in paths}
    return [
        eid
        for eid, file in library.files.items()
        if file.resolve() in wanted or file.parent.resolve() in wanted
    ]


def _equipment_ids(exercise: Exercise) -> str:
    return ", ".join(
        entry if isinstance(entry, str) else " or ".join(entry) for entry in exercise.equipment
    )


def _equipment_of(exercise: Exercise) -> list[str]:
    return [
        i for entry in exercise.equipment for i in ([entry] if isinstance(entry, str) else entry)
    ]


def _card(exercise: Exercise, library: Library, lang: str) -> RenderableType:
    """One exercise laid out like a plan entry, plus what only the library knows."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    text = exercise.text(lang)
    title = Text(text.name, style="bold")
    title.append(f"  ({exercise.id})", style="dim")
    card = _Card(exercise, library, lang)
    body = [*card.about(), *card.needs(), *card.how(), *card.beyond()]
    return Group(title, Padding(Group(*body), (0, 0, 0, 2), expand=False))


class _Card:
    """The parts of an exercise's card, in the reader's language."""

    def __init__(self, exercise: Exercise, library: Library, lang: str):
        self.exercise, self.library, self.lang = exercise, library, lang
        self.text = exercise.text(lang)
        self._ = words(lang).gettext

    def named(self, eid: str) -> str:
        return f"{self.library.name_of(eid, self.lang)} ({eid})"

    def label(self, kind: str, ident: str) -> str:
        terms = self.library.vocabulary
        table = terms.equipment if kind == "equipment" else terms.conditions
        return table[ident].text(self.lang).label if ident in table else ident

    def about(self) -> list[RenderableType]:
        """What it is: its facts, purpose, what it replaces and why."""
        from rich.text import Text

        from backplan.planning.selection import kind_word, pattern_word, position_word

        exercise, text, _ = self.exercise, self.text, self._
        facts = [kind_word(exercise.kind, self.lang), pattern_word(exercise.pattern, self.lang)]
        if exercise.position is not None:
            facts.append(position_word(exercise.position, self.lang))
        if exercise.kind != "original":
            facts.append(_(exercise.level))
        body: list[RenderableType] = [Text(" · ".join(facts), style="dim")]
        if text.purpose:
            body.append(Text(text.purpose))
        if exercise.replaces:
            body.append(_labelled(_("Instead of"), self.named(exercise.replaces)))
        if text.why:
            body.append(_labelled(_("Why"), text.why))
        if text.problem:
            body.append(_labelled(_("The problem"), text.problem))
        if exercise.kind == "original":
            ids = self.library.exercises.values()
            safer = sorted(e.id for e in ids if e.replaces == exercise.id)
            if safer:
                names = ", ".join(self.named(i) for i in safer)
                body.append(_labelled(_("Back-safe versions"), names))
        return body

    def needs(self) -> list[RenderableType]:
        """What it takes: equipment, dose, and whom it does not suit."""
        from backplan.planning.items import dose_of
        from backplan.render.wording import Wording

        exercise, _ = self.exercise, self._
        body: list[RenderableType] = []
        if exercise.equipment:
            needs = []
            for entry in exercise.equipment:
                if isinstance(entry, str):
                    needs.append(self.label("equipment", entry))
                else:
                    options = ", ".join(self.label("equipment", e) for e in entry)
                    needs.append(_("one of: {options}").format(options=options))
            body.append(_labelled(_("Equipment"), "; ".join(needs)))
        if exercise.dose is not None:
            body.append(_labelled(_("Dose"), Wording.of(self.lang).dose_text(dose_of(exercise))))
        if exercise.avoid_if:
            conditions = ", ".join(self.label("condition", c) for c in exercise.avoid_if)
            body.append(_labelled(_("Not for people with"), conditions))
        return body

    def how(self) -> list[RenderableType]:
        """How to do it: steps, tips and common mistakes."""
        from rich.padding import Padding
        from rich.text import Text

        text, _ = self.text, self._
        body: list[RenderableType] = []
        for heading, items, marker in (
            (_("Steps"), text.steps, None),
            (_("Tips"), text.cues, "-"),
            (_("Common mistakes"), text.mistakes, "-"),
        ):
            if items:
                body.append(Text(heading + ":", style="bold"))
                body.append(Padding(_numbered(list(items), marker), (0, 0, 0, 2), expand=False))
        return body

    def beyond(self) -> list[RenderableType]:
        """Where to go next: the progression and regression, the video, the source, the file."""
        from rich.text import Text

        exercise, _ = self.exercise, self._
        body: list[RenderableType] = []
        if self.text.progression is not None:
            step = self.text.progression
            next_one = _("move on to {name}.").format(name=self.named(step.to))
            body.append(_labelled(_("When it gets easy"), f"{next_one} {step.when}"))
        if exercise.regression:
            body.append(_labelled(_("If it is too hard"), self.named(exercise.regression)))
        if exercise.video:
            body.append(_labelled(_("Video"), exercise.video))
        body.append(_labelled(_("Source"), exercise.source))
        if exercise.id in self.library.files:
            body.append(Text(display_path(self.library.files[exercise.id]), style="dim"))
        return body


def _labelled(label: str, value: str) -> Text:
    from rich.text import Text

    line = Text(label + ": ", style="bold")
    line.append(value)
    return line


def _numbered(items: list[str], marker: str | None = None) -> Table:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for i, item in enumerate(items, 1):
        grid.add_row(marker or f"{i}.", Text(item))
    return grid


preview.register(app)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="exercises")
