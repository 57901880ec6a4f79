"""The paragraph-aligned text diff: alignment, character diff, positions, rendering."""

from __future__ import annotations

import pytest

from budgetdoc.review.docxtext import ParagraphBlock, TableBlock, read_blocks
from budgetdoc.review.textdiff import (
    Pair,
    Position,
    Segment,
    align,
    diff_blocks,
    diff_text,
    tokenize,
)
from test_review_support import H, T, make_docx


def P(text: str, level: int | None = None) -> ParagraphBlock:
    return ParagraphBlock(text, level)


def test_numbers_are_whole_tokens_and_chinese_is_by_character() -> None:
    assert tokenize("收入176.65万元，合计1,234.50") == [
        "收", "入", "176.65", "万", "元", "，", "合", "计", "1,234.50"
    ]


@pytest.mark.parametrize(
    ("old", "new", "segments"),
    [
        (
            "收入176.65万元",
            "收入176.66万元",
            [("equal", "收入"), ("delete", "176.65"), ("insert", "176.66"), ("equal", "万元")],
        ),
        (
            "增长5%",
            "增长15%",
            [("equal", "增长"), ("delete", "5"), ("insert", "15"), ("equal", "%")],
        ),
        (
            "主要原因是人员增加。",
            "主要原因是退休人员减少。",
            [
                ("equal", "主要原因是"),
                ("insert", "退休"),
                ("equal", "人员"),
                ("delete", "增加"),
                ("insert", "减少"),
                ("equal", "。"),
            ],
        ),
        ("", "新增", [("insert", "新增")]),
        ("删除", "", [("delete", "删除")]),
        ("相同", "相同", [("equal", "相同")]),
    ],
)
def test_diff_text_segments(old: str, new: str, segments: list[tuple[str, str]]) -> None:
    assert diff_text(old, new) == tuple(Segment(op, text) for op, text in segments)


def test_a_lone_unchanged_character_between_changes_is_folded() -> None:
    # 办公费 → 培训的费用: "费" alone between two changes reads better as one change.
    segments = diff_text("用于办公费支出", "用于培训费用支出")
    assert "".join(s.text for s in segments if s.op != "insert") == "用于办公费支出"
    assert "".join(s.text for s in segments if s.op != "delete") == "用于培训费用支出"
    assert Segment("delete", "办公费") in segments
    assert Segment("insert", "培训费用") in segments


def test_align_pairs_similar_items_and_puts_deletions_first() -> None:
    old = ["甲", "收入176.65万元", "乙"]
    new = ["甲", "新增一段", "收入176.66万元", "乙"]

    def similar(i: int, j: int) -> float:
        return 1.0 if old[i][:2] == new[j][:2] else 0.0

    assert align(old, new, similar) == [
        Pair(0, 0, True),
        Pair(None, 1),
        Pair(1, 2),
        Pair(2, 3, True),
    ]
    unrelated = align(["a", "b"], ["c"], lambda i, j: 0.0)
    assert unrelated == [Pair(0, None), Pair(1, None), Pair(None, 0)]


def test_changes_with_positions_and_headings() -> None:
    old = [
        P("第一部分", 1),
        P("收入预算176.65万元。"),
        P(""),
        P("将被删除的段落。"),
        P("二、支出", 2),
        TableBlock((("项目", "预算数"), ("合计", "176.65"), ("其他支出", "9.99"))),
    ]
    new = [
        P("第一部分", 1),
        P("新增的段落。"),
        P("收入预算176.66万元。"),
        P("二、支出", 2),
        TableBlock((("项目", "预算数"), ("合计", "176.66"), ("教育支出", "2.00"), ("住房保障支出", "3.00"))),
    ]
    result = diff_blocks(old, new)
    summary = [
        (c.kind, c.old.label if c.old else None, c.new.label if c.new else None, c.header)
        for c in result.changes
    ]
    assert summary == [
        ("inserted", None, "第2段", "新增 第2段 · 第一部分"),
        ("changed", "第2段", "第3段", "第3段（原第2段） · 第一部分"),
        ("deleted", "第3段", None, "删除 原第3段 · 第一部分"),
        ("changed", "第1个表格第2行", "第1个表格第2行", "第1个表格第2行 · 二、支出"),
        ("deleted", "第1个表格第3行", None, "删除 原第1个表格第3行 · 二、支出"),
        ("inserted", None, "第1个表格第3行", "新增 第1个表格第3行 · 二、支出"),
        ("inserted", None, "第1个表格第4行", "新增 第1个表格第4行 · 二、支出"),
    ]
    changed = result.changes[1]
    assert changed.old_text == "收入预算176.65万元。"
    assert changed.new_text == "收入预算176.66万元。"
    assert changed.new == Position(paragraph=3, heading="第一部分")
    assert result.changes[3].segments == (
        Segment("equal", "合计 | "),
        Segment("delete", "176.65"),
        Segment("insert", "176.66"),
    )


def test_render_plain_markers() -> None:
    result = diff_blocks(
        [P("一、收入", 1), P("收入176.65万元。"), P("删去")],
        [P("一、收入", 1), P("收入176.66万元。"), P("新增")],
    )
    assert result.render(color=False) == (
        "@@ 第2段 · 一、收入 @@\n"
        "收入[-176.65-]{+176.66+}万元。\n"
        "@@ 删除 原第3段 · 一、收入 @@\n"
        "[-删去-]\n"
        "@@ 新增 第3段 · 一、收入 @@\n"
        "{+新增+}\n"
    )


def test_render_colour() -> None:
    result = diff_blocks([P("收入176.65万元")], [P("收入176.66万元")])
    assert result.render(color=True) == (
        "\x1b[36m@@ 第1段 @@\x1b[0m\n收入\x1b[31m176.65\x1b[0m\x1b[32m176.66\x1b[0m万元\n"
    )


def test_identical_and_empty_documents_have_no_changes() -> None:
    blocks = [P("标题", 1), P("正文"), TableBlock((("a", "b"),))]
    assert diff_blocks(blocks, list(blocks)).changes == ()
    assert diff_blocks([], []).changes == ()
    assert diff_blocks([P(""), P("  ")], [P("")]).changes == ()
    assert diff_blocks([], [P("正文")]).render() == "@@ 新增 第1段 @@\n{+正文+}\n"


def test_tables_are_compared_row_by_row_not_with_paragraphs() -> None:
    result = diff_blocks([P("项目 | 金额")], [TableBlock((("项目", "金额"),))])
    assert [(c.kind, c.header) for c in result.changes] == [
        ("deleted", "删除 原第1段"),
        ("inserted", "新增 第1个表格第1行"),
    ]


def test_diff_of_real_docx_files() -> None:
    old = make_docx(H("一、部门收支总体情况"), "收支预算总额176.65万元。", T((("合计", "176.65"),)))
    new = make_docx(H("一、部门收支总体情况"), "收支预算总额176.66万元。", T((("合计", "176.66"),)))
    result = diff_blocks(read_blocks(old), read_blocks(new))
    assert result.render() == (
        "@@ 第2段 · 一、部门收支总体情况 @@\n"
        "收支预算总额[-176.65-]{+176.66+}万元。\n"
        "@@ 第1个表格第1行 · 一、部门收支总体情况 @@\n"
        "合计 | [-176.65-]{+176.66+}\n"
    )


def test_a_very_large_gap_is_not_searched_for_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    import budgetdoc.review.textdiff as textdiff

    old, new = ["收入176.65", "支出176.65"], ["收入176.66", "支出176.66"]

    def similar(i: int, j: int) -> float:
        return 1.0 if old[i][:2] == new[j][:2] else 0.0

    assert align(old, new, similar) == [Pair(0, 0), Pair(1, 1)]
    monkeypatch.setattr(textdiff, "MAX_PAIRING_CELLS", 3)
    assert align(old, new, similar) == [Pair(0, None), Pair(1, None), Pair(None, 0), Pair(None, 1)]


# ------------------------------------------------------------ columns of merged cells

# The shape of 表1-1 部门收入总表: 类|款|项 and 科目名称 under 科目编码, a 合计 row whose label spans all four.
_HEADER_SPANS = ((3, 1, 1), (1, 1, 1, 1, 1))


def _income_table(total: str, line: str) -> TableBlock:
    header = (("科目编码", "科目名称", "合计"), ("类", "款", "项", "", ""))
    return TableBlock(header + (("合计", total), ("201", "", "", "一般公共服务支出", line)), header_rows=2,
                      spans=_HEADER_SPANS + ((4, 1), (1, 1, 1, 1, 1)))


def test_a_cell_is_numbered_by_its_grid_column_whatever_the_merges_before_it() -> None:
    """A clerk counts columns in Word or Excel: the 合计 row's amount is in 第5列, as a 类 row's is."""
    result = diff_blocks([_income_table("176.65", "110.91")], [_income_table("177.65", "111.91")])
    assert [c.header for c in result.changes] == ["第1个表格第3行第5列", "第1个表格第4行第5列"]
    assert [(c.new.row_label, c.new.column_label) for c in result.changes] == [
        ("合计", "合计"), ("201 一般公共服务支出", "合计")]


def _merged_docx(total: str, line: str, grid_before: bool = False) -> bytes:
    """表1-1's shape written with python-docx: a merged 科目编码 (gridSpan) over 类|款|项, 科目名称 and 合计 merged
    down the two header rows (vMerge), the 合计 label across four columns; optionally a 类 row that leaves its
    first grid column out (w:gridBefore, as Word writes an uneven row) with 类 spanning the rest."""
    import io

    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("表1-1")
    document.add_paragraph("2020年部门收入总表")
    table = document.add_table(rows=4, cols=5)
    rows = table.rows
    rows[0].cells[0].merge(rows[0].cells[2]).text = "科目编码"
    rows[0].cells[3].merge(rows[1].cells[3]).text = "科目名称"
    rows[0].cells[4].merge(rows[1].cells[4]).text = "合计"
    for cell, text in zip(rows[1].cells[:3], ("类", "款", "项")):
        cell.text = text
    for row in rows[:2]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    rows[2].cells[0].merge(rows[2].cells[3]).text = "合计"
    rows[2].cells[4].text = total
    for cell, text in zip(rows[3].cells, ("201", "", "", "一般公共服务支出", line)):
        cell.text = text
    if grid_before:     # the first cell taken out of the row and its grid column declared skipped instead
        tr = rows[3]._tr
        tr.remove(tr.findall(qn("w:tc"))[0])
        skipped = OxmlElement("w:gridBefore")
        skipped.set(qn("w:val"), "1")
        tr.get_or_add_trPr().append(skipped)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_cell_is_numbered_by_its_grid_column_through_gridspan_and_vmerge() -> None:
    result = diff_blocks(read_blocks(_merged_docx("176.65", "110.91")), read_blocks(_merged_docx("177.65", "111.91")))
    assert [c.header for c in result.changes] == [
        "表1-1第3行第5列 · 表1-1 2020年部门收入总表 · 合计 · 合计",
        "表1-1第4行第5列 · 表1-1 2020年部门收入总表 · 201 一般公共服务支出 · 合计",
    ]


def test_a_row_that_skips_grid_columns_counts_them() -> None:
    old = read_blocks(_merged_docx("176.65", "110.91", grid_before=True))
    new = read_blocks(_merged_docx("176.65", "111.91", grid_before=True))
    (change,) = diff_blocks(old, new).changes
    assert change.header == "表1-1第4行第5列 · 表1-1 2020年部门收入总表 · 一般公共服务支出 · 合计"


def test_the_diff_of_two_data_folders_numbers_the_total_row_as_the_class_rows(tmp_path) -> None:
    """`budgetdoc diff` of data with 201 一般公共服务支出 one more (and a project one more, totals fixed):
    the 合计 row (类|款|项|科目名称 merged) and the 201 row name the same 合计 column."""
    import shutil

    from cases.casekit import budgetdoc_in_process
    from repo import DATA, edit

    shutil.copytree(DATA, tmp_path / "old")
    shutil.copytree(DATA, tmp_path / "new")
    edit(tmp_path / "new" / "2020" / "functions.yaml", ("金额: 110.91", "金额: 111.91"))
    edit(tmp_path / "new" / "2020" / "expenditure.yaml", ("金额: 7.56", "金额: 8.56"))
    fixed = budgetdoc_in_process(["fix-totals", "2020", "--data", "new"], tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    run = budgetdoc_in_process(["diff", "--no-color", "old:2020", "new:2020"], tmp_path)
    assert run.returncode == 0, run.stderr
    for table in ("表1-1 2020年部门收入总表", "表1-2 2020年部门支出总表", "表3 2020年一般公共预算支出表"):
        number = table.split()[0]
        assert f"@@ {number}第3行第5列 · {table} · 合计 · 合计 @@" in run.stdout, run.stdout
        assert f"@@ {number}第4行第5列 · {table} · 201 一般公共服务支出 · 合计 @@" in run.stdout, run.stdout
