"""A title too long for one line breaks between words, balanced (GB/T 9704: 词意完整，排列对称，梯形或菱形)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from budgetdoc.arrange import break_title
from budgetdoc.layout import Layout
from budgetdoc.pipeline import build_year

from repo import edit

LONG = "奈曼旗人力资源和社会保障局"


def breaks(*parts: str) -> tuple[int, ...]:
    offsets, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        offsets.append(at)
    return tuple(offsets)


@pytest.mark.parametrize("parts, expected", [
    (("奈曼旗政务服务局", "2020年", "部门预算公开说明"), "奈曼旗政务服务局2020年部门预算公开说明"),      # fits: one line
    ((LONG, "2020年", "部门预算公开说明"), f"{LONG}\n2020年部门预算公开说明"),
    (("内蒙古自治区通辽市", LONG, "2020年", "部门预算公开说明"),
     f"内蒙古自治区通辽市\n{LONG}\n2020年部门预算公开说明"),
    # two lines of equal width either way round: the shorter one on top (a trapezoid)
    (("某某县住房和城乡建设局", "2020年", "部门预算公开说明"), "某某县住房和城乡建设局\n2020年部门预算公开说明"),
])
def test_a_long_title_breaks_between_words_into_balanced_lines(parts, expected):
    assert break_title("".join(parts), breaks(*parts), Layout()) == expected


def test_a_title_that_cannot_break_stays_one_line_for_the_writer_to_wrap():
    title = "某" * 30 + "2020年部门预算公开说明"
    assert break_title(title, (), Layout()) == title


def test_the_report_of_a_long_name_has_a_two_line_title(data_copy: Path):
    edit(data_copy / "2020" / "department.yaml", ("部门名称: 奈曼旗政务服务局", f"部门名称: {LONG}"))
    result = build_year(data_copy, 2020)
    assert result.document.title == f"{LONG}\n2020年部门预算公开说明"
    first = docx.Document(__import__("io").BytesIO(result.docx)).paragraphs[0]
    assert first.text == f"{LONG}\n2020年部门预算公开说明"        # one paragraph, a w:br inside
    assert result.text.startswith(f"{LONG}\n2020年部门预算公开说明\n")
    core = docx.Document(__import__("io").BytesIO(result.docx)).core_properties
    assert core.title == f"{LONG}2020年部门预算公开说明"


def test_the_data_can_say_where_the_name_itself_breaks(data_copy: Path):
    name = "内蒙古自治区通辽市奈曼旗人力资源和社会保障局"
    edit(data_copy / "2020" / "department.yaml",
         ("部门名称: 奈曼旗政务服务局", f"部门名称: {name}\n部门名称断行: 内蒙古自治区通辽市|奈曼旗人力资源和社会保障局"))
    result = build_year(data_copy, 2020)
    assert result.document.title == f"内蒙古自治区通辽市\n{LONG}\n2020年部门预算公开说明"
