"""Read the text of a .docx: paragraphs and tables in body order.

Pure Python (zipfile + lxml), no LibreOffice.  The reader shows the
*current* view of a document that carries tracked changes: inserted text
(``w:ins``) is kept, deleted text (``w:del`` / ``w:delText``) is dropped, a
paragraph whose mark is deleted runs on into the next paragraph, and a
deleted table row disappears.

:func:`render_text` prints the blocks for humans and for ``git diff``
(``budgetdoc text`` is a git textconv driver, see ``docs/review.md``).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Iterator, Union

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"

DocxSource = Union[bytes, str, Path]


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML element or attribute: ``w("p")``."""
    return f"{{{W_NS}}}{tag}"


# Elements whose children are read as if they stood in the parent: content
# controls, custom XML, smart tags, hyperlinks, inserted text, moved-in text,
# simple fields.  Everything else that is not a run is skipped, which drops
# deleted and moved-away text (w:del, w:moveFrom) and control properties.
_TRANSPARENT = frozenset(
    w(tag)
    for tag in (
        "sdt",
        "sdtContent",
        "customXml",
        "smartTag",
        "hyperlink",
        "ins",
        "moveTo",
        "fldSimple",
        "dir",
        "bdo",
    )
)
# Line breaks of these types only move the next text to a new page or column.
_LAYOUT_BREAKS = frozenset(("page", "column"))


class DocxError(Exception):
    """A file that cannot be read as a DOCX.  The message is user-facing (Chinese)."""


@dataclass(frozen=True)
class ParagraphBlock:
    """A paragraph's current text.  ``heading_level`` is 1-9 for headings (0 for a title)."""

    text: str
    heading_level: int | None = None
    #: the data values it was written from, when it was rendered from data (budgetdoc.provenance keys)
    sources: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class TableBlock:
    """A table (at least one row) as rows of cell texts.

    A cell's paragraphs are joined by ``\\n``.  ``header_rows`` counts the
    leading rows repeated on every page (``w:tblHeader``); ``spans`` gives
    each cell's ``w:gridSpan``, ``grid_before`` each row's skipped leading
    grid columns (``w:gridBefore``, 0 in budgetdoc's own tables).  A cell
    continuing a vertical merge (``w:vMerge``) is a cell of its row, empty,
    so the spans before a cell give its grid column.  None of these take part
    in comparisons: two tables are the same when their texts are.
    """

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = field(default=0, compare=False)
    spans: tuple[tuple[int, ...], ...] = field(default=(), compare=False)
    #: per row, per cell: the data values the cell shows, when it was rendered from data
    cell_sources: tuple[tuple[frozenset[str], ...], ...] = field(default=(), compare=False)
    grid_before: tuple[int, ...] = field(default=(), compare=False)

    def grid_column(self, row: int, cell: int) -> int:
        """The grid column (0-based) where a row's ``cell``-th cell starts, as Word and Excel count columns:
        ``w:gridBefore`` and the spans of the cells before it counted (the cell index when spans are unknown)."""
        spans = self.spans[row] if row < len(self.spans) else ()
        before = self.grid_before[row] if row < len(self.grid_before) else 0
        return before + sum(spans[:cell]) + max(0, cell - len(spans))


TextBlock = Union[ParagraphBlock, TableBlock]


@dataclass(frozen=True)
class DocxPackage:
    """The parts of a .docx needed to read and rewrite its body."""

    name: str
    parts: dict[str, bytes]
    order: tuple[str, ...]

    def document(self) -> etree._Element:
        return _parse_part(self, DOCUMENT_PART)

    def styles(self) -> etree._Element | None:
        if STYLES_PART not in self.parts:
            return None
        return _parse_part(self, STYLES_PART)


def open_docx(source: DocxSource) -> DocxPackage:
    """Read every member of a .docx given as bytes or a path.

    Raises :class:`DocxError` with a Chinese message for a missing file, a
    directory, a file that is not a ZIP archive, a corrupt archive, or a ZIP
    archive without ``word/document.xml``.
    """
    if isinstance(source, bytes):
        name, data = "DOCX 数据", source
    else:
        path = Path(source)
        name = str(path)
        if not path.exists():
            raise DocxError(f"找不到文件：{name}")
        if path.is_dir():
            raise DocxError(f"{name} 是目录，不是 DOCX 文件")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocxError(f"无法读取文件 {name}：{exc.strerror}") from exc
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            order = tuple(archive.namelist())
            parts = {member: archive.read(member) for member in order}
    except zipfile.BadZipFile as exc:
        # A ZIP archive starts with a local file header ("PK\x03\x04").
        if not data.startswith(b"PK\x03\x04"):
            raise DocxError(f"{name} 不是 DOCX 文件（不是 ZIP 压缩包）") from exc
        raise DocxError(f"{name} 已损坏：ZIP 压缩包不完整或校验失败") from exc
    except (zlib.error, EOFError) as exc:
        raise DocxError(f"{name} 已损坏：压缩数据无法解压") from exc
    except NotImplementedError as exc:
        raise DocxError(f"{name} 使用了不支持的压缩方式，无法读取") from exc
    if DOCUMENT_PART not in parts:
        raise DocxError(f"{name} 不是 DOCX 文件（缺少 {DOCUMENT_PART}）")
    return DocxPackage(name=name, parts=parts, order=order)


def _parse_part(package: DocxPackage, part: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(package.parts[part], parser)
    except etree.XMLSyntaxError as exc:
        raise DocxError(f"{package.name} 已损坏：{part} 无法解析（{exc}）") from exc


def body_of(document: etree._Element) -> etree._Element:
    body = document.find(w("body"))
    if body is None:
        raise DocxError("DOCX 文件缺少正文（w:body）")
    return body


# ---------------------------------------------------------------- structure


def block_elements(container: etree._Element) -> list[etree._Element]:
    """The ``w:p`` and ``w:tbl`` elements of a body or cell, in order.

    Content controls and custom XML around blocks are looked through.
    """
    found: list[etree._Element] = []
    for child in container:
        if child.tag in (w("p"), w("tbl")):
            found.append(child)
        elif child.tag in _TRANSPARENT:
            found.extend(block_elements(child))
    return found


def table_rows(table: etree._Element) -> list[etree._Element]:
    """The ``w:tr`` elements of a table (looking through content controls)."""
    return _children_through(table, w("tr"))


def row_cells(row: etree._Element) -> list[etree._Element]:
    """The ``w:tc`` elements of a row (looking through content controls)."""
    return _children_through(row, w("tc"))


def _children_through(parent: etree._Element, tag: str) -> list[etree._Element]:
    found: list[etree._Element] = []
    for child in parent:
        if child.tag == tag:
            found.append(child)
        elif child.tag in _TRANSPARENT:
            found.extend(_children_through(child, tag))
    return found


def paragraph_mark_revision(paragraph: etree._Element) -> str | None:
    """``"ins"`` or ``"del"`` when the paragraph mark is a tracked change."""
    return _property_revision(paragraph.find(f"{w('pPr')}/{w('rPr')}"))


def row_revision(row: etree._Element) -> str | None:
    """``"ins"`` or ``"del"`` when the whole table row is a tracked change."""
    return _property_revision(row.find(w("trPr")))


def _property_revision(properties: etree._Element | None) -> str | None:
    if properties is None:
        return None
    if properties.find(w("del")) is not None:
        return "del"
    if properties.find(w("ins")) is not None:
        return "ins"
    return None


# --------------------------------------------------------------------- text


def paragraph_text(paragraph: etree._Element) -> str:
    """The current text of one ``w:p``: ``w:tab`` is ``\\t``, a line break ``\\n``."""
    return "".join(_inline_text(paragraph))


def _inline_text(element: etree._Element) -> Iterator[str]:
    for child in element:
        tag = child.tag
        if tag == w("r"):
            yield from _run_text(child)
        elif tag in _TRANSPARENT:
            yield from _inline_text(child)


def _run_text(run: etree._Element) -> Iterator[str]:
    for child in run:
        if child.tag == w("t"):
            yield child.text or ""
        else:
            yield special_char(child) or ""


def special_char(element: etree._Element) -> str | None:
    """The character a run element other than ``w:t`` stands for, if any.

    ``w:tab`` is ``\\t``; a text-wrapping ``w:br`` and ``w:cr`` are ``\\n``;
    ``w:noBreakHyphen`` is ``-``.  Page and column breaks are layout only.
    """
    tag = element.tag
    if tag == w("tab"):
        return "\t"
    if tag == w("br"):
        return None if element.get(w("type")) in _LAYOUT_BREAKS else "\n"
    if tag == w("cr"):
        return "\n"
    if tag == w("noBreakHyphen"):
        return "-"
    return None


def table_texts(table: etree._Element) -> tuple[tuple[str, ...], ...]:
    """The current rows of a table as cell texts (deleted rows left out)."""
    return tuple(
        tuple(cell_text(cell) for cell in row_cells(row))
        for row in table_rows(table)
        if row_revision(row) != "del"
    )


def table_block(table: etree._Element) -> TableBlock:
    """A table's current rows, with its repeated header rows and the cells' column spans."""
    rows = [row for row in table_rows(table) if row_revision(row) != "del"]
    header = 0
    for row in rows:
        if row.find(f"{w('trPr')}/{w('tblHeader')}") is None:
            break
        header += 1
    spans = tuple(tuple(_grid_span(cell) for cell in row_cells(row)) for row in rows)
    before = tuple(_grid_before(row) for row in rows)
    return TableBlock(table_texts(table), header, spans, grid_before=before if any(before) else ())


def _grid_span(cell: etree._Element) -> int:
    span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
    value = span.get(w("val")) if span is not None else None
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def _grid_before(row: etree._Element) -> int:
    """Grid columns a row leaves out before its first cell (``w:trPr/w:gridBefore``, Word's uneven rows)."""
    skipped = row.find(f"{w('trPr')}/{w('gridBefore')}")
    value = skipped.get(w("val")) if skipped is not None else None
    return int(value) if value and value.isdigit() else 0


def cell_text(cell: etree._Element) -> str:
    """A cell's current text: its paragraphs joined by ``\\n``; nested tables as rows."""
    lines: list[str] = []
    for block in _read_container(cell, _HeadingStyles.empty()):
        if isinstance(block, ParagraphBlock):
            lines.append(block.text)
        else:
            lines.extend(" | ".join(row) for row in block.rows)
    return "\n".join(lines)


# ------------------------------------------------------------------ headings


_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)


@dataclass(frozen=True)
class _HeadingStyles:
    """Heading level by paragraph style id, from ``word/styles.xml``."""

    levels: dict[str, int]

    @classmethod
    def empty(cls) -> _HeadingStyles:
        return cls({})

    @classmethod
    def from_styles(cls, styles: etree._Element | None) -> _HeadingStyles:
        if styles is None:
            return cls.empty()
        own: dict[str, int | None] = {}
        based_on: dict[str, str] = {}
        for style in styles.iter(w("style")):
            if style.get(w("type")) != "paragraph":
                continue
            style_id = style.get(w("styleId")) or ""
            own[style_id] = _style_level(style)
            parent = style.find(w("basedOn"))
            if parent is not None and parent.get(w("val")):
                based_on[style_id] = parent.get(w("val"))
        levels: dict[str, int] = {}
        for style_id in own:
            level = _inherited_level(style_id, own, based_on)
            if level is not None:
                levels[style_id] = level
        return cls(levels)

    def level(self, paragraph: etree._Element) -> int | None:
        properties = paragraph.find(w("pPr"))
        if properties is None:
            return None
        outline = properties.find(w("outlineLvl"))
        if outline is not None:
            return _outline_level(outline)
        style = properties.find(w("pStyle"))
        if style is None:
            return None
        return self.levels.get(style.get(w("val")) or "")


def _outline_level(outline: etree._Element) -> int | None:
    value = outline.get(w("val")) or ""
    # Outline level 9 is "body text".
    if value.isdigit() and int(value) < 9:
        return int(value) + 1
    return None


def _style_level(style: etree._Element) -> int | None:
    outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
    if outline is not None:
        return _outline_level(outline)
    name_element = style.find(w("name"))
    name = (name_element.get(w("val")) or "") if name_element is not None else ""
    match = _HEADING_NAME.match(name)
    if match:
        return int(match.group(1))
    if name.lower() == "title":
        return 0
    return None


def _inherited_level(
    style_id: str, own: dict[str, int | None], based_on: dict[str, str]
) -> int | None:
    seen: set[str] = set()
    current: str | None = style_id
    while current is not None and current not in seen:
        seen.add(current)
        level = own.get(current)
        if level is not None:
            return level
        current = based_on.get(current)
    return None


# -------------------------------------------------------------------- blocks


def read_blocks(source: DocxSource | DocxPackage) -> list[TextBlock]:
    """The body of a .docx as paragraphs and tables, in order (current view)."""
    package = source if isinstance(source, DocxPackage) else open_docx(source)
    headings = _HeadingStyles.from_styles(package.styles())
    return _read_container(body_of(package.document()), headings)


def _read_container(container: etree._Element, headings: _HeadingStyles) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    carried = ""  # text of paragraphs whose mark is deleted runs on into the next
    for element in block_elements(container):
        if element.tag == w("tbl"):
            block = table_block(element)
            if block.rows:  # a table whose every row is deleted is gone
                blocks.append(block)
            continue
        text = carried + paragraph_text(element)
        if paragraph_mark_revision(element) == "del":
            carried = text
            continue
        carried = ""
        blocks.append(ParagraphBlock(text, headings.level(element)))
    if carried:
        blocks.append(ParagraphBlock(carried))
    return blocks


def render_text(blocks: list[TextBlock]) -> str:
    """Plain text, laid out as the ``.txt`` beside a report is (:func:`budgetdoc.writers.text.layout`)."""
    from ..writers.text import layout

    return layout(block.rows if isinstance(block, TableBlock) else block.text for block in blocks)
