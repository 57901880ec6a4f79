from decimal import Decimal

import pytest

from budgetdoc.number import D, apportion_percent, quantize, ratio_percent, round_money


def test_round_half_up_not_bankers():
    assert quantize(Decimal("0.125"), 2) == Decimal("0.13")
    assert quantize(Decimal("0.135"), 2) == Decimal("0.14")
    assert quantize(Decimal("2.5"), 0) == Decimal("3")
    assert round_money(Decimal("-0.005")) == Decimal("-0.01")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        D(0.1)  # type: ignore[arg-type]


def test_ratio_percent_is_unrounded_and_none_without_base():
    assert ratio_percent(Decimal("28.03"), Decimal("204.68")).quantize(Decimal("0.000001")) == Decimal("13.694548")
    assert ratio_percent(Decimal(1), Decimal(0)) is None


def test_shares_of_the_reference_add_to_100():
    assert apportion_percent([Decimal("129.91"), Decimal("46.74")], 2) == [Decimal("73.54"), Decimal("26.46")]


@pytest.mark.parametrize("places", [0, 1, 2, 3])
def test_shares_always_add_to_exactly_100(places):
    for parts in ([1, 1, 1], [1, 2, 3, 4, 5, 6, 7], [Decimal("0.01"), Decimal("99.99")], [2, 2, 2, 2, 2, 2]):
        shares = apportion_percent([Decimal(p) for p in parts], places)
        assert sum(shares) == 100


def test_largest_remainder_is_deterministic():
    assert apportion_percent([Decimal(1)] * 3, 2) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_zero_whole_has_no_shares():
    assert apportion_percent([Decimal(0), Decimal(0)], 2) is None
