"""Checks: plain functions ``check(budget) -> list[Problem]``, in a fixed order.

Families, one module each:

* :mod:`.identities` — every sum the report relies on (收支平衡, 基本支出 =
  人员经费 + 公用经费, Σ 功能分类, “三公”, 机关运行经费, 政府采购, 车辆 …);
* :mod:`.content` — text and classification hygiene (placeholders left in,
  obsolete 科目 names);
* :mod:`.crossyear` — the previous year against the current one;
* :mod:`.disclosure` — what the 公开表 and 财预〔2016〕143号 need of the
  reported year (a source without its 功能分类, depth 提示, 绩效指标).

The year being reported must be consistent: its problems are errors.  The
previous year is historic published data: its inconsistencies are warnings
that name both numbers, and the build goes on.
"""

from __future__ import annotations

from ..model import YearBudget
from ..problems import Problem, Severity, sort_problems
from . import content, crossyear, disclosure, identities

YEAR_CHECKS = identities.CHECKS + content.CHECKS


def check_year(budget: YearBudget) -> list[Problem]:
    problems: list[Problem] = []
    for check in YEAR_CHECKS:
        problems.extend(check(budget))
    return problems


def as_historic(problems: list[Problem], year: int) -> list[Problem]:
    """Downgrade a previous year's findings to warnings, saying so."""
    out = []
    for p in problems:
        out.append(Problem(Severity.WARNING, p.rule, f"上年（{year}年）数据不一致：{p.message}", p.source,
                           "上年数据按已公开的原样保留，报告照常生成；如确属录入错误，请改正上年文件。",
                           p.related))
    return out


def run_checks(current: YearBudget, prior: YearBudget | None) -> list[Problem]:
    """All checks for a report of ``current`` compared with ``prior``."""
    problems = check_year(current)
    for check in disclosure.CHECKS:      # the reported year only: history need not be complete
        problems.extend(check(current))
    if prior is not None:
        problems.extend(as_historic(check_year(prior), prior.year))
        problems.extend(crossyear.check(current, prior))
    return sort_problems(problems)
