"""What a patient ticked on the printed two-week log, typed in a few keystrokes a day.

`2026-12-01 W 1 2 pain 3 d3 1 4 pain 2`: a date (or `dN`, day N of the printed log) starts a
day; then the numbers of the exercises ticked, as printed on the log (`W` or `C` is the
warm-up row), and `pain N`, the day's pain 0-10.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from backplan.errors import BackplanError
from backplan.intake.screening import PAIN_SEVERE_MIN

WARMUP_BADGES = ("w", "c")  # the warm-up row's badge: W (English), C (calentamiento)
PAIN_WORDS = ("pain", "dolor")
_DAY = re.compile(r"^(?:d|day|dia|día)(\d{1,2})$")
_PAIN_GLUED = re.compile(r"^(?:pain|dolor)[:=](.+)$")


@dataclass
class PaperDay:
    """One day of the printed log."""

    day: dt.date
    warmup: bool = False
    exercises: list[int] = field(default_factory=list)  # numbers on the log, 1-based
    pain: int | None = None


def parse_days(
    tokens: Sequence[str], *, plan_date: dt.date, exercises: int, has_warmup: bool, weeks: int = 2
) -> list[PaperDay]:
    """The days the tokens describe; a BackplanError (exit 2) names the first token that is wrong."""
    days: list[PaperDay] = []
    last_day = plan_date + dt.timedelta(days=weeks * 7 - 1)
    words = [t.strip().lower() for t in tokens if t.strip()]
    i = 0
    while i < len(words):
        word = words[i]
        day = _as_day(word, plan_date, weeks)
        if day is not None:
            if any(d.day == day for d in days):
                raise _bad(word, i, "this day is given twice; put everything for it together")
            days.append(PaperDay(day))
            i += 1
            continue
        if not days:
            raise _bad(word, i, "start with the day: a date like 2026-12-01, or d1 to d14")
        current = days[-1]
        glued = _PAIN_GLUED.match(word)
        if word in PAIN_WORDS or glued:
            value = glued.group(1) if glued else (words[i + 1] if i + 1 < len(words) else "")
            current.pain = _pain(value, i)
            i += 1 if glued else 2
            continue
        if word in WARMUP_BADGES:
            if not has_warmup:
                raise _bad(word, i, "this plan has no warm-up row")
            current.warmup = True
        elif word.isdigit() and 1 <= int(word) <= exercises:
            if int(word) not in current.exercises:
                current.exercises.append(int(word))
        else:
            badges = "W, " if has_warmup else ""
            raise _bad(
                word, i, f"not an exercise on this log: use {badges}1 to {exercises}, or pain N"
            )
        i += 1
    for d in days:
        if not (plan_date <= d.day <= last_day):
            raise BackplanError(
                f"{d.day.isoformat()}: the printed log runs from {plan_date.isoformat()} to "
                f"{last_day.isoformat()}"
            )
    if not days:
        raise BackplanError(
            "nothing to add: give a day, then what was ticked, e.g. d1 W 1 2 pain 3"
        )
    return days


def _as_day(word: str, plan_date: dt.date, weeks: int) -> dt.date | None:
    match = _DAY.match(word)
    if match:
        number = int(match.group(1))
        if not 1 <= number <= weeks * 7:
            raise BackplanError(f"`{word}`: the printed log has days 1 to {weeks * 7}")
        return plan_date + dt.timedelta(days=number - 1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        try:
            return dt.date.fromisoformat(word)
        except ValueError:
            raise BackplanError(f"`{word}` is not a date; write it as YYYY-MM-DD") from None
    return None


def _pain(value: str, index: int) -> int:
    text = value.replace(" ", "")
    if text.endswith("/10"):
        text = text[:-3]
    if not text.isdigit() or not 0 <= int(text) <= 10:
        raise _bad(value or "pain", index, "pain is a whole number from 0 to 10, e.g. pain 3")
    return int(text)


def _bad(word: str, index: int, message: str) -> BackplanError:
    return BackplanError(f"word {index + 1} `{word}`: {message}")


@dataclass(frozen=True)
class PaperEntry:
    """One paper day, ready for the log: when, the plan items ticked, the day's pain."""

    started_at: str  # ISO 8601, noon local time on the day (paper records no time)
    done: tuple[dict[str, object], ...]
    pain: int | None
    severe: bool  # the day's pain is in the severe band: the log marks it as a stop


def entries_for(days: Sequence[PaperDay], plan_data: dict[str, object]) -> list[PaperEntry]:
    """What each day's ticks mean in the plan: the warm-up row is every warm-up of the plan."""
    warmups = list(plan_data.get("warmup") or [])  # type: ignore[call-overload]
    exercises = list(plan_data.get("exercises") or [])  # type: ignore[call-overload]
    entries = []
    for day in days:
        done = [_logged(w, "warmup") for w in warmups] if day.warmup else []
        done += [_logged(exercises[n - 1], "modified") for n in day.exercises]
        noon = dt.datetime.combine(day.day, dt.time(12)).astimezone()
        entries.append(
            PaperEntry(
                noon.isoformat(timespec="seconds"),
                tuple(done),
                day.pain,
                # clinical-screening.md §3 derived stops: pain 7 or more is severe.
                day.pain is not None and day.pain >= PAIN_SEVERE_MIN,
            )
        )
    return entries


def _logged(item: dict[str, object], kind: str) -> dict[str, object]:
    dose = item.get("dose") if isinstance(item.get("dose"), dict) else {}
    assert isinstance(dose, dict)
    return {
        "id": item["id"],
        "name": item.get("name"),
        "kind": item.get("kind") or kind,
        "sets": dose.get("sets") or 1,
        "reps": dose.get("reps"),
        "hold_s": dose.get("hold_s"),
    }
