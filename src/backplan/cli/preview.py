"""`backplan exercises preview ID -o FILE`: draw one exercise's pose to SVG, PDF or PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.options import LibraryOption, check_lang
from backplan.errors import display_path

PreviewLang = Annotated[
    str,
    typer.Option("--lang", help="Language of the title and description: en or es.", metavar="LANG"),
]


def register(app: typer.Typer) -> None:
    """Add `preview` to the `exercises` group."""

    @app.command("preview")
    @handle_errors
    def preview_command(
        exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise to draw.")],
        output: Annotated[
            Path,
            typer.Option(
                "--output",
                "-o",
                help="The file to write: .svg, .pdf, or .png (PNG needs poppler's pdftoppm).",
                metavar="FILE",
            ),
        ],
        library: LibraryOption = None,
        lang: PreviewLang = "en",
    ) -> None:
        """Draw an exercise's pose to a file, to check it before printing; the pose's
        problems, if any, are listed too (exit 1).

        Example: backplan exercises preview my-bridge -L clinic/ -o bridge.svg
        """
        from backplan.cli.console import err_console, out_console
        from backplan.figures.preview import write_preview
        from backplan.library.catalogue import check_library

        lang = check_lang(lang) or "en"
        lib, problems = check_library(library or [])
        exercise = lib.get(exercise_id)
        written = write_preview(exercise, output, lang)
        out_console().print(f"Wrote {display_path(written)}", markup=False)
        shown = display_path(lib.files[exercise_id])
        mine = [p for p in problems if p.path == shown]
        for p in mine:
            err_console().print(str(p), markup=False, soft_wrap=True)
        if mine:
            raise typer.Exit(1)
