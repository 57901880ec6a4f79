"""Every paragraph and table cell knows the data values it was written from (budgetdoc.provenance).

Checked by changing one value at a time and rebuilding: the paragraphs and cells whose text changes
are exactly those that name the value, for texts (reasons, purposes) and for last year's amounts
(which feed only the comparisons, so no identity has to be kept).
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from budgetdoc.compute import compute
from budgetdoc.document import Heading, Paragraph, ReportDoc
from budgetdoc.narrate import narrate
from budgetdoc.pipeline import build_year, check_year, default_style
from budgetdoc.statements import build_statements, place_tables, tableset_or_raise
from budgetdoc.provenance import key
from budgetdoc.problems import Source

from repo import DATA, EXAMPLE, TEMPLATES
from test_perturb import amounts_of, edit_token


def document_of(data: Path, year: int) -> ReportDoc:
    """The report's document model alone (no DOCX or XLSX is written): what provenance is about."""
    checked = check_year(data, year)
    figures = compute(checked.current, checked.prior)
    style = default_style(TEMPLATES)
    words = style.wording.for_report(figures.unit.name, figures.prior_year)
    tables = build_statements(figures, tableset_or_raise(TEMPLATES), words)
    return place_tables(narrate(figures, TEMPLATES, words, style), tables)


def units(result) -> dict[tuple, tuple[str, frozenset[str]]]:
    """Each paragraph (by its place among paragraphs) and table cell (by table, row, column): text and sources."""
    document = getattr(result, "document", result)
    out = {}
    paragraphs = [b for b in document.blocks if isinstance(b, (Heading, Paragraph))]
    for i, block in enumerate(paragraphs):
        out[("p", i)] = (block.full_text, block.sources)
    for table in document.tables():
        for row in table.grid():
            for placed in row:
                out[(table.number or table.title, placed.row, placed.column)] = (placed.cell.text, placed.cell.sources)
    return out


def moved_and_named(before, after, value_key: str) -> tuple[set, set]:
    old, new = units(before), units(after)
    assert old.keys() == new.keys()
    moved = {place for place in old if old[place][0] != new[place][0]}
    named = {place for place in old if value_key in old[place][1] | new[place][1]}
    return moved, named


def test_the_issue_example_a_value_the_report_does_not_use_is_in_no_paragraph(report_2020):
    """2020's own 执行数 of 公务接待费 is never shown: no paragraph or cell is written from it."""
    assert not any("2020/three_public.yaml:公务接待费.执行数" in sources for _, sources in units(report_2020).values())
    assert any("2019/three_public.yaml:公务接待费.执行数" in sources for _, sources in units(report_2020).values())


def test_a_key_names_the_year_file_and_path():
    assert key(Source("data/2020/operating_costs.yaml", 8, 9, "明细[1].金额")) == "2020/operating_costs.yaml:明细[1].金额"


TEXTS = [  # (file, old, new): a reason or a purpose, changed in place
    ("income.yaml", "人员调出3人，人员经费减少", "人员调出4人，人员经费减少"),
    ("functions.yaml", "职工医疗支出", "职工基本医疗保险支出"),
    ("three_public.yaml", "车辆使用年头久，维修费增加", "车辆老旧，维修费增加"),
    ("operating_costs.yaml", "新成立政务服务局", "政务服务局新成立"),
    ("department.yaml", "联系人: 国宏兴", "联系人: 国宏"),
    ("glossary.yaml", "是指自治区财政当年拨付的资金", "是指本级财政当年拨付的资金"),
]


@pytest.mark.parametrize("file, old, new", TEXTS, ids=[t[0] for t in TEXTS])
def test_a_changed_text_moves_exactly_the_paragraphs_written_from_it(file, old, new, report_2020, data_copy: Path):
    path = data_copy / "2020" / file
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), "utf-8")
    after = build_year(data_copy, 2020)
    # the key of the value on that line
    candidates = {k for _, (_, sources) in units(after).items() for k in sources if k.startswith(f"2020/{file}:")}
    from budgetdoc.review.provenance import data_values
    values = data_values(data_copy, 2020)
    (value_key,) = [k for k in candidates if values[k].line == line]
    moved, named = moved_and_named(report_2020, after, value_key)
    assert moved and moved == named


DEPARTMENTS = {"reference": (DATA, 2020), "example": (EXAMPLE, 2021)}


def prior_amounts() -> list:
    """Last year's amounts each department's report compares with, each moved alone by 0.01: all of the
    reference's, and of the example's one of each kind (the first 款 of a tree stands for the others)."""
    out, seen = [], set()
    for name, (root, year) in DEPARTMENTS.items():
        for a in amounts_of(year - 1, root):
            kind = (name, a.file, re.sub(r"\[\d+\]", "[]", a.path))
            if name == "reference" or kind not in seen:
                seen.add(kind)
                out.append((name, a))
    return out


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """A copy of each department's data (each test edits one file and puts it back) and its report."""
    out = {}
    for name, (root, year) in DEPARTMENTS.items():
        data = tmp_path_factory.mktemp(name) / "data"
        shutil.copytree(root, data)
        out[name] = (data, document_of(data, year))
    return out


@pytest.mark.parametrize("department, amount", prior_amounts(), ids=lambda p: getattr(p, "path", p))
def test_a_changed_prior_amount_moves_exactly_what_compares_with_it(department, amount, copies):
    data, before = copies[department]
    year = DEPARTMENTS[department][1]
    path = data / amount.file
    original = path.read_text("utf-8")
    path.write_text(edit_token(original, amount, format(Decimal(amount.text) + Decimal("0.01"), "f")), "utf-8")
    try:
        after = document_of(data, year)
    finally:
        path.write_text(original, "utf-8")
    moved, named = moved_and_named(before, after, f"{amount.file}:{amount.path}")
    assert moved <= named, f"moved but not named: {sorted(map(str, moved - named))}"
    # a place may name the value and not move only when the change does not show at its precision (a rate)
    for place in named - moved:
        assert place[0] == "p", place


def test_the_example_department_every_amount_cell_names_a_value():
    """Every non-empty amount of every 公开表 of the complete example was made of some data value."""
    result = build_year(EXAMPLE, 2021)
    for table in result.tables:
        for row in table.rows:
            for cell in row:
                if cell.value is not None and cell.value != 0:
                    assert cell.sources, (table.number, [c.text for c in row])


def test_a_department_made_of_its_units_names_the_units_values(data_copy: Path):
    """单位口径: the department's figures are the units' sums, and carry every unit's value they add up."""
    from repo import UNIT_MAIN, split_into_units
    split_into_units(data_copy)
    for name in ("income.yaml", "expenditure.yaml", "functions.yaml", "three_public.yaml", "operating_costs.yaml",
                 "procurement.yaml", "assets.yaml"):
        (data_copy / "2020" / name).unlink()
    document = document_of(data_copy, 2020)
    paragraph = next(b for b in document.blocks if isinstance(b, Paragraph) and "机关运行经费财政拨款预算" in b.text)
    assert f"2020/units/{UNIT_MAIN}/operating_costs.yaml:明细[1].金额" in paragraph.sources
    cells = [c for t in document.tables() if t.number == "表3" for r in t.rows for c in r if c.value]
    assert cells and all(c.sources and all("/units/" in k for k in c.sources) for c in cells)
