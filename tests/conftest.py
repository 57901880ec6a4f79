"""Shared fixtures: the repository's real data, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from repo import DATA


@pytest.fixture(scope="session")
def report_2020():
    """The real 2020 report, built in memory from data/2020 and data/2019."""
    from budgetdoc.pipeline import build_year
    return build_year(DATA, 2020)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (all years) for tests that edit the data."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
