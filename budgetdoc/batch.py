"""Many departments in one run: ``budgetdoc report YEAR --all`` (and ``--dept NAME``).

Each department (and, with ``--all``, each of its budget units) is built in
memory by a worker of a process pool (:func:`build_department`); reports
are independent, so N cores build N at a time.  The main process then
writes each department's files in one all-or-nothing step
(:func:`budgetdoc.output.write_outputs`), into ``<out>/<year>/<部门名称>/``
(``<out>/<year>/`` in the one-department layout), a unit's report into
its ``单位/`` folder.  A department with errors writes nothing; the others
build on.

* **Names first**: every department's 部门名称 is read before anything is
  built, so two departments that would write into one folder are both
  refused (rule 部门), whatever the order the builds finish in.
* **Ctrl-C**: workers ignore SIGINT; the main process stops handing out
  departments, waits for the ones being built (a fraction of a second each),
  writes nothing more and exits 130.  A department's files are renamed into
  place with SIGINT held back, so none is ever half-written.
* **PDF** (``--pdf``): the built files wait in a scratch folder; one
  LibreOffice run converts every DOCX of the batch (:mod:`budgetdoc.pdf`);
  then each department is written with its PDFs, or not at all.
* **The overview** ``<out>/<year>/汇总.xlsx`` (``--all``): one row per
  department and every problem found (:mod:`budgetdoc.overview`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import unicodedata
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .folders import DepartmentFolder, has_units, house_files, load_style, unit_names
from .overview import OverviewRow, counts, measures
from .problems import BudgetError, Problem, Source, error, some_of, sort_problems

UNITS_FOLDER = "单位"        # a department's output folder keeps its units' reports here
OVERVIEW_FILE = "汇总.xlsx"


@dataclass(frozen=True)
class Options:
    """What to build for every department of a run."""

    year: int
    out: Path
    templates: Path | None = None        # --templates: wins over every department's own
    style: Path | None = None            # --style: likewise
    units: bool = False                  # each budget unit's own report too (--all)
    only_unit: str | None = None         # that unit's report alone (--dept X --unit U)
    pdf: bool = False


@dataclass
class Built:
    """One department's run: what it wrote (or would write), its problems and its overview row."""

    dept: DepartmentFolder
    name: str                                        # 部门名称, else the folder's name
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)    # path inside the department's folder → bytes
    failed: bool = False
    bug: str | None = None                           # an unexpected error: a budgetdoc bug, reported as such
    row: OverviewRow | None = None
    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)     # edited files kept aside, stale ones removed
    staged: Path | None = None                           # --pdf: where the files wait for their PDFs
    previous: Path | None = None     # failed, and the folder still holds the files of an earlier run

    @property
    def result(self) -> str:
        if self.bug:
            return "内部错误"
        if self.failed:
            return "有错误（旧文件仍在）" if self.previous is not None else "有错误"
        return "已生成"


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:      # not on Linux
        return max(1, os.cpu_count() or 1)


def output_folder(options: Options, dept: DepartmentFolder, name: str) -> Path:
    """Where a department's files go: ``<out>/<year>/<部门名称>/``, or ``<out>/<year>/`` for the one department."""
    folder = options.out / str(options.year)
    return folder / name if dept.in_bureau else folder


# ------------------------------------------------------------------ building one department (in a worker)


def _build_one(dept: DepartmentFolder, options: Options, unit: str | None):
    from .pipeline import build_year

    house = house_files(dept, options.year, unit, options.templates, options.style)
    return build_year(dept.root, options.year, house.templates, style=load_style(house.style), unit=unit,
                      glossary=house.glossary)


def build_department(dept: DepartmentFolder, name: str | None, options: Options) -> Built:
    """Build one department's reports in memory (and its units', as ``options`` says); never raises."""
    built = Built(dept, name or dept.key)
    try:
        if options.only_unit is not None:
            results = [_build_one(dept, options, options.only_unit)]
        else:
            results = [_build_one(dept, options, None)]
            year_folder = dept.root / str(options.year)
            if options.units and has_units(year_folder):
                results += [_build_one(dept, options, unit) for unit in unit_names(year_folder)]
        main = results[0]
        built.name = main.figures.department.name if main.unit is None else built.name
        for result in results:
            inside = f"{UNITS_FOLDER}/" if result.unit is not None else ""
            built.files[f"{inside}{result.filename}.docx"] = result.docx
            built.files[f"{inside}{result.filename}.xlsx"] = result.xlsx
            built.files[f"{inside}{result.filename}.txt"] = result.text.encode("utf-8")
            built.problems += result.problems
        built.problems = sort_problems(built.problems)
        figures = None if main.unit is not None else main
        built.row = OverviewRow(dept.key, built.name, built.result, *counts(built.problems),
                                measures(figures.figures, figures.prior) if figures else ())
    except BudgetError as exc:
        built.failed, built.files = True, {}
        built.problems = sort_problems(exc.problems)
    except Exception as exc:  # a bug in budgetdoc: this department fails, the others go on
        if os.environ.get("BUDGETDOC_DEBUG"):
            raise
        built.failed, built.files, built.bug = True, {}, f"{type(exc).__name__}: {exc}"
    if built.row is None:
        built.row = OverviewRow(dept.key, built.name, built.result, *counts(built.problems))
    return built


def _worker_init() -> None:
    """A worker leaves Ctrl-C to the main process, which lets it finish the department in hand."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _size(dept: DepartmentFolder, year: int) -> int:
    """How much data a department has: the biggest are handed out first, so the run ends together."""
    folder = dept.root / str(year)
    try:
        return sum(p.stat().st_size for p in folder.rglob("*.yaml"))
    except OSError:
        return 0


def read_names(depts: list[DepartmentFolder], year: int) -> dict[str, str | None]:
    """Each department's 部门名称 from its department.yaml (None when it cannot be read: its build will say why)."""
    from .yamlsrc import load_file

    names: dict[str, str | None] = {}
    for dept in depts:
        path = dept.root / str(year) / "department.yaml"
        name = None
        if path.is_file():
            tree, _ = load_file(path, str(path))
            if tree is not None and tree.kind == "map":
                for key, _src, child in tree.items:
                    if key == "部门名称" and child.kind == "scalar" and child.text.strip():
                        name = child.text.strip()
        names[dept.key] = name
    return names


def same_names(depts: list[DepartmentFolder], names: dict[str, str | None], options: Options) -> dict[str, Problem]:
    """Departments whose reports would go into one folder (the same 部门名称): each one's problem."""
    by_folder: dict[Path, list[DepartmentFolder]] = {}
    for dept in depts:
        name = names.get(dept.key)
        if name is not None and dept.in_bureau:
            by_folder.setdefault(output_folder(options, dept, name), []).append(dept)
    problems = {}
    for folder, group in by_folder.items():
        if len(group) < 2:
            continue
        listing = "、".join(d.shown for d in group)
        for dept in group:
            problems[dept.key] = error(
                "部门", f"{listing} 的部门名称都是“{names[dept.key]}”，报告会写进同一个文件夹 {folder}，"
                "这几个部门都不能生成报告。", Source(f"{dept.shown}/{options.year}/department.yaml"),
                "每个部门文件夹的 department.yaml 写本部门自己的部门名称（多半是复制了别的部门的文件夹，忘了改名）。")
    return problems


def name_clashes(depts: list[DepartmentFolder], options: Options) -> dict[str, Problem]:
    """:func:`same_names` for ``depts`` against every department of their bureau that has the year, so that
    ``--dept`` (or ``check``) of one department also refuses a name another department uses."""
    from .folders import departments

    bureau = depts[0].bureau if depts and depts[0].in_bureau else None
    everyone = [d for d in departments(bureau) if (d.root / str(options.year)).is_dir()] if bureau else depts
    wanted = {d.key for d in depts}
    return {key: problem for key, problem in same_names(everyone, read_names(everyone, options.year), options).items()
            if key in wanted}


# ------------------------------------------------------------------ the run (main process)


@dataclass
class Run:
    """What a run did, department by department (in folder order)."""

    built: list[Built]
    interrupted: bool = False
    overview: Path | None = None
    notices: list[str] = field(default_factory=list)     # about the overview (an edited 汇总.xlsx kept aside)

    @property
    def failed(self) -> list[Built]:
        return [b for b in self.built if b.failed]


@contextlib.contextmanager
def held_interrupt() -> Iterator[None]:
    """Ctrl-C during the block takes effect after it (so a department's files are renamed all, or none)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


class Progress:
    """A one-line progress bar on a terminal (stderr); silent elsewhere."""

    WIDTH = 24

    def __init__(self, total: int, stream=None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = total > 1 and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.shown = False

    def update(self, done: int, label: str) -> None:
        if not self.enabled:
            return
        filled = self.WIDTH * done // self.total
        line = f"生成报告 [{'█' * filled}{'░' * (self.WIDTH - filled)}] {done}/{self.total} {label}"
        columns = shutil.get_terminal_size((80, 20)).columns
        self.stream.write("\r" + clip(line, columns - 1) + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def run_departments(depts: list[DepartmentFolder], options: Options, jobs: int,
                    report: Callable[[Built], None], overview: bool = False) -> Run:
    """Build ``depts`` with ``jobs`` processes and write each one's files; ``report(built)`` is called for each
    department as it is written (or refused), in the order they finish.

    Raises KeyboardInterrupt only after the departments being built have
    finished (their results are dropped); the :class:`Run` so far is on the
    exception (``exc.run``).
    """
    names = read_names(depts, options.year)
    refused = name_clashes(depts, options)
    done: dict[str, Built] = {}
    progress = Progress(len(depts))
    staging = tempfile.TemporaryDirectory(prefix="budgetdoc-batch-") if options.pdf else None
    run = Run([])

    def finish(built: Built) -> None:
        if not built.failed:
            if staging is not None:
                _stage(built, Path(staging.name))
            else:
                _write(built, options)
                built.files = {}        # written: the bytes are not kept (memory stays flat)
        done[built.dept.key] = built
        progress.clear()
        if staging is None:         # with --pdf, a department is told once its PDFs are made
            _note_previous(built, options)
            report(built)
        progress.update(len(done), built.name)

    for dept in depts:
        if dept.key in refused:
            finish(Built(dept, names[dept.key] or dept.key, [refused[dept.key]], failed=True))
    todo = sorted((d for d in depts if d.key not in refused), key=lambda d: -_size(d, options.year))
    try:
        if jobs <= 1 or len(todo) <= 1:
            for dept in todo:
                finish(build_department(dept, names[dept.key], options))
        else:
            _pool(todo, names, options, jobs, finish)
        if staging is not None:
            _publish_with_pdf([done[d.key] for d in depts], options, Path(staging.name))
            for dept in depts:
                _note_previous(done[dept.key], options)
                report(done[dept.key])
    except KeyboardInterrupt as exc:
        progress.clear()
        run.built = [done[d.key] for d in depts if d.key in done]
        run.interrupted = True
        exc.run = run  # type: ignore[attr-defined]
        raise
    finally:
        progress.clear()
        if staging is not None:
            staging.cleanup()
    run.built = [done[d.key] for d in depts]
    if overview:
        run.overview = _write_overview(run, options)
    return run


def _pool(todo: list[DepartmentFolder], names: dict[str, str | None], options: Options, jobs: int,
          finish: Callable[[Built], None]) -> None:
    """Build ``todo`` in a process pool; Ctrl-C stops handing out work and waits for the departments in hand."""
    import multiprocessing

    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    _warm_up(options)       # forked workers start with the templates compiled and the base document made
    gc.freeze()             # what they inherit is never scanned again: no copying of shared pages, less collecting
    executor = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context, initializer=_worker_init)
    pending: set[Future] = set()
    queue = list(reversed(todo))
    try:
        while queue or pending:
            while queue and len(pending) < 2 * jobs:      # a few ahead: memory stays flat however many there are
                dept = queue.pop()
                pending.add(executor.submit(build_department, dept, names[dept.key], options))
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                finish(future.result())
    except KeyboardInterrupt:
        for future in pending:
            future.cancel()
        with held_interrupt():
            executor.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        gc.unfreeze()
    executor.shutdown(wait=True)


def _warm_up(options: Options) -> None:
    """Make, in this process, what every report of the run is built with, so forked workers share it."""
    from .folders import DEFAULT_TEMPLATES, load_style
    from .narrate import cached_environment, search_path
    from .pipeline import default_style
    from .writers.docx import base_document

    templates = options.templates or DEFAULT_TEMPLATES
    try:
        style = load_style(options.style) or default_style(templates)
    except BudgetError:                       # a broken style is reported by each department that uses it
        return
    # the key narrate uses: the style's folders and its wording for a report in 万元 comparing with last year
    words = style.wording.for_report("万元", int(options.year) - 1)
    env = cached_environment(search_path(templates, style), words)
    with contextlib.suppress(Exception):      # a broken template is reported by the department that uses it
        for name in env.list_templates(extensions=["j2"]):
            env.get_template(name)
    base_document(style.layout)


def report_files_in(place: Path, year_folder: Path) -> list[str]:
    """The names of the report files (.docx, .xlsx, .txt, .pdf) lying directly in ``place``, sorted; the
    overview in the year's folder is not one of them.  Empty when there is no such folder (or not one to read)."""
    from .reportfiles import REPORT_SUFFIXES

    try:
        return sorted(p.name for p in place.iterdir() if p.suffix.lower() in REPORT_SUFFIXES and p.is_file()
                      and not (place == year_folder and p.name == OVERVIEW_FILE))
    except OSError:
        return []


def previous_files(folder: Path, year_folder: Path) -> bool:
    """Whether ``folder`` (or its 单位/) holds report files of an earlier run."""
    return any(report_files_in(place, year_folder) for place in (folder, folder / UNITS_FOLDER))


def _note_previous(built: Built, options: Options) -> None:
    """A failed department whose folder still holds an earlier run's files: say so (the files are left as
    they are, as for every failed build), in its result and in the run's summary."""
    if not built.failed:
        return
    folder = output_folder(options, built.dept, built.name)
    if previous_files(folder, options.out / str(options.year)):
        built.previous = folder
        if built.row is not None:
            built.row = dataclasses.replace(built.row, result=built.result)


def previous_notice(built: Built) -> str:
    """The summary's line for a failed department whose folder holds an earlier run's files."""
    return (f"注意：{built.dept.shown} 这次有错误，上次生成的文件仍在 {built.previous}/，不是本次数据的报告："
            "改正错误、重新生成之前，不要发布或报送其中的文件。")


def _targets(built: Built, options: Options) -> dict[Path, bytes]:
    folder = output_folder(options, built.dept, built.name)
    root = (options.out / str(options.year)).resolve()
    # 部门名称 is checked to be a plain name (rule 取值); a name that still left the year's folder is a bug.
    if not (folder.resolve() == root or folder.resolve().parent == root):
        raise RuntimeError(f"batch: output folder {folder} is outside {root}")
    return {folder / inside: data for inside, data in built.files.items()}


def _write(built: Built, options: Options) -> None:
    """Write a department's files, all or none (:func:`budgetdoc.reportfiles.write_report_files`): a file edited
    since budgetdoc wrote it is kept aside, a stale one beside a new report removed or set aside."""
    from .reportfiles import write_report_files

    try:
        with held_interrupt():
            written = write_report_files(_targets(built, options))
    except BudgetError as exc:
        built.failed, built.written = True, []
        built.problems = sort_problems(built.problems + exc.problems)
        built.row = OverviewRow(built.dept.key, built.name, built.result, *counts(built.problems))
        return
    built.written = written.kept + written.files
    built.notices = written.notices


def _stage(built: Built, scratch: Path) -> None:
    """Keep a built department's files on disk until the PDFs are made (memory stays flat)."""
    folder = scratch / f"{len(list(scratch.iterdir())):05d}"
    for inside, data in built.files.items():
        path = folder / inside
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    built.files = {inside: b"" for inside in built.files}     # the bytes are in the scratch folder now
    built.staged = folder


def _publish_with_pdf(built: list[Built], options: Options, scratch: Path) -> None:
    """One LibreOffice run for every staged DOCX; then each department written with its PDFs, or not at all."""
    from .pdf import convert

    ready = [b for b in built if not b.failed]
    sources: dict[Path, tuple[Built, str]] = {}
    for index, b in enumerate(ready):
        for inside in b.files:
            if inside.endswith(".docx"):
                copy = scratch / "pdf-in" / f"{index:05d}-{len(sources):05d}.docx"
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(b.staged / inside, copy)
                sources[copy] = (b, inside)
    try:
        converted = convert(list(sources), scratch / "pdf-out") if sources else {}
    except BudgetError as exc:
        for b in ready:
            b.failed, b.files = True, {}
            b.problems = sort_problems(b.problems + exc.problems)
            b.row = OverviewRow(b.dept.key, b.name, b.result, *counts(b.problems))
        return
    for b in ready:
        pdfs = {inside[:-5] + ".pdf": converted.get(copy) for copy, (owner, inside) in sources.items() if owner is b}
        missing = [inside for inside, pdf in pdfs.items() if pdf is None]
        if missing:
            b.failed, b.files = True, {}
            b.problems = sort_problems(b.problems + [error(
                "PDF", f"LibreOffice 没有把 {'、'.join(missing)} 转成 PDF，这个部门没有写出任何文件。",
                Source(b.dept.shown), "重新运行一次；仍然不行请把这条信息发给维护人员。")])
            b.row = OverviewRow(b.dept.key, b.name, b.result, *counts(b.problems))
            continue
        b.files = {inside: (b.staged / inside).read_bytes() for inside in b.files}
        b.files.update({inside: pdf.read_bytes() for inside, pdf in pdfs.items() if pdf is not None})
        _write(b, options)
        b.files = {}


def _write_overview(run: Run, options: Options) -> Path | None:
    from .overview import total_row
    from .reportfiles import write_report_files
    from .writers.overview import render_overview

    rows = [b.row for b in run.built if b.row is not None]
    problems = [(b.row, p) for b in run.built for p in b.problems if b.row is not None]
    data = render_overview(options.year, rows, total_row(rows), problems)
    target = options.out / str(options.year) / OVERVIEW_FILE
    with held_interrupt():
        run.notices += write_report_files({target: data}).notices     # an 汇总.xlsx edited since is kept aside
    if any(b.dept.in_bureau for b in run.built):     # one department's --all writes its reports there itself
        run.notices += _loose_reports(target.parent)
    return target


def _loose_reports(year_folder: Path) -> list[str]:
    """Report files lying in the year's folder itself, where --all writes none (each department has its
    folder): most likely one department's report from before the data was kept per department."""
    loose = report_files_in(year_folder, year_folder)
    if not loose:
        return []
    shown = some_of(loose, 6)
    return [f"注意：{year_folder}/ 中还有 {shown}，不是这次生成的（--all 把每个部门写进 {year_folder}/<部门名称>/），"
            "可能是数据按部门存放之前生成的旧报告：不要把它们当作本次的报告发布，确认不再需要后可以删除。"]


# ------------------------------------------------------------------ the summary table


def width(text: str) -> int:
    """Columns a text takes on a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def clip(text: str, columns: int) -> str:
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > columns:
            break
        out.append(ch)
        used += w
    return "".join(out)


def summary_table(run: Run) -> str:
    """部门, 结果, 错误, 警告, 写出文件: one line per department, columns aligned for CJK."""
    head = ("部门", "部门名称", "结果", "错误", "警告", "写出文件")
    lines = [head]
    for b in run.built:
        errors, warnings, _ = counts(b.problems)
        lines.append((b.dept.key, b.name if b.name != b.dept.key else "—", b.result, str(errors), str(warnings),
                      str(len(b.written))))
    return aligned(lines, right={3, 4, 5})


def aligned(lines: list[tuple[str, ...]], right: set[int]) -> str:
    """Rows as terminal columns two spaces apart, CJK-wide; the ``right`` columns (counts) right-aligned."""
    widths = [max(width(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = []
    for line in lines:
        cells = [(" " * (widths[i] - width(c)) + c) if i in right else (c + " " * (widths[i] - width(c)))
                 for i, c in enumerate(line)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)
