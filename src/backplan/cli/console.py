"""Rich consoles for stdout and stderr that respect NO_COLOR and pipes.

Emoji codes are off: `:x:` in a name or a file (`root:x:0`) is text, never a picture. Control
characters in what people typed (an escape sequence in a name, a bell in a note, a bidi
override) are dropped as the text is written, so they can never recolour, retitle or rewrite
the terminal; the rest of the sequence (`[31m`) stays visible as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rich.console import Console
from rich.segment import Segment

from backplan.render.controls import CONTROL, without_controls

__all__ = ["CONTROL", "without_controls"]


class SafeConsole(Console):
    """A Console that writes people's text without its control characters.

    Only plain text segments are cleaned; Rich's own control segments (cursor moves of a
    progress bar) and the colour codes it adds for styles are written as usual.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        cleaned = (
            segment
            if segment.control or not CONTROL.search(segment.text)
            else Segment(without_controls(segment.text), segment.style, segment.control)
            for segment in buffer
        )
        return super()._render_buffer(cleaned)


@cache
def out_console() -> Console:
    return SafeConsole(highlight=False, emoji=False)


@cache
def err_console() -> Console:
    return SafeConsole(stderr=True, highlight=False, emoji=False)
