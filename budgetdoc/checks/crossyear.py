"""The previous year against the year being reported."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..comparisons import COMPARISONS, THREE_PUBLIC_ITEMS, dig
from ..model import DATA_FILES, FunctionItem, YearBudget
from ..number import plain
from ..problems import Problem, Source, warning
from ..schema import Amount
from .units import money, unit

if TYPE_CHECKING:
    from ..style import ReasonRule


def _flatten(items: tuple[FunctionItem, ...] | None) -> dict[str, FunctionItem]:
    out: dict[str, FunctionItem] = {}
    for item in items or ():
        if item.code:
            out[item.code] = item
        out.update(_flatten(item.children))
    return out


def function_names(current: YearBudget, prior: YearBudget) -> list[Problem]:
    """The same code should carry the same name in both years."""
    if current.functions is None or prior.functions is None:
        return []
    out = []
    before = _flatten(prior.functions.general) | _flatten(prior.functions.fund)
    now = _flatten(current.functions.general) | _flatten(current.functions.fund)
    for code, item in now.items():
        old = before.get(code)
        if old is not None and old.name and item.name and old.name != item.name:
            out.append(warning("跨年对照", f"科目 {code} 在{current.year}年叫“{item.name}”，"
                               f"在{prior.year}年叫“{old.name}”。比上年的比较按编码进行。", item.source,
                               "如果是科目调整，可忽略；如果是编码写错，请改正。", [old.source] if old.source else []))
    return out


def missing_comparisons(current: YearBudget, prior: YearBudget) -> list[Problem]:
    """The 比上年 comparisons the report will leave out: last year's data lacks the file or the figure.

    One warning for a whole missing file (at the first figure of this year
    it would have been compared with), one for each missing figure.
    """
    files = {f.attr: f for f in DATA_FILES}
    folder = prior.folder
    missing_files: dict[str, Source | None] = {}
    missing: list[Problem] = []
    for comparison in COMPARISONS:
        this = comparison.this_year(current)
        if this is None:
            continue
        if getattr(prior, comparison.section) is None:
            missing_files.setdefault(comparison.section, this.source)
        elif comparison.last_year(prior) is None:
            what = comparison.what if "“" in comparison.what else f"“{comparison.what}”"
            missing.append(warning("上年数据", f"{prior.year}年数据中没有{what}，报告中省略该项与上年的比较。",
                                   this.source, f"如有{prior.year}年的数字，请补充到 {folder}/ 对应文件中。"))
    if prior.functions is None and current.functions is not None and current.functions.general:
        missing_files.setdefault("functions", current.functions.general[0].source)
    out = [warning("上年数据", f"{prior.year}年没有 {files[attr].name}（{files[attr].topic}），"
                               "报告中省略这部分与上年的比较。", source,
                   f"如有{prior.year}年的数字，请在 {folder}/ 中建立 {files[attr].name}。")
           for attr, source in missing_files.items()]
    return out + missing


def check(current: YearBudget, prior: YearBudget) -> list[Problem]:
    return function_names(current, prior) + missing_comparisons(current, prior) + unchanged_figures(current, prior)


def _function_amounts(budget: YearBudget) -> dict[tuple[str, str], Decimal]:
    if budget.functions is None:
        return {}
    return {(key, code): item.amount.value for _, key, items in budget.functions.trees()
            for code, item in _flatten(items).items() if item.amount is not None}


def unchanged_figures(current: YearBudget, prior: YearBudget) -> list[Problem]:
    """Every figure of the year still the year before's: most likely new-year's copy, not yet updated.

    new-year copies last year's data so the clerk only changes what changed; a
    report built before that publishes last year's budget as this year's,
    every line reading 持平, and no identity can see it.  Compared: 收入合计,
    支出合计, 基本支出, 项目支出 and every 功能分类 line.
    """
    inc, exp = current.income, current.expenditure
    if inc is None or exp is None or inc.total is None or exp.total is None:
        return []
    pairs = [(inc.total, dig(prior, "income", "total")), (exp.total, dig(prior, "expenditure", "total")),
             (exp.basic.total if exp.basic else None, dig(prior, "expenditure", "basic", "total")),
             (exp.project.total if exp.project else None, dig(prior, "expenditure", "project", "total"))]
    if any(isinstance(this, Amount) != isinstance(last, Amount) for this, last in pairs):
        return []
    if any(this.value != last.value for this, last in pairs if isinstance(this, Amount) and isinstance(last, Amount)):
        return []
    lines, last_lines = _function_amounts(current), _function_amounts(prior)
    if not lines or lines != last_lines:
        return []
    return [warning("跨年对照", f"{current.year}年的收入合计、支出合计、基本支出、项目支出和全部 {len(lines)} 个功能分类科目的金额"
                    f"都与{prior.year}年的完全相同（收入合计都是 {plain(inc.total.value)}）：是不是建立新年度（new-year）之后"
                    f"还没有填入{current.year}年的数字？这样生成的报告会把上年的预算当作本年的公开，每一项都写“持平”。",
                    inc.total.source,
                    f"填入{current.year}年批复的数字（可以用 budgetdoc import 导入预算系统导出的 Excel），改好组成部分后运行 "
                    f"budgetdoc fix-totals {current.year}；确实与上年完全相同时，可以不理会这条警告。")]


#: how a source reads when the figure is the sum of the budget units' (budgetdoc.consolidate)
CONSOLIDATED = "（各单位之和）"


def unexplained_changes(current: YearBudget, prior: YearBudget, rule: "ReasonRule") -> list[Problem]:
    """A total, a “三公” item or 机关运行经费 that changed against last year without a 变动原因.

    财预〔2016〕143号 asks every change to be explained, the 三公 ones above all.
    The house style says which changes need one (every change, or above a
    share); a 合计 counts as explained when an item that changed under it is.
    """
    out: list[Problem] = []

    def need(what: str, this: Amount | None, last: Decimal | None, explained: bool, file: str, where: str) -> None:
        if this is None or last is None or explained or not rule.requires(this.value, last):
            return
        verb = "增加" if this.value > last else "减少"
        consolidated = this.source.file.endswith(CONSOLIDATED)     # the units' sum: no file of the department's
        hint = (f"部门的{file}由各单位汇总，部门自己没有这个文件：在部门的年度文件夹中放一份 {file}"
                f"（数字照各单位之和填写，会逐项核对），在这个文件{where}加一行“变动原因: …”"
                if consolidated else f"在 {file} {where}加一行“变动原因: …”")
        out.append(warning("变动原因", f"{what}比上年{verb} {money(abs(this.value - last))} {unit()}"
                           f"（{plain(last)} → {plain(this.value)}），没有写变动原因。", this.source,
                           f"{hint}：财预〔2016〕143号要求说明增减变化的原因。"))

    inc, exp, oc, tp = current.income, current.expenditure, current.operating_costs, current.three_public
    last_inc, last_exp, last_oc = dig(prior, "income", "total"), dig(prior, "expenditure", "total"), \
        dig(prior, "operating_costs", "total")
    if inc is not None:
        need("收入合计", inc.total, _value(last_inc), bool(inc.reason), "income.yaml", "中")
    if exp is not None:
        need("支出合计", exp.total, _value(last_exp), bool(exp.reason), "expenditure.yaml", "中")
    if oc is not None:
        need("机关运行经费", oc.total, _value(last_oc), bool(oc.reason), "operating_costs.yaml", "中")
    if tp is not None and prior.three_public is not None:
        group = bool(tp.vehicles and tp.vehicles.reason)
        reasons: dict[str, bool] = {}
        for key, name, path in THREE_PUBLIC_ITEMS:
            figure = dig(tp, *path)
            own = bool(figure is not None and figure.reason)
            reasons[key] = own or (group and key in ("vehicles", "purchase", "operation"))
        changed = {key for key, _, path in THREE_PUBLIC_ITEMS
                   if _moved(dig(tp, *path, "budget"), dig(prior.three_public, *path, "budget"))}
        reasons["total"] = reasons["total"] or any(reasons[k] for k in changed - {"total"})
        reasons["vehicles"] = reasons["vehicles"] or any(reasons[k] for k in changed & {"purchase", "operation"})
        for key, name, path in THREE_PUBLIC_ITEMS:
            where = {"vehicles": "的“公务用车购置及运行维护费”下", "total": "的“合计”下",
                     "purchase": "的“购置费”下", "operation": "的“运行维护费”下"}.get(key, f"的“{name}”下")
            need(f"“三公”经费中的{name}" if key != "total" else "“三公”经费合计", dig(tp, *path, "budget"),
                 _value(dig(prior.three_public, *path, "budget")), reasons[key], "three_public.yaml", where)
    return out


def _value(amount: object) -> Decimal | None:
    return amount.value if isinstance(amount, Amount) else None


def _moved(this: object, last: object) -> bool:
    return isinstance(this, Amount) and isinstance(last, Amount) and this.value != last.value
