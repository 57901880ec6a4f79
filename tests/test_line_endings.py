"""fix-totals, import and new-year keep each data file's own form: CRLF stays CRLF, LF stays LF, a BOM stays.

A clerk on Windows may save the YAML with CRLF line endings (and Notepad may add a UTF-8 BOM). The
round-trip editor must write such a file back in the same form, or ``git diff`` shows every line of it
changed.  Each command runs twice, on an LF copy of data/ and on a copy where most files are CRLF
(two with a BOM, one left LF): the second result must be the first in each file's own form, byte for
byte, and a line the command did not change must not differ at all.
"""

from __future__ import annotations

import codecs
import difflib
import shutil
from pathlib import Path

from cases.casekit import budgetdoc_in_process
from cases.importkit import report_xlsx
from repo import DATA, EXAMPLE
from test_import import NOT_IN_THE_TABLES, change_every_figure

KEPT_LF = {"income.yaml"}                         # one file stays LF in the CRLF copy
WITH_BOM = {"expenditure.yaml", "department.yaml"}


def form(name: str, data: bytes) -> bytes:
    """``data`` (LF, no BOM) in the form the CRLF copy gives file ``name``."""
    if name not in KEPT_LF:
        data = data.replace(b"\n", b"\r\n")
    if name in WITH_BOM:
        data = codecs.BOM_UTF8 + data
    return data


def windows_copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target)
    for path in target.rglob("*.yaml"):
        path.write_bytes(form(path.name, path.read_bytes()))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def edit_bytes(path: Path, old: str, new: str) -> None:
    data = path.read_bytes()
    assert data.count(old.encode()) == 1, old
    path.write_bytes(data.replace(old.encode(), new.encode()))


def changed_lines(before: bytes, after: bytes) -> list[bytes]:
    """The lines a diff shows (removed and added), each with its line ending."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    out: list[bytes] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            out += old[i1:i2] + new[j1:j2]
    return out


def assert_in_own_form(lf: dict[str, bytes], windows: dict[str, bytes]) -> None:
    assert lf.keys() == windows.keys()
    for name, data in lf.items():
        file = Path(name).name
        assert windows[name] == form(file, data), name
        lines = windows[name].splitlines(keepends=True)
        if file in KEPT_LF:
            assert not any(line.endswith(b"\r\n") for line in lines), name
        else:
            assert all(line.endswith(b"\r\n") for line in lines), name
        assert windows[name].startswith(codecs.BOM_UTF8) == (file in WITH_BOM), name


def copy_as(kind: str, source: Path, data: Path) -> None:
    """``source`` copied to ``data`` as it is (``lf``) or as a Windows editor would have saved it (``windows``)."""
    if kind == "lf":
        shutil.copytree(source, data)
    else:
        windows_copy(source, data)


def test_fix_totals_keeps_each_files_line_endings_and_bom(tmp_path: Path):
    results = {}
    for kind in ("lf", "windows"):
        data = tmp_path / kind / "data"
        copy_as(kind, DATA, data)
        edit_bytes(data / "2020" / "expenditure.yaml", "  人员经费: 122.41", "  人员经费: 122.51")
        edit_bytes(data / "2020" / "functions.yaml", "    金额: 110.91", "    金额: 111.01")
        before = snapshot(data)
        run = budgetdoc_in_process(["fix-totals", "2020", "--data", str(data)], tmp_path)
        assert run.returncode == 0 and "共 4 处改动。" in run.stdout, run.stderr + run.stdout
        results[kind] = (before, snapshot(data))
    assert_in_own_form(results["lf"][1], results["windows"][1])
    before, after = results["windows"]
    assert changed_lines(before["2020/expenditure.yaml"], after["2020/expenditure.yaml"]) == [     # git diff: 2 lines
        "合计: 176.65\r\n".encode(), "合计: 176.75\r\n".encode(),
        "  合计: 129.91\r\n".encode(), "  合计: 130.01\r\n".encode()]
    assert len(changed_lines(before["2020/income.yaml"], after["2020/income.yaml"])) == 4     # 合计, 一般公共预算 (LF)
    unchanged = [name for name in before if name != "2020/expenditure.yaml" and name != "2020/income.yaml"]
    assert all(before[name] == after[name] for name in unchanged)


def test_import_keeps_each_files_line_endings_and_bom(tmp_path: Path):
    export = tmp_path / "公开表.xlsx"
    export.write_bytes(report_xlsx())
    results = {}
    for kind in ("lf", "windows"):
        changed = tmp_path / kind / "changed"
        shutil.copytree(DATA, changed)
        change_every_figure(changed / "2020", NOT_IN_THE_TABLES)
        data = tmp_path / kind / "data"
        copy_as(kind, changed, data)
        before = snapshot(data)
        run = budgetdoc_in_process(["import", str(export), "2020", "--data", str(data)], tmp_path)
        assert run.returncode == 0, run.stderr + run.stdout
        results[kind] = (before, snapshot(data), run.stdout)
    assert_in_own_form(results["lf"][1], results["windows"][1])
    # the figures came back: the files are the repository's own, in the copy's form
    assert results["windows"][1] == {name: form(Path(name).name, data) for name, data in snapshot(DATA).items()}
    # a file the import did not change is not rewritten (nor listed as written)
    before, after, stdout = results["windows"]
    assert "department.yaml" not in stdout and after["2020/department.yaml"] == before["2020/department.yaml"]
    assert results["lf"][2].replace("lf/", "windows/") == results["windows"][2]


def test_new_year_keeps_each_files_line_endings_and_bom(tmp_path: Path):
    results = {}
    for kind in ("lf", "windows"):
        data = tmp_path / kind / "data"
        copy_as(kind, DATA, data)
        run = budgetdoc_in_process(["new-year", "2021", "--data", str(data)], tmp_path)
        assert run.returncode == 0, run.stderr + run.stdout
        results[kind] = {name: data for name, data in snapshot(data).items() if name.startswith("2021/")}
    assert_in_own_form(results["lf"], results["windows"])
    glossary = results["windows"]["2021/glossary.yaml"]
    assert glossary == (tmp_path / "windows" / "data" / "2020" / "glossary.yaml").read_bytes()   # nothing to change
    old = (tmp_path / "windows" / "data" / "2020" / "department.yaml").read_bytes()
    assert changed_lines(old, results["windows"]["2021/department.yaml"]) == [
        "年度: 2020                  # 必须与文件夹名一致\r\n".encode(),
        "年度: 2021                  # 必须与文件夹名一致\r\n".encode()]


def test_an_import_into_a_new_year_keeps_the_form_of_the_year_before(tmp_path: Path):
    """A year made by the import (as new-year makes it) is written in the form of the year before's files."""
    results = {}
    for kind in ("lf", "windows"):
        data = tmp_path / kind / "data"
        if kind == "lf":
            shutil.copytree(EXAMPLE, data)
        else:
            windows_copy(EXAMPLE, data)
        shutil.rmtree(data / "2021")
        # as in test_import: 2020's 机关运行经费 has a car line above 2021's 三公 budget
        edit_bytes(data / "2020" / "operating_costs.yaml", "    金额: 6.00    ", "    金额: 5.60    ")
        export = tmp_path / "2021.xlsx"
        export.write_bytes(report_xlsx("examples/demo", 2021))
        run = budgetdoc_in_process(["import", str(export), "2021", "--data", str(data)], tmp_path)
        assert run.returncode == 0, run.stderr + run.stdout
        results[kind] = {name: data for name, data in snapshot(data).items() if name.startswith("2021/")}
    assert_in_own_form(results["lf"], results["windows"])


def test_a_utf16_file_stays_utf16(tmp_path: Path):
    """Notepad's “Unicode” (UTF-16 LE with its BOM, CRLF) is read with a warning, and written back so."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    income = data / "2020" / "income.yaml"
    text = income.read_text("utf-8")
    income.write_bytes(codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"))
    edit_bytes(data / "2020" / "expenditure.yaml", "  人员经费: 122.41", "  人员经费: 122.51")
    edit_bytes(data / "2020" / "functions.yaml", "    金额: 110.91", "    金额: 111.01")
    run = budgetdoc_in_process(["fix-totals", "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 0 and "data/2020/income.yaml:6: 收入 合计：176.65 → 176.75" in run.stdout, run.stderr
    expected = text.replace("合计: 176.65", "合计: 176.75").replace("一般公共预算拨款收入: 176.65", "一般公共预算拨款收入: 176.75")
    assert income.read_bytes() == codecs.BOM_UTF16_LE + expected.replace("\n", "\r\n").encode("utf-16-le")
