"""`backplan exercises preview`: not built yet (placeholder)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add `preview` to the `exercises` group."""
