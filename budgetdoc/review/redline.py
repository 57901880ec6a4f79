"""Write the new document with Word tracked changes against the old one.

The output is NEW with revision marks (ECMA-376 Part 1, §17.13.5):

- a changed paragraph is rebuilt from its characters: unchanged and inserted
  text keeps NEW's run formatting, deleted text OLD's; inserted text sits in
  ``w:ins``, deleted text in ``w:del`` with ``w:delText``;
- a wholly inserted or deleted paragraph also marks its paragraph mark
  (``w:pPr/w:rPr/w:ins`` or ``w:del``); deleted paragraphs are copied from
  OLD into place;
- table rows are aligned like paragraphs: inserted and deleted rows carry
  ``w:trPr/w:ins`` or ``w:del``, and the cells of a changed row are compared
  paragraph by paragraph, recursively;
- a changed paragraph that holds more than text (fields, images, hyperlinks,
  …) is shown as the old paragraph deleted and the new one inserted.

Every mark has author ``budgetdoc``, the fixed date :data:`REVISION_DATE` and
a unique ``w:id`` increasing in document order; the package is written by
the same reproducible ZIP writer as the report
(:func:`budgetdoc.reproducible_zip.write_zip`), so the same inputs always give
the same bytes.  Text is compared,
not formatting: a paragraph whose text is unchanged is left as NEW has it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from budgetdoc.review.docxtext import (
    DOCUMENT_PART,
    W_NS,
    XML_NS,
    DocxPackage,
    DocxSource,
    ParagraphBlock,
    TableBlock,
    TextBlock,
    block_elements,
    body_of,
    open_docx,
    cell_text,
    paragraph_text,
    row_cells,
    special_char,
    table_rows,
    table_texts,
    w,
)
from budgetdoc.reproducible_zip import write_zip
from budgetdoc.review.textdiff import align, block_similarity, diff_text, row_similarity

REVISION_AUTHOR = "budgetdoc"
REVISION_DATE = "2000-01-01T00:00:00Z"

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Run content that the character-level rebuild understands besides the
# characters of special_char(); anything else in a changed paragraph makes it
# a whole-paragraph replacement.
_TEXT_RUN_CHILDREN = frozenset(w(tag) for tag in ("rPr", "t", "lastRenderedPageBreak"))
_KEPT_PARAGRAPH_CHILDREN = frozenset(w(tag) for tag in ("bookmarkStart", "bookmarkEnd"))
_DROPPED_PARAGRAPH_CHILDREN = frozenset((w("proofErr"), w("pPr")))
# Wrappers whose runs are marked one by one when a whole block is marked.
_RUN_CONTAINERS = frozenset(
    w(tag) for tag in ("hyperlink", "smartTag", "sdt", "sdtContent", "customXml", "fldSimple")
)
# Inside a block copied from OLD these would point at OLD's relationships,
# comments, notes or bookmarks, which NEW does not have.
_UNPORTABLE = frozenset(
    w(tag)
    for tag in (
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "commentReference",
        "footnoteReference",
        "endnoteReference",
        "drawing",
        "pict",
        "object",
        "permStart",
        "permEnd",
        "sectPr",
    )
)


@dataclass(frozen=True)
class Redline:
    """The redlined document, and how many revision marks budgetdoc put in it (0: the texts are the same)."""

    docx: bytes
    marks: int


def redline(old_docx: DocxSource, new_docx: DocxSource) -> bytes:
    """NEW as a .docx with tracked changes that turn OLD's text into NEW's.

    Accepting every change gives NEW's text; rejecting every change gives
    OLD's.  Raises :class:`~budgetdoc.review.docxtext.DocxError` for an
    unreadable input.
    """
    return redline_marked(old_docx, new_docx).docx


def redline_marked(old_docx: DocxSource, new_docx: DocxSource) -> Redline:
    """:func:`redline`, with the number of marks it made."""
    old_package, new_package = open_docx(old_docx), open_docx(new_docx)
    new_document = new_package.document()
    _redline_container(body_of(old_package.document()), body_of(new_document))
    marks = _number_revisions(new_document)
    xml = etree.tostring(new_document, xml_declaration=True, encoding="UTF-8", standalone=True)
    return Redline(write_package(new_package, {DOCUMENT_PART: xml}), marks)


def write_package(package: DocxPackage, replaced: dict[str, bytes]) -> bytes:
    """The package's members in their order, some replaced, written reproducibly."""
    return write_zip((name, replaced.get(name, package.parts[name])) for name in package.order)


# --------------------------------------------------------------- revisions


def _revision(kind: str) -> etree._Element:
    """An empty ``w:ins`` / ``w:del``; its ``w:id`` is filled in at the end."""
    element = etree.Element(w(kind))
    element.set(w("id"), "")
    element.set(w("author"), REVISION_AUTHOR)
    element.set(w("date"), REVISION_DATE)
    return element


def _number_revisions(document: etree._Element) -> int:
    """Give our marks ids after every id already in the document, in document order; return how many."""
    ids = document.xpath("//@w:id", namespaces={"w": W_NS})
    taken = [int(value) for value in ids if value.isdigit()]
    first = next_id = max(taken, default=0) + 1
    for element in document.iter(w("ins"), w("del")):
        if element.get(w("id")) == "":
            element.set(w("id"), str(next_id))
            next_id += 1
    return next_id - first


def _mark_paragraph(paragraph: etree._Element, kind: str) -> None:
    """Mark the paragraph mark itself as inserted or deleted (``w:pPr/w:rPr/w:ins``)."""
    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    mark = properties.find(w("rPr"))
    if mark is None:
        mark = etree.Element(w("rPr"))
        # w:rPr comes before w:sectPr and w:pPrChange in w:pPr.
        later = [child for child in properties if child.tag in (w("sectPr"), w("pPrChange"))]
        if later:
            later[0].addprevious(mark)
        else:
            properties.append(mark)
    # Track-change marks come first in a paragraph mark's w:rPr.
    mark.insert(0, _revision(kind))


def _mark_row(row: etree._Element, kind: str) -> None:
    """Mark a table row as inserted or deleted (``w:trPr/w:ins``)."""
    properties = row.find(w("trPr"))
    if properties is None:
        properties = etree.Element(w("trPr"))
        exceptions = row.find(w("tblPrEx"))
        row.insert(0 if exceptions is None else 1, properties)
    change = properties.find(w("trPrChange"))
    if change is not None:
        change.addprevious(_revision(kind))
    else:
        properties.append(_revision(kind))


def _wrap_runs(parent: etree._Element, kind: str) -> None:
    """Put every run under ``parent`` into ``w:ins`` / ``w:del``, neighbours together."""
    group: list[etree._Element] = []
    for child in list(parent):
        if child.tag == w("r"):
            group.append(child)
            continue
        _wrap_group(group, kind)
        group = []
        if child.tag in _RUN_CONTAINERS:
            _wrap_runs(child, kind)
    _wrap_group(group, kind)


def _wrap_group(runs: list[etree._Element], kind: str) -> None:
    if not runs:
        return
    wrapper = _revision(kind)
    runs[0].addprevious(wrapper)
    for run in runs:
        wrapper.append(run)
        if kind == "del":
            _to_deleted_text(run)


def _to_deleted_text(run: etree._Element) -> None:
    for text in run.iter(w("t")):
        text.tag = w("delText")
    for instruction in run.iter(w("instrText")):
        instruction.tag = w("delInstrText")


def _deleted_copy(element: etree._Element) -> etree._Element:
    """A copy of an OLD block to place into NEW, without what only OLD can resolve."""
    duplicate = copy.deepcopy(element)
    for unportable in [node for node in duplicate.iter(*_UNPORTABLE)]:
        unportable.getparent().remove(unportable)
    for node in duplicate.iter():
        for attribute in [name for name in node.attrib if name.startswith(f"{{{R_NS}}}")]:
            del node.attrib[attribute]
    return duplicate


def _mark_block(element: etree._Element, kind: str) -> None:
    """Mark a whole paragraph or table as inserted or deleted."""
    if element.tag == w("p"):
        _wrap_runs(element, kind)
        _mark_paragraph(element, kind)
        return
    for row in table_rows(element):
        _mark_whole_row(row, kind)


def _mark_whole_row(row: etree._Element, kind: str) -> None:
    """Mark a row and the runs in its cells (nested tables too)."""
    _mark_row(row, kind)
    for paragraph in list(row.iter(w("p"))):
        _wrap_runs(paragraph, kind)


# ------------------------------------------------------------- alignment


def _as_block(element: etree._Element) -> TextBlock:
    if element.tag == w("tbl"):
        return TableBlock(table_texts(element))
    return ParagraphBlock(paragraph_text(element))


def _key(block: TextBlock) -> tuple[str, object]:
    if isinstance(block, TableBlock):
        return ("table", block.rows)
    return ("paragraph", block.text)


class _Placer:
    """Places OLD's deleted blocks into a NEW container, after the last placed block."""

    def __init__(self, container: etree._Element, first: etree._Element | None) -> None:
        self.container = container
        self.first = first
        self.anchor: etree._Element | None = None

    def passed(self, element: etree._Element) -> None:
        self.anchor = element

    def place(self, element: etree._Element) -> None:
        if self.anchor is not None:
            self.anchor.addnext(element)
        elif self.first is not None:
            self.first.addprevious(element)
        else:
            section = self.container.find(w("sectPr"))
            if section is not None:
                section.addprevious(element)
            else:
                self.container.append(element)
        self.anchor = element


def _put_back_deleted(old: etree._Element, mark, placer: "_Placer") -> None:
    """A copy of an old paragraph, table or row, marked deleted, at its place in NEW."""
    deleted = _deleted_copy(old)
    mark(deleted, "del")
    placer.place(deleted)


def _apply_pairs(pairs, old_items: list[etree._Element], new_items: list[etree._Element], placer: "_Placer",
                 mark, changed) -> None:
    """Walk aligned items: a deleted one is copied back and marked, an inserted
    one marked, a changed pair handed to ``changed(old, new)``."""
    for pair in pairs:
        if pair.new is None:
            assert pair.old is not None
            _put_back_deleted(old_items[pair.old], mark, placer)
            continue
        new_item = new_items[pair.new]
        if pair.old is None:
            mark(new_item, "ins")
        elif not pair.same:
            changed(old_items[pair.old], new_item)
        placer.passed(new_item)


def _redline_container(old: etree._Element, new: etree._Element) -> None:
    """Mark the differences between two bodies or two table cells."""
    old_elements, new_elements = block_elements(old), block_elements(new)
    old_blocks = [_as_block(element) for element in old_elements]
    new_blocks = [_as_block(element) for element in new_elements]
    placer = _Placer(new, new_elements[0] if new_elements else None)
    pairs = align(
        [_key(block) for block in old_blocks],
        [_key(block) for block in new_blocks],
        lambda i, j: block_similarity(old_blocks[i], new_blocks[j]),
    )
    _apply_pairs(pairs, old_elements, new_elements, placer, _mark_block,
                 lambda old_el, new_el: _redline_changed_block(old_el, new_el, placer))


def _redline_changed_block(old: etree._Element, new: etree._Element, placer: _Placer) -> None:
    """Mark a paired paragraph or table whose text changed."""
    if new.tag == w("tbl"):
        _redline_table(old, new)
    elif _is_plain_text(old) and _is_plain_text(new):
        _rebuild_paragraph(old, new)
    else:
        _put_back_deleted(old, _mark_block, placer)
        _mark_block(new, "ins")


def _redline_table(old: etree._Element, new: etree._Element) -> None:
    """Align the rows of two tables; compare the cells of changed rows."""
    old_rows, new_rows = table_rows(old), table_rows(new)
    old_cells = [row_cells(row) for row in old_rows]
    new_cells = [row_cells(row) for row in new_rows]
    old_texts = [[cell_text(cell) for cell in cells] for cells in old_cells]
    new_texts = [[cell_text(cell) for cell in cells] for cells in new_cells]
    placer = _Placer(new, new_rows[0] if new_rows else None)
    pairs = align(
        [tuple(_cell_key(cell) for cell in cells) for cells in old_cells],
        [tuple(_cell_key(cell) for cell in cells) for cells in new_cells],
        lambda i, j: row_similarity(old_texts[i], new_texts[j]),
    )

    def changed_row(old_row: etree._Element, new_row: etree._Element) -> None:
        before, after = row_cells(old_row), row_cells(new_row)
        if len(before) == len(after):
            for old_cell, new_cell in zip(before, after):
                _redline_container(old_cell, new_cell)
        else:
            _put_back_deleted(old_row, _mark_whole_row, placer)
            _mark_whole_row(new_row, "ins")

    _apply_pairs(pairs, old_rows, new_rows, placer, _mark_whole_row, changed_row)


def _cell_key(cell: etree._Element) -> tuple[tuple[str, object], ...]:
    """A cell's blocks as comparable keys."""
    return tuple(_key(_as_block(element)) for element in block_elements(cell))


# ------------------------------------------------- character-level rebuild


@dataclass(frozen=True)
class _Atom:
    """One character of a paragraph with the run properties it was written in.

    ``element`` is the special element (``w:tab``, ``w:br``, …) behind a
    non-text character, ``None`` for text from ``w:t``.
    """

    char: str
    properties: etree._Element | None
    element: etree._Element | None


def _is_plain_text(paragraph: etree._Element) -> bool:
    """Whether a paragraph holds only text runs (so it can be rebuilt by character)."""
    for child in paragraph:
        if child.tag == w("r"):
            if any(
                part.tag not in _TEXT_RUN_CHILDREN and special_char(part) is None
                for part in child
            ):
                return False
        elif child.tag not in _KEPT_PARAGRAPH_CHILDREN | _DROPPED_PARAGRAPH_CHILDREN:
            return False
    return True


def _atoms(paragraph: etree._Element) -> list[_Atom]:
    atoms: list[_Atom] = []
    for run in paragraph.iter(w("r")):
        properties = run.find(w("rPr"))
        for child in run:
            if child.tag == w("t"):
                atoms.extend(_Atom(char, properties, None) for char in child.text or "")
            else:
                char = special_char(child)
                if char is not None:
                    atoms.append(_Atom(char, properties, child))
    return atoms


def _rebuild_paragraph(old: etree._Element, new: etree._Element) -> None:
    """Replace NEW's runs with equal, inserted and deleted runs by character."""
    old_atoms, new_atoms = _atoms(old), _atoms(new)
    kept = [child for child in new if child.tag in _KEPT_PARAGRAPH_CHILDREN]
    for child in list(new):
        if child.tag != w("pPr"):
            new.remove(child)
    new.extend(kept)
    at_old = at_new = 0
    old_text = "".join(atom.char for atom in old_atoms)
    new_text = "".join(atom.char for atom in new_atoms)
    for segment in diff_text(old_text, new_text):
        size = len(segment.text)
        if segment.op == "equal":
            new.extend(_runs(new_atoms[at_new : at_new + size], deleted=False))
            at_old += size
            at_new += size
        elif segment.op == "insert":
            wrapper = _revision("ins")
            wrapper.extend(_runs(new_atoms[at_new : at_new + size], deleted=False))
            new.append(wrapper)
            at_new += size
        else:
            wrapper = _revision("del")
            wrapper.extend(_runs(old_atoms[at_old : at_old + size], deleted=True))
            new.append(wrapper)
            at_old += size


def _runs(atoms: list[_Atom], deleted: bool) -> Iterator[etree._Element]:
    """Runs for a stretch of atoms: one run per stretch of equal formatting."""
    start = 0
    while start < len(atoms):
        key = _properties_key(atoms[start].properties)
        end = start
        while end < len(atoms) and _properties_key(atoms[end].properties) == key:
            end += 1
        yield _run(atoms[start:end], deleted)
        start = end


def _properties_key(properties: etree._Element | None) -> bytes:
    return b"" if properties is None else etree.tostring(properties)


def _run(atoms: list[_Atom], deleted: bool) -> etree._Element:
    run = etree.Element(w("r"))
    if atoms[0].properties is not None:
        run.append(copy.deepcopy(atoms[0].properties))
    text_tag = w("delText") if deleted else w("t")
    pending = ""
    for atom in atoms:
        if atom.element is None:
            pending += atom.char
            continue
        if pending:
            _text(run, text_tag, pending)
            pending = ""
        run.append(copy.deepcopy(atom.element))
    if pending:
        _text(run, text_tag, pending)
    return run


def _text(run: etree._Element, tag: str, text: str) -> None:
    element = etree.SubElement(run, tag)
    element.text = text
    element.set(f"{{{XML_NS}}}space", "preserve")
