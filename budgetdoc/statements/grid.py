"""Building blocks of the 公开表: header trees, code cells, amount cells, widths.

A header is written as a tree of :class:`Column` (``Column("功能分类科目编码",
[Column("类"), Column("款"), Column("项")])``); :func:`header_rows` turns it
into the rows of merged cells a table shows, a group spanning its leaves and
a leaf spanning down to the last header row.

Widths are in characters of the table's text (see
:class:`budgetdoc.document.Table`): each kind of column says how wide its
content needs to be, and the writers scale the whole to the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..document import FLEXIBLE_MIN, Cell
from ..wording import Wording

#: Widths (characters of table text) of the usual kinds of column.
CODE_WIDTH = 2.6        # 201 / 03 / 01, with the cell padding
NAME_WIDTH = 11.0       # 科目名称: wraps beyond this
LABEL_WIDTH = 11.0      # 项目 of a 收支总表
AMOUNT_MIN = 4.2        # an amount column never narrower (its header wraps)
TEXT_WIDTH = 13.0       # 年度绩效目标
NUMBER_FORMAT = "0.00"
GROUPED_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Column:
    """A header cell: a leaf column, or a group over ``children``."""

    label: str
    children: tuple["Column", ...] = ()
    width: float | None = None        # None: an amount column, as wide as the table's widest figure
    flexible: bool = False            # text that may wrap when the page is narrow (a name, a goal)

    def leaves(self) -> list["Column"]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def depth(self) -> int:
        return 1 + max((child.depth() for child in self.children), default=0)


def group(label: str, *children: Column) -> Column:
    return Column(label, tuple(children))


def header_rows(columns: list[Column]) -> tuple[tuple[Cell, ...], ...]:
    """The header rows of a column tree: groups span their leaves, leaves span down."""
    depth = max(column.depth() for column in columns)
    rows: list[list[Cell]] = [[] for _ in range(depth)]

    def place(column: Column, row: int) -> None:
        if column.children:
            rows[row].append(Cell(column.label, "center", colspan=len(column.leaves()), strong=True))
            for child in column.children:
                place(child, row + 1)
        else:
            rows[row].append(Cell(column.label, "center", rowspan=depth - row, strong=True))

    for column in columns:
        place(column, 0)
    return tuple(tuple(row) for row in rows)


def text_column(label: str, width: float) -> Column:
    """A column of names or sentences: as wide as ``width`` when there is room, narrower (wrapping) if not."""
    return Column(label, width=width, flexible=True)


def flexible_leaves(columns: list[Column]) -> tuple[int, ...]:
    leaves = [leaf for column in columns for leaf in column.leaves()]
    return tuple(i for i, leaf in enumerate(leaves) if leaf.flexible)


def leaf_widths(columns: list[Column], amount_width: float) -> list[float]:
    """Every leaf column's width; amount columns take ``amount_width``."""
    return [amount_width if leaf.width is None else leaf.width for column in columns for leaf in column.leaves()]


def leaf_minimums(columns: list[Column], amount_minimum: float) -> list[float]:
    """How narrow each leaf column may get: an amount its widest figure, a text column FLEXIBLE_MIN
    characters (it wraps), any other its own width."""
    return [amount_minimum if leaf.width is None else
            min(leaf.width, float(FLEXIBLE_MIN)) if leaf.flexible else leaf.width
            for column in columns for leaf in column.leaves()]


@dataclass
class Amounts:
    """Formats amounts for a table: two decimals, half-up; zero shown or blank by the table set."""

    phrasing: Wording
    blank_zero: bool = False
    widest: float = 0                     # width (in characters) of the widest amount written so far
    seen: list[str] = field(default_factory=list)

    def cell(self, value: Decimal | None, strong: bool = False, sources: frozenset[str] = frozenset()) -> Cell:
        """``value`` as a table amount; ``sources`` are the data values it was made of (for reviewers' diffs)."""
        if value is None:
            return Cell("", "right")
        if self.blank_zero and value == 0 and not strong:
            return Cell("", "right", sources=sources)
        text = self.phrasing.table_amount(value)
        self.widest = max(self.widest, figure_width(text))
        number_format = GROUPED_FORMAT if self.phrasing.table_grouping else NUMBER_FORMAT
        return Cell(text, "right", value=self.phrasing.table_value(value), number_format=number_format,
                    strong=strong, sources=sources)

    def width(self) -> float:
        """An amount column wide enough for the widest figure, with the cell's padding."""
        return max(AMOUNT_MIN, self.minimum())

    def minimum(self) -> float:
        """The narrowest an amount column may be: its widest figure and the cell's padding (the header wraps)."""
        return self.widest + 0.6


def figure_width(text: str) -> float:
    """How wide a figure is in characters of table text: a digit is about half, a comma or point a quarter."""
    return sum(0.25 if ch in ",." else 0.55 for ch in text)


def text_cell(text: str, align: str = "left", **kwargs) -> Cell:
    return Cell(text, align, **kwargs)  # type: ignore[arg-type]


def code_parts(code: str, levels: int) -> list[str]:
    """A classification code split into its levels: 2010301 → 201 | 03 | 01 (empty beyond its own)."""
    parts = [code[:3], code[3:5], code[5:7]][:levels]
    return [part for part in parts] + [""] * (levels - len(parts))


def code_cells(code: str, levels: int) -> list[Cell]:
    return [Cell(part, "center") for part in code_parts(code, levels)]


def fit_width(texts: list[str], minimum: float, maximum: float) -> float:
    """A text column as wide as its longest text, within bounds (it wraps beyond ``maximum``)."""
    longest = max((len(t) for t in texts), default=0)
    return max(minimum, min(maximum, longest + 1.0))
