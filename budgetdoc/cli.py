"""The ``budgetdoc`` command.

Every message is in Simplified Chinese.  Data problems are printed as
``文件:行:列: 错误 [规则] 说明`` with a 处理办法, the exit code is 1 and
nothing is written.  Anything unexpected is a budgetdoc bug: it is reported
in one paragraph (no traceback unless ``BUDGETDOC_DEBUG=1``) with exit code 70.
"""

from __future__ import annotations

import json
import os
import sys
from gettext import gettext as _
from pathlib import Path
from typing import Optional

from .commands import APP, COMMAND  # first: it imports typer without rich (see commands.defer_rich)

import click  # noqa: E402
import typer  # noqa: E402
from typing_extensions import Annotated  # noqa: E402

from .folders import DEFAULT_TEMPLATES  # noqa: E402
from .problems import BudgetError, Problem, problems_json  # noqa: E402
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

DataOption = Annotated[Path, typer.Option("--data", metavar="目录", help="数据目录，内含按年份命名的文件夹。")]
YearArg = Annotated[Optional[str], typer.Argument(metavar="年度", help="预算年度，四位数字，如 2020。",
                                                  show_default=False)]


def _require_year(year: str | None, command: str) -> str:
    if year is None:
        example = {"report": "budgetdoc report 2020，或 make report YEAR=2020",
                   "check": "budgetdoc check 2020，或 make check YEAR=2020",
                   "new-year": "budgetdoc new-year 2021"}[command]
        raise BudgetError([_plain_error("年份", "缺少年份。", f"写成 {example}。")])
    return year


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        typer.echo(p.format(), err=True)


def _to_fix(problems: list[Problem]) -> list[Problem]:
    """What a failed run shows: errors and warnings; the 提示 wait until the data builds."""
    return [p for p in problems if not p.is_note]


def _summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    notes = sum(p.is_note for p in problems)
    warnings = len(problems) - errors - notes
    return f"{errors} 个错误，{warnings} 个警告" + (f"，{notes} 个提示" if notes else "")


@app.command("report", **COMMAND, short_help="检查数据并生成报告（Word 文档、公开表 Excel 和同名 .txt）。",
             help="检查数据并生成报告：build/<年度>/<部门名称><年度>年部门预算.docx、公开表 .xlsx 和同名 .txt。")
def report(
    year: YearArg = None,
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", metavar="目录", help="输出目录（其下按年份建文件夹）。")] = Path("build"),
    templates: Annotated[Path, typer.Option("--templates", metavar="目录", help="模板目录。",
                                            show_default="budgetdoc 自带的模板")] = DEFAULT_TEMPLATES,
    style: Annotated[Optional[Path], typer.Option("--style", metavar="文件", help="版式设置 YAML（覆盖默认公文版式）。",
                                                  show_default=False)] = None,
) -> None:
    from .output import write_outputs
    from .pipeline import build_year

    layout = _layout(style)
    result = build_year(data, _require_year(year, "report"), templates=templates, layout=layout)
    _print_problems(result.problems)
    folder = out / str(result.year)
    target = folder / f"{result.filename}.docx"
    assert target.resolve().parent == folder.resolve(), target  # 部门名称 is checked to be a plain name
    _keep_hand_edits(target, result.docx)
    written = write_outputs({target: result.docx,
                             folder / f"{result.filename}.xlsx": result.xlsx,
                             folder / f"{result.filename}.txt": result.text.encode("utf-8")})
    for path in written:
        typer.echo(f"已生成：{path}")
    others = _same_report_elsewhere(target, result.docx)
    if others:
        typer.echo(f"提示：{folder} 中的 {'、'.join(others)} 也是 budgetdoc 为本部门生成的{result.year}年报告，"
                   f"但文件名不同（可能是复制或改名的旧报告）。本次生成的是 {target.name}；不再需要的可以删除。",
                   err=True)
    if result.problems:
        typer.echo(f"（{_summary(result.problems)}，见上方说明）")


@app.command("check", **COMMAND, short_help="只检查数据，不生成文件。",
             help="只检查数据，不生成文件。有错误时退出码为 1。")
def check(
    year: YearArg = None,
    data: DataOption = Path("data"),
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出检查结果，供其他工具使用。")] = False,
) -> None:
    from .pipeline import check_year

    try:
        checked = check_year(data, _require_year(year, "check"))
    except BudgetError as exc:
        if as_json:
            typer.echo(problems_json(exc.problems))
            raise typer.Exit(1) from None
        raise
    if as_json:
        typer.echo(problems_json(checked.problems))
        return
    _print_problems(checked.problems)
    typer.echo(f"{data}/{year}：检查通过（{_summary(checked.problems)}）。")


@app.command("schema", **COMMAND, short_help="输出数据文件的 JSON Schema（供编辑器提示字段）。",
             help="输出数据文件的 JSON Schema（供 VS Code 等编辑器补全字段、提示错误）。")
def schema(
    out: Annotated[Optional[Path], typer.Option("--out", metavar="目录", show_default=False,
                                                help="写入此目录（每个数据文件一个 .schema.json）；不填则输出到屏幕。")] = None,
) -> None:
    from .model import DATA_FILES
    from .output import write_outputs

    schemas = {f.name.replace(".yaml", ".schema.json"): _json_schema(f, True) for f in DATA_FILES}
    schemas |= {"prior/" + f.name.replace(".yaml", ".schema.json"): _json_schema(f, False) for f in DATA_FILES}
    if out is None:
        typer.echo(json.dumps(schemas, ensure_ascii=False, indent=2))
        return
    files = {out / name: (json.dumps(s, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
             for name, s in schemas.items()}
    for path in write_outputs(files):
        typer.echo(f"已生成：{path}")


@app.command("new-year", **COMMAND, short_help="由上一年的数据建立新年度的数据文件夹。",
             help="由上一年的数据建立新年度的数据文件夹（保留注释），如 new-year 2021。")
def new_year_command(
    year: YearArg = None,
    data: DataOption = Path("data"),
) -> None:
    from .load import YEAR_RE
    from .newyear import new_year

    text = _require_year(year, "new-year")
    if not YEAR_RE.match(text):
        raise BudgetError([_plain_error("年份", f"年份“{text}”无效：应当是四位数字，如 2021。", "写四位数字的年份。")])
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
    from .pipeline import check_year

    years = _years_of(data, files or [])
    if not years:
        typer.echo("没有改动可以检查的年份的数据。")
        return
    problems: list[Problem] = []
    failed = []
    for year in years:
        try:
            checked = check_year(data, year)
        except BudgetError as exc:
            problems += _to_fix(exc.problems)
            failed.append(year)
            _print_problems(_to_fix(exc.problems))
            continue
        problems += checked.problems
        _print_problems(checked.problems)
        typer.echo(f"{data}/{year}：检查通过（{_summary(checked.problems)}）。")
    if failed:
        _print_chain_hint(problems)
        typer.echo(f"{'、'.join(map(str, failed))} 年的数据有错误（{_summary(problems)}）：提交没有完成。"
                   "按上面的说明改正后，重新 git add 和 git commit。", err=True)
        raise typer.Exit(1)


def _years_of(data: Path, files: list[Path]) -> list[int]:
    """The years a commit touching ``files`` should check: each year whose data files (``<data>/<year>/*.yaml``)
    changed, when its report can be built, and the year after it (which compares with it), when that one can."""
    from .load import YEAR_RE, complete_year

    root = data.resolve()
    touched = set()
    for file in files:
        try:
            inside = file.resolve().relative_to(root)
        except ValueError:
            continue
        if len(inside.parts) == 2 and YEAR_RE.fullmatch(inside.parts[0]) and file.suffix in (".yaml", ".yml"):
            touched.add(int(inside.parts[0]))
    years = {y for t in touched for y in (t, t + 1) if complete_year(root / str(y))}
    return sorted(years)


def _same_report_elsewhere(target: Path, new: bytes) -> list[str]:
    """Other .docx files in the folder that budgetdoc wrote for the same department and year, unedited.

    Only the document properties decide: another department's report built
    into the same folder, or any file budgetdoc did not write, is never named.
    """
    from .writers.docx.package import written_for

    identity = written_for(new)
    if identity is None:
        return []
    return sorted(p.name for p in target.parent.glob("*.docx")
                  if p != target and p.is_file() and written_for(p.read_bytes()) == identity)


def _keep_hand_edits(target: Path, new: bytes) -> None:
    """A report changed in Word/WPS since budgetdoc wrote it is kept beside the new one."""
    from datetime import datetime

    from .writers.docx.package import edited_elsewhere

    if not target.is_file() or not edited_elsewhere(target.read_bytes(), new):
        return
    from .output import write_outputs

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = target.with_name(f"{target.stem}（已修改 {stamp}）.docx")
    write_outputs({backup: target.read_bytes()})
    typer.echo(f"注意：{target} 在 Word/WPS 中被修改过。修改稿已另存为 {backup.name}，报告按数据重新生成。"
               "每次生成都会覆盖报告：需要长期保留的修改请写进 data/ 中的 YAML 文件或 templates/ 中的模板。",
               err=True)


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


def _layout(style: Path | None) -> "Layout | None":
    from .layout import Layout, LayoutError

    if style is None:
        return None
    if not style.is_file():
        raise BudgetError([_plain_error("版式设置", f"找不到版式设置文件 {style}。", "检查 --style 后的路径。")])
    try:
        return Layout.load(style)
    except LayoutError as exc:
        raise BudgetError([_plain_error("版式设置", str(exc), "按提示改正版式设置文件。")]) from None


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
        message = exc.format_message()
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
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("已中断，没有修改任何文件。", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug in budgetdoc, not in the data
        if os.environ.get("BUDGETDOC_DEBUG"):
            raise
        typer.echo(f"budgetdoc 内部错误：{type(exc).__name__}: {exc}\n"
                   "这是 budgetdoc 的缺陷，不是您的数据问题；没有修改任何文件。"
                   "请把这段信息发给维护人员（设置环境变量 BUDGETDOC_DEBUG=1 可看到详细信息）。", err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
