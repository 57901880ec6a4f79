"""The real 2020 report as LibreOffice renders it: 9 pages of text and one page per 公开表,
the wide tables on landscape pages, every word on a page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from repo import ROOT

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")


@pytest.fixture(scope="module")
def preview(report_2020, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("report")
    source = work / f"{report_2020.filename}.docx"
    source.write_bytes(report_2020.docx)
    result = subprocess.run(["sh", str(ROOT / "scripts" / "preview.sh"), str(source), str(work / "out")],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return work / "out"


def page_sizes(pdf: Path) -> list[tuple[str, str]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_report_is_nine_pages_of_text_and_a_page_per_table(preview: Path, report_2020):
    pdf = preview / f"{report_2020.filename}.pdf"
    sizes = page_sizes(pdf)
    assert len(sizes) == 18 and len(list(preview.glob("page-*.png"))) == 18
    landscape = [n for n, (w, h) in enumerate(sizes, 1) if float(w) > float(h)]
    assert all(round(float(w)) in (595, 842) and round(float(h)) in (595, 842) for w, h in sizes)   # A4
    # The three wide tables, and only they, are set on landscape pages.
    titles = {n: page_text(pdf, n) for n in range(10, 19)}
    wide = [n for n, text in titles.items() if re.search("部门收入总表|财政拨款收支总表|项目支出绩效目标表", text)]
    assert landscape == wide == [11, 13, 18]
    for n, text in titles.items():           # each table on a page of its own, under its own number
        assert text.strip().startswith("表"), (n, text[:40])


def test_every_line_of_the_report_is_on_a_page(preview: Path, report_2020):
    pdf = preview / f"{report_2020.filename}.pdf"
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    text = re.sub(r"—\d+—", "", text)   # the page numbers, where a paragraph runs onto the next page
    for line in report_2020.text.splitlines():
        for cell in line.split(" | "):
            assert re.sub(r"\s+", "", cell) in text, cell


def test_the_report_as_a_pdf_audits_without_an_error(preview: Path, report_2020):
    """budgetdoc audit reads the PDF through pdftotext: the text joined back into paragraphs, every figure on its page."""
    from budgetdoc.audit import audit
    audited = audit(preview / f"{report_2020.filename}.pdf")
    assert [(f.severity.value, f.rule) for f in audited.findings] == [("警告", "上年数")]   # data/2019's known gap
    gap = audited.findings[0]
    assert "204.60" in gap.message and "204.68" in gap.message and str(gap.place).startswith("第4页第")
    x = audited.extracted
    assert x.year == 2020 and len(x.changes) >= 9 and len(x.shares) >= 12
    assert all(c.subject is not None for c in x.changes)

