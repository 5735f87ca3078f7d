"""Exercise illustrations drawn from pose data (see docs/pose-format.md)."""

from __future__ import annotations

from pathlib import Path

from backplan.exercise import Exercise
from backplan.plan import Figure


def figure_for(exercise: Exercise, folder: Path, lang: str = "en") -> Figure | None:
    """The exercise's illustration: its own image file, or a drawing of its pose, or None."""
    return None  # TODO(issue 6): draw poses
