"""``--data DIR:YEAR``: every figure the report states, against the figures budgetdoc computes from the YAML.

The data folder is loaded and checked exactly as ``budgetdoc check`` does
(:func:`budgetdoc.pipeline.check_year`; a data error stops the audit with the
same messages), then :func:`budgetdoc.compute.compute` gives every figure a
report of that year states: amounts, the 功能分类 lines, and the 比上年
changes against last year's budget and execution.  Each stated figure the
audit recognised is compared with it; a difference is [与数据不符], with the
place in the YAML when the figure is one typed there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Callable

from ..compute import Figures, Line, compute
from ..model import YearBudget
from .extract import Change, Extracted, Fact, function_key
from .findings import Basis, Finding, Severity, plain


@dataclass
class Against:
    shown: str                    # data/2020
    year: int
    figures: Figures
    budget: YearBudget
    problems: list                # the data's own warnings and notes (budgetdoc check prints them)
    known_gaps: tuple[tuple[Decimal, str], ...] = ()   # last year's recorded inconsistencies: (gap, where)

    def known(self, finding: Finding) -> Finding:
        """A [上年数] warning on the 功能分类 whose gap last year's known_issues.yaml records: one line of 提示.

        ``budgetdoc check`` does the same with the data's own copy of that gap.
        """
        if finding.rule != "上年数" or "各类之和" not in finding.message or not finding.stated or not finding.computed:
            return finding
        gap = abs(Decimal(finding.stated) - Decimal(finding.computed))
        where = next((w for g, w in self.known_gaps if g == gap), None)
        if where is None:
            return finding
        return Finding(Severity.NOTE, finding.rule, f"{finding.message}这是 {where} 记录的已知不一致，按原样保留。",
                       finding.place, stated=finding.stated, computed=finding.computed)


class DataSpecError(Exception):
    """``--data`` written wrongly.  The message is user-facing (Chinese)."""


def parse_spec(spec: str) -> tuple[Path, str]:
    """``data:2020`` → (data, 2020); ``examples/demo:2021``; a bare year means data/."""
    if re.fullmatch(r"\d{4}", spec):
        return Path("data"), spec
    folder, colon, year = spec.rpartition(":")
    if not colon or not folder:
        raise DataSpecError(f"--data 写作“{spec}”：应写成 目录:年度，如 --data data:2020 或 --data examples/demo:2021。")
    return Path(folder), year


def load_against(spec: str) -> Against:
    """Load, check and compute the year ``spec`` names.  Raises BudgetError on data errors."""
    from ..pipeline import check_year

    folder, year = parse_spec(spec)
    checked = check_year(folder, year)
    figures = compute(checked.current, checked.prior)
    known = checked.prior.known_issues if checked.prior is not None else None
    gaps = tuple((_wan(issue.gap.value, figures), f"{folder}/{figures.year - 1}/known_issues.yaml")
                 for issue in (known.issues if known else ()) if issue.gap is not None and issue.rule == "功能分类")
    return Against(f"{folder}/{year}", figures.year, figures, checked.current, checked.problems, gaps)


def _amount_source(budget: YearBudget, path: tuple[str, ...]) -> str:
    value = budget
    for part in path:
        value = getattr(value, part, None) if value is not None else None
    source = getattr(value, "source", None)
    return str(source) if source is not None else ""


_THREE = {"total": ("three_public", "total", "budget"), "abroad": ("three_public", "abroad", "budget"),
          "reception": ("three_public", "reception", "budget"), "vehicles": ("three_public", "vehicles", "budget"),
          "purchase": ("three_public", "vehicles", "purchase", "budget"),
          "operation": ("three_public", "vehicles", "operation", "budget")}

#: concept → (its value in the computed figures, where it is typed in the YAML)
_FIGURES: dict[str, tuple[Callable[[Figures], Decimal | None], tuple[str, ...]]] = {
    "income.total": (lambda f: f.income.total.amount, ("income", "total")),
    "expenditure.total": (lambda f: f.expenditure.total.amount, ("expenditure", "total")),
    "expenditure.basic": (lambda f: f.expenditure.basic.amount, ("expenditure", "basic", "total")),
    "expenditure.project": (lambda f: f.expenditure.project.amount, ("expenditure", "project", "total")),
    "expenditure.operating": (lambda f: f.expenditure.operating.amount, ("expenditure", "operating")),
    "expenditure.personnel": (lambda f: f.expenditure.personnel.amount, ("expenditure", "basic", "personnel")),
    "expenditure.public": (lambda f: f.expenditure.public.amount, ("expenditure", "basic", "public")),
    "appropriation.total": (lambda f: f.appropriation.total.amount, ()),
    "appropriation.carryover": (lambda f: f.appropriation.carryover.amount, ("income", "carryover")),
    "operating_costs.total": (lambda f: f.operating_costs.total.amount, ("operating_costs", "total")),
    "procurement.total": (lambda f: f.procurement.total.amount, ("procurement", "total")),
    "procurement.goods": (lambda f: f.procurement.goods.amount, ("procurement", "goods")),
    "procurement.works": (lambda f: f.procurement.works.amount, ("procurement", "works")),
    "procurement.services": (lambda f: f.procurement.services.amount, ("procurement", "services")),
    "procurement.sme": (lambda f: f.procurement.sme.amount if f.procurement.sme else None, ("procurement", "sme")),
    "performance.published": (lambda f: f.performance.published_amount, ()),
    **{f"income.{attr}": ((lambda f, a=attr: f.income.by_source.get(a)), ("income", attr))
       for attr in ("general", "fund", "state_capital", "business", "operating", "other", "carryover", "reserve")},
    **{f"three_public.{key}": ((lambda f, k=key: getattr(f.three_public, k).amount), path)
       for key, path in _THREE.items()},
}

#: concept → the computed line whose 比上年 changes the report states
_LINES: dict[str, Callable[[Figures], Line]] = {
    "income.total": lambda f: f.income.total,
    "expenditure.total": lambda f: f.expenditure.total,
    "operating_costs.total": lambda f: f.operating_costs.total,
    "income.fund": lambda f: f.functions.fund,
    **{f"three_public.{key}": (lambda f, k=key: getattr(f.three_public, k)) for key in _THREE},
}


def _function_lines(figures: Figures) -> dict[str, Line]:
    """fn:<fund>:<names> → the computed 功能分类 line, for every line of the narrative's lists."""
    found: dict[str, Line] = {}

    def walk(lines: tuple[Line, ...], fund: str, names: tuple[tuple[str, ...], ...]) -> None:
        for line in lines:
            path = names + ((line.name, line.full_name),)
            for choice in _choices(path):
                found.setdefault(f"fn:{fund}:" + "/".join(function_key(n) for n in choice), line)
            walk(line.children, fund, path)

    walk(figures.functions.general, "general", ())
    walk(figures.functions.fund_items, "fund", ())
    return found


def _choices(path: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Every way of naming a path: each level by its label or its full 科目名称."""
    out: list[tuple[str, ...]] = [()]
    for names in path:
        out = [prefix + (n,) for prefix in out for n in dict.fromkeys(n for n in names if n)]
    return out


def compare(out: Extracted, against: Against) -> list[Finding]:
    findings: list[Finding] = []
    figures = against.figures
    if out.year is not None and out.year != against.year:
        findings.append(Finding(Severity.ERROR, "与数据不符",
                                f"报告是{out.year}年的（{out.year_from}），数据 {against.shown} 是{against.year}年的。",
                                hint="核对报告和 --data 的年度是否对应（写成 --data 目录:年度）。没有逐项对照。",
                                stated=str(out.year), computed=str(against.year)))
        return findings
    lines = _function_lines(figures)
    for fact in out.facts:
        if fact.concept is None or fact.period != "current":
            continue
        expected, where = _expected(fact, figures, lines, against)
        if expected is None or expected == fact.value:
            continue
        findings.append(Finding(
            Severity.ERROR, "与数据不符",
            f"{fact.label}在报告中写作 {plain(fact.value)} 万元，数据中为 {plain(expected)} 万元（{where}），"
            f"相差 {plain(abs(fact.value - expected))} 万元。", fact.place,
            fact.written if fact.from_table else f"{fact.subject}{fact.written}",
            (Basis(fact.label, fact.value, fact.place),),
            "报告应照数据填写：报告写错了就改报告；数据填错了就改数据后用 budgetdoc report 重新生成。",
            plain(fact.value), plain(expected)))
    for change in out.changes:
        findings += _change(change, figures, lines, against)
    return findings


def _expected(fact: Fact, figures: Figures, lines: dict[str, Line], against: Against) -> tuple[Decimal | None, str]:
    if fact.concept and fact.concept.startswith("fn:"):
        line = lines.get(fact.concept)
        if line is None:
            return None, ""
        return _wan(line.amount, figures), f"{against.shown}/functions.yaml 的 {line.code} {line.full_name or line.name}" if line.code \
            else f"{against.shown}/functions.yaml 的 {line.full_name or line.name}"
    entry = _FIGURES.get(fact.concept or "")
    if entry is None:
        return None, ""
    value = entry[0](figures)
    value = None if value is None else _wan(value, figures)
    source = _amount_source(against.budget, entry[1]) if entry[1] else ""
    return value, (source or f"由 {against.shown} 计算")


def _wan(value: Decimal, figures: Figures) -> Decimal:
    """A figure of the data in 万元, as the audit reads reports (exact: a department may keep 元)."""
    return value / 10000 if figures.unit.name == "元" else value


def _change(change: Change, figures: Figures, lines: dict[str, Line], against: Against) -> list[Finding]:
    subject = change.subject
    if subject is None or subject.concept is None or change.amount is None or subject.from_table:
        return []
    line = lines.get(subject.concept) if subject.concept.startswith("fn:") else (
        _LINES[subject.concept](figures) if subject.concept in _LINES else None)
    if line is None:
        return []
    computed = line.change if change.kind == "budget" else line.change_actual
    if computed is None or computed.current is None or computed.prior is None:
        return []
    computed = replace(computed, current=_wan(computed.current, figures), prior=_wan(computed.prior, figures))
    difference = computed.current - computed.prior
    if difference == change.sign * change.amount:
        return []
    said = f"{change.verb} {plain(change.amount)} 万元" if change.sign else "持平"
    actual = "增加" if difference > 0 else "减少" if difference < 0 else "持平"
    return [Finding(
        Severity.ERROR, "与数据不符",
        f"报告说{subject.label}比{change.base}{said}；按 {against.shown} 及上年数据，本年 {plain(computed.current)}、"
        f"上年 {plain(computed.prior)} 万元，是{actual}{'' if not difference else ' ' + plain(abs(difference)) + ' 万元'}。",
        change.place, change.quote, (Basis(subject.label, subject.value, subject.place),),
        "核对报告的增减额和上年数据（data/上年/）。", plain(change.sign * change.amount), plain(difference))]
