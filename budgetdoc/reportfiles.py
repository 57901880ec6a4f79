"""What writing a report must not lose: a copy edited in Word/WPS, and old copies under other names.

budgetdoc rewrites its reports from the data on every build.  A report that
an office program saved since budgetdoc wrote it is kept beside the new one
as “……（已修改 日期时间）.docx” (written with the new files, all or none);
other .docx files in the folder that budgetdoc wrote for the same
department and year are pointed out.  ``budgetdoc report`` and the batch
(:mod:`budgetdoc.batch`) use the same rules and words.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def backup_name(target: Path, stamp: str | None = None) -> Path:
    stamp = stamp or datetime.now().strftime("%Y%m%d-%H%M%S")
    return target.with_name(f"{target.stem}（已修改 {stamp}）.docx")


def hand_edit_notice(target: Path, backup: Path) -> str:
    return (f"注意：{target} 在 Word/WPS 中被修改过。修改稿已另存为 {backup.name}，报告按数据重新生成。"
            "每次生成都会覆盖报告：需要长期保留的修改请写进 data/ 中的 YAML 文件或 templates/ 中的模板。")


def hand_edit_backups(files: dict[Path, bytes]) -> tuple[dict[Path, bytes], list[str]]:
    """For each .docx of ``files`` that would replace a report saved by Word/WPS: ``{its copy: old bytes}``
    and the notice to print."""
    from .writers.docx.package import edited_elsewhere

    backups: dict[Path, bytes] = {}
    notices: list[str] = []
    for target, new in files.items():
        if target.suffix != ".docx" or not target.is_file():
            continue
        old = target.read_bytes()
        if edited_elsewhere(old, new):
            backup = backup_name(target)
            backups[backup] = old
            notices.append(hand_edit_notice(target, backup))
    return backups, notices


def same_report_elsewhere(target: Path, new: bytes) -> list[str]:
    """Other .docx files in the folder that budgetdoc wrote for the same department and year, unedited.

    Only the document properties decide: another department's report built
    into the same folder, or any file budgetdoc did not write, is never named.
    """
    from .writers.docx.package import written_for

    identity = written_for(new)
    if identity is None:
        return []
    return sorted(p.name for p in target.parent.glob("*.docx")
                  if p != target and p.is_file() and written_for(p.read_bytes()) == identity)
