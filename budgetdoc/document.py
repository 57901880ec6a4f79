"""The small document model between the templates and the writers.

Templates produce it (see :mod:`budgetdoc.narrate`); every writer only reads
it.  It knows nothing of budgets, fonts or files: a report is a title and a
flat list of blocks.

Numbering is resolved before a writer sees the model: ``Heading.number`` and
``Paragraph.number`` hold the literal label (``第一部分``, ``一、``, ``（一）``,
``1.``, ``（1）``), so every writer prints the same numbers.

Outline levels (公文 hierarchy, GB/T 9704-2012 §7.3.3 plus the report's parts):

    1  第一部分 …   (part)
    2  一、        (黑体)
    3  （一）      (楷体)
    4  1.          (仿宋)
    5  （1）       (仿宋)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Heading:
    """A numbered heading.  ``level`` is 1 (part) to 5."""

    level: int
    text: str
    number: str = ""

    @property
    def full_text(self) -> str:
        if self.level == 1 and self.number:
            return f"{self.number}  {self.text}"
        return f"{self.number}{self.text}"


@dataclass(frozen=True)
class Paragraph:
    """Running text.  A numbered list item carries its ``level`` and label.

    ``role`` lets a writer choose a style without knowing the content:
    ``body`` (indented running text), ``plain`` (no first-line indent),
    ``caption`` (a table title), ``signature`` (right-aligned).
    """

    text: str
    number: str = ""
    level: int | None = None
    role: Literal["body", "plain", "caption", "signature"] = "body"

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.text}"


@dataclass(frozen=True)
class Cell:
    text: str
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    """A table with header rows repeated on every page.

    ``header`` rows and body ``rows`` are lists of cells.  ``title`` is shown
    as a caption above the table; ``unit`` (e.g. ``单位：万元``) above its
    right edge.  ``widths`` are relative column widths (any positive numbers).
    """

    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""
    unit: str = ""
    widths: tuple[float, ...] = ()
    note: str = ""

    @property
    def columns(self) -> int:
        rows = self.header + self.rows
        return len(rows[0]) if rows else 0


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


Block = Union[Heading, Paragraph, Table, PageBreak]


@dataclass(frozen=True)
class ReportDoc:
    """A whole report: a title, an optional subtitle line and its blocks."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    subtitle: str = ""
    # Document properties: written into docProps/core.xml.
    author: str = ""
    year: int | None = None
