"""``budgetdoc import``: figures from a budget-system export into data/<year>/ (see docs/import.md).

The shapes are read into one :class:`~.extract.Extract`:

* the 公开表 workbook (:mod:`.tables`), budgetdoc's own XLSX included;
* line-item detail, one row per budget line (:mod:`.lineitems`);
* any other layout, through a mapping file a bureau writes once (:mod:`.mapping`).

:mod:`.apply` writes the figures into the data (text and comments kept),
derives the totals the file does not state, and checks the result; the
command writes the files only when all of that succeeded.
"""

from __future__ import annotations

from pathlib import Path

from ..load import YEAR_RE
from ..problems import BudgetError, error
from .apply import Applier, Imported, year_texts
from .workbook import open_workbook

__all__ = ["import_file", "Imported"]


def import_file(file: Path, year: str, data_root: Path, mapping: Path | None = None) -> Imported:
    """What importing ``file`` into ``data_root/year`` would change; raises BudgetError, nothing written."""
    if not YEAR_RE.fullmatch(year.strip()):
        raise BudgetError([error("年份", f"年份“{year}”无效：应当是四位数字，如 2021。", None,
                                 "写成 budgetdoc import 批复.xlsx 2021。")])
    number = int(year)
    if not data_root.is_dir():
        from ..folders import missing_data_root

        raise BudgetError([missing_data_root(data_root)])
    book = open_workbook(file)
    extract = read_extract(book, number, mapping)
    if extract.problems:
        raise BudgetError(extract.problems)
    texts, notes = year_texts(data_root, number)
    applier = Applier(extract, data_root, number, texts, data_root / year)
    applier.notes = notes + applier.notes
    return applier.run()


def read_extract(book, year: int, mapping: Path | None):
    """The export's figures in whichever shape it has."""
    from .tables import TableReader

    if mapping is not None:
        from .mapping import read_mapped
        return read_mapped(book, year, mapping)
    from .lineitems import find_line_items
    found = find_line_items(book, year)
    if found is not None:
        return found
    return TableReader(book, year).read()
