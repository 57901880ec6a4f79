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

# What an OSError while writing means to a clerk, and what to do about it.
# ``{where}`` is the file or folder the system named (the folder that could
# not be made, say), ``{option}`` the command-line option that chose the place.
_CANNOT_CREATE = ("{where} 不存在，也无法在那里建立（该位置不能存放文件）",
                  "检查 {option} 后的路径是否写对，把输出放在自己的文件夹中（例如默认的 build）。")
_A_FILE_IN_THE_WAY = ("路径中的 {where} 是一个文件，不是文件夹",
                      "把这个文件改名或移走，或用 {option} 另选一个位置。")
_IN_USE = ("文件正被其他程序使用",
           "关闭正在使用它的程序（Word、WPS，或正在扫描它的杀毒软件）后重新运行。")
_NO_SPACE = ("磁盘空间不足（或超出了磁盘配额）",
             "清理磁盘空间，或用 {option} 写到空间足够的磁盘。")
_OPEN_FILES = ("同时打开的文件太多", "关闭一些程序后重新运行。")
_REASONS = {
    errno.ENOENT: _CANNOT_CREATE,
    errno.EACCES: ("没有写入 {where} 的权限，或文件正在 Word/WPS 中打开",
                   "如果报告正在 Word/WPS 中打开，先关闭它；否则用 {option} 换一个有写入权限的位置，或请管理员开放权限。"),
    errno.EPERM: ("系统不允许写入 {where}（可能被设为只读或受保护）",
                  "解除该文件或文件夹的只读、保护设置，或用 {option} 换一个位置。"),
    errno.ENOTDIR: _A_FILE_IN_THE_WAY,
    errno.EEXIST: _A_FILE_IN_THE_WAY,
    errno.EISDIR: ("同名的是一个文件夹", "把这个同名的文件夹改名或移走，再重新运行。"),
    errno.EBUSY: _IN_USE,
    errno.ETXTBSY: _IN_USE,
    errno.ENOSPC: _NO_SPACE,
    errno.EDQUOT: _NO_SPACE,
    errno.EROFS: ("{where} 所在的磁盘是只读的（例如光盘或写保护的 U 盘）",
                  "用 {option} 写到可以写入的磁盘或文件夹。"),
    errno.ENAMETOOLONG: ("文件名或路径太长",
                         "用 {option} 把输出放在路径较短的文件夹中，例如默认的 build。"),
    errno.ELOOP: ("路径中的符号链接太多（可能互相指向）", "检查 {option} 后的路径中的链接。"),
    errno.EIO: ("读写磁盘时出错", "检查磁盘、U 盘或网络驱动器是否连接正常，然后重新运行。"),
    errno.EINVAL: ("路径中有系统不允许的字符", "检查 {option} 后的路径，去掉特殊字符。"),
    errno.EMFILE: _OPEN_FILES,
    errno.ENFILE: _OPEN_FILES,
}


def explain(exc: OSError, path: Path, option: str = "--out") -> tuple[str, str]:
    """What an OSError on ``path`` means and what to do, in Chinese: (reason, hint).

    ``option`` is the command-line option that chose where to write (named in hints).
    """
    where = exc.filename if isinstance(exc.filename, str) and exc.filename else str(path)
    code = exc.errno or 0
    if code in _REASONS:
        reason, hint = _REASONS[code]
    else:
        name = errno.errorcode.get(code, str(code))
        reason = f"操作系统报告错误 {name}（{exc.strerror or '没有说明'}）"
        hint = "检查能否写入 {where}，然后重新运行；如仍不行，把这条信息发给维护人员。"
    fill = {"where": where, "option": option}
    return reason.format(**fill), hint.format(**fill)


def write_failure(exc: OSError, path: Path, option: str = "--out") -> BudgetError:
    """An OSError while writing ``path``, as a Chinese message with a hint that fits the error."""
    reason, hint = explain(exc, path, option)
    return BudgetError([error("写入文件", f"无法写入 {path}：{reason}。", Source(str(path)), hint)])


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


def write_outputs(files: dict[Path, bytes], option: str = "--out") -> list[Path]:
    """Write every ``{path: bytes}`` or none of them; returns the paths written.

    Raises :class:`BudgetError` (in Chinese) when the disk refuses; ``option``
    is the command-line option that chose the place, for the hint.
    """
    for path in files:  # what would make a rename fail is refused before anything is written
        if path.is_dir():
            raise write_failure(IsADirectoryError(errno.EISDIR, "is a directory"), path, option)
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
        raise write_failure(exc, current or Path("."), option) from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [path for _, path in staged]
