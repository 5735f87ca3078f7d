"""The one way tests compare output with a committed file: BACKPLAN_UPDATE_GOLDEN=1 rewrites it.

Golden files are the handouts in tests/data/golden, the figure snapshots, the JSON Schema, the
pose-angle picture in docs and `exercises validate`'s report on the broken corpus.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def updating() -> bool:
    return os.environ.get("BACKPLAN_UPDATE_GOLDEN") == "1"


def assert_golden(path: Path, text: str) -> None:
    """`text` must equal the committed file at `path` (rewritten first when updating)."""
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    assert path.is_file(), f"no golden file {shown}; run the tests with BACKPLAN_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{shown} differs from what the code makes; if the change is intended, run the tests "
        "with BACKPLAN_UPDATE_GOLDEN=1 and review the diff"
    )
