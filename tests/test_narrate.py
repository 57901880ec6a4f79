"""The template markup, automatic numbering and the sandbox."""

import re
from pathlib import Path

import pytest
from jinja2 import nodes
from jinja2.exceptions import SecurityError

from budgetdoc.document import Paragraph, Table
from budgetdoc.narrate import chinese_number, environment, number_blocks, parse_markup
from budgetdoc.wording import Wording

from repo import DATA, ROOT, STYLES, TEMPLATES


def numbered(text: str):
    return number_blocks(parse_markup(text))


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 12, 20, 21, 99)] == \
        ["一", "九", "十", "十一", "十二", "二十", "二十一", "九十九"]
    # a long list of 项 or projects runs past 99 (it crashed the build at 100)
    assert [chinese_number(n) for n in (100, 101, 110, 111, 200, 1001, 1010, 1100, 10000, 10010, 12345)] == \
        ["一百", "一百零一", "一百一十", "一百一十一", "二百", "一千零一", "一千零一十", "一千一百", "一万", "一万零一十",
         "一万二千三百四十五"]


def test_a_hundred_items_and_more_are_numbered_at_every_level():
    """Numbered paragraphs 1. … 120. and headings 一、… 一百二十、 (the bench's 500-row department has 400 项)."""
    many = "".join(f"1. 第{n}项\n" for n in range(120))
    assert [b.full_text for b in numbered(many)][-2:] == ["119.第118项", "120.第119项"]
    headings = numbered("# 部门概况\n" + "".join(f"## 标题{n}\n" for n in range(1, 121)))
    assert [b.full_text for b in headings][-2:] == ["一百一十九、标题119", "一百二十、标题120"]
    # a 一百、 the template wrote is taken as a number too, and renumbered
    assert [b.full_text for b in numbered("# 部门概况\n一百、 首项\n")] == ["第一部分  部门概况", "一、首项"]


def test_heading_levels_get_gongwen_labels():
    blocks = numbered("# 部门概况\n## 主要职能\n### 部门职能\n#### 细项\n")
    assert [b.full_text for b in blocks] == ["第一部分  部门概况", "一、主要职能", "（一）部门职能", "1.细项"]


def test_numbered_paragraphs_are_renumbered_whatever_the_template_wrote():
    blocks = numbered("## 甲\n1.第一\n1.第二\n7.第三\n（1）细\n（9）细\n")
    assert [b.full_text for b in blocks] == ["一、甲", "1.第一", "2.第二", "3.第三", "（1）细", "（2）细"]


def test_inserting_a_section_renumbers_the_ones_after_it():
    before = numbered("## 甲\n## 乙\n### 乙一\n## 丙\n")
    after = numbered("## 甲\n## 新\n## 乙\n### 乙一\n## 丙\n")
    assert [b.full_text for b in before] == ["一、甲", "二、乙", "（一）乙一", "三、丙"]
    assert [b.full_text for b in after] == ["一、甲", "二、新", "三、乙", "（一）乙一", "四、丙"]


def test_a_higher_level_resets_lower_counters():
    blocks = numbered("# 一部\n## a\n1.x\n1.y\n## b\n1.z\n# 二部\n## c\n")
    assert [b.full_text for b in blocks] == ["第一部分  一部", "一、a", "1.x", "2.y", "二、b", "1.z",
                                             "第二部分  二部", "一、c"]


def test_numbered_paragraph_marker_needs_a_non_digit():
    blocks = numbered("1.5万元用于采购。\n")
    assert blocks == [Paragraph("1.5万元用于采购。")]


def test_table_markup():
    blocks = numbered("::: table 单位情况表 | 单位：万元\n| 序号 | 名称 | 金额 |\n|:-:|---|--:|\n| 1 | 甲 | 1.00 |\n:::\n")
    (table,) = blocks
    assert isinstance(table, Table)
    assert (table.title, table.unit) == ("单位情况表", "单位：万元")
    assert [c.text for c in table.header[0]] == ["序号", "名称", "金额"]
    assert [(c.text, c.align) for c in table.rows[0]] == [("1", "center"), ("甲", "left"), ("1.00", "right")]


def test_plain_paragraph_and_punctuation():
    blocks = numbered("> 联系人:张三\n说明(一):有关情况,见附表\n")
    assert blocks[0] == Paragraph("联系人：张三", role="plain")
    assert blocks[1].text == "说明（一）：有关情况，见附表"


def _walk(node):
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


ARITHMETIC = (nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.Neg)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.j2")))
def test_templates_never_do_arithmetic(template):
    env = environment(TEMPLATES, Wording())
    source = (TEMPLATES / template).read_text("utf-8")
    tree = env.parse(source)
    found = [type(n).__name__ for n in _walk(tree) if isinstance(n, ARITHMETIC)]
    assert not found, f"{template} does arithmetic: {found}"
    sums = [n for n in _walk(tree) if isinstance(n, nodes.Filter) and n.name in ("sum", "round", "abs")]
    assert not sums, f"{template} computes with filters"


def test_templates_run_in_the_sandbox(tmp_path: Path):
    (tmp_path / "evil.j2").write_text("{{ f.__class__.__mro__ }}", "utf-8")
    env = environment(tmp_path, Wording())
    with pytest.raises(SecurityError):
        env.get_template("evil.j2").render(f=object())


def _render(template: str, **values) -> list:
    from jinja2 import DictLoader
    from budgetdoc.narrate import _as_data
    from jinja2.sandbox import SandboxedEnvironment
    env = SandboxedEnvironment(loader=DictLoader({"t": template}), finalize=_as_data,
                               trim_blocks=True, lstrip_blocks=True)
    return numbered(env.get_template("t").render(**values))


def test_data_that_looks_like_markup_stays_text():
    blocks = _render("## 甲\n{{ a }}\n{{ b }}\n1.{{ c }}\n## 乙\n", a="一、这不是编号", b="# 也不是标题", c="2.照常")
    assert [b.full_text for b in blocks] == ["一、甲", "一、这不是编号", "# 也不是标题", "1.2.照常", "二、乙"]


def test_line_breaks_in_data_do_not_split_paragraphs():
    blocks = _render("{{ a }}\n{{ b }}\n", a="方针政策和\n自治区党委\u2028政府", b="word\x0bbreak")
    assert [b.text for b in blocks] == ["方针政策和自治区党委政府", "word break"]


def test_a_pipe_in_data_does_not_split_a_table_cell():
    blocks = _render("::: table 表\n| 名称 | 性质 |\n| {{ a }} | {{ b }} |\n:::\n", a="甲|乙", b="丙")
    assert [c.text for c in blocks[0].rows[0]] == ["甲|乙", "丙"]


def test_table_column_widths():
    (table,) = numbered("::: table 表 | | 1:5:4\n| 序号 | 名称 | 性质 |\n| 1 | 甲 | 乙 |\n:::\n")
    assert table.widths == (1.0, 5.0, 4.0) and table.unit == ""


# ----------------------------------------------------------- a broken template, explained

def broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    import shutil
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    text = (folder / file).read_text("utf-8")
    assert text.count(old) >= 1
    (folder / file).write_text(text.replace(old, new, 1), "utf-8")
    return folder


def build_problem(folder: Path, data: Path = DATA, year: int = 2020):
    from budgetdoc.pipeline import build_year
    from budgetdoc.problems import BudgetError
    with pytest.raises(BudgetError) as caught:
        build_year(data, year, templates=folder)
    (problem,) = caught.value.problems
    return problem


@pytest.mark.parametrize("file, old, new, line, expected", [
    ("part2_budget.j2", "a.total", "a.totl", 33,
     "模板 part2_budget.j2 第 33 行出错：“AppropriationFacts”没有“totl”这一项。是不是“total”？可用的有：total、"),
    ("function_uses.j2", "{{ money(line) }}", "{{ mony(line) }}", 12,
     "模板 function_uses.j2 第 12 行出错：没有“mony”这个名字。是不是“money”？模板可以用的有：f、"),
    ("part1_overview.j2", "{% endfor %}", "{% endfo %}", 14,
     "模板 part1_overview.j2 第 14 行出错：不认识的标记 {% endfo %}（拼错了，或多写了一个结束标记）。这里可以是：{% endfor %}"),
    ("part5_contact.j2", "{{ f.department.contact_person }}", "{{ f.department.contact_person }", 5,
     "模板 part5_contact.j2 第 5 行出错：这一行的写法有误"),
])
def test_a_template_mistake_names_the_file_line_and_what_exists(tmp_path, file, old, new, line, expected):
    """The included template that failed (not report.j2), in Chinese, with a 是不是 over what exists."""
    problem = build_problem(broken(tmp_path, file, old, new))
    assert problem.rule == "模板"
    assert problem.message.startswith(expected), problem.message
    assert problem.source.file.endswith(f"templates/{file}") and problem.source.line == line
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", problem.message.replace("AppropriationFacts", "")), problem.message


@pytest.mark.parametrize("new, what", [
    ("{{ money(line) }}{{ 2.345|round(2) }}", "round 过滤器"),
    ("{{ money(line) }}{{ '%.2f' % 2.345 }}", "“%”格式化"),
    ("{{ money(line) }}{{ '{:.2f}'.format(2.345) }}", "字符串的 format 方法"),
    ("{{ money(line) }}{{ '%.2f'|format(2.345) }}", "format 过滤器"),
    ("{{ money(line) }}{{ line.amount | float }}", "float 过滤器"),
    ("{{ money(line) }}万元{{ 2.5|int }}", "int 过滤器"),
    ("{{ money(line) }}{% filter int %}3{% endfilter %}", "int 过滤器"),
])
def test_a_template_that_rounds_by_itself_is_warned_with_its_line(tmp_path, new, what):
    """Jinja rounds half to even and ignores the house style: a user template that uses it is told where."""
    from budgetdoc.pipeline import build_year
    result = build_year(DATA, 2020, templates=broken(tmp_path, "function_uses.j2", "{{ money(line) }}", new))
    (problem,) = [p for p in result.problems if p.rule == "模板"]
    assert not problem.is_error
    assert problem.message.startswith(f"模板 function_uses.j2 第 12 行用 {what}显示数字"), problem.message
    assert problem.source.file.endswith("templates/function_uses.j2") and problem.source.line == 12
    assert "money(…)" in problem.hint


def test_the_shipped_templates_and_styles_do_not_round_by_themselves():
    from budgetdoc.template_errors import rounding_warnings
    assert rounding_warnings((TEMPLATES,)) == []
    assert rounding_warnings((STYLES / "tables-first", TEMPLATES)) == []
    assert len(rounding_warnings((ROOT / "tests" / "templates", TEMPLATES))) == 0


def test_the_rounding_scan_reads_the_templates_of_the_search_path_not_the_folders_below(tmp_path):
    """A style.yaml kept in a busy folder: the old templates in its subfolders are not the report's."""
    from budgetdoc.template_errors import rounding_warnings
    (tmp_path / "old" / "backup").mkdir(parents=True)
    (tmp_path / "old" / "backup" / "unused.j2").write_text("{{ 2.345|round(2) }}\n", "utf-8")
    assert rounding_warnings((tmp_path, TEMPLATES)) == []
    (tmp_path / "part5_contact.j2").write_text("{{ 2.345|round(2) }}\n", "utf-8")
    (problem,) = rounding_warnings((tmp_path, TEMPLATES))
    assert problem.source.file.endswith("part5_contact.j2") and problem.source.line == 1


def test_the_rounding_scan_parses_only_a_template_that_can_round():
    """The scan skips parsing a template without any of the words it looks for (a cold start's saving);
    the shipped ones are skipped, and no template it would warn about is."""
    from budgetdoc.template_errors import _may_round
    shipped = sorted(TEMPLATES.glob("*.j2")) + sorted(STYLES.glob("*/*.j2"))
    assert shipped and not [p.name for p in shipped if _may_round(p.read_text("utf-8"))]
    for source in ("{{ x|round }}", "{{x|int}}", "{{ '%d' % 3 }}", "{%- filter format(1) -%}{%- endfilter -%}",
                   "{{ '{}'.format(x) }}", "{{ x|filesizeformat }}", "万元{{ x|float }}"):
        assert _may_round(source), source
    assert not _may_round("{%- for x in f.lines -%}{{ money(x) }}（{{ percent(x) }}）{%- endfor %}")


# ----------------------------------------------------------- marks never reach the report

NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")


def test_private_use_characters_in_the_data_pass_untouched(data_copy):
    """A department's own rare-name characters (造字) live in U+E000–F8FF: budgetdoc's marks are not there."""
    from budgetdoc.pipeline import build_year
    path = data_copy / "2020" / "department.yaml"
    path.write_text(path.read_text("utf-8").replace("联系人: 国宏兴", "联系人: 国\ue000宏\ue002兴"), "utf-8")
    result = build_year(data_copy, 2020)
    assert "联系人：国\ue000宏\ue002兴" in result.text


def test_a_noncharacter_in_the_data_is_refused_where_it_is(data_copy):
    from budgetdoc.pipeline import build_year
    from budgetdoc.problems import BudgetError
    path = data_copy / "2020" / "department.yaml"
    path.write_text(path.read_text("utf-8").replace("联系人: 国宏兴", "联系人: 国\ufdd3999\ufdd4兴"), "utf-8")
    with pytest.raises(BudgetError) as caught:
        build_year(data_copy, 2020)
    (problem,) = caught.value.problems
    assert problem.message.startswith("这一行有一个不是文字的字符（U+FDD3") and problem.source.line > 1


def test_a_template_sees_a_helpers_words_as_plain_text(tmp_path):
    """money() is the text it shows: compared, measured and sliced as such; nothing of a mark leaks out."""
    from budgetdoc.pipeline import build_year
    folder = broken(tmp_path, "part5_contact.j2", "本单位预算公开信息反馈和联系方式：",
                    "本单位预算公开信息反馈和联系方式：{% if money(f.income.total) == '176.65' %}相等{% endif %}"
                    "{{ money(f.income.total)|length }}|{{ money(f.income.total)[:3] }}{{ br() }}|"
                    "{{ [money(f.income.total)] }}")
    result = build_year(DATA, 2020, templates=folder)
    assert "本单位预算公开信息反馈和联系方式：相等6|176|['176.65']" in result.text
    for name, data in (("docx", result.docx), ("xlsx", result.xlsx), ("txt", result.text.encode("utf-8"))):
        import io
        import zipfile
        texts = [data.decode("utf-8")] if name == "txt" else \
            [zipfile.ZipFile(io.BytesIO(data)).read(n).decode("utf-8") for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
             if n.endswith(".xml")]
        assert not any(NONCHARACTERS.search(t) for t in texts), name


@pytest.mark.parametrize("style", [None, "tables-first"])
def test_no_mark_in_any_shipped_report(style):
    from budgetdoc.pipeline import build_year
    from budgetdoc.style import style_or_raise
    from repo import EXAMPLE
    for data, year in ((DATA, 2020), (EXAMPLE, 2021)):
        result = build_year(data, year, style=style_or_raise(STYLES / style) if style else None)
        assert not NONCHARACTERS.search(result.text)
        for block in result.document.blocks:
            assert not NONCHARACTERS.search(getattr(block, "text", "") or ""), block


@pytest.mark.parametrize("new, kind", [
    ("{{ money(line) }}{{ f.income.total|round(2) }}", "TypeError"),
    ("{{ money(line) }}{{ share(f.income.total) }}", "ValueError"),
    ("{{ money(line) }}{{ money('abc') }}", "TypeError"),
])
def test_a_copied_template_that_fails_at_run_time_is_told_where(tmp_path, new, kind):
    """A bureau's own template whose expression Python refuses: a located 模板 error, not an internal error."""
    problem = build_problem(broken(tmp_path, "function_uses.j2", "{{ money(line) }}", new))
    assert problem.rule == "模板" and problem.source.line == 12
    assert problem.message.startswith("模板 function_uses.j2 第 12 行出错：这一行对一个值做了它不支持的运算或写法"
                                      f"（{kind}"), problem.message
    assert "money(…)" in problem.message and "budgetdoc templates" in problem.hint


@pytest.mark.parametrize("widths", ["1:a", "0:1", "nan:1", "1:2:3"])
def test_table_widths_in_markup_must_be_positive_numbers(widths):
    from budgetdoc.problems import BudgetError
    with pytest.raises(BudgetError) as caught:
        parse_markup(f"::: table T | 单位：人 | {widths}\n| a | b |\n|--|--|\n| 1 | 2 |\n:::\n")
    assert caught.value.problems[0].rule == "模板"
