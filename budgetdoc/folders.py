"""Where things are: the two data layouts, budget units, and the house files a department uses.

**One department** (the layout budgetdoc started with): the data root holds
a folder per year::

    data/2020/*.yaml            data/2019/*.yaml

**A bureau** (财政局) of many departments: the data root holds a folder per
department, each holding its years, and the bureau's own house files::

    data/templates/             bureau-wide templates (optional)
    data/style.yaml             bureau-wide house style (optional)
    data/glossary.yaml          bureau-wide 名词解释 (optional)
    data/部门A/2020/*.yaml      a department's data, as data/2020/ above
    data/部门A/style.yaml       what 部门A uses instead of the bureau's (optional)

A data root with year folders is the one-department layout; otherwise the
folders that hold a year folder are departments (``templates``, ``schema``
and ``data`` never are).

**Budget units** (单位口径): a year folder may hold ``units/<单位名称>/``,
one folder per unit that the year's department.yaml lists under
机构设置.单位, each with the same data files as a year folder.  The
department's figures are then the units' consolidation
(:mod:`budgetdoc.consolidate`), and each unit's own report can be built.

**House files** — ``templates/`` (a whole template folder), ``style.yaml``
(the house style) and ``glossary.yaml`` — are looked up, for one report,
from the most particular place to the most general; the first found is
used (:func:`find_house_file`):

1. the unit's folder (``<年度>/units/<单位>/``), for a unit's report;
2. the year folder (``<部门>/<年度>/``);
3. the department folder (``<部门>/``; in the one-department layout the data root);
4. the bureau's data root (bureau layout only);
5. budgetdoc's own (``templates/`` of the package, the default style; a
   glossary has no default: the year's glossary.yaml is then required).

A command-line ``--templates`` or ``--style`` wins over all of them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, Source, error, some_of

YEAR_RE = re.compile(r"^\d{4}\Z", re.ASCII)  # exactly four ASCII digits; safe with .match too

PACKAGE_DIR = Path(__file__).resolve().parent        # budgetdoc's own files travel with the package (the wheel too)
DEFAULT_TEMPLATES = PACKAGE_DIR / "templates"        # the default templates, style.yaml and tables.yaml
SHIPPED_STYLES = PACKAGE_DIR / "styles"              # the other house styles budgetdoc ships (tables-first …)

UNITS_DIR = "units"
TEMPLATES_DIR = "templates"
STYLE_FILE = "style.yaml"
TABLESET_FILE = "tables.yaml"       # the 公开表 set of a template folder or a house style
GLOSSARY_FILE = "glossary.yaml"
#: The house files :func:`find_house_file` looks up.
HOUSE_FILES = (TEMPLATES_DIR, STYLE_FILE, GLOSSARY_FILE)
#: Folders of a bureau's data root that are not departments (``data`` is the data root of the
#: one-department layout: a repository that holds one is not a bureau).
NOT_DEPARTMENTS = frozenset({TEMPLATES_DIR, "schema", UNITS_DIR, "data"})


@dataclass(frozen=True)
class DepartmentFolder:
    """Where one department's data is.

    ``root`` holds its year folders (``root/2020``) and is the ``data_root``
    the pipeline reads; ``bureau`` is the bureau's data root in the bureau
    layout (None in the one-department layout, where ``root`` is the data
    root itself).  ``key`` is the folder name (the data root's name in the
    one-department layout); ``shown`` how messages name the folder.
    """

    key: str
    root: Path
    shown: str
    bureau: Path | None = None

    @property
    def in_bureau(self) -> bool:
        return self.bureau is not None


def shown_path(path: Path) -> str:
    """How messages name a path: relative to the current folder when inside it."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return str(path)
    return relative.as_posix() if str(relative) != "." else "."


def missing_data_root(data_root: Path) -> Problem:
    """The error for a data folder (``--data``, by default ``data``) that is not there: it names the current
    folder, and when that is inside a data folder (``data/``, ``data/2020/``, ``data/部门A/2020/``) or is a year
    folder, the folder to ``cd`` to first."""
    here = Path.cwd()
    what = "不是文件夹" if data_root.exists() else "不存在"
    hint = ("检查 --data 后的路径是否写对；不写 --data 时读当前文件夹中的 data/，"
            "请在存放数据的文件夹（budgetdoc 仓库）中运行。")
    up = _folder_holding(data_root, here) if not data_root.exists() else None
    if up is not None:
        inside = here.resolve().relative_to((up / data_root).resolve()).as_posix()
        where = f"{data_root}/{inside}/" if inside != "." else f"{data_root}/"
        hint = (f"当前文件夹是数据目录中的 {where}，不是存放数据目录的文件夹：请先 cd 到 {up} 再运行"
                f"（{up} 中有 {data_root}/）。")
    elif not data_root.exists() and not data_root.is_absolute() and YEAR_RE.fullmatch(here.name):
        hint = (f"当前文件夹 {here.name} 是一个年份文件夹：请先 cd 到 {here.parent.parent} 再运行，"
                f"并用 --data {here.parent.name} 写数据目录（它里面是按年份命名的文件夹）。")
    return error("年份", f"数据目录 {data_root} {what}（当前文件夹是 {here}）。", None, hint)


def _folder_holding(data_root: Path, here: Path) -> Path | None:
    """The folder above ``here`` whose ``data_root`` (a relative path) holds ``here``: where to run from."""
    if data_root.is_absolute():
        return None
    inside = here.resolve()
    for folder in here.parents:
        candidate = folder / data_root
        if candidate.is_dir() and inside.is_relative_to(candidate.resolve()):
            return folder
    return None


def year_folders(root: Path) -> list[str]:
    """The names of the year folders directly in ``root``, in order."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and YEAR_RE.fullmatch(p.name))


def is_bureau(data_root: Path) -> bool:
    """Whether ``data_root`` is laid out as a bureau: no year folders of its own, department folders instead."""
    return not year_folders(data_root) and bool(_department_names(data_root))


def mixed_layout(data_root: Path) -> Problem | None:
    """The error for a data root holding year folders and department folders both (a clerk who made
    ``data/2020/`` beside ``data/部门A/``): every command would read only one kind and drop the other."""
    years, names = year_folders(data_root), _department_names(data_root)
    if not years or not names:
        return None
    shown = shown_path(data_root)
    listed = some_of(names)
    return error("部门", f"{shown} 中既有年份文件夹（{'、'.join(years)}），又有部门文件夹（{listed}）：一个数据目录只能用一种"
                 f"存放方式，否则一部分数据会被漏掉。", Source(f"{shown}/{years[0]}"),
                 f"按部门存放时，把 {shown}/{years[0]}/ 移进它所属部门的文件夹（如 {shown}/{names[0]}/{years[0]}/）；"
                 f"只有一个部门时，把部门文件夹移出 {shown}/。")


def _department_names(data_root: Path) -> list[str]:
    if not data_root.is_dir():
        return []
    return sorted(p.name for p in data_root.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and p.name not in NOT_DEPARTMENTS
                  and year_folders(p))


def departments(data_root: Path) -> list[DepartmentFolder]:
    """Every department of a data root, by folder name; the one department in the one-department layout."""
    if year_folders(data_root) or not data_root.is_dir():
        return [single(data_root)]
    shown = shown_path(data_root)
    return [DepartmentFolder(name, data_root / name, f"{shown}/{name}" if shown != "." else name, data_root)
            for name in _department_names(data_root)]


def single(data_root: Path) -> DepartmentFolder:
    """The data root as one department (the layout of ``data/2020/``)."""
    return DepartmentFolder(data_root.name, data_root, shown_path(data_root))


def find_department(data_root: Path, name: str) -> tuple[DepartmentFolder | None, list[str]]:
    """The department folder ``name`` of a bureau; else None and the close names (for a 是不是).

    In the one-department layout the data root is the only department, found
    under its own folder name.
    """
    found = departments(data_root)
    for dept in found:
        if dept.key == name:
            return dept, []
    return None, difflib.get_close_matches(name, [d.key for d in found], n=3, cutoff=0.4)


def unit_names(year_folder: Path) -> list[str]:
    """The unit folders of a year folder (``units/<单位>/``), by name."""
    units = year_folder / UNITS_DIR
    if not units.is_dir():
        return []
    return sorted(p.name for p in units.iterdir() if p.is_dir() and not p.name.startswith("."))


def has_units(year_folder: Path) -> bool:
    """Whether a year keeps its figures per budget unit (a ``units/`` folder)."""
    return (year_folder / UNITS_DIR).is_dir()


def lookup_chain(dept: DepartmentFolder, year: int | str, unit: str | None = None) -> list[Path]:
    """The folders a report's house files are looked up in, most particular first (see the module docstring)."""
    year_folder = dept.root / str(year)
    chain = [year_folder / UNITS_DIR / unit] if unit else []
    chain += [year_folder, dept.root]
    if dept.bureau is not None:
        chain.append(dept.bureau)
    return chain


def find_house_file(dept: DepartmentFolder, year: int | str, name: str, unit: str | None = None) -> Path | None:
    """The first ``name`` (``templates``, ``style.yaml``, ``glossary.yaml``) along the look-up chain, or None.

    A ``templates`` folder counts only when it holds the report template
    (report.j2); a file only when it is a file.
    """
    for folder in lookup_chain(dept, year, unit):
        candidate = folder / name
        if name == TEMPLATES_DIR:
            if (candidate / "report.j2").is_file():
                return candidate
        elif candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class HouseFiles:
    """What one report is built with: its template folder, house style and (fallback) glossary."""

    templates: Path
    style: Path | None = None
    glossary: Path | None = None      # used when the report's own folder has no glossary.yaml


def house_files(dept: DepartmentFolder, year: int | str, unit: str | None = None,
                templates: Path | None = None, style: Path | None = None) -> HouseFiles:
    """The house files of a report; ``templates`` / ``style`` given on the command line win.

    A ``templates/`` folder that holds a style (a style.yaml and the parts it
    changes, as ``budgetdoc templates 目录 --style 名称`` copies one) is taken
    as the house style; one that holds files but neither report.j2 nor
    style.yaml is a mistake, said where it is, rather than passed over in
    silence (an empty one is nothing).
    """
    found = templates or find_house_file(dept, year, TEMPLATES_DIR, unit)
    style = style or find_house_file(dept, year, STYLE_FILE, unit)
    if found is None and templates is None:
        folder = next((f / TEMPLATES_DIR for f in lookup_chain(dept, year, unit) if (f / TEMPLATES_DIR).is_dir()), None)
        if folder is not None and (folder / STYLE_FILE).is_file():
            style = style or folder
        elif folder is not None and any(folder.iterdir()):       # an empty folder holds nothing to lose
            from .problems import BudgetError, Source, error
            shown = shown_path(folder)
            raise BudgetError([error("模板", f"{shown}/ 中既没有报告模板 report.j2，也没有文风 style.yaml：不知道怎样使用它。",
                                     Source(shown), "templates/ 中放完整的模板（budgetdoc templates 目录 复制出来后修改），"
                                     "或一种文风（budgetdoc templates 目录 --style 名称）；不用时删去这个文件夹。")])
    return HouseFiles(templates=found or DEFAULT_TEMPLATES, style=style,
                      glossary=find_house_file(dept, year, GLOSSARY_FILE, unit))


def load_style(style: Path | None):
    """The :class:`~budgetdoc.style.Style` of a house-style file or folder (None: the templates' own); its
    mistakes, located, as a :class:`~budgetdoc.problems.BudgetError`.

    Every command reads the style :func:`house_files` found (or ``--style``)
    through here.
    """
    if style is None:
        return None
    from .problems import BudgetError, Source, error
    from .style import style_or_raise

    if not style.exists() and len(style.parts) == 1 and (SHIPPED_STYLES / style.name).is_dir():
        style = SHIPPED_STYLES / style.name          # a style budgetdoc ships, by its name: --style tables-first
    if not style.exists():
        shipped = "、".join(shipped_styles())
        raise BudgetError([error("文风", f"找不到文风文件 {style}。", Source(str(style)),
                                 "检查 --style 后的路径：写 style.yaml 文件，或存放它的文件夹"
                                 + (f"；budgetdoc 自带的文风可以只写名字：{shipped}。" if shipped else "。"))])
    return style_or_raise(style)


def shipped_styles() -> list[str]:
    """The names of the house styles budgetdoc ships besides its default (``tables-first`` …)."""
    return sorted(p.name for p in SHIPPED_STYLES.iterdir() if (p / STYLE_FILE).is_file()) \
        if SHIPPED_STYLES.is_dir() else []