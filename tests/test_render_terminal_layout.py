"""The terminal page's cheaper layout: an exercise's lines carry their own indent (no Rich
`Padding`) and the piped page is written as one segment, with the same text as before."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console, Group
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from backplan.i18n import words
from backplan.render import terminal
from backplan.render.wording import Wording
from backplan.requests import PlanCall, make_plan

ANSWERS = Path(__file__).parent / "data" / "answers" / "plan-home.yaml"


@pytest.fixture(scope="module")
def plan():
    made = make_plan(PlanCall(answers_path=ANSWERS))
    assert made.outcome.exercises
    return made.outcome


def printed(renderable, width: int, colour: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=colour, color_system="truecolor")
    console.print(renderable)
    return out.getvalue()


def without_trailing_spaces(text: str) -> str:
    """What a person sees: the spaces that end a line (among its colour codes) dropped."""
    return re.sub(r"(?:[ ]|\x1b\[[0-9;]*m)+\n", lambda m: m[0].replace(" ", ""), text)


def padded(item, number: int | None, w: Wording, monkeypatch) -> Group:
    """The exercise as it was laid out before: its lines, not indented, in a Padding."""
    with monkeypatch.context() as patch:
        patch.setattr(terminal, "_indented", lambda indent, part: part)
        name, *body, blank = terminal._item(item, number, w).renderables
    assert blank.plain == ""
    indent = terminal.INDENT if number is not None else 2
    return Group(name, Padding(Group(*body), (0, 0, 1, indent), expand=False))


@pytest.mark.parametrize("width", [30, 80])
@pytest.mark.parametrize("colour", [False, True])
def test_an_exercise_reads_as_it_did_in_a_padding(plan, width, colour, monkeypatch):
    w = Wording(words("en"))
    for number, item in [(None, i) for i in plan.warmup] + list(enumerate(plan.exercises, 1)):
        now = printed(terminal._item(item, number, w), width, colour)
        before = printed(padded(item, number, w, monkeypatch), width, colour)
        assert without_trailing_spaces(now) == without_trailing_spaces(before)
        assert item.name in now


def test_a_styled_text_in_a_bullet_keeps_its_style():
    console = Console(file=io.StringIO(), width=20, force_terminal=True)
    text = Text("Dose: ", style="bold")
    text.append("two sets of ten, three days a week")
    segments = list(console.render(terminal.Bullet("  ", text), console.options))
    words_shown = [s for s in segments if s.text.strip()]
    assert len(words_shown) > 1  # wrapped
    assert all(s.style is not None and s.style.bold for s in words_shown)
    leads = [s for s in segments if s.text and not s.text.strip() and s.text != "\n"]
    assert leads and all(s.style in (None, Style.null()) for s in leads)


def test_the_piped_page_has_no_trailing_spaces_and_ends_once(plan):
    out = io.StringIO()
    console = Console(file=out, width=60, force_terminal=False)
    terminal.print_plan(plan, console, None, words("en"))
    text = out.getvalue()
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert text.endswith("\n") and not text.endswith("\n\n\n")
    assert plan.exercises[0].name in text
