"""A bureau's overview of its departments: the figures of each report side by side, with their 比上年.

One :class:`OverviewRow` per department, read from the report's
:class:`~budgetdoc.compute.Figures`: 收入合计, 支出合计, 基本支出, 项目支出,
财政拨款, the “三公” and each item, 机关运行经费, 政府采购, each with its change
against the year before.  Where Figures carries the change (收入, 支出, 三公,
机关运行经费) it is used as it is; for the others last year's figure is read
from the year before as :mod:`budgetdoc.comparisons` reads it, and the
change is a :class:`~budgetdoc.compute.Change` like every other.

The arithmetic the overview needs (a signed difference, the bureau's total
row) is here, in small functions; the writer
(:mod:`budgetdoc.writers.overview`) only lays the values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from .comparisons import dig
from .compute import Change, Figures, Line, Trend
from .model import YearBudget
from .number import quantize, total
from .problems import Problem
from .schema import Amount

#: The overview's figures, in column order: (key, heading).
MEASURES = (
    ("income", "收入合计"),
    ("expenditure", "支出合计"),
    ("basic", "基本支出"),
    ("project", "项目支出"),
    ("appropriation", "财政拨款"),
    ("three_public", "“三公”经费"),
    ("abroad", "因公出国（境）费"),
    ("reception", "公务接待费"),
    ("vehicles", "公务用车购置及运行维护费"),
    ("purchase", "其中：购置费"),
    ("operation", "运行维护费"),
    ("operating_costs", "机关运行经费"),
    ("procurement", "政府采购"),
)


@dataclass(frozen=True)
class Measure:
    """One figure of a department: this year's amount and its change against last year's (None: unknown)."""

    current: Decimal
    prior: Decimal | None

    @property
    def change(self) -> Change:
        return Change(self.current, self.prior)

    @property
    def difference(self) -> Decimal | None:
        """本年 − 上年: negative for a decrease; None when last year's figure is unknown."""
        return None if self.prior is None else self.current - self.prior

    @property
    def rate(self) -> Decimal | None:
        """The change in percent, signed and rounded half-up to two places; None without a base."""
        change = self.change
        rate = change.rate
        if rate is None:
            return None
        signed = -rate if change.trend in (Trend.DECREASE, Trend.DROPPED) else rate
        return quantize(signed, 2)


@dataclass(frozen=True)
class OverviewRow:
    """A department in the overview: its folder, name, result and figures (empty when it did not build)."""

    key: str                                  # the department's folder
    name: str                                 # 部门名称 (the folder when it could not be read)
    result: str                               # 已生成 / 有错误 / …
    errors: int
    warnings: int
    notes: int
    measures: tuple[tuple[str, Measure], ...] = ()

    def measure(self, key: str) -> Measure | None:
        return dict(self.measures).get(key)


def _from_line(line: Line) -> Measure:
    return Measure(line.amount, line.change.prior if line.change is not None else None)


def _value(obj: object) -> Decimal | None:
    return obj.value if isinstance(obj, Amount) else None


def prior_appropriation(prior: YearBudget | None) -> Decimal | None:
    """Last year's 财政拨款 (一般公共预算 + 政府性基金 + 国有资本经营预算 + 上年结转), as this year's is computed."""
    income = prior.income if prior is not None else None
    if income is None:
        return None
    parts = [_value(income.general), _value(income.fund), _value(income.carryover)]
    if any(p is None for p in parts):
        return None
    return total(p for p in parts + [_value(income.state_capital)] if p is not None)


def measures(figures: Figures, prior: YearBudget | None) -> tuple[tuple[str, Measure], ...]:
    """Every figure of :data:`MEASURES` for one report."""
    tp = figures.three_public
    found = {
        "income": _from_line(figures.income.total),
        "expenditure": _from_line(figures.expenditure.total),
        "basic": Measure(figures.expenditure.basic.amount, _value(dig(prior, "expenditure", "basic", "total"))),
        "project": Measure(figures.expenditure.project.amount,
                           _value(dig(prior, "expenditure", "project", "total"))),
        "appropriation": Measure(figures.appropriation.total.amount, prior_appropriation(prior)),
        "three_public": _from_line(tp.total), "abroad": _from_line(tp.abroad), "reception": _from_line(tp.reception),
        "vehicles": _from_line(tp.vehicles), "purchase": _from_line(tp.purchase),
        "operation": _from_line(tp.operation),
        "operating_costs": _from_line(figures.operating_costs.total),
        "procurement": _from_line(figures.procurement.total),
    }
    if figures.unit.name == "元":          # the overview is in 万元 whatever unit a department keeps (exact)
        found = {key: Measure(m.current / 10000, None if m.prior is None else m.prior / 10000)
                 for key, m in found.items()}
    return tuple((key, found[key]) for key, _ in MEASURES)


def counts(problems: Iterable[Problem]) -> tuple[int, int, int]:
    """(errors, warnings, notes)."""
    problems = list(problems)
    errors = sum(p.is_error for p in problems)
    notes = sum(p.is_note for p in problems)
    return errors, len(problems) - errors - notes, notes


def total_row(rows: list[OverviewRow]) -> OverviewRow:
    """The bureau's total: each figure summed over the departments that built; last year's only when every
    one of them knows it."""
    built = [r for r in rows if r.measures]
    summed = []
    for key, _ in MEASURES:
        found = [r.measure(key) for r in built]
        current = total(m.current for m in found if m is not None)
        priors = [m.prior for m in found if m is not None]
        prior = total(p for p in priors if p is not None) if priors and all(p is not None for p in priors) else None
        summed.append((key, Measure(current, prior)))
    errors = sum(r.errors for r in rows)
    warnings = sum(r.warnings for r in rows)
    notes = sum(r.notes for r in rows)
    failed = len(rows) - len(built)
    result = f"{len(built)} 个部门" + (f"（不含有错误的 {failed} 个）" if failed else "")
    return OverviewRow("", "合计", result, errors, warnings, notes, tuple(summed) if built else ())
