"""The 公开表 of a report: their own sums, and the figures they give the text to agree with.

A table is laid out on its grid (merged cells spread over the columns they
cover) and its columns are named by the header cells above them
(公务用车购置及运行维护费 › 小计).  Then, whatever the table:

* **a 合计 or 小计 column** is the sum of the columns beside it under the same
  header (合计 = 基本支出 + 项目支出; 合计 = 因公出国（境）费 + 公务用车购置及运行维护费
  + 公务接待费, the 公务用车 group counting as its 小计); a 其中 column is not
  added, it is at most its 合计;
* **a classified table** (a 科目编码 in 类 | 款 | 项 columns, or one column)
  adds up by code: each 类 = Σ its 款, each 款 = Σ its 项, the 合计 row = Σ 类;
* **a 收支总表** (收入 | 支出 side by side): on each side 本年收入合计 = the items
  above it, 收入总计 = 本年收入合计 + the rows up to it (or, without a 合计 row,
  一、本年收入 = its （一）（二） rows and 总计 = Σ 一、二、), and 收入总计 = 支出总计;
* **a 项目支出绩效目标表**: the 合计 row = Σ the projects' rows.

Some tables also state figures the text states (kind by title, see
:data:`~budgetdoc.audit.patterns.TABLE_KINDS`): the 收支总表's rows, the
部门支出总表's 合计 row, the “三公” table's 本年 and 上年 rows, each 功能分类
line of the 一般公共预算 and 政府性基金 tables.  They become facts like the
text's, so the text is compared with them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import patterns as P
from .extract import Extracted, Fact, function_key
from .findings import Basis, Finding, Place, Severity, plain
from .reader import Table

_AMOUNT_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d{1,2}[.、])")
_CODE_HEADER = re.compile(r"编码|^类$|^款$|^项$|序号")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def amount(text: str | None) -> Decimal | None:
    text = _norm(text or "")
    if not _AMOUNT_CELL.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


@dataclass
class Grid:
    table: Table
    cells: list[list[str | None]]        # [row][column]: text, or None under a cell merged from the left
    header: int
    paths: list[tuple[str, ...]]         # each column's header labels, top to bottom
    factor: Decimal                      # to 万元

    def __post_init__(self) -> None:
        self.numbers = [[amount(text) for text in row] for row in self.cells]   # each cell's number, once
        self._labels: dict[int, str] = {}

    @property
    def width(self) -> int:
        return len(self.paths)

    def text(self, row: int, column: int) -> str:
        value = self.cells[row][column] if column < len(self.cells[row]) else None
        return value or ""

    def number(self, row: int, column: int) -> Decimal | None:
        return self.numbers[row][column] if column < len(self.numbers[row]) else None

    def value(self, row: int, column: int) -> Decimal | None:
        number = self.number(row, column)
        return None if number is None else number * self.factor

    def place(self, row: int, column: int | None = None) -> Place:
        return Place(table=self.table.number, table_label=self.table.label, row=row + 1,
                     column=None if column is None else column + 1, row_label=self.row_label(row, column),
                     column_label=self.column_label(column) if column is not None else "")

    def column_label(self, column: int) -> str:
        path = self.paths[column]
        return path[-1] if path else ""

    def row_label(self, row: int, column: int | None = None) -> str:
        """The texts before the first amount of the row (or of the side a cell is on): 201 一般公共服务支出."""
        start = 0
        if column is not None and self.two_sided:
            amounts = [c for c in range(column) if self.number(row, c) is not None]
            start = amounts[-1] + 1 if amounts else 0
        key = row * (self.width + 1) + start
        if key not in self._labels:
            names = []
            for c in range(start, self.width):
                text = self.text(row, c)
                if self.number(row, c) is not None and not self.is_code(c):
                    break
                if text:
                    names.append(text)
            self._labels[key] = " ".join(names)
        return self._labels[key]

    @property
    def two_sided(self) -> bool:
        """A 收支总表: 收入 and 支出 side by side, each with its own items."""
        tops = [path[0] for path in self.paths if path]
        return "收入" in tops and "支出" in tops

    def is_code(self, column: int) -> bool:
        return any(_CODE_HEADER.search(label) for label in self.paths[column])

    def amount_columns(self) -> list[int]:
        if not hasattr(self, "_amount_columns"):
            out = []
            for c in range(self.width):
                if self.is_code(c):
                    continue
                filled = [(self.text(r, c), self.number(r, c)) for r in range(self.header, len(self.cells))
                          if self.text(r, c)]
                if filled and all(n is not None for _, n in filled):
                    out.append(c)
            self._amount_columns = out
        return self._amount_columns


def grid(table: Table) -> Grid:
    width = table.width
    cells: list[list[str | None]] = []
    for row in table.rows:
        line: list[str | None] = [""] * width
        for cell in row:
            line[cell.column] = cell.text
            for covered in range(cell.column + 1, min(width, cell.column + cell.span)):
                line[covered] = None
        cells.append(line)
    paths: list[tuple[str, ...]] = []
    for c in range(width):
        labels: list[str] = []
        for r in range(table.header_rows):
            for cell in table.rows[r]:
                if cell.column <= c < cell.column + cell.span and cell.text.strip():
                    label = _norm(cell.text)
                    if not labels or labels[-1] != label:
                        labels.append(label)
        paths.append(tuple(labels))
    factor = Decimal(1) if table.unit == "万元" else Decimal("0.0001")
    return Grid(table, cells, table.header_rows, paths, factor)


def grid_of(out: Extracted, table: Table) -> Grid:
    """The table's grid, laid out once per audit."""
    if table.number not in out.grids:
        out.grids[table.number] = grid(table)
    return out.grids[table.number]


def table_kind(table: Table) -> str | None:
    title = _norm(table.title or " ".join(table.caption))
    for kind, pattern in P.TABLE_KINDS:
        if pattern.search(title):
            return kind
    return None


# ------------------------------------------------------------------ checks

def check_tables(out: Extracted) -> list[Finding]:
    """Every table's own sums; adds the figures the tables state to ``out.facts``."""
    findings: list[Finding] = []
    for table in out.report.tables:
        if table.header_rows >= len(table.rows):
            continue
        g = grid_of(out, table)
        kind = table_kind(table)
        findings += _column_groups(g)
        if g.two_sided:
            findings += _summary(g, kind, out)
        elif _code_columns(g):
            findings += _classified(g, kind, out)
        elif kind == "performance":
            findings += _listed(g, out, kind)
        if kind == "three_public":
            findings += _three_public(g, out)
    return findings


def _table_finding(g: Grid, row: int, column: int, total: Decimal, parts: list[tuple[str, Decimal, Place]],
                   what: str) -> Finding:
    summed = sum((v for _, v, _ in parts), Decimal(0))
    listing = " + ".join(f"{label} {plain(v)}" for label, v, _ in parts)
    return Finding(Severity.ERROR, "公开表",
                   f"{what} {plain(total)} ≠ {listing} = {plain(summed)}，相差 {plain(abs(total - summed))} 万元。",
                   g.place(row, column), basis=tuple(Basis(label, v, place) for label, v, place in parts),
                   hint="核对这一行（列）的各项和合计：合计应等于各项之和。",
                   stated=plain(total), computed=plain(summed))


def _column_groups(g: Grid) -> list[Finding]:
    """合计 / 小计 columns = the columns beside them under the same header."""
    columns = g.amount_columns()
    if not columns:
        return []
    findings: list[Finding] = []
    for parent, total, parts in _groups(g, columns):
        for row in range(g.header, len(g.cells)):
            t = g.value(row, total)
            if t is None:
                continue
            values = []
            for label, cols in parts:
                if isinstance(cols, int):
                    v = g.value(row, cols)
                else:
                    vs = [g.value(row, c) for c in cols]
                    v = None if any(x is None for x in vs) else sum(vs, Decimal(0))  # type: ignore[arg-type]
                if v is None:
                    break
                values.append((label, v, g.place(row, cols if isinstance(cols, int) else cols[0])))
            else:
                if sum((v for _, v, _ in values), Decimal(0)) != t:
                    what = f"“{g.row_label(row, total) or '本行'}”的{g.column_label(total)}"
                    findings.append(_table_finding(g, row, total, t, values, what))
    for row in range(g.header, len(g.cells)):
        for subset, total in _subsets(g, columns):
            s, t = g.value(row, subset), g.value(row, total)
            if s is not None and t is not None and s > t:
                findings.append(Finding(
                    Severity.ERROR, "公开表",
                    f"“{g.row_label(row, total) or '本行'}”的{g.column_label(subset)} {plain(s)} 大于"
                    f"{g.column_label(total)} {plain(t)}。", g.place(row, subset),
                    basis=(Basis(g.column_label(total), t, g.place(row, total)),),
                    hint="“其中”一栏是合计的一部分，不能大于合计。", stated=plain(s), computed=f"≤ {plain(t)}"))
    return findings


def _groups(g: Grid, columns: list[int]):
    """(parent path, the 合计 column, [(label, column or columns)]) for each header group with a 合计."""
    by_parent: dict[tuple[str, ...], list[int]] = {}
    for c in columns:
        path = g.paths[c]
        for depth in range(len(path)):
            by_parent.setdefault(path[:depth], [])
            if c not in by_parent[path[:depth]]:
                by_parent[path[:depth]].append(c)
    for parent, cols in by_parent.items():
        depth = len(parent)
        children: list[tuple[str, list[int]]] = []
        for c in cols:
            label = g.paths[c][depth] if len(g.paths[c]) > depth else ""
            if children and children[-1][0] == label:
                children[-1][1].append(c)
            else:
                children.append((label, [c]))
        totals = [(label, cs) for label, cs in children if P.TOTAL_LABEL.match(label) and len(cs) == 1]
        others = [(label, cs) for label, cs in children
                  if not P.TOTAL_LABEL.match(label) and not P.SUBSET_LABEL.match(label)]
        if len(totals) != 1 or len(others) < 2:
            continue
        parts: list[tuple[str, int | list[int]]] = []
        for label, cs in others:
            if len(cs) == 1:
                parts.append((label, cs[0]))
                continue
            own = [c for c in cs if len(g.paths[c]) > depth + 1 and P.TOTAL_LABEL.match(g.paths[c][depth + 1])]
            parts.append((label, own[0] if own else cs))
        yield parent, totals[0][1][0], parts


def _subsets(g: Grid, columns: list[int]):
    for c in columns:
        path = g.paths[c]
        if path and P.SUBSET_LABEL.match(path[-1]):
            siblings = [d for d in columns if g.paths[d][:-1] == path[:-1] and P.TOTAL_LABEL.match(g.paths[d][-1])]
            if siblings:
                yield c, siblings[0]


# ------------------------------------------------------------ classified

def _code_columns(g: Grid) -> list[int]:
    return [c for c in range(g.width) if g.is_code(c) and any(
        re.fullmatch(r"\d{2,7}", _norm(g.text(r, c))) for r in range(g.header, len(g.cells)))]


def _row_code(g: Grid, row: int, code_columns: list[int]) -> str:
    code = ""
    for c in code_columns:
        part = _norm(g.text(row, c))
        if not re.fullmatch(r"\d{2,7}", part):
            continue
        code = part if code and part.startswith(code) or len(part) > 3 and not code else code + part
    return code


def _is_total_row(g: Grid, row: int) -> bool:
    first = next((_norm(g.text(row, c)) for c in range(g.width) if g.text(row, c)), "")
    return bool(P.TOTAL_LABEL.match(first))


def _classified(g: Grid, kind: str | None, out: Extracted) -> list[Finding]:
    codes = _code_columns(g)
    amounts = g.amount_columns()
    rows: dict[str, int] = {}
    names: dict[str, str] = {}
    total_row = None
    for row in range(g.header, len(g.cells)):
        if _is_total_row(g, row):
            total_row = row
            continue
        code = _row_code(g, row, codes)
        if code:
            rows[code] = row
            names[code] = next((g.text(row, c).strip() for c in range(g.width)
                                if c not in codes and g.text(row, c) and g.number(row, c) is None), "")
    findings: list[Finding] = []
    children_of: dict[str, list[str]] = {}
    for code in rows:
        if len(code) > 3 and code[:-2] in rows:
            children_of.setdefault(code[:-2], []).append(code)
    groups: list[tuple[int, list[str], str]] = []
    level_one = [c for c in rows if len(c) == 3]
    if total_row is not None and level_one:
        groups.append((total_row, level_one, "合计"))
    groups += [(rows[code], children, f"{code} {names[code]}") for code, children in children_of.items()]
    for c in amounts:
        label = g.column_label(c)
        for row, children, what in groups:
            t = g.value(row, c)
            values = [(f"{k} {names[k]}", g.value(rows[k], c), g.place(rows[k], c)) for k in children]
            if t is None or any(v is None for _, v, _ in values):
                continue
            if sum((v for _, v, _ in values), Decimal(0)) != t:   # type: ignore[misc]
                findings.append(_table_finding(g, row, c, t, values, f"{what}的{label}"))   # type: ignore[arg-type]
    if kind in ("general", "fund"):
        fund = "general" if kind == "general" else "fund"
        value_column = next((c for c in amounts if P.TOTAL_LABEL.match(g.column_label(c))), amounts[0] if amounts else None)
        if value_column is not None:
            for code, row in rows.items():
                value = g.value(row, value_column)
                if value is None:
                    continue
                path = [names[code[:n]] for n in range(3, len(code) + 1, 2) if code[:n] in names]
                concept = "fn:" + fund + ":" + "/".join(function_key(n) for n in path)
                _add_fact(out, value, g.text(row, value_column), concept, g.place(row, value_column), names[code])
    _total_row_facts(g, kind, total_row, amounts, out)
    return findings


def _total_row_facts(g: Grid, kind: str | None, total_row: int | None, amounts: list[int], out: Extracted) -> None:
    if total_row is None or kind not in P.TOTAL_ROW_COLUMNS:
        return
    for pattern, concept in P.TOTAL_ROW_COLUMNS[kind]:
        column = next((c for c in amounts if any(pattern.match(label) for label in g.paths[c][-1:])), None)
        if column is None:
            continue
        value = g.value(total_row, column)
        if value is not None:
            _add_fact(out, value, g.text(total_row, column), concept, g.place(total_row, column))


def _add_fact(out: Extracted, value: Decimal, written: str, concept: str, place: Place, subject: str = "",
              period: str = "current") -> None:
    out.facts.append(Fact(len(out.facts), value, written, subject or P.BY_ID[concept].label if concept in P.BY_ID
                          else subject, concept, place, from_table=True, period=period))


def _listed(g: Grid, out: Extracted, kind: str | None) -> list[Finding]:
    """A 合计 row over the rows that name an item (a 项目支出绩效目标表: one project a row, its indicators below)."""
    amounts = g.amount_columns()
    total_row = next((r for r in range(g.header, len(g.cells)) if _is_total_row(g, r)), None)
    findings: list[Finding] = []
    if total_row is None:
        return findings
    items = [r for r in range(g.header, len(g.cells)) if r != total_row and g.text(r, 0)
             and any(g.value(r, c) is not None for c in amounts)]
    for c in amounts:
        t = g.value(total_row, c)
        values = [(g.text(r, 0), g.value(r, c), g.place(r, c)) for r in items]
        if t is None or not values or any(v is None for _, v, _ in values):
            continue
        if sum((v for _, v, _ in values), Decimal(0)) != t:    # type: ignore[misc]
            findings.append(_table_finding(g, total_row, c, t, values, f"合计行的{g.column_label(c)}"))  # type: ignore[arg-type]
    _total_row_facts(g, kind, total_row, amounts, out)
    return findings


# ------------------------------------------------------------ 收支总表

def _summary(g: Grid, kind: str | None, out: Extracted) -> list[Finding]:
    findings: list[Finding] = []
    totals: list[tuple[str, Decimal, Place]] = []
    amounts = set(g.amount_columns())
    for side in ("收入", "支出"):
        columns = [c for c in range(g.width) if g.paths[c] and g.paths[c][0] == side]
        labels = [c for c in columns if c not in amounts]
        values = [c for c in columns if c in amounts]
        if not labels or not values:
            continue
        entries = [(r, _norm(g.text(r, labels[0]))) for r in range(g.header, len(g.cells)) if g.text(r, labels[0])]
        for c in values:
            findings += _side_sums(g, entries, c, side)
        first = values[0]
        for r, label in entries:
            bare = _NUMBERING.sub("", label)
            if bare.endswith("总计"):
                v = g.value(r, first)
                if v is not None:
                    totals.append((label, v, g.place(r, first)))
            for pattern, concept in P.SUMMARY_ROWS.get(kind or "", ()):
                if pattern.fullmatch(bare):
                    v = g.value(r, first)
                    if v is not None:
                        _add_fact(out, v, g.text(r, first), concept, g.place(r, first))
                    break
    if len(totals) == 2 and totals[0][1] != totals[1][1]:
        (a, va, pa), (b, vb, pb) = totals
        findings.append(Finding(Severity.ERROR, "公开表", f"{a} {plain(va)} ≠ {b} {plain(vb)}，"
                                f"相差 {plain(abs(va - vb))} 万元：收支总表的收入总计应等于支出总计。", pa,
                                basis=(Basis(b, vb, pb),), hint="核对收入、支出两边的各项和总计。",
                                stated=plain(va), computed=plain(vb)))
    return findings


def _side_sums(g: Grid, entries: list[tuple[int, str]], c: int, side: str) -> list[Finding]:
    findings: list[Finding] = []

    def check(row: int, parts: list[int], what: str) -> None:
        t = g.value(row, c)
        values = [(g.text(r, _label_column(g, r, c)) or "", g.value(r, c), g.place(r, c)) for r in parts]
        if t is None or not values or any(v is None for _, v, _ in values):
            return
        if sum((v for _, v, _ in values), Decimal(0)) != t:   # type: ignore[misc]
            findings.append(_table_finding(g, row, c, t, values, what))   # type: ignore[arg-type]

    bare = [(r, _NUMBERING.sub("", label), label) for r, label in entries]
    subtotal = next((i for i, (_, b, _) in enumerate(bare) if b.endswith("合计")), None)
    grand = next((i for i, (_, b, _) in enumerate(bare) if b.endswith("总计")), None)
    if subtotal is not None:
        items = [r for r, b, label in bare[:subtotal] if not label.startswith("(")]
        check(bare[subtotal][0], items, bare[subtotal][1])
        if grand is not None and grand > subtotal:
            check(bare[grand][0], [bare[subtotal][0]] + [r for r, _, _ in bare[subtotal + 1:grand]], bare[grand][1])
        return findings
    tops = [i for i, (_, _, label) in enumerate(bare) if re.match(r"^[一二三四五六七八九十]+、", label)]
    end = grand if grand is not None else len(bare)
    for k, i in enumerate(tops):
        stop = tops[k + 1] if k + 1 < len(tops) else end
        children = [r for r, _, _ in bare[i + 1:stop]]
        if children:
            check(bare[i][0], children, bare[i][1])
    if grand is not None and tops:
        check(bare[grand][0], [bare[i][0] for i in tops], bare[grand][1])
    return findings


def _label_column(g: Grid, row: int, column: int) -> int:
    for c in range(column - 1, -1, -1):
        if g.text(row, c) and amount(g.text(row, c)) is None:
            return c
    return 0


# ------------------------------------------------------------ “三公”

def _three_public(g: Grid, out: Extracted) -> list[Finding]:
    """The “三公” table's figures: by column and row (or, in the vertical form, by row and column).

    The horizontal form's sums are its header's (合计 = …, 小计 = …); the
    vertical form's are checked here: 合计 = the three items, 公务用车 = 购置 + 运行, in each column.
    """
    amounts = g.amount_columns()

    def item(labels: tuple[str, ...]) -> str | None:
        if not labels:
            return None
        label = labels[-1]
        if P.TOTAL_LABEL.match(label) and len(labels) > 1:
            label = labels[-2]
        for pattern, concept in P.THREE_PUBLIC_COLUMNS:
            if pattern.search(label):
                return concept
        return None

    def period(label: str) -> str | None:
        for pattern, name in P.PERIODS:
            if pattern.search(label):
                return name
        return None

    by_column = {c: item(g.paths[c]) for c in amounts}
    if any(by_column.values()):
        for row in range(g.header, len(g.cells)):
            when = period(_norm(g.row_label(row)))
            if when is None:
                continue
            for c, concept in by_column.items():
                value = g.value(row, c)
                if concept and value is not None:
                    _add_fact(out, value, g.text(row, c), concept, g.place(row, c), period=when)
        return []
    findings: list[Finding] = []
    for row in range(g.header, len(g.cells)):       # vertical: one item a row, a column a period
        concept = item((_norm(g.row_label(row)),))
        if concept is None:
            continue
        for c in amounts:
            when = period(g.column_label(c))
            value = g.value(row, c)
            if when and value is not None:
                _add_fact(out, value, g.text(row, c), concept, g.place(row, c), period=when)
    mine = [f for f in out.facts if f.from_table and f.place.table == g.table.number]
    for c in g.amount_columns():
        column = {f.concept: f for f in mine if f.place.column == c + 1}
        for composition in (P.COMPOSITION_OF["three_public.total"], P.COMPOSITION_OF["three_public.vehicles"]):
            whole, parts = column.get(composition.whole), [column.get(p) for p in composition.parts]
            if whole is None or any(p is None for p in parts):
                continue
            if sum((p.value for p in parts), Decimal(0)) != whole.value:     # type: ignore[union-attr]
                findings.append(_table_finding(g, whole.place.row - 1, c, whole.value,   # type: ignore[operator]
                                               [(p.label, p.value, p.place) for p in parts],   # type: ignore[union-attr]
                                               f"“{g.column_label(c)}”的{whole.label}"))
    return findings
