"""budgetdoc audit as a command: the reference report, --json, --data, exit codes and messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cases.casekit import budgetdoc_in_process
from repo import DATA, EXAMPLE, ROOT

REFERENCE = ROOT / "data" / "published" / "2020部门预算公开说明.txt"


def run(*args, cwd: Path = ROOT):
    return budgetdoc_in_process([str(a) for a in args], cwd)


# ------------------------------------------------------------ the reference report

def test_the_reference_report_shows_its_2019_gap_and_no_error():
    result = run("audit", REFERENCE)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "报告年度：2020年（取自各级标题中最常出现的年份，2 处）"
    gap = [line for line in lines if "[上年数]" in line]
    assert len(gap) == 1 and gap[0].startswith("第45段（第75行）: 警告 [上年数] ")
    assert "2019年各类之和为 204.60 万元" in gap[0] and "2019年合计为 204.68 万元（176.65 + 28.03），相差 0.08 万元" in gap[0]
    assert "错误 [" not in result.stdout
    assert lines[-1] == "发现 0 个错误，1 个警告，3 个提示。"


def test_7_percent_is_right_at_whole_percent_and_noted_beside_the_one_decimal_rates():
    """0.10 ÷ 1.40 = 7.14%: “增长7%” is right at its own precision; the report's other rates have one decimal."""
    notes = [line for line in run("audit", REFERENCE).stdout.splitlines() if "[精度]" in line]
    assert len(notes) == 3 and all(line.split(": ", 1)[1].startswith("提示 [精度]") for line in notes)
    assert all("0.10 ÷ 1.40 = 7.1429%，照此应写作 7.1%（按它自己的精度，7% 没有错）" in line for line in notes)


def test_the_reference_agrees_with_its_data_and_the_known_gap_is_one_note():
    result = run("audit", REFERENCE, "--data", "data:2020")
    assert result.returncode == 0
    assert "与数据不符" not in result.stdout and "警告 [" not in result.stdout
    assert "这是 data/2019/known_issues.yaml 记录的已知不一致，按原样保留。" in result.stdout


def test_json_gives_the_findings_with_their_figures():
    result = run("audit", REFERENCE, "--json")
    report = json.loads(result.stdout)
    assert (report["year"], report["format"], report["errors"], report["warnings"], report["exit"]) == \
        (2020, "txt", 0, 1, 0)
    gap = next(f for f in report["findings"] if f["rule"] == "上年数")
    assert (gap["severity"], gap["stated"], gap["computed"], gap["place"]) == \
        ("warning", "204.60", "204.68", {"paragraph": 45, "line": 75})
    assert {"label": "部门预算收入", "value": "176.65", "unit": "万元", "where": "第35段"} in gap["basis"]


# ------------------------------------------------------------ errors and --data

def test_an_error_gives_exit_code_1_with_where_what_and_from_which_figures(tmp_path: Path):
    report = tmp_path / "草稿.txt"
    report.write_text("部门预算支出500万元，其中：基本支出380万元，占比76%；项目支出120万元，占比25%。\n", "utf-8")
    result = run("audit", report)
    assert result.returncode == 1
    assert result.stdout.splitlines()[3:] == [
        "第1段（第1行）: 错误 [占比] 项目支出占部门预算支出的比例写作 25%，但 120.00 ÷ 500.00 = 24.0000%，保留整数应为 24%。"
        "若占比无误，项目支出应约为 125.00 万元。",
        "    原文：“项目支出120万元，占比25%”",
        "    依据：项目支出 120.00 万元（第1段）；部门预算支出 500.00 万元（第1段）",
        "    处理办法：占比 = 该项 ÷ 合计 × 100%，四舍五入。",
        "发现 1 个错误，0 个警告，0 个提示。"]


def test_data_compares_every_stated_figure_with_the_yaml(tmp_path: Path):
    text = REFERENCE.read_text("utf-8").replace("人员经费122.41万元、公用经费7.50万元", "人员经费122.31万元、公用经费7.60万元")
    report = tmp_path / "报告.txt"
    report.write_text(text, "utf-8")
    result = run("audit", report, "--data", f"{DATA}:2020")
    assert result.returncode == 1
    blocks = [line for line in result.stdout.splitlines() if "[与数据不符]" in line]
    assert blocks == [
        "第40段（第69行）: 错误 [与数据不符] 人员经费在报告中写作 122.31 万元，数据中为 122.41 万元"
        "（data/2020/expenditure.yaml:12:9），相差 0.10 万元。",
        "第40段（第69行）: 错误 [与数据不符] 公用经费在报告中写作 7.60 万元，数据中为 7.50 万元"
        "（data/2020/expenditure.yaml:13:9），相差 0.10 万元。"]
    assert "[合计]" not in result.stdout           # 122.31 + 7.60 is still 129.91: only the data can tell


def test_data_compares_the_changes_too(tmp_path: Path):
    text = REFERENCE.read_text("utf-8").replace("比上年预算数增加8.84万元", "比上年预算数增加8.48万元")
    report = tmp_path / "报告.txt"
    report.write_text(text, "utf-8")
    result = run("audit", report, "--data", "data:2020")
    assert "第46段（第77行）: 错误 [与数据不符] 报告说社会保障和就业类比上年预算数增加 8.48 万元；按 data/2020 及上年数据，" \
           "本年 38.10、上年 29.26 万元，是增加 8.84 万元。" in result.stdout


def test_data_of_another_year_is_said_once(tmp_path: Path):
    result = run("audit", REFERENCE, "--data", f"{EXAMPLE}:2021")
    assert result.returncode == 1
    assert result.stdout.count("错误 [") == 1 and f"数据 {EXAMPLE}/2021 是2021年的" in result.stdout


def test_data_with_errors_stops_the_audit_with_the_data_s_messages(tmp_path: Path):
    shutil.copytree(DATA, tmp_path / "data")
    path = tmp_path / "data" / "2020" / "expenditure.yaml"
    path.write_text(path.read_text("utf-8").replace("人员经费: 122.41", "人员经费: 122.51"), "utf-8")
    result = run("audit", REFERENCE, "--data", f"{tmp_path / 'data'}:2020")
    assert result.returncode == 1 and result.stdout == ""
    assert "错误 [基本支出]" in result.stderr and "的数据有错误（见上），无法与报告对照；报告没有审核。" in result.stderr


@pytest.mark.parametrize("args, code, message", [
    (["audit"], 2, "错误：缺少要审核的报告文件。写成 budgetdoc audit 报告.docx（也可以是 .txt 或 .pdf）。"),
    (["audit", "没有这个文件.docx"], 1, "错误：找不到文件：没有这个文件.docx"),
    (["audit", "README.md"], 1, "错误：README.md 不是可以审核的文件：只能审核 .docx、.txt 和 .pdf 文件"),
    (["audit", REFERENCE, "--data", "data2020"], 2, "错误：--data 写作“data2020”：应写成 目录:年度"),
])
def test_usage_and_unreadable_files(args, code, message):
    result = run(*args)
    assert result.returncode == code
    assert result.stderr.startswith(message) and "Traceback" not in result.stderr


def test_a_report_without_a_year_is_audited_without_the_heading_check(tmp_path: Path):
    report = tmp_path / "片段.txt"
    report.write_text("收入预算176.65万元，比上年预算减少28.03万元，下降13.7%。\n", "utf-8")
    result = run("audit", report)
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == "报告年度：不明（标题中没有年份，不核对标题年份）"
    assert result.stdout.splitlines()[-1] == "没有发现问题。"
