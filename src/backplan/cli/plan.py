"""`backplan plan`: the interview (or an answers file), the safety gate, and the plan."""

from __future__ import annotations

from dataclasses import dataclass
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

# Kept in step with render.FORMATS (a test checks), without importing the renderers for --help.
FORMATS = ("terminal", "json", "pdf", "html", "md", "ics")
FORMAT_CHOICES = ", ".join(FORMATS[:-1]) + " or " + FORMATS[-1]


def _complete_format(incomplete: str) -> list[str]:
    return [f for f in FORMATS if f.startswith(incomplete.lower())]


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
            help="Read the answers from this YAML or JSON file (- for stdin) instead of asking.",
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
            "--max-exercises",
            metavar="N",  # the range is checked with the other options (and in the help)
            help="At most this many main exercises, 1-10 (2-4 is best).",
        ),
    ] = 4,
    date: DateOption = None,
    lang: LangOption = None,  # type: ignore[assignment]
    protocol: Annotated[
        str | None,
        typer.Option(
            "--protocol",
            help="Use this saved protocol (by name; a clinic's own are found through --library) "
            "instead of the automatic "
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
            autocompletion=_complete_format,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the plan (or the stop notice) to this file (- for stdout, a PDF too).",
            metavar="FILE",
        ),
    ] = None,
    paper: HandoutPaperOption = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--time",
            help="Calendar reminders (.ics) at this time, HH:MM in local time (default: 18:00).",
            metavar="HH:MM",
        ),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option(
            "--days",
            help="Calendar reminders on these weekdays, like mon,thu (default: from the dose, "
            "Mon/Wed/Fri for three a week).",
            metavar="DAYS",
        ),
    ] = None,
    clinic: ClinicOption = None,
    templates: TemplatesOption = None,
    clinician: Annotated[
        str | None,
        typer.Option(
            "--clinician",
            help="The clinician running the interview: after a see-a-clinician stop it asks "
            "whether they have assessed it and clear this plan (never an emergency sign or "
            "sharp pain). Their name goes on the plan.",
            metavar="NAME",
        ),
    ] = None,
    next_plan: Annotated[
        bool,
        typer.Option(
            "--next",
            help="Make the next plan from the log of the plan being followed (--plan): each "
            "exercise kept, moved on or stepped back, with the reason. New --answers are "
            "optional.",
        ),
    ] = False,
    followed: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="With --next: the plan being followed (plan.json from `plan -o plan.json`).",
            metavar="FILE",
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="With --next: the session log (default: yours).", metavar="FILE"),
    ] = None,
    progress_file: Annotated[
        Path | None,
        typer.Option(
            "--progress",
            help="With --next: the patient's `backplan progress --format json` file instead "
            "of a log on this computer.",
            metavar="FILE",
        ),
    ] = None,
    accept: Annotated[
        str | None,
        typer.Option(
            "--accept",
            help="With --next: the changes to keep, for scripts: all, none, or exercise ids "
            "separated by commas (default: ask about each).",
            metavar="WHICH",
        ),
    ] = None,
    large_print: LargePrintOption = False,
) -> None:
    """Ask a few questions, then print a back-safe exercise plan, or say whom to see first.

    Exit codes: 0 plan, 3 see your chiropractor, 4 emergency care today, 2 bad input.
    """

    from backplan.cli.console import err_console
    from backplan.errors import (
        EXIT_EMERGENCY,
        EXIT_INTERRUPTED,
        EXIT_OK,
        EXIT_SEE_CLINICIAN,
        BackplanError,
    )
    from backplan.files.yaml_source import is_stdin
    from backplan.i18n import _, lang_from_environment, set_language
    from backplan.intake.answers import Answers
    from backplan.planning.outcome import Plan, Stop
    from backplan.render import format_for

    # Every option is checked before the first question, so nobody answers in vain.
    try:
        lang = check_lang(lang)
        paper = check_paper(paper)
        if not 1 <= max_exercises <= 10:
            raise BackplanError(f"--max-exercises {max_exercises}: use a number from 1 to 10")
        plan_date = parse_date(date)
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
    except BackplanError as exc:
        if answers is not None:
            stop_despite_options(answers, exc)  # a bad option never hides a stop
        raise
    paths = list(library or [])
    follow_up = _follow_up(next_plan, followed, db, progress_file, accept)

    from backplan.library.catalogue import Library, load_library

    loaded: dict[str, Library] = {}

    def vocabulary():
        loaded["library"] = load_library(paths)
        return loaded["library"].vocabulary

    source = None
    result: Answers | Stop
    interview_given: dict = {}  # the interview's answers as given, for saving a stop
    if answers is not None:
        from backplan.intake.answers import StopInInvalidAnswers, load_answers

        try:
            given, source = load_answers(answers)
        except StopInInvalidAnswers as exc:
            from backplan.cli.errors import report

            report(exc)  # the file's problems, then the stop notice its safety answers give
            given = exc.answers
        if clinician is not None and given.clinician is None:
            given = given.model_copy(update={"clinician": clinician})
        result = given if follow_up is None else follow_up.answers(given)
    elif follow_up is not None:
        result = follow_up.answers(None)  # the answers the plan being followed was made from
    else:
        from backplan.intake.interview import StreamIO, run_interview

        asked_in = lang or lang_from_environment() or "en"
        set_language(asked_in)
        try:
            result = run_interview(
                StreamIO(),
                vocabulary,
                lang=asked_in,
                date=plan_date,
                clinician=clinician,
                given=interview_given,
            )
        except KeyboardInterrupt:
            err_console().print(
                "\n" + _("Interview cancelled; nothing was saved."), markup=False, highlight=False
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None

    outcome: Plan | Stop
    if isinstance(result, Stop):
        outcome = result
    else:
        from backplan.clinic.profile import profile_lang
        from backplan.intake.screening import screen
        from backplan.pipeline import PlanRequest, make_outcome

        if "library" not in loaded and screen(result, date=plan_date) is None:
            loaded["library"] = load_library(paths)
        for notice in loaded["library"].notices if "library" in loaded else ():
            err_console().print(notice, markup=False, highlight=False)
        if save_answers is not None:
            from backplan.intake.answers import save_answers as save

            save(result, save_answers)
        outcome = make_outcome(
            PlanRequest(
                answers=result,
                library_paths=tuple(paths),
                max_exercises=max_exercises,
                date=plan_date,
                # --lang, else the answers' `lang:`, else the clinic profile's, else the
                # locale (LANG=es_ES.UTF-8)
                lang=lang
                or (None if result.lang else (profile_lang(clinic) or lang_from_environment())),
                library=loaded.get("library"),
                answers_source=source,
                protocol=protocol,
                follow_up=follow_up,
            )
        )

    if save_answers is not None and isinstance(outcome, Stop):
        _save_stop(
            result if isinstance(result, Answers) else interview_given, outcome, save_answers
        )
    stopped = isinstance(outcome, Stop)
    code = EXIT_OK
    if isinstance(outcome, Stop):
        code = EXIT_EMERGENCY if outcome.urgency == "emergency" else EXIT_SEE_CLINICIAN
    try:
        _deliver(
            outcome,
            code,
            _Delivery(
                out_format,
                output,
                to_stdout,
                paper,
                clinic,
                templates,
                paths,
                reminders,
                # --large-print, or `large_print: true` in the answers file
                large_print or bool(getattr(result, "large_print", False)),
            ),
        )
    except typer.Exit:
        if answers is None and follow_up is None:  # after the interview, below the plan
            _footer(save_answers is None, output is None and not stopped)
        raise


@dataclass(frozen=True)
class _Delivery:
    """Where and how the outcome goes: the output options of `plan`."""

    out_format: str
    output: Path | None
    to_stdout: bool
    paper: str | None  # None: the clinic profile's, else letter
    clinic: Path | None
    templates: Path | None
    paths: list[Path]
    reminders: object  # render.ics.Reminders, for a calendar
    large_print: bool = False


def _deliver(outcome, code: int, how: _Delivery) -> None:
    """Show or write the plan or stop notice, then exit with `code`."""
    out_format, output, to_stdout = how.out_format, how.output, how.to_stdout
    import json

    from backplan.cli.console import err_console, out_console
    from backplan.errors import BackplanError
    from backplan.i18n import _
    from backplan.planning.outcome import Stop

    stopped = isinstance(outcome, Stop)
    out_lang = outcome.lang

    if to_stdout:
        output = None  # `-o -`: standard output, in any format
    if out_format == "json" and output is None:
        typer.echo(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2))
        raise typer.Exit(code)

    options = _render_options(
        outcome,
        paper=how.paper,
        clinic=how.clinic,
        templates=how.templates,
        lang=out_lang,
        paths=how.paths,
    )
    options = with_large_print(options, how.large_print)
    from backplan.files.atomic import write_atomic
    from backplan.render import print_outcome, render_bytes
    from backplan.render.ics import render_ics

    def file_bytes() -> bytes:
        if out_format == "ics":  # with --time / --days and the local time zone
            return render_ics(outcome, reminders=how.reminders)  # type: ignore[arg-type]
        return render_bytes(outcome, out_format, options)

    if out_format == "terminal" and output is None:
        print_outcome(outcome, out_console(), options)
        raise typer.Exit(code)
    if output is None:  # html, md, ics or (with -o -) pdf on stdout
        _write_stdout(outcome, out_format, file_bytes(), options)
        raise typer.Exit(code)
    if stopped:
        # Said on screen first, so a file that cannot be written never hides the stop, and
        # the exit code stays the stop's.
        print_outcome(outcome, out_console(), options)
        try:
            written = write_atomic(output, file_bytes())
        except BackplanError as exc:
            from backplan.cli.errors import report

            report(exc)
            raise typer.Exit(code) from None
    else:
        written = write_atomic(output, file_bytes())
    from backplan.errors import display_path

    done = (
        _("The stop notice was written to {path}")
        if stopped
        else _("Your plan was written to {path}")
    )
    err_console().print(done.format(path=display_path(written)), markup=False)
    raise typer.Exit(code)


def _reminders(at: str | None, days: str | None, out_format: str):  # -> Reminders
    """--time and --days as the calendar's reminders, in this computer's time zone."""
    from backplan.errors import BackplanError
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


def _write_stdout(outcome, out_format: str, data: bytes, options) -> None:
    """The file's bytes on standard output (`-o -`; a PDF too, for `| lpr`). A stop notice in
    a PDF or a calendar is also said on stderr: the person at the terminal must hear it."""
    from backplan.cli.console import err_console, write_stdout_bytes
    from backplan.planning.outcome import Stop
    from backplan.render import print_outcome

    if out_format in ("pdf", "ics") and isinstance(outcome, Stop):
        print_outcome(outcome, err_console(), options)
    write_stdout_bytes(data)


def _save_stop(given, stop, path: Path) -> None:
    """`--save-answers` on a stop: the answers as given and the stop's record, for the clinic
    (read back, the file gives the same stop). Never in the way of the stop being shown."""
    from backplan.cli.console import err_console
    from backplan.errors import BackplanError, display_path
    from backplan.i18n import _
    from backplan.intake.answers import save_answers, with_stop

    try:
        written = save_answers(with_stop(given, stop), path)
    except (BackplanError, ValueError) as exc:
        err_console().print(f"{display_path(path)}: not saved: {exc}", markup=False, soft_wrap=True)
        return
    err_console().print(
        _("The answers and the stop were saved to {path} for the clinic's record.").format(
            path=display_path(written)
        ),
        markup=False,
        soft_wrap=True,  # a path is copied: never broken
    )


def _footer(suggest_save: bool, suggest_print: bool) -> None:
    """After an interview, on stderr: how to keep the answers and how to print, if not done."""
    from backplan.cli.console import err_console
    from backplan.i18n import _

    lines = []
    if suggest_save:
        lines.append(
            _(
                "To keep these answers, add --save-answers ana.yaml; next time --answers ana.yaml "
                "skips the questions."
            )
        )
    if suggest_print:
        lines.append(_("To print the plan, add -o plan.pdf."))
    if lines:
        err_console().print("\n" + "\n".join(lines), markup=False, highlight=False, soft_wrap=True)


def _stdout_is_terminal() -> bool:
    import sys

    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _follow_up(next_plan, followed, db, progress_file, accept):  # -> FollowUp | None
    """--next's inputs: the plan being followed, its log (this computer's or the patient's
    progress JSON), and how the clinician accepts each change."""
    from backplan.errors import BackplanError, display_path

    given = [
        n
        for n, v in (
            ("--plan", followed),
            ("--progress", progress_file),
            ("--db", db),
            ("--accept", accept),
        )
        if v is not None
    ]
    if not next_plan:
        if given:
            raise BackplanError(f"{given[0]} goes with --next (the next plan from the log)")
        return None
    if followed is None:
        raise BackplanError(
            "--next needs --plan FILE: the plan being followed (plan.json from "
            "`backplan plan -o plan.json`)"
        )
    if db is not None and progress_file is not None:
        raise BackplanError("give --db or --progress, not both")
    from backplan.home.session import load_plan_file
    from backplan.planning.next_plan import FollowUp

    _plan, plan_data = load_plan_file(followed)
    if progress_file is not None:
        from backplan.files.yaml_source import load_yaml
        from backplan.home.logdb import records_from_data

        source = load_yaml(progress_file, what="progress file")
        records = records_from_data(
            source.data.get("log") if isinstance(source.data, dict) else None, source.path
        )
    else:
        from backplan.home.logdb import LogRecords, open_log

        try:
            with open_log(db, create=False) as log:
                records = log.records()
        except FileNotFoundError:
            if db is not None:
                raise BackplanError(f"{display_path(db)}: no such session log") from None
            records = LogRecords()
    return FollowUp(plan_data, records, _acceptance(accept), display_path(followed))


def _acceptance(accept: str | None):  # -> str | list[str] | Callable[[Change], bool]
    """--accept as `propose` takes it; without it, a yes/no question for each change."""
    if accept is not None:
        word = accept.strip().lower()
        if word in ("all", "none"):
            return word
        return [p.strip() for p in accept.split(",") if p.strip()]

    from backplan.errors import BackplanError
    from backplan.i18n import _
    from backplan.intake.interview import StreamIO
    from backplan.intake.reading import read_yes_no

    io = StreamIO()

    def ask(change) -> bool:
        io.say("\n" + change.why)
        while True:
            try:
                reply = io.ask(_("Keep this change? (yes/no) > "))
            except EOFError:
                raise BackplanError(
                    "the input ended before every change was accepted or refused; "
                    "give --accept all, none or the exercise ids"
                ) from None
            try:
                return read_yes_no(reply)
            except ValueError:
                io.say(_("Please answer yes or no."))

    return ask


def stop_despite_options(answers: Path, option_error) -> None:
    """When the answers file already says stop, show that stop (in the answers' language, the
    locale's, or English) with the option's error, and exit with the stop's code; otherwise return."""
    from backplan.cli.console import out_console
    from backplan.cli.errors import report
    from backplan.errors import EXIT_EMERGENCY, EXIT_SEE_CLINICIAN, BackplanError
    from backplan.i18n import lang_from_environment
    from backplan.intake.answers import StopInInvalidAnswers, load_answers
    from backplan.intake.screening import screen
    from backplan.render import RenderOptions, print_outcome

    try:
        given, _source = load_answers(answers)
    except StopInInvalidAnswers as exc:
        report(exc)
        given = exc.answers
    except BackplanError:
        return  # nothing in it says stop: the option's error is the one to fix first
    lang = given.lang or lang_from_environment() or "en"
    stop = screen(given, lang=lang)
    if stop is None:
        return
    print_outcome(stop, out_console(), RenderOptions(lang=lang))
    report(option_error)
    raise typer.Exit(EXIT_EMERGENCY if stop.urgency == "emergency" else EXIT_SEE_CLINICIAN)


def stop_behind_usage_error(argv: list[str]) -> int | None:
    """After a usage error in `plan` or `session` given `--answers FILE`: show the stop that
    file says and return its exit code; None when there is none."""
    from backplan.errors import BackplanError

    words = [w for w in argv if not w.startswith("-")]
    if not words or words[0] not in ("plan", "session"):
        return None
    path = None
    for n, word in enumerate(argv):
        if word in ("-a", "--answers") and n + 1 < len(argv):
            path = argv[n + 1]
        elif word.startswith("--answers="):
            path = word.split("=", 1)[1]
        elif word.startswith("-a") and len(word) > 2 and not word.startswith("--"):
            path = word[2:]
    if path is None or not Path(path).is_file():
        return None
    try:
        stop_despite_options(
            Path(path), BackplanError("the command line above cannot be used; the stop stands")
        )
    except typer.Exit as exc:
        return exc.exit_code
    return None


def _render_options(outcome, *, paper, clinic, templates, lang, paths):
    """Render options; a broken clinic profile never keeps a stop notice from being shown."""
    from backplan.cli.console import err_console
    from backplan.clinic.profile import load_clinic
    from backplan.errors import BackplanError
    from backplan.planning.outcome import Stop
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
