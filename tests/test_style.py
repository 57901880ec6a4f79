"""House styles (文风): each setting of style.yaml changes what it says, and nothing else.

Each test builds the real 2020 report (data/2020 with data/2019) in a style that changes one setting,
and reads the sentence the setting is about.  A department whose figures are in 元 gets the same
report as one in 万元.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from budgetdoc.pipeline import build_year
from budgetdoc.problems import BudgetError
from budgetdoc.style import load_style

from repo import DATA, ROOT, STYLES, TEMPLATES, edit
from test_perturb import amounts_of, edit_token


def build(tmp_path: Path, settings: str, data: Path = DATA, year: int = 2020):
    """The report in a style made of ``settings`` (style.yaml text) over the default templates."""
    folder = tmp_path / "style"
    folder.mkdir(exist_ok=True)
    (folder / "style.yaml").write_text(settings, encoding="utf-8")
    style, problems = load_style(folder)
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    return build_year(data, year, style=style)


def line(result, start: str) -> str:
    return next(l for l in result.text.splitlines() if l.startswith(start))


INCOME = "收入预算176.65万元，比2019年预算减少28.03万元，下降13.7%，原因：人员调出3人，人员经费减少。"


def test_the_default_style_file_is_the_reference_wording(report_2020):
    style, problems = load_style(TEMPLATES / "style.yaml")
    assert problems == [] and style.name == "参考报告"
    assert build_year(DATA, 2020, style=style).text == report_2020.text
    assert INCOME in report_2020.text.splitlines()


# ------------------------------------------------------------------ 金额

@pytest.mark.parametrize("form, expected", [
    ("整数去掉小数", "1.因公出国（境）费0万元"),
    ("两位小数", "1.因公出国（境）费0.00万元"),
    ("照录入", "1.因公出国（境）费0万元"),
])
def test_amount_format(tmp_path, form, expected):
    result = build(tmp_path, f"金额:\n  写法: {form}\n")
    assert line(result, "1.因公出国").startswith(expected)


def test_amount_as_entered_keeps_the_figures_own_decimals(tmp_path):
    text = build(tmp_path, "金额:\n  写法: 照录入\n").text
    assert "印刷费0.5万元" in text and "邮电费1.30万元" in text and "公用经费7.50万元" in text
    # a derived change has no entered form: no trailing zeros (54.24 − 40.24 = 14.00 → 14, 1.5 − 1.0 → 0.5)
    assert "比上年增加14万元，增长34.8%。" in text
    assert "支出预算1.5万元，比上年预算增加0.5万元，增长50%；本年预算比上年执行数增加0.1万元" in text


def test_amount_decimals(tmp_path):
    result = build(tmp_path, "金额:\n  写法: 两位小数\n  小数位: 3\n")
    assert line(result, "收入预算").startswith("收入预算176.650万元，比2019年预算减少28.030万元")


def test_prose_in_yuan(tmp_path):
    result = build(tmp_path, "金额:\n  文字单位: 元\n  写法: 两位小数\n")
    assert line(result, "收入预算").startswith("收入预算1766500.00元，比2019年预算减少280300.00元，下降13.7%")
    table = next(t for t in result.tables if t.number == "表3")
    assert table.unit == "单位：万元" and table.rows[0][1].text == "176.65"      # tables keep their own unit


def test_tables_in_yuan_with_grouping(tmp_path):
    result = build(tmp_path, "金额:\n  表格单位: 元\n  表格千分位: 是\n")
    table = next(t for t in result.tables if t.number == "表3")
    assert table.unit == "单位：元"
    total = table.rows[0][1]
    assert (total.text, total.value, total.number_format) == ("1,766,500.00", Decimal("1766500.00"), "#,##0.00")
    assert INCOME in result.text                                                  # the prose keeps 万元


# ------------------------------------------------------------------ 百分比

def test_share_and_rate_decimals(tmp_path):
    result = build(tmp_path, "百分比:\n  占比小数位: 1\n  增长率小数位: 2\n")
    assert "基本支出129.91万元（其中：人员经费122.41万元、公用经费7.50万元），占比73.5%" in result.text
    assert line(result, "收入预算").startswith("收入预算176.65万元，比2019年预算减少28.03万元，下降13.69%")


def test_whole_percent_keeps_its_decimals_when_asked(tmp_path):
    result = build(tmp_path, "百分比:\n  整数去掉小数: 否\n")
    assert "一般公共预算拨款收入176.65万元，占比100.00%" in result.text


def test_a_space_before_percent(tmp_path):
    result = build(tmp_path, "百分比:\n  百分号前空格: 是\n")
    assert line(result, "收入预算").startswith("收入预算176.65万元，比2019年预算减少28.03万元，下降13.7 %")


def test_the_words_for_a_rate_too_small_to_show(tmp_path, data_copy):
    edit(data_copy / "2019" / "operating_costs.yaml", ("合计: 40.24", "合计: 54.23"))
    default = build(tmp_path, "名称: x\n", data=data_copy)
    assert "比上年增加0.01万元，增长不足0.1%。" in default.text
    custom = build(tmp_path, "百分比:\n  太小: 约{最小}%\n", data=data_copy)
    assert "比上年增加0.01万元，增长约0.1%。" in custom.text


# ------------------------------------------------------------------ 比较

@pytest.mark.parametrize("lead, expected", [
    ("较{基数}", "收入预算176.65万元，较2019年预算减少28.03万元"),
    ("相比{基数}", "收入预算176.65万元，相比2019年预算减少28.03万元"),
    ("同比", "收入预算176.65万元，同比减少28.03万元"),
])
def test_comparison_lead(tmp_path, lead, expected):
    assert line(build(tmp_path, f"比较:\n  写法: {lead}\n"), "收入预算").startswith(expected)


def test_named_bases(tmp_path):
    result = build(tmp_path, "比较:\n  基数:\n    - 名称: 总体\n      写作: 上年预算\n    - 名称: 默认\n      写作: 上年\n")
    assert line(result, "收入预算").startswith("收入预算176.65万元，比上年预算减少28.03万元")
    assert line(result, "1.一般公共服务类").startswith("1.一般公共服务类110.91万元，比上年减少46.07万元")


def test_verbs(tmp_path):
    result = build(tmp_path, "比较:\n  减少: 下降\n  下降: 降低\n  增加: 增长\n  增长: 提高\n")
    assert line(result, "收入预算").startswith("收入预算176.65万元，比2019年预算下降28.03万元，降低13.7%")
    assert "比上年预算增长0.50万元，提高50%" in result.text


@pytest.mark.parametrize("flat, expected", [
    ("无变化", "1.因公出国（境）费0万元，无变化；本年预算无变化。"),
    ("无增减变化", "1.因公出国（境）费0万元，无增减变化；本年预算无增减变化。"),
    ("{比较}无增减", "1.因公出国（境）费0万元，比上年预算无增减；本年预算比上年执行数无增减。"),
])
def test_the_zero_change_phrase(tmp_path, flat, expected):
    assert expected in build(tmp_path, f"比较:\n  持平: \"{flat}\"\n").text.splitlines()


NEW_RECEPTION = ("公务接待费:\n  预算数: 0", "公务接待费:\n  预算数: 0.3\n  变动原因: 承办全市政务服务现场会")


@pytest.mark.parametrize("settings, expected", [
    ("", "2.公务接待费0.30万元，比上年预算增加0.30万元（上年无此项预算）；本年预算比上年执行数增加0.30万元（上年无此项支出）。"),
    ("比较:\n  新增说明: 上年无该预算，增长率无可比性\n  新增说明（执行数）: 去年未列该项\n",
     "2.公务接待费0.30万元，比上年预算增加0.30万元（上年无该预算，增长率无可比性）；本年预算比上年执行数增加0.30万元（去年未列该项）。"),
    ("比较:\n  新增说明: \"\"\n  新增说明（执行数）: \"\"\n",
     "2.公务接待费0.30万元，比上年预算增加0.30万元；本年预算比上年执行数增加0.30万元。"),
])
def test_the_new_item_phrase(tmp_path, data_copy, settings, expected):
    edit(data_copy / "2020" / "three_public.yaml", NEW_RECEPTION, ("合计:\n  预算数: 1.5", "合计:\n  预算数: 1.8"))
    assert build(tmp_path, settings or "名称: x\n", data=data_copy).text.count(expected) == 1


@pytest.mark.parametrize("settings, expected", [
    ("", "5.住房保障类0万元，比上年预算数减少10.21万元，本年未安排。"),
    ("比较:\n  取消说明: 本年不再安排\n", "5.住房保障类0万元，比上年预算数减少10.21万元，本年不再安排。"),
    ("比较:\n  取消说明: \"\"\n", "5.住房保障类0万元，比上年预算数减少10.21万元。"),    # 类 lines give no rate
])
def test_the_dropped_item_phrase(tmp_path, data_copy, settings, expected):
    edit(data_copy / "2020" / "functions.yaml", ("编码: 221", "编码: 212"),
         ("名称: 住房保障支出\n    简称: 住房保障", "名称: 城乡社区支出"))
    assert expected in build(tmp_path, settings or "名称: x\n", data=data_copy).text.splitlines()


def test_a_reason_for_an_unchanged_line_when_asked(tmp_path, data_copy):
    edit(data_copy / "2019" / "operating_costs.yaml", ("合计: 40.24", "合计: 54.24"))
    assert "与上年持平。" in build(tmp_path, "名称: x\n", data=data_copy).text
    text = build(tmp_path, "比较:\n  持平也写原因: 是\n", data=data_copy).text
    assert "与上年持平。原因是新成立政务服务局，政务服务中心增加专家评审费用。" in text


def test_reasons_follow_the_rate_verbs_when_asked(tmp_path):
    assert "比上年增加14万元，增长34.8%。增加原因是新成立政务服务局" in build(tmp_path, "名称: x\n").text
    text = build(tmp_path, "比较:\n  原因跟随: 比率\n").text
    assert "比上年增加14万元，增长34.8%。增长原因是新成立政务服务局" in text


# ------------------------------------------------------------------ 编号, 部分, 版式

def test_numbering_labels_per_level(tmp_path):
    result = build(tmp_path, "编号:\n  - \"{中}、\"\n  - （{中}）\n  - \"{数}、\"\n部分标题间隔: \"\"\n")
    lines = result.text.splitlines()
    assert "一、部门概况" in lines and "六、部门预算公开表" in lines
    assert "（一）主要职能" in lines and "1、部门职能" in lines
    assert not any(l.startswith("第一部分") for l in lines)


def test_parts_and_their_order(tmp_path):
    result = build(tmp_path, "部分:\n  - part6_tables.j2\n  - part1_overview.j2\n  - part5_contact.j2\n")
    heads = [l for l in result.text.splitlines() if re.match(r"^第.部分", l)]
    assert heads == ["第一部分  部门预算公开表", "第二部分  部门概况", "第三部分  预算公开联系方式及信息反馈渠道"]


def test_layout_in_the_style(tmp_path):
    import docx as python_docx
    import io
    result = build(tmp_path, "版式:\n  body:\n    size_pt: 15\n")
    styles = python_docx.Document(io.BytesIO(result.docx)).styles
    assert styles["公文正文"].font.size.pt == 15


def test_an_old_layout_file_still_works(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "layout.yaml").write_text("body:\n  size_pt: 15\n", encoding="utf-8")
    style, problems = load_style(folder / "layout.yaml")
    assert problems == [] and style.layout.body.size_pt == 15 and style.name == "参考报告"


# ------------------------------------------------------------------ 变动原因: which changes need a reason

# data/2020 without its income reason: 收入合计 fell 28.03 of 204.68, a change of 13.7%.
INCOME_UNEXPLAINED = ("data/2020/income.yaml:6:5: 警告 [变动原因] 收入合计比上年减少 28.03 万元（204.68 → 176.65），"
                      "没有写变动原因。\n    处理办法：在 income.yaml 中加一行“变动原因: …”")


def check_in_style(data_copy: Path, settings: str | None):
    """`budgetdoc check 2020` over data_copy with no income reason, the style.yaml in the data folder (None: none)."""
    from cases.casekit import budgetdoc_in_process
    edit(data_copy / "2020" / "income.yaml", ("变动原因: 人员调出3人，人员经费减少。\n", ""))
    if settings is not None:
        (data_copy / "style.yaml").write_text(settings, encoding="utf-8")
    return budgetdoc_in_process(["check", "2020"], data_copy.parent)


def test_by_default_every_change_needs_a_reason(data_copy):
    run = check_in_style(data_copy, None)
    assert run.returncode == 0 and INCOME_UNEXPLAINED in run.stderr, run.stderr
    assert run.stderr.count("[变动原因]") == 1, run.stderr          # the reasons data/2020 does give are taken


def test_the_default_style_file_asks_for_every_change(data_copy):
    run = check_in_style(data_copy, (TEMPLATES / "style.yaml").read_text("utf-8"))
    assert run.returncode == 0 and INCOME_UNEXPLAINED in run.stderr, run.stderr


@pytest.mark.parametrize("share, warned", [
    ("20%", False), ("14%", False), ("15 ％", False),     # above the 13.7% change: silent
    ("13%", True), ("10%", True), ("0%", True), ("10", True),   # below it: warned
])
def test_a_reason_only_above_a_share(data_copy, share, warned):
    run = check_in_style(data_copy, f"变动原因:\n  要求: 超过比例\n  比例: \"{share}\"\n")
    assert run.returncode == 0, run.stderr
    assert (INCOME_UNEXPLAINED in run.stderr) is warned, run.stderr
    assert ("[变动原因]" in run.stderr) is warned, run.stderr


def test_no_reason_required(data_copy):
    run = check_in_style(data_copy, "变动原因:\n  要求: 不要求\n")
    assert run.returncode == 0 and "[变动原因]" not in run.stderr, run.stderr


@pytest.mark.parametrize("settings, where, message", [
    ("变动原因:\n  要求: 超过比例\n  比例: 十个百分点\n", "data/style.yaml:3:7",
     "“变动原因.比例”应当是百分比，如“10%”，这里是“十个百分点”。"),
    ("变动原因:\n  要求: 超过比例\n  比例: NaN\n", "data/style.yaml:3:7", "这里是“NaN”"),   # not a 内部错误
    ("变动原因:\n  要求: 超过比例\n  比例: Infinity\n", "data/style.yaml:3:7", "这里是“Infinity”"),
    ("变动原因:\n  要求: 超过比例\n  比例: \"-5%\"\n", "data/style.yaml:3:7", "这里是“-5%”"),
    ("变动原因:\n  要求: 超过比例\n", "data/style.yaml:2:3", "“变动原因.要求”是“超过比例”，但没有写“比例”。"),
    ("变动原因:\n  要求: 超过一成\n", "data/style.yaml:2:7",
     "“变动原因.要求”只能是：有变动就要、超过比例、不要求；这里是“超过一成”。"),
])
def test_a_mistake_in_the_reason_setting_is_located_in_chinese(data_copy, settings, where, message):
    run = check_in_style(data_copy, settings)
    assert run.returncode == 1 and "Traceback" not in run.stderr and "内部错误" not in run.stderr, run.stderr
    (line,) = [l for l in run.stderr.splitlines() if "错误 [" in l]
    assert line.startswith(f"{where}: 错误 [") and message in line, run.stderr
    assert "处理办法：" in run.stderr


# ------------------------------------------------------------------ mistakes, located

@pytest.mark.parametrize("settings, line_no, message", [
    ("比较:\n  写法: 比{基础}\n", 2, "“比较.写法”中的“{基础}”不是可用的占位符。"),
    ("金额:\n  写法: 四位小数\n", 2, "“金额.写法”只能是：整数去掉小数、两位小数、照录入；这里是“四位小数”。"),
    ("百分比:\n  占比小数位: 9\n", 2, "“百分比.占比小数位”是 9，最多 6 位小数。"),
    ("金额:\n  单位: 元\n", 2, "“金额”中没有“单位”这个字段。"),
    ("版式:\n  body:\n    size_pt: 0\n", 2, "设置项“body.size_pt”应为大于 0 的数字"),
])
def test_a_mistake_in_the_style_is_located_in_chinese(tmp_path, settings, line_no, message):
    folder = tmp_path / "style"
    folder.mkdir()
    (folder / "style.yaml").write_text(settings, encoding="utf-8")
    with pytest.raises(BudgetError) as caught:
        build_year(DATA, 2020, style=__import__("budgetdoc.style", fromlist=["x"]).style_or_raise(folder))
    (problem,) = [p for p in caught.value.problems if p.is_error]
    assert message in problem.message, problem.message
    assert problem.source.line == line_no and problem.source.file.endswith("style.yaml")


# ------------------------------------------------------------------ figures kept in 元

def in_yuan(tmp_path: Path) -> Path:
    """data/ with every amount of both years written in 元 (× 10000), and 数据单位: 元."""
    data = tmp_path / "yuan"
    shutil.copytree(DATA, data)
    for year in (2020, 2019):
        by_file: dict[str, list] = {}
        for amount in amounts_of(year):
            by_file.setdefault(amount.file, []).append(amount)
        for file, amounts in by_file.items():
            path = data / file
            text = path.read_text(encoding="utf-8")
            for amount in sorted(amounts, key=lambda a: (a.line, a.column), reverse=True):
                text = edit_token(text, amount, format(Decimal(amount.text) * 10000, "f"))
            path.write_text(text, encoding="utf-8")
    edit(data / "2019" / "known_issues.yaml", ("差额: 0.08", "差额: 800"))
    edit(data / "2020" / "department.yaml", ("年度: 2020 ", "数据单位: 元\n年度: 2020 "))
    return data


def test_figures_in_yuan_give_the_same_report_in_wanyuan(tmp_path, report_2020):
    result = build_year(in_yuan(tmp_path), 2020)
    assert result.text == report_2020.text
    assert result.xlsx == report_2020.xlsx


def test_messages_name_the_unit_the_figures_are_in(tmp_path):
    data = in_yuan(tmp_path)
    edit(data / "2020" / "expenditure.yaml", ("人员经费: 1224100", "人员经费: 1224200"))
    with pytest.raises(BudgetError) as caught:
        build_year(data, 2020)
    (problem,) = [p for p in caught.value.problems if p.rule == "基本支出"]
    assert "相差 100.00 元" in problem.message


def test_four_decimals_in_wanyuan_when_the_department_says_so(data_copy):
    edit(data_copy / "2020" / "department.yaml", ("年度: 2020 ", "金额小数位: 4\n年度: 2020 "))
    edit(data_copy / "2020" / "operating_costs.yaml", ("金额: 1.08", "金额: 1.0752"), ("金额: 0.5\n", "金额: 0.5048\n"))
    result = build_year(data_copy, 2020)
    assert "办公费1.08万元，印刷费0.50万元" in result.text        # shown rounded, kept exact


def test_the_tables_first_style_reorders_renames_and_rewords(tmp_path):
    """styles/tables-first: the second shipped style, its changes read on the reference department."""
    from budgetdoc.document import Heading, Table
    result = build_year(DATA, 2020, style=load_style(STYLES / "tables-first")[0])
    blocks = result.document.blocks
    first_table = next(i for i, b in enumerate(blocks) if isinstance(b, Table))
    first_heading = next(b for b in blocks if isinstance(b, Heading))
    assert first_heading.text == "部门预算公开表" and first_heading.number == "一、"
    assert all(not isinstance(b, Heading) or b.level > 1 for b in blocks[1:first_table])
    headings = [b.number + b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert headings[:2] == ["一、部门预算公开表", "二、部门概况"] and "第" not in "".join(headings)
    assert any(h.endswith("其他重要事项") for h in headings)
    assert "名词解释" in [b.text for b in blocks if isinstance(b, Heading)]
    assert line(result, "收入预算") == ("收入预算1766500.00元，同比减少280300.00元，下降13.7%，"
                                       "原因：人员调出3人，人员经费减少。")
    assert result.tables[0].issuer and "单位：元" in result.text


def test_the_side_by_side_in_docs_style_md_is_what_the_two_styles_write():
    """docs/style.md shows one paragraph in each shipped style: each cell is a line of the built report."""
    from repo import EXAMPLE
    doc = (ROOT / "docs" / "style.md").read_text("utf-8")
    block = doc.split("<!-- side-by-side: examples/demo 2021 -->", 1)[1].split("<!-- /side-by-side -->", 1)[0]
    rows = [[c.strip() for c in r.strip().strip("|").split("|")] for r in block.strip().splitlines()[2:]]
    assert len(rows) >= 4
    built = {"default": build_year(EXAMPLE, 2021),
             "tables-first": build_year(EXAMPLE, 2021, style=load_style(STYLES / "tables-first")[0])}
    for default, tables_first in rows:
        assert default in built["default"].text.splitlines(), default
        assert tables_first in built["tables-first"].text.splitlines(), tables_first


def test_a_style_copied_into_the_data_folder_as_templates_is_used(tmp_path):
    """`budgetdoc templates data/templates --style tables-first`: a style folder there is the house style."""
    from cases.casekit import budgetdoc_in_process
    shutil.copytree(DATA, tmp_path / "data")
    assert budgetdoc_in_process(["templates", "data/templates", "--style", "tables-first"], tmp_path).returncode == 0
    run = budgetdoc_in_process(["report", "2020", "--out", "b"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "\n一、部门预算公开表\n" in next((tmp_path / "b" / "2020").glob("*.txt")).read_text("utf-8")
    (tmp_path / "data" / "templates" / "style.yaml").unlink()   # parts alone, no style and no report.j2: said
    empty = budgetdoc_in_process(["report", "2020", "--out", "c"], tmp_path)
    assert empty.returncode == 1 and "data/templates/ 中既没有报告模板 report.j2，也没有文风 style.yaml" in empty.stderr


def test_a_style_listing_a_part_it_does_not_have_is_told_where(tmp_path):
    from cases.casekit import budgetdoc_in_process
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copy(STYLES / "tables-first" / "style.yaml", tmp_path / "data" / "style.yaml")   # without its templates
    run = budgetdoc_in_process(["report", "2020", "--out", "b"], tmp_path)
    assert run.returncode == 1 and not (tmp_path / "b").exists()
    assert "data/style.yaml: 错误 [文风] 文风 data/style.yaml 的“部分”列出了 part0_tables.j2，但在文风的文件夹和模板中都找不到" \
        in run.stderr


def test_a_table_set_beside_a_years_style_is_not_an_unknown_file(tmp_path):
    from cases.casekit import budgetdoc_in_process
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copy(TEMPLATES / "tables.yaml", tmp_path / "data" / "2020" / "tables.yaml")
    (tmp_path / "data" / "2020" / "style.yaml").write_text("金额:\n  写法: 两位小数\n", "utf-8")
    run = budgetdoc_in_process(["check", "2020"], tmp_path)
    assert run.returncode == 0 and "未知文件" not in run.stderr, run.stderr
