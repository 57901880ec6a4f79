"""Helpers for the review tests: build .docx pairs, accept or reject every change.

Accept and reject are written here, independently of
:mod:`budgetdoc.review.redline`, straight from the meaning of the marks:

- accept: drop ``w:del`` content, rows marked deleted and paragraphs whose
  mark is deleted (what remains of such a paragraph runs on into the next
  one); unwrap ``w:ins``; drop the marks themselves;
- reject: the opposite, with ``w:delText`` turned back into ``w:t``.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from typing import Sequence, Union

import docx
from docx.enum.text import WD_BREAK
from lxml import etree

from budgetdoc.review.docxtext import ParagraphBlock, TableBlock, read_blocks

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ------------------------------------------------------------ building


@dataclass(frozen=True)
class H:
    """A heading of the given level."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Runs:
    """A paragraph written as runs; every second run is bold.

    In a run, ``\\t`` becomes a tab and ``\\n`` a line break.
    """

    parts: tuple[str, ...]


@dataclass(frozen=True)
class T:
    """A table; each cell is a string, cell paragraphs separated by ``\\n``."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PageBreak:
    """A paragraph holding only a page break."""


Spec = Union[str, H, Runs, T, PageBreak]


def make_docx(*blocks: Spec) -> bytes:
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, H):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Runs):
            paragraph = document.add_paragraph()
            for index, part in enumerate(block.parts):
                _add_run(paragraph, part, bold=index % 2 == 1)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            table = document.add_table(rows=0, cols=max(len(row) for row in block.rows))
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row):
                    lines = text.split("\n")
                    cell.text = lines[0]
                    for line in lines[1:]:
                        cell.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_run(paragraph, text: str, bold: bool) -> None:
    run = paragraph.add_run()
    run.bold = bold
    chunk = ""
    for char in text:
        if char in "\t\n":
            if chunk:
                run.add_text(chunk)
                chunk = ""
            if char == "\t":
                run.add_tab()
            else:
                run.add_break()
        else:
            chunk += char
    if chunk:
        run.add_text(chunk)


# ------------------------------------------------------ reading helpers


def document_xml(docx_bytes: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def replace_document_xml(docx_bytes: bytes, root: etree._Element) -> bytes:
    """The package with another document part; stored, not deflated (only ever read back by the tests)."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info.filename, data)
    return out.getvalue()


def texts(blocks: Sequence[ParagraphBlock | TableBlock]) -> list[object]:
    """Blocks as bare text (paragraph text, or rows of cell text), formatting aside."""
    return [block.rows if isinstance(block, TableBlock) else block.text for block in blocks]


def text_of(docx_bytes: bytes) -> list[object]:
    return texts(read_blocks(docx_bytes))


def revision_marks(docx_bytes: bytes) -> list[etree._Element]:
    return list(document_xml(docx_bytes).iter(w("ins"), w("del")))


# ------------------------------------------------------ accept / reject


def accept_all(docx_bytes: bytes) -> bytes:
    return replace_document_xml(docx_bytes, _resolve(document_xml(docx_bytes), keep="ins"))


def reject_all(docx_bytes: bytes) -> bytes:
    return replace_document_xml(docx_bytes, _resolve(document_xml(docx_bytes), keep="del"))


def _resolve(root: etree._Element, keep: str) -> etree._Element:
    """Resolve every revision, keeping the ``keep`` side ("ins" accepts, "del" rejects)."""
    drop = "del" if keep == "ins" else "ins"
    root = copy.deepcopy(root)
    # Rows first: a dropped row takes its content along.
    for row in list(root.iter(w("tr"))):
        properties = row.find(w("trPr"))
        if properties is not None and properties.find(w(drop)) is not None:
            _detach(row)
    # Tables left without rows are gone.
    for table in list(root.iter(w("tbl"))):
        if table.find(w("tr")) is None:
            _detach(table)
    # Run-level content.
    for element in list(root.iter(w(drop))):
        parent = element.getparent()
        if parent is not None and parent.tag not in (w("rPr"), w("trPr")):
            _detach(element)
    for element in list(root.iter(w(keep))):
        parent = element.getparent()
        if parent is not None and parent.tag not in (w("rPr"), w("trPr")):
            _unwrap(element)
    if keep == "del":
        for text in root.iter(w("delText")):
            text.tag = w("t")
    # Paragraphs whose mark goes away run on into the next paragraph.
    for paragraph in list(root.iter(w("p"))):
        mark = paragraph.find(f"{w('pPr')}/{w('rPr')}/{w(drop)}")
        if mark is None:
            continue
        following = paragraph.getnext()
        content = [child for child in paragraph if child.tag != w("pPr")]
        if following is not None and following.tag == w("p"):
            anchor = following.find(w("pPr"))
            for child in reversed(content):
                if anchor is not None:
                    anchor.addnext(child)
                else:
                    following.insert(0, child)
        _detach(paragraph)
    # The marks themselves.
    for element in list(root.iter(w("ins"), w("del"))):
        _detach(element)
    return root


def _detach(element: etree._Element) -> None:
    element.getparent().remove(element)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)
