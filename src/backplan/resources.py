"""Where the built-in exercises and templates are: inside the installed package, found through
importlib.resources; in a source checkout (editable install), the top-level folders. And the
user's cache folder, with the stamp that tells a cache which code wrote it."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path

from platformdirs import user_cache_path

import backplan


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


def user_cache_dir() -> Path:
    """backplan's folder in the user's cache (parsed libraries, compiled templates, drawings)."""
    return user_cache_path("backplan", appauthor=False)


def code_stamp(modules: Iterable[Path]) -> str:
    """A digest of backplan's version and the size and time of each module: a cache written by
    other code (an edited install, a new version) is stale."""
    stamps = []
    for path in modules:
        try:
            stat = os.stat(path)
            stamps.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            stamps.append(f"{path.name}:missing")
    text = backplan.__version__ + "|" + "|".join(stamps)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def start_code_folder(folder: Path, kind: str) -> None:
    """Make this code's cache folder (`<kind>-<code stamp>`) and remove the ones older code of
    the same kind left (`<kind>` alone, or with another stamp)."""
    for old in folder.parent.glob(f"{kind}*"):
        ours = old.name == kind or old.name.startswith(f"{kind}-")
        if ours and old != folder and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
