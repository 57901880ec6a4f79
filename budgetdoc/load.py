"""Load ``data/<year>/`` into a :class:`~budgetdoc.model.YearBudget`.

Nothing here checks arithmetic (that is :mod:`budgetdoc.checks`); loading
checks only what the schema says: types, required fields, unknown keys,
encodings.  Problems are collected, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Mapping

from .folders import STYLE_FILE, TABLESET_FILE, YEAR_RE, missing_data_root, shown_path
from .model import DATA_FILES, Department, YearBudget
from .problems import Problem, Source, error, warning
from .schema import Context, DataUnit
from .yamlsrc import load_file, parse

__all__ = ["YEAR_RE", "YearFolder", "resolve_year", "complete_year", "load_year"]


@dataclass(frozen=True)
class YearFolder:
    year: int
    path: Path
    shown: str          # how messages name the folder, e.g. "data/2020"


def resolve_year(data_root: Path, year: str | int) -> tuple[YearFolder | None, list[Problem]]:
    """Validate a YEAR argument and find its folder inside ``data_root``."""
    text = str(year).strip()
    if not YEAR_RE.fullmatch(text):
        shown_text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
        return None, [error("年份", f"年份“{shown_text}”无效：应当是四位数字，如 2020。"
                            "年份只用来找 data/ 下同名的文件夹，不能含有路径或其他字符。", None,
                            "运行 make report YEAR=2020 或 budgetdoc report 2020。")]
    root = data_root.resolve()
    if not root.is_dir():
        return None, [missing_data_root(data_root)]
    folder = (root / text).resolve()
    if folder.parent != root:
        return None, [error("年份", f"年份文件夹 {text} 指向数据目录 {data_root} 之外（可能是符号链接）。", None,
                            f"把该年的数据文件直接放在 {data_root}/{text}/ 中。")]
    shown = f"{_shown_root(data_root)}/{text}"
    if not folder.is_dir():
        return None, [error("年份", f"没有找到 {shown} 文件夹。", None, _years_hint(data_root, int(text)))]
    return YearFolder(int(text), folder, shown), []


def complete_year(folder: Path) -> bool:
    """Whether a year's folder has every data file, so that its report can be built.

    A year kept per budget unit needs only its department.yaml (its figures are its units'); a glossary may
    be the department's or the bureau's (:func:`budgetdoc.folders.find_house_file`).
    """
    from .folders import GLOSSARY_FILE, has_units, is_bureau

    needed = ["department.yaml"] if has_units(folder) else [f.name for f in DATA_FILES if not f.optional]
    places = [folder, folder.parent] + ([folder.parent.parent] if is_bureau(folder.parent.parent) else [])
    glossary = any((place / GLOSSARY_FILE).is_file() for place in places)
    return all((folder / name).is_file() for name in needed if name != GLOSSARY_FILE) and glossary


def _years_hint(data_root: Path, year: int) -> str:
    """What the data folder holds instead: the years that can be built, those kept only for comparison,
    and ``new-year`` when it would work (it copies the year before)."""
    years = sorted(p.name for p in data_root.iterdir() if p.is_dir() and YEAR_RE.fullmatch(p.name))
    buildable = [y for y in years if complete_year(data_root / y)]
    prior_only = [y for y in years if y not in buildable]
    root = _shown_root(data_root)
    parts = []
    if buildable:
        parts.append(f"可以生成报告的年份：{'、'.join(buildable)}。")
    if prior_only:
        parts.append(f"只有上年对照数据、不能单独生成报告的年份：{'、'.join(prior_only)}。")
    if not years:
        parts.append(f"{root}/ 中还没有任何年份的文件夹。")
    option = "" if str(data_root) == "data" else f" --data {data_root}"
    if str(year - 1) in years:
        parts.append(f"新的一年可运行 budgetdoc new-year {year}{option}，由 {year - 1} 年的文件建立，"
                     "再修改其中的数字和文字。")
    elif years:
        parts.append(f"budgetdoc new-year 由上一年的文件夹建立新的一年，但 {root}/{year - 1} 也不存在；"
                     "请检查年份是否写对。")
    return "".join(parts)


def _shown_root(data_root: Path) -> str:
    """How messages name the data folder: relative to the current folder when inside it."""
    try:
        relative = data_root.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return str(data_root)
    return relative.as_posix() if str(relative) != "." else "."


def load_year(folder: YearFolder, strict: bool, unit: DataUnit | None = None,
              texts: Mapping[str, str] | None = None, *, fallbacks: Mapping[str, Path] | None = None,
              not_required: Collection[str] = ()) -> tuple[YearBudget, list[Problem]]:
    """Read every data file of a year.

    ``strict``: the year being reported; missing files and required fields
    are errors.  Otherwise (the previous year) whatever is there is read.
    ``unit``: the unit the figures are in when department.yaml does not say
    (the previous year is read in the reported year's unit).
    ``texts`` (file name → YAML text) stand in for files on disk: a change
    that is about to be written (``import``, ``fix-totals``) is checked
    before anything is written, with the places it will have.
    ``fallbacks``: a file to read instead of one the folder lacks (a
    bureau-wide glossary.yaml, say: :func:`budgetdoc.folders.house_files`).
    ``not_required``: data files the folder may lack even when ``strict``
    (a department whose figures are its units' consolidation).
    """
    texts = texts or {}
    problems: list[Problem] = []
    sections: dict[str, object] = {}
    known = {f.name for f in DATA_FILES}
    fallbacks = fallbacks or {}
    for extra in sorted(folder.path.glob("*.y*ml")) if folder.path.is_dir() else ():
        if extra.name not in known and extra.name not in (STYLE_FILE, TABLESET_FILE):   # house files: the build reads them
            near = [f.name for f in DATA_FILES if _similar(f.name, extra.name)]
            hint = f"是不是“{near[0]}”？" if near else ""
            problems.append(warning("未知文件", f"{extra.name} 不是 budgetdoc 认识的数据文件，已忽略。",
                                    Source(f"{folder.shown}/{extra.name}"),
                                    hint + "认识的文件有：" + "、".join(sorted(known)) + "。"))
    for data_file in DATA_FILES:
        path = folder.path / data_file.name
        shown = f"{folder.shown}/{data_file.name}"
        if data_file.name not in texts and not path.is_file() and data_file.name in fallbacks \
                and fallbacks[data_file.name].is_file():
            path = fallbacks[data_file.name]
            shown = shown_path(path)
        if data_file.name not in texts and not path.is_file():
            if strict and not data_file.optional and data_file.name not in not_required:
                topic = data_file.topic if "“" in data_file.topic else f"“{data_file.topic}”"
                problems.append(error("缺少文件", f"缺少{topic}数据文件 {data_file.name}。", Source(shown),
                                      f"误删的文件可用 git checkout -- {shown} 恢复；"
                                      "也可以从其他年份复制同名文件后修改。"))
            continue
        if data_file.name in texts:
            tree, file_problems = parse(texts[data_file.name], shown)
        else:
            tree, file_problems = load_file(path, shown)
        problems.extend(file_problems)
        if tree is None:
            if strict and not any(p.is_error for p in file_problems):
                problems.append(error("内容为空", f"{data_file.name} 是空文件（或只有注释）。", Source(shown, 1, 1),
                                      f"填写“{data_file.topic}”的内容，可从上一年的同名文件复制后修改。"))
            continue
        ctx = Context(strict, unit)
        value = data_file.spec.convert(tree, ctx, "")
        problems.extend(ctx.problems)
        if value is not None:
            sections[data_file.attr] = value
        if data_file.attr == "department" and value is not None:   # read first: the unit of the other files
            unit = _declared_unit(value, unit, problems)
    budget = YearBudget(year=folder.year, folder=folder.shown, unit=unit or DataUnit(),
                        **sections)  # type: ignore[arg-type]
    dept = budget.department
    if dept is not None and dept.year is not None and dept.year != folder.year:
        problems.append(error("年份", f"department.yaml 中的年度是 {dept.year}，但文件夹是 {folder.year}。",
                              dept.field_sources.get("year", dept.source), f"把“年度”改成 {folder.year}。"))
    return budget, problems


MAX_PLACES = 6


def _declared_unit(dept: Department, inherited: DataUnit | None, problems: list[Problem]) -> DataUnit | None:
    """department.yaml's 数据单位 and 金额小数位; for a previous year, they must be the reported year's."""
    places = dept.places if dept.places is not None else (inherited.places if inherited else 2)
    if places > MAX_PLACES:
        problems.append(error("取值", f"“金额小数位”是 {places}，最多 {MAX_PLACES} 位（到分）。",
                              dept.field_sources.get("places", dept.source), "写 0 到 6 之间的整数，通常是 2。"))
        places = MAX_PLACES
    declared = DataUnit(dept.unit or (inherited.name if inherited else "万元"), places)
    if inherited is not None and dept.unit is not None and dept.unit != inherited.name:
        problems.append(error("年份", f"这一年的金额以{dept.unit}为单位，报告年度以{inherited.name}为单位：两年无法比较。",
                              dept.field_sources.get("unit", dept.source),
                              f"两年用同一个数据单位：把这一年的金额换算成{inherited.name}，并改正“数据单位”。"))
    return declared


def _similar(a: str, b: str) -> bool:
    import difflib
    return difflib.SequenceMatcher(None, a, b).ratio() > 0.7
