"""``budgetdoc fix-totals``: every total that is the sum of its parts, rewritten from its parts, in one pass.

A clerk changes a part (人员经费, a 功能分类 项, a project) and every total
above it follows: the totals are derived bottom-up, each from parts already
brought up to date, so a chain of six totals in three files is settled in
one run.  What is derived (each only where the data writes it):

* 功能分类, every tree: a split line's 金额 = 基本支出 + 项目支出 + 事业单位经营支出;
  a line with 下级: each part and 金额 = Σ 下级;
* each income source that has a 功能分类 tree (一般公共预算拨款收入 = Σ 一般公共预算
  类, 政府性基金, 事业收入 …; not 上年结转, part of which is 结转下年);
* 经济分类 类 = Σ 款; 人员经费 and 公用经费 = Σ 经济分类 when all 基本支出 is
  一般公共预算 (as the checks hold them);
* 基本支出合计 = 人员经费 + 公用经费; 项目支出合计 = Σ 项目; 支出合计 = 基本 + 项目 +
  经营; 收入合计 = Σ 各项收入;
* “三公”经费 合计 and 公务用车购置及运行维护费 (预算数 and 执行数); 机关运行经费 合计
  (+ 项目支出 when it includes them); 政府采购 合计; 车辆 = Σ 各类车辆.

What cannot be derived is left to the checks: where two routes lead to one
total (收入合计 from its sources and from 支出合计 + 结转下年; 支出合计 and Σ
功能分类 …) and they disagree, the parts themselves disagree, and nothing is
written: the refusal says which two sums differ and what to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .checks.identities import SPLIT_PARTS, _basic_all_general, money
from .load import load_year, resolve_year
from .model import INCOME_SOURCES, VEHICLE_KINDS, FunctionItem, YearBudget
from .number import ZERO, plain
from .problems import BudgetError, Problem, Source, error, has_errors
from .schema import Amount
from .yamledit import Change, FileForm, YearDocs, check_texts

RULE = "合计推算"


@dataclass
class Derivation:
    """New values by place (file, YAML path), each total computed from parts already updated."""

    new: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    # import: figures the file states (label → its cell); a derived value that differs is the file's own
    # inconsistency, kept in ``conflicts`` (label, cell, the file's value, the value from its parts).
    given: dict[str, Source] = field(default_factory=dict)
    conflicts: list[tuple[str, Source, Decimal, Decimal]] = field(default_factory=list)

    def value(self, amount: Amount | None) -> Decimal | None:
        if amount is None:
            return None
        return self.new.get((amount.source.file, amount.source.path), amount.value)

    def put(self, source: Source | None, old: Decimal, new: Decimal | None, label: str) -> None:
        if source is None or new is None:
            return
        key = (source.file, source.path)
        if self.new.get(key, old) == new:
            return
        if label in self.given:
            self.conflicts.append((label, self.given[label], self.new.get(key, old), new))
            return
        self.new[key] = new
        self.changes = [c for c in self.changes if (c.source.file, c.source.path) != key]  # type: ignore[union-attr]
        if new != old:
            self.changes.append(Change(source, label, old, new))

    def set(self, amount: Amount | None, new: Decimal | None, label: str) -> None:
        if amount is not None:
            self.put(amount.source, amount.value, new, label)

    def sum(self, amounts) -> Decimal | None:
        """Σ of the current values; None as soon as one is absent."""
        out = ZERO
        for amount in amounts:
            value = self.value(amount)
            if value is None:
                return None
            out += value
        return out

    def sum_zero(self, amounts) -> Decimal:
        """Σ where an absent part is 0 (a column a line leaves out)."""
        return sum((self.value(a) or ZERO for a in amounts), ZERO)


def derive(b: YearBudget, given: dict[str, Source] | None = None) -> Derivation:
    """Every derived total of ``b`` from its parts, bottom-up (``given``: see :class:`Derivation`)."""
    d = Derivation(given=dict(given or {}))
    fn, inc, exp = b.functions, b.income, b.expenditure
    if fn is not None:
        for attr, key, items in fn.trees():
            _function_items(d, f"功能分类 {key}", items)
        if inc is not None:
            for attr, key, items in fn.trees():
                if attr == "carryover":
                    continue
                income_key = dict(INCOME_SOURCES)[attr]
                d.set(getattr(inc, attr), d.sum(i.amount for i in items), f"收入 {income_key}")
    basic = exp.basic if exp else None
    if basic is not None and basic.economic:
        for item in basic.economic:
            if item.children:
                for attr, column in (("personnel", "人员经费"), ("public", "公用经费")):
                    d.set(getattr(item, attr), d.sum_zero(getattr(c, attr) for c in item.children),
                          f"经济分类 {item.code} {item.name} {column}")
        if _basic_all_general(b):
            for attr, column in (("personnel", "人员经费"), ("public", "公用经费")):
                d.set(getattr(basic, attr), d.sum_zero(getattr(i, attr) for i in basic.economic), f"支出 基本支出 {column}")
    if basic is not None:
        d.set(basic.total, d.sum([basic.personnel, basic.public]), "支出 基本支出 合计")
    project = exp.project if exp else None
    if project is not None and project.projects is not None:
        d.set(project.total, d.sum(p.amount for p in project.projects), "支出 项目支出 合计")
    if exp is not None and basic is not None and project is not None:
        d.set(exp.total, d.sum([basic.total, project.total, exp.operating]), "支出 合计")
    if inc is not None:
        parts = [getattr(inc, attr) for attr, _ in INCOME_SOURCES
                 if not (attr == "state_capital" and inc.state_capital is None)]
        d.set(inc.total, d.sum(parts), "收入 合计")
    _three_public(d, b)
    oc = b.operating_costs
    if oc is not None and oc.items is not None:
        parts = [i.amount for i in oc.items]
        if oc.includes_projects:
            parts.append(project.total if project else None)
        d.set(oc.total, d.sum(parts), "机关运行经费 合计")
    pr = b.procurement
    if pr is not None:
        d.set(pr.total, d.sum([pr.goods, pr.works, pr.services]), "政府采购 合计")
    assets = b.assets
    if assets is not None and assets.vehicles is not None:
        kinds = [getattr(assets, attr) for attr, _ in VEHICLE_KINDS if getattr(assets, attr) is not None]
        if kinds:
            d.put(assets.field_sources.get("vehicles"), Decimal(assets.vehicles), Decimal(sum(kinds)), "国有资产 车辆")
    return d


def _function_items(d: Derivation, where: str, items: tuple[FunctionItem, ...]) -> None:
    for item in items:
        label = f"{where} {item.code} {item.name}"
        if item.children:
            _function_items(d, where, item.children)
            if item.split and all(c.split for c in item.children):
                for attr, name in SPLIT_PARTS:
                    d.set(getattr(item, attr), d.sum_zero(getattr(c, attr) for c in item.children), f"{label} {name}")
            d.set(item.amount, d.sum(c.amount for c in item.children), f"{label} 金额")
        elif item.split:
            d.set(item.amount, d.sum_zero(getattr(item, attr) for attr, _ in SPLIT_PARTS), f"{label} 金额")


def _three_public(d: Derivation, b: YearBudget) -> None:
    tp = b.three_public
    if tp is None or tp.vehicles is None:
        return
    v = tp.vehicles
    for attr, column in (("budget", "预算数"), ("actual", "执行数")):
        def g(fig):
            return None if fig is None else getattr(fig, attr)
        d.set(g(v.total), d.sum([g(v.purchase), g(v.operation)]), f"“三公”经费 公务用车购置及运行维护费 {column}")
        d.set(g(tp.total), d.sum([g(tp.abroad), g(tp.reception), g(v.total)]), f"“三公”经费 合计 {column}")


@dataclass
class Fixed:
    """What fix-totals would write: the changes in order, and the files' new bytes."""

    changes: list[Change]
    files: dict[Path, bytes]


def fix_totals(data_root: Path, year: str | int) -> Fixed:
    """Every derived total of ``year`` from its parts; raises BudgetError (nothing written) where the parts disagree."""
    folder, problems = resolve_year(data_root, year)
    if folder is None:
        raise BudgetError(problems)
    budget, problems = load_year(folder, strict=True)
    if has_errors(problems):
        raise BudgetError(problems)
    derived = derive(budget)
    docs = YearDocs.read(folder.path, sorted({Path(c.source.file).name for c in derived.changes if c.source}))
    for change in derived.changes:
        name = Path(change.source.file).name     # type: ignore[union-attr]
        docs.set(name, change.source.path, change.new, plain(change.old) if change.old is not None else None)  # type: ignore[union-attr]
    texts = docs.changed()
    try:
        check_texts(data_root, folder.year, texts)
    except BudgetError as exc:
        raise BudgetError(refusal(exc.problems, derived, budget, folder.year)) from None
    derived.changes.sort(key=lambda c: (c.source.file, c.source.line) if c.source else ("", 0))
    return Fixed(derived.changes, {folder.path / name: FileForm.read(folder.path / name).encode(text)
                                   for name, text in texts.items()})


def refusal(problems: list[Problem], derived: Derivation, b: YearBudget, year: int) -> list[Problem]:
    """Why fix-totals writes nothing: the errors that remain once every total follows its parts.

    A broken 收支平衡 is the usual case (人员经费 changed, the 功能分类 that pays
    for it not): it is explained as what it is, two sums that should agree.
    """
    errors = [p for p in problems if p.is_error]
    identity = {"收入合计", "收支平衡", "支出合计", "基本支出", "项目支出", "功能分类", "经济分类", "三公经费",
                "机关运行经费", "政府采购", "国有资产"}
    if not errors or not all(p.rule in identity for p in errors):
        return problems        # the data does not load or has other mistakes: those first
    out = [p for p in problems if p.rule != "收支平衡"]
    inc, exp = b.income, b.expenditure
    balance = [p for p in errors if p.rule == "收支平衡"]
    if balance and inc is not None and exp is not None and inc.total is not None and exp.total is not None:
        income = derived.value(inc.total) or ZERO
        spending = derived.value(exp.total) or ZERO
        kept = derived.value(exp.carry_forward) or ZERO
        general = derived.value(inc.general)
        route = f"，其中一般公共预算拨款收入 {plain(general)} = functions.yaml“一般公共预算”各类之和" if general is not None else ""
        carry = f" + 结转下年 {plain(kept)}" if kept else ""
        gap = abs(income - spending - kept)
        out.append(error("合计推算", f"收入合计有两种算法，结果不同：各项收入之和是 {plain(income)}{route}；"
                         f"支出合计{carry}是 {money(spending + kept)}（支出合计 = 基本支出 + 项目支出 + 事业单位经营支出）。"
                         f"两边相差 {money(gap)} 万元，fix-totals 不能决定改哪一边。",
                         inc.total.source,
                         "改了支出（如人员经费、项目金额），也要改支付它的功能分类科目：在 functions.yaml 中把这笔钱所在科目的金额"
                         f"（分了基本支出、项目支出的，改相应的一栏）改为新的金额，使两边相等，再运行 budgetdoc fix-totals {year}。",
                         [exp.total.source]))
    else:
        first = errors[0]
        out.append(error("合计推算", f"按组成部分重算了全部合计，仍有 {len(errors)} 处不一致：它们来自组成部分本身"
                         "（同一个合计的两种算法结果不同），fix-totals 不能决定改哪一边。", first.source,
                         f"按下面每一处的说明改正组成部分，再运行 budgetdoc fix-totals {year}。"))
    return out
