"""The previous year against the year being reported."""

from __future__ import annotations

from ..comparisons import COMPARISONS
from ..model import DATA_FILES, FunctionItem, YearBudget
from ..problems import Problem, Source, warning


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
    return function_names(current, prior) + missing_comparisons(current, prior)
