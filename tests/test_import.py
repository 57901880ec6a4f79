"""budgetdoc import: figures from a budget-system export into the data, text and comments kept, all or nothing.

* every case under tests/cases/import/ (a bad file, made by the test): the expected Chinese error at
  its sheet and cell, exit 1, and the data byte for byte as it was;
* the round trip: for data/2020 and the example department, the XLSX that ``budgetdoc report``
  writes, imported into a copy whose figures were all changed, gives back the original figures and a
  byte-identical report.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cases.casekit import Case, load_cases, matching_block, prepare, run_in_process
from cases.importkit import make_file, report_xlsx
from repo import DATA, EXAMPLE, ROOT

IMPORT_CASES = load_cases("import")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_there_are_import_cases():
    assert len(IMPORT_CASES) >= 12


@pytest.mark.parametrize("case", IMPORT_CASES, ids=str)
def test_a_bad_file_is_explained_at_its_cell_and_nothing_is_written(case: Case, tmp_path: Path):
    assert case.spec.get("说明") and case.expect["exit"] != 0
    data = prepare(case, tmp_path)
    before = _snapshot(data)
    run = run_in_process(case, tmp_path, data, tmp_path / "build")
    explain = f"\n{case}: {case.spec['说明']}\n--- stderr ---\n{run.stderr}\n--- stdout ---\n{run.stdout}"
    assert run.returncode == case.expect["exit"], explain
    assert "Traceback" not in run.stderr and "内部错误" not in run.stderr, explain
    assert matching_block(run.stderr, case.expect) is not None, explain
    for text in case.expect.get("stderr_lacks", []):
        assert text not in run.stderr, f"“{text}” should not be printed" + explain
    assert "没有生成或修改任何文件" in run.stderr, explain
    assert _snapshot(data) == before, f"{case}: the data was changed"


def test_a_total_row_that_does_not_add_up_is_named_as_the_total_row(tmp_path: Path):
    """The 合计 row has no code: it is “合计”行, not “ 合计 的合计” (a leading space and 合计 twice)."""
    (case,) = [c for c in IMPORT_CASES if c.name.startswith("08-")]
    data = prepare(case, tmp_path)
    run = run_in_process(case, tmp_path, data, tmp_path / "build")
    assert ("批复.xlsx［表3 一般公共预算支出表］E6: 错误 [导入小计] “合计”行的合计栏 176.75 ≠ 基本支出 + 项目支出 176.65。"
            in run.stderr), run.stderr


# ------------------------------------------------------------------ the round trip

# Figures the 公开表 do not carry, left as they are in the changed copy: the 机关运行经费 and 政府采购
# lines (their 合计 are derived and do come back), and, for the example department, how the 基本支出
# paid from 事业收入 divides into 人员经费 and 公用经费 (表3-1 lists only the 一般公共预算 part).
NOT_IN_THE_TABLES = {"operating_costs.yaml": {"金额"}, "procurement.yaml": {"货物", "工程", "服务", "授予中小企业"}}
EXAMPLE_ALSO = {"expenditure.yaml": {"人员经费", "公用经费"}}
AMOUNT = re.compile(r"^(\s*(?:- )?)([^:#\s]+)(: )(\d+(?:\.\d+)?)(\s.*)?$")
MONEY_KEYS = {"合计", "金额", "基本支出", "项目支出", "事业单位经营支出", "人员经费", "公用经费", "财政拨款", "预算数",
              "执行数", "结转下年", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "事业收入",
              "事业单位经营收入", "其他收入", "上年结转", "用事业基金弥补收支差额", "货物", "工程", "服务", "授予中小企业"}


def change_every_figure(folder: Path, keep: dict[str, set[str]]) -> int:
    """Every amount in the year's files moved by 111 units of its last written place (12 → 123, 7.50 → 8.61)."""
    changed = 0
    for path in sorted(folder.glob("*.yaml")):
        lines = path.read_text("utf-8").split("\n")
        for i, line in enumerate(lines):
            m = AMOUNT.match(line)
            if not m or m.group(2) not in MONEY_KEYS or m.group(2) in keep.get(path.name, set()):
                continue
            text = m.group(4)
            places = len(text.split(".")[1]) if "." in text else 0
            lines[i] = f"{m.group(1)}{m.group(2)}{m.group(3)}{Decimal(text) + Decimal(111).scaleb(-places)}{m.group(5) or ''}"
            changed += 1
        path.write_text("\n".join(lines), "utf-8")
    return changed


def figures(folder: Path) -> dict[str, Decimal]:
    from budgetdoc.review.provenance import data_values
    out = {}
    for key, value in data_values(folder.parent, int(folder.name)).items():
        key = key.split("/", 1)[1]                      # "income.yaml:合计", the year folder left out
        if key.rsplit(".", 1)[-1] in MONEY_KEYS:
            out[key] = Decimal(value.text)
    return out


@pytest.mark.parametrize("source, year, keep", [(DATA, 2020, NOT_IN_THE_TABLES),
                                                (EXAMPLE, 2021, {**NOT_IN_THE_TABLES, **EXAMPLE_ALSO})],
                         ids=["data-2020", "example-2021"])
def test_export_import_export_is_the_identity(source: Path, year: int, keep, tmp_path: Path):
    from budgetdoc.pipeline import build_year
    from cases.casekit import budgetdoc_in_process

    data = tmp_path / "data"
    shutil.copytree(source, data)
    original = build_year(data, year)
    export = tmp_path / "公开表.xlsx"
    export.write_bytes(original.xlsx)
    expected = figures(data / str(year))
    changed = change_every_figure(data / str(year), keep)
    assert changed >= 25 and figures(data / str(year)) != expected
    run = budgetdoc_in_process(["import", str(export), str(year), "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr + run.stdout
    assert "Traceback" not in run.stderr
    assert figures(data / str(year)) == expected          # every figure back, exactly
    again = build_year(data, year)
    assert again.docx == original.docx and again.xlsx == original.xlsx and again.text == original.text
    comments = [line for line in (source / str(year) / "functions.yaml").read_text("utf-8").splitlines() if "#" in line]
    assert comments and all(line in (data / str(year) / "functions.yaml").read_text("utf-8") for line in comments)
    same = budgetdoc_in_process(["import", str(export), str(year), "--data", str(data)], tmp_path)
    assert same.returncode == 0 and "没有需要修改的" in same.stdout, same.stdout + same.stderr


def test_changes_are_printed_old_to_new_and_dry_run_writes_nothing(tmp_path: Path):
    from cases.casekit import budgetdoc_in_process
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    export = tmp_path / "批复.xlsx"
    make_file({"from": "report", "cells": [
        {"sheet": "表1 部门收支总表", "cell": "B6", "value": 176.74}, {"sheet": "表1 部门收支总表", "cell": "B12", "value": 176.74},
        {"sheet": "表1 部门收支总表", "cell": "B15", "value": 176.74}, {"sheet": "表1 部门收支总表", "cell": "D6", "value": 111.0},
        {"sheet": "表1 部门收支总表", "cell": "D12", "value": 176.74}, {"sheet": "表1 部门收支总表", "cell": "D15", "value": 176.74},
        {"sheet": "表1-1 部门收入总表", "cell": "E6", "value": 176.74}, {"sheet": "表1-1 部门收入总表", "cell": "G6", "value": 176.74},
        {"sheet": "表1-1 部门收入总表", "cell": "E7", "value": 111.0}, {"sheet": "表1-1 部门收入总表", "cell": "G7", "value": 111.0},
        {"sheet": "表1-2 部门支出总表", "cell": "E6", "value": 176.74}, {"sheet": "表1-2 部门支出总表", "cell": "F6", "value": 130.0},
        {"sheet": "表1-2 部门支出总表", "cell": "E7", "value": 111.0},
        {"sheet": "表3 一般公共预算支出表", "cell": "E6", "value": 176.74}, {"sheet": "表3 一般公共预算支出表", "cell": "F6", "value": 130.0},
        {"sheet": "表3 一般公共预算支出表", "cell": "E7", "value": 111.0},
        {"sheet": "表3-1 一般公共预算基本支出表", "cell": "D6", "value": 130.0},
        {"sheet": "表3-1 一般公共预算基本支出表", "cell": "E6", "value": 122.5}]}, export)
    before = _snapshot(data)
    dry = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data), "--dry-run"], tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "data/2020/functions.yaml:11: 功能分类 一般公共预算 201 一般公共服务支出 金额：110.91 → 111.00" in dry.stdout
    assert "data/2020/expenditure.yaml:12: 支出 基本支出 人员经费：122.41 → 122.50" in dry.stdout
    assert "试运行" in dry.stdout and _snapshot(data) == before
    run = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr
    text = (data / "2020" / "functions.yaml").read_text("utf-8")
    assert "    金额: 111.00\n    用途: 在职人员工资、中性人员补助及机构运转支出" in text
    assert "简称: 一般公共服务          # 正文写作“一般公共服务类”" in text
    assert (data / "2020" / "department.yaml").read_bytes() == before["2020/department.yaml"]


def test_an_xls_export_reads_like_the_xlsx(tmp_path: Path):
    from cases.casekit import budgetdoc_in_process
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    change_every_figure(data / "2020", NOT_IN_THE_TABLES)
    export = tmp_path / "批复.xls"
    make_file({"from": "report", "xls": True}, export)
    assert export.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")          # a real BIFF8 workbook
    run = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr
    assert figures(data / "2020") == figures(DATA / "2020")


def test_a_new_year_is_made_from_the_year_before(tmp_path: Path):
    """Importing into a year that does not exist yet: new-year's copy of the year before, with the file's figures."""
    from cases.casekit import budgetdoc_in_process
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    shutil.rmtree(data / "2021")
    # 2020's 机关运行经费 (not in the 公开表, carried over as it is) has a car line above 2021's 三公 budget:
    # the import is refused until it fits, as budgetdoc check would refuse the year.
    path = data / "2020" / "operating_costs.yaml"
    path.write_text(path.read_text("utf-8").replace("    金额: 6.00    ", "    金额: 5.60    "), "utf-8")
    export = tmp_path / "2021.xlsx"
    export.write_bytes(report_xlsx("examples/demo", 2021))
    run = budgetdoc_in_process(["import", str(export), "2021", "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr + run.stdout
    assert "由 2020 年的数据建立" in run.stdout
    got = figures(data / "2021")
    want = figures(EXAMPLE / "2021")
    carried = {k for k in want if k.split(":")[0] in ("operating_costs.yaml", "procurement.yaml")
               or k.endswith(("人员经费", "公用经费")) or "项目支出.项目[" in k}       # projects: by name, below
    assert {k: v for k, v in got.items() if k in want and k not in carried} == \
        {k: v for k, v in want.items() if k in got and k not in carried}
    from budgetdoc.load import YearFolder, load_year

    def projects(root: Path) -> dict:
        budget, _ = load_year(YearFolder(2021, root / "2021", "x"), strict=True)
        return {p.name: (p.amount.value, p.appropriation.value if p.appropriation else None)
                for p in budget.expenditure.project.projects}
    assert projects(data) == projects(EXAMPLE)


def test_the_money_path_of_the_importer_has_no_float():
    for name in ("cells.py", "tables.py", "apply.py", "lineitems.py"):
        code = (ROOT / "budgetdoc" / "importer" / name).read_text("utf-8")
        assert not re.search(r"\bfloat\s*\(|\bround\s*\(|\bmath\.", code), name


def test_a_float_becomes_the_decimal_it_was_written_as():
    from budgetdoc.importer.cells import amount
    from budgetdoc.problems import Source
    where = Source("x")
    assert amount(12345.67, where, "元", "x") == (Decimal("1.234567"), None)
    assert amount(110.91, where, "万元", "x") == (Decimal("110.91"), None)
    assert amount(0.1 + 0.2, where, "元", "x") == (Decimal("0.000030"), None)       # a formula's binary noise
    value, problem = amount(1234.567, where, "元", "x")
    assert value is None and "不到 1 分" in problem.message
    assert amount("1,234.50", where, "元", "x")[0] == Decimal("0.123450")
    assert amount("", where, "元", "x") == (None, None) and amount("—", where, "元", "x") == (None, None)


def test_codes_split_joined_and_named():
    from budgetdoc.importer.cells import joined_code, split_code
    assert split_code([201, 3, 1]) == "2010301" and split_code(["201", "03", ""]) == "20103"
    assert split_code([201.0, 3.0, 50.0]) == "2010350"
    assert joined_code("2010301-行政运行") == ("2010301", "行政运行")
    assert joined_code("[2010301]行政运行") == ("2010301", "行政运行")
    assert joined_code(2010301.0) == ("2010301", "")


def test_line_item_detail_becomes_every_tree_and_every_total(tmp_path: Path):
    """One row per budget line (元, codes joined with names, a subtotal row and a 合计 row among them)."""
    from budgetdoc.load import YearFolder, load_year
    from cases.casekit import budgetdoc_in_process
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    export = tmp_path / "明细.xlsx"
    general, agency = "一般公共预算资金", "奈曼旗政务服务局本级"
    make_file({"sheet": "预算明细", "rows": [
        ["2020年部门预算明细"],
        ["FISCAL_YEAR", "AGENCY_NAME", "EXP_FUNC_CODE", "DEP_BGT_ECO_CODE", "PRO_NAME", "FUND_TYPE_NAME", "金额（元）"],
        [2020, agency, "208-社会保障和就业支出", None, None, general, 381000],
        [2020, agency, "2080501-行政单位离退休", "30302-退休费", None, general, 381000],
        [2020, agency, "2101101-行政单位医疗", "30110-职工基本医疗保险缴费", None, general, 140100],
        [2020, agency, "2210201-住房公积金", "30113-住房公积金", None, general, 136300],
        [2020, agency, "2070308-群众体育", "30101-基本工资", None, general, 1123456.78],
        [2020, agency, "2070308-群众体育", "30201-办公费", "取暖费", general, 75600],
        [2020, agency, "2070308-群众体育", "30201-办公费", "取暖费", "事业收入", 10000],
        [None, None, "合计", None, None, None, 1866456.78],
    ]}, export)
    run = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr + run.stdout
    assert "读取了逐行明细［预算明细］：6 行，单位：元。" in run.stdout      # 208 was a subtotal row
    budget, problems = load_year(YearFolder(2020, data / "2020", "data/2020"), strict=True)
    assert not [p for p in problems if p.is_error]
    fn = budget.functions
    assert [i.code for i in fn.general] == ["207", "208", "210", "221"]
    sports = fn.general[0]
    assert (sports.amount.value, sports.basic.value, sports.project.value) == \
        (Decimal("119.905678"), Decimal("112.345678"), Decimal("7.56"))
    assert [c.code for c in sports.children] == ["20703"] and sports.children[0].children[0].code == "2070308"
    assert [i.code for i in fn.business] == ["207"] and fn.business[0].project.value == Decimal("1")
    assert budget.income.general.value == Decimal("185.645678") and budget.income.business.value == Decimal("1")
    assert budget.income.total.value == Decimal("186.645678") == budget.expenditure.total.value
    basic = budget.expenditure.basic
    assert basic.total.value == Decimal("178.085678")
    assert (basic.personnel.value, basic.public.value) == (Decimal("178.085678"), Decimal("0"))
    assert [e.code for e in basic.economic] == ["301", "303"]
    assert [(p.name, p.amount.value, p.appropriation.value if p.appropriation else None)
            for p in budget.expenditure.project.projects] == [("取暖费", Decimal("8.56"), Decimal("7.56"))]
    text = (data / "2020" / "functions.yaml").read_text("utf-8")
    assert "金额: 119.905678" in text and "# 政府性基金预算财政拨款支出；本部门没有，写 []。" in text


def test_a_line_item_export_of_20000_rows_is_read_in_one_pass(tmp_path: Path):
    """The benchmark's export (scripts/bench.py times it: not a timed test) imports and passes the checks."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from budgetdoc.importer import import_file
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    export = tmp_path / "明细.xlsx"
    export.write_bytes(bench.line_item_export(2_000))
    result = import_file(export, "2020", data)
    assert "读取了逐行明细［预算明细］：2,000 行，单位：元。" in result.notes
    assert any(c.label == "收入 一般公共预算拨款收入" for c in result.changes)


def test_another_layout_through_a_mapping_file(tmp_path: Path):
    """A county's own line-item layout: its labels, its fund codes, its header on the third row."""
    from budgetdoc.load import YearFolder, load_year
    from cases.casekit import budgetdoc_in_process
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    export = tmp_path / "明细.xlsx"
    make_file({"sheet": "部门预算明细（2020）", "rows": [
        ["某县部门预算明细表"], ["单位：元"],
        ["支出功能科目", "科目名", "部门经济科目", "项目", "资金性质", "本年预算数"],
        ["2080501", "行政单位离退休", "30302", None, "1", 381000],
        ["2101101", "行政单位医疗", "30110", None, "1", 140100],
        ["2210201", "住房公积金", "30113", None, "1", 136300],
        ["2070308", "群众体育", "30101", None, "1", 1123456.78],
        ["2070308", "群众体育", "30201", "取暖费", "1", 75600],
    ]}, export)
    mapping = tmp_path / "映射.yaml"
    mapping.write_text("# 某县预算系统的明细表\n表样: 逐行明细\n工作表: 部门预算明细\n表头行: 3\n列:\n  功能分类: 支出功能科目\n"
                       "  功能分类名称: 科目名\n  经济分类: 部门经济科目\n  项目名称: 项目\n  资金来源: 资金性质\n  金额: 本年预算数\n"
                       "资金来源:\n  \"1\": 一般公共预算\n", "utf-8")
    plain = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data), "--dry-run"], tmp_path)
    assert plain.returncode == 1 and "[导入表格]" in plain.stderr        # without the mapping: not recognised
    run = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data), "--mapping", str(mapping)], tmp_path)
    assert run.returncode == 0, run.stderr + run.stdout
    budget, _ = load_year(YearFolder(2020, data / "2020", "data/2020"), strict=True)
    assert budget.income.general.value == Decimal("185.645678")
    assert [i.code for i in budget.functions.general] == ["207", "208", "210", "221"]


def test_renamed_sheets_and_columns_through_a_mapping_file(tmp_path: Path):
    """公开表 whose sheets and one column are called otherwise: the mapping says which is which."""
    from cases.casekit import budgetdoc_in_process
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    change_every_figure(data / "2020", NOT_IN_THE_TABLES)
    export = tmp_path / "公开表.xlsx"
    make_file({"from": "report", "rename": {"表3 一般公共预算支出表": "3.21部门功能分类预算", "表1 部门收支总表": "2.15单位收支"},
               "cells": [{"sheet": "3.21部门功能分类预算", "cell": "E5", "value": "本年预算数"},
                         {"sheet": "3.21部门功能分类预算", "cell": "A2", "value": "2020年功能分类预算"},
                         {"sheet": "2.15单位收支", "cell": "A2", "value": "2020年单位收支"}]}, export)
    mapping = tmp_path / "映射.yaml"
    mapping.write_text("表样: 公开表\n单位: 万元\n工作表:\n  部门收支总表: 2.15单位收支\n  一般公共预算支出表: 3.21部门功能分类预算\n"
                       "栏目:\n  本年预算数: 合计\n", "utf-8")
    run = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data), "--mapping", str(mapping)], tmp_path)
    assert run.returncode == 0, run.stderr + run.stdout
    assert "［3.21部门功能分类预算］" in run.stdout
    assert figures(data / "2020") == figures(DATA / "2020")


@pytest.mark.parametrize("number_format, expected", [('#,##0.00"元"', Decimal("38.1")), ('0.00"万元"', Decimal("381000"))])
def test_the_unit_may_sit_in_the_number_format(number_format: str, expected: Decimal, tmp_path: Path):
    import xlsxwriter

    from budgetdoc.importer.lineitems import find_line_items
    from budgetdoc.importer.workbook import open_workbook
    path = tmp_path / "明细.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("明细")
    sheet.write_row(0, 0, ["EXP_FUNC_CODE", "FUND_TYPE_NAME", "金额"])
    sheet.write_row(1, 0, ["2080501", "一般公共预算"])
    sheet.write_number(1, 2, 381000, book.add_format({"num_format": number_format}))
    book.close()
    extract = find_line_items(open_workbook(path), 2020)
    assert not extract.problems
    assert extract.trees["general"]["2080501"].get("total") == expected


def test_codes_typed_as_numbers_or_left_to_the_row_above_read_the_same(tmp_path: Path):
    """款 ``3`` for ``03``, 项 ``8`` for ``08``, a 类 typed as a number, a 款 row and a 项 row leaving their
    类 (and 款) to the rows above; a formula whose result was saved is read as its result."""
    from cases.casekit import budgetdoc_in_process
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    export = tmp_path / "公开表.xlsx"
    sheet = "表3 一般公共预算支出表"
    make_file({"data": "examples/demo", "year": 2021, "cells": [
        {"sheet": sheet, "cell": "A7", "value": 207}, {"sheet": sheet, "cell": "A8", "value": None},
        {"sheet": sheet, "cell": "B8", "value": 3}, {"sheet": sheet, "cell": "A9", "value": None},
        {"sheet": sheet, "cell": "B9", "value": None}, {"sheet": sheet, "cell": "C9", "value": 8}]}, export)
    run = budgetdoc_in_process(["import", str(export), "2021", "--data", str(data)], tmp_path)
    assert run.returncode == 0 and "没有需要修改的" in run.stdout, run.stdout + run.stderr

    import io
    import zipfile
    cached = tmp_path / "公式.xlsx"          # E7 as a formula with its result saved, as Excel saves it
    with zipfile.ZipFile(io.BytesIO(report_xlsx("examples/demo", 2021))) as z, zipfile.ZipFile(cached, "w") as out:
        for item in z.infolist():
            body = z.read(item.filename)
            if item.filename == "xl/worksheets/sheet5.xml":
                body, n = re.subn(rb'(<c r="E7"[^>]*?)(?: t="n")?>(<v>487.46</v>)', rb"\1><f>E8+E10</f>\2", body)
                assert n == 1
            out.writestr(item, body)
    run = budgetdoc_in_process(["import", str(cached), "2021", "--data", str(data)], tmp_path)
    assert run.returncode == 0 and "没有需要修改的" in run.stdout, run.stdout + run.stderr


def test_an_export_imports_into_a_department_kept_in_yuan(tmp_path: Path):
    """数据单位: 元 — the export's figures (元 or 万元 in the file) are written in 元, exactly."""
    from budgetdoc.pipeline import build_year
    from cases.casekit import budgetdoc_in_process
    from test_style import in_yuan

    data = in_yuan(tmp_path)
    original = build_year(data, 2020)
    export = tmp_path / "公开表.xlsx"
    export.write_bytes(original.xlsx)                    # tables in 万元, two decimals
    expected = figures(data / "2020")
    assert expected["expenditure.yaml:基本支出.合计"] == Decimal("1299100")     # 129.91 万元
    assert change_every_figure(data / "2020", NOT_IN_THE_TABLES) >= 25
    run = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr + run.stdout
    assert figures(data / "2020") == expected            # back in 元, not in 万元
    assert build_year(data, 2020).text == original.text
