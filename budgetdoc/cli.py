"""The ``budgetdoc`` command.

Every message is in Simplified Chinese.  Data problems are printed as
``文件:行:列: 错误 [规则] 说明`` with a 处理办法, the exit code is 1 and
nothing is written.  Anything unexpected is a budgetdoc bug: it is reported
in one paragraph (no traceback unless ``BUDGETDOC_DEBUG=1``) with exit code 70.
"""

from __future__ import annotations

import json
import os
import re
import sys
from gettext import gettext as _
from pathlib import Path
from typing import Optional

from .commands import APP, COMMAND  # first: it imports typer without rich (see commands.defer_rich)

import click  # noqa: E402
import typer  # noqa: E402
from typing_extensions import Annotated  # noqa: E402

from .problems import BudgetError, Problem, problems_json, some_of  # noqa: E402
from .review.cli import register as register_review  # noqa: E402

# What a command needs is imported when it runs (``budgetdoc --help`` loads
# neither python-docx nor Jinja): see the imports inside each command.

app = typer.Typer(
    name="budgetdoc",
    help="由 YAML 预算数据生成部门预算公开说明（Word 文档）。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    **APP,
)

def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            shown = version("budgetdoc")
        except PackageNotFoundError:          # run from a checkout that was never installed
            shown = "（未安装，源代码运行）"
        typer.echo(f"budgetdoc {shown}")
        raise typer.Exit()


@app.callback()
def _root(show_version: Annotated[bool, typer.Option(
        "--version", "-V", is_eager=True, callback=_show_version,
        help="显示版本号并退出（报告问题时请附上）。")] = False) -> None:
    """由 YAML 预算数据生成部门预算公开说明（Word 文档）。"""


DataOption = Annotated[Path, typer.Option("--data", metavar="目录", help="数据目录，内含按年份命名的文件夹。")]
EditDeptOption = Annotated[Optional[str], typer.Option("--dept", metavar="部门", show_default=False,
                                                        help="数据按部门存放时，改这个部门的数据（data/ 下的部门文件夹名）。")]
YearArg = Annotated[Optional[str], typer.Argument(metavar="年度", help="预算年度，四位数字，如 2020。",
                                                  show_default=False)]


def _require_year(year: str | None, command: str) -> str:
    if year is None:
        example = {"report": "budgetdoc report 2020，或 make report YEAR=2020",
                   "check": "budgetdoc check 2020，或 make check YEAR=2020",
                   "new-year": "budgetdoc new-year 2021", "fix-totals": "budgetdoc fix-totals 2020",
                   "import": "budgetdoc import 批复.xlsx 2021"}[command]
        raise BudgetError([_plain_error("年份", "缺少年份。", f"写成 {example}。")])
    return year


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        typer.echo(p.format(), err=True)


def _internal_error(bug: str, untouched: str = "") -> str:
    """What a budgetdoc bug prints (``bug``: the exception as ``Type: message``; ``untouched``: what it left as it was)."""
    return (f"budgetdoc 内部错误：{bug}\n这是 budgetdoc 的缺陷，不是您的数据问题{'；' + untouched if untouched else ''}。"
            "请把这段信息发给维护人员（设置环境变量 BUDGETDOC_DEBUG=1 可看到详细信息）。")


def _to_fix(problems: list[Problem]) -> list[Problem]:
    """What a failed run shows: errors and warnings; the 提示 wait until the data builds."""
    return [p for p in problems if not p.is_note]


def _summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    notes = sum(p.is_note for p in problems)
    warnings = len(problems) - errors - notes
    return f"{errors} 个错误，{warnings} 个警告" + (f"，{notes} 个提示" if notes else "")


@app.command("report", **COMMAND, short_help="检查数据并生成报告（Word 文档、公开表 Excel 和同名 .txt）。",
             help="检查数据并生成报告：build/<年度>/<部门名称><年度>年部门预算.docx、公开表 .xlsx 和同名 .txt。"
                  "数据按部门存放（data/<部门>/<年度>/）时，用 --dept 生成一个部门，--all 生成全部部门及其预算单位，"
                  "写到 build/<年度>/<部门名称>/，并写出汇总 build/<年度>/汇总.xlsx。")
def report(
    year: YearArg = None,
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", metavar="目录", help="输出目录（其下按年份建文件夹）。")] = Path("build"),
    templates: Annotated[Optional[Path], typer.Option("--templates", metavar="目录",
                                                      help="模板目录（不写时先找部门自己的 templates/，见 README）。",
                                                      show_default="budgetdoc 自带的模板")] = None,
    style: Annotated[Optional[Path], typer.Option(
        "--style", metavar="文件",
        help="文风 style.yaml 或它的文件夹；自带的文风写名字，如 tables-first。",
        show_default="部门自己的 style.yaml，或模板中的 style.yaml")] = None,
    all_departments: Annotated[bool, typer.Option("--all", help="生成每个部门和预算单位的报告及汇总表。")] = False,
    dept: Annotated[Optional[str], typer.Option("--dept", metavar="部门", show_default=False,
                                                help="只生成这个部门（data/ 下的部门文件夹名）。")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", metavar="单位", show_default=False,
                                                help="只生成这个预算单位的报告（年度文件夹 units/ 下的单位文件夹名）。")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="个数", show_default="全部 CPU 核",
                                                help="同时生成几个部门（--all 时）。")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时在每个 .docx 旁写出 PDF（需要 LibreOffice）。")] = False,
) -> None:
    from .folders import is_bureau

    text = _require_year(year, "report")
    _one_layout(data)
    if jobs is not None and jobs < 1:
        raise click.BadParameter(f"要写 1 或更大的整数（同时生成几个部门），这里是 {jobs}；不写时用全部 CPU 核。",
                                 param_hint="'--jobs'")
    if pdf:
        from .pdf import find_soffice, missing_libreoffice

        if find_soffice() is None:
            raise missing_libreoffice()
    if all_departments or dept is not None:
        _report_departments(text, data, out, templates, style, all_departments, dept, unit, jobs, pdf)
        return
    if is_bureau(data):
        raise BudgetError([_bureau_needs_a_department(data, text)])
    _report_one(text, data, out, templates, style, unit, pdf)


def _report_one(year: str, data: Path, out: Path, templates: Path | None, style: Path | None, unit: str | None,
                pdf: bool) -> None:
    """``report YEAR``: the one department of the data folder (or one of its units)."""
    from .folders import house_files, single
    from .load import YEAR_RE
    from .pipeline import build_year
    from .reportfiles import write_report_files

    house = house_files(single(data), year, unit, templates, style) if YEAR_RE.fullmatch(year) else None
    try:
        result = build_year(data, year, templates=house.templates if house else templates,
                            style=_style(house.style if house else style), unit=unit,
                            glossary=house.glossary if house else None)
    except BudgetError as exc:
        exc.afterwards += _earlier_reports(out / year / ("单位" if unit is not None else "")) if YEAR_RE.fullmatch(year) \
            else []
        raise
    _print_problems(result.problems)
    folder = out / str(result.year) / ("单位" if unit is not None else "")
    target = folder / f"{result.filename}.docx"
    if target.resolve().parent != folder.resolve():     # 部门名称 is checked to be a plain name: a bug if not
        raise RuntimeError(f"report file {target} is not inside {folder}")
    files = {target: result.docx, folder / f"{result.filename}.xlsx": result.xlsx,
             folder / f"{result.filename}.txt": result.text.encode("utf-8")}
    if pdf:
        from .pdf import to_pdf

        files[folder / f"{result.filename}.pdf"] = to_pdf({target.name: result.docx})[target.name]
    written = write_report_files(files)
    for path in written.files:
        typer.echo(f"已生成：{path}")
    for notice in written.notices:
        typer.echo(notice, err=True)
    others = _same_report_elsewhere(target, result.docx)
    if others:
        typer.echo(f"提示：{folder} 中的 {'、'.join(others)} 也是 budgetdoc 为本部门生成的{result.year}年报告，"
                   f"但文件名不同（可能是复制或改名的旧报告）。本次生成的是 {target.name}；不再需要的可以删除。",
                   err=True)
    if result.problems:
        typer.echo(f"（{_summary(result.problems)}，见上方说明）")


def _earlier_reports(folder: Path) -> list[str]:
    """A failed build's word on the reports an earlier run left where this one would have written."""
    from .batch import report_files_in

    found = report_files_in(folder, folder)
    if not found:
        return []
    shown = some_of(found, 4)
    return [f"注意：{folder}/ 中的 {shown} 是以前生成的，不是这次数据的报告：改正错误、重新生成之前，不要发布或报送它们。"]


def _name_clashes(depts: list, year: str) -> dict:
    """Departments among ``depts`` whose 部门名称 another department of the bureau also uses, with the problem."""
    from .batch import Options, name_clashes

    return name_clashes(depts, Options(int(year), Path("build")))


def _one_layout(data: Path) -> None:
    """Year folders and department folders side by side in one data root: refused, whatever the command."""
    from .folders import mixed_layout

    problem = mixed_layout(data)
    if problem is not None:
        raise BudgetError([problem])


def _one_department(data: Path, year: str, command: str, file: Path | None = None, dept: str | None = None) -> Path:
    """The data root of the one department that new-year, fix-totals or import edits: ``--dept`` of a bureau,
    else ``--data`` itself (a bureau's data folder needs one of them)."""
    from .folders import is_bureau

    _one_layout(data)
    if dept is not None:
        return _named_department(data, dept).root
    if is_bureau(data):
        raise BudgetError([_bureau_needs_a_department(data, year, command, file)])
    return data


def _named_department(data: Path, dept: str):
    """The department folder ``--dept`` names, or a located refusal with the close names."""
    from .folders import find_department

    found, near = find_department(data, dept)
    if found is None:
        raise BudgetError([_plain_error("部门", f"{data} 中没有部门“{dept}”。", (f"是不是“{near[0]}”？" if near else "")
                                        + "--dept 后写 data/ 下的部门文件夹名。")])
    return found


def _bureau_needs_a_department(data: Path, year: str, command: str = "report", file: Path | None = None) -> Problem:
    from .folders import departments
    from .problems import error

    names = [d.key for d in departments(data)]
    shown = some_of(names)
    if command == "check":
        hint = (f"检查一个部门：budgetdoc check {year} --dept {names[0]}；检查全部部门：budgetdoc check {year} --all"
                f"（或 make check-all YEAR={year}）。")
    elif command in ("new-year", "fix-totals", "import"):
        what = {"new-year": "建立一个部门的新年度", "fix-totals": "重算一个部门的合计", "import": "导入一个部门的数字"}[command]
        args = f"{file} {year}" if command == "import" else year
        hint = f"{what}：用 --dept 写这个部门，如 budgetdoc {command} {args} --dept {names[0]}（或 --data {data}/{names[0]}）。"
    else:
        hint = (f"生成一个部门：budgetdoc report {year} --dept {names[0]}；生成全部部门：budgetdoc report {year} --all"
                f"（或 make report-all YEAR={year}）。")
    return error("部门", f"{data} 中是按部门存放的数据（{shown}，共 {len(names)} 个部门），没有 {data}/{year} 这样的年份文件夹。",
                 None, hint)


def _departments_with_year(data: Path, year: str) -> list:
    """The departments ``--all`` goes through: those with the year's folder; the others skipped, with a 提示.
    None has it: an error naming the years they do have.  (``data`` is a folder and ``year`` four digits.)"""
    from .folders import departments, year_folders
    from .load import resolve_year
    from .problems import error

    depts = departments(data)
    if not depts[0].in_bureau:
        folder, problems = resolve_year(data, year)
        if folder is None:
            raise BudgetError(problems)
    with_year = [d for d in depts if (d.root / year).is_dir()]
    if not with_year:
        years = sorted({y for d in depts for y in year_folders(d.root)})
        raise BudgetError([error("年份", f"{data} 中没有哪个部门有 {year} 年的数据（{data}/<部门>/{year}/）。", None,
                                 f"各部门有的年份：{'、'.join(years)}。" if years else "检查 --data 后的路径。")])
    skipped = [d.key for d in depts if d not in with_year]
    if skipped:
        typer.echo(f"提示：{'、'.join(skipped)} 没有 {year} 年的数据，已跳过。", err=True)
    return with_year


def _report_departments(year: str, data: Path, out: Path, templates: Path | None, style: Path | None,
                        everything: bool, name: str | None, unit: str | None, jobs: int | None, pdf: bool) -> None:
    """``report YEAR --all`` / ``--dept NAME``: departments of a bureau, in parallel (:mod:`budgetdoc.batch`)."""
    from .batch import Options, default_jobs, previous_notice, run_departments, summary_table
    from .folders import departments, find_department, is_bureau
    from .load import YEAR_RE, resolve_year
    from .problems import error

    if not YEAR_RE.fullmatch(year) or not data.is_dir():
        raise BudgetError(resolve_year(data, year)[1])      # the year or the data folder, explained
    if name is not None:
        found, near = find_department(data, name)
        if found is None:
            listing = "、".join(d.key for d in departments(data)) if is_bureau(data) else ""
            hint = (f"是不是“{near[0]}”？" if near else "") + (f"有的部门：{listing}。" if listing else
                                                             f"{data} 中只有一个部门（数据按年份存放），不用写 --dept。")
            raise BudgetError([error("部门", f"{data} 中没有部门“{name}”。", None, hint)])
        depts = [found]
    else:
        depts = _departments_with_year(data, year)
    if unit is not None and everything:
        raise BudgetError([error("部门", "--unit 只生成一个单位的报告，不能与 --all 一起用。", None,
                                 "生成全部部门和单位：--all；只生成一个单位：--dept 部门 --unit 单位。")])
    options = Options(int(year), out, templates, style, units=everything, only_unit=unit, pdf=pdf)
    one = len(depts) == 1 and not everything

    def told(built) -> None:
        problems = built.problems if not built.failed else _to_fix(built.problems)
        if not one and ([p for p in problems if not p.is_note] or built.bug or built.notices):
            header = f"{built.dept.shown}（{built.name}）" if built.name != built.dept.key else built.dept.shown
            outcome = "有错误，没有生成或修改任何文件" if built.failed else "已生成"
            typer.echo(f"—— {header}：{outcome}", err=True)
        shown = [p for p in problems if one or not p.is_note]
        _print_problems(shown)
        if built.failed and one:
            _print_chain_hint(problems)
        if built.bug:
            typer.echo(_internal_error(built.bug, "这个部门没有修改任何文件"), err=True)
        for notice in built.notices:
            typer.echo(notice, err=True)
        if one:
            for path in built.written:
                typer.echo(f"已生成：{path}")

    try:
        run = run_departments(depts, options, jobs or default_jobs(), told, overview=everything)
    except KeyboardInterrupt as exc:
        run = getattr(exc, "run", None)
        built = [b for b in run.built if not b.failed] if run else []
        typer.echo(f"已中断：{len(built)} 个部门已生成，其余部门没有生成或修改任何文件。", err=True)
        raise typer.Exit(130) from None
    if one:
        (built,) = run.built
        if built.failed:
            typer.echo(f"发现 {_summary(_to_fix(built.problems))}。没有生成或修改任何文件。", err=True)
            if built.previous is not None:
                typer.echo(previous_notice(built), err=True)
            raise typer.Exit(70 if built.bug else 1)
        if built.problems:
            typer.echo(f"（{_summary(built.problems)}，见上方说明）")
        return
    typer.echo(summary_table(run))
    failed = run.failed
    ok = len(run.built) - len(failed)
    typer.echo(f"共 {len(run.built)} 个部门：{ok} 个已生成" +
               (f"，{len(failed)} 个有错误（没有生成或修改任何文件，见上方说明）" if failed else "") + "。")
    for built in failed:
        if built.previous is not None:
            typer.echo(previous_notice(built))
    if run.overview is not None:
        typer.echo(f"已生成汇总：{run.overview}（各部门的数字和发现的全部问题）")
    for notice in run.notices:
        typer.echo(notice, err=True)
    if failed:
        raise typer.Exit(70 if any(b.bug for b in failed) else 1)


@app.command("check", **COMMAND, short_help="只检查数据，不生成文件。",
             help="只检查数据，不生成文件。有错误时退出码为 1。")
def check(
    year: YearArg = None,
    data: DataOption = Path("data"),
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出检查结果，供其他工具使用。")] = False,
    dept: Annotated[Optional[str], typer.Option("--dept", metavar="部门", show_default=False,
                                                help="数据按部门存放时，检查这个部门。")] = None,
    all_departments: Annotated[bool, typer.Option("--all", help="逐个检查每个部门，最后列出各部门的结果。")]
    = False,
) -> None:
    from .folders import is_bureau, single
    from .load import YEAR_RE

    text = _require_year(year, "check")
    _one_layout(data)
    if all_departments:
        if dept is not None:
            raise BudgetError([_plain_error("部门", "--all 检查全部部门，--dept 只检查一个部门，不能一起用。",
                                            f"检查全部部门：budgetdoc check {text} --all；"
                                            f"只检查一个部门：budgetdoc check {text} --dept 部门。")])
        _check_departments(data, text, as_json)
        return
    if dept is not None:
        where = _named_department(data, dept)
        if YEAR_RE.fullmatch(text) and (clash := _name_clashes([where], text).get(where.key)) is not None:
            raise BudgetError([clash])
    elif is_bureau(data):
        raise BudgetError([_bureau_needs_a_department(data, text, "check")])
    else:
        where = single(data)
    try:
        checked = _check(where, text) if YEAR_RE.fullmatch(text) else _check_plain(data, text)
    except BudgetError as exc:
        if as_json:
            typer.echo(problems_json(exc.problems))
            raise typer.Exit(1) from None
        raise
    if as_json:
        typer.echo(problems_json(checked.problems))
        return
    _print_problems(checked.problems)
    typer.echo(f"{where.shown if where.in_bureau else data}/{year}：检查通过（{_summary(checked.problems)}）。")


def _check_departments(data: Path, year: str, as_json: bool) -> None:
    """``check YEAR --all``: every department with the year, one after the other (20 take well under a second),
    each one's problems as ``check`` prints them, then a line per department; exit 1 when any has an error
    (70: a budgetdoc bug).  ``--json``: a list, one entry per department, with its problems."""
    from .batch import aligned
    from .load import YEAR_RE, resolve_year
    from .overview import counts
    from .problems import sort_problems

    if not YEAR_RE.fullmatch(year) or not data.is_dir():
        raise BudgetError(resolve_year(data, year)[1])      # the year or the data folder, explained
    rows, listed = [("部门", "结果", "错误", "警告")], []
    failed = bugs = 0
    with_year = _departments_with_year(data, year)
    clashes = _name_clashes(with_year, year)
    for dept in with_year:
        shown, bug = f"{dept.shown}/{year}", None
        try:
            problems, passed = _check(dept, year).problems, True
        except BudgetError as exc:
            problems, passed = _to_fix(exc.problems), False
        except Exception as exc:  # a bug in budgetdoc: this department fails, the others are checked
            if os.environ.get("BUDGETDOC_DEBUG"):
                raise
            problems, passed, bug = [], False, f"{type(exc).__name__}: {exc}"
        if dept.key in clashes:         # another department's 部门名称: their reports would overwrite each other
            problems, passed = problems + [clashes[dept.key]], False
        problems = sort_problems(problems)
        errors, warnings, notes = counts(problems)
        result = "内部错误" if bug else "通过" if passed else "有错误"
        failed += not passed
        bugs += bug is not None
        rows.append((dept.key, result, str(errors), str(warnings)))
        listed.append({"department": dept.key, "folder": shown, "result": "passed" if passed else
                       "bug" if bug else "failed", "errors": errors, "warnings": warnings, "notes": notes,
                       "problems": [p.to_dict() for p in problems]} | ({"bug": bug} if bug else {}))
        if as_json:
            continue
        if problems or bug:
            typer.echo(f"—— {dept.shown}：{result}", err=True)
        _print_problems(problems)
        if bug:
            typer.echo(_internal_error(bug), err=True)
        elif not passed:
            _print_chain_hint(problems)
    from .folders import departments

    skipped = [d for d in departments(data) if not (d.root / year).is_dir()]      # told above; listed too
    if as_json:
        listed += [{"department": d.key, "folder": f"{d.shown}/{year}", "result": "skipped"} for d in skipped]
        typer.echo(json.dumps(sorted(listed, key=lambda entry: entry["department"]), ensure_ascii=False, indent=2))
    else:
        rows[1:] = sorted(rows[1:] + [(d.key, f"跳过（没有{year}年数据）", "", "") for d in skipped])
        checked = len(listed)
        typer.echo(aligned(rows, right={2, 3}))
        typer.echo(f"共 {checked + len(skipped)} 个部门：{checked - failed} 个通过" +
                   (f"，{failed} 个有错误（见上方说明）" if failed else "") +
                   (f"，{len(skipped)} 个没有{year}年数据、没有检查" if skipped else "") + "。")
    if failed:
        raise typer.Exit(70 if bugs else 1)


def _check_plain(data: Path, year: str):
    from .pipeline import check_year

    return check_year(data, year)


@app.command("templates", **COMMAND, short_help="把 budgetdoc 自带的模板（或一种文风）复制出来，供修改。",
             help="把 budgetdoc 自带的报告模板（各部分的 .j2、style.yaml、tables.yaml）复制到一个新文件夹，供一个局或部门"
                  "改成自己的统一模板；加 --style 名称 复制自带的另一种文风（如 tables-first）。已有的文件夹不会被覆盖。"
                  "复制到数据目录中的 templates/（或 style.yaml 所在处）即被采用，见 README。")
def templates_command(
    folder: Annotated[Optional[Path], typer.Argument(metavar="目录", show_default=False,
                                                     help="复制到这个新文件夹（必填，不能已存在）。")] = None,
    style: Annotated[Optional[str], typer.Option("--style", metavar="名称", show_default=False,
                                                 help="复制自带的这种文风，而不是默认模板。")] = None,
) -> None:
    from .folders import DEFAULT_TEMPLATES, SHIPPED_STYLES, shipped_styles
    from .output import write_outputs

    if folder is None:
        raise BudgetError([_plain_error("写入文件", "缺少要复制到的文件夹。",
                                        "写成 budgetdoc templates 我的模板（或 budgetdoc templates data/templates）。")])
    if style is not None and style not in shipped_styles():
        raise BudgetError([_plain_error("文风", f"budgetdoc 没有自带“{style}”这种文风。",
                                        f"自带的有：{'、'.join(shipped_styles()) or '（无）'}。")])
    if folder.exists():
        raise BudgetError([_plain_error("写入文件", f"{folder} 已经存在：为了不覆盖其中的修改，没有复制。",
                                        "换一个新的文件夹名；要更新已有的模板，请逐个文件比较后手工合并。")])
    source = SHIPPED_STYLES / style if style is not None else DEFAULT_TEMPLATES
    files = {folder / path.relative_to(source): path.read_bytes()
             for path in sorted(source.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}
    write_outputs(files, option="目录")
    typer.echo(f"已复制 {len(files)} 个文件到 {folder}/。"
               + ("用 --style 指定这个文件夹，或放在数据目录中作为 templates/ 使用。" if style is not None else
                  "用 --templates 指定这个文件夹，或放在数据目录中作为 templates/ 使用。"))


@app.command("schema", **COMMAND, short_help="输出数据文件的 JSON Schema（供编辑器提示字段）。",
             help="输出数据文件的 JSON Schema（供 VS Code 等编辑器补全字段、提示错误）。")
def schema(
    out: Annotated[Optional[Path], typer.Option("--out", metavar="目录", show_default=False,
                                                help="写入此目录（每个数据文件一个 .schema.json）；不填则输出到屏幕。")] = None,
    data: Annotated[Optional[Path], typer.Option("--data", metavar="目录", show_default=False,
                                                 help="写到这个数据目录中各数据文件第一行所指的 schema 文件夹"
                                                      "（编辑器提示，按部门存放时多为 data/schema/）。")] = None,
) -> None:
    from .model import DATA_FILES
    from .output import write_outputs
    from .statements.tableset import TABLESET
    from .style import STYLE

    schemas = {f.name.replace(".yaml", ".schema.json"): _json_schema(f, True) for f in DATA_FILES}
    schemas |= {"prior/" + f.name.replace(".yaml", ".schema.json"): _json_schema(f, False) for f in DATA_FILES}
    for name, spec in (("style", STYLE), ("tables", TABLESET)):    # a house style's files, for editors too
        schemas[f"{name}.schema.json"] = {"$schema": "https://json-schema.org/draft-07/schema#",
                                          "$id": f"budgetdoc/{name}.schema.json", **spec.json_schema(False)}
    if out is None and data is None:
        typer.echo(json.dumps(schemas, ensure_ascii=False, indent=2))
        return
    targets = [out] if out is not None else []
    if data is not None:
        from .schemahint import schema_folders

        found, unusable = schema_folders(data)
        for line in unusable:
            typer.echo(f"提示：{line}", err=True)
        if not found and out is None:
            raise BudgetError([_plain_error("编辑器提示", f"{data} 中没有哪个数据文件的第一行指向 schema 文件夹。",
                                            "数据文件第一行写 # yaml-language-server: $schema=../../schema/income.schema.json"
                                            "（按部门存放时同样写 ../../schema/，再运行 budgetdoc schema --data data）。")])
        targets += [folder for folder in found if folder not in targets]
    files = {folder / name: (json.dumps(s, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
             for folder in targets for name, s in schemas.items()}
    for path in write_outputs(files):
        typer.echo(f"已生成：{path}")


@app.command("new-year", **COMMAND, short_help="由上一年的数据建立新年度的数据文件夹。",
             help="由上一年的数据建立新年度的数据文件夹（保留注释），如 new-year 2021。")
def new_year_command(
    year: YearArg = None,
    data: DataOption = Path("data"),
    dept: EditDeptOption = None,
) -> None:
    from .load import YEAR_RE
    from .newyear import new_year

    text = _require_year(year, "new-year")
    if not YEAR_RE.match(text):
        raise BudgetError([_plain_error("年份", f"年份“{text}”无效：应当是四位数字，如 2021。", "写四位数字的年份。")])
    data = _one_department(data, text, "new-year", dept=dept)
    for path in new_year(data, int(text)):
        typer.echo(f"已生成：{path}")
    typer.echo(f"请修改 {data}/{text}/ 中的数字和文字，填写新的变动原因（上一年的原因已清除），"
               f"并在 {data}/{int(text) - 1}/three_public.yaml 中补填{int(text) - 1}年执行数。")


@app.command("pre-commit", **COMMAND, short_help="供 git 提交前检查：检查改动的数据所在的年份。",
             help="供 git 的 pre-commit 钩子使用（见 README）：对改动的数据文件所在的年份运行 check；"
                  "改的是上一年的数据时，也检查用它对照的下一年。只有上年对照数据的年份不单独检查。"
                  "有错误时退出码为 1，提交不会完成。")
def pre_commit(
    files: Annotated[Optional[list[Path]], typer.Argument(metavar="[文件]...", show_default=False,
                                                          help="改动的文件（pre-commit 自动填写）")] = None,
    data: DataOption = Path("data"),
) -> None:
    _one_layout(data)
    targets, builds = _years_of(data, files or [])
    if not targets and not builds:
        typer.echo("没有改动可以检查的年份的数据。")
        return
    problems: list[Problem] = []
    failed = []
    jobs = sorted({(d.key, y): (d, y) for d, y in targets + builds}.values(), key=lambda t: (t[0].key, t[1]))
    for dept, year in jobs:
        build = (dept, year) in builds            # a house file changed: render the report, not only check
        shown = f"{data}/{dept.key}/{year}" if dept.in_bureau else f"{data}/{year}"
        try:
            checked = _build_in_memory(dept, year) if build else _check(dept, year).problems
        except BudgetError as exc:
            problems += _to_fix(exc.problems)
            failed.append(f"{dept.key} {year}" if dept.in_bureau else str(year))
            _print_problems(_to_fix(exc.problems))
            continue
        _print_problems(checked)            # a year that passed: its warnings are not the failure's
        what = "模板、文风和名词解释生成报告通过" if build else "检查通过"
        typer.echo(f"{shown}：{what}（{_summary(checked)}）。")
    if failed:
        _print_chain_hint(problems)
        house = {"模板", "文风"} & {p.rule for p in problems if p.is_error}
        what = "数据" if not house else "模板和文风" if all(p.rule in house for p in problems if p.is_error) \
            else "数据、模板和文风"
        typer.echo(f"{'、'.join(failed)} 年的{what}有错误（{_summary(problems)}）：提交没有完成。"
                   "按上面的说明改正后，重新 git add 和 git commit。", err=True)
        raise typer.Exit(1)


# ------------------------------------------------------------------ import, fix-totals (issue 11)

DryRunOption = Annotated[bool, typer.Option("--dry-run", help="只显示会改动什么，不修改任何文件。")]


@app.command("fix-totals", **COMMAND, short_help="由组成部分重算全部合计（保留注释），一次改好。",
             help="由组成部分重算每一个合计（收入合计、支出合计、基本支出、项目支出、功能分类上级科目、“三公”经费、"
                  "机关运行经费、政府采购……），保留注释，逐项列出改动。组成部分本身不一致时（同一合计的两种算法结果不同）"
                  "说明原因，不修改任何文件。")
def fix_totals_command(year: YearArg = None, data: DataOption = Path("data"), dry_run: DryRunOption = False,
                       dept: EditDeptOption = None) -> None:
    from .totals import fix_totals

    text = _require_year(year, "fix-totals")
    data = _one_department(data, text, "fix-totals", dept=dept)
    try:
        fixed = fix_totals(data, text)
    except BudgetError as exc:
        _refuse(exc.problems)
    _report_changes(fixed.changes, fixed.files, dry_run, f"{data}/{text}：所有合计都等于组成部分之和，没有需要修改的。")


@app.command("import", **COMMAND, short_help="由预算系统导出的 Excel（.xlsx / .xls）更新数据中的数字。",
             help="读取预算管理一体化系统导出的 Excel 文件（公开表工作簿、逐行明细，或按映射文件的其他表样），"
                  "更新（或由上一年建立）data/<年度>/ 中的数字；文字和注释保持不变。逐项列出改动；"
                  "文件或结果有任何错误时不修改任何文件。")
def import_command(
    file: Annotated[Optional[Path], typer.Argument(metavar="文件", help="导出的 .xlsx 或 .xls 文件。",
                                                   show_default=False)] = None,
    year: YearArg = None,
    data: DataOption = Path("data"),
    dry_run: DryRunOption = False,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", metavar="文件", show_default=False,
                                                    help="其他表样的映射文件（YAML，见 docs/import.md）。")] = None,
    dept: EditDeptOption = None,
) -> None:
    from .importer import import_file

    if file is None:
        raise BudgetError([_plain_error("导入文件", "缺少要导入的文件。", "写成 budgetdoc import 批复.xlsx 2021。")])
    text = _require_year(year, "import")
    data = _one_department(data, text, "import", file, dept)
    try:
        result = import_file(file, text, data, mapping)
    except BudgetError as exc:
        _refuse(exc.problems)
    for line in result.notes:
        typer.echo(line)
    _report_changes(result.changes, result.files, dry_run, f"{data}/{text} 中的数字与 {file.name} 完全一致，没有需要修改的。")


def _refuse(problems: list[Problem]) -> None:
    shown = _to_fix(problems)
    _print_problems(shown)
    typer.echo(f"发现 {_summary(shown)}。没有生成或修改任何文件。", err=True)
    raise typer.Exit(1)


def _report_changes(changes, files: dict, dry_run: bool, nothing: str) -> None:
    for change in changes:
        typer.echo(change.format())
    if not changes:
        typer.echo(nothing)
        return
    if dry_run:
        typer.echo(f"共 {len(changes)} 处改动（试运行：没有修改任何文件；去掉 --dry-run 即写入）。")
        return
    from .folders import shown_path
    from .output import write_outputs

    for path in write_outputs(files, option="--data"):
        typer.echo(f"已修改：{shown_path(path)}")        # as the lines above name it
    typer.echo(f"共 {len(changes)} 处改动。")


@app.command("audit", **COMMAND, short_help="审核一份报告（.docx、.txt、.pdf）的数字和公开要求。",
             help="审核一份部门预算公开报告（.docx、.txt 或 .pdf，不必由 budgetdoc 生成）：每个占比、增长率、合计、"
                  "比上年增减都用报告中的其他数字重算，并检查“三公”变动原因、占位符、标题年份、旧科目名称、空表说明。"
                  "有错误时退出码为 1。说明见 docs/audit.md。")
def audit_command(
    file: Annotated[Optional[Path], typer.Argument(metavar="文件", show_default=False,
                                                   help="要审核的报告：.docx、.txt 或 .pdf（必填）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出审核结果，供其他工具使用。")] = False,
    data: Annotated[Optional[str], typer.Option("--data", metavar="目录:年度", show_default=False,
                                                help="同时与数据对照，如 --data data:2020。")] = None,
) -> None:
    from .audit.command import run   # imported here: the other commands do not load the audit

    if file is None:
        typer.echo("错误：缺少要审核的报告文件。写成 budgetdoc audit 报告.docx（也可以是 .txt 或 .pdf）。", err=True)
        raise typer.Exit(2)
    raise typer.Exit(run(file, as_json, data))


def _check(dept, year: int):
    """check_year of one department, with the glossary and the house style its reports would use
    (the style says when a change needs its 变动原因)."""
    from .folders import GLOSSARY_FILE, house_files, load_style
    from .pipeline import check_year, default_style

    house = house_files(dept, year)
    style = load_style(house.style) or default_style(house.templates)
    return check_year(dept.root, year, style, fallbacks={GLOSSARY_FILE: house.glossary} if house.glossary else None)


def _build_in_memory(dept, year: int) -> list[Problem]:
    """Build one department-year's report in memory with its house files (nothing written); its problems."""
    from .folders import house_files, load_style
    from .pipeline import build_year

    house = house_files(dept, year)
    return build_year(dept.root, year, house.templates, style=load_style(house.style), glossary=house.glossary).problems


def _years_of(data: Path, files: list[Path]) -> tuple[list, list]:
    """What a commit touching ``files`` should check.

    First (department, year) for each year whose data files changed (``<data>/<year>/*.yaml``, a bureau's
    ``<data>/<部门>/<year>/*.yaml``, a unit's ``…/<year>/units/<单位>/*.yaml``), when its report can be
    built, and the year after it (which compares with it), when that one can.  Then (department, year)
    to build in memory because a house file its report is made with changed (``style.yaml``,
    ``glossary.yaml``, ``templates/…`` of the bureau, the department or the year): the year itself, or
    the department's latest year that can be built — a template's mistake shows only when it renders.
    """
    from .folders import GLOSSARY_FILE, STYLE_FILE, TEMPLATES_DIR, UNITS_DIR, departments, is_bureau, single
    from .load import YEAR_RE, complete_year

    root = data.resolve()
    bureau = is_bureau(data)
    found = {d.key: d for d in departments(data)} if bureau else {}
    everyone = list(found) if bureau else [""]
    touched, house = set(), set()
    for file in files:
        try:
            inside = file.resolve().relative_to(root)
        except ValueError:
            continue
        if bureau and len(inside.parts) > 1 and inside.parts[0] in found:
            keys, parts = [inside.parts[0]], inside.parts[1:]
        elif bureau:
            keys, parts = everyone, inside.parts            # the bureau's own house files
        else:
            keys, parts = [""], inside.parts
        year = int(parts[0]) if parts and YEAR_RE.fullmatch(parts[0]) else None
        rest = parts[1:] if year is not None else parts
        if rest and (rest[0] == TEMPLATES_DIR and len(rest) > 1 or len(rest) == 1 and rest[0] in (STYLE_FILE, GLOSSARY_FILE)) \
                and not (year is not None and rest[0] == GLOSSARY_FILE):
            house.update((key, year) for key in keys)
            continue
        if file.suffix not in (".yaml", ".yml") or year is None \
                or not (len(rest) == 1 or (len(rest) == 3 and rest[0] == UNITS_DIR)):
            continue
        if bureau and keys == everyone:
            continue
        touched.add((keys[0], year))
    out = []
    for key, year in sorted(touched):
        dept = found[key] if bureau else single(data)
        out += [(dept, y) for y in (year, year + 1) if (dept, y) not in out and complete_year(dept.root / str(y))]
    builds = []
    for key, year in sorted(house, key=lambda kv: (kv[0], kv[1] or 0)):
        dept = found[key] if bureau else single(data)
        years = [y for y in ([year] if year is not None else sorted((int(p.name) for p in dept.root.iterdir()
                                                                     if p.is_dir() and YEAR_RE.fullmatch(p.name)),
                                                                    reverse=True))
                 if complete_year(dept.root / str(y))][:1]
        builds += [(dept, y) for y in years if (dept, y) not in builds]
    return (sorted(out, key=lambda target: (target[0].key, target[1])),
            sorted(builds, key=lambda target: (target[0].key, target[1])))


def _same_report_elsewhere(target: Path, new: bytes) -> list[str]:
    from .reportfiles import same_report_elsewhere

    return same_report_elsewhere(target, new)


def _json_schema(data_file, strict: bool) -> dict:
    """The JSON Schema of one data file.

    ``strict``: the year being reported (required fields required);
    otherwise the previous year's files, where absent figures stay absent.
    """
    name = data_file.name.replace(".yaml", ".schema.json")
    schema = {"$schema": "https://json-schema.org/draft-07/schema#",
              "$id": f"budgetdoc/{'' if strict else 'prior/'}{name}", **data_file.spec.json_schema(strict)}
    schema.setdefault("title", data_file.topic)
    if not strict:
        schema["description"] = schema.get("description", "") + "（上年数据：只填报告隐含或已公开的数字，其余可不填。）"
    return schema


def _style(path: Path | None) -> "Style | None":
    """The house style named by --style or found for the department (a style.yaml or its folder);
    None: the templates' own."""
    from .folders import load_style

    return load_style(path)


def _plain_error(rule: str, message: str, hint: str) -> Problem:
    from .problems import error
    return error(rule, message, None, hint)


register_review(app)


# The totals the chain hint names (人员经费 → 基本支出合计 → 支出合计 → 收入合计 →
# 一般公共预算拨款收入 → 功能分类): fixing one often moves the next.
_CHAINED_TOTALS = {"收入合计", "收支平衡", "支出合计", "基本支出", "项目支出", "功能分类"}


def _is_chained_total(problem: Problem) -> bool:
    """A total of the chain that does not equal its parts (“合计 X ≠ 各项之和 Y”), not another slip under the
    same rule (a duplicate or misplaced 功能分类 code)."""
    return problem.is_error and problem.rule in _CHAINED_TOTALS and "≠" in problem.message


def _chain_hint_applies(problems: list[Problem]) -> bool:
    """Two or more broken totals of the chain, or nothing but such totals."""
    errors = [p for p in problems if p.is_error]
    chained = [p for p in errors if _is_chained_total(p)]
    return len(chained) >= 2 or (bool(chained) and len(chained) == len(errors))


def _print_chain_hint(problems: list[Problem]) -> None:
    if _chain_hint_applies(problems):
        typer.echo("提示：改动一个金额后，包含它的各级合计要一起改，例如 人员经费 → 基本支出合计 → 支出合计 → "
                   "收入合计 → 一般公共预算拨款收入 → 功能分类中对应的类。", err=True)


def _usage_error(exc: click.UsageError) -> str:
    """A usage error as click words it (in Chinese, from the catalogue), and where to read the usage."""
    if isinstance(exc, click.NoSuchOption) and exc.option_name.lstrip("-").lower() in ("year", "y"):
        message = f"年份直接写在命令后面，不用“{exc.option_name}”，例如 budgetdoc report 2020。"
    else:
        # click joins its sentences with a space and the close options with ", "
        message = re.sub(r", (?=-)", "、", re.sub(r"([。？！”）]) +", r"\1", exc.format_message()))
    command = exc.ctx.command_path if exc.ctx else "budgetdoc"
    return (_("Error: {message}").format(message=message)
            + _("Try '{command} {option}' for help.").format(command=command, option="--help"))


def main(argv: list[str] | None = None) -> None:
    """Console entry point: no traceback ever reaches a finance clerk.

    ``argv`` (without the program name) defaults to the command line; tests
    pass it to run the command in-process.
    """
    try:
        code = app(args=argv, prog_name="budgetdoc", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.NoArgsIsHelpError as exc:
        typer.echo(exc.format_message(), err=True)
        sys.exit(2)
    except click.UsageError as exc:
        typer.echo(_usage_error(exc), err=True)
        sys.exit(2)
    except click.ClickException as exc:
        typer.echo(f"错误：{exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        typer.echo("已中断，没有修改任何文件。", err=True)
        sys.exit(130)
    except BudgetError as exc:
        problems = _to_fix(exc.problems)
        _print_problems(problems)
        _print_chain_hint(problems)
        typer.echo(f"发现 {_summary(problems)}。没有生成或修改任何文件。", err=True)
        for line in exc.afterwards:
            typer.echo(line, err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("已中断，没有修改任何文件。", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug in budgetdoc, not in the data
        if os.environ.get("BUDGETDOC_DEBUG"):
            raise
        typer.echo(_internal_error(f"{type(exc).__name__}: {exc}", "没有修改任何文件"), err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
