"""One prompt component for the interview and the session: the same answers accepted, the same
words when an answer cannot be used.

Both front ends ask a line their own way (the interview under a numbered question, the session
with the hint beside `>`); what is typed is read here, by answer_reading's rules, and a reply
that cannot be used is answered with data/questions.yaml's retry lines in the person's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from backplan.intake.questions import question_words
from backplan.intake.reading import is_none_answer, none_words, pick_items, read_pain_number

T = TypeVar("T")

UNREADABLE = "\ufffd"  # what a tolerant stream reads for bytes that are not UTF-8
_SEPARATORS = re.compile(r"[\s,;]+")


# -- reading one reply ------------------------------------------------------------------------


def read_number(
    raw: str, low: int, high: int, read: Callable[[str], int | None] = read_pain_number
) -> int:
    """A whole number in [low, high], read like pain (`3/10`, 7.5 is 8). Raises ValueError."""
    value = read(raw)
    if value is None or not low <= value <= high:
        raise ValueError(raw)
    return value


def read_checklist(raw: str, count: int, labels: Sequence[str] = ()) -> list[int]:
    """The items ticked, as 0-based indices in order: numbers from 1 to `count` (`1 3`, `1,3`,
    `1.`), an item's own words when `labels` are given, or a none word (`none`, `no`, `0`,
    `ninguno`) for nothing. The interview's rule (`answer_reading.pick_items`). Raises
    ValueError."""
    if is_none_answer(raw):
        return []
    items = [(f"item{n}", labels[n] if n < len(labels) else f"item{n}") for n in range(count)]
    return [int(oid[4:]) for oid in pick_items(raw, items)]


def read_choice(raw: str, options: Sequence[tuple[str, str]]) -> str:
    """One option's id: by its number, its id or its words (`No`), and a none word for an
    option `none`. Raises ValueError (a bare `yes` names no option, so it is asked again)."""
    ids = [oid for oid, _label in options]
    text = " ".join(raw.casefold().split())
    if text.isdigit() and 1 <= int(text) <= len(options):
        return ids[int(text) - 1]
    for oid, label in options:
        if text in (oid, " ".join(label.casefold().split())):
            return oid
    if "none" in ids and (text in none_words() or text == "0"):
        return "none"
    raise ValueError(raw)


# -- asking until a reply can be used -----------------------------------------------------------


@dataclass(frozen=True)
class Retry:
    """The retry lines, each with `{hint}` (and `{answer}`), in the person's language."""

    invalid: str
    empty: str
    unreadable: str

    @classmethod
    def of(cls, lang: str) -> Retry:
        words = question_words(lang)
        return cls(words.get("invalid"), words.get("empty"), words.get("unreadable"))

    def message(self, raw: str, hint: str) -> str:
        if not raw.strip():
            return self.empty.format(hint=hint)
        if UNREADABLE in raw:
            return self.unreadable.format(hint=hint)
        return self.invalid.format(answer=repr(raw.strip()), hint=hint)


def ask_until(
    ask: Callable[[], str],
    say: Callable[[str], None],
    parse: Callable[[str], T],
    hint: str,
    retry: Retry,
    *,
    optional: bool = False,
) -> T | None:
    """Ask (`ask` returns the typed line, EOFError when the input ends) until `parse` accepts
    the reply; an empty reply is None when `optional`. Each refusal is said with `retry`."""
    while True:
        raw = ask().strip()
        if not raw and optional:
            return None
        if raw:
            try:
                return parse(raw)
            except ValueError:
                pass
        say(retry.message(raw, hint))


def hint(lang: str, kind: str, **values: int) -> str:
    """The interview's hint for a kind of answer (`yes_no`, `number`, `checklist`...)."""
    return question_words(lang).get("hints", kind).format(**values)
