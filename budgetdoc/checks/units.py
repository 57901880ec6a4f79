"""The unit the figures being checked are in, for the messages (相差 0.10 万元 / 相差 1000.00 元).

A year's checks run inside :func:`figures_in` for that year's data unit, so
every message names the unit the clerk typed the figures in without each
rule passing it along.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Iterator

from ..number import plain, quantize
from ..schema import DataUnit

_UNIT: ContextVar[DataUnit] = ContextVar("budgetdoc_check_unit", default=DataUnit())


@contextmanager
def figures_in(unit: DataUnit) -> Iterator[None]:
    token = _UNIT.set(unit)
    try:
        yield
    finally:
        _UNIT.reset(token)


def unit() -> str:
    """万元 or 元: the unit of the figures being checked."""
    return _UNIT.get().name


def money(value: Decimal) -> str:
    """A computed sum or difference, with the data's decimals (at least two): 0.10, 204.60.

    Figures as written in the data are shown as written (plain), so the
    clerk finds them; what the tool computes is shown as money.  A figure exact to 分 of 元 (six
    places of 万元, from ``budgetdoc import``) keeps its places: 0.000100, not 0.00.
    """
    rounded = quantize(value, max(2, _UNIT.get().places))
    return plain(rounded) if rounded == value else plain(quantize(value, 6))
