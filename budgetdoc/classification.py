"""Government classification codes (政府收支分类科目) that budgetdoc knows.

Names drift between editions (医疗卫生与计划生育支出 became 卫生健康支出 in
2019), so the department's own YAML states codes *and* names; this table is
only used to warn when a known code carries a name that differs from the
edition in force.  Kept as data: add an edition when the Ministry of Finance
publishes one.
"""

from __future__ import annotations

# 支出功能分类 类 (2019 edition onwards).
FUNCTION_CLASSES_2019 = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
}

EDITIONS = {2019: FUNCTION_CLASSES_2019}


def function_class_name(code: str, year: int) -> str | None:
    """The official name of a 类 code in the edition in force in ``year``."""
    editions = [y for y in EDITIONS if y <= year]
    if not editions:
        return None
    return EDITIONS[max(editions)].get(code)
