"""Writing files the tool produces so that an interrupted run never leaves a partial one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from backplan.errors import BackplanError, display_path


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write `data` to `path` all at once: a temp file in the same folder, fsync, then rename.

    Readers see either the old file or the whole new one. The temp file is removed on any
    failure, Ctrl-C included. Text is written as UTF-8.
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
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
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
        # mkstemp makes the file private (0600); give it the mode a normal new file would get.
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
