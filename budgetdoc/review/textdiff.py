"""Paragraph-aligned diff of two documents, character-level inside paragraphs.

Two steps, shared with :mod:`budgetdoc.review.redline`:

1. :func:`align` pairs the blocks of the old and the new document
   (``difflib`` on whole paragraphs, then, inside each run of changed blocks,
   the most similar old and new paragraphs are paired in order);
2. :func:`diff_text` compares a pair of paragraphs token by token.  Chinese
   text is compared character by character; a number (``176.65``,
   ``1,234``) is one token, so a changed digit marks the whole number.

:func:`diff_blocks` returns the changed paragraphs and table rows as data
(:class:`Change`); :meth:`DiffResult.render` prints them with ANSI colours
or with ``[-旧-]{+新+}`` markers like ``git diff --word-diff``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Callable, Hashable, Literal, Sequence

from budgetdoc.review.docxtext import ParagraphBlock, TableBlock, TextBlock
from budgetdoc.writers.text import row_line

# ------------------------------------------------------------------ alignment

# A replace run larger than this (old × new blocks) is not searched for
# similar pairs: its old blocks are all deleted and its new blocks inserted.
MAX_PAIRING_CELLS = 40_000
PARAGRAPH_SIMILARITY = 0.5
TABLE_SIMILARITY = 0.3


@dataclass(frozen=True)
class Pair:
    """One step of an alignment: ``old``/``new`` index, ``None`` on the missing side."""

    old: int | None
    new: int | None
    same: bool = False


def align(
    old_keys: Sequence[Hashable],
    new_keys: Sequence[Hashable],
    similarity: Callable[[int, int], float],
) -> list[Pair]:
    """Align two sequences: equal items first, then similar ones.

    ``similarity(i, j)`` scores old item ``i`` against new item ``j``; only
    pairs scoring above zero may be paired.  Unpaired old items come out as
    deletions before the insertions that share their gap.
    """
    pairs: list[Pair] = []
    matcher = SequenceMatcher(None, list(old_keys), list(new_keys), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(Pair(i, j, True) for i, j in zip(range(i1, i2), range(j1, j2)))
        else:
            pairs.extend(_pair_gap(i1, i2, j1, j2, similarity))
    return pairs


def _pair_gap(
    i1: int, i2: int, j1: int, j2: int, similarity: Callable[[int, int], float]
) -> list[Pair]:
    """Pair old[i1:i2] with new[j1:j2] in order, maximising total similarity."""
    n, m = i2 - i1, j2 - j1
    if n == 0 or m == 0 or n * m > MAX_PAIRING_CELLS:
        return [Pair(i, None) for i in range(i1, i2)] + [Pair(None, j) for j in range(j1, j2)]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    pair_score = [[0.0] * m for _ in range(n)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            pair_score[a][b] = similarity(i1 + a, j1 + b)
            best = max(score[a + 1][b], score[a][b + 1])
            if pair_score[a][b] > 0:
                best = max(best, pair_score[a][b] + score[a + 1][b + 1])
            score[a][b] = best
    pairs: list[Pair] = []
    a = b = 0
    while a < n and b < m:
        here = score[a][b]
        if pair_score[a][b] > 0 and here == pair_score[a][b] + score[a + 1][b + 1]:
            pairs.append(Pair(i1 + a, j1 + b))
            a, b = a + 1, b + 1
        elif here == score[a + 1][b]:
            pairs.append(Pair(i1 + a, None))
            a += 1
        else:
            pairs.append(Pair(None, j1 + b))
            b += 1
    pairs.extend(Pair(i1 + rest, None) for rest in range(a, n))
    pairs.extend(Pair(None, j1 + rest) for rest in range(b, m))
    return pairs


def text_similarity(old: str, new: str, threshold: float) -> float:
    """Character similarity ratio of two texts, or 0 below ``threshold``."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else 0.0


# ------------------------------------------------------------ character diff

# A number is one token; so is a run of Latin letters or of white space;
# every other character (each Chinese character) is a token of its own.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+|\s+|.", re.DOTALL)

SegmentOp = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Segment:
    op: SegmentOp
    text: str


def tokenize(text: str) -> list[str]:
    """Split text into diff tokens: whole numbers, Latin words, single characters."""
    return _TOKEN.findall(text)


def diff_text(old: str, new: str) -> tuple[Segment, ...]:
    """Segments that turn ``old`` into ``new``: equal, deleted and inserted text.

    Joining the equal and deleted segments gives ``old``; joining the equal
    and inserted ones gives ``new``.  A lone unchanged character between two
    changes is folded into them, so a rewritten phrase reads as one change.
    """
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    opcodes = _fold_lone_equals(matcher.get_opcodes(), old_tokens)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            _append(segments, "equal", "".join(old_tokens[i1:i2]))
            continue
        _append(segments, "delete", "".join(old_tokens[i1:i2]))
        _append(segments, "insert", "".join(new_tokens[j1:j2]))
    return tuple(segments)


def _fold_lone_equals(
    opcodes: list[tuple[str, int, int, int, int]], old_tokens: list[str]
) -> list[tuple[str, int, int, int, int]]:
    """Merge ``change, one equal character, change`` into a single change."""
    folded: list[tuple[str, int, int, int, int]] = []
    for index, opcode in enumerate(opcodes):
        tag, i1, i2, j1, j2 = opcode
        lone = (
            tag == "equal"
            and i2 - i1 == 1
            and len(old_tokens[i1]) == 1
            and not old_tokens[i1].isdigit()
            and index < len(opcodes) - 1
            and folded
            and folded[-1][0] != "equal"
            and opcodes[index + 1][0] != "equal"
        )
        if lone or (tag != "equal" and folded and folded[-1][0] != "equal"):
            _, k1, _, l1, _ = folded.pop()
            folded.append(("replace", k1, i2, l1, j2))
        else:
            folded.append(opcode)
    return folded


def _append(segments: list[Segment], op: SegmentOp, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


# ----------------------------------------------------------- document diff


@dataclass(frozen=True)
class Position:
    """Where a paragraph, table row or table cell stands in one of the two documents.

    ``paragraph`` counts the non-empty paragraphs outside tables (1-based);
    ``table`` and ``row`` count tables and their rows; ``column`` is the grid
    column a cell starts in, as a reader counts columns in Word or Excel
    (a merged cell counts as all the columns it spans, so a 合计 label
    spread over 类|款|项|科目名称 leaves its amount in the same column as a
    类 row's); ``heading`` is the text of the nearest heading before it (""
    when there is none).  ``table_name`` is the table's own caption (表3
    2020年一般公共预算支出表) when it has one; ``row_label`` and
    ``column_label`` name a cell by the row's item and the column's header.
    """

    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    heading: str = ""
    column: int | None = None
    table_name: str = ""
    row_label: str = ""
    column_label: str = ""
    #: the data values this paragraph, row or cell was rendered from (empty for a .docx side)
    sources: frozenset[str] = field(default=frozenset(), compare=False)

    #: the table's own number from its caption (表2, 表3-1, 附表一), when it has one
    table_number: str = ""

    @property
    def label(self) -> str:
        """``第3段``; a table by its own number (``表2第3行第5列``), else by its place (``第1个表格第2行``)."""
        if self.paragraph is not None:
            return f"第{self.paragraph}段"
        where = f"{self.table_number or f'第{self.table}个表格'}第{self.row}行"
        return where if self.column is None else f"{where}第{self.column}列"

    @property
    def context(self) -> str:
        """What the position is in, for a reader: the table and cell names, else the heading."""
        if self.table_name:
            names = [self.table_name, self.row_label, self.column_label]
            return " · ".join(name for name in names if name)
        return self.heading


ChangeKind = Literal["changed", "inserted", "deleted"]


@dataclass(frozen=True)
class Change:
    """One changed, inserted or deleted paragraph or table row."""

    kind: ChangeKind
    old: Position | None
    new: Position | None
    old_text: str
    new_text: str
    segments: tuple[Segment, ...]

    @property
    def header(self) -> str:
        """``第3段（原第2段） · 一、部门收支总体情况``, ``表12第3行第6列 · 表3 … · 201 一般公共服务支出 · 基本支出``."""
        if self.kind == "inserted":
            assert self.new is not None
            where, context = f"新增 {self.new.label}", self.new.context
        elif self.kind == "deleted":
            assert self.old is not None
            where, context = f"删除 原{self.old.label}", self.old.context
        else:
            assert self.old is not None and self.new is not None
            where, context = self.new.label, self.new.context
            if self.old.label != self.new.label:
                where += f"（原{self.old.label}）"
        return f"{where} · {context}" if context else where


_RED, _GREEN, _CYAN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[0m"


@dataclass(frozen=True)
class DiffResult:
    changes: tuple[Change, ...]

    def render(self, color: bool = False) -> str:
        """The changes as text: a ``@@ position @@`` header, then the marked text."""
        out: list[str] = []
        for change in self.changes:
            header = f"@@ {change.header} @@"
            out.append(f"{_CYAN}{header}{_RESET}" if color else header)
            out.append(_mark(change.segments, color))
        return "".join(f"{line}\n" for line in out)


def _mark(segments: tuple[Segment, ...], color: bool) -> str:
    parts: list[str] = []
    for segment in segments:
        if segment.op == "equal":
            parts.append(segment.text)
        elif color:
            tint = _RED if segment.op == "delete" else _GREEN
            parts.append(f"{tint}{segment.text}{_RESET}")
        elif segment.op == "delete":
            parts.append(f"[-{segment.text}-]")
        else:
            parts.append(f"{{+{segment.text}+}}")
    return "".join(parts)


@dataclass(frozen=True)
class _Located:
    """A block with its position; a table's rows get positions from ``table``."""

    block: TextBlock
    position: Position

    @property
    def key(self) -> Hashable:
        if isinstance(self.block, TableBlock):
            return ("table", self.block.rows)
        return ("paragraph", self.block.text)

    @property
    def text(self) -> str:
        if isinstance(self.block, TableBlock):
            return "\n".join(row_line(row) for row in self.block.rows)
        return self.block.text


# A caption line: a table number (表3-1, 附表一) or a short line ending in 表 (2020年一般公共预算支出表).
_TABLE_NUMBER = re.compile(r"^附?表[一二三四五六七八九十\d]+(?:[-－][\d一二三四五六七八九十]+)?$")
_CAPTION = re.compile(r"^(?:附?表[一二三四五六七八九十\d]+(?:[-－][\d一二三四五六七八九十]+)?|.{1,40}表)$")


def _table_captions(captions: list[str]) -> tuple[str, str]:
    """The caption lines that name a table (from its number on, when one is among them), and its number."""
    numbered = [i for i, line in enumerate(captions) if _TABLE_NUMBER.match(line)]
    named = captions[numbered[-1]:] if numbered else captions[-1:]
    return " ".join(named), (captions[numbered[-1]] if numbered else "")


def _locate(blocks: Sequence[TextBlock]) -> list[_Located]:
    located: list[_Located] = []
    paragraphs = tables = 0
    heading = ""
    captions: list[str] = []      # the caption lines since the last table or heading
    for block in blocks:
        if isinstance(block, TableBlock):
            tables += 1
            name, number = _table_captions(captions)
            located.append(_Located(block, Position(table=tables, heading=heading, table_name=name,
                                                    table_number=number)))
            captions = []
            continue
        if not block.text.strip():
            continue
        paragraphs += 1
        located.append(_Located(block, Position(paragraph=paragraphs, heading=heading, sources=block.sources)))
        if block.heading_level is not None:
            heading = block.text
            captions = []
        elif _CAPTION.match(block.text.strip()):
            captions.append(block.text.strip())
    return located


def row_similarity(old: Sequence[str], new: Sequence[str]) -> float:
    """How alike two table rows are, by the characters of their cells."""
    return text_similarity("".join(old), "".join(new), PARAGRAPH_SIMILARITY)


def block_similarity(old: _Located | TextBlock, new: _Located | TextBlock) -> float:
    """How alike two blocks are (0 when a paragraph meets a table)."""
    old_block = old.block if isinstance(old, _Located) else old
    new_block = new.block if isinstance(new, _Located) else new
    if isinstance(old_block, TableBlock) and isinstance(new_block, TableBlock):
        return text_similarity(
            "\n".join(row_line(row) for row in old_block.rows),
            "\n".join(row_line(row) for row in new_block.rows),
            TABLE_SIMILARITY,
        )
    if isinstance(old_block, ParagraphBlock) and isinstance(new_block, ParagraphBlock):
        return text_similarity(old_block.text, new_block.text, PARAGRAPH_SIMILARITY)
    return 0.0


def diff_blocks(old: Sequence[TextBlock], new: Sequence[TextBlock]) -> DiffResult:
    """Changed paragraphs and table rows between two documents, in reading order.

    Empty paragraphs are layout, not text, and are left out.
    """
    old_located, new_located = _locate(old), _locate(new)
    changes: list[Change] = []
    pairs = align(
        [item.key for item in old_located],
        [item.key for item in new_located],
        lambda i, j: block_similarity(old_located[i], new_located[j]),
    )
    for pair in pairs:
        if pair.same:
            continue
        before = old_located[pair.old] if pair.old is not None else None
        after = new_located[pair.new] if pair.new is not None else None
        if _is_table(before) or _is_table(after):
            changes.extend(_table_changes(before, after))
        else:
            changes.append(_paragraph_change(before, after))
    return DiffResult(tuple(changes))


def _is_table(item: _Located | None) -> bool:
    return item is not None and isinstance(item.block, TableBlock)


def _paragraph_change(before: _Located | None, after: _Located | None) -> Change:
    old_text = before.block.text if before is not None else ""
    new_text = after.block.text if after is not None else ""
    return _change(
        before.position if before is not None else None,
        after.position if after is not None else None,
        old_text,
        new_text,
    )


def _change(old: Position | None, new: Position | None, old_text: str, new_text: str) -> Change:
    if old is None:
        return Change("inserted", None, new, "", new_text, (Segment("insert", new_text),))
    if new is None:
        return Change("deleted", old, None, old_text, "", (Segment("delete", old_text),))
    return Change("changed", old, new, old_text, new_text, diff_text(old_text, new_text))


def _table_changes(before: _Located | None, after: _Located | None) -> list[Change]:
    """Inserted and deleted rows as rows; in a row that changed, each changed cell on its own.

    Cells are compared one by one when both tables have a repeated header,
    so that a cell can be named by its row (the row's label cells: 201
    一般公共服务支出) and its column (the header above it: 基本支出); a pair
    of rows whose cells do not line up (a different number of cells), or a
    table without a header, shows as one changed row.
    """
    old_rows = _rows(before)
    new_rows = _rows(after)

    def row_position(item: _Located | None, index: int | None) -> Position | None:
        if item is None or index is None:
            return None
        return Position(table=item.position.table, row=index + 1, heading=item.position.heading,
                        table_name=item.position.table_name, table_number=item.position.table_number,
                        row_label=_row_label(item.block, index), sources=_row_sources(item.block, index))

    changes: list[Change] = []
    pairs = align(old_rows, new_rows, lambda i, j: row_similarity(old_rows[i], new_rows[j]))
    for pair in pairs:
        if pair.same:
            continue
        old_at, new_at = row_position(before, pair.old), row_position(after, pair.new)
        if pair.old is not None and pair.new is not None and _named_cells(before, after) \
                and len(old_rows[pair.old]) == len(new_rows[pair.new]):
            assert before is not None and after is not None and old_at and new_at
            for column, (a, b) in enumerate(zip(old_rows[pair.old], new_rows[pair.new])):
                if a != b:
                    changes.append(_change(_cell(old_at, before.block, pair.old, column, a),
                                           _cell(new_at, after.block, pair.new, column, b), a, b))
            continue
        changes.append(
            _change(
                old_at,
                new_at,
                row_line(old_rows[pair.old]) if pair.old is not None else "",
                row_line(new_rows[pair.new]) if pair.new is not None else "",
            )
        )
    return changes


_AMOUNT = re.compile(r"^-?[\d,]+\.\d+$")


def _named_cells(before: _Located | None, after: _Located | None) -> bool:
    return all(isinstance(item.block, TableBlock) and item.block.header_rows and item.block.spans
               for item in (before, after) if item is not None)


def _row_label(table: TextBlock, index: int) -> str:
    """The texts that name a row: its cells before the first amount (a code and a name, a 项目)."""
    assert isinstance(table, TableBlock)
    names = []
    for text in table.rows[index]:
        if _AMOUNT.match(text.strip()):
            break
        if text.strip():
            names.append(text.strip())
    return " ".join(names)


def _row_sources(table: TextBlock, row: int) -> frozenset[str]:
    assert isinstance(table, TableBlock)
    cells = table.cell_sources[row] if row < len(table.cell_sources) else ()
    return frozenset().union(*cells) if cells else frozenset()


def _cell(position: Position, table: TextBlock, row: int, cell: int, text: str) -> Position:
    """``position`` (a row) narrowed to one of its cells, named by the column header above it."""
    assert isinstance(table, TableBlock)
    cells = table.cell_sources[row] if row < len(table.cell_sources) else ()
    position = replace(position, sources=cells[cell] if cell < len(cells) else frozenset())
    label = position.row_label
    if row >= table.header_rows:
        # the item a cell belongs to: the texts just before the amounts it stands among (in a two-sided
        # 收支总表, the right-hand item for a right-hand amount, not the row's first)
        texts = [t.strip() for t in table.rows[row][:cell]]
        end = len(texts)
        while end and (not texts[end - 1] or _AMOUNT.match(texts[end - 1])):
            end -= 1
        start = end
        while start and not _AMOUNT.match(texts[start - 1]):
            start -= 1
        label = " ".join(t for t in texts[start:end] if t) or label
        return replace(position, column=table.grid_column(row, cell) + 1, row_label=label,
                       column_label=_column_label(table, row, cell))
    return replace(position, column=table.grid_column(row, cell) + 1)


def _column_label(table: TableBlock, row: int, cell: int) -> str:
    """The lowest non-empty header text above a cell's first grid column."""
    column = table.grid_column(row, cell)
    for header in range(table.header_rows - 1, -1, -1):
        position = table.grid_column(header, 0)
        for text, span in zip(table.rows[header], table.spans[header]):
            if position <= column < position + span:
                if text.strip():
                    return text.strip()
                break
            position += span
    return ""


def _rows(item: _Located | None) -> tuple[tuple[str, ...], ...]:
    if item is None or not isinstance(item.block, TableBlock):
        return ()
    return item.block.rows
