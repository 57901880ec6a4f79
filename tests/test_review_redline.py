"""The redline: accept all gives NEW's text, reject all gives OLD's, over many pairs."""

from __future__ import annotations

import copy
import functools
import io
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from budgetdoc.review.docxtext import W_NS, DocxError
from budgetdoc.review.redline import REVISION_AUTHOR, REVISION_DATE, redline, redline_marked
from test_review_support import (
    H,
    PageBreak,
    Runs,
    T,
    accept_all,
    document_xml,
    make_docx,
    reject_all,
    replace_document_xml,
    revision_marks,
    text_of,
    w,
)

BUDGET_TABLE = T(
    (
        ("项目", "预算数"),
        ("一般公共服务支出", "100.00"),
        ("社会保障和就业支出", "40.00"),
        ("卫生健康支出", "36.65"),
        ("合计", "176.65"),
    )
)

PAIRS: dict[str, tuple[tuple, tuple]] = {
    "pure number change": (
        ("2020年收入预算176.65万元。",),
        ("2020年收入预算176.66万元。",),
    ),
    "several numbers and a percentage": (
        ("比2019年预算减少28.03万元，下降13.7%，主要原因是人员减少。",),
        ("比2019年预算减少28.30万元，下降13.8%，主要原因是人员减少。",),
    ),
    "number with thousands separator": (
        ("合计1,234.50万元",),
        ("合计1,243.50万元",),
    ),
    "chinese character edits": (
        ("主要原因是人员增加。", "其中：一般公共预算拨款收入176.65万元，占100%。"),
        ("主要原因是退休人员减少。", "其中：一般公共预算拨款收入176.65万元，占比100%。"),
    ),
    "rewritten sentence": (
        ("本部门无政府性基金预算财政拨款安排。",),
        ("本年度按照规定安排了专项资金用于设备购置。",),
    ),
    "paragraph inserted at start, middle and end": (
        ("第二段", "第四段"),
        ("第一段新增", "第二段", "第三段新增", "第四段", "第五段新增"),
    ),
    "paragraph removed at start, middle and end": (
        ("第一段删除", "第二段", "第三段删除", "第四段", "第五段删除"),
        ("第二段", "第四段"),
    ),
    "everything removed": (
        (H("一、部门职责"), "负责全市财政工作。", BUDGET_TABLE),
        (),
    ),
    "everything inserted": (
        (),
        (H("一、部门职责"), "负责全市财政工作。", BUDGET_TABLE),
    ),
    "both empty": ((), ()),
    "identical": (
        (H("一、部门职责"), "负责全市财政工作。", BUDGET_TABLE),
        (H("一、部门职责"), "负责全市财政工作。", BUDGET_TABLE),
    ),
    "heading changed": (
        (H("二、收入预算情况"), "正文"),
        (H("二、收支预算情况"), "正文"),
    ),
    "formatted runs": (
        (Runs(("收入预算", "176.65", "万元，比上年增加", "5.2", "万元。")),),
        (Runs(("收入预算", "176.66", "万元，比上年增加", "5.2", "万元。")),),
    ),
    "formatting boundary moves": (
        (Runs(("甲乙", "丙丁")),),
        (Runs(("甲乙丙", "丁戊")),),
    ),
    "tabs and line breaks": (
        (Runs(("项目\t金额\n合计\t176.65",)),),
        (Runs(("项目\t金额\n总计\t176.66\n附注",)),),
    ),
    "table cells changed": (
        (BUDGET_TABLE,),
        (
            T(
                (
                    ("项目", "预算数"),
                    ("一般公共服务支出", "100.01"),
                    ("社会保障和就业支出", "40.00"),
                    ("卫生健康支出", "36.65"),
                    ("合计", "176.66"),
                )
            ),
        ),
    ),
    "table rows inserted": (
        (BUDGET_TABLE,),
        (
            T(
                (
                    ("项目", "预算数"),
                    ("一般公共服务支出", "100.00"),
                    ("教育支出", "3.00"),
                    ("社会保障和就业支出", "40.00"),
                    ("卫生健康支出", "36.65"),
                    ("住房保障支出", "12.00"),
                    ("合计", "191.65"),
                )
            ),
        ),
    ),
    "table rows removed": (
        (BUDGET_TABLE,),
        (T((("项目", "预算数"), ("卫生健康支出", "36.65"), ("合计", "36.65"))),),
    ),
    "first and last rows replaced": (
        (BUDGET_TABLE,),
        (
            T(
                (
                    ("功能分类科目", "金额"),
                    ("一般公共服务支出", "100.00"),
                    ("社会保障和就业支出", "40.00"),
                    ("卫生健康支出", "36.65"),
                    ("总计", "176.65"),
                )
            ),
        ),
    ),
    "column added": (
        (T((("项目", "预算数"), ("合计", "176.65"))),),
        (T((("项目", "预算数", "上年数"), ("合计", "176.65", "204.68"))),),
    ),
    "table inserted and removed around text": (
        ("表前说明", T((("甲", "1"),)), "表后说明"),
        ("表前说明", "表后说明", T((("乙", "2"), ("丙", "3")))),
    ),
    "multi-paragraph cells": (
        (T((("一般公共预算\n拨款收入", "176.65"), ("说明", "无"))),),
        (T((("一般公共预算\n财政拨款\n收入", "176.66"), ("说明", "无\n附注"))),),
    ),
    "empty cell filled and emptied": (
        (T((("项目", ""), ("合计", "176.65"))),),
        (T((("项目", "预算数"), ("合计", ""))),),
    ),
    "paragraphs swapped": (
        ("第一部分", "第二部分", "第三部分"),
        ("第一部分", "第三部分", "第二部分"),
    ),
    "repeated paragraphs": (
        ("同一句话。", "同一句话。", "另一句话。"),
        ("同一句话。", "另一句话。", "同一句话。", "同一句话。"),
    ),
    "empty paragraphs": (
        ("", "正文", ""),
        ("正文", "", "", "结尾"),
    ),
    "page break paragraphs": (
        ("第一部分", PageBreak(), "第二部分 176.65"),
        ("第一部分", "新增一段", PageBreak(), "第二部分 176.66"),
    ),
    "paragraph becomes table": (
        ("单位：万元",),
        (T((("单位", "万元"),)),),
    ),
    "report with several sections": (
        (
            H("第一部分  部门概况", 1),
            H("一、部门职责", 2),
            "负责全市财政预算编制工作。",
            H("二、机构设置", 2),
            "本部门下属单位2个。",
            H("第二部分  预算情况说明", 1),
            "2020年收支预算总额176.65万元，比上年减少28.03万元，下降13.7%。",
            BUDGET_TABLE,
            "“三公”经费预算3.00万元。",
        ),
        (
            H("第一部分  部门概况", 1),
            H("一、部门职责", 2),
            "负责全市财政预算编制和决算工作。",
            H("二、机构设置", 2),
            "本部门下属单位3个，均为事业单位。",
            H("第二部分  预算情况说明", 1),
            "2020年收支预算总额176.66万元，比上年减少28.02万元，下降13.7%。",
            T(
                (
                    ("项目", "预算数"),
                    ("一般公共服务支出", "100.01"),
                    ("社会保障和就业支出", "40.00"),
                    ("住房保障支出", "0.00"),
                    ("合计", "176.66"),
                )
            ),
            "“三公”经费预算与上年持平。",
            "名词解释：略。",
        ),
    ),
}


@functools.lru_cache(maxsize=None)
def _pair(name: str) -> tuple[bytes, bytes]:
    """The pair as .docx bytes, made once (bytes cannot be changed by the tests that share them)."""
    old, new = PAIRS[name]
    return make_docx(*old), make_docx(*new)


def _assert_marks_well_formed(marked: bytes) -> None:
    """Deleted text only as w:delText inside w:del; marks complete and in schema order."""
    root = document_xml(marked)
    for text in root.iter(w("t")):
        assert not [a for a in text.iterancestors(w("del"))], "w:t inside w:del"
    for text in root.iter(w("delText")):
        assert [a for a in text.iterancestors(w("del"))], "w:delText outside w:del"
    for mark in root.iter(w("ins"), w("del")):
        assert mark.get(w("id"), "").isdigit()
        assert mark.get(w("author")) == REVISION_AUTHOR and mark.get(w("date")) == REVISION_DATE
        parent = mark.getparent()
        if parent.tag == w("rPr"):
            assert parent.getparent().tag == w("pPr") and parent.index(mark) == 0
            assert parent.getparent().index(parent) == len(parent.getparent()) - 1
        elif parent.tag == w("trPr"):
            assert parent.getparent().tag == w("tr") and parent.index(mark) == len(parent) - 1
        else:
            assert parent.tag in (w("p"), w("hyperlink")) and len(mark) > 0
            assert {child.tag for child in mark} == {w("r")}


def _assert_round_trip(old: bytes, new: bytes) -> bytes:
    marked = redline(old, new)
    _assert_marks_well_formed(marked)
    assert text_of(marked) == text_of(new), "current view of the redline"
    assert text_of(accept_all(marked)) == text_of(new), "accept all"
    assert text_of(reject_all(marked)) == text_of(old), "reject all"
    return marked


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_accept_gives_new_and_reject_gives_old(name: str) -> None:
    _assert_round_trip(*_pair(name))


@pytest.mark.parametrize("name", ["identical", "both empty"])
def test_identical_documents_have_no_marks(name: str) -> None:
    old, new = _pair(name)
    assert revision_marks(redline(old, new)) == []


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_the_count_of_marks_is_the_marks_written(name: str) -> None:
    marked = redline_marked(*_pair(name))
    assert marked.marks == len(revision_marks(marked.docx))
    assert (marked.marks == 0) == (name in ("identical", "both empty"))


def _words(marks, kind: str) -> list[str]:
    """The text inside the ``w:ins`` or ``w:del`` marks of one kind, in order."""
    found = []
    for mark in marks:
        if mark.tag == w(kind):
            text_tag = w("t") if kind == "ins" else w("delText")
            found.append("".join(node.text or "" for node in mark.iter(text_tag)))
    return [text for text in found if text]


def test_number_change_marks_the_whole_number() -> None:
    marks = revision_marks(redline(*_pair("several numbers and a percentage")))
    assert _words(marks, "del") == ["28.03", "13.7"]
    assert _words(marks, "ins") == ["28.30", "13.8"]


def test_chinese_text_is_compared_by_character() -> None:
    marks = revision_marks(redline(*_pair("chinese character edits")))
    assert _words(marks, "ins") == ["退休", "减少", "比"]
    assert _words(marks, "del") == ["增加"]


def test_inserted_and_deleted_paragraphs_mark_their_paragraph_mark() -> None:
    root = document_xml(redline(*_pair("paragraph inserted at start, middle and end")))
    marked = {
        "".join(t.text for t in p.iter(w("t"))): p.find(f"{w('pPr')}/{w('rPr')}")
        for p in root.iter(w("p"))
    }
    for text in ("第一段新增", "第三段新增", "第五段新增"):
        assert marked[text] is not None and marked[text].find(w("ins")) is not None
    assert marked["第二段"] is None
    root = document_xml(redline(*_pair("paragraph removed at start, middle and end")))
    deleted = [
        "".join(t.text for t in p.iter(w("delText")))
        for p in root.iter(w("p"))
        if p.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None
    ]
    assert deleted == ["第一段删除", "第三段删除", "第五段删除"]


def test_rows_are_marked_on_the_row() -> None:
    root = document_xml(redline(*_pair("table rows inserted")))
    marked_rows = [
        "".join(t.text for t in row.iter(w("t")))
        for row in root.iter(w("tr"))
        if row.find(f"{w('trPr')}/{w('ins')}") is not None
    ]
    assert marked_rows == ["教育支出3.00", "住房保障支出12.00"]
    root = document_xml(redline(*_pair("table rows removed")))
    removed = [
        "".join(t.text for t in row.iter(w("delText")))
        for row in root.iter(w("tr"))
        if row.find(f"{w('trPr')}/{w('del')}") is not None
    ]
    assert removed == ["一般公共服务支出100.00", "社会保障和就业支出40.00"]


def test_changed_cell_is_diffed_by_character_inside_the_row() -> None:
    marks = revision_marks(redline(*_pair("table cells changed")))
    assert _words(marks, "del") == ["100.00", "176.65"]
    assert _words(marks, "ins") == ["100.01", "176.66"]
    root = document_xml(redline(*_pair("table cells changed")))
    assert not [row for row in root.iter(w("tr")) if row.find(w("trPr")) is not None]


def test_formatting_of_new_for_inserted_and_of_old_for_deleted_text() -> None:
    # OLD: 甲乙 plain, 丙丁 bold.  NEW: 甲乙丙 plain, 丁戊 bold.
    root = document_xml(redline(*_pair("formatting boundary moves")))
    paragraph = root.find(f"{w('body')}/{w('p')}")
    runs = []
    for run in paragraph.iter(w("r")):
        bold = run.find(f"{w('rPr')}/{w('b')}")
        is_bold = bold is not None and bold.get(w("val")) not in ("0", "false")
        kind = run.getparent().tag.split("}")[1]
        text = "".join(node.text for node in run if node.tag in (w("t"), w("delText")))
        runs.append((kind, text, is_bold))
    assert ("p", "甲乙丙", False) in runs  # the unchanged 丙 now formatted as in NEW
    assert ("ins", "戊", True) in runs
    assert ("del", "丙", True) not in runs  # 丙 is not deleted, only re-formatted


def test_revision_attributes_ids_and_order() -> None:
    marked = redline(*_pair("report with several sections"))
    marks = revision_marks(marked)
    assert len(marks) > 10
    ids = [int(mark.get(w("id"))) for mark in marks]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert {mark.get(w("author")) for mark in marks} == {REVISION_AUTHOR}
    assert {mark.get(w("date")) for mark in marks} == {REVISION_DATE}


def test_ids_start_after_ids_already_in_new() -> None:
    old, new = _pair("pure number change")
    root = document_xml(new)
    paragraph = root.find(f"{w('body')}/{w('p')}")
    bookmark = paragraph.makeelement(w("bookmarkStart"), {w("id"): "41", w("name"): "mark"})
    paragraph.insert(0, bookmark)
    bookmark.addnext(paragraph.makeelement(w("bookmarkEnd"), {w("id"): "41"}))
    marked = redline(old, replace_document_xml(new, root))
    assert [int(mark.get(w("id"))) for mark in revision_marks(marked)] == [42, 43]
    assert text_of(accept_all(marked)) == text_of(new)
    # The bookmark survives the rebuild of the changed paragraph.
    assert document_xml(marked).find(f".//{w('bookmarkStart')}").get(w("name")) == "mark"


def test_paragraph_with_more_than_text_is_replaced_whole() -> None:
    old, new = _pair("pure number change")
    root = document_xml(new)
    paragraph = root.find(f"{w('body')}/{w('p')}")
    link = paragraph.makeelement(w("hyperlink"), {w("anchor"): "top"})
    for run in list(paragraph.iter(w("r"))):
        link.append(run)
    paragraph.append(link)
    marked = redline(old, replace_document_xml(new, root))
    body = document_xml(marked).find(w("body"))
    first, second = body.findall(w("p"))[:2]
    assert first.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None
    assert second.find(f"{w('pPr')}/{w('rPr')}/{w('ins')}") is not None
    assert second.find(f"{w('hyperlink')}/{w('ins')}/{w('r')}") is not None
    assert text_of(accept_all(marked)) == text_of(new)
    assert text_of(reject_all(marked)) == text_of(old)


def test_deleted_copies_drop_references_new_cannot_resolve() -> None:
    old, new = _pair("paragraph removed at start, middle and end")
    root = document_xml(old)
    paragraph = root.find(f"{w('body')}/{w('p')}")
    paragraph.append(paragraph.makeelement(w("bookmarkStart"), {w("id"): "0", w("name"): "x"}))
    run = paragraph.makeelement(w("r"), {})
    run.append(run.makeelement(w("footnoteReference"), {w("id"): "1"}))
    paragraph.append(run)
    marked = redline(replace_document_xml(old, root), new)
    result = document_xml(marked)
    assert result.find(f".//{w('footnoteReference')}") is None
    assert result.find(f".//{w('bookmarkStart')}") is None
    assert text_of(reject_all(marked)) == text_of(old)


def test_blocks_inside_content_controls() -> None:
    old = make_docx("甲段", "乙段176.65", "丙段")
    new = make_docx("甲段", "乙段176.66", "新增段", "丙段")
    root = document_xml(new)
    body = root.find(w("body"))
    paragraphs = body.findall(w("p"))
    control = body.makeelement(w("sdt"), {})
    content = control.makeelement(w("sdtContent"), {})
    control.append(content)
    paragraphs[0].addprevious(control)
    for paragraph in paragraphs[:3]:
        content.append(paragraph)
    wrapped = replace_document_xml(new, root)
    marked = _assert_round_trip(old, wrapped)
    marks = revision_marks(marked)
    assert _words(marks, "del") == ["176.65"]
    assert _words(marks, "ins") == ["176.66", "新增段"]
    _assert_round_trip(wrapped, old)


def test_deleted_paragraph_with_a_section_break_does_not_add_a_section() -> None:
    old, new = _pair("paragraph removed at start, middle and end")
    root = document_xml(old)
    first = root.find(f"{w('body')}/{w('p')}")
    properties = first.makeelement(w("pPr"), {})
    properties.append(copy.deepcopy(root.find(f"{w('body')}/{w('sectPr')}")))
    first.insert(0, properties)
    marked = _assert_round_trip(replace_document_xml(old, root), new)
    assert len(list(document_xml(marked).iter(w("sectPr")))) == 1


def test_output_is_deterministic_whatever_the_input_timestamps() -> None:
    old, new = _pair("report with several sections")
    first = redline(old, new)
    assert redline(old, new) == first

    def restamp(data: bytes) -> bytes:
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(
                    zipfile.ZipInfo(info.filename, date_time=(2024, 5, 6, 7, 8, 10)),
                    source.read(info.filename),
                )
        return out.getvalue()

    assert restamp(old) != old
    assert redline(restamp(old), restamp(new)) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist() == zipfile.ZipFile(io.BytesIO(new)).namelist()


def test_accepts_paths_as_well_as_bytes(tmp_path: Path) -> None:
    old, new = _pair("pure number change")
    (tmp_path / "old.docx").write_bytes(old)
    (tmp_path / "new.docx").write_bytes(new)
    assert redline(tmp_path / "old.docx", str(tmp_path / "new.docx")) == redline(old, new)


def test_unreadable_input_raises_docx_error(tmp_path: Path) -> None:
    old, _ = _pair("pure number change")
    with pytest.raises(DocxError, match="找不到文件"):
        redline(old, tmp_path / "missing.docx")
    with pytest.raises(DocxError, match="不是 DOCX 文件"):
        redline(b"plain text", old)


# ------------------------------------------------------------------ fuzzing

_PHRASES = (
    "一般公共预算拨款收入",
    "176.65",
    "万元",
    "比上年增加",
    "5.2",
    "下降13.7%",
    "主要原因是",
    "人员",
    "减少",
    "，",
    "。",
    "三公经费",
    "0.00",
    "\t",
)


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(_PHRASES) for _ in range(rng.randint(0, 6)))


def _random_blocks(rng: random.Random) -> list:
    blocks: list = []
    for _ in range(rng.randint(0, 7)):
        roll = rng.random()
        if roll < 0.15:
            columns = rng.randint(1, 3)
            rows = tuple(
                tuple(_random_text(rng) for _ in range(columns)) for _ in range(rng.randint(1, 4))
            )
            blocks.append(T(rows))
        elif roll < 0.25:
            blocks.append(H(_random_text(rng) or "标题", rng.randint(1, 3)))
        elif roll < 0.4:
            blocks.append(Runs(tuple(_random_text(rng) for _ in range(rng.randint(1, 3)))))
        else:
            blocks.append(_random_text(rng))
    return blocks


def _mutate(rng: random.Random, blocks: list) -> list:
    mutated = list(blocks)
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.25 or not mutated:
            mutated.insert(rng.randint(0, len(mutated)), _random_blocks(rng)[:1] or "新段落")
            mutated = [item[0] if isinstance(item, list) else item for item in mutated]
        elif roll < 0.45:
            del mutated[rng.randrange(len(mutated))]
        else:
            index = rng.randrange(len(mutated))
            block = mutated[index]
            if isinstance(block, T):
                rows = [list(row) for row in block.rows]
                row = rng.randrange(len(rows))
                action = rng.random()
                if action < 0.3 and len(rows) > 1:
                    del rows[row]
                elif action < 0.6:
                    rows.insert(row, [_random_text(rng) for _ in rows[0]])
                else:
                    cell = rng.randrange(len(rows[row]))
                    rows[row][cell] = _edit(rng, rows[row][cell])
                mutated[index] = T(tuple(tuple(r) for r in rows))
            elif isinstance(block, H):
                mutated[index] = H(_edit(rng, block.text) or "标题", block.level)
            elif isinstance(block, Runs):
                parts = list(block.parts)
                part = rng.randrange(len(parts))
                parts[part] = _edit(rng, parts[part])
                mutated[index] = Runs(tuple(parts))
            else:
                mutated[index] = _edit(rng, block)
    return mutated


def _edit(rng: random.Random, text: str) -> str:
    position = rng.randint(0, len(text))
    cut = rng.randint(0, 3)
    return text[:position] + _random_text(rng)[: rng.randint(0, 8)] + text[position + cut :]


@pytest.mark.parametrize("seed", range(60))
def test_random_pairs_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    old_blocks = _random_blocks(rng)
    new_blocks = _mutate(rng, old_blocks)
    _assert_round_trip(make_docx(*old_blocks), make_docx(*new_blocks))


# -------------------------------------------------------------- LibreOffice


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_redlines_open_in_libreoffice_and_convert_to_pdf(tmp_path: Path) -> None:
    names = [
        "report with several sections",
        "table rows removed",
        "everything removed",
        "multi-paragraph cells",
        "column added",
    ]
    files = []
    for index, name in enumerate(names):
        path = tmp_path / f"redline{index}.docx"
        path.write_bytes(redline(*_pair(name)))
        files.append(str(path))
    profile = (tmp_path / "profile").as_uri()
    for target in ("pdf", "odt"):
        completed = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path / target),
                *files,
            ],
            capture_output=True,
            timeout=240,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr.decode("utf-8", "replace")
    for index in range(len(names)):
        pdf = (tmp_path / "pdf" / f"redline{index}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000
        # LibreOffice read the marks as tracked changes, not as plain text.
        with zipfile.ZipFile(tmp_path / "odt" / f"redline{index}.odt") as odt:
            content = odt.read("content.xml").decode("utf-8")
        assert "<text:changed-region" in content
        assert "budgetdoc" in content


# ------------------------------------------------------- the real report


def test_redline_of_the_real_report_round_trips(tmp_path: Path) -> None:
    from budgetdoc.pipeline import build_year

    repository_data = Path(__file__).resolve().parent.parent / "data"
    copy = tmp_path / "data"
    shutil.copytree(repository_data, copy)
    functions = copy / "2020" / "functions.yaml"
    functions.write_text(
        functions.read_text(encoding="utf-8").replace("用途: 职工医疗支出", "用途: 职工基本医疗保险支出"),
        encoding="utf-8",
    )
    costs = copy / "2020" / "operating_costs.yaml"
    costs.write_text(
        costs.read_text(encoding="utf-8")
        .replace("合计: 54.24", "合计: 54.34")
        .replace("金额: 1.08", "金额: 1.18"),
        encoding="utf-8",
    )
    old = build_year(repository_data, 2020).docx
    new = build_year(copy, 2020).docx
    marked = _assert_round_trip(old, new)
    marks = revision_marks(marked)
    # The changed values themselves; derived figures (the change on last year) follow them.
    assert {"54.24", "1.08"} <= set(_words(marks, "del"))
    assert {"基本", "保险", "54.34", "1.18"} <= set(_words(marks, "ins"))


def test_redline_of_the_tables_marks_the_cell_and_the_added_row(tmp_path: Path) -> None:
    """A changed amount in the 公开表 is marked in its cell; an added 款 is an inserted row."""
    from budgetdoc.pipeline import build_year

    repository_data = Path(__file__).resolve().parent.parent / "data"
    copy = tmp_path / "data"
    shutil.copytree(repository_data, copy)
    functions = copy / "2020" / "functions.yaml"
    functions.write_text(functions.read_text(encoding="utf-8").replace(
        "    金额: 13.63\n", "    金额: 13.63\n    下级:\n      - 编码: 22102\n        名称: 住房改革支出\n        金额: 13.63\n"),
        encoding="utf-8")
    old = build_year(repository_data, 2020).docx
    new = build_year(copy, 2020).docx
    marked = _assert_round_trip(old, new)
    document = etree.fromstring(zipfile.ZipFile(io.BytesIO(marked)).read("word/document.xml"))
    inserted_rows = document.xpath("//w:tr[w:trPr/w:ins]", namespaces={"w": W_NS})
    texts = ["".join(row.xpath(".//w:t/text()", namespaces={"w": W_NS})) for row in inserted_rows]
    # 表1-1, 表1-2, 表3: one new 款 row each (codes 221 | 02 | — then the name)
    assert len([t for t in texts if t.startswith("22102住房改革支出13.63")]) == 3
    assert len(inserted_rows) == 3
