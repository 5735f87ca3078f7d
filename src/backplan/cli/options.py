"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

LibraryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--library",
        "-L",
        help="A clinic's exercise folder added to the built-in library (repeatable). "
        "A clinic exercise with a built-in id replaces it.",
        metavar="DIR",
    ),
]

LangOption = Annotated[
    str,
    typer.Option(
        "--lang", help="Language of the interview and the plan: en or es.", metavar="LANG"
    ),
]
