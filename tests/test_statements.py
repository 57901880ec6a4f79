"""The 公开表: read back from the DOCX and the XLSX and compared with the model, for both departments;
the identities the tables rely on hold on the built tables; the table set's choices.

Reading back walks ``w:tr/w:tc`` (a merged cell is one ``w:tc``, its span in ``w:gridSpan`` /
``w:vMerge``), never python-docx's ``row.cells``, which repeats a merged cell once per column.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from budgetdoc.arrange import orientation_for
from budgetdoc.document import SectionBreak, Table
from budgetdoc.layout import Layout
from budgetdoc.pipeline import build_year
from budgetdoc.problems import BudgetError
from budgetdoc.statements import build_statements, load_tableset
from budgetdoc.statements.tableset import TableSet, TableSpec
from budgetdoc.style import style_or_raise
from budgetdoc.writers.xlsx import FIRST_HEADER_ROW

from repo import DATA, EXAMPLE, ROOT, STYLES, TEMPLATES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUMBERS = ["表1", "表1-1", "表1-2", "表2", "表3", "表3-1", "表3-2", "表4", "表5"]
DEPARTMENTS = {"reference": (DATA, 2020), "example": (EXAMPLE, 2021)}
STYLES = {"default": None, "tables-first": STYLES / "tables-first"}   # 万元 / 元 with 千分位


def build(department: str, style: str = "default"):
    folder = STYLES[style]
    return build_year(*DEPARTMENTS[department], style=folder and style_or_raise(folder))


@pytest.fixture(scope="module", params=[(d, s) for d in sorted(DEPARTMENTS) for s in STYLES],
                ids=lambda p: "-".join(p))
def built(request):
    result = build(*request.param)
    result.origin = request.param
    return result


# ------------------------------------------------------------------ reading back

def docx_tables(docx: bytes) -> list[list[list[tuple[str, int, str | None]]]]:
    """Every table of the DOCX: rows of (text, gridSpan, vMerge) per ``w:tc``."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    tables = []
    for tbl in root.iter(f"{W}tbl"):
        rows = []
        for tr in tbl.findall(f"{W}tr"):
            row = []
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
                row.append((text, int(span.get(f"{W}val")) if span is not None else 1,
                            None if merge is None else (merge.get(f"{W}val") or "continue")))
            rows.append(row)
        tables.append(rows)
    return tables


def model_rows(table: Table) -> list[list[tuple[str, int, str | None]]]:
    """The same view of a model table: what a Word reader must find."""
    return [[("" if slot.covered else slot.cell.text, slot.cell.colspan,
              "continue" if slot.covered else ("restart" if slot.cell.rowspan > 1 else None))
             for slot in row] for row in table.slots()]


def test_nine_tables_in_part_six_in_order(built):
    assert [t.number for t in built.tables] == NUMBERS
    placed = [b.number for b in built.document.blocks if isinstance(b, Table) and b.sheet]
    assert placed == NUMBERS


def test_every_table_reads_back_from_the_docx_cell_for_cell(built):
    in_docx = docx_tables(built.docx)
    tables = list(built.document.tables())      # the 公开表 and the 单位情况表 of Part 1, in document order
    assert len(in_docx) == len(tables) and sum(1 for t in tables if t.sheet) == len(NUMBERS)
    for table, read in zip(tables, in_docx):
        assert read == model_rows(table), table.number


def test_header_rows_repeat_and_no_row_splits(built):
    with zipfile.ZipFile(io.BytesIO(built.docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    pairs = zip(built.document.tables(), root.iter(f"{W}tbl"))
    for table, tbl in ((t, tbl) for t, tbl in pairs if t.sheet):
        rows = tbl.findall(f"{W}tr")
        flags = [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows]
        assert flags == [True] * len(table.header) + [False] * len(table.rows), table.number
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)


def test_every_table_reads_back_from_the_xlsx(built):
    book = openpyxl.load_workbook(io.BytesIO(built.xlsx))
    assert book.sheetnames == [t.sheet for t in built.tables]
    for table in built.tables:
        sheet = book[table.sheet]
        assert sheet.cell(1, 1).value == table.number
        assert sheet.cell(2, 1).value == table.title
        merged = {(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges}
        for placed_row in table.grid():
            for p in placed_row:
                row, col = FIRST_HEADER_ROW + p.row + 1, p.column + 1
                got = sheet.cell(row, col)
                if p.cell.rowspan > 1 or p.cell.colspan > 1:
                    assert (row, col, row + p.cell.rowspan - 1, col + p.cell.colspan - 1) in merged
                if p.cell.value is not None:
                    assert isinstance(got.value, (int, float)), (table.number, row, col, got.value)
                    assert Decimal(repr(got.value)) == p.cell.value
                    assert got.number_format == p.cell.number_format
                    assert got.number_format == ("#,##0.00" if built.origin[1] == "tables-first" else "0.00")
                else:
                    assert (got.value or "") == p.cell.text, (table.number, row, col)
        assert sheet.print_title_rows == f"${FIRST_HEADER_ROW + 1}:${FIRST_HEADER_ROW + len(table.header)}"
        assert sheet.page_setup.paperSize == 9                       # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage             # one page wide (fitToWidth 1 is
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0   # the default)


def test_xlsx_has_no_formulas(built):
    with zipfile.ZipFile(io.BytesIO(built.xlsx)) as package:
        sheets = [package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)


def test_landscape_sheets_follow_the_report(built):
    book = openpyxl.load_workbook(io.BytesIO(built.xlsx))
    orientation = "portrait"
    for block in built.document.blocks:
        if isinstance(block, SectionBreak):
            orientation = block.orientation
        elif isinstance(block, Table) and block.sheet:
            assert book[block.sheet].page_setup.orientation == orientation, block.number


def test_two_builds_are_byte_identical(built):
    again = build(*built.origin)
    assert again.docx == built.docx and again.xlsx == built.xlsx and again.text == built.text


# ------------------------------------------------------------------ identities on the tables

def values(table: Table, label: str, column: int = 0) -> list[Decimal]:
    """The amounts of the row whose cells include ``label`` (a 合计 row, a code …)."""
    for row in table.rows:
        if any(c.text == label for c in row):
            return [c.value for c in row if c.value is not None][column:]
    raise AssertionError(f"{table.number}: no row {label}")


def by_number(built) -> dict[str, Table]:
    return {t.number: t for t in built.tables}


def test_the_tables_agree_with_each_other_and_the_narrative(built):
    t = by_number(built)
    last = t["表1"].rows[-1]
    assert last[0].text == "收入总计" and last[2].text == "支出总计" and last[1].value == last[3].value
    total_1_1 = values(t["表1-1"], "合计")
    total_1_2 = values(t["表1-2"], "合计")
    assert total_1_1[0] == total_1_2[0] == values(t["表1"], "本年支出合计", 1)[0]
    assert total_1_1[0] == sum(total_1_1[1:])                 # 合计 = Σ 资金来源
    assert total_1_2[0] == sum(total_1_2[1:])                 # 合计 = 基本 + 项目 (+ 经营)
    general = values(t["表3"], "合计")
    row_2 = values(t["表2"], "一、本年支出")
    assert general[0] == row_2[2]                             # 表3 合计 = 表2's 一般公共预算
    assert values(t["表4"], "合计")[0] == row_2[3]            # 表4 合计 = 表2's 政府性基金预算
    assert general[1] == values(t["表3-1"], "合计")[0]        # 表3 基本支出 = 表3-1 合计
    assert values(t["表5"], "合计")[0] == sum(
        (c.value for r in t["表5"].rows for c in r[1:2] if c.value is not None and r[0].text != "合计"), Decimal(0))
    three = values(t["表3-2"], "本年预算")
    assert three[0] == three[1] + three[2] + three[5] and three[2] == three[3] + three[4]
    if built.origin[1] == "default":                         # prose in 万元 (trimmed), tables in 万元
        assert f"财政拨款“三公”经费支出预算{built_money(three[0])}万元" in built.text
    else:                                                     # prose and tables in 元, two decimals
        assert f"财政拨款“三公”经费支出预算{three[0]:.2f}元" in built.text


def built_money(value: Decimal) -> str:
    from budgetdoc.wording import Wording
    return Wording().money(value)


def test_every_tree_row_is_total_of_basic_and_project_and_of_its_children(built):
    for number in ("表1-2", "表3", "表4"):
        table = by_number(built)[number]
        for row in table.rows:
            amounts = [c.value for c in row[-3:]]
            if None not in amounts:
                assert amounts[0] == amounts[1] + amounts[2], (number, [c.text for c in row])


# ------------------------------------------------------------------ the reference's tables

def test_the_reference_is_drawn_at_class_level(report_2020):
    t = {table.number: table for table in report_2020.tables}
    rows = [[c.text for c in row] for row in t["表3"].rows]
    assert rows == [["合计", "176.65", "129.91", "46.74"],
                    ["201", "", "", "一般公共服务支出", "110.91", "", ""],
                    ["208", "", "", "社会保障和就业支出", "38.10", "", ""],
                    ["210", "", "", "卫生健康支出", "14.01", "", ""],
                    ["221", "", "", "住房保障支出", "13.63", "", ""]]
    assert [[c.text for c in row] for row in t["表3-1"].rows] == [["合计", "129.91", "122.41", "7.50"]]
    assert [[c.text for c in row] for row in t["表3-2"].rows] == [
        ["上年预算", "1.00", "0.00", "1.00", "0.00", "1.00", "0.00"],
        ["本年预算", "1.50", "0.00", "1.50", "0.00", "1.50", "0.00"]]


def test_an_empty_table_is_printed_with_a_note_about_its_own_fund(report_2020):
    fund = next(t for t in report_2020.tables if t.number == "表4")
    assert fund.note == "注：本部门2020年无政府性基金预算财政拨款安排，本表为空表。"
    assert [[c.text for c in row] for row in fund.rows] == [["合计", "0.00", "0.00", "0.00"]]
    assert all(not t.note for t in report_2020.tables if t.number != "表4")
    assert "注：本部门2020年无政府性基金预算财政拨款安排，本表为空表。" in report_2020.text


def test_headers_are_merged_as_the_national_set_has_them(report_2020):
    t = {table.number: table for table in report_2020.tables}
    first = [(c.text, c.colspan, c.rowspan) for c in t["表3"].header[0]]
    assert first == [("功能分类科目编码", 3, 1), ("功能分类科目名称", 1, 2), ("一般公共预算支出", 3, 1)]
    assert [c.text for c in t["表3"].header[1]] == ["类", "款", "项", "合计", "基本支出", "项目支出"]
    assert [(c.text, c.colspan) for c in t["表1"].header[0]] == [("收入", 2), ("支出", 2)]
    assert [(c.text, c.colspan) for c in t["表3-2"].header[0]][3] == ("公务用车购置及运行维护费", 3)


def test_wide_tables_are_landscape_at_the_layouts_size(report_2020):
    layout = Layout()
    wide = [t.number for t in report_2020.tables if orientation_for(t, layout) == "landscape"]
    assert wide == ["表1-1", "表2", "表5"]
    small = Layout.from_mapping({"table": {"size_pt": 9}})
    assert [t.number for t in report_2020.tables if orientation_for(t, small) == "landscape"] == ["表1-1"]


# ------------------------------------------------------------------ the table set's choices

@pytest.fixture(scope="module")
def figures_2020():
    from budgetdoc.compute import compute
    from budgetdoc.pipeline import check_year
    checked = check_year(DATA, 2020)
    return compute(checked.current, checked.prior)


def default_set() -> TableSet:
    tableset, problems = load_tableset(TEMPLATES)
    assert not problems
    return tableset


def test_total_row_first_by_default_or_last_by_choice(figures_2020):
    first = build_statements(figures_2020, default_set())
    last = build_statements(figures_2020, replace(default_set(), total_last=True))
    for a, b in zip(first, last):
        if a.number in ("表1-1", "表1-2", "表3", "表3-1", "表4", "表5"):
            assert a.rows[0][0].text == "合计" and b.rows[-1][0].text == "合计" and b.rows[:-1] == a.rows[1:]


def test_zero_amounts_blank_by_choice(figures_2020):
    tables = build_statements(figures_2020, replace(default_set(), blank_zero=True))
    table = next(t for t in tables if t.number == "表1-1")
    assert [c.text for c in table.rows[1]][4:7] == ["110.91", "", "110.91"]
    assert [c.text for c in table.rows[0]][1:3] == ["176.65", "0.00"]          # the 合计 row keeps its zeros


def test_three_public_vertical_and_without_last_year(figures_2020):
    spec = TableSpec(number="表3-2", kind="一般公共预算“三公”经费支出表", vertical=True)
    (table,) = build_statements(figures_2020, replace(default_set(), tables=(spec,)))
    assert [[c.text for c in row] for row in table.rows] == [
        ["合计", "1.50", "1.00"], ["因公出国（境）费", "0.00", "0.00"], ["公务用车购置及运行维护费", "1.50", "1.00"],
        ["其中：公务用车购置费", "0.00", "0.00"], ["公务用车运行维护费", "1.50", "1.00"], ["公务接待费", "0.00", "0.00"]]
    (table,) = build_statements(figures_2020, replace(default_set(), tables=(replace(spec, prior_row=False),)))
    assert [c.text for c in table.header[0]] == ["项目", "本年预算"]


def test_every_class_of_the_edition_by_choice(figures_2020):
    spec = TableSpec(number="表1", kind="部门收支总表", all_classes=True)
    (table,) = build_statements(figures_2020, replace(default_set(), tables=(spec,)))
    right = [row[2].text for row in table.rows]
    assert "国防支出" in right and "一般公共服务支出" in right
    defence = next(row for row in table.rows if row[2].text == "国防支出")
    assert defence[3].text == ""


def test_titles_numbers_and_issuer_label_are_the_sets(figures_2020):
    spec = TableSpec(number="附表一", kind="部门收支总表", title="{年度}年度部门收支预算总表")
    (table,) = build_statements(figures_2020, replace(default_set(), tables=(spec,), issuer_label="单位名称"))
    assert (table.number, table.title, table.issuer) == ("附表一", "2020年度部门收支预算总表", "单位名称：奈曼旗政务服务局")
    assert table.sheet == "附表一 部门收支总表"


def write_set(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "tables.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_note_naming_another_tables_fund_is_refused(tmp_path: Path):
    folder = write_set(tmp_path, "表:\n  - 编号: 表4\n    表样: 政府性基金预算支出表\n"
                                 "    空表说明: 注：本部门无一般公共预算财政拨款安排，本表为空表。\n")
    _, problems = load_tableset(folder)
    (problem,) = problems
    assert problem.rule == "公开表" and problem.is_error
    assert "空表说明写的是“一般公共预算财政拨款”，那是一般公共预算支出表的资金" in problem.message
    assert str(problem.source).endswith("tables.yaml:2:5")


def test_table_set_mistakes_are_located_in_chinese(tmp_path: Path):
    folder = write_set(tmp_path, "表:\n  - 编号: 表1\n    表样: 部门收支总表\n  - 编号: 表1\n    表样: 收支总表\n")
    _, problems = load_tableset(folder)
    messages = [(p.rule, p.source.line, p.message) for p in problems]
    assert ("取值", 5, "“表第2项.表样”只能是：部门收支总表、部门收入总表、部门支出总表、财政拨款收支总表、"
            "一般公共预算支出表、一般公共预算基本支出表、一般公共预算“三公”经费支出表、政府性基金预算支出表、"
            "项目支出绩效目标表；这里是“收支总表”。") in messages


def test_a_report_with_a_broken_table_set_writes_nothing(tmp_path: Path):
    import shutil
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    (folder / "tables.yaml").write_text("表: []\n", encoding="utf-8")
    with pytest.raises(BudgetError) as caught:
        build_year(DATA, 2020, templates=folder)
    assert [p.rule for p in caught.value.problems] == ["缺少内容"]


# ------------------------------------------------------------------ pages: repeated headers, row groups

def test_a_label_merged_over_header_rows_gets_the_height_it_wraps_to():
    """LibreOffice repeats a header at the rows' own heights: a merged label's lines are spread over its rows."""
    from budgetdoc.document import Cell, Slot
    from budgetdoc.writers.docx.tables import header_heights
    label = Cell("一般公共预算拨款收入", rowspan=2)          # 10 characters in a column 2.5 characters wide
    rows = [[Slot(Cell("科目编码", colspan=2), 0), Slot(label, 2)],
            [Slot(Cell("类"), 0), Slot(Cell("款"), 1), Slot(label, 2, covered=True)]]
    heights = header_heights(rows, [600, 600, 700], 240, 400, 100)
    assert heights == [800, 800]        # ceil(10 × 240 / (700 − 100)) = 4 lines of 400, over two rows


def test_a_projects_rows_stay_on_one_page_and_header_rows_have_their_height(built):
    with zipfile.ZipFile(io.BytesIO(built.docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    pairs = [(t, tbl) for t, tbl in zip(built.document.tables(), root.iter(f"{W}tbl")) if t.sheet]
    table, tbl = next((t, tbl) for t, tbl in pairs if t.number == "表5")
    rows = tbl.findall(f"{W}tr")
    body = rows[len(table.header):]
    kept = [all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p")) for tr in body]
    for r, row in enumerate(table.rows):
        span = row[0].rowspan if row and row[0].rowspan > 1 else 1
        if span > 1:                          # a project: its rows but the last keep with the next
            assert kept[r:r + span] == [True] * (span - 1) + [False], (r, span)
    for tr in rows[:len(table.header)]:
        height = tr.find(f"{W}trPr/{W}trHeight")
        assert height is not None and height.get(f"{W}hRule") == "atLeast" and int(height.get(f"{W}val")) > 0
