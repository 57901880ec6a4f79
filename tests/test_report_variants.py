"""The report on edited copies of the data: wording of the cases the reference does not show."""

from __future__ import annotations

import shutil
from pathlib import Path

from budgetdoc.pipeline import build_year

from repo import edit


def lines(data: Path) -> list[str]:
    return build_year(data, 2020).text.splitlines()


def test_a_class_dropped_this_year_is_still_reported(data_copy: Path):
    edit(data_copy / "2020" / "functions.yaml", ("编码: 221", "编码: 212"),
         ("名称: 住房保障支出\n    简称: 住房保障", "名称: 城乡社区支出"))
    text = lines(data_copy)
    assert "4.城乡社区类13.63万元，比上年预算数增加13.63万元（上年无此项预算）。主要用于职工的住房公积金支出。" in text
    assert "5.住房保障类0万元，比上年预算数减少10.21万元，本年未安排。" in text


def test_every_three_public_item_gives_its_reason(data_copy: Path):
    edit(data_copy / "2020" / "three_public.yaml",
         ("公务接待费:\n  预算数: 0", "公务接待费:\n  预算数: 0.3\n  变动原因: 承办全市政务服务现场会"),
         ("合计:\n  预算数: 1.5", "合计:\n  预算数: 1.8"))
    text = "\n".join(lines(data_copy))
    assert ("2.公务接待费0.30万元，比上年预算增加0.30万元（上年无此项预算）；本年预算比上年执行数增加0.30万元"
            "（上年无此项支出）。主要是由于：承办全市政务服务现场会。") in text


def test_without_a_previous_year_every_comparison_is_left_out(data_copy: Path):
    shutil.rmtree(data_copy / "2019")
    result = build_year(data_copy, 2020)
    assert "收入预算176.65万元，原因：" not in result.text
    assert "收入预算176.65万元。" in result.text
    assert "1.一般公共服务类110.91万元。主要用于在职人员工资、中性人员补助及机构运转支出。" in result.text
    assert "比上年" not in result.text
    assert [p.rule for p in result.problems if not p.is_note] == ["上年数据"]


def test_a_missing_previous_file_is_one_warning(data_copy: Path):
    (data_copy / "2019" / "three_public.yaml").unlink()
    result = build_year(data_copy, 2020)
    notes = [p.message for p in result.problems if p.rule == "上年数据"]
    assert notes == ["2019年没有 three_public.yaml（“三公”经费），报告中省略这部分与上年的比较。"]
    assert "财政拨款“三公”经费支出预算1.50万元。其中：" in result.text


KUAN_AND_XIANG = """    金额: 110.91
    下级:
      - 编码: 20103
        名称: 政府办公厅（室）及相关机构事务
        金额: 110.91
        下级:
          - 编码: 2010301
            名称: 行政运行
            金额: 64.17
            用途: 机构正常运转
          - 编码: 2010350
            名称: 事业运行
            金额: 46.74
"""


def test_the_narrative_follows_the_data_down_to_xiang(data_copy: Path):
    """公开到项级: each 项 named with its 类 and 款; the tables list them."""
    edit(data_copy / "2020" / "functions.yaml", ("    金额: 110.91\n", KUAN_AND_XIANG))
    result = build_year(data_copy, 2020)
    text = result.text.splitlines()
    assert ("1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）64.17万元，"
            "主要用于机构正常运转。") in text
    assert "2.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）46.74万元。" in text
    # once one 类 is listed by its 款 and 项, every line is named the same way
    assert "3.社会保障和就业支出（类）38.10万元，比上年预算数增加8.84万元，主要用于社会保险基金补助支出、行政事业单位离退休支出、" \
           "工伤和生育保险支出。" in text
    table = next(t for t in result.tables if t.number == "表3")
    assert [[c.text for c in row][:5] for row in table.rows[1:4]] == [
        ["201", "", "", "一般公共服务支出", "110.91"],
        ["201", "03", "", "政府办公厅（室）及相关机构事务", "110.91"],
        ["201", "03", "01", "行政运行", "64.17"]]
    assert [c.indent for c in table.rows[3]][3] == 2
