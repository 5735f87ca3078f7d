"""`backplan session`: a guided exercise session at home, logged on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.options import LangOption, LibraryOption, check_lang

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="The session log to use (default: log.sqlite3 in your user data folder).",
        metavar="FILE",
    ),
]


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the top-level app."""
    app.command("session")(session_command)


@handle_errors
def session_command(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            "-a",
            help="Make today's plan from this answers file (YAML or JSON; - reads stdin).",
            metavar="FILE",
        ),
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            "-p",
            help="Follow this plan, written by `backplan plan -o plan.json` (- reads stdin).",
            metavar="FILE",
        ),
    ] = None,
    db: DbOption = None,
    library: LibraryOption = None,
    lang: LangOption = None,  # type: ignore[assignment]
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No bell and no screen flash when a timer ends."),
    ] = False,
) -> None:
    """Do today's exercises with a guide: a safety check, timers for holds and rests, and a log.

    Without --answers or --plan, repeats the plan of your last session. Ctrl-C stops and keeps
    what you did. Exit codes: 0 done, 3 stopped (see your chiropractor), 4 emergency care today,
    2 bad input, 130 stopped with Ctrl-C.
    """
    import sys

    from backplan.cli.console import err_console, out_console
    from backplan.errors import EXIT_INTERRUPTED, BackplanError, display_path
    from backplan.home.logdb import open_log
    from backplan.home.session import run_session
    from backplan.home.session_terminal import TerminalIO, time_scale_from_env
    from backplan.i18n import _, set_language

    try:
        lang = check_lang(lang)
    except BackplanError as exc:
        if answers is not None:
            from backplan.cli.plan import stop_despite_options

            stop_despite_options(answers, exc)  # a bad option never hides a stop
        raise
    if answers is not None and plan is not None:
        raise BackplanError("give --answers or --plan, not both")

    from backplan.files.yaml_source import is_stdin

    # With the answers or the plan on standard input, the session's questions are asked
    # at the terminal itself; checked first, so nothing is read in vain.
    prompts = _terminal_input() if is_stdin(answers) or is_stdin(plan) else sys.stdin
    session_plan, plan_data = _plan_to_follow(answers, plan, db, list(library or []), lang)
    set_language(lang or session_plan.lang)
    console = out_console()
    io = TerminalIO(
        console,
        stdin=prompts,
        time_scale=time_scale_from_env(),
        render_options=_render_options(lang or session_plan.lang),
        quiet=quiet,
    )
    with open_log(db) as log:
        try:
            result = run_session(session_plan, plan_data, log, io, lang=lang or session_plan.lang)
        except EOFError:
            raise BackplanError(
                "the input ended before the session was complete; what was done is saved"
            ) from None
    if result.status == "interrupted":
        # the count and words `progress` shows for this session
        stopped = _("Session stopped with {count} done; it is saved in {path}.")
        err_console().print(
            "\n" + stopped.format(count=result.done_text(), path=display_path(log.path)),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    raise typer.Exit(result.exit_code)


def _terminal_input():  # -> TextIO
    """The terminal (/dev/tty), for the session's questions when stdin holds the file."""
    from backplan.errors import BackplanError

    try:
        return open("/dev/tty", encoding="utf-8", errors="replace")
    except OSError:
        raise BackplanError(
            "with `-` the file is read from standard input, and the session's questions need "
            "a terminal, but there is none here; give the file's name instead"
        ) from None


def _plan_to_follow(answers, plan, db, library, lang):  # -> (SessionPlan, dict)
    """The plan from --plan, from --answers through the safety gate, or the last one logged."""
    from backplan.errors import BackplanError, display_path

    if plan is not None:
        from backplan.home.session import load_plan_file

        return load_plan_file(plan)
    if answers is not None:
        from backplan.home.session import plan_from_data
        from backplan.intake.answers import StopInInvalidAnswers, load_answers
        from backplan.pipeline import PlanRequest, make_outcome
        from backplan.planning.outcome import Stop

        try:
            given, source = load_answers(answers)
        except StopInInvalidAnswers as exc:
            from backplan.cli.errors import report

            report(exc)  # the file's problems, then the stop notice its safety answers give
            given, source = exc.answers, None
        from backplan.i18n import lang_from_environment

        # --lang, else the answers' `lang:`, else the locale (LANG=es_ES.UTF-8), as `plan` does
        lang = lang or (None if given.lang else lang_from_environment())
        outcome = make_outcome(
            PlanRequest(
                answers=given, library_paths=tuple(library), lang=lang, answers_source=source
            )
        )
        if isinstance(outcome, Stop):
            _stop(outcome)
        data = outcome.to_dict()
        return plan_from_data(data, display_path(answers)), data

    from backplan.home.logdb import default_db_path
    from backplan.home.progress import last_plan_in
    from backplan.home.session import plan_from_data

    path = db or default_db_path()
    data = last_plan_in(path)
    if data is None:
        raise BackplanError(
            "no plan to follow yet: make one with `backplan plan --answers ana.yaml -o "
            "plan.json`, then run `backplan session --plan plan.json` (or, in one go, "
            "`backplan session --answers ana.yaml`)"
        )
    return plan_from_data(data, f"the last plan in {display_path(path)}"), data


def _stop(stop) -> None:
    """Print the stop notice exactly as `backplan plan` does, and exit with its code."""
    from backplan.cli.console import out_console
    from backplan.errors import EXIT_EMERGENCY, EXIT_SEE_CLINICIAN
    from backplan.render import print_outcome

    print_outcome(stop, out_console(), _render_options(stop.lang))
    raise typer.Exit(EXIT_EMERGENCY if stop.urgency == "emergency" else EXIT_SEE_CLINICIAN)


def _render_options(lang: str):  # -> RenderOptions
    """As `plan` shows a stop: with the clinic's contact when a profile is set up."""
    from backplan.clinic.profile import load_clinic
    from backplan.errors import BackplanError
    from backplan.render import RenderOptions

    try:
        clinic = load_clinic(None)
    except BackplanError:
        clinic = None  # a broken profile must never keep a stop notice from being shown
    return RenderOptions(lang=lang, clinic=clinic)
