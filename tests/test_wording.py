"""Each phrasing rule of budgetdoc.wording, one test each."""

from decimal import Decimal as D

import pytest

from budgetdoc.compute import Change, Line, Share, Trend
from budgetdoc.wording import Wording, actual, clause

W = Wording()


# ------------------------------------------------------------------ amounts
@pytest.mark.parametrize("value, text", [
    ("176.65", "176.65"), ("7.5", "7.50"), ("7.50", "7.50"), ("38.1", "38.10"),
    ("0", "0"), ("0.00", "0"), ("14", "14"), ("14.00", "14"), ("12.345", "12.35"), ("0.005", "0.01"),
])
def test_money_two_decimals_whole_numbers_bare(value, text):
    assert W.money(D(value)) == text


def test_money_fixed_style_keeps_decimals_on_whole_numbers():
    assert Wording(trim_whole=False).money(D("14")) == "14.00"


def test_money_accepts_a_line():
    assert W.money(Line("x", D("1.5"))) == "1.50"


# ---------------------------------------------------------------- increase
def test_increase():
    assert W.change(Change(D("38.10"), D("29.26"))) == "比上年预算数增加8.84万元，增长30.2%"


def test_increase_base_is_chosen_by_template():
    assert W.change(Change(D("1.5"), D("1.0")), base="上年预算") == "比上年预算增加0.50万元，增长50%"


def test_increase_without_rate():
    assert W.change(Change(D("38.10"), D("29.26")), with_rate=False) == "比上年预算数增加8.84万元"


# ---------------------------------------------------------------- decrease
def test_decrease_says_reduce_and_fall():
    text = W.change(Change(D("176.65"), D("204.68")), base="2019年预算")
    assert text == "比2019年预算减少28.03万元，下降13.7%"


# --------------------------------------------------------------- precision
def test_rate_precision_is_a_parameter():
    change = Change(D("176.65"), D("204.68"))
    assert W.change(change, digits=2).endswith("下降13.69%")
    assert W.change(change, digits=0).endswith("下降14%")
    assert Wording(change_digits=2).change(change).endswith("下降13.69%")


def test_rate_is_rounded_half_up_from_the_unrounded_value():
    # 0.1 / 1.4 = 7.142857…%
    assert W.rate(Change(D("1.5"), D("1.4"))) == "7.1%"
    assert W.rate(Change(D("1.5"), D("1.4")), digits=0) == "7%"


# -------------------------------------------------------------- no change
def test_flat_is_never_increase_zero():
    text = W.change(Change(D("0"), D("0")))
    assert text == "与上年预算数持平"
    assert "增加0" not in text and "0%" not in text


def test_flat_nonzero():
    assert W.change(Change(D("5"), D("5.00")), base="上年执行数") == "与上年执行数持平"


# ---------------------------------------------------------------- new item
def test_new_item_has_no_percentage():
    text = W.change(Change(D("3"), D("0")))
    assert text == "比上年预算数增加3万元（上年无此项预算）"
    assert "%" not in text


# ------------------------------------------------------------ dropped item
def test_item_dropped_to_zero():
    assert W.change(Change(D("0"), D("2.5"))) == "比上年预算数减少2.50万元，本年未安排"


# ----------------------------------------------------------------- unknown
def test_unknown_prior_gives_empty_phrase():
    assert W.change(Change(D("3"), None)) == ""
    assert W.change(None) == ""
    assert W.rate(Change(D("3"), None)) == ""


def test_trend_classification():
    assert Change(D(2), D(1)).trend is Trend.INCREASE
    assert Change(D(1), D(2)).trend is Trend.DECREASE
    assert Change(D(1), D(1)).trend is Trend.FLAT
    assert Change(D(1), D(0)).trend is Trend.NEW
    assert Change(D(0), D(1)).trend is Trend.DROPPED
    assert Change(None, D(1)).trend is Trend.UNKNOWN


# ------------------------------------------------------------------- share
def test_share_two_decimals_by_default():
    basic, project = Share.group([D("129.91"), D("46.74")])
    assert (W.share(basic), W.share(project)) == ("73.54%", "26.46%")


def test_share_of_whole_and_of_nothing():
    whole, nothing = Share.group([D("176.65"), D("0")])
    assert (W.share(whole), W.share(nothing)) == ("100%", "0%")


def test_share_precision_is_a_parameter_and_still_adds_to_100():
    a, b, c = Share.group([D(1), D(1), D(1)])
    assert [W.share(s, digits=1) for s in (a, b, c)] == ["33.4%", "33.3%", "33.3%"]


def test_share_of_zero_whole_is_zero():
    a, = Share.group([D(0)])
    assert W.share(a) == "0%"


def test_share_needs_a_share():
    with pytest.raises(ValueError):
        W.share(Line("x", D(1)))


# ----------------------------------------------------------------- reasons
def test_reason_follows_lead():
    change = Change(D("176.65"), D("204.68"))
    assert W.cause(change, "人员调出3人，人员经费减少。") == "原因：人员调出3人，人员经费减少"


def test_reason_lead_names_the_direction():
    assert W.cause(Change(D("54.24"), D("40.24")), "新成立政务服务局", lead="{}原因是") == "增加原因是新成立政务服务局"
    assert W.cause(Change(D("1"), D("2")), "压减开支", lead="{}原因是") == "减少原因是压减开支"


def test_no_reason_without_change_or_text():
    assert W.cause(Change(D("1"), D("1")), "不应出现") == ""
    assert W.cause(Change(D("2"), D("1")), None) == ""
    assert W.cause(Change(D("2"), None), "上年未知") == ""


def test_clause_strips_final_punctuation():
    assert clause("车辆使用年头久，维修费增加。") == "车辆使用年头久，维修费增加"
    assert clause(None) == ""


def test_actual_comparison_of_a_line():
    line = Line("x", D("1.5"), change_actual=Change(D("1.5"), D("1.4")))
    assert W.change(actual(line), base="上年执行数") == "比上年执行数增加0.10万元，增长7.1%"
    assert actual(Line("y", D(1))).trend is Trend.UNKNOWN


def test_new_item_against_last_years_execution_says_no_spending():
    assert W.change(Change(D("0.3"), D("0")), base="上年执行数") == "比上年执行数增加0.30万元（上年无此项支出）"


def test_a_tiny_rate_never_reads_zero_percent():
    text = W.change(Change(D("100.00"), D("99.99")))
    assert text == "比上年预算数增加0.01万元，增长不足0.1%"
    assert W.rate(Change(D("100.00"), D("99.99")), digits=2) == "0.01%"
    assert W.rate(Change(D("100000.00"), D("99999.99")), digits=2) == "不足0.01%"


def test_lead_ins_the_template_writes_are_not_doubled():
    change = Change(D("2"), D("1"))
    for typed in ("原因：人员调出3人。", "原因:人员调出3人", "主要原因是人员调出3人", "增加原因是人员调出3人。"):
        assert W.cause(change, typed) == "原因：人员调出3人"
    assert W.cause(change, "主要是由于：车辆老化", lead="主要是由于：") == "主要是由于：车辆老化"
    assert clause("主要是人员工资等方面支出") == "人员工资等方面支出"
    assert clause("主要用于职工医疗支出。") == "职工医疗支出"
    assert clause("原材料涨价") == "原材料涨价"   # a reason that merely starts with 原 stays whole
