"""The page: A4 size, margins, and the odd/even page-number footers.

GB/T 9704 §7.5: "— 1 —" under the text block, 单页码居右空一字，双页码居左空一字.
Two footers (default = odd pages, even) only differ on even pages when
``w:evenAndOddHeaders`` is set in the settings part.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.section import _Footer
from docx.shared import Twips
from docx.text.paragraph import Paragraph

from budgetdoc.layout import Layout

from . import styles
from .oxml import mm_to_twips, page_number_runs, pt_to_twips


def setup_page(document: Document, layout: Layout) -> None:
    page = layout.page
    section = document.sections[0]
    section.page_width = Twips(mm_to_twips(page.width_mm))
    section.page_height = Twips(mm_to_twips(page.height_mm))
    section.top_margin = Twips(mm_to_twips(page.margin_top_mm))
    section.bottom_margin = Twips(mm_to_twips(page.margin_bottom_mm))
    section.left_margin = Twips(mm_to_twips(page.margin_left_mm))
    section.right_margin = Twips(mm_to_twips(page.margin_right_mm))
    section.header_distance = Twips(mm_to_twips(page.header_mm))
    section.footer_distance = Twips(mm_to_twips(page.footer_mm))
    section.gutter = Twips(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:linePitch"), str(pt_to_twips(page.line_pitch_pt)))


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
