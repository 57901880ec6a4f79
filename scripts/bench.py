#!/usr/bin/env python3
"""Benchmark budgetdoc (a script, not a test: timings depend on the machine).

    .venv/bin/python scripts/bench.py [--repeat N]

Measures, as the median of N runs:
  1. each pipeline step on data/2020 (load+check, compute, narrate, DOCX, text);
  2. a whole `budgetdoc report 2020` process (what `make report` runs);
  3. a large synthetic department: 200 projects and a 功能分类 of 20 类 × 5 款 × 4 项,
     to see how the build scales;
  4. with --suite, the test suite as `make test` runs it: how many tests, and its wall time.
README.md describes these figures; it does not keep them (they change with the code).
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

from decimal import Decimal  # noqa: E402

from budgetdoc.compute import compute  # noqa: E402
from budgetdoc.number import D, round_money  # noqa: E402
from budgetdoc.narrate import narrate  # noqa: E402
from budgetdoc.pipeline import DEFAULT_TEMPLATES, build_year, check_year  # noqa: E402
from budgetdoc.writers.docx import render_docx  # noqa: E402
from budgetdoc.writers.text import render_text  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def steps(data: Path, repeat: int) -> None:
    ms, checked = timed(lambda: check_year(data, 2020), repeat)
    print(f"  load + check     {ms:8.1f} ms")
    ms, figures = timed(lambda: compute(checked.current, checked.prior), repeat)
    print(f"  compute          {ms:8.1f} ms")
    ms, doc = timed(lambda: narrate(figures, DEFAULT_TEMPLATES), repeat)
    print(f"  narrate          {ms:8.1f} ms  ({len(doc.blocks)} blocks)")
    ms, data_bytes = timed(lambda: render_docx(doc), repeat)
    print(f"  write DOCX       {ms:8.1f} ms  ({len(data_bytes):,} bytes)")
    ms, _ = timed(lambda: render_text(doc), repeat)
    print(f"  write text       {ms:8.1f} ms")
    ms, _ = timed(lambda: build_year(data, 2020), repeat)
    print(f"  build_year total {ms:8.1f} ms")


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """``amount`` in ``parts`` pieces of 0.01 precision that add up exactly."""
    piece = round_money(amount / parts)
    pieces = [piece] * (parts - 1)
    return pieces + [amount - piece * (parts - 1)]


def synthetic(target: Path) -> Path:
    """data/2020 grown to 200 projects and 20 类 × 5 款 × 4 项 (identities kept)."""
    data = target / "data"
    shutil.copytree(ROOT / "data", data)
    year = data / "2020"
    projects = ["  合计: 4674.00", "  项目:"]
    for i in range(200):
        projects += [f"    - 名称: 项目{i + 1:03d}", "      金额: 23.37", "      绩效目标: 已公开"]
    exp = (year / "expenditure.yaml").read_text("utf-8")
    head, rest = exp.split("项目支出:\n", 1)
    tail = rest.split("事业单位经营支出:", 1)[1]
    total = D("129.91") + D("4674.00")
    exp = head.replace("合计: 176.65", f"合计: {total}") + "项目支出:\n" + "\n".join(projects) \
        + "\n\n事业单位经营支出:" + tail
    (year / "expenditure.yaml").write_text(exp, "utf-8")
    inc = (year / "income.yaml").read_text("utf-8").replace("176.65", f"{total}")
    (year / "income.yaml").write_text(inc, "utf-8")
    oc = (year / "operating_costs.yaml").read_text("utf-8").replace("54.24", f"{D('7.50') + D('4674.00')}")
    (year / "operating_costs.yaml").write_text(oc, "utf-8")
    lines = ["一般公共预算:"]
    codes = [201, 203, 204, 205, 206, 207, 208, 210, 211, 212, 213, 214, 215, 216, 217, 219, 220, 221, 222, 224]
    for code, amount in zip(codes, split(total, 20)):
        lines += [f"  - 编码: {code}", f"    名称: 科目{code}", f"    金额: {amount}", "    下级:"]
        for k, ka in enumerate(split(amount, 5), 1):
            lines += [f"      - 编码: {code}{k:02d}", f"        名称: 款{code}{k:02d}", f"        金额: {ka}",
                      "        下级:"]
            for x, xa in enumerate(split(ka, 4), 1):
                lines += [f"          - 编码: {code}{k:02d}{x:02d}", f"            名称: 项{code}{k:02d}{x:02d}",
                          f"            金额: {xa}"]
    lines.append("政府性基金: []")
    (year / "functions.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--suite", action="store_true", help="also time the test suite (make test)")
    args = parser.parse_args()

    print(f"data/2020 (median of {args.repeat} runs)")
    steps(ROOT / "data", args.repeat)

    exe = Path(sys.executable).parent / "budgetdoc"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(exe), "report", "2020", "--out", tmp]
        ms, _ = timed(lambda: subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True), max(3, args.repeat // 4))
        print(f"  `budgetdoc report 2020` process {ms:8.1f} ms")

        print(f"\nsynthetic: 200 projects, 20 类 × 5 款 × 4 项 (median of {max(3, args.repeat // 4)} runs)")
        data = synthetic(Path(tmp))
        steps(data, max(3, args.repeat // 4))

    if args.suite:
        suite()


def suite() -> None:
    """The test suite once, as `make test` runs it: pytest's own count and time, and the wall time."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()
    print(f"\ntest suite (make test)\n  {summary}\n  wall time {wall:8.1f} s")


if __name__ == "__main__":
    main()
