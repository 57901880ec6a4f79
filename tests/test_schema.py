"""The JSON Schemas that editors use agree with the data and with the loader.

* every data file validates against the schema its modeline names
  (data/2020 against the strict schemas, data/2019 against schema/prior/);
* the committed schema/ folder is exactly what ``budgetdoc schema`` writes
  now, so it cannot go stale;
* every data file carries the ``# yaml-language-server: $schema=`` modeline,
  pointing at a file that exists;
* the schemas reject what the loader rejects, for every bad-input case whose
  mistake is a schema matter (type, unknown key, amount, code, choice).

The validator below covers exactly the JSON Schema keywords the generator
emits, and fails on any other, so a new keyword cannot be silently ignored.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from cases.casekit import load_cases, prepare

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SCHEMA = ROOT / "schema"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
YEARS = sorted(p.name for p in DATA.iterdir() if re.fullmatch(r"\d{4}", p.name))
DATA_FILES = sorted(p for year in YEARS for p in (DATA / year).glob("*.yaml"))


# ------------------------------------------------------------ the validator

ANNOTATIONS = {"$schema", "$id", "title", "description"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
                        and not (isinstance(v, float) and not math.isfinite(v)),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(value, schema: dict, where: str = "") -> list[str]:
    """Problems of ``value`` against ``schema`` (the subset of draft-07 the generator emits)."""
    unknown = set(schema) - ANNOTATIONS - {"type", "properties", "additionalProperties", "required",
                                           "anyOf", "minimum", "maximum", "multipleOf", "pattern",
                                           "minLength", "enum", "items", "minItems"}
    assert not unknown, f"the validator does not know {unknown}: teach it"
    where = where or "(root)"
    if "anyOf" in schema:
        if all(validate(value, sub, where) for sub in schema["anyOf"]):
            return [f"{where}: {value!r} matches none of anyOf"]
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            return [f"{where}: {value!r} is not {types}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{where}: {value} > {schema['maximum']}")
        if "multipleOf" in schema and Decimal(str(value)) % Decimal(str(schema["multipleOf"])) != 0:
            problems.append(f"{where}: {value} is not a multiple of {schema['multipleOf']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value, re.ASCII):
            problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
        if "minLength" in schema and len(value) < schema["minLength"]:
            problems.append(f"{where}: {value!r} is shorter than {schema['minLength']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: missing {key}")
        for key, child in value.items():
            if key in props:
                problems += validate(child, props[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: unknown key {key!r}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{where}: fewer than {schema['minItems']} items")
        for i, child in enumerate(value):
            problems += validate(child, schema.get("items", {}), f"{where}[{i + 1}]")
    return problems


def test_the_validator_can_say_no():
    schema = json.loads((SCHEMA / "income.schema.json").read_text(encoding="utf-8"))
    good = yaml.safe_load((DATA / "2020" / "income.yaml").read_text(encoding="utf-8"))
    assert validate(good, schema) == []
    for key, bad in (("合计", "176.65万元"), ("合计", -1), ("合计", 176.6555555), ("合计", float("nan")),
                     ("合计", "1e3"), ("合计", True), ("上年结余", 0)):
        assert validate({**good, key: bad}, schema), (key, bad)
    missing = dict(good)
    del missing["合计"]
    assert validate(missing, schema) == ["(root): missing 合计"]


# -------------------------------------------------------------- modelines

def modeline_target(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    m = MODELINE.match(first)
    assert m, f"{path.relative_to(ROOT)}: the first line must be “# yaml-language-server: $schema=…”"
    return (path.parent / m.group(1)).resolve()


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_data_file_has_a_modeline_to_an_existing_schema(path: Path):
    target = modeline_target(path)
    assert target.is_file(), f"{path.relative_to(ROOT)} points at {target}, which does not exist"
    assert target.name == path.name.replace(".yaml", ".schema.json")
    if path.parent.name == YEARS[-1]:       # the year being reported is held to the strict schema
        assert target.parent == SCHEMA.resolve(), f"{path.relative_to(ROOT)}: the reported year uses schema/"
    else:                                   # an earlier year: prior/ (partial figures) or strict
        assert target.parent in (SCHEMA.resolve(), (SCHEMA / "prior").resolve())


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_data_file_validates_against_its_schema(path: Path):
    schema = json.loads(modeline_target(path).read_text(encoding="utf-8"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert validate(data, schema) == []


def test_the_reported_year_uses_every_strict_schema():
    from budgetdoc.model import DATA_FILES
    latest = {p.name.replace(".yaml", ".schema.json") for p in (DATA / YEARS[-1]).glob("*.yaml")}
    optional = {f.name.replace(".yaml", ".schema.json") for f in DATA_FILES if f.optional}
    house_style = {"style.schema.json", "tables.schema.json"}      # templates/style.yaml and tables.yaml
    assert latest | optional | house_style == {p.name for p in SCHEMA.glob("*.schema.json")}


# ---------------------------------------------------------- not stale

def test_committed_schema_folder_is_what_budgetdoc_schema_writes(tmp_path: Path):
    exe = Path(sys.executable).parent / "budgetdoc"
    run = subprocess.run([str(exe), "schema", "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    written = {str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*.json")}
    committed = {str(p.relative_to(SCHEMA)): p.read_bytes() for p in SCHEMA.rglob("*.json")}
    assert sorted(written) == sorted(committed)
    stale = [name for name in written if written[name] != committed[name]]
    assert not stale, f"schema/ is stale, run `make schema`: {stale}"


def test_schemas_speak_chinese():
    schema = json.loads((SCHEMA / "expenditure.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "支出预算"
    basic = schema["properties"]["基本支出"]["properties"]
    assert basic["人员经费"]["title"] == "人员经费"
    assert "万元" in basic["人员经费"]["description"]
    prior = json.loads((SCHEMA / "prior" / "expenditure.schema.json").read_text(encoding="utf-8"))
    assert "required" in schema and "required" not in prior


# ----------------------------------------------- schema agrees with loader

SCHEMA_RULES = {"未知字段", "金额", "类型", "缺少字段", "取值", "科目编码"}
# What JSON cannot see: -0 is the number 0 once parsed; 部门名称断行 must spell 部门名称 (another field);
# how many decimals were written (7.505 is refused, 7.505000 — an exact 元 amount — is not: one JSON number).
BEYOND_JSON = {"71-negative-zero", "87-name-breaks-differ", "13-three-decimals"}
SCHEMA_CASES = [c for c in load_cases("bad") if c.expect["rule"] in SCHEMA_RULES and c.name not in BEYOND_JSON]


def test_there_are_schema_cases():
    assert len(SCHEMA_CASES) >= 15, [str(c) for c in SCHEMA_CASES]


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=str)
def test_schema_rejects_what_the_loader_rejects(case, tmp_path: Path):
    """What `budgetdoc check` refuses, VS Code flags while typing."""
    prepare(case, tmp_path)
    where = case.expect["where"]                  # e.g. data/2020/income.yaml:6
    path = tmp_path / where.split(":")[0]
    try:
        value = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        pytest.skip("PyYAML cannot read this file at all, so no schema is involved")
    schema = json.loads(modeline_target(ROOT / where.split(":")[0]).read_text(encoding="utf-8"))
    assert validate(value, schema), f"{case}: the JSON Schema accepts what budgetdoc refuses"


# ------------------------------------------------------------ both layouts

def test_schema_goes_where_a_bureaus_data_files_point(tmp_path: Path):
    """A department copied from the one-department layout keeps its first lines (../../schema/ is data/schema/
    there); `budgetdoc schema --data data` writes the schemas where every hint points."""
    import shutil

    from budgetdoc.schemahint import modeline_target, schema_folders
    from cases.casekit import budgetdoc_in_process
    from repo import EXAMPLE, split_into_units
    data = tmp_path / "data"
    shutil.copytree(DATA, data / "部门A")
    split_into_units(data / "部门A")                          # units/ lie two levels deeper: ../../../../schema
    for unit in (data / "部门A" / "2020" / "units").iterdir():
        for path in unit.glob("*.yaml"):
            path.write_text(path.read_text("utf-8").replace("$schema=../../schema/", "$schema=../../../../schema/"),
                            "utf-8")
    shutil.copytree(EXAMPLE, data / "部门B", ignore=shutil.ignore_patterns("README.md"))
    for path in (data / "部门B").rglob("*.yaml"):            # the example points three levels up: make it data/schema
        path.write_text(path.read_text("utf-8").replace("$schema=../../../schema/", "$schema=../../schema/"), "utf-8")
    assert schema_folders(data) == ([data / "schema"], [])
    files = sorted((data / "部门A").rglob("*.yaml")) + sorted((data / "部门B").rglob("*.yaml"))
    assert not any(modeline_target(p).is_file() for p in files)
    result = budgetdoc_in_process(["schema", "--data", "data"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(list(SCHEMA.rglob("*.schema.json")))   # data files, prior/, style, tables
    for path in files:
        target = modeline_target(path)
        assert target.is_file(), path
        assert target.read_bytes() == (SCHEMA / target.relative_to(data / "schema")).read_bytes()
    nothing = budgetdoc_in_process(["schema", "--data", str(tmp_path / "data" / "schema")], tmp_path)
    assert nothing.returncode == 1 and "错误 [编辑器提示]" in nothing.stderr


def test_a_unit_file_copied_with_its_years_first_line_is_told_its_depth(tmp_path: Path):
    import shutil

    from budgetdoc.schemahint import schema_folders
    from repo import split_into_units
    data = tmp_path / "data"
    shutil.copytree(DATA, data / "部门A")
    split_into_units(data / "部门A")          # the units' files keep the year folder's ../../schema/
    folders, unusable = schema_folders(data)
    assert folders == [data / "schema"]
    assert len(unusable) == 16 and all("在年度文件夹里面" in line for line in unusable)
    income = [line for line in unusable if f"units/{'奈曼旗政务服务中心'}/income.yaml" in line]
    assert len(income) == 1 and f"$schema=../../../../schema/income.schema.json（指向 {data}/schema/）" in income[0]
