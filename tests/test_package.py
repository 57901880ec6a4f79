"""The package carries everything a report needs: a wheel, installed into a fresh environment, builds the
report from a folder outside the repository, byte for byte as the repository does (issue 9, item 13).

The wheel is built once (pip, as a user's `pip install .` builds it) and unpacked into a new virtual
environment whose only other path is this one's site-packages, for the dependencies; the editable
install of the repository is not on that path (its .pth file is not read there), and the build runs
in a temporary folder, so nothing of the checkout can stand in for what the wheel lacks.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from budgetdoc.pipeline import build_year

from repo import DATA, ROOT

PACKAGE = ROOT / "budgetdoc"
DATA_FOLDERS = ("templates", "styles", "codes", "locale")       # what is not Python but must travel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                         capture_output=True, text=True)
    if run.returncode != 0 and "No matching distribution" in run.stderr + run.stdout:
        pytest.skip("pip cannot fetch setuptools to build the wheel (no package index)")
    assert run.returncode == 0, run.stderr
    (built,) = out.glob("budgetdoc-*.whl")
    return built


def test_the_wheel_holds_every_template_style_code_list_and_catalogue(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    on_disk = {p.relative_to(ROOT).as_posix() for folder in DATA_FOLDERS for p in (PACKAGE / folder).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert on_disk and on_disk <= names, sorted(on_disk - names)
    assert {"budgetdoc/templates/report.j2", "budgetdoc/templates/style.yaml", "budgetdoc/templates/tables.yaml",
            "budgetdoc/styles/tables-first/style.yaml"} <= names
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "budgetdoc = budgetdoc.entry:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_an_installed_wheel_builds_the_report_outside_the_repository(wheel: Path, tmp_path: Path):
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    zipfile.ZipFile(wheel).extractall(purelib)
    dependencies = [p for p in site.getsitepackages() + [sysconfig.get_path("purelib")] if Path(p).is_dir()]
    (purelib / "dependencies.pth").write_text("\n".join(dict.fromkeys(dependencies)) + "\n", "utf-8")
    work = tmp_path / "work"
    shutil.copytree(DATA, work / "data")
    clean = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path)}
    where = subprocess.run([str(python), "-c", "import budgetdoc, sys; print(budgetdoc.__file__)"],
                           capture_output=True, text=True, cwd=work, env=clean, check=True).stdout.strip()
    assert Path(where).is_relative_to(purelib), where          # the wheel's, not the checkout's
    for args in (["report", "2020"], ["report", "2020", "--style", "tables-first", "--out", "build-tf"]):
        run = subprocess.run([str(python), "-c", "from budgetdoc.entry import main; main()", *args],
                             capture_output=True, text=True, cwd=work, env=clean)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    name = "奈曼旗政务服务局2020年部门预算"
    here = build_year(DATA, 2020)
    assert (work / "build" / "2020" / f"{name}.docx").read_bytes() == here.docx
    assert (work / "build" / "2020" / f"{name}.xlsx").read_bytes() == here.xlsx
    assert (work / "build-tf" / "2020" / f"{name}.txt").read_text("utf-8").startswith(
        "奈曼旗政务服务局2020年部门预算公开说明\n一、部门预算公开表")
    copied = subprocess.run([str(python), "-c", "from budgetdoc.entry import main; main()", "templates", "mine"],
                            capture_output=True, text=True, cwd=work, env=clean)
    assert copied.returncode == 0, copied.stderr
    assert (work / "mine" / "report.j2").is_file() and (work / "mine" / "style.yaml").is_file()
