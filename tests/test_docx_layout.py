"""The 公文 layout as it appears in the DOCX XML, and Layout overrides."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetdoc.document import Cell, Heading, PageBreak, Paragraph, ReportDoc, Table
from budgetdoc.layout import Layout, LayoutError
from budgetdoc.writers.docx import render_docx
from helpers_docx import footers, one, paragraph_text, part, sample_report, style, w, xpath


@pytest.fixture(scope="module")
def docx() -> bytes:
    return render_docx(sample_report())


@pytest.fixture(scope="module")
def styles(docx):
    return part(docx, "word/styles.xml")


@pytest.fixture(scope="module")
def document(docx):
    return part(docx, "word/document.xml")


def rfonts(styles, style_id):
    return one(style(styles, style_id), "w:rPr/w:rFonts")


def size(styles, style_id) -> str:
    return one(style(styles, style_id), "w:rPr/w:sz").get(w("val"))


# --- page -----------------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins(document):
    sect = one(document, "/w:document/w:body/w:sectPr")
    pg = one(sect, "w:pgSz")
    assert (pg.get(w("w")), pg.get(w("h"))) == ("11906", "16838")
    mar = one(sect, "w:pgMar")
    # 37 / 35 / 28 / 26 mm in twips (1 mm = 1440 / 25.4 twips)
    assert mar.get(w("top")) == "2098"
    assert mar.get(w("bottom")) == "1984"
    assert mar.get(w("left")) == "1587"
    assert mar.get(w("right")) == "1474"
    assert mar.get(w("footer")) == "1304"  # 23 mm: number 7 mm under the text block
    grid = one(sect, "w:docGrid")
    assert grid.get(w("linePitch")) == "578"
    assert grid.get(w("type")) is None  # a line grid would snap table rows too


# --- fonts and sizes --------------------------------------------------------


def test_no_theme_fonts_anywhere_in_styles(styles):
    for fonts in xpath(styles, "//w:rFonts"):
        assert not [name for name in fonts.attrib if "Theme" in name]


def test_doc_defaults_are_body_font_and_chinese(styles):
    fonts = one(styles, "/w:styles/w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")
    assert fonts.get(w("eastAsia")) == "仿宋_GB2312"
    assert fonts.get(w("ascii")) == "Times New Roman"
    lang = one(styles, "/w:styles/w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    assert lang.get(w("eastAsia")) == "zh-CN"


def test_running_text_is_condensed_to_28_characters_a_line(styles):
    # 156 mm = 442.2 pt / 28 = 15.79 pt a character: 16 pt text loses 0.25 pt
    for style_id in ("Normal", "Body", "Signature", "Heading1", "Heading3", "Heading5"):
        assert one(style(styles, style_id), "w:rPr/w:spacing").get(w("val")) == "-5", style_id
    for style_id in ("Title", "TableText", "TableCaption", "PageNumber"):
        assert not xpath(style(styles, style_id), "w:rPr/w:spacing"), style_id


def test_natural_width_when_no_character_count_is_asked():
    layout = Layout.from_mapping({"page": {"chars_per_line": None}})
    styles = part(render_docx(sample_report(), layout), "word/styles.xml")
    assert not xpath(styles, "//w:rPr/w:spacing")


def test_punctuation_does_not_hang_in_libreoffice(styles):
    # LibreOffice reads w:overflowPunct inverted: "1" switches its hanging
    # punctuation off (it drops hanging marks in justified text); "1" is
    # also Word's default, so Word is unaffected.
    ppr = one(styles, "/w:styles/w:docDefaults/w:pPrDefault/w:pPr")
    assert one(ppr, "w:overflowPunct").get(w("val")) == "1"
    assert one(ppr, "w:autoSpaceDE").get(w("val")) == "0"


def test_title_is_22pt_xiaobiaosong_centred(styles):
    assert rfonts(styles, "Title").get(w("eastAsia")) == "方正小标宋简体"
    assert size(styles, "Title") == "44"
    assert one(style(styles, "Title"), "w:pPr/w:jc").get(w("val")) == "center"


def test_body_is_16pt_fangsong_fixed_pitch_two_char_indent(styles):
    body = style(styles, "Body")
    assert rfonts(styles, "Body").get(w("eastAsia")) == "仿宋_GB2312"
    assert size(styles, "Body") == "32"
    spacing = one(body, "w:pPr/w:spacing")
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("578", "exact")
    indent = one(body, "w:pPr/w:ind")
    assert indent.get(w("firstLineChars")) == "200"
    assert indent.get(w("firstLine")) == "640"
    assert one(body, "w:pPr/w:jc").get(w("val")) == "both"


@pytest.mark.parametrize(
    ("level", "font", "outline"),
    [(1, "黑体", "0"), (2, "黑体", "1"), (3, "楷体_GB2312", "2"), (4, "仿宋_GB2312", "3"), (5, "仿宋_GB2312", "4")],
)
def test_heading_fonts_and_outline_levels(styles, level, font, outline):
    heading = style(styles, f"Heading{level}")
    assert one(heading, "w:name").get(w("val")) == f"heading {level}"
    assert rfonts(styles, f"Heading{level}").get(w("eastAsia")) == font
    assert size(styles, f"Heading{level}") == "32"
    assert one(heading, "w:rPr/w:b").get(w("val")) == "0"
    assert one(heading, "w:pPr/w:outlineLvl").get(w("val")) == outline
    assert xpath(heading, "w:pPr/w:keepNext")


def test_digits_follow_the_heading_face_but_times_in_running_text(styles):
    assert rfonts(styles, "Title").get(w("ascii")) == "方正小标宋简体"
    assert rfonts(styles, "Heading2").get(w("hAnsi")) == "黑体"
    assert rfonts(styles, "Heading3").get(w("ascii")) == "楷体_GB2312"
    for style_id in ("Body", "Heading4", "TableText"):
        assert rfonts(styles, style_id).get(w("ascii")) == "Times New Roman", style_id


def test_part_heading_is_centred_and_others_indented(styles):
    assert one(style(styles, "Heading1"), "w:pPr/w:jc").get(w("val")) == "center"
    assert one(style(styles, "Heading1"), "w:pPr/w:ind").get(w("firstLineChars")) == "0"
    for level in (2, 3, 4, 5):
        assert one(style(styles, f"Heading{level}"), "w:pPr/w:ind").get(w("firstLineChars")) == "200"


def test_roles_map_to_styles(document):
    by_text = {paragraph_text(p): p for p in xpath(document, "/w:document/w:body/w:p")}

    def style_of(text):
        # python-docx writes no w:pStyle for the default style
        found = xpath(by_text[text], "w:pPr/w:pStyle")
        return found[0].get(w("val")) if found else "Normal"

    assert style_of("某某局2020年部门预算公开说明") == "Title"
    assert style_of("（2020年3月）") == "Subtitle"
    assert style_of("第一部分  部门职责及机构设置") == "Heading1"
    assert style_of("一、部门职责") == "Heading2"
    assert style_of("（一）机构设置") == "Heading3"
    assert style_of("1.内设机构") == "Heading4"
    assert style_of("（1）人员编制") == "Heading5"
    assert style_of("贯彻执行国家财政、税收方针政策和法律法规。") == "Body"
    assert style_of("1.内设机构包括办公室、预算科。") == "Body"  # numbered items: body font
    assert style_of("（1）所属单位包括国库集中支付中心。") == "Body"
    assert style_of("本表为空表。") == "Normal"
    assert style_of("某某局") == "Signature"
    assert style_of("表一") == "TableCaption"
    assert style_of("一般公共预算支出表") == "TableCaption"
    assert style_of("单位：万元") == "TableUnit"
    assert style_of("注：本表为示例。") == "TableNote"


def test_runs_carry_no_direct_formatting(document):
    body_runs = xpath(document, "/w:document/w:body/w:p/w:r")
    assert body_runs
    assert not [r for r in body_runs if xpath(r, "w:rPr")]


def test_signature_is_right_aligned_and_caption_centred(styles):
    assert one(style(styles, "Signature"), "w:pPr/w:jc").get(w("val")) == "right"
    assert one(style(styles, "TableCaption"), "w:pPr/w:jc").get(w("val")) == "center"
    assert one(style(styles, "TableUnit"), "w:pPr/w:jc").get(w("val")) == "right"


def test_font_table_gives_fallbacks(docx):
    fonts = part(docx, "word/fontTable.xml")
    fangsong = one(fonts, "/w:fonts/w:font[@w:name='仿宋_GB2312']")
    assert one(fangsong, "w:altName").get(w("val")) == "仿宋"
    assert one(fangsong, "w:charset").get(w("val")) == "86"
    assert one(fonts, "/w:fonts/w:font[@w:name='方正小标宋简体']/w:altName") is not None
    assert one(fonts, "/w:fonts/w:font[@w:name='黑体']/w:family").get(w("val")) == "swiss"
    assert one(fonts, "/w:fonts/w:font[@w:name='Times New Roman']/w:charset").get(w("val")) == "00"


# --- page numbers -------------------------------------------------------------


def test_odd_and_even_footers_are_enabled(docx):
    settings = part(docx, "word/settings.xml")
    assert xpath(settings, "/w:settings/w:evenAndOddHeaders")
    assert set(footers(docx)) == {"default", "even"}


@pytest.mark.parametrize(("kind", "align", "side"), [("default", "right", "right"), ("even", "left", "left")])
def test_page_number_field_with_dashes(docx, kind, align, side):
    footer = footers(docx)[kind]
    p = one(footer, "/w:ftr/w:p")
    assert one(p, "w:pPr/w:pStyle").get(w("val")) == "PageNumber"
    assert one(p, "w:pPr/w:jc").get(w("val")) == align
    assert one(p, "w:pPr/w:ind").get(w(side)) == "280"  # one 14 pt character in
    texts = xpath(p, "w:r/w:t/text()")
    assert texts[0] == "— " and texts[-1] == " —"
    assert [c.get(w("fldCharType")) for c in xpath(p, "w:r/w:fldChar")] == ["begin", "separate", "end"]
    assert one(p, "w:r/w:instrText").text.strip() == "PAGE"
    assert xpath(p, "w:r/w:rPr/w:rFonts[@w:hint='eastAsia']")


def test_page_number_style_is_14pt_songti(styles):
    fonts = rfonts(styles, "PageNumber")
    assert fonts.get(w("eastAsia")) == "宋体"
    assert fonts.get(w("ascii")) == "宋体"  # 半角宋体 digits
    assert size(styles, "PageNumber") == "28"


# --- tables -------------------------------------------------------------------


def test_table_has_full_borders_fixed_widths_and_repeated_header(document, styles):
    table = one(document, "//w:tbl")
    borders = one(table, "w:tblPr/w:tblBorders")
    edges = {child.tag.split("}")[1]: child for child in borders}
    assert set(edges) == {"top", "left", "bottom", "right", "insideH", "insideV"}
    assert {(e.get(w("val")), e.get(w("sz"))) for e in edges.values()} == {("single", "4")}
    assert one(table, "w:tblPr/w:tblLayout").get(w("type")) == "fixed"
    assert one(table, "w:tblPr/w:tblW").get(w("w")) == "8844"  # 156 mm
    grid = [int(c.get(w("w"))) for c in xpath(table, "w:tblGrid/w:gridCol")]
    assert sum(grid) == 8844
    assert abs(grid[1] - 2 * grid[0]) <= 1  # widths 2 : 4, rounded to twips

    rows = xpath(table, "w:tr")
    assert len(rows) == 4
    assert xpath(rows[0], "w:trPr/w:tblHeader")
    assert not [r for r in rows[1:] if xpath(r, "w:trPr/w:tblHeader")]
    assert all(xpath(r, "w:trPr/w:cantSplit") for r in rows)

    header_cells = xpath(rows[0], "w:tc/w:p")
    assert {one(p, "w:pPr/w:pStyle").get(w("val")) for p in header_cells} == {"TableHeader"}
    amount = xpath(rows[1], "w:tc/w:p")[2]
    assert paragraph_text(amount) == "1.00"
    assert one(amount, "w:pPr/w:jc").get(w("val")) == "right"
    assert one(amount, "w:pPr/w:pStyle").get(w("val")) == "TableText"

    assert rfonts(styles, "TableText").get(w("eastAsia")) == "仿宋_GB2312"
    assert size(styles, "TableText") == "24"  # 小四 12 pt, smaller than the 16 pt body
    assert rfonts(styles, "TableHeader").get(w("eastAsia")) == "黑体"


# --- page breaks ----------------------------------------------------------------


def test_page_break_becomes_page_break_before_on_next_paragraph(document):
    heading = [p for p in xpath(document, "/w:document/w:body/w:p") if paragraph_text(p).startswith("第二部分")][0]
    assert xpath(heading, "w:pPr/w:pageBreakBefore")
    # no empty line at the top of the new page, whatever the style says
    assert one(heading, "w:pPr/w:spacing").get(w("before")) == "0"
    assert not xpath(document, "//w:br[@w:type='page']")
    assert len(xpath(document, "//w:pageBreakBefore")) == 1


def test_page_break_before_a_bare_table_moves_the_table():
    bare = Table(header=((Cell("项目"), Cell("金额")),), rows=((Cell("合计"), Cell("0.00", "right")),))
    docx = render_docx(ReportDoc(title="标题", blocks=(Paragraph("正文。"), PageBreak(), bare, PageBreak())))
    document = part(docx, "word/document.xml")
    first_cell = one(document, "//w:tbl/w:tr[1]/w:tc[1]/w:p")
    assert xpath(first_cell, "w:pPr/w:pageBreakBefore")
    # The trailing break would only add a blank page: it is dropped.
    assert len(xpath(document, "//w:pageBreakBefore")) == 1


# --- overrides --------------------------------------------------------------------


def test_overrides_change_the_xml():
    layout = Layout.from_mapping(
        {
            "body": {"size_pt": 15, "font": "仿宋"},
            "page": {"margin_left_mm": "30", "line_pitch_pt": 28},
            "table": {"size_pt": 9},
            "font_fallbacks": {"仿宋": "STFangsong"},
        }
    )
    docx = render_docx(sample_report(), layout)
    styles = part(docx, "word/styles.xml")
    assert rfonts(styles, "Body").get(w("eastAsia")) == "仿宋"
    assert size(styles, "Body") == "30"
    assert one(style(styles, "Body"), "w:pPr/w:spacing").get(w("line")) == "560"
    assert one(style(styles, "Body"), "w:pPr/w:ind").get(w("firstLine")) == "600"
    assert size(styles, "TableText") == "18"
    document = part(docx, "word/document.xml")
    assert one(document, "//w:sectPr/w:pgMar").get(w("left")) == "1701"
    fonts = part(docx, "word/fontTable.xml")
    assert one(fonts, "/w:fonts/w:font[@w:name='仿宋']/w:altName").get(w("val")) == "STFangsong"
    # other fallbacks are kept
    assert one(fonts, "/w:fonts/w:font[@w:name='仿宋_GB2312']/w:altName").get(w("val")) == "仿宋"


def test_defaults_match_issue_4():
    layout = Layout()
    assert layout.page.text_width_mm == Decimal("156")
    assert layout.page.height_mm - layout.page.margin_top_mm - layout.page.margin_bottom_mm == Decimal("225")
    assert layout.title.size_pt == Decimal("22")
    assert layout.body.line_pitch_pt is None and layout.page.line_pitch_pt == Decimal("28.9")
    assert layout.page_number.size_pt == Decimal("14")


def test_unknown_and_wrong_keys_are_all_reported_in_chinese():
    with pytest.raises(LayoutError) as caught:
        Layout.from_mapping(
            {"bdy": {}, "body": {"sise_pt": 15, "size_pt": "大", "bold": "是", "align": "middle"}, "page": 3}
        )
    message = str(caught.value)
    assert "未知的设置项“bdy”" in message
    assert "未知的设置项“body.sise_pt”" in message and "size_pt" in message
    assert "“body.size_pt”应为大于 0 的数字" in message
    assert "“body.bold”应为 true 或 false" in message
    assert "“body.align”应为 left、center、right、both 之一" in message
    assert "“page”应为键值映射" in message


def test_load_reads_yaml_overrides(tmp_path):
    path = tmp_path / "layout.yaml"
    path.write_text("title:\n  font: 华文中宋\n  size_pt: 20\n", encoding="utf-8")
    layout = Layout.load(path)
    assert layout.title.font == "华文中宋"
    assert layout.title.size_pt == Decimal("20")
    assert layout.body == Layout().body


def test_load_empty_file_gives_defaults(tmp_path):
    path = tmp_path / "layout.yaml"
    path.write_text("", encoding="utf-8")
    assert Layout.load(path) == Layout()


@pytest.mark.parametrize(
    ("content", "expected"),
    [("body: [1, 2\n", "不是有效的 YAML"), ("- 1\n", "顶层应为键值映射"), ("colour: red\n", "未知的设置项“colour”")],
)
def test_load_errors_name_the_file(tmp_path, content, expected):
    path = tmp_path / "layout.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        Layout.load(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_load_missing_file(tmp_path):
    with pytest.raises(LayoutError, match="无法读取版式文件"):
        Layout.load(tmp_path / "missing.yaml")


def body_paragraphs(docx: bytes) -> list:
    return xpath(part(docx, "word/document.xml"), "/w:document/w:body/w:p")


def space_before(p) -> str | None:
    found = xpath(p, "w:pPr/w:spacing")
    return found[0].get(w("before")) if found else None


def test_empty_line_under_the_title_is_space_not_a_paragraph():
    paragraphs = body_paragraphs(render_docx(ReportDoc(title="标题", blocks=(Heading(2, "概况", "一、"),))))
    assert [paragraph_text(p) for p in paragraphs] == ["标题", "一、概况"]
    assert space_before(paragraphs[1]) == "578"  # one 28.9 pt line (GB/T 9704: 空一行)


def test_part_heading_after_the_title_gets_one_empty_line_not_two(styles):
    assert one(style(styles, "Heading1"), "w:pPr/w:spacing").get(w("before")) == "578"
    paragraphs = body_paragraphs(render_docx(ReportDoc(title="标题", blocks=(Heading(1, "概况", "第一部分"),))))
    assert space_before(paragraphs[1]) is None  # the style's own line is enough


def test_space_after_a_table_but_not_after_a_page_break():
    table = Table(header=((Cell("项目"), Cell("金额")),), rows=((Cell("合计"), Cell("0.00", "right")),))
    blocks = (table, Paragraph("表后正文。"), table, PageBreak(), Paragraph("新页正文。"))
    paragraphs = body_paragraphs(render_docx(ReportDoc(title="标题", blocks=blocks)))
    by_text = {paragraph_text(p): p for p in paragraphs}
    assert space_before(by_text["表后正文。"]) == "289"  # half a line
    assert space_before(by_text["新页正文。"]) is None
    assert xpath(by_text["新页正文。"], "w:pPr/w:pageBreakBefore")


def test_a_zero_size_is_refused_not_divided_by(tmp_path):
    path = tmp_path / "layout.yaml"
    path.write_text("page:\n  chars_per_line: 0\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="“page.chars_per_line”应为大于 0 的数字"):
        Layout.load(path)


def test_a_hostile_layout_file_is_refused_like_a_data_file(tmp_path):
    path = tmp_path / "layout.yaml"
    path.write_text("page: " + "[" * 3000 + "\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="嵌套超过 40 层"):
        Layout.load(path)
    path.write_text("page: !!python/object/apply:os.system [echo]\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="不允许使用 YAML 标记"):
        Layout.load(path)
