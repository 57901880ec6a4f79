"""Plain-text rendering of the document model, for review and diffs.

One line per heading or paragraph; a table is one line per row, cells
separated by `` | ``, with a blank line between the table and the text
around it.  A merged cell is written once; the rows it spans down into show
an empty cell where Word keeps its continuation (see
:meth:`~budgetdoc.document.Table.slots`).  The 编制部门 / 单位 line keeps
the tab that separates them in the DOCX.  This is exactly what ``budgetdoc text`` prints for the DOCX (the
git textconv view), so the ``.txt`` beside a report and ``git diff`` of the
report show the same lines; a test holds the two to each other.
"""

from __future__ import annotations

from typing import Iterable, Union

from ..document import Heading, Paragraph, ReportDoc, Table

#: What the text shows, in order: a paragraph's text, or a table as rows of cell texts (a cell's own
#: paragraphs joined by ``\n``).
Shown = Union[str, tuple[tuple[str, ...], ...]]


def render_text(doc: ReportDoc) -> str:
    """The report as plain text (the ``.txt`` beside it)."""
    return layout(_shown(doc))


def _shown(doc: ReportDoc) -> Iterable[Shown]:
    yield doc.title
    yield doc.subtitle
    for block in doc.blocks:
        if isinstance(block, (Heading, Paragraph)):
            yield block.full_text
        elif isinstance(block, Table):
            yield block.number
            yield block.title
            yield f"{block.issuer}\t{block.unit}" if block.issuer and block.unit else (block.issuer or block.unit)
            yield tuple(tuple("" if slot.covered else slot.cell.text for slot in row) for row in block.slots())
            yield block.note
        # page and section breaks show nothing in text


def layout(shown: Iterable[Shown]) -> str:
    """The one text layout, for a report built from data and for a .docx read back
    (:func:`budgetdoc.review.docxtext.render_text`): one line per non-empty paragraph, one line per
    table row with its cells separated by `` | `` (a cell's own paragraphs by a space), and a blank
    line between a table and the text or table around it."""
    lines: list[str] = []
    after_table = False
    for item in shown:
        if isinstance(item, tuple):
            if not item:
                continue
            if lines:
                lines.append("")
            lines.extend(row_line(row) for row in item)
            after_table = True
        elif item and item.strip():
            if after_table:
                lines.append("")
                after_table = False
            lines.append(item)
    return "".join(f"{line}\n" for line in lines)


def row_line(row: tuple[str, ...]) -> str:
    """A table row as one line: cells separated by `` | ``, a cell's own paragraphs by a space."""
    return " | ".join(" ".join(part for part in cell.split("\n") if part) for cell in row)
