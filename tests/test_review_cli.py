"""The ``text``, ``diff`` and ``redline`` commands on a throwaway typer app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from budgetdoc.review.cli import register
from test_review_sources import fake_pipeline, git, write_year
from test_review_support import H, T, accept_all, make_docx, reject_all, text_of

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def invoke(*args: str):
    return runner.invoke(make_app(), [str(arg) for arg in args])


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "旧.docx"
    new = tmp_path / "新.docx"
    old.write_bytes(
        make_docx(H("一、收入预算"), "收入预算176.65万元。", T((("项目", "预算数"), ("合计", "176.65"))))
    )
    new.write_bytes(
        make_docx(H("一、收入预算"), "收入预算176.66万元。", T((("项目", "预算数"), ("合计", "176.66"))))
    )
    return old, new


def test_text_prints_paragraphs_and_table_rows(pair: tuple[Path, Path]) -> None:
    result = invoke("text", pair[0])
    assert result.exit_code == 0
    assert result.stdout == "一、收入预算\n收入预算176.65万元。\n\n项目 | 预算数\n合计 | 176.65\n"


def test_diff_plain_when_not_a_terminal(pair: tuple[Path, Path]) -> None:
    result = invoke("diff", *pair)
    assert result.exit_code == 0
    assert result.stdout == (
        "文字变化（2 处）：\n"
        "@@ 第2段 · 一、收入预算 @@\n"
        "收入预算[-176.65-]{+176.66+}万元。\n"
        "@@ 第1个表格第2行 · 一、收入预算 @@\n"
        "合计 | [-176.65-]{+176.66+}\n"
    )


def test_diff_colour_on_request(pair: tuple[Path, Path]) -> None:
    coloured = invoke("diff", "--color", *pair).stdout
    assert "\x1b[31m176.65\x1b[0m\x1b[32m176.66\x1b[0m" in coloured
    assert "\x1b[" not in invoke("diff", "--no-color", *pair).stdout


def test_diff_of_identical_files(pair: tuple[Path, Path]) -> None:
    result = invoke("diff", pair[0], pair[0])
    assert result.exit_code == 0
    assert result.stdout == "文字没有变化。\n"


def test_redline_writes_a_tracked_changes_document(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "修订.docx"
    result = invoke("redline", *pair, "-o", out)
    assert result.exit_code == 0
    assert f"已写出修订版文档：{out}" in result.stderr
    marked = out.read_bytes()
    assert text_of(accept_all(marked)) == text_of(pair[1].read_bytes())
    assert text_of(reject_all(marked)) == text_of(pair[0].read_bytes())


def test_redline_of_identical_files_says_there_is_nothing_to_mark(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "修订.docx"
    result = invoke("redline", pair[0], pair[0], "-o", out)
    assert result.exit_code == 0
    assert result.stderr == f"两个文件的文字相同，没有改动：已写出修订版文档 {out}，其中没有修订标记。\n"
    assert text_of(out.read_bytes()) == text_of(pair[0].read_bytes())
    changed = invoke("redline", *pair, "-o", out)
    assert "没有改动" not in changed.stderr


def test_diff_from_yaml_reports_data_values_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pipeline(monkeypatch)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write_year(repo, 2020, "收入合计: 176.65\n支出合计: 176.65\n")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "data")
    write_year(repo, 2020, "收入合计: 176.66\n支出合计: 176.65\n")
    monkeypatch.chdir(repo)
    result = invoke("diff", "HEAD:2020", "2020")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "数据变化（1 项）：\n"
        "  收入 · 收入合计：176.65 → 176.66（data/2020/income.yaml 第 1 行；见：第1段）\n"
        "\n"
        "文字变化（1 处）：\n"
        "@@ 第1段 @@\n"
        "收入合计为[-176.65-]{+176.66+}万元。\n"
    )
    same = invoke("diff", "HEAD:2020", "HEAD:2020")
    assert same.stdout == "数据没有变化。\n\n文字没有变化。\n"


def test_textconv_driver_for_git_diff(tmp_path: Path) -> None:
    script = tmp_path / "review_app.py"
    script.write_text(
        "import typer\n"
        "from budgetdoc.review.cli import register\n"
        "app = typer.Typer()\n"
        "register(app)\n"
        "app()\n",
        encoding="utf-8",
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".gitattributes").write_text("*.docx diff=budgetdoc\n", encoding="utf-8")
    git(repo, "config", "diff.budgetdoc.textconv", f'"{sys.executable}" "{script}" text')
    report = repo / "报告.docx"
    report.write_bytes(make_docx("收入预算176.65万元。", T((("合计", "176.65"),))))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    report.write_bytes(make_docx("收入预算176.66万元。", T((("合计", "176.66"),))))
    patch = git(repo, "-c", "core.quotepath=off", "diff", "--no-color")
    assert "Binary files" not in patch
    assert "-收入预算176.65万元。\n+收入预算176.66万元。\n" in patch
    assert "-合计 | 176.65\n+合计 | 176.66\n" in patch
    # The word regex of docs/review.md: characters, numbers whole.
    git(repo, "config", "diff.budgetdoc.wordRegex", "[0-9][0-9.,]*|[^[:space:]]")
    words = git(repo, "diff", "--no-color", "--word-diff=plain")
    assert "收入预算[-176.65-]{+176.66+}万元。\n" in words
    assert "合计 | [-176.65-]{+176.66+}\n" in words


def _corrupt_zip(path: Path) -> Path:
    path.write_bytes(make_docx("正文")[:-300])
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("text", "{tmp}/没有这个文件.docx"), "错误：找不到文件：{tmp}/没有这个文件.docx"),
        (("text", "{tmp}/plain.docx"), "错误：{tmp}/plain.docx 不是 DOCX 文件（不是 ZIP 压缩包）"),
        (("text", "{tmp}/broken.docx"), "错误：{tmp}/broken.docx 已损坏"),
        (("text", "{tmp}"), "错误：{tmp} 是目录，不是 DOCX 文件"),
        (("diff", "{tmp}/good.docx", "{tmp}/没有.docx"), "错误：找不到文件：{tmp}/没有.docx"),
        (("diff", "{tmp}/good.docx", "notes.txt"), "错误：无法识别“notes.txt”"),
        (("diff", "{tmp}/broken.docx", "{tmp}/good.docx"), "错误：{tmp}/broken.docx 已损坏"),
        (("redline", "{tmp}/good.docx", "{tmp}/good.docx"), "错误：请用 -o 指定输出文件"),
        (
            ("redline", "{tmp}/plain.docx", "{tmp}/good.docx", "-o", "{tmp}/o.docx"),
            "错误：{tmp}/plain.docx 不是 DOCX 文件",
        ),
        (
            ("redline", "{tmp}/good.docx", "{tmp}/good.docx", "-o", "{tmp}/good.docx/o.docx"),
            "错误：无法写入 {tmp}/good.docx/o.docx：路径中的 {tmp}/good.docx 是一个文件，不是文件夹。把这个文件改名或移走，或用 -o 另选一个位置。",
        ),
    ],
    ids=[
        "text missing",
        "text not docx",
        "text corrupt",
        "text directory",
        "diff missing",
        "diff unknown side",
        "diff corrupt",
        "redline no output",
        "redline not docx",
        "redline unwritable",
    ],
)
def test_errors_are_one_chinese_line_with_exit_code_1(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "plain.docx").write_text("这不是 Word 文档", encoding="utf-8")
    (tmp_path / "good.docx").write_bytes(make_docx("正文"))
    _corrupt_zip(tmp_path / "broken.docx")
    result = invoke(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.exit_code == 1
    assert result.stderr.startswith(message.format(tmp=tmp_path))
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)


def test_errors_from_a_real_process_have_no_traceback(tmp_path: Path) -> None:
    script = tmp_path / "review_app.py"
    script.write_text(
        "import typer\nfrom budgetdoc.review.cli import register\n"
        "app = typer.Typer()\nregister(app)\napp()\n",
        encoding="utf-8",
    )
    (tmp_path / "plain.docx").write_text("纯文本", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, str(script), "text", str(tmp_path / "plain.docx")],
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 1
    stderr = completed.stderr.decode("utf-8")
    assert stderr == f"错误：{tmp_path / 'plain.docx'} 不是 DOCX 文件（不是 ZIP 压缩包）\n"
    assert completed.stdout == b""
