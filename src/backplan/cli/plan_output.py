"""Where `plan`'s outcome goes: the terminal, standard output or a file, in one format."""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from backplan.errors import BackplanError, display_path
from backplan.files.yaml_source import is_stdin
from backplan.i18n import words
from backplan.render import format_for

if TYPE_CHECKING:
    from backplan.planning.outcome import Outcome
    from backplan.render import RenderOptions
    from backplan.render.ics import Reminders


@dataclass(frozen=True)
class Delivery:
    """Where and how the outcome goes: the output options of `plan`, checked."""

    out_format: str
    output: Path | None  # None: the terminal or standard output
    paper: str | None  # None: the clinic profile's, else letter
    clinic: Path | None
    templates: Path | None
    paths: tuple[Path, ...]
    reminders: Reminders | None  # for a calendar
    large_print: bool = False

    def with_large_print(self, answers: object) -> Delivery:
        """--large-print, or `large_print: true` in the answers file."""
        wanted = self.large_print or bool(getattr(answers, "large_print", False))
        return dataclasses.replace(self, large_print=wanted)


def delivery(
    fmt: str | None,
    output: Path | None,
    paper: str | None,
    at: str | None,
    days: str | None,
    clinic: Path | None,
    templates: Path | None,
    paths: tuple[Path, ...],
    large_print: bool,
) -> Delivery:
    """The output options checked before the first question, so nobody answers in vain."""
    to_stdout = is_stdin(output)  # `-o -`: the file's bytes on standard output
    out_format = format_for(None if to_stdout else output, fmt)
    reminders = _reminders(at, days, out_format)
    if out_format == "pdf" and to_stdout and _stdout_is_terminal():
        raise BackplanError(
            "-o - with --format pdf sends the PDF to standard output, which is this "
            "terminal; pipe it (| lpr) or give a file name, for example -o plan.pdf"
        )
    if out_format == "pdf" and output is None:
        raise BackplanError(
            "--format pdf writes a file: add -o FILE, for example -o plan.pdf "
            "(or -o - to send it to standard output, e.g. to lpr)"
        )
    shown_at = None if to_stdout else output
    return Delivery(out_format, shown_at, paper, clinic, templates, paths, reminders, large_print)


def deliver(outcome: Outcome, how: Delivery) -> None:
    """Show the plan or stop notice, or write it to standard output or a file."""
    if how.out_format == "json" and how.output is None:
        typer.echo(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2))
        return
    options = _render_options(outcome, how)
    if how.out_format == "terminal" and how.output is None:
        from backplan.cli.console import out_console
        from backplan.render import print_outcome

        print_outcome(outcome, out_console(), options)
    elif how.output is None:  # html, md, ics or (with -o -) pdf on stdout
        _write_stdout(outcome, how.out_format, _file_bytes(outcome, how, options), options)
    else:
        _write_file(outcome, how, options)


def _write_file(outcome: Outcome, how: Delivery, options: RenderOptions) -> None:
    """The file; a stop is said on screen first, so a file that cannot be written never hides
    it (and the exit code stays the stop's)."""
    from backplan.cli.errors import report
    from backplan.cli.streams import tell
    from backplan.files.atomic import write_atomic
    from backplan.planning.outcome import Stop
    from backplan.render import print_outcome

    assert how.output is not None
    _ = words(outcome.lang).gettext
    stopped = isinstance(outcome, Stop)
    if stopped:
        from backplan.cli.console import out_console

        print_outcome(outcome, out_console(), options)
    try:
        written = write_atomic(how.output, _file_bytes(outcome, how, options))
    except BackplanError as exc:
        if not stopped:
            raise
        report(exc)
        return
    done = (
        _("The stop notice was written to {path}")
        if stopped
        else _("Your plan was written to {path}")
    )
    tell(done.format(path=display_path(written)))  # Rich's console only when it is needed


def _file_bytes(outcome: Outcome, how: Delivery, options: RenderOptions) -> bytes:
    from backplan.render import render_bytes

    if how.out_format == "ics":  # with --time / --days and the local time zone
        from backplan.render.ics import render_ics

        return render_ics(outcome, reminders=how.reminders)  # type: ignore[arg-type]
    return render_bytes(outcome, how.out_format, options)


def _reminders(at: str | None, days: str | None, out_format: str) -> Reminders:
    """--time and --days as the calendar's reminders, in this computer's time zone."""
    from backplan.render.ics import DEFAULT_TIME, Reminders, parse_days, parse_time

    if out_format != "ics":
        given = "--time" if at is not None else "--days" if days is not None else None
        if given:
            raise BackplanError(
                f"{given} sets calendar reminders: add -o plan.ics (or --format ics)"
            )
    try:
        when = parse_time(at) if at is not None else DEFAULT_TIME
    except ValueError as exc:
        raise BackplanError(f"--time: {exc}") from None
    try:
        weekdays = parse_days(days) if days is not None else None
    except ValueError as exc:
        raise BackplanError(f"--days: {exc}") from None
    return Reminders.local(at=when, days=weekdays)


def _write_stdout(outcome: Outcome, out_format: str, data: bytes, options: RenderOptions) -> None:
    """The file's bytes on standard output (`-o -`; a PDF too, for `| lpr`). A stop notice in
    a PDF or a calendar is also said on stderr: the person at the terminal must hear it."""
    from backplan.cli.streams import write_stdout_bytes
    from backplan.planning.outcome import Stop

    if out_format in ("pdf", "ics") and isinstance(outcome, Stop):
        from backplan.cli.console import err_console  # Rich only when something is said
        from backplan.render import print_outcome

        print_outcome(outcome, err_console(), options)
    write_stdout_bytes(data)


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _render_options(outcome: Outcome, how: Delivery) -> RenderOptions:
    """Render options; a broken clinic profile never keeps a stop notice from being shown."""
    from backplan.clinic.profile import load_clinic
    from backplan.planning.outcome import Stop
    from backplan.render import RenderOptions
    from backplan.resources import builtin_exercises_dir

    try:
        profile = load_clinic(how.clinic)
    except BackplanError as exc:
        if not isinstance(outcome, Stop):
            raise
        from backplan.cli.console import err_console

        err_console().print(
            f"(The clinic profile could not be read: {exc}; shown without it.)", markup=False
        )
        profile = None
    folders = [builtin_exercises_dir(), *(p if p.is_dir() else p.parent for p in how.paths)]
    return RenderOptions(
        paper=how.paper,
        clinic=profile,
        templates_dir=how.templates,
        lang=outcome.lang,
        library_dirs=tuple(folders),
        large_print=how.large_print,
    )
