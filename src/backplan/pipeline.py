"""From answers to an outcome: screen first, and only when nothing stops, choose exercises.

`make_outcome` is the one function every command (plan, batch, session) calls, so the safety
gate cannot be skipped by any of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from backplan.errors import BackplanError
from backplan.files.yaml_source import Loc, Source
from backplan.intake.answers import Answers, library_problems
from backplan.library.catalogue import Library, load_library
from backplan.planning.outcome import Outcome
from backplan.planning.selection import MAX_EXERCISES, select

if TYPE_CHECKING:
    from backplan.planning.next_plan import FollowUp


@dataclass(frozen=True)
class PlanRequest:
    """Everything needed to make one outcome."""

    answers: Answers
    library_paths: Sequence[Path] = ()
    max_exercises: int = MAX_EXERCISES
    date: dt.date = field(default_factory=dt.date.today)
    lang: str | None = None  # None: the answers' `lang`, else English
    library: Library | None = None  # an already loaded library (batch reuses one)
    answers_source: Source | None = None  # where the answers came from, for file:line errors
    answers_prefix: Loc = ()  # where in that source (a roster row)
    protocol: str | None = None  # --protocol NAME; wins over the answers' `protocol`
    follow_up: FollowUp | None = None  # --next: the plan being followed and its log

    def language(self) -> str:
        return self.lang or self.answers.lang or "en"


def make_outcome(request: PlanRequest) -> Outcome:
    """Screen the answers; a Stop when anything stops them, else the selected Plan."""
    from backplan.i18n import set_language
    from backplan.intake.screening import cleared_reasons, screen

    lang = request.language()
    set_language(lang)
    answers = request.answers
    # Screening comes before the library is even read: a broken library or a typo in the
    # equipment list must never keep a person from hearing that they need care.
    stop = screen(answers, date=request.date, lang=lang)
    if stop is None and request.follow_up is not None:
        stop = request.follow_up.stop(answers, request.date, lang)  # a stop in the log
    if stop is not None:
        return stop
    library = request.library or load_library(list(request.library_paths))
    problems = library_problems(answers, library, request.answers_source, request.answers_prefix)
    if problems:
        title = "The answers name ids the exercise library does not know"
        raise BackplanError(problems, title=title)
    protocol = request.protocol or answers.protocol
    if request.follow_up is not None:
        from backplan.planning.next_plan import build_next

        plan = build_next(request.follow_up, answers, library, date=request.date, lang=lang)
    elif protocol is not None:
        from backplan.planning.protocols import load_protocol, protocol_selection

        # The answers' own `protocol:` is reported at its line; --protocol by its option.
        from_answers = request.protocol is None and request.answers_source is not None
        plan = protocol_selection(
            load_protocol(
                protocol,
                list(request.library_paths),
                source=request.answers_source if from_answers else None,
                loc=(*request.answers_prefix, "protocol"),
            ),
            answers,
            library,
            date=request.date,
            lang=lang,
        )
    else:
        plan = select(
            answers, library, max_exercises=request.max_exercises, date=request.date, lang=lang
        )
    # A plan made because a clinician cleared a stop says so, in every format (issue 12).
    cleared = cleared_reasons(answers, request.date, lang)
    return dataclasses.replace(plan, cleared=cleared, answers=answers.to_data())
