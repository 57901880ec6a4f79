#!/usr/bin/env python3
"""Benchmark budgetdoc (a script, not a test: timings depend on the machine).

    .venv/bin/python scripts/bench.py [--repeat N] [--quick]

Measures, as the median of N runs:
  1. each pipeline step on data/2020 (load+check, compute, narrate, 公开表, DOCX, XLSX, text);
  2. a whole, cold `budgetdoc report 2020` process (what `make report` runs), next to a bare
     `python -c "import docx, jinja2, yaml"`, run alternately, as a ratio (the machine may be busy; the
     ratio holds), and `budgetdoc --help` with what it imports;
  3. synthetic departments of growing size — 功能分类 rows (类 + 款 + 项, each split into 基本 and
     项目), 经济分类 款 and projects with three 绩效指标 each — to show how the build scales:
     100 / 500 / 2,000 rows (20 / 100 / 400 款, 60 / 300 / 1,200 projects);
  4. `budgetdoc import` of a generated line-item export of 20,000 rows (the issue asks ≤ 2 s);
  5. with --suite, the test suite as `make test` runs it: how many tests, and its wall time;
  6. a bureau (issue 12; `--bureau N` runs only this, with 2.): one report in-process once the process is
     warm, next to the same floor; `budgetdoc report 2020 --all` over N (default 1,000) realistic department-years: wall
     time, CPU time, and the peak memory of the main process and its workers together.
With --readme, README.md's bench block gets the figures of the run, with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="only the synthetic departments, 3 runs each")
    parser.add_argument("--suite", action="store_true", help="also time the test suite (make test)")
    parser.add_argument("--readme", action="store_true", help="write the figures into README.md's bench block")
    parser.add_argument("--bureau", type=int, metavar="N", default=None,
                        help="only issue 12's figures: cold start, per report, and N realistic departments with --all")
    args = parser.parse_args()
    if args.readme and (args.quick or args.bureau is not None):
        parser.error("--readme needs the full run (without --quick or --bureau)")     # before minutes of measuring
    if args.bureau is not None:
        issue12(args.repeat, args.bureau)
        return

    real = cold = None
    if not args.quick:
        print(f"data/2020 (median of {args.repeat} runs)")
        real = steps(ROOT / "data", 2020, args.repeat)
        cold = cold_start(args.repeat)

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
    imported = line_item_import(20_000, repeat)
    if args.suite:
        suite()
    if not args.quick:
        bureau = issue12(args.repeat, 1000, cold)
        if args.readme:
            write_readme(real, cold, points, imported, bureau)


# ------------------------------------------------------------------ a bureau of realistic departments (issue 12)

REALISTIC_CLASSES = (("201", "一般公共服务支出", "一般公共服务"), ("207", "文化旅游体育与传媒支出", "文化旅游体育与传媒"),
                     ("208", "社会保障和就业支出", "社会保障和就业"))
# 经济分类 款 of the 基本支出 (known codes and names, so no 科目名称 warning): (类, 类名, column, [(款, 名称)], 每款)
REALISTIC_ECONOMIC = (
    ("301", "工资福利支出", "人员经费", [("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"),
                                          ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"),
                                          ("30109", "职业年金缴费"), ("30110", "职工基本医疗保险缴费"),
                                          ("30113", "住房公积金")], "4.00"),
    ("302", "商品和服务支出", "公用经费", [("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"),
                                            ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"),
                                            ("30208", "取暖费"), ("30209", "物业管理费")], "2.50"),
    ("303", "对个人和家庭的补助", "人员经费", [("30301", "离休费"), ("30302", "退休费"), ("30305", "生活补助"),
                                                ("30309", "奖励金")], "2.00"),
)


def realistic_year(name: str, year: int) -> dict[str, str]:
    """One department-year of realistic size, as its data files: 30 功能分类 项 (3 类 × 2 款 × 5 项, each split
    into 基本 2.00 and 项目 1.00) and a 政府性基金 项, 20 经济分类 款, 10 projects of three 绩效指标 each, and
    every other file filled in, so that every 公开表 has rows.  All identities hold."""
    lines = ["一般公共预算:"]
    for code, title, short in REALISTIC_CLASSES:
        lines += [f"  - 编码: {code}", f"    名称: {title}", f"    简称: {short}", "    金额: 30.00",
                  "    基本支出: 20.00", "    项目支出: 10.00", "    下级:"]
        for k in (40, 41):
            lines += [f"      - 编码: {code}{k}", f"        名称: 款{code}{k}", "        金额: 15.00",
                      "        基本支出: 10.00", "        项目支出: 5.00", "        下级:"]
            for x in range(1, 6):
                # the year before, two 项 of each 款 split their 项目支出 otherwise (the 款 and every total as now)
                project = {1: "1.50", 2: "0.50"}.get(x, "1.00") if year < 2020 else "1.00"
                lines += [f"          - 编码: {code}{k}{x:02d}", f"            名称: 项{code}{k}{x:02d}",
                          f"            金额: {Decimal(2) + Decimal(project):.2f}", "            基本支出: 2.00",
                          f"            项目支出: {project}", f"            用途: 第{x}项工作的人员经费和日常运转"]
    lines += ["政府性基金:", "  - 编码: 229", "    名称: 其他支出", "    金额: 5.00", "    项目支出: 5.00", "    下级:",
              "      - 编码: 22960", "        名称: 彩票公益金安排的支出", "        金额: 5.00", "        项目支出: 5.00",
              "        下级:", "          - 编码: 2296003", "            名称: 用于体育事业的彩票公益金支出",
              "            金额: 5.00", "            项目支出: 5.00"]
    economic = ["  经济分类:"]
    for code, title, column, items, each in REALISTIC_ECONOMIC:
        total = f"{sum(Decimal(each) for _ in items):.2f}"
        economic += [f"    - 编码: {code}", f"      名称: {title}", f"      {column}: {total}", "      下级:"]
        economic += [line for item, item_name in items for line in
                     (f"        - 编码: {item}", f"          名称: {item_name}", f"          {column}: {each}")]
    projects = []
    for i in range(1, 11):
        projects += [f"    - 名称: 重点工作项目{i:02d}", "      金额: 3.50", "      财政拨款: 3.50", "      绩效目标: 已公开",
                     "      年度目标: 按期完成年度重点工作任务，服务群众，提高公共服务水平。", "      绩效指标:",
                     "        - 一级指标: 产出指标\n          二级指标: 数量指标\n          三级指标: 服务人次\n"
                     "          指标值: ≥1000人次",
                     "        - 一级指标: 产出指标\n          二级指标: 时效指标\n          三级指标: 完成时间\n"
                     "          指标值: 12月底前",
                     "        - 一级指标: 满意度指标\n          二级指标: 服务对象满意度指标\n          三级指标: 群众满意度\n"
                     "          指标值: ≥90%"]
    department = (ROOT / "data" / "2020" / "department.yaml").read_text("utf-8")
    department = department.replace("部门名称: 奈曼旗政务服务局", f"部门名称: {name}").replace("年度: 2020", f"年度: {year}")
    return {
        "department.yaml": department,
        "glossary.yaml": (ROOT / "data" / "2020" / "glossary.yaml").read_text("utf-8"),
        "functions.yaml": "\n".join(lines) + "\n",
        "expenditure.yaml": "\n".join([
            "合计: 95.00", "基本支出:", "  合计: 60.00", "  人员经费: 40.00", "  公用经费: 20.00",
            "  主要用途: 人员工资、保险及机构运转等方面支出", *economic,
            "项目支出:", "  合计: 35.00", "  主要用途: 重点工作项目支出", "  项目:", *projects,
            "事业单位经营支出: 0", "变动原因: 重点工作项目增加。", ""]),
        "income.yaml": "合计: 95.00\n一般公共预算拨款收入: 90.00\n政府性基金预算拨款收入: 5.00\n事业收入: 0\n"
                       "事业单位经营收入: 0\n其他收入: 0\n上年结转: 0\n用事业基金弥补收支差额: 0\n变动原因: 重点工作项目增加。\n",
        "three_public.yaml": "合计:\n  预算数: 6\n  执行数: 5.5\n因公出国（境）费:\n  预算数: 1\n  执行数: 1\n"
                             "公务接待费:\n  预算数: 2\n  执行数: 1.5\n公务用车购置及运行维护费:\n  合计:\n    预算数: 3\n"
                             "    执行数: 3\n  购置费:\n    预算数: 0\n    执行数: 0\n  运行维护费:\n    预算数: 3\n    执行数: 3\n",
        "operating_costs.yaml": "合计: 20.00\n明细:\n  - 名称: 办公费\n    金额: 2.50\n  - 名称: 印刷费\n    金额: 2.50\n"
                                "  - 名称: 水电费\n    金额: 5.00\n  - 名称: 邮电费\n    金额: 2.50\n  - 名称: 取暖费\n"
                                "    金额: 2.50\n  - 名称: 物业管理费\n    金额: 5.00\n",
        "procurement.yaml": "合计: 12.00\n货物: 5.00\n工程: 0\n服务: 7.00\n授予中小企业: 8.40\n",
        "assets.yaml": f"统计截至: {year - 1}年末\n车辆: 2\n一般公务用车: 2\n大型设备: 0\n",
    }


def realistic_bureau(target: Path, departments: int) -> Path:
    """A bureau of ``departments`` realistic departments (data/<部门>/2019 and 2020), for the batch benchmark."""
    data = target / "bureau-data"
    years = {year: realistic_year("示例部门", year) for year in (2019, 2020)}
    for n in range(1, departments + 1):
        for year, files in years.items():
            folder = data / f"部门{n:04d}" / str(year)
            folder.mkdir(parents=True)
            for name, text in files.items():
                if name == "department.yaml":
                    text = text.replace("部门名称: 示例部门", f"部门名称: 示例部门{n:04d}")
                (folder / name).write_text(text, "utf-8")
    return data


def _tree_memory(pid: int) -> tuple[int, int]:
    """(Σ RSS, Σ PSS) in bytes of a process and its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    rss = pss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


def bureau_batch(departments: int = 1000, jobs: int | None = None) -> dict[str, float]:
    """``budgetdoc report 2020 --all`` over ``departments`` realistic department-years, as a whole process:
    wall time, and the peak memory of the process and its workers together (sampled every 20 ms)."""
    import os
    import resource
    import threading

    jobs = jobs or len(os.sched_getaffinity(0))
    exe = Path(sys.executable).parent / "budgetdoc"
    with tempfile.TemporaryDirectory() as tmp:
        data = realistic_bureau(Path(tmp), departments)
        peak = [0, 0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = os.getloadavg()[0]
        start = time.perf_counter()
        process = subprocess.Popen([str(exe), "report", "2020", "--all", "--jobs", str(jobs), "--data", str(data),
                                    "--out", str(Path(tmp) / "out")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def sample() -> None:
            while process.poll() is None:
                rss, pss = _tree_memory(process.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        out, err = process.communicate()
        wall = time.perf_counter() - start
        sampler.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if process.returncode != 0:
            raise SystemExit(f"the batch failed ({process.returncode}):\n{err.decode()[-2000:]}")
        written = sum(1 for _ in (Path(tmp) / "out" / "2020").rglob("*.docx"))
    print(f"  {departments:,} department-years, --jobs {jobs}: {wall:6.1f} s wall ({wall / departments * 1000:.0f} ms "
          f"each), {written:,} reports (DOCX + XLSX + text) and 汇总.xlsx")
    print(f"  CPU time of the run {cpu:6.1f} s ({cpu / departments * 1000:.0f} ms per department-year; {cpu / wall:.2f} "
          f"cores busy; load average {load:.2f} when it started: other work on the machine slows the wall time)")
    print(f"  peak memory of the whole run (main process + workers): {peak[1] / 2**20:.0f} MB PSS "
          f"({peak[0] / 2**20:.0f} MB Σ RSS, counting shared pages once per process)")
    return {"wall": wall, "cpu": cpu, "pss": peak[1], "rss": peak[0], "departments": departments, "jobs": jobs}


def cold_start(repeat: int) -> dict[str, float]:
    """A cold ``budgetdoc report 2020`` process against a bare ``python -c "import docx, jinja2, yaml"`` and
    ``budgetdoc --help``, with budgetdoc's own modules byte-compiled as an installed package has them (this
    machine may set PYTHONDONTWRITEBYTECODE); also what ``--help`` imports."""
    import compileall
    import json

    compileall.compile_dir(str(ROOT / "budgetdoc"), quiet=1)
    exe = Path(sys.executable).parent / "budgetdoc"
    n = max(7, repeat // 2)
    # Interleaved, so that other work on the machine weighs on both sides of the ratio alike.
    runs: dict[str, list[float]] = {"report": [], "bare": [], "help": []}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {"report": [str(exe), "report", "2020", "--out", tmp],
                    "bare": [sys.executable, "-c", "import docx, jinja2, yaml"], "help": [str(exe), "--help"]}
        subprocess.run(commands["report"], cwd=ROOT, capture_output=True, check=True)      # the template cache
        for _ in range(n):
            for name, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
                runs[name].append((time.perf_counter() - start) * 1000)
    report_ms, bare_ms, help_ms = (statistics.median(runs[k]) for k in ("report", "bare", "help"))
    probe = ("import json, sys\nsys.argv = ['budgetdoc', '--help']\nfrom budgetdoc.entry import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "sys.__stderr__.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                           check=True).stderr))
    heavy = sorted(loaded & {"docx", "lxml", "jinja2", "yaml", "xlsxwriter", "ruamel"})
    print(f"  cold `budgetdoc report 2020` {report_ms:7.1f} ms, bare import of docx, jinja2, yaml {bare_ms:7.1f} ms: "
          f"ratio {report_ms / bare_ms:.2f}×")
    print(f"  `budgetdoc --help` {help_ms:7.1f} ms; it imports {', '.join(heavy) or 'none'} of docx, lxml, jinja2, yaml, "
          "xlsxwriter, ruamel")
    return {"report": report_ms, "bare": bare_ms, "help": help_ms}


def per_report(repeat: int) -> dict[str, float]:
    """A report built in-process once the process is warm (templates compiled, base document made), next to the
    bare-import floor: data/2020 and one realistic department-year."""
    out = {}
    out["data"], _ = timed(lambda: build_year(ROOT / "data", 2020), repeat)
    with tempfile.TemporaryDirectory() as tmp:
        data = realistic_bureau(Path(tmp), 1)
        build_year(data / "部门0001", 2020)
        out["realistic"], _ = timed(lambda: build_year(data / "部门0001", 2020), repeat)
    bare_ms, _ = timed(lambda: subprocess.run([sys.executable, "-c", "import docx, jinja2, yaml"],
                                              capture_output=True, check=True), max(3, repeat // 4))
    print(f"  per report in-process (warm): data/2020 {out['data']:.1f} ms, a realistic department-year "
          f"{out['realistic']:.1f} ms; the bare-import floor of a process is {bare_ms:.1f} ms")
    out["bare"] = bare_ms
    return out


def issue12(repeat: int, departments: int, cold: dict[str, float] | None = None) -> dict[str, float]:
    """Everything issue 12 asks to measure, with the machine (``cold``: the cold start, when already measured)."""
    import os
    import platform

    print(f"\nissue 12 ({os.cpu_count()}-core {platform.machine()}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()})")
    if cold is None:
        cold_start(repeat)
    else:
        print(f"  cold start: measured above ({cold['report'] / cold['bare']:.2f}× the bare import)")
    warm = per_report(repeat)
    return {**bureau_batch(departments), "warm_data": warm["data"], "warm_realistic": warm["realistic"]}


README = ROOT / "README.md"
BLOCK_START = "<!-- bench: written by `.venv/bin/python scripts/bench.py --readme`; do not edit by hand -->"
BLOCK_END = "<!-- /bench -->"


def write_readme(real: dict[str, float], cold: dict[str, float], points: list[tuple[int, float]], imported: float,
                 bureau: dict[str, float]) -> None:
    """The figures of this run into README.md, between the bench markers, with the machine and the date."""
    import datetime
    import os
    import platform

    def ms(value: float) -> str:
        return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"

    report_ms, bare_ms = cold["report"], cold["bare"]
    lines = [BLOCK_START,
             f"One run of `make bench` ({datetime.date.today().isoformat()}, {os.cpu_count()}-core {platform.machine()}, "
             f"Python {platform.python_version()}; rerun it to see yours):", "",
             "| What | Time |", "| --- | --- |",
             "| data/2020: load + check / compute / narrate / 公开表 / DOCX / XLSX | "
             + " / ".join(ms(real[k]) for k in ("check", "compute", "narrate", "tables", "docx", "xlsx")) + " |",
             f"| data/2020: `build_year` (DOCX + XLSX + text in memory) | {ms(real['build'])} |",
             f"| a whole, cold `budgetdoc report 2020` process | {ms(report_ms)} ({report_ms / bare_ms:.1f}× a bare import "
             f"of docx, jinja2 and yaml: {ms(bare_ms)}); `budgetdoc --help` {ms(cold['help'])} |"]
    for rows, build in points:
        lines.append(f"| synthetic, {rows:,} rows ({rows // 5} 款, {rows * 3 // 5:,} projects) | "
                     f"{build / 1000:.2f} s ({build / rows:.1f} ms per row) |")
    lines.append(f"| `budgetdoc import` of a 20,000-row line-item export (read, apply, derive, check) | "
                 f"{imported / 1000:.2f} s |")
    lines.append(f"| one report in a warm process (templates compiled, base document made): data/2020 / a realistic "
                 f"department-year | {ms(bureau['warm_data'])} / {ms(bureau['warm_realistic'])} |")
    lines.append(f"| `report --all`, {bureau['departments']:,} realistic department-years, {bureau['jobs']} workers | "
                 f"{bureau['wall']:.0f} s wall, {bureau['cpu'] / bureau['departments'] * 1000:.0f} ms CPU per "
                 f"department-year, {bureau['pss'] / 2**20:.0f} MB PSS at the peak |")
    lines.append(BLOCK_END)
    text = README.read_text("utf-8")
    start, end = text.index(BLOCK_START), text.index(BLOCK_END) + len(BLOCK_END)
    README.write_text(text[:start] + "\n".join(lines) + text[end:], "utf-8")
    print(f"\nwrote the figures into {README.name}")


def suite() -> None:
    """The test suite once, as `make test` runs it: pytest's own count and time, and the wall time."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "auto"], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()
    print(f"\ntest suite (make test)\n  {summary}\n  wall time {wall:8.1f} s")


if __name__ == "__main__":
    main()
