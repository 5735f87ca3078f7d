"""The parsed exercise files of a library folder, kept between runs in the user's cache folder.

Reading an exercise file (YAML with the position of every value, then the pydantic model)
costs about a millisecond; the built-in library is most of what `plan` does before it
prints, and a clinic's 2,000-file library takes seconds. Each folder's results (the
exercise, its source with positions, its problems) are pickled once and reused while the
file's size and modification time, the path it is shown under and backplan's own code are
unchanged; any other file is read as usual. A cache that cannot be read or written is
ignored: it only ever saves time. It holds exercise texts, not health data.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import backplan
from backplan.files.atomic import write_atomic
from backplan.resources import code_stamp, user_cache_dir

# The modules whose code decides what reading a file gives: a change to any of them (an
# edited install, a new version) makes every cached entry stale.
_READERS = (
    "library/model.py",
    "library/catalogue.py",
    "library/cache.py",
    "files/yaml_source.py",
    "files/problems.py",
    "figures/pose.py",
)

Entry = tuple[str, int, int, Any]  # shown path, size, mtime (ns), the reading's result


@dataclass
class FolderCache:
    """One folder's cached readings, and the ones this run made or used."""

    path: Path | None
    entries: dict[str, Entry] = field(default_factory=dict)
    kept: dict[str, Entry] = field(default_factory=dict)
    changed: bool = False

    def get(self, file: Path, shown: str) -> tuple[Any, tuple[int, int] | None]:
        """The cached reading of `file` if it is still valid, and the file's (size, mtime)."""
        try:
            stat = file.stat()
        except OSError:
            return None, None
        stamp = (stat.st_size, stat.st_mtime_ns)
        entry = self.entries.get(file.name)
        if entry is not None and entry[:3] == (shown, *stamp):
            self.kept[file.name] = entry
            return entry[3], stamp
        return None, stamp

    def put(self, file: Path, shown: str, stamp: tuple[int, int] | None, result: Any) -> None:
        if stamp is not None:
            self.kept[file.name] = (shown, *stamp, result)
            self.changed = True

    def save(self) -> None:
        """Write this run's readings back, if any is new or any old one is gone."""
        if self.path is None or not (self.changed or self.kept.keys() != self.entries.keys()):
            return
        data = pickle.dumps((_code_key(), self.kept), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, data, private=False)
        except Exception:  # a cache that cannot be written costs only time
            pass


def open_folder(folder: Path) -> FolderCache:
    """The cache of one library folder (empty when there is none or it is stale)."""
    path = user_cache_dir() / f"library-{_digest(str(folder.resolve()))}.pickle"
    try:
        with open(path, "rb") as f:
            key, entries = pickle.load(f)  # our own file in the user's cache
    except Exception:  # missing, unreadable or from another version
        return FolderCache(path)
    if key != _code_key() or not isinstance(entries, dict):
        return FolderCache(path)
    return FolderCache(path, entries)


def _code_key() -> str:
    package = Path(backplan.__file__).resolve().parent
    return code_stamp(package / name for name in _READERS)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
