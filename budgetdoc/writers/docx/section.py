"""The page: A4 size, margins, the odd/even page-number footers, and sections.

GB/T 9704 §7.5: "— 1 —" under the text block, 单页码居右空一字，双页码居左空一字.
Two footers (default = odd pages, even) only differ on even pages when
``w:evenAndOddHeaders`` is set in the settings part.

A landscape section (GB/T 9704 §10, 表格横排) is the portrait page turned a
quarter: 297 × 210 mm, and each margin is the portrait margin of the edge it
now lies against — the binding edge (portrait left, 28 mm) becomes the top,
the portrait top (37 mm) the right.  Its footers are inherited: the page
numbers keep their style and odd/even sides.
"""

from __future__ import annotations

import copy

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.section import Section, _Footer
from docx.shared import Twips
from docx.text.paragraph import Paragraph

from budgetdoc.layout import Layout

from . import styles
from .oxml import element, mm_to_twips, page_number_runs, pt_to_twips


def setup_page(document: Document, layout: Layout) -> None:
    _page(document.sections[0], "portrait", layout)
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:linePitch"), str(pt_to_twips(layout.page.line_pitch_pt)))


def _page(section: Section, orientation: str, layout: Layout) -> None:
    page = layout.page
    size = (page.width_mm, page.height_mm)
    # top, bottom, left, right
    margins = (page.margin_top_mm, page.margin_bottom_mm, page.margin_left_mm, page.margin_right_mm)
    if orientation == "landscape":
        size = (page.height_mm, page.width_mm)
        margins = (page.margin_left_mm, page.margin_right_mm, page.margin_bottom_mm, page.margin_top_mm)
    section.orientation = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Twips(mm_to_twips(v)) for v in size)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Twips(mm_to_twips(v)) for v in margins)
    section.header_distance = Twips(mm_to_twips(page.header_mm))
    section.footer_distance = Twips(mm_to_twips(page.footer_mm))
    section.gutter = Twips(0)


def start_section(document: Document, orientation: str, layout: Layout) -> None:
    """End the current section at the end of the body; the new one is ``orientation``.

    The ending section's properties go into the last paragraph when the body
    ends with one; after a table they need a paragraph of their own, which
    is made one point high so it never pushes a full page onto the next.
    """
    body = document.element.body
    last = body.sectPr.getprevious()
    ending = copy.deepcopy(body.sectPr)
    if last is not None and last.tag == qn("w:p") and last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
        holder = last
    else:
        holder = element("w:p", (element("w:pPr", (
            element("w:spacing", before="0", after="0", line="20", lineRule="exact"),
            element("w:rPr", (element("w:sz", val="2"), element("w:szCs", val="2"))))),))
        body.sectPr.addprevious(holder)
    holder.get_or_add_pPr().append(ending)
    # The new (last) section inherits the footers: it carries no references of its own.
    for reference in body.sectPr.findall(qn("w:footerReference")) + body.sectPr.findall(qn("w:headerReference")):
        body.sectPr.remove(reference)
    _page(document.sections[-1], orientation, layout)


def setup_settings(document: Document) -> None:
    """Odd/even footers on; the theme's East Asian language is Chinese."""
    document.settings.odd_and_even_pages_header_footer = True
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    theme_lang.set(qn("w:eastAsia"), "zh-CN")


def add_page_numbers(document: Document, layout: Layout) -> None:
    section = document.sections[0]
    indent = Twips(pt_to_twips(layout.page_number.indent_chars * layout.page_number.size_pt))
    odd = _page_number_paragraph(section.footer, document, layout)
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = indent
    even = _page_number_paragraph(section.even_page_footer, document, layout)
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = indent


def _page_number_paragraph(footer: _Footer, document: Document, layout: Layout) -> Paragraph:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = next(s for s in document.styles if s.style_id == styles.PAGE_NUMBER)
    for run in page_number_runs(layout.page_number.dash):
        paragraph._p.append(run)
    return paragraph
