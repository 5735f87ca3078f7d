"""`backplan session`: a guided exercise session at home, logged on this machine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.options import LangOption, LibraryOption, check_lang
from backplan.errors import EXIT_INTERRUPTED, BackplanError, display_path, exit_code_for_stop
from backplan.i18n import words

if TYPE_CHECKING:
    from backplan.home.session import SessionPlan, SessionResult
    from backplan.planning.outcome import Stop
    from backplan.render import RenderOptions

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


SessionAnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        "-a",
        help="Make today's plan from this answers file (YAML or JSON; - reads stdin).",
        metavar="FILE",
    ),
]
SessionPlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        "-p",
        help="Follow this plan, written by `backplan plan -o plan.json` (- reads stdin).",
        metavar="FILE",
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No bell and no screen flash when a timer ends."),
]


@handle_errors
def session_command(
    answers: SessionAnswersOption = None,
    plan: SessionPlanOption = None,
    db: DbOption = None,
    library: LibraryOption = None,
    lang: LangOption = None,  # type: ignore[assignment]
    quiet: QuietOption = False,
) -> None:
    """Do today's exercises with a guide: a safety check, timers for holds and rests, and a log.

    Without --answers or --plan, repeats the plan of your last session. Ctrl-C stops and keeps
    what you did. Exit codes: 0 done, 3 stopped (see your chiropractor), 4 emergency care today,
    2 bad input, 130 stopped with Ctrl-C.
    """
    from backplan.files.yaml_source import is_stdin

    lang = _check_options(answers, plan, lang)
    # With the answers or the plan on standard input, the session's questions are asked
    # at the terminal itself; checked first, so nothing is read in vain.
    prompts = _terminal_input() if is_stdin(answers) or is_stdin(plan) else sys.stdin
    session_plan, plan_data = _plan_to_follow(answers, plan, db, tuple(library or ()), lang)
    shown_in = lang or session_plan.lang
    result, log_path = _run(session_plan, plan_data, db, prompts, shown_in, quiet)
    if result.status == "interrupted":
        # the count and words `progress` shows for this session
        _ = words(shown_in).gettext
        stopped = _("Session stopped with {count} done; it is saved in {path}.")
        _say("\n" + stopped.format(count=result.done_text(), path=display_path(log_path)))
        raise typer.Exit(EXIT_INTERRUPTED)
    raise typer.Exit(result.exit_code)


def _check_options(answers: Path | None, plan: Path | None, lang: str | None) -> str | None:
    """--lang as named, checked; a bad one never hides the stop the answers file says."""
    try:
        lang = check_lang(lang)
    except BackplanError as exc:
        if answers is not None:
            from backplan.cli.plan import stop_despite_options

            stop_despite_options(answers, exc)  # a bad option never hides a stop
        raise
    if answers is not None and plan is not None:
        raise BackplanError("give --answers or --plan, not both")
    return lang


def _run(
    session_plan: SessionPlan,
    plan_data: dict[str, Any],
    db: Path | None,
    prompts: TextIO,
    lang: str,
    quiet: bool,
) -> tuple[SessionResult, Path]:
    """The guided session, logged in `db`; its result and where the log is."""
    from backplan.cli.console import out_console
    from backplan.home.logdb import open_log
    from backplan.home.session import run_session
    from backplan.home.session_terminal import TerminalIO, time_scale_from_env

    io = TerminalIO(
        out_console(),
        stdin=prompts,
        time_scale=time_scale_from_env(),
        render_options=_render_options(lang),
        quiet=quiet,
    )
    with open_log(db) as log:
        try:
            return run_session(session_plan, plan_data, log, io, lang=lang), log.path
        except EOFError:
            raise BackplanError(
                "the input ended before the session was complete; what was done is saved"
            ) from None


def _say(text: str) -> None:
    from backplan.cli.console import err_console

    err_console().print(text, markup=False, highlight=False, soft_wrap=True)


def _terminal_input() -> TextIO:
    """The terminal (/dev/tty), for the session's questions when stdin holds the file."""
    try:
        return open("/dev/tty", encoding="utf-8", errors="replace")
    except OSError:
        raise BackplanError(
            "with `-` the file is read from standard input, and the session's questions need "
            "a terminal, but there is none here; give the file's name instead"
        ) from None


def _plan_to_follow(
    answers: Path | None,
    plan: Path | None,
    db: Path | None,
    library: tuple[Path, ...],
    lang: str | None,
) -> tuple[SessionPlan, dict[str, Any]]:
    """The plan from --plan, from --answers through the safety gate, or the last one logged."""
    from backplan.home.session import load_plan_file, plan_from_data

    if plan is not None:
        return load_plan_file(plan)
    if answers is not None:
        data = _todays_plan(answers, library, lang)
        return plan_from_data(data, display_path(answers)), data

    from backplan.home.logdb import default_db_path
    from backplan.home.progress import last_plan_in

    path = db or default_db_path()
    found = last_plan_in(path)
    if found is None:
        raise BackplanError(
            "no plan to follow yet: make one with `backplan plan --answers ana.yaml -o "
            "plan.json`, then run `backplan session --plan plan.json` (or, in one go, "
            "`backplan session --answers ana.yaml`)"
        )
    return plan_from_data(found, f"the last plan in {display_path(path)}"), found


def _todays_plan(answers: Path, library: tuple[Path, ...], lang: str | None) -> dict[str, Any]:
    """Today's plan from the answers file, as `plan --answers` makes it; a stop ends here."""
    from backplan.cli.console import err_console
    from backplan.cli.errors import report
    from backplan.planning.outcome import Stop
    from backplan.requests import PlanCall, make_plan

    made = make_plan(PlanCall(answers_path=answers, library_paths=library, lang=lang))
    for problem in made.problems:
        report(problem)  # the file's problems, then the stop notice its safety answers give
    for notice in made.notices:
        err_console().print(notice, markup=False, highlight=False)
    if isinstance(made.outcome, Stop):
        _stop(made.outcome)
    return made.outcome.to_dict()


def _stop(stop: Stop) -> NoReturn:
    """Print the stop notice exactly as `backplan plan` does, and exit with its code."""
    from backplan.cli.console import out_console
    from backplan.render import print_outcome

    print_outcome(stop, out_console(), _render_options(stop.lang))
    raise typer.Exit(exit_code_for_stop(stop.urgency))


def _render_options(lang: str) -> RenderOptions:
    """As `plan` shows a stop: with the clinic's contact when a profile is set up."""
    from backplan.clinic.profile import load_clinic
    from backplan.render import RenderOptions

    try:
        clinic = load_clinic(None)
    except BackplanError:
        clinic = None  # a broken profile must never keep a stop notice from being shown
    return RenderOptions(lang=lang, clinic=clinic)
