"""budgetdoc fix-totals: every total from its parts in one pass, comments kept, refused where the parts disagree."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from cases.casekit import budgetdoc_in_process
from repo import DATA, EXAMPLE, edit


def _copy(tmp_path: Path, source: Path = DATA) -> Path:
    data = tmp_path / "data"
    shutil.copytree(source, data)
    return data


def test_one_round_change_the_parts_fix_totals_rebuild(tmp_path: Path):
    """The README's flow: 人员经费 and the 功能分类 line that pays it change; one fix-totals settles the rest."""
    data = _copy(tmp_path)
    edit(data / "2020" / "expenditure.yaml", ("  人员经费: 122.41", "  人员经费: 122.51"))
    edit(data / "2020" / "functions.yaml", ("    金额: 110.91", "    金额: 111.01"))
    check = budgetdoc_in_process(["check", "2020", "--data", str(data)], tmp_path)
    assert check.returncode == 1 and check.stderr.count("错误 [") >= 3, check.stderr      # the chain, all at once
    run = budgetdoc_in_process(["fix-totals", "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "data/2020/expenditure.yaml:8: 支出 合计：176.65 → 176.75",
        "data/2020/expenditure.yaml:11: 支出 基本支出 合计：129.91 → 130.01",
        "data/2020/income.yaml:6: 收入 合计：176.65 → 176.75",
        "data/2020/income.yaml:7: 收入 一般公共预算拨款收入：176.65 → 176.75",
        "已修改：data/2020/expenditure.yaml", "已修改：data/2020/income.yaml",       # named as the lines above
        "共 4 处改动。"]
    text = (data / "2020" / "expenditure.yaml").read_text("utf-8")
    assert "  合计: 130.01\n  人员经费: 122.51\n" in text
    assert "  主要用途: 人员工资、保险及机构运转等方面支出   # 写在“主要是”之后" in text      # comments kept
    assert text.startswith("# yaml-language-server:")
    report = budgetdoc_in_process(["report", "2020", "--data", str(data), "--out", str(tmp_path / "build")], tmp_path)
    assert report.returncode == 0, report.stderr
    again = budgetdoc_in_process(["fix-totals", "2020", "--data", str(data)], tmp_path)
    assert again.returncode == 0 and "没有需要修改的" in again.stdout


def test_only_changed_files_are_rewritten_and_dry_run_writes_nothing(tmp_path: Path):
    data = _copy(tmp_path)
    edit(data / "2020" / "expenditure.yaml", ("      金额: 12\n", "      金额: 13\n"))
    edit(data / "2020" / "functions.yaml", ("    金额: 110.91", "    金额: 111.91"))
    before = {p: p.read_bytes() for p in (data / "2020").glob("*.yaml")}
    dry = budgetdoc_in_process(["fix-totals", "2020", "--data", str(data), "--dry-run"], tmp_path)
    assert dry.returncode == 0 and "共 5 处改动（试运行：没有修改任何文件" in dry.stdout, dry.stdout + dry.stderr
    assert {p: p.read_bytes() for p in before} == before
    run = budgetdoc_in_process(["fix-totals", "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "data/2020/operating_costs.yaml:5: 机关运行经费 合计：54.24 → 55.24" in run.stdout  # includes 项目支出
    rewritten = {p.name for p in before if p.read_bytes() != before[p]}
    assert rewritten == {"expenditure.yaml", "income.yaml", "operating_costs.yaml"}, rewritten


def test_derived_totals_bottom_up_in_every_file(tmp_path: Path):
    """The example department: a 项 changed in two trees' worth of parts moves 款, 类, income, 基本支出, 三公 …"""
    data = _copy(tmp_path, EXAMPLE)
    year = data / "2021"
    # 群众体育 项 of 一般公共预算: 基本支出 86.46 → 87.46, and the 经济分类 款 that pays for it, 30101 98.40 → 99.40;
    # 三公 购置费 18 → 19 and its project 18 → 19 with 货物 78 → 79 (its 功能分类 项目支出 too).
    text = (year / "functions.yaml").read_text("utf-8")
    text = text.replace("            基本支出: 86.46\n            项目支出: 76.00", "            基本支出: 87.46\n            项目支出: 77.00", 1)
    (year / "functions.yaml").write_text(text, "utf-8")
    edit(year / "expenditure.yaml", ("          人员经费: 98.40", "          人员经费: 99.40"),
         ("      金额: 18.00\n      财政拨款: 18.00", "      金额: 19.00\n      财政拨款: 19.00"),
         ("  人员经费: 379.07 ", "  人员经费: 380.07 "))
    edit(year / "three_public.yaml", ("    预算数: 18.00", "    预算数: 19.00"))
    edit(year / "procurement.yaml", ("货物: 78.00", "货物: 79.00"))
    run = budgetdoc_in_process(["fix-totals", "2021", "--data", str(data)], tmp_path)
    assert run.returncode == 0, run.stderr
    changed = {line.split(": ", 1)[1].split("：")[0]: line.rsplit(" → ", 1)[1] for line in run.stdout.splitlines()
               if " → " in line}
    assert changed == {
        "功能分类 一般公共预算 207 文化旅游体育与传媒支出 金额": "457.46",
        "功能分类 一般公共预算 207 文化旅游体育与传媒支出 基本支出": "290.46",
        "功能分类 一般公共预算 207 文化旅游体育与传媒支出 项目支出": "167.00",
        "功能分类 一般公共预算 20703 体育 金额": "164.46",
        "功能分类 一般公共预算 20703 体育 基本支出": "87.46",
        "功能分类 一般公共预算 20703 体育 项目支出": "77.00",
        "功能分类 一般公共预算 2070308 群众体育 金额": "164.46",
        "经济分类 301 工资福利支出 人员经费": "325.67",
        "收入 一般公共预算拨款收入": "578.07",
        "收入 合计": "723.07",
        "支出 基本支出 合计": "451.07",
        "支出 项目支出 合计": "269.00",
        "支出 合计": "720.07",
        "“三公”经费 公务用车购置及运行维护费 预算数": "24.60",
        "“三公”经费 合计 预算数": "27.10",
        "政府采购 合计": "137.00",
    }, run.stdout
    check = budgetdoc_in_process(["check", "2021", "--data", str(data)], tmp_path)
    assert check.returncode == 0, check.stderr


def test_a_refusal_writes_nothing_and_says_which_sums_differ(tmp_path: Path):
    data = _copy(tmp_path)
    edit(data / "2020" / "expenditure.yaml", ("  人员经费: 122.41", "  人员经费: 122.51"))
    before = {p: p.read_bytes() for p in (data / "2020").glob("*.yaml")}
    run = budgetdoc_in_process(["fix-totals", "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "收入合计有两种算法" in run.stderr and "两边相差 0.10 万元" in run.stderr
    assert "没有生成或修改任何文件" in run.stderr
    assert {p: p.read_bytes() for p in before} == before


def test_a_file_that_does_not_load_is_reported_first(tmp_path: Path):
    data = _copy(tmp_path)
    edit(data / "2020" / "income.yaml", ("合计: 176.65", "合计: 一百"))
    run = budgetdoc_in_process(["fix-totals", "2020", "--data", str(data)], tmp_path)
    assert run.returncode == 1 and "data/2020/income.yaml:6:5: 错误 [金额]" in run.stderr, run.stderr
    assert "[合计推算]" not in run.stderr


def test_the_derivation_is_exact():
    from budgetdoc.load import load_year, resolve_year
    from budgetdoc.totals import derive
    folder, _ = resolve_year(DATA, 2020)
    budget, _ = load_year(folder, strict=True)
    derived = derive(budget)
    assert derived.changes == [] and all(isinstance(v, Decimal) for v in derived.new.values())


def _demo_edits(year: Path, economic: bool, function: bool) -> None:
    """30101 基本工资 (经济分类, 一般公共预算) and the 功能分类 项 2079999 that pays it, each up by 1.00."""
    if economic:
        edit(year / "expenditure.yaml", ("          人员经费: 98.40", "          人员经费: 99.40"))
    if function:
        edit(year / "functions.yaml", ("            金额: 293.00\n            基本支出: 203.00",
                                       "            金额: 294.00\n            基本支出: 204.00"))


def test_personnel_paid_partly_from_other_income_is_named_when_it_did_not_follow(tmp_path: Path):
    """The example department's 基本支出 is partly 事业收入: 人员经费 is not derived from the 经济分类, and the
    refusal names it (not the 功能分类 line, already changed); changed as it says, one more run settles the rest."""
    data = _copy(tmp_path, EXAMPLE)
    year = data / "2021"
    _demo_edits(year, economic=True, function=True)
    run = budgetdoc_in_process(["fix-totals", "2021", "--data", str(data)], tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if "错误 [" in line]
    assert len(errors) == 1, run.stderr          # what follows from it (支出合计, 收支平衡 …) is not repeated
    assert errors[0].startswith("data/2021/expenditure.yaml:14:9: 错误 [合计推算] 基本支出的人员经费、公用经费没有跟着改")
    assert "经济分类各类的人员经费之和由 351.07 变为 352.07：在 expenditure.yaml 中把基本支出的人员经费改为 380.07" \
        in run.stderr
    assert "功能分类科目" not in run.stderr
    edit(year / "expenditure.yaml", ("  人员经费: 379.07 ", "  人员经费: 380.07 "))
    again = budgetdoc_in_process(["fix-totals", "2021", "--data", str(data)], tmp_path)
    assert again.returncode == 0, again.stderr
    assert "data/2021/expenditure.yaml:13: 支出 基本支出 合计：450.07 → 451.07" in again.stdout
    check = budgetdoc_in_process(["check", "2021", "--data", str(data)], tmp_path)
    assert check.returncode == 0, check.stderr


def test_a_refusal_with_carry_forward_reads_and_names_the_column(tmp_path: Path):
    """Only the 功能分类 line changed: both sums, 结转下年 written as an addend, and the column they part in."""
    data = _copy(tmp_path, EXAMPLE)
    _demo_edits(data / "2021", economic=False, function=True)
    run = budgetdoc_in_process(["fix-totals", "2021", "--data", str(data)], tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "支出合计 718.07 加结转下年 3.00 是 721.07（支出合计 = 基本支出 + 项目支出 + 事业单位经营支出）" in run.stderr
    assert "两边相差 1.00 万元，差在基本支出（expenditure.yaml 的基本支出合计 450.07，functions.yaml 各类的基本支出之和 451.07）" \
        in run.stderr
    assert "改的是功能分类科目时，也要改 expenditure.yaml 中相应的支出" in run.stderr
    assert "经济分类合计 410.07 ≠ 一般公共预算各类的基本支出之和 411.07" in run.stderr     # the check names the 经济分类
