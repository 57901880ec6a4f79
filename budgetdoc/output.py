"""Writing results to disk atomically.

Each file is written to a temporary file in the same folder, flushed to
disk, then renamed over the target: a reader (or Word, or git) sees either
the previous file or the new one, never half of one.  All outputs of a build
are prepared in memory first; if writing one fails, the ones already
replaced are the new versions and the rest are untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_outputs(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``{name: bytes}`` into ``folder``, each atomically; returns the paths."""
    written = []
    for name, data in files.items():
        target = folder / name
        write_atomic(target, data)
        written.append(target)
    return written
