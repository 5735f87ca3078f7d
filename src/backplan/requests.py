"""What `backplan plan` asks for, as one value, and the one call that answers it; no Typer.

The command reads its options into a `PlanCall`; `make_plan` finds the answers (a file, the
plan being followed, or the interview), loads the library only when the answers clear the
safety screen, and returns the outcome with what the command must show beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backplan.clinic.profile import profile_lang
from backplan.errors import BackplanError
from backplan.files.yaml_source import Source
from backplan.i18n import lang_from_environment
from backplan.intake.answers import Answers, StopInInvalidAnswers, load_answers
from backplan.library.catalogue import Library, load_library
from backplan.library.model import Vocabulary
from backplan.pipeline import PlanRequest, make_outcome
from backplan.planning.outcome import Outcome, Stop

if TYPE_CHECKING:
    from backplan.intake.interview import InterviewIO
    from backplan.planning.next_plan import FollowUp


class InterviewCancelled(KeyboardInterrupt):
    """Ctrl-C during the interview's questions (nothing was saved)."""

    def __init__(self, lang: str):
        super().__init__(lang)
        self.lang = lang


@dataclass(frozen=True)
class PlanCall:
    """Where the answers come from and what to make of them: the options of `plan`."""

    answers_path: Path | None = None  # None: the plan being followed's answers, or the interview
    follow_up: FollowUp | None = None  # --next
    library_paths: tuple[Path, ...] = ()
    max_exercises: int = 4
    date: dt.date = field(default_factory=dt.date.today)
    lang: str | None = None  # --lang
    clinic: Path | None = None  # its profile's `lang` comes after the answers' own
    clinician: str | None = None
    protocol: str | None = None


@dataclass(frozen=True)
class PlanMade:
    """The outcome, and what the command shows or keeps beside it."""

    outcome: Outcome
    answers: Answers | None  # None: the interview stopped before its answers were complete
    given: dict[str, Any]  # the interview's answers as given, to save with a stop
    problems: tuple[BackplanError, ...] = ()  # an answers file's problems, its stop shown anyway
    notices: tuple[str, ...] = ()  # the library's, when it was loaded

    @property
    def answers_or_given(self) -> Answers | dict[str, Any]:
        return self.answers if self.answers is not None else self.given


class _LazyLibrary:
    """The library, read at most once and only when something needs it."""

    def __init__(self, paths: tuple[Path, ...]):
        self.paths = paths
        self.library: Library | None = None

    def load(self) -> Library:
        if self.library is None:
            self.library = load_library(list(self.paths))
        return self.library

    def vocabulary(self) -> Vocabulary:
        return self.load().vocabulary


def make_plan(call: PlanCall, io: InterviewIO | None = None) -> PlanMade:
    """The plan or the stop for `call`: safety first, the library only for cleared answers."""
    library = _LazyLibrary(call.library_paths)
    given: dict[str, Any] = {}
    problems: tuple[BackplanError, ...] = ()
    source = None
    if call.answers_path is not None:
        answers, source, problems = _read_answers(call)
        result: Answers | Stop = answers
    elif call.follow_up is not None:
        result = call.follow_up.answers(None)  # the answers the plan being followed was made from
    else:
        result = _interview(call, library.vocabulary, io, given)
    if isinstance(result, Stop):
        return PlanMade(result, None, given)
    # make_outcome screens first and reads the library only when nothing stops: a broken
    # library never hides a stop, and screening runs once.
    outcome = make_outcome(_request(call, result, library.load, source))
    notices = tuple(library.library.notices) if library.library is not None else ()
    return PlanMade(outcome, result, given, problems, notices)


def _read_answers(call: PlanCall) -> tuple[Answers, Source | None, tuple[BackplanError, ...]]:
    """The answers file (with --clinician and --next applied), and its problems when its safety
    answers already say stop (the rest of it cannot be read)."""
    assert call.answers_path is not None
    problems: tuple[BackplanError, ...] = ()
    try:
        given, source = load_answers(call.answers_path)
    except StopInInvalidAnswers as exc:
        given, source, problems = exc.answers, None, (exc,)
    if call.clinician is not None and given.clinician is None:
        given = given.model_copy(update={"clinician": call.clinician})
    if call.follow_up is not None:
        given = call.follow_up.answers(given)
    return given, source, problems


def _interview(
    call: PlanCall,
    vocabulary: Callable[[], Vocabulary],
    io: InterviewIO | None,
    given: dict[str, Any],
) -> Answers | Stop:
    """The questions, in --lang, else the locale's language, else English (on the terminal
    unless `io` says otherwise)."""
    from backplan.intake.interview import StreamIO, run_interview  # not for an answers file

    lang = call.lang or lang_from_environment() or "en"
    try:
        return run_interview(
            io or StreamIO(),
            vocabulary,
            lang=lang,
            date=call.date,
            clinician=call.clinician,
            given=given,
        )
    except KeyboardInterrupt:
        raise InterviewCancelled(lang) from None


def _request(
    call: PlanCall, answers: Answers, library: Callable[[], Library], source: Source | None
) -> PlanRequest:
    # --lang, else the answers' `lang:`, else the clinic profile's, else the locale's
    lang = call.lang or (
        None if answers.lang else (profile_lang(call.clinic) or lang_from_environment())
    )
    return PlanRequest(
        answers=answers,
        library_paths=call.library_paths,
        max_exercises=call.max_exercises,
        date=call.date,
        lang=lang,
        library=library,
        answers_source=source,
        protocol=call.protocol,
        follow_up=call.follow_up,
    )
