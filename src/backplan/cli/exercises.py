"""`backplan exercises ...`: list, show, validate and describe the exercise library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backplan.cli import preview
from backplan.cli.errors import handle_errors
from backplan.cli.options import LibraryOption

app = typer.Typer(help="Browse and check the exercise library.", no_args_is_help=True)


@app.command("validate")
@handle_errors
def validate_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to check.")] = None,
) -> None:
    """Check exercise files (with no PATH, the built-in library)."""
    from backplan.cli.console import out_console
    from backplan.library import check_library

    library, problems = check_library(paths or [])
    for p in problems:
        out_console().print(str(p), markup=False)
    if problems:
        raise typer.Exit(1)
    out_console().print(f"{len(library.exercises)} exercises, no problems.", markup=False)


@app.command("list")
@handle_errors
def list_command(library: LibraryOption = None) -> None:
    """List the exercises."""
    from backplan.cli.console import out_console
    from backplan.library import load_library

    lib = load_library(library or [])
    for e in lib.exercises.values():
        out_console().print(e.id, markup=False)


preview.register(app)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="exercises")
