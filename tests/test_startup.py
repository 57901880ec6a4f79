"""A command imports what it needs when it needs it; what a report is built with is made once per process.

Start-up is measured by scripts/bench.py (``budgetdoc report 2020`` next to a
bare ``python -c "import docx, jinja2, yaml"``); these tests hold the
reasons it is fast: what a fresh process imports, and what a second report
in the same process does not build again.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from repo import DATA, EXAMPLE, ROOT

HEAVY = ("docx", "lxml", "jinja2", "yaml", "xlsxwriter", "ruamel")


def modules_after(args: list[str], cwd: Path) -> tuple[set[str], subprocess.CompletedProcess]:
    """The top-level packages a fresh ``budgetdoc ARGS`` process has imported when it ends."""
    code = ("import atexit, json, sys\n"
            "atexit.register(lambda: sys.__stderr__.write('\\nMODULES ' + json.dumps(sorted("
            "{m.split('.')[0] for m in sys.modules})) + '\\n'))\n"
            f"sys.argv = ['budgetdoc', *{args!r}]\n"
            "from budgetdoc.entry import main\n"
            "main()\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=60)
    line = [x for x in run.stderr.splitlines() if x.startswith("MODULES ")][-1]
    return set(json.loads(line[len("MODULES "):])), run


def test_help_imports_no_document_library():
    modules, run = modules_after(["--help"], ROOT)
    assert run.returncode == 0 and "用法" in run.stdout
    assert not modules & set(HEAVY), modules & set(HEAVY)
    modules, run = modules_after(["report", "--help"], ROOT)
    assert run.returncode == 0 and "--data" in run.stdout
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_a_report_does_not_import_what_only_help_screens_draw_with(tmp_path):
    modules, run = modules_after(["report", "2020", "--out", str(tmp_path)], ROOT)
    assert run.returncode == 0, run.stderr
    assert "rich" not in modules and "pygments" not in modules and "markdown_it" not in modules
    assert "ruamel" not in modules          # new-year's round-trip YAML
    assert {"docx", "jinja2", "xlsxwriter"} <= modules
    from budgetdoc.pipeline import build_year
    report = tmp_path / "2020" / "奈曼旗政务服务局2020年部门预算.docx"
    assert report.read_bytes() == build_year(DATA, 2020).docx


def test_templates_and_the_base_document_are_made_once_per_process():
    from budgetdoc.narrate import _environment_once
    from budgetdoc.pipeline import build_year
    from budgetdoc.writers.docx import _base_package

    first = build_year(EXAMPLE, 2021)
    environments, bases = _environment_once.cache_info(), _base_package.cache_info()
    second = build_year(EXAMPLE, 2021)
    again_env, again_base = _environment_once.cache_info(), _base_package.cache_info()
    assert again_env.misses == environments.misses and again_env.hits > environments.hits
    assert again_base.misses == bases.misses and again_base.hits > bases.hits
    assert (first.docx, first.xlsx, first.text) == (second.docx, second.xlsx, second.text)


def test_an_edited_template_is_used_by_the_next_report_of_the_process(tmp_path):
    import shutil

    from budgetdoc.pipeline import build_year
    from repo import TEMPLATES
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    before = build_year(DATA, 2020, templates=templates)
    part = templates / "part5_contact.j2"
    part.write_text(part.read_text("utf-8") + "\n本说明由测试补充的一句。\n", "utf-8")
    stamp = part.stat().st_mtime_ns + 2_000_000_000
    os.utime(part, ns=(stamp, stamp))
    after = build_year(DATA, 2020, templates=templates)
    assert "本说明由测试补充的一句。" not in before.text and "本说明由测试补充的一句。" in after.text


def test_the_template_cache_is_used_only_when_private(tmp_path, monkeypatch):
    from budgetdoc.cache import cache_dir
    monkeypatch.setenv("BUDGETDOC_CACHE_DIR", str(tmp_path / "cache"))
    assert cache_dir() == tmp_path / "cache"
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) & 0o077 == 0
    (tmp_path / "cache").chmod(0o777)
    assert cache_dir() is None
    monkeypatch.setenv("BUDGETDOC_CACHE_DIR", "")
    assert cache_dir() is None
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("BUDGETDOC_CACHE_DIR", str(tmp_path / "file" / "below"))
    assert cache_dir() is None
