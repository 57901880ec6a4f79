"""The real 2020 report as LibreOffice renders it: converts, 9 pages, every word on a page."""

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


def test_the_report_converts_to_nine_a4_pages_with_a_png_each(preview: Path, report_2020):
    pdf = preview / f"{report_2020.filename}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+9$", info, re.M), info
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    assert len(list(preview.glob("page-*.png"))) == 9


def test_every_line_of_the_report_is_on_a_page(preview: Path, report_2020):
    pdf = preview / f"{report_2020.filename}.pdf"
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    text = re.sub(r"—\d+—", "", text)   # the page numbers, where a paragraph runs onto the next page
    for line in report_2020.text.splitlines():
        for cell in line.split(" | "):
            assert re.sub(r"\s+", "", cell) in text, cell
