"""The 公开表 themselves: one builder per kind of table, from the computed figures.

Each builder lays out figures that :mod:`budgetdoc.compute` has already
derived (its ledgers and totals); nothing here adds or rounds.  Labels are
the standard wording of the 2020 national set (财预〔2016〕143号 practice,
see docs/tables.md); the table set (``tables.yaml``) chooses which tables,
their order, numbering, titles and variants.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Callable

from ..classification import EDITIONS
from ..compute import Figures, Ledger, Line
from ..document import Cell, Table
from ..number import ZERO
from ..provenance import NONE, keys_of, union
from ..wording import Wording
from .grid import (
    CODE_WIDTH,
    LABEL_WIDTH,
    NAME_WIDTH,
    TEXT_WIDTH,
    Amounts,
    Column,
    code_cells,
    fit_width,
    flexible_leaves,
    group,
    header_rows,
    leaf_minimums,
    leaf_widths,
    text_column,
)
from .tableset import DEFAULT_EMPTY_NOTE, TableSet, TableSpec

Row = list[Cell]


@dataclass
class Sheet:
    """What a builder hands back: header columns, body rows, and whether the table is empty."""

    columns: list[Column]
    rows: list[Row]
    empty: bool = False


@dataclass
class Context:
    figures: Figures
    spec: TableSpec
    tableset: TableSet
    amounts: Amounts

    @property
    def year(self) -> int:
        return self.figures.year

    def money(self, value: Decimal | None, strong: bool = False, sources: frozenset[str] = frozenset()) -> Cell:
        return self.amounts.cell(value, strong, sources)

    def place_total(self, body: list[Row], total: Row) -> list[Row]:
        """The 合计 row first (under the header) or last, as the table set says."""
        return body + [total] if self.tableset.total_last else [total] + body


# ----------------------------------------------------------- classified tables

def _tree(ctx: Context, ledger: Ledger, levels: int, code_label: str, name_label: str,
          values: list[tuple[str, str]], group_label: str = "") -> Sheet:
    """类 → 款 → 项 rows with the code split over ``levels`` columns, and a 合计 row."""
    rows = list(ledger.walk())
    value_columns = [Column(label) for label, _ in values]
    columns = [group(code_label, *[Column(name, width=CODE_WIDTH) for name in "类款项"[:levels]]),
               text_column(name_label, fit_width([r.name for r in rows], 8, NAME_WIDTH + 3))]
    columns += [group(group_label, *value_columns)] if group_label else value_columns
    body = [code_cells(r.code, levels) + [Cell(r.name, indent=r.level - 1, sources=keys_of(r.name))]
            + [ctx.money(r.values.get(key, ZERO), sources=r.sources.get(key, NONE)) for _, key in values] for r in rows]
    total = [Cell("合计", "center", colspan=levels + 1, strong=True)]
    total += [ctx.money(ledger.total.get(key, ZERO), strong=True, sources=ledger.total_sources.get(key, NONE))
              for _, key in values]
    return Sheet(columns, ctx.place_total(body, total), empty=not rows)


SOURCE_COLUMNS = (
    ("上年结转", "carryover"),
    ("一般公共预算拨款收入", "general"),
    ("政府性基金预算拨款收入", "fund"),
    ("国有资本经营预算拨款收入", "state_capital"),
    ("事业收入", "business"),
    ("事业单位经营收入", "operating"),
    ("其他收入", "other"),
    ("用事业基金弥补收支差额", "reserve"),
)


def income_table(ctx: Context) -> Sheet:
    """部门收入总表: every 功能分类 line by 资金来源."""
    ledger = ctx.figures.functions.ledgers.department   # type: ignore[union-attr]
    return _tree(ctx, ledger, 3, "科目编码", "科目名称", [("合计", "total"), *SOURCE_COLUMNS])


def spending_table(ctx: Context) -> Sheet:
    """部门支出总表: every 功能分类 line, 合计 = 基本支出 + 项目支出 (+ 事业单位经营支出 when there is any)."""
    ledger = ctx.figures.functions.ledgers.department   # type: ignore[union-attr]
    values = [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")]
    if ctx.figures.expenditure.operating.amount:
        values.append(("事业单位经营支出", "operating_expense"))
    return _tree(ctx, ledger, 3, "科目编码", "科目名称", values)


def general_table(ctx: Context) -> Sheet:
    """一般公共预算支出表."""
    ledger = ctx.figures.functions.ledgers.general   # type: ignore[union-attr]
    return _tree(ctx, ledger, 3, "功能分类科目编码", "功能分类科目名称",
                 [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")], "一般公共预算支出")


def fund_table(ctx: Context) -> Sheet:
    """政府性基金预算支出表."""
    ledger = ctx.figures.functions.ledgers.fund   # type: ignore[union-attr]
    return _tree(ctx, ledger, 3, "功能分类科目编码", "功能分类科目名称",
                 [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")], "政府性基金预算支出")


def basic_table(ctx: Context) -> Sheet:
    """一般公共预算基本支出表: 经济分类 类 and 款, 人员经费 and 公用经费."""
    ledger = ctx.figures.economic
    if ledger is None:
        raise ValueError("statements: the figures have no 经济分类 ledger")
    sheet = _tree(ctx, ledger, 2, "部门预算支出经济分类科目编码", "经济分类科目名称",
                  [("合计", "total"), ("人员经费", "personnel"), ("公用经费", "public")], "一般公共预算基本支出")
    sheet.empty = not ledger.rows and not ledger.total.get("total")
    return sheet


# ----------------------------------------------------------- two-sided summaries

def _side_by_side(left: list[Row], right: list[Row], left_width: int, right_width: int,
                  closing: list[tuple[Row, Row]]) -> list[Row]:
    """Two lists next to each other, padded so the totals that close them share rows."""
    blank_left = [Cell("") for _ in range(left_width)]
    blank_right = [Cell("") for _ in range(right_width)]
    n = max(len(left), len(right))
    rows = [(left[i] if i < len(left) else list(blank_left)) + (right[i] if i < len(right) else list(blank_right))
            for i in range(n)]
    rows += [(l or list(blank_left)) + (r or list(blank_right)) for l, r in closing]
    return rows


INCOME_LINES = (
    ("一、一般公共预算拨款收入", "general"),
    ("二、政府性基金预算拨款收入", "fund"),
    ("三、国有资本经营预算拨款收入", "state_capital"),
    ("四、事业收入", "business"),
    ("五、事业单位经营收入", "operating"),
    ("六、其他收入", "other"),
)


def summary_table(ctx: Context) -> Sheet:
    """部门收支总表: 收入 by source against 支出 by 功能分类 类."""
    f = ctx.figures
    inc, exp = f.income, f.expenditure
    columns = [group("收入", text_column("项目", LABEL_WIDTH), Column("预算数")),
               group("支出", text_column("项目", LABEL_WIDTH), Column("预算数"))]
    came = inc.by_source_keys

    def income(attr: str, strong: bool = False) -> Cell:
        return ctx.money(inc.by_source.get(attr, ZERO), strong, came.get(attr, NONE))

    left = [[Cell(label), income(attr)] for label, attr in INCOME_LINES]
    classes = {row.code: row for row in f.functions.ledgers.department.rows}   # type: ignore[union-attr]
    if ctx.spec.all_classes:
        edition = EDITIONS[max(y for y in EDITIONS if y <= f.year)] if any(y <= f.year for y in EDITIONS) else {}
        listed = [(code, classes[code].name if code in classes else name) for code, name in sorted(edition.items())]
        listed += [(code, row.name) for code, row in classes.items() if code not in edition]
    else:
        listed = [(code, row.name) for code, row in classes.items()]
    right = [[Cell(name, sources=keys_of(name)),
              ctx.money(classes[code].values["total"] if code in classes else None,
                        sources=classes[code].sources.get("total", NONE) if code in classes else NONE)]
             for code, name in listed]
    strong = Cell("", strong=True)
    closing = [
        ([Cell("本年收入合计", "center", strong=True),
          ctx.money(inc.current, True, union(came.get(attr, NONE) for _, attr in INCOME_LINES))],
         [Cell("本年支出合计", "center", strong=True), ctx.money(exp.total.amount, True, exp.total.sources)]),
        ([Cell("用事业基金弥补收支差额"), income("reserve")],
         [Cell("结转下年"), ctx.money(exp.carry_forward, sources=exp.carry_forward_sources)]),
        ([Cell("上年结转"), income("carryover")], [strong, Cell("")]),
        ([Cell("收入总计", "center", strong=True), ctx.money(inc.total.amount, True, inc.total.sources)],
         [Cell("支出总计", "center", strong=True),
          ctx.money(exp.grand_total, True, exp.total.sources | exp.carry_forward_sources)]),
    ]
    return Sheet(columns, _side_by_side(left, right, 2, 2, closing))


def appropriation_table(ctx: Context) -> Sheet:
    """财政拨款收支总表: 财政拨款收入 against 支出 by 类 and fund."""
    f = ctx.figures
    a = f.appropriation
    ledger = f.functions.ledgers.appropriation   # type: ignore[union-attr]
    funds = [("一般公共预算", "general"), ("政府性基金预算", "fund")]
    if a.state_capital.amount:
        funds.append(("国有资本经营预算", "state_capital"))
    columns = [group("收入", text_column("项目", LABEL_WIDTH), Column("预算数")),
               group("支出", text_column("项目", LABEL_WIDTH), Column("合计"), *[Column(n) for n, _ in funds])]
    current = a.general.sources | a.fund.sources | a.state_capital.sources
    kept = f.expenditure.carry_forward_sources
    left = [[Cell("一、本年收入", strong=True), ctx.money(a.current, True, current)],
            [Cell("（一）一般公共预算拨款", indent=1), ctx.money(a.general.amount, sources=a.general.sources)],
            [Cell("（二）政府性基金预算拨款", indent=1), ctx.money(a.fund.amount, sources=a.fund.sources)]]
    if a.state_capital.amount:
        left.append([Cell("（三）国有资本经营预算拨款", indent=1),
                     ctx.money(a.state_capital.amount, sources=a.state_capital.sources)])
    left.append([Cell("二、上年结转", strong=True), ctx.money(a.carryover.amount, True, a.carryover.sources)])
    right = [[Cell("一、本年支出", strong=True), ctx.money(ledger.total["total"], True, ledger.total_sources.get("total", NONE))]
             + [ctx.money(ledger.total.get(key), True, ledger.total_sources.get(key, NONE)) for _, key in funds]]
    right += [[Cell(r.name, indent=1, sources=keys_of(r.name)), ctx.money(r.values["total"], sources=r.sources.get("total", NONE))]
              + [ctx.money(r.values.get(key), sources=r.sources.get(key, NONE)) for _, key in funds]
              for r in ledger.rows]
    right.append([Cell("二、结转下年", strong=True), ctx.money(a.carry_forward, True, kept)]
                 + [ctx.money(a.carry_forward_by_fund.get(key, ZERO), True, kept if key == "general" else NONE)
                    for _, key in funds])
    width = 2 + len(funds)
    closing = [([Cell("收入总计", "center", strong=True), ctx.money(a.total.amount, True, a.total.sources)],
                [Cell("支出总计", "center", strong=True),
                 ctx.money(a.grand_total, True, ledger.total_sources.get("total", NONE) | kept)]
                + [ctx.money(a.grand_by_fund.get(key), True,
                             ledger.total_sources.get(key, NONE) | (kept if key == "general" else NONE))
                   for _, key in funds])]
    return Sheet(columns, _side_by_side(left, right, 2, width, closing))


# ----------------------------------------------------------- 三公 and projects

THREE_PUBLIC = (("合计", "total"), ("因公出国（境）费", "abroad"), ("公务用车购置及运行维护费", "vehicles"),
                ("公务用车购置费", "purchase"), ("公务用车运行维护费", "operation"), ("公务接待费", "reception"))


def three_public_table(ctx: Context) -> Sheet:
    """一般公共预算“三公”经费支出表: one row of columns, or (竖排) one row per item."""
    t = ctx.figures.three_public
    lines: dict[str, Line] = {key: getattr(t, key) for _, key in THREE_PUBLIC}
    with_prior = ctx.spec.prior_row is not False and all(
        line.change is not None and line.change.prior is not None for line in lines.values())
    periods = ([("上年预算", lambda line: line.change.prior, lambda line: line.prior_sources)] if with_prior else []) + \
        [("本年预算", lambda line: line.amount, lambda line: line.sources)]
    if ctx.spec.vertical:
        columns = [text_column("项目", LABEL_WIDTH + 3)] + [Column(label) for label, _, _ in reversed(periods)]
        rows = []
        for label, key in THREE_PUBLIC:
            indent = 1 if key in ("purchase", "operation") else 0
            shown = ("其中：" + label) if key == "purchase" else label
            rows.append([Cell(shown, "center" if key == "total" else "left", indent=indent, strong=key == "total")]
                        + [ctx.money(value(lines[key]), key == "total", came(lines[key]))
                           for _, value, came in reversed(periods)])
        return Sheet(columns, rows)
    columns = [Column("项目", width=6), Column("合计"), Column("因公出国（境）费"),
               group("公务用车购置及运行维护费", Column("小计"), Column("公务用车购置费"), Column("公务用车运行维护费")),
               Column("公务接待费")]
    order = ("total", "abroad", "vehicles", "purchase", "operation", "reception")
    rows = [[Cell(label, "center")] + [ctx.money(value(lines[key]), sources=came(lines[key])) for key in order]
            for label, value, came in periods]
    return Sheet(columns, rows)


def performance_table(ctx: Context) -> Sheet:
    """项目支出绩效目标表: a block of rows per project, its indicators one a row."""
    pf = ctx.figures.performance
    targets = pf.targets
    columns = [text_column("项目名称", fit_width([t.name for t in targets], 7, NAME_WIDTH)),
               group("预算金额", Column("合计"), Column("其中：财政拨款")),
               text_column("年度绩效目标", TEXT_WIDTH if any(t.goal for t in targets) else 7),
               group("绩效指标", Column("一级指标", width=4.6), Column("二级指标", width=5.6),
                     text_column("三级指标", fit_width([i[2] for t in targets for i in t.indicators], 5, 9)),
                     text_column("指标值", fit_width([i[3] for t in targets for i in t.indicators], 4.6, 8)))]
    body: list[Row] = []
    for t in targets:
        indicators = t.indicators or (("", "", "", ""),)
        span = len(indicators)
        for i, (first, second, third, value) in enumerate(indicators):
            row: Row = []
            if i == 0:
                row += [replace(cell, rowspan=span) for cell in
                        (Cell(t.name, sources=keys_of(t.name)), ctx.money(t.amount, sources=t.amount_sources),
                         ctx.money(t.appropriation, sources=t.appropriation_sources),
                         Cell(t.goal or "", sources=keys_of(t.goal)))]
            if i == 0 or indicators[i - 1][0] != first:
                row.append(Cell(first, "center", rowspan=_run(indicators, i, lambda x: x[0]), sources=keys_of(first)))
            if i == 0 or indicators[i - 1][:2] != (first, second):
                row.append(Cell(second, "center", rowspan=_run(indicators, i, lambda x: x[:2]), sources=keys_of(second)))
            row += [Cell(third, sources=keys_of(third)), Cell(value, "center", sources=keys_of(value))]
            body.append(row)
    total = [Cell("合计", "center", strong=True),
             ctx.money(pf.targets_total, True, union(t.amount_sources for t in targets)),
             ctx.money(pf.targets_appropriation, True, union(t.appropriation_sources for t in targets))] \
        + [Cell("") for _ in range(5)]
    return Sheet(columns, ctx.place_total(body, total), empty=not targets)


def _run(items: tuple, start: int, key: Callable) -> int:
    """How many items from ``start`` share ``key`` with it (a merged cell's height)."""
    n = 1
    while start + n < len(items) and key(items[start + n]) == key(items[start]):
        n += 1
    return n


BUILDERS: dict[str, Callable[[Context], Sheet]] = {
    "部门收支总表": summary_table,
    "部门收入总表": income_table,
    "部门支出总表": spending_table,
    "财政拨款收支总表": appropriation_table,
    "一般公共预算支出表": general_table,
    "一般公共预算基本支出表": basic_table,
    "一般公共预算“三公”经费支出表": three_public_table,
    "政府性基金预算支出表": fund_table,
    "项目支出绩效目标表": performance_table,
}

_SHEET_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")


def build_table(figures: Figures, spec: TableSpec, tableset: TableSet, phrasing: Wording) -> Table:
    """One 公开表 of the set, ready for every writer."""
    if spec.kind is None or spec.number is None:      # both required by the table set's schema
        raise ValueError(f"statements: table {spec.number!r} without 表样 or 编号")
    ctx = Context(figures, spec, tableset, Amounts(phrasing, bool(tableset.blank_zero)))
    sheet = BUILDERS[spec.kind](ctx)
    widths = leaf_widths(sheet.columns, ctx.amounts.width())
    minimums = leaf_minimums(sheet.columns, ctx.amounts.minimum())
    year = str(figures.year)
    title = (spec.title or f"{{年度}}年{spec.kind}").replace("{年度}", year)
    note = ""
    if sheet.empty:
        note = (spec.note or tableset.empty_note or DEFAULT_EMPTY_NOTE)
        note = note.replace("{年度}", year).replace("{资金}", spec.fund)
    label = tableset.issuer_label or "编制部门"
    return Table(header=header_rows(sheet.columns), rows=tuple(tuple(r) for r in sheet.rows), title=title,
                 unit=tableset.unit or f"单位：{phrasing.table_unit}", widths=tuple(widths), note=note, number=spec.number,
                 issuer=f"{label}：{figures.department.name}",
                 sheet=f"{spec.number} {spec.kind}".translate(_SHEET_FORBIDDEN)[:31],
                 flexible=flexible_leaves(sheet.columns), min_widths=tuple(minimums))
