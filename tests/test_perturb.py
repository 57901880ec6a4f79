"""Every amount is checked, not trusted: change any one by 0.01 and an identity catches it.

The amounts are found by walking the YAML nodes (budgetdoc.yamlsrc) alongside
the schema (budgetdoc.model.DATA_FILES): every node the schema reads as
Money.  Each is changed in a copy of data/, at its exact line and column,
and the year is checked again.  The check must fail with a problem that
points at the changed amount (as its place or in 另见) and names the new
value.  Uncaught amounts are listed together, so one run shows them all.
"""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from budgetdoc.model import DATA_FILES
from budgetdoc.number import plain
from budgetdoc.pipeline import check_year
from budgetdoc.problems import BudgetError, Problem
from budgetdoc.schema import Amount, ListOf, Money, Record, Spec
from budgetdoc.yamlsrc import YNode, load_file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CENT = Decimal("0.01")


@dataclasses.dataclass(frozen=True)
class Written:
    """One amount as written in a data file."""

    file: str       # e.g. "2020/income.yaml"
    line: int
    column: int
    text: str
    path: str       # YAML path, e.g. "基本支出.人员经费"

    def __str__(self) -> str:
        return f"data/{self.file}:{self.line}:{self.column} {self.path} = {self.text}"


def money_nodes(spec: Spec, node: YNode):
    """The nodes of ``node`` that ``spec`` reads as amounts."""
    if isinstance(spec, Money):
        yield node
    elif isinstance(spec, Record) and node.kind == "map":
        for key, _src, child in node.items:
            field = spec.by_key.get(key)
            if field is not None:
                yield from money_nodes(field.spec, child)
    elif isinstance(spec, ListOf) and node.kind == "seq":
        for child in node.items:
            yield from money_nodes(spec.item, child)


def amounts_of(year: int, root: Path = DATA) -> list[Written]:
    found = []
    for data_file in DATA_FILES:
        path = root / str(year) / data_file.name
        if not path.is_file() or data_file.optional:    # known_issues.yaml records a gap, not a budget figure
            continue
        tree, problems = load_file(path, data_file.name)
        assert tree is not None and not problems, problems
        for node in money_nodes(data_file.spec, tree):
            found.append(Written(f"{year}/{data_file.name}", node.source.line, node.source.column,
                                 node.text, node.source.path))
    return found


def model_amounts(obj) -> list[Amount]:
    """Every Amount in the loaded model, to cross-check the walk above."""
    if isinstance(obj, Amount):
        return [obj]
    if isinstance(obj, tuple):
        return [a for item in obj for a in model_amounts(item)]
    if dataclasses.is_dataclass(obj):
        return [a for f in dataclasses.fields(obj) for a in model_amounts(getattr(obj, f.name))]
    return []


def nudged(text: str) -> str:
    return plain(Decimal(text) + CENT)


def edit_token(original: str, amount: Written, new: str) -> str:
    """``original`` with exactly the token of ``amount`` replaced by ``new``."""
    lines = original.split("\n")
    line = lines[amount.line - 1]
    start = amount.column - 1
    assert line[start:start + len(amount.text)] == amount.text, f"{amount}: found “{line}”"
    lines[amount.line - 1] = line[:start] + new + line[start + len(amount.text):]
    return "\n".join(lines)


def points_at(problem: Problem, amount: Written) -> bool:
    places = [problem.source, *problem.related]
    return any(s is not None and s.file == f"data/{amount.file}" and s.line == amount.line
               and s.column == amount.column for s in places)


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.chdir(tmp_path)   # as a clerk runs it: messages then name data/2020/…
    return target


AMOUNTS_2020 = amounts_of(2020)


def test_the_walk_finds_every_amount_the_model_holds():
    from budgetdoc.load import load_year, resolve_year
    folder, _ = resolve_year(DATA, 2020)
    budget, _ = load_year(folder, strict=True)
    held = sorted((a.source.file, a.source.line, a.source.column) for a in model_amounts(budget))
    walked = sorted((f"data/{a.file}", a.line, a.column) for a in AMOUNTS_2020)
    assert walked == held
    assert len(AMOUNTS_2020) >= 35, AMOUNTS_2020  # 39 in the 2020 data; a walk that finds few is broken


def test_every_2020_amount_changed_by_a_cent_is_caught(data_copy: Path):
    check_year(data_copy, 2020)  # the control: unchanged data passes
    uncaught: list[str] = []
    for amount in AMOUNTS_2020:
        path = data_copy / amount.file
        original = path.read_text(encoding="utf-8")
        new = nudged(amount.text)
        path.write_text(edit_token(original, amount, new), encoding="utf-8")
        try:
            check_year(data_copy, 2020)
        except BudgetError as exc:
            errors = [p for p in exc.problems if p.is_error]
            if not any(points_at(p, amount) and new in p.message for p in errors):
                uncaught.append(f"{amount} → {new}: caught, but no error points at it and names {new}: "
                                + " | ".join(p.format() for p in errors))
        else:
            uncaught.append(f"{amount} → {new}: not caught")
        finally:
            path.write_text(original, encoding="utf-8")
    assert not uncaught, f"{len(uncaught)} of {len(AMOUNTS_2020)} amounts:\n" + "\n".join(uncaught)


# The previous year is historic data: a changed figure there is a warning (the
# build goes on), and it must still be noticed.  Figures the previous year
# states alone, with nothing to hold them against, cannot be caught.
STANDS_ALONE_2019 = {"2019/operating_costs.yaml:合计"}   # only the total is known for 2019


def test_every_2019_amount_changed_by_a_cent_is_a_warning(data_copy: Path):
    baseline = {p.format() for p in check_year(data_copy, 2020).problems}
    missed: list[str] = []
    amounts = amounts_of(2019)
    assert len(amounts) >= 15, amounts
    for amount in amounts:
        path = data_copy / amount.file
        original = path.read_text(encoding="utf-8")
        new = nudged(amount.text)
        path.write_text(edit_token(original, amount, new), encoding="utf-8")
        try:
            problems = check_year(data_copy, 2020).problems   # must not raise: warnings only
        finally:
            path.write_text(original, encoding="utf-8")
        fresh = [p for p in problems if p.format() not in baseline]
        caught = any(points_at(p, amount) and new in p.message and "上年（2019年）数据不一致" in p.message
                     for p in fresh)
        if caught == (f"{amount.file}:{amount.path}" in STANDS_ALONE_2019):
            missed.append(f"{amount} → {new}: {'caught' if caught else 'not caught'}")
    assert not missed, "\n".join(missed)


def test_docs_state_the_number_of_amounts_checked():
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert f"（共 {len(AMOUNTS_2020)} 个）" in text
