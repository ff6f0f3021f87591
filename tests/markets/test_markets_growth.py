import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanli.markets import growth
from suanli.markets.rounding import Interval, decimals_of, printed_interval


def test_cagr_hand_computed():
    # 100 -> 121 over two years is exactly 10%/yr
    assert growth.cagr(100, 121, 2) == pytest.approx(0.10)
    # seed: 190 -> 259 is +36.32%
    assert growth.cagr(190, 259, 1) == pytest.approx(0.363158, abs=1e-6)


def test_implied_start_and_end_hand_computed():
    # C01: 2781.9 / 1.462^5 = 416.49
    assert growth.implied_start(2781.9, 0.462, 5) == pytest.approx(416.49, abs=0.01)
    assert growth.implied_end(100, 0.1, 3) == pytest.approx(133.1)


def test_interpolate_geometric():
    # P06: 1037.3 -> 2781.9 over 3 years, one year in: 1441.2
    assert growth.interpolate(1037.3, 2781.9, 3, 1) == pytest.approx(1441.18, abs=0.01)
    assert growth.interpolate(100, 400, 2, 1) == pytest.approx(200)


def test_yoy_multiple_share():
    np.testing.assert_allclose(growth.yoy([100, 110, 121])[1:], [0.1, 0.1])
    assert math.isnan(growth.yoy([1, 2])[0])
    assert growth.multiple(201.6, 393.9) == pytest.approx(1.954, abs=1e-3)
    assert growth.multiple_from_rate(0.448, 5) == pytest.approx(6.366, abs=1e-3)
    assert growth.share(105, 552) == pytest.approx(0.19022, abs=1e-5)


def test_rates_are_fractions_and_bad_windows():
    with pytest.raises(ValueError):
        growth.cagr(100, 120, 0)
    with pytest.raises(ValueError):
        growth.cagr(0, 120, 2)


def test_rounding_aware_comparison_190_259():
    """190 -> 259 gives 36.32%; the printed 36.2% agrees once rounding is accounted for (G01)."""
    a, b = printed_interval(190, 0), printed_interval(259, 0)
    rec = growth.cagr_iv(a, b, 1)
    assert rec.lo == pytest.approx(0.3570, abs=1e-4) and rec.hi == pytest.approx(0.3694, abs=1e-4)
    stated = printed_interval(36.2, 1).scale(0.01)
    assert stated.overlaps(rec)
    # a strict 0.05 pp test on the point value would wrongly fail
    assert abs(growth.cagr(190, 259, 1) - 0.362) > 0.0005
    # 38.2% does not agree
    assert not printed_interval(38.2, 1).scale(0.01).overlaps(rec)


def test_bounds_propagate_from_qualifiers():
    # G20/G21: 2028 GenAI spend '超过2,022' -> lower bounds
    end = growth.qualifier_interval(2022, ">", base=printed_interval(2022, 0))
    assert math.isinf(end.hi)
    r = growth.cagr_iv(printed_interval(691, 0), end, 3)
    assert r.lo == pytest.approx(0.4299, abs=1e-3) and math.isinf(r.hi)
    base = growth.implied_start_iv(end, printed_interval(59.2, 1).scale(0.01), 5)
    assert base.lo > 197 and math.isinf(base.hi)
    d = growth.Derived(197.7, base.lo, base.hi, "2022/1.592^5", ["a", "b"])
    assert d.bound == "lower"


def test_decimals_of():
    assert decimals_of("1,037.3") == 1
    assert decimals_of("190") == 0
    assert decimals_of("两") is None
    assert Interval(1, 2).overlaps(Interval(2, 3))


@given(st.floats(1e-3, 1e9), st.floats(-0.9, 5), st.integers(1, 30))
def test_cagr_implied_end_round_trip(start, rate, years):
    end = growth.implied_end(start, rate, years)
    if end <= 0 or not math.isfinite(end) or end > 1e300:
        return
    assert growth.cagr(start, end, years) == pytest.approx(rate, abs=1e-9, rel=1e-9)
    assert growth.implied_start(end, rate, years) == pytest.approx(start, rel=1e-9)


@given(st.floats(1, 1e6), st.floats(1, 1e6), st.integers(1, 10))
def test_interpolation_stays_on_the_path(a, b, n):
    for k in range(n + 1):
        v = growth.interpolate(a, b, n, k)
        assert min(a, b) * (1 - 1e-9) <= v <= max(a, b) * (1 + 1e-9)
    assert growth.interpolate(a, b, n, n) == pytest.approx(b)


@given(st.floats(1, 1e4), st.floats(1, 1e4), st.integers(0, 3), st.integers(0, 3))
def test_interval_cagr_contains_point(a, b, da, db):
    ia, ib = printed_interval(round(a, da), da), printed_interval(round(b, db), db)
    rec = growth.cagr_iv(ia, ib, 3)
    assert rec.contains(growth.cagr(round(a, da), round(b, db), 3))
