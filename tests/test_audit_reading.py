"""budgetdoc audit, reading: the normalised text, every pattern's forms, and the three readers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetdoc.audit import audit
from budgetdoc.audit.extract import clean_subject, extract
from budgetdoc.audit.reader import AuditInputError, _from_pages, read_report
from budgetdoc.audit.text import normalise
from test_review_support import H, T, make_docx


def facts(text: str, kind: str = "txt"):
    return extract(read_report(text.encode("utf-8"), kind, "x.txt"))


# ------------------------------------------------------------ normalisation

def test_full_width_forms_become_ascii_and_white_space_goes():
    n = normalise("收入预算 １７６．６５ 万\n元，下降１３．７％（含上年结转）")
    assert n.text == "收入预算176.65万元,下降13.7%(含上年结转)"


def test_a_space_stays_only_between_two_ascii_letters_or_digits():
    assert normalise("行政编制 6 个，2020 176.65").text == "行政编制6个,2020 176.65"


def test_the_quote_is_the_source_as_written_without_the_dropped_spaces():
    n = normalise("收入预算 １７６．６５ 万\n元，下降")
    start = n.text.index("176")
    assert n.quote(start, start + len("176.65万元")) == "１７６．６５万元"
    assert n.quote(0, len(n.text)) == "收入预算１７６．６５万元，下降"


# ------------------------------------------------------------ figures

@pytest.mark.parametrize("written, value", [
    ("176.65万元", "176.65"), ("1,766,500元", "176.65"), ("１，７６６，５００元", "176.65"),
    ("0.5亿元", "5000"), ("14万元", "14"), ("38.1万元", "38.1")])
def test_amounts_in_yuan_wan_and_yi_with_or_without_separators(written: str, value: str):
    found = facts(f"部门预算支出{written}。").facts
    assert [(f.concept, f.value) for f in found] == [("expenditure.total", Decimal(value))]


def test_a_threshold_is_not_a_figure():
    assert facts("单位价值200万元以上大型设备2台（套）。").facts == []


@pytest.mark.parametrize("sentence, base, kind, sign, amount, rate", [
    ("收入预算176.65万元，比2019年预算减少28.03万元，下降13.7%。", "2019年预算", "budget", -1, "28.03", "13.7"),
    ("收入预算176.65万元，比上年预算数增加8.84万元。", "上年预算数", "budget", 1, "8.84", None),
    ("收入预算176.65万元，本年预算比上年执行数增加0.1万元，增长7%。", "上年执行数", "actual", 1, "0.1", "7"),
    ("收入预算176.65万元，较上年减少28.03万元，降幅为13.7%。", "上年", "budget", -1, "28.03", "13.7"),
    ("收入预算176.65万元，与上年相比，减少28.03万元，下降13.7%。", "上年", "budget", -1, "28.03", "13.7"),
    ("收入预算176.65万元，同比增长13.7%。", "上年", "budget", 1, None, "13.7"),
    ("收入预算176.65万元，与上年预算持平。", "上年预算", "budget", 0, "0", None),
    ("收入预算176.65万元，较上年无增减。", "上年", "budget", 0, "0", None),
])
def test_every_form_of_a_change(sentence, base, kind, sign, amount, rate):
    (change,) = facts(sentence).changes
    assert (change.base, change.kind, change.sign) == (base, kind, sign)
    assert change.amount == (None if amount is None else Decimal(amount))
    assert change.rate == (None if rate is None else Decimal(rate))
    assert change.subject is not None and change.subject.concept == "income.total"


@pytest.mark.parametrize("sentence, amount", [
    ("收入预算176.65万元，比上年预算数（204.68万元）减少28.03万元，下降13.7%。", "28.03"),
    ("收入预算176.65万元，较上年的204.68万元下降13.7%。", None),
    ("收入预算176.65万元，比上年预算数（2,046,800元）减少28.03万元。", "28.03"),
])
def test_last_year_s_amount_stated_beside_the_change(sentence, amount):
    (change,) = facts(sentence).changes
    assert change.prior == Decimal("204.68") and change.sign == -1
    assert change.amount == (None if amount is None else Decimal(amount))


def test_a_new_item_and_a_dropped_one_are_marked():
    new, dropped = facts("公务接待费0.30万元，比上年增加0.30万元（上年无此项预算）；"
                         "其他收入0万元，比上年减少5万元，本年未安排。").changes
    assert new.new and not new.dropped and dropped.dropped and not dropped.new


@pytest.mark.parametrize("sentence, whole, pct", [
    ("部门预算支出176.65万元，其中：基本支出129.91万元，占比73.54%。", "部门预算支出", "73.54"),
    ("部门预算支出176.65万元，其中：基本支出129.91万元，占73.54%。", "部门预算支出", "73.54"),
    ("部门预算支出176.65万元。基本支出129.91万元，占部门预算支出的73.54%。", "部门预算支出", "73.54"),
    ("部门预算支出176.65万元。基本支出129.91万元，占部门预算支出的比重为73.54%。", "部门预算支出", "73.54"),
    ("部门预算支出176.65万元，其中：基本支出129.91万元（其中：人员经费122.41万元、公用经费7.50万元），占比73.54%。",
     "部门预算支出", "73.54"),
])
def test_every_form_of_a_share(sentence, whole, pct):
    (share,) = facts(sentence).shares
    assert (share.part_label, share.whole_label, share.pct) == ("基本支出", whole, Decimal(pct))


def test_a_list_hangs_from_the_figure_before_it_and_a_bracket_from_its_own():
    found = facts("部门预算支出176.65万元，其中：基本支出129.91万元（其中：人员经费122.41万元、公用经费7.50万元），"
                  "项目支出46.74万元。").facts
    heads = {f.label: f.head.label if f.head else None for f in found}
    assert heads == {"部门预算支出": None, "基本支出": "部门预算支出", "人员经费": "基本支出", "公用经费": "基本支出",
                     "项目支出": "部门预算支出"}


def test_a_change_that_opens_a_sentence_is_the_paragraph_s_first_figure():
    found = facts("2020年，我单位机关运行经费财政拨款预算54.24万元，其中：办公费1.08万元。比上年增加14万元，增长34.8%。")
    (change,) = found.changes
    assert change.subject.label == "机关运行经费" and change.subject.value == Decimal("54.24")


def test_brackets_inside_a_name_are_part_of_it():
    found = facts("四、财政拨款“三公”经费预算情况说明\n1、因公出国（境）费用 0万元，比上年预算数增加 0万元。")
    assert [(f.subject, f.concept) for f in found.facts] == [("因公出国(境)费用", "three_public.abroad")]


@pytest.mark.parametrize("subject, cleaned", [
    ("1.一般公共服务类", "一般公共服务类"), ("3、卫生健康支出类", "卫生健康支出类"), ("其中:", ""),
    ("2020年,我单位机关运行经费财政拨款预算", "2020年,我单位机关运行经费财政拨款预算".split(",")[1][3:]),
    ("财政拨款“三公”经费支出预算", "财政拨款三公经费支出预算"), ("(一)事业收入为", "事业收入")])
def test_subjects_lose_their_numbers_and_lead_words(subject, cleaned):
    assert clean_subject(subject) == cleaned


def test_function_lines_short_and_by_path():
    found = facts("（二）一般公共预算财政拨款具体使用安排情况\n1.一般公共服务类110.91万元。\n"
                  "2.文化旅游体育与传媒支出（类）体育（款）群众体育（项）194.46万元。").facts
    assert [f.concept for f in found] == ["fn:general:一般公共服务", "fn:general:文化旅游体育与传媒/体育/群众体育"]


def test_the_headings_say_what_a_paragraph_is_about():
    found = facts("四、财政拨款“三公”经费预算情况说明\n公务接待费2万元。\n第三部分 其他公开事项说明\n"
                  "一、机关运行经费安排情况说明\n其中公务接待费2万元。").facts
    assert [f.concept for f in found] == ["three_public.reception", None]


def test_the_year_from_the_title_else_the_headings():
    assert facts("某局2021年部门预算公开说明\n第二部分 2021年部门预算安排情况说明").year == 2021
    assert facts("第一部分 部门概况\n第二部分 2020年部门预算安排情况说明\n四、2020年度项目支出绩效目标情况说明").year == 2020
    assert facts("收入预算176.65万元。").year is None


# ------------------------------------------------------------ readers

def test_a_txt_line_broken_inside_a_figure_or_after_a_comma_is_joined():
    report = read_report("（一）部门预算收入情况说明\n收入预算176.65 万\n元，比上年预算减少 28.03\n万元，\n下降13.7%。\n"
                         "（二）部门预算支出情况说明\n".encode(), "txt")
    assert [p.text.replace("\n", "") for p in report.paragraphs] == [
        "（一）部门预算收入情况说明", "收入预算176.65 万元，比上年预算减少 28.03万元，下降13.7%。", "（二）部门预算支出情况说明"]
    assert [p.line for p in report.paragraphs] == [1, 2, 6]


def test_txt_tables_are_laid_out_on_their_grid():
    text = ("表3-2\n2020年一般公共预算“三公”经费支出表\n编制部门：某局\t单位：万元\n\n"
            "项目 | 合计 | 因公出国（境）费 | 公务用车购置及运行维护费 | 公务接待费\n"
            " |  |  | 小计 | 公务用车购置费 | 公务用车运行维护费 | \n"
            "本年预算 | 1.50 | 0.00 | 1.50 | 0.00 | 1.50 | 0.00\n")
    (table,) = read_report(text.encode(), "txt").tables
    assert table.label == "表3-2 2020年一般公共预算“三公”经费支出表" and table.unit == "万元"
    assert [(c.text, c.column, c.span) for c in table.rows[0]] == [
        ("项目", 0, 1), ("合计", 1, 1), ("因公出国（境）费", 2, 1), ("公务用车购置及运行维护费", 3, 3), ("公务接待费", 6, 1)]
    assert table.header_rows == 2


def test_docx_headings_by_style_and_tables_with_their_caption():
    data = make_docx(H("二、部门预算收支总体情况说明", 2), "收入预算176.65万元，比上年预算减少28.03万元，下降13.7%。",
                     "表1", "2020年部门收支总表", "单位：元",
                     T((("收入", "", "支出", ""), ("项目", "预算数", "项目", "预算数"),
                        ("收入总计", "1,766,500.00", "支出总计", "1,766,500.00"))))
    found = extract(read_report(data, "docx"))
    assert found.headings[0].level == 2 and found.changes[0].rate == Decimal("13.7")
    (table,) = found.report.tables
    assert table.label == "表1 2020年部门收支总表" and table.unit == "元"


def _wrap(text: str, width: int = 20) -> list[str]:
    """A paragraph broken into lines of ``width`` characters, as a PDF's text comes out (all full-width here)."""
    return [text[i:i + width] for i in range(0, len(text), width)]


def test_pdf_text_is_joined_across_lines_and_pages_with_the_page_of_each_figure():
    body = ("收入预算１７６．６５万元，比上年预算减少２８．０３万元，下降１３．７％，原因：人员调出３人，"
            "人员经费减少，公用经费相应调整，其余各项支出与上年基本相同，基本支出１２９．９１万元。")
    lines = _wrap(body)
    page1 = "\n".join(["二、部门预算收支总体情况说明"] + lines[:3] + ["", "—3—", ""])
    page2 = "\n".join(lines[3:] + ["（一）部门预算收入情况说明", "部门预算收入１７６．６５万元。"])
    report = _from_pages([page1, page2], "x.pdf", "pdf")
    texts = [p.text.replace("\n", "") for p in report.paragraphs]
    assert texts == ["二、部门预算收支总体情况说明", body, "（一）部门预算收入情况说明", "部门预算收入１７６．６５万元。"]
    paragraph = report.paragraphs[1]
    assert paragraph.page == 1 and paragraph.page_at(paragraph.text.index("１２９")) == 2
    found = extract(report)
    assert [str(f.place) for f in found.facts] == ["第1页第2段", "第2页第2段", "第2页第4段"]


def test_the_header_of_a_pdf_audit_says_its_tables_were_not_compared():
    """A PDF's tables come back as lines of text: the clerk is told the 公开表 went unchecked, and how to check them."""
    from budgetdoc.audit import audit_report
    from budgetdoc.audit.command import header
    report = _from_pages(["二、部门预算收支总体情况说明\n收入预算176.65万元。\n"], "x.pdf", "pdf")
    text = header(audit_report(report))
    assert "读到 1 段、0 张表" in text
    assert "PDF 中的表格只能读成一行行文字，分不出行和列：公开表中的数字没有与正文对照" in text and ".docx" in text
    txt = header(audit_report(_from_pages(["收入预算176.65万元。\n"], "x.txt", "txt")))
    assert "PDF 中的表格" not in txt


def test_a_missing_pdftotext_names_poppler_utils(monkeypatch, tmp_path):
    import budgetdoc.audit.reader as reader
    monkeypatch.setattr(reader.shutil, "which", lambda name: None)
    (tmp_path / "报告.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(AuditInputError, match="poppler-utils"):
        read_report(tmp_path / "报告.pdf")


@pytest.mark.parametrize("name, data, message", [
    ("报告.doc", b"x", "只能审核 .docx、.txt 和 .pdf"),
    ("报告.docx", b"not a zip", "不是 DOCX 文件"),
    ("报告.txt", "收入预算176.65万元。".encode("gbk"), None),
])
def test_files_that_cannot_be_read_say_why(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    if message is None:            # a GBK .txt is read (GB18030 covers it)
        assert audit(path).extracted.facts[0].value == Decimal("176.65")
        return
    with pytest.raises(AuditInputError, match=message):
        read_report(path)


VERTICAL = """某县水利局2021年部门预算公开说明
五、“三公”经费预算情况
2021年“三公”经费预算8.50万元，较上年减少1.50万元，下降15%。
表2
2021年“三公”经费预算表
单位：万元
项目 | 本年预算 | 上年预算
合计 | 8.50 | 10.00
因公出国（境）费 | 0.00 | 0.00
公务接待费 | 2.50 | 3.00
公务用车购置及运行维护费 | 6.00 | 7.00
其中：公务用车购置费 | 0.00 | 0.00
公务用车运行维护费 | 6.00 | 7.00
"""


def test_a_vertical_three_public_table_gives_each_item_by_year_and_adds_up():
    from cases.auditkit import build_docx
    a = audit(build_docx(VERTICAL), "docx")
    assert a.findings == []
    table = {(f.concept, f.period): f.value for f in a.extracted.facts if f.from_table}
    assert table[("three_public.total", "budget")] == Decimal("10.00")
    assert table[("three_public.operation", "current")] == Decimal("6.00") and len(table) == 12
    broken = audit(build_docx(VERTICAL.replace("公务接待费 | 2.50 | 3.00", "公务接待费 | 2.50 | 3.10")), "docx")
    assert [(f.rule, str(f.place.short)) for f in broken.findings] == [("公开表", "表1第2行第3列")]


def test_a_table_in_yuan_is_compared_in_wan():
    text = ("部门预算收入128.64万元。\n表1\n2021年部门收支总表\n单位：元\n"
            "收入 |  | 支出 | \n项目 | 预算数 | 项目 | 预算数\n"
            "一、一般公共预算拨款收入 | 1,286,400.00 | 农林水支出 | 1,286,400.00\n"
            "本年收入合计 | 1,286,400.00 | 本年支出合计 | 1,286,400.00\n"
            "收入总计 | 1,286,500.00 | 支出总计 | 1,286,400.00\n")
    from cases.auditkit import build_docx
    a = audit(build_docx(text), "docx")
    assert [(f.rule, f.stated, f.computed) for f in a.findings] == [
        ("与公开表不符", "128.64", "128.65"), ("公开表", "128.65", "128.64"), ("公开表", "128.65", "128.64")]
