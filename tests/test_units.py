"""单位口径: a department kept per budget unit is their consolidation (budgetdoc.consolidate).

data/2020 is split into its two units (tests/repo.py ``split_into_units``),
which add up to it exactly; the bad cases 90–95 cover each mistake and its
message.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from budgetdoc.consolidate import FIGURE_FILES, figures_of
from budgetdoc.model import DATA_FILES
from budgetdoc.pipeline import build_year, check_year
from budgetdoc.problems import BudgetError
from repo import DATA, UNIT_CENTRE, UNIT_MAIN, edit, split_into_units

SPECS = {f.attr: f.spec for f in DATA_FILES if f.name in FIGURE_FILES}


@pytest.fixture()
def units(data_copy: Path) -> Path:
    split_into_units(data_copy)
    return data_copy


def drop_department_figures(data: Path) -> None:
    for name in FIGURE_FILES:
        (data / "2020" / name).unlink()


def test_the_department_states_what_its_units_add_up_to(units):
    """Every figure of the department's own files is checked against its units, and they agree: the report is
    the one-department report, byte for byte."""
    result = build_year(units, 2020)
    assert not [p for p in result.problems if not p.is_note]
    assert result.docx == build_year(DATA, 2020).docx


def test_without_its_own_figures_the_department_is_the_sum_of_its_units(units):
    drop_department_figures(units)
    consolidated = check_year(units, 2020).current
    original = check_year(DATA, 2020).current
    for attr, spec in SPECS.items():
        summed = {k: v.value for k, v in figures_of(spec, getattr(consolidated, attr))[0].items()}
        stated = {k: v.value for k, v in figures_of(spec, getattr(original, attr))[0].items()}
        assert summed == stated, attr
    report = build_year(units, 2020)
    assert not [p for p in report.problems if p.is_error]
    figures = report.figures
    assert figures.income.total.amount == Decimal("176.65")
    assert (figures.expenditure.basic.amount, figures.expenditure.project.amount) == (Decimal("129.91"),
                                                                                     Decimal("46.74"))
    assert figures.operating_costs.total.amount == Decimal("54.24") and figures.operating_costs.includes_projects
    assert figures.three_public.total.amount == Decimal("1.5")
    assert sorted(p.name for p in figures.expenditure.projects) == sorted(
        p.name for p in build_year(DATA, 2020).figures.expenditure.projects)
    assert "收入预算176.65万元，比2019年预算减少28.03万元" in report.text      # compared with data/2019 as before


def test_a_unit_has_a_report_of_its_own(units):
    result = build_year(units, 2020, unit=UNIT_CENTRE)
    assert result.filename == "奈曼旗政务服务中心2020年单位预算" and result.unit == UNIT_CENTRE
    assert result.text.startswith("奈曼旗政务服务中心2020年部门预算公开说明")
    assert "收入预算39.18万元" in result.text
    assert "事业编制11个，实有人员10个" in result.text
    # it reads the department's glossary, and has no year before it
    assert "名词解释" in result.text
    assert [p.rule for p in result.problems if not p.is_note] == ["上年数据"]
    main = build_year(units, 2020, unit=UNIT_MAIN)
    assert "收入预算137.47万元" in main.text


def test_an_unknown_unit_is_named_with_those_there_are(units):
    with pytest.raises(BudgetError) as caught:
        build_year(units, 2020, unit="奈曼旗政务服务")
    (problem,) = caught.value.problems
    assert problem.rule == "预算单位" and "中没有单位“奈曼旗政务服务”" in problem.message
    assert "奈曼旗政务服务中心" in problem.hint and "奈曼旗政务服务局本级" in problem.hint
    with pytest.raises(BudgetError) as caught:
        build_year(DATA, 2020, unit=UNIT_CENTRE)
    assert "没有按预算单位分别填写" in caught.value.problems[0].hint


def test_a_unit_error_stops_the_department(units):
    edit(units / "2020" / "units" / UNIT_CENTRE / "income.yaml", ("合计: 39.18", "合计: 39.19"))
    with pytest.raises(BudgetError) as caught:
        build_year(units, 2020)
    errors = [(p.rule, p.source.file) for p in caught.value.problems if p.is_error]
    assert ("收入合计", f"{units}/2020/units/{UNIT_CENTRE}/income.yaml") in errors, errors


def test_detail_is_kept_only_where_every_unit_gives_it(units):
    """A 类 one unit gives by 款 and the other as a whole is summed as a whole."""
    drop_department_figures(units)
    main = units / "2020" / "units" / UNIT_MAIN / "functions.yaml"
    edit(main, ("    金额: 71.73\n", "    金额: 71.73\n    下级:\n      - 编码: 20103\n        名称: 政府办公厅（室）及相关机构事务\n"
                                  "        金额: 71.73\n"))
    general = check_year(units, 2020).current.functions.general
    (line,) = [i for i in general if i.code == "201"]
    assert line.amount.value == Decimal("110.91") and line.children == ()
    centre = units / "2020" / "units" / UNIT_CENTRE / "functions.yaml"
    edit(centre, ("    金额: 39.18\n", "    金额: 39.18\n    下级:\n      - 编码: 20103\n        名称: 政府办公厅（室）及相关机构事务\n"
                                  "        金额: 39.18\n"))
    (line,) = [i for i in check_year(units, 2020).current.functions.general if i.code == "201"]
    assert [(c.code, c.amount.value) for c in line.children] == [("20103", Decimal("110.91"))]


def test_the_year_before_may_be_kept_per_unit_too(units):
    """Last year consolidated the same way, leniently: its figures are what the comparisons read."""
    prior = units / "2019"
    shutil.rmtree(prior)
    shutil.copytree(units / "2020", prior)
    for path in prior.rglob("department.yaml"):
        edit(path, ("年度: 2020", "年度: 2019"))
    drop_department_figures(units)
    for name in FIGURE_FILES:
        (prior / name).unlink()
    report = build_year(units, 2020)
    assert "收入预算176.65万元，与2019年预算持平。" in report.text
    # what the units' data lacks is named where the department's figure comes from: the sum of its units
    assert any(p.rule == "上年数据" and p.source.file.endswith("data/2020/three_public.yaml（各单位之和）")
               for p in report.problems)
