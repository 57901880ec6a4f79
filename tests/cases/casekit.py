"""Run the readable input cases in tests/cases/bad/ and tests/cases/warn/.

A case is a folder with one ``case.yaml``: what to change in a copy of the
repository's data/ (both years), which command to run, and what must come
out.  See tests/cases/README.md for the format.  This module only applies
cases and reads the printed problems; the assertions live in
tests/test_bad_input.py.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

CASES = Path(__file__).resolve().parent
ROOT = CASES.parent.parent
DATA = ROOT / "data"
BUDGETDOC = Path(sys.executable).parent / "budgetdoc"
SEVERITY = {"error": "错误", "warning": "警告", "note": "提示"}


@dataclass(frozen=True)
class Case:
    name: str           # folder name, e.g. "08-key-with-space"
    kind: str           # "bad" or "warn"
    spec: dict

    @property
    def args(self) -> list[str]:
        return [str(a) for a in self.spec.get("args", ["report", 2020])]

    @property
    def expect(self) -> dict:
        return self.spec["expect"]

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


def load_cases(kind: str) -> list[Case]:
    folder = CASES / kind
    cases = []
    for path in sorted(folder.glob("*/case.yaml")):
        with path.open(encoding="utf-8") as handle:
            spec = yaml.safe_load(handle)
        cases.append(Case(path.parent.name, kind, spec))
    return cases


# ------------------------------------------------------------------ editing

_REPEAT = re.compile(r"\{repeat:(.+?):(\d+)\}")


def expand(text: str, tmp: Path) -> str:
    """``{tmp}`` is the case's scratch folder; ``{repeat:X:N}`` is X written N times."""
    text = _REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), text)
    return text.replace("{tmp}", str(tmp))


def apply_edit(edit: dict, data: Path, tmp: Path) -> None:
    if "units" in edit:             # the year kept per budget unit, as tests/repo.py splits data/2020
        from repo import split_into_units
        split_into_units(data, str(edit["units"]))
        return
    if isinstance(edit.get("file"), list):
        for one in edit["file"]:
            apply_edit({**edit, "file": one}, data, tmp)
        return
    path = data / edit["file"]
    if "copy_from" in edit:         # a copy of another file, or of a folder's files
        source = data / edit["copy_from"]
        if source.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            for item in source.iterdir():
                if item.is_file():
                    shutil.copyfile(item, path / item.name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
        if "replace" not in edit:
            return
    if edit.get("delete"):
        assert path.exists(), f"case deletes {edit['file']}, which does not exist"
        shutil.rmtree(path) if path.is_dir() else path.unlink()
        return
    if "text" in edit:
        text = expand(edit["text"], tmp)
    else:
        text = path.read_text(encoding="utf-8")
    replacements = edit.get("replace", [])
    for replacement in replacements if isinstance(replacements, list) else [replacements]:
        old, new = replacement["old"], expand(replacement["new"], tmp)
        # A case whose text no longer occurs would test nothing: refuse it.
        assert text.count(old) == 1, f"{edit['file']}: “{old}” occurs {text.count(old)} times, expected once"
        text = text.replace(old, new)
    raw = text.encode(edit.get("encoding", "utf-8"))
    if "pad_to_bytes" in edit:      # comment lines until the file has exactly this many bytes
        missing = edit["pad_to_bytes"] - len(raw)
        line = b"#" + b" padding" * 9 + b"\n"
        raw += (line * (missing // len(line) + 1))[:missing]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)


def prepare(case: Case, tmp: Path) -> Path:
    """A copy of data/ (every year; ``data: examples/demo`` another folder) with the case's edits applied, and the
    file an import case reads; returns the copy (always called data/)."""
    data = tmp / "data"
    shutil.copytree(ROOT / case.spec["data"] if "data" in case.spec else DATA, data)
    edits = case.spec.get("edits") or ([case.spec["edit"]] if "edit" in case.spec else [])
    for edit in edits:
        apply_edit(edit, data, tmp)
    if "workbook" in case.spec:
        from .importkit import make_file
        make_file(case.spec["workbook"], tmp / case.spec["file"])
    return data


def case_argv(case: Case, data: Path, out: Path) -> list[str]:
    """The case's command line: its arguments (``{file}``: the case's file, ``{data}``: the copy of data/), then
    --data (and --out for report)."""
    args = [a.replace("{file}", str(data.parent / case.spec.get("file", ""))).replace("{data}", str(data))
            for a in case.args]
    extra = ["--data", str(data)]
    if args[0] == "report":
        extra += ["--out", str(out)]
    return [*args, *extra]


def run_cli(case: Case, tmp: Path, data: Path, out: Path) -> subprocess.CompletedProcess:
    """The real console command in its own process, as a clerk would run it (cwd is the scratch folder)."""
    return subprocess.run([str(BUDGETDOC), *case_argv(case, data, out)], capture_output=True, text=True,
                          cwd=tmp, timeout=60)


def run_in_process(case: Case, tmp: Path, data: Path, out: Path) -> "Ran":
    """The same command run by budgetdoc's own entry point inside this process."""
    return budgetdoc_in_process(case_argv(case, data, out), cwd=tmp)


@dataclass(frozen=True)
class Ran:
    """What a command printed and how it ended, as subprocess.CompletedProcess has it."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def budgetdoc_in_process(args: Sequence[str], cwd: Path) -> Ran:
    """``budgetdoc ARGS`` run in this process from ``cwd``: its output, and the exit code it would end with.

    The console entry point (:func:`budgetdoc.cli.main`) is called with the
    arguments; stdout and stderr are bytes streams as in a real process
    (``budgetdoc text`` writes bytes), and ``SystemExit`` gives the exit code.
    Not thread-safe: it changes the current directory and ``sys.stdout``.
    """
    from budgetdoc.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    # Kept referenced until the bytes are read: a collected wrapper closes its buffer.
    streams = (io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", newline="\n", write_through=True))
    saved = sys.stdout, sys.stderr, os.getcwd()
    sys.stdout, sys.stderr = streams
    os.chdir(cwd)
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved[0], saved[1]
        os.chdir(saved[2])
    ran = Ran([str(a) for a in args], code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))
    for stream in streams:
        stream.detach()
    return ran


# ------------------------------------------------------------------ reading

def problem_blocks(stderr: str) -> list[str]:
    """The printed problems: a header line and its indented 另见/处理办法 lines."""
    blocks: list[list[str]] = []
    for line in stderr.splitlines():
        if line.startswith("    ") and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return ["\n".join(b) for b in blocks]


def header_prefix(where: str | None) -> str:
    """How a problem line starts for ``where`` (file, file:line or file:line:col; None = no file)."""
    if where is None:
        return ""
    return f"{where}:" if ":" in where else f"{where}: "


def matching_block(stderr: str, expect: dict, severity: str = "error") -> str | None:
    """The printed problem at ``expect['where']`` with the rule and every message fragment."""
    where = expect.get("where")
    prefix = header_prefix(where)
    label = f"{SEVERITY[severity]} [{expect['rule']}]"
    messages = expect.get("message", [])
    messages = [messages] if isinstance(messages, str) else messages
    for block in problem_blocks(stderr):
        header = block.split("\n", 1)[0]
        if where is None:
            located = header.startswith(label)
        else:
            located = header.startswith(prefix) and header[len(prefix):].lstrip("0123456789:").lstrip() \
                .startswith(label)
        if located and all(m in block for m in messages):
            return block
    return None


def problems_in_process(case: Case, data: Path) -> list[str]:
    """The same problems found in process, formatted as the command prints them."""
    from budgetdoc.pipeline import build_year
    from budgetdoc.problems import BudgetError

    # As the command is run: from the folder that holds data/, so messages say data/2020/….
    here = os.getcwd()
    os.chdir(data.parent)
    try:
        result = build_year(Path(data.name), case.args[1])
    except BudgetError as exc:
        return [p.format() for p in exc.problems]
    finally:
        os.chdir(here)
    return [p.format() for p in result.problems]
