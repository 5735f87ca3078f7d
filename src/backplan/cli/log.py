"""`backplan log add`: what a patient ticked on the printed two-week log, into the session log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backplan.cli.errors import handle_errors
from backplan.cli.session import DbOption
from backplan.errors import BackplanError, display_path

if TYPE_CHECKING:
    from backplan.home.paper_log import PaperDay

log_app = typer.Typer(
    help="The session log: add the days a patient ticked on the printed log.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the top-level app."""
    app.add_typer(log_app, name="log")


TicksArgument = Annotated[
    list[str],
    typer.Argument(
        help="Each day, then what was ticked: a date (2026-12-01) or dN (day N of the "
        "printed log), W for the warm-up row, the exercises' numbers, and pain N. "
        "For example: d1 W 1 2 pain 3 d3 1 4 pain 2",
        metavar="DAY TICKS...",
    ),
]
PrintedPlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        "-p",
        help="The plan the log was printed with (plan.json from `backplan plan -o "
        "plan.json`); default: the last plan in the session log.",
        metavar="FILE",
    ),
]


@log_app.command("add")
@handle_errors
def add_command(ticks: TicksArgument, plan: PrintedPlanOption = None, db: DbOption = None) -> None:
    """Type in a printed log: a few keystrokes a day, stored as sessions marked `paper`.

    `backplan progress` and `backplan plan --next` then count them. Paper records the day's
    pain, not the pain during each exercise, so the rules read the day's pain in its place.
    A day typed in again replaces the earlier entry. Exit codes: 0 added, 2 bad input.
    """
    from backplan.home.logdb import default_db_path
    from backplan.home.paper_log import parse_days

    path = db or default_db_path()
    plan_data = _printed_plan(plan, path)
    try:
        start = dt.date.fromisoformat(str(plan_data.get("date")))
    except ValueError:
        raise BackplanError("the plan has no date; give the days as dates (2026-12-01)") from None
    days = parse_days(
        ticks,
        plan_date=start,
        exercises=len(plan_data.get("exercises") or []),
        has_warmup=bool(plan_data.get("warmup")),
        weeks=int(plan_data.get("weeks") or 2),
    )
    _add(days, plan_data, db)
    _say(f"Saved in {display_path(path)}.")


def _printed_plan(plan: Path | None, log_path: Path) -> dict[str, Any]:
    """The plan the log was printed with: --plan, else the last plan in the session log."""
    if plan is not None:
        from backplan.home.session import load_plan_file

        _followed, plan_data = load_plan_file(plan)
        return plan_data
    from backplan.home.progress import last_plan_in

    found = last_plan_in(log_path)
    if found is None:
        raise BackplanError(
            "no plan to type the log in for: give --plan plan.json (the plan the log was "
            "printed with)"
        )
    return found


def _add(days: list[PaperDay], plan_data: dict[str, Any], db: Path | None) -> None:
    """Each day into the log, said as it is stored; a severe pain is said in red."""
    from backplan.home.logdb import open_log
    from backplan.home.paper_log import entries_for

    with open_log(db) as log:  # None: the default log, its folder made if need be
        for day, entry in zip(days, entries_for(days, plan_data), strict=True):
            _id, replaced = log.add_paper_day(
                entry.started_at,
                plan_data,
                entry.done,
                entry.pain,
                stopped="pain_nrs_severe" if entry.severe else None,
            )
            what = (
                ", ".join((["W"] if day.warmup else []) + [str(n) for n in day.exercises])
                or "nothing ticked"
            )
            pain = f"; pain {day.pain}/10" if day.pain is not None else ""
            _say(f"{day.day.isoformat()}: {what}{pain} ({'replaced' if replaced else 'added'})")
            if entry.severe:
                _say(
                    f"Pain {day.pain}/10 is severe: see your chiropractor before you exercise "
                    "again.",
                    style="bold red",
                )


def _say(text: str, style: str | None = None) -> None:
    from backplan.cli.console import err_console

    err_console().print(text, style=style, markup=False, highlight=False)
