"""Title, headings, paragraphs, page breaks and the gaps between blocks.

Each block becomes one paragraph in one of the layout's styles; runs carry
no direct formatting, so the look of the report lives in ``styles.py``.
Numbers are already part of the model (``full_text``); text is written
exactly as given.
"""

from __future__ import annotations

import re
from decimal import Decimal

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Twips
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from budgetdoc.document import Heading, Paragraph, ReportDoc
from budgetdoc.layout import Layout

from . import styles
from .oxml import pt_to_twips, xml_attr, xml_text

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
        self._own_space: dict[str, int] = {}
        self._default_style = document.styles.default(WD_STYLE_TYPE.PARAGRAPH).style_id
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
        """A new paragraph of ``style_id`` at the end of the body.

        Written as one XML string, the markup python-docx's ``add_paragraph(text, style)`` and
        ``paragraph_format`` would make, element for element (a report has a hundred paragraphs,
        and python-docx builds each one child by child and its text character by character).
        """
        gap = self._gap_twips
        own_space = self._space_before(style_id)
        page_top = self._page_top
        page_break, space = False, None
        if self.take_break():
            page_break = True
            if own_space:
                space = 0        # Word and LibreOffice keep space before after a hard break.
        elif page_top:
            if own_space:
                space = 0
        elif gap > own_space:
            space = gap
        named = None if style_id == self._default_style else style_id      # as python-docx names it
        element = parse_xml(paragraph_xml(text, named, page_break, space))
        self._document.element.body._insert_p(element)
        return DocxParagraph(element, self._document._body)

    def _space_before(self, style_id: str) -> int:
        """The space before that the style itself gives, in twips."""
        if style_id not in self._own_space:
            style = self._styles[style_id]
            self._own_space[style_id] = (style.paragraph_format.space_before or Twips(0)).twips
        return self._own_space[style_id]

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


_P_OPEN = f"<w:p {nsdecls('w')}>"


def paragraph_xml(text: str, style_id: str | None, page_break: bool = False, space_before: int | None = None) -> str:
    """A ``w:p`` of ``style_id`` (None: the document's default style, which is not named) holding
    ``text`` in one run: a tab is a ``w:tab``, a line break a ``w:br``, and a piece of text with
    white space at either end keeps it (``xml:space``), as python-docx's ``Run.text`` writes them."""
    named = f'<w:pStyle w:val={xml_attr(style_id)}/>' if style_id is not None else ""
    properties = named + ("<w:pageBreakBefore/>" if page_break else "") \
        + (f'<w:spacing w:before="{space_before}"/>' if space_before is not None else "")
    run = ""
    if text:
        pieces = []
        for piece in _RUN_BREAKS.split(text):
            if piece == "\t":
                pieces.append("<w:tab/>")
            elif piece in ("\n", "\r"):
                pieces.append("<w:br/>")
            elif piece:
                space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
                pieces.append(f"<w:t{space}>{xml_text(piece)}</w:t>")
        run = f"<w:r>{''.join(pieces)}</w:r>"
    return f"{_P_OPEN}<w:pPr>{properties}</w:pPr>{run}</w:p>"


_RUN_BREAKS = re.compile(r"([\t\r\n])")


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
