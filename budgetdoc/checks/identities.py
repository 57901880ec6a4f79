"""Identities: every total the data states is recomputed from its parts.

Anything the data states as a separate figure that could also be computed is
checked, not trusted.  Each finding names both sides and where they are.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import INCOME_SOURCES, VEHICLE_KINDS, FunctionItem, YearBudget
from ..number import ZERO, plain, round_money, total
from ..problems import Problem, Source, error
from ..schema import Amount

Part = tuple[str, "Amount | None"]


def money(value) -> str:
    """A computed sum or difference, always with two decimals: 0.10, 204.60.

    Figures as written in the data are shown as written (plain), so the
    clerk finds them; what the tool computes is shown as money.  A figure exact to 分 of 元
    (six places of 万元, from ``budgetdoc import``) keeps its places: 0.000100, not 0.00.
    """
    rounded = round_money(value)
    return plain(rounded) if rounded == value else plain(value.quantize(Decimal("0.000001")))


def sum_rule(rule: str, total_label: str, stated: Amount | None, parts: list[Part], hint: str,
             parts_label: str = "") -> list[Problem]:
    """``stated`` must equal the sum of ``parts``; skipped if anything is absent."""
    if stated is None or any(a is None for _, a in parts):
        return []
    computed = total(a.value for _, a in parts)  # type: ignore[union-attr]
    if computed == stated.value:
        return []
    listing = " + ".join(f"{name} {plain(a.value)}" for name, a in parts)  # type: ignore[union-attr]
    label = parts_label or "各项之和"
    message = (f"{total_label} {plain(stated.value)} ≠ {label} {money(computed)}"
               f"（{listing or '没有明细'}），相差 {money(abs(stated.value - computed))} 万元。")
    related = [a.source for _, a in parts]  # type: ignore[union-attr]
    return [error(rule, message, stated.source, hint, related, gap=abs(stated.value - computed))]


def equal_rule(rule: str, left_label: str, left: Amount | None, right_label: str,
               right: Amount | None, hint: str) -> list[Problem]:
    if left is None or right is None or left.value == right.value:
        return []
    return [error(rule, f"{left_label} {plain(left.value)} ≠ {right_label} {plain(right.value)}，"
                        f"相差 {money(abs(left.value - right.value))} 万元。", left.source, hint, [right.source],
                  gap=abs(left.value - right.value))]


# ------------------------------------------------------------------ income

def income_total(b: YearBudget) -> list[Problem]:
    inc = b.income
    if inc is None:
        return []
    parts = [(key, getattr(inc, attr)) for attr, key in INCOME_SOURCES]
    # 国有资本经营预算拨款收入 is optional; every other source must be known.
    parts = [(key, a) for key, a in parts if not (a is None and key == "国有资本经营预算拨款收入")]
    return sum_rule("收入合计", "收入合计", inc.total, parts,
                    "核对 income.yaml：合计应等于各项收入之和，改正写错的一项。", "各项收入之和")


def balance(b: YearBudget) -> list[Problem]:
    """收入总计 = 支出总计: 收入合计 = 支出合计 + 结转下年."""
    if b.income is None or b.expenditure is None:
        return []
    exp = b.expenditure
    if exp.carry_forward is None or exp.carry_forward.value == ZERO:
        return equal_rule("收支平衡", "收入合计", b.income.total, "支出合计", exp.total,
                          "部门预算收支必须平衡：核对 income.yaml 与 expenditure.yaml 的“合计”。")
    return sum_rule("收支平衡", "收入合计", b.income.total, [("支出合计", exp.total), ("结转下年", exp.carry_forward)],
                    "收入总计必须等于支出总计：income.yaml 的合计 = expenditure.yaml 的合计 + 结转下年。",
                    "支出合计与结转下年之和")


# ------------------------------------------------------------- expenditure

def expenditure_structure(b: YearBudget) -> list[Problem]:
    exp = b.expenditure
    if exp is None:
        return []
    out: list[Problem] = []
    basic, project = exp.basic, exp.project
    if basic is not None and project is not None:
        out += sum_rule("支出合计", "支出合计", exp.total,
                        [("基本支出", basic.total), ("项目支出", project.total), ("事业单位经营支出", exp.operating)],
                        "核对 expenditure.yaml：合计 = 基本支出合计 + 项目支出合计 + 事业单位经营支出。")
    if basic is not None:
        out += sum_rule("基本支出", "基本支出合计", basic.total,
                        [("人员经费", basic.personnel), ("公用经费", basic.public)],
                        "核对 expenditure.yaml 的基本支出：合计 = 人员经费 + 公用经费。")
    if project is not None and project.projects is not None:
        out += sum_rule("项目支出", "项目支出合计", project.total,
                        [(p.name or "项目", p.amount) for p in project.projects],
                        "核对 expenditure.yaml 的项目支出：合计应等于各项目金额之和。", "各项目之和")
        for p in project.projects:
            if p.appropriation is not None and p.amount is not None and p.appropriation.value > p.amount.value:
                out.append(error("项目支出", f"项目“{p.name}”的财政拨款 {plain(p.appropriation.value)} 超过项目金额 "
                                 f"{plain(p.amount.value)}。", p.appropriation.source,
                                 "财政拨款是项目金额的一部分，不能更大：核对这两个数。", [p.amount.source]))
    return out


# ------------------------------------------------------------- functions

# The parts a 功能分类 line's 金额 may be split into: (attr, name).
SPLIT_PARTS = (("basic", "基本支出"), ("project", "项目支出"), ("operating", "事业单位经营支出"))


def _split_parts(item: FunctionItem) -> list[Part]:
    """The 基本 / 项目 / 经营 a split line gives; a part left out is 0 (most lines have one or two)."""
    return [(name, getattr(item, attr)) for attr, name in SPLIT_PARTS if getattr(item, attr) is not None]


def _children(items: tuple[FunctionItem, ...], where: str) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, Source | None] = {}
    for item in items:
        if item.code in seen:
            out.append(error("功能分类", f"{where}中科目编码 {item.code} 出现了两次。", item.source,
                             "合并这两项，或改正其中一个编码。", [s for s in [seen[item.code]] if s]))
        seen[item.code or ""] = item.source
        if item.split:
            out += sum_rule("功能分类", f"{item.code} {item.name}的金额", item.amount, _split_parts(item),
                            "一行的金额 = 基本支出 + 项目支出 + 事业单位经营支出（没有的部分可不写）：核对 functions.yaml。",
                            "基本支出、项目支出与经营支出之和")
        if not item.children:
            continue
        for child in item.children:
            if child.code and item.code and (not child.code.startswith(item.code)
                                             or len(child.code) != len(item.code) + 2):
                out.append(error("功能分类", f"科目 {child.code} 不是 {item.code} 的下级科目"
                                 "（下级编码应以上级编码开头，并多两位）。", child.source,
                                 "把它移到正确的上级下面，或改正编码。"))
        out += sum_rule("功能分类", f"{item.code} {item.name}的金额", item.amount,
                        [(f"{c.code} {c.name}", c.amount) for c in item.children],
                        "下级科目金额之和必须等于上级科目金额：核对 functions.yaml。", "下级科目之和")
        if item.split and all(c.split for c in item.children):
            for attr, name in SPLIT_PARTS:
                out += sum_rule("功能分类", f"{item.code} {item.name}的{name}",
                                getattr(item, attr) or Amount(ZERO, item.source),
                                [(f"{c.code} {c.name}", getattr(c, attr) or Amount(ZERO, c.source))
                                 for c in item.children],
                                f"下级科目的{name}之和必须等于上级科目的{name}：核对 functions.yaml。",
                                f"下级科目的{name}之和")
        out += _children(item.children, f"{item.code} 的下级")
    return out


def functions(b: YearBudget) -> list[Problem]:
    fn = b.functions
    if fn is None:
        return []
    out: list[Problem] = []
    inc = b.income
    hint = "核对 functions.yaml 各类金额与 income.yaml 的对应收入。"
    for attr, key, items in fn.trees():
        out += _children(items, f"functions.yaml “{key}”")
        if attr == "carryover":      # what is not spent is 结转下年: checked with the whole, below
            continue
        income_key = dict((a, k) for a, k in INCOME_SOURCES)[attr]
        stated = getattr(inc, attr) if inc is not None else None
        classes = _class_sum(items)
        if stated is not None and classes is not None and classes[0] != stated.value:
            computed, listing, sources = classes
            out.append(error("功能分类", f"{income_key} {plain(stated.value)} ≠ {key}各类之和 {money(computed)}"
                             f"（{listing or '没有列出科目'}），相差 {money(abs(stated.value - computed))} 万元。",
                             stated.source, hint, sources))
    out += _unexplained_gap(b)
    out += _all_sources(b)
    out += _split_totals(b)
    return out


def _all_sources(b: YearBudget) -> list[Problem]:
    """Σ every tree = 支出合计, once every source of income is known and has its tree.

    This is where 上年结转 is checked: what it does not pay for this year is
    结转下年, so Σ trees + 结转下年 = 收入合计 follows with the balance rule.
    A source with income but no tree is reported by the disclosure checks.
    """
    inc, fn, exp = b.income, b.functions, b.expenditure
    if inc is None or fn is None or exp is None or exp.total is None or not _sources_covered(b):
        return []
    sums = [(key, _class_sum(items)) for _, key, items in fn.trees()]
    if any(s is None for _, s in sums):
        return []
    computed = total(s[0] for _, s in sums)  # type: ignore[index]
    if computed == exp.total.value:
        return []
    listing = " + ".join(f"{key} {money(s[0])}" for key, s in sums if s[0])  # type: ignore[index]
    return [error("功能分类", f"支出合计 {plain(exp.total.value)} ≠ functions.yaml 各种资金来源的功能分类之和 "
                  f"{money(computed)}（{listing or '没有列出科目'}），相差 {money(abs(exp.total.value - computed))} 万元。",
                  exp.total.source, "每种资金来源安排的支出都要列入 functions.yaml 对应的一组；"
                  "上年结转中留到下一年的部分填在 expenditure.yaml 的“结转下年”。",
                  [items[0].source for _, _, items in fn.trees() if items and items[0].source])]


def _sources_covered(b: YearBudget) -> bool:
    """Every income source is stated, and each with money (but a carry-over kept whole) has its tree."""
    inc, fn, exp = b.income, b.functions, b.expenditure
    if inc is None or fn is None:
        return False
    given = {attr for attr, _, _ in fn.trees()}
    kept = exp.carry_forward.value if exp is not None and exp.carry_forward is not None else ZERO
    for attr, _ in INCOME_SOURCES:
        amount = getattr(inc, attr)
        if amount is None:
            if attr == "state_capital":
                continue
            return False
        if attr in given or amount.value == ZERO or (attr == "carryover" and amount.value <= kept):
            continue
        return False
    return True


def _split_totals(b: YearBudget) -> list[Problem]:
    """Σ 基本支出 of every 类 of every tree = expenditure.yaml's 基本支出合计 (项目, 经营 likewise).

    Checked once every 类 line of every tree is split and a tree is given
    for every source that has income; until then the tables leave the split
    blank and a 提示 says so.
    """
    inc, fn, exp = b.income, b.functions, b.expenditure
    if inc is None or fn is None or exp is None or exp.basic is None or exp.project is None:
        return []
    trees = fn.trees()
    classes = [item for _, _, items in trees for item in items]
    if not classes or not all(item.split for item in classes) or not _sources_covered(b):
        return []
    out: list[Problem] = []
    for (attr, name), stated in zip(SPLIT_PARTS, (exp.basic.total, exp.project.total, exp.operating)):
        if stated is None:
            continue
        named = len([items for _, _, items in trees if items]) > 1    # name the tree when there are several
        parts = [(f"{key} {item.code}" if named else f"{item.code}", getattr(item, attr) or Amount(ZERO, item.source))
                 for _, key, items in trees for item in items]
        out += sum_rule("功能分类", f"expenditure.yaml 的{name if attr != 'basic' else '基本支出合计'}", stated,
                        parts, f"functions.yaml 各类的{name}之和必须等于 expenditure.yaml 的{name}：核对两处。",
                        f"功能分类各类的{name}之和")
    return out


def _unexplained_gap(b: YearBudget) -> list[Problem]:
    """When a year gives only its total income, the 类 lines must still add up to it.

    This is the case of a previous year known only from the comparisons in a
    later report: the income sources are unknown, so Σ 类 (一般公共预算 and
    政府性基金) can only be held against 收入合计.
    """
    inc, fn = b.income, b.functions
    if inc is None or fn is None or inc.total is None or inc.general is not None or fn.general is None:
        return []
    known_other = [getattr(inc, attr) for attr, _ in INCOME_SOURCES if attr not in ("general", "fund")]
    if any(a is not None and a.value != ZERO for a in known_other):
        return []
    classes = _class_sum(tuple(fn.general) + tuple(fn.fund or ()))
    if classes is None or classes[0] == inc.total.value:
        return []
    computed, listing, sources = classes
    return [error("功能分类", f"各类之和 {money(computed)}（{listing}）≠ 收入合计 {plain(inc.total.value)}，"
                  f"相差 {money(abs(inc.total.value - computed))} 万元；该年未填写各项收入来源，"
                  "无法判断差额是漏列的功能分类还是其他资金。", inc.total.source,
                  "核对该年的功能分类和收入合计。", sources, gap=abs(inc.total.value - computed))]


def _class_sum(items: tuple[FunctionItem, ...]) -> tuple[Decimal, str, list[Source]] | None:
    """Σ of one level's amounts, its listing and sources; None when an amount is absent."""
    if any(i.amount is None for i in items):
        return None
    computed = total(i.amount.value for i in items)  # type: ignore[union-attr]
    listing = " + ".join(f"{i.code} {plain(i.amount.value)}" for i in items)  # type: ignore[union-attr]
    return computed, listing, [i.amount.source for i in items]  # type: ignore[union-attr]


# ------------------------------------------------------------- 经济分类

def economic(b: YearBudget) -> list[Problem]:
    """一般公共预算基本支出 by 经济分类: its columns, its 款 against their 类, and 表3 against 表3-1.

    When every 基本支出 of the department is paid from 一般公共预算 (and its
    上年结转), the two columns equal expenditure.yaml's 人员经费 and 公用经费;
    otherwise they cannot exceed them, and they equal the 基本支出 of the
    一般公共预算 功能分类 once that is split.
    """
    basic = b.expenditure.basic if b.expenditure else None
    if basic is None or not basic.economic:
        return []
    out: list[Problem] = []
    if _basic_all_general(b):
        hint = ("核对 expenditure.yaml 基本支出的“经济分类”：各类的人员经费、公用经费之和分别等于上面的人员经费、"
                "公用经费。")
        for attr, column, stated in (("personnel", "人员经费", basic.personnel), ("public", "公用经费", basic.public)):
            out += _economic_column(basic.economic, attr, column, stated, f"基本支出{column}", hint)
    else:
        for attr, column, stated in (("personnel", "人员经费", basic.personnel), ("public", "公用经费", basic.public)):
            spent = total(getattr(i, attr).value for i in basic.economic if getattr(i, attr) is not None)
            if stated is not None and spent > stated.value:
                out.append(error("经济分类", f"经济分类各类的{column}之和 {money(spent)} 超过基本支出{column} "
                                 f"{plain(stated.value)}。", basic.economic[0].source,
                                 "经济分类列的是一般公共预算基本支出，不能大于全部基本支出：核对 expenditure.yaml。",
                                 [stated.source]))
    for item in basic.economic:
        for child in item.children:
            if child.code and item.code and not child.code.startswith(item.code):
                out.append(error("经济分类", f"科目 {child.code} 不是 {item.code} 的下级科目（款的编码应以类的编码开头）。",
                                 child.source, "把它移到正确的类下面，或改正编码。"))
        if item.children:
            for attr, column in (("personnel", "人员经费"), ("public", "公用经费")):
                out += _economic_column(item.children, attr, column, getattr(item, attr) or _zero(item),
                                        f"{item.code} {item.name}的{column}", "各款之和必须等于所属类的数。")
    out += _economic_vs_functions(b)
    return out


def _basic_all_general(b: YearBudget) -> bool:
    """No source but 一般公共预算 (and 上年结转) has income: all 基本支出 is paid from it."""
    inc = b.income
    if inc is None:
        return True
    return all(getattr(inc, attr) is None or getattr(inc, attr).value == ZERO
               for attr, _ in INCOME_SOURCES if attr not in ("general", "carryover"))


def _economic_vs_functions(b: YearBudget) -> list[Problem]:
    """表3 基本支出 = 表3-1 合计: Σ 基本支出 of the 一般公共预算 类 (with 上年结转) = Σ 经济分类."""
    basic = b.expenditure.basic if b.expenditure else None
    fn = b.functions
    if basic is None or not basic.economic or fn is None or not fn.general:
        return []
    classes = list(fn.general) + list(fn.carryover or ())
    if not all(item.split for item in classes):
        return []
    economic_total = total(a.value for i in basic.economic for a in (i.personnel, i.public) if a is not None)
    function_basic = total(i.basic.value for i in classes if i.basic is not None)
    if economic_total == function_basic:
        return []
    listing = " + ".join(f"{i.code} {plain(i.basic.value if i.basic else ZERO)}" for i in classes)
    return [error("经济分类", f"经济分类合计 {money(economic_total)} ≠ 一般公共预算各类的基本支出之和 "
                  f"{money(function_basic)}（{listing}），相差 {money(abs(economic_total - function_basic))} 万元。",
                  basic.economic[0].source,
                  "一般公共预算基本支出表的合计必须等于一般公共预算支出表的基本支出：核对 expenditure.yaml 的经济分类和 "
                  "functions.yaml 各类的基本支出。", [i.basic.source for i in classes if i.basic is not None])]


def _zero(item) -> Amount:
    """A column a line leaves out is 0 (most 款 fall in one column only)."""
    return Amount(ZERO, item.source)


def _economic_column(items, attr: str, column: str, stated: Amount | None, label: str, hint: str) -> list[Problem]:
    parts = [(f"{i.code} {column}", getattr(i, attr) or _zero(i)) for i in items]
    return sum_rule("经济分类", label, stated, parts, hint, "各科目之和")


# 三公 items and the 经济分类 款 that pay for them: a 基本支出 款 cannot exceed its 三公 budget.
THREE_PUBLIC_KUAN = (
    ("30212", "因公出国（境）费用", lambda t: t.abroad),
    ("30217", "公务接待费", lambda t: t.reception),
    ("30231", "公务用车运行维护费", lambda t: t.vehicles.operation if t.vehicles else None),
    ("31013", "公务用车购置", lambda t: t.vehicles.purchase if t.vehicles else None),
)


def economic_vs_three_public(b: YearBudget) -> list[Problem]:
    basic = b.expenditure.basic if b.expenditure else None
    tp = b.three_public
    if basic is None or not basic.economic or tp is None:
        return []
    kuan = {c.code: c for item in basic.economic for c in item.children}
    out = []
    for code, name, figure in THREE_PUBLIC_KUAN:
        line, fig = kuan.get(code), figure(tp)
        if line is None or fig is None or fig.budget is None:
            continue
        spent = total(a.value for a in (line.personnel, line.public) if a is not None)
        if spent > fig.budget.value:
            out.append(error("三公经费", f"经济分类 {code} {line.name} {money(spent)} 超过“三公”经费中的{name}预算 "
                             f"{plain(fig.budget.value)}。", line.source,
                             "基本支出中的这一款不能大于“三公”经费表中对应的一项：核对两处数字。", [fig.budget.source]))
    return out


# ------------------------------------------------------------- 三公 经费

def three_public(b: YearBudget) -> list[Problem]:
    tp = b.three_public
    if tp is None or tp.vehicles is None:
        return []
    out: list[Problem] = []
    v = tp.vehicles
    for attr, label in (("budget", "预算数"), ("actual", "执行数")):
        def g(fig):
            return None if fig is None else getattr(fig, attr)
        out += sum_rule("三公经费", f"“三公”经费合计{label}", g(tp.total),
                        [("因公出国（境）费", g(tp.abroad)), ("公务接待费", g(tp.reception)),
                         ("公务用车购置及运行维护费", g(v.total))],
                        "核对 three_public.yaml：合计 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费。")
        out += sum_rule("三公经费", f"公务用车购置及运行维护费{label}", g(v.total),
                        [("购置费", g(v.purchase)), ("运行维护费", g(v.operation))],
                        "核对 three_public.yaml：公务用车购置及运行维护费 = 购置费 + 运行维护费。")
    return out


# ------------------------------------------------------- 机关运行经费

def operating_costs(b: YearBudget) -> list[Problem]:
    oc = b.operating_costs
    if oc is None or oc.items is None:
        return []
    parts: list[Part] = [(i.name or "明细", i.amount) for i in oc.items]
    label = "明细之和"
    if oc.includes_projects:
        project = b.expenditure.project if b.expenditure else None
        parts.append(("项目支出合计", project.total if project else None))
        label = "明细与项目支出之和"
    out = sum_rule("机关运行经费", "机关运行经费合计", oc.total, parts,
                   "核对 operating_costs.yaml：合计应等于明细之和"
                   + ("（含项目支出）。" if oc.includes_projects else "。"), label)
    # A 机关运行经费 line for official cars cannot exceed the 三公 budget for it.
    tp = b.three_public
    car_budget = tp.vehicles.operation.budget if tp and tp.vehicles and tp.vehicles.operation else None
    for item in oc.items:
        if item.name == "公务用车运行维护费" and car_budget is not None and item.amount is not None \
                and item.amount.value > car_budget.value:
            out.append(error("三公经费", f"机关运行经费中的公务用车运行维护费 {plain(item.amount.value)} 超过"
                             f"“三公”经费中的公务用车运行维护费预算 {plain(car_budget.value)}。",
                             item.amount.source, "两处应当一致（或前者不大于后者）。", [car_budget.source]))
    return out


# ------------------------------------------------------------- 政府采购

def procurement(b: YearBudget) -> list[Problem]:
    pr = b.procurement
    if pr is None:
        return []
    out = sum_rule("政府采购", "政府采购预算合计", pr.total,
                   [("货物", pr.goods), ("工程", pr.works), ("服务", pr.services)],
                   "核对 procurement.yaml：合计 = 货物 + 工程 + 服务。")
    if pr.sme is not None and pr.total is not None and pr.sme.value > pr.total.value:
        out.append(error("政府采购", f"授予中小企业 {plain(pr.sme.value)} 超过政府采购预算合计 {plain(pr.total.value)}。",
                         pr.sme.source, "授予中小企业的金额不能超过采购总额。", [pr.total.source]))
    return out


# ------------------------------------------------------------- 车辆

def vehicles(b: YearBudget) -> list[Problem]:
    a = b.assets
    if a is None or a.vehicles is None:
        return []
    kinds = [(key, getattr(a, attr)) for attr, key in VEHICLE_KINDS if getattr(a, attr) is not None]
    if not kinds:
        return []
    counted = sum(n for _, n in kinds)
    if counted == a.vehicles:
        return []
    listing = " + ".join(f"{k} {n}" for k, n in kinds)
    src = a.field_sources.get("vehicles", a.source)
    return [error("国有资产", f"车辆 {a.vehicles} 辆 ≠ 各类车辆之和 {counted} 辆（{listing}）。", src,
                  "核对 assets.yaml：车辆总数应等于各类车辆之和。",
                  [a.field_sources[attr] for attr, _ in VEHICLE_KINDS if attr in a.field_sources])]


CHECKS = (income_total, balance, expenditure_structure, economic, economic_vs_three_public, functions,
          three_public, operating_costs, procurement, vehicles)
