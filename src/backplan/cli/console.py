"""Rich consoles for stdout and stderr that respect NO_COLOR and pipes.

Emoji codes are off: `:x:` in a name or a file (`root:x:0`) is text, never a picture. Control
characters in what people typed (an escape sequence in a name, a bell in a note, a bidi
override) are dropped as the text is written, so they can never recolour, retitle or rewrite
the terminal; the rest of the sequence (`[31m`) stays visible as plain text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache
from typing import Any, BinaryIO, TextIO

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


class GuardedOutput(io.TextIOBase):
    """Standard output that never raises: a full disk or a closed pipe is remembered, not thrown.

    The command runs to its end and keeps its exit code (a stop's 3 or 4 matters more than a
    lost line); `backplan.cli.app.main` then reports the failure on stderr.
    """

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.failure: OSError | None = None

    def write(self, text: str) -> int:
        if self.failure is None:
            try:
                self.stream.write(text)
            except OSError as exc:
                self.failure = exc
        return len(text)

    def flush(self) -> None:
        if self.failure is None:
            try:
                self.stream.flush()
            except OSError as exc:
                self.failure = exc

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.stream.errors

    @property
    def buffer(self) -> BinaryIO:
        """Bytes written here (click writes some through it) go through the same guard."""
        return _GuardedBytes(self)  # type: ignore[return-value]  # the write side of BinaryIO


class _GuardedBytes(io.RawIOBase):
    def __init__(self, text: GuardedOutput):
        self.text = text

    def write(self, data: Any) -> int:
        if self.text.failure is None:
            try:
                self.text.stream.flush()
                self.text.stream.buffer.write(data)
            except OSError as exc:
                self.text.failure = exc
        return len(data)

    def flush(self) -> None:
        self.text.flush()
        if self.text.failure is None:
            try:
                self.text.stream.buffer.flush()
            except OSError as exc:
                self.text.failure = exc

    def writable(self) -> bool:
        return True


def write_stdout_bytes(data: bytes) -> None:
    """A file's bytes on standard output (`-o -`; a PDF too, for `| lpr`)."""
    import sys

    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stdout (some test harnesses)
        sys.stdout.write(data.decode("utf-8", errors="replace"))
    else:
        sys.stdout.flush()
        stream.write(data)
    sys.stdout.flush()
