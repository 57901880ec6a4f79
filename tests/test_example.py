"""The fictional example department (examples/demo): complete data, two years, every table and sentence shape.

The reference department (data/) keeps only what its published report states; this one exercises
what the reference cannot: 款 and 项, 经济分类 款, a 政府性基金 line, 事业收入, 上年结转 and 结转下年,
projects with 绩效指标, and (in 2020) an empty table.
"""

from __future__ import annotations

import pytest

from budgetdoc.pipeline import build_year, check_year

from repo import EXAMPLE


@pytest.fixture(scope="module")
def example_2021():
    return build_year(EXAMPLE, 2021)


def test_the_reported_year_is_complete_nothing_to_warn_or_note():
    assert check_year(EXAMPLE, 2021).problems == []


def test_the_narrative_lists_every_xiang_with_its_class_and_kuan(example_2021):
    lines = example_2021.text.splitlines()
    # 一般公共预算 together with the 上年结转 it spends (as 表3 shows it): 162.46 + 32
    assert ("2.文化旅游体育与传媒支出（类）体育（款）群众体育（项）194.46万元，比上年预算数减少24.69万元，"
            "主要用于全民健身中心人员经费和日常运转，以及全民健身活动及赛事组织。") in lines
    # a 类 budgeted last year and not this year, in code order and named like the others
    assert "1.科学技术支出（类）0万元，比上年预算数减少15万元，本年未安排。" in lines
    assert ("1.其他支出（类）彩票公益金安排的支出（款）用于体育事业的彩票公益金（项）60万元，比上年预算数增加60万元"
            "（上年无此项预算），主要用于全民健身路径器材更新。") in lines


def test_the_narrative_and_the_general_budget_table_agree(example_2021):
    table = next(t for t in example_2021.tables if t.number == "表3")
    row = next(r for r in table.rows if [c.text for c in r][:3] == ["207", "03", "08"])
    assert row[4].text == "194.46"


def test_each_vehicle_reason_follows_its_own_item(example_2021):
    text = example_2021.text
    assert ("公务用车购置费18万元，比上年预算增加18万元（上年无此项预算），本年预算比上年执行数增加18万元（上年无此项支出），"
            "主要是由于：按规定更新1辆已报废的一般公务用车，新增购置费；公务用车运行维护费5.60万元") in text


def test_the_tables_show_every_source_and_the_carry_over(example_2021):
    t = {table.number: table for table in example_2021.tables}
    summary = [[c.text for c in row] for row in t["表1"].rows]
    assert ["四、事业收入", "50.00"] == summary[3][:2]
    assert summary[-3][2:] == ["结转下年", "3.00"] and summary[-2][:2] == ["上年结转", "35.00"]
    assert summary[-1] == ["收入总计", "721.07", "支出总计", "721.07"]
    income_total = [c.text for c in t["表1-1"].rows[0]]
    assert income_total == ["合计", "718.07", "32.00", "576.07", "60.00", "0.00", "50.00", "0.00", "0.00", "0.00"]
    assert t["表4"].rows[1][3].text == "其他支出" and not t["表4"].note
    published = [r[0].text for r in t["表5"].rows if r[0].rowspan > 1]
    assert "非物质文化遗产保护传承" not in published        # 已填报未公开: its targets are not published


def test_the_prior_year_builds_with_an_empty_fund_table():
    result = build_year(EXAMPLE, 2020)
    fund = next(t for t in result.tables if t.number == "表4")
    assert fund.note == "注：本部门2020年无政府性基金预算财政拨款安排，本表为空表。"
    assert [p.rule for p in result.problems] == ["上年数据"]      # no 2019 folder: nothing to compare with
