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

    Each is explained as what it is, two sums that should agree, naming the part that did not follow:

    * 人员经费 / 公用经费 when 基本支出 is partly paid from other sources than 一般公共预算 (事业收入 …):
      they cannot be derived from the 经济分类 (which lists only the 一般公共预算 part), so a changed
      经济分类 款 and its 功能分类 line leave them behind (:func:`_basic_behind`);
    * otherwise a broken 收支平衡 (人员经费 changed, the 功能分类 that pays for it not, or the other way
      round), with the column (基本支出, 项目支出 …) where the two sides part when the 功能分类 say it.
    """
    errors = [p for p in problems if p.is_error]
    identity = {"收入合计", "收支平衡", "支出合计", "基本支出", "项目支出", "功能分类", "经济分类", "三公经费",
                "机关运行经费", "政府采购", "国有资产"}
    if not errors or not all(p.rule in identity for p in errors):
        return problems        # the data does not load or has other mistakes: those first
    behind = _basic_behind(derived, b, year)
    if behind is not None:
        # what follows from it is not a mistake of its own: 支出合计 ≠ Σ 功能分类, 基本支出 ≠ Σ 功能分类, 收支平衡
        exp, inc = b.expenditure, b.income
        after = {_at(a.source) for a in (exp.total, exp.basic.total, inc.total if inc else None) if a is not None}  # type: ignore[union-attr]
        return [p for p in problems if not (p.rule in ("功能分类", "收支平衡") and p.source and _at(p.source) in after)] \
            + [behind]
    out = [p for p in problems if p.rule != "收支平衡"]
    inc, exp = b.income, b.expenditure
    balance = [p for p in errors if p.rule == "收支平衡"]
    if balance and inc is not None and exp is not None and inc.total is not None and exp.total is not None:
        income = derived.value(inc.total) or ZERO
        spending = derived.value(exp.total) or ZERO
        kept = derived.value(exp.carry_forward) or ZERO
        general = derived.value(inc.general)
        route = f"，其中一般公共预算拨款收入 {plain(general)} = functions.yaml“一般公共预算”各类之和" if general is not None else ""
        other = f"支出合计 {plain(spending)} 加结转下年 {plain(kept)} 是 {money(spending + kept)}" if kept else \
            f"支出合计是 {money(spending)}"
        gap = abs(income - spending - kept)
        out.append(error("合计推算", f"收入合计有两种算法，结果不同：各项收入之和是 {plain(income)}{route}；"
                         f"{other}（支出合计 = 基本支出 + 项目支出 + 事业单位经营支出）。"
                         f"两边相差 {money(gap)} 万元{_column_apart(derived, b)}，fix-totals 不能决定改哪一边。",
                         inc.total.source,
                         "改了支出（如人员经费、项目金额），也要改支付它的功能分类科目：在 functions.yaml 中把这笔钱所在科目的金额"
                         "（分了基本支出、项目支出的，改相应的一栏）改为新的金额，使两边相等；改的是功能分类科目时，"
                         f"也要改 expenditure.yaml 中相应的支出。再运行 budgetdoc fix-totals {year}。",
                         [exp.total.source]))
    else:
        first = errors[0]
        out.append(error("合计推算", f"按组成部分重算了全部合计，仍有 {len(errors)} 处不一致，都来自组成部分本身"
                         "（同一个合计的两种算法结果不同），fix-totals 不能决定改哪一边。", first.source,
                         f"按下面每一处的说明改正组成部分，再运行 budgetdoc fix-totals {year}。"))
    return out


def _at(source: Source) -> tuple[str, int]:
    return source.file, source.line


def _split_classes(b: YearBudget) -> list[tuple[str, str, FunctionItem]] | None:
    """Every 类 of every 功能分类 tree (attr, key, line), when every one is split into 基本 / 项目 / 经营."""
    fn = b.functions
    if fn is None:
        return None
    classes = [(attr, key, item) for attr, key, items in fn.trees() for item in items]
    return classes if classes and all(item.split for _, _, item in classes) else None


def _column_apart(derived: Derivation, b: YearBudget) -> str:
    """“，差在基本支出（…）” — the one column where expenditure.yaml and Σ 功能分类 part, when the lines are split."""
    exp, classes = b.expenditure, _split_classes(b)
    if exp is None or classes is None or exp.basic is None or exp.project is None:
        return ""
    apart = []
    for (attr, name), stated in zip(SPLIT_PARTS, (exp.basic.total, exp.project.total, exp.operating)):
        functions = sum((derived.value(getattr(item, attr)) or ZERO for _, _, item in classes), ZERO)
        value = derived.value(stated) or ZERO
        if functions != value:
            apart.append(f"{name}（expenditure.yaml 的{name}{'合计' if attr != 'operating' else ''} {plain(value)}，"
                         f"functions.yaml 各类的{name}之和 {money(functions)}）")
    return f"，差在{apart[0]}" if len(apart) == 1 else ""


def _basic_behind(derived: Derivation, b: YearBudget, year: int) -> Problem | None:
    """人员经费 + 公用经费 left behind Σ 基本支出 of the 功能分类, when they cannot be derived.

    With 基本支出 paid partly from other sources (事业收入 …), the 经济分类 list only the 一般公共预算
    part, and fix-totals does not derive 人员经费 and 公用经费 from them.  When the 一般公共预算 side
    agrees with itself (Σ 经济分类 = Σ 基本支出 of its 功能分类) but 人员经费 + 公用经费 ≠ Σ 基本支出 of
    every tree, what did not follow is 人员经费 (or 公用经费) in expenditure.yaml.
    """
    exp, classes = b.expenditure, _split_classes(b)
    basic = exp.basic if exp else None
    if basic is None or not basic.economic or classes is None or _basic_all_general(b) \
            or basic.personnel is None or basic.public is None:
        return None
    value = derived.value

    def basic_of(trees) -> Decimal:
        return sum((value(item.basic) or ZERO for attr, _, item in classes if attr in trees), ZERO)
    general_trees = ("general", "carryover")
    others = [(key, paid) for key in dict.fromkeys(k for a, k, _ in classes if a not in general_trees)
              for paid in [sum((value(item.basic) or ZERO for _, k, item in classes if k == key), ZERO)] if paid]
    columns = {attr: sum((value(getattr(i, attr)) or ZERO for i in basic.economic), ZERO) for attr in ("personnel", "public")}
    general = basic_of(general_trees)
    if columns["personnel"] + columns["public"] != general:
        return None        # 经济分类 and the 一般公共预算 功能分类 disagree: the checks say where
    personnel, public = value(basic.personnel) or ZERO, value(basic.public) or ZERO
    needed = general + sum((v for _, v in others), ZERO)
    if personnel + public == needed or not others:
        return None
    gap = needed - personnel - public
    # the column the 经济分类 moved in (a 款 changed, its 类 derived), by as much as is missing
    moved = {attr: columns[attr] - sum((getattr(i, attr).value for i in basic.economic if getattr(i, attr) is not None), ZERO)
             for attr in columns}
    listing = "；".join(f"{key} {money(v)}" for key, v in others)
    message = (f"基本支出的人员经费、公用经费没有跟着改：expenditure.yaml 的人员经费 {plain(personnel)} + 公用经费 "
               f"{plain(public)} = {money(personnel + public)}，functions.yaml 各类的基本支出之和是 {money(needed)}"
               f"（一般公共预算 {money(general)}，与经济分类之和一致；{listing}），相差 {money(abs(gap))} 万元。"
               f"基本支出有一部分由{'、'.join(k for k, _ in others)}安排，经济分类只列一般公共预算安排的部分，"
               "fix-totals 不能由经济分类推算人员经费和公用经费。")
    named = [(attr, name) for attr, name in (("personnel", "人员经费"), ("public", "公用经费")) if moved[attr] == gap]
    if len(named) == 1 and all(moved[a] == ZERO for a in moved if a != named[0][0]):
        attr, name = named[0]
        was = money(columns[attr] - moved[attr])
        stated = personnel if attr == "personnel" else public
        hint = (f"经济分类各类的{name}之和由 {was} 变为 {money(columns[attr])}：在 expenditure.yaml 中把基本支出的{name}"
                f"改为 {money(stated + gap)}（其他资金安排的部分不变时），再运行 budgetdoc fix-totals {year}。")
        where = (basic.personnel if attr == "personnel" else basic.public).source
    else:
        hint = (f"在 expenditure.yaml 中改基本支出的人员经费或公用经费，使两者之和为 {money(needed)}（一般公共预算安排的部分"
                f"等于经济分类，其余由{'、'.join(k for k, _ in others)}安排），再运行 budgetdoc fix-totals {year}。")
        where = basic.personnel.source
    related = [s for s in (basic.public.source if where == basic.personnel.source else basic.personnel.source,
                           basic.total.source if basic.total else None) if s is not None]
    return error("合计推算", message, where, hint, related, gap=abs(gap))
