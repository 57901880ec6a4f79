"""Bad input, case by case: every mistake is located, in Chinese, and nothing is written.

The cases are folders under tests/cases/bad/ (errors) and tests/cases/warn/
(accepted with a warning), each with a ``case.yaml`` a reviewer can read
without this code: what is changed in a copy of data/, the command, and the
expected exit code, ``file:line``, rule and message.  Each case runs the
``budgetdoc`` command's own entry point in-process (arguments, captured
stdout and stderr, the exit code of ``SystemExit``); a handful, one for each
way a run can end, run the real console script in a subprocess, so the exit
code and "no traceback" are what a clerk's terminal shows.

For a bad case the command must:
* exit with the expected non-zero code, without a traceback;
* print the expected rule at the expected ``file:line`` with the message;
* write nothing: the output folder is not even created; and, run again over
  a folder holding a previous report, leave that report byte for byte as it was.
"""

from __future__ import annotations

import functools
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from cases.casekit import (CASES, Case, Ran, expand, load_cases, matching_block, prepare, problem_blocks, run_cli,
                           run_in_process)

BAD = load_cases("bad")
WARN = load_cases("warn")
REPORT = "奈曼旗政务服务局2020年部门预算"


def _explain(case: Case, run) -> str:
    return (f"\ncase {case}: {case.spec.get('说明', '')}\nexit code {run.returncode}\n"
            f"--- stderr ---\n{run.stderr}\n--- stdout ---\n{run.stdout}")


def _assert_reported(case: Case, run, tmp: Path, severity: str) -> None:
    expect = case.expect
    assert run.returncode == expect["exit"], _explain(case, run)
    assert "Traceback" not in run.stderr + run.stdout, _explain(case, run)
    assert "内部错误" not in run.stderr, _explain(case, run)
    block = matching_block(run.stderr, expect, severity)
    assert block is not None, (f"expected [{expect['rule']}] at {expect.get('where')} with "
                               f"{expect.get('message')}" + _explain(case, run))
    for text in expect.get("stderr_lacks", []):
        assert text not in run.stderr, f"“{text}” should not be printed" + _explain(case, run)
    for path in expect.get("absent", []):
        assert not Path(expand(path, tmp)).exists(), f"{path} exists: the input was executed!"


@functools.lru_cache(maxsize=1)
def _real_report() -> bytes:
    """A report as budgetdoc writes it (a stand-in would count as edited in Word and be kept aside)."""
    from budgetdoc.pipeline import build_year
    from repo import DATA
    return build_year(DATA, 2020).docx


def _previous_report(out: Path) -> dict[Path, bytes]:
    folder = out / "2020"
    folder.mkdir(parents=True)
    files = {folder / f"{REPORT}.docx": _real_report(),
             folder / f"{REPORT}.txt": "上一次生成的报告。\n".encode("utf-8")}
    for path, data in files.items():
        path.write_bytes(data)
        os.utime(path, (1_000_000_000, 1_000_000_000))
    return files


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --------------------------------------------------------------------- errors

@dataclass
class Outcome:
    """One case run by the command in its own scratch folder."""

    tmp: Path
    out: Path
    run: Ran | subprocess.CompletedProcess | None = None
    failure: Exception | None = None      # preparing the case went wrong: raised in its own test


# Run as real processes, for the console script's contract (exit code, no
# traceback, nothing written): an argument refused, a file that does not
# parse, an alias bomb and nesting deep enough to overflow a C stack (which
# in-process would take the test run down with it), a broken total.
IN_A_PROCESS = ("24-year-with-letter", "01-tab-indent", "19-alias-bomb", "68-nesting-beyond-the-c-stack",
                "30-income-total")


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory) -> dict[str, Outcome]:
    """Every bad case run once: the subprocess ones in parallel while the rest run in-process, one by one."""
    outcomes = {case.name: Outcome(tmp, tmp / "build")
                for case in BAD for tmp in [tmp_path_factory.mktemp(case.name)]}

    def one(case: Case, runner) -> None:
        outcome = outcomes[case.name]
        try:
            outcome.run = runner(case, outcome.tmp, prepare(case, outcome.tmp), outcome.out)
        except Exception as exc:  # noqa: BLE001 - reported by the case's own test
            outcome.failure = exc

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        started = [pool.submit(one, case, run_cli) for case in BAD if case.name in IN_A_PROCESS]
        for case in BAD:
            if case.name not in IN_A_PROCESS:
                one(case, run_in_process)
        for future in started:
            future.result()
    return outcomes


def test_the_subprocess_cases_exist():
    assert set(IN_A_PROCESS) <= {c.name for c in BAD}


def test_there_are_at_least_30_bad_input_cases():
    assert len(BAD) >= 30, [str(c) for c in BAD]


@pytest.mark.parametrize("case", BAD, ids=str)
def test_bad_input_is_located_and_nothing_is_written(case: Case, bad_runs: dict[str, Outcome]):
    assert case.expect["exit"] != 0, "a bad case must fail"
    ran = bad_runs[case.name]
    if ran.failure is not None:
        raise ran.failure
    run = ran.run
    _assert_reported(case, run, ran.tmp, "error")
    assert "没有生成或修改任何文件" in run.stderr, _explain(case, run)
    assert not ran.out.exists(), f"{case}: the failed build created {_listing(ran.out)}"


# Nothing is written until every check has passed: that guarantee lives in
# one place (the pipeline raises before the writer runs), so one case for each
# stage at which a build can stop is enough to hold it, and keeps the suite fast.
STAGES = ("24-year-with-letter",            # the YEAR argument
          "22-gbk-file", "23-huge-file",     # reading the bytes
          "01-tab-indent", "18-python-tag", "19-alias-bomb",   # parsing
          "10-key-with-space", "29-required-file-missing",      # the schema
          "30-income-total", "35-functions-vs-income", "38-three-public-total",  # identities
          "43-placeholder-left", "44-year-not-folder",           # content, year
          "54-prior-year-syntax")                                # the previous year


def test_every_stage_case_exists():
    assert set(STAGES) <= {c.name for c in BAD}


@pytest.mark.parametrize("case", [c for c in BAD if c.name in STAGES], ids=str)
def test_bad_input_leaves_the_previous_report_untouched(case: Case, tmp_path: Path):
    data = prepare(case, tmp_path)
    out = tmp_path / "build"
    before = _previous_report(out)
    listing = _listing(out)
    run = run_in_process(case, tmp_path, data, out)
    assert run.returncode == case.expect["exit"], _explain(case, run)
    for path, data_bytes in before.items():
        assert path.read_bytes() == data_bytes, f"{case}: {path.name} was changed"
        assert path.stat().st_mtime == 1_000_000_000, f"{case}: {path.name} was rewritten"
    assert _listing(out) == listing, f"{case}: files appeared: {_listing(out)}"


# ------------------------------------------------------------------- warnings

@pytest.mark.parametrize("case", WARN, ids=str)
def test_accepted_input_warns_and_builds(case: Case, tmp_path: Path):
    assert case.expect["exit"] == 0, "a warning case must build"
    data = prepare(case, tmp_path)
    out = tmp_path / "build"
    before = _previous_report(out)
    run = run_in_process(case, tmp_path, data, out)
    _assert_reported(case, run, tmp_path, case.expect.get("severity", "warning"))
    for path in before:   # replaced: the old files were dated 2001 (_previous_report)
        assert path.stat().st_mtime > 1_000_000_000, f"{case}: {path.name} was not replaced by the new report"
    assert (out / "2020" / f"{REPORT}.txt").read_bytes() != before[out / "2020" / f"{REPORT}.txt"]
    assert f"已生成：{out / '2020' / REPORT}.docx" in run.stdout, _explain(case, run)
    assert sorted(p.name for p in (out / "2020").iterdir()) == [".budgetdoc-files", f"{REPORT}.docx", f"{REPORT}.txt",
                                                                 f"{REPORT}.xlsx"]
    # A warning is never an error: nothing in the output is marked 错误.
    assert not [b for b in problem_blocks(run.stderr) if "错误 [" in b.split("\n")[0]], _explain(case, run)


# ------------------------------------------------------------ case hygiene

def test_every_case_says_what_it_is_about():
    for case in BAD + WARN:
        assert case.spec.get("说明"), f"{case} has no 说明"
        assert {"exit", "rule", "message"} <= set(case.expect), f"{case}: incomplete expect"
        assert "where" in case.expect, f"{case}: say where (null when no file is involved)"
        messages = case.expect["message"]
        for m in [messages] if isinstance(messages, str) else messages:
            assert isinstance(m, str), f"{case}: message {m!r} is not text (quote it in case.yaml)"
        # case.yaml is YAML too: a “ #” in an unquoted 说明 would cut it short.
        written = (CASES / case.kind / case.name / "case.yaml").read_text("utf-8").split("说明: ", 1)[1]
        assert written.split("\n", 1)[0].strip().strip("\"'") == case.spec["说明"], f"{case}: quote its 说明"


def test_unmodified_data_builds_without_errors(tmp_path: Path):
    """The control: the same machinery with no edit succeeds, so each failure is the case's doing."""
    control = Case("control", "none", {"说明": "no edit", "expect": {"exit": 0}})
    data = prepare(control, tmp_path)
    run = run_in_process(control, tmp_path, data, tmp_path / "build")
    assert run.returncode == 0, run.stderr
    assert not [b for b in problem_blocks(run.stderr) if "错误 [" in b.split("\n")[0]], run.stderr


# ------------------------------------------------------------ random slips

SLIPS = [" ", "  ", "\t", ":", ": ", "-", "- ", "#", "'", '"', "[", "]", "{", "}", ",", "&a", "*a", "!", "|", ">",
         "0", "1.5", "-1", "null", "~", "yes", "是", "合计", "下级:", "\n", "\n  ", "\n    - ", "XX", "2e2", ".5",
         "1_0", "0x1f", "１", "²", "٣", "? ", "<<: *a", "---", "...", "%", "@", "`", "\x00", "\x85", "\u2028", "\ufeff"]


def test_random_slips_never_crash(tmp_path: Path):
    """Two hundred seeded one-keystroke slips in every data file: each ends in problems or a report, never a crash."""
    import random
    import shutil

    from budgetdoc.compute import compute
    from budgetdoc.narrate import narrate
    from budgetdoc.pipeline import DEFAULT_TEMPLATES, check_year
    from budgetdoc.problems import BudgetError

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data)
    files = sorted(data.glob("*/*.yaml"))
    originals = {f: f.read_text(encoding="utf-8") for f in files}
    rng = random.Random(20200101)
    outcomes = {"problems": 0, "report": 0}
    for _ in range(200):
        path = rng.choice(files)
        lines = originals[path].split("\n")
        k = rng.randrange(len(lines))
        pos = rng.randrange(len(lines[k]) + 1)
        slip = rng.randrange(5)
        if slip == 0:
            del lines[k]
        elif slip == 1:
            lines.insert(k, lines[rng.randrange(len(lines))])
        elif slip == 2:
            lines[k] = lines[k][:pos] + rng.choice(SLIPS) + lines[k][pos:]
        elif slip == 3:
            lines[k] = lines[k][:pos] + lines[k][pos + 1:]
        else:
            lines[k] = "  " + lines[k]
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            checked = check_year(data, 2020)
            narrate(compute(checked.current, checked.prior), DEFAULT_TEMPLATES)   # all but the DOCX bytes
            outcomes["report"] += 1
        except BudgetError as exc:
            assert exc.problems and all(p.message and p.rule for p in exc.problems)
            outcomes["problems"] += 1
        finally:
            path.write_text(originals[path], encoding="utf-8")
    assert outcomes["problems"] > 60 and outcomes["report"] > 15, outcomes   # both paths exercised
