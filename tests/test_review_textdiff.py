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
