"""Standard output that cannot crash a command, a file's bytes written to it, and a plain
line on stderr.

Apart from the Rich consoles (cli/console.py), so a command that only writes a file
(`plan -f html`, `-o plan.html`, `-o -`) never imports Rich's console (about 16 ms of a run).
"""

from __future__ import annotations

import io
import sys
from typing import Any, BinaryIO, TextIO

from backplan.render.controls import without_controls


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
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stdout (some test harnesses)
        sys.stdout.write(data.decode("utf-8", errors="replace"))
    else:
        sys.stdout.flush()
        stream.write(data)
    sys.stdout.flush()


def tell(text: str) -> None:
    """One line for the person on stderr, without its control characters, never wrapped (a
    path in it is copied whole)."""
    sys.stderr.write(without_controls(text) + "\n")
    sys.stderr.flush()
