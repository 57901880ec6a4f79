"""README.md says what the tool does today: its examples are run and compared, its setup lines agree.

* the error example under “出错时” is run as written (the edit the sentence
  describes, then the command) and must print exactly the block shown;
* the textconv line is the same in README.md, docs/review.md and the
  comment of .gitattributes, and works with git;
* figures that change with the code (test counts, timings) are not kept in
  the prose: ``make bench`` measures them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from cases.casekit import budgetdoc_in_process
from repo import DATA, ROOT

README = (ROOT / "README.md").read_text("utf-8")


def test_the_error_example_is_what_the_command_prints(tmp_path: Path):
    section = README.split("### 出错时", 1)[1]
    found = re.search(r"把(\S+?)从 ([\d.]+) 改成 ([\d.]+)、其他数字不动，`make report YEAR=(\d{4})` 会说"
                      r"[^\n]*：\n\n```\n(.*?)\n```", section, re.S)
    assert found, "the example under 出错时 no longer reads “把…从 X 改成 Y、其他数字不动，`make report YEAR=…` 会说：”"
    field, old, new, year, shown = found.groups()
    shutil.copytree(DATA, tmp_path / "data")
    holders = [p for p in (tmp_path / "data" / year).glob("*.yaml") if f"{field}: {old}\n" in p.read_text("utf-8")]
    assert len(holders) == 1, f"“{field}: {old}” should be in one file of data/{year}"
    text = holders[0].read_text("utf-8")
    assert text.count(f"{field}: {old}\n") == 1
    holders[0].write_text(text.replace(f"{field}: {old}\n", f"{field}: {new}\n"), "utf-8")
    run = budgetdoc_in_process(["report", year], tmp_path)   # what `make report` runs, from the repository
    assert run.returncode == 1
    assert run.stderr.rstrip("\n") == shown, f"README.md is stale; the command now prints:\n\n{run.stderr}"
    assert not (tmp_path / "build").exists()


TEXTCONV = re.compile(r'git config diff\.budgetdoc\.textconv "([^"]+)"')


def test_the_textconv_line_is_the_same_everywhere_and_works_with_git(tmp_path: Path):
    places = {name: TEXTCONV.findall((ROOT / name).read_text("utf-8"))
              for name in ("README.md", "docs/review.md", ".gitattributes")}
    assert all(len(found) == 1 for found in places.values()), places
    (command,) = {found[0] for found in places.values()}
    assert command == "$PWD/.venv/bin/budgetdoc text", "outside the venv `budgetdoc` is not on the PATH"

    # As written, run from the repository root of a clone whose .venv is this one.
    driver = command.replace("$PWD/.venv/bin", str(Path(sys.executable).parent))

    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.com",
                               "-c", "core.quotepath=off", *args], cwd=tmp_path, check=True,
                              capture_output=True).stdout.decode("utf-8")

    git("init", "-q")
    shutil.copy(ROOT / ".gitattributes", tmp_path / ".gitattributes")
    git("config", "diff.budgetdoc.textconv", driver)
    from budgetdoc.pipeline import build_year
    report = tmp_path / "报告.docx"
    report.write_bytes(build_year(DATA, 2020).docx)
    git("add", ".")
    git("commit", "-q", "-m", "report")
    changed = shutil.copytree(DATA, tmp_path / "data-copy")
    path = changed / "2020" / "income.yaml"
    path.write_text(path.read_text("utf-8").replace("变动原因: 人员调出3人，人员经费减少。",
                                                    "变动原因: 人员调出3人，人员经费相应减少。"), "utf-8")
    report.write_bytes(build_year(changed, 2020).docx)
    patch = git("diff", "--no-color")
    assert "Binary files" not in patch and "+" in patch and "人员经费相应减少" in patch


BENCH_BLOCK = re.compile(r"<!-- bench: written by `\.venv/bin/python scripts/bench\.py --readme`; do not edit by hand -->"
                         r".*?<!-- /bench -->", re.S)


def test_the_readme_keeps_no_figures_that_change_with_the_code():
    """Timings and test counts only in the block `scripts/bench.py --readme` writes (dated, with its machine)."""
    (block,) = BENCH_BLOCK.findall(README)
    prose = BENCH_BLOCK.sub("", README)
    figures = re.findall(r"\d[\d.,–-]*\s*(?:ms|s|秒|分钟)(?![\w/])|\d+\s*(?:tests|个测试)", prose)
    assert not figures, f"README.md states {figures}: let `make bench` measure them"
    assert "One run of `make bench` (" in block and "-core " in block and "synthetic, 500 rows" in block


def test_bench_writes_its_block_and_nothing_else(tmp_path: Path, monkeypatch):
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    readme = tmp_path / "README.md"
    readme.write_text(f"前文\n{bench.BLOCK_START}\n旧的数字\n{bench.BLOCK_END}\n后文\n", "utf-8")
    monkeypatch.setattr(bench, "README", readme)
    real = dict(check=5.3, compute=0.2, narrate=34.1, tables=1.0, docx=44.0, xlsx=8.5, build=94.2)
    bureau = dict(wall=74.7, cpu=131.9, pss=125 * 2**20, rss=174 * 2**20, departments=1000, jobs=2,
                  warm_data=63.7, warm_realistic=160.6)
    bench.write_readme(real, dict(report=592.9, bare=123.2, help=207.0), [(100, 303.9), (500, 1158.4), (2000, 5790.1)],
                       851.8, bureau)
    text = readme.read_text("utf-8")
    assert text.startswith("前文\n") and text.endswith("\n后文\n") and "旧的数字" not in text
    assert "| synthetic, 500 rows (100 款, 300 projects) | 1.16 s (2.3 ms per row) |" in text
    assert "593 ms (4.8× a bare import" in text and "`budgetdoc --help` 207 ms" in text
    assert "| one report in a warm process (templates compiled, base document made): data/2020 / a realistic " \
           "department-year | 64 ms / 161 ms |" in text
    assert "| `budgetdoc import` of a 20,000-row line-item export (read, apply, derive, check) | 0.85 s |" in text
    assert "| `report --all`, 1,000 realistic department-years, 2 workers | 75 s wall, 132 ms CPU per " \
           "department-year, 125 MB PSS at the peak |" in text


def test_the_pre_commit_hook_is_defined_and_documented_as_configured():
    import tomllib

    import typer
    import yaml

    from budgetdoc.cli import app

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    program, command = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert program in scripts and hook["language"] == "python"
    assert command in typer.main.get_command(app).commands
    files = re.compile(hook["files"])
    assert files.search("data/2020/income.yaml") and files.search("data/2021/three_public.yml")
    assert not files.search("data/2019/README.md") and not files.search("docs/data/2020/x.yaml")
    for house in ("data/style.yaml", "data/templates/part1_overview.j2", "data/部门A/glossary.yaml",
                  "data/部门A/2020/style.yaml"):          # a house file renders the report it serves
        assert files.search(house), house
    # Both sections of the README show the same configuration, and it names this hook.
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", README, re.S)]
    configs = [b for b in blocks if isinstance(b, dict) and "repos" in b]
    assert configs and all(h["id"] == hook["id"] for c in configs for r in c["repos"] for h in r["hooks"])
    english = README.split("## English", 1)[1]
    assert hook["id"] in english and "pre-commit install" in english


def test_the_readme_says_make_test_is_not_how_a_department_checks_its_data():
    """A new user ran make test after editing data/ and got a hundred English failures: the README says, where it
    describes make test, that it tests budgetdoc with its own data/ and that data is checked with make check."""
    text = (ROOT / "README.md").read_text("utf-8")
    intro = text[:text.index("## 中文说明")]
    start = intro.index("- `make test` 运行全部测试")
    paragraph = intro[start:intro.index("\n- ", start + 1) if "\n- " in intro[start + 1:] else None]
    for words in ("`make test` 测试的是 budgetdoc 本身", "自带的 `data/`", "就会失败", "`make check YEAR=2020`",
                  "`budgetdoc check 2020`"):
        assert words in paragraph, words
    (row,) = [line for line in text.splitlines() if line.startswith("| 测试 budgetdoc 本身 | `make test`")]
    assert "自带的 `data/`" in row and "必然失败" in row and "`make check`" in row
