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

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from .model import DATA_FILES, INCOME_SOURCES, VEHICLE_KINDS, FunctionItem, YearBudget
from .number import ZERO, apportion_percent, ratio_percent, total
from .problems import Problem, Source, warning
from .schema import Amount


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
    """Part ``index`` of ``parts``, whose sum is the whole."""

    parts: tuple[Decimal, ...]
    index: int

    def percent(self, places: int) -> Decimal | None:
        shares = apportion_percent(list(self.parts), places)
        return None if shares is None else shares[self.index]

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


def _v(a: Amount | None) -> Decimal | None:
    return None if a is None else a.value


# ----------------------------------------------------------------- sections

@dataclass(frozen=True)
class DepartmentFacts:
    name: str
    short_name: str
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
    total: Line
    sources: tuple[Line, ...]     # 收入来源 in report order
    reserve: Line | None          # 用事业基金弥补收支差额: funds the gap, listed apart
    reason: str | None


@dataclass(frozen=True)
class ExpenditureFacts:
    total: Line
    basic: Line
    personnel: Decimal
    public: Decimal
    project: Line
    operating: Line
    projects: tuple[Line, ...]
    reason: str | None


@dataclass(frozen=True)
class AppropriationFacts:
    """财政拨款收支: 一般公共预算 + 政府性基金 + 上年结转."""

    total: Decimal
    general: Decimal
    fund: Decimal
    carryover: Decimal


@dataclass(frozen=True)
class FunctionFacts:
    general: tuple[Line, ...]
    fund: Line                      # the 政府性基金 total, compared with last year
    fund_items: tuple[Line, ...]


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
    total: Decimal
    goods: Decimal
    works: Decimal
    services: Decimal
    sme: Line | None


@dataclass(frozen=True)
class AssetFacts:
    as_of: str
    vehicles: int
    vehicle_kinds: tuple[tuple[str, int], ...]   # non-zero kinds only
    large_equipment: int


@dataclass(frozen=True)
class PerformanceFacts:
    projects: int
    filled: int
    published: int
    published_share: Share | None           # of the number of projects
    published_amount: Decimal
    amount_share: Share | None              # of 项目支出


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
    notes: tuple[Problem, ...] = field(default=())


class _Prior:
    """Reads previous-year values and remembers which comparisons it could not make."""

    def __init__(self, prior: YearBudget | None, year: int):
        self.budget = prior
        self.year = year
        self.missing: list[tuple[str, Source | None]] = []
        self.missing_files: dict[str, Source | None] = {}

    def get(self, what: str, source: Source | None, section: str, path) -> Decimal | None:
        """Last year's value of ``path(budget)``, from data file ``section``; None if not given."""
        if self.budget is None:  # no previous year at all: one warning, given by the pipeline
            return None
        if getattr(self.budget, section) is None:
            self.missing_files.setdefault(section, source)
            return None
        try:
            value = path(self.budget)
        except AttributeError:  # a part of that file is absent
            value = None
        if isinstance(value, Amount):
            value = value.value
        if value is None:
            self.missing.append((what, source))
        return value

    def notes(self) -> list[Problem]:
        files = {f.attr: f for f in DATA_FILES}
        out = [warning("上年数据", f"{self.year}年没有 {files[attr].name}（{files[attr].topic}），"
                                  "报告中省略这部分与上年的比较。", src,
                       f"如有{self.year}年的数字，请在 data/{self.year}/ 中建立 {files[attr].name}。")
               for attr, src in self.missing_files.items()]
        out += [warning("上年数据", f"{self.year}年数据中没有{_quoted(what)}，报告中省略该项与上年的比较。", src,
                        f"如有{self.year}年的数字，请补充到 data/{self.year}/ 对应文件中。")
                for what, src in self.missing]
        return out


def _quoted(name: str) -> str:
    return name if "“" in name else f"“{name}”"


def _change(current: Amount, prior: _Prior, what: str, section: str, path) -> Change:
    return Change(current.value, prior.get(what, current.source, section, path))


def _functions(items: tuple[FunctionItem, ...], before: tuple[FunctionItem, ...] | None,
               prior: _Prior) -> tuple[Line, ...]:
    """One level of the 功能分类, compared by code with the same level last year.

    ``before`` is last year's items at this level, or None when last year
    gives no breakdown at this level (then nothing is compared).  A code last
    year had and this year dropped is kept as a zero line, so the report says
    it was not budgeted again.
    """
    if before is None and prior.budget is not None and prior.budget.functions is None and items:
        prior.missing_files.setdefault("functions", items[0].source)
    old_by_code = {i.code: i for i in before} if before is not None else None
    lines = []
    for item in items:
        assert item.amount is not None and item.code is not None
        old_children: tuple[FunctionItem, ...] | None = None
        if old_by_code is None:
            prior_amount = None
        elif item.code in old_by_code:
            old = old_by_code[item.code]
            prior_amount = old.amount.value if old.amount is not None else None
            old_children = old.children or None
        else:
            prior_amount = ZERO
            old_children = ()
        lines.append(Line(item.label, item.amount.value, change=Change(item.amount.value, prior_amount),
                          purpose=item.purpose, code=item.code,
                          children=_functions(item.children, old_children, prior)))
    current = {i.code for i in items}
    for old in before or ():
        if old.code not in current and old.amount is not None and old.amount.value != ZERO:
            lines.append(Line(old.label, ZERO, change=Change(ZERO, old.amount.value), code=old.code))
    return tuple(lines)


def compute(current: YearBudget, prior_budget: YearBudget | None) -> Figures:
    """Derive every figure of the report.  ``current`` must have passed the checks."""
    b = current
    prior = _Prior(prior_budget, b.year - 1)
    dept, inc, exp, fn = b.department, b.income, b.expenditure, b.functions
    tp, oc, pr, assets = b.three_public, b.operating_costs, b.procurement, b.assets
    assert dept and inc and exp and fn and tp and oc and pr and assets and b.glossary
    assert dept.duties and dept.organization and dept.staff and dept.contact
    assert exp.basic and exp.project and tp.vehicles

    # 部门概况
    kinds: dict[str, int] = {}
    for unit in dept.organization.units:
        kinds[unit.kind or ""] = kinds.get(unit.kind or "", 0) + 1
    department = DepartmentFacts(
        name=dept.name or "", short_name=dept.short_name or dept.name or "",
        overview=dept.duties.overview or "", duties=dept.duties.duties,
        composition=dept.organization.composition,
        units=tuple((u.name or "", u.kind or "") for u in dept.organization.units),
        unit_count=len(dept.organization.units),
        units_by_kind=tuple(kinds.items()),
        admin_posts=dept.staff.admin_posts or 0, admin_actual=dept.staff.admin_actual or 0,
        public_posts=dept.staff.public_posts or 0, public_actual=dept.staff.public_actual or 0,
        contact_person=dept.contact.person or "", contact_phone=dept.contact.phone or "")

    # 收入: shares of 收入合计
    present = [(attr, key, getattr(inc, attr)) for attr, key in INCOME_SOURCES if getattr(inc, attr) is not None]
    shares = Share.group([a.value for _, _, a in present])
    lines = {attr: Line(key, a.value, share=s) for (attr, key, a), s in zip(present, shares)}
    assert inc.total is not None
    income = IncomeFacts(
        total=Line("收入合计", inc.total.value,
                   change=_change(inc.total, prior, "收入合计", "income", lambda p: p.income.total)),
        sources=tuple(line for attr, line in lines.items() if attr != "reserve"),
        reserve=lines.get("reserve"), reason=inc.reason)

    # 支出: shares of 支出合计
    assert exp.total and exp.basic.total and exp.project.total and exp.operating
    basic_s, project_s, operating_s = Share.group([exp.basic.total.value, exp.project.total.value,
                                                   exp.operating.value])
    projects = tuple(Line(p.name or "", p.amount.value) for p in exp.project.projects or () if p.amount)
    expenditure = ExpenditureFacts(
        total=Line("支出合计", exp.total.value,
                   change=_change(exp.total, prior, "支出合计", "expenditure", lambda p: p.expenditure.total)),
        basic=Line("基本支出", exp.basic.total.value, share=basic_s, purpose=exp.basic.purpose),
        personnel=_v(exp.basic.personnel) or ZERO, public=_v(exp.basic.public) or ZERO,
        project=Line("项目支出", exp.project.total.value, share=project_s, purpose=exp.project.purpose),
        operating=Line("事业单位经营支出", exp.operating.value, share=operating_s),
        projects=projects, reason=exp.reason)

    general = _v(inc.general) or ZERO
    fund = _v(inc.fund) or ZERO
    carryover = _v(inc.carryover) or ZERO
    appropriation = AppropriationFacts(total=general + fund + carryover, general=general, fund=fund,
                                       carryover=carryover)

    # 功能分类, compared by code with last year
    prior_fn = prior_budget.functions if prior_budget else None
    general_lines = _functions(fn.general or (), prior_fn.general if prior_fn else None, prior)
    fund_lines = _functions(fn.fund or (), prior_fn.fund if prior_fn else None, prior)
    assert inc.fund is not None
    fund_total = Line("政府性基金预算财政拨款", fund,
                      change=_change(inc.fund, prior, "政府性基金预算拨款收入", "income", _fund_total))
    functions = FunctionFacts(general=general_lines, fund=fund_total, fund_items=fund_lines)

    # “三公”经费: against last year's budget and last year's execution
    def three(name: str, fig, path) -> Line:
        assert fig is not None and fig.budget is not None
        return Line(name, fig.budget.value,
                    change=_change(fig.budget, prior, f"{name}预算数", "three_public",
                                   lambda p: path(p.three_public).budget),
                    change_actual=_change(fig.budget, prior, f"{name}执行数", "three_public",
                                          lambda p: path(p.three_public).actual),
                    reason=fig.reason)

    v = tp.vehicles
    three_public = ThreePublicFacts(
        total=three("“三公”经费", tp.total, lambda t: t.total),
        abroad=three("因公出国（境）费", tp.abroad, lambda t: t.abroad),
        reception=three("公务接待费", tp.reception, lambda t: t.reception),
        vehicles=_with_reason(three("公务用车购置及运行维护费", v.total, lambda t: t.vehicles.total), v.reason),
        purchase=three("公务用车购置费", v.purchase, lambda t: t.vehicles.purchase),
        operation=three("公务用车运行维护费", v.operation, lambda t: t.vehicles.operation))

    # 机关运行经费
    assert oc.total is not None
    operating_costs = OperatingCostFacts(
        total=Line("机关运行经费", oc.total.value,
                   change=_change(oc.total, prior, "机关运行经费", "operating_costs", lambda p: p.operating_costs.total),
                   reason=oc.reason),
        items=tuple(Line(i.name or "", i.amount.value) for i in oc.items or () if i.amount),
        includes_projects=bool(oc.includes_projects), project_total=exp.project.total.value,
        projects=projects)

    # 政府采购
    assert pr.total is not None
    procurement = ProcurementFacts(
        total=pr.total.value, goods=_v(pr.goods) or ZERO, works=_v(pr.works) or ZERO,
        services=_v(pr.services) or ZERO,
        sme=Line("授予中小企业", pr.sme.value, share=Share.of(pr.sme.value, pr.total.value))
        if pr.sme is not None else None)

    # 国有资产
    vehicle_kinds = tuple((key, getattr(assets, attr)) for attr, key in VEHICLE_KINDS
                          if getattr(assets, attr))
    asset_facts = AssetFacts(as_of=assets.as_of or "", vehicles=assets.vehicles or 0,
                             vehicle_kinds=vehicle_kinds, large_equipment=assets.large_equipment or 0)

    # 绩效目标
    all_projects = [p for p in exp.project.projects or () if p.amount is not None]
    published = [p for p in all_projects if p.performance == "已公开"]
    filled = [p for p in all_projects if p.performance in ("已公开", "已填报未公开")]
    published_amount = total(p.amount.value for p in published)  # type: ignore[union-attr]
    performance = PerformanceFacts(
        projects=len(all_projects), filled=len(filled), published=len(published),
        published_share=Share.of(Decimal(len(published)), Decimal(len(all_projects))) if all_projects else None,
        published_amount=published_amount,
        amount_share=Share.of(published_amount, exp.project.total.value) if exp.project.total.value else None)

    return Figures(
        year=b.year, prior_year=b.year - 1, department=department, income=income, expenditure=expenditure,
        appropriation=appropriation, functions=functions, three_public=three_public,
        operating_costs=operating_costs, procurement=procurement, assets=asset_facts,
        performance=performance,
        glossary=tuple((t.term or "", t.definition or "") for t in b.glossary.terms),
        notes=tuple(prior.notes()))


def _fund_total(p: YearBudget) -> Decimal | None:
    """Last year's 政府性基金 appropriation: stated income, else Σ its 类."""
    if p.income is not None and p.income.fund is not None:
        return p.income.fund.value
    if p.functions is not None and p.functions.fund is not None:
        return total(i.amount.value for i in p.functions.fund if i.amount)
    return None


def _with_reason(line: Line, reason: str | None) -> Line:
    if reason is None or line.reason:
        return line
    return Line(line.name, line.amount, line.share, line.change, line.change_actual, line.purpose, reason,
                line.code, line.children)
