"""Rich consoles for stdout and stderr that respect NO_COLOR and pipes.

Emoji codes are off: `:x:` in a name or a file (`root:x:0`) is text, never a picture.
"""

from __future__ import annotations

from functools import cache

from rich.console import Console


@cache
def out_console() -> Console:
    return Console(highlight=False, emoji=False)


@cache
def err_console() -> Console:
    return Console(stderr=True, highlight=False, emoji=False)
