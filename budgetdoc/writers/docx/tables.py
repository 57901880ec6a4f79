"""Tables: number, title, 编制部门 and unit above; merged header rows repeated
on every page; fixed column widths; full borders; a note below.

The table is written as one WordprocessingML string (``w:tbl`` → ``w:tr`` →
``w:tc``) from :meth:`budgetdoc.document.Table.slots` and parsed once: a
cell spanning columns is one ``w:tc`` with ``w:gridSpan``; a cell spanning
rows starts a ``w:vMerge`` (restart) that the rows below continue with an
empty ``w:tc`` of the same width.  python-docx's ``merge`` would do the same
through a quadratic cell grid, and building element by element costs a
Python object per XML node; a string keeps a 10,000-row set of tables to a
fraction of a second.  See docs/typesetting.md.
"""

from __future__ import annotations

import math
from decimal import Decimal

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement

from budgetdoc.arrange import text_width_em
from budgetdoc.document import Cell, Table
from budgetdoc.layout import Layout

from . import styles
from .blocks import BlockWriter, lines_twips
from .oxml import cell_margins, element, mm_to_twips, pt_to_twips, table_borders, xml_text


def column_widths(table: Table, total_twips: int, char_twips: Decimal | None = None) -> list[int]:
    """Twips per column, adding up to exactly ``total_twips`` (the last column takes the remainder).

    In proportion to ``table.widths`` (equal when not given); when they do
    not fit (at ``char_twips`` a character) every column narrows in
    proportion, but none below its minimum width (:meth:`Table.minimum_widths`):
    a column that would fall below it keeps its minimum and the others share
    what is left.
    """
    count = table.columns
    weights = [Decimal(str(w)) for w in table.widths] if table.widths else [Decimal(1)] * count
    if len(weights) != count:
        raise ValueError(f"表格“{table.title}”有 {count} 列，但给出了 {len(weights)} 个列宽")
    if not all(weight > 0 for weight in weights):
        raise ValueError(f"表格“{table.title}”的列宽应为正数：{table.widths}")
    whole = sum(weights, Decimal(0))
    widths = [int(total_twips * w / whole) for w in weights]
    minimums = table.minimum_widths() if table.widths else ()
    if char_twips is not None and len(minimums) == count and whole * char_twips > total_twips \
            and sum(minimums, Decimal(0)) * char_twips < total_twips:
        floored: set[int] = set()
        while True:                  # proportional, each column floored at its minimum (water-filling)
            room = total_twips - sum(minimums[i] * char_twips for i in floored)
            share = sum((weights[i] for i in range(count) if i not in floored), Decimal(0))
            scale = room / (share * char_twips)
            below = {i for i in range(count) if i not in floored and weights[i] * scale < minimums[i]}
            if not below:
                break
            floored |= below
        widths = [int(minimums[i] * char_twips) if i in floored else int(weights[i] * scale * char_twips)
                  for i in range(count)]
    widths[-1] += total_twips - sum(widths)
    return widths


def write_table(writer: BlockWriter, table: Table, layout: Layout) -> None:
    text_width = mm_to_twips(writer.text_width_mm)
    if table.number:
        writer.paragraph(table.number, styles.TABLE_NUMBER)
    if table.title:
        writer.paragraph(table.title, styles.CAPTION)
    if table.issuer:
        _issuer_line(writer.paragraph("", styles.TABLE_ISSUER), table.issuer, table.unit, text_width)
    elif table.unit:
        writer.paragraph(table.unit, styles.TABLE_UNIT)
    size = table.size_pt or layout.table.size_pt
    widths = column_widths(table, text_width, size * 20)
    try:
        slots = table.slots()
    except ValueError as exc:   # TableShapeError: a bug in whatever built the table
        raise ValueError(f"表格行的单元格与列数不符：{exc}") from None
    header_count = len(table.header)
    indent = pt_to_twips(size)       # one character of table text
    small = _small_text(table.size_pt) if table.size_pt else ""
    pitch = indent * 3 // 2 if table.size_pt else pt_to_twips(layout.table.line_pitch_pt)
    heights = header_heights(slots[:header_count], widths, indent, pitch,
                             2 * mm_to_twips(layout.table.cell_margin_mm))
    together = _grouped_rows(slots, header_count)
    rows = "".join(_row(row, widths, index < header_count, indent, small,
                        heights[index] if index < header_count else 0, index in together)
                   for index, row in enumerate(slots))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    tbl = parse_xml(f"<w:tbl {nsdecls('w')}><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>")
    tbl.insert(0, _table_properties(text_width, layout))
    if writer.take_break():   # a gap before a bare table is dropped
        # No caption or unit took the break: a page break before the first
        # cell's paragraph moves the whole table (Word, WPS and LibreOffice).
        first = tbl.find(f"{qn('w:tr')}/{qn('w:tc')}/{qn('w:p')}/{qn('w:pPr')}")
        first.insert(1, element("w:pageBreakBefore"))
    writer.append(tbl)
    if table.note:
        writer.paragraph(table.note, styles.TABLE_NOTE)
    writer.gap(lines_twips(layout.table.space_after_lines, layout))


def _issuer_line(paragraph, issuer: str, unit: str, text_width: int) -> None:
    """编制部门：… on the left, 单位：万元 on the right: one line with a right tab stop."""
    p = paragraph._p
    ppr = p.get_or_add_pPr()
    ppr.insert(1, element("w:tabs", (element("w:tab", val="right", pos=str(text_width)),)))
    p.append(_run(issuer))
    if unit:
        p.append(element("w:r", (element("w:tab"),)))
        p.append(_run(unit))


def _table_properties(total_twips: int, layout: Layout) -> BaseOxmlElement:
    """``w:tblPr`` in schema order: width, centred, borders, fixed layout, padding, look."""
    return element("w:tblPr", (
        element("w:tblW", w=str(total_twips), type="dxa"),
        element("w:jc", val="center"),
        table_borders(layout.table.border_pt),
        element("w:tblLayout", type="fixed"),
        cell_margins(mm_to_twips(layout.table.cell_margin_mm)),
        element("w:tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0",
                noHBand="0", noVBand="1"),
    ))


def _small_text(size_pt: Decimal) -> str:
    """Run properties (and a line to match) for a table set smaller than its style to fit the page."""
    half_points = int(size_pt * 2)
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def header_heights(rows, widths: list[int], char_twips: int, pitch_twips: int, padding_twips: int) -> list[int]:
    """The least height (twips) of each header row, so that a cell merged down over several rows has
    room for its wrapped label in every reader.

    Word grows a merged cell's rows to fit it; LibreOffice, in the header it
    repeats on the next pages, keeps the rows as high as their own one-row
    cells need and cuts the merged label short.  So the lines a cell's label
    needs at its width are spread over the rows it spans, as a least height.
    """
    heights = [pitch_twips] * len(rows)
    merged = []
    for r, row in enumerate(rows):
        for slot in row:
            if slot.covered:
                continue
            width = max(sum(widths[slot.column:slot.column + slot.cell.colspan]) - padding_twips, char_twips)
            lines = max(1, math.ceil(text_width_em(slot.cell.text) * char_twips / width))
            if slot.cell.rowspan == 1:
                heights[r] = max(heights[r], lines * pitch_twips)
            else:
                merged.append((r, slot.cell.rowspan, lines * pitch_twips))
    for r, span, need in merged:            # spread what the rows lack evenly over the rows it spans
        spanned = range(r, min(r + span, len(rows)))
        lack = need - sum(heights[i] for i in spanned)
        if lack > 0:
            for i in spanned:
                heights[i] += -(-lack // len(spanned))
    return heights


def _grouped_rows(slots, header_count: int) -> set[int]:
    """Body rows that a cell merged down from them (or through them) ties to the next row: kept on its page."""
    together: set[int] = set()
    for r in range(header_count, len(slots)):
        for slot in slots[r]:
            if not slot.covered and slot.cell.rowspan > 1:
                together.update(range(r, r + slot.cell.rowspan - 1))
    return together


def _row(slots, widths: list[int], header: bool, indent_twips: int, small: str = "", height: int = 0,
         keep_with_next: bool = False) -> str:
    props = "<w:cantSplit/>"
    if height:
        props += f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>'
    if header:
        props += "<w:tblHeader/>"
    cells = []
    for slot in slots:
        cell = slot.cell
        width = sum(widths[slot.column:slot.column + cell.colspan])
        tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if cell.colspan > 1:
            tcpr += f'<w:gridSpan w:val="{cell.colspan}"/>'
        if slot.covered:
            tcpr += "<w:vMerge/>"
        elif cell.rowspan > 1:
            tcpr += '<w:vMerge w:val="restart"/>'
        tcpr += '<w:vAlign w:val="center"/>'
        paragraph = _cell_paragraph(cell, header, slot.covered, indent_twips, small, keep_with_next)
        cells.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paragraph}</w:tc>")
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def _cell_paragraph(cell: Cell, header: bool, covered: bool, indent_twips: int, small: str = "",
                    keep_with_next: bool = False) -> str:
    style = styles.TABLE_HEADER if header else (styles.TABLE_TOTAL if cell.strong else styles.TABLE_TEXT)
    ppr = f'<w:pStyle w:val="{style}"/>'
    if keep_with_next:     # the row stays on the page of the next (a merged 项目 and its 绩效指标)
        ppr += "<w:keepNext/>"
    if small:   # lines as high as the smaller text needs (1.5 times its size)
        ppr += f'<w:spacing w:line="{indent_twips * 3 // 2}" w:lineRule="exact"/>'
    if cell.indent and not covered:     # in characters (Word, WPS), twips as fallback
        ppr += f'<w:ind w:leftChars="{cell.indent * 100}" w:left="{cell.indent * indent_twips}"/>'
    ppr += f'<w:jc w:val="{cell.align}"/>'
    if small:
        ppr += f"<w:rPr>{small}</w:rPr>"
    run = _run_xml(cell.text, small) if cell.text and not covered else ""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>"


def _run_xml(text: str, small: str = "") -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    rpr = f"<w:rPr>{small}</w:rPr>" if small else ""
    return f"<w:r>{rpr}<w:t{space}>{xml_text(text)}</w:t></w:r>"


def _run(text: str) -> BaseOxmlElement:
    t = OxmlElement("w:t")
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element("w:r", (t,))
