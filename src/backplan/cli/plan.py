"""`backplan plan`: the interview (or an answers file), the safety gate, and the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.options import (
    ClinicOption,
    DateOption,
    HandoutPaperOption,
    LangOption,
    LargePrintOption,
    LibraryOption,
    TemplatesOption,
    check_lang,
    check_paper,
    parse_date,
    with_large_print,
)

FORMAT_CHOICES = "terminal, json, pdf, html or md"


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the top-level app."""
    app.command("plan")(plan_command)


@handle_errors
def plan_command(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            "-a",
            help="Read the answers from this YAML or JSON file instead of asking.",
            metavar="FILE",
        ),
    ] = None,
    save_answers: Annotated[
        Path | None,
        typer.Option(
            "--save-answers",
            help="Save the interview's answers to this file (YAML, or JSON for .json).",
            metavar="FILE",
        ),
    ] = None,
    library: LibraryOption = None,
    max_exercises: Annotated[
        int,
        typer.Option(
            "--max-exercises", min=1, max=10, help="At most this many main exercises (2-4 is best)."
        ),
    ] = 4,
    date: DateOption = None,
    lang: LangOption = None,  # type: ignore[assignment]
    protocol: Annotated[
        str | None,
        typer.Option(
            "--protocol",
            help="Use this saved protocol (a name, or a .yaml file) instead of the automatic "
            "choice; unsuitable exercises are still left out.",
            metavar="NAME",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {FORMAT_CHOICES} (default: from -o's suffix, else terminal).",
            metavar="FORMAT",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the plan (or the stop notice) to this file.",
            metavar="FILE",
        ),
    ] = None,
    paper: HandoutPaperOption = None,
    clinic: ClinicOption = None,
    templates: TemplatesOption = None,
    large_print: LargePrintOption = False,
) -> None:
    """Ask a few questions, then print a back-safe exercise plan, or say whom to see first.

    Exit codes: 0 plan, 3 see your chiropractor, 4 emergency care today, 2 bad input.
    """
    import json

    from backplan.cli.console import err_console, out_console
    from backplan.errors import (
        EXIT_EMERGENCY,
        EXIT_INTERRUPTED,
        EXIT_OK,
        EXIT_SEE_CLINICIAN,
        BackplanError,
    )
    from backplan.i18n import _, set_language
    from backplan.plan import Stop
    from backplan.render import format_for

    # Every option is checked before the first question, so nobody answers in vain.
    check_lang(lang)
    check_paper(paper)
    plan_date = parse_date(date)
    out_format = format_for(output, fmt)
    if out_format == "pdf" and output is None:
        raise BackplanError("--format pdf writes a file: add -o FILE, for example -o plan.pdf")
    paths = list(library or [])

    from backplan.library import Library, load_library

    loaded: dict[str, Library] = {}

    def vocabulary():
        loaded["library"] = load_library(paths)
        return loaded["library"].vocabulary

    source = None
    if answers is not None:
        from backplan.answers import StopInInvalidAnswers, load_answers

        try:
            given, source = load_answers(answers)
        except StopInInvalidAnswers as exc:
            from backplan.cli.errors import report

            report(exc)  # the file's problems, then the stop notice its safety answers give
            given = exc.answers
        result = given
    else:
        from backplan.interview import StreamIO, run_interview

        set_language(lang or "en")
        try:
            result = run_interview(StreamIO(), vocabulary, lang=lang or "en", date=plan_date)
        except KeyboardInterrupt:
            err_console().print(
                "\n" + _("Interview cancelled; nothing was saved."), markup=False, highlight=False
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None

    if isinstance(result, Stop):
        outcome = result
        if save_answers is not None:
            err_console().print(
                _("The answers were not saved: the interview stopped before it was complete."),
                markup=False,
            )
    else:
        from backplan.clinic import profile_lang
        from backplan.pipeline import PlanRequest, make_outcome
        from backplan.screening import screen

        if "library" not in loaded and screen(result, date=plan_date) is None:
            loaded["library"] = load_library(paths)
        for notice in loaded["library"].notices if "library" in loaded else ():
            err_console().print(notice, markup=False, highlight=False)
        if save_answers is not None:
            from backplan.answers import save_answers as save

            save(result, save_answers)
        outcome = make_outcome(
            PlanRequest(
                answers=result,
                library_paths=tuple(paths),
                max_exercises=max_exercises,
                date=plan_date,
                lang=lang or (None if result.lang else profile_lang(clinic)),
                library=loaded.get("library"),
                answers_source=source,
                protocol=protocol,
            )
        )

    stopped = isinstance(outcome, Stop)
    code = EXIT_OK
    if stopped:
        code = EXIT_EMERGENCY if outcome.urgency == "emergency" else EXIT_SEE_CLINICIAN
    out_lang = outcome.lang

    if out_format == "json" and output is None:
        typer.echo(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2))
        raise typer.Exit(code)

    options = _render_options(
        outcome, paper=paper, clinic=clinic, templates=templates, lang=out_lang, paths=paths
    )
    options = with_large_print(options, large_print, result)
    from backplan.render import print_outcome, render_bytes, write_outcome

    if out_format == "terminal" and output is None:
        print_outcome(outcome, out_console(), options)
        raise typer.Exit(code)
    if output is None:  # html or md on stdout
        typer.echo(render_bytes(outcome, out_format, options).decode("utf-8"), nl=False)
        raise typer.Exit(code)
    if stopped:
        # Said on screen first, so a file that cannot be written never hides the stop, and
        # the exit code stays the stop's.
        print_outcome(outcome, out_console(), options)
        try:
            written = write_outcome(outcome, output, out_format, options)
        except BackplanError as exc:
            from backplan.cli.errors import report

            report(exc)
            raise typer.Exit(code) from None
    else:
        written = write_outcome(outcome, output, out_format, options)
    from backplan.errors import display_path

    done = (
        _("The stop notice was written to {path}")
        if stopped
        else _("Your plan was written to {path}")
    )
    err_console().print(done.format(path=display_path(written)), markup=False)
    raise typer.Exit(code)


def _render_options(outcome, *, paper, clinic, templates, lang, paths):
    """Render options; a broken clinic profile never keeps a stop notice from being shown."""
    from backplan.cli.console import err_console
    from backplan.clinic import load_clinic
    from backplan.errors import BackplanError
    from backplan.plan import Stop
    from backplan.render import RenderOptions
    from backplan.resources import builtin_exercises_dir

    try:
        profile = load_clinic(clinic)
    except BackplanError as exc:
        if not isinstance(outcome, Stop):
            raise
        err_console().print(
            f"(The clinic profile could not be read: {exc}; shown without it.)", markup=False
        )
        profile = None
    folders = [builtin_exercises_dir(), *(p if p.is_dir() else p.parent for p in paths)]
    return RenderOptions(
        paper=paper, clinic=profile, templates_dir=templates, lang=lang, library_dirs=tuple(folders)
    )
