"""`backplan batch`: one handout per patient of a roster, on every core, with a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the top-level app."""
    app.command("batch")(batch_command)


@handle_errors
def batch_command(
    roster: Annotated[
        Path,
        typer.Argument(
            help="The roster: a YAML list of answers records, or a CSV file with a header row.",
            metavar="ROSTER",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The folder for the handouts (created if needed).", metavar="DIR"
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="pdf, html, md, json or ics (calendar).", metavar="FORMAT"
        ),
    ] = "pdf",
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Handouts made at once (default: one per core).",
            metavar="N",
        ),
    ] = None,
    library: LibraryOption = None,
    paper: HandoutPaperOption = None,
    clinic: ClinicOption = None,
    large_print: LargePrintOption = False,
    templates: TemplatesOption = None,
    date: DateOption = None,
    combined: Annotated[
        Path | None,
        typer.Option(
            "--combined",
            help="Also write one PDF of every handout and stop notice, in roster order, to "
            "print the day at once.",
            metavar="FILE",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Remake every file, even those an earlier run made from the same rows "
            "(by default they are kept, so a rerun after a stop only does what is left).",
        ),
    ] = False,
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

    from backplan.cli.console import err_console, out_console
    from backplan.clinic.batch import BATCH_FORMATS, BatchRequest, run_batch
    from backplan.clinic.profile import load_clinic
    from backplan.clinic.roster import read_roster
    from backplan.errors import BackplanError
    from backplan.render import RenderOptions
    from backplan.resources import builtin_exercises_dir

    fmt = fmt.lower().lstrip(".")
    try:
        if fmt not in BATCH_FORMATS:
            raise BackplanError(f"--format {fmt}: use one of {', '.join(BATCH_FORMATS)}")
        paper = check_paper(paper)
        day = parse_date(date)
        if combined is not None and fmt != "pdf":
            raise BackplanError("--combined prints the day's PDFs: use it with --format pdf")
        if fmt == "pdf":  # without Pango no row can be made: say so once, as `doctor` does
            from backplan.doctor import load_weasyprint

            load_weasyprint()
    except BackplanError as exc:
        _stops_despite_options(roster, exc)  # a bad option never hides a row's stop
        raise
    paths = tuple(library or ())
    rows = read_roster(roster)
    options = RenderOptions(
        paper=paper,
        clinic=load_clinic(clinic),
        templates_dir=templates,
        library_dirs=(builtin_exercises_dir(), *(p if p.is_dir() else p.parent for p in paths)),
        large_print=large_print,
    )
    request = BatchRequest(
        out_dir=output,
        fmt=fmt,
        jobs=jobs,
        library_paths=paths,
        options=options,
        date=day,
        force=force,
    )

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
        report = run_batch(request, rows, on_result=lambda _result: progress.advance(task))

    _print_summary(report, output, out_console())
    if report.interrupted:
        done = len(report.results)
        err_console().print(
            f"Interrupted after {done} of {report.total} rows; every file written is whole.",
            markup=False,
        )
    elif combined is not None:
        from backplan.clinic.batch import combine_pdfs
        from backplan.errors import display_path

        files = [r.path for r in sorted(report.results, key=lambda r: r.number) if r.path]
        if files:
            written = combine_pdfs(files, combined)
            err_console().print(
                f"The day's {len(files)} handouts, in roster order: {display_path(written)}",
                markup=False,
                soft_wrap=True,
            )
    raise typer.Exit(report.exit_code)


def _stops_despite_options(roster: Path, option_error) -> None:
    """With an option that cannot be used, nothing is written; but when rows of the roster
    stop, each is listed with its urgency and reasons, and the batch exits with the stop's
    code (4 or 3), so neither the clinic nor its script misses them. Otherwise returns."""
    from backplan.cli.console import out_console
    from backplan.cli.errors import report
    from backplan.clinic.roster import read_roster
    from backplan.errors import EXIT_EMERGENCY, EXIT_SEE_CLINICIAN, BackplanError
    from backplan.intake.screening import screen

    try:
        rows = read_roster(roster)
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
    urgent = any(stop.urgency == "emergency" for _row, stop in stops)
    raise typer.Exit(EXIT_EMERGENCY if urgent else EXIT_SEE_CLINICIAN)


def _print_summary(report, output: Path, console) -> None:
    """Counts, then one line per stopped or failed row (made rows are the files in DIR)."""
    from rich.markup import escape
    from rich.table import Table

    from backplan.errors import display_path

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

    if report.stopped:
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
                escape(
                    "\n".join([*r.reasons, *([f"The row also has: {r.error}"] if r.error else [])])
                ),
            )
        console.print(stops)
    if report.failed:
        failed = Table(title="Failed: no file was written for these rows", title_justify="left")
        failed.add_column("Row", justify="right")
        failed.add_column("Line", justify="right")
        failed.add_column("Patient")
        failed.add_column("Error", ratio=1)
        for r in report.failed:
            failed.add_row(str(r.number), str(r.line or ""), escape(r.label), escape(r.error or ""))
        console.print(failed)
