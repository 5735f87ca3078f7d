"""`backplan plan`: the interview (or an answers file), the safety gate, and the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.options import (
    ClinicOption,
    DateOption,
    LangOption,
    LibraryOption,
    PaperOption,
    TemplatesOption,
    check_lang,
    check_paper,
    parse_date,
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
    paper: PaperOption = "letter",
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
) -> None:
    """Ask a few questions, then print a back-safe exercise plan, or say whom to see first.

    Exit codes: 0 plan, 3 see your chiropractor, 4 emergency care today, 2 bad input.
    """
    import json

    from backplan.answers import Answers
    from backplan.cli.console import err_console, out_console
    from backplan.errors import (
        EXIT_EMERGENCY,
        EXIT_INTERRUPTED,
        EXIT_OK,
        EXIT_SEE_CLINICIAN,
        BackplanError,
    )
    from backplan.i18n import _, set_language
    from backplan.plan import Plan, Stop
    from backplan.render import format_for

    # Every option is checked before the first question, so nobody answers in vain.
    try:
        check_lang(lang)
        check_paper(paper)
        plan_date = parse_date(date)
        out_format = format_for(output, fmt)
        if out_format == "pdf" and output is None:
            raise BackplanError("--format pdf writes a file: add -o FILE, for example -o plan.pdf")
    except BackplanError as exc:
        if answers is not None:
            stop_despite_options(answers, exc)  # a bad option never hides a stop
        raise
    paths = list(library or [])
    follow_up = _follow_up(next_plan, followed, db, progress_file, accept)

    from backplan.library import Library, load_library

    loaded: dict[str, Library] = {}

    def vocabulary():
        loaded["library"] = load_library(paths)
        return loaded["library"].vocabulary

    source = None
    result: Answers | Stop
    if answers is not None:
        from backplan.answers import StopInInvalidAnswers, load_answers

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
        from backplan.interview import StreamIO, run_interview

        set_language(lang or "en")
        try:
            result = run_interview(
                StreamIO(), vocabulary, lang=lang or "en", date=plan_date, clinician=clinician
            )
        except KeyboardInterrupt:
            err_console().print(
                "\n" + _("Interview cancelled; nothing was saved."), markup=False, highlight=False
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None

    outcome: Plan | Stop
    if isinstance(result, Stop):
        outcome = result
        if save_answers is not None:
            err_console().print(
                _("The answers were not saved: the interview stopped before it was complete."),
                markup=False,
            )
    else:
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
                lang=lang,
                library=loaded.get("library"),
                answers_source=source,
                protocol=protocol,
                follow_up=follow_up,
            )
        )

    stopped = isinstance(outcome, Stop)
    code = EXIT_OK
    if isinstance(outcome, Stop):
        code = EXIT_EMERGENCY if outcome.urgency == "emergency" else EXIT_SEE_CLINICIAN
    out_lang = outcome.lang

    if out_format == "json" and output is None:
        typer.echo(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2))
        raise typer.Exit(code)

    options = _render_options(
        outcome, paper=paper, clinic=clinic, templates=templates, lang=out_lang, paths=paths
    )
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
    from backplan.next_plan import FollowUp
    from backplan.session import load_plan_file

    _plan, plan_data = load_plan_file(followed)
    if progress_file is not None:
        from backplan.logdb import records_from_data
        from backplan.yamlsource import load_yaml

        source = load_yaml(progress_file, what="progress file")
        records = records_from_data(
            source.data.get("log") if isinstance(source.data, dict) else None, source.path
        )
    else:
        from backplan.logdb import LogRecords, open_log

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

    from backplan.answer_reading import read_yes_no
    from backplan.errors import BackplanError
    from backplan.i18n import _
    from backplan.interview import StreamIO

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
    """When the answers file already says stop, show that stop (in the answers' language, or
    English) with the option's error, and exit with the stop's code; otherwise return."""
    from backplan.answers import StopInInvalidAnswers, load_answers
    from backplan.cli.console import out_console
    from backplan.cli.errors import report
    from backplan.errors import EXIT_EMERGENCY, EXIT_SEE_CLINICIAN, BackplanError
    from backplan.render import RenderOptions, print_outcome
    from backplan.screening import screen

    try:
        given, _source = load_answers(answers)
    except StopInInvalidAnswers as exc:
        report(exc)
        given = exc.answers
    except BackplanError:
        return  # nothing in it says stop: the option's error is the one to fix first
    lang = given.lang or "en"
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
