"""Writing results to disk without ever leaving half a file.

All files of one build are first written to temporary files in their
target folders and flushed to disk; only when every one of them is complete
are they renamed over the targets.  A reader (or Word, or git) sees either
the previous file or the new one, never half of one, and a failure while
writing leaves every previous output untouched.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .problems import BudgetError, Source, error

_REASONS = {
    errno.EACCES: "没有写入权限，或文件正在 Word/WPS 中打开",
    errno.EPERM: "没有写入权限，或文件正在 Word/WPS 中打开",
    errno.ENOTDIR: "路径中有一个同名的文件，不是文件夹",
    errno.EEXIST: "路径中有一个同名的文件，不是文件夹",
    errno.EBUSY: "文件正被其他程序使用",
    errno.EISDIR: "同名的是一个文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.ENAMETOOLONG: "文件名太长",
}


def write_failure(exc: OSError, path: Path) -> BudgetError:
    """An OSError while writing ``path``, as a Chinese message."""
    reason = _REASONS.get(exc.errno or 0, f"系统错误 {exc.errno}")
    return BudgetError([error("写入文件", f"无法写入 {path}：{reason}。", Source(str(path)),
                              "关闭正在打开该文件的程序，检查输出目录是否可写，然后重新运行。")])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_outputs(files: dict[Path, bytes]) -> list[Path]:
    """Write every ``{path: bytes}`` or none of them; returns the paths written.

    Raises :class:`BudgetError` (in Chinese) when the disk refuses.
    """
    for path in files:  # what would make a rename fail is refused before anything is written
        if path.is_dir():
            raise write_failure(IsADirectoryError(errno.EISDIR, "is a directory"), path)
    staged: list[tuple[Path, Path]] = []
    current = None
    try:
        for path, data in files.items():
            current = path
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
    except OSError as exc:
        raise write_failure(exc, current or Path(".")) from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [path for _, path in staged]
