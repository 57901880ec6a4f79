"""The bureau's overview workbook, 汇总.xlsx (XlsxWriter), laid out from :mod:`budgetdoc.overview`.

* sheet 汇总: one row per department (its folder, 部门名称, result, errors,
  warnings), then for each figure of :data:`~budgetdoc.overview.MEASURES`
  three columns: 本年, 比上年增减 (signed) and 增减率（%）; the bureau's total
  row last; amounts are real numbers shown with two decimals, an unknown
  change is left blank;
* sheet 问题: every problem found, by department: severity, rule, where,
  message and how to fix it.

As in :mod:`budgetdoc.writers.xlsx`: the created date is fixed (1 January of
the year), so the same builds give the same bytes; no formulas.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import xlsxwriter

from budgetdoc.overview import MEASURES, Measure, OverviewRow
from budgetdoc.problems import Problem

FIXED = ("部门（文件夹）", "部门名称", "结果", "错误", "警告", "提示")
SUB = ("本年", "比上年增减", "增减率（%）")
PROBLEM_HEADINGS = ("部门（文件夹）", "部门名称", "严重程度", "规则", "位置", "说明", "处理办法")


def render_overview(year: int, rows: list[OverviewRow], total: OverviewRow,
                    problems: list[tuple[OverviewRow, Problem]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": f"{year}年部门预算汇总", "author": "budgetdoc", "created": datetime(year, 1, 1),
                         "comments": ""})
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter", "border": 1}
    fmt = {
        "title": book.add_format({"font_name": "黑体", "font_size": 16, "align": "center", "valign": "vcenter"}),
        "head": book.add_format({**base, "font_name": "黑体", "align": "center", "text_wrap": True}),
        "text": book.add_format({**base, "text_wrap": True}),
        "count": book.add_format({**base, "align": "right"}),
        "money": book.add_format({**base, "num_format": "0.00"}),
        "strong": book.add_format({**base, "font_name": "黑体", "text_wrap": True}),
        "strong_money": book.add_format({**base, "font_name": "黑体", "num_format": "0.00"}),
        "blank": book.add_format(base),
    }
    _summary(book.add_worksheet("汇总"), year, rows, total, fmt)
    _problems(book.add_worksheet("问题"), year, problems, fmt)
    book.close()
    return out.getvalue()


def _summary(sheet, year: int, rows: list[OverviewRow], total: OverviewRow, fmt: dict) -> None:
    last = len(FIXED) + 3 * len(MEASURES) - 1
    sheet.merge_range(0, 0, 0, last, f"{year}年部门预算汇总（单位：万元）", fmt["title"])
    sheet.set_row(0, 28)
    for col, heading in enumerate(FIXED):
        sheet.merge_range(1, col, 2, col, heading, fmt["head"])
    for i, (_, heading) in enumerate(MEASURES):
        col = len(FIXED) + 3 * i
        sheet.merge_range(1, col, 1, col + 2, heading, fmt["head"])
        for j, sub in enumerate(SUB):
            sheet.write_string(2, col + j, sub, fmt["head"])
    sheet.set_row(1, 32)
    sheet.set_column(0, 1, 24)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, len(FIXED) - 1, 6)
    sheet.set_column(len(FIXED), last, 12)
    for r, row in enumerate([*rows, total], start=3):
        strong = row is total
        text = fmt["strong"] if strong else fmt["text"]
        sheet.write_string(r, 0, row.key, text)
        sheet.write_string(r, 1, row.name, text)
        sheet.write_string(r, 2, row.result, text)
        for col, count in enumerate((row.errors, row.warnings, row.notes), start=3):
            sheet.write_number(r, col, count, fmt["count"])
        for i, (key, _) in enumerate(MEASURES):
            _measure(sheet, r, len(FIXED) + 3 * i, row.measure(key), fmt, strong)
    sheet.freeze_panes(3, 2)
    sheet.repeat_rows(1, 2)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _measure(sheet, row: int, col: int, measure: Measure | None, fmt: dict, strong: bool) -> None:
    money = fmt["strong_money"] if strong else fmt["money"]
    values = (None, None, None) if measure is None else (measure.current, measure.difference, measure.rate)
    for j, value in enumerate(values):
        if value is None:
            sheet.write_blank(row, col + j, None, fmt["blank"])
        else:
            sheet.write_number(row, col + j, _plain(value), money)


def _problems(sheet, year: int, problems: list[tuple[OverviewRow, Problem]], fmt: dict) -> None:
    sheet.merge_range(0, 0, 0, len(PROBLEM_HEADINGS) - 1, f"{year}年部门预算检查发现的问题", fmt["title"])
    sheet.set_row(0, 28)
    for col, heading in enumerate(PROBLEM_HEADINGS):
        sheet.write_string(1, col, heading, fmt["head"])
    for col, width in enumerate((20, 24, 8, 12, 40, 70, 50)):
        sheet.set_column(col, col, width)
    for r, (row, problem) in enumerate(problems, start=2):
        for col, value in enumerate((row.key, row.name, problem.severity.value, problem.rule,
                                     str(problem.source) if problem.source else "", problem.message, problem.hint)):
            sheet.write_string(r, col, value, fmt["text"])
    if not problems:
        sheet.merge_range(2, 0, 2, len(PROBLEM_HEADINGS) - 1, "没有发现问题。", fmt["text"])
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(1, len(problems) + 1), len(PROBLEM_HEADINGS) - 1)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _plain(value: Decimal) -> Decimal:
    """The exact value in plain notation (``10``, never ``1E+1``), as the 公开表 workbook writes it."""
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value  # type: ignore[operator]
