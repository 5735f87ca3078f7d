"""`backplan batch`: one handout per patient of a roster, on every core, with a summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.options import (
    ClinicOption,
    DateOption,
    HandoutPaperOption,
    LargePrintOption,
    LibraryOption,
    TemplatesOption,
    check_paper,
    parse_date,
)
from backplan.errors import BackplanError, display_path, exit_code_for_stop

if TYPE_CHECKING:
    from rich.console import Console

    from backplan.clinic.batch import BatchReport, BatchRequest
    from backplan.clinic.profile import Clinic
    from backplan.clinic.roster import RosterRow
    from backplan.render import RenderOptions


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the top-level app."""
    app.command("batch")(batch_command)


RosterArgument = Annotated[
    Path,
    typer.Argument(
        help="The roster: a YAML list of answers records, or a CSV file with a header row "
        "(- reads it from standard input).",
        metavar="ROSTER",
    ),
]
OutDirOption = Annotated[
    Path,
    typer.Option(
        "--output", "-o", help="The folder for the handouts (created if needed).", metavar="DIR"
    ),
]
BatchFormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="pdf, html, md, json or ics (calendar).", metavar="FORMAT"),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Handouts made at once (default: one per core).",
        metavar="N",
    ),
]
CombinedOption = Annotated[
    Path | None,
    typer.Option(
        "--combined",
        help="Also write one PDF of every handout and stop notice, in roster order, to "
        "print the day at once.",
        metavar="FILE",
        dir_okay=False,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Remake every file, even those an earlier run made from the same rows "
        "(by default they are kept, so a rerun after a stop only does what is left).",
    ),
]


@handle_errors
def batch_command(
    roster: RosterArgument,
    output: OutDirOption,
    fmt: BatchFormatOption = "pdf",
    jobs: JobsOption = None,
    library: LibraryOption = None,
    paper: HandoutPaperOption = None,
    clinic: ClinicOption = None,
    large_print: LargePrintOption = False,
    templates: TemplatesOption = None,
    date: DateOption = None,
    combined: CombinedOption = None,
    force: ForceOption = False,
) -> None:
    """Make a handout for every patient of a roster: a plan, or the stop notice.

    Each row is screened on its own; a bad row never stops the others. Files are named from
    the patient's name and the date and never overwrite one another. Run it again after an
    interruption: files already made from the same rows are kept, not made twice.
    Exit codes: 0 every row gave a plan; 4 some row needs emergency care today; 3 some row
    stopped (see a clinician first; its file is the stop notice); 1 some rows failed (4 and 3
    outrank 1); 2 the roster or an option cannot be used (with a bad option, the rows that stop
    are still listed and give 4 or 3); 130 interrupted (the files already written are whole).
    """
    from backplan.cli.console import out_console
    from backplan.clinic.batch import BatchRequest, start_worker_server
    from backplan.clinic.profile import load_clinic

    fmt = fmt.lower().lstrip(".")
    try:
        paper, day = _check_options(fmt, paper, date, combined)
    except BackplanError as exc:
        _stops_despite_options(roster, exc)  # a bad option never hides a row's stop
        raise
    if jobs != 1:
        start_worker_server(fmt)
    paths = tuple(library or ())
    profile = load_clinic(clinic)
    rows = _in_clinic_language(_read_roster(roster), profile)
    options = _render_options(paper, profile, templates, paths, large_print)
    request = BatchRequest(
        out_dir=output,
        fmt=fmt,
        jobs=jobs,
        library_paths=paths,
        options=options,
        date=day,
        force=force,
    )
    report = _run(request, rows)
    _print_summary(report, output, out_console())
    _after(report, combined)
    raise typer.Exit(report.exit_code)


def _check_options(
    fmt: str, paper: str | None, date: str | None, combined: Path | None
) -> tuple[str | None, dt.date]:
    """The options checked before any row is made: the paper and the date, as given."""
    from backplan.clinic.batch import BATCH_FORMATS

    if fmt not in BATCH_FORMATS:
        raise BackplanError(f"--format {fmt}: use one of {', '.join(BATCH_FORMATS)}")
    paper = check_paper(paper)
    day = parse_date(date)
    if combined is not None and fmt != "pdf":
        raise BackplanError("--combined prints the day's PDFs: use it with --format pdf")
    if fmt == "pdf":  # without Pango no row can be made: say so once, as `doctor` does
        from backplan.doctor import load_weasyprint

        load_weasyprint()
    return paper, day


def _in_clinic_language(rows: list[RosterRow], profile: Clinic | None) -> list[RosterRow]:
    """Each row in its own `lang`, else the clinic profile's (else the default, English)."""
    if profile is None or profile.lang is None:
        return rows
    return [
        replace(row, answers=row.answers.model_copy(update={"lang": profile.lang}))
        if row.ok and row.answers.lang is None
        else row
        for row in rows
    ]


def _render_options(
    paper: str | None,
    profile: Clinic | None,
    templates: Path | None,
    paths: tuple[Path, ...],
    large_print: bool,
) -> RenderOptions:
    from backplan.render import RenderOptions
    from backplan.resources import builtin_exercises_dir

    folders = (builtin_exercises_dir(), *(p if p.is_dir() else p.parent for p in paths))
    return RenderOptions(
        paper=paper,
        clinic=profile,
        templates_dir=templates,
        library_dirs=folders,
        large_print=large_print,
    )


def _run(request: BatchRequest, rows: list[RosterRow]) -> BatchReport:
    """Every row, with a progress bar on a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from backplan.cli.console import err_console
    from backplan.clinic.batch import run_batch

    console = err_console()
    with Progress(
        TextColumn("Making handouts"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    ) as progress:
        task = progress.add_task("batch", total=len(rows))
        return run_batch(request, rows, on_result=lambda _result: progress.advance(task))


def _after(report: BatchReport, combined: Path | None) -> None:
    """After the summary: how far an interrupted batch got, or the day's combined PDF."""
    from backplan.cli.console import err_console

    if report.interrupted:
        done = len(report.results)
        err_console().print(
            f"Interrupted after {done} of {report.total} rows; every file written is whole.",
            markup=False,
        )
        return
    if combined is None:
        return
    from backplan.clinic.batch import combine_pdfs

    files = [r.path for r in sorted(report.results, key=lambda r: r.number) if r.path]
    if files:
        written = combine_pdfs(files, combined)
        err_console().print(
            f"The day's {len(files)} handouts, in roster order: {display_path(written)}",
            markup=False,
            soft_wrap=True,
        )


def _stops_despite_options(roster: Path, option_error: BackplanError) -> None:
    """With an option that cannot be used, nothing is written; but when rows of the roster
    stop, each is listed with its urgency and reasons, and the batch exits with the stop's
    code (4 or 3), so neither the clinic nor its script misses them. Otherwise returns."""
    from backplan.cli.console import out_console
    from backplan.cli.errors import report
    from backplan.intake.screening import screen

    try:
        rows = _read_roster(roster)
    except BackplanError:
        return
    stops = [(row, stop) for row in rows if row.ok and (stop := screen(row.answers)) is not None]
    if not stops:
        return
    report(option_error)
    console = out_console()
    console.print("Nothing was written. These rows stop; fix the option and run again:")
    for row, stop in stops:
        what = "EMERGENCY CARE TODAY" if stop.urgency == "emergency" else "see a clinician first"
        reasons = ", ".join(r.id for r in stop.reasons)
        console.print(f"  {row.label} (line {row.line}): {what}: {reasons}", markup=False)
    raise typer.Exit(max(exit_code_for_stop(stop.urgency) for _row, stop in stops))


def _read_roster(roster: Path) -> list[RosterRow]:
    from backplan.clinic.roster import read_roster

    return read_roster(roster)


def _print_summary(report: BatchReport, output: Path, console: Console) -> None:
    """Counts, then one line per stopped or failed row (made rows are the files in DIR);
    without the spaces that pad each line when piped."""
    from backplan.render.terminal import trimmed

    with trimmed(console):
        _print_counts(report, output, console)
        if report.stopped:
            _print_stopped(report, console)
        if report.failed:
            _print_failed(report, console)


def _print_counts(report: BatchReport, output: Path, console: Console) -> None:
    from rich.markup import escape
    from rich.table import Table

    counts = Table(title="Batch summary", title_justify="left", show_header=True)
    counts.add_column("Result")
    counts.add_column("Rows", justify="right")
    counts.add_row("Plans made", str(len(report.made)))
    kept = len(report.kept) + sum(1 for r in report.stopped if r.kept)
    if kept:
        counts.add_row("Kept from an earlier run (--force remakes them)", str(kept))
    counts.add_row("Stop notices (see a clinician first)", str(len(report.stopped)))
    counts.add_row("Failed", str(len(report.failed)))
    if report.interrupted:
        counts.add_row("Not done (interrupted)", str(report.total - len(report.results)))
    console.print(counts)
    console.print(f"Files are in {escape(display_path(output))}", highlight=False)


def _print_stopped(report: BatchReport, console: Console) -> None:
    from rich.markup import escape
    from rich.table import Table

    stops = Table(
        title="Stopped: the file is the stop notice, with no exercise", title_justify="left"
    )
    stops.add_column("Row", justify="right")
    stops.add_column("Line", justify="right")
    stops.add_column("Patient and file", overflow="fold")
    stops.add_column("Urgency")
    stops.add_column("Reasons", ratio=1)
    for r in report.stopped:
        stops.add_row(
            str(r.number),
            str(r.line or ""),
            escape(f"{r.label}\n{r.path.name if r.path else ''}"),
            "[bold red]EMERGENCY[/]" if r.urgency == "emergency" else "see clinician",
            escape("\n".join([*r.reasons, *([f"The row also has: {r.error}"] if r.error else [])])),
        )
    console.print(stops)


def _print_failed(report: BatchReport, console: Console) -> None:
    from rich.markup import escape
    from rich.table import Table

    failed = Table(title="Failed: no file was written for these rows", title_justify="left")
    failed.add_column("Row", justify="right")
    failed.add_column("Line", justify="right")
    failed.add_column("Patient")
    failed.add_column("Error", ratio=1)
    for r in report.failed:
        failed.add_row(str(r.number), str(r.line or ""), escape(r.label), escape(r.error or ""))
    console.print(failed)
