"""Page decisions made once, before any writer: where the title breaks, where the 公开表 start
and which are landscape.

A title too long for one line breaks between words (GB/T 9704 §7.3.3: 词意完整，排列对称，
梯形或菱形): at the places its template marks, in as few lines as fit, as evenly as
possible, a shorter line above a longer one when two ways are equally even.

Every 公开表 starts on a page of its own (the first one right under its part's heading, when
they are on pages of the same orientation).  A table whose columns need more
room than a portrait page gives is set on landscape pages (GB/T 9704-2012
§10: 表格横排), in a section of its own; the text after it returns to
portrait.  The widths compared are the table's own (characters of table
text, see :class:`~budgetdoc.document.Table`) at the layout's table size.

The DOCX writer turns the resulting :class:`~budgetdoc.document.SectionBreak`
blocks into Word sections; the spreadsheet writer reads them for its print
setup.  Neither decides anything.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .document import Block, Heading, Orientation, PageBreak, ReportDoc, SectionBreak, Table
from .layout import Layout

MM_PER_PT = Decimal("25.4") / 72


#: The smallest text a table is set in to fit its page (小五 is 9 pt; 8 pt still reads on A4).
SMALLEST_PT = Decimal(8)


def orientation_for(table: Table, layout: Layout) -> Orientation:
    """Landscape when the table's columns do not fit the portrait text width."""
    needed_pt = sum((Decimal(str(w)) for w in table.widths), Decimal(0)) * layout.table.size_pt
    return "landscape" if needed_pt * MM_PER_PT > layout.page.text_width_mm else "portrait"


def size_for(table: Table, layout: Layout, orientation: Orientation) -> Decimal | None:
    """A smaller text size when even the table's narrowest form does not fit its page, else None.

    The narrowest form is every column at its minimum width
    (:meth:`Table.minimum_widths`); the size is rounded down to half a point
    and never below SMALLEST_PT.
    """
    width_mm = layout.page.text_width(orientation)
    chars = sum(table.minimum_widths(), Decimal(0))
    size = layout.table.size_pt
    if chars * size * MM_PER_PT <= width_mm:
        return None
    fitting = width_mm / MM_PER_PT / chars
    return max(SMALLEST_PT, (fitting * 2).to_integral_value(rounding="ROUND_FLOOR") / 2)


def text_width_em(text: str) -> Decimal:
    """The width of a line in characters of its font: Chinese one each, digits and Latin half."""
    return sum((Decimal("0.5") if ch.isascii() else Decimal(1) for ch in text), Decimal(0))


def break_title(title: str, breaks: tuple[int, ...], layout: Layout) -> str:
    """``title`` with ``\n`` where it must break to fit the title style's line, or unchanged."""
    room = layout.page.text_width_mm / MM_PER_PT / layout.title.size_pt
    if text_width_em(title) <= room or not breaks:
        return title
    best: tuple | None = None
    cuts = sorted(breaks)
    for lines in range(2, len(cuts) + 2):
        for chosen in _choose(cuts, lines - 1):
            edges = [0, *chosen, len(title)]
            parts = [title[a:b] for a, b in zip(edges, edges[1:])]
            widths = [text_width_em(p) for p in parts]
            if max(widths) > room:
                continue
            # evenness first; then a trapezoid (each line no longer than the next) over the other way round
            key = (max(widths) - min(widths), 0 if widths == sorted(widths) else 1, widths)
            if best is None or key < best[0]:
                best = (key, parts)
        if best is not None:
            return "\n".join(best[1])
    return title     # no way fits: one line, the writer wraps it


def _choose(items: list[int], k: int):
    from itertools import combinations
    return combinations(items, k)


def arrange(doc: ReportDoc, layout: Layout) -> ReportDoc:
    """The document with its title broken where it must, and a page (landscape where needed) for every 公开表."""
    out: list[Block] = []
    current: Orientation = "portrait"
    for block in doc.blocks:
        if isinstance(block, Table) and block.sheet:
            wanted = orientation_for(block, layout)
            if wanted != current:
                if out and isinstance(out[-1], PageBreak):
                    out.pop()
                heading = out.pop() if out and isinstance(out[-1], Heading) else None
                out.append(SectionBreak(wanted))   # the part's heading goes onto the table's page
                if heading is not None:
                    out.append(heading)
                current = wanted
            elif not (out and isinstance(out[-1], (PageBreak, SectionBreak, Heading))):
                out.append(PageBreak())     # a table right under its part's heading stays with it
            size = size_for(block, layout, wanted)
            out.append(replace(block, size_pt=size) if size is not None else block)
            continue
        if current != "portrait" and not isinstance(block, (PageBreak, SectionBreak)):
            out.append(SectionBreak("portrait"))
            current = "portrait"
        if isinstance(block, SectionBreak):
            current = block.orientation
        out.append(block)
    return replace(doc, title=break_title(doc.title, doc.title_breaks, layout), blocks=tuple(out))
