"""Drawn figures (their SVG markup) kept between runs in the user's cache folder.

Drawing an exercise's pose (solving each frame, then the SVG) costs a PDF or HTML handout
about 10 ms a figure, and importing the solver and the drawing code about 30 ms more; a
handout shows six. Each drawing is stored under a digest of everything it is drawn from: the
pose's data, its title, the language, its size (a warm-up's narrow column or a main
exercise's), and the size and time of every module of this package, so any change to the drawing
code (an edited install, a new version) makes every stored drawing stale. A drawing that
cannot be read, looks cut short or cannot be written is drawn again: the cache only ever
saves time. It holds exercise drawings and names, never health data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from backplan.files.atomic import write_atomic
from backplan.resources import code_stamp, start_code_folder, user_cache_dir

if TYPE_CHECKING:
    from backplan.figures.pose import Pose

Draw = Callable[["Pose", str, str, bool], str]


def drawn(draw: Draw, pose: Pose, title: str, lang: str = "en", small: bool = False) -> str:
    """`draw(pose, title, lang, small)`, read from the cache when this code drew it before."""
    folder = _folder()
    path = folder / f"{_digest(repr((_canonical(pose), title, lang, small)))}.svg"
    try:
        svg = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        svg = ""
    if _whole(svg):
        return svg
    svg = draw(pose, title, lang, small)
    try:
        if not folder.is_dir():
            start_code_folder(folder, "figures")
        write_atomic(path, svg.encode("utf-8"), private=False)
    except Exception:  # a cache that cannot be written costs only time
        pass
    return svg


def _whole(svg: str) -> bool:
    """A drawing as `draw` returns it, not an empty or cut-short file."""
    return "<svg" in svg and svg.rstrip().endswith("</svg>")


def _canonical(value: Any) -> Any:
    """The pose's data as plain, ordered values: every field of every model, by name. (A
    pickle would do, but it writes a model's set of given fields in an order that changes
    from one run to the next.)"""
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return (type(value).__name__, tuple((n, _canonical(getattr(value, n))) for n in fields))
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(repr(v) for v in value))
    return value


def _folder() -> Path:
    return user_cache_dir() / f"figures-{_code_key()}"


@cache
def _code_key() -> str:
    """The stamp of every module of this package (the pose solver and the drawing code)."""
    return code_stamp(sorted(Path(__file__).resolve().parent.glob("*.py")))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
