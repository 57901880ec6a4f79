"""The ``budgetdoc audit`` command: read, audit, print, and the exit code.

Findings go to stdout (they are the command's output, as a linter's are),
one block each, then a summary line; a file that cannot be read is one
``错误：…`` line on stderr.  Exit codes: 0 no error (warnings and notes may
remain), 1 an error was found (or the file or the data could not be read),
2 a usage error.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from . import Audit, audit
from .findings import Severity
from .reader import AuditInputError

KINDS = {"docx": "DOCX", "txt": "文本", "pdf": "PDF"}


def run(file: Path, as_json: bool, data: str | None) -> int:
    against = None
    if data is not None:
        from ..problems import BudgetError
        from .against import DataSpecError, load_against

        try:
            against = load_against(data)
        except DataSpecError as exc:
            typer.echo(f"错误：{exc}", err=True)
            return 2
        except BudgetError as exc:
            for problem in exc.problems:
                if not problem.is_note:
                    typer.echo(problem.format(), err=True)
            typer.echo(f"错误：--data {data} 的数据有错误（见上），无法与报告对照；报告没有审核。", err=True)
            return 1
    try:
        result = audit(file, name=str(file), against=against)
    except AuditInputError as exc:
        typer.echo(f"错误：{exc}", err=True)
        return 1
    if as_json:
        typer.echo(json.dumps(as_dict(result, against), ensure_ascii=False, indent=2))
        return result.exit_code
    typer.echo(header(result, against))
    for finding in result.findings:
        typer.echo(finding.format())
    typer.echo(summary(result))
    return result.exit_code


def header(result: Audit, against=None) -> str:
    x = result.extracted
    year = f"{x.year}年（取自{x.year_from}）" if x.year else "不明（标题中没有年份，不核对标题年份）"
    rates = sum(c.rate is not None for c in x.changes)
    text = (f"审核 {result.report.name}（{KINDS[result.report.kind]}）\n报告年度：{year}\n"
            f"读到 {len(result.report.paragraphs)} 段、{len(result.report.tables)} 张表；"
            f"识别出正文中 {sum(not f.from_table for f in x.facts)} 个金额、{len(x.changes)} 处比上年增减"
            f"（其中 {rates} 个增长率）、{len(x.shares)} 个占比，表中 {sum(f.from_table for f in x.facts)} 个数字与正文对照。")
    if result.report.kind == "pdf" and not result.report.tables:
        text += ("\nPDF 中的表格只能读成一行行文字，分不出行和列：公开表中的数字没有与正文对照，表格之间的合计也没有核对。"
                 "要核对公开表，请审核同一份报告的 .docx。")
    if against is not None:
        text += f"\n对照数据：{against.shown}。"
    return text


def summary(result: Audit) -> str:
    counts = (result.count(Severity.ERROR), result.count(Severity.WARNING), result.count(Severity.NOTE))
    if not any(counts):
        return "没有发现问题。"
    return f"发现 {counts[0]} 个错误，{counts[1]} 个警告，{counts[2]} 个提示。"


def as_dict(result: Audit, against=None) -> dict:
    x = result.extracted
    return {
        "file": result.report.name,
        "format": result.report.kind,
        "year": x.year,
        "year_from": x.year_from,
        "data": against.shown if against is not None else None,
        "paragraphs": len(result.report.paragraphs),
        "tables": len(result.report.tables),
        "figures": {"amounts": sum(not f.from_table for f in x.facts), "changes": len(x.changes),
                    "rates": sum(c.rate is not None for c in x.changes), "shares": len(x.shares),
                    "table_figures": sum(f.from_table for f in x.facts)},
        "errors": result.count(Severity.ERROR),
        "warnings": result.count(Severity.WARNING),
        "notes": result.count(Severity.NOTE),
        "exit": result.exit_code,
        "findings": [f.to_dict() for f in result.findings],
    }
