import os
import time

import pytest

from backplan.errors import BackplanError
from backplan.files import atomic as files
from backplan.files.atomic import write_atomic


def test_writes_text_as_utf8(tmp_path):
    target = tmp_path / "plan.md"
    assert write_atomic(target, "Señora\n") == target
    assert target.read_bytes() == "Señora\n".encode()


def test_replaces_an_existing_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf"]


def test_new_file_is_private_health_data(tmp_path):
    target = tmp_path / "plan.html"
    write_atomic(target, "x")
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_file_that_is_not_health_data_gets_the_umask_mode(tmp_path):
    target = tmp_path / "figure.svg"
    old = os.umask(0o022)
    try:
        write_atomic(target, "x", private=False)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def _dead_pid() -> int:
    """The id of a process that has exited (a child we waited for)."""
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(child.stdout)


def test_temp_files_of_a_killed_write_are_removed_by_the_next_write(tmp_path):
    old = time.time() - files.ORPHAN_AFTER_S - 10
    orphan = tmp_path / f".plan.pdf.{_dead_pid()}-abcd1234.tmp"
    mine = tmp_path / f".plan.pdf.{os.getpid()}-efgh5678.tmp"  # a live writer's
    fresh = tmp_path / f".other.pdf.{_dead_pid()}-ijkl9012.tmp"  # too recent to judge
    legacy = tmp_path / ".plan.pdf.mnop3456.tmp"  # no pid: only once an hour old
    unrelated = tmp_path / ".notes.tmp"
    for p in (orphan, mine, fresh, legacy, unrelated):
        p.write_bytes(b"half")
        os.utime(p, (old, old))
    os.utime(fresh, None)
    write_atomic(tmp_path / "next.pdf", b"%PDF")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert orphan.name not in left
    assert {mine.name, fresh.name, legacy.name, unrelated.name, "next.pdf"} == set(left)
    hour_ago = time.time() - files.STALE_AFTER_S - 10
    os.utime(legacy, (hour_ago, hour_ago))
    assert files.remove_stale_temps(tmp_path) == [legacy]


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), MemoryError()])
def test_interrupted_write_leaves_no_partial_and_no_temp(tmp_path, monkeypatch, exc):
    target = tmp_path / "plan.pdf"

    def boom(fd):
        raise exc

    monkeypatch.setattr(files.os, "fsync", boom)
    with pytest.raises(type(exc)):
        write_atomic(target, b"%PDF-1.7 half written")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"old plan")

    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new plan")
    assert target.read_bytes() == b"old plan"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(BackplanError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "plan.pdf", b"x")


def test_relative_path_in_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_atomic(os.path.join("plan.json"), "{}")
    assert (tmp_path / "plan.json").read_text() == "{}"


def test_a_folder_named_as_the_file_is_a_user_error(tmp_path):
    (tmp_path / "plan.json").mkdir()
    with pytest.raises(BackplanError, match="is a folder"):
        write_atomic(tmp_path / "plan.json", "{}")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_a_file_where_the_folder_should_be_is_a_user_error(tmp_path):
    (tmp_path / "notes").write_text("x")
    with pytest.raises(BackplanError, match="not a folder"):
        write_atomic(tmp_path / "notes" / "plan.json", "{}")


def test_a_device_or_pipe_is_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(BackplanError, match="not a regular file"):
        write_atomic(fifo, "{}")
    assert fifo.is_fifo()
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_disk_errors_are_user_errors_and_leave_no_temp(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(BackplanError, match="No space left on device"):
        write_atomic(tmp_path / "plan.pdf", b"x")
    assert list(tmp_path.iterdir()) == []
