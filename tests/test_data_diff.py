"""`budgetdoc diff` between two data versions reports exactly the paragraphs a change moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetdoc.review.sources import load_side, parse_side
from budgetdoc.review.textdiff import diff_blocks

from cases.casekit import budgetdoc_in_process
from repo import ROOT, edit


def changed_paragraphs(old_data: Path, new_data: Path) -> list[str]:
    old = load_side(parse_side(f"{old_data}:2020"), ROOT)
    new = load_side(parse_side(f"{new_data}:2020"), ROOT)
    result = diff_blocks(old.blocks, new.blocks)
    return [change.new_text for change in result.changes]


CASES = {
    # one amount (with the totals it belongs to) → the sentences that state it or derive from it
    "办公费": (("operating_costs.yaml", [("金额: 1.08", "金额: 1.18"), ("合计: 54.24", "合计: 54.34")]),
            ["2020年，我单位机关运行经费财政拨款预算54.34万元，其中：办公费1.18万元"]),
    "公务用车运行维护费": (("three_public.yaml", [("合计:\n  预算数: 1.5", "合计:\n  预算数: 1.6"),
                                              ("  合计:\n    预算数: 1.5", "  合计:\n    预算数: 1.6"),
                                              ("  运行维护费:\n    预算数: 1.5", "  运行维护费:\n    预算数: 1.6")]),
                  ["财政拨款“三公”经费支出预算1.60万元", "3.公务用车购置及运行维护费1.60万元",
                   "1.60", "1.60", "1.60"]),    # 表3-2: 合计, 小计, 运行维护费 (see the test below)
    "用途": (("functions.yaml", [("用途: 职工医疗支出", "用途: 职工基本医疗保险支出")]),
           ["3.卫生健康类14.01万元"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_diff_reports_exactly_the_paragraphs_that_depend_on_the_change(name, data_copy: Path):
    (file, replacements), expected_starts = CASES[name]
    edit(data_copy / "2020" / file, *replacements)
    changed = changed_paragraphs(ROOT / "data", data_copy)
    assert len(changed) == len(expected_starts), changed
    for text, start in zip(changed, expected_starts):
        assert text.startswith(start), text


def test_a_changed_table_cell_is_named_by_its_table_row_and_column(data_copy: Path):
    edit(data_copy / "2020" / "three_public.yaml", *CASES["公务用车运行维护费"][0][1])
    old = load_side(parse_side(f"{ROOT / 'data'}:2020"), ROOT)
    new = load_side(parse_side(f"{data_copy}:2020"), ROOT)
    cells = [c for c in diff_blocks(old.blocks, new.blocks).changes if c.new and c.new.column]
    headers = [c.header.split(" · ", 1)[1] for c in cells]
    table = "表3-2 2020年一般公共预算“三公”经费支出表"
    assert headers == [f"{table} · 本年预算 · 合计", f"{table} · 本年预算 · 小计", f"{table} · 本年预算 · 公务用车运行维护费"]
    assert [(c.old_text, c.new_text) for c in cells] == [("1.50", "1.60")] * 3


def test_an_added_xiang_is_an_inserted_row(data_copy: Path):
    edit(data_copy / "2020" / "functions.yaml", ("    金额: 13.63\n", "    金额: 13.63\n    下级:\n      - 编码: 22102\n"
                                                 "        名称: 住房改革支出\n        金额: 13.63\n"))
    old = load_side(parse_side(f"{ROOT / 'data'}:2020"), ROOT)
    new = load_side(parse_side(f"{data_copy}:2020"), ROOT)
    rows = [c for c in diff_blocks(old.blocks, new.blocks).changes if c.new and c.new.table and c.new.column is None]
    inserted = [c.new_text for c in rows if c.kind == "inserted"]
    assert "221 | 02 |  | 住房改革支出 | 13.63 | 0.00 | 13.63 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00" in inserted
    assert "221 | 02 |  | 住房改革支出 | 13.63 |  | " in inserted            # 表1-2, not split
    assert all(c.kind == "inserted" for c in rows)


def test_previous_year_change_moves_only_the_comparison(data_copy: Path):
    """A 2019 figure feeds only the 比上年 sentence of its 类."""
    edit(data_copy / "2019" / "functions.yaml", ("金额: 8.15", "金额: 8.25"))
    changed = changed_paragraphs(ROOT / "data", data_copy)
    assert changed == ["3.卫生健康类14.01万元，比上年预算数增加5.76万元。主要用于职工医疗支出。"]


def test_diff_command_names_the_data_value_and_the_paragraph(data_copy: Path):
    edit(data_copy / "2020" / "operating_costs.yaml", ("金额: 1.08", "金额: 1.18"), ("合计: 54.24", "合计: 54.34"))
    run = budgetdoc_in_process(["diff", f"{ROOT / 'data'}:2020", f"{data_copy}:2020", "--no-color"], ROOT)
    assert run.returncode == 0, run.stderr
    where = f"{data_copy}/2020/operating_costs.yaml"          # the data folder as given (here outside the cwd)
    assert f"  机关运行经费 · 合计：54.24 → 54.34（{where} 第 5 行；见：第52段）\n" in run.stdout
    assert f"  机关运行经费 · 办公费 · 金额：1.08 → 1.18（{where} 第 8 行；见：第52段）\n" in run.stdout
    assert "办公费[-1.08-]{+1.18+}万元" in run.stdout
    assert "比上年增加[-14-]{+14.10+}万元，增长[-34.8-]{+35+}%" in run.stdout
    assert "Traceback" not in run.stderr


def test_diff_of_a_department_kept_elsewhere_than_data_at_a_revision(tmp_path: Path):
    """`budgetdoc diff HEAD:depts/X:2020 depts/X:2020`: the committed data folder against the working one."""
    import shutil
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.com", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    shutil.copytree(ROOT / "data", tmp_path / "depts" / "X")
    git("init", "-q")
    git("add", "depts")
    git("commit", "-q", "-m", "data")
    edit(tmp_path / "depts" / "X" / "2020" / "operating_costs.yaml", ("金额: 1.08", "金额: 1.18"),
         ("合计: 54.24", "合计: 54.34"))
    run = budgetdoc_in_process(["diff", "HEAD:depts/X:2020", "depts/X:2020", "--no-color"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "机关运行经费 · 合计：54.24 → 54.34" in run.stdout
    assert "办公费[-1.08-]{+1.18+}万元" in run.stdout


def test_a_value_the_report_does_not_use_is_linked_to_nothing(data_copy: Path):
    """Issue 9, item 4: 2020's own 执行数 is never written into the 2020 report, so no paragraph is its,
    even where the same number (0) stands."""
    edit(data_copy / "2020" / "three_public.yaml", ("公务接待费:\n  预算数: 0\n", "公务接待费:\n  预算数: 0\n  执行数: 0\n"))
    run = budgetdoc_in_process(["diff", f"{ROOT / 'data'}:2020", f"{data_copy}:2020", "--no-color"], ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("数据变化（1 项）：\n  新增 “三公”经费 · 公务接待费 · 执行数：0"
                                 f"（{data_copy}/2020/three_public.yaml 第 13 行）\n")
    assert "见：" not in run.stdout and "文字没有变化。" in run.stdout


def test_a_prior_value_is_named_with_its_year_and_linked_to_what_compares_with_it(data_copy: Path):
    edit(data_copy / "2019" / "functions.yaml", ("金额: 8.15", "金额: 8.25"))
    run = budgetdoc_in_process(["diff", f"{ROOT / 'data'}:2020", f"{data_copy}:2020", "--no-color"], ROOT)
    assert run.returncode == 0, run.stderr
    line = next(l for l in run.stdout.splitlines() if "8.15 → 8.25" in l)
    assert line.startswith("  2019年 支出功能分类 · 一般公共预算 · 210 卫生健康支出 · 金额：8.15 → 8.25"
                           f"（{data_copy}/2019/functions.yaml 第 ")
    assert line.endswith("；见：第39段）"), line          # 3.卫生健康类…比上年预算数增加…
