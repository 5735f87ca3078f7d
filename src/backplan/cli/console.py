"""Rich consoles for stdout and stderr that respect NO_COLOR and pipes."""

from __future__ import annotations

from functools import cache

from rich.console import Console


@cache
def out_console() -> Console:
    return Console(highlight=False)


@cache
def err_console() -> Console:
    return Console(stderr=True, highlight=False)
