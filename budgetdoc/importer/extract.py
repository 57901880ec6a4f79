"""What an export says, whatever its shape: figures with the cell each was read from.

Every shape (the 公开表 workbook, line-item detail, a mapped layout) is read
into one :class:`Extract`; :mod:`.apply` turns it into the data files.
Amounts are 万元, exact; :meth:`Extract.in_unit` gives them in the department's data unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..problems import Problem, Source


@dataclass(frozen=True)
class Fig:
    value: Decimal
    where: Source


@dataclass
class Row:
    """A classified line (功能分类 or 经济分类): its code, name, and figures by column key."""

    code: str
    name: str
    where: Source
    values: dict[str, Fig] = field(default_factory=dict)

    def get(self, key: str) -> Decimal | None:
        fig = self.values.get(key)
        return None if fig is None else fig.value


@dataclass
class Project:
    name: str
    where: Source
    amount: Fig | None = None
    appropriation: Fig | None = None


#: Column keys of the 功能分类 tables: 合计 and the split; 资金来源 use the model's attrs (general, fund …).
SPLIT = ("basic", "project", "operating_expense")


@dataclass
class Extract:
    """The figures of one export.  ``None``: the export does not give that part."""

    shape: str                                          # how it was read, for the summary line
    department: tuple[str, Source] | None = None
    agencies: dict[str, Source] | None = None           # line items: every 单位名称 the rows give, where first
    year: tuple[int, Source] | None = None
    income: dict[str, Fig] = field(default_factory=dict)      # source attr, or "total" (收入总计)
    spending: dict[str, Fig] = field(default_factory=dict)    # "total" (本年支出合计), "carry_forward", "basic", "project"
    by_source: dict[str, Row] | None = None             # 部门收入总表: code → 合计 and one column per source
    split: dict[str, Row] | None = None                 # 部门支出总表: code → 合计, 基本, 项目, 经营
    general: dict[str, Row] | None = None               # 一般公共预算支出表 (with 上年结转)
    fund: dict[str, Row] | None = None                  # 政府性基金预算支出表
    trees: dict[str, dict[str, Row]] | None = None      # line items: source attr → code → Row, every level
    economic: dict[str, Row] | None = None              # 一般公共预算基本支出表: code → total, personnel, public
    economic_total: Row | None = None
    three_public: dict[str, Fig] | None = None          # total, abroad, reception, vehicles, purchase, operation
    projects: list[Project] | None = None
    names: dict[str, tuple[str, Source]] = field(default_factory=dict)   # code → first name seen, for consistency
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def in_unit(self, unit: str) -> "Extract":
        """These figures in ``unit`` (the department's 数据单位): 万元 as read, or 元 (× 10000, exact)."""
        if unit == "万元":
            return self
        factor = Decimal(10000)

        def fig(f: Fig | None) -> Fig | None:
            return None if f is None else Fig(f.value * factor, f.where)

        def figs(d: dict[str, Fig] | None) -> dict[str, Fig] | None:
            return None if d is None else {k: fig(v) for k, v in d.items()}   # type: ignore[misc]

        def row(r: Row | None) -> Row | None:
            return None if r is None else Row(r.code, r.name, r.where, figs(r.values) or {})

        def rows(d: dict[str, Row] | None) -> dict[str, Row] | None:
            return None if d is None else {k: row(v) for k, v in d.items()}   # type: ignore[misc]

        return replace(
            self, income=figs(self.income) or {}, spending=figs(self.spending) or {},
            by_source=rows(self.by_source), split=rows(self.split), general=rows(self.general), fund=rows(self.fund),
            trees=None if self.trees is None else {k: rows(v) for k, v in self.trees.items()},  # type: ignore[misc]
            economic=rows(self.economic), economic_total=row(self.economic_total),
            three_public=figs(self.three_public),
            projects=None if self.projects is None else [
                Project(p.name, p.where, fig(p.amount), fig(p.appropriation)) for p in self.projects])
