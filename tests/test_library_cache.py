"""The parsed-library cache: a second load reads no unchanged file, an edited file is read
anew, and a broken cache costs only time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backplan.library import cache as library_cache
from backplan.library import catalogue
from backplan.library.catalogue import check_library
from backplan.resources import builtin_exercises_dir


def exercise_text() -> str:
    """A built-in exercise under a new id (a valid file a clinic might add)."""
    text = (builtin_exercises_dir() / "bird-dog.yaml").read_text(encoding="utf-8")
    assert "id: bird-dog\n" in text
    return text.replace("id: bird-dog\n", "id: bird-dog-cache\n", 1)


@pytest.fixture
def reads(fresh_cache, monkeypatch):
    """The exercise files actually read (not taken from the cache), by name; the cache
    starts empty."""
    seen: list[str] = []
    real = catalogue._load_exercise

    def counting(path: Path, shown: str):
        seen.append(path.name)
        return real(path, shown)

    monkeypatch.setattr(catalogue, "_load_exercise", counting)
    return seen


def test_a_second_load_reads_no_unchanged_file(tmp_path, reads):
    (tmp_path / "wall-sit.yaml").write_text(exercise_text(), encoding="utf-8")
    first, problems = check_library([tmp_path], poses=False)
    assert problems == [] and "bird-dog-cache" in first.exercises
    assert "wall-sit.yaml" in reads and len(reads) > 1  # the built-in files too
    reads.clear()
    second, problems = check_library([tmp_path], poses=False)
    assert reads == [] and problems == []
    assert second.exercises.keys() == first.exercises.keys()
    assert second.get("bird-dog-cache") == first.get("bird-dog-cache")


def test_an_edited_file_is_read_again_and_its_problems_reported(tmp_path, reads):
    path = tmp_path / "wall-sit.yaml"
    path.write_text(exercise_text(), encoding="utf-8")
    check_library([tmp_path], poses=False)
    reads.clear()
    path.write_text(exercise_text().replace("reps: 6,", "reps: lots,"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    _library, problems = check_library([tmp_path], poses=False)
    assert reads == ["wall-sit.yaml"]
    assert any("wall-sit.yaml" in p.path and p.line == 25 for p in problems), problems


def test_a_broken_cache_file_is_ignored_and_replaced(tmp_path, reads):
    (tmp_path / "wall-sit.yaml").write_text(exercise_text(), encoding="utf-8")
    check_library([tmp_path], poses=False)
    cached = library_cache.open_folder(tmp_path)
    assert cached.path is not None and cached.entries
    cached.path.write_bytes(b"not a pickle")
    reads.clear()
    library, problems = check_library([tmp_path], poses=False)
    assert "wall-sit.yaml" in reads and problems == [] and "bird-dog-cache" in library.exercises
    assert library_cache.open_folder(tmp_path).entries  # written again
