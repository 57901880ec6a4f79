"""The small document model between the templates and the writers.

Templates produce the prose (see :mod:`budgetdoc.narrate`), the statements
step produces the 公开表 (see :mod:`budgetdoc.statements`); every writer only
reads the result.  It knows nothing of budgets, fonts or files: a report is a
title and a flat list of blocks.

Numbering is resolved before a writer sees the model: ``Heading.number`` and
``Paragraph.number`` hold the literal label (``第一部分``, ``一、``, ``（一）``,
``1.``, ``（1）``), so every writer prints the same numbers.

Outline levels (公文 hierarchy, GB/T 9704-2012 §7.3.3 plus the report's parts):

    1  第一部分 …   (part)
    2  一、        (黑体)
    3  （一）      (楷体)
    4  1.          (仿宋)
    5  （1）       (仿宋)

Tables are grids of typed cells.  A row lists the cells that *start* in it,
left to right; a cell may span columns (``colspan``) and rows (``rowspan``),
and the positions it covers in later rows are simply not listed there (as in
HTML).  :meth:`Table.grid` places every cell and refuses a table whose rows
do not fill the grid, so writers never guess.

Pages: the document starts on portrait pages; a :class:`SectionBreak` starts
a new page of the orientation it names, which lasts until the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator, Literal, Union

Align = Literal["left", "center", "right"]
#: A flexible column (a name, a goal) narrows to this many characters at most before the text gets smaller.
FLEXIBLE_MIN = Decimal(7)
Orientation = Literal["portrait", "landscape"]


@dataclass(frozen=True)
class Heading:
    """A numbered heading.  ``level`` is 1 (part) to 5."""

    level: int
    text: str
    number: str = ""
    separator: str | None = None     # between number and text; None: two spaces after a part's number
    sources: frozenset[str] = field(default=frozenset(), compare=False)   # data values it was written from

    @property
    def full_text(self) -> str:
        if self.separator is not None:
            return f"{self.number}{self.separator if self.number else ''}{self.text}"
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
    #: the data values the paragraph was written from (keys of :mod:`budgetdoc.provenance`); no writer reads them
    sources: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.text}"


@dataclass(frozen=True)
class Cell:
    """One cell of a table.

    ``text`` is what every reader sees, already formatted (an amount is
    ``110.91``).  An amount cell also carries its exact ``value`` and the
    spreadsheet ``number_format`` that shows it the same way (``0.00``), so
    a spreadsheet gets a real number.  An empty cell has neither text nor
    value.  ``indent`` is the outline level of a row label (a 款 under its
    类 is 1, a 项 is 2); ``strong`` marks a total or group label.
    """

    text: str = ""
    align: Align = "left"
    value: Decimal | None = None
    number_format: str = ""
    colspan: int = 1
    rowspan: int = 1
    indent: int = 0
    strong: bool = False
    sources: frozenset[str] = field(default=frozenset(), compare=False)   # data values the cell shows


@dataclass(frozen=True)
class Placed:
    """A cell at its place in the grid (0-based row and column)."""

    cell: Cell
    row: int
    column: int


@dataclass(frozen=True)
class Slot:
    """One grid row position as a reader of a Word table meets it.

    Either a cell that starts here (``covered`` False), or the continuation
    of a cell that started in a row above and spans down through this one
    (``covered`` True; Word writes it as an empty ``w:vMerge`` cell of the
    same width).
    """

    cell: Cell
    column: int
    covered: bool = False


class TableShapeError(ValueError):
    """A table whose rows do not fill its grid (a bug in whatever built it)."""


@dataclass(frozen=True)
class Table:
    """A table with header rows repeated on every page.

    ``header`` rows and body ``rows`` are tuples of cells (see the module
    docstring for spans).  Above the table: ``number`` (表1-1) and ``title``
    as captions, then ``issuer`` (编制部门：…) on the left and ``unit``
    (单位：万元) on the right.  ``note`` is printed under it.

    ``widths`` are column widths in characters of the table's text; a writer
    scales them to the width it has.  When the page is narrower than their
    sum, every column narrows in proportion, but none below its minimum
    (:meth:`minimum_widths`: ``min_widths``, else a code's or an amount's
    own width and FLEXIBLE_MIN for the ``flexible`` columns of names and
    goals, which wrap); ``size_pt`` is set by
    :func:`budgetdoc.arrange.arrange` when even the minimums do not fit.
    ``sheet`` names the spreadsheet sheet of a 公开表 (empty for a table
    that belongs to the prose, such as the 单位情况表).
    """

    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""
    unit: str = ""
    widths: tuple[float, ...] = ()
    note: str = ""
    number: str = ""
    issuer: str = ""
    sheet: str = ""
    flexible: tuple[int, ...] = ()      # columns of text that may narrow (and wrap) when space is short
    size_pt: Decimal | None = None      # a text size smaller than the layout's, for a table too wide for its page
    min_widths: tuple[float, ...] = ()  # the narrowest each column may be (an amount: its widest figure)

    def minimum_widths(self) -> tuple[Decimal, ...]:
        """How narrow each column may get, in characters (see the class docstring)."""
        if self.min_widths:
            return tuple(Decimal(str(w)) for w in self.min_widths)
        return tuple(min(Decimal(str(w)), FLEXIBLE_MIN) if i in self.flexible else Decimal(str(w))
                     for i, w in enumerate(self.widths))

    @property
    def columns(self) -> int:
        """Grid columns: the first row's cells with their spans (no row starts covered)."""
        rows = self.header + self.rows
        return sum(cell.colspan for cell in rows[0]) if rows else 0

    def grid(self) -> list[list[Placed]]:
        """Every row's cells with their grid positions; raises :class:`TableShapeError`.

        Worked out once per table (every writer asks).

        Rows are header rows first, then body rows.  A cell may not span
        from the header into the body.
        """
        cached = self.__dict__.get("_grid")
        if cached is not None:
            return cached
        columns = self.columns
        rows = self.header + self.rows
        covered: dict[tuple[int, int], Cell] = {}
        placed_rows: list[list[Placed]] = []
        for r, row in enumerate(rows):
            placed: list[Placed] = []
            column = 0
            for cell in row:
                while (r, column) in covered:
                    column += 1
                if cell.colspan < 1 or cell.rowspan < 1:
                    raise TableShapeError(f"表格“{self.title}”第{r + 1}行有跨度小于 1 的单元格：{cell!r}")
                if column + cell.colspan > columns:
                    raise TableShapeError(f"表格“{self.title}”第{r + 1}行超出 {columns} 列")
                last_row = r + cell.rowspan - 1
                if last_row >= len(rows) or (r < len(self.header) <= last_row):
                    raise TableShapeError(f"表格“{self.title}”第{r + 1}行的单元格向下跨出了表头或表格")
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if (dr or dc) and (r + dr, column + dc) in covered:
                            raise TableShapeError(f"表格“{self.title}”第{r + dr + 1}行有重叠的单元格")
                        if dr:
                            covered[(r + dr, column + dc)] = cell
                placed.append(Placed(cell, r, column))
                column += cell.colspan
            while (r, column) in covered:
                column += 1
            if column != columns:
                raise TableShapeError(f"表格“{self.title}”第{r + 1}行只有 {column} 列，应为 {columns} 列")
            placed_rows.append(placed)
        self.__dict__["_grid"] = placed_rows    # a frozen dataclass still has its own __dict__
        return placed_rows

    def slots(self) -> list[list[Slot]]:
        """Each row as a Word table row holds it: starting cells and continuations, in column order.

        A continuation appears once per covered row, as wide as the cell
        above (``w:gridSpan``).  Text readers and the DOCX writer share this
        view, so the text of a report and of its DOCX agree cell for cell.
        Worked out once per table, as :meth:`grid` is.
        """
        cached = self.__dict__.get("_slots")
        if cached is not None:
            return cached
        grid = self.grid()
        continuing: list[list[Slot]] = [[] for _ in grid]   # per row: cells from above continuing there
        for placed_row in grid:
            for p in placed_row:
                for dr in range(1, p.cell.rowspan):
                    continuing[p.row + dr].append(Slot(p.cell, p.column, True))
        out: list[list[Slot]] = []
        for r, placed_row in enumerate(grid):
            row = [Slot(p.cell, p.column) for p in placed_row] + continuing[r]
            out.append(sorted(row, key=lambda slot: slot.column))
        self.__dict__["_slots"] = out
        return out


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


@dataclass(frozen=True)
class SectionBreak:
    """Start a new page whose orientation lasts until the next section break."""

    orientation: Orientation = "portrait"


@dataclass(frozen=True)
class TablesSlot:
    """Where a template places the 公开表 (``::: 公开表`` or ``::: 公开表 表3``).

    :mod:`budgetdoc.statements` fills it; no writer ever sees one.
    """

    numbers: tuple[str, ...] = ()     # empty: every table of the table set


Block = Union[Heading, Paragraph, Table, PageBreak, SectionBreak, TablesSlot]


@dataclass(frozen=True)
class ReportDoc:
    """A whole report: a title, an optional subtitle line and its blocks.

    A ``\n`` in the title is a line break; ``title_breaks`` are the offsets
    where the template allows one (between words), for
    :func:`budgetdoc.arrange.arrange` to choose from.
    """

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    subtitle: str = ""
    # Document properties: written into docProps/core.xml.
    author: str = ""
    year: int | None = None
    title_breaks: tuple[int, ...] = ()

    def tables(self) -> Iterator[Table]:
        """The tables of the report, in order."""
        return (block for block in self.blocks if isinstance(block, Table))
