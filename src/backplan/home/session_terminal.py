"""The terminal side of a guided session: prompts, and countdown bars that Enter skips and `p`
pauses. Plain lines when the console is not a terminal; keys are read only from a real one.
"""

from __future__ import annotations

import contextlib
import math
import os
import select
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, TypeVar

from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Column, Table
from rich.text import Text

from backplan.home.session import AnswerNotRead
from backplan.i18n import words
from backplan.intake.interview import tolerant
from backplan.intake.reading import read_yes_no
from backplan.prompt import Retry, ask_until, hint, read_checklist, read_number
from backplan.render import RenderOptions, print_outcome
from backplan.render.terminal import trimmed

if sys.platform != "win32":  # POSIX only: reading single keys during a countdown
    import termios
    import tty

if TYPE_CHECKING:
    from rich.console import Console

    from backplan.home.session import Style
    from backplan.planning.outcome import Stop

T = TypeVar("T")

# For tests and demos: BACKPLAN_TIME_SCALE=0 makes every hold and rest end at once,
# 0.1 makes them ten times shorter. Not a user option (docs/sessions.md, "Testing").
TIME_SCALE_ENV = "BACKPLAN_TIME_SCALE"
_TICK_S = 0.1

_STYLES: dict[str, str] = {
    "title": "bold reverse",
    "heading": "bold",
    "step": "",
    "cue": "italic",
    "warn": "bold red",
    "ok": "bold green",
    "dim": "dim",
}


def time_scale_from_env() -> float:
    raw = os.environ.get(TIME_SCALE_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return 1.0
    return value if value >= 0 and math.isfinite(value) else 1.0


class TerminalIO:
    """SessionIO on a Rich console and a text stream (stdin)."""

    def __init__(
        self,
        console: Console,
        *,
        stdin: IO[str] | None = None,
        time_scale: float = 1.0,
        render_options: RenderOptions | None = None,
        quiet: bool = False,
        lang: str | None = None,
    ):
        """`lang`: the language it speaks (None: the render options', else English)."""
        self.console = console
        # bytes that are not UTF-8 are read as U+FFFD, and the prompt asks again (issue 13.5)
        self.stdin = tolerant(stdin if stdin is not None else sys.stdin)
        self.time_scale = time_scale
        self.render_options = render_options
        self.quiet = quiet  # no bell and no flash when a timer ends (`session --quiet`)
        options_lang = render_options.lang if render_options is not None else None
        self.words = words(lang or options_lang or "en")

    # -- output ---------------------------------------------------------------------------

    def show(self, text: str, style: Style = "") -> None:
        if style in ("title", "heading"):
            self.console.print()
        if style == "title" and self.console.is_terminal:
            self.console.rule(f"[bold]{escape(text)}[/]", align="left")
            return
        with trimmed(self.console):  # a wrapped line keeps no space at its end when piped
            self.console.print(text, style=_STYLES.get(style, ""), markup=False, highlight=False)

    def show_list(self, lines: Sequence[str], *, numbered: bool = True, style: Style = "") -> None:
        """A list whose wrapped lines stay indented under their own text."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()
        for number, line in enumerate(lines, start=1):
            marker = f"{number}." if numbered else "-"
            grid.add_row(marker, Text(line, style=_STYLES.get(style, "")))
        if lines:
            with trimmed(self.console):  # no padding spaces in a piped transcript
                self.console.print(grid)

    def show_stop(self, stop: Stop) -> None:
        print_outcome(stop, self.console, self.render_options or RenderOptions(lang=stop.lang))

    # -- questions ------------------------------------------------------------------------

    def _line(self, question: str, hint: str) -> str:
        """Ask: the question on its own line(s), then the hint and `>` where the answer goes."""
        if question:
            with trimmed(self.console):
                self.console.print(question, style="bold", markup=False, highlight=False)
        piped = not _is_tty(self.stdin)
        # Piped, the space after `>` comes with the echoed answer: no line ends in a space.
        self.console.print(f"  {escape(hint)} >" if hint else "  >", end="" if piped else " ")
        line = self.stdin.readline()
        if not line:
            self.console.print()
            raise EOFError
        if piped:  # piped answers are not echoed by a terminal
            answer = line.rstrip("\r\n")
            self.console.print(f" {answer}" if answer else "", markup=False, highlight=False)
        return line.strip()

    def _ask(self, prompt: str, shown: str, parse: Callable[[str], T], retry_hint: str) -> T:
        """backplan.prompt's loop (the interview's readers and retry lines), with the hint
        `shown` beside `>` and the question only the first time."""
        question = [prompt]
        unread: list[str] = []  # the last answer, while it could not be read

        def ask() -> str:
            line = self._line(question.pop() if question else "", shown)
            return line

        def read(raw: str) -> T:
            unread[:] = [raw]
            value = parse(raw)  # ValueError: asked again, and `raw` stays unread
            unread.clear()
            return value

        retry = Retry.of(self.words.lang)
        try:
            return ask_until(ask, self._warn, read, retry_hint, retry)  # type: ignore[return-value]
        except EOFError:
            if unread:  # the input ended right after an answer that could not be read
                raise AnswerNotRead(unread[0]) from None
            raise

    def _warn(self, message: str) -> None:
        self.console.print(message, style="yellow", markup=False, highlight=False)

    def ask_number(self, prompt: str, low: int, high: int) -> int:
        """A whole number, read like pain everywhere (`3/10`, a fraction rounded up)."""
        return self._ask(
            prompt,
            f"{low}-{high}",
            lambda raw: read_number(raw, low, high),
            hint(self.words.lang, "number", min=low, max=high),
        )

    def ask_yes_no(self, prompt: str) -> bool:
        _ = self.words.gettext
        return self._ask(prompt, _("yes/no"), read_yes_no, hint(self.words.lang, "yes_no"))

    def ask_text(self, prompt: str) -> str:
        return self._line(prompt, "")

    def ask_checklist(self, prompt: str, options: Sequence[str]) -> list[int]:
        _ = self.words.gettext
        self.console.print(prompt, style="bold", markup=False, highlight=False)
        self.show_list(options)
        return self._ask(
            "",
            _("numbers that apply, or 0 for none"),
            lambda raw: read_checklist(raw, len(options), options),
            hint(self.words.lang, "checklist"),
        )

    def wait(self, prompt: str) -> None:
        _ = self.words.gettext
        self._line(prompt, _("Enter"))

    # -- timers ---------------------------------------------------------------------------

    def countdown(self, label: str, seconds: int) -> None:
        """A bar counting `seconds` down; Enter skips it, `p` pauses and resumes."""
        _ = self.words.gettext
        total = seconds * self.time_scale
        keys_live = self.console.is_terminal and _is_tty(self.stdin)
        progress = Progress(
            TextColumn(
                "{task.description}",
                markup=False,
                table_column=Column(width=40, no_wrap=True, overflow="ellipsis"),
            ),
            BarColumn(bar_width=None),
            TextColumn("{task.fields[left]:>4} s"),
            console=self.console,
            # Only the running timer stays on screen: the session prints a line per set done.
            transient=True,
            auto_refresh=False,
        )
        skipped = False
        with progress, _keys(self.stdin if keys_live else None) as read_key:
            task = progress.add_task(label, total=seconds, left=seconds)
            elapsed = 0.0
            paused = False
            last = time.monotonic()
            while elapsed < total:
                key = read_key(_TICK_S)
                moment = time.monotonic()
                if not paused:
                    elapsed += moment - last
                last = moment
                if key in ("\n", "\r"):
                    skipped = True
                    break
                if key in ("p", "P"):
                    paused = not paused
                    shown = _("Paused: press p to go on") if paused else label
                    progress.update(task, description=shown)
                done = seconds * min(elapsed / total, 1.0)
                progress.update(task, completed=done, left=math.ceil(seconds - done))
                progress.refresh()
        if not skipped:
            self._time_is_up()

    def _time_is_up(self) -> None:
        """A bell and a flash of the screen: the person may be on the floor, not looking."""
        if self.quiet or not self.console.is_terminal:
            return
        out = self.console.file
        out.write("\a\x1b[?5h")  # bell, then reverse video (a "visual bell")
        out.flush()
        time.sleep(0.2 * min(self.time_scale, 1.0))
        out.write("\x1b[?5l")
        out.flush()


def _is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def _keys(stream: IO[str] | None) -> Iterator[Callable[[float], str | None]]:
    """A function reading one key (or None after a timeout): from a terminal in cbreak mode,
    so keys arrive without Enter and are not echoed; Ctrl-C still interrupts."""
    if stream is None:

        def sleep(timeout: float) -> str | None:
            time.sleep(timeout)
            return None

        yield sleep
        return
    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)

        def read(timeout: float) -> str | None:
            ready, _w, _x = select.select([fd], [], [], timeout)
            if not ready:
                return None
            return os.read(fd, 1).decode("utf-8", "replace")

        yield read
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
