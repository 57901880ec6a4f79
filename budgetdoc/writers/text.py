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

from ..document import Heading, PageBreak, Paragraph, ReportDoc, SectionBreak, Table


def render_text(doc: ReportDoc) -> str:
    lines: list[str] = []
    after_table = False

    def paragraph(text: str) -> None:
        nonlocal after_table
        if not text.strip():
            return
        if after_table:
            lines.append("")
            after_table = False
        lines.append(text)

    paragraph(doc.title)
    paragraph(doc.subtitle)
    for block in doc.blocks:
        if isinstance(block, (Heading, Paragraph)):
            paragraph(block.full_text)
        elif isinstance(block, Table):
            paragraph(block.number)
            paragraph(block.title)
            if block.issuer:
                paragraph(f"{block.issuer}\t{block.unit}" if block.unit else block.issuer)
            else:
                paragraph(block.unit)
            if lines:
                lines.append("")
            lines.extend(" | ".join("" if slot.covered else slot.cell.text for slot in row) for row in block.slots())
            after_table = True
            paragraph(block.note)
        elif isinstance(block, (PageBreak, SectionBreak)):
            continue
    return "".join(f"{line}\n" for line in lines)
