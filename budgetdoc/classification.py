"""Government classification codes (政府收支分类科目) that budgetdoc knows.

Names drift between editions (医疗卫生与计划生育支出 became 卫生健康支出 in
2019), so the department's own YAML states codes *and* names; these tables
are only used to warn when a known code carries a name that differs from the
edition in force.  Kept as data: add an edition when the Ministry of Finance
publishes one.

Two sources: the 功能分类 类 of the 2019 edition below, and
``codes/gfs-codes.tsv``, every 功能分类 类/款/项 and 部门预算经济分类 类/款 code
seen with its name in public sources.  Names repeat across codes (行政运行
under many 款), so everything is keyed by the full code.
"""

from __future__ import annotations

import functools
from pathlib import Path

CODES_FILE = Path(__file__).resolve().parent / "codes" / "gfs-codes.tsv"

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


@functools.cache
def _seen_codes() -> dict[str, str]:
    """code → name from codes/gfs-codes.tsv (comment lines and the header skipped)."""
    names: dict[str, str] = {}
    for line in CODES_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        code, name = line.split("\t")[:2]
        names[code] = name
    return names


def code_name(code: str, year: int) -> str | None:
    """The name a 功能分类 or 经济分类 code is known by, if budgetdoc knows the code."""
    if len(code) == 3 and code.startswith("2"):
        official = function_class_name(code, year)
        if official:
            return official
    return _seen_codes().get(code)


def function_class_name(code: str, year: int) -> str | None:
    """The official name of a 类 code in the edition in force in ``year``."""
    editions = [y for y in EDITIONS if y <= year]
    if not editions:
        return None
    return EDITIONS[max(editions)].get(code)
