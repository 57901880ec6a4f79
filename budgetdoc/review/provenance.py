"""For ``budgetdoc diff`` between two data versions: which data value each paragraph and cell was
rendered from, and how to name a data value for a reader.

The report's document model carries, for every paragraph and table cell, the
keys of the data values it was written from (:mod:`budgetdoc.provenance`).
:func:`attach_sources` puts them on the blocks read back from the built DOCX
(the blocks the diff compares), matching paragraphs by their text in reading
order and table cells by their place in the grid.

:func:`data_values` reads a year's data as values a clerk recognises: each
with its key, its text, its line, and a label by 科目 or item
(``机关运行经费 · 办公费 · 金额``, ``支出功能分类 · 一般公共预算 · 201 一般公共服务支出 · 金额``)
instead of its YAML path (``明细[1].金额``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..document import Heading, Paragraph, ReportDoc, Table
from ..model import DATA_FILES
from ..yamlsrc import YNode, load_file
from .docxtext import ParagraphBlock, TableBlock, TextBlock

_SPACE = re.compile(r"\s+")


def attach_sources(blocks: list[TextBlock], document: ReportDoc) -> list[TextBlock]:
    """``blocks`` (read from the DOCX of ``document``) with the sources of the model's paragraphs and cells."""
    texts = [(_plain(b.full_text), b.sources) for b in document.blocks if isinstance(b, (Heading, Paragraph))]
    tables = list(document.tables())
    out: list[TextBlock] = []
    at = 0                    # the next model paragraph; captions and page breaks of the writer have none
    table_at = 0
    for block in blocks:
        if isinstance(block, TableBlock):
            if table_at < len(tables):
                block = replace(block, cell_sources=_cell_sources(block, tables[table_at]))
            table_at += 1
        elif block.text.strip():
            wanted = _plain(block.text)
            found = next((i for i in range(at, len(texts)) if texts[i][0] == wanted), None)
            if found is not None:
                block = replace(block, sources=texts[found][1])
                at = found + 1
        out.append(block)
    return out


def _plain(text: str) -> str:
    return _SPACE.sub("", text)


def _cell_sources(block: TableBlock, table: Table) -> tuple[tuple[frozenset[str], ...], ...]:
    """The sources of each ``w:tc`` of a table read back, from the model cell that starts at its grid place."""
    starts = {(p.row, p.column): p.cell.sources for row in table.grid() for p in row}
    out = []
    for r, row in enumerate(block.rows):
        spans = block.spans[r] if r < len(block.spans) else (1,) * len(row)
        column, cells = 0, []
        for span in spans:
            cells.append(starts.get((r, column), frozenset()))
            column += span
        out.append(tuple(cells))
    return tuple(out)


# ------------------------------------------------------------- naming data values

@dataclass(frozen=True)
class DataValue:
    """One scalar of a year's data: ``key`` as the provenance keys name it (``2020/income.yaml:合计``)."""

    key: str
    text: str
    label: str          # 收入预算 · 合计
    line: int

    @property
    def where(self) -> str:
        """``2020/income.yaml 第 5 行``."""
        file = self.key.split(":", 1)[0]
        return f"{file} 第 {self.line} 行" if self.line else file


def data_values(data_root: Path, year: int, unit: str | None = None) -> dict[str, DataValue]:
    """Every scalar of a year's data files, keyed and labelled (nothing when the year is absent).

    A year kept per budget unit gives each unit's values too (``2020/units/<单位>/…``); with ``unit``,
    that unit's alone.
    """
    from ..folders import UNITS_DIR, unit_names

    folder = data_root / str(year)
    if unit is not None:
        return _folder_values(folder / UNITS_DIR / unit, f"{year}/{UNITS_DIR}/{unit}", [unit])
    out = _folder_values(folder, str(year), [])
    for name in unit_names(folder):
        out.update(_folder_values(folder / UNITS_DIR / name, f"{year}/{UNITS_DIR}/{name}", [name]))
    return out


def _folder_values(folder: Path, prefix: str, names: list[str]) -> dict[str, DataValue]:
    out: dict[str, DataValue] = {}
    for data_file in DATA_FILES:
        path = folder / data_file.name
        if not path.is_file():
            continue
        tree, _ = load_file(path, data_file.name)
        if tree is not None:
            _walk(tree, "", names + [data_file.topic], [], f"{prefix}/{data_file.name}", out)
    return out


def _walk(node: YNode, path: str, head: list[str], names: list[str], file: str, out: dict[str, DataValue]) -> None:
    """``head``: the unit and the file's topic; ``names``: the keys and items down to ``node``."""
    if node.kind == "map":
        for key, _src, child in node.items:
            _walk(child, f"{path}.{key}" if path else key, head, names + [key], file, out)
    elif node.kind == "seq":
        for i, child in enumerate(node.items):
            _walk(child, f"{path}[{i + 1}]", head, names + [_item_name(child) or f"第{i + 1}项"], file, out)
    else:
        key = f"{file}:{path}"
        label = " · ".join(head + [n for n in names if n not in _CONTAINERS])
        out[key] = DataValue(key, node.text, label, node.source.line)


def _item_name(node: YNode) -> str:
    """How a list item names itself: its 编码 and 名称 (or 名词, 项目名称 …)."""
    if node.kind == "scalar":
        return ""
    if node.kind != "map":
        return ""
    fields = {key: child.text for key, _src, child in node.items if child.kind == "scalar"}
    code = fields.get("编码", "")
    name = next((fields[k] for k in ("名称", "简称", "名词", "项目名称", "一级指标") if fields.get(k)), "")
    return " ".join(part for part in (code, name) if part)


#: lists whose name says nothing an item's own name does not (明细 · 办公费 → 办公费)
_CONTAINERS = frozenset(("下级", "明细", "项目", "名词解释"))
