"""End to end: data/2020 + data/2019 → DOCX, read back and compared with the reference wording."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import docx

from budgetdoc.document import Heading

from repo import DATA, ROOT


def docx_lines(data: bytes) -> list[str]:
    """The document body as python-docx reads it: paragraphs, then table cells, in order."""
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    lines: list[str] = []
    for child in body.iterchildren():
        tag = child.tag.split("}")[1]
        if tag == "p":
            lines.append("".join(_text(node) for run in child.iter(docx.oxml.ns.qn("w:r")) for node in run))
        elif tag == "tbl":
            for cell in child.iter(docx.oxml.ns.qn("w:tc")):
                lines.append("".join(t.text or "" for t in cell.iter(docx.oxml.ns.qn("w:t"))))
    return [line for line in lines if line.strip()]


def _text(node) -> str:
    """A run's child as text: w:t its text, w:tab a tab."""
    if node.tag == docx.oxml.ns.qn("w:tab"):
        return "\t"
    return (node.text or "") if node.tag == docx.oxml.ns.qn("w:t") else ""


def test_six_parts_in_order(report_2020):
    parts = [b.full_text for b in report_2020.document.blocks if isinstance(b, Heading) and b.level == 1]
    assert parts == ["第一部分  部门概况", "第二部分  2020年部门预算安排情况说明", "第三部分  其他公开事项说明",
                     "第四部分  名词解释", "第五部分  预算公开联系方式及信息反馈渠道", "第六部分  部门预算公开表"]


def test_title_and_file_name(report_2020):
    assert report_2020.filename == "奈曼旗政务服务局2020年部门预算"
    assert docx_lines(report_2020.docx)[0] == "奈曼旗政务服务局2020年部门预算公开说明"


def test_computed_sentences_read_back_from_the_docx(report_2020):
    lines = docx_lines(report_2020.docx)
    expected = [
        "收入预算176.65万元，比2019年预算减少28.03万元，下降13.7%，原因：人员调出3人，人员经费减少。",
        "部门预算支出176.65万元，其中：基本支出129.91万元（其中：人员经费122.41万元、公用经费7.50万元），"
        "占比73.54%，主要是人员工资、保险及机构运转等方面支出；项目支出46.74万元，占比26.46%，主要是取暖费、"
        "集中采购机构评审专家劳务报酬、房屋租金、劳务费、物业费等方面支出；事业单位经营支出0万元，占比0%。",
        "1.一般公共服务类110.91万元，比上年预算数减少46.07万元。主要用于在职人员工资、中性人员补助及机构运转支出。",
        "2.社会保障和就业类38.10万元，比上年预算数增加8.84万元。主要用于社会保险基金补助支出、行政事业单位离退休支出、"
        "工伤和生育保险支出。",
        "政府性基金预算财政拨款0万元，与上年预算数持平。",
        "财政拨款“三公”经费支出预算1.50万元，比上年预算增加0.50万元，增长50%；本年预算比上年执行数增加0.10万元，"
        "增长7.1%。其中：",
        "1.因公出国（境）费0万元，与上年预算持平；本年预算与上年执行数持平。",
        "2020年，填报绩效目标的预算项目3个，公开绩效目标3个，公开项目占全部预算项目的100%。公开填报绩效目标的项目"
        "支出预算46.74万元，占全部项目支出预算的100%。",
    ]
    for sentence in expected:
        assert sentence in lines


def test_unit_table_is_a_real_word_table(report_2020):
    document = docx.Document(io.BytesIO(report_2020.docx))
    table = document.tables[0]      # the 公开表 follow in Part 6 (tests/test_statements.py)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [["序号", "单位名称", "单位性质"], ["1", "奈曼旗政务服务局本级", "财政拨款的行政单位"],
                    ["2", "奈曼旗政务服务中心", "全额拨款事业单位"]]


def test_no_zero_change_wording_anywhere(report_2020):
    text = report_2020.text
    for bad in ("增加0万元", "减少0万元", "增长0%", "下降0%", "None", "{{", "}}"):
        assert bad not in text


def test_text_rendering_matches_the_docx(report_2020):
    text_lines = [line for line in report_2020.text.splitlines() if line.strip()]
    docx_text = docx_lines(report_2020.docx)
    for line in docx_text:
        if "|" not in line:
            assert any(line in t for t in text_lines), line


def test_same_input_gives_byte_identical_docx_and_xlsx(report_2020):
    from budgetdoc.pipeline import build_year
    again = build_year(DATA, 2020)
    assert again.docx == report_2020.docx
    assert again.xlsx == report_2020.xlsx
    assert again.text == report_2020.text


def test_make_report_writes_identical_files_twice(tmp_path: Path):
    """The console command, twice, into a fresh folder: same bytes both times."""
    out = tmp_path / "build"
    exe = Path(sys.executable).parent / "budgetdoc"
    digests = []
    for _ in range(2):
        run = subprocess.run([str(exe), "report", "2020", "--data", str(DATA), "--out", str(out)],
                             capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
        assert "204.60" in run.stderr and "204.68" in run.stderr
        produced = sorted(p.name for p in (out / "2020").iterdir())
        assert produced == [".budgetdoc-files", "奈曼旗政务服务局2020年部门预算.docx", "奈曼旗政务服务局2020年部门预算.txt",
                            "奈曼旗政务服务局2020年部门预算.xlsx"]
        digests.append([(out / "2020" / name).read_bytes() for name in produced])
    assert digests[0] == digests[1]


def test_fidelity_against_the_reference_when_available(report_2020, tmp_path: Path):
    """Only in the workshop (the reference is not part of the product)."""
    tool = ROOT.parent / "shared" / "tools" / "fidelity.py"
    if not tool.is_file():
        import pytest
        pytest.skip("reference report not available in this checkout")
    path = tmp_path / "report.docx"
    path.write_bytes(report_2020.docx)
    run = subprocess.run([sys.executable, str(tool), str(path)], capture_output=True, text=True)
    summary = run.stdout.strip().splitlines()[-1]
    matched, total = summary.split()[1].split("/")
    assert int(matched) >= 77, summary


def test_the_txt_beside_the_report_is_what_git_textconv_shows(report_2020):
    """writers/text.py (the .txt) and `budgetdoc text` on the DOCX print the same lines."""
    from budgetdoc.review.docxtext import read_blocks, render_text
    assert render_text(read_blocks(report_2020.docx)) == report_2020.text
