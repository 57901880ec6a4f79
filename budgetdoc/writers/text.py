"""Plain-text rendering of the document model, for review and diffs.

One line per heading or paragraph, a blank line between blocks, tables as
rows of cells separated by `` | ``.  Stable and diff-friendly.
"""

from __future__ import annotations

from ..document import Heading, PageBreak, Paragraph, ReportDoc, Table


def render_text(doc: ReportDoc) -> str:
    out: list[str] = [doc.title]
    if doc.subtitle:
        out.append(doc.subtitle)
    out.append("")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(block.full_text)
        elif isinstance(block, Paragraph):
            out.append(block.full_text)
        elif isinstance(block, Table):
            if block.title:
                out.append(block.title)
            if block.unit:
                out.append(block.unit)
            for row in block.header + block.rows:
                out.append(" | ".join(cell.text for cell in row))
            if block.note:
                out.append(block.note)
        elif isinstance(block, PageBreak):
            continue
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
