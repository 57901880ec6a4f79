"""Plain-text rendering of the document model, for review and diffs.

One line per heading or paragraph; a table is one line per row, cells
separated by `` | ``, with a blank line between the table and the text
around it.  This is exactly what ``budgetdoc text`` prints for the DOCX (the
git textconv view), so the ``.txt`` beside a report and ``git diff`` of the
report show the same lines; a test holds the two to each other.
"""

from __future__ import annotations

from ..document import Heading, PageBreak, Paragraph, ReportDoc, Table


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
            paragraph(block.title)
            paragraph(block.unit)
            if lines:
                lines.append("")
            lines.extend(" | ".join(cell.text for cell in row) for row in block.header + block.rows)
            after_table = True
            paragraph(block.note)
        elif isinstance(block, PageBreak):
            continue
    return "".join(f"{line}\n" for line in lines)
