"""No float may enter the money path."""

import re

from repo import ROOT

MONEY_PATH = ["number.py", "schema.py", "compute.py", "wording.py", "checks/identities.py", "model.py",
              *sorted(str(p.relative_to(ROOT / "budgetdoc")) for p in (ROOT / "budgetdoc" / "audit").glob("*.py"))]


def test_no_float_in_the_money_path():
    offenders = []
    for name in MONEY_PATH:
        for lineno, line in enumerate((ROOT / "budgetdoc" / name).read_text("utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if re.search(r"\bfloat\s*\(|\bmath\.|\bround\s*\(", code):
                offenders.append(f"{name}:{lineno}: {line.strip()}")
    assert not offenders, offenders


def test_loaded_amounts_are_decimals(report_2020):
    from decimal import Decimal
    from budgetdoc.load import load_year, resolve_year
    folder, _ = resolve_year(ROOT / "data", 2020)
    budget, _ = load_year(folder, strict=True)
    assert isinstance(budget.expenditure.basic.public.value, Decimal)
    assert str(budget.expenditure.basic.public.value) == "7.50"
