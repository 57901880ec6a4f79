"""Loading, piece by piece: the YEAR argument, bytes → text, text → nodes, nodes → values.

The end-to-end behaviour (message, file:line, nothing written) is in
tests/test_bad_input.py; these tests pin the mechanisms underneath.
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

from budgetdoc.load import load_year, resolve_year
from budgetdoc.problems import Severity
from budgetdoc.schema import Context, Count, Money, SourcedText, Text
from budgetdoc.yamlsrc import MAX_FILE_BYTES, MAX_NODES, load_file, parse
from repo import DATA, EXAMPLE

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
INCOME = (DATA / "2020" / "income.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------ YEAR

@pytest.mark.parametrize("year", ["20x0", "../etc", "2020/../2019", "", "20200", "202", "２０２０",
                                  "2020\n1", "/etc", "2020 2019", "-2020"])
def test_a_year_that_is_not_four_ascii_digits_is_refused(year: str):
    folder, problems = resolve_year(DATA, year)
    assert folder is None
    assert [p.rule for p in problems] == ["年份"]
    assert "应当是四位数字" in problems[0].message and problems[0].is_error


def test_a_year_with_spaces_around_it_is_read():
    folder, problems = resolve_year(DATA, " 2020 ")
    assert problems == [] and folder is not None and folder.year == 2020 and folder.shown == "data/2020"


def test_a_missing_year_lists_the_years_that_can_be_built():
    folder, problems = resolve_year(DATA, "2031")
    assert folder is None
    assert problems[0].message == "没有找到 data/2031 文件夹。"
    hint = problems[0].hint
    assert "可以生成报告的年份：2020。只有上年对照数据、不能单独生成报告的年份：2019。" in hint
    # new-year copies the year before, and there is no 2030 to copy.
    assert "new-year 2031" not in hint and "data/2030 也不存在" in hint


def test_new_year_is_suggested_where_it_would_work(tmp_path: Path):
    import shutil
    data = tmp_path / "depts"
    shutil.copytree(DATA / "2020", data / "2020")
    folder, problems = resolve_year(data, "2021")
    assert folder is None
    assert f"budgetdoc new-year 2021 --data {data}，由 2020 年的文件建立" in problems[0].hint
    assert "只有上年对照数据" not in problems[0].hint


@pytest.mark.parametrize("make", [lambda p: None, lambda p: p.write_text("x", "utf-8"), lambda p: p.mkdir()])
def test_a_data_folder_that_is_not_there_is_named_as_such(tmp_path: Path, make):
    data = tmp_path / "nowhere"
    make(data)
    folder, problems = resolve_year(data, "2020")
    assert folder is None
    if data.is_dir():   # there, but empty
        assert "中还没有任何年份的文件夹" in problems[0].hint and "new-year" not in problems[0].hint
        return
    assert problems[0].message in (f"数据目录 {data} 不存在（当前文件夹是 {Path.cwd()}）。",
                                   f"数据目录 {data} 不是文件夹（当前文件夹是 {Path.cwd()}）。")
    assert "检查 --data 后的路径" in problems[0].hint and "new-year" not in problems[0].hint


def test_a_year_folder_that_is_a_link_out_of_data_is_refused(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (data / "2020").symlink_to(outside)
    folder, problems = resolve_year(data, "2020")
    assert folder is None and "指向数据目录" in problems[0].message


# ------------------------------------------------------------- bytes → text

def _load(tmp_path: Path, raw: bytes):
    path = tmp_path / "income.yaml"
    path.write_bytes(raw)
    return load_file(path, "data/2020/income.yaml")


@pytest.mark.parametrize("encoding, note", [
    ("utf-8-sig", "UTF-8 BOM"), ("utf-16", "UTF-16 编码"), ("utf-16-le", "不带 BOM 的 UTF-16"),
    ("utf-16-be", "不带 BOM 的 UTF-16")])
def test_unambiguous_encodings_are_read_with_a_warning(tmp_path: Path, encoding: str, note: str):
    tree, problems = _load(tmp_path, INCOME.encode(encoding))
    assert [(p.severity, p.rule) for p in problems] == [(Severity.WARNING, "文件编码")]
    assert note in problems[0].message
    reference, _ = _load(tmp_path, INCOME.encode("utf-8"))
    assert tree == reference      # the same nodes, the same lines and columns


def test_gbk_is_refused_at_the_first_line_that_is_not_utf8(tmp_path: Path):
    text = "合计: 1\n变动原因: 人员调出\n"
    tree, problems = _load(tmp_path, text.encode("gbk"))
    assert tree is None
    assert [(p.rule, p.source.line) for p in problems] == [("文件编码", 1)]
    assert "GBK" in problems[0].message and "UTF-8" in problems[0].hint


def test_binary_is_refused(tmp_path: Path):
    tree, problems = _load(tmp_path, b"PK\x03\x04\x00\x00\xff\xfe\x00")
    assert tree is None and problems[0].rule == "文件编码" and problems[0].is_error


def test_a_file_just_over_the_limit_is_refused_and_one_at_the_limit_is_read(tmp_path: Path):
    at_limit = b"a: 1\n" + b"#" * (MAX_FILE_BYTES - 6) + b"\n"
    assert len(at_limit) == MAX_FILE_BYTES
    tree, problems = _load(tmp_path, at_limit)
    assert tree is not None and problems == []
    tree, problems = _load(tmp_path, at_limit + b"#")
    assert tree is None and [p.rule for p in problems] == ["文件过大"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_is_read_only_up_to_the_limit(tmp_path: Path):
    link = tmp_path / "income.yaml"
    link.symlink_to("/dev/zero")     # stat() says 0 bytes; reading would never end
    start = time.monotonic()
    tree, problems = load_file(link, "data/2020/income.yaml")
    assert tree is None and [p.rule for p in problems] == ["文件过大"]
    assert time.monotonic() - start < 5


# ------------------------------------------------------------- text → nodes

def test_every_node_knows_its_file_line_column_and_path():
    tree, problems = parse(INCOME, "data/2020/income.yaml")
    assert problems == []
    key, key_src, node = tree.items[1]
    assert key == "一般公共预算拨款收入"
    assert (str(key_src), key_src.path) == ("data/2020/income.yaml:7:1", "一般公共预算拨款收入")
    assert (node.text, node.scalar_type, str(node.source)) == ("176.65", "float", "data/2020/income.yaml:7:13")


def test_no_tag_can_make_an_object(tmp_path: Path):
    marker = tmp_path / "pwned"
    for tagged in (f'!!python/object/apply:os.system ["touch {marker}"]',
                   f'!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
                   "!!python/name:os.system", "!!binary aGVsbG8=", "!custom 1", "!!set {a, b}"):
        tree, problems = parse(f"合计: {tagged}\n", "x.yaml")
        assert [p.rule for p in problems] == ["不安全的标记"], tagged
        assert tree.items[0][2].rejected
    assert not marker.exists()


def test_an_alias_bomb_stops_quickly():
    lines = ['a: &a ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join(f"*{prev}" for _ in range(9)) + "]")
    start = time.monotonic()
    tree, problems = parse("\n".join(lines), "x.yaml")
    assert time.monotonic() - start < 5
    assert tree is None and problems[0].rule == "YAML过大" and str(MAX_NODES) in problems[0].message
    assert problems[0].source.line == 5       # e: the entry whose expansion passed the limit


def test_a_few_aliases_are_harmless():
    tree, problems = parse("a: &x 1\nb: *x\n", "x.yaml")
    assert problems == [] and [k for k, _, _ in tree.items] == ["a", "b"]


@pytest.mark.parametrize("text", ["a: &x [*x]\n", "a: " + "[" * 3000 + "]" * 3000 + "\n",
                                  "a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n"])
def test_endless_or_very_deep_nesting_is_refused(text: str):
    tree, problems = parse(text, "x.yaml")
    assert tree is None and [p.rule for p in problems] == ["YAML过大"]


def _block_nesting(depth: int, compact: bool) -> str:
    if compact:                         # - - - - 1: each level on the same line
        return "a:\n" + "- " * depth + "1\n"
    return "".join(f"{' ' * level}k{level}:\n" for level in range(depth)) + " " * depth + "v: 1\n"


@pytest.mark.parametrize("compact", [False, True])
def test_deep_block_nesting_is_refused_and_the_depth_bound_holds(compact):
    """The event walk that counts the depth is skipped when the text bounds it (every budget file):
    the bound must never be below the real depth."""
    import yaml

    from budgetdoc.yamlsrc import MAX_DEPTH, _depth_bound

    def depth(text: str) -> int:
        level = deepest = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                level += 1
                deepest = max(deepest, level)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                level -= 1
        return deepest

    for n in (1, 5, 20, MAX_DEPTH + 5):
        text = _block_nesting(n, compact)
        assert depth(text) <= _depth_bound(text), text
    samples = ["a:\n- b:\n  - c:\n    - d: [1, {e: [2]}]\n", "? a\n: - - x\n  - y\n", "-\n - - 1\n"]
    for text in samples:
        assert depth(text) <= _depth_bound(text), text
    tree, problems = parse(_block_nesting(MAX_DEPTH + 5, compact), "x.yaml")
    assert tree is None and [p.rule for p in problems] == ["YAML过大"]


def test_every_shipped_data_file_skips_the_depth_walk():
    from budgetdoc.yamlsrc import MAX_DEPTH, _depth_bound
    files = sorted(DATA.rglob("*.yaml")) + sorted(EXAMPLE.rglob("*.yaml"))
    assert files and max(_depth_bound(f.read_text("utf-8")) for f in files) <= MAX_DEPTH


def test_a_duplicate_key_names_both_lines():
    tree, problems = parse("a: 1\nb: 2\na: 3\n", "x.yaml")
    assert [p.rule for p in problems] == ["重复字段"]
    assert problems[0].source.line == 3 and [s.line for s in problems[0].related] == [1]
    assert [(k, n.text) for k, _, n in tree.items] == [("a", "1"), ("b", "2")]   # the first one is kept


@pytest.mark.parametrize("text, line, fragment", [
    ("a: 1\nb: 'x\nc: 2\n", 2, "引号没有闭合"),
    ("a: 1\nb:2\nc: 2\n", 2, "冒号后面少了空格"),
    ("a: [1, 2\nb: 3\n", 1, "方括号"),
    ("a: 1\n- b\n", 2, "列表项"),
    ("a: x\x07\n", 1, "控制字符（U+0007）"),
    ("a: 1\n---\nb: 2\n", 2, "只能有一个 YAML 文档"),
    ("a: @x\n", 1, "必须加引号"),
])
def test_syntax_errors_point_at_the_line_to_fix(text: str, line: int, fragment: str):
    tree, problems = parse(text, "x.yaml")
    assert tree is None and len(problems) == 1
    assert problems[0].rule == "YAML语法" and problems[0].source.line == line
    assert fragment in problems[0].message


@pytest.mark.parametrize("written", ["人员经费： 122.41", "人员经费：122.41", "人员经费：\u3000122.41", "人员经费：  122.41"])
def test_a_chinese_colon_is_fixed_with_one_space_after_the_colon(written: str):
    tree, (problem,) = parse(f"基本支出:\n  合计: 122.41\n  {written}\n", "x.yaml")
    assert tree is None and problem.message.startswith("这一行用了中文冒号“：”")
    assert (problem.source.line, problem.source.column) == (3, 7)
    assert problem.hint == "切换到英文输入法，写成“人员经费: 122.41”。"


# ------------------------------------------------------------ nodes → values

def _amount(text: str):
    tree, _ = parse(f"v: {text}\n", "x.yaml")
    ctx = Context(strict=True)
    value = Money().convert(tree.items[0][2], ctx, "v")
    return value, ctx.problems


@pytest.mark.parametrize("text, value", [("176.65", "176.65"), ("7.50", "7.50"), ("0", "0"), ('"12.5"', "12.5"),
                                         ("1,234.56", "1234.56"), ("1.234567", "1.234567"),
                                         ("12.340000", "12.34"), ("0.000100", "0.000100")])
def test_amounts_are_exact_decimals(text: str, value: str):
    amount, problems = _amount(text)
    assert problems == [] and amount.value == Decimal(value) and str(amount.value) == value


@pytest.mark.parametrize("text, fragment", [
    ("12,50", "逗号作了小数点"), ("1,2,3", "不是金额"), ("１２.５", "全角"), ("1e3", "科学计数法"),
    (".nan", "NaN"), ("-.inf", "无穷大"), ("12.345", "超过两位小数"), ("1.23456", "超过两位小数"),
    ("1.2345678", "超过两位小数"), ("-1", "负数"), ("yes", "是/否"),
    ("12万元", "带了单位"), ("+5", "正号"), ("0x10", "不是金额"), ("", "空值"), ("[1]", "列表"),
])
def test_what_is_not_an_amount_is_refused_with_the_reason(text: str, fragment: str):
    amount, problems = _amount(text)
    assert amount is None and len(problems) == 1 and fragment in problems[0].message, problems


def test_three_decimals_say_when_six_are_right_without_contradicting_two():
    """122.515: two decimals, or six when the 万元 figure comes exactly from 元 (分) — not “两位” then “六位”
    in one breath, as if both applied."""
    _, (problem,) = _amount("122.515")
    assert problem.message == ("“v”写成了 122.515，超过两位小数。金额以万元为单位，最多写两位小数；只有由精确到分的"
                               "元金额换算来的万元数才写满六位小数（如 12345.67 元写成 1.234567 万元）。")
    assert problem.hint == ("按四舍五入保留两位小数后再填写：122.515 写成 122.52；如果它是由元金额换算来的，就写满六位小数"
                            "（不足六位的在末尾补 0）；确需更多位小数时，在 department.yaml 中写“金额小数位”。")
    assert _amount("122.515000")[0] is not None       # exactly six: 1,225,150.00 元


def test_text_remembers_where_it_was_written():
    tree, _ = parse("说明:\n  这是  文字\n", "x.yaml")
    value = Text().convert(tree.items[0][2], Context(True), "说明")
    assert isinstance(value, SourcedText) and isinstance(value, str)
    assert value == "这是  文字" and hash(value) == hash("这是  文字")
    assert str(value.source) == "x.yaml:2:3"


@pytest.mark.parametrize("escaped, code", [(r"\a", "0007"), (r"\x1b", "001B"), (r"\f", "000C"), (r"\uFFFE", "FFFE"),
                                           (r"\0", "0000")])
def test_a_character_a_report_cannot_hold_is_refused_where_it_is_written(escaped: str, code: str):
    """YAML's escapes write what XML (a .docx, an .xlsx) cannot hold: refused, not an internal error later."""
    tree, _ = parse(f'名称: "房屋{escaped}租金"\n', "x.yaml")
    ctx = Context(True)
    assert Text().convert(tree.items[0][2], ctx, "名称") is None
    (problem,) = ctx.problems
    assert problem.rule == "取值" and f"U+{code}" in problem.message and str(problem.source) == "x.yaml:1:5"
    last_year = Context(False)          # last year's text is only read: a warning, the character dropped
    assert Text().convert(tree.items[0][2], last_year, "名称") == "房屋租金"
    assert [p.severity for p in last_year.problems] == [Severity.WARNING]


def test_a_report_with_a_control_character_in_its_data_is_refused_in_chinese(tmp_path):
    import shutil

    from cases.casekit import budgetdoc_in_process
    from repo import DATA, edit
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    edit(data / "2020" / "expenditure.yaml", ("    - 名称: 房屋租金、劳务费、物业费", '    - 名称: "房屋租金\\a、劳务费、物业费"'))
    result = budgetdoc_in_process(("report", "2020", "--data", str(data), "--out", str(tmp_path / "build")), tmp_path)
    assert result.returncode == 1 and "内部错误" not in result.stderr, result.stderr
    assert "expenditure.yaml:21:11: 错误 [取值]" in result.stdout + result.stderr and "U+0007" in result.stdout + result.stderr
    assert not (tmp_path / "build").exists()


def test_the_real_data_loads_without_problems():
    folder, _ = resolve_year(DATA, "2020")
    budget, problems = load_year(folder, strict=True)
    assert problems == []
    assert budget.income.total.value == Decimal("176.65")
    assert str(budget.income.total.source) == "data/2020/income.yaml:6:5"


@pytest.mark.parametrize("text", [
    "a: b: c", "\t- x", "a: 'x", "a: *nope", "a: &x 1\nb: &x 2", "%YAML 9.9\n---\na: 1", 'a: "x" y',
    "a: ]", "a: |x\n  b", "!x!y a: 1", "a: - b", 'a: "\\q"', "a: 1\n b: 2\nc: 3", "a:\n  - b\n  c: d",
    "a: [1, 2", "a: {b: 1", "a: @x", "a: `x", "a: %x", "- a\nb: 1", "a: &中 1"])
def test_syntax_messages_are_chinese(text: str):
    """Every syntax error a clerk is likely to make gets a Chinese sentence, not the parser's English."""
    tree, problems = parse(text + "\n", "x.yaml")
    assert tree is None and len(problems) == 1
    assert problems[0].rule == "YAML语法" and problems[0].source.line >= 1
    english = set(re.findall(r"[A-Za-z]{4,}", problems[0].message)) - {"YAML"}
    assert not english, problems[0].message


@pytest.mark.parametrize("spec, text", [(Money(), "1" + "0" * 12), (Money(), "9" * 5000), (Count(), "9" * 5000)])
def test_absurd_magnitudes_are_refused_before_any_arithmetic(spec, text: str):
    tree, _ = parse(f"v: {text}\n", "x.yaml")
    ctx = Context(strict=True)
    assert spec.convert(tree.items[0][2], ctx, "v") is None
    assert "大得不合理" in ctx.problems[0].message and len(ctx.problems[0].message) < 80


def test_the_largest_sensible_amount_is_read():
    amount, problems = _amount("999999999999.99")
    assert problems == [] and amount.value == Decimal("999999999999.99")


def test_an_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path, monkeypatch):
    path = tmp_path / "income.yaml"
    path.write_text("合计: 1\n", encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(Path, "open", refuse)
    tree, problems = load_file(path, "data/2020/income.yaml")
    assert tree is None and [p.message for p in problems] == ["无法读取文件：没有读取权限。"]


def test_an_exact_yuan_amount_keeps_its_six_places_through_the_checks(tmp_path: Path):
    """12,345.67 元 is 1.234567 万元: read exactly, and a gap of 1 元 is shown as such, not as 0.00."""
    import shutil

    from budgetdoc.checks.identities import money
    from budgetdoc.pipeline import check_year
    from budgetdoc.problems import BudgetError

    assert money(Decimal("0.0001")) == "0.000100" and money(Decimal("0.10")) == "0.10"
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "2020" / "expenditure.yaml"
    path.write_text(path.read_text("utf-8").replace("  公用经费: 7.50", "  公用经费: 7.500100"), "utf-8")
    with pytest.raises(BudgetError) as raised:
        check_year(data, 2020)
    basic = [p for p in raised.value.problems if p.rule == "基本支出"]
    assert basic and "各项之和 129.910100" in basic[0].message and "相差 0.000100 万元" in basic[0].message, basic
