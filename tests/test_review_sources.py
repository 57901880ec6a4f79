"""Sides of ``budgetdoc diff``: parsing specs, git extraction, data-value changes.

Rendering a year goes through ``budgetdoc.pipeline.build_year`` and
``budgetdoc.review.provenance.data_values``; here they are replaced by small stand-ins
(:func:`fake_pipeline`) so these tests exercise only the plumbing of
:mod:`budgetdoc.review.sources`.
"""

from __future__ import annotations

import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from budgetdoc.review.docxtext import ParagraphBlock
from budgetdoc.review.sources import (
    DocxSide,
    SourceError,
    ValueChange,
    YearSide,
    extract_data,
    load_side,
    mentions,
    parse_side,
    value_changes,
)
from budgetdoc.review.textdiff import diff_blocks
from test_review_support import make_docx

from budgetdoc.document import Paragraph, ReportDoc
from budgetdoc.review import provenance as review_provenance
from budgetdoc.review.provenance import DataValue


@dataclass(frozen=True)
class FakeBuild:
    docx: bytes
    document: ReportDoc


def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, int]]:
    """Stand-ins for build_year / data_values: one paragraph per ``key: value`` line, written from that value."""
    calls: list[tuple[Path, int]] = []

    def pairs(data_root: Path, year: int) -> list[list[str]]:
        text = (data_root / str(year) / "income.yaml").read_text(encoding="utf-8")
        return [line.split(": ", 1) for line in text.splitlines() if line]

    def values(data_root: Path, year: int, unit: str | None = None) -> dict[str, DataValue]:
        if not (data_root / str(year) / "income.yaml").is_file():
            return {}
        return {f"{year}/income.yaml:{key}": DataValue(f"{year}/income.yaml:{key}", value, f"收入 · {key}", i + 1)
                for i, (key, value) in enumerate(pairs(data_root, year))}

    def build_year(data_root: Path, year: int, *house, **options) -> FakeBuild:   # the real one's house files
        calls.append((data_root, year))
        lines = [(f"{key}为{value}万元。", frozenset({f"{year}/income.yaml:{key}"})) for key, value in pairs(data_root, year)]
        document = ReportDoc("", tuple(Paragraph(text, sources=keys) for text, keys in lines))
        return FakeBuild(make_docx(*(text for text, _ in lines)), document)

    pipeline = types.ModuleType("budgetdoc.pipeline")
    pipeline.build_year = build_year
    monkeypatch.setitem(sys.modules, "budgetdoc.pipeline", pipeline)
    monkeypatch.setattr(review_provenance, "data_values", values)
    return calls


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        check=True,
    )
    return completed.stdout.decode("utf-8")


def write_year(root: Path, year: int, text: str) -> None:
    folder = root / "data" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "income.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose data/2020 changed in the second commit and again in the work tree."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_year(root, 2020, "收入合计: 176.65\n支出合计: 176.65\n")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "first")
    write_year(root, 2020, "收入合计: 176.66\n支出合计: 176.65\n")
    git(root, "commit", "-q", "-am", "second")
    write_year(root, 2020, "收入合计: 180.00\n支出合计: 176.65\n")
    return root


def test_parse_side(tmp_path: Path) -> None:
    existing = tmp_path / "报告"  # an existing file, whatever its name
    existing.write_bytes(b"")
    assert parse_side(str(existing)) == DocxSide(existing)
    assert parse_side("missing.docx") == DocxSide(Path("missing.docx"))
    assert parse_side("2020") == YearSide(2020, "2020")
    assert parse_side("HEAD~1:2020") == YearSide(2020, "HEAD~1:2020", revision="HEAD~1")
    assert parse_side("v1.0:2019") == YearSide(2019, "v1.0:2019", revision="v1.0")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    assert parse_side(f"{data_dir}:2020") == YearSide(2020, f"{data_dir}:2020", data_dir=data_dir)
    assert parse_side("HEAD:depts/X:2020") == YearSide(2020, "HEAD:depts/X:2020", revision="HEAD", folder="depts/X")
    with pytest.raises(SourceError, match="无法识别“report.pdf”"):
        parse_side("report.pdf")
    for spec in (":depts/X:2020", "HEAD::2020"):
        with pytest.raises(SourceError, match="三部分都要写"):
            parse_side(spec)


def test_extract_data_at_a_revision(repo: Path, tmp_path: Path) -> None:
    data_root = extract_data(repo, "HEAD~1", tmp_path / "out")
    assert data_root == tmp_path / "out" / "data"
    assert (data_root / "2020" / "income.yaml").read_text(encoding="utf-8") == (
        "收入合计: 176.65\n支出合计: 176.65\n"
    )


def test_extract_data_errors(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"没有版本 HEAD~5：它指最后一次提交往前数第 5 次的提交，而这个仓库只有 2 次提交"):
        extract_data(repo, "HEAD~5", tmp_path / "a")
    with pytest.raises(SourceError, match=r"找不到 git 版本（也不是已有的目录）：no-such-branch。"):
        extract_data(repo, "no-such-branch", tmp_path / "a")
    (repo / "README").write_text("x", encoding="utf-8")
    git(repo, "rm", "-q", "-r", "-f", "data")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "no data")
    with pytest.raises(SourceError, match="版本 HEAD 中没有 data/ 目录"):
        extract_data(repo, "HEAD", tmp_path / "b")


def test_load_year_sides(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_pipeline(monkeypatch)
    inner = repo / "data"  # any directory inside the work tree finds the repository root
    at_revision = load_side(parse_side("HEAD~1:2020"), inner)
    working = load_side(parse_side("2020"), inner)
    assert at_revision.label == "HEAD~1:2020"
    assert at_revision.blocks == [
        ParagraphBlock("收入合计为176.65万元。"),
        ParagraphBlock("支出合计为176.65万元。"),
    ]
    assert at_revision.values == {
        "2020/income.yaml:收入合计": "176.65",
        "2020/income.yaml:支出合计": "176.65",
    }
    assert working.values == {
        "2020/income.yaml:收入合计": "180.00",
        "2020/income.yaml:支出合计": "176.65",
    }
    assert calls[0][0].name == "data" and calls[0][0] != repo / "data"  # a temporary copy
    assert calls[1] == (repo / "data", 2020)


def test_a_data_folder_elsewhere_at_a_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """REV:DIR:YEAR reads DIR as committed, DIR written as the working-tree side DIR:YEAR writes it."""
    calls = fake_pipeline(monkeypatch)
    root = tmp_path / "repo"
    folder = root / "depts" / "X" / "2020"
    folder.mkdir(parents=True)
    (folder / "income.yaml").write_text("收入合计: 1.00\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    (folder / "income.yaml").write_text("收入合计: 2.00\n", encoding="utf-8")
    monkeypatch.chdir(root)   # as the command runs: DIR is relative to the current directory
    committed = load_side(parse_side("HEAD:depts/X:2020"), root)
    working = load_side(parse_side("depts/X:2020"), root)
    assert committed.blocks == [ParagraphBlock("收入合计为1.00万元。")]
    assert working.blocks == [ParagraphBlock("收入合计为2.00万元。")]
    assert calls[0][0].parts[-2:] == ("depts", "X") and calls[0][0] != root / "depts" / "X"
    # From inside the department's folder, its data root is written relative to it.
    monkeypatch.chdir(root / "depts")
    assert load_side(parse_side("HEAD:X:2020"), root / "depts").blocks == committed.blocks
    with pytest.raises(SourceError, match="版本 HEAD 中没有 depts/Y/ 目录"):
        load_side(parse_side("HEAD:depts/Y:2020"), root)
    with pytest.raises(SourceError, match="版本 HEAD 的 depts/X/ 中没有 2019 年的数据"):
        load_side(parse_side("HEAD:depts/X:2019"), root)
    with pytest.raises(SourceError, match="不在 git 仓库"):
        load_side(parse_side(f"HEAD:{tmp_path}:2020"), root)


def test_load_directory_side_and_docx_side(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pipeline(monkeypatch)
    write_year(tmp_path, 2021, "收入合计: 1.00\n")
    write_year(tmp_path, 2020, "收入合计: 0.50\n")
    side = load_side(parse_side(f"{tmp_path / 'data'}:2021"), tmp_path)
    assert side.blocks == [ParagraphBlock("收入合计为1.00万元。")]
    # The year before is data of the report too.
    assert side.values == {"2021/income.yaml:收入合计": "1.00", "2020/income.yaml:收入合计": "0.50"}
    # Outside a git work tree a plain year reads data/ in the current directory.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert load_side(parse_side("2021"), tmp_path).blocks == side.blocks
    (tmp_path / "a.docx").write_bytes(make_docx("正文"))
    loaded = load_side(parse_side(str(tmp_path / "a.docx")), tmp_path)
    assert loaded.blocks == [ParagraphBlock("正文")] and loaded.values is None


def test_year_side_errors(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pipeline(monkeypatch)
    with pytest.raises(SourceError, match="中没有 2019 年的数据"):
        load_side(parse_side("2019"), repo)
    with pytest.raises(SourceError, match="版本 HEAD 的 data/ 中没有 2018 年的数据"):
        load_side(parse_side("HEAD:2018"), repo)
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(SourceError, match="当前目录不在 git 仓库中，无法读取版本 HEAD"):
        load_side(parse_side("HEAD:2020"), outside)


def test_value_changes_in_order() -> None:
    old = {"a.yaml:x": "1", "a.yaml:y": "2", "a.yaml:gone": "3"}
    new = {"a.yaml:x": "1", "a.yaml:y": "5", "a.yaml:new": "4"}
    changes = value_changes(old, new)
    assert changes == [
        ValueChange("a.yaml:y", "2", "5"),
        ValueChange("a.yaml:gone", "3", None),
        ValueChange("a.yaml:new", None, "4"),
    ]
    assert [change.line for change in changes] == [
        "a.yaml:y：2 → 5",
        "删除 a.yaml:gone：3",
        "新增 a.yaml:new：4",
    ]


def test_mentions_match_numbers_by_value_and_text_as_text() -> None:
    result = diff_blocks(
        [
            ParagraphBlock("收入176.6万元。"),
            ParagraphBlock("占比13.70%。"),
            ParagraphBlock("共1176.60万元"),
            ParagraphBlock("单位：某市财政局"),
        ],
        [
            ParagraphBlock("收入176.7万元。"),
            ParagraphBlock("占比13.75%。"),
            ParagraphBlock("共1176.70万元"),
            ParagraphBlock("单位：某市财政厅"),
        ],
    )
    found = mentions(ValueChange("income.yaml:收入", "176.60", "176.70"), result.changes)
    assert [change.new.label for change in found] == ["第1段"]
    named = mentions(ValueChange("department.yaml:名称", "某市财政局", "某市财政厅"), result.changes)
    assert [change.new.label for change in named] == ["第4段"]
    assert mentions(ValueChange("department.yaml:备注", "", "x"), result.changes) == []
