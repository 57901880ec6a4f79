"""The budgetdoc command as a clerk meets it: Chinese messages, exit codes, no tracebacks.

Commands run in-process through the console entry point (:func:`run`); the
few tests about what only a real process shows (the catalogue installed
before click and typer load, exit codes seen by the shell) use :func:`process`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cases.casekit import Ran, budgetdoc_in_process
from repo import DATA, ROOT, edit

EXE = Path(sys.executable).parent / "budgetdoc"


def run(*args: str, cwd: Path = ROOT) -> Ran:
    result = budgetdoc_in_process(args, cwd)
    assert "Traceback" not in result.stderr + result.stdout
    assert "内部错误" not in result.stderr
    return result


def process(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    result = subprocess.run([str(EXE), *args], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in result.stderr + result.stdout
    return result


@pytest.mark.parametrize("args, code, message", [
    (["report"], 1, "缺少年份"),
    (["report", "2020", "--colour"], 2, "没有“--colour”这个选项。是不是“--out”？运行“budgetdoc report --help”查看用法。"),
    (["report", "2020", "--dat", "x"], 2, "没有“--dat”这个选项。相近的选项有：--data、--dept、--pdf。"),
    (["reprot", "2020"], 2, "没有这个命令：reprot。是不是“report”？运行“budgetdoc --help”查看用法。"),
    (["newyear", "2021"], 2, "没有这个命令：newyear。是不是“new-year”？运行“budgetdoc --help”查看用法。"),
    (["chek", "2020"], 2, "没有这个命令：chek。相近的命令有：check、schema。运行“budgetdoc --help”查看用法。"),
    (["xyz", "2020"], 2, "没有这个命令：xyz。运行“budgetdoc --help”查看用法。"),
    (["report", "2020", "2021"], 2, "多了参数：2021"),
    (["report", "1999"], 1, "没有找到 data/1999 文件夹"),
    (["report", "2020", "--style", "nowhere.yaml"], 1, "找不到文风文件"),
    (["check", "2020", "--data"], 2, "选项 --data 后面要写一个值"),
    (["text"], 2, "缺少要输出为文本的 DOCX 文件。写成 budgetdoc text 报告.docx。"),
    (["diff", "2020"], 2, "缺少要比较的新版。"),
    (["redline"], 2, "缺少要比较的旧版和新版 DOCX 文件。写成 budgetdoc redline 旧.docx 新.docx -o 修订.docx。"),
    (["check", "2020", "--json=x"], 2, "选项 --json 后面不能写值"),
    (["report", "2020", "--all", "--jobs", "0"], 2, "'--jobs' 的值无效：要写 1 或更大的整数"),
    (["report", "2020", "--all", "--unit", "本级"], 1, "--unit 只生成一个单位的报告，不能与 --all 一起用。"),
])
def test_usage_errors_are_chinese(args, code, message, tmp_path):
    result = run(*args, "--out", str(tmp_path)) if args[0] == "report" and len(args) > 1 and \
        args[1] == "2020" and "2021" not in args else run(*args)
    assert result.returncode == code
    assert message in result.stderr
    assert not list(tmp_path.rglob("*.docx"))
    # Every word of it is Chinese: click's English comes through the catalogue or not at all.
    english = re.findall(r"(?i)\b(no such|missing|got unexpected|usage|error|try|requires|does not take|"
                         r"did you mean|possible|invalid|argument|for help)\b", result.stderr)
    english += re.findall(r"\b(FILE|PATH|TEXT|OLD|NEW|YEAR)\b", result.stderr.replace("YEAR=", ""))
    assert not english, result.stderr


def test_check_passes_on_the_real_data_with_the_2019_note():
    result = run("check", "2020")
    assert result.returncode == 0
    assert "检查通过（0 个错误，0 个警告，5 个提示）" in result.stdout
    assert "204.60" in result.stderr and "204.68" in result.stderr


def test_check_json_is_machine_readable():
    import json
    result = run("check", "2020", "--json")
    problems = json.loads(result.stdout)
    assert [p["severity"] for p in problems] == ["note"] * 5
    assert problems[0]["file"] == "data/2019/income.yaml" and problems[0]["rule"] == "功能分类"
    assert {p["rule"] for p in problems[1:]} == {"公开要求"}


def test_new_year_keeps_comments_and_moves_the_year(tmp_path):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    result = run("new-year", "2021", "--data", str(data))
    assert result.returncode == 0, result.stderr
    dept = (data / "2021" / "department.yaml").read_text("utf-8")
    assert "年度: 2021                  # 必须与文件夹名一致" in dept
    assert "# yaml-language-server: $schema=../../schema/department.schema.json" in dept
    assert "统计截至: 2020年末" in (data / "2021" / "assets.yaml").read_text("utf-8")
    assert "执行数:" not in (data / "2021" / "three_public.yaml").read_text("utf-8")
    for name in ("functions.yaml", "glossary.yaml"):
        assert (data / "2021" / name).read_text("utf-8") == (data / "2020" / name).read_text("utf-8")
    income = (data / "2021" / "income.yaml").read_text("utf-8")
    assert "变动原因" not in income.split("# 收入比上年增减的原因")[1]   # last year's reason is not carried over
    assert "合计: 176.65" in income
    checked = run("check", "2021", "--data", str(data))
    assert checked.returncode == 0
    # a year still holding last year's figures is told (a report now would publish 2020's budget as 2021's)
    assert ("data/2021/income.yaml:6:5: 警告 [跨年对照] 2021年的收入合计、支出合计、基本支出、项目支出和全部 4 个功能分类科目"
            "的金额都与2020年的完全相同（收入合计都是 176.65）：是不是建立新年度（new-year）之后还没有填入2021年的数字？") \
        in checked.stderr, checked.stderr
    # one figure changed (人员经费 and the 功能分类 line paying it, the totals by fix-totals): no longer said
    edit(data / "2021" / "expenditure.yaml", ("  人员经费: 122.41", "  人员经费: 122.51"))
    edit(data / "2021" / "functions.yaml", ("    金额: 110.91", "    金额: 111.01"))
    assert run("fix-totals", "2021", "--data", str(data)).returncode == 0
    updated = run("check", "2021", "--data", str(data))
    assert updated.returncode == 0 and "跨年对照" not in updated.stderr, updated.stderr
    # never overwrite an existing year
    again = run("new-year", "2021", "--data", str(data))
    assert again.returncode == 1 and "已经存在" in again.stderr


def test_schema_command_prints_json():
    import json
    result = run("schema")
    schemas = json.loads(result.stdout)
    assert schemas["income.schema.json"]["properties"]["合计"]["title"] == "合计"
    assert "required" not in schemas["prior/income.schema.json"]


def test_new_year_drops_last_years_execution(tmp_path):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(DATA / "2019", data / "2019")
    assert run("new-year", "2020", "--data", str(data)).returncode == 0
    old = (data / "2019" / "three_public.yaml").read_text("utf-8")
    new = (data / "2020" / "three_public.yaml").read_text("utf-8")
    assert old.count("执行数:") == 6 and new.count("执行数:") == 0
    assert new.count("预算数:") == 6
    assert "# 1.5 - 0.5" in new   # comments survive the round trip


def test_an_unwritable_output_is_a_chinese_error_and_changes_nothing(tmp_path):
    blocker = tmp_path / "build"
    blocker.write_text("不是文件夹", "utf-8")
    result = run("report", "2020", "--out", str(blocker))
    assert result.returncode == 1
    assert "无法写入" in result.stderr and "不是文件夹" in result.stderr
    assert "内部错误" not in result.stderr
    assert blocker.read_text("utf-8") == "不是文件夹"


def test_a_failed_build_leaves_the_previous_report_untouched(tmp_path, data_copy):
    out = tmp_path / "out"
    assert run("report", "2020", "--data", str(data_copy), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in (out / "2020").iterdir()}
    income = data_copy / "2020" / "income.yaml"
    income.write_text(income.read_text("utf-8").replace("合计: 176.65", "合计: 176.66"), "utf-8")
    result = run("report", "2020", "--data", str(data_copy), "--out", str(out))
    assert result.returncode == 1 and "没有生成或修改任何文件" in result.stderr
    assert {p.name: p.read_bytes() for p in (out / "2020").iterdir()} == before
    # ... and the clerk is told the report still there is not this data's
    name = "奈曼旗政务服务局2020年部门预算"
    assert result.stderr.rstrip().endswith(
        f"注意：{out / '2020'}/ 中的 {name}.docx、{name}.txt、{name}.xlsx 是以前生成的，不是这次数据的报告："
        "改正错误、重新生成之前，不要发布或报送它们。"), result.stderr
    fresh = run("report", "2020", "--data", str(data_copy), "--out", str(tmp_path / "empty"))
    assert fresh.returncode == 1 and "是以前生成的" not in fresh.stderr         # nothing earlier: nothing said


def test_new_year_reports_a_broken_source_year_with_its_line(tmp_path):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(DATA / "2020", data / "2020")
    (data / "2020" / "income.yaml").write_text("合计: [176.65\n", "utf-8")
    result = run("new-year", "2021", "--data", str(data))
    assert result.returncode == 1
    assert "2020/income.yaml:" in result.stderr and "内部错误" not in result.stderr
    assert not (data / "2021").exists()


def test_check_shows_the_comparisons_the_report_will_leave_out(data_copy):
    (data_copy / "2019" / "three_public.yaml").unlink()
    result = run("check", "2020", "--data", str(data_copy))
    assert result.returncode == 0
    assert "2019年没有 three_public.yaml（“三公”经费）" in result.stderr


def test_a_target_that_is_a_folder_stops_the_build_before_anything_is_replaced(tmp_path):
    out = tmp_path / "out"
    assert run("report", "2020", "--out", str(out)).returncode == 0
    docx = out / "2020" / "奈曼旗政务服务局2020年部门预算.docx"
    txt = out / "2020" / "奈曼旗政务服务局2020年部门预算.txt"
    before = docx.read_bytes()
    docx.write_bytes(b"previous")
    txt.unlink()
    txt.mkdir()
    result = run("report", "2020", "--out", str(out))
    assert result.returncode == 1
    assert f"无法写入 {txt}：同名的是一个文件夹" in result.stderr
    assert docx.read_bytes() == b"previous" and before != b"previous"
    assert not [p for p in (out / "2020").iterdir() if p.name.endswith(".tmp")]


def test_a_report_edited_in_word_is_kept_before_it_is_replaced(tmp_path):
    import docx as python_docx
    out = tmp_path / "out"
    assert run("report", "2020", "--out", str(out)).returncode == 0
    target = out / "2020" / "奈曼旗政务服务局2020年部门预算.docx"
    fresh = target.read_bytes()
    document = python_docx.Document(str(target))
    document.add_paragraph("手工补充的一段说明。")
    document.core_properties.last_modified_by = "科员"
    document.save(str(target))
    result = run("report", "2020", "--out", str(out))
    assert result.returncode == 0
    assert f"注意：{target} 在生成后被修改过（例如在 Word/WPS 中）。" in result.stderr
    (backup,) = [p for p in (out / "2020").glob("*已修改*.docx")]
    assert "手工补充的一段说明。" in "\n".join(p.text for p in python_docx.Document(str(backup)).paragraphs)
    assert target.read_bytes() == fresh
    # an untouched report is simply replaced, without a copy or a note
    again = run("report", "2020", "--out", str(out))
    assert "被修改过" not in again.stderr and len(list((out / "2020").glob("*已修改*.docx"))) == 1


def test_help_is_chinese_including_the_library_words():
    result = process("report", "-h")
    assert result.returncode == 0
    assert "用法" in result.stdout and "显示本帮助并退出" in result.stdout and "[默认：data]" in result.stdout
    for english in ("Usage", "Options", "Show this message", "default:"):
        assert english not in result.stdout
    main = process()
    assert "用法： budgetdoc [选项] 命令 [参数]..." in main.stdout, main.stdout


def test_version_is_the_installed_packages():
    """What a clerk quotes when reporting a problem: the version pip installed, with -V or --version."""
    from importlib.metadata import version
    for flag in ("--version", "-V"):
        result = run(flag)
        assert result.returncode == 0 and result.stdout == f"budgetdoc {version('budgetdoc')}\n", result.stdout
    assert "--version" in _squashed(run("--help").stdout) and "显示版本号并退出" in run("--help").stdout


COMMANDS = ["report", "check", "schema", "new-year", "text", "diff", "redline", "pre-commit", "audit"]


def _squashed(text: str) -> str:
    """Help text without the box drawing and the line breaks rich put in."""
    return re.sub(r"[\s│╭╮╰╯─]+", "", text)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_at_80_columns_is_chinese_and_complete(command, monkeypatch):
    """Placeholders in Chinese, no empty default beside 必填, and no help cut short with “…”."""
    import click
    import typer

    from budgetdoc.cli import app
    monkeypatch.setenv("COLUMNS", "80")
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 80 + 40   # rich measures CJK cells, not characters
    assert "…" not in out, out
    for english in ("OPTIONS", "COMMAND", "ARGS", "FILE", "PATH", "TEXT", "OLD", "NEW", "YEAR", "None",
                    "year", "file", "old", "new"):
        assert not re.search(rf"(?<![\w.-]){english}(?![\w.-])", out), f"{english} in:\n{out}"
    group = typer.main.get_command(app)
    shown = _squashed(out)
    if command is None:
        for name in COMMANDS:
            assert _squashed(group.commands[name].short_help) in shown, name
        return
    for param in group.commands[command].params:
        if isinstance(param, click.Parameter) and getattr(param, "help", None):
            assert _squashed(param.help) in shown, f"{param.name}: {param.help}\n{out}"


def test_the_catalogue_is_compiled_from_its_source():
    from budgetdoc.i18n import MO_FILE, PO_FILE, compile_mo, read_po
    assert MO_FILE.read_bytes() == compile_mo(read_po(PO_FILE.read_text("utf-8")))


def test_year_written_as_an_option_gets_a_hint():
    result = process("report", "--year", "2020")
    assert result.returncode == 2 and "年份直接写在命令后面" in result.stderr


def test_a_broken_total_reminds_that_nested_totals_move_together(data_copy):
    path = data_copy / "2020" / "expenditure.yaml"
    path.write_text(path.read_text("utf-8").replace("人员经费: 122.41", "人员经费: 122.51"), "utf-8")
    result = run("check", "2020", "--data", str(data_copy))
    assert result.returncode == 1
    assert "包含它的各级合计要一起改" in result.stderr


def test_two_departments_built_into_one_folder_do_not_call_each_other_old(tmp_path, data_copy):
    out = tmp_path / "out"
    path = data_copy / "2020" / "department.yaml"
    path.write_text(path.read_text("utf-8").replace("部门名称: 奈曼旗政务服务局", "部门名称: 奈曼旗财政局"), "utf-8")
    assert run("report", "2020", "--out", str(out)).returncode == 0
    other = run("report", "2020", "--data", str(data_copy), "--out", str(out))
    assert other.returncode == 0, other.stderr
    assert sorted(p.name for p in (out / "2020").glob("*.docx")) == [
        "奈曼旗政务服务局2020年部门预算.docx", "奈曼旗财政局2020年部门预算.docx"]
    assert "提示：" not in other.stderr and "奈曼旗政务服务局2020年部门预算.docx" not in other.stderr


def test_a_copy_of_the_same_report_under_another_name_is_pointed_out(tmp_path):
    out = tmp_path / "out"
    assert run("report", "2020", "--out", str(out)).returncode == 0
    folder = out / "2020"
    report = folder / "奈曼旗政务服务局2020年部门预算.docx"
    (folder / "旧报告.docx").write_bytes(report.read_bytes())
    (folder / "别的文件.docx").write_bytes(b"not a report")
    again = run("report", "2020", "--out", str(out))
    assert again.returncode == 0
    assert "提示：" in again.stderr and "旧报告.docx 也是 budgetdoc 为本部门生成的2020年报告" in again.stderr
    assert "别的文件.docx" not in again.stderr


def test_a_report_written_before_the_author_named_the_department_is_not_taken_for_a_hand_edit(tmp_path):
    """Only what an office program rewrites on saving counts as an edit, not what budgetdoc changed since."""
    import io
    import zipfile
    out = tmp_path / "out"
    assert run("report", "2020", "--out", str(out)).returncode == 0
    target = out / "2020" / "奈曼旗政务服务局2020年部门预算.docx"
    older = io.BytesIO()
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(older, "w") as rewritten:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                assert "<dc:creator>奈曼旗政务服务局</dc:creator>".encode() in data
                data = data.replace("<dc:creator>奈曼旗政务服务局</dc:creator>".encode(),
                                    b"<dc:creator>budgetdoc</dc:creator>")
            rewritten.writestr(name, data)
    target.write_bytes(older.getvalue())
    (out / "2020" / ".budgetdoc-files").unlink()       # that budgetdoc kept no manifest either
    again = run("report", "2020", "--out", str(out))
    assert again.returncode == 0 and "被修改过" not in again.stderr
    assert [p.name for p in (out / "2020").glob("*.docx")] == [target.name]


def test_make_adds_nothing_after_a_data_error_and_keeps_the_exit_code(tmp_path):
    """`make report` with a data error: budgetdoc's message is the last line, and make exits 1 as it did."""
    stamp = tmp_path / "installed"
    stamp.touch()   # newer than pyproject.toml: make does not reinstall
    for goal in ("report", "report-all", "check", "check-all"):
        result = subprocess.run(["make", goal, "YEAR=1999", f"STAMP={stamp}",
                                 f"BIN={EXE.parent}"], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 1, result.stderr
        assert "make:" not in result.stderr + result.stdout
        assert result.stderr.rstrip().splitlines()[-1] == "发现 1 个错误，0 个警告。没有生成或修改任何文件。"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_an_output_folder_that_cannot_exist_is_explained_for_what_it_is(tmp_path):
    result = run("report", "2020", "--out", "/proc/nope")
    assert result.returncode == 1
    assert "/proc/nope 不存在，也无法在那里建立" in result.stderr
    assert "检查 --out 后的路径是否写对" in result.stderr
    assert "系统错误" not in result.stderr and "关闭正在" not in result.stderr and "Word" not in result.stderr


def test_pre_commit_checks_the_years_whose_data_changed(tmp_path, data_copy):
    """What the pre-commit hook runs: `budgetdoc pre-commit FILE...` from the repository root."""
    checked = run("pre-commit", "data/2020/expenditure.yaml", "data/2020/income.yaml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "data/2020：检查通过（0 个错误，0 个警告，5 个提示）。\n"
    # Last year's data is read by this year's report: the year after is checked (2019 cannot be on its own).
    assert run("pre-commit", "data/2019/income.yaml", cwd=tmp_path).stdout == checked.stdout
    nothing = run("pre-commit", "README.md", "data/2019/README.md", "elsewhere/2020/income.yaml", cwd=tmp_path)
    assert nothing.returncode == 0 and nothing.stdout == "没有改动可以检查的年份的数据。\n"
    path = data_copy / "2020" / "expenditure.yaml"
    path.write_text(path.read_text("utf-8").replace("人员经费: 122.41", "人员经费: 122.51"), "utf-8")
    broken = run("pre-commit", "data/2020/expenditure.yaml", cwd=tmp_path)
    assert broken.returncode == 1
    assert "data/2020/expenditure.yaml:11:7: 错误 [基本支出]" in broken.stderr
    assert "2020 年的数据有错误（1 个错误，0 个警告）：提交没有完成。" in broken.stderr


def test_pre_commit_renders_the_report_when_a_house_file_changed(tmp_path, data_copy):
    """A template, style.yaml or glossary.yaml in data/ is checked by building the latest year's report in memory:
    a template's mistake shows only when it renders."""
    assert run("templates", "data/templates", cwd=tmp_path).returncode == 0
    good = run("pre-commit", "data/templates/part1_overview.j2", cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert good.stdout == "data/2020：模板、文风和名词解释生成报告通过（0 个错误，0 个警告，5 个提示）。\n"
    template = data_copy / "templates" / "part1_overview.j2"
    template.write_text(template.read_text("utf-8").replace("{% endfor %}", "{% endfo %}", 1), "utf-8")
    broken = run("pre-commit", "data/templates/part1_overview.j2", cwd=tmp_path)
    assert broken.returncode == 1 and "错误 [模板] 模板 part1_overview.j2 第" in broken.stderr, broken.stderr
    assert "2020 年的模板和文风有错误" in broken.stderr and not list((tmp_path).glob("build"))     # nothing written
    (data_copy / "style.yaml").write_text("金额:\n  小数位数: 九\n", "utf-8")
    style = run("pre-commit", "data/style.yaml", cwd=tmp_path)
    assert style.returncode == 1 and "data/style.yaml:2:" in style.stderr, style.stderr
    # a data file and a house file of the same year: one build, which also checks the data
    both = run("pre-commit", "data/2020/income.yaml", "data/2020/style.yaml", cwd=tmp_path)
    assert both.stdout.count("data/2020") <= 1


def test_pre_commit_in_a_bureau_builds_every_department_a_bureau_wide_template_serves(tmp_path):
    import shutil
    shutil.copytree(DATA, tmp_path / "data" / "部门A")
    shutil.copytree(ROOT / "examples" / "demo", tmp_path / "data" / "部门B", ignore=shutil.ignore_patterns("README.md"))
    assert run("templates", "data/templates", cwd=tmp_path).returncode == 0
    result = run("pre-commit", "data/templates/part5_contact.j2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.split("：")[0] for line in result.stdout.splitlines()] == ["data/部门A/2020", "data/部门B/2021"]
    one = run("pre-commit", "data/部门B/style.yaml", cwd=tmp_path)
    assert one.returncode == 0 and one.stdout.startswith("data/部门B/2021：模板、文风和名词解释生成报告通过")


def test_pre_commit_with_data_kept_elsewhere(tmp_path):
    import shutil
    shutil.copytree(DATA, tmp_path / "depts" / "X")
    result = run("pre-commit", "--data", "depts/X", "depts/X/2020/glossary.yaml", "data/2020/income.yaml",
                 cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "depts/X/2020：检查通过（0 个错误，0 个警告，5 个提示）。\n"


def test_templates_copies_the_default_or_a_shipped_style_and_never_overwrites(tmp_path: Path):
    from repo import STYLES, TEMPLATES
    made = budgetdoc_in_process(["templates", "mine"], tmp_path)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == sorted(p.name for p in TEMPLATES.iterdir()
                                                                          if p.is_file())
    (tmp_path / "mine" / "report.j2").write_text("改过的", "utf-8")
    again = budgetdoc_in_process(["templates", "mine"], tmp_path)
    assert again.returncode == 1 and "mine 已经存在：为了不覆盖其中的修改，没有复制。" in again.stderr
    assert (tmp_path / "mine" / "report.j2").read_text("utf-8") == "改过的"
    style = budgetdoc_in_process(["templates", "tf", "--style", "tables-first"], tmp_path)
    assert style.returncode == 0 and (tmp_path / "tf" / "style.yaml").read_bytes() == \
        (STYLES / "tables-first" / "style.yaml").read_bytes()
    unknown = budgetdoc_in_process(["templates", "x", "--style", "nope"], tmp_path)
    assert unknown.returncode == 1 and "自带的有：tables-first。" in unknown.stderr and not (tmp_path / "x").exists()


def test_a_shipped_style_is_named_by_its_name(tmp_path: Path):
    run = budgetdoc_in_process(["report", "2020", "--data", str(DATA), "--out", str(tmp_path), "--style",
                                "tables-first"], tmp_path)
    assert run.returncode == 0, run.stderr
    text = next((tmp_path / "2020").glob("*.txt")).read_text("utf-8")
    assert "\n一、部门预算公开表\n" in text
    wrong = budgetdoc_in_process(["report", "2020", "--data", str(DATA), "--out", str(tmp_path / "w"), "--style",
                                  "tables-frist"], tmp_path)
    assert wrong.returncode == 1 and "budgetdoc 自带的文风可以只写名字：tables-first。" in wrong.stderr


def test_run_from_the_wrong_folder_names_it_and_where_to_go(tmp_path):
    """``cd /tmp && budgetdoc report 2020``, or run from inside data/: the current folder is named, and the
    folder to cd to when the clerk is inside the data folder or in a year folder."""
    import shutil

    elsewhere = run("report", "2020", cwd=tmp_path)
    assert elsewhere.returncode == 1
    assert f"错误 [年份] 数据目录 data 不存在（当前文件夹是 {tmp_path}）。" in elsewhere.stderr
    assert "不写 --data 时读当前文件夹中的 data/" in elsewhere.stderr
    repo = tmp_path / "repo"
    shutil.copytree(DATA, repo / "data")
    for inside, where in (("data", "data/"), ("data/2020", "data/2020/")):
        for args in (("report", "2020"), ("check", "2020"), ("check", "2020", "--all"), ("fix-totals", "2020"),
                     ("new-year", "2021"), ("import", "批复.xlsx", "2021")):
            result = run(*args, cwd=repo / inside)
            assert result.returncode == 1, (args, result.stderr)
            assert f"数据目录 data 不存在（当前文件夹是 {repo / inside}）。" in result.stderr, (args, result.stderr)
            assert (f"处理办法：当前文件夹是数据目录中的 {where}，不是存放数据目录的文件夹：请先 cd 到 {repo} 再运行"
                    f"（{repo} 中有 data/）。") in result.stderr, (args, result.stderr)
    shutil.copytree(DATA / "2020", tmp_path / "depts" / "X" / "2020")
    year = run("check", "2020", cwd=tmp_path / "depts" / "X" / "2020")
    assert (f"当前文件夹 2020 是一个年份文件夹：请先 cd 到 {tmp_path / 'depts'} 再运行，并用 --data X 写数据目录"
            in year.stderr), year.stderr


def test_diff_with_a_revision_before_the_first_commit_says_so_and_suggests_head(tmp_path):
    """``budgetdoc diff HEAD~1:2020 2020`` in a repository of one commit: there is no HEAD~1; HEAD:2020 compares
    the uncommitted edits with the last commit."""
    import shutil

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.com", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    shutil.copytree(DATA, tmp_path / "data")
    git("init", "-q")
    empty = run("diff", "HEAD~1:2020", "2020", cwd=tmp_path)
    assert empty.returncode == 1 and "中还没有任何提交，没有版本 HEAD~1。先提交一次数据" in empty.stderr, empty.stderr
    git("add", "data")
    git("commit", "-q", "-m", "one")
    for revision, steps in (("HEAD~1", 1), ("HEAD^", 1), ("HEAD~3", 3)):
        result = run("diff", f"{revision}:2020", "2020", cwd=tmp_path)
        assert result.returncode == 1
        assert (f"错误：没有版本 {revision}：它指最后一次提交往前数第 {steps} 次的提交，而这个仓库只有 1 次提交"
                "（看有哪些提交：git log --oneline）。要把还没提交的修改与最后一次提交比较，写 HEAD:2020，"
                "如 budgetdoc diff HEAD:2020 2020。") in result.stderr, result.stderr
    dept = run("diff", "HEAD~1:data:2020", "data:2020", cwd=tmp_path)
    assert "写 HEAD:data:2020，如 budgetdoc diff HEAD:data:2020 data:2020。" in dept.stderr, dept.stderr
    other = run("diff", "nosuch:2020", "2020", cwd=tmp_path)
    assert "找不到 git 版本（也不是已有的目录）：nosuch。git 版本写提交号、分支名、标签" in other.stderr
    assert run("diff", "HEAD:2020", "2020", cwd=tmp_path).returncode == 0
