"""--pdf: a PDF beside each DOCX, through one LibreOffice run for the whole batch (budgetdoc.pdf).

One real conversion (a bureau of two departments, module fixture) checks what
is published: the pages, every line of the report's text on them, the fonts
embedded.  The rest replaces the conversion, to see what budgetdoc does
around it: one process, a private profile and the font map, nothing written
for a department without its PDF, and the message when LibreOffice is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import budgetdoc.pdf as pdf
from budgetdoc.manifest import MANIFEST
from cases.casekit import budgetdoc_in_process
from repo import DATA, EXAMPLE

A, B = "奈曼旗政务服务局", "示例县文化旅游体育局"
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")


def bureau(root: Path) -> Path:
    shutil.copytree(DATA, root / "data" / "部门A")
    shutil.copytree(EXAMPLE, root / "data" / "部门B", ignore=shutil.ignore_patterns("README.md"))
    return root


def run(*args: str, cwd: Path):
    result = budgetdoc_in_process(args, cwd)
    assert "Traceback" not in result.stderr + result.stdout and "内部错误" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """``report 2020 --all --pdf`` of two departments, with every LibreOffice call recorded."""
    root = bureau(tmp_path_factory.mktemp("pdf"))
    calls = []
    real = subprocess.run

    def recording(command, **kwargs):
        calls.append((list(command), dict(kwargs.get("env") or {})))
        return real(command, **kwargs)

    pdf.subprocess.run = recording
    try:
        result = run("report", "2020", "--all", "--pdf", "--jobs", "2", "--out", "build", cwd=root)
    finally:
        pdf.subprocess.run = real
    return root / "build" / "2020", result, calls


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@needs_libreoffice
def test_one_libreoffice_run_for_the_batch_with_a_private_profile_and_the_font_map(published):
    out, result, calls = published
    assert result.returncode == 0, result.stderr
    assert len(calls) == 1                                  # one process for every report of the batch
    command, env = calls[0]
    assert sum(arg.endswith(".docx") for arg in command) == 2
    profile = [arg for arg in command if arg.startswith("-env:UserInstallation=file://")]
    assert len(profile) == 1 and "budgetdoc-pdf-" in profile[0]     # never the user's own LibreOffice profile
    assert env["FONTCONFIG_FILE"].endswith("fonts.conf")


@needs_libreoffice
def test_the_pdf_is_the_report_every_page_and_every_line(published):
    out, _, _ = published
    report = out / A / f"{A}2020年部门预算.pdf"
    assert sorted(p.suffix for p in (out / A).iterdir() if p.name != MANIFEST) == [".docx", ".pdf", ".txt", ".xlsx"]
    assert pages(report) == 18                              # 9 pages of text and one page per 公开表
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    text = re.sub(r"—\d+—", "", text)   # the page numbers, where a paragraph runs onto the next page
    lines = (out / A / f"{A}2020年部门预算.txt").read_text("utf-8").splitlines()
    assert len(lines) > 100
    for line in lines:
        for cell in line.split(" | "):
            assert re.sub(r"\s+", "", cell) in text, cell
    demo = out / B / f"{B}2020年部门预算.pdf"
    assert pages(demo) > 18 and "示例县文化旅游体育局" in subprocess.run(
        ["pdftotext", str(demo), "-"], capture_output=True, text=True, check=True).stdout


@needs_libreoffice
def test_the_fonts_are_embedded_and_the_official_faces_mapped(published):
    out, _, _ = published
    listing = subprocess.run(["pdffonts", str(out / A / f"{A}2020年部门预算.pdf")], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing and all(line.split()[-5] == "yes" for line in listing), listing      # emb
    assert any("NotoSerifCJK" in line for line in listing) and any("NotoSansCJK" in line for line in listing)
    config = pdf.fontconfig_xml()
    for name in ("仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体"):
        assert f"<family>{name}</family>" in config or f"<string>{name}</string>" in config


def test_without_libreoffice_pdf_says_what_to_install_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    result = run("report", "2020", "--pdf", "--out", str(tmp_path / "build"), cwd=DATA.parent)
    assert result.returncode == 1 and not (tmp_path / "build").exists()
    from test_bureau import doc_example
    assert doc_example("PDF") in result.stderr
    assert "libreoffice-writer-nogui" in result.stderr and "fonts-noto-cjk" in result.stderr
    batch = run("report", "2020", "--all", "--pdf", "--out", str(tmp_path / "build"), cwd=bureau(tmp_path))
    assert batch.returncode == 1 and not (tmp_path / "build").exists()


def test_a_department_whose_pdf_failed_writes_nothing(tmp_path, monkeypatch):
    """The PDF is part of a department's files: without it, none of them is written; the others are."""
    def convert(files, outdir):
        outdir.mkdir(parents=True, exist_ok=True)
        done = {}
        for f in files:
            if f.name.startswith("00000-"):
                continue        # LibreOffice "failed" on the first department's report (部门A, in folder order)
            (outdir / f"{f.stem}.pdf").write_bytes(b"%PDF-1.4 fake")
            done[f] = outdir / f"{f.stem}.pdf"
        return done

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "convert", convert)
    result = run("report", "2020", "--all", "--pdf", "--jobs", "1", "--out", "build", cwd=bureau(tmp_path))
    assert result.returncode == 1
    out = tmp_path / "build" / "2020"
    assert sorted(p.name for p in out.iterdir()) == sorted([B, "汇总.xlsx", MANIFEST])
    assert sorted(p.suffix for p in (out / B).iterdir() if p.name != MANIFEST) == [".docx", ".pdf", ".txt", ".xlsx"]
    assert "错误 [PDF] LibreOffice 没有把" in result.stderr and "这个部门没有写出任何文件" in result.stderr


def test_report_pdf_writes_the_pdf_with_the_other_files(tmp_path, monkeypatch):
    converted = []

    def to_pdf(documents):
        converted.append(sorted(documents))
        return {name: b"%PDF-1.4 " + name.encode() for name in documents}

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "to_pdf", to_pdf)
    result = run("report", "2020", "--pdf", "--out", str(tmp_path), cwd=DATA.parent)
    assert result.returncode == 0, result.stderr
    assert converted == [[f"{A}2020年部门预算.docx"]]
    assert (tmp_path / "2020" / f"{A}2020年部门预算.pdf").read_bytes() == f"%PDF-1.4 {A}2020年部门预算.docx".encode()
    assert f"已生成：{tmp_path}/2020/{A}2020年部门预算.pdf" in result.stdout
