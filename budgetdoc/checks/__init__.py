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

from ..model import KnownIssue, YearBudget
from ..style import ReasonRule
from ..number import plain
from ..problems import Problem, Severity, note, sort_problems, warning
from . import content, crossyear, disclosure, identities
from .units import figures_in, unit

YEAR_CHECKS = identities.CHECKS + content.CHECKS


def check_year(budget: YearBudget) -> list[Problem]:
    problems: list[Problem] = []
    with figures_in(budget.unit):
        for check in YEAR_CHECKS:
            problems.extend(check(budget))
    return problems


def as_historic(problems: list[Problem], prior: YearBudget) -> list[Problem]:
    """Downgrade a previous year's findings to warnings, saying so.

    A finding the year's known_issues.yaml records (same rule, file and
    difference) is one line of 提示 instead; a recorded issue that no longer
    occurs is a warning, so the record does not outlive the data.
    """
    year = prior.year
    known = list(prior.known_issues.issues) if prior.known_issues else []
    used: set[int] = set()
    out = []
    for p in problems:
        match = next((i for i, k in enumerate(known) if _is(k, p)), None)
        if match is not None:
            used.add(match)
            out.append(note(p.rule, f"上年（{year}年）已公开数据中的已知不一致（相差 {plain(p.gap)} {unit()}），按原样保留："
                                    f"{known[match].note}", p.source))
            continue
        out.append(Problem(Severity.WARNING, p.rule, f"上年（{year}年）数据不一致：{p.message}", p.source,
                           "上年数据按已公开的原样保留，报告照常生成；如确属录入错误，请改正上年文件；"
                           f"核实无误后可记入 {prior.folder}/known_issues.yaml，以后只给一行提示。",
                           p.related, p.gap))
    for i, k in enumerate(known):
        if i not in used:
            out.append(warning("已知问题", f"known_issues.yaml 记录的“{k.rule}”不一致（{k.file}，相差 "
                               f"{plain(k.gap.value) if k.gap else '?'} {unit()}）已经不存在了。", k.source,
                               "数据已改正的话，删去这一条记录。"))
    return out


def _is(known: KnownIssue, problem: Problem) -> bool:
    file = problem.source.file if problem.source else ""
    return (known.rule == problem.rule and known.gap is not None and problem.gap == known.gap.value
            and (file == known.file or file.endswith("/" + (known.file or ""))))


def run_checks(current: YearBudget, prior: YearBudget | None, reasons: "ReasonRule | None" = None) -> list[Problem]:
    """All checks for a report of ``current`` compared with ``prior``.

    ``reasons``: the house style's rule for when a change needs its 变动原因.
    """
    problems = check_year(current)
    with figures_in(current.unit):
        return sort_problems(problems + _the_rest(current, prior, reasons))


def _the_rest(current: YearBudget, prior: YearBudget | None, reasons: "ReasonRule | None") -> list[Problem]:
    problems: list[Problem] = []
    for check in disclosure.CHECKS:      # the reported year only: history need not be complete
        problems.extend(check(current))
    if current.known_issues is not None and current.known_issues.issues:
        first = current.known_issues.issues[0]
        problems.append(warning("已知问题", "known_issues.yaml 只对作为“上年”的年份起作用：正在生成报告的年份，"
                                "数据必须自洽，其中的不一致仍然是错误。", first.source,
                                "改正本年数据中的不一致；这个文件留到明年（本年成为上年）时再用。"))
    if prior is not None:
        problems.extend(as_historic(check_year(prior), prior))
        problems.extend(crossyear.check(current, prior))
        if reasons is not None:
            problems.extend(crossyear.unexplained_changes(current, prior, reasons))
    return problems
