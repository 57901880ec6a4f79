"""The checks themselves: the 2019 gap the reference report carries, and docs/checks.md.

* ``budgetdoc report 2020`` on the real data exits 0, writes the DOCX, and
  warns about the 2019 gap naming both 204.60 and 204.68 (the reference's own
  figures, kept as published);
* every rule the code can raise is described in docs/checks.md, and every
  example there is exactly what the named case prints today.
"""

from __future__ import annotations

import ast
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from cases.casekit import (budgetdoc_in_process, load_cases, prepare, problem_blocks, problems_in_process,
                           run_in_process)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "budgetdoc"
DOC = ROOT / "docs" / "checks.md"
REPORT = "奈曼旗政务服务局2020年部门预算"


# ------------------------------------------------------- the 2019 gap

def test_report_2020_builds_and_notes_the_known_2019_gap(tmp_path: Path):
    out = tmp_path / "build"
    run = budgetdoc_in_process(["report", "2020", "--data", str(ROOT / "data"), "--out", str(out)], ROOT)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    docx = out / "2020" / f"{REPORT}.docx"
    assert zipfile.is_zipfile(docx) and "word/document.xml" in zipfile.ZipFile(docx).namelist()
    gap = [line for line in run.stderr.splitlines() if "204.60" in line]
    assert len(gap) == 1, run.stderr      # one line: recorded in data/2019/known_issues.yaml
    assert gap[0].startswith("data/2019/income.yaml:5:5: 提示 [功能分类] 上年（2019年）已公开数据中的已知不一致"
                             "（相差 0.08 万元），按原样保留：")
    assert "204.68" in gap[0]
    assert "警告 [" not in run.stderr and "错误 [" not in run.stderr


def test_check_2020_passes_with_notes_only():
    run = budgetdoc_in_process(["check", "2020"], ROOT)
    assert run.returncode == 0, run.stderr
    assert "204.60" in run.stderr and "204.68" in run.stderr
    assert "检查通过（0 个错误，0 个警告，5 个提示）" in run.stdout


def test_the_2019_gap_would_be_an_error_in_the_reported_year(tmp_path: Path):
    """The same figures as the year being reported are refused: only history is kept as published."""
    from budgetdoc.load import YearFolder, load_year
    from budgetdoc.checks import check_year
    folder = YearFolder(2019, ROOT / "data" / "2019", "data/2019")
    budget, _ = load_year(folder, strict=False)
    problems = check_year(budget)
    assert [(p.rule, p.is_error) for p in problems] == [("功能分类", True)]
    assert "204.60" in problems[0].message and "204.68" in problems[0].message


# ------------------------------------------------------- docs/checks.md

_CALLS = {"error", "warning", "note", "fail", "warn", "sum_rule", "equal_rule", "_plain_error"}
# Described in docs, without a data example: the example of 部门 (a bureau's command line) is checked by
# tests/test_bureau.py, that of PDF (LibreOffice missing) by tests/test_pdf.py.
NOT_DATA_CHECKS = {"模板", "版式设置", "新年度", "写入文件", "公开表", "文风", "部门", "PDF", "编辑器提示"}
NO_CASE = {"读取文件"}     # an unreadable file cannot be made as root; tests/test_load.py covers it


def rules_in_code() -> dict[str, set[str]]:
    """Every rule name the package can print: the first string argument of error(), warning() …"""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "review" in path.parts:          # budgetdoc review compares documents, it checks no data
            continue
        # budgetdoc audit checks a report, not the data: its findings are their own type (audit/findings.py),
        # located by paragraph and table cell, and its rules are documented in docs/audit.md, each with an
        # example from tests/cases/audit (tests/test_audit_cases.py holds them to it).
        if "audit" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = node.args[1:] if name == "Problem" else node.args
            if (name in _CALLS | {"Problem"}) and args and isinstance(args[0], ast.Constant) \
                    and isinstance(args[0].value, str):
                found.setdefault(args[0].value, set()).add(str(path.relative_to(ROOT)))
    return found


def documented() -> list[str]:
    return re.findall(r"^### \[(.+?)\]$", DOC.read_text(encoding="utf-8"), re.M)


def doc_examples() -> list[tuple[str, str]]:
    """(case, printed block) for every “例（tests/cases/…：…）” followed by a text block."""
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"^例（tests/cases/(\S+?)：.*?）：\n\n```text\n(.*?)\n```", text, re.M | re.S)


def test_every_rule_in_the_code_is_documented_and_nothing_else():
    code = rules_in_code()
    assert len(code) >= 30, code
    headings = documented()
    assert len(headings) == len(set(headings)), "a rule is described twice"
    assert set(headings) == set(code), (f"undocumented: {set(code) - set(headings)}; "
                                        f"documented but not in the code: {set(headings) - set(code)}")


def test_every_data_rule_has_a_true_example():
    shown = {re.search(r"\[(.+?)\]", block.split("\n")[0]).group(1) for _, block in doc_examples()}
    missing = set(rules_in_code()) - NOT_DATA_CHECKS - NO_CASE - shown
    assert not missing, f"rules without an example in docs/checks.md: {missing}"


CASES = {f"{c.kind}/{c.name}": c for kind in ("bad", "warn", "import") for c in load_cases(kind)}


@pytest.mark.parametrize("ref, block", doc_examples(), ids=[ref for ref, _ in doc_examples()])
def test_doc_example_is_what_the_case_prints(ref: str, block: str, tmp_path: Path):
    assert ref in CASES, f"docs/checks.md names a case that does not exist: {ref}"
    case = CASES[ref]
    data = prepare(case, tmp_path)
    if case.args[0] == "report":
        printed = problems_in_process(case, data)
    else:       # another command (fix-totals, import): the problems it prints
        printed = problem_blocks(run_in_process(case, tmp_path, data, tmp_path / "build").stderr)
    assert block in printed, (f"docs/checks.md is stale for {ref}; the case now prints:\n\n"
                              + "\n".join(printed))


def test_every_bad_case_rule_is_documented():
    headings = set(documented())
    for ref, case in CASES.items():
        assert case.expect["rule"] in headings, f"{ref}: [{case.expect['rule']}] is not in docs/checks.md"


def test_check_json_gives_tools_the_same_problems(tmp_path: Path):
    import json
    case = CASES["bad/30-income-total"]
    data = prepare(case, tmp_path)
    run = budgetdoc_in_process(["check", "2020", "--json", "--data", str(data)], tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    problems = json.loads(run.stdout)
    errors = [p for p in problems if p["severity"] == "error"]
    assert [(p["rule"], p["file"], p["line"], p["column"]) for p in errors] == \
        [("收入合计", "data/2020/income.yaml", 6, 5),
         ("公开要求", "data/2020/income.yaml", 11, 7)]     # 其他收入 0.10 needs its 功能分类 too
    assert "data/2020/income.yaml:11:7" in errors[0]["related"]      # 其他收入, the figure changed
    assert errors[0]["hint"].startswith("核对 income.yaml")


# ------------------------------------------------------- cross-year notes live in the checks

def test_a_misspelt_comparison_path_is_a_bug_not_a_missing_figure():
    """comparisons.dig stops at an absent part (last year's data may be incomplete) but not at a typo."""
    from budgetdoc.comparisons import dig
    from budgetdoc.load import YearFolder, load_year
    prior, _ = load_year(YearFolder(2019, ROOT / "data" / "2019", "data/2019"), strict=False)
    assert dig(prior, "procurement", "total") is None             # 2019 has no procurement.yaml
    assert dig(prior, "income", "total").value == Decimal("204.68")
    with pytest.raises(AttributeError):
        dig(prior, "income", "totl")


def test_compute_refuses_unchecked_data_with_a_real_error():
    """What the checks guarantee is verified with an exception (python -O drops asserts)."""
    from budgetdoc.compute import IncompleteData, compute
    from budgetdoc.load import YearFolder, load_year
    prior, _ = load_year(YearFolder(2019, ROOT / "data" / "2019", "data/2019"), strict=False)
    with pytest.raises(IncompleteData):
        compute(prior, None)          # 2019 lacks department.yaml and most totals


def test_check_does_not_compute():
    """The 比上年 comparisons that will be left out are found by the checks, before any figure is computed."""
    import budgetdoc.pipeline as pipeline
    source = Path(pipeline.__file__).read_text(encoding="utf-8")
    body = source[source.index("def check_year"):source.index("def build_year")]
    assert "compute(" not in body
