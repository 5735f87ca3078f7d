"""Options shared by several commands, declared once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, overload

import typer

from backplan.errors import BackplanError
from backplan.i18n import SUPPORTED

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
    str | None,
    typer.Option(
        "--lang", help="Language of the interview and the plan: en or es.", metavar="LANG"
    ),
]

PaperOption = Annotated[
    str,
    typer.Option("--paper", help="Paper size of the PDF: letter or a4.", metavar="SIZE"),
]

# A handout's paper: None lets the clinic profile's `paper` apply.
HandoutPaperOption = Annotated[
    str | None,
    typer.Option(
        "--paper",
        help="Paper size of the PDF: letter or a4 (default: the clinic profile's, else letter).",
        metavar="SIZE",
    ),
]

LargePrintOption = Annotated[
    bool,
    typer.Option(
        "--large-print",
        help="Large print: 14 pt text, wider line spacing, bigger pictures and log boxes "
        "(also `large_print: true` in the answers file or the clinic profile).",
    ),
]

ClinicOption = Annotated[
    Path | None,
    typer.Option(
        "--clinic",
        help="A clinic profile (YAML) for the handout (default: the one `backplan clinic init` "
        "wrote, if any).",
        metavar="FILE",
    ),
]

TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="A folder of templates and stylesheets that override the built-in ones.",
        metavar="DIR",
        exists=True,
        file_okay=False,
    ),
]

DateOption = Annotated[
    str | None,
    typer.Option("--date", help="The plan's date, YYYY-MM-DD (default: today).", metavar="DATE"),
]


def parse_date(text: str | None) -> dt.date:
    """The --date option as a date (today when not given); a clear error for a bad one."""
    if not text:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BackplanError(
            f"--date {text}: give the date as YYYY-MM-DD, like 2026-03-02"
        ) from None
    # A plan runs for weeks after its date and a review follows: a date near the calendar's
    # limits (0001, 9999) would overflow; no real plan is dated outside these years.
    if not dt.date(2000, 1, 1) <= day <= dt.date(2999, 12, 31):
        raise BackplanError(f"--date {text}: give a date between 2000-01-01 and 2999-12-31")
    return day


@overload
def check_paper(paper: str) -> str: ...
@overload
def check_paper(paper: None) -> None: ...
def check_paper(paper: str | None) -> str | None:
    """Refuse an unknown --paper before any work is done; the size as named (`A4` is a4).
    None: not given (the clinic profile's paper, else letter)."""
    from backplan.render import PAPERS  # `--help` loads no renderer (tests/test_cli_app.py)

    if paper is None:
        return None
    if paper.strip().lower() not in PAPERS:
        raise BackplanError(f"--paper {paper}: use one of {', '.join(PAPERS)}")
    return paper.strip().lower()


def check_lang(lang: str | None) -> str | None:
    """Refuse an unknown --lang before any question is asked; the code as named (`ES` is es)."""
    if lang is not None and lang.strip().lower() not in SUPPORTED:
        raise BackplanError(f"--lang {lang}: use one of {', '.join(SUPPORTED)}")
    return None if lang is None else lang.strip().lower()
