"""Every figure a template may want is computed (and worded by the house style); templates only pick.

tests/templates/every_figure.j2 prints each line of each whole — income sources, 基本/项目 支出,
人员/公用经费, the 财政拨款 totals, 功能分类 类/款/项, 经济分类 类/款, the 三公 items, 机关运行经费 items,
政府采购 and its SME share — with its share and its change on last year, for the example department
(2021 against 2020).  The expected sentences below were checked by hand against the data.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetdoc.compute import compute
from budgetdoc.narrate import _clean, environment
from budgetdoc.pipeline import check_year
from budgetdoc.wording import Wording

from repo import EXAMPLE, TEMPLATES

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def lines() -> list[str]:
    checked = check_year(EXAMPLE, 2021)
    figures = compute(checked.current, checked.prior)
    words = Wording().for_report(figures.unit.name, figures.prior_year)
    env = environment((HERE / "templates", TEMPLATES), words)
    return _clean(env.get_template("every_figure.j2").render(f=figures)).strip().splitlines()


@pytest.mark.parametrize("sentence", [
    # income sources: shares of 收入合计, changes by source
    "收入来源 一般公共预算拨款收入576.07万元，占79.89%，比上年预算数增加0.54万元，增长0.1%",
    "收入来源 政府性基金预算拨款收入60万元，占8.32%，比上年预算数增加60万元（上年无此项预算）",
    "收入来源 事业收入50万元，占6.94%，比上年预算数增加8万元，增长19%",
    "收入来源 上年结转35万元，占4.85%，比上年预算数增加15万元，增长75%",
    # 基本 / 项目 / 经营, and 人员 / 公用 of 基本
    "支出 基本支出450.07万元，占62.68%，比上年预算数增加0.54万元，增长0.1%",
    "支出 项目支出268万元，占37.32%，比上年预算数增加80万元，增长42.6%",
    "支出 事业单位经营支出0万元，占0%，与上年预算数持平",
    "基本支出 人员经费379.07万元，占84.22%，比上年预算数增加2.54万元，增长0.7%",
    "基本支出 公用经费71万元，占15.78%，比上年预算数减少2万元，下降2.7%",
    # 财政拨款 totals
    "财政拨款 财政拨款收支预算671.07万元，比上年预算数增加75.54万元，增长12.7%",
    "财政拨款 一般公共预算财政拨款576.07万元，占85.84%，比上年预算数增加0.54万元，增长0.1%",
    "财政拨款 上年结转35万元，占5.22%，比上年预算数增加15万元，增长75%",
    # 功能分类 类 / 款 / 项 (一般公共预算 with its 上年结转), shares dividing their parent's
    "功能分类 206 科学技术支出0万元，占0%，比上年预算数减少15万元，本年未安排",
    "功能分类 207 文化旅游体育与传媒支出487.46万元，占80.17%，比上年预算数增加32.81万元，增长7.2%",
    "功能分类 20703 体育194.46万元，占31.98%，比上年预算数减少24.69万元，下降11.3%",
    "功能分类 2070308 群众体育194.46万元，占31.98%，比上年预算数减少24.69万元，下降11.3%",
    "功能分类 20808 抚恤0万元，占0%，比上年预算数减少8.50万元，本年未安排",
    "功能分类 21011 行政事业单位医疗17.30万元，占2.84%，比上年预算数增加1.10万元，增长6.8%",
    "功能分类 2101102 事业单位医疗5.90万元，占0.97%，比上年预算数增加0.70万元，增长13.5%",
    # 经济分类 类 / 款
    "经济分类 301 工资福利支出324.67万元，占79.17%，比上年预算数增加7.64万元，增长2.4%",
    "经济分类 30101 基本工资98.40万元，占23.99%，比上年预算数增加2.20万元，增长2.3%",
    "经济分类 30208 取暖费8.50万元，占2.07%，与上年预算数持平",
    "经济分类 30304 抚恤金0万元，占0%，比上年预算数减少8.50万元，本年未安排",
    # 三公 items: of the 三公 total (购置、运行 of 公务用车), against budget and execution
    "三公 公务接待费2.50万元，占9.58%，比上年预算减少0.50万元，下降16.7%；比上年执行数增加0.15万元，增长6.4%",
    "三公 公务用车购置费18万元，占76.27%，比上年预算增加18万元（上年无此项预算）；比上年执行数增加18万元（上年无此项支出）",
    "三公 因公出国（境）费0万元，占0%，与上年预算持平；与上年执行数持平",
    # 机关运行经费 items, compared by name
    "机关运行经费 办公费6.80万元，占16.04%，比上年预算数减少0.80万元，下降10.5%",
    "机关运行经费 取暖费5.90万元，占13.91%，与上年预算数持平",
    # 政府采购 and the SME share
    "政府采购 政府采购预算136万元，比上年预算数增加59万元，增长76.6%",
    "政府采购 货物78万元，占57.35%，比上年预算数增加63万元，增长420%",
    "政府采购 授予中小企业95.20万元，占70%，比上年预算数增加41.30万元，增长76.6%",
])
def test_the_figure_is_computed_and_worded(lines, sentence):
    assert sentence in lines


def shares(lines: list[str], prefix: str) -> list[Decimal]:
    return [Decimal(line.split("，占")[1].split("%")[0]) for line in lines if line.startswith(prefix)]


def test_shares_of_one_whole_add_up_to_100(lines):
    for prefix in ("收入来源", "支出 ", "基本支出 ", "政府采购 货物", "机关运行经费"):
        found = shares(lines, prefix)
        if prefix == "政府采购 货物":
            found = shares(lines, "政府采购 货物") + shares(lines, "政府采购 工程") + shares(lines, "政府采购 服务")
        assert sum(found) == 100, (prefix, found)


def test_a_kuan_divides_its_class_share(lines):
    # 207 = 20703 + 20799 at two decimals, exactly
    assert shares(lines, "功能分类 207 ")[0] == shares(lines, "功能分类 20703 ")[0] + shares(lines, "功能分类 20799 ")[0]
