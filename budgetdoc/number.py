"""Exact decimal arithmetic for money (万元) and percentages.

Every amount in budgetdoc is a :class:`decimal.Decimal`; floats never enter the
money path (a test greps for them).  Rounding is always ROUND_HALF_UP, the
rule Chinese finance staff apply by hand (四舍五入), and it is applied only
when a figure is shown: totals, shares and changes are computed from the
unrounded values.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

ZERO = Decimal(0)
HUNDRED = Decimal(100)
MONEY_PLACES = 2


def D(value: str | int | Decimal) -> Decimal:
    """Make a Decimal from a string, int or Decimal.  Floats are refused."""
    if isinstance(value, float):  # pragma: no cover - guarded by tests
        raise TypeError("floats are not allowed in the money path")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def quantize(value: Decimal, places: int) -> Decimal:
    """Round ``value`` half-up to ``places`` decimal places."""
    exponent = Decimal(1).scaleb(-places)
    with localcontext() as ctx:
        ctx.prec = 40
        return value.quantize(exponent, rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    """Round to 0.01 万元, half-up."""
    return quantize(value, MONEY_PLACES)


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole * 100``, unrounded; ``None`` when ``whole`` is zero."""
    if whole == ZERO:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        return part * HUNDRED / whole


def apportion(parts: list[Decimal], amount: Decimal, places: int) -> list[Decimal] | None:
    """``amount`` divided among ``parts`` in proportion, rounded to ``places`` so the pieces add up to it exactly.

    The largest-remainder method of :func:`apportion_percent` with any total
    (``amount`` itself a multiple of the unit): how a 类's rounded share is
    divided among its 款, so they add up to it and a lone 款 has its 类's share.
    None when the parts add up to zero.
    """
    whole = sum(parts, ZERO)
    if whole == ZERO:
        return None
    unit = Decimal(1).scaleb(-places)
    with localcontext() as ctx:
        ctx.prec = 40
        exact = [p * amount / whole for p in parts]
    floors = [e.quantize(unit, rounding="ROUND_FLOOR") for e in exact]
    missing = int((amount - sum(floors, ZERO)) / unit)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    result = list(floors)
    for i in order[:missing]:
        result[i] += unit
    return result


def apportion_percent(parts: list[Decimal], places: int) -> list[Decimal] | None:
    """Shares of one whole, in percent, rounded so that they add up to exactly 100.

    Largest-remainder method: round every share down to ``places``, then give
    the missing units, one each, to the shares with the largest remainders
    (ties go to the earlier share, so the result is deterministic).  Shares
    that are exactly representable stay exact, so 73.54 + 26.46 stays as is.
    Returns ``None`` when the whole is zero.
    """
    whole = sum(parts, ZERO)
    if whole == ZERO:
        return None
    unit = Decimal(1).scaleb(-places)
    exact = [ratio_percent(p, whole) for p in parts]
    floors = [e.quantize(unit, rounding="ROUND_FLOOR") for e in exact]  # type: ignore[union-attr]
    missing = int((HUNDRED - sum(floors, ZERO)) / unit)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))  # type: ignore[operator]
    result = list(floors)
    for i in order[:missing]:
        result[i] += unit
    return result


def plain(value: Decimal) -> str:
    """A Decimal as written by a person, for messages: ``7.50``, ``0``, ``204.6``."""
    return format(value, "f")


def total(values) -> Decimal:
    """Exact sum of Decimals (an empty sum is zero)."""
    return sum(values, ZERO)
