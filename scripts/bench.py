#!/usr/bin/env python3
"""Benchmark budgetdoc (a script, not a test: timings depend on the machine).

    .venv/bin/python scripts/bench.py [--repeat N] [--quick]

Measures, as the median of N runs:
  1. each pipeline step on data/2020 (load+check, compute, narrate, 公开表, DOCX, XLSX, text);
  2. a whole `budgetdoc report 2020` process (what `make report` runs), next to a bare
     `python -c "import docx, jinja2, yaml"`, as a ratio (the machine may be busy; the ratio holds);
  3. synthetic departments of growing size — 功能分类 rows (类 + 款 + 项, each split into 基本 and
     项目), 经济分类 款 and projects with three 绩效指标 each — to show how the build scales:
     100 / 500 / 2,000 rows (20 / 100 / 400 款, 60 / 300 / 1,200 projects);
  4. `budgetdoc import` of a generated line-item export of 20,000 rows (the issue asks ≤ 2 s);
  5. with --suite, the test suite as `make test` runs it: how many tests, and its wall time.
README.md quotes the figures of one run, with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetdoc.arrange import arrange  # noqa: E402
from budgetdoc.compute import compute  # noqa: E402
from budgetdoc.layout import Layout  # noqa: E402
from budgetdoc.narrate import narrate  # noqa: E402
from budgetdoc.pipeline import DEFAULT_TEMPLATES, build_year, check_year  # noqa: E402
from budgetdoc.statements import build_statements, place_tables, tableset_or_raise  # noqa: E402
from budgetdoc.writers.docx import render_docx  # noqa: E402
from budgetdoc.writers.text import render_text  # noqa: E402
from budgetdoc.writers.xlsx import render_xlsx  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def steps(data: Path, year: int, repeat: int) -> dict[str, float]:
    """Each step of one build, printed; returns the times in ms by step."""
    layout = Layout()
    tableset = tableset_or_raise(DEFAULT_TEMPLATES)
    out: dict[str, float] = {}
    out["check"], checked = timed(lambda: check_year(data, year), repeat)
    print(f"  load + check     {out['check']:8.1f} ms")
    out["compute"], figures = timed(lambda: compute(checked.current, checked.prior), repeat)
    print(f"  compute          {out['compute']:8.1f} ms")
    out["narrate"], prose = timed(lambda: narrate(figures, DEFAULT_TEMPLATES), repeat)
    print(f"  narrate          {out['narrate']:8.1f} ms  ({len(prose.blocks)} blocks)")
    out["tables"], tables = timed(lambda: build_statements(figures, tableset), repeat)
    rows = sum(len(t.rows) for t in tables)
    print(f"  公开表 (model)    {out['tables']:8.1f} ms  ({len(tables)} tables, {rows:,} body rows)")
    doc = arrange(place_tables(prose, tables), layout)
    out["docx"], docx = timed(lambda: render_docx(doc, layout), repeat)
    print(f"  write DOCX       {out['docx']:8.1f} ms  ({len(docx):,} bytes)")
    out["xlsx"], xlsx = timed(lambda: render_xlsx(doc, layout), repeat)
    print(f"  write XLSX       {out['xlsx']:8.1f} ms  ({len(xlsx):,} bytes)")
    out["text"], _ = timed(lambda: render_text(doc), repeat)
    print(f"  write text       {out['text']:8.1f} ms")
    out["build"], _ = timed(lambda: build_year(data, year), repeat)
    print(f"  build_year total {out['build']:8.1f} ms  (everything above, DOCX + XLSX + text in memory)")
    return out


# ------------------------------------------------------------------ a synthetic department

ECONOMIC_CLASSES = (("301", "人员经费"), ("303", "人员经费"), ("302", "公用经费"), ("310", "公用经费"),
                    ("305", "人员经费"), ("307", "人员经费"), ("309", "公用经费"), ("399", "公用经费"))


def shape(rows: int) -> tuple[int, int, int]:
    """类, 款 per 类 and 项 per 款 giving ``rows`` 功能分类 rows: c + c·4 + c·4·5 = 25c."""
    classes = rows // 25
    return classes, 4, 5


def synthetic(target: Path, rows: int) -> Path:
    """A complete department: ``rows`` 功能分类 rows, rows/5 经济分类 款, 0.6·rows projects (all identities hold).

    Each 项 is 2.75 万元 (基本 2.00 + 项目 0.75); each 款 of 经济分类 8.00; each project 1.00.
    """
    data = target / f"data-{rows}"
    year = data / "2020"
    shutil.copytree(ROOT / "data" / "2020", year)
    classes, kuan, xiang = shape(rows)
    items = classes * kuan * xiang
    basic, project = 2 * items, items * 3 // 4          # 万元, whole numbers
    total = basic + project
    lines = ["一般公共预算:"]
    for c in range(classes):
        code = f"{201 + c}"
        lines += [f"  - 编码: {code}", f"    名称: 科目{code}", f"    金额: {kuan * xiang * 2.75:.2f}",
                  f"    基本支出: {kuan * xiang * 2:.2f}", f"    项目支出: {kuan * xiang * 0.75:.2f}", "    下级:"]
        for k in range(1, kuan + 1):
            lines += [f"      - 编码: {code}{k:02d}", f"        名称: 款{code}{k:02d}", f"        金额: {xiang * 2.75:.2f}",
                      f"        基本支出: {xiang * 2:.2f}", f"        项目支出: {xiang * 0.75:.2f}", "        下级:"]
            for x in range(1, xiang + 1):
                lines += [f"          - 编码: {code}{k:02d}{x:02d}", f"            名称: 项{code}{k:02d}{x:02d}",
                          "            金额: 2.75", "            基本支出: 2.00", "            项目支出: 0.75"]
    lines.append("政府性基金: []")
    (year / "functions.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    economic = rows // 5
    per_class = economic // (4 if economic <= 4 * 99 else 8)
    used = ECONOMIC_CLASSES[:economic // per_class]
    personnel = sum(per_class * 8 for _, column in used if column == "人员经费")
    public = basic - personnel
    econ = ["  经济分类:"]
    for code, column in used:
        econ += [f"    - 编码: {code}", f"      名称: 经济{code}", f"      {column}: {per_class * 8:.2f}", "      下级:"]
        econ += [line for k in range(1, per_class + 1) for line in
                 (f"        - 编码: {code}{k:02d}", f"          名称: 经济款{code}{k:02d}", f"          {column}: 8.00")]
    projects = []
    for i in range(project):
        projects += [f"    - 名称: 项目{i + 1:04d}", "      金额: 1.00", "      财政拨款: 1.00", "      绩效目标: 已公开",
                     "      年度目标: 按期完成项目建设任务，服务群众。", "      绩效指标:"]
        projects += ["        - 一级指标: 产出指标\n          二级指标: 数量指标\n          三级指标: 服务人次\n"
                     "          指标值: ≥1000人次",
                     "        - 一级指标: 产出指标\n          二级指标: 时效指标\n          三级指标: 完成时间\n"
                     "          指标值: 12月底前",
                     "        - 一级指标: 满意度指标\n          二级指标: 服务对象满意度指标\n          三级指标: 群众满意度\n"
                     "          指标值: ≥90%"]
    (year / "expenditure.yaml").write_text("\n".join([
        f"合计: {total}", "基本支出:", f"  合计: {basic}", f"  人员经费: {personnel}", f"  公用经费: {public}",
        *econ, "项目支出:", f"  合计: {project}", "  项目:", *projects, "事业单位经营支出: 0", ""]), "utf-8")
    (year / "income.yaml").write_text(
        f"合计: {total}\n一般公共预算拨款收入: {total}\n政府性基金预算拨款收入: 0\n事业收入: 0\n事业单位经营收入: 0\n"
        "其他收入: 0\n上年结转: 0\n用事业基金弥补收支差额: 0\n", "utf-8")
    (year / "three_public.yaml").write_text(
        "合计:\n  预算数: 40\n因公出国（境）费:\n  预算数: 8\n公务接待费:\n  预算数: 8\n公务用车购置及运行维护费:\n"
        "  合计:\n    预算数: 24\n  购置费:\n    预算数: 8\n  运行维护费:\n    预算数: 16\n", "utf-8")
    (year / "operating_costs.yaml").write_text("合计: 10\n明细:\n  - 名称: 办公费\n    金额: 10\n", "utf-8")
    return data


LINE_ITEM_LEAVES = ("2070308", "2080501", "2080502", "2080505", "2101101", "2210201")
LINE_ITEM_ECONOMIC = ("30101", "30102", "30103", "30107", "30108", "30201", "30205", "30206", "30302")


def line_item_export(rows: int) -> bytes:
    """A budget-system line-item export of ``rows`` lines (元, code and name columns as the data model names them)."""
    import io

    import xlsxwriter

    from budgetdoc.classification import code_name

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("预算明细")
    sheet.write_row(0, 0, ["FISCAL_YEAR", "AGENCY_NAME", "EXP_FUNC_CODE", "EXP_FUNC_NAME", "DEP_BGT_ECO_CODE",
                           "DEP_BGT_ECO_NAME", "PRO_CODE", "PRO_NAME", "FUND_TYPE_NAME", "金额（元）"])
    for i in range(rows):
        func = LINE_ITEM_LEAVES[i % len(LINE_ITEM_LEAVES)]
        project = i % 4 == 0
        econ = "30201" if project else LINE_ITEM_ECONOMIC[i % len(LINE_ITEM_ECONOMIC)]
        sheet.write_row(i + 1, 0, [2020, "奈曼旗政务服务局本级", func, code_name(func, 2020), econ, code_name(econ, 2020) or econ,
                                   f"P{i % 300:04d}" if project else "", f"项目{i % 300:04d}" if project else "",
                                   "一般公共预算资金"])
        sheet.write_number(i + 1, 9, 100 + i % 97 + (i % 13) / 100)     # 元 with 分: 1.234567 万元 and the like
    book.close()
    return out.getvalue()


def line_item_import(rows: int, repeat: int) -> float:
    """``budgetdoc import`` of a generated line-item export into a copy of data/ (read, apply, derive, check); ms."""
    from budgetdoc.importer import import_file

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data)
        export = Path(tmp) / "明细.xlsx"
        export.write_bytes(line_item_export(rows))
        ms, result = timed(lambda: import_file(export, "2020", data), repeat)
    print(f"\nbudgetdoc import: a line-item export of {rows:,} rows (median of {repeat} runs)\n"
          f"  read + apply + derive + check {ms:8.1f} ms  ({len(result.changes)} figures changed)")
    return ms


def process_ratio(repeat: int) -> tuple[float, float]:
    exe = Path(sys.executable).parent / "budgetdoc"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(exe), "report", "2020", "--out", tmp]
        bare = [sys.executable, "-c", "import docx, jinja2, yaml"]
        n = max(3, repeat // 4)
        report_ms, _ = timed(lambda: subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True), n)
        bare_ms, _ = timed(lambda: subprocess.run(bare, capture_output=True, check=True), n)
    print(f"  `budgetdoc report 2020` process {report_ms:8.1f} ms")
    print(f"  bare `python -c \"import docx, jinja2, yaml\"` {bare_ms:8.1f} ms  (ratio {report_ms / bare_ms:.2f}×)")
    return report_ms, bare_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="only the synthetic departments, 3 runs each")
    parser.add_argument("--suite", action="store_true", help="also time the test suite (make test)")
    parser.add_argument("--readme", action="store_true", help="write the figures into README.md's bench block")
    args = parser.parse_args()

    real = process = None
    if not args.quick:
        print(f"data/2020 (median of {args.repeat} runs)")
        real = steps(ROOT / "data", 2020, args.repeat)
        process = process_ratio(args.repeat)

    repeat = 3 if args.quick else max(3, args.repeat // 4)
    points = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (100, 500, 2000):
            data = synthetic(Path(tmp), rows)
            print(f"\nsynthetic: {rows:,} 功能分类 rows, {rows // 5} 经济分类 款, {rows * 3 // 5:,} projects "
                  f"(median of {repeat} runs)")
            points.append((rows, steps(data, 2020, repeat)["build"]))
    print("\nscaling (build_year, DOCX + XLSX):")
    for rows, ms in points:
        print(f"  {rows:>5,} rows  {ms:8.1f} ms  {ms / rows:6.3f} ms per row")
    line_item_import(20_000, repeat)
    if args.readme:
        if real is None or process is None:
            parser.error("--readme needs the full run (without --quick)")
        write_readme(real, process, points)
    if args.suite:
        suite()


README = ROOT / "README.md"
BLOCK_START = "<!-- bench: written by `.venv/bin/python scripts/bench.py --readme`; do not edit by hand -->"
BLOCK_END = "<!-- /bench -->"


def write_readme(real: dict[str, float], process: tuple[float, float], points: list[tuple[int, float]]) -> None:
    """The figures of this run into README.md, between the bench markers, with the machine and the date."""
    import datetime
    import os
    import platform

    def ms(value: float) -> str:
        return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"

    report_ms, bare_ms = process
    lines = [BLOCK_START,
             f"One run of `make bench` ({datetime.date.today().isoformat()}, {os.cpu_count()}-core {platform.machine()}, "
             f"Python {platform.python_version()}; rerun it to see yours):", "",
             "| What | Time |", "| --- | --- |",
             "| data/2020: load + check / compute / narrate / 公开表 / DOCX / XLSX | "
             + " / ".join(ms(real[k]) for k in ("check", "compute", "narrate", "tables", "docx", "xlsx")) + " |",
             f"| data/2020: `build_year` (DOCX + XLSX + text in memory) | {ms(real['build'])} |",
             f"| a whole `budgetdoc report 2020` process | {ms(report_ms)} ({report_ms / bare_ms:.1f}× a bare import of "
             f"docx, jinja2 and yaml: {ms(bare_ms)}) |"]
    for rows, build in points:
        lines.append(f"| synthetic, {rows:,} rows ({rows // 5} 款, {rows * 3 // 5:,} projects) | "
                     f"{build / 1000:.2f} s ({build / rows:.1f} ms per row) |")
    lines.append(BLOCK_END)
    text = README.read_text("utf-8")
    start, end = text.index(BLOCK_START), text.index(BLOCK_END) + len(BLOCK_END)
    README.write_text(text[:start] + "\n".join(lines) + text[end:], "utf-8")
    print(f"\nwrote the figures into {README.name}")


def suite() -> None:
    """The test suite once, as `make test` runs it: pytest's own count and time, and the wall time."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()
    print(f"\ntest suite (make test)\n  {summary}\n  wall time {wall:8.1f} s")


if __name__ == "__main__":
    main()
