"""The 比上年 comparisons of the report: which figure, and where to find it in each year.

One table serves two steps: :mod:`budgetdoc.compute` reads last year's value
to compute each change, and :mod:`budgetdoc.checks.crossyear` says which
comparisons the report will leave out because last year's data lacks the
figure (a warning, before anything is computed).

A path is written with :func:`dig`, which stops at an absent part (the
previous year's data may be incomplete) but lets a misspelt attribute raise:
a typo is a bug, not a missing figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from .model import YearBudget
from .number import total
from .provenance import keys_of
from .schema import Amount


def dig(obj: object, *names: str) -> object:
    """``obj.a.b.c`` for names a, b, c; None as soon as a part is None."""
    for name in names:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


@dataclass(frozen=True)
class Comparison:
    """A figure compared with last year: ``this`` year's amount against ``last`` year's."""

    key: str
    what: str                                       # named in messages: 收入合计, 公务接待费执行数
    section: str                                    # the YearBudget attribute (data file) it lives in
    this: Callable[[YearBudget], Amount | None]
    last: Callable[[YearBudget], Decimal | None]

    def this_year(self, budget: YearBudget) -> Amount | None:
        value = self.this(budget)
        return value if isinstance(value, Amount) else None

    def last_year(self, budget: YearBudget | None) -> Decimal | None:
        if budget is None or getattr(budget, self.section) is None:
            return None
        value = self.last(budget)
        return value.value if isinstance(value, Amount) else value

    def last_sources(self, budget: YearBudget | None) -> frozenset[str]:
        """The keys (:mod:`budgetdoc.provenance`) of the values last year's figure was read from."""
        if budget is None or getattr(budget, self.section) is None:
            return frozenset()
        value = self.last(budget)
        if isinstance(value, Amount):
            return keys_of(value)
        if self.key == "fund":                     # as _fund_total: stated, else Σ of last year's 政府性基金 类
            stated = dig(budget, "income", "fund")
            return keys_of(stated) if isinstance(stated, Amount) else \
                keys_of([i.amount for i in dig(budget, "functions", "fund") or ()])
        return frozenset()


def _amount(*path: str) -> Callable[[YearBudget], object]:
    return lambda b: dig(b, *path)


def _fund_total(b: YearBudget) -> Decimal | None:
    """Last year's 政府性基金 appropriation: stated income, else Σ its 类."""
    stated = dig(b, "income", "fund")
    if isinstance(stated, Amount):
        return stated.value
    items = dig(b, "functions", "fund")
    if items is not None:
        return total(i.amount.value for i in items if i.amount)    # type: ignore[union-attr]
    return None


# The “三公” items: (key, name in the report, path inside three_public).
THREE_PUBLIC_ITEMS = (
    ("total", "“三公”经费", ("total",)),
    ("abroad", "因公出国（境）费", ("abroad",)),
    ("reception", "公务接待费", ("reception",)),
    ("vehicles", "公务用车购置及运行维护费", ("vehicles", "total")),
    ("purchase", "公务用车购置费", ("vehicles", "purchase")),
    ("operation", "公务用车运行维护费", ("vehicles", "operation")),
)


def _comparisons() -> tuple[Comparison, ...]:
    out = [
        Comparison("income", "收入合计", "income", _amount("income", "total"), _amount("income", "total")),
        Comparison("expenditure", "支出合计", "expenditure", _amount("expenditure", "total"),
                   _amount("expenditure", "total")),
        Comparison("fund", "政府性基金预算拨款收入", "income", _amount("income", "fund"), _fund_total),
    ]
    for key, name, path in THREE_PUBLIC_ITEMS:
        out.append(Comparison(f"three_public.{key}", f"{name}预算数", "three_public",
                              _amount("three_public", *path, "budget"), _amount("three_public", *path, "budget")))
        out.append(Comparison(f"three_public.{key}.actual", f"{name}执行数", "three_public",
                              _amount("three_public", *path, "budget"), _amount("three_public", *path, "actual")))
    out.append(Comparison("operating_costs", "机关运行经费", "operating_costs", _amount("operating_costs", "total"),
                          _amount("operating_costs", "total")))
    return tuple(out)


COMPARISONS = _comparisons()
BY_KEY = {c.key: c for c in COMPARISONS}
