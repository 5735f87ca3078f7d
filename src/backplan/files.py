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
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise BackplanError(
            f"{display_path(path)}: the folder {display_path(folder)} does not exist"
        ) from None
    except PermissionError:
        raise BackplanError(
            f"{display_path(path)}: cannot write in {display_path(folder)}: permission denied"
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); give it the mode a normal new file would get.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
