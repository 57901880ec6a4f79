"""Reading a .docx as text: blocks in body order, current view, plain-text rendering."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from budgetdoc.review.docxtext import (
    DocxError,
    ParagraphBlock,
    TableBlock,
    read_blocks,
    render_text,
)
from test_review_support import W_NS, H, Runs, T, make_docx, replace_document_xml

BODY = f'<w:document xmlns:w="{W_NS}"><w:body>{{}}<w:sectPr/></w:body></w:document>'


def docx_with_body(body_xml: str) -> bytes:
    """A python-docx package whose body is ``body_xml``."""
    root = etree.fromstring(BODY.format(body_xml))
    return replace_document_xml(make_docx(), root)


def test_paragraphs_and_tables_in_body_order() -> None:
    data = make_docx(
        H("一、部门收支总体情况"),
        "收入预算176.65万元。",
        T((("项目", "预算数"), ("合计", "176.65"))),
        "以上为收支总表。",
    )
    assert read_blocks(data) == [
        ParagraphBlock("一、部门收支总体情况", heading_level=1),
        ParagraphBlock("收入预算176.65万元。"),
        TableBlock((("项目", "预算数"), ("合计", "176.65"))),
        ParagraphBlock("以上为收支总表。"),
    ]


def test_agrees_with_python_docx_on_plain_documents() -> None:
    data = make_docx(
        H("标题", 2),
        Runs(("甲", "乙", "丙")),
        T((("一\n二", "三"), ("四", ""))),
        "",
        "结尾",
    )
    document = docx.Document(io.BytesIO(data))
    expected = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            expected.append(
                tuple(tuple(cell.text for cell in row.cells) for row in item.rows)
            )
        else:
            expected.append(item.text)
    got = [b.rows if isinstance(b, TableBlock) else b.text for b in read_blocks(data)]
    assert got == expected


def test_tabs_breaks_and_content_controls() -> None:
    data = docx_with_body(
        "<w:sdt><w:sdtPr><w:alias w:val='ignored'/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>项目</w:t><w:tab/><w:t>金额</w:t><w:br/><w:t>合计</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>分页前</w:t><w:br w:type='page'/><w:t>分页后</w:t></w:r>"
        "<w:hyperlink w:anchor='x'><w:r><w:t>链接</w:t></w:r></w:hyperlink>"
        "<w:sdt><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    )
    assert read_blocks(data) == [
        ParagraphBlock("项目\t金额\n合计"),
        ParagraphBlock("分页前分页后链接控件"),
    ]


def test_current_view_of_tracked_changes() -> None:
    ins = "w:id='1' w:author='a' w:date='2000-01-01T00:00:00Z'"
    data = docx_with_body(
        f"<w:p><w:r><w:t>收入</w:t></w:r>"
        f"<w:del {ins}><w:r><w:delText>176.65</w:delText></w:r></w:del>"
        f"<w:ins {ins}><w:r><w:t>176.66</w:t></w:r></w:ins><w:r><w:t>万元</w:t></w:r></w:p>"
        # A deleted paragraph mark: what is left runs on into the next paragraph.
        f"<w:p><w:pPr><w:rPr><w:del {ins}/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>后半</w:t></w:r></w:p>"
        f"<w:tbl><w:tr><w:trPr><w:del {ins}/></w:trPr>"
        "<w:tc><w:p><w:r><w:t>删行</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>留行</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        f"<w:tbl><w:tr><w:trPr><w:del {ins}/></w:trPr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
    )
    assert read_blocks(data) == [
        ParagraphBlock("收入176.66万元"),
        ParagraphBlock("前半后半"),
        TableBlock((("留行",),)),
    ]


def test_headings_from_outline_level_and_based_on_styles() -> None:
    data = make_docx("x")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    w = f"{{{W_NS}}}"
    style = etree.SubElement(styles, f"{w}style", {f"{w}type": "paragraph", f"{w}styleId": "Part"})
    etree.SubElement(style, f"{w}name", {f"{w}val": "部分标题"})
    etree.SubElement(etree.SubElement(style, f"{w}pPr"), f"{w}outlineLvl", {f"{w}val": "0"})
    child = etree.SubElement(styles, f"{w}style", {f"{w}type": "paragraph", f"{w}styleId": "Sub"})
    etree.SubElement(child, f"{w}name", {f"{w}val": "子标题"})
    etree.SubElement(child, f"{w}basedOn", {f"{w}val": "Heading2"})
    body = (
        "<w:p><w:pPr><w:pStyle w:val='Part'/></w:pPr><w:r><w:t>第一部分</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='Sub'/></w:pPr><w:r><w:t>一、职责</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:outlineLvl w:val='2'/></w:pPr><w:r><w:t>（一）</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='Part'/><w:outlineLvl w:val='9'/></w:pPr>"
        "<w:r><w:t>正文</w:t></w:r></w:p>"
    )
    package = docx_with_body(body)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/styles.xml":
                data = etree.tostring(styles)
            target.writestr(info, data)
    assert [block.heading_level for block in read_blocks(out.getvalue())] == [1, 2, 3, None]


def test_render_table_rows_and_blank_lines() -> None:
    blocks = read_blocks(
        make_docx(
            H("一、收入预算"),
            "",
            "单位：万元",
            T((("项目", "预算数"), ("一般公共预算\n拨款收入", "176.65"))),
            T((("合计", "176.65"),)),
            "说明文字",
        )
    )
    assert render_text(blocks) == (
        "一、收入预算\n"
        "单位：万元\n"
        "\n"
        "项目 | 预算数\n"
        "一般公共预算 拨款收入 | 176.65\n"
        "\n"
        "合计 | 176.65\n"
        "\n"
        "说明文字\n"
    )


def test_render_empty_document() -> None:
    assert read_blocks(make_docx()) == []
    assert render_text([]) == ""


def test_reads_paths(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    path.write_bytes(make_docx("正文"))
    assert read_blocks(path) == read_blocks(str(path)) == [ParagraphBlock("正文")]


def _corrupt(data: bytes) -> bytes:
    """Flip bytes inside the compressed document.xml so its CRC check fails."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    for offset in range(start + 5, start + 25):
        damaged[offset] ^= 0xFF
    return bytes(damaged)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.docx", "找不到文件"),
        (lambda tmp: tmp, "是目录，不是 DOCX 文件"),
        (lambda tmp: _write(tmp / "a.docx", "纯文本".encode()), "不是 DOCX 文件（不是 ZIP 压缩包）"),
        (lambda tmp: _write(tmp / "b.docx", _zip({"x.txt": b"x"})), "缺少 word/document.xml"),
        (lambda tmp: _write(tmp / "c.docx", _zip({"word/document.xml": b"<w:doc"})), "无法解析"),
        (lambda tmp: _write(tmp / "d.docx", _corrupt(make_docx("正文"))), "已损坏"),
        (lambda tmp: _write(tmp / "e.docx", make_docx("正文")[:-200]), "已损坏"),
    ],
    ids=["missing", "directory", "not a zip", "no document", "bad xml", "bad crc", "truncated"],
)
def test_unreadable_files_raise_chinese_errors(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(DocxError, match=re.escape(message)):
        read_blocks(make(tmp_path))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()

