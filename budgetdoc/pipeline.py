"""The build, start to finish: load → check → compute → narrate + statements → arrange → write.

:func:`build_year` does everything in memory and returns the finished bytes;
nothing touches the output folder until every step has succeeded (see
:mod:`budgetdoc.output`), so a failed build leaves the previous report as it
was.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .arrange import arrange
from .checks import run_checks
from .compute import Figures, compute
from .consolidate import load_department_year, unit_folder
from .document import ReportDoc, Table
from .folders import DEFAULT_TEMPLATES, GLOSSARY_FILE, UNITS_DIR, shown_path, unit_names
from .layout import Layout
from .load import YearFolder, load_year, resolve_year
from .model import YearBudget
from .narrate import narrate
from .problems import BudgetError, Problem, Source, error, has_errors, sort_problems, warning
from .narrate import search_path
from .template_errors import rounding_warnings
from .statements import build_statements, place_tables, tableset_or_raise
from .style import STYLE_FILE, Style, style_or_raise
from .wording import Wording
from .writers.docx import render_docx
from .writers.text import render_text
from .writers.xlsx import render_xlsx

__all__ = ["DEFAULT_TEMPLATES", "BuildResult", "Checked", "build_year", "check_year"]


@dataclass
class Checked:
    """A year that has been loaded and checked, with its previous year."""

    current: YearBudget
    prior: YearBudget | None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class BuildResult:
    year: int
    document: ReportDoc
    docx: bytes
    text: str
    filename: str               # without extension: 部门名称 + 年度 + 年部门预算 (a unit's: 单位名称 + 年度 + 年单位预算)
    problems: list[Problem]     # warnings only: errors raise BudgetError
    xlsx: bytes = b""           # the 公开表 workbook, one sheet per table
    tables: tuple[Table, ...] = ()
    figures: Figures | None = None      # what the report says, for a bureau's overview
    prior: YearBudget | None = None     # the year it compares with
    unit: str | None = None             # the budget unit of a 单位预算 (None: the department's report)


def check_year(data_root: Path, year: int | str, style: Style | None = None, *, unit: str | None = None,
               fallbacks: Mapping[str, Path] | None = None) -> Checked:
    """Load a year and the year before it, and run every check.

    ``style`` gives the house rules the checks follow (when a 变动原因 is
    required).  ``unit``: one budget unit's year (``<year>/units/<unit>/``)
    instead of the department's; a department year with units is their
    consolidation (:mod:`budgetdoc.consolidate`).  ``fallbacks``: data files
    to read when the year's folder lacks them (a looked-up glossary.yaml).

    Raises :class:`BudgetError` with every problem when any error is found.
    """
    folder, problems = resolve_year(data_root, year)
    if folder is None:
        raise BudgetError(problems)
    return check_folder(folder, style=style, unit=unit, fallbacks=fallbacks)


def check_folder(folder: YearFolder, texts: Mapping[str, str] | None = None, style: Style | None = None, *,
                 unit: str | None = None, fallbacks: Mapping[str, Path] | None = None) -> Checked:
    """:func:`check_year` of a resolved year folder; ``texts`` (file name → YAML) stand in for its files on disk."""
    data_root = folder.path.parent
    if unit is not None:
        year_folder = folder.path
        folder = _unit_year(folder, unit)
        if fallbacks is None:       # a unit without its glossary reads the department's
            around = [p for p in (year_folder / GLOSSARY_FILE, data_root / GLOSSARY_FILE) if p.is_file()]
            fallbacks = {GLOSSARY_FILE: around[0]} if around else None
        current, problems = load_year(folder, strict=True, texts=texts, fallbacks=fallbacks)
    else:
        current, problems = load_department_year(folder, strict=True, fallbacks=fallbacks, texts=texts)
    prior: YearBudget | None = None
    year_root = data_root.resolve()
    prior_year = year_root / str(folder.year - 1)
    prior_path = prior_year / UNITS_DIR / unit if unit is not None else prior_year
    prior_shown = _prior_shown(folder.shown, folder.year, unit)
    if prior_year.is_dir() and prior_year.resolve().parent != year_root:
        problems.append(warning("上年数据", f"{prior_shown} 指向数据目录之外（可能是符号链接），已忽略。",
                                Source(prior_shown), f"把上年数据直接放在 {prior_shown}/ 中。"))
    elif prior_path.is_dir():
        prior_folder = YearFolder(folder.year - 1, prior_path, prior_shown)
        if unit is not None:            # last year is read in this year's data unit
            prior, prior_problems = load_year(prior_folder, strict=False, unit=current.unit)
        else:
            prior, prior_problems = load_department_year(prior_folder, strict=False, unit=current.unit)
        problems += prior_problems
    else:
        problems.append(warning("上年数据", f"没有找到上年数据文件夹 {prior_shown}，报告将省略所有“比上年”的比较。",
                                Source(folder.shown), f"如需比较，请建立 {prior_shown} 并填写上年数字。"))
    if has_errors(problems):
        raise BudgetError(problems)
    problems += run_checks(current, prior, (style or Style()).reasons)
    if has_errors(problems):
        raise BudgetError(problems)
    return Checked(current, prior, sort_problems(problems))


def _tableset(templates: Path):
    """The table set of a template folder, read once per process while tables.yaml stays as it is."""
    path = templates / "tables.yaml"
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return tableset_or_raise(templates)      # missing: explained there
    return _tableset_cached(templates, key)


@functools.lru_cache(maxsize=16)
def _tableset_cached(templates: Path, key: tuple):
    return tableset_or_raise(templates)


def _prior_shown(shown: str, year: int, unit: str | None) -> str:
    """How messages name the year before: data/2019, or data/2019/units/<单位> for a unit."""
    if unit is None:
        return shown[: -4] + str(year - 1)
    root = shown[: -len(f"{year}/{UNITS_DIR}/{unit}")]
    return f"{root}{year - 1}/{UNITS_DIR}/{unit}"


def _unit_year(folder: YearFolder, unit: str) -> YearFolder:
    """The year folder of budget unit ``unit``, which must be a folder of ``<year>/units/``."""
    units = unit_names(folder.path)
    if unit in units and "/" not in unit and unit not in (".", ".."):
        return unit_folder(folder, unit)
    if not units:
        hint = (f"{folder.shown} 没有按预算单位分别填写（没有 {UNITS_DIR}/ 文件夹）；按单位填写时，"
                f"每个单位一个文件夹：{folder.shown}/{UNITS_DIR}/<单位名称>/，放入该单位的数据文件。")
    else:
        import difflib

        near = difflib.get_close_matches(unit, units, n=1, cutoff=0.4)
        hint = (f"是不是“{near[0]}”？" if near else "") + f"可以生成报告的单位：{'、'.join(units)}。"
    raise BudgetError([error("预算单位", f"{folder.shown}/{UNITS_DIR}/ 中没有单位“{unit}”。",
                             Source(f"{folder.shown}/{UNITS_DIR}"), hint)])


def build_year(data_root: Path, year: int | str, templates: Path | None = None,
               layout: Layout | None = None, phrasing: Wording | None = None,
               style: Style | None = None, *, unit: str | None = None, glossary: Path | None = None) -> BuildResult:
    """Build the report of ``year`` from ``data_root`` entirely in memory.

    ``style`` is the house style (the default: the templates folder's
    ``style.yaml``); ``layout`` and ``phrasing``, when given, replace the
    style's own.  ``unit``: the report of that budget unit (单位预算) instead
    of the department's; ``glossary``: the glossary.yaml to use when the
    year's folder has none (see :func:`budgetdoc.folders.house_files`).
    """
    templates = templates or DEFAULT_TEMPLATES
    style = style or default_style(templates)
    folders = search_path(templates, style)
    if not style.parts and not any((folder / "report.j2").is_file() for folder in folders):
        raise BudgetError([error("模板", f"在 {templates} 中找不到报告模板 report.j2。", Source(str(templates)),
                                 "在 budgetdoc 仓库目录中运行，或用 --templates 指定模板目录。")])
    missing = [part for part in style.parts or () if not any((folder / part).is_file() for folder in folders)]
    if missing:
        where = shown_path(style.folder / STYLE_FILE) if style.folder else STYLE_FILE
        raise BudgetError([error(
            "文风", f"文风 {where} 的“部分”列出了 {'、'.join(missing)}，但在文风的文件夹和模板中都找不到"
            f"（找过：{'、'.join(shown_path(f) + '/' for f in folders)}）。", Source(where),
            "把这个模板放进 style.yaml 所在的文件夹，或从“部分”中删去它；自带的文风可以用 "
            "budgetdoc templates 目录 --style 名称 连同它的模板整个复制出来。")])
    tableset = _tableset(next((f for f in folders if (f / "tables.yaml").is_file()), templates))
    checked = check_year(data_root, year, style, unit=unit,
                         fallbacks={GLOSSARY_FILE: glossary} if glossary is not None else None)
    layout = layout or style.layout
    figures = compute(checked.current, checked.prior)
    words = (phrasing or style.wording).for_report(figures.unit.name, figures.prior_year)
    tables = build_statements(figures, tableset, words)
    document = arrange(place_tables(narrate(figures, templates, words, style), tables), layout)
    docx = render_docx(document, layout)
    xlsx = render_xlsx(document, layout)
    problems = checked.problems + rounding_warnings(folders)
    name = f"{figures.department.name}{figures.year}年{'单位' if unit is not None else '部门'}预算"
    return BuildResult(figures.year, document, docx, render_text(document), name, problems, xlsx, tables,
                       figures, checked.prior, unit)


def default_style(templates: Path) -> Style:
    """The house style of a templates folder (its style.yaml), or budgetdoc's defaults."""
    path = templates / STYLE_FILE
    return style_or_raise(path) if path.is_file() else Style()
