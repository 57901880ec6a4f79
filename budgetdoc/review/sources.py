"""The two sides of ``budgetdoc diff``: a .docx file or a data year.

A side is written as one of:

- ``FILE.docx`` (any existing file): the document itself;
- ``YEAR`` (four digits): that year rendered from the working tree's
  ``data/`` (at the root of the git repository, or in the current directory
  outside one);
- ``DIR:YEAR`` where ``DIR`` is an existing directory: that year rendered
  from the data root ``DIR`` (the directory that holds ``2020/`` …);
- ``REV:YEAR``: that year rendered from ``data/`` (at the repository root)
  as committed at the git revision ``REV`` (``HEAD~1:2020``), extracted with
  ``git archive``;
- ``REV:DIR:YEAR``: the same from the data root ``DIR`` as committed at
  ``REV`` (``HEAD:depts/X:2020``), for a department kept elsewhere than
  ``data/``.  ``DIR`` is read like the ``DIR`` of ``DIR:YEAR``: relative to
  the current directory, so ``depts/X:2020`` and ``HEAD:depts/X:2020`` name
  the same folder now and as committed.

A bureau's department (``data/<部门>/<year>/``, see :mod:`budgetdoc.folders`)
is a ``DIR`` like any other (``data/部门A:2020``, ``HEAD~1:data/部门A:2020``),
and may be named by its folder alone: ``部门A:2020`` and ``HEAD~1:部门A:2020``
mean ``data/部门A`` when no folder ``部门A`` is where the command runs (a
department's name wins over a git branch of the same name).  Its report is
built with the bureau's house files (templates/, style.yaml, glossary.yaml)
as ``budgetdoc report`` builds it, at the revision too; ``unit`` builds one
budget unit's report instead (``--unit``).

A side rendered from YAML also carries its data values, those of the year
and of the year before, which the report compares with
(:func:`budgetdoc.review.provenance.data_values`, keyed
``2020/income.yaml:路径`` and named by 科目 or item), and its blocks know the
values each was written from (:func:`budgetdoc.review.provenance.attach_sources`),
so the diff can say which values changed and exactly where they show.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Sequence, Union

from budgetdoc.review.docxtext import TextBlock, read_blocks
from budgetdoc.review.textdiff import Change, tokenize

if TYPE_CHECKING:
    from budgetdoc.document import ReportDoc
    from budgetdoc.review.provenance import DataValue

DATA_DIR = "data"
_YEAR = re.compile(r"^\d{4}$")
_WITH_YEAR = re.compile(r"^(?P<where>.+):(?P<year>\d{4})$")
_NUMBER = re.compile(r"^-?\d+(?:,\d{3})*(?:\.\d+)?$")
#: The ways a side can be written, for messages and help.
SIDE_FORMS = (".docx 文件、年份（如 2020）、目录:年份（如 data:2020）、git 版本:年份（如 HEAD~1:2020）"
              "或 git 版本:目录:年份（如 HEAD:depts/X:2020）")


class SourceError(Exception):
    """A side of the diff that cannot be resolved.  The message is user-facing (Chinese)."""


@dataclass(frozen=True)
class DocxSide:
    path: Path

    @property
    def label(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class YearSide:
    """A data year: in the working tree, in directory ``data_dir``, or at git ``revision``.

    At a revision, ``folder`` is the data root as written after ``REV:``
    (relative to the current directory); None means ``data/`` at the
    repository root.
    """

    year: int
    spec: str
    revision: str | None = None
    data_dir: Path | None = None
    folder: str | None = None

    @property
    def label(self) -> str:
        return self.spec


Side = Union[DocxSide, YearSide]


@dataclass(frozen=True)
class LoadedSide:
    """A side's text, and its data values when it was rendered from YAML."""

    label: str
    blocks: list[TextBlock]
    values: dict[str, str] | None = None
    #: the same values, named for a reader (科目 or item) and placed (file and line)
    named: dict[str, "DataValue"] = field(default_factory=dict)
    #: how messages name the data folder the values are in (``data``, ``data/部门A``, ``HEAD~1:data``)
    root: str = ""


def parse_side(spec: str) -> Side:
    """Read a side spec (see the module docstring)."""
    path = Path(spec)
    if path.is_file() or spec.lower().endswith(".docx"):
        return DocxSide(path)
    if _YEAR.match(spec):
        return YearSide(int(spec), spec)
    match = _WITH_YEAR.match(spec)
    if match:
        where, year = match.group("where"), int(match.group("year"))
        if Path(where).is_dir():
            return YearSide(year, spec, data_dir=Path(where))
        department = _department(where)
        if department is not None:
            return YearSide(year, spec, data_dir=department)
        revision, colon, folder = where.partition(":")
        if colon and not (revision and folder):
            raise SourceError(f"无法识别“{spec}”：git 版本:目录:年份 的三部分都要写，如 HEAD:depts/X:2020")
        return YearSide(year, spec, revision=revision, folder=folder or None)
    raise SourceError(f"无法识别“{spec}”：应为 {SIDE_FORMS}")


def load_side(side: Side, cwd: Path, unit: str | None = None) -> LoadedSide:
    """Read a .docx side, or render a data year (or one of its units' reports) and read the result."""
    if isinstance(side, DocxSide):
        return LoadedSide(side.label, read_blocks(side.path))
    rendered = render_side(side, cwd, unit)
    from budgetdoc.review.provenance import attach_sources

    blocks = attach_sources(read_blocks(rendered.docx), rendered.document)
    return LoadedSide(side.label, blocks, {k: v.text for k, v in rendered.values.items()}, rendered.values,
                      rendered.root)


@dataclass(frozen=True)
class Rendered:
    """A data side built: its DOCX, its document model (whose paragraphs know their sources), its data values."""

    docx: bytes
    document: "ReportDoc"
    values: dict[str, "DataValue"]
    root: str = ""          # the data folder as messages name it


def render_side(side: YearSide, cwd: Path, unit: str | None = None) -> Rendered:
    """A data side's report, and the data values it was built from (this year's and last year's)."""
    if side.revision is not None:
        root = _toplevel(cwd)
        if root is None:
            raise SourceError(f"当前目录不在 git 仓库中，无法读取版本 {side.revision}")
        commit_of(root, side.revision, side.label)
        folder = DATA_DIR if side.folder is None else _folder_at(side.folder, cwd, root, side.revision)
        with tempfile.TemporaryDirectory(prefix="budgetdoc-") as scratch:
            data_root = extract_data(root, side.revision, Path(scratch), folder, side.label)
            bureau = _extract_house_files(root, side.revision, Path(scratch), folder)
            rendered = _render_year(side, data_root, f"版本 {side.revision} 的 {folder}/", unit, bureau)
            return replace(rendered, root=f"{side.revision}:{folder}")
    if side.data_dir is not None:
        return _render_year(side, side.data_dir, f"{side.data_dir}/", unit, _bureau_of(side.data_dir))
    root = _toplevel(cwd) or cwd
    return _render_year(side, root / DATA_DIR, f"{root / DATA_DIR}/", unit)


def _department(where: str) -> Path | None:
    """``data/<where>`` (of the repository, or of the current directory outside one) when it is a department
    of a bureau: a folder that holds year folders."""
    from budgetdoc.folders import year_folders

    if not where or where.startswith(("/", ".")) or ":" in where:
        return None
    base = _toplevel(Path.cwd()) or Path.cwd()
    candidate = base / DATA_DIR / where
    if candidate.is_dir() and year_folders(candidate):
        return Path(os.path.relpath(candidate, Path.cwd()))
    return None


def _bureau_of(data_root: Path) -> Path | None:
    """The bureau a department's folder belongs to: its parent when that is laid out as a bureau.

    A folder named data/ is the data root of the one-department layout, never inside a bureau.
    """
    from budgetdoc.folders import is_bureau

    folder = data_root.resolve()
    if folder.name == DATA_DIR or not is_bureau(folder.parent):
        return None
    return data_root.parent


def _folder_at(folder: str, cwd: Path, root: Path, revision: str) -> str:
    """``folder`` of ``REV:DIR:YEAR`` inside the repository: as written (relative to ``cwd``), else a
    department of data/ by its folder name."""
    inside = _in_repository(folder, cwd, root, revision)
    if not _exists_at(root, revision, inside) and "/" not in folder.strip("/") \
            and _exists_at(root, revision, f"{DATA_DIR}/{folder}"):
        return f"{DATA_DIR}/{folder}"
    return inside


def _exists_at(root: Path, revision: str, path: str) -> bool:
    return _git(root, "cat-file", "-e", f"{revision}:{path}").returncode == 0


def _extract_house_files(root: Path, revision: str, target: Path, folder: str) -> Path | None:
    """The bureau's house files of a department at ``revision``, extracted beside it; the bureau's folder."""
    from budgetdoc.folders import HOUSE_FILES

    parent = folder.rsplit("/", 1)[0] if "/" in folder else ""
    if not parent or folder.rsplit("/", 1)[-1] == DATA_DIR:
        return None
    present = [f"{parent}/{name}" for name in HOUSE_FILES if _exists_at(root, revision, f"{parent}/{name}")]
    if present:
        archive = _git(root, "archive", "--format=tar", revision, "--", *present)
        if archive.returncode == 0:
            with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
                tar.extractall(target, filter="data")
    (target / parent).mkdir(parents=True, exist_ok=True)
    return target / parent


def _render_year(side: YearSide, data_root: Path, shown: str, unit: str | None = None,
                 bureau: Path | None = None) -> Rendered:
    if not (data_root / str(side.year)).is_dir():
        raise SourceError(f"{shown} 中没有 {side.year} 年的数据")
    from budgetdoc.folders import DepartmentFolder, house_files, load_style, shown_path
    from budgetdoc.pipeline import build_year
    from budgetdoc.review.provenance import data_values
    from budgetdoc.problems import BudgetError

    dept = DepartmentFolder(data_root.name, data_root, shown_path(data_root), bureau)
    house = house_files(dept, side.year, unit)
    try:
        result = build_year(data_root, side.year, house.templates, style=load_style(house.style), unit=unit,
                            glossary=house.glossary)
    except BudgetError:
        # Name the side before the problems are printed: both sides show as data/<year>/….
        print(f"比较的一方“{side.label}”（{shown}）的数据有误，无法生成报告：", file=sys.stderr)
        raise
    # The report also reads the year before (its "比上年" figures).
    values: dict[str, DataValue] = {}
    for year in (side.year, side.year - 1):
        if (data_root / str(year)).is_dir():
            values.update(data_values(data_root, year, unit))
    return Rendered(result.docx, result.document, values, shown_path(data_root))


# --------------------------------------------------------------------- git


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise SourceError("找不到 git 命令，无法读取 git 版本") from exc


def _toplevel(cwd: Path) -> Path | None:
    """The root of the git work tree around ``cwd``, or None outside one."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, check=False
        )
    except FileNotFoundError:
        return None
    if found.returncode != 0:
        return None
    return Path(found.stdout.decode("utf-8").strip())


def _in_repository(folder: str, cwd: Path, root: Path, revision: str) -> str:
    """``folder`` (as written, relative to ``cwd``) as a path inside the repository at ``root``."""
    where = Path(os.path.normpath(Path(cwd).resolve() / folder))
    try:
        inside = where.relative_to(root.resolve())
    except ValueError:
        raise SourceError(f"目录 {folder} 不在 git 仓库 {root} 中，无法读取它在版本 {revision} 中的内容") from None
    return inside.as_posix()


#: HEAD~2, HEAD^, HEAD~1^, @~3: so many commits before the last one
_BACK_FROM_HEAD = re.compile(r"^(?:HEAD|@)(?P<steps>(?:~\d*|\^1?)+)$")


def commit_of(repository: Path, revision: str, spec: str | None = None) -> str:
    """The commit ``revision`` names; a :class:`SourceError` saying why not, and what to write instead
    (``spec``: the side as written, such as ``HEAD~1:2020``, for the suggestion)."""
    verified = _git(repository, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if verified.returncode == 0:
        return verified.stdout.decode("ascii").strip()
    instead = f"HEAD{spec[len(revision):]}" if spec and spec.startswith(revision + ":") else None
    back = _BACK_FROM_HEAD.match(revision)
    if back is not None:
        steps = sum(int(step[1:] or 1) for step in re.findall(r"~\d*|\^1?", back.group("steps")))
        counted = _git(repository, "rev-list", "--count", "HEAD")
        if counted.returncode != 0:
            raise SourceError(f"git 仓库 {repository} 中还没有任何提交，没有版本 {revision}。"
                              "先提交一次数据（git add data && git commit），之后才能与提交过的版本比较。")
        commits = int(counted.stdout.decode("ascii").strip())
        raise SourceError(f"没有版本 {revision}：它指最后一次提交往前数第 {steps} 次的提交，而这个仓库只有 {commits} 次提交"
                          "（看有哪些提交：git log --oneline）。要把还没提交的修改与最后一次提交比较，"
                          + (f"写 {instead}，如 budgetdoc diff {instead} {instead.split(':', 1)[1]}。" if instead else
                             "写 HEAD，如 budgetdoc diff HEAD:2020 2020。"))
    raise SourceError(f"找不到 git 版本（也不是已有的目录）：{revision}。git 版本写提交号、分支名、标签，或 HEAD（最后一次"
                      f"提交）、HEAD~1（它之前的一次）；看有哪些提交：git log --oneline。")


def _folders_beside(repository: Path, commit: str, folder: str) -> str:
    """What the folder's parent holds at ``commit``, with the closest name: for a department's name mistyped."""
    import difflib
    import posixpath

    parent, name = posixpath.split(folder.rstrip("/"))
    if not parent and _exists_at(repository, commit, DATA_DIR):
        parent = DATA_DIR           # a bare name is a department of data/ (see _folder_at)
    listed = _git(repository, "ls-tree", "-d", "-z", "--name-only", commit, f"{parent}/" if parent else ".")
    names = [posixpath.basename(entry) for entry in listed.stdout.decode("utf-8", "replace").split("\0")
             if entry and posixpath.basename(entry) not in ("templates", "schema")] if listed.returncode == 0 else []
    if not names:
        return "检查路径是否写对（从仓库的根目录写起）。"
    near = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
    shown = "、".join(names[:8]) + ("等" if len(names) > 8 else "")
    return (f"是不是“{near[0]}”？" if near else "") + f"那个版本的 {parent or '仓库根目录'}{'/' if parent else ''} 中有：{shown}。"


def extract_data(repository: Path, revision: str, target: Path, folder: str = DATA_DIR,
                 spec: str | None = None) -> Path:
    """Extract ``folder`` (a path from the repository root) as committed at ``revision``
    into ``target``; return the data root.  ``spec``: the side as written, for the messages."""
    commit = commit_of(repository, revision, spec)
    archive = _git(repository, "archive", "--format=tar", commit, "--", folder)
    if archive.returncode != 0:
        raise SourceError(f"版本 {revision} 中没有 {folder}/ 目录。" + _folders_beside(repository, commit, folder))
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target / folder


# ------------------------------------------------------------- data values


@dataclass(frozen=True)
class ValueChange:
    """A data value that changed, appeared (``old`` is None) or went (``new`` is None)."""

    key: str
    old: str | None
    new: str | None

    @property
    def line(self) -> str:
        if self.old is None:
            return f"新增 {self.key}：{self.new}"
        if self.new is None:
            return f"删除 {self.key}：{self.old}"
        return f"{self.key}：{self.old} → {self.new}"


def value_changes(old: dict[str, str], new: dict[str, str]) -> list[ValueChange]:
    """Changed, added and removed values, in the order of the old data then the new."""
    changes = [
        ValueChange(key, value, new.get(key)) for key, value in old.items() if new.get(key) != value
    ]
    changes.extend(ValueChange(key, None, value) for key, value in new.items() if key not in old)
    return changes


def mentions(value: ValueChange, changes: Sequence[Change], traced: bool = False) -> list[Change]:
    """The changed paragraphs, rows and cells that were written from this value.

    ``traced``: both sides were rendered from data, so each paragraph and
    cell knows the values it was written from (:mod:`budgetdoc.provenance`)
    — a change is the value's when either side of it names the value.
    Otherwise (a .docx side) a change is the value's when its text shows the
    value's old and new form: a numeric value matches a number of equal value
    (``176.6`` matches ``176.60``), other values match as text.
    """
    if traced:
        return [c for c in changes
                if any(value.key in p.sources for p in (c.old, c.new) if p is not None)]
    found = []
    for change in changes:
        old_ok = value.old is None or _shows(change.old_text, value.old)
        new_ok = value.new is None or _shows(change.new_text, value.new)
        if old_ok and new_ok:
            found.append(change)
    return found


def _shows(text: str, value: str) -> bool:
    if not value.strip():
        return False
    number = _as_number(value.strip())
    if number is None:
        return value in text
    return any(_as_number(token) == number for token in tokenize(text))


def _as_number(text: str) -> Decimal | None:
    if not _NUMBER.match(text):
        return None
    return Decimal(text.replace(",", ""))
