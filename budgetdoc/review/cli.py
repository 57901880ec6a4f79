"""The review commands: ``text``, ``diff`` and ``redline``.

:func:`register` adds them to the main typer app.  Every message the user
sees is in Simplified Chinese; a file that cannot be read ends the command
with a one-line ``错误：…`` on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, Optional

import typer

from budgetdoc.commands import COMMAND
from budgetdoc.problems import BudgetError

if TYPE_CHECKING:
    from budgetdoc.review.sources import LoadedSide
    from budgetdoc.review.textdiff import Change, DiffResult

# The modules that read and write DOCX (python-docx, lxml) are imported by the
# command that runs: the help of every command is drawn without them.

TEXT_HELP = (
    "把 DOCX 文件输出为纯文本：标题和段落每段一行，表格每行一行、单元格以“ | ”分隔。"
    "可作为 git 的 textconv 驱动，让 git diff 显示 .docx 的文字变化（见 docs/review.md）。"
)
DIFF_HELP = (
    "逐段比较旧版和新版，标出改动的文字和数字。"
    "每一方可以是 .docx 文件、年份（如 2020，取工作区的 data/）、目录:年份（如 data:2020）、"
    "git 版本:年份（如 HEAD~1:2020，取该版本的 data/）或 git 版本:目录:年份（如 HEAD:depts/X:2020）；"
    "数据按部门存放时，部门:年份（如 部门A:2020，即 data/部门A）、git 版本:部门:年份（如 HEAD~1:部门A:2020）。"
    "两方都由数据生成时，先列出变化的数据项。用颜色时，红色为删除，绿色为新增。"
)
REDLINE_HELP = (
    "比较旧版和新版，用 Word 修订标记写出新版到 -o 指定的文件："
    "接受全部修订得到新版，拒绝全部修订得到旧版。"
    "每一方可以是 DOCX 文件，也可以像 diff 一样由数据生成（如 HEAD~1:部门A:2020 部门A:2020）。"
)
UnitOption = Annotated[Optional[str], typer.Option("--unit", metavar="单位", show_default=False,
                                                   help="由数据生成时，比较这个预算单位的报告")]


def register(app: typer.Typer) -> None:
    """Add ``text``, ``diff`` and ``redline`` to ``app``."""
    app.command("text", **COMMAND, help=TEXT_HELP,
                short_help="把 DOCX 文件输出为纯文本（可作 git diff 的 textconv）。")(text_command)
    app.command("diff", **COMMAND, help=DIFF_HELP,
                short_help="逐段比较两个版本（.docx 或由数据生成），标出改动。")(diff_command)
    app.command("redline", **COMMAND, help=REDLINE_HELP,
                short_help="用 Word 修订标记写出两个 DOCX 文件之间的改动。")(redline_command)


def _missing(what: str, example: str) -> typer.Exit:
    """A missing argument: say which, and how the command is written (exit code 2, as other usage errors)."""
    typer.echo(f"错误：缺少{what}。写成 {example}。", err=True)
    return typer.Exit(2)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn a known failure into ``错误：…`` on stderr and exit code 1."""
    from budgetdoc.review.docxtext import DocxError
    from budgetdoc.review.sources import SourceError

    try:
        yield
    except (DocxError, SourceError) as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(1) from exc


def _write(text: str) -> None:
    """Write UTF-8 to stdout whatever the locale (git reads textconv output as bytes)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def text_command(
    file: Annotated[Optional[Path], typer.Argument(metavar="文件", help="要输出为文本的 DOCX 文件（必填）",
                                                   show_default=False)] = None,
) -> None:
    if file is None:
        raise _missing("要输出为文本的 DOCX 文件", "budgetdoc text 报告.docx")
    from budgetdoc.review.docxtext import read_blocks, render_text

    with _user_errors():
        _write(render_text(read_blocks(file)))


def diff_command(
    old: Annotated[Optional[str], typer.Argument(metavar="旧版", show_default=False,
                                                 help="旧版（必填），写法见上")] = None,
    new: Annotated[Optional[str], typer.Argument(metavar="新版", show_default=False,
                                                 help="新版（必填）：写法同旧版")] = None,
    color: Annotated[
        Optional[bool],
        typer.Option(
            "--color/--no-color",
            help="用颜色标出改动（默认只在终端中）",
            show_default=False,
        ),
    ] = None,
    unit: UnitOption = None,
) -> None:
    if old is None or new is None:
        raise _missing("要比较的" + ("旧版和新版" if old is None else "新版"),
                       "budgetdoc diff HEAD~1:2020 2020，或 budgetdoc diff 旧.docx 新.docx")
    from budgetdoc.review.sources import load_side, parse_side
    from budgetdoc.review.textdiff import diff_blocks

    use_color = sys.stdout.isatty() if color is None else color
    cwd = Path.cwd()
    with _user_errors():
        before = load_side(parse_side(old), cwd, unit)
        after = load_side(parse_side(new), cwd, unit)
    result = diff_blocks(before.blocks, after.blocks)
    report = []
    if before.values is not None and after.values is not None:
        report.append(_values_report(before, after, result))
    if result.changes:
        report.append(f"文字变化（{len(result.changes)} 处）：\n" + result.render(use_color))
    else:
        report.append("文字没有变化。\n")
    _write("\n".join(report))


def _values_report(before: "LoadedSide", after: "LoadedSide", result: "DiffResult") -> str:
    """Each data value that changed, named by its 科目 or item, where it is written, and the paragraphs and
    cells of the report that were written from it (见)."""
    from budgetdoc.review.sources import mentions, value_changes

    changes = value_changes(before.values or {}, after.values or {})
    if not changes:
        return "数据没有变化。\n"
    years = sorted({key.split("/", 1)[0] for key in after.named})
    this_year = years[-1] if years else ""
    lines = [f"数据变化（{len(changes)} 项）："]
    for change in changes:
        named = after.named.get(change.key) or before.named.get(change.key)
        year = change.key.split("/", 1)[0]
        what = (f"{year}年 " if year != this_year else "") + (named.label if named else change.key)
        if change.old is None:
            line = f"新增 {what}：{change.new}"
        elif change.new is None:
            line = f"删除 {what}：{change.old}"
        else:
            line = f"{what}：{change.old} → {change.new}"
        shown = mentions(change, result.changes, traced=True)
        side = after if change.key in after.named else before
        notes = [f"{side.root}/{named.where}" if side.root else named.where] if named else []
        if shown:
            notes.append("见：" + "、".join(dict.fromkeys(_where(item) for item in shown)))
        lines.append(f"  {line}" + (f"（{'；'.join(notes)}）" if notes else ""))
    return "".join(f"{line}\n" for line in lines)


def _where(change: "Change") -> str:
    if change.new is not None:
        return change.new.label
    return f"原{change.old.label}" if change.old is not None else ""


def redline_command(
    old: Annotated[Optional[str], typer.Argument(metavar="旧版", help="旧版 DOCX 文件，或由数据生成的一方（必填）",
                                                 show_default=False)] = None,
    new: Annotated[Optional[str], typer.Argument(metavar="新版", help="新版 DOCX 文件，或由数据生成的一方（必填）",
                                                 show_default=False)] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("-o", "--output", metavar="文件", help="输出的修订版 DOCX 文件（必填）", show_default=False),
    ] = None,
    unit: UnitOption = None,
) -> None:
    if old is None or new is None:
        raise _missing("要比较的" + ("旧版和新版" if old is None else "新版") + " DOCX 文件",
                       "budgetdoc redline 旧.docx 新.docx -o 修订.docx")
    if output is None:
        typer.echo("错误：请用 -o 指定输出文件，例如 -o redline.docx", err=True)
        raise typer.Exit(1)
    if output.resolve() in (Path(old).resolve(), Path(new).resolve()):
        typer.echo(f"错误：输出文件 {output} 与输入文件相同，为避免覆盖原文件，没有写出。请另选一个文件名。", err=True)
        raise typer.Exit(1)
    import tempfile

    from budgetdoc.output import write_outputs
    from budgetdoc.review.redline import redline_marked

    with _user_errors(), tempfile.TemporaryDirectory(prefix="budgetdoc-redline-") as scratch:
        marked = redline_marked(_docx_of(old, Path(scratch) / "old.docx", unit),
                                _docx_of(new, Path(scratch) / "new.docx", unit))
    try:
        write_outputs({output: marked.docx}, option="-o")
    except BudgetError as exc:
        typer.echo(f"错误：{exc.problems[0].message}{exc.problems[0].hint}", err=True)
        raise typer.Exit(1) from None
    if marked.marks == 0:
        typer.echo(f"两个文件的文字相同，没有改动：已写出修订版文档 {output}，其中没有修订标记。", err=True)
        return
    typer.echo(f"已写出修订版文档：{output}", err=True)


def _docx_of(spec: str, scratch: Path, unit: str | None) -> Path:
    """A redline side: the DOCX file it names, or its report built from data into ``scratch``."""
    from budgetdoc.review.sources import DocxSide, parse_side, render_side

    side = parse_side(spec)
    if isinstance(side, DocxSide):
        return side.path
    scratch.write_bytes(render_side(side, Path.cwd(), unit).docx)
    return scratch
