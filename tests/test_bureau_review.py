"""diff and redline of a bureau's department, in the working tree and at a git revision (budgetdoc.review.sources).

The real pipeline and a real git repository: data/部门A (data/) and
data/部门B (examples/demo), the bureau's own glossary.yaml, committed, then
a 变动原因 of 部门A edited in the working tree.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from cases.casekit import budgetdoc_in_process
from repo import DATA, EXAMPLE, UNIT_CENTRE, edit, split_into_units

OLD, NEW = "人员调出3人，人员经费减少。", "人员调出2人，人员经费减少。"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.com", *args], cwd=repo,
                   check=True, capture_output=True)


def run(*args: str, cwd: Path):
    result = budgetdoc_in_process(args, cwd)
    assert "Traceback" not in result.stderr + result.stdout and "内部错误" not in result.stderr, result.stderr
    return result


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "bureau"
    shutil.copytree(DATA, root / "data" / "部门A")
    shutil.copytree(EXAMPLE, root / "data" / "部门B", ignore=shutil.ignore_patterns("README.md"))
    # 部门B reads the bureau's glossary
    shutil.move(root / "data" / "部门B" / "2021" / "glossary.yaml", root / "data" / "glossary.yaml")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "bureau")
    edit(root / "data" / "部门A" / "2020" / "income.yaml", (f"变动原因: {OLD}", f"变动原因: {NEW}"))
    return root


@pytest.mark.parametrize("old, new", [("HEAD:部门A:2020", "部门A:2020"),
                                      ("HEAD:data/部门A:2020", "data/部门A:2020")])
def test_diff_of_a_department_at_a_revision(repo, old, new):
    result = run("diff", old, new, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert f"收入预算 · 变动原因：{OLD} → {NEW}（data/部门A/2020/income.yaml 第 16 行；见：" in result.stdout
    assert "文字变化（" in result.stdout and "人员调出" in result.stdout.split("文字变化", 1)[1]


@pytest.mark.parametrize("old", ["HEAD:部们A:2020", "HEAD:data/部们A:2020"])
def test_a_mistyped_department_at_a_revision_gets_the_close_name(repo, old):
    result = run("diff", old, "部门A:2020", cwd=repo)
    assert result.returncode == 1
    assert "中没有" in result.stderr and "是不是“部门A”？那个版本的 data/ 中有：部门A、部门B。" in result.stderr, result.stderr


def test_a_department_reads_the_bureaus_glossary_now_and_as_committed(repo):
    result = run("diff", "HEAD:部门B:2021", "部门B:2021", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "数据没有变化。\n\n文字没有变化。\n"


def test_redline_of_a_department_from_its_data(repo):
    result = run("redline", "HEAD:部门A:2020", "部门A:2020", "-o", "修订.docx", cwd=repo)
    assert result.returncode == 0, result.stderr
    body = zipfile.ZipFile(repo / "修订.docx").read("word/document.xml").decode("utf-8")
    assert "<w:ins " in body and "<w:del " in body
    assert "已写出修订版文档：修订.docx" in result.stderr


def test_diff_of_one_budget_unit(repo):
    split_into_units(repo / "data" / "部门A")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "units")
    edit(repo / "data" / "部门A" / "2020" / "units" / UNIT_CENTRE / "department.yaml",
         ("联系人: 国宏兴", "联系人: 王某"))
    result = run("diff", "--unit", UNIT_CENTRE, "HEAD:部门A:2020", "部门A:2020", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (f"  {UNIT_CENTRE} · 部门概况 · 联系方式 · 联系人：国宏兴 → 王某"
            f"（data/部门A/2020/units/{UNIT_CENTRE}/department.yaml 第 40 行；见：第73段）") in result.stdout
    department = run("diff", "HEAD:部门A:2020", "部门A:2020", cwd=repo)
    # the department's report writes its own contact, not the unit's: the value is named, linked to nothing
    assert (f"  {UNIT_CENTRE} · 部门概况 · 联系方式 · 联系人：国宏兴 → 王某"
            f"（data/部门A/2020/units/{UNIT_CENTRE}/department.yaml 第 40 行）\n") in department.stdout
    assert "文字没有变化。" in department.stdout      # the department's contact is its own
