"""Title, headings, paragraphs and page breaks.

Each block becomes one paragraph in one of the layout's styles; runs carry
no direct formatting, so the look of the report lives in ``styles.py`` only.
Numbers are already part of the model (``full_text``); text is written
exactly as given.
"""

from __future__ import annotations

from docx.document import Document
from docx.text.paragraph import Paragraph as DocxParagraph

from budgetdoc.document import Heading, Paragraph, ReportDoc

from . import styles

ROLE_STYLES = {
    "body": styles.BODY,
    "plain": styles.NORMAL,
    "caption": styles.CAPTION,
    "signature": styles.SIGNATURE,
}


class BlockWriter:
    """Appends paragraphs to a document and carries a pending page break.

    A ``PageBreak`` block is not a paragraph of its own (Word would show its
    empty paragraph mark at the top of the next page): it becomes
    ``w:pageBreakBefore`` on whatever paragraph comes next.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._styles = {style.style_id: style for style in document.styles}
        self._break_pending = False

    def paragraph(self, text: str, style_id: str) -> DocxParagraph:
        """A new paragraph of ``style_id`` at the end of the body."""
        paragraph = self._document.add_paragraph(text, style=self._styles[style_id])
        if self.take_break():
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def style(self, style_id: str):
        return self._styles[style_id]

    def page_break(self) -> None:
        self._break_pending = True

    def take_break(self) -> bool:
        """True once if a page break waits for the next paragraph."""
        pending, self._break_pending = self._break_pending, False
        return pending


def write_title(writer: BlockWriter, doc: ReportDoc) -> None:
    """Title, optional subtitle, then one empty line (GB/T 9704: 标题下空一行)."""
    writer.paragraph(doc.title, styles.TITLE)
    if doc.subtitle:
        writer.paragraph(doc.subtitle, styles.SUBTITLE)
    writer.paragraph("", styles.NORMAL)


def write_heading(writer: BlockWriter, heading: Heading) -> None:
    writer.paragraph(heading.full_text, styles.heading_id(heading.level))


def write_paragraph(writer: BlockWriter, paragraph: Paragraph) -> None:
    writer.paragraph(paragraph.full_text, ROLE_STYLES[paragraph.role])
