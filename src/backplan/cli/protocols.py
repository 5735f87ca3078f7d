"""`backplan protocols ...`: browse the saved protocols a clinic starts a plan from."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.options import LibraryOption, check_lang
from backplan.errors import BackplanError, display_path
from backplan.i18n import words

if TYPE_CHECKING:
    from backplan.library.catalogue import Library
    from backplan.planning.protocols import Protocol

app = typer.Typer(
    help="Browse the saved protocols (the built-in ones, plus any --library folder's own).",
    no_args_is_help=True,
)

FormatOption = Annotated[
    str, typer.Option("--format", help="Output format: terminal or json.", metavar="FORMAT")
]


@app.command("list")
@handle_errors
def list_command(library: LibraryOption = None, fmt: FormatOption = "terminal") -> None:
    """List the protocols: name, title, how many exercises, weeks, and where each comes from.

    Example: backplan protocols list --library my-clinic/
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from backplan.cli.console import out_console
    from backplan.planning.protocols import find_protocols, read_protocol
    from backplan.render.terminal import trimmed

    _check_format(fmt)
    folders = library or []
    protocols = [read_protocol(path) for path in find_protocols(folders).values()]
    if fmt == "json":
        rows = [_summary(p) for p in protocols]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console = out_console()
    if not protocols:
        console.print("No protocols found.", markup=False)
        return
    table = Table(
        title=f"{len(protocols)} protocols",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    # The name is what --protocol takes, so it never wraps; the title goes under it.
    table.add_column("name and title", min_width=max(len(p.name) for p in protocols))
    table.add_column("exercises", justify="right", no_wrap=True)
    table.add_column("weeks", justify="right", no_wrap=True)
    table.add_column("from", ratio=1, overflow="fold")
    for protocol in protocols:
        name = Text(protocol.name, style="bold")
        name.append("\n" + protocol.title, style="")
        table.add_row(name, str(len(protocol.exercises)), str(protocol.weeks), _origin(protocol))
    with trimmed(console):  # no padding spaces when piped
        console.print(table)


@app.command("show")
@handle_errors
def show_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The protocol's name.")],
    library: LibraryOption = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang", help="Language of the exercise names and doses: en or es.", metavar="LANG"
        ),
    ] = "en",
    fmt: FormatOption = "terminal",
) -> None:
    """Show one protocol: what it is for, its warm-ups and exercises with their doses, its notes.

    Example: backplan protocols show desk-worker --lang es
    """
    from backplan.cli.console import out_console
    from backplan.library.catalogue import load_library
    from backplan.planning.protocols import library_problems, load_protocol
    from backplan.render.terminal import trimmed

    lang = check_lang(lang) or "en"
    _check_format(fmt)
    folders = library or []
    protocol = load_protocol(name, folders)
    lib = load_library(folders)
    problems = library_problems(protocol, lib)
    if problems:
        raise BackplanError(problems, title=f"The protocol `{protocol.name}` has problems")
    if fmt == "json":
        typer.echo(json.dumps(_details(protocol, lib, lang), ensure_ascii=False, indent=2))
        return
    console = out_console()
    with trimmed(console):  # no padding spaces when piped
        console.print(_card(protocol, lib, lang))


def _check_format(fmt: str) -> None:
    if fmt not in ("terminal", "json"):
        raise BackplanError(f"--format must be terminal or json, not {fmt!r}")


def _origin(protocol: Protocol) -> str:
    """'built-in', or the clinic file the protocol comes from."""
    from backplan.planning.protocols import PROTOCOLS_FOLDER
    from backplan.resources import builtin_exercises_dir

    if protocol.path is None:
        return ""
    if protocol.path.parent.resolve() == (builtin_exercises_dir() / PROTOCOLS_FOLDER).resolve():
        return "built-in"
    return display_path(protocol.path)


def _summary(protocol: Protocol) -> dict[str, Any]:
    return {
        "name": protocol.name,
        "title": protocol.title,
        "exercises": len(protocol.exercises),
        "weeks": protocol.weeks,
        "file": str(protocol.path) if protocol.path else None,
    }


def _details(protocol: Protocol, library: Library, lang: str) -> dict[str, Any]:
    """The protocol as JSON: its fields, with each exercise's name in `lang`."""
    words = protocol.text(lang)
    return {
        **_summary(protocol),
        "title": words.title,
        "description": words.description,
        "review_after_weeks": protocol.review_after_weeks,
        "warmup": None
        if protocol.warmup is None
        else [{"id": w, "name": library.name_of(w, lang)} for w in protocol.warmup],
        "exercises": [
            {
                "id": e.id,
                "name": library.name_of(e.id, lang),
                "dose": e.dose.given() if e.dose else {},
                "note": e.note_in(lang),
            }
            for e in protocol.entries()
        ],
        "notes": list(words.notes or ()),
    }


def _card(protocol: Protocol, library: Library, lang: str) -> Any:
    """The protocol laid out for reading: title, purpose, warm-ups, exercises, notes."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    text = protocol.text(lang)
    title = Text(text.title or protocol.title, style="bold")
    title.append(f"  ({protocol.name})", style="dim")
    body: list[Any] = []
    if text.description:
        body.append(Text(text.description))
    _ = words(lang).gettext
    body.append(Text(_weeks(protocol, lang), style="dim"))
    body.extend(_warmup(protocol, library, lang))
    body.append(Text(_("Exercises:"), style="bold"))
    body.append(Padding(_exercises(protocol, library, lang), (0, 0, 0, 2)))
    if text.notes:
        body.append(Text(_("Notes:"), style="bold"))
        body.extend(Text("- " + note) for note in text.notes)
    if protocol.path is not None:
        body.append(Text(display_path(protocol.path), style="dim"))
    body.append(
        Text(
            _(
                "Every exercise still has to suit the person: one that does not is left out of "
                "their plan, with the reason."
            ),
            style="dim",
        )
    )
    return Group(title, Padding(Group(*body), (0, 0, 0, 2), expand=False))


def _weeks(protocol: Protocol, lang: str) -> str:
    """How long the protocol runs and when to review it, in `lang`."""
    the_words = words(lang)

    def weeks_of(n: int) -> str:
        return the_words.ngettext("{n} week", "{n} weeks", n).format(n=n)

    weeks = weeks_of(protocol.weeks)
    if protocol.review_after_weeks:
        review = weeks_of(protocol.review_after_weeks)
        weeks = the_words.gettext("{weeks}; review after {review}").format(
            weeks=weeks, review=review
        )
    return weeks


def _warmup(protocol: Protocol, library: Library, lang: str) -> list[Any]:
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    _ = words(lang).gettext
    if protocol.warmup is None:
        return [Text(_("Warm-up: chosen for each person, as in any plan."), style="bold")]
    grid = Table.grid(padding=(0, 2))
    for eid in protocol.warmup:
        grid.add_row(*_row(library, eid, lang))
    return [Text(_("Warm-up:"), style="bold"), Padding(grid, (0, 0, 0, 2))]


def _exercises(protocol: Protocol, library: Library, lang: str) -> Any:
    """Each exercise with its dose (the protocol's over the exercise's own) and its note."""
    from rich.table import Table

    from backplan.planning.items import dose_of
    from backplan.render.wording import Wording

    _ = words(lang).gettext
    grid = Table.grid(padding=(0, 2))
    for entry in protocol.entries():
        dose = dose_of(library.exercises[entry.id])
        if entry.dose is not None and entry.dose.given():
            dose = dose.model_copy(update=entry.dose.given())
        extra = _("Dose") + ": " + Wording.of(lang).dose_text(dose)
        note = entry.note_in(lang)
        if note:
            extra += "\n" + _("Note") + ": " + note
        grid.add_row(*_row(library, entry.id, lang, extra))
    return grid


def _row(library: Library, eid: str, lang: str, extra: str = "") -> list[Any]:
    """An exercise's name and id, then its pattern, position and whom it does not suit."""
    from rich.text import Text

    from backplan.planning.selection import pattern_word, position_word

    exercise = library.exercises[eid]
    name = Text(exercise.text(lang).name, style="bold")
    name.append(f"  ({eid})", style="dim")
    facts = [pattern_word(exercise.pattern, lang)]
    if exercise.position:
        facts.append(position_word(exercise.position, lang))
    if exercise.avoid_if:
        conditions = library.vocabulary.conditions
        labels = [
            conditions[c].text(lang).label if c in conditions else c for c in exercise.avoid_if
        ]
        facts.append(words(lang).gettext("Not for people with") + " " + ", ".join(labels))
    line = Text(" · ".join(facts), style="dim")
    if extra:
        line.append("\n" + extra, style="")
    return [name, line]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="protocols")
