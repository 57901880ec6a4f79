"""The build, start to finish: load → check → compute → narrate + statements → arrange → write.

:func:`build_year` does everything in memory and returns the finished bytes;
nothing touches the output folder until every step has succeeded (see
:mod:`budgetdoc.output`), so a failed build leaves the previous report as it
was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .arrange import arrange
from .checks import run_checks
from .compute import compute
from .document import ReportDoc, Table
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

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = PACKAGE_ROOT / "templates"


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
    filename: str               # without extension: 部门名称 + 年度 + 年部门预算
    problems: list[Problem]     # warnings only: errors raise BudgetError
    xlsx: bytes = b""           # the 公开表 workbook, one sheet per table
    tables: tuple[Table, ...] = ()


def check_year(data_root: Path, year: int | str, style: Style | None = None) -> Checked:
    """Load a year and the year before it, and run every check.

    Raises :class:`BudgetError` with every problem when any error is found.
    """
    folder, problems = resolve_year(data_root, year)
    if folder is None:
        raise BudgetError(problems)
    return check_folder(folder, style=style)


def check_folder(folder: YearFolder, texts: Mapping[str, str] | None = None, style: Style | None = None) -> Checked:
    """:func:`check_year` of a resolved folder; ``texts`` (file name → YAML) stand in for its files on disk."""
    current, problems = load_year(folder, strict=True, texts=texts)
    prior: YearBudget | None = None
    prior_path = folder.path.parent / str(folder.year - 1)
    prior_shown = folder.shown[: -4] + str(folder.year - 1)
    if prior_path.is_dir() and prior_path.resolve().parent != folder.path.parent.resolve():
        problems.append(warning("上年数据", f"{prior_shown} 指向数据目录之外（可能是符号链接），已忽略。",
                                Source(prior_shown), f"把上年数据直接放在 {prior_shown}/ 中。"))
    elif prior_path.is_dir():
        prior, prior_problems = load_year(YearFolder(folder.year - 1, prior_path, prior_shown), strict=False,
                                          unit=current.unit)
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


def build_year(data_root: Path, year: int | str, templates: Path | None = None,
               layout: Layout | None = None, phrasing: Wording | None = None,
               style: Style | None = None) -> BuildResult:
    """Build the report of ``year`` from ``data_root`` entirely in memory.

    ``style`` is the house style (the default: ``templates/style.yaml``);
    ``layout`` and ``phrasing``, when given, replace the style's own.
    """
    templates = templates or DEFAULT_TEMPLATES
    style = style or default_style(templates)
    folders = search_path(templates, style)
    if not style.parts and not any((folder / "report.j2").is_file() for folder in folders):
        raise BudgetError([error("模板", f"在 {templates} 中找不到报告模板 report.j2。", Source(str(templates)),
                                 "在 budgetdoc 仓库目录中运行，或用 --templates 指定模板目录。")])
    tableset = tableset_or_raise(next((f for f in folders if (f / "tables.yaml").is_file()), templates))
    checked = check_year(data_root, year, style)
    layout = layout or style.layout
    figures = compute(checked.current, checked.prior)
    words = (phrasing or style.wording).for_report(figures.unit.name, figures.prior_year)
    tables = build_statements(figures, tableset, words)
    document = arrange(place_tables(narrate(figures, templates, words, style), tables), layout)
    docx = render_docx(document, layout)
    xlsx = render_xlsx(document, layout)
    problems = checked.problems + rounding_warnings(folders)
    name = f"{figures.department.name}{figures.year}年部门预算"
    return BuildResult(figures.year, document, docx, render_text(document), name, problems, xlsx, tables)


def default_style(templates: Path) -> Style:
    """The house style of a templates folder (its style.yaml), or budgetdoc's defaults."""
    path = templates / STYLE_FILE
    return style_or_raise(path) if path.is_file() else Style()
