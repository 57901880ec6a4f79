"""The two data layouts and the look-up order of a department's house files (budgetdoc.folders)."""

from __future__ import annotations

import shutil
from pathlib import Path

from budgetdoc.folders import (DEFAULT_TEMPLATES, departments, find_department, find_house_file, house_files,
                               is_bureau, lookup_chain, unit_names)
from repo import DATA, EXAMPLE, TEMPLATES


def bureau(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root / "部门A")
    shutil.copytree(EXAMPLE, root / "部门B", ignore=shutil.ignore_patterns("README.md"))
    (root / "templates").mkdir()            # bureau-wide files are not departments
    (root / "schema").mkdir()
    (root / "notes").mkdir()                # nor is a folder without years
    return root


def test_the_one_department_layout_is_its_own_only_department():
    assert not is_bureau(DATA)
    (dept,) = departments(DATA)
    assert dept.root == DATA and dept.bureau is None and not dept.in_bureau


def test_a_bureau_has_a_folder_per_department(tmp_path):
    root = bureau(tmp_path)
    assert is_bureau(root)
    found = departments(root)
    assert [(d.key, d.root, d.bureau) for d in found] == [("部门A", root / "部门A", root), ("部门B", root / "部门B", root)]
    assert find_department(root, "部门B")[0] == found[1]
    missing, near = find_department(root, "部门")
    assert missing is None and sorted(near) == ["部门A", "部门B"]


def test_house_files_come_from_the_most_particular_folder(tmp_path):
    root = bureau(tmp_path)
    (dept,) = [d for d in departments(root) if d.key == "部门A"]
    unit = root / "部门A" / "2020" / "units" / "本级"
    unit.mkdir(parents=True)
    assert lookup_chain(dept, 2020, "本级") == [unit, root / "部门A" / "2020", root / "部门A", root]
    assert unit_names(root / "部门A" / "2020") == ["本级"]

    # nothing anywhere: budgetdoc's own templates and style; the year's own glossary
    assert house_files(dept, 2020) == house_files(dept, 2020).__class__(DEFAULT_TEMPLATES, None,
                                                                        root / "部门A" / "2020" / "glossary.yaml")
    # an empty templates folder (no report.j2) does not count
    assert find_house_file(dept, 2020, "templates") is None
    for folder in (root, root / "部门A"):
        shutil.copytree(TEMPLATES, folder / "templates", dirs_exist_ok=True)
        (folder / "style.yaml").write_text("body:\n  size_pt: 15\n", "utf-8")
        (folder / "glossary.yaml").write_text("名词解释: []\n", "utf-8")
    assert house_files(dept, 2020).templates == root / "部门A" / "templates"
    assert house_files(dept, 2020).style == root / "部门A" / "style.yaml"
    (root / "部门A" / "style.yaml").unlink()
    assert house_files(dept, 2020).style == root / "style.yaml"             # the bureau's
    assert house_files(dept, 2020, "本级").glossary == root / "部门A" / "2020" / "glossary.yaml"
    (unit / "style.yaml").write_text("body:\n  size_pt: 14\n", "utf-8")
    assert house_files(dept, 2020, "本级").style == unit / "style.yaml"
    # the command line wins
    assert house_files(dept, 2020, templates=TEMPLATES, style=Path("x.yaml")).templates == TEMPLATES
    assert house_files(dept, 2020, templates=TEMPLATES, style=Path("x.yaml")).style == Path("x.yaml")


def test_a_year_without_its_glossary_reads_the_one_looked_up(tmp_path):
    from budgetdoc.load import YearFolder, load_year
    root = bureau(tmp_path)
    year = root / "部门B" / "2021"
    (root / "glossary.yaml").write_bytes((year / "glossary.yaml").read_bytes())
    (year / "glossary.yaml").unlink()
    folder = YearFolder(2021, year, "data/部门B/2021")
    budget, problems = load_year(folder, strict=True)
    assert [p.rule for p in problems if p.is_error] == ["缺少文件"]
    (dept,) = [d for d in departments(root) if d.key == "部门B"]
    glossary = house_files(dept, 2021).glossary
    assert glossary == root / "glossary.yaml"
    budget, problems = load_year(folder, strict=True, fallbacks={"glossary.yaml": glossary})
    assert not [p for p in problems if p.is_error] and budget.glossary.terms
    # a style.yaml beside the data is a house file, not an unknown data file
    (year / "style.yaml").write_text("body:\n  size_pt: 15\n", "utf-8")
    assert not [p for p in load_year(folder, strict=True, fallbacks={"glossary.yaml": glossary})[1]
                if p.rule == "未知文件"]


def test_a_consolidated_department_need_not_have_its_figure_files(tmp_path):
    from budgetdoc.load import YearFolder, load_year
    year = tmp_path / "2020"
    year.mkdir()
    shutil.copy(DATA / "2020" / "department.yaml", year)
    shutil.copy(DATA / "2020" / "glossary.yaml", year)
    figures = {"income.yaml", "expenditure.yaml", "functions.yaml", "three_public.yaml", "operating_costs.yaml",
               "procurement.yaml", "assets.yaml"}
    _, problems = load_year(YearFolder(2020, year, "data/2020"), strict=True)
    assert {p.source.file.rsplit("/", 1)[1] for p in problems if p.is_error} == figures
    budget, problems = load_year(YearFolder(2020, year, "data/2020"), strict=True, not_required=figures)
    assert not problems and budget.income is None and budget.department.name == "奈曼旗政务服务局"
