"""`plan --next`'s inputs: the plan being followed, its log, and which changes to keep."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from backplan.errors import BackplanError, display_path

if TYPE_CHECKING:
    from backplan.home.logdb import LogRecords
    from backplan.planning.next_plan import Change, FollowUp


def follow_up_of(
    next_plan: bool,
    followed: Path | None,
    db: Path | None,
    progress_file: Path | None,
    accept: str | None,
) -> FollowUp | None:
    """--next's inputs: the plan being followed, its log (this computer's or the patient's
    progress JSON), and how the clinician accepts each change; None without --next."""
    given = [
        name
        for name, value in (
            ("--plan", followed),
            ("--progress", progress_file),
            ("--db", db),
            ("--accept", accept),
        )
        if value is not None
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

    followed_plan, plan_data = load_plan_file(followed)
    records = _records(db, progress_file)
    accepted = _acceptance(accept, followed_plan.lang)
    return FollowUp(plan_data, records, accepted, display_path(followed))


def _records(db: Path | None, progress_file: Path | None) -> LogRecords:
    """The log: from the patient's progress JSON, else this computer's session log."""
    from backplan.home.logdb import LogRecords, open_log, records_from_data

    if progress_file is not None:
        from backplan.files.yaml_source import load_yaml

        source = load_yaml(progress_file, what="progress file")
        log = source.data.get("log") if isinstance(source.data, dict) else None
        return records_from_data(log, source.path)
    try:
        with open_log(db, create=False) as opened:
            return opened.records()
    except FileNotFoundError:
        if db is not None:
            raise BackplanError(f"{display_path(db)}: no such session log") from None
        return LogRecords()


def _acceptance(accept: str | None, lang: str) -> str | list[str] | Callable[[Change], bool]:
    """--accept as `propose` takes it; without it, a yes/no question for each change."""
    if accept is not None:
        word = accept.strip().lower()
        if word in ("all", "none"):
            return word
        return [p.strip() for p in accept.split(",") if p.strip()]

    from backplan.i18n import words
    from backplan.intake.interview import StreamIO
    from backplan.intake.reading import read_yes_no

    _ = words(lang).gettext  # the questions in the followed plan's language
    io = StreamIO()

    def ask(change: Change) -> bool:
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
