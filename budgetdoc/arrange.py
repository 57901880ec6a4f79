"""Page decisions made once, before any writer: where the 公开表 start and which are landscape.

Every 公开表 starts on a page of its own.  A table whose columns need more
room than a portrait page gives is set on landscape pages (GB/T 9704-2012
§10: 表格横排), in a section of its own; the text after it returns to
portrait.  The widths compared are the table's own (characters of table
text, see :class:`~budgetdoc.document.Table`) at the layout's table size.

The DOCX writer turns the resulting :class:`~budgetdoc.document.SectionBreak`
blocks into Word sections; the spreadsheet writer reads them for its print
setup.  Neither decides anything.
"""

from __future__ import annotations

from decimal import Decimal

from .document import Block, Orientation, PageBreak, ReportDoc, SectionBreak, Table
from .layout import Layout

MM_PER_PT = Decimal("25.4") / 72


def orientation_for(table: Table, layout: Layout) -> Orientation:
    """Landscape when the table's columns do not fit the portrait text width."""
    needed_pt = sum((Decimal(str(w)) for w in table.widths), Decimal(0)) * layout.table.size_pt
    return "landscape" if needed_pt * MM_PER_PT > layout.page.text_width_mm else "portrait"


def arrange(doc: ReportDoc, layout: Layout) -> ReportDoc:
    """The document with a page (and, where needed, a landscape section) for every 公开表."""
    out: list[Block] = []
    current: Orientation = "portrait"
    for block in doc.blocks:
        if isinstance(block, Table) and block.sheet:
            wanted = orientation_for(block, layout)
            if wanted != current:
                if out and isinstance(out[-1], PageBreak):
                    out.pop()
                out.append(SectionBreak(wanted))
                current = wanted
            elif not (out and isinstance(out[-1], (PageBreak, SectionBreak))):
                out.append(PageBreak())
            out.append(block)
            continue
        if current != "portrait" and not isinstance(block, (PageBreak, SectionBreak)):
            out.append(SectionBreak("portrait"))
            current = "portrait"
        if isinstance(block, SectionBreak):
            current = block.orientation
        out.append(block)
    return ReportDoc(doc.title, tuple(out), doc.subtitle, doc.author, doc.year)
