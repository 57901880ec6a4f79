"""The table set: which 公开表 a report has, in what order, numbered and titled how.

Regions differ in the set of tables, their order and numbering, some column
variants and whether the 合计 row comes first or last.  All of that is the
table set file ``tables.yaml`` beside the templates (``templates/tables.yaml``
by default), never code.  It is read like a data file: safely, with every
mistake located and explained in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..folders import TABLESET_FILE
from ..problems import BudgetError, Problem, Source, error
from ..schema import Choice, Context, Field, Flag, ListOf, Record, Text
from ..yamlsrc import load_file

#: The kinds of table budgetdoc can draw, by their standard names, and the
#: fund an empty one is about (the 空表说明 names it: a note copied from
#: another table is a known defect of published reports).
KINDS: tuple[tuple[str, str], ...] = (
    ("部门收支总表", ""),
    ("部门收入总表", ""),
    ("部门支出总表", ""),
    ("财政拨款收支总表", ""),
    ("一般公共预算支出表", "一般公共预算财政拨款"),
    ("一般公共预算基本支出表", "一般公共预算基本支出"),
    ("一般公共预算“三公”经费支出表", ""),
    ("政府性基金预算支出表", "政府性基金预算财政拨款"),
    ("项目支出绩效目标表", "项目支出"),
)
FUNDS = dict(KINDS)
DEFAULT_EMPTY_NOTE = "注：本部门{年度}年无{资金}安排，本表为空表。"


@dataclass(frozen=True)
class TableSpec:
    """One table of the set."""

    number: str | None = None
    kind: str | None = None
    title: str | None = None          # default: {年度}年 + the kind's name
    note: str | None = None           # 空表说明 for this table
    vertical: bool | None = None      # “三公”经费表: 项目 | 预算数 rows instead of one row of columns
    prior_row: bool | None = None     # “三公”经费表: a row (or column) for 上年预算
    all_classes: bool | None = None   # 部门收支总表: every 类 of the edition, not only those with money
    source: Source | None = None

    @property
    def fund(self) -> str:
        return FUNDS.get(self.kind or "", "")


@dataclass(frozen=True)
class TableSet:
    issuer_label: str | None = None   # 编制部门 / 单位名称
    total_last: bool | None = None    # 合计 row last instead of first
    blank_zero: bool | None = None    # zero amounts as an empty cell
    unit: str | None = None           # 单位：万元
    empty_note: str | None = None
    tables: tuple[TableSpec, ...] = ()
    source: Source | None = None


TABLESET = Record(TableSet, [
    Field("编制部门标签", "issuer_label", Text(), False, "表上方左侧的标签，如“编制部门”或“单位名称”，后面接部门名称。"),
    Field("合计行在末行", "total_last", Flag(), False, "“是”：合计行放在表的最后一行；默认放在表头下的第一行。"),
    Field("零值空白", "blank_zero", Flag(), False, "“是”：金额为 0 的格子留空（合计行除外）；默认写 0.00。"),
    Field("单位", "unit", Text(), False, "表上方右侧的单位说明；默认按文风的表格单位写“单位：万元”或“单位：元”。"),
    Field("空表说明", "empty_note", Text(), False,
          "没有数字的表下面的说明，{年度}换成年度，{资金}换成该表自己的资金（如“政府性基金预算财政拨款”）。"),
    Field("表", "tables", ListOf(Record(TableSpec, [
        Field("编号", "number", Text(), True, "表的编号，如“表1”“表3-1”“附表一”。"),
        Field("表样", "kind", Choice(tuple(kind for kind, _ in KINDS)), True, "画哪一张表。"),
        Field("标题", "title", Text(), False, "表的标题，{年度}换成年度；默认为“{年度}年”加表样名称。"),
        Field("空表说明", "note", Text(), False, "这张表没有数字时的说明；默认用上面的“空表说明”。"),
        Field("竖排", "vertical", Flag(), False, "只用于“三公”经费表：“是”为“项目 | 预算数”逐行列出。"),
        Field("上年预算", "prior_row", Flag(), False, "只用于“三公”经费表：同时列出上年预算数（默认“是”，有上年数据时）。"),
        Field("列出全部类", "all_classes", Flag(), False, "只用于部门收支总表：支出列出科目表中的全部“类”（没有数的留空）。"),
    ]), 1), True, "公开表，按出现的顺序列出。"),
], title="部门预算公开表", description="第六部分各表的顺序、编号、标题和列法。")


def load_tableset(templates: Path) -> tuple[TableSet, list[Problem]]:
    """Read ``tables.yaml`` of a template folder; problems located, never raised."""
    path = templates / TABLESET_FILE
    shown = _shown(path)
    if not path.is_file():
        return TableSet(), [error("公开表", f"模板目录中没有公开表设置文件 {TABLESET_FILE}。", Source(shown),
                                  f"从 budgetdoc 自带的模板中复制一份 {TABLESET_FILE} 后修改"
                                  "（budgetdoc templates 目录 把自带的模板复制出来）。")]
    tree, problems = load_file(path, shown)
    if tree is None:
        if not any(p.is_error for p in problems):
            problems.append(error("公开表", f"{TABLESET_FILE} 是空的。", Source(shown, 1, 1), "列出要公开的表。"))
        return TableSet(), problems
    ctx = Context(strict=True)
    value = TABLESET.convert(tree, ctx, "")
    problems += ctx.problems
    if value is None:
        return TableSet(), problems
    problems += _consistent(value)
    return value, problems


def tableset_or_raise(templates: Path) -> TableSet:
    value, problems = load_tableset(templates)
    if any(p.is_error for p in problems):
        raise BudgetError(problems)
    return value


def _consistent(ts: TableSet) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, Source | None] = {}
    for spec in ts.tables:
        if spec.number in seen:
            out.append(error("公开表", f"表的编号“{spec.number}”用了两次。", spec.source, "每张表的编号不同。",
                             [s for s in [seen[spec.number or ""]] if s]))
        seen[spec.number or ""] = spec.source
        note = spec.note or ""
        own = spec.fund
        for kind, fund in KINDS:
            if note and fund and fund != own and fund in note and (not own or own not in note):
                out.append(error("公开表", f"{spec.number}（{spec.kind}）的空表说明写的是“{fund}”，那是{kind}的资金。",
                                 spec.source, f"空表说明只说这张表自己的资金（{own or '本表的内容'}）；"
                                 "可以写“{资金}”，由工具换成本表的资金。"))
    return out


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
