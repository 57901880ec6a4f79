"""A finance bureau's departments in one run: ``budgetdoc report YEAR --all`` (budgetdoc.batch).

The bureau is made in the test from the repository's own data: 部门A is
data/ (2019 and 2020), 部门B the example department (examples/demo), 部门C
a copy of data/ renamed, with a broken total.  Runs use two processes, so
the pool is exercised, and few departments, so they stay fast.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budgetdoc.manifest import MANIFEST
from cases.casekit import budgetdoc_in_process
from repo import DATA, EXAMPLE, TEMPLATES, UNIT_CENTRE, UNIT_MAIN, edit, split_into_units

A, B, C = "奈曼旗政务服务局", "示例县文化旅游体育局", "奈曼旗财政局"


def make_bureau(root: Path) -> Path:
    data = root / "data"
    shutil.copytree(DATA, data / "部门A")
    shutil.copytree(EXAMPLE, data / "部门B", ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(DATA, data / "部门C")
    edit(data / "部门C" / "2020" / "department.yaml", ("部门名称: 奈曼旗政务服务局", f"部门名称: {C}"))
    edit(data / "部门C" / "2020" / "income.yaml", ("合计: 176.65", "合计: 176.66"))
    return data


def run(*args: str, cwd: Path):
    result = budgetdoc_in_process(args, cwd)
    assert "Traceback" not in result.stderr + result.stdout and "内部错误" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def bureau_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bureau")
    make_bureau(root)
    return root, run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=root)


def test_every_department_builds_but_the_broken_one(bureau_run):
    root, result = bureau_run
    assert result.returncode == 1
    out = root / "build" / "2020"
    assert sorted(p.name for p in out.iterdir()) == sorted([A, B, "汇总.xlsx", MANIFEST])     # 部门C wrote nothing
    for name in (A, B):
        assert sorted(p.name for p in (out / name).iterdir()) == [MANIFEST] + [f"{name}2020年部门预算.{ext}"
                                                                               for ext in ("docx", "txt", "xlsx")]
    from budgetdoc.pipeline import build_year
    assert (out / A / f"{A}2020年部门预算.docx").read_bytes() == build_year(DATA, 2020).docx
    assert (out / B / f"{B}2020年部门预算.docx").read_bytes() == build_year(EXAMPLE, 2020).docx


def test_the_summary_table_and_the_broken_departments_messages(bureau_run):
    _, result = bureau_run
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["部门", "部门名称", "结果", "错误", "警告", "写出文件"]
    assert [line.split() for line in lines[1:4]] == [["部门A", A, "已生成", "0", "0", "3"],
                                                     ["部门B", B, "已生成", "0", "1", "3"],
                                                     ["部门C", C, "有错误", "2", "0", "0"]]
    assert lines[4] == "共 3 个部门：2 个已生成，1 个有错误（没有生成或修改任何文件，见上方说明）。"
    assert lines[5] == "已生成汇总：build/2020/汇总.xlsx（各部门的数字和发现的全部问题）"
    assert f"—— data/部门C（{C}）：有错误，没有生成或修改任何文件" in result.stderr
    assert "data/部门C/2020/income.yaml:6:5: 错误 [收入合计] 收入合计 176.66 ≠ 各项收入之和 176.65" in result.stderr
    assert "data/部门B/2020: 警告 [上年数据] 没有找到上年数据文件夹 data/部门B/2019" in result.stderr
    assert "提示 [" not in result.stderr         # the notes are in 汇总.xlsx, not on the screen


def test_the_overview_has_a_row_per_department_and_every_problem(bureau_run):
    root, _ = bureau_run
    book = openpyxl.load_workbook(root / "build" / "2020" / "汇总.xlsx")
    assert book.sheetnames == ["汇总", "问题"]
    sheet = book["汇总"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    headings = [c.value for c in sheet[2]]
    assert headings[:7] == ["部门（文件夹）", "部门名称", "结果", "错误", "警告", "提示", "收入合计"]
    col = {h: i for i, h in enumerate(headings) if h}
    assert [r[:6] for r in rows] == [["部门A", A, "已生成", 0, 0, 5], ["部门B", B, "已生成", 0, 1, 0],
                                     ["部门C", C, "有错误", 2, 0, 5], ["", "合计", "2 个部门（不含有错误的 1 个）", 2, 1, 10]]

    def figure(row, heading, offset=0):
        value = rows[row][col[heading] + offset]
        return None if value is None else Decimal(str(value))

    # 部门A: the figures of data/2020 and their change against data/2019, as the report says them
    assert (figure(0, "收入合计"), figure(0, "收入合计", 1), figure(0, "收入合计", 2)) == (
        Decimal("176.65"), Decimal("-28.03"), Decimal("-13.69"))
    assert (figure(0, "基本支出"), figure(0, "项目支出"), figure(0, "财政拨款")) == (
        Decimal("129.91"), Decimal("46.74"), Decimal("176.65"))
    assert (figure(0, "“三公”经费"), figure(0, "运行维护费"), figure(0, "机关运行经费"), figure(0, "政府采购")) == (
        Decimal("1.5"), Decimal("1.5"), Decimal("54.24"), Decimal("0"))
    assert figure(0, "基本支出", 1) is None         # data/2019 has no 基本支出: the change is left blank
    # 部门B has no year before; 部门C no figures; the total is the two that built
    assert figure(1, "收入合计") == Decimal("637.53") and figure(1, "收入合计", 1) is None
    assert all(v is None for v in rows[2][6:])
    assert figure(3, "收入合计") == Decimal("176.65") + Decimal("637.53") and figure(3, "收入合计", 1) is None
    problems = [[c.value for c in row] for row in book["问题"].iter_rows(min_row=3)]
    assert ["部门C", C, "错误", "收入合计", "data/部门C/2020/income.yaml:6:5"] in [p[:5] for p in problems]
    assert ["部门B", B, "警告", "上年数据", "data/部门B/2020"] in [p[:5] for p in problems]
    assert sum(1 for p in problems if p[0] == "部门A" and p[2] == "提示") == 5


def test_the_overview_is_the_same_bytes_every_time(bureau_run, tmp_path):
    root, _ = bureau_run
    again = run("report", "2020", "--all", "--jobs", "1", "--out", str(tmp_path), cwd=root)
    assert again.returncode == 1
    assert (tmp_path / "2020" / "汇总.xlsx").read_bytes() == (root / "build" / "2020" / "汇总.xlsx").read_bytes()
    assert again.stdout.replace(str(tmp_path), "build") == _bureau_stdout(root)


def _bureau_stdout(root: Path) -> str:
    return run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=root).stdout


def test_one_department_of_a_bureau(tmp_path):
    make_bureau(tmp_path)
    result = run("report", "2020", "--dept", "部门B", "--out", "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "build" / "2020" / B
    assert result.stdout.splitlines()[:3] == [f"已生成：build/2020/{B}/{B}2020年部门预算.{ext}"
                                              for ext in ("docx", "xlsx", "txt")]
    assert sorted(p.name for p in (tmp_path / "build" / "2020").iterdir()) == [B]
    assert len(list(folder.iterdir())) == 3 + 1           # and the manifest
    broken = run("report", "2020", "--dept", "部门C", "--out", "build", cwd=tmp_path)
    assert broken.returncode == 1 and "发现 2 个错误，0 个警告。没有生成或修改任何文件。" in broken.stderr
    assert "包含它的各级合计要一起改" in broken.stderr
    unknown = run("report", "2020", "--dept", "部门", "--out", "build", cwd=tmp_path)
    assert unknown.returncode == 1
    assert "错误 [部门] data 中没有部门“部门”。" in unknown.stderr and "有的部门：部门A、部门B、部门C。" in unknown.stderr


def test_a_bureau_needs_a_department_or_all(tmp_path):
    make_bureau(tmp_path)
    result = run("report", "2020", "--out", "build", cwd=tmp_path)
    assert result.returncode == 1 and not (tmp_path / "build").exists()
    assert "错误 [部门] data 中是按部门存放的数据（部门A、部门B、部门C，共 3 个部门）" in result.stderr
    assert "budgetdoc report 2020 --dept 部门A" in result.stderr and "budgetdoc report 2020 --all" in result.stderr


def test_two_departments_of_one_name_are_both_refused(tmp_path):
    data = make_bureau(tmp_path)
    edit(data / "部门C" / "2020" / "department.yaml", (f"部门名称: {C}", f"部门名称: {A}"))
    edit(data / "部门C" / "2020" / "income.yaml", ("合计: 176.66", "合计: 176.65"))
    result = run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert result.returncode == 1
    assert sorted(p.name for p in (tmp_path / "build" / "2020").iterdir()) == sorted([B, "汇总.xlsx", MANIFEST])
    assert (f"data/部门A/2020/department.yaml: 错误 [部门] data/部门A、data/部门C 的部门名称都是“{A}”，"
            f"报告会写进同一个文件夹 build/2020/{A}，这几个部门都不能生成报告。") in result.stderr


def test_all_builds_each_budget_unit_too(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data / "部门A")
    split_into_units(data / "部门A")
    result = run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "build" / "2020" / A
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.docx")) == [
        f"单位/{UNIT_CENTRE}2020年单位预算.docx", f"单位/{UNIT_MAIN}2020年单位预算.docx", f"{A}2020年部门预算.docx"]
    assert result.stdout.splitlines()[1].split() == ["部门A", A, "已生成", "0", "2", "9"]   # 2: no 2019 for the units
    only = run("report", "2020", "--dept", "部门A", "--unit", UNIT_CENTRE, "--out", "unit", cwd=tmp_path)
    assert only.returncode == 0, only.stderr
    assert sorted(p.name for p in (tmp_path / "unit" / "2020" / A).rglob("*.docx")) == [f"{UNIT_CENTRE}2020年单位预算.docx"]


def test_a_unit_error_stops_its_department_only(tmp_path):
    data = make_bureau(tmp_path)
    split_into_units(data / "部门A")
    edit(data / "部门A" / "2020" / "units" / UNIT_CENTRE / "department.yaml",
         (f"部门名称: {UNIT_CENTRE}", "部门名称: 奈曼旗政务大厅"))
    result = run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert result.returncode == 1
    assert sorted(p.name for p in (tmp_path / "build" / "2020").iterdir()) == sorted([B, "汇总.xlsx", MANIFEST])
    assert f"data/部门A/2020/units/{UNIT_CENTRE}/department.yaml:5:7: 错误 [预算单位]" in result.stderr


def test_bureau_wide_house_files_and_a_departments_own(tmp_path):
    data = make_bureau(tmp_path)
    shutil.rmtree(data / "部门C")
    # a bureau-wide glossary for a department without one, and bureau-wide templates
    (data / "glossary.yaml").write_text("名词解释:\n  - 名词: 全局名词\n    解释: 财政局统一的解释。\n", "utf-8")
    (data / "部门A" / "2020" / "glossary.yaml").unlink()
    shutil.copytree(TEMPLATES, data / "templates")
    part = data / "templates" / "part5_contact.j2"
    part.write_text(part.read_text("utf-8") + "\n本局统一的一句。\n", "utf-8")
    # 部门B keeps its own templates and house style
    shutil.copytree(TEMPLATES, data / "部门B" / "templates")
    (data / "部门B" / "style.yaml").write_text("body:\n  size_pt: 15\n", "utf-8")
    result = run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / "2020"
    text_a = (out / A / f"{A}2020年部门预算.txt").read_text("utf-8")
    text_b = (out / B / f"{B}2020年部门预算.txt").read_text("utf-8")
    assert "全局名词" in text_a and "本局统一的一句。" in text_a
    assert "全局名词" not in text_b and "本局统一的一句。" not in text_b
    import zipfile
    styles_b = zipfile.ZipFile(out / B / f"{B}2020年部门预算.docx").read("word/styles.xml").decode()
    styles_a = zipfile.ZipFile(out / A / f"{A}2020年部门预算.docx").read("word/styles.xml").decode()
    assert '<w:sz w:val="30"/>' in styles_b and '<w:sz w:val="30"/>' not in styles_a      # 15 pt body


def test_ctrl_c_writes_nothing_more_and_nothing_half(tmp_path, monkeypatch):
    """A department is written whole or not at all; after Ctrl-C no other department starts."""
    import budgetdoc.batch as batch
    make_bureau(tmp_path)
    edit(tmp_path / "data" / "部门C" / "2020" / "income.yaml", ("合计: 176.66", "合计: 176.65"))
    real = batch.build_department
    started = []

    def interrupted(dept, name, options):
        started.append(dept.key)
        if len(started) == 2:
            raise KeyboardInterrupt
        return real(dept, name, options)

    monkeypatch.setattr(batch, "build_department", interrupted)
    result = run("report", "2020", "--all", "--jobs", "1", "--out", "build", cwd=tmp_path)
    assert result.returncode == 130
    assert "已中断：1 个部门已生成，其余部门没有生成或修改任何文件。" in result.stderr
    out = tmp_path / "build" / "2020"
    assert len(started) == 2 and len(list(out.iterdir())) == 1        # no 汇总.xlsx: the run is not complete
    (folder,) = out.iterdir()
    assert len(list(folder.iterdir())) == 3 + 1           # and the manifest


def test_ctrl_c_while_files_are_renamed_waits_for_the_last_one(tmp_path):
    import os
    import signal

    from budgetdoc.batch import held_interrupt
    from budgetdoc.output import write_outputs
    files = {tmp_path / f"{n}.txt": b"x" for n in range(3)}
    with pytest.raises(KeyboardInterrupt):
        with held_interrupt():
            os.kill(os.getpid(), signal.SIGINT)
            write_outputs(files)
    assert all(p.read_bytes() == b"x" for p in files)


def test_the_progress_bar_is_drawn_on_a_terminal_only():
    import io

    from budgetdoc.batch import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen, log = Terminal(), io.StringIO()
    for stream in (screen, log):
        bar = Progress(3, stream)
        bar.update(2, "部门B")
        bar.clear()
    assert "生成报告 [████████████████░░░░░░░░] 2/3 部门B" in screen.getvalue() and log.getvalue() == ""


def doc_example(rule: str) -> str:
    """The printed example under ``### [rule]`` in docs/checks.md."""
    import re

    from repo import ROOT
    text = (ROOT / "docs" / "checks.md").read_text("utf-8")
    section = text.split(f"### [{rule}]\n", 1)[1].split("\n### ", 1)[0]
    return re.search(r"```text\n(.*?)\n```", section, re.S).group(1)


def test_docs_show_what_a_bureau_without_a_department_prints(tmp_path):
    make_bureau(tmp_path)
    result = run("report", "2020", cwd=tmp_path)
    assert doc_example("部门") in result.stderr


def test_a_department_without_the_year_is_skipped_and_a_year_no_one_has_is_an_error(tmp_path):
    make_bureau(tmp_path)
    later = run("report", "2021", "--all", "--jobs", "1", "--out", "build", cwd=tmp_path)
    assert later.returncode == 0, later.stderr
    assert "提示：部门A、部门C 没有 2021 年的数据，已跳过。" in later.stderr
    assert sorted(p.name for p in (tmp_path / "build" / "2021").iterdir()) == sorted([B, "汇总.xlsx", MANIFEST])
    none = run("report", "1999", "--all", "--out", "build", cwd=tmp_path)
    assert none.returncode == 1 and not (tmp_path / "build" / "1999").exists()
    assert "错误 [年份] data 中没有哪个部门有 1999 年的数据（data/<部门>/1999/）。" in none.stderr
    assert "各部门有的年份：2019、2020、2021。" in none.stderr


def test_check_and_pre_commit_in_a_bureau(tmp_path):
    data = make_bureau(tmp_path)
    split_into_units(data / "部门A")
    for name in ("income.yaml", "expenditure.yaml", "functions.yaml", "three_public.yaml", "operating_costs.yaml",
                 "procurement.yaml", "assets.yaml"):
        (data / "部门A" / "2020" / name).unlink()       # 部门A's figures are its units'
    checked = run("check", "2020", "--dept", "部门A", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    # the units' sums change against 2019 with no 变动原因 anywhere (units' reasons are theirs, not the department's)
    assert checked.stdout == "data/部门A/2020：检查通过（0 个错误，6 个警告，5 个提示）。\n"
    assert ("data/部门A/2020/income.yaml（各单位之和）: 警告 [变动原因] 收入合计比上年减少 28.03 万元（204.68 → 176.65），"
            "没有写变动原因。\n    处理办法：部门的income.yaml由各单位汇总，部门自己没有这个文件：在部门的年度文件夹中放一份 "
            "income.yaml（数字照各单位之和填写，会逐项核对），在这个文件中加一行“变动原因: …”") in checked.stderr
    refused = run("check", "2020", cwd=tmp_path).stderr
    assert "错误 [部门]" in refused
    assert ("处理办法：检查一个部门：budgetdoc check 2020 --dept 部门A；检查全部部门：budgetdoc check 2020 --all"
            "（或 make check-all YEAR=2020）。") in refused
    hook = run("pre-commit", f"data/部门A/2020/units/{UNIT_CENTRE}/income.yaml", "data/部门B/2021/income.yaml",
               "data/部门C/2019/income.yaml", "data/glossary.yaml", cwd=tmp_path)
    assert hook.returncode == 1
    # the bureau's glossary.yaml serves every department: each one's latest year is built with it
    assert hook.stdout.splitlines() == ["data/部门A/2020：模板、文风和名词解释生成报告通过（0 个错误，6 个警告，5 个提示）。",
                                        "data/部门B/2021：模板、文风和名词解释生成报告通过（0 个错误，0 个警告）。"]
    assert "data/部门C/2020/income.yaml:6:5: 错误 [收入合计]" in hook.stderr      # 2019 changed: 2020 reads it
    assert "部门C 2020 年的数据有错误（2 个错误，0 个警告）：提交没有完成。" in hook.stderr


def test_the_pre_commit_hook_passes_a_bureaus_files():
    import re

    import yaml

    from repo import ROOT
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    files = re.compile(hook["files"])
    for path in ("data/2020/income.yaml", "data/部门A/2020/income.yaml", "data/部门A/2020/units/本级/income.yml",
                 f"data/2020/units/{UNIT_CENTRE}/assets.yaml"):
        assert files.search(path), path
    for path in ("data/部门A/README.md", "data/部门A/style.yaml/x", "docs/data/2020/x.yaml", "data/a/b/2020/x.yaml"):
        assert not files.search(path), path


def test_a_report_edited_in_word_is_kept_aside_in_a_bureau_run(tmp_path):
    import docx as python_docx
    make_bureau(tmp_path)
    assert run("report", "2020", "--all", "--jobs", "1", "--out", "build", cwd=tmp_path).returncode == 1
    target = tmp_path / "build" / "2020" / B / f"{B}2020年部门预算.docx"
    fresh = target.read_bytes()
    document = python_docx.Document(str(target))
    document.add_paragraph("科员在 Word 中补充的一段。")
    document.core_properties.last_modified_by = "科员"
    document.save(str(target))
    again = run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert f"注意：build/2020/{B}/{B}2020年部门预算.docx 在生成后被修改过（例如在 Word/WPS 中）" in again.stderr
    (kept,) = (tmp_path / "build" / "2020" / B).glob("*已修改*.docx")
    assert "科员在 Word 中补充的一段。" in "\n".join(p.text for p in python_docx.Document(str(kept)).paragraphs)
    assert target.read_bytes() == fresh
    assert again.stdout.splitlines()[2].split()[-1] == "4"       # the copy is one of the files written


def test_the_warm_up_makes_what_the_workers_build_with(tmp_path):
    """Forked workers share the parent's compiled templates only when warm-up made them under the build's key."""
    from budgetdoc.batch import Options, _warm_up
    from budgetdoc.narrate import _environment_once
    from budgetdoc.pipeline import build_year
    _environment_once.cache_clear()
    _warm_up(Options(year=2020, out=tmp_path))
    made = _environment_once.cache_info().misses
    build_year(DATA, 2020)
    info = _environment_once.cache_info()
    assert info.misses == made and info.hits >= 1


def test_a_failed_department_with_last_runs_files_is_told_they_are_not_this_data(tmp_path):
    """部门A built fine yesterday; today its data is broken: its old report is still in the folder, and said so."""
    data = make_bureau(tmp_path)
    assert run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path).returncode == 1   # 部门C
    old = {p: p.read_bytes() for p in (tmp_path / "build" / "2020" / A).iterdir()}
    edit(data / "部门A" / "2020" / "income.yaml", ("合计: 176.65", "合计: 176.66"))
    result = run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert result.returncode == 1
    assert (f"注意：data/部门A 这次有错误，上次生成的文件仍在 build/2020/{A}/，不是本次数据的报告："
            "改正错误、重新生成之前，不要发布或报送其中的文件。") in result.stdout
    assert {p: p.read_bytes() for p in (tmp_path / "build" / "2020" / A).iterdir()} == old     # left as they were
    sheet = openpyxl.load_workbook(tmp_path / "build" / "2020" / "汇总.xlsx").worksheets[0]
    assert "有错误（旧文件仍在）" in [cell.value for row in sheet.iter_rows() for cell in row]
    # 部门C never built: nothing of an earlier run, nothing said
    assert "data/部门C 这次有错误" not in result.stdout and "共 3 个部门：1 个已生成，2 个有错误" in result.stdout
    one = run("report", "2020", "--dept", "部门A", "--out", "build", cwd=tmp_path)
    assert one.returncode == 1 and f"上次生成的文件仍在 build/2020/{A}/" in one.stderr


def test_a_year_folder_beside_department_folders_is_refused_by_every_command(tmp_path):
    """A clerk who made data/2020/ beside data/部门A/: no command reads one kind and silently drops the other."""
    data = make_bureau(tmp_path)
    shutil.copytree(DATA / "2020", data / "2020")
    expected = ("data/2020: 错误 [部门] data 中既有年份文件夹（2020），又有部门文件夹（部门A、部门B、部门C）："
                "一个数据目录只能用一种存放方式，否则一部分数据会被漏掉。")
    for args in (("report", "2020", "--all"), ("report", "2020"), ("check", "2020"), ("fix-totals", "2020"),
                 ("new-year", "2021"), ("pre-commit", "data/2020/income.yaml")):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 1 and expected in result.stderr, (args, result.stderr)
        assert "把 data/2020/ 移进它所属部门的文件夹（如 data/部门A/2020/）" in result.stderr
    assert not (tmp_path / "build").exists() and not (data / "2021").exists()


@pytest.mark.parametrize("args, hint", [
    (("fix-totals", "2020"), "重算一个部门的合计：用 --dept 写这个部门，如 budgetdoc fix-totals 2020 --dept 部门A（或 --data data/部门A）。"),
    (("new-year", "2021"), "建立一个部门的新年度：用 --dept 写这个部门，如 budgetdoc new-year 2021 --dept 部门A（或 --data data/部门A）。"),
    (("import", "批复.xlsx", "2020"),
     "导入一个部门的数字：用 --dept 写这个部门，如 budgetdoc import 批复.xlsx 2020 --dept 部门A（或 --data data/部门A）。"),
])
def test_the_commands_that_edit_one_department_say_to_name_its_folder(tmp_path, args, hint):
    make_bureau(tmp_path)
    (tmp_path / "批复.xlsx").write_bytes(b"")
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 1 and "data 中是按部门存放的数据（部门A、部门B、部门C，共 3 个部门）" in result.stderr
    assert hint in result.stderr, result.stderr


def test_a_report_left_in_the_year_folder_from_the_one_department_layout_is_pointed_out(tmp_path):
    """The clerk built data/2020 alone once, then moved to data/<部门>/: --all never writes into build/2020/ itself."""
    make_bureau(tmp_path)
    old = tmp_path / "build" / "2020" / f"{A}2020年部门预算.docx"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"an earlier report")
    result = run("report", "2020", "--all", "--jobs", "2", "--out", "build", cwd=tmp_path)
    assert (f"注意：build/2020/ 中还有 {A}2020年部门预算.docx，不是这次生成的（--all 把每个部门写进 build/2020/<部门名称>/），"
            "可能是数据按部门存放之前生成的旧报告") in result.stderr, result.stderr
    assert old.read_bytes() == b"an earlier report"       # pointed out, never removed


def test_all_in_a_one_department_data_folder_does_not_call_its_own_reports_loose(tmp_path):
    """Without departments, --all writes the one department's reports into build/2020/ itself: they are this run's."""
    shutil.copytree(DATA, tmp_path / "data")
    result = run("report", "2020", "--all", "--out", "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "2020" / "汇总.xlsx").is_file()
    assert "不是这次生成的" not in result.stderr + result.stdout, result.stderr


def test_check_all_checks_every_department_and_lists_the_results(tmp_path):
    """A 财政局 checks every department without building a report: each one's problems, then a line each."""
    make_bureau(tmp_path)
    result = run("check", "2020", "--all", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["部门   结果    错误  警告",
                                          "部门A  通过       0     0",
                                          "部门B  通过       0     1",
                                          "部门C  有错误     2     0",
                                          "共 3 个部门：2 个通过，1 个有错误（见上方说明）。"]
    assert "—— data/部门C：有错误\ndata/部门C/2020/income.yaml:6:5: 错误 [收入合计] 收入合计 176.66 ≠" in result.stderr
    assert "data/部门B/2020: 警告 [上年数据] 没有找到上年数据文件夹 data/部门B/2019" in result.stderr
    assert "提示：改动一个金额后" in result.stderr
    assert not (tmp_path / "build").exists()
    later = run("check", "2021", "--all", cwd=tmp_path)
    assert later.returncode == 0, later.stderr
    assert "提示：部门A、部门C 没有 2021 年的数据，已跳过。" in later.stderr
    # the departments without the year stay in the table, so no one reads it as all departments passed
    assert later.stdout.splitlines()[1:] == ["部门A  跳过（没有2021年数据）", "部门B  通过                       0     0",
                                             "部门C  跳过（没有2021年数据）",
                                             "共 3 个部门：1 个通过，2 个没有2021年数据、没有检查。"]
    none = run("check", "1999", "--all", cwd=tmp_path)
    assert none.returncode == 1 and "错误 [年份] data 中没有哪个部门有 1999 年的数据" in none.stderr


def test_check_all_as_json_gives_each_departments_result(tmp_path):
    import json

    make_bureau(tmp_path)
    result = run("check", "2020", "--all", "--json", cwd=tmp_path)
    assert result.returncode == 1
    listed = json.loads(result.stdout)
    assert [(d["department"], d["folder"], d["result"], d["errors"], d["warnings"]) for d in listed] == [
        ("部门A", "data/部门A/2020", "passed", 0, 0), ("部门B", "data/部门B/2020", "passed", 0, 1),
        ("部门C", "data/部门C/2020", "failed", 2, 0)]
    broken = listed[2]["problems"][0]
    assert (broken["file"], broken["line"], broken["column"], broken["rule"]) == \
        ("data/部门C/2020/income.yaml", 6, 5, "收入合计")
    assert result.stderr == ""
    # a department without the year is in the list too, as skipped
    later = json.loads(run("check", "2021", "--all", "--json", cwd=tmp_path).stdout)
    assert [(d["department"], d["result"]) for d in later] == [("部门A", "skipped"), ("部门B", "passed"),
                                                               ("部门C", "skipped")]


def test_check_all_with_dept_is_refused_and_one_department_data_is_checked_as_one(tmp_path):
    make_bureau(tmp_path)
    both = run("check", "2020", "--all", "--dept", "部门A", cwd=tmp_path)
    assert both.returncode == 1 and "--all 检查全部部门，--dept 只检查一个部门，不能一起用。" in both.stderr
    shutil.copytree(DATA, tmp_path / "one" / "data")
    one = run("check", "2020", "--all", cwd=tmp_path / "one")
    assert one.returncode == 0, one.stderr
    assert one.stdout.splitlines() == ["部门  结果  错误  警告", "data  通过     0     0", "共 1 个部门：1 个通过。"]


def test_fix_totals_and_new_year_take_dept_in_a_bureau(tmp_path):
    """The one-round flow of the README, in a bureau: change 人员经费 and its 功能分类 line, fix-totals --dept, rebuild."""
    data = make_bureau(tmp_path)
    edit(data / "部门A" / "2020" / "expenditure.yaml", ("  人员经费: 122.41", "  人员经费: 122.51"))
    edit(data / "部门A" / "2020" / "functions.yaml", ("    金额: 110.91", "    金额: 111.01"))
    fixed = run("fix-totals", "2020", "--dept", "部门A", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert "已修改：data/部门A/2020/income.yaml" in fixed.stdout and "共 4 处改动。" in fixed.stdout
    assert run("report", "2020", "--dept", "部门A", "--out", "build", cwd=tmp_path).returncode == 0
    made = run("new-year", "2022", "--dept", "部门B", cwd=tmp_path)
    assert made.returncode == 0 and (data / "部门B" / "2022" / "income.yaml").is_file(), made.stderr
    unknown = run("fix-totals", "2020", "--dept", "部门Z", cwd=tmp_path)
    assert unknown.returncode == 1 and "data 中没有部门“部门Z”" in unknown.stderr


def test_a_copied_department_keeping_the_others_name_fails_check_and_dept(tmp_path):
    """部门C copied from 部门A and not renamed: check --all, check --dept and report --dept all refuse it, before
    its report overwrites 部门A's."""
    data = make_bureau(tmp_path)
    edit(data / "部门C" / "2020" / "department.yaml", (f"部门名称: {C}", f"部门名称: {A}"))
    edit(data / "部门C" / "2020" / "income.yaml", ("合计: 176.66", "合计: 176.65"))
    clash = f"data/部门A、data/部门C 的部门名称都是“{A}”，报告会写进同一个文件夹 build/2020/{A}，这几个部门都不能生成报告。"
    checked = run("check", "2020", "--all", cwd=tmp_path)
    assert checked.returncode == 1 and clash in checked.stderr, checked.stderr
    assert [line.split()[:2] for line in checked.stdout.splitlines()[1:4]] == [
        ["部门A", "有错误"], ["部门B", "通过"], ["部门C", "有错误"]]
    one = run("check", "2020", "--dept", "部门C", cwd=tmp_path)
    assert one.returncode == 1 and clash in one.stderr
    built = run("report", "2020", "--dept", "部门C", "--out", "build", cwd=tmp_path)
    assert built.returncode == 1 and clash in built.stderr and not (tmp_path / "build" / "2020" / A).exists()


def test_new_year_of_a_department_kept_per_unit_copies_every_units_files(tmp_path):
    """new-year used to copy only the year's own files: a department filled in per unit got a year without units/."""
    data = make_bureau(tmp_path)
    split_into_units(data / "部门A")
    made = run("new-year", "2021", "--dept", "部门A", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    year = data / "部门A" / "2021"
    for unit in (UNIT_MAIN, UNIT_CENTRE):
        assert (year / "units" / unit / "income.yaml").is_file() and (year / "units" / unit / "department.yaml").is_file()
        assert "年度: 2021" in (year / "units" / unit / "department.yaml").read_text("utf-8")
        assert "变动原因" not in (year / "units" / unit / "income.yaml").read_text("utf-8").split("# 收入比上年增减的原因")[-1]
    checked = run("check", "2021", "--dept", "部门A", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
