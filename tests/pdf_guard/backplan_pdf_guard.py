"""Test-only: note every WeasyPrint render in a test not marked `pdf` (tests/conftest.py).

The render still runs, so the test behaves as it would; the test fails afterwards, naming
itself, so `pytest -m "not pdf"` stays a quick loop without PDFs.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

LOG_VARIABLE = "BACKPLAN_TEST_PDF_GUARD"  # the file each render is noted in


def watch(html_class: Any, log: str) -> Any:
    """Make `html_class.render` note each call in `log`; return the original to restore."""
    original = html_class.render

    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        caller = traceback.extract_stack(limit=8)[:-1]
        where = " <- ".join(f"{f.filename}:{f.lineno}" for f in reversed(caller[-4:]))
        with open(log, "a", encoding="utf-8") as notes:
            notes.write(f"pid {os.getpid()} {' '.join(sys.argv)[:200]!r}: {where}\n")
        return original(self, *args, **kwargs)

    html_class.render = render
    return original


class _WatchOnImport:
    """An import finder that watches WeasyPrint's renderer as soon as it is imported."""

    def __init__(self, log: str) -> None:
        self.log = log

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "weasyprint":
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module
        log = self.log

        def exec_and_watch(module: Any) -> None:
            exec_module(module)
            watch(module.HTML, log)

        spec.loader.exec_module = exec_and_watch  # type: ignore[method-assign]
        return spec


def install_from_environment() -> None:
    """In a child process of a test not marked `pdf`: watch WeasyPrint when it is imported."""
    log = os.environ.get(LOG_VARIABLE)
    if log:
        sys.meta_path.insert(0, _WatchOnImport(log))
