"""What writing a report must not lose, and must not leave looking current.

budgetdoc rewrites its outputs from the data on every build.  Every file it
writes is recorded, with its SHA-256, in the folder's manifest
(:mod:`budgetdoc.manifest`), written in the same all-or-nothing step.  Then:

* **An edited output is kept.**  An existing file about to be replaced whose
  bytes are not the ones budgetdoc recorded was changed since (in Word,
  Excel, WPS, by a script…): it is kept beside the new one as
  “……（已修改 日期时间）.docx” (.xlsx, .txt, .pdf alike), written with the new
  files.  A file from before the manifest existed has no record: a .docx or
  .xlsx counts as edited when an office program saved it (its core
  properties, :func:`budgetdoc.writers.docx.package.edited_elsewhere`), a
  .txt or .pdf is replaced.
* **No stale output beside a new report.**  After a report is written, a
  file of the same report that this run did not write (its .pdf when
  ``--pdf`` was left out) is removed when it is budgetdoc's own and
  unchanged, set aside as “……（已修改 日期时间）.pdf” when it was edited, and
  as “……（旧 日期时间）.pdf” when there is no record of it.  Each is said in
  one line.
* Other .docx files in the folder that budgetdoc wrote for the same
  department and year are pointed out (:func:`same_report_elsewhere`).

``budgetdoc report`` and the batch (:mod:`budgetdoc.batch`) use the same
rules and words.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .manifest import digest, manifest_path, read_manifest, render_manifest
from .problems import BudgetError

#: The files one report is made of (the .pdf with --pdf): same folder, same name.
REPORT_SUFFIXES = (".docx", ".xlsx", ".txt", ".pdf")
#: Which program a clerk would have changed a file in, and what the file is, by suffix.
_KINDS = {".docx": ("在 Word/WPS 中", "报告"), ".xlsx": ("在 Excel/WPS 中", "表格"), ".txt": ("在文本编辑器中", "文本"),
          ".pdf": ("在 PDF 编辑器中", "PDF")}
#: For an output a run leaves out on purpose: why it was not written this time, and how to get it again.
_LEFT_OUT = {".pdf": ("（没有加 --pdf）", "需要 PDF 时加 --pdf 重新生成。")}
EDITED, OLD = "已修改", "旧"
_KEPT_NAME = re.compile(rf"（(?:{EDITED}|{OLD}) \d{{8}}-\d{{6}}(?:-\d+)?）")


def _kind(path: Path) -> tuple[str, str]:
    """(where a clerk would have edited it, what it is), the latter spaced from the Chinese before it (“的 PDF”)."""
    program, noun = _KINDS.get(path.suffix.lower(), ("在其他程序中", "文件"))
    return program, (f" {noun}" if noun[0].isascii() else noun)


def backup_name(target: Path, stamp: str | None = None, label: str = EDITED, taken: frozenset | set = frozenset()
                ) -> Path:
    """Where a copy of ``target`` is kept aside: “名称（已修改 日期时间）.docx”, never over another file."""
    stamp = stamp or datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f"{target.stem}（{label} {stamp}）{target.suffix}")
    number = 2
    while candidate in taken or candidate.exists():
        candidate = target.with_name(f"{target.stem}（{label} {stamp}-{number}）{target.suffix}")
        number += 1
    return candidate


def is_kept_copy(path: Path) -> bool:
    """Whether ``path`` is named as budgetdoc names a copy it kept aside."""
    return bool(_KEPT_NAME.search(path.stem))


def hand_edit_notice(target: Path, backup: Path) -> str:
    program, noun = _kind(target)
    return (f"注意：{target} 在生成后被修改过（例如{program}）。修改稿已另存为 {backup.name}，"
            f"{noun.strip()}{' ' if noun[-1].isascii() else ''}按数据重新生成。"
            f"每次生成都会覆盖{noun}：需要长期保留的修改请写进 data/ 中的 YAML 文件或 templates/ 中的模板。")


def _left_out(path: Path) -> tuple[str, str, str]:
    _, noun = _kind(path)
    why, again = _LEFT_OUT.get(path.suffix.lower(), ("", ""))
    return noun, why, again


def removed_notice(path: Path) -> str:
    noun, why, again = _left_out(path)
    return f"已删除 {path}：这是上次生成的{noun}，这次没有生成{noun}{why}，留下它会被当作本次数据的报告。{again}"


def set_aside_notice(path: Path, aside: Path, edited: bool) -> str:
    noun, why, again = _left_out(path)
    if edited:
        return (f"注意：{path} 是上次生成的{noun}，生成后被修改过；这次没有生成{noun}{why}，为了不被当作本次数据的报告，"
                f"它已改名为 {aside.name}。{again}")
    return (f"注意：{path} 不是这次生成的{noun}{why}，可能是旧数据的报告：它已改名为 {aside.name}，"
            f"不会再被当作本次数据的报告。{again}确认不再需要的可以删除。")


def cannot_tidy_notice(path: Path, exc: OSError) -> str:
    from .output import explain

    noun, _, _ = _left_out(path)
    reason, _ = explain(exc, path)
    return (f"注意：{path} 是上次生成的{noun}，不是本次数据的报告，但无法删除或改名：{reason}。"
            "关闭正在打开它的程序后重新运行，或手工删除它；在此之前不要发布它。")


@dataclass
class Written:
    """What :func:`write_report_files` did."""

    files: list[Path] = field(default_factory=list)      # the files asked for
    kept: list[Path] = field(default_factory=list)       # copies of edited files, written with them
    notices: list[str] = field(default_factory=list)     # one line each, to show the clerk


def unreadable_manifest_notice(folder: Path) -> str:
    return (f"注意：{manifest_path(folder)} 无法读取（被其他程序修改或另存过），不能判断 {folder} 中已有的文件是否被修改过："
            "这次要替换或删除的文件都已另存一份（文件名中带“已修改”或“旧”），确认不再需要的可以删除。"
            "请不要修改这个文件。")


def _edited(target: Path, old: bytes, new: bytes, recorded: dict[str, str] | None) -> bool:
    """Whether ``old`` (the file at ``target``, about to become ``new``) was changed after budgetdoc wrote it;
    with no readable manifest (``recorded`` None), whether it differs at all."""
    from .writers.docx.package import edited_elsewhere

    if old == new:
        return False
    if recorded is None:
        return True
    known = recorded.get(target.name)
    if known is not None:
        return digest(old) != known
    if target.suffix.lower() in (".docx", ".xlsx"):     # from before the manifest: what an office program rewrites
        return edited_elsewhere(old, new)
    return False


def _read(path: Path) -> bytes:
    from .output import write_failure

    try:
        return path.read_bytes()
    except OSError as exc:
        raise write_failure(exc, path) from None


def write_report_files(files: dict[Path, bytes]) -> Written:
    """Write ``files`` (all or none) with their manifests, edited files kept aside; then tidy stale outputs.

    Each .docx of ``files`` is a report: its other files (:data:`REPORT_SUFFIXES`)
    that ``files`` does not hold are stale.  Raises :class:`BudgetError`
    (in Chinese) when the disk refuses; nothing is written then (a
    rename refused part way leaves the files already replaced, and they are
    recorded as budgetdoc's, not taken for edits next time).  Removing
    or renaming a stale file comes after the write: when the system refuses
    it, a notice says so and what to do.
    """
    from .output import write_outputs

    done = Written()
    folders = sorted({path.parent for path in files})
    recorded = {folder: read_manifest(folder) for folder in folders}
    for folder in folders:
        if recorded[folder] is None:
            done.notices.append(unreadable_manifest_notice(folder))
    taken: set[Path] = set(files)
    backups: dict[Path, bytes] = {}
    for target, new in files.items():
        if not target.is_file():
            continue
        old = _read(target)
        if _edited(target, old, new, recorded[target.parent]):
            backup = backup_name(target, taken=taken)
            taken.add(backup)
            backups[backup] = old
            done.notices.append(hand_edit_notice(target, backup))
    remove: list[Path] = []
    aside: dict[Path, tuple[Path, bool]] = {}
    for report in (path for path in files if path.suffix.lower() == ".docx"):
        for suffix in REPORT_SUFFIXES:
            other = report.with_suffix(suffix)
            if other in files or other in remove or other in aside or not other.is_file():
                continue
            known = (recorded[report.parent] or {}).get(other.name)
            if known is not None and _digest_of(other) == known:
                remove.append(other)
            else:
                moved = backup_name(other, label=EDITED if known is not None else OLD, taken=taken)
                taken.add(moved)
                aside[other] = (moved, known is not None)
    manifests = {}
    for folder in folders:
        entries = {name: value for name, value in (recorded[folder] or {}).items()
                   if (folder / name).is_file() and folder / name not in remove and folder / name not in aside}
        entries.update({path.name: digest(data) for path, data in files.items() if path.parent == folder})
        manifests[manifest_path(folder)] = render_manifest(entries)
    try:
        written = write_outputs({**backups, **files, **manifests})
    except BudgetError:
        _record_what_is_there(files, recorded)
        raise
    done.kept = [path for path in written if path in backups]
    done.files = [path for path in written if path in files]
    for path in remove:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            done.notices.append(cannot_tidy_notice(path, exc))
            continue
        done.notices.append(removed_notice(path))
    for path, (moved, edited) in aside.items():
        try:
            os.replace(path, moved)
        except FileNotFoundError:
            continue
        except OSError as exc:
            done.notices.append(cannot_tidy_notice(path, exc))
            continue
        done.notices.append(set_aside_notice(path, moved, edited))
    return done


def _record_what_is_there(files: dict[Path, bytes], recorded: dict[Path, dict[str, str] | None]) -> None:
    """After a write that failed part way (a file open in Excel cannot be replaced, the disk filled up), the
    files already replaced are recorded as budgetdoc's: the next run must not take them for edits."""
    from .output import write_outputs

    manifests = {}
    for folder, before in recorded.items():
        entries = dict(before or {})
        replaced = {path.name: digest(data) for path, data in files.items() if path.parent == folder
                    and path.is_file() and _digest_of(path) == digest(data)}
        if before is None and not replaced:
            continue            # nothing known, nothing new: the unreadable manifest stays for the next run to say so
        if replaced.items() <= entries.items():
            continue            # nothing was replaced here (or only with the same bytes)
        entries.update(replaced)
        manifests[manifest_path(folder)] = render_manifest(
            {name: value for name, value in entries.items() if (folder / name).is_file()})
    if manifests:
        with contextlib.suppress(BudgetError):
            write_outputs(manifests)


def _digest_of(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def same_report_elsewhere(target: Path, new: bytes) -> list[str]:
    """Other .docx files in the folder that budgetdoc wrote for the same department and year, unedited.

    Only the document properties decide: another department's report built
    into the same folder, or any file budgetdoc did not write, is never named;
    nor is a copy budgetdoc kept aside (“……（已修改 …）.docx”).
    """
    from .writers.docx.package import written_for

    identity = written_for(new)
    if identity is None:
        return []
    return sorted(p.name for p in target.parent.glob("*.docx")
                  if p != target and p.is_file() and not is_kept_copy(p) and written_for(p.read_bytes()) == identity)
