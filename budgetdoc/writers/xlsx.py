"""XLSX writer: every 公开表 of a report as a sheet of its own (XlsxWriter).

It reads the same :class:`~budgetdoc.document.ReportDoc` as the DOCX writer
and writes only its tables that have a ``sheet`` name, in order:

* title rows — 表号, the title (merged across the table), 编制部门 on the
  left and 单位 on the right;
* the header rows with their merged cells, repeated on every printed page;
* body rows: amounts are real numbers (the exact ``Cell.value``) shown
  with their ``number_format`` (``0.00``); text stays text, so codes such
  as ``03`` keep their zero; no formulas (a reader without a calculation
  engine would see 0);
* the note under the table;
* print setup: A4, the orientation the report gives the table (its
  :class:`~budgetdoc.document.SectionBreak`), fit to one page wide.

Fonts are the layout's table fonts.  XlsxWriter stamps every zip member
1980-01-01; with the workbook's created date fixed to the report year the
same report always gives the same bytes.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from decimal import Decimal

import xlsxwriter

from budgetdoc.document import Cell, Orientation, ReportDoc, SectionBreak, Table
from budgetdoc.layout import Layout

#: Excel column width units given per character of table text (a little room to spare), and
#: what a CJK character of the 11 pt sheet text takes (two digit widths).
UNITS_PER_CHAR = Decimal("2.2")
UNITS_PER_CJK = Decimal("2.05")
LINE_HEIGHT_PT = 16
FIRST_HEADER_ROW = 3        # rows 0–2: 表号, title, 编制部门 / 单位


class _Formats:
    """Cell formats, made once per distinct look (XlsxWriter keeps every format it is given)."""

    def __init__(self, book: xlsxwriter.Workbook, layout: Layout) -> None:
        self.book = book
        self.text_font = layout.table.font
        self.header_font = layout.table.header_font
        self.size = int(layout.table.size_pt) - 1    # Excel's usual 11 for the 12 pt of the report
        self.cache: dict[tuple, object] = {}
        self.cells: dict[tuple, object] = {}        # by what decides a cell's format (a table has thousands)

    def get(self, **props) -> object:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.book.add_format(props)
        return self.cache[key]

    def cell(self, cell: Cell, header: bool) -> object:
        key = (header or cell.strong, cell.align, cell.value is not None and (cell.number_format or "General"),
               cell.indent)
        found = self.cells.get(key)
        if found is None:
            found = self.cells[key] = self._cell(cell, header)
        return found

    def _cell(self, cell: Cell, header: bool) -> object:
        props: dict = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_size": self.size,
                       "font_name": self.header_font if header or cell.strong else self.text_font,
                       "align": cell.align}
        if cell.value is not None:
            props["num_format"] = cell.number_format or "General"
        if cell.indent:
            props["indent"] = cell.indent
        return self.get(**props)

    def title(self) -> object:
        return self.get(font_name=self.header_font, font_size=16, align="center", valign="vcenter")

    def plain(self, align: str = "left") -> object:
        return self.get(font_name=self.text_font, font_size=self.size, align=align, valign="vcenter")


def render_xlsx(doc: ReportDoc, layout: Layout | None = None) -> bytes:
    """The report's 公开表 as XLSX bytes (an empty workbook has one blank sheet)."""
    layout = layout or Layout()
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    stamp = datetime(doc.year or 2000, 1, 1)
    book.set_properties({"title": doc.title, "author": "budgetdoc", "company": doc.author,
                         "created": stamp, "comments": ""})
    formats = _Formats(book, layout)
    orientation: Orientation = "portrait"
    written = 0
    for block in doc.blocks:
        if isinstance(block, SectionBreak):
            orientation = block.orientation
        elif isinstance(block, Table) and block.sheet:
            _sheet(book, formats, block, orientation)
            written += 1
    if not written:
        book.add_worksheet("公开表")
    book.close()
    return out.getvalue()


def _sheet(book: xlsxwriter.Workbook, formats: _Formats, table: Table, orientation: Orientation) -> None:
    sheet = book.add_worksheet(table.sheet)
    columns = table.columns
    widths = [Decimal(str(w)) for w in table.widths] or [Decimal(6)] * columns
    for index, width in enumerate(widths):
        sheet.set_column(index, index, float(width * UNITS_PER_CHAR))
    last = columns - 1
    sheet.write_string(0, 0, table.number, formats.plain())
    _merge(sheet, 1, 0, 1, last, table.title, formats.title())
    sheet.set_row(1, 28)
    split = max(1, columns // 2)
    if table.issuer:
        _merge(sheet, 2, 0, 2, split - 1, table.issuer, formats.plain())
    if table.unit:
        _merge(sheet, 2, split, 2, last, table.unit, formats.plain("right"))
    header_rows = len(table.header)
    rooms: dict[tuple[int, int], Decimal] = {}      # the characters a line holds, by the columns a cell spans
    for r, placed_row in enumerate(table.grid()):
        row = FIRST_HEADER_ROW + r
        header = r < header_rows
        lines = 1
        for placed in placed_row:
            cell = placed.cell
            fmt = formats.cell(cell, header)
            end_row, end_col = row + cell.rowspan - 1, placed.column + cell.colspan - 1
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_range(row, placed.column, end_row, end_col, "", fmt)
            if cell.value is not None:
                sheet.write_number(row, placed.column, _excel_number(cell.value), fmt)
            elif cell.text:
                sheet.write_string(row, placed.column, cell.text, fmt)
            else:
                sheet.write_blank(row, placed.column, None, fmt)
            if cell.rowspan == 1 and cell.text:
                span = (placed.column, end_col)
                room = rooms.get(span)
                if room is None:
                    room = rooms[span] = sum(widths[placed.column:end_col + 1], Decimal(0)) * UNITS_PER_CHAR \
                        / UNITS_PER_CJK - Decimal("0.5")
                if len(cell.text) > room:          # no character is wider than one: else one line
                    lines = max(lines, _lines(cell.text, room))
        sheet.set_row(row, LINE_HEIGHT_PT * lines)
    end = FIRST_HEADER_ROW + len(table.header) + len(table.rows)
    if table.note:
        _merge(sheet, end, 0, end, last, table.note, formats.plain())
    sheet.repeat_rows(FIRST_HEADER_ROW, FIRST_HEADER_ROW + header_rows - 1)
    sheet.freeze_panes(FIRST_HEADER_ROW + header_rows, 0)
    sheet.set_paper(9)   # A4
    if orientation == "landscape":
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    sheet.set_footer("&C— &P —")


def _merge(sheet, first_row: int, first_col: int, last_row: int, last_col: int, text: str, fmt) -> None:
    if first_col == last_col and first_row == last_row:
        sheet.write_string(first_row, first_col, text, fmt)
    else:
        sheet.merge_range(first_row, first_col, last_row, last_col, text, fmt)


def _lines(text: str, room: Decimal) -> int:
    """How many lines ``text`` takes in a column ``room`` characters wide (digits count half)."""
    if not text or room <= 0:
        return 1
    narrow = len(text.encode("ascii", "ignore"))        # ASCII characters count 0.55, the others 1
    width = Decimal(55 * narrow + 100 * (len(text) - narrow)) / 100
    return max(1, math.ceil(width / room))


def _excel_number(value: Decimal) -> Decimal:
    """The exact value, canonical and in plain notation (7.5 for 7.50, 10 never 1E+1).

    XlsxWriter writes a Decimal as given, so one figure reached two ways
    (176.65 万元, or 1766500 元 × 0.0001) gives the same bytes.
    """
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value  # type: ignore[operator]
