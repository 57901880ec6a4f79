"""Shape (c): any other layout, through a mapping file a bureau writes once (``--mapping``, docs/import.md).

The mapping file is YAML, read as safely as a data file (budgetdoc's own reader: no objects, located
errors).  It says which shape the export has and, in the file's own words, where things are:

* ``表样: 逐行明细`` — ``工作表`` (its name or part of it), ``表头行`` (optional), ``列`` (field →
  the header label), ``资金来源`` (the file's values → budgetdoc's sources), ``单位``;
* ``表样: 公开表`` — ``工作表`` (表名 → sheet), ``栏目`` (the file's header label → the standard
  one), ``单位``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..problems import BudgetError, Problem, Source, error
from ..yamlsrc import YNode, load_file
from .cells import squash
from .extract import Extract
from .lineitems import BY_LABEL, FIELDS, SOURCE_NAMES, LineReader, find_layout
from .tables import KINDS, TableReader
from .workbook import Workbook

SHAPES = ("逐行明细", "公开表")
UNITS = ("元", "万元")
KEYS = ("表样", "工作表", "表头行", "单位", "列", "资金来源", "栏目")
TABLE_NAMES = {kind: kind for kind, _, _ in KINDS} | {"一般公共预算“三公”经费支出表": "三公经费支出表",
                                                     "“三公”经费支出表": "三公经费支出表"}


@dataclass
class Mapping:
    shape: str = ""
    sheet: str | None = None
    sheets: dict[str, str] = field(default_factory=dict)
    header_row: int | None = None
    unit: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    source: Source | None = None
    where: dict[str, Source] = field(default_factory=dict)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _pairs(node: YNode, key: str, problems: list[Problem]) -> list[tuple[str, Source, YNode]]:
    if node.kind != "map":
        problems.append(error("导入映射", f"“{key}”下面应当是“名称: 值”的一组，每行一项。", node.source,
                              f"照 docs/import.md 的例子写“{key}”。"))
        return []
    return node.items


def _text(node: YNode, key: str, problems: list[Problem]) -> str | None:
    if node.kind != "scalar" or node.scalar_type == "null" or not node.text.strip():
        problems.append(error("导入映射", f"“{key}”应当是一段文字，这里却是{node.describe()}。", node.source,
                              "在冒号后写文件中的原文，如“支出功能科目”。"))
        return None
    return node.text.strip()


def load_mapping(path: Path) -> Mapping:
    shown = _shown(path)
    if not path.is_file():
        raise BudgetError([error("导入映射", f"找不到映射文件 {path}。", None, "检查 --mapping 后的路径。")])
    tree, problems = load_file(path, shown)
    if tree is None and not problems:
        problems.append(error("导入映射", "映射文件是空的。", Source(shown, 1, 1), "照 docs/import.md 的例子写映射文件。"))
    if any(p.is_error for p in problems) or tree is None:
        raise BudgetError(problems)
    out = Mapping(source=tree.source)
    if tree.kind != "map":
        raise BudgetError([error("导入映射", "映射文件应当是“名称: 值”形式的一组字段。", tree.source,
                                 "照 docs/import.md 的例子写映射文件。")])
    for key, key_src, node in tree.items:
        out.where[key] = key_src
        if key not in KEYS:
            problems.append(error("导入映射", f"映射文件中没有“{key}”这一项。", key_src, f"可用的有：{'、'.join(KEYS)}。"))
        elif key == "表样":
            value = _text(node, key, problems)
            if value is not None and value not in SHAPES:
                problems.append(error("导入映射", f"“表样”只能是{'或'.join(SHAPES)}，这里是“{value}”。", node.source,
                                      "逐行明细：每行一条预算明细；公开表：每张表一个工作表。"))
            out.shape = value or ""
        elif key == "单位":
            value = _text(node, key, problems)
            if value is not None and value not in UNITS:
                problems.append(error("导入映射", f"“单位”只能是“元”或“万元”，这里是“{value}”。", node.source, "写“元”或“万元”。"))
            out.unit = value
        elif key == "表头行":
            if node.kind != "scalar" or not node.text.strip().isdigit() or int(node.text) < 1:
                problems.append(error("导入映射", "“表头行”应当是表头所在的行号（从 1 数起）。", node.source, "例如：表头在第 3 行，写 3。"))
            else:
                out.header_row = int(node.text) - 1
        elif key == "工作表":
            if node.kind == "map":
                for name, name_src, child in node.items:
                    kind = TABLE_NAMES.get(name)
                    if kind is None:
                        problems.append(error("导入映射", f"“{name}”不是 budgetdoc 认识的表名。", name_src,
                                              f"可用的有：{'、'.join(k for k, _, _ in KINDS)}。"))
                        continue
                    value = _text(child, name, problems)
                    if value:
                        out.sheets[kind] = value
                        out.where[f"工作表.{kind}"] = child.source
            else:
                out.sheet = _text(node, key, problems)
        elif key == "列":
            for name, name_src, child in _pairs(node, key, problems):
                field_name = BY_LABEL.get(name)
                if field_name is None:
                    problems.append(error("导入映射", f"“列”中没有“{name}”这个字段。", name_src,
                                          f"可用的字段有：{'、'.join(BY_LABEL)}。"))
                    continue
                value = _text(child, name, problems)
                if value:
                    out.columns[field_name] = value
                    out.where[f"列.{name}"] = child.source
        elif key == "资金来源":
            for name, name_src, child in _pairs(node, key, problems):
                value = _text(child, name, problems)
                if value is not None and value not in SOURCE_NAMES:
                    problems.append(error("导入映射", f"资金来源“{value}”不是 budgetdoc 认识的资金来源。", child.source,
                                          f"可用的有：{'、'.join(SOURCE_NAMES)}。"))
                elif value is not None:
                    out.sources[name] = SOURCE_NAMES[value]
        elif key == "栏目":
            for name, _, child in _pairs(node, key, problems):
                value = _text(child, name, problems)
                if value:
                    out.labels[squash(name)] = squash(value)
    if not out.shape and not any(p.is_error for p in problems):
        problems.append(error("导入映射", "映射文件缺少“表样”：逐行明细还是公开表？", tree.source, "加一行“表样: 逐行明细”或“表样: 公开表”。"))
    if any(p.is_error for p in problems):
        raise BudgetError(problems)
    return out


def _sheet(book: Workbook, wanted: str, where: Source | None) -> str:
    if wanted in book.sheet_names:
        return wanted
    near = [name for name in book.sheet_names if squash(wanted) in squash(name)]
    if len(near) == 1:
        return near[0]
    raise BudgetError([error("导入表格", f"映射文件说的工作表“{wanted}”在 {book.shown} 中没有"
                             f"{'（有几个工作表都含这几个字）' if near else ''}：工作表有 "
                             f"{'、'.join(f'“{n}”' for n in book.sheet_names)}。", where,
                             "把映射文件中的工作表名称改成文件中的一个（写全称或其中独有的一段）。")])


def read_mapped(book: Workbook, year: int, path: Path) -> Extract:
    mapping = load_mapping(path)
    if mapping.shape == "逐行明细":
        if not mapping.sheet:
            raise BudgetError([error("导入映射", "逐行明细要写“工作表”：明细在哪个工作表。", mapping.source,
                                     "加一行“工作表: 预算明细”（文件中的工作表名称）。")])
        sheet = _sheet(book, mapping.sheet, mapping.where.get("工作表"))
        names = dict(FIELDS)
        for field_name, label in mapping.columns.items():
            names[field_name] = (label,)
        layout = find_layout(book, names, sheet, mapping.header_row)
        if layout is None:
            found = book.sheet(sheet)
            row = mapping.header_row if mapping.header_row is not None else 0
            heads = [str(v) for v in (found.rows[row] if row < len(found.rows) else []) if str(v).strip()]
            missing = [f"“{names[f][0]}”" for f in ("func", "amount")]
            raise BudgetError([error("导入表格", f"［{sheet}］中没有找到映射文件说的表头（{'、'.join(missing)}）"
                                     f"{'' if mapping.header_row is None else f'（第 {row + 1} 行）'}："
                                     f"{'表头有 ' + '、'.join(f'“{h}”' for h in heads[:12]) if heads else '这一行是空的'}。",
                                     found.where(), "把映射文件“列”中的文字改成文件表头的原文；表头不在前 15 行时写“表头行”。")])
        return LineReader(book, year, layout, mapping.unit, mapping.sources).read()
    reader = TableReader(book, year)
    reader.mapping_sheets = {kind: _sheet(book, name, mapping.where.get(f"工作表.{kind}"))
                             for kind, name in mapping.sheets.items()}
    reader.renames = mapping.labels
    reader.default_unit = mapping.unit
    return reader.read()
