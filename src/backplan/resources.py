"""Where the built-in exercises and templates are: inside the installed package, found through
importlib.resources; in a source checkout (editable install), the top-level folders."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def _packaged(name: str) -> Path:
    packaged = Path(str(files("backplan") / name))
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name  # src/backplan/ -> repo root
    if checkout.is_dir():
        return checkout
    raise RuntimeError(f"backplan is installed without its {name}/ folder; reinstall it")


def builtin_exercises_dir() -> Path:
    return _packaged("exercises")


def builtin_templates_dir() -> Path:
    return _packaged("templates")


def package_data_dir() -> Path:
    """Data that belongs to the code (interview wording, message catalogues)."""
    return Path(__file__).resolve().parent / "data"
