"""Tables: caption and unit above, fixed column widths, full borders,
header rows repeated on every page, note below.

Rows are appended one by one and filled through ``row.cells``;
``table.cell(i, j)`` rebuilds the whole cell grid on each call (quadratic).
"""

from __future__ import annotations

from decimal import Decimal

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import Table as DocxTable

from budgetdoc.document import Cell, Table
from budgetdoc.layout import Layout

from . import styles
from .blocks import BlockWriter, lines_twips
from .oxml import cell_margins, element, mm_to_twips, table_borders

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def column_widths(table: Table, total_twips: int) -> list[int]:
    """Twips per column in proportion to ``table.widths`` (equal when not given).

    The last column takes the rounding remainder so the widths add up to
    exactly the text width.
    """
    count = table.columns
    weights = [Decimal(str(w)) for w in table.widths] if table.widths else [Decimal(1)] * count
    if len(weights) != count:
        raise ValueError(f"表格“{table.title}”有 {count} 列，但给出了 {len(weights)} 个列宽")
    if not all(weight > 0 for weight in weights):
        raise ValueError(f"表格“{table.title}”的列宽应为正数：{table.widths}")
    whole = sum(weights, Decimal(0))
    widths = [int(total_twips * w / whole) for w in weights]
    widths[-1] += total_twips - sum(widths)
    return widths


def write_table(writer: BlockWriter, table: Table, layout: Layout) -> None:
    if table.title:
        writer.paragraph(table.title, styles.CAPTION)
    if table.unit:
        writer.paragraph(table.unit, styles.TABLE_UNIT)
    total = mm_to_twips(layout.page.text_width_mm)
    widths = column_widths(table, total)
    grid = writer.table(len(widths))
    _table_properties(grid, total, layout)
    for column, width in zip(grid.columns, widths):
        column.width = Twips(width)
    break_before = writer.take_break()  # a gap before a bare table is dropped
    for cells in table.header:
        _add_row(grid, writer, cells, styles.TABLE_HEADER, header=True)
    for cells in table.rows:
        _add_row(grid, writer, cells, styles.TABLE_TEXT, header=False)
    if break_before:
        # No caption or unit took the break: a page break before the first
        # cell's paragraph moves the whole table (Word, WPS and LibreOffice).
        grid.rows[0].cells[0].paragraphs[0].paragraph_format.page_break_before = True
    if table.note:
        writer.paragraph(table.note, styles.TABLE_NOTE)
    writer.gap(lines_twips(layout.table.space_after_lines, layout))


def _table_properties(grid: DocxTable, total_twips: int, layout: Layout) -> None:
    """``w:tblPr`` in schema order: width, centred, borders, fixed layout, padding."""
    tblPr = grid._tbl.tblPr
    look = tblPr.find(qn("w:tblLook"))
    for child in list(tblPr):
        tblPr.remove(child)
    for child in (
        element("w:tblW", w=str(total_twips), type="dxa"),
        element("w:jc", val="center"),
        table_borders(layout.table.border_pt),
        element("w:tblLayout", type="fixed"),
        cell_margins(mm_to_twips(layout.table.cell_margin_mm)),
        look,
    ):
        tblPr.append(child)


def _add_row(
    grid: DocxTable,
    writer: BlockWriter,
    cells: tuple[Cell, ...],
    style_id: str,
    *,
    header: bool,
) -> None:
    columns = len(grid.columns)
    if len(cells) != columns:
        raise ValueError(f"表格行应有 {columns} 个单元格，实有 {len(cells)} 个：{cells!r}")
    row = grid.add_row()  # cells get their w:tcW from the grid columns
    trPr = row._tr.get_or_add_trPr()
    trPr.append(element("w:cantSplit"))
    if header:
        trPr.append(element("w:tblHeader"))
    style = writer.style(style_id)
    for target, source in zip(row.cells, cells):
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph.style = style
        paragraph.alignment = ALIGN[source.align]
        paragraph.add_run(source.text)
