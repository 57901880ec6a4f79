"""budgetdoc audit, the arithmetic: the precision rule and the cases where a figure is right after all."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetdoc.audit import audit
from budgetdoc.audit.arithmetic import rounds_to


def found(text: str) -> list[tuple[str, str]]:
    return [(f.severity.value, f.rule) for f in audit(text.encode("utf-8"), "txt").findings]


@pytest.mark.parametrize("exact, stated, places, less, right", [
    ("13.6945", "13.7", 1, False, True), ("7.1429", "7", 0, False, True), ("7.1429", "7.2", 1, False, False),
    ("26.455", "26.46", 2, False, True), ("26.4549", "26.46", 2, False, False), ("0.04", "0.1", 1, True, True),
    ("0.2", "0.1", 1, True, False), ("0", "0.1", 1, True, False)])
def test_the_precision_rule(exact, stated, places, less, right):
    assert rounds_to(Decimal(exact), Decimal(stated), places, less) is right


def test_a_rate_too_small_to_show_is_right_when_it_is():
    assert found("收入预算1000.04万元，比上年预算增加0.04万元，增长不足0.1%。") == []
    assert found("收入预算1000.40万元，比上年预算增加0.40万元，增长不足0.01%。") == [("错误", "增长率")]


def test_the_precision_note_is_only_for_a_figure_right_at_its_own_precision():
    report = ("收入预算300.00万元，比上年预算增加40.00万元，增长15.4%。"
              "支出预算86.40万元，比上年预算增加6.40万元，增长{}。")
    assert found(report.format("8%")) == []                              # 8.0%: the decimal would be 0
    assert found(report.format("7%")) == [("错误", "增长率")]             # wrong, and not “less precise”
    assert found("收入预算300.00万元，比上年预算增加40.00万元，增长15.4%。"
                 "支出预算1.50万元，比上年预算增加0.10万元，增长7%。") == [("提示", "精度")]


def test_shares_apportioned_to_100_are_right_and_others_one_unit_off_are_not():
    apportioned = "部门预算收入300.00万元，其中：一般公共预算拨款收入100.00万元，占比33.34%；事业收入100.00万元，" \
                  "占比33.33%；其他收入100.00万元，占比33.33%。"
    assert found(apportioned) == []
    assert found(apportioned.replace("33.34%", "33.35%").replace("其他收入100.00万元，占比33.33%", "其他收入100.00万元，占比33.32%")) \
        == [("错误", "占比"), ("错误", "占比")]


def test_a_total_written_wrong_is_not_blamed_on_a_part_that_adds_up():
    """支出合计 is the basic figure here: 基本支出 = 人员经费 + 公用经费 holds, so the 合计 is what is wrong."""
    text = ("部门预算支出129.91万元，其中：基本支出129.91万元（其中：人员经费122.41万元、公用经费7.50万元），"
            "项目支出46.74万元。")
    findings = audit(text.encode("utf-8"), "txt").findings
    assert [(f.rule, f.stated, f.computed) for f in findings] == [("合计", "129.91", "176.65")]


def test_a_list_that_runs_on_into_numbered_paragraphs():
    text = ("三、一般公共预算支出情况\n2021年一般公共预算支出200.00万元，主要用于：\n"
            "1、农林水支出（类）150.00万元，占75%。\n2、住房保障支出（类）50.00万元，占20%。\n")
    a = audit(text.encode("utf-8"), "txt")
    assert [(f.rule, f.computed) for f in a.findings] == [("占比", "25%")]
    assert [f.head.value for f in a.extracted.facts if f.head] == [Decimal("200.00"), Decimal("200.00")]


def test_the_list_stops_at_the_first_paragraph_that_is_not_numbered():
    text = "“三公”经费预算3.00万元。其中：\n1.公务接待费1.00万元。\n另外安排培训费9.00万元。\n"
    facts = audit(text.encode("utf-8"), "txt").extracted.facts
    assert [(f.subject, f.head.subject if f.head else None) for f in facts] == [
        ("三公经费预算", None), ("公务接待费", "三公经费预算"), ("培训费", None)]
