"""`backplan plan`: the interview (or an answers file), the safety gate, and the plan."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backplan.cli.errors import handle_errors, report
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
)
from backplan.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    BackplanError,
    display_path,
    exit_code_for_stop,
)
from backplan.i18n import lang_from_environment, words

if TYPE_CHECKING:
    from backplan.intake.answers import Answers
    from backplan.planning.outcome import Outcome, Stop
    from backplan.requests import PlanMade

# Kept in step with render.FORMATS (a test checks), without importing the renderers for --help.
FORMATS = ("terminal", "json", "pdf", "html", "md", "ics")
FORMAT_CHOICES = ", ".join(FORMATS[:-1]) + " or " + FORMATS[-1]


def _complete_format(incomplete: str) -> list[str]:
    return [f for f in FORMATS if f.startswith(incomplete.lower())]


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the top-level app."""
    app.command("plan")(plan_command)


AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        "-a",
        help="Read the answers from this YAML or JSON file (- for stdin) instead of asking.",
        metavar="FILE",
    ),
]
SaveAnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--save-answers",
        help="Save the interview's answers to this file (YAML, or JSON for .json).",
        metavar="FILE",
    ),
]
MaxExercisesOption = Annotated[
    int,
    typer.Option(
        "--max-exercises",
        metavar="N",  # the range is checked with the other options (and in the help)
        help="At most this many main exercises, 1-10 (2-4 is best).",
    ),
]
ProtocolOption = Annotated[
    str | None,
    typer.Option(
        "--protocol",
        help="Use this saved protocol (by name; a clinic's own are found through --library) "
        "instead of the automatic "
        "choice; unsuitable exercises are still left out.",
        metavar="NAME",
    ),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help=f"Output format: {FORMAT_CHOICES} (default: from -o's suffix, else terminal).",
        metavar="FORMAT",
        autocompletion=_complete_format,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the plan (or the stop notice) to this file (- for stdout, a PDF too).",
        metavar="FILE",
    ),
]
TimeOption = Annotated[
    str | None,
    typer.Option(
        "--time",
        help="Calendar reminders (.ics) at this time, HH:MM in local time (default: 18:00).",
        metavar="HH:MM",
    ),
]
DaysOption = Annotated[
    str | None,
    typer.Option(
        "--days",
        help="Calendar reminders on these weekdays, like mon,thu (default: from the dose, "
        "Mon/Wed/Fri for three a week).",
        metavar="DAYS",
    ),
]
ClinicianOption = Annotated[
    str | None,
    typer.Option(
        "--clinician",
        help="The clinician running the interview: after a see-a-clinician stop it asks "
        "whether they have assessed it and clear this plan (never an emergency sign or "
        "sharp pain). Their name goes on the plan.",
        metavar="NAME",
    ),
]
NextOption = Annotated[
    bool,
    typer.Option(
        "--next",
        help="Make the next plan from the log of the plan being followed (--plan): each "
        "exercise kept, moved on or stepped back, with the reason. New --answers are "
        "optional.",
    ),
]
FollowedOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        help="With --next: the plan being followed (plan.json from `plan -o plan.json`).",
        metavar="FILE",
    ),
]
NextDbOption = Annotated[
    Path | None,
    typer.Option("--db", help="With --next: the session log (default: yours).", metavar="FILE"),
]
ProgressFileOption = Annotated[
    Path | None,
    typer.Option(
        "--progress",
        help="With --next: the patient's `backplan progress --format json` file instead "
        "of a log on this computer.",
        metavar="FILE",
    ),
]
AcceptOption = Annotated[
    str | None,
    typer.Option(
        "--accept",
        help="With --next: the changes to keep, for scripts: all, none, or exercise ids "
        "separated by commas (default: ask about each).",
        metavar="WHICH",
    ),
]


@handle_errors
def plan_command(
    answers: AnswersOption = None,
    save_answers: SaveAnswersOption = None,
    library: LibraryOption = None,
    max_exercises: MaxExercisesOption = 4,
    date: DateOption = None,
    lang: LangOption = None,  # type: ignore[assignment]
    protocol: ProtocolOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    paper: HandoutPaperOption = None,
    at: TimeOption = None,
    days: DaysOption = None,
    clinic: ClinicOption = None,
    templates: TemplatesOption = None,
    clinician: ClinicianOption = None,
    next_plan: NextOption = False,
    followed: FollowedOption = None,
    db: NextDbOption = None,
    progress_file: ProgressFileOption = None,
    accept: AcceptOption = None,
    large_print: LargePrintOption = False,
) -> None:
    """Ask a few questions, then print a back-safe exercise plan, or say whom to see first.

    Exit codes: 0 plan, 3 see your chiropractor, 4 emergency care today, 2 bad input.
    """
    from backplan.cli.follow_up import follow_up_of
    from backplan.cli.plan_output import deliver, delivery
    from backplan.requests import InterviewCancelled, PlanCall, make_plan

    # Every option is checked before the first question, so nobody answers in vain.
    try:
        lang, paper = check_lang(lang), check_paper(paper)
        paths = tuple(library or ())
        call = PlanCall(
            answers_path=answers,
            library_paths=paths,
            max_exercises=_check_max(max_exercises),
            date=parse_date(date),
        )
        call = replace(call, lang=lang, clinic=clinic, clinician=clinician, protocol=protocol)
        how = delivery(fmt, output, paper, at, days, clinic, templates, paths, large_print)
    except BackplanError as exc:
        if answers is not None:
            stop_despite_options(answers, exc)  # a bad option never hides a stop
        raise
    call = replace(call, follow_up=follow_up_of(next_plan, followed, db, progress_file, accept))
    try:
        made = make_plan(call)
    except InterviewCancelled as exc:
        _say(words(exc.lang).gettext("Interview cancelled; nothing was saved."))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    _show_beside(made, save_answers)
    deliver(made.outcome, how.with_large_print(made.answers))
    if answers is None and call.follow_up is None:  # after the interview, below the plan
        _footer(made, save_answers is None, output is None)
    raise typer.Exit(_exit_code(made.outcome))


def _check_max(max_exercises: int) -> int:
    if not 1 <= max_exercises <= 10:
        raise BackplanError(f"--max-exercises {max_exercises}: use a number from 1 to 10")
    return max_exercises


def _exit_code(outcome: Outcome) -> int:
    from backplan.planning.outcome import Stop

    return exit_code_for_stop(outcome.urgency) if isinstance(outcome, Stop) else EXIT_OK


def _say(text: str) -> None:
    from backplan.cli.console import err_console

    err_console().print("\n" + text, markup=False, highlight=False, soft_wrap=True)


def _show_beside(made: PlanMade, save_to: Path | None) -> None:
    """The answers file's problems and the library's notices, then --save-answers."""
    from backplan.planning.outcome import Stop

    for problem in made.problems:
        report(problem)  # the file's problems, then the stop notice its safety answers give
    if made.notices:  # Rich's console only when there is something to say (`-f html`: none)
        from backplan.cli.console import err_console

        for notice in made.notices:
            err_console().print(notice, markup=False, highlight=False)
    if save_to is None:
        return
    if isinstance(made.outcome, Stop):
        _save_stop(made.answers_or_given, made.outcome, save_to)
    elif made.answers is not None:
        from backplan.intake.answers import save_answers

        save_answers(made.answers, save_to)


def _save_stop(given: Answers | dict[str, Any], stop: Stop, path: Path) -> None:
    """`--save-answers` on a stop: the answers as given and the stop's record, for the clinic
    (read back, the file gives the same stop). Never in the way of the stop being shown."""
    from backplan.cli.console import err_console
    from backplan.intake.answers import save_answers, with_stop

    _ = words(stop.lang).gettext
    try:
        written = save_answers(with_stop(given, stop), path)
    except BackplanError as exc:
        err_console().print(f"{display_path(path)}: not saved: {exc}", markup=False, soft_wrap=True)
        return
    except ValueError:  # the answers as given do not make an answers file (pydantic says why)
        why = _(
            "{path}: not saved: these answers cannot be kept as an answers file until the "
            "problems listed above are corrected. The stop above stands."
        )
        err_console().print(why.format(path=display_path(path)), markup=False, soft_wrap=True)
        return
    err_console().print(
        _("The answers and the stop were saved to {path} for the clinic's record.").format(
            path=display_path(written)
        ),
        markup=False,
        soft_wrap=True,  # a path is copied: never broken
    )


def _footer(made: PlanMade, suggest_save: bool, suggest_print: bool) -> None:
    """After an interview, on stderr: how to keep the answers and how to print, if not done."""
    from backplan.planning.outcome import Stop

    _ = words(made.outcome.lang).gettext
    lines = []
    if suggest_save:
        lines.append(
            _(
                "To keep these answers, add --save-answers ana.yaml; next time --answers ana.yaml "
                "skips the questions."
            )
        )
    if suggest_print and not isinstance(made.outcome, Stop):
        lines.append(_("To print the plan, add -o plan.pdf."))
    if lines:
        _say("\n".join(lines))


def stop_despite_options(answers: Path, option_error: BackplanError) -> None:
    """When the answers file already says stop, show that stop (in the answers' language, the
    locale's, or English) with the option's error, and exit with the stop's code; otherwise return."""
    from backplan.cli.console import out_console
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
    raise typer.Exit(exit_code_for_stop(stop.urgency))


def stop_behind_usage_error(argv: list[str]) -> int | None:
    """After a usage error in `plan` or `session` given `--answers FILE`: show the stop that
    file says and return its exit code; None when there is none."""
    plain = [w for w in argv if not w.startswith("-")]
    if not plain or plain[0] not in ("plan", "session"):
        return None
    path = None
    for n, word in enumerate(argv):
        if word in ("-a", "--answers") and n + 1 < len(argv):
            path = argv[n + 1]
        elif word.startswith("--answers="):
            path = word.split("=", 1)[1]
        elif word.startswith("-a") and len(word) > 2 and not word.startswith("--"):
            path = word[2:]
    # `--answers -`: standard input is still unread (Typer stopped first); a terminal there
    # would wait for typing, so only a pipe or a file is read.
    piped = path == "-" and not sys.stdin.isatty()
    if path is None or not (piped or Path(path).is_file()):
        return None
    try:
        stop_despite_options(
            Path(path), BackplanError("the command line above cannot be used; the stop stands")
        )
    except typer.Exit as exc:
        return exc.exit_code
    return None
