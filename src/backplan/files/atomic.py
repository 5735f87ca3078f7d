"""Writing files the tool produces so that an interrupted run never leaves a partial one."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

from backplan.errors import BackplanError, display_path

# A temp file is `.<name>.<pid>-<random>.tmp`: the pid says whether its writer still runs.
_TEMP = re.compile(r"^\..+\.(?P<pid>\d+)-[A-Za-z0-9_]{8}\.tmp$")
# Before the pid was in the name: `.<name>.<random>.tmp`.
_OLD_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
# A temp file whose writer is gone is removed once it is this old; one whose writer may still
# run (or that carries no pid, or another machine's pid on a shared folder) after STALE_AFTER_S.
ORPHAN_AFTER_S = 30
STALE_AFTER_S = 60 * 60


def write_atomic(path: Path, data: bytes | str, *, private: bool = True) -> Path:
    """Write `data` to `path` all at once: a temp file in the same folder, fsync, then rename.

    Readers see either the old file or the whole new one. The temp file is removed on any
    failure, Ctrl-C and SIGTERM included; one left by a killed run is removed by the next write
    to that folder. Text is written as UTF-8. `private` (the default: plans, notices, answers
    and reports are health data) makes the file 0600; otherwise it gets the usual umask mode.
    """
    path = Path(path)
    shown = display_path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise BackplanError(f"{shown}: is a folder; give a file name inside it")
    if path.exists() and not path.is_file():
        # os.replace would swap a device or a pipe (/dev/stdout, run as root) for a plain file.
        raise BackplanError(
            f"{shown}: is not a regular file (a device or a pipe); give a file name"
        )
    _sweep_once(folder)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=folder
        )
    except FileNotFoundError:
        raise BackplanError(f"{shown}: the folder {display_path(folder)} does not exist") from None
    except NotADirectoryError:
        raise BackplanError(f"{shown}: {display_path(folder)} is a file, not a folder") from None
    except PermissionError:
        raise BackplanError(
            f"{shown}: cannot write in {display_path(folder)}: permission denied"
        ) from None
    except OSError as exc:
        raise BackplanError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        if not private:
            # mkstemp makes the file private (0600); give it the mode a normal new file gets.
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            # A full disk or a folder swapped in meanwhile: the person can fix it, so no traceback.
            raise BackplanError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        raise
    return path


# Longest file name and path most filesystems take (NAME_MAX, PATH_MAX on Linux), in bytes.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 4096


def path_problem(value: str | os.PathLike[str]) -> str | None:
    """Why a path written in a file cannot name a file (NUL, a control character, too long).

    Checked before the path reaches the OS, which would raise on it rather than say no.
    """
    text = os.fspath(value)
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return "the path contains a control character (such as NUL); type the file name again"
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        return f"the path is longer than {MAX_PATH_BYTES} bytes"
    for part in re.split(r"[/\\]", text):
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            return f"a name in the path is longer than {MAX_NAME_BYTES} bytes, the limit"
    return None


_swept: set[tuple[int, str]] = set()


def _sweep_once(folder: Path) -> None:
    """`remove_stale_temps` the first time this process writes to `folder` (a batch writes
    hundreds of files to one folder; one sweep is enough)."""
    key = (os.getpid(), str(folder.resolve()))
    if key not in _swept:
        _swept.add(key)
        remove_stale_temps(folder)


def remove_stale_temps(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temp files a killed write left in `folder`; never one a live run is writing."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed  # mkstemp reports the folder's problem in words
    for entry in entries:
        name = entry.name
        if not name.endswith(".tmp") or not name.startswith("."):
            continue
        match = _TEMP.match(name)
        if match is None and not _OLD_TEMP.match(name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        writer_gone = match is not None and not _running(int(match["pid"]))
        if (writer_gone and age > ORPHAN_AFTER_S) or age > STALE_AFTER_S:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or cannot tell: leave its file alone
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
