"""budgetdoc's cache folder: compiled templates kept between runs, so a cold start skips compiling them.

Jinja compiles each template to Python code; the code is stored under the
user's cache folder (``$BUDGETDOC_CACHE_DIR``, else
``$XDG_CACHE_HOME/budgetdoc`` or ``~/.cache/budgetdoc``) with a checksum of
the template's source and the Python and Jinja versions, and is used only
while all three match (Jinja's ``FileSystemBytecodeCache``).  The report is
the same either way; the cache saves the ~35 ms of compiling the report's
templates in each new process.

The folder must belong to the user and be writable by nobody else (it holds
code that runs); otherwise, or when it cannot be made, or with
``BUDGETDOC_CACHE_DIR`` set to an empty value, nothing is cached.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path


def cache_dir() -> Path | None:
    """The cache folder, made when missing; None when caching is off or the folder is not safe to use."""
    configured = os.environ.get("BUDGETDOC_CACHE_DIR")
    if configured is not None:
        if not configured:
            return None
        root = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = Path(base) / "budgetdoc"
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = root.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return root


@functools.lru_cache(maxsize=1)
def template_cache():
    """Jinja's bytecode cache in :func:`cache_dir` (``templates/``), or None."""
    root = cache_dir()
    if root is None:
        return None
    folder = root / "templates"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    from jinja2 import FileSystemBytecodeCache

    return FileSystemBytecodeCache(str(folder))
