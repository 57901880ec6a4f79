"""The 公开表 (第六部分 部门预算公开表): computed figures → tables of typed cells.

A step of its own beside the narrative: templates keep the prose, Python
lays out the tables, both from the same :class:`~budgetdoc.compute.Figures`.

* :mod:`.tableset` — which tables, in what order, numbered and titled how
  (``templates/tables.yaml``: a region's choice, not code);
* :mod:`.tables` — one builder per kind of table;
* :mod:`.grid` — merged header rows, split codes, amount cells, widths.

The tables are placed where a template writes ``::: 公开表`` (all of them)
or ``::: 公开表 表3`` (one); the spreadsheet gets every table of the set.
"""

from __future__ import annotations

from dataclasses import replace

from ..compute import Figures
from ..document import ReportDoc, Table, TablesSlot
from ..problems import BudgetError, Source, error
from ..wording import Wording
from .tables import build_table
from .tableset import TableSet, load_tableset, tableset_or_raise

__all__ = ["build_statements", "place_tables", "load_tableset", "tableset_or_raise", "TableSet"]


def build_statements(figures: Figures, tableset: TableSet, phrasing: Wording | None = None) -> tuple[Table, ...]:
    """Every table of the set, in its order."""
    phrasing = phrasing or Wording()
    return tuple(build_table(figures, spec, tableset, phrasing) for spec in tableset.tables)


def place_tables(doc: ReportDoc, tables: tuple[Table, ...]) -> ReportDoc:
    """Fill the template's ``::: 公开表`` slots with the tables they ask for."""
    by_number = {table.number: table for table in tables}
    blocks = []
    for block in doc.blocks:
        if not isinstance(block, TablesSlot):
            blocks.append(block)
            continue
        unknown = [n for n in block.numbers if n not in by_number]
        if unknown:
            raise BudgetError([error("模板", f"模板要放的表 {'、'.join(unknown)} 不在公开表设置（tables.yaml）中。", Source("模板"),
                                     f"可用的编号：{'、'.join(by_number) or '无'}；或把“::: 公开表”后的编号去掉，放全部表。")])
        blocks.extend(by_number[n] for n in block.numbers) if block.numbers else blocks.extend(tables)
    return replace(doc, blocks=tuple(blocks))
