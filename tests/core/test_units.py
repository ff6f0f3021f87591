import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanli.units import (
    UnitError,
    convert_flops,
    flops_factor,
    is_missing,
    parse_flops,
    parse_number,
    parse_number_full,
    parse_number_series,
    parse_period,
)


@pytest.mark.parametrize(
    "text,value",
    [
        ("2.2万", 22000.0),
        ("１，０３７．３", 1037.3),
        ("1,037.3", 1037.3),
        ("46.2%", 0.462),
        ("３亿", 3e8),
        ("559.89亿", 559.89e8),
        ("1.2万亿", 1.2e12),
        ("  42 ", 42.0),
        ("-5", -5.0),
        ("1e3", 1000.0),
        (7, 7.0),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["", "—", "N/A", "-", "暂无", "n/a", "NA", None, float("nan"), "——", "–"])
def test_missing_tokens(text):
    assert is_missing(text)
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["abc", "1,2", "12,34.5", "1.2.3", "二十"])
def test_bad_numbers_raise_with_guidance(text):
    with pytest.raises(UnitError) as e:
        parse_number(text)
    assert str(text) in str(e.value)


def test_qualifiers():
    p = parse_number_full("超过2022亿")
    assert p.value == pytest.approx(2022e8) and p.qualifier == ">"
    assert parse_number_full("约3%").qualifier == "~"


def test_series_fast_path_and_errors():
    s = pd.Series(["1", "2.2万", "—", "x", "1,000"], dtype=object)
    arr, errs = parse_number_series(s)
    assert arr[0] == 1 and arr[1] == 22000 and math.isnan(arr[2]) and arr[4] == 1000
    assert [p for p, _ in errs] == [3]


def test_flops_conversions_both_ways():
    assert convert_flops(2.2, "万P", "EFLOPS") == pytest.approx(22.0)
    assert convert_flops(22.0, "EFLOPS", "万P") == pytest.approx(2.2)
    assert convert_flops(1, "千P", "EFLOPS") == pytest.approx(1.0)
    assert convert_flops(989.5, "TFLOPS", "PFLOPS") == pytest.approx(0.9895)
    assert convert_flops(0.9895, "PFLOPS", "TFLOPS") == pytest.approx(989.5)
    assert convert_flops(3000, "P", "E") == pytest.approx(3.0)
    assert flops_factor("EFLOPS") == 1e18 and flops_factor("P") == 1e15


def test_parse_flops_units_and_sparsity():
    f = parse_flops("2.2万P")
    assert f.flops == pytest.approx(2.2e19) and not f.sparse
    assert parse_flops("1.1 EFLOPS").to("PFLOPS") == pytest.approx(1100)
    s = parse_flops("1,979*", default_unit="TFLOPS")
    assert s.sparse and s.flops == pytest.approx(1.979e15)
    assert parse_flops("3000P以上").qualifier == ">="
    with pytest.raises(UnitError, match="no unit"):
        parse_flops("989.5")
    with pytest.raises(UnitError, match="TOPS"):
        parse_flops("130 TOPS")


@pytest.mark.parametrize(
    "text,label", [("2024", "2024"), ("2024H1", "2024H1"), ("2024 h2", "2024H2"), ("2024上半年", "2024H1"),
                   ("２０２４Ｈ１", "2024H1"), (2023, "2023"), ("2023.0", "2023")]
)
def test_periods(text, label):
    assert parse_period(text).label == label


@pytest.mark.parametrize("text", ["2024Q1", "2024H3", "24H1", "H1 2024"])
def test_bad_periods(text):
    with pytest.raises(UnitError):
        parse_period(text)


@given(st.floats(min_value=1e-3, max_value=1e9, allow_nan=False), st.sampled_from(["万", "亿", "千", ""]))
def test_wan_round_trip(x, suffix):
    mult = {"万": 1e4, "亿": 1e8, "千": 1e3, "": 1.0}[suffix]
    assert parse_number(f"{x!r}{suffix}") == pytest.approx(x * mult, rel=1e-12)


@given(st.floats(min_value=1e-6, max_value=1e9), st.sampled_from(["TFLOPS", "PFLOPS", "EFLOPS", "P", "E", "万P", "千P"]),
       st.sampled_from(["TFLOPS", "PFLOPS", "EFLOPS", "P", "E", "万P", "千P"]))
def test_flops_round_trip(x, a, b):
    assert convert_flops(convert_flops(x, a, b), b, a) == pytest.approx(x, rel=1e-12)


def test_fullwidth_series():
    arr, errs = parse_number_series(pd.Series(["１２３", "４．５万"]))
    assert not errs and np.allclose(arr, [123, 45000])
