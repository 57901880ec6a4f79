"""Shared fixtures: the repository's real data, built once per session.

The Chinese catalogue for click and typer is installed first, as the console
script does (:mod:`budgetdoc.entry`), so commands run in-process print what a
clerk sees.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from budgetdoc import i18n

i18n.install()
# Compiled templates go to a cache folder of the test run, not the user's (see budgetdoc.cache).
os.environ.setdefault("BUDGETDOC_CACHE_DIR", tempfile.mkdtemp(prefix="budgetdoc-test-cache-"))

from repo import DATA  # noqa: E402


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
