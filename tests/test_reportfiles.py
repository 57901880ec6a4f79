"""What writing a report must not lose (budgetdoc.reportfiles, budgetdoc.manifest).

Every file budgetdoc writes is recorded with its SHA-256 in the folder's
``.budgetdoc-files``; a file whose bytes are not the recorded ones was edited
and is kept aside, whatever changed it.  Commands run in-process.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from budgetdoc.manifest import HEADER, MANIFEST, read_manifest
from cases.casekit import budgetdoc_in_process
from repo import DATA, edit

A = "奈曼旗政务服务局"
REPORT = f"{A}2020年部门预算"


def run(*args: str, cwd: Path = DATA.parent):
    result = budgetdoc_in_process(args, cwd)
    assert "Traceback" not in result.stderr + result.stdout and "内部错误" not in result.stderr, result.stderr
    return result


def report(out: Path, data: Path = DATA, *extra: str):
    result = run("report", "2020", "--data", str(data), "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return result


def kept(folder: Path, suffix: str = "*") -> list[Path]:
    return sorted(folder.glob(f"*（已修改 *）.{suffix}"))


def change_a_figure(data: Path) -> None:
    """The trial's edit: a figure changed, the totals above it fixed with fix-totals."""
    edit(data / "2020" / "expenditure.yaml", ("  人员经费: 122.41", "  人员经费: 122.51"))
    edit(data / "2020" / "functions.yaml", ("    金额: 110.91", "    金额: 111.01"))
    assert run("fix-totals", "2020", "--data", str(data)).returncode == 0


# ------------------------------------------------------------------ the manifest


def test_the_manifest_records_each_file_written_and_is_the_same_every_build(tmp_path):
    out = tmp_path / "build"
    first = report(out)
    folder = out / "2020"
    assert ".budgetdoc-files" not in first.stdout + first.stderr      # `make report` says what it said before
    manifest = (folder / MANIFEST).read_bytes()
    names = [f"{REPORT}.docx", f"{REPORT}.txt", f"{REPORT}.xlsx"]
    assert manifest == (HEADER + "".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n"
                                         for n in names)).encode("utf-8")
    report(out)
    assert (folder / MANIFEST).read_bytes() == manifest          # no time in it: the same build, the same bytes
    if shutil.which("sha256sum"):
        checked = subprocess.run(["sha256sum", "-c", MANIFEST], cwd=folder, capture_output=True, text=True)
        assert checked.returncode == 0 and len(checked.stdout.splitlines()) == 3, checked.stdout + checked.stderr


def test_the_manifest_keeps_what_another_report_of_the_folder_wrote(tmp_path, data_copy):
    out = tmp_path / "build"
    report(out)
    edit(data_copy / "2020" / "department.yaml", ("部门名称: 奈曼旗政务服务局", "部门名称: 奈曼旗财政局"))
    report(out, data_copy)
    recorded = read_manifest(out / "2020")
    assert sorted(recorded) == sorted(f"{name}2020年部门预算.{ext}" for name in (A, "奈曼旗财政局")
                                      for ext in ("docx", "xlsx", "txt"))
    (out / "2020" / f"{REPORT}.txt").unlink()      # a file deleted by hand is dropped from the record
    report(out, data_copy)
    assert f"{REPORT}.txt" not in read_manifest(out / "2020") and f"{REPORT}.docx" in read_manifest(out / "2020")


def test_a_unit_report_has_its_manifest_in_its_folder(tmp_path, data_copy):
    from repo import UNIT_CENTRE, split_into_units
    split_into_units(data_copy)
    out = tmp_path / "build"
    report(out, data_copy, "--unit", UNIT_CENTRE)
    assert sorted(read_manifest(out / "2020" / "单位")) == [f"{UNIT_CENTRE}2020年单位预算.{ext}"
                                                            for ext in ("docx", "txt", "xlsx")]


# ------------------------------------------------------------------ an edited output is kept


def test_a_content_edit_that_leaves_the_document_properties_alone_is_kept(tmp_path):
    """A python-docx script changes the text but not the last author, time or revision: still an edit."""
    import docx as python_docx

    from budgetdoc.writers.docx.package import edited_elsewhere
    out = tmp_path / "build"
    report(out)
    target = out / "2020" / f"{REPORT}.docx"
    fresh = target.read_bytes()
    document = python_docx.Document(str(target))
    document.add_paragraph("脚本补充的一段说明。")
    document.save(str(target))
    edited = target.read_bytes()
    assert not edited_elsewhere(edited, fresh)          # what the document properties alone would have missed
    again = report(out)
    assert f"注意：{target} 在生成后被修改过（例如在 Word/WPS 中）。修改稿已另存为 " in again.stderr
    (backup,) = kept(out / "2020", "docx")
    assert backup.read_bytes() == edited and target.read_bytes() == fresh
    assert backup.name not in (out / "2020" / MANIFEST).read_text("utf-8")     # a clerk's copy, not budgetdoc's


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
def test_a_report_rewritten_by_libreoffice_is_kept(tmp_path):
    out = tmp_path / "build"
    report(out)
    target = out / "2020" / f"{REPORT}.docx"
    converted = tmp_path / "converted"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx", "--outdir", str(converted), str(target)],
                   capture_output=True, check=True, timeout=180)
    fresh = target.read_bytes()
    shutil.copyfile(converted / target.name, target)
    edited = target.read_bytes()
    from budgetdoc.writers.docx.package import edited_elsewhere
    assert not edited_elsewhere(edited, fresh)          # LibreOffice keeps the properties as budgetdoc wrote them
    again = report(out)
    assert "在生成后被修改过" in again.stderr
    (backup,) = kept(out / "2020", "docx")
    assert backup.read_bytes() == edited


def test_an_xlsx_edited_in_excel_and_an_edited_txt_are_kept(tmp_path):
    import openpyxl
    out = tmp_path / "build"
    report(out)
    folder = out / "2020"
    book = openpyxl.load_workbook(folder / f"{REPORT}.xlsx")
    book.worksheets[0]["A1"] = "科员改过的标题"
    book.save(folder / f"{REPORT}.xlsx")
    text = folder / f"{REPORT}.txt"
    text.write_text(text.read_text("utf-8") + "手工加的一行。\n", "utf-8")
    report(tmp_path / "fresh")
    again = report(out)
    assert f"注意：{folder / REPORT}.xlsx 在生成后被修改过（例如在 Excel/WPS 中）。" in again.stderr
    assert "表格按数据重新生成" in again.stderr
    assert f"注意：{text} 在生成后被修改过（例如在文本编辑器中）。" in again.stderr
    (xlsx,) = kept(folder, "xlsx")
    assert openpyxl.load_workbook(xlsx).worksheets[0]["A1"].value == "科员改过的标题"
    (txt,) = kept(folder, "txt")
    assert txt.read_text("utf-8").endswith("手工加的一行。\n")
    for ext in ("docx", "xlsx", "txt"):         # the new files are the build's, byte for byte
        assert (folder / f"{REPORT}.{ext}").read_bytes() == (tmp_path / "fresh" / "2020" / f"{REPORT}.{ext}").read_bytes()


def test_new_data_replaces_untouched_files_without_a_copy(tmp_path, data_copy):
    out = tmp_path / "build"
    report(out, data_copy)
    before = (out / "2020" / f"{REPORT}.txt").read_bytes()
    change_a_figure(data_copy)
    again = report(out, data_copy)
    assert (out / "2020" / f"{REPORT}.txt").read_bytes() != before
    assert "注意：" not in again.stderr and not kept(out / "2020")
    assert sorted(p.name for p in (out / "2020").iterdir()) == [MANIFEST] + [f"{REPORT}.{ext}"
                                                                            for ext in ("docx", "txt", "xlsx")]


def test_files_from_before_the_manifest_fall_back_to_the_document_properties(tmp_path):
    """No record: a .docx or .xlsx an office program saved is kept; an untouched one, and any .txt, replaced."""
    import docx as python_docx
    import openpyxl
    out = tmp_path / "build"
    report(out)
    folder = out / "2020"
    (folder / MANIFEST).unlink()
    report(out)
    assert not kept(folder)                      # budgetdoc's own properties: not taken for an edit
    (folder / MANIFEST).unlink()
    document = python_docx.Document(str(folder / f"{REPORT}.docx"))
    document.core_properties.last_modified_by = "科员"
    document.save(str(folder / f"{REPORT}.docx"))
    book = openpyxl.load_workbook(folder / f"{REPORT}.xlsx")       # openpyxl saves its own time and author
    book.save(folder / f"{REPORT}.xlsx")
    (folder / f"{REPORT}.txt").write_text("旧版本的文本。\n", "utf-8")
    again = report(out)
    assert [p.suffix for p in kept(folder)] == [".docx", ".xlsx"]
    assert (folder / f"{REPORT}.txt").read_text("utf-8") != "旧版本的文本。\n"
    assert sorted(read_manifest(folder)) == [f"{REPORT}.{ext}" for ext in ("docx", "txt", "xlsx")]
    assert again.stderr.count("在生成后被修改过") == 2


def test_an_unreadable_report_is_a_chinese_error_and_nothing_is_written(tmp_path, monkeypatch):
    out = tmp_path / "build"
    report(out)
    target = out / "2020" / f"{REPORT}.docx"
    before = {p.name: p.read_bytes() for p in (out / "2020").iterdir()}
    real = Path.read_bytes

    def refused(path):
        if path == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refused)
    result = run("report", "2020", "--out", str(out))
    monkeypatch.undo()
    assert result.returncode == 1
    assert f"无法写入 {target}：没有写入 {target} 的权限" in result.stderr
    assert {p.name: p.read_bytes() for p in (out / "2020").iterdir()} == before


# ------------------------------------------------------------------ no stale output beside a new report


@pytest.fixture()
def fake_pdf(monkeypatch):
    """``--pdf`` without LibreOffice: each PDF is the DOCX's digest, so a new report has a new PDF."""
    import budgetdoc.pdf as pdf

    def to_pdf(documents):
        return {name: b"%PDF-1.4 " + hashlib.sha256(data).hexdigest().encode() for name, data in documents.items()}

    def convert(files, outdir):
        outdir.mkdir(parents=True, exist_ok=True)
        for f in files:
            (outdir / f"{f.stem}.pdf").write_bytes(b"%PDF-1.4 " + hashlib.sha256(f.read_bytes()).hexdigest().encode())
        return {f: outdir / f"{f.stem}.pdf" for f in files}

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "to_pdf", to_pdf)
    monkeypatch.setattr(pdf, "convert", convert)


def test_last_runs_pdf_is_removed_when_the_report_is_built_without_pdf(tmp_path, data_copy, fake_pdf):
    """The trial: report --pdf, change a figure and fix the totals, report without --pdf."""
    out = tmp_path / "build"
    report(out, data_copy, "--pdf")
    pdf = out / "2020" / f"{REPORT}.pdf"
    assert pdf.is_file() and pdf.name in read_manifest(out / "2020")
    change_a_figure(data_copy)
    again = report(out, data_copy)
    assert not pdf.exists() and not kept(out / "2020")
    assert again.stderr.count(f"{pdf}") == 1
    assert (f"已删除 {pdf}：这是上次生成的 PDF，这次没有生成 PDF（没有加 --pdf），留下它会被当作本次数据的报告。"
            "需要 PDF 时加 --pdf 重新生成。\n") in again.stderr
    assert sorted(read_manifest(out / "2020")) == [f"{REPORT}.{ext}" for ext in ("docx", "txt", "xlsx")]
    quiet = report(out, data_copy)                  # nothing left to say the next time
    assert "已删除" not in quiet.stderr and "注意：" not in quiet.stderr


def test_an_edited_pdf_left_from_before_is_set_aside_not_removed(tmp_path, fake_pdf):
    out = tmp_path / "build"
    report(out, DATA, "--pdf")
    pdf = out / "2020" / f"{REPORT}.pdf"
    pdf.write_bytes(pdf.read_bytes() + "\n% 盖章\n".encode())
    edited = pdf.read_bytes()
    again = report(out)
    (aside,) = kept(out / "2020", "pdf")
    assert not pdf.exists() and aside.read_bytes() == edited
    assert (f"注意：{pdf} 是上次生成的 PDF，生成后被修改过；这次没有生成 PDF（没有加 --pdf），为了不被当作本次数据的报告，"
            f"它已改名为 {aside.name}。需要 PDF 时加 --pdf 重新生成。") in again.stderr


def test_a_pdf_budgetdoc_has_no_record_of_is_set_aside_as_old(tmp_path):
    """A PDF from before the manifest (or put there by hand): not known to be budgetdoc's, so not deleted."""
    out = tmp_path / "build"
    report(out)
    pdf = out / "2020" / f"{REPORT}.pdf"
    pdf.write_bytes(b"%PDF-1.4 from an older budgetdoc")
    other = out / "2020" / "别的报告.pdf"
    other.write_bytes(b"%PDF-1.4 not this report's")
    again = report(out)
    (aside,) = (out / "2020").glob(f"{REPORT}（旧 *）.pdf")
    assert aside.read_bytes() == b"%PDF-1.4 from an older budgetdoc" and not pdf.exists()
    assert f"注意：{pdf} 不是这次生成的 PDF（没有加 --pdf），可能是旧数据的报告：它已改名为 {aside.name}" in again.stderr
    assert other.read_bytes() == b"%PDF-1.4 not this report's"        # another name: not this report's file


def test_a_stale_pdf_that_cannot_be_removed_is_said_so(tmp_path, fake_pdf, monkeypatch):
    out = tmp_path / "build"
    report(out, DATA, "--pdf")
    pdf = out / "2020" / f"{REPORT}.pdf"
    real = Path.unlink

    def refused(path, missing_ok=False):
        if path == pdf:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refused)
    again = report(out)
    monkeypatch.undo()
    assert pdf.is_file() and f"已生成：{out / '2020' / REPORT}.docx" in again.stdout
    assert (f"注意：{pdf} 是上次生成的 PDF，不是本次数据的报告，但无法删除或改名：没有写入 {pdf} 的权限，"
            "或文件正在 Word/WPS 中打开。关闭正在打开它的程序后重新运行，或手工删除它；在此之前不要发布它。") in again.stderr


def test_a_bureau_run_without_pdf_removes_each_departments_last_pdf(tmp_path, fake_pdf):
    from test_bureau import B, make_bureau
    make_bureau(tmp_path)
    first = run("report", "2020", "--all", "--pdf", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert first.returncode == 1          # 部门C has an error, as in every bureau test
    pdfs = sorted((tmp_path / "build" / "2020").glob("*/*.pdf"))
    assert len(pdfs) == 2
    again = run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert not any(p.exists() for p in pdfs)
    for p in pdfs:
        assert f"已删除 build/2020/{p.parent.name}/{p.name}：这是上次生成的 PDF" in again.stderr
    assert f"—— data/部门B（{B}）：已生成" in again.stderr
    assert [line.split()[-1] for line in again.stdout.splitlines()[1:3]] == ["3", "3"]
    assert sorted(read_manifest(tmp_path / "build" / "2020" / B)) == [f"{B}2020年部门预算.{e}"
                                                                      for e in ("docx", "txt", "xlsx")]


def test_an_edited_overview_is_kept_aside(tmp_path):
    import openpyxl
    from test_bureau import make_bureau
    make_bureau(tmp_path)
    run("report", "2020", "--all", "--jobs", "1", "--out", "build", cwd=tmp_path)
    overview = tmp_path / "build" / "2020" / "汇总.xlsx"
    book = openpyxl.load_workbook(overview)
    book["汇总"]["A1"] = "财政局改过的标题"
    book.save(overview)
    again = run("report", "2020", "--all", "--jobs", "1", "--out", "build", cwd=tmp_path)
    (aside,) = kept(overview.parent, "xlsx")
    assert openpyxl.load_workbook(aside)["汇总"]["A1"].value == "财政局改过的标题"
    assert f"注意：build/2020/汇总.xlsx 在生成后被修改过（例如在 Excel/WPS 中）。修改稿已另存为 {aside.name}" in again.stderr


# ------------------------------------------------------------------ review: a manifest that does not tell the truth


def test_a_write_refused_part_way_records_the_files_it_replaced(tmp_path, monkeypatch):
    """The .xlsx open in Excel (Windows refuses to replace it) after the .docx was replaced: the next run,
    with new data, must not say the .docx was edited, nor keep a copy of budgetdoc's own file."""
    import os

    from budgetdoc.problems import BudgetError
    from budgetdoc.reportfiles import write_report_files
    docx, xlsx = tmp_path / "r.docx", tmp_path / "r.xlsx"
    write_report_files({docx: b"docx 1", xlsx: b"xlsx 1"})
    real = os.replace

    def locked(src, dst):
        if Path(dst) == xlsx:
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst)
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(BudgetError):
        write_report_files({docx: b"docx 2", xlsx: b"xlsx 2"})
    monkeypatch.setattr(os, "replace", real)
    assert docx.read_bytes() == b"docx 2"           # what the failed run left (the rename is not undone)
    again = write_report_files({docx: b"docx 3", xlsx: b"xlsx 3"})
    assert again.notices == [] and sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "r.docx", "r.xlsx"]


def test_an_unreadable_manifest_keeps_every_file_it_would_replace(tmp_path):
    """Saved in Notepad as “Unicode”: nothing can be told, so an edited .txt or .pdf is not overwritten."""
    from budgetdoc.reportfiles import write_report_files
    files = {tmp_path / "r.docx": b"d1", tmp_path / "r.txt": b"t1", tmp_path / "r.pdf": b"p1"}
    write_report_files(files)
    (tmp_path / "r.txt").write_bytes("t1 和科员的补充".encode())
    manifest = tmp_path / MANIFEST
    manifest.write_text(manifest.read_text("utf-8"), "utf-16")
    assert read_manifest(tmp_path) is None
    done = write_report_files({tmp_path / "r.docx": b"d2", tmp_path / "r.txt": b"t2"})
    copies = {p.suffix: p.read_bytes() for p in tmp_path.glob("r（*）.*")}
    assert copies == {".docx": b"d1", ".txt": "t1 和科员的补充".encode(), ".pdf": b"p1"}
    assert any(f"{manifest} 无法读取" in notice for notice in done.notices)
    assert sorted(read_manifest(tmp_path)) == ["r.docx", "r.txt"]     # and the record is good again


def test_a_name_with_a_unicode_line_separator_is_read_back(tmp_path):
    from budgetdoc.reportfiles import write_report_files
    target = tmp_path / "部门\u2028预算.txt"
    write_report_files({target: b"a"})
    assert list(read_manifest(tmp_path)) == [target.name]
    target.write_bytes(b"a, edited")
    done = write_report_files({target: b"b"})
    assert len(done.notices) == 1 and "在生成后被修改过" in done.notices[0]
