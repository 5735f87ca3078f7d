"""`backplan batch`: not built yet (placeholder so the command list is declared in one place)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the top-level app."""
