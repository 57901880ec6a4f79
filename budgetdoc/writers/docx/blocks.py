"""Title, headings, paragraphs, page breaks and the gaps between blocks.

Each block becomes one paragraph in one of the layout's styles; runs carry
no direct formatting, so the look of the report lives in ``styles.py``.
Numbers are already part of the model (``full_text``); text is written
exactly as given.
"""

from __future__ import annotations

from decimal import Decimal

from docx.document import Document
from docx.shared import Twips
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from budgetdoc.document import Heading, Paragraph, ReportDoc
from budgetdoc.layout import Layout

from . import styles
from .oxml import pt_to_twips

ROLE_STYLES = {
    "body": styles.BODY,
    "plain": styles.NORMAL,
    "caption": styles.CAPTION,
    "signature": styles.SIGNATURE,
}


class BlockWriter:
    """Appends paragraphs to a document; carries a pending page break or gap.

    A ``PageBreak`` block is not a paragraph of its own (Word would show its
    empty paragraph mark at the top of the next page): it becomes
    ``w:pageBreakBefore`` on whatever paragraph comes next.  Likewise the
    space under the title block and after a table is not an empty paragraph
    but space before the next paragraph — the larger of the gap and the
    style's own space before, so a part heading after the title does not get
    two empty lines.  A paragraph that starts a page after a break gets no
    space before at all.
    """

    def __init__(self, document: Document, layout: Layout) -> None:
        self._document = document
        self._layout = layout
        self._styles = {style.style_id: style for style in document.styles}
        self._break_pending = False
        self._page_top = False
        self._gap_twips = 0
        self.orientation = "portrait"

    @property
    def text_width_mm(self) -> Decimal:
        """The width of the text block on the current section's pages."""
        return self._layout.page.text_width(self.orientation)

    def style(self, style_id: str) -> ParagraphStyle:
        return self._styles[style_id]

    def paragraph(self, text: str, style_id: str) -> DocxParagraph:
        """A new paragraph of ``style_id`` at the end of the body."""
        style = self._styles[style_id]
        paragraph = self._document.add_paragraph(text, style=style)
        gap = self._gap_twips
        own_space = (style.paragraph_format.space_before or Twips(0)).twips
        page_top = self._page_top
        if self.take_break():
            paragraph.paragraph_format.page_break_before = True
            if own_space:
                # Word and LibreOffice keep space before after a hard break.
                paragraph.paragraph_format.space_before = Twips(0)
        elif page_top:
            if own_space:
                paragraph.paragraph_format.space_before = Twips(0)
        elif gap > own_space:
            paragraph.paragraph_format.space_before = Twips(gap)
        return paragraph

    def append(self, block: BaseOxmlElement) -> None:
        """A block element (a ``w:tbl``) at the end of the body, before its section properties."""
        body = self._document.element.body
        body.sectPr.addprevious(block)
        self._page_top = False

    def page_break(self) -> None:
        self._break_pending = True

    def section_break(self, orientation: str) -> None:
        """End the current section here; the next one starts on a new page of ``orientation``."""
        from .section import start_section

        self._break_pending = False      # the new section starts a page of its own
        start_section(self._document, orientation, self._layout)
        self.orientation = orientation
        self._page_top = True
        self._gap_twips = 0

    def gap(self, twips: int) -> None:
        """Leave at least ``twips`` of space before the next paragraph."""
        self._gap_twips = max(self._gap_twips, twips)

    def take_break(self) -> bool:
        """True once if a page break waits; any pending gap is dropped."""
        pending, self._break_pending = self._break_pending, False
        self._gap_twips = 0
        self._page_top = False
        return pending


def lines_twips(lines: Decimal, layout: Layout) -> int:
    """``lines`` body lines (of the page's line pitch) in twips."""
    return pt_to_twips(lines * layout.page.line_pitch_pt)


def write_title(writer: BlockWriter, doc: ReportDoc, layout: Layout) -> None:
    """Title, optional subtitle, then the empty line under them."""
    writer.paragraph(doc.title, styles.TITLE)
    if doc.subtitle:
        writer.paragraph(doc.subtitle, styles.SUBTITLE)
    writer.gap(lines_twips(layout.title_gap_lines, layout))


def write_heading(writer: BlockWriter, heading: Heading) -> None:
    if not 1 <= heading.level <= 5:
        raise ValueError(f"标题级别应为 1 至 5，实为 {heading.level}：{heading.full_text}")
    writer.paragraph(heading.full_text, styles.heading_id(heading.level))


def write_paragraph(writer: BlockWriter, paragraph: Paragraph) -> None:
    writer.paragraph(paragraph.full_text, ROLE_STYLES[paragraph.role])
