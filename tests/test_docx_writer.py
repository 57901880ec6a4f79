"""The DOCX writer: reproducible bytes, clean package, text that reads back,
speed on big tables, and the pages LibreOffice makes of it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from budgetdoc.document import Cell, Heading, PageBreak, Paragraph, ReportDoc, Table
from budgetdoc.writers.docx import render_docx
from budgetdoc.writers.docx.tables import column_widths
from helpers_docx import part, sample_report, sample_table, xpath

PREVIEW = Path(__file__).resolve().parents[1] / "scripts" / "preview.sh"


# --- bytes and package --------------------------------------------------------


def test_two_renders_are_byte_identical():
    # Clock-independence is checked below (zip dates, core.xml dates).
    assert render_docx(sample_report()) == render_docx(sample_report())


@pytest.mark.parametrize("text", ["收入预算176.65万元。", "编制部门：某局\t单位：万元", "奈曼旗政务服务局\n2020年部门预算",
                                  "  前有空格", "后有全角空格\u3000", "a&b<c>\"d\"'e'", "\t", "", "一\r二\n\n三"])
@pytest.mark.parametrize("page_break, space", [(False, None), (True, 0), (False, 240)])
@pytest.mark.parametrize("style_name", ["Heading 1", "Normal"])
def test_a_paragraph_is_the_markup_python_docx_would_write(text, page_break, space, style_name):
    """The writer builds a paragraph as one XML string (fast); it must be, byte for byte, what
    python-docx's add_paragraph(text, style) and paragraph_format make, or an upgrade of python-docx
    would change reports unseen."""
    from docx.oxml import parse_xml
    from docx.shared import Twips
    from lxml import etree

    from budgetdoc.writers.docx.blocks import paragraph_xml
    document = python_docx.Document()
    style = document.styles[style_name]
    expected = document.add_paragraph(text, style=style)
    if page_break:
        expected.paragraph_format.page_break_before = True
    if space is not None:
        expected.paragraph_format.space_before = Twips(space)
    style_id = None if style_name == "Normal" else style.style_id        # the default style is not named
    def canonical(element) -> bytes:            # only the namespaces it uses (the body's are many)
        return etree.tostring(element, method="c14n", exclusive=True)
    assert canonical(parse_xml(paragraph_xml(text, style_id, page_break, space))) == canonical(expected._p)


def test_zip_members_have_fixed_dates_and_order():
    with zipfile.ZipFile(io.BytesIO(render_docx(sample_report()))) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_reports_and_redlines_are_zipped_by_one_writer():
    """One reproducible ZIP writer: the only place budgetdoc opens a ZIP for writing, and both outputs show it."""
    import ast

    from budgetdoc.review.redline import redline

    package = Path(__file__).resolve().parents[1] / "budgetdoc"
    writers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "ZipFile" \
                    and any(isinstance(a, ast.Constant) and a.value in ("w", "a", "x")
                            for a in [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "mode")]):
                writers.add(path.relative_to(package).as_posix())
    assert writers == {"reproducible_zip.py"}

    report = render_docx(sample_report())
    edited = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(report)) as source, zipfile.ZipFile(edited, "w") as target:
        for info in source.infolist():   # as another program would save it: other dates, other order
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace("贯彻执行".encode(), "认真贯彻执行".encode())
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 5, 6, 7, 8, 10)), data)
    marked = redline(report, edited.getvalue())
    assert b"w:ins" in zipfile.ZipFile(io.BytesIO(marked)).read("word/document.xml")

    def layout(data: bytes) -> set[tuple]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.namelist()[0] == "[Content_Types].xml"
            return {(i.date_time, i.compress_type, i.create_system, i.external_attr, i.flag_bits)
                    for i in archive.infolist()}
    assert layout(report) == layout(marked) and len(layout(report)) == 1


def test_package_keeps_only_the_parts_a_report_needs():
    with zipfile.ZipFile(io.BytesIO(render_docx(sample_report()))) as package:
        names = set(package.namelist())
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml"} <= names
    assert {"word/footer1.xml", "word/footer2.xml", "docProps/core.xml"} <= names
    assert not [n for n in names if "stylesWithEffects" in n or "customXml" in n or "thumbnail" in n]
    assert "word/numbering.xml" not in names and "docProps/app.xml" not in names


def test_core_properties_are_fixed():
    report = sample_report()
    core = python_docx.Document(io.BytesIO(render_docx(report))).core_properties
    assert core.title == report.title
    assert core.author == "budgetdoc"
    assert core.last_modified_by == "budgetdoc"
    assert core.revision == 1
    assert core.created.isoformat() == "2020-01-01T00:00:00+00:00"
    assert core.modified == core.created
    assert core.comments == ""


def test_the_author_is_the_department_when_the_document_names_one():
    import dataclasses
    report = dataclasses.replace(sample_report(), author="某某局")
    core = python_docx.Document(io.BytesIO(render_docx(report))).core_properties
    assert core.author == "某某局" and core.last_modified_by == "budgetdoc"


def test_core_dates_without_a_year_are_constant():
    core = python_docx.Document(io.BytesIO(render_docx(ReportDoc(title="标题")))).core_properties
    assert core.created.isoformat() == "2000-01-01T00:00:00+00:00"


def test_different_input_gives_different_bytes():
    assert render_docx(ReportDoc(title="甲")) != render_docx(ReportDoc(title="乙"))


# --- text reads back ------------------------------------------------------------


def test_text_reads_back_with_python_docx():
    report = sample_report()
    opened = python_docx.Document(io.BytesIO(render_docx(report)))
    paragraphs = [p.text for p in opened.paragraphs]
    assert paragraphs == [
        "某某局2020年部门预算公开说明",
        "（2020年3月）",
        "第一部分  部门职责及机构设置",
        "一、部门职责",
        "贯彻执行国家财政、税收方针政策和法律法规。",
        "（一）机构设置",
        "1.内设机构",
        "（1）人员编制",
        "1.内设机构包括办公室、预算科。",
        "（1）所属单位包括国库集中支付中心。",
        "本表为空表。",
        "某某局",
        "表一",
        "第二部分  部门预算公开表",
        "一般公共预算支出表",
        "单位：万元",
        "注：本表为示例。",
    ]
    (table,) = opened.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    assert cells[1] == ["2010001", "科目第1项", "1.00", "1.50", "0.00"]
    assert len(cells) == 4


def test_text_is_kept_exactly():
    text = "收入176.65万元，比上年增加28.03万元，增长13.7%；“三公”经费（含因公出国（境）费）……"
    opened = python_docx.Document(io.BytesIO(render_docx(ReportDoc(title="标题", blocks=(Paragraph(text),)))))
    assert opened.paragraphs[-1].text == text


def test_headings_are_in_the_navigation_outline():
    opened = python_docx.Document(io.BytesIO(render_docx(sample_report())))
    levels = {p.text: p.style.name for p in opened.paragraphs if p.style.name.startswith("Heading")}
    assert levels["第一部分  部门职责及机构设置"] == "Heading 1"
    assert levels["（一）机构设置"] == "Heading 3"


# --- tables ------------------------------------------------------------------------


def test_column_widths_follow_the_weights_and_fill_the_text_width():
    table = Table(header=((Cell("a"), Cell("b"), Cell("c")),), rows=(), widths=(1, 2, 1))
    assert column_widths(table, 8844) == [2211, 4422, 2211]
    equal = Table(header=((Cell("a"), Cell("b"), Cell("c")),), rows=())
    assert sum(column_widths(equal, 8844)) == 8844


def test_wrong_number_of_widths_is_refused_in_chinese():
    table = Table(header=((Cell("a"), Cell("b")),), rows=(), widths=(1, 2, 3), title="表三")
    with pytest.raises(ValueError, match="表格“表三”有 2 列，但给出了 3 个列宽"):
        render_docx(ReportDoc(title="标题", blocks=(table,)))


def test_non_positive_widths_are_refused_in_chinese():
    table = Table(header=((Cell("a"), Cell("b")),), rows=(), widths=(1, 0), title="表四")
    with pytest.raises(ValueError, match="表格“表四”的列宽应为正数"):
        render_docx(ReportDoc(title="标题", blocks=(table,)))


def test_heading_level_outside_one_to_five_is_refused_in_chinese():
    with pytest.raises(ValueError, match="标题级别应为 1 至 5，实为 6"):
        render_docx(ReportDoc(title="标题", blocks=(Heading(6, "细目", "①"),)))


def test_ragged_row_is_refused_in_chinese():
    table = Table(header=((Cell("a"), Cell("b")),), rows=((Cell("1"),),))
    with pytest.raises(ValueError, match="表格行的单元格与列数不符：.*第2行只有 1 列，应为 2 列"):
        render_docx(ReportDoc(title="标题", blocks=(table,)))


def test_big_table_renders_fast():
    """200 × 10 cells: row.cells keeps it linear (table.cell(i, j) took ~93 s)."""
    header = (tuple(Cell(f"列{j}", "center") for j in range(10)),)
    rows = tuple(tuple(Cell(f"{i}.{j:02d}", "right") for j in range(10)) for i in range(200))
    start = time.perf_counter()
    data = render_docx(ReportDoc(title="大表", blocks=(Table(header=header, rows=rows),)))
    assert time.perf_counter() - start < 5
    document = part(data, "word/document.xml")
    assert len(xpath(document, "//w:tbl/w:tr")) == 201


# --- LibreOffice ------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")


def lines(prefix: str, count: int) -> tuple[Paragraph, ...]:
    """``count`` body paragraphs of one line each."""
    return tuple(Paragraph(f"{prefix}第{i}行。") for i in range(1, count + 1))


def known_size_report() -> ReportDoc:
    """A report whose page count follows from the layout alone.

    The text block is 225 mm = 637.8 pt; body lines are exactly 28.9 pt, so a
    page holds 22 lines.  Page 1 loses 36 pt (title) + 28.9 pt (the empty line
    under it) and holds 19.  So: 41 lines → pages 1–2; after a break 22 lines
    → page 3; after a break 23 lines → pages 4–5; after a break a 60-row table
    (12 pt text on a 20 pt pitch, about 23 pt a row) → pages 6–8, its header
    repeated on pages 7 and 8.
    """
    return ReportDoc(
        title="页数测试",
        year=2020,
        blocks=(
            *lines("甲", 41),
            PageBreak(),
            *lines("乙", 22),
            PageBreak(),
            *lines("丙", 23),
            PageBreak(),
            sample_table(rows=60),
        ),
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Run scripts/preview.sh once: PDF and PNG pages of the known-size report."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) 未安装")
    work = tmp_path_factory.mktemp("preview")
    source = work / "known.docx"
    source.write_bytes(render_docx(known_size_report()))
    result = subprocess.run(
        ["sh", str(PREVIEW), str(source), str(work / "out")], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    return work / "out"


def _pdftotext(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def page_text(pdf: Path, page: int) -> str:
    """The page's text without white space (pdftotext spaces out digits in Chinese)."""
    return re.sub(r"\s+", "", _pdftotext(pdf, page))


def pdf_lines(pdf: Path, page: int) -> list[str]:
    return [re.sub(r"\s+", "", line) for line in _pdftotext(pdf, page).splitlines() if line.strip()]


@needs_soffice
def test_libreoffice_sets_28_characters_a_line_and_keeps_every_mark(tmp_path):
    """GB/T 9704: 28 characters a line.  A mark that may not start a line
    (、，) after a full line must move down with the character before it:
    LibreOffice 7.4 silently drops a hanging mark from justified text."""
    full = "国" * 28
    blocks = (
        Paragraph(full + "家" * 28, role="plain"),
        Paragraph(full + "、" + "家" * 3, role="plain"),
        Paragraph("国" * 26 + "，" + "家" * 3),  # indented 2: 26 fill the line
    )
    source = tmp_path / "chars.docx"
    source.write_bytes(render_docx(ReportDoc(title="字数", blocks=blocks)))
    result = subprocess.run(
        ["sh", str(PREVIEW), str(source), str(tmp_path / "out")], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert pdf_lines(tmp_path / "out" / "chars.pdf", 1) == [
        "字数",
        full,
        "家" * 28,
        "国" * 27,
        "国、家家家",
        "国" * 25,
        "国，家家家",
        "—1—",
    ]


@needs_soffice
def test_libreoffice_converts_with_the_expected_page_count(rendered):
    pdf = rendered / "known.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+8$", info, re.M), info
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M), info
    assert sorted(p.name for p in rendered.glob("page-*.png")) == [f"page-{n}.png" for n in range(1, 9)]


@needs_soffice
def test_libreoffice_puts_22_lines_on_a_page(rendered):
    pdf = rendered / "known.pdf"
    assert "甲第19行。" in page_text(pdf, 1) and "甲第20行。" not in page_text(pdf, 1)
    page3 = page_text(pdf, 3)
    assert "乙第1行。" in page3 and "乙第22行。" in page3 and "甲" not in page3 and "丙" not in page3
    assert "丙第22行。" in page_text(pdf, 4)
    page5 = page_text(pdf, 5)
    assert "丙第23行。" in page5 and "丙第22行。" not in page5


@needs_soffice
def test_libreoffice_repeats_the_table_header(rendered):
    pdf = rendered / "known.pdf"
    page6, page7, page8 = page_text(pdf, 6), page_text(pdf, 7), page_text(pdf, 8)
    assert "一般公共预算支出表" in page6 and "单位：万元" in page6
    assert "科目编码" in page6 and "科目编码" in page7 and "科目编码" in page8  # header row repeated
    assert "一般公共预算支出表" not in page7   # the caption is not repeated, only the header row
    assert "科目第60项" in page8 and "注：本表为示例。" in page8


@needs_soffice
def test_libreoffice_page_numbers_odd_right_even_left(rendered):
    pdf = rendered / "known.pdf"
    for page in (1, 2, 3):
        bbox = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', bbox)
        # below the text block, which ends 35 mm (99.2 pt) above the 841.9 pt page edge
        footer = [(float(x), word) for x, y, word in words if float(y) > 745]
        assert [word for _, word in footer] == ["—", str(page), "—"], footer
        number_x = footer[1][0]
        if page % 2:
            assert number_x > 450  # right, one character in from the 569 pt edge
        else:
            assert number_x < 140  # left, one character in from the 79 pt edge
