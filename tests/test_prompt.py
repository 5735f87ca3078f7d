"""The one prompt component (issue 18): the interview and the session read replies alike."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from backplan.home.session_terminal import TerminalIO
from backplan.intake.interview import StreamIO, _Asker, question_words
from backplan.prompt import Retry, ask_until, read_checklist, read_choice, read_number

LEGS = [
    ("none", "No"),
    ("one_leg_above_knee", "Yes, in one leg, only above the knee"),
    ("one_leg_below_knee", "Yes, in one leg, going below the knee"),
    ("both_legs", "Yes, in both legs"),
]


@pytest.mark.parametrize("raw", ["none", "no", "No", "0", "ninguno", "nada", " NONE "])
def test_a_none_word_is_nothing_ticked(raw):
    assert read_checklist(raw, 8) == []


@pytest.mark.parametrize(("raw", "ticked"), [("1 3", [0, 2]), ("3,1", [0, 2]), ("2; 2", [1])])
def test_numbers_tick_items(raw, ticked):
    assert read_checklist(raw, 3) == ticked


@pytest.mark.parametrize("raw", ["4", "1 x", "yes", "-1", ""])
def test_a_checklist_refuses_what_ticks_nothing_known(raw):
    with pytest.raises(ValueError):
        read_checklist(raw, 3)


@pytest.mark.parametrize(
    ("raw", "chosen"),
    [("1", "none"), ("no", "none"), ("No", "none"), ("ninguno", "none"), ("4", "both_legs")],
)
def test_a_choice_by_number_or_words(raw, chosen):
    assert read_choice(raw, LEGS) == chosen


@pytest.mark.parametrize("raw", ["yes", "sí", "5", "leg"])
def test_a_choice_refuses_what_names_no_option(raw):
    # a bare yes names no leg: asked again, never guessed
    with pytest.raises(ValueError):
        read_choice(raw, LEGS)


@pytest.mark.parametrize(("raw", "value"), [("3", 3), ("3/10", 3), ("7.5", 8), ("9 de 10", 9)])
def test_a_number_reads_like_pain(raw, value):
    assert read_number(raw, 0, 10) == value


@pytest.mark.parametrize("raw", ["11", "eleven", "-1"])
def test_a_number_out_of_range_is_refused(raw):
    with pytest.raises(ValueError):
        read_number(raw, 0, 10)


def test_the_retry_lines_are_the_interviews_in_each_language():
    said: list[str] = []
    replies = iter(["", "eleven", "\ufffd", "4"])
    got = ask_until(
        lambda: next(replies),
        said.append,
        lambda raw: read_number(raw, 0, 10),
        "HINT",
        Retry.of("es"),
    )
    assert got == 4
    es = question_words("es")
    assert said == [
        es.get("empty").format(hint="HINT"),
        es.get("invalid").format(answer="'eleven'", hint="HINT"),
        es.get("unreadable").format(hint="HINT"),
    ]


def _interview_asker(lines: list[str]) -> tuple[_Asker, io.StringIO]:
    out = io.StringIO()
    stream = StreamIO(out, io.StringIO("".join(f"{line}\n" for line in lines)), echo=False)
    return _Asker(stream, question_words("en")), out


def _session(lines: list[str]) -> tuple[TerminalIO, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=False, no_color=True)
    terminal = TerminalIO(console, stdin=io.StringIO("".join(f"{line}\n" for line in lines)))
    return terminal, out


@pytest.mark.parametrize(
    ("lines", "expected"), [(["eleven", "3/10"], 3), (["", "7.5"], 8), (["12", "0"], 0)]
)
def test_interview_and_session_read_a_score_alike_and_say_the_same(lines, expected):
    asker, interview_out = _interview_asker(lines)
    assert asker.number("Pain?", 0, 10, read=lambda raw: read_number(raw, 0, 10)) == expected
    session, session_out = _session(lines)
    assert session.ask_number("Pain?", 0, 10) == expected
    retry = Retry.of("en").message(lines[0], "Type a whole number from 0 to 10.")
    assert retry in interview_out.getvalue()
    assert retry in session_out.getvalue()


@pytest.mark.parametrize("lines", [["no"], ["0"], ["none"], ["ninguno"], ["x", "none"]])
def test_interview_and_session_checklists_accept_the_same_nothing(lines):
    items = [("a", "A"), ("b", "B")]
    asker, _out = _interview_asker(lines)
    assert asker.checklist("Any?", items) == []
    session, _out2 = _session(lines)
    assert session.ask_checklist("Any?", ["A", "B"]) == []


@pytest.mark.parametrize(("reply", "answer"), [("sí", True), ("No", False), ("y", True)])
def test_interview_and_session_read_yes_and_no_alike(reply, answer):
    asker, _out = _interview_asker([reply])
    assert asker.yes_no("Sharp?") is answer
    session, _out2 = _session([reply])
    assert session.ask_yes_no("Sharp?") is answer


# -- issue 18: a bell and a flash when a timer ends ---------------------------------------------


def _timer_output(*, quiet: bool, terminal: bool = True) -> str:
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=terminal, no_color=True)
    timer = TerminalIO(console, stdin=io.StringIO(""), time_scale=0, quiet=quiet)
    timer.countdown("Hold", 5)
    return out.getvalue()


def test_a_timer_ends_with_a_bell_and_a_flash():
    shown = _timer_output(quiet=False)
    assert "\a" in shown
    assert shown.index("\x1b[?5h") < shown.index("\x1b[?5l")  # the screen flashes back


def test_quiet_means_no_bell_and_no_flash():
    shown = _timer_output(quiet=True)
    assert "\a" not in shown and "\x1b[?5h" not in shown


def test_no_bell_in_a_pipe():
    shown = _timer_output(quiet=False, terminal=False)
    assert "\a" not in shown and "\x1b[?5h" not in shown
