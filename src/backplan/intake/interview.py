"""The symptom interview: one question at a time, through an I/O object so tests can script it.

The order follows clinical-screening.md §1: emergency signs, then sharp pain, then the
see-a-clinician signs, pain, new onset and age; only then legs, conditions, equipment and
experience. After each safety question the answers so far are screened with the same rules as
an answers file (`screening.screen`), and the interview stops at the first stop it meets.
The words come from data/questions.yaml, in the person's language.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import IO, Any, Protocol, TextIO, TypeVar

from backplan.errors import EXIT_USAGE, BackplanError
from backplan.intake.answers import LEG_BELOW_KNEE_CONDITION, Answers
from backplan.intake.questions import QuestionWords, question_words
from backplan.intake.reading import (
    is_none_answer,
    leg_choice,
    names_both_legs,
    pick_items,
    read_age,
    read_pain,
    read_yes_no,
    says_both_legs,
    unread_checklist_answer,
)
from backplan.intake.screening import (
    CLEARABLE,
    CLEARANCE_WEEKS,
    EMERGENCY_SIGNS,
    SEE_CLINICIAN_SIGNS,
    screen,
)
from backplan.library.model import LEVELS, Vocabulary
from backplan.planning.outcome import Stop
from backplan.prompt import (
    Retry,
    ask_until,
    read_choice,
    read_number,
)

_Stream = TypeVar("_Stream", bound=IO[str])

QUESTION_COUNT = 11
AGE_MIN, AGE_MAX = 0, 120  # the same range as `patient.age` in an answers file
NAME_MAX = 200
LEG_CHOICES = ("none", "one_leg_above_knee", "one_leg_below_knee", "both_legs")


class InterviewIO(Protocol):
    """Where the interview writes and reads. `ask` raises EOFError when the input ends."""

    def say(self, text: str) -> None: ...

    def ask(self, prompt: str) -> str: ...


class StreamIO:
    """Questions on `out` (stderr by default, so stdout stays clean for --format json), answers
    read a line at a time from `inp`, which works the same for a terminal and for piped input."""

    def __init__(
        self, out: TextIO | None = None, inp: TextIO | None = None, *, echo: bool | None = None
    ):
        self.out = out if out is not None else sys.stderr
        self.inp = tolerant(inp if inp is not None else sys.stdin)
        # Piped answers are not shown by a terminal; echoing them keeps the transcript readable.
        self.echo = echo if echo is not None else not _is_tty(self.inp)

    def say(self, text: str) -> None:
        if _is_tty(self.out):
            text = wrap_for_terminal(text, shutil.get_terminal_size().columns)
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.inp.readline()
        if not line:
            raise EOFError
        answer = line.rstrip("\r\n")
        if self.echo:
            self.out.write(answer + "\n")
        return answer


def tolerant(stream: _Stream) -> _Stream:
    """The stream, reading bytes that are not UTF-8 as U+FFFD instead of raising: the prompt
    then says it could not read them and asks again (issue 13 item 5)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        # a closed or unusual stream is read as it is
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
    return stream


def wrap_for_terminal(text: str, width: int) -> str:
    """Wrap each line at word boundaries; a numbered choice keeps its text under its text."""
    out = []
    for line in text.splitlines() or [""]:
        item = _CHOICE.match(line)
        indent = " " * len(item.group(0)) if item else ""
        out.append(
            textwrap.fill(line, width=max(width - 1, 20), subsequent_indent=indent)
            if line.strip()
            else line
        )
    return "\n".join(out)


_CHOICE = re.compile(r"^\s*\d+\.\s+")


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Asker:
    """Asks one question, shows the allowed answers, and asks again until one is valid
    (backplan.prompt: the same readers and retry lines as the session)."""

    def __init__(self, io: InterviewIO, words: QuestionWords):
        self.io = io
        self.words = words
        self.retry = Retry.of(words.lang)
        self.n = 0
        self.unread: str | None = None  # the current question's last answer that was not read

    def _heading(self, text: str) -> None:
        self.unread = None
        self.n += 1
        counter = self.words.get("counter").format(n=self.n, count=QUESTION_COUNT)
        self.io.say("")
        self.io.say(f"{counter}. {text}")

    def _loop(self, hint: str, parse: Callable[[str], Any], *, optional: bool = False) -> Any:
        self.io.say(hint)

        def read(raw: str) -> Any:
            try:
                value = parse(raw)
            except ValueError:
                self.unread = raw  # kept in case the input ends here (`_Interview.at_eof`)
                raise
            self.unread = None
            return value

        return ask_until(
            lambda: self.io.ask("> "), self.io.say, read, hint, self.retry, optional=optional
        )

    def yes_no(self, text: str) -> bool:
        self._heading(text)
        return self.confirm()

    def confirm(self) -> bool:
        """A yes or no, read by answer_reading's rules (the same words as files and sessions)."""
        return self._loop(self.words.get("hints", "yes_no"), read_yes_no)

    def number(
        self,
        text: str,
        low: int,
        high: int,
        *,
        optional: bool = False,
        read: Callable[[str], int | None] = read_age,
    ) -> int | None:
        self._heading(text)
        hint = self.words.get("hints", "number").format(min=low, max=high)
        if optional:
            hint += " " + self.words.get("hints", "optional")
        return self._loop(hint, lambda raw: read_number(raw, low, high, read), optional=optional)

    def choice(
        self,
        text: str,
        options: list[tuple[str, str]],
        other: Callable[[str], str] | None = None,
    ) -> str:
        """One of `options` (id, words), answered by its number, its id or its words, or as
        `other` reads it (raising ValueError when it cannot either)."""
        self._heading(text)
        for i, (_id, label) in enumerate(options, 1):
            self.io.say(f"  {i}. {label}")

        def parse(raw: str) -> str:
            try:
                return read_choice(raw, options)
            except ValueError:
                if other is None:
                    raise
                return other(raw)

        return self._loop(self.words.get("hints", "choice"), parse)

    def checklist(self, text: str, items: list[tuple[str, str]]) -> list[str]:
        """Any of `items` (id, words) by number, or none; ids come back in the list's order."""
        self._heading(text)
        for i, (_id, label) in enumerate(items, 1):
            self.io.say(f"  {i}. {label}")

        def parse(raw: str) -> list[str]:
            if is_none_answer(raw):
                return []
            return pick_items(raw, items)  # numbers, ids or the items' own words

        return self._loop(self.words.get("hints", "checklist"), parse)

    def text(self, text: str) -> str | None:
        self._heading(text)

        def parse(raw: str) -> str:
            if len(raw) > NAME_MAX:
                raise ValueError(raw)
            return raw

        return self._loop(self.words.get("hints", "optional"), parse, optional=True)


def _provisional(**fields: Any) -> Answers:
    """Answers so far, with the not-yet-asked questions at values that never stop."""
    base: dict[str, Any] = {"sharp_pain": False, "pain": 0, "red_flags": []}
    return Answers.model_validate({**base, **fields})


def run_interview(
    io: InterviewIO,
    vocabulary: Vocabulary | Callable[[], Vocabulary],
    *,
    lang: str = "en",
    date: dt.date | None = None,
    clinician: str | None = None,
    given: dict[str, Any] | None = None,
) -> Answers | Stop:
    """Ask the questions in the reference's order; the Answers, or the first Stop met.

    `vocabulary` may be a function, so the library is read only after the safety questions:
    a broken library must not keep someone from hearing they need care. Raises BackplanError
    (exit 2) when the input ends early; Ctrl-C (KeyboardInterrupt) is left to the caller.
    With a `clinician`, a stop whose every reason may be cleared (screening.CLEARABLE) asks
    them whether they have assessed it and clear this plan; yes records the clearance.
    `given`, when passed, is filled with each answer as it is given (as an answers file
    writes it), so a stop can be saved with the answers that led to it.
    """
    given = given if given is not None else {}
    given.update({"lang": lang, **({"clinician": clinician} if clinician else {})})
    interview = _Interview(io, question_words(lang), date or dt.date.today(), clinician, given)
    try:
        io.say(interview.words.get("intro").format(count=QUESTION_COUNT))
        safety = interview.safety()
        if isinstance(safety, Stop):
            return safety
        legs = interview.legs(safety["red_flags"])
        if isinstance(legs, Stop):
            return legs
        about = interview.about(vocabulary() if callable(vocabulary) else vocabulary)
    except EOFError:
        stop = interview.at_eof()
        if stop is not None:
            return stop
        raise BackplanError(
            "the input ended before the interview was complete; nothing was saved",
            title="Interview not finished",
            exit_code=EXIT_USAGE,
        ) from None
    name = about.pop("name")
    answers = Answers.model_validate(
        {
            **safety,
            "patient": {"name": name, "age": safety["patient"]["age"]},
            "leg_symptoms": legs,
            **about,
            "lang": lang,
            "clinician": clinician,
            "cleared": interview.clearance(),
        }
    )
    # The same gate as an answers file, over the whole set: nothing asked may slip past it.
    return screen(answers, date=interview.day, lang=lang) or answers


class _Interview:
    """The questions of one interview, in order, and what a clinician cleared on the way."""

    def __init__(
        self,
        io: InterviewIO,
        words: QuestionWords,
        day: dt.date,
        clinician: str | None,
        given: dict[str, Any],
    ):
        self.io = io
        self.words = words
        self.ask = _Asker(io, words)
        self.q = words.data["questions"]
        self.day = day
        self.clinician = clinician
        self.given = given  # each answer as it is given, as an answers file writes it
        self.cleared: list[str] = []
        self.stage = ""  # the safety question being asked, for `at_eof`

    def text(self, question: str) -> str:
        return self.words.pick(self.q[question])

    def items(self, question: str, ids: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(i, self.words.pick(self.q[question]["items"][i])) for i in ids]

    def clearance(self) -> dict[str, Any] | None:
        if not self.cleared:
            return None
        return {"by": self.clinician, "on": self.day, "reasons": list(self.cleared)}

    def check(self, **fields: Any) -> Stop | None:
        """The answers so far through the screen; a clinician may clear a clearable stop."""
        self.given.update(fields)
        if self.cleared:
            self.given["cleared"] = self.clearance()
        stop = self._screen(fields)
        if stop is None or self.clinician is None:
            return stop
        ids = [r.id for r in stop.reasons]
        if not all(i in CLEARABLE for i in ids):
            return stop  # an emergency sign or sharp pain: never cleared (the clinic's rule)
        if not self._clinician_clears(stop):
            return stop
        self.cleared.extend(i for i in ids if i not in self.cleared)
        return self._screen(fields)

    def at_eof(self) -> Stop | None:
        """When the input ends on a safety question whose last answer could not be read
        (`maybe` to sharp pain, `yes` to the emergency checklist): that answer at its most
        urgent (clinical-screening.md §1: when in doubt, stop), or None when nothing stops."""
        raw = self.ask.unread
        if raw is None:
            return None
        fields = {k: v for k, v in self.given.items() if k in _SAFETY_GIVEN}
        flags = list(fields.get("red_flags") or [])
        unread: tuple[tuple[str, str], ...] = ()
        if self.stage in ("emergency_signs", "clinician_signs"):
            known, unread_texts = unread_checklist_answer(raw, self.stage == "emergency_signs")
            flags += known
            unread = tuple(unread_texts)
        elif self.stage == "sharp_pain":
            fields["sharp_pain"] = True
        elif self.stage == "pain":
            fields["pain"] = 10
        elif self.stage == "age" and fields.get("new_onset"):
            fields["patient"] = {"age": AGE_MAX}  # an unreadable age may be over 50
        elif self.stage == "legs" and says_both_legs(raw):
            flags.append("bilateral_leg_symptoms")
        answers = _provisional(**{**fields, "red_flags": flags}, cleared=self.clearance())
        answers._unread_flags = unread
        return screen(answers, date=self.day, lang=self.words.lang)

    def _screen(self, fields: dict[str, Any]) -> Stop | None:
        answers = _provisional(**fields, cleared=self.clearance())
        return screen(answers, date=self.day, lang=self.words.lang)

    def _clinician_clears(self, stop: Stop) -> bool:
        self.io.say("")
        self.io.say(self.words.get("clearance", "intro"))
        for reason in stop.reasons:
            self.io.say(f"  - {reason.message}")
        question = self.words.get("clearance", "question")
        self.io.say(question.format(clinician=self.clinician, weeks=CLEARANCE_WEEKS))
        return self.ask.confirm()

    def safety(self) -> dict[str, Any] | Stop:
        """The safety questions (clinical-screening.md §1 items 1-3), each screened at once."""
        ask = self.ask
        # clinical-screening.md §1 item 1: emergency signs first, before sharp pain.
        self.stage = "emergency_signs"
        flags = ask.checklist(
            self.text("emergency_signs"), self.items("emergency_signs", EMERGENCY_SIGNS)
        )
        if stop := self.check(red_flags=flags):
            return stop
        # clinical-screening.md §1 item 2: sharp pain stops at once.
        self.stage = "sharp_pain"
        sharp = ask.yes_no(self.text("sharp_pain"))
        if stop := self.check(red_flags=flags, sharp_pain=sharp):
            return stop
        # clinical-screening.md §1 item 3: see-a-clinician signs, pain, age with new onset.
        self.stage = "clinician_signs"
        flags += ask.checklist(
            self.text("clinician_signs"), self.items("clinician_signs", SEE_CLINICIAN_SIGNS)
        )
        if stop := self.check(red_flags=flags):
            return stop
        self.stage = "pain"
        pain = ask.number(self.text("pain"), 0, 10, read=read_pain)
        if stop := self.check(red_flags=flags, pain=pain):
            return stop
        self.stage = "new_onset"
        new_onset = ask.yes_no(self.text("new_onset"))
        self.given["new_onset"] = new_onset
        self.stage = "age"
        # The age rules need the age only when the pain is new; otherwise it may be skipped.
        age = ask.number(self.text("age"), AGE_MIN, AGE_MAX, optional=not new_onset)
        found = {"red_flags": flags, "pain": pain, "new_onset": new_onset, "patient": {"age": age}}
        if stop := self.check(**found):
            return stop
        return {**found, "sharp_pain": sharp}

    def legs(self, flags: list[str]) -> str | Stop:
        """Leg symptoms (clinical-screening.md §1 item 4); both legs adds the emergency sign
        to `flags`."""
        options = self.q["leg_symptoms"]["options"]
        self.stage = "legs"
        legs = self.ask.choice(
            self.text("leg_symptoms"),
            [(c, self.words.pick(options[c])) for c in LEG_CHOICES],
            _legs_in_words,
        )
        if legs == "both_legs":
            # clinical-screening.md §2 bilateral_leg_symptoms: both legs is an emergency sign.
            flags.append("bilateral_leg_symptoms")
            if stop := self.check(red_flags=flags):
                return stop
            return "none"
        return legs

    def about(self, vocab: Vocabulary) -> dict[str, Any]:
        """Conditions, equipment, experience and name (clinical-screening.md §1 item 4)."""
        lang = self.words.lang
        conditions = self.ask.checklist(
            self.text("conditions"),
            [
                (cid, term.text(lang).question or term.text(lang).label)
                for cid, term in vocab.conditions.items()
                if cid != LEG_BELOW_KNEE_CONDITION
            ],
        )
        equipment = self.ask.checklist(
            self.text("equipment"),
            [
                (eid, _capital(term.text(lang).question or term.text(lang).label))
                for eid, term in vocab.equipment.items()
                if not term.always_available
            ],
        )
        levels = self.q["level"]["options"]
        level = self.ask.choice(
            self.text("level"), [(lv, self.words.pick(levels[lv])) for lv in LEVELS]
        )
        name = self.ask.text(self.text("name"))
        return {"conditions": conditions, "equipment": equipment, "level": level, "name": name}


_SAFETY_GIVEN = ("red_flags", "sharp_pain", "pain", "new_onset", "patient")


def _legs_in_words(raw: str) -> str:
    """A leg answer in words, read as in an answers file (`both`, `las dos`, `left and
    right` are both legs: clinical-screening.md §2 bilateral_leg_symptoms)."""
    if names_both_legs(raw):
        return "both_legs"
    choice = leg_choice(raw)
    if choice in LEG_CHOICES:
        return str(choice)
    raise ValueError(raw)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
