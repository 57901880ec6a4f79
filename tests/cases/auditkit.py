"""Run the readable cases of tests/cases/audit/: a report's text, and what ``budgetdoc audit`` must find in it.

A case is a folder with one ``case.yaml`` (see tests/cases/README.md): the
text of a short report written for the test, optionally ``format: docx``,
and the findings expected.  The report is written to a scratch folder as
.txt (or built as .docx), ``budgetdoc audit`` runs on it in-process, and the
printed findings are read back.  The assertions live in
tests/test_audit_cases.py.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from cases.casekit import DATA, Ran, budgetdoc_in_process, problem_blocks

CASES = Path(__file__).resolve().parent / "audit"
SEVERITIES = ("错误", "警告", "提示")


@dataclass(frozen=True)
class AuditCase:
    name: str
    spec: dict

    @property
    def expect(self) -> dict:
        return self.spec["expect"]

    @property
    def format(self) -> str:
        return self.spec.get("format", "txt")

    @property
    def findings(self) -> list[dict]:
        return self.expect.get("findings") or []

    def __str__(self) -> str:
        return f"audit/{self.name}"


def load_audit_cases() -> list[AuditCase]:
    cases = []
    for path in sorted(CASES.glob("*/case.yaml")):
        with path.open(encoding="utf-8") as handle:
            cases.append(AuditCase(path.parent.name, yaml.safe_load(handle)))
    return cases


def write_report(case: AuditCase, folder: Path) -> Path:
    """The case's text as the file the audit reads: 报告.txt, or 报告.docx built from its lines."""
    text = case.spec["text"]
    if case.format == "txt":
        path = folder / "报告.txt"
        path.write_text(text, "utf-8")
        return path
    path = folder / "报告.docx"
    path.write_bytes(build_docx(text))
    return path


def build_docx(text: str) -> bytes:
    """A .docx of the lines: each line a paragraph; a run of lines with `` | `` a table.

    In a table's header rows (those before the first row with a number), an
    empty cell after a filled one is merged into it when the row below has
    text there, as a merged header is drawn (公务用车购置及运行维护费 over 小计 |
    购置费 | 运行维护费).
    """
    import io

    import docx

    document = docx.Document()
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if " | " in lines[index]:
            end = index
            while end < len(lines) and " | " in lines[end]:
                end += 1
            _table(document, [[cell.strip() for cell in line.split(" | ")] for line in lines[index:end]])
            index = end
            continue
        if lines[index].strip():
            document.add_paragraph(lines[index])
        index += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, rows: list[list[str]]) -> None:
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    header = next((i for i, row in enumerate(rows) if any(c.replace(".", "").isdigit() for c in row)), len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r in range(header - 1):
        row, below = rows[r], rows[r + 1]
        c = 0
        while c < width:
            end = c + 1
            while row[c] and end < len(row) and not row[end] and end < len(below) and below[end]:
                end += 1
            if end > c + 1:
                table.cell(r, c).merge(table.cell(r, end - 1))
                table.cell(r, c).text = row[c]
            c = end


def run_case(case: AuditCase, folder: Path) -> tuple[Ran, dict]:
    """``budgetdoc audit`` on the case's report (with the case's ``args``), as printed and as --json.

    A case that compares with the data (``--data data:2020``) runs beside a copy of the repository's data/.
    """
    report = write_report(case, folder)
    args = [str(a) for a in case.spec.get("args", [])]
    if any(a.startswith("data:") for a in args):
        shutil.copytree(DATA, folder / "data")
    printed = budgetdoc_in_process(["audit", report.name, *args], folder)
    as_json = budgetdoc_in_process(["audit", report.name, *args, "--json"], folder)
    return printed, json.loads(as_json.stdout)


def finding_blocks(stdout: str) -> list[str]:
    """The printed findings: a header line ``where: 严重程度 [规则] …`` and its indented lines."""
    return [block for block in problem_blocks(stdout)
            if any(f"{severity} [" in block.split("\n", 1)[0] for severity in SEVERITIES)]


def matches(block: str, expected: dict) -> bool:
    header = block.split("\n", 1)[0]
    where = expected.get("where")
    label = f"{expected.get('severity', '错误')} [{expected['rule']}]"
    messages = expected.get("message", [])
    messages = [messages] if isinstance(messages, str) else messages
    located = header.startswith(f"{where}") if where else header.startswith(label)
    return located and label in header and all(str(m) in block for m in messages)
