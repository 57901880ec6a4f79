"""Start a new year's data folder from the previous one, keeping every comment.

``budgetdoc new-year 2021`` copies ``data/2020/*.yaml`` to ``data/2021/``
with ruamel.yaml's round-trip mode, so the clerk's comments, key order and
layout survive.  What belongs to the old year is updated or cleared:

* ``department.yaml``: 年度 becomes the new year;
* ``three_public.yaml``: 执行数 lines are removed (a new year has no
  execution yet) — they stay in the old year, where the new report reads them;
* every 变动原因 is removed: last year's reasons explain last year's changes,
  and a copied reason would be printed under this year's figures;
* ``assets.yaml``: 统计截至 moves to the end of the old year.

Amounts are kept as a starting point for the editor.  Each file keeps the
form of the one it was copied from (line breaks, BOM, encoding: see
:mod:`budgetdoc.yamledit`).  An existing target folder is never touched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .model import DATA_FILES
from .load import load_year, resolve_year
from .output import write_failure, write_outputs
from .problems import BudgetError, Source, error, has_errors
from .yamledit import FileForm, dump, load, round_trip_yaml
from .yamlsrc import read_text


def _drop(node, key: str) -> int:
    """Remove ``key`` from every mapping in ``node``; returns how many were removed."""
    removed = 0
    if hasattr(node, "keys"):
        if key in node:
            del node[key]
            removed += 1
        for value in node.values():
            removed += _drop(value, key)
    elif isinstance(node, list):
        for value in node:
            removed += _drop(value, key)
    return removed


def new_year(data_root: Path, year: int) -> list[Path]:
    source = data_root / str(year - 1)
    target = data_root / str(year)
    if not data_root.is_dir():
        from .folders import missing_data_root

        raise BudgetError([missing_data_root(data_root)])
    if not source.is_dir():
        raise BudgetError([error("新年度", f"没有找到上一年的数据文件夹 {source}。", Source(str(source)),
                                 "新年度的数据从上一年复制而来，请先建立上一年的数据。")])
    if target.exists():
        raise BudgetError([error("新年度", f"{target} 已经存在，为避免覆盖已有修改，没有做任何改动。",
                                 Source(str(target)), "如确需重建，请先自行备份并删除该文件夹。")])
    # each file in the form (BOM, encoding, line breaks) of the one it was copied from
    staged = {Path(name): FileForm.read(source / name).encode(text) for name, text in staged_year(data_root, year).items()}
    tmp = data_root / f".{year}.new"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        write_outputs({tmp / name: content for name, content in staged.items()}, option="--data")
        tmp.rename(target)  # the folder appears whole or not at all
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise write_failure(exc, target, option="--data") from None
    return [target / name for name in staged]


def staged_year(data_root: Path, year: int) -> dict[str, str]:
    """The new year's files (name → text) as ``new-year`` would write them, in memory."""
    source = data_root / str(year - 1)
    # The source year must read cleanly first, so its mistakes are reported with file and line.
    folder, problems = resolve_year(data_root, year - 1)
    if folder is not None:
        problems += load_year(folder, strict=False)[1]
    if has_errors(problems):
        raise BudgetError(problems)
    from .folders import UNITS_DIR, unit_names

    staged = _staged_folder(source, "", year)
    for unit in unit_names(source):        # a year kept per budget unit: each unit's files, in its folder
        staged.update(_staged_folder(source / UNITS_DIR / unit, f"{UNITS_DIR}/{unit}/", year))
    return staged


def _staged_folder(source: Path, prefix: str, year: int) -> dict[str, str]:
    """The new year's files of one folder (the year's own, or a unit's), named ``prefix`` + file name."""
    yaml = round_trip_yaml()
    staged: dict[str, str] = {}
    for data_file in DATA_FILES:
        path = source / data_file.name
        if not path.is_file() or data_file.optional:   # known issues belong to the year they were found in
            continue
        text = read_text(path, data_file.name)[0]
        doc = load(yaml, text)
        if data_file.name == "department.yaml" and doc is not None and "年度" in doc:
            doc["年度"] = year
        if data_file.name == "three_public.yaml" and doc is not None:
            _drop(doc, "执行数")
        if doc is not None:
            _drop(doc, "变动原因")
        if data_file.name == "assets.yaml" and doc is not None and "统计截至" in doc:
            doc["统计截至"] = f"{year - 1}年末"
        staged[prefix + data_file.name] = dump(yaml, doc, text)
    return staged
