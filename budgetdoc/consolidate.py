"""部门口径 from 单位口径: a department's year as the consolidation of its budget units.

A year folder with a ``units/`` folder keeps its figures per budget unit
(本级 and each 二级单位), one folder each, named as department.yaml's
机构设置.单位 lists them::

    data/2020/department.yaml            the department (its 单位 list, 职能, 人员, 联系方式)
    data/2020/glossary.yaml              (or looked up: budgetdoc.folders)
    data/2020/units/奈曼旗政务服务局本级/*.yaml   a unit: the same data files as a year folder
    data/2020/units/奈曼旗政务服务中心/*.yaml

The department's figures are then the sum over its units.  A figure file
left out of the department folder is made from the units
(:func:`consolidate`); one kept there states the department's figures, and
each of them must equal the sum over the units (rule 单位汇总), as must the
department's 人员.  Every unit folder must be in the 单位 list, every unit in
the list must have a folder, and each unit's department.yaml names the
unit itself (rule 预算单位).  Each unit is checked as a year is; its own
report (单位预算公开) is built from its folder alone.

How units add up, line by line: amounts are summed; a 功能分类 or 经济分类
line keeps its 下级 (and a 功能分类 line its 基本/项目 split) only when every
unit that has the line gives them, so the consolidation is as detailed as
its least detailed unit; an optional figure (执行数, 授予中小企业, each kind of
车辆) only when every unit gives it; projects are listed unit by unit.  Texts
that explain one unit's figures (变动原因, 主要用途) are not carried over: the
department says them in its own files.

Nothing here changes :mod:`budgetdoc.compute`: the result is a
:class:`~budgetdoc.model.YearBudget` like any other.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Mapping

from .folders import GLOSSARY_FILE, UNITS_DIR, has_units, unit_names
from .load import YearFolder, load_year
from .model import (ASSETS, DATA_FILES, DEPARTMENT, EXPENDITURE, FUNCTIONS, INCOME, OPERATING_COSTS, PROCUREMENT,
                    THREE_PUBLIC, VEHICLE_KINDS, Assets, BasicSpending, CostItem, EconomicItem, Expenditure,
                    Figure, FunctionItem, Functions, Income, OperatingCosts, Procurement, ProjectSpending, Staff,
                    ThreePublic, Vehicles, YearBudget)
from .number import plain, round_money
from .problems import Problem, Severity, Source, error, has_errors, warning
from .provenance import keys_of
from .schema import Amount, Count, DataUnit, ListOf, Money, Record, SummedAmount

#: The data files that hold figures: made from the units when the department folder leaves them out.
FIGURE_FILES = ("income.yaml", "expenditure.yaml", "functions.yaml", "three_public.yaml", "operating_costs.yaml",
                "procurement.yaml", "assets.yaml")
_SPECS = {"income": INCOME, "expenditure": EXPENDITURE, "functions": FUNCTIONS, "three_public": THREE_PUBLIC,
          "operating_costs": OPERATING_COSTS, "procurement": PROCUREMENT, "assets": ASSETS}
_FILE_OF = {f.attr: f.name for f in DATA_FILES}


@dataclass(frozen=True)
class Unit:
    """A unit's year as loaded: its name (the folder's), folder and budget."""

    name: str
    folder: YearFolder
    budget: YearBudget


def unit_folder(folder: YearFolder, name: str) -> YearFolder:
    """The year folder of unit ``name`` inside a department's year folder."""
    return YearFolder(folder.year, folder.path / UNITS_DIR / name, f"{folder.shown}/{UNITS_DIR}/{name}")


def load_department_year(folder: YearFolder, strict: bool, fallbacks: Mapping[str, Path] | None = None,
                         unit: DataUnit | None = None, texts: Mapping[str, str] | None = None
                         ) -> tuple[YearBudget, list[Problem]]:
    """A year as its report reads it: the folder's own files, or, with ``units/``, the units' consolidation.

    ``strict``: the year being reported (its problems are errors); the year
    before is read leniently, and its consolidation problems are warnings.
    ``unit`` (the data unit when department.yaml does not say) and ``texts``
    (files about to be written) are as for :func:`budgetdoc.load.load_year`.
    """
    if not has_units(folder.path):
        return load_year(folder, strict, unit, texts, fallbacks=fallbacks)
    department, problems = load_year(folder, strict, unit, texts, fallbacks=fallbacks, not_required=FIGURE_FILES)
    glossary = folder.path / GLOSSARY_FILE
    unit_fallbacks = dict(fallbacks or {})
    if glossary.is_file():
        unit_fallbacks[GLOSSARY_FILE] = glossary
    units, unit_problems = load_units(folder, department, strict, unit_fallbacks)
    problems += unit_problems
    if has_errors(problems) or department.department is None:
        return department, problems
    budget, found = consolidate(department, units, folder.shown)
    problems += found if strict else [_as_warning(p) for p in found]
    return budget, problems


def load_units(folder: YearFolder, department: YearBudget, strict: bool,
               fallbacks: Mapping[str, Path]) -> tuple[list[Unit], list[Problem]]:
    """Every unit of the 单位 list that has a folder, in the list's order, each loaded and checked.

    A folder missing from the list, or a listed unit without a folder, is
    an error (a warning in the year before).
    """
    from .checks import check_year as check_budget

    found = unit_names(folder.path)
    org = department.department.organization if department.department else None
    listed = [u for u in (org.units if org else ()) if u.name]
    names = [u.name for u in listed]
    problems: list[Problem] = []
    # Where the list is: its first unit (a list has no position of its own in the model).
    where = (listed[0].source if listed else None) or (org.source if org else None) \
        or Source(f"{folder.shown}/department.yaml")
    problem = error if strict else warning
    for name in found:
        if name not in names:
            near = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
            problems.append(problem(
                "预算单位", f"{folder.shown}/{UNITS_DIR}/ 中的“{name}”不在 department.yaml 的 机构设置.单位 中"
                f"（列出的单位：{'、'.join(names) or '无'}）：部门的数字由列出的单位汇总，这个单位的数字没有算进去。",
                where, (f"是不是“{near[0]}”？文件夹名要与单位名称完全相同。" if near else "")
                + f"属于本部门的单位，在 机构设置.单位 中加上“{name}”和它的性质；不属于的，把文件夹移出 {UNITS_DIR}/。"))
    units: list[Unit] = []
    for unit in listed:
        if unit.name not in found:
            problems.append(problem(
                "预算单位", f"机构设置.单位 中的“{unit.name}”在 {folder.shown}/{UNITS_DIR}/ 中没有文件夹："
                "部门的数字由各单位汇总，缺少一个单位就不完整。", unit.source or where,
                f"建立 {folder.shown}/{UNITS_DIR}/{unit.name}/，放入这个单位的数据文件（与年度文件夹中的相同）；"
                "已不属于本部门的单位，从 机构设置.单位 中删去。"))
            continue
        year = unit_folder(folder, unit.name)
        budget, loaded = load_year(year, strict, department.unit, fallbacks=fallbacks)
        problems += loaded
        dept = budget.department
        if dept is not None and dept.name is not None and dept.name != unit.name:
            problems.append(problem(
                "预算单位", f"{year.shown}/department.yaml 的部门名称是“{dept.name}”，但这是单位“{unit.name}”的文件夹。",
                dept.field_sources.get("name", dept.source),
                f"单位的 department.yaml 写单位自己的情况：部门名称写“{unit.name}”（与文件夹名相同）。"))
        if strict and not has_errors(loaded):
            problems += check_budget(budget)
        units.append(Unit(unit.name, year, budget))
    return units, problems


def _as_warning(p: Problem) -> Problem:
    if not p.is_error:
        return p
    return Problem(Severity.WARNING, p.rule, f"上年数据不一致：{p.message}", p.source, p.hint, p.related, p.gap)


# ------------------------------------------------------------------ the consolidation


def consolidate(department: YearBudget, units: list[Unit], shown: str) -> tuple[YearBudget, list[Problem]]:
    """The department's year: its own files where it has them (checked against the units), the units' sums elsewhere."""
    budgets = [u.budget for u in units]
    problems: list[Problem] = []
    if not units:
        return department, problems

    def src(attr: str) -> Source:
        return Source(f"{shown}/{_FILE_OF[attr]}（各单位之和）")

    made = {
        "income": _income(budgets, src("income")),
        "expenditure": _expenditure(budgets, src("expenditure")),
        "functions": _functions(budgets, src("functions")),
        "three_public": _three_public(budgets, src("three_public")),
        "operating_costs": _operating_costs(units, src("operating_costs"), problems),
        "procurement": _procurement(budgets, src("procurement")),
        "assets": _assets(units, src("assets"), problems),
    }
    sections = {}
    for attr, summed in made.items():
        stated = getattr(department, attr)
        if stated is None:
            sections[attr] = summed
            continue
        sections[attr] = stated
        problems += _compare(_FILE_OF[attr], _SPECS[attr], stated, units, attr, shown)
    dept = department.department
    if dept is not None and dept.staff is not None:
        problems += _compare_staff(dept.staff, units)
    return YearBudget(year=department.year, folder=department.folder, department=dept, unit=department.unit,
                      glossary=department.glossary, known_issues=department.known_issues, **sections), problems


def _sum(amounts: Iterable[Amount | None], source: Source) -> Amount | None:
    """The sum of the amounts given (None when none is)."""
    parts = [a for a in amounts if a is not None]
    return SummedAmount(sum((a.value for a in parts), Decimal(0)), source, keys_of(parts)) if parts else None


def _sum_all(amounts: list[Amount | None], source: Source) -> Amount | None:
    """The sum, only when every amount is given."""
    return _sum(amounts, source) if amounts and all(a is not None for a in amounts) else None


def _count(values: Iterable[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def _first(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _income(budgets: list[YearBudget], source: Source) -> Income | None:
    incomes = [b.income for b in budgets if b.income is not None]
    if not incomes:
        return None
    fields = ("total", "general", "fund", "state_capital", "business", "operating", "other", "carryover", "reserve")
    return Income(**{f: _sum((getattr(i, f) for i in incomes), source) for f in fields}, source=source)


def _expenditure(budgets: list[YearBudget], source: Source) -> Expenditure | None:
    spent = [b.expenditure for b in budgets if b.expenditure is not None]
    if not spent:
        return None
    basics = [e.basic for e in spent if e.basic is not None]
    economic = [b.economic for b in basics]
    projects = [e.project for e in spent if e.project is not None]
    return Expenditure(
        total=_sum((e.total for e in spent), source),
        basic=BasicSpending(total=_sum((b.total for b in basics), source),
                            personnel=_sum((b.personnel for b in basics), source),
                            public=_sum((b.public for b in basics), source),
                            economic=_economic([e for e in economic if e is not None], source)
                            if economic and all(e is not None for e in economic) else None,
                            source=source) if basics else None,
        project=ProjectSpending(total=_sum((p.total for p in projects), source),
                                projects=tuple(item for p in projects for item in p.projects or ()),
                                source=source) if projects else None,
        operating=_sum((e.operating for e in spent), source),
        carry_forward=_sum((e.carry_forward for e in spent), source),
        source=source)


def _grouped(trees: Iterable[tuple], key) -> dict[str, list]:
    groups: dict[str, list] = {}
    for tree in trees:
        for item in tree:
            groups.setdefault(key(item), []).append(item)
    return groups


def _economic(trees: list[tuple[EconomicItem, ...]], source: Source) -> tuple[EconomicItem, ...]:
    out = []
    for code, items in sorted(_grouped(trees, lambda i: i.code or "").items()):
        children = _economic([i.children for i in items], source) if all(i.children for i in items) else ()
        out.append(EconomicItem(code=code, name=items[0].name, personnel=_sum((i.personnel for i in items), source),
                                public=_sum((i.public for i in items), source), children=children, source=source))
    return tuple(out)


def _function_items(trees: list[tuple[FunctionItem, ...]], source: Source) -> tuple[FunctionItem, ...]:
    out = []
    for code, items in sorted(_grouped(trees, lambda i: i.code or "").items()):
        split = all(i.split for i in items)
        children = _function_items([i.children for i in items], source) if all(i.children for i in items) else ()
        out.append(FunctionItem(
            code=code, name=items[0].name, short_name=_first(i.short_name for i in items),
            amount=_sum((i.amount for i in items), source),
            basic=_sum((i.basic for i in items), source) if split else None,
            project=_sum((i.project for i in items), source) if split else None,
            operating=_sum((i.operating for i in items), source) if split else None,
            purpose=_first(i.purpose for i in items), children=children, source=source))
    return tuple(out)


def _functions(budgets: list[YearBudget], source: Source) -> Functions | None:
    given = [b.functions for b in budgets if b.functions is not None]
    if not given:
        return None
    trees = {}
    for attr in ("general", "fund", "state_capital", "business", "operating", "other", "reserve", "carryover"):
        lists = [getattr(f, attr) for f in given]
        if all(t is None for t in lists):
            trees[attr] = None
        else:
            trees[attr] = _function_items([t for t in lists if t], source)
    return Functions(**trees, source=source)


def _figure(figures: list[Figure | None], source: Source) -> Figure | None:
    """A 三公 line: 预算数 summed; 执行数 only when every unit gives it."""
    given = [f for f in figures if f is not None]
    if not given:
        return None
    actual = _sum_all([f.actual for f in given], source) if len(given) == len(figures) else None
    return Figure(budget=_sum((f.budget for f in given), source), actual=actual, source=source)


def _three_public(budgets: list[YearBudget], source: Source) -> ThreePublic | None:
    given = [b.three_public for b in budgets if b.three_public is not None]
    if not given:
        return None
    cars = [t.vehicles for t in given]
    return ThreePublic(
        total=_figure([t.total for t in given], source), abroad=_figure([t.abroad for t in given], source),
        reception=_figure([t.reception for t in given], source),
        vehicles=Vehicles(total=_figure([c.total if c else None for c in cars], source),
                          purchase=_figure([c.purchase if c else None for c in cars], source),
                          operation=_figure([c.operation if c else None for c in cars], source),
                          source=source) if any(cars) else None,
        source=source)


def _operating_costs(units: list[Unit], source: Source, problems: list[Problem]) -> OperatingCosts | None:
    given = [(u, u.budget.operating_costs) for u in units if u.budget.operating_costs is not None]
    if not given:
        return None
    items: dict[str, list[CostItem]] = {}
    for _, costs in given:
        for item in costs.items or ():
            items.setdefault(item.name or "", []).append(item)
    counted = [bool(c.includes_projects) for _, c in given]
    if len(set(counted)) > 1:
        with_projects = "、".join(u.name for (u, _), flag in zip(given, counted) if flag)
        without = "、".join(u.name for (u, _), flag in zip(given, counted) if not flag)
        first = next(c for _, c in given if bool(c.includes_projects) != counted[0])
        problems.append(error("单位汇总", f"各单位的机关运行经费口径不一：{with_projects} 的合计包括项目支出，"
                                         f"{without} 的不包括，部门的机关运行经费无法相加。", first.source,
                              "同一部门的各单位按同一口径填写 operating_costs.yaml 的“包括项目支出”。"))
    return OperatingCosts(total=_sum((c.total for _, c in given), source),
                          items=tuple(CostItem(name, _sum((i.amount for i in group), source), source)
                                      for name, group in items.items()),
                          includes_projects=counted[0], source=source)


def _procurement(budgets: list[YearBudget], source: Source) -> Procurement | None:
    given = [b.procurement for b in budgets if b.procurement is not None]
    if not given:
        return None
    return Procurement(total=_sum((p.total for p in given), source), goods=_sum((p.goods for p in given), source),
                       works=_sum((p.works for p in given), source),
                       services=_sum((p.services for p in given), source),
                       sme=_sum_all([p.sme for p in given], source), source=source)


def _assets(units: list[Unit], source: Source, problems: list[Problem]) -> Assets | None:
    given = [(u, u.budget.assets) for u in units if u.budget.assets is not None]
    if not given:
        return None
    dates = {a.as_of for _, a in given if a.as_of}
    if len(dates) > 1:
        listing = "；".join(f"{u.name}：{a.as_of}" for u, a in given)
        later = next(a for _, a in given if a.as_of != given[0][1].as_of)
        problems.append(error("单位汇总", f"各单位国有资产的统计时点不同（{listing}），部门的数字无法相加。",
                              later.field_sources.get("as_of", later.source),
                              "各单位的 assets.yaml 填同一个“统计截至”。"))
    # The kinds of 车辆 add up only when every unit with a car says of which kind.
    kinds_known = all(any(getattr(a, attr) is not None for attr, _ in VEHICLE_KINDS) or not a.vehicles
                      for _, a in given)
    kinds = {attr: _count(getattr(a, attr) for _, a in given) if kinds_known else None for attr, _ in VEHICLE_KINDS}
    return Assets(as_of=given[0][1].as_of, vehicles=_count(a.vehicles for _, a in given),
                  large_equipment=_count(a.large_equipment for _, a in given), source=source, **kinds)


# ------------------------------------------------------------------ the department's own figures, checked


@dataclass(frozen=True)
class Stated:
    """One amount or count of a data file, found by :func:`figures_of`."""

    label: str                  # as the clerk reads the file: 基本支出 → 合计
    value: Decimal
    source: Source | None
    count: bool = False         # a number of people, cars …: shown without decimals


def figures_of(spec: Record, obj: object) -> tuple[dict[tuple[str, ...], Stated], set[tuple[str, ...]]]:
    """Every amount and count of a data file's model, by its path of keys, and the paths of the groups it
    gives (a field group, or a list with items), so that a figure is compared only where the file goes into
    that much detail.  A list item is keyed by its 编码 (else its 名称) and shown with both: the labels read
    ``一般公共预算 → 201 一般公共服务支出 → 金额``.
    """
    values: dict[tuple[str, ...], Stated] = {}
    groups: set[tuple[str, ...]] = set()
    _walk(spec, obj, (), (), values, groups)
    return values, groups


def _walk(spec: Record, obj: object, path: tuple[str, ...], shown: tuple[str, ...], values: dict,
          groups: set) -> None:
    groups.add(path)
    for fld in spec.fields:
        value = getattr(obj, fld.attr, None)
        if value is None:
            continue
        here, label = path + (fld.key,), (shown if fld.key == "下级" else shown + (fld.key,))
        if isinstance(fld.spec, Money):
            _add(values, here, " → ".join(label), value.value, value.source, False)
        elif isinstance(fld.spec, Count):
            sources = getattr(obj, "field_sources", {}) or {}
            _add(values, here, " → ".join(label), Decimal(value),
                 sources.get(fld.attr, getattr(obj, "source", None)), True)
        elif isinstance(fld.spec, Record):
            _walk(fld.spec, value, here, label, values, groups)
        elif isinstance(fld.spec, ListOf) and isinstance(fld.spec.item, Record) and value:
            groups.add(here + ("[]",))      # a list that has items: each item of the units' is compared
            for item in value:
                code, name = getattr(item, "code", None), getattr(item, "name", None)
                if code is None and name is None:
                    continue
                _walk(fld.spec.item, item, here + (code or name,),
                      label + (f"{code} {name}" if code and name else (code or f"“{name}”"),), values, groups)


def _add(values: dict, path: tuple[str, ...], label: str, value: Decimal, source: Source | None,
         count: bool) -> None:
    if path in values:      # two items of one name (projects): their sum
        first = values[path]
        value, source, label = first.value + value, first.source, first.label
    values[path] = Stated(label, value, source, count)


_DETAIL = frozenset({"下级", "经济分类"})


def _in_detail_given(path: tuple[str, ...], groups: set[tuple[str, ...]]) -> bool:
    """Whether a unit's figure at ``path`` is within what the department's file gives (see :func:`_compare`)."""
    for i, key in enumerate(path):
        if key in _DETAIL and (path[:i] not in groups or path[:i + 1] + ("[]",) not in groups):
            return False
    return True


def _compare(file: str, spec: Record, stated: object, units: list[Unit], attr: str, shown: str) -> list[Problem]:
    """Each figure the department's own file states against the sum over its units (rule 单位汇总).

    Compared: every figure of the department's file, and every figure of its
    units' files, except detail the department's file does not go into (a
    类 it gives without 下级 is compared as a whole; 经济分类 only when it gives
    them) and the lines under an item it lacks (the item is named once).
    """
    mine, groups = figures_of(spec, stated)
    per_unit = [(u, figures_of(spec, getattr(u.budget, attr))[0] if getattr(u.budget, attr) is not None else {})
                for u in units]
    paths = list(mine)
    for _, found in per_unit:
        paths += [k for k in found if k not in mine and k not in paths and _in_detail_given(k, groups)]
    problems = []
    for path in paths:
        have = [(u, found[path]) for u, found in per_unit if path in found]
        total = sum((f.value for _, f in have), Decimal(0))
        own = mine.get(path)
        if own is not None and own.value == total:
            continue
        figure = own or have[0][1]
        show = (lambda v: str(int(v))) if figure.count else _money
        listing = " + ".join(f"{u.name} {plain(f.value)}" for u, f in have)
        parts = f"（{listing}）" if listing else "（没有单位填写这一项）"
        related = [f.source for _, f in have if f.source is not None]
        if own is None:
            where = Source(f"{shown}/{file}")
            message = f"{file} 中没有“{figure.label}”，各单位之和却是 {show(total)}{parts}：部门的数字应是各单位之和。"
            gap = total
        else:
            where = own.source
            gap = abs(own.value - total)
            message = (f"{file} 中“{figure.label}”是 {plain(own.value)}，各单位之和是 {show(total)}{parts}，"
                       f"相差 {show(gap)}{'' if figure.count else ' 万元'}。")
        problems.append(error("单位汇总", message, where,
                              f"部门的数字应是各单位之和：核对各单位 {file} 中的这一项，或改正部门的数字；"
                              f"部门文件夹中不放 {file} 时，直接使用各单位之和。", related,
                              gap=None if figure.count else gap))
    return problems


def _compare_staff(staff: Staff, units: list[Unit]) -> list[Problem]:
    """The department's 人员 against the sum over its units."""
    labels = {f.attr: f.key for f in next(f for f in DEPARTMENT.fields if f.attr == "staff").spec.fields}
    problems = []
    for attr, key in labels.items():
        stated = getattr(staff, attr)
        given = [(u, getattr(u.budget.department.staff, attr)) for u in units
                 if u.budget.department is not None and u.budget.department.staff is not None]
        found = [(u, v) for u, v in given if v is not None]
        if stated is None or not found or len(found) < len(units):
            continue
        total = sum(v for _, v in found)
        if stated == total:
            continue
        listing = " + ".join(f"{u.name} {v}" for u, v in found)
        problems.append(error("单位汇总", f"department.yaml 中人员“{key}”是 {stated}，各单位之和是 {total}（{listing}）。",
                              staff.field_sources.get(attr, staff.source),
                              "部门的人员应是各单位之和：核对各单位 department.yaml 的“人员”，或改正部门的数字。",
                              [u.budget.department.staff.field_sources.get(attr) for u, _ in found
                               if u.budget.department.staff.field_sources.get(attr) is not None]))
    return problems


def _money(value: Decimal) -> str:
    return plain(round_money(value))
