"""The previous year against the year being reported."""

from __future__ import annotations

from ..model import FunctionItem, YearBudget
from ..problems import Problem, warning


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


def check(current: YearBudget, prior: YearBudget) -> list[Problem]:
    return function_names(current, prior)
