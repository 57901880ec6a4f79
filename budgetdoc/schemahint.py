"""The editor's schema hint: where the first line of each data file says its JSON Schema is.

Every data file starts with ``# yaml-language-server: $schema=<path>``
(VS Code's YAML extension reads it).  The path is relative to the file, so
it depends on how deep the file lies, not on the layout's name:

* ``data/2020/income.yaml`` → ``../../schema/income.schema.json``: the
  repository's ``schema/``;
* ``data/<部门>/2020/income.yaml`` → ``../../schema/…`` is ``data/schema/``,
  ``../../../schema/…`` the repository's ``schema/``;
* ``…/2020/units/<单位>/income.yaml``: two levels deeper.

A year folder copied from one layout into the other keeps its first lines,
so ``budgetdoc schema --data DIR`` writes the schemas into every folder the
data files of DIR point at (:func:`schema_folders`): a copied department
works in both layouts without editing a line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .folders import UNITS_DIR, YEAR_RE

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")
SCHEMA_DIR = "schema"


def modeline_target(path: Path) -> Path | None:
    """The schema file a data file's first line points at, or None (no hint, or a URL)."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return None
    match = MODELINE.match(first.rstrip("\n"))
    if not match or "://" in match.group(1):
        return None
    return Path(os.path.normpath(path.parent / match.group(1)))


def schema_folders(data_root: Path) -> tuple[list[Path], list[str]]:
    """The schema folders the data files under ``data_root`` point at, and what could not be used (in Chinese).

    A hint counts when it names the file's own schema (``income.yaml`` →
    ``income.schema.json``) in a folder named ``schema`` (or its ``prior/``,
    for a year kept for comparison); the folder written is ``schema``.
    """
    from .model import DATA_FILES

    names = {f.name for f in DATA_FILES}
    folders: list[Path] = []
    unusable: list[str] = []
    for path in sorted(data_root.rglob("*.yaml")):
        if path.name not in names or SCHEMA_DIR in path.relative_to(data_root).parts[:-1]:
            continue
        target = modeline_target(path)
        if target is None:
            continue
        folder = target.parent.parent if target.parent.name == "prior" else target.parent
        if target.name != path.name.replace(".yaml", ".schema.json") or folder.name != SCHEMA_DIR:
            unusable.append(f"{path} 第一行指向 {target}，不是 schema 文件夹中它自己的 schema，没有写。")
            continue
        if YEAR_RE.fullmatch(folder.parent.name) or UNITS_DIR in folder.parts:
            depth = "../" * (len(path.relative_to(data_root).parts) - 1)
            unusable.append(f"{path} 第一行指向 {target}，在年度文件夹里面（多半是从年度文件夹复制来的单位文件）：没有写。"
                            f"这一层的文件第一行写 $schema={depth}schema/{target.name}（指向 {data_root}/schema/）。")
            continue
        if folder not in folders:
            folders.append(folder)
    return folders, unusable
