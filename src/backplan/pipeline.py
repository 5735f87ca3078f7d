"""From answers to an outcome: screen once, and only when nothing stops, choose and build.

`make_outcome` is the one function every command (plan, batch, session) calls, so the safety
gate cannot be skipped by any of them. The flow is drawn in planning/build.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from backplan.errors import BackplanError
from backplan.files.yaml_source import Loc, Source
from backplan.intake.answers import Answers, library_problems
from backplan.intake.screening import cleared_reasons
from backplan.library.catalogue import Library, load_library
from backplan.planning import selection
from backplan.planning.build import Choice, Screened, build, pass_screening
from backplan.planning.outcome import Outcome
from backplan.planning.selection import MAX_EXERCISES

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
    # an already loaded library (batch reuses one), or how to load it once screening passes
    library: Library | Callable[[], Library] | None = None
    answers_source: Source | None = None  # where the answers came from, for file:line errors
    answers_prefix: Loc = ()  # where in that source (a roster row)
    protocol: str | None = None  # --protocol NAME; wins over the answers' `protocol`
    follow_up: FollowUp | None = None  # --next: the plan being followed and its log

    def language(self) -> str:
        return self.lang or self.answers.lang or "en"


def make_outcome(request: PlanRequest) -> Outcome:
    """Screen the answers once; a Stop when anything stops them, else the chosen, built Plan."""
    lang = request.language()
    answers = request.answers
    # Screening comes before the library is even read: a broken library or a typo in the
    # equipment list must never keep a person from hearing that they need care.
    passed = pass_screening(answers, date=request.date, lang=lang)
    if isinstance(passed, Screened) and request.follow_up is not None:
        passed = request.follow_up.stop(answers, request.date, lang) or passed  # a stop in the log
    if not isinstance(passed, Screened):
        return passed
    library = _library(request)
    problems = library_problems(answers, library, request.answers_source, request.answers_prefix)
    if problems:
        title = "The answers name ids the exercise library does not know"
        raise BackplanError(problems, title=title)
    plan = build(_choose(request, passed, library), passed, library)
    # A plan made because a clinician cleared a stop says so, in every format (issue 12).
    cleared = cleared_reasons(answers, request.date, lang)
    return dataclasses.replace(plan, cleared=cleared, answers=answers.to_data())


def _library(request: PlanRequest) -> Library:
    """The request's library: the one given, loaded by its loader, or read from its folders."""
    if isinstance(request.library, Library):
        return request.library
    if request.library is not None:
        return request.library()
    return load_library(list(request.library_paths))


def _choose(request: PlanRequest, passed: Screened, library: Library) -> Choice:
    """The strategy the request asks for: the next plan, a protocol, or the automatic choice."""
    if request.follow_up is not None:
        from backplan.planning import next_plan  # --next only: it reads the session log

        return next_plan.choose(request.follow_up, passed, library)
    protocol = request.protocol or request.answers.protocol
    if protocol is None:
        return selection.choose(passed, library, max_exercises=request.max_exercises)
    from backplan.planning import protocols  # --protocol or the answers' `protocol:` only

    # The answers' own `protocol:` is reported at its line; --protocol by its option.
    from_answers = request.protocol is None and request.answers_source is not None
    loaded = protocols.load_protocol(
        protocol,
        list(request.library_paths),
        source=request.answers_source if from_answers else None,
        loc=(*request.answers_prefix, "protocol"),
    )
    return protocols.choose(loaded, passed, library)
