"""Disclosure rules for the year being reported: what the 公开表 need, and what 143号 asks for.

The identities (:mod:`.identities`) hold whatever the data's depth; these
rules are about the depth itself, so they apply to the reported year only
(the previous year is read for comparisons and need not be complete):

* a source of income needs its 功能分类 (error): without it the 部门收入总表
  and 部门收支总表 cannot add up;
* what 财预〔2016〕143号 asks that the data does not give — 功能分类 to 项,
  基本支出 by 经济分类 款, 绩效指标 — is one 提示 each: the report builds,
  the tables show what there is;
* 绩效指标 use the 一级 / 二级 framework (an unknown 二级 is a warning).
"""

from __future__ import annotations

from ..model import FUNCTION_SOURCES, INCOME_SOURCES, INDICATOR_LEVELS, FunctionItem, YearBudget
from ..number import ZERO, plain
from ..problems import Problem, Source, error, note, warning
from .units import unit



def _file(b: YearBudget, name: str) -> Source:
    return Source(f"{b.folder}/{name}")


def sources_have_functions(b: YearBudget) -> list[Problem]:
    """Each source of income with money in it says which 功能分类 it pays for."""
    inc, fn, exp = b.income, b.functions, b.expenditure
    if inc is None or fn is None:
        return []
    given = {attr for attr, _, _ in fn.trees()}
    keys = dict(INCOME_SOURCES)
    out = []
    for attr, key, _ in FUNCTION_SOURCES:
        amount = getattr(inc, attr, None)
        if attr in given or amount is None or amount.value == ZERO:
            continue
        if attr == "carryover":
            kept = exp.carry_forward.value if exp is not None and exp.carry_forward is not None else ZERO
            if amount.value <= kept:     # all of it is carried on to next year
                continue
            out.append(error("公开要求", f"上年结转 {plain(amount.value)} {unit()}中有 {plain(amount.value - kept)} {unit()}"
                             "本年安排支出，但 functions.yaml 中没有“上年结转”一组，部门收入总表、部门支出总表无法列出。",
                             amount.source, "在 functions.yaml 中加一组“上年结转:”，按功能分类填写由上年结转资金安排的支出；"
                             "留到下一年的部分填在 expenditure.yaml 的“结转下年”。"))
            continue
        out.append(error("公开要求", f"{keys[attr]} {plain(amount.value)} {unit()}，但 functions.yaml 中没有“{key}”一组，"
                         "部门收入总表、部门支出总表无法按功能分类列出这笔资金。", amount.source,
                         f"在 functions.yaml 中加一组“{key}:”，按功能分类（类、款、项）填写由{keys[attr]}安排的支出，"
                         f"各类之和等于 {plain(amount.value)}。"))
    return out


def _walk(items):
    for item in items or ():
        yield item
        yield from _walk(item.children)


def _deepest(item: FunctionItem) -> int:
    return 1 + max((_deepest(c) for c in item.children), default=0)


def depth_notes(b: YearBudget) -> list[Problem]:
    """One line for each thing 143号 asks to publish that the data does not give."""
    fn, exp = b.functions, b.expenditure
    out: list[Problem] = []
    if fn is not None:
        classes = [item for _, _, items in fn.trees() for item in items]
        shallow = list(dict.fromkeys(item.code for item in classes if _deepest(item) < 3))
        if shallow:
            out.append(note("公开要求", f"功能分类 {'、'.join(shallow)} 只填到“类”或“款”：财预〔2016〕143号要求公开到“项”，"
                            "表中只能列到已填的一级。", _file(b, "functions.yaml")))
        unsplit = [item for item in _walk(tuple(classes)) if not item.split]
        if unsplit:
            out.append(note("公开要求", f"功能分类有 {len(unsplit)} 行没有分基本支出和项目支出：部门支出总表、一般公共预算支出表"
                            "中这些行的基本支出、项目支出栏空着（合计行照常列出）。", _file(b, "functions.yaml")))
    basic = exp.basic if exp is not None else None
    if basic is not None:
        if not basic.economic:
            out.append(note("公开要求", "基本支出没有按经济分类填写：财预〔2016〕143号要求公开到经济分类“款”，"
                            "一般公共预算基本支出表只有合计行。", _file(b, "expenditure.yaml")))
        elif any(not item.children for item in basic.economic):
            shallow = "、".join(item.code or "" for item in basic.economic if not item.children)
            out.append(note("公开要求", f"经济分类 {shallow} 没有列出“款”：财预〔2016〕143号要求公开到经济分类“款”。",
                            _file(b, "expenditure.yaml")))
    projects = exp.project.projects if exp is not None and exp.project is not None else None
    published = [p for p in projects or () if p.performance == "已公开"]
    bare = [p for p in published if not p.indicators]
    if bare:
        out.append(note("公开要求", f"{len(bare)} 个公开绩效目标的项目没有填写绩效指标：项目支出绩效目标表中这些项目只有名称和金额。",
                        _file(b, "expenditure.yaml")))
    return out


_SECOND = dict(INDICATOR_LEVELS)


def indicators(b: YearBudget) -> list[Problem]:
    exp = b.expenditure
    projects = exp.project.projects if exp is not None and exp.project is not None else None
    out = []
    for p in projects or ():
        if p.indicators and p.performance == "未填报":
            out.append(warning("绩效目标", f"项目“{p.name}”的绩效目标写的是“未填报”，却填写了 {len(p.indicators)} 条绩效指标。",
                               p.source, "填报了绩效目标就把“绩效目标”改为“已公开”或“已填报未公开”；否则删去绩效指标。"))
        for ind in p.indicators:
            known = _SECOND.get(ind.first or "", ())
            if ind.second and known and ind.second not in known:
                out.append(warning("绩效目标", f"项目“{p.name}”的二级指标“{ind.second}”不是“{ind.first}”下常用的二级指标"
                                   f"（{'、'.join(known)}）。", ind.source,
                                   "核对一级、二级指标是否对应；本地另有规定的可忽略。"))
    return out


def same_depth_across_sources(b: YearBudget) -> list[Problem]:
    """A 功能分类 line listed by 款 (or 项) in one source's tree is listed so in every tree that has it.

    The 部门收入总表 and 部门支出总表 add the trees up line by line: a 类 broken
    down in one tree and not in another would show 款 that do not add up to it.
    """
    fn = b.functions
    if fn is None:
        return []
    seen: dict[str, list[tuple[str, FunctionItem]]] = {}
    for _, key, items in fn.trees():
        for item in _walk(items):
            seen.setdefault(item.code or "", []).append((key, item))
    out = []
    for code, places in seen.items():
        broken = [key for key, item in places if item.children]
        for key, item in places:
            if broken and not item.children:
                out.append(error("公开要求", f"科目 {code} {item.name}在“{'、'.join(broken)}”中列出了下级科目，在“{key}”中却没有："
                                 "部门收入总表、部门支出总表按科目逐行相加，下级科目会加不到上级的数。", item.source,
                                 f"在“{key}”的 {code} 下也按同样的下级科目（款、项）列出金额。"))
    return out


CHECKS = (sources_have_functions, same_depth_across_sources, depth_notes, indicators)
