"""tests/cases/audit/: each planted error found where it was made, each clean report without a finding.

And docs/audit.md: every rule the audit prints is described there, with an
example that is exactly what its case prints today.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cases.auditkit import finding_blocks, load_audit_cases, matches, run_case

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "audit.md"
CASES = load_audit_cases()
BY_NAME = {f"audit/{case.name}": case for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_audit_case(case, tmp_path: Path):
    printed, report = run_case(case, tmp_path)
    assert "Traceback" not in printed.stderr and printed.stderr == "", printed.stderr
    assert printed.returncode == case.expect["exit"], printed.stdout
    blocks = finding_blocks(printed.stdout)
    for expected in case.findings:
        assert any(matches(block, expected) for block in blocks), \
            f"{case}: expected {expected}, printed:\n{printed.stdout}"
    assert len(blocks) == len(case.findings), f"{case}: other findings printed:\n{printed.stdout}"
    assert report["exit"] == printed.returncode and len(report["findings"]) == len(blocks)
    for key, count in (case.expect.get("figures") or {}).items():
        assert report["figures"][key] == count, f"{case}: {key} {report['figures']}"


def test_the_cases_cover_every_planted_error_the_issue_names_and_clean_reports():
    rules = {expected["rule"] for case in CASES for expected in case.findings}
    assert {"占比", "增长率", "合计", "合计误标", "占比合计", "三公原因", "公务用车", "占位符", "标题年份", "科目名称",
            "空表说明", "前后不一", "与公开表不符", "上年数", "精度", "增减方向", "公开表"} <= rules
    clean = [case for case in CASES if not case.findings]
    assert len(clean) >= 3 and all(case.expect["exit"] == 0 for case in clean)


def test_every_case_explains_itself():
    for case in CASES:
        assert case.spec.get("说明") and case.spec.get("text"), case
        assert case.expect["exit"] == (1 if any(f.get("severity", "错误") == "错误" for f in case.findings) else 0), case


# ------------------------------------------------------------ docs/audit.md

def rules_in_code() -> set[str]:
    """Every rule name the audit prints: the second argument of Finding(Severity.…, "规则", …)."""
    found = set()
    for path in (ROOT / "budgetdoc" / "audit").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Finding" and len(node.args) > 1 \
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                found.add(node.args[1].value)
    return found


def documented() -> list[str]:
    return re.findall(r"^#### \[(.+?)\]$", DOC.read_text("utf-8"), re.M)


def doc_examples() -> list[tuple[str, str]]:
    text = DOC.read_text("utf-8")
    return re.findall(r"^例（tests/cases/(audit/\S+?)：.*?）：\n\n```text\n(.*?)\n```", text, re.M | re.S)


def test_every_rule_of_the_audit_is_documented_with_an_example():
    code = rules_in_code()
    assert len(code) >= 17, code
    headings = documented()
    assert len(headings) == len(set(headings)), "a rule is described twice"
    assert set(headings) == code, f"undocumented: {code - set(headings)}; not in the code: {set(headings) - code}"
    shown = {re.search(r"\[(.+?)\]", block.split("\n")[0]).group(1) for _, block in doc_examples()}
    assert shown == code, f"rules without an example: {code - shown}"


@pytest.mark.parametrize("ref, block", doc_examples(), ids=[ref for ref, _ in doc_examples()])
def test_doc_example_is_what_the_case_prints(ref: str, block: str, tmp_path: Path):
    assert ref in BY_NAME, f"docs/audit.md names a case that does not exist: {ref}"
    printed, _ = run_case(BY_NAME[ref], tmp_path)
    assert block in finding_blocks(printed.stdout), \
        f"docs/audit.md is stale for {ref}; the case now prints:\n\n{printed.stdout}"
