"""The calculator: derived figures for the report, exact, never worded.

Input: the year being reported and (optionally) the previous year.  Output:
:class:`Figures`, a tree of plain values that the templates read.  Nothing
here rounds for display or chooses words; :mod:`budgetdoc.wording` does.

* :class:`Change` — current against prior: difference and growth rate,
  unrounded, and what kind of change it is (增加、减少、持平、新增、取消、未知).
* :class:`Share` — a part of one whole; shares of one whole are apportioned
  together so they add up to exactly 100% at any precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from typing import Iterable, Iterator, Mapping

from .comparisons import BY_KEY, THREE_PUBLIC_ITEMS, dig
from .model import INCOME_SOURCES, VEHICLE_KINDS, EconomicItem, FunctionItem, Project, YearBudget
from .number import ZERO, apportion, apportion_percent, ratio_percent, total
from .provenance import counted, keys_of, union
from .schema import Amount, DataUnit, SummedAmount


class Trend(str, Enum):
    INCREASE = "increase"
    DECREASE = "decrease"
    FLAT = "flat"
    NEW = "new"          # prior is zero, current is not
    DROPPED = "dropped"  # current is zero, prior is not
    UNKNOWN = "unknown"  # prior (or current) not given


@dataclass(frozen=True)
class Change:
    current: Decimal | None
    prior: Decimal | None
    #: the data values both figures were read from (:mod:`budgetdoc.provenance`), when known
    sources: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def trend(self) -> Trend:
        if self.current is None or self.prior is None:
            return Trend.UNKNOWN
        if self.current == self.prior:
            return Trend.FLAT
        if self.prior == ZERO:
            return Trend.NEW
        if self.current == ZERO:
            return Trend.DROPPED
        return Trend.INCREASE if self.current > self.prior else Trend.DECREASE

    @property
    def delta(self) -> Decimal | None:
        """Absolute difference (always ≥ 0); the trend says which way."""
        if self.trend is Trend.UNKNOWN:
            return None
        return abs(self.current - self.prior)  # type: ignore[operator]

    @property
    def rate(self) -> Decimal | None:
        """Growth rate in percent, unrounded and ≥ 0; None without a base."""
        if self.trend in (Trend.UNKNOWN, Trend.NEW):
            return None
        return ratio_percent(self.delta, self.prior)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Share:
    """Part ``index`` of ``parts``, whose sum is the whole.

    With a ``parent`` (a share of the same whole), the parts divide the
    parent's rounded share: the 款 of a 类 add up to the 类's share, and a 类
    with one 款 has the same share as it.
    """

    parts: tuple[Decimal, ...]
    index: int
    parent: "Share | None" = None

    def percent(self, places: int) -> Decimal | None:
        if self.parent is not None:
            whole = self.parent.percent(places)
            shares = None if whole is None else apportion(list(self.parts), whole, places)
        else:
            shares = apportion_percent(list(self.parts), places)
        return None if shares is None else shares[self.index]

    @staticmethod
    def within(parent: "Share", parts: list[Decimal]) -> list["Share"]:
        """Shares of ``parts`` that divide ``parent`` among them."""
        frozen = tuple(parts)
        return [Share(frozen, i, parent) for i in range(len(parts))]

    @staticmethod
    def group(parts: list[Decimal]) -> list["Share"]:
        frozen = tuple(parts)
        return [Share(frozen, i) for i in range(len(parts))]

    @staticmethod
    def of(part: Decimal, whole: Decimal) -> "Share":
        """``part`` of ``whole`` (``part`` ≤ ``whole``), as a two-way split."""
        return Share((part, whole - part), 0)


@dataclass(frozen=True)
class Line:
    """A named amount of the report with what the templates say about it."""

    name: str
    amount: Decimal
    share: Share | None = None
    change: Change | None = None           # against the previous year's budget
    change_actual: Change | None = None    # against the previous year's execution
    purpose: str | None = None
    reason: str | None = None
    code: str | None = None
    children: tuple["Line", ...] = ()
    level: int = 0                         # 功能分类: 1 类, 2 款, 3 项
    full_name: str = ""                    # the 科目名称 as written (``name`` is the running-text label)
    #: the data values (keys of :mod:`budgetdoc.provenance`) the amount was made of, and last year's
    #: figures it is compared with (budget, 执行数): what a template's money(), change() … were written from
    sources: frozenset[str] = field(default=frozenset(), compare=False)
    prior_sources: frozenset[str] = field(default=frozenset(), compare=False)
    actual_sources: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def paths(self) -> tuple[tuple["Line", ...], ...]:
        """Every lowest line under this one with the lines above it: ((类, 款, 项), …).

        A line without children is its own only path, so a template can list
        a 功能分类 at whatever depth the data gives.
        """
        if not self.children:
            return ((self,),)
        return tuple((self,) + path for child in self.children for path in child.paths)


# ------------------------------------------------------------------ ledgers

@dataclass(frozen=True)
class LedgerRow:
    """One row of a classified table: a code, its name and its amounts by column.

    ``values`` maps a column key (``total``, ``basic``, ``project``,
    ``operating_expense``, a 资金来源 such as ``general``, or ``personnel`` /
    ``public``) to its amount; ``None`` where the data does not say.
    """

    code: str
    name: str
    level: int
    values: Mapping[str, Decimal | None]
    children: tuple["LedgerRow", ...] = ()
    #: column key → the data values (:mod:`budgetdoc.provenance`) its amount was made of
    sources: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Ledger:
    """The rows of one classified table (类 with their 款 and 项) and its 合计."""

    rows: tuple[LedgerRow, ...]
    total: Mapping[str, Decimal | None]
    total_sources: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False)

    def walk(self) -> Iterator[LedgerRow]:
        """Every row, each 类 followed by its 款 and each 款 by its 项."""
        def down(rows: tuple[LedgerRow, ...]) -> Iterator[LedgerRow]:
            for row in rows:
                yield row
                yield from down(row.children)
        return down(self.rows)


#: The columns of a 功能分类 line's split (金额 = 基本 + 项目 + 经营); kept apart from the
#: 资金来源 keys (``operating`` there is 事业单位经营收入).
SPLIT_KEYS = ("basic", "project", "operating_expense")
_SPLIT_ATTRS = {"basic": "basic", "project": "project", "operating_expense": "operating"}


def _sum_or_none(values: Iterable[Decimal | None]) -> Decimal | None:
    """Exact sum; ``None`` as soon as one part is unknown."""
    out = ZERO
    for value in values:
        if value is None:
            return None
        out += value
    return out


def _function_rows(items: tuple[FunctionItem, ...], level: int = 1) -> dict[str, "_Acc"]:
    out: dict[str, _Acc] = {}
    for item in items:
        _need(item.code, item.amount, what="功能分类 编码 / 金额")
        split = {key: (_v(getattr(item, _SPLIT_ATTRS[key])) or ZERO) if item.split else None for key in SPLIT_KEYS}
        sources = {"total": set(keys_of(item.amount)),
                   **{key: set(keys_of(getattr(item, _SPLIT_ATTRS[key]))) for key in SPLIT_KEYS}}
        out[item.code] = _Acc(item.code, item.name or "", level, {"total": item.amount.value, **split},
                              _function_rows(item.children, level + 1), sources)
    return out


@dataclass
class _Acc:
    """A ledger row being merged from several trees."""

    code: str
    name: str
    level: int
    values: dict[str, Decimal | None]
    children: dict[str, "_Acc"]
    sources: dict[str, set[str]] = field(default_factory=dict)

    def add(self, other: "_Acc") -> None:
        for key in set(self.values) | set(other.values):
            a, b = self.values.get(key, ZERO), other.values.get(key, ZERO)
            self.values[key] = None if a is None or b is None else a + b
        for key, keys in other.sources.items():
            self.sources.setdefault(key, set()).update(keys)
        for code, child in other.children.items():
            if code in self.children:
                self.children[code].add(child)
            else:
                self.children[code] = child

    def freeze(self) -> LedgerRow:
        return LedgerRow(self.code, self.name, self.level, dict(self.values),
                         tuple(self.children[c].freeze() for c in sorted(self.children)),
                         {key: frozenset(keys) for key, keys in self.sources.items()})


def _merge(trees: list[tuple[str, tuple[FunctionItem, ...]]], by_source: bool) -> tuple[LedgerRow, ...]:
    """The trees' lines added up by code, in code order; ``by_source`` adds a column per tree."""
    merged: dict[str, _Acc] = {}
    for attr, items in trees:
        rows = _function_rows(items)
        if by_source:
            _tag(rows.values(), attr, [a for a, _ in trees])
        for code, acc in rows.items():
            if code in merged:
                merged[code].add(acc)
            else:
                merged[code] = acc
    return tuple(merged[c].freeze() for c in sorted(merged))


def _tag(rows: Iterable[_Acc], attr: str, all_attrs: list[str]) -> None:
    """Give each row a column per source: its own amount under ``attr``, 0 under the others."""
    for row in rows:
        row.values.update({a: ZERO for a in all_attrs})
        row.values[attr] = row.values["total"]
        row.sources[attr] = set(row.sources.get("total", ()))
        _tag(row.children.values(), attr, all_attrs)


def _ledger(rows: tuple[LedgerRow, ...], keys: tuple[str, ...], fallback: Mapping[str, Decimal | None],
            fallback_sources: Mapping[str, frozenset[str]] | None = None) -> Ledger:
    """A ledger whose 合计 is the sum of its 类 rows; a column a row leaves unknown takes ``fallback``."""
    totals: dict[str, Decimal | None] = {}
    sources: dict[str, frozenset[str]] = {}
    for key in keys:
        summed = _sum_or_none(row.values.get(key) for row in rows)
        totals[key] = summed if summed is not None else fallback.get(key)
        sources[key] = union(row.sources.get(key, frozenset()) for row in rows) if summed is not None \
            else (fallback_sources or {}).get(key, frozenset())
    return Ledger(rows, totals, sources)


@dataclass(frozen=True)
class FunctionLedgers:
    """The 功能分类 tables' rows.

    * ``department`` — every source: 合计, 基本/项目/经营, and a column per
      资金来源 (部门收入总表, 部门支出总表, 部门收支总表);
    * ``general`` — 一般公共预算 with its 上年结转 (一般公共预算支出表);
    * ``fund`` — 政府性基金 (政府性基金预算支出表);
    * ``appropriation`` — the 类 of the 财政拨款, by fund (财政拨款收支总表).
    """

    department: Ledger
    general: Ledger
    fund: Ledger
    appropriation: Ledger
    sources: tuple[str, ...]            # the 资金来源 (attr) that have a tree


def function_ledgers(b: YearBudget) -> FunctionLedgers:
    fn, exp = b.functions, b.expenditure
    _need(fn, exp, exp and exp.basic, exp and exp.project, exp and exp.total, what="functions / expenditure")
    trees = [(attr, items) for attr, _, items in fn.trees()]
    spending = {"total": exp.total.value, "basic": _v(exp.basic.total), "project": _v(exp.project.total),
                "operating_expense": _v(exp.operating)}
    spent_from = {"total": keys_of(exp.total), "basic": keys_of(exp.basic.total),
                  "project": keys_of(exp.project.total), "operating_expense": keys_of(exp.operating)}

    def split_fallback(subset: list[tuple[str, tuple[FunctionItem, ...]]]) -> dict[str, Decimal | None]:
        """Where lines are not split: the department's own split, if this subset is all of its spending."""
        covered = total(i.amount.value for _, items in subset for i in items if i.amount)
        return spending if covered == exp.total.value else {}

    department_rows = _merge(trees, by_source=True)
    sources = tuple(attr for attr, _ in trees)
    department = _ledger(department_rows, ("total",) + SPLIT_KEYS + sources, spending, spent_from)
    general_trees = [(a, i) for a, i in trees if a in ("general", "carryover")]
    general = _ledger(_merge(general_trees, False), ("total",) + SPLIT_KEYS, split_fallback(general_trees), spent_from)
    fund_trees = [(a, i) for a, i in trees if a == "fund"]
    fund = _ledger(_merge(fund_trees, False), ("total",) + SPLIT_KEYS, split_fallback(fund_trees), spent_from)
    # 财政拨款 by fund, 类 only: 上年结转 counts with 一般公共预算 (as in the 一般公共预算支出表).
    appropriation_trees = [(a, i) for a, i in trees if a in ("general", "carryover", "fund", "state_capital")]
    classes = _merge(appropriation_trees, by_source=True)
    fund_columns = {"general": ("general", "carryover"), "fund": ("fund",), "state_capital": ("state_capital",)}
    rows = tuple(LedgerRow(r.code, r.name, 1, {"total": r.values["total"],
                                               **{col: total(r.values.get(a) or ZERO for a in parts)
                                                  for col, parts in fund_columns.items()}},
                           sources={"total": r.sources.get("total", frozenset()),
                                    **{col: union(r.sources.get(a, frozenset()) for a in parts)
                                       for col, parts in fund_columns.items()}})
                 for r in classes)
    appropriation = _ledger(rows, ("total",) + tuple(fund_columns), {})
    return FunctionLedgers(department, general, fund, appropriation, sources)


def economic_ledger(b: YearBudget, general: Ledger) -> Ledger:
    """一般公共预算基本支出 by 经济分类 (类, 款): 合计, 人员经费, 公用经费.

    Without a breakdown the 合计 row still stands: 人员经费 and 公用经费 are
    the department's own when all its 基本支出 is 一般公共预算.
    """
    basic = b.expenditure.basic if b.expenditure else None
    _need(basic, what="基本支出")

    def row(item: EconomicItem, level: int) -> LedgerRow:
        personnel, public = _v(item.personnel) or ZERO, _v(item.public) or ZERO
        return LedgerRow(item.code or "", item.name or "", level,
                         {"total": personnel + public, "personnel": personnel, "public": public},
                         tuple(row(child, level + 1) for child in item.children),
                         {"total": keys_of(item.personnel, item.public), "personnel": keys_of(item.personnel),
                          "public": keys_of(item.public)})

    rows = tuple(row(item, 1) for item in basic.economic or ())
    if rows:
        return _ledger(rows, ("total", "personnel", "public"), {})
    fallback: dict[str, Decimal | None] = {"total": general.total.get("basic")}
    came = {"total": general.total_sources.get("basic", frozenset())}
    if fallback["total"] is not None and fallback["total"] == _v(basic.total):
        fallback |= {"personnel": _v(basic.personnel), "public": _v(basic.public)}
        came |= {"personnel": keys_of(basic.personnel), "public": keys_of(basic.public)}
    return Ledger((), {"total": fallback["total"], "personnel": fallback.get("personnel"),
                       "public": fallback.get("public")}, came)


class IncompleteData(RuntimeError):
    """compute was handed data the checks refuse: a bug in budgetdoc, never the clerk's mistake.

    (A real exception, not ``assert``: ``python -O`` would drop an assert.)
    """


def _need(*values: object, what: str) -> None:
    """Every value is present, as the checks guarantee for the reported year; else IncompleteData."""
    if any(value is None for value in values):
        raise IncompleteData(f"compute: {what} is missing (the checks should have refused this data)")


def _v(a: Amount | None) -> Decimal | None:
    return None if a is None else a.value


# ----------------------------------------------------------------- sections

@dataclass(frozen=True)
class DepartmentFacts:
    name: str
    short_name: str
    name_parts: tuple[str, ...]                     # where a long title may break inside the name
    overview: str
    duties: tuple[str, ...]
    composition: str | None
    units: tuple[tuple[str, str], ...]              # (name, kind)
    unit_count: int
    units_by_kind: tuple[tuple[str, int], ...]      # (kind, count) in order of first appearance
    admin_posts: int
    admin_actual: int
    public_posts: int
    public_actual: int
    contact_person: str
    contact_phone: str


@dataclass(frozen=True)
class IncomeFacts:
    total: Line                   # 收入合计 (收入总计 of the 收支总表)
    sources: tuple[Line, ...]     # 收入来源 in report order
    reserve: Line | None          # 用事业基金弥补收支差额: funds the gap, listed apart
    reason: str | None
    current: Decimal = ZERO       # 本年收入合计: the sources other than 上年结转 and 用事业基金
    by_source: Mapping[str, Decimal] = field(default_factory=dict)   # attr → amount (absent: 0)
    by_source_keys: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False)   # … its sources


@dataclass(frozen=True)
class ExpenditureFacts:
    total: Line
    basic: Line
    personnel: Line                   # of 基本支出
    public: Line
    project: Line
    operating: Line
    projects: tuple[Line, ...]
    reason: str | None
    carry_forward: Decimal = ZERO     # 结转下年
    grand_total: Decimal = ZERO       # 支出总计 = 支出合计 + 结转下年
    carry_forward_sources: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class AppropriationFacts:
    """财政拨款收支: 一般公共预算 + 政府性基金 (+ 国有资本经营) + 上年结转 (each a share of the total)."""

    total: Line
    general: Line
    fund: Line
    carryover: Line
    state_capital: Line
    current: Decimal = ZERO           # 本年收入: the appropriations of this year
    spending: Decimal = ZERO          # 本年支出: Σ the 财政拨款 功能分类
    carry_forward: Decimal = ZERO     # 结转下年
    grand_total: Decimal = ZERO       # 支出总计
    # By fund (general / fund / state_capital): 结转下年 counts with 一般公共预算, as 上年结转 does.
    carry_forward_by_fund: Mapping[str, Decimal] = field(default_factory=dict)
    grand_by_fund: Mapping[str, Decimal | None] = field(default_factory=dict)


@dataclass(frozen=True)
class FunctionFacts:
    general: tuple[Line, ...]
    fund: Line                      # the 政府性基金 total, compared with last year
    fund_items: tuple[Line, ...]
    ledgers: FunctionLedgers | None = None
    detailed: bool = False          # some 类 is given with its 款 (and 项): name every line by its path


@dataclass(frozen=True)
class ThreePublicFacts:
    total: Line
    abroad: Line
    reception: Line
    vehicles: Line
    purchase: Line
    operation: Line


@dataclass(frozen=True)
class OperatingCostFacts:
    total: Line
    items: tuple[Line, ...]
    includes_projects: bool
    project_total: Decimal
    projects: tuple[Line, ...]


@dataclass(frozen=True)
class ProcurementFacts:
    total: Line
    goods: Line                       # 货物, 工程, 服务: shares of the total
    works: Line
    services: Line
    sme: Line | None                  # 授予中小企业: a share of the total


@dataclass(frozen=True)
class AssetFacts:
    as_of: str
    vehicles: int
    vehicle_kinds: tuple[tuple[str, int], ...]   # non-zero kinds only
    large_equipment: int


@dataclass(frozen=True)
class ProjectTarget:
    """A project as the 项目支出绩效目标表 shows it; targets only when they are published."""

    name: str
    amount: Decimal
    appropriation: Decimal | None
    published: bool
    goal: str | None
    indicators: tuple[tuple[str, str, str, str], ...]     # (一级, 二级, 三级, 指标值)
    amount_sources: frozenset[str] = field(default=frozenset(), compare=False)
    appropriation_sources: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class PerformanceFacts:
    projects: int
    filled: int
    published: int
    published_share: Share | None           # of the number of projects
    published_amount: Decimal
    amount_share: Share | None              # of 项目支出
    targets: tuple[ProjectTarget, ...] = ()
    targets_total: Decimal = ZERO           # Σ amount = 项目支出
    targets_appropriation: Decimal | None = None   # Σ 财政拨款, when every project gives it


@dataclass(frozen=True)
class Figures:
    year: int
    prior_year: int
    department: DepartmentFacts
    income: IncomeFacts
    expenditure: ExpenditureFacts
    appropriation: AppropriationFacts
    functions: FunctionFacts
    three_public: ThreePublicFacts
    operating_costs: OperatingCostFacts
    procurement: ProcurementFacts
    assets: AssetFacts
    performance: PerformanceFacts
    glossary: tuple[tuple[str, str], ...]
    economic: Ledger | None = None          # 一般公共预算基本支出 by 经济分类 (the table)
    economic_lines: tuple[Line, ...] = ()   # … the same as lines for the templates: changes and shares
    unit: DataUnit = field(default_factory=DataUnit)    # the unit every amount here is in


def _last(prior: YearBudget | None, *path: str) -> Decimal | None:
    """Last year's amount at ``path`` (None when last year does not give it)."""
    value = dig(prior, *path) if prior is not None else None
    return value.value if isinstance(value, Amount) else None


def _last_keys(prior: YearBudget | None, *path: str) -> frozenset[str]:
    """The key of last year's value at ``path`` (none when last year does not give it)."""
    return keys_of(dig(prior, *path)) if prior is not None else frozenset()


Named = tuple[str, Decimal, "Decimal | None", frozenset[str], frozenset[str]]


def _lines(named: list[Named]) -> tuple[Line, ...]:
    """(name, amount, last year's, its sources, last year's sources) as lines that share one whole
    and compare with last year."""
    shares = Share.group([amount for _, amount, _, _, _ in named])
    return tuple(Line(name, amount, share=share, change=Change(amount, last), sources=this, prior_sources=before)
                 for (name, amount, last, this, before), share in zip(named, shares))


def _change(key: str, this: Amount, prior: YearBudget | None) -> Change:
    """``this`` against last year's value of the comparison ``key`` (unknown when last year lacks it)."""
    return Change(this.value, BY_KEY[key].last_year(prior))


def _compared(key: str, this: Amount, prior: YearBudget | None) -> dict[str, frozenset[str]]:
    """The sources of ``this`` compared by ``key`` (this year's value, last year's), as Line arguments."""
    return {"sources": keys_of(this), "prior_sources": BY_KEY[key].last_sources(prior)}


def _functions(items: tuple[FunctionItem, ...], before: tuple[FunctionItem, ...] | None,
               level: int = 1) -> tuple[Line, ...]:
    """One level of the 功能分类, compared by code with the same level last year.

    ``before`` is last year's items at this level, or None when last year
    gives no breakdown at this level (then nothing is compared).  A code last
    year had and this year dropped is kept as a zero line, so the report says
    it was not budgeted again.
    """
    old_by_code = {i.code: i for i in before} if before is not None else None
    lines = []
    for item in items:
        _need(item.amount, item.code, what="功能分类 编码 / 金额")
        old_children: tuple[FunctionItem, ...] | None = None
        prior_keys: frozenset[str] = frozenset()
        if old_by_code is None:
            prior_amount = None
        elif item.code in old_by_code:
            old = old_by_code[item.code]
            prior_amount = old.amount.value if old.amount is not None else None
            prior_keys = keys_of(old.amount)
            old_children = old.children or None
        else:
            prior_amount = ZERO
            old_children = ()
        lines.append(Line(item.label, item.amount.value, change=Change(item.amount.value, prior_amount),
                          purpose=item.purpose, code=item.code,
                          children=_functions(item.children, old_children, level + 1),
                          level=level, full_name=item.name or "",
                          sources=keys_of(item.amount), prior_sources=prior_keys))
    current = {i.code for i in items}
    for old in before or ():
        if old.code not in current and old.amount is not None and old.amount.value != ZERO:
            dropped = Line(old.label, ZERO, change=Change(ZERO, old.amount.value), code=old.code,
                           level=level, full_name=old.name or "", prior_sources=keys_of(old.amount))
            # in code order among this year's lines (which keep the order of the data)
            at = next((i for i, line in enumerate(lines) if (line.code or "") > (old.code or "")), len(lines))
            lines.insert(at, dropped)
    return tuple(lines)


def _merge_items(*trees: tuple[FunctionItem, ...] | None) -> tuple[FunctionItem, ...] | None:
    """Several trees of one level added up by code (一般公共预算 with the 上年结转 it also spends).

    One tree is returned as it is; several are merged in code order, each
    line's amount the sum of the trees' (its place and words those of the
    first tree that has it).  None when no tree is given.
    """
    given = [tree for tree in trees if tree is not None]
    if not given:
        return None
    if len([tree for tree in given if tree]) <= 1:
        return next((tree for tree in given if tree), given[0])
    merged: dict[str, FunctionItem] = {}
    children: dict[str, list[tuple[FunctionItem, ...]]] = {}
    for tree in given:
        for item in tree:
            code = item.code or ""
            if code not in merged:
                merged[code] = item
                children[code] = []
            else:
                first = merged[code]
                _need(first.amount, item.amount, what=f"功能分类 {code} 金额")
                merged[code] = replace(first, amount=SummedAmount(first.amount.value + item.amount.value,
                                                                  first.amount.source,
                                                                  keys_of(first.amount, item.amount)),
                                       purpose=first.purpose or item.purpose)
            children[code].append(item.children)
    return tuple(replace(merged[code], children=_merge_items(*children[code]) or ()) for code in sorted(merged))


def compute(current: YearBudget, prior_budget: YearBudget | None) -> Figures:
    """Derive every figure of the report.  ``current`` must have passed the checks."""
    b = current
    prior = prior_budget
    dept, inc, exp, fn = b.department, b.income, b.expenditure, b.functions
    tp, oc, pr, assets = b.three_public, b.operating_costs, b.procurement, b.assets
    _need(dept, inc, exp, fn, tp, oc, pr, assets, b.glossary, what="a data file")
    _need(dept.duties, dept.organization, dept.staff, dept.contact, exp.basic, exp.project, tp.vehicles,
          inc.total, inc.fund, exp.total, exp.operating, oc.total, pr.total, what="a required field")
    _need(exp.basic.total, exp.project.total, what="基本支出 / 项目支出 合计")

    # 部门概况
    kinds: dict[str, int] = {}
    for unit in dept.organization.units:
        kinds[unit.kind or ""] = kinds.get(unit.kind or "", 0) + 1
    department = DepartmentFacts(
        name=dept.name or "", short_name=dept.short_name or dept.name or "",
        name_parts=tuple(part for part in (dept.name_breaks or dept.name or "").replace("｜", "|").split("|") if part),
        overview=dept.duties.overview or "", duties=dept.duties.duties,
        composition=dept.organization.composition,
        units=tuple((u.name or "", u.kind or "") for u in dept.organization.units),
        unit_count=len(dept.organization.units),
        units_by_kind=tuple(kinds.items()),
        admin_posts=counted(dept.staff, "admin_posts"), admin_actual=counted(dept.staff, "admin_actual"),
        public_posts=counted(dept.staff, "public_posts"), public_actual=counted(dept.staff, "public_actual"),
        contact_person=dept.contact.person or "", contact_phone=dept.contact.phone or "")

    # 收入: shares of 收入合计
    present = [(attr, key, getattr(inc, attr)) for attr, key in INCOME_SOURCES if getattr(inc, attr) is not None]
    shares = Share.group([a.value for _, _, a in present])
    lines = {attr: Line(key, a.value, share=s, change=Change(a.value, _last(prior, "income", attr)),
                        sources=keys_of(a), prior_sources=_last_keys(prior, "income", attr))
             for (attr, key, a), s in zip(present, shares)}
    by_source = {attr: _v(getattr(inc, attr)) or ZERO for attr, _ in INCOME_SOURCES}
    income = IncomeFacts(
        total=Line("收入合计", inc.total.value,
                   change=_change("income", inc.total, prior), **_compared("income", inc.total, prior)),
        sources=tuple(line for attr, line in lines.items() if attr != "reserve"),
        reserve=lines.get("reserve"), reason=inc.reason,
        current=total(v for attr, v in by_source.items() if attr not in ("carryover", "reserve")),
        by_source=by_source, by_source_keys={attr: keys_of(getattr(inc, attr)) for attr, _ in INCOME_SOURCES})

    # 支出: shares of 支出合计
    basic_s, project_s, operating_s = Share.group([exp.basic.total.value, exp.project.total.value,
                                                   exp.operating.value])
    projects = tuple(Line(p.name or "", p.amount.value, sources=keys_of(p.amount))
                     for p in exp.project.projects or () if p.amount)
    personnel, public = _lines([
        ("人员经费", _v(exp.basic.personnel) or ZERO, _last(prior, "expenditure", "basic", "personnel"),
         keys_of(exp.basic.personnel), _last_keys(prior, "expenditure", "basic", "personnel")),
        ("公用经费", _v(exp.basic.public) or ZERO, _last(prior, "expenditure", "basic", "public"),
         keys_of(exp.basic.public), _last_keys(prior, "expenditure", "basic", "public"))])
    expenditure = ExpenditureFacts(
        total=Line("支出合计", exp.total.value,
                   change=_change("expenditure", exp.total, prior), **_compared("expenditure", exp.total, prior)),
        basic=Line("基本支出", exp.basic.total.value, share=basic_s, purpose=exp.basic.purpose,
                   change=Change(exp.basic.total.value, _last(prior, "expenditure", "basic", "total")),
                   sources=keys_of(exp.basic.total), prior_sources=_last_keys(prior, "expenditure", "basic", "total")),
        personnel=personnel, public=public,
        project=Line("项目支出", exp.project.total.value, share=project_s, purpose=exp.project.purpose,
                     change=Change(exp.project.total.value, _last(prior, "expenditure", "project", "total")),
                     sources=keys_of(exp.project.total),
                     prior_sources=_last_keys(prior, "expenditure", "project", "total")),
        operating=Line("事业单位经营支出", exp.operating.value, share=operating_s,
                       change=Change(exp.operating.value, _last(prior, "expenditure", "operating")),
                       sources=keys_of(exp.operating), prior_sources=_last_keys(prior, "expenditure", "operating")),
        projects=projects, reason=exp.reason,
        carry_forward=_v(exp.carry_forward) or ZERO, carry_forward_sources=keys_of(exp.carry_forward),
        grand_total=exp.total.value + (_v(exp.carry_forward) or ZERO))

    # 功能分类: the tables' ledgers, and the lines compared by code with last year
    ledgers = function_ledgers(b)
    general = by_source["general"]
    fund = by_source["fund"]
    carryover = by_source["carryover"]
    state_capital = by_source["state_capital"]
    spending = ledgers.appropriation.total["total"] or ZERO
    kept = {"general": expenditure.carry_forward, "fund": ZERO, "state_capital": ZERO}
    last = {attr: _last(prior, "income", attr) for attr in ("general", "fund", "state_capital", "carryover")}
    if last["state_capital"] is None and last["general"] is not None:
        last["state_capital"] = ZERO              # an optional source: absent is none
    came = {attr: keys_of(getattr(inc, attr)) for attr in last}
    went = {attr: _last_keys(prior, "income", attr) for attr in last}
    general_l, fund_l, capital_l, carryover_l = _lines([
        ("一般公共预算财政拨款", general, last["general"], came["general"], went["general"]),
        ("政府性基金预算财政拨款", fund, last["fund"], came["fund"], went["fund"]),
        ("国有资本经营预算财政拨款", state_capital, last["state_capital"], came["state_capital"], went["state_capital"]),
        ("上年结转", carryover, last["carryover"], came["carryover"], went["carryover"])])
    appropriation = AppropriationFacts(
        total=Line("财政拨款收支预算", general + fund + state_capital + carryover,
                   change=Change(general + fund + state_capital + carryover,
                                 None if None in last.values() else total(last.values())),  # type: ignore[arg-type]
                   sources=union(came.values()), prior_sources=union(went.values())),
        general=general_l, fund=fund_l, carryover=carryover_l, state_capital=capital_l,
        current=general + fund + state_capital, spending=spending,
        carry_forward=expenditure.carry_forward, grand_total=spending + expenditure.carry_forward,
        carry_forward_by_fund=kept,
        grand_by_fund={key: (ledgers.appropriation.total.get(key) or ZERO) + kept[key] for key in kept})

    # 一般公共预算 with the 上年结转 it spends, as the 一般公共预算支出表 shows it
    prior_fn = prior_budget.functions if prior_budget else None
    general_lines = _with_shares(_functions(_merge_items(fn.general, fn.carryover) or (),
                                            _merge_items(prior_fn.general, prior_fn.carryover) if prior_fn else None))
    fund_lines = _with_shares(_functions(fn.fund or (), prior_fn.fund if prior_fn else None))
    fund_total = Line("政府性基金预算财政拨款", fund,
                      change=_change("fund", inc.fund, prior), **_compared("fund", inc.fund, prior))
    functions = FunctionFacts(general=general_lines, fund=fund_total, fund_items=fund_lines, ledgers=ledgers,
                              detailed=any(line.children for line in general_lines + fund_lines))

    # “三公”经费: against last year's budget and last year's execution
    def three(key: str) -> Line:
        _, name, path = next(item for item in THREE_PUBLIC_ITEMS if item[0] == key)
        fig = dig(tp, *path)
        if fig is None or fig.budget is None:   # the checks require every 预算数
            raise ValueError(f"compute: three_public {'.'.join(path)} has no 预算数")
        return Line(name, fig.budget.value, change=_change(f"three_public.{key}", fig.budget, prior),
                    change_actual=_change(f"three_public.{key}.actual", fig.budget, prior), reason=fig.reason,
                    actual_sources=BY_KEY[f"three_public.{key}.actual"].last_sources(prior),
                    **_compared(f"three_public.{key}", fig.budget, prior))

    abroad, reception, vehicles = _shared(three("abroad"), three("reception"),
                                          _with_reason(three("vehicles"), tp.vehicles.reason))
    purchase, operation = _shared(three("purchase"), three("operation"))
    three_public = ThreePublicFacts(
        total=three("total"), abroad=abroad, reception=reception, vehicles=vehicles,
        purchase=purchase, operation=operation)

    # 机关运行经费
    operating_costs = OperatingCostFacts(
        total=Line("机关运行经费", oc.total.value,
                   change=_change("operating_costs", oc.total, prior),
                   reason=oc.reason, **_compared("operating_costs", oc.total, prior)),
        items=_lines([(i.name or "", i.amount.value, _last_item(prior, i.name),
                       keys_of(i.amount), keys_of(_last_item_amount(prior, i.name)))
                      for i in oc.items or () if i.amount]),
        includes_projects=bool(oc.includes_projects), project_total=exp.project.total.value,
        projects=projects)

    # 政府采购
    goods, works, services = _lines([(name, _v(getattr(pr, attr)) or ZERO, _last(prior, "procurement", attr),
                                      keys_of(getattr(pr, attr)), _last_keys(prior, "procurement", attr))
                                     for attr, name in (("goods", "货物"), ("works", "工程"), ("services", "服务"))])
    procurement = ProcurementFacts(
        total=Line("政府采购预算", pr.total.value, change=Change(pr.total.value, _last(prior, "procurement", "total")),
                   sources=keys_of(pr.total), prior_sources=_last_keys(prior, "procurement", "total")),
        goods=goods, works=works, services=services,
        sme=Line("授予中小企业", pr.sme.value, share=Share.of(pr.sme.value, pr.total.value),
                 change=Change(pr.sme.value, _last(prior, "procurement", "sme")),
                 sources=keys_of(pr.sme), prior_sources=_last_keys(prior, "procurement", "sme"))
        if pr.sme is not None else None)

    # 国有资产
    vehicle_kinds = tuple((key, counted(assets, attr)) for attr, key in VEHICLE_KINDS
                          if getattr(assets, attr))
    asset_facts = AssetFacts(as_of=assets.as_of or "", vehicles=counted(assets, "vehicles"),
                             vehicle_kinds=vehicle_kinds, large_equipment=counted(assets, "large_equipment"))

    # 绩效目标
    all_projects = [p for p in exp.project.projects or () if p.amount is not None]
    published = [p for p in all_projects if p.performance == "已公开"]
    filled = [p for p in all_projects if p.performance in ("已公开", "已填报未公开")]
    published_amount = total(p.amount.value for p in published)  # type: ignore[union-attr]
    # A department funded only by 财政拨款 spends 财政拨款 on every project.
    appropriated = all(by_source[attr] == ZERO for attr in ("business", "operating", "other", "reserve"))
    targets = tuple(_target(p, appropriated) for p in all_projects)
    appropriations = [t.appropriation for t in targets]
    performance = PerformanceFacts(
        projects=len(all_projects), filled=len(filled), published=len(published),
        published_share=Share.of(Decimal(len(published)), Decimal(len(all_projects))) if all_projects else None,
        published_amount=published_amount,
        amount_share=Share.of(published_amount, exp.project.total.value) if exp.project.total.value else None,
        targets=targets, targets_total=total(t.amount for t in targets),
        targets_appropriation=_sum_or_none(appropriations) if targets else None)

    return Figures(
        year=b.year, prior_year=b.year - 1, department=department, income=income, expenditure=expenditure,
        appropriation=appropriation, functions=functions, three_public=three_public,
        operating_costs=operating_costs, procurement=procurement, assets=asset_facts,
        performance=performance,
        glossary=tuple((t.term or "", t.definition or "") for t in b.glossary.terms),
        economic=economic_ledger(b, ledgers.general), unit=b.unit,
        economic_lines=_economic_lines(b, prior_budget))


def _with_shares(lines: tuple[Line, ...], parent: Share | None = None) -> tuple[Line, ...]:
    """Classified lines with their share of the whole (Σ 类): the 类 divide 100%, each 类's 款 its share, and so on."""
    amounts = [line.amount for line in lines]
    shares = Share.group(amounts) if parent is None else Share.within(parent, amounts)
    return tuple(replace(line, share=share, children=_with_shares(line.children, share))
                 for line, share in zip(lines, shares))


def _shared(*lines: Line) -> tuple[Line, ...]:
    """Lines that share one whole (their sum), keeping everything else they say."""
    shares = Share.group([line.amount for line in lines])
    return tuple(replace(line, share=share) for line, share in zip(lines, shares))


def _last_item(prior: YearBudget | None, name: str | None) -> Decimal | None:
    """Last year's 机关运行经费 item of the same name (0 when last year listed items but not this one)."""
    items = dig(prior, "operating_costs", "items") if prior is not None else None
    if not items:
        return None
    found = next((i.amount for i in items if i.name == name and i.amount is not None), None)
    return found.value if found is not None else ZERO


def _last_item_amount(prior: YearBudget | None, name: str | None) -> Amount | None:
    items = dig(prior, "operating_costs", "items") if prior is not None else None
    return next((i.amount for i in items or () if i.name == name and i.amount is not None), None)


def _economic_lines(b: YearBudget, prior: YearBudget | None) -> tuple[Line, ...]:
    """基本支出 by 经济分类 as lines: 类 and 款, each a share of the whole and compared by code with last year.

    As for the 功能分类, a 类 or 款 last year had and this year dropped is kept as a zero line.
    """
    items = dig(b, "expenditure", "basic", "economic") or ()
    before = dig(prior, "expenditure", "basic", "economic") if prior is not None else None

    def amount(item: EconomicItem) -> Decimal:
        return (_v(item.personnel) or ZERO) + (_v(item.public) or ZERO)

    def lines(level_items, level_before, level: int) -> tuple[Line, ...]:
        old = {i.code: i for i in level_before} if level_before is not None else None
        out = []
        for item in level_items:
            last = None if old is None else (amount(old[item.code]) if item.code in old else ZERO)
            children_before = old[item.code].children if old is not None and item.code in old else \
                (() if old is not None else None)
            out.append(Line(item.name or "", amount(item), change=Change(amount(item), last), code=item.code,
                            level=level, full_name=item.name or "",
                            children=lines(item.children, children_before, level + 1),
                            sources=keys_of(item.personnel, item.public),
                            prior_sources=keys_of(*((old[item.code].personnel, old[item.code].public)
                                                    if old is not None and item.code in old else ()))))
        codes = {i.code for i in level_items}
        for gone in level_before or ():
            if gone.code not in codes and amount(gone):
                at = next((i for i, line in enumerate(out) if (line.code or "") > (gone.code or "")), len(out))
                out.insert(at, Line(gone.name or "", ZERO, change=Change(ZERO, amount(gone)), code=gone.code,
                                    level=level, full_name=gone.name or "",
                                    prior_sources=keys_of(gone.personnel, gone.public)))
        return tuple(out)

    return _with_shares(lines(items, before, 1))


def _target(project: Project, appropriated: bool) -> ProjectTarget:
    """A project for the 绩效目标表: its targets are shown only when they are published (已公开).

    ``appropriated``: the department has no income but 财政拨款, so a project
    that does not state its 财政拨款 is wholly 财政拨款.
    """
    _need(project.amount, what=f"项目 {project.name} 金额")
    published = project.performance == "已公开"
    appropriation = _v(project.appropriation)
    if appropriation is None and appropriated:
        appropriation = project.amount.value
    return ProjectTarget(
        name=project.name or "", amount=project.amount.value, appropriation=appropriation,
        published=published, goal=project.goal if published else None,
        indicators=tuple((i.first or "", i.second or "", i.third or "", i.value or "")
                         for i in project.indicators) if published else (),
        amount_sources=keys_of(project.amount),
        appropriation_sources=keys_of(project.appropriation if project.appropriation is not None else project.amount))


def _with_reason(line: Line, reason: str | None) -> Line:
    if reason is None or line.reason:
        return line
    return replace(line, reason=reason)
