"""Shape (a): the 公开表 workbook — one sheet per table, in the standard layout (budgetdoc's own XLSX too).

Sheets are found by what they are called (the sheet name, else the title in
the rows above the header: ``2.15单位收支总表`` and ``表3 一般公共预算支出表``
both name theirs), headers by their labels, never by position.  A header may
span several rows with merged group cells (``功能分类科目编码`` over ``类 | 款 |
项``); each column is known by the labels above it.

Rows are told apart by their codes: a 类 (3 digits) with its 款 (5) and 项
(7) below it; every line that has lower lines is a subtotal, recomputed and
compared with what the file says, and so is the 合计 row.  The same code
must carry the same name on every sheet and the name the code table knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..classification import code_name
from ..number import ZERO
from ..problems import Source, error
from ..yamledit import figure
from .cells import amount, is_total_label, joined_code, split_code, squash, valid_code
from .extract import Extract, Fig, Project, Row
from .workbook import Sheet, Workbook

SHEET_RULE = "导入表格"
CODE_RULE = "导入科目"
SUBTOTAL_RULE = "导入小计"

# (kind, words the sheet's name or title contains, words it must not contain); first match wins.
KINDS = (
    ("财政拨款收支总表", ("财政拨款收支",), ()),
    ("部门收支总表", ("收支总表", "收支预算总表", "收支预算表"), ()),
    ("部门收入总表", ("收入总表", "收入预算总表", "收入预算表"), ()),
    ("部门支出总表", ("支出总表", "支出预算总表"), ("一般公共", "基金", "三公")),
    ("一般公共预算基本支出表", ("基本支出",), ("项目",)),
    ("三公经费支出表", ("三公",), ()),
    ("政府性基金预算支出表", ("政府性基金",), ()),
    ("一般公共预算支出表", ("一般公共预算支出", "一般公共预算财政拨款支出"), ()),
    ("项目支出绩效目标表", ("绩效目标",), ()),
)

SOURCE_LABELS = {
    "carryover": ("上年结转", "上年结转结余", "上年结转和结余", "财政拨款结转", "上年财政拨款结转"),
    "general": ("一般公共预算拨款收入", "一般公共预算拨款", "一般公共预算", "一般公共预算财政拨款"),
    "fund": ("政府性基金预算拨款收入", "政府性基金预算拨款", "政府性基金预算", "政府性基金"),
    "state_capital": ("国有资本经营预算拨款收入", "国有资本经营预算拨款", "国有资本经营预算"),
    "business": ("事业收入",),
    "operating": ("事业单位经营收入", "经营收入"),
    "other": ("其他收入",),
    "reserve": ("用事业基金弥补收支差额",),
}
COLUMN_LABELS = {
    "total": ("合计", "总计", "金额", "预算数"),
    "basic": ("基本支出",),
    "project": ("项目支出",),
    "operating_expense": ("事业单位经营支出", "经营支出"),
    "personnel": ("人员经费", "人员支出"),
    "public": ("公用经费", "公用支出"),
}


def _seen(sheet: Sheet, rows: int = 8, limit: int = 10) -> str:
    """The first texts of a sheet, for a message that says what was found instead."""
    texts: list[str] = []
    for row in sheet.rows[:rows]:
        for value in row:
            text = squash(value) if isinstance(value, str) else ""
            if text and f"“{text[:20]}”" not in texts:
                texts.append(f"“{text[:20]}”")
    return "、".join(texts[:limit]) + ("……" if len(texts) > limit else "") if texts else "没有文字"


def classify(sheet_name: str, title: str) -> str | None:
    for text in (squash(sheet_name), squash(title)):
        for kind, words, unless in KINDS:
            if any(w in text for w in words) and not any(u in text for u in unless):
                return kind
    return None


def row_label(row: Row) -> str:
    """How messages name a classified row: ``201 一般公共服务支出``, or the 合计 row (no code) as ``“合计”行``."""
    return f"{row.code} {row.name}" if row.code else f"“{row.name.strip() or '合计'}”行"


@dataclass
class Header:
    first: int                 # first header row (0-based)
    last: int                  # last header row
    labels: list[list[str]]    # per column: the labels above it, outermost first

    def leaf(self, col: int | None) -> str:
        return self.labels[col][-1] if col is not None and col < len(self.labels) and self.labels[col] else ""

    def full(self, col: int | None) -> str:
        return "/".join(self.labels[col]) if col is not None and col < len(self.labels) else ""

    def find(self, names: tuple[str, ...], within: str = "") -> int | None:
        for col in range(len(self.labels)):
            if self.leaf(col) in names and (not within or within in self.full(col)):
                return col
        return None


_NUMERIC = re.compile(r"^-?[\d,]+(\.\d+)?$")


def _header_like(sheet: Sheet, row: int) -> bool:
    values = [sheet.shown(row, c) for c in range(sheet.width)]
    texts = [squash(v) for v in values if v not in ("", None)]
    if not texts:
        return True
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return False
    return not any(_NUMERIC.match(t) or re.match(r"^\d{3}", t) for t in texts)


def find_header(sheet: Sheet, anchors: tuple[str, ...], scan: int = 25,
                renames: dict[str, str] | None = None) -> Header | None:
    """The header band: from the first row holding one of ``anchors`` down to the last row before the data.

    ``renames`` (a mapping file's 栏目): the file's own label → the standard one.
    """
    renames = renames or {}
    for first in range(min(scan, len(sheet.rows))):
        if any(renames.get(squash(v), squash(v)) in anchors for v in sheet.rows[first] if isinstance(v, str)):
            break
    else:
        return None
    last = first
    while last + 1 < len(sheet.rows) and last - first < 5 and _header_like(sheet, last + 1) \
            and any(sheet.value(last + 1, c) not in ("", None) or (last + 1, c) in sheet.covering()
                    for c in range(sheet.width)):
        last += 1
    labels = []
    for col in range(sheet.width):
        parts: list[str] = []
        for row in range(first, last + 1):
            text = squash(sheet.shown(row, col))
            text = renames.get(text, text)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append(parts)
    return Header(first, last, labels)


def sheet_unit(sheet: Sheet, header: Header | None, fallback: str | None) -> str | None:
    """元 or 万元: a 单位 cell above the table, the header's own labels (金额（元）), or the number format."""
    for row in sheet.rows[: (header.first if header else 6) + 1]:
        for value in row:
            m = re.search(r"单位[:：]?\s*(万元|元)", squash(value)) if isinstance(value, str) else None
            if m:
                return m.group(1)
    if header is not None:
        for parts in header.labels:
            m = re.search(r"[(（](万元|元)[)）]", "/".join(parts))
            if m:
                return m.group(1)
    unit = format_unit(sheet, header)
    return unit or fallback


def format_unit(sheet: Sheet, header: Header | None) -> str | None:
    """A unit written into the number format of the first figures below the header (``0.00"元"``)."""
    start = header.last + 1 if header else 0
    cells = {(r, c) for r in range(start, min(start + 8, len(sheet.rows))) for c in range(sheet.width)
             if isinstance(sheet.value(r, c), (int, float)) and not isinstance(sheet.value(r, c), bool)}
    for fmt in sheet.book.number_formats(sheet.name, set(sorted(cells)[:40])).values():
        literal = "".join(re.findall(r'"([^"]*)"', fmt)) + "".join(re.findall(r"\\(.)", fmt))
        if "万元" in literal:
            return "万元"
        if "元" in literal:
            return "元"
    return None


class TableReader:
    """Reads the 公开表 sheets of one workbook into an :class:`Extract`."""

    def __init__(self, book: Workbook, year: int):
        self.book = book
        self.year = year
        self.extract = Extract("公开表")
        self.problems = self.extract.problems
        self.units: dict[str, str] = {}
        # From a mapping file (shape c): which sheet is which table, header labels renamed, the unit.
        self.mapping_sheets: dict[str, str] = {}
        self.renames: dict[str, str] = {}
        self.default_unit: str | None = None

    def header(self, sheet: Sheet, anchors: tuple[str, ...]) -> Header | None:
        return find_header(sheet, anchors, renames=self.renames)

    # ------------------------------------------------------------ helpers

    def money(self, sheet: Sheet, row: int, col: int | None, unit: str, label: str) -> Fig | None:
        if col is None:
            return None
        value, problem = amount(sheet.value(row, col), sheet.ref(row, col), unit, label)
        if problem is not None:
            self.problems.append(problem)
            return None
        return None if value is None else Fig(value, sheet.ref(row, col))

    def identity(self, sheet: Sheet) -> None:
        """Year and department from the title rows (``2020年部门收支总表``, ``编制部门：…``)."""
        for r, row in enumerate(sheet.rows[:6]):
            for c, value in enumerate(row):
                if not isinstance(value, str):
                    continue
                text = squash(value)
                m = re.match(r"^(?:编制部门|编制单位|单位名称|部门名称|预算单位)[:：](.+?)(?:单位[:：].*)?$", text)
                if m and self.extract.department is None:
                    self.extract.department = (m.group(1), sheet.ref(r, c))
                m = re.search(r"(\d{4})年", text)
                if m and self.extract.year is None and ("表" in text or "预算" in text):
                    self.extract.year = (int(m.group(1)), sheet.ref(r, c))

    def name_of(self, code: str, name: str, where: Source) -> None:
        """A code's name must be the one the code table knows, and the same on every sheet."""
        if not name:
            return
        seen = self.extract.names.get(code)
        if seen is not None:
            if squash(seen[0]) != squash(name):
                self.problems.append(error("导入科目", f"科目 {code} 在这里叫“{name}”，在 {seen[1]} 叫“{seen[0]}”：同一个科目在"
                                           "文件的不同表中名称不同。", where,
                                           "核对哪一处写错了科目编码或名称，在 Excel 中改正后再导入。", [seen[1]]))
            return
        self.extract.names[code] = (name, where)
        known = code_name(code, self.year)
        if known and squash(known) != squash(name):
            self.problems.append(error("导入科目", f"科目 {code} 在这里叫“{name}”，政府收支分类科目中 {code} 是“{known}”："
                                       "编码和名称对不上。", where,
                                       f"核对编码是否写错（或错位）；编码无误时把名称改为“{known}”后再导入。"))

    # ------------------------------------------------------------ reading

    def read(self) -> Extract:
        found: dict[str, Sheet] = {kind: self.book.sheet(name) for kind, name in self.mapping_sheets.items()}
        listing = []
        for name in self.book.sheet_names:
            sheet = self.book.sheet(name)
            kind = classify(name, sheet.text_near_top()) if name not in self.mapping_sheets.values() else None
            listing.append(f"“{name}”" + (f"（{kind}）" if kind else ""))
            if kind and kind not in found:
                found[kind] = sheet
        if not found:
            self.problems.append(error("导入表格", f"{self.book.shown} 中没有认出任何一张部门预算公开表，也不是逐行明细："
                                       f"工作表有 {'、'.join(listing) or '（没有工作表）'}。",
                                       Source(self.book.shown),
                                       "公开表的工作表名称或标题应含表名（如“部门收支总表”“一般公共预算支出表”）；"
                                       "逐行明细要有“功能分类”“金额”等列。其他表样请写映射文件（--mapping，见 docs/import.md）。"))
            return self.extract
        for sheet in found.values():
            self.identity(sheet)
        readers = {"部门收支总表": self.summary, "部门收入总表": self.income_table, "部门支出总表": self.spending_table,
                   "一般公共预算支出表": self.general_table, "政府性基金预算支出表": self.fund_table,
                   "一般公共预算基本支出表": self.basic_table, "三公经费支出表": self.three_public,
                   "项目支出绩效目标表": self.projects}
        stated = {}
        for kind, sheet in found.items():
            unit = sheet_unit(sheet, None, None)
            if unit:
                stated[kind] = unit
        single = set(stated.values())
        fallback = self.default_unit or (single.pop() if len(single) == 1 else None)
        for kind, reader in readers.items():
            if kind in found:
                sheet = found[kind]
                unit = stated.get(kind, fallback)
                if unit is None:
                    self.problems.append(error("导入金额", f"［{sheet.name}］没有写明金额单位（元还是万元）。",
                                               sheet.where(), "在表的上方加一格“单位：元”或“单位：万元”，"
                                               "或在映射文件中写“单位: 元”。"))
                    continue
                self.units[kind] = unit
                reader(sheet, unit)
        self.extract.notes.append(f"读取了 {len(found)} 张公开表：" + "、".join(f"［{s.name}］" for s in found.values())
                                  + "。")
        return self.extract

    def _formulas(self, sheet: Sheet, first_row: int) -> None:
        for row, col in self.book.formulas_without_value(sheet.name):
            if row >= first_row:
                self.problems.append(error("导入金额", "这个格子是公式，但文件里没有保存公式的计算结果（值为空）。", sheet.ref(row, col),
                                           "在 Excel 或 WPS 中打开文件，确认公式算出了数字后保存（或复制后“选择性粘贴 → 数值”），"
                                           "再导入。"))

    def tree(self, sheet: Sheet, unit: str, keys: dict[str, tuple[str, ...]], lengths: tuple[int, ...],
             what: str) -> tuple[dict[str, Row], Row | None] | None:
        """A classified table: rows by code (every level), and its 合计 row; subtotals recomputed."""
        header = self.header(sheet, ("科目编码", "功能分类科目编码", "部门预算支出经济分类科目编码", "经济分类科目编码",
                                     "支出经济分类科目编码", "科目名称", "功能分类科目名称", "经济分类科目名称", "科目",
                                     "功能分类科目", "项目"))
        if header is None:
            self.problems.append(error("导入表格", f"［{sheet.name}］中没有找到表头：前 25 行里没有“科目编码”“科目名称”这样的栏目"
                                       f"（看到的文字有：{_seen(sheet)}）。",
                                       sheet.where(), "确认这是原样导出的表（表头没有被删改）；其他表样请写映射文件。"))
            return None
        levels = [header.find(("类",)), header.find(("款",)), header.find(("项",))]
        levels = [c for c in levels if c is not None]
        name_col = next((c for c in range(sheet.width) if "名称" in header.leaf(c)), None)
        joined_col = None
        if not levels:
            joined_col = next((c for c in range(sheet.width)
                               if "编码" in header.leaf(c) or header.leaf(c) in ("科目", "功能分类科目", "经济分类科目")), None)
        columns = {key: header.find(labels) for key, labels in keys.items()}
        missing = [labels[0] for key, labels in keys.items() if columns[key] is None and key == "total"]
        if (not levels and joined_col is None) or missing:
            found = "、".join(f"“{header.full(c)}”" for c in range(sheet.width) if header.labels[c])
            self.problems.append(error("导入表格", f"［{sheet.name}］的表头缺少{'科目编码' if missing == [] else '“合计”'}栏；"
                                       f"表头有：{found}。", sheet.ref(header.first, 0),
                                       "确认表头没有被删改；其他表样请写映射文件（--mapping）。"))
            return None
        self._formulas(sheet, header.last + 1)
        rows: dict[str, Row] = {}
        total: Row | None = None
        last = ["", ""]
        for r in range(header.last + 1, len(sheet.rows)):
            cells = sheet.rows[r]
            if not any(v not in ("", None) for v in cells):
                continue
            first_text = next((squash(v) for v in cells if isinstance(v, str) and v.strip()), "")
            if first_text.startswith("注") or first_text.startswith("说明"):
                break
            name = str(sheet.value(r, name_col)).strip() if name_col is not None else ""
            if is_total_label(name) or is_total_label(first_text):
                at = next(((r, c) for c, v in enumerate(cells) if is_total_label(v)), (r, 0))
                total = Row("", "合计", sheet.ref(*at), {key: fig for key, col in columns.items()
                                                       for fig in [self.money(sheet, r, col, unit, f"合计 {header.leaf(col)}")]
                                                       if fig is not None})
                continue
            if levels:
                parts = [sheet.value(r, c) for c in levels]
                if parts[0] in ("", None) and len(parts) > 1 and parts[1] not in ("", None) and last[0]:
                    parts[0] = last[0][:3]          # a 款 row that leaves its 类 to the row above
                if len(parts) > 2 and parts[1] in ("", None) and parts[2] not in ("", None) and last[1]:
                    parts[0], parts[1] = last[1][:3], last[1][3:5]
                code = split_code(parts)
                code_at = sheet.ref(r, levels[0])
            else:
                code, inline = joined_code(sheet.value(r, joined_col))
                name = name or inline
                code_at = sheet.ref(r, joined_col)  # type: ignore[arg-type]
            label_at = sheet.ref(r, name_col) if name_col is not None else code_at
            values = {}
            for key, col in columns.items():
                fig = self.money(sheet, r, col, unit, f"{name or code} {header.leaf(col) if col is not None else ''}".strip())
                if fig is not None:
                    values[key] = fig
            if not valid_code(code, lengths):
                shown = code or first_text
                self.problems.append(error("导入科目", f"［{sheet.name}］第 {r + 1} 行的科目编码“{shown}”认不出：{what}科目编码应是 "
                                           f"{'、'.join(map(str, lengths))} 位数字。", code_at,
                                           "核对编码（类、款、项分列时，款和项各两位）；不是科目的行请删除。"))
                continue
            if code in rows:
                self.problems.append(error("导入科目", f"科目 {code} 在［{sheet.name}］中出现了两次。", code_at,
                                           "删除重复的一行，或改正编码。", [rows[code].where]))
                continue
            if len(code) == 3:
                last = [code, ""]
            elif len(code) == 5:
                last[1] = code
            self.name_of(code, name, label_at)
            rows[code] = Row(code, name, label_at, values)
        self.subtotals(sheet, rows, total, list(columns))
        return rows, total

    def subtotals(self, sheet: Sheet, rows: dict[str, Row], total: Row | None, keys: list[str]) -> None:
        """Every line with lower lines, and the 合计 row, against the sum of what is below it."""
        for code, row in rows.items():
            children = [r for c, r in rows.items() if len(c) == len(code) + 2 and c.startswith(code)]
            if not children:
                continue
            for key in keys:
                self._compare(row, children, key, "下级科目之和")
        for code in rows:
            if len(code) > 3 and code[:-2] not in rows:
                self.problems.append(error("导入科目", f"科目 {code} 的上级 {code[:-2]} 不在［{sheet.name}］中。", rows[code].where,
                                           "补上上级科目的一行（它的金额是下级之和），或改正编码。"))
        classes = [r for c, r in rows.items() if len(c) == 3]
        if total is not None and classes:
            for key in keys:
                self._compare(total, classes, key, "各类之和")
        for row in list(rows.values()) + ([total] if total else []):
            parts = [row.get(k) for k in ("basic", "project", "operating_expense") if k in row.values]
            if "total" in row.values and parts and ("basic" in row.values or "project" in row.values):
                summed = sum(parts, ZERO)
                if summed != row.get("total"):
                    self.problems.append(error("导入小计", f"{row_label(row)}的合计栏 {figure(row.get('total'))} ≠ "
                                               f"基本支出 + 项目支出{'' if 'operating_expense' not in row.values else ' + 经营支出'}"
                                               f" {figure(summed)}。", row.values["total"].where,
                                               "核对这一行的数字，在 Excel 中改正后再导入。",
                                               [row.values[k].where for k in ("basic", "project", "operating_expense")
                                                if k in row.values]))
            sources = [row.values[k] for k in SOURCE_LABELS if k in row.values]
            if "total" in row.values and sources and "basic" not in row.values:
                summed = sum((f.value for f in sources), ZERO)
                if summed != row.get("total"):
                    self.problems.append(error("导入小计", f"{row_label(row)}的合计栏 {figure(row.get('total'))} ≠ "
                                               f"各项收入之和 {figure(summed)}。", row.values["total"].where,
                                               "核对这一行的数字，在 Excel 中改正后再导入。", [f.where for f in sources]))

    def _compare(self, row: Row, parts: list[Row], key: str, what: str) -> None:
        if key not in row.values or any(key not in p.values for p in parts):
            return
        summed = sum((p.get(key) for p in parts), ZERO)     # type: ignore[misc]
        stated = row.get(key)
        if summed != stated:
            listing = " + ".join(f"{p.code} {figure(p.get(key))}" for p in parts[:6]) + (" + …" if len(parts) > 6 else "")
            column = {**COLUMN_LABELS, **SOURCE_LABELS}.get(key, ("这一",))[0]
            self.problems.append(error("导入小计", f"{row_label(row)}的{column}栏是 {figure(stated)}，{what}是 {figure(summed)}"
                                       f"（{listing}），相差 {figure(abs(stated - summed))}。", row.values[key].where,
                                       "小计行必须等于它下面各行之和：核对这一格和它下面的数字，在 Excel 中改正后再导入。",
                                       [p.values[key].where for p in parts[:6]]))

    # ------------------------------------------------------------ the tables

    def income_table(self, sheet: Sheet, unit: str) -> None:
        keys = {"total": COLUMN_LABELS["total"][:2], **SOURCE_LABELS}
        got = self.tree(sheet, unit, keys, (3, 5, 7), "功能分类")
        if got:
            self.extract.by_source, _ = got

    def spending_table(self, sheet: Sheet, unit: str) -> None:
        keys = {"total": COLUMN_LABELS["total"][:2], "basic": COLUMN_LABELS["basic"], "project": COLUMN_LABELS["project"],
                "operating_expense": COLUMN_LABELS["operating_expense"]}
        got = self.tree(sheet, unit, keys, (3, 5, 7), "功能分类")
        if got:
            self.extract.split, total = got
            if total is not None:
                for key in ("basic", "project"):
                    if key in total.values:
                        self.extract.spending[key] = total.values[key]
                if "operating_expense" in total.values:
                    self.extract.spending["operating"] = total.values["operating_expense"]

    def general_table(self, sheet: Sheet, unit: str) -> None:
        keys = {"total": COLUMN_LABELS["total"][:2], "basic": COLUMN_LABELS["basic"], "project": COLUMN_LABELS["project"]}
        got = self.tree(sheet, unit, keys, (3, 5, 7), "功能分类")
        if got:
            self.extract.general, _ = got

    def fund_table(self, sheet: Sheet, unit: str) -> None:
        keys = {"total": COLUMN_LABELS["total"][:2], "basic": COLUMN_LABELS["basic"], "project": COLUMN_LABELS["project"]}
        got = self.tree(sheet, unit, keys, (3, 5, 7), "功能分类")
        if got:
            self.extract.fund, _ = got

    def basic_table(self, sheet: Sheet, unit: str) -> None:
        keys = {"total": COLUMN_LABELS["total"][:2], "personnel": COLUMN_LABELS["personnel"],
                "public": COLUMN_LABELS["public"]}
        got = self.tree(sheet, unit, keys, (3, 5), "经济分类")
        if got:
            self.extract.economic, self.extract.economic_total = got
            for row in list(got[0].values()) + ([got[1]] if got[1] else []):
                parts = [row.get(k) for k in ("personnel", "public") if k in row.values]
                if "total" in row.values and parts and sum(parts, ZERO) != row.get("total"):
                    self.problems.append(error("导入小计", f"{row_label(row)}的合计栏 {figure(row.get('total'))} ≠ "
                                               f"人员经费 + 公用经费 {figure(sum(parts, ZERO))}。",
                                               row.values["total"].where, "核对这一行的数字，在 Excel 中改正后再导入。"))

    def summary(self, sheet: Sheet, unit: str) -> None:
        """部门收支总表: label | 预算数 pairs, 收入 on the left and 支出 on the right."""
        labels = {
            "一般公共预算拨款收入": ("income", "general"), "一般公共预算拨款": ("income", "general"),
            "政府性基金预算拨款收入": ("income", "fund"), "政府性基金预算拨款": ("income", "fund"),
            "国有资本经营预算拨款收入": ("income", "state_capital"), "事业收入": ("income", "business"),
            "事业单位经营收入": ("income", "operating"), "其他收入": ("income", "other"),
            "上年结转": ("income", "carryover"), "上年结转结余": ("income", "carryover"),
            "上年结转和结余": ("income", "carryover"), "用事业基金弥补收支差额": ("income", "reserve"),
            "收入总计": ("income", "total"), "本年支出合计": ("spending", "total"), "支出合计": ("spending", "total"),
            "结转下年": ("spending", "carry_forward"), "年末结转和结余": ("spending", "carry_forward"),
            "本年收入合计": ("check", "current"), "支出总计": ("check", "grand"),
        }
        seen: dict[tuple[str, str], Fig] = {}
        self._formulas(sheet, 0)
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if not isinstance(value, str):
                    continue
                label = re.sub(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、])", "", squash(value))
                if label not in labels:
                    continue
                target = labels[label]
                fig = self.money(sheet, r, c + 1, unit, label)
                if fig is None or target in seen:
                    continue
                seen[target] = fig
                if target[0] == "income":
                    self.extract.income[target[1]] = fig
                elif target[0] == "spending":
                    self.extract.spending[target[1]] = fig
        if ("income", "total") not in seen and ("spending", "total") not in seen:
            self.problems.append(error("导入表格", f"［{sheet.name}］中没有找到“收入总计”“本年支出合计”这样的行。", sheet.where(),
                                       "确认这是原样导出的部门收支总表；其他表样请写映射文件。"))
            return
        inc = self.extract.income
        current = seen.get(("check", "current"))
        parts = [inc[k] for k in ("general", "fund", "state_capital", "business", "operating", "other") if k in inc]
        if current is not None and parts and sum((f.value for f in parts), ZERO) != current.value:
            self.problems.append(error("导入小计", f"本年收入合计 {figure(current.value)} ≠ 各项收入之和 "
                                       f"{figure(sum((f.value for f in parts), ZERO))}。", current.where,
                                       "核对部门收支总表的收入各行，在 Excel 中改正后再导入。", [f.where for f in parts]))
        total = inc.get("total")
        if current is not None and total is not None:
            whole = current.value + sum((inc[k].value for k in ("carryover", "reserve") if k in inc), ZERO)
            if whole != total.value:
                self.problems.append(error("导入小计", f"收入总计 {figure(total.value)} ≠ 本年收入合计、上年结转与用事业基金弥补收支差额之和 "
                                           f"{figure(whole)}。", total.where, "核对部门收支总表的收入各行，在 Excel 中改正后再导入。"))
        grand = seen.get(("check", "grand"))
        spending = self.extract.spending
        if grand is not None and "total" in spending:
            whole = spending["total"].value + (spending["carry_forward"].value if "carry_forward" in spending else ZERO)
            if whole != grand.value:
                self.problems.append(error("导入小计", f"支出总计 {figure(grand.value)} ≠ 本年支出合计与结转下年之和 {figure(whole)}。",
                                           grand.where, "核对部门收支总表的支出各行，在 Excel 中改正后再导入。"))

    def three_public(self, sheet: Sheet, unit: str) -> None:
        items = {"total": ("合计",), "abroad": ("因公出国(境)费", "因公出国(境)费用"),
                 "vehicles": ("公务用车购置及运行维护费", "公务用车购置及运行费"), "purchase": ("公务用车购置费", "购置费"),
                 "operation": ("公务用车运行维护费", "运行维护费", "公务用车运行费"), "reception": ("公务接待费",)}
        header = self.header(sheet, ("合计", "项目", "因公出国(境)费"))
        if header is None:
            self.problems.append(error("导入表格", f"［{sheet.name}］中没有找到表头（“合计”“因公出国（境）费”……）。", sheet.where(),
                                       "确认这是原样导出的“三公”经费支出表；其他表样请写映射文件。"))
            return
        self._formulas(sheet, header.last + 1)
        columns = {key: header.find(names) for key, names in items.items()}
        if columns["vehicles"] is None:
            columns["vehicles"] = header.find(("小计",), "公务用车")
        figures: dict[str, Fig] = {}
        if columns["total"] is not None and columns["abroad"] is not None:       # one row per period
            chosen = None
            for r in range(header.last + 1, len(sheet.rows)):
                label = squash(sheet.value(r, 0))
                if label.startswith("注"):
                    break
                if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in sheet.rows[r]):
                    if "上年" in label:
                        continue
                    chosen = r
                    if "本年" in label or str(self.year) in label:
                        break
            if chosen is not None:
                for key, col in columns.items():
                    fig = self.money(sheet, chosen, col, unit, f"“三公”经费 {header.leaf(col) if col is not None else key}")
                    if fig is not None:
                        figures[key] = fig
        else:                                                                     # 项目 | 预算数, one row per item
            col = header.find(("本年预算", "预算数", f"{self.year}年预算数", "本年预算数"))
            for r in range(header.last + 1, len(sheet.rows)):
                label = squash(sheet.value(r, 0)).replace("其中:", "").replace("其中：", "")
                for key, names in items.items():
                    if label in names and key not in figures:
                        fig = self.money(sheet, r, col, unit, f"“三公”经费 {label}")
                        if fig is not None:
                            figures[key] = fig
        self.extract.three_public = figures
        for whole, parts in (("vehicles", ("purchase", "operation")), ("total", ("abroad", "vehicles", "reception"))):
            if whole in figures and all(p in figures for p in parts):
                summed = sum((figures[p].value for p in parts), ZERO)
                if summed != figures[whole].value:
                    self.problems.append(error("导入小计", f"“三公”经费的{'合计' if whole == 'total' else '公务用车购置及运行维护费'} "
                                               f"{figure(figures[whole].value)} ≠ 各项之和 {figure(summed)}。", figures[whole].where,
                                               "核对“三公”经费支出表的这一行，在 Excel 中改正后再导入。",
                                               [figures[p].where for p in parts]))

    def projects(self, sheet: Sheet, unit: str) -> None:
        header = self.header(sheet, ("项目名称",))
        if header is None:
            self.problems.append(error("导入表格", f"［{sheet.name}］中没有找到“项目名称”栏。", sheet.where(),
                                       "确认这是原样导出的项目支出绩效目标表；其他表样请写映射文件。"))
            return
        self._formulas(sheet, header.last + 1)
        name_col = header.find(("项目名称",))
        amount_col = header.find(("合计", "预算金额", "金额", "预算数"))
        appropriation_col = header.find(("其中:财政拨款", "财政拨款", "其中财政拨款"))
        out: list[Project] = []
        covered = sheet.covering()
        total_fig = None
        for r in range(header.last + 1, len(sheet.rows)):
            if (r, name_col) in covered:
                continue
            name = str(sheet.value(r, name_col)).strip()
            if not name or name.startswith("注"):
                continue
            if is_total_label(name):
                total_fig = self.money(sheet, r, amount_col, unit, "项目支出合计")
                continue
            out.append(Project(name, sheet.ref(r, name_col), self.money(sheet, r, amount_col, unit, f"项目 {name} 金额"),
                               self.money(sheet, r, appropriation_col, unit, f"项目 {name} 财政拨款")))
        self.extract.projects = out
        if total_fig is not None and all(p.amount for p in out):
            summed = sum((p.amount.value for p in out), ZERO)   # type: ignore[union-attr]
            if summed != total_fig.value:
                self.problems.append(error("导入小计", f"项目支出合计 {figure(total_fig.value)} ≠ 各项目之和 {figure(summed)}。",
                                           total_fig.where, "核对项目支出绩效目标表的金额，在 Excel 中改正后再导入。"))
            elif "project" not in self.extract.spending:
                self.extract.spending["project"] = total_fig

