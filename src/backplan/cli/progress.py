"""`backplan progress`: the session log as a history, a pain chart and advice; a PDF for the
chiropractor; JSON for the clinic's records."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.options import LangOption, PaperOption, check_lang, check_paper
from backplan.cli.session import DbOption
from backplan.errors import BackplanError, display_path

if TYPE_CHECKING:
    from backplan.home.logdb import LogRecords

FORMATS = ("terminal", "json", "pdf", "html")
SUFFIXES = {".pdf": "pdf", ".json": "json", ".html": "html", ".htm": "html"}


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the top-level app."""
    app.command("progress")(progress_command)


ReportOutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to this file: .pdf (one page for your chiropractor), "
        ".html or .json.",
        metavar="FILE",
    ),
]
ReportFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="terminal, json, pdf or html (default: from -o's suffix, else terminal).",
        metavar="FORMAT",
    ),
]


@handle_errors
def progress_command(
    db: DbOption = None,
    output: ReportOutputOption = None,
    fmt: ReportFormatOption = None,
    paper: PaperOption = "letter",
    lang: LangOption = None,  # type: ignore[assignment]
) -> None:
    """Show your sessions, your pain over time and what the log suggests next.

    The log stays on this computer; -o report.pdf makes a one-page report to take to your
    chiropractor.
    """
    from backplan.cli.streams import write_stdout_bytes
    from backplan.files.yaml_source import is_stdin
    from backplan.i18n import lang_from_environment

    lang = check_lang(lang)
    paper = check_paper(paper) or "letter"
    to_stdout = is_stdin(output)  # `-o -`: standard output, a PDF too (for `| lpr`)
    if to_stdout and fmt is None:
        raise BackplanError(
            "-o - writes to standard output: say which with --format pdf, html or json"
        )
    out_format = _format(None if to_stdout else output, fmt)
    if out_format == "pdf" and output is None:
        raise BackplanError("--format pdf writes a file: add -o FILE, for example -o report.pdf")
    if out_format == "terminal" and output is not None:
        raise BackplanError(
            "the terminal format is for the screen; name a .pdf, .html or .json file"
        )
    records = _records(db)
    data = _report(records, out_format, paper, lang or lang_from_environment() or "en")
    if data is None:
        return
    if output is None:  # json or html, as text
        typer.echo(data.decode("utf-8"), nl=False)
    elif to_stdout:
        write_stdout_bytes(data)
    else:
        _write(output, data)


def _write(output: Path, data: bytes) -> None:
    from backplan.cli.console import err_console
    from backplan.files.atomic import write_atomic

    written = write_atomic(output, data)
    err_console().print(f"The progress report was written to {display_path(written)}", markup=False)


def _records(db: Path | None) -> LogRecords:
    """The session log's records; none when nothing is logged yet (reading never creates it)."""
    from backplan.cli.console import err_console
    from backplan.home.logdb import LogRecords, default_db_path, open_log

    path = db or default_db_path()
    try:
        with open_log(path, create=False) as log:
            records = log.records()
    except FileNotFoundError:
        if db is not None:
            raise BackplanError(f"{display_path(path)}: no such session log") from None
        return LogRecords()
    for skipped in records.skipped:
        # A hand-edited or damaged row: say which, and report on the rest.
        err_console().print(
            f"{display_path(path)}: {skipped}", markup=False, highlight=False, soft_wrap=True
        )
    return records


def _report(records: LogRecords, out_format: str, paper: str, lang: str) -> bytes | None:
    """The report in `out_format` as bytes; None when it was printed on the terminal."""
    from backplan.cli.console import out_console
    from backplan.home.progress import build_report

    report = build_report(records, dt.date.today(), lang=lang)
    if out_format == "json":
        from backplan.home.logdb import records_to_data

        # The raw log too, so the clinic can make the next plan from this file alone.
        exported = {**report.to_dict(), "log": records_to_data(records)}
        return (json.dumps(exported, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if out_format == "terminal":
        from backplan.render.progress import print_report
        from backplan.render.terminal import trimmed

        with trimmed(out_console()):  # no padding spaces when piped (issue 18)
            print_report(report, out_console())
        return None
    if out_format == "html":
        from backplan.render.progress import render_html

        return render_html(report, paper=paper, clinic=_clinic()).encode("utf-8")
    from backplan.doctor import load_weasyprint
    from backplan.render.progress import render_pdf

    load_weasyprint()  # without Pango: doctor's message, exit 2, not a traceback
    return render_pdf(report, paper=paper, clinic=_clinic())


def _format(output: Path | None, fmt: str | None) -> str:
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise BackplanError(f"unknown format `{fmt}`; use one of {', '.join(FORMATS)}")
        return fmt
    if output is None:
        return "terminal"
    found = SUFFIXES.get(output.suffix.lower())
    if found is None:
        raise BackplanError(
            f"{display_path(output)}: cannot tell the format from its name; "
            "use .pdf, .html or .json, or give --format"
        )
    return found


def _clinic():  # -> Clinic | None
    """The clinic profile for the report's header; a broken one leaves the header out."""
    from backplan.clinic.profile import load_clinic

    try:
        return load_clinic(None)
    except BackplanError:
        return None
