"""Shape (b): line-item detail — one row per budget line (预算管理一体化).

Each row has a 功能分类, usually a 经济分类, a 项目 (for 项目支出), a 资金来源 and an amount.  The
header row is found by its labels (Chinese, or the data model's field names: EXP_FUNC_CODE,
DEP_BGT_ECO_CODE, PRO_NAME, FUND_TYPE_NAME …); a mapping file may name other labels.  The rows
are added up into every tree's 项, 款 and 类 (基本 / 项目 kept apart), the 一般公共预算 基本支出 by
经济分类, and each project; rows that are subtotals among them (a shorter code, or 合计 / 小计)
are recomputed and compared with what the file says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..classification import code_name
from ..number import ZERO
from ..problems import Source, error
from ..yamledit import figure
from .cells import amount, is_total_label, joined_code, squash, valid_code
from .extract import Extract, Fig, Project, Row
from .workbook import Sheet, Workbook

FIELDS: dict[str, tuple[str, ...]] = {
    "func": ("EXP_FUNC_CODE", "支出功能分类", "支出功能分类科目", "支出功能分类科目编码", "功能分类科目编码", "功能分类编码",
             "功能科目编码", "功能分类", "功能科目", "功能分类科目"),
    "func_name": ("EXP_FUNC_NAME", "功能分类名称", "功能科目名称", "支出功能分类科目名称", "功能分类科目名称"),
    "econ": ("DEP_BGT_ECO_CODE", "部门预算经济分类", "部门经济分类", "部门预算支出经济分类", "部门经济分类编码",
             "部门预算经济分类编码", "经济分类编码", "经济分类", "经济科目", "部门经济科目"),
    "econ_name": ("DEP_BGT_ECO_NAME", "部门经济分类名称", "部门预算经济分类名称", "经济分类名称"),
    "project_code": ("PRO_CODE", "项目编码", "项目代码"),
    "project": ("PRO_NAME", "项目名称", "项目"),
    "fund": ("FUND_TYPE_NAME", "FUND_TYPE_CODE", "资金来源", "资金性质", "资金来源名称", "资金性质名称"),
    "kind": ("支出类型", "支出类别", "EXP_TYPE", "支出性质"),
    "amount": ("金额", "预算金额", "预算数", "本年预算", "本年预算数", "AMT", "BGT_AMT", "合计", "金额合计"),
    "agency": ("AGENCY_NAME", "单位名称", "预算单位", "单位"),
    "year": ("FISCAL_YEAR", "年度", "预算年度"),
}
LABELS = {"func": "功能分类", "func_name": "功能分类名称", "econ": "经济分类", "econ_name": "经济分类名称",
          "project_code": "项目编码", "project": "项目名称", "fund": "资金来源", "kind": "支出类型", "amount": "金额",
          "agency": "单位名称", "year": "年度"}
BY_LABEL = {v: k for k, v in LABELS.items()}

# 资金来源 by what its name says, in this order (上年结转 before 一般公共预算: “一般公共预算上年结转”).
SOURCE_WORDS = (("carryover", ("上年结转", "结转")), ("general", ("一般公共预算",)), ("fund", ("政府性基金",)),
                ("state_capital", ("国有资本经营",)), ("reserve", ("事业基金",)), ("operating", ("经营收入",)),
                ("business", ("事业收入",)), ("other", ("其他收入", "其他资金")))
SOURCE_NAMES = {"一般公共预算": "general", "政府性基金": "fund", "国有资本经营预算": "state_capital", "事业收入": "business",
                "事业单位经营收入": "operating", "其他收入": "other", "用事业基金弥补收支差额": "reserve", "上年结转": "carryover"}
APPROPRIATION = ("general", "fund", "state_capital", "carryover")
PERSONNEL_CLASSES = ("301", "303")


def _label(text: object) -> tuple[str, str | None]:
    """A header label without its unit: ``金额（元）`` → (``金额``, ``元``)."""
    label = squash(text).upper() if isinstance(text, str) else ""
    unit = None
    m = re.search(r"[(（](万元|元)[)）]$", label)
    if m:
        unit, label = m.group(1), label[: m.start()]
    return label, unit


@dataclass
class Layout:
    sheet: Sheet
    header: int
    columns: dict[str, int]
    unit: str | None


def find_layout(book: Workbook, names: dict[str, tuple[str, ...]] | None = None, sheet_name: str | None = None,
                header_row: int | None = None) -> Layout | None:
    """The sheet and header row of line-item detail: a 功能分类 and an amount column, and one more field."""
    names = names or FIELDS
    wanted = {field: {squash(n).upper() for n in labels} for field, labels in names.items()}
    sheets = [sheet_name] if sheet_name else book.sheet_names
    for name in sheets:
        sheet = book.sheet(name)
        rows = [header_row] if header_row is not None else range(min(15, len(sheet.rows)))
        for r in rows:
            columns: dict[str, int] = {}
            unit = None
            for c, value in enumerate(sheet.rows[r] if r < len(sheet.rows) else []):
                label, label_unit = _label(value)
                for field, labels in wanted.items():
                    if field not in columns and label in labels:
                        columns[field] = c
                        if field == "amount" and label_unit:
                            unit = label_unit
                        break
            if "func" in columns and "amount" in columns and ({"econ", "project", "fund"} & set(columns)):
                return Layout(sheet, r, columns, unit)
    return None


class LineReader:
    def __init__(self, book: Workbook, year: int, layout: Layout, unit: str | None,
                 sources: dict[str, str] | None = None):
        self.book = book
        self.year = year
        self.layout = layout
        self.unit = unit or layout.unit or _stated_unit(layout)
        self.sources = {squash(k): v for k, v in (sources or {}).items()}
        self.extract = Extract("逐行明细")
        self.problems = self.extract.problems

    def cell(self, row: int, field: str):
        col = self.layout.columns.get(field)
        return None if col is None else self.layout.sheet.value(row, col)

    def ref(self, row: int, field: str) -> Source:
        return self.layout.sheet.ref(row, self.layout.columns.get(field, 0))

    def source_of(self, row: int) -> str | None:
        value = self.cell(row, "fund")
        if value in (None, ""):
            return "general" if "fund" not in self.layout.columns else None
        text = squash(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text in self.sources:
            return self.sources[text]
        code, name = joined_code(text)
        if code and code in self.sources:
            return self.sources[code]
        for attr, words in SOURCE_WORDS:
            if any(w in (name or text) for w in words):
                return attr
        return None

    def read(self) -> Extract:
        sheet = self.layout.sheet
        ex = self.extract
        if self.unit is None:
            self.problems.append(error("导入金额", f"［{sheet.name}］没有写明金额单位（元还是万元）。", sheet.where(),
                                       "在金额栏的表头写明单位（如“金额（元）”），或在映射文件中写“单位: 元”。"))
            return ex
        for row, col in self.book.formulas_without_value(sheet.name):
            if row > self.layout.header:
                self.problems.append(error("导入金额", "这个格子是公式，但文件里没有保存公式的计算结果（值为空）。", sheet.ref(row, col),
                                           "在 Excel 或 WPS 中打开文件，确认公式算出了数字后保存，再导入。"))
        detail: list[tuple[int, str, str, str, str, str, Decimal]] = []   # row, code, source, kind, econ, project, amount
        stated: list[tuple[int, str, str | None, Fig]] = []               # subtotal rows: row, code ('' = 合计), source
        names: dict[str, tuple[str, Source]] = {}
        econ_names: dict[str, tuple[str, Source]] = {}
        agencies: dict[str, Source] = {}
        for r in range(self.layout.header + 1, len(sheet.rows)):
            cells = sheet.rows[r]
            if not any(v not in ("", None) for v in cells):
                continue
            value, problem = amount(self.cell(r, "amount"), self.ref(r, "amount"), self.unit, "金额")
            if problem is not None:
                self.problems.append(problem)
                continue
            code, inline = joined_code(self.cell(r, "func"))
            if not code:
                if any(is_total_label(v) for v in cells if isinstance(v, str)):
                    if value is not None:
                        stated.append((r, "", None, Fig(value, self.ref(r, "amount"))))
                    continue
                self.problems.append(error("导入科目", f"［{sheet.name}］第 {r + 1} 行的功能分类“{str(self.cell(r, 'func'))[:30]}”认不出："
                                           "应是 3、5 或 7 位的科目编码（可带名称，如 2010301-行政运行）。", self.ref(r, "func"),
                                           "核对这一格；不是预算明细的行请删除。"))
                continue
            if not valid_code(code, (3, 5, 7)):
                self.problems.append(error("导入科目", f"功能分类编码“{code}”应是 3、5 或 7 位数字。", self.ref(r, "func"),
                                           "核对这一格的编码。"))
                continue
            year = self.cell(r, "year")
            if year not in (None, "") and squash(year).split(".")[0] != str(self.year):
                if ex.year is None:
                    text = squash(year).split(".")[0]
                    ex.year = (int(text) if text.isdigit() else 0, self.ref(r, "year"))
            agency = self.cell(r, "agency")
            if isinstance(agency, str) and agency.strip():
                agencies.setdefault(agency.strip(), self.ref(r, "agency"))
            name = str(self.cell(r, "func_name") or "").strip() or inline
            if name:
                self._name(names, code, name, self.ref(r, "func_name" if "func_name" in self.layout.columns else "func"))
            source = self.source_of(r)
            if source is None:
                self.problems.append(error("导入表格", f"资金来源“{str(self.cell(r, 'fund'))[:30]}”认不出是哪一种资金。", self.ref(r, "fund"),
                                           "资金来源应写明一般公共预算、政府性基金、事业收入、上年结转等；文件只写代码时，"
                                           "在映射文件的“资金来源:”中写出每个代码是哪一种（见 docs/import.md）。"))
                continue
            if value is None:
                continue
            econ, econ_inline = joined_code(self.cell(r, "econ"))
            econ_name = str(self.cell(r, "econ_name") or "").strip() or econ_inline
            if econ and econ_name:
                self._name(econ_names, econ, econ_name, self.ref(r, "econ_name" if "econ_name" in self.layout.columns else "econ"))
            project = str(self.cell(r, "project") or self.cell(r, "project_code") or "").strip()
            kind_text = squash(self.cell(r, "kind") or "")
            kind = "project" if ("项目" in kind_text or (not kind_text and project)) else "basic"
            detail.append((r, code, source, kind, econ, project, value))
        if self.problems:
            return ex
        self._identity(agencies)
        codes = {code for _, code, *_ in detail}
        parents = {c for c in codes if any(o != c and o.startswith(c) for o in codes)}
        leaves = [d for d in detail if d[1] not in parents]        # a shorter code among longer ones: a subtotal row
        for r, code, source, kind, econ, project, value in detail:
            if code in parents:
                stated.append((r, code, source if "fund" in self.layout.columns and self.cell(r, "fund") else None,
                               Fig(value, self.ref(r, "amount"))))
        self._subtotals(stated, leaves)
        if self.problems:
            return ex
        self._aggregate(leaves, names, econ_names)
        ex.notes.append(f"读取了逐行明细［{sheet.name}］：{len(leaves):,} 行，单位：{self.unit}。")
        return ex

    def _name(self, seen: dict, code: str, name: str, where: Source) -> None:
        if code in seen:
            if squash(seen[code][0]) != squash(name):
                self.problems.append(error("导入科目", f"科目 {code} 在这里叫“{name}”，在 {seen[code][1]} 叫“{seen[code][0]}”："
                                           "同一个科目在文件中名称不同。", where,
                                           "核对哪一处写错了科目编码或名称，在 Excel 中改正后再导入。", [seen[code][1]]))
            return
        seen[code] = (name, where)
        known = code_name(code, self.year)
        if known and squash(known) != squash(name):
            self.problems.append(error("导入科目", f"科目 {code} 在这里叫“{name}”，政府收支分类科目中 {code} 是“{known}”："
                                       "编码和名称对不上。", where,
                                       f"核对编码是否写错（或错位）；编码无误时把名称改为“{known}”后再导入。"))

    def _identity(self, agencies: dict[str, Source]) -> None:
        if agencies:
            self.extract.agencies = agencies

    def _subtotals(self, stated, leaves) -> None:
        if not stated:
            return
        sums: dict[tuple[str, str | None], list] = {}
        for _, code, source, _, _, _, value in leaves:
            for prefix in {"", code[:3], code[:5], code}:
                for key in ((prefix, None), (prefix, source)):
                    acc = sums.setdefault(key, [ZERO, 0])
                    acc[0] += value
                    acc[1] += 1
        for r, code, source, fig in stated:
            summed, count = sums.get((code, source), [ZERO, 0])
            if summed != fig.value:
                what = f"科目 {code} 的小计" if code else "合计"
                self.problems.append(error("导入小计", f"{what}是 {figure(fig.value)}，它下面各行之和是 {figure(summed)}"
                                           f"（{count} 行），相差 {figure(abs(fig.value - summed))}。", fig.where,
                                           "小计行必须等于它下面各行之和：核对这一格和它下面的数字，在 Excel 中改正后再导入。"))

    def _aggregate(self, leaves, names, econ_names) -> None:
        ex = self.extract
        where = self.layout.sheet.where()
        trees: dict[str, dict[str, Row]] = {}
        economic: dict[str, Row] = {}
        projects: dict[str, Project] = {}
        totals = {"basic": ZERO, "project": ZERO}
        econ_total = {"personnel": ZERO, "public": ZERO}
        for r, code, source, kind, econ, project, value in leaves:
            tree = trees.setdefault(source, {})
            for level in (3, 5, 7):
                if len(code) < level:
                    break
                part = code[:level]
                row = tree.get(part)
                if row is None:
                    name = names.get(part, (code_name(part, self.year) or "", None))[0]
                    row = tree[part] = Row(part, name, names.get(part, ("", self.ref(r, "func")))[1] or self.ref(r, "func"),
                                           {k: Fig(ZERO, self.ref(r, "amount")) for k in ("total", "basic", "project")})
                for key in ("total", kind):
                    row.values[key] = Fig(row.values[key].value + value, row.values[key].where)
            totals[kind] += value
            if kind == "basic" and source in ("general", "carryover") and econ:
                column = "personnel" if econ[:3] in PERSONNEL_CLASSES else "public"
                econ_total[column] += value
                for part in {econ[:3], econ[:5]}:
                    row = economic.get(part)
                    if row is None:
                        name = econ_names.get(part, (code_name(part, self.year) or "", None))[0]
                        row = economic[part] = Row(part, name, self.ref(r, "econ"),
                                                   {k: Fig(ZERO, self.ref(r, "amount")) for k in ("total", "personnel", "public")})
                    for key in ("total", column):
                        row.values[key] = Fig(row.values[key].value + value, row.values[key].where)
            if kind == "project":
                p = projects.setdefault(project or "（未写项目名称）", Project(project, self.ref(r, "project"),
                                                                      Fig(ZERO, self.ref(r, "amount")),
                                                                      Fig(ZERO, self.ref(r, "amount"))))
                p.amount = Fig(p.amount.value + value, p.amount.where)        # type: ignore[union-attr]
                if source in APPROPRIATION:
                    p.appropriation = Fig(p.appropriation.value + value, p.appropriation.where)  # type: ignore[union-attr]
        ex.trees = trees
        ex.economic = economic if economic else None
        ex.economic_total = Row("", "合计", where, {"personnel": Fig(econ_total["personnel"], where),
                                                   "public": Fig(econ_total["public"], where)}) if economic else None
        ex.projects = [p for p in projects.values()]
        ex.spending["basic"] = Fig(totals["basic"], where)
        ex.spending["project"] = Fig(totals["project"], where)


def _stated_unit(layout: Layout) -> str | None:
    """A 单位 cell above the header, or a unit in the number format of the first amounts."""
    for row in layout.sheet.rows[: layout.header + 1]:
        for value in row:
            m = re.search(r"单位[:：]?\s*(万元|元)", squash(value)) if isinstance(value, str) else None
            if m:
                return m.group(1)
    from .tables import Header, format_unit
    return format_unit(layout.sheet, Header(layout.header, layout.header, []))


def find_line_items(book: Workbook, year: int) -> Extract | None:
    layout = find_layout(book)
    if layout is None:
        return None
    return LineReader(book, year, layout, None).read()
