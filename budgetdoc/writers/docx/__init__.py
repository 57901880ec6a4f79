"""DOCX writer: a :class:`~budgetdoc.document.ReportDoc` typeset as a 公文.

``render_docx`` reads as the phases of the job; each phase lives in its own
module (see docs/typesetting.md for the XML and why):

1. package  — an empty document with only the parts a report needs;
2. styles   — the layout's styles (East Asian fonts via ``w:eastAsia``);
3. section  — A4 page, margins, settings, odd/even page-number footers;
4. blocks   — title, headings, paragraphs, page breaks;
   tables   — captions, merged headers, fixed widths, borders, repeated header rows;
   section  — a landscape (or portrait) section where the model starts one;
5. package  — fixed core properties and a reproducible zip.
"""

from __future__ import annotations

import functools
import io

import docx
from docx.document import Document

from budgetdoc.document import Heading, PageBreak, Paragraph, ReportDoc, SectionBreak, Table
from budgetdoc.layout import Layout

from .blocks import BlockWriter, write_heading, write_paragraph, write_title
from .package import new_document, set_core_properties, to_bytes
from .section import add_page_numbers, setup_page, setup_settings
from .styles import install_styles
from .tables import write_table

__all__ = ["render_docx"]


def render_docx(doc: ReportDoc, layout: Layout | None = None) -> bytes:
    """The report as DOCX bytes; the same input always gives the same bytes.

    A ``PageBreak`` at the very end is dropped: it would only add a blank page.
    """
    layout = layout or Layout()

    # 1.–3. package, styles, page, settings and footers: built once per layout (base_document)
    document = base_document(layout)
    # 4. content
    writer = BlockWriter(document, layout)
    write_title(writer, doc, layout)
    for block in doc.blocks:
        if isinstance(block, Heading):
            write_heading(writer, block)
        elif isinstance(block, Paragraph):
            write_paragraph(writer, block)
        elif isinstance(block, Table):
            write_table(writer, block, layout)
        elif isinstance(block, PageBreak):
            writer.page_break()
        elif isinstance(block, SectionBreak):
            writer.section_break(block.orientation)
        else:
            raise TypeError(f"DOCX 写出器不认识的文档块：{block!r}")
    # 5. properties and bytes
    set_core_properties(document, doc.title.replace("\n", ""), doc.year, doc.author)
    return to_bytes(document)


def _base(layout: Layout) -> Document:
    """The empty report of ``layout``: 1. package, 2. styles, 3. page, settings and footers."""
    document = new_document(layout)
    install_styles(document, layout)
    setup_page(document, layout)
    setup_settings(document)
    add_page_numbers(document, layout)
    return document


@functools.lru_cache(maxsize=8)
def _base_package(layout: Layout) -> bytes:
    """The empty report of ``layout`` as saved, built once per process and layout (a frozen, hashable value)."""
    saved = io.BytesIO()
    _base(layout).save(saved)
    return saved.getvalue()


def base_document(layout: Layout) -> Document:
    """A fresh empty report of ``layout``, every part its own object, opened from the cached base package."""
    try:
        hash(layout)
    except TypeError:           # a layout that cannot be a key is made afresh
        document = _base(layout)
    else:
        document = docx.Document(io.BytesIO(_base_package(layout)))
    _remember_style_ids(document)
    return document


def _remember_style_ids(document: Document) -> None:
    """Resolve each style of the document once, not once per paragraph.

    python-docx gives a paragraph its style by id, and to find the id it
    scans every style of the document for the default one, each time (about
    40% of writing a report).  A report's styles are all in its base
    document (:func:`_base`) and never change after, so the answers are kept
    for the document's life: the same ids, found once.
    """
    part = document.part
    resolve = part.get_style_id
    known: dict[tuple[object, object], str | None] = {}

    def get_style_id(style_or_name, style_type):
        key = (getattr(style_or_name, "style_id", style_or_name), style_type)
        if key not in known:
            known[key] = resolve(style_or_name, style_type)
        return known[key]

    part.get_style_id = get_style_id
