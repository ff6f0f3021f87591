"""Property tests (hypothesis) for every parser: numbers with Chinese units, FLOPS unit strings,
periods, model aliases and region names.

Two kinds of property: *robustness* (any text either parses or raises the parser's own error, never
anything else) and *meaning* (a value written in any accepted spelling reads back as that value).
"""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from suanli.units import (
    CN_MAGNITUDES,
    MISSING_TOKENS,
    UnitError,
    convert_flops,
    flops_factor,
    parse_flops,
    parse_number,
    parse_period,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)
#: text made of the characters real cells contain, plus arbitrary unicode
cellish = st.one_of(
    st.text(alphabet="0123456789０１２３４５６７８９.,，。%％+-−—–eE 万亿千百十PpTtEeFLOPSflops*()（）约超过近年上下半HhQq/", max_size=16),
    st.text(max_size=16),
)


def fullwidth(s: str) -> str:
    """ASCII → full-width forms (what a Chinese IME produces)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


# ------------------------------------------------------------------------------------------- numbers
@SETTINGS
@given(cellish)
@example("1e999")
@example("-0")
@example("٣")  # Arabic-Indic digit
@example("1_000")
def test_parse_number_only_raises_unit_error(text):
    try:
        v = parse_number(text)
    except UnitError:
        return
    assert v is None or (isinstance(v, float) and math.isfinite(v))


@SETTINGS
@given(finite)
def test_plain_numbers_round_trip(x):
    assert parse_number(repr(x)) == pytest.approx(x, rel=1e-12, abs=0)


@SETTINGS
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda v: round(v, 3)),
       st.sampled_from(sorted(CN_MAGNITUDES)))
def test_chinese_magnitudes(x, word):
    assert parse_number(f"{x}{word}") == pytest.approx(x * CN_MAGNITUDES[word], rel=1e-12)


@SETTINGS
@given(st.integers(min_value=-10**12, max_value=10**12), st.booleans())
def test_thousands_separators_and_fullwidth(n, wide):
    text = f"{n:,}"
    if wide:
        text = fullwidth(text)
    assert parse_number(text) == n


@SETTINGS
@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False).map(lambda v: round(v, 4)), st.booleans())
def test_percent_strings(x, wide):
    text = f"{x}%"
    assert parse_number(fullwidth(text) if wide else text) == pytest.approx(x / 100, rel=1e-12, abs=1e-15)


@given(st.sampled_from(sorted(MISSING_TOKENS)), st.sampled_from(["", " ", "\u3000"]))
def test_missing_markers(token, pad):
    assert parse_number(pad + token + pad) is None
    assert parse_number(token.upper()) is None


# -------------------------------------------------------------------------------------------- FLOPS
UNITS = ["FLOPS", "KFLOPS", "MFLOPS", "GFLOPS", "TFLOPS", "PFLOPS", "EFLOPS", "ZFLOPS", "P", "E", "T", "万P", "千P",
         "亿P", "pflops", "PFLOP/s", "Ｐ"]


@SETTINGS
@given(cellish, st.sampled_from([None, "TFLOPS", "P"]))
@example("1,979*", None)
@example("2.2万P", None)
@example("1e400 P", None)
@example("9" * 300 + " ZFLOPS", None)
@example("9" * 300 + "万亿", "亿P")
def test_parse_flops_only_raises_unit_error(text, default):
    try:
        f = parse_flops(text, default_unit=default)
    except UnitError:
        return
    assert f is None or math.isfinite(f.flops)


@SETTINGS
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda v: round(v, 3)), st.sampled_from(UNITS),
       st.booleans())
def test_flops_value_and_unit(x, unit, sparse):
    f = parse_flops(f"{x} {unit}" + ("*" if sparse else ""))
    assert f is not None and f.sparse == sparse
    assert f.flops == pytest.approx(x * flops_factor(unit), rel=1e-12)


@SETTINGS
@given(positive, st.sampled_from(UNITS), st.sampled_from(UNITS))
def test_convert_flops_round_trip(x, a, b):
    assert convert_flops(convert_flops(x, a, b), b, a) == pytest.approx(x, rel=1e-12)


def test_chinese_P_is_pflops_and_tops_is_refused():
    assert convert_flops(2.2, "万P", "EFLOPS") == pytest.approx(22.0)
    assert parse_flops("1P").flops == 1e15
    with pytest.raises(UnitError, match="TOPS"):
        parse_flops("100 TOPS")


# ------------------------------------------------------------------------------------------ periods
@SETTINGS
@given(cellish)
@example("2024Q5")
@example("2024H3")
@example("99999")
def test_parse_period_only_raises_unit_error(text):
    try:
        p = parse_period(text)
    except UnitError:
        return
    assert 1900 <= p.year <= 2099 and p.half in (0, 1, 2)


@SETTINGS
@given(st.integers(min_value=1900, max_value=2099), st.sampled_from([0, 1, 2]), st.booleans(), st.booleans())
def test_period_spellings(year, half, wide, chinese):
    if half == 0:
        text = f"{year}年" if chinese else str(year)
    elif chinese:
        text = f"{year}年{'上' if half == 1 else '下'}半年"
    else:
        text = f"{year}H{half}"
    if wide:
        text = fullwidth(text)
    p = parse_period(text)
    assert (p.year, p.half) == (year, half)
    assert parse_period(p.label) == p


def test_quarters_are_refused_with_advice():
    with pytest.raises(UnitError, match="quarter"):
        parse_period("2024Q3")


# ------------------------------------------------------------------------------------ model aliases
@pytest.fixture(scope="module")
def catalog():
    from suanli.capacity.catalog import Catalog

    return Catalog.bundled()


def _models(kind):
    from suanli.capacity.catalog import Catalog

    cat = Catalog.bundled()
    return sorted((cat.accelerators if kind == "accelerator" else cat.cpus)["model"])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([("accelerator", m) for m in _models("accelerator")] + [("cpu", m) for m in _models("cpu")]),
       st.sampled_from(["", "upper", "lower", "fullwidth", "vendor", "dashes", "spaces"]))
def test_every_catalog_model_resolves_under_its_spellings(catalog, km, variant):
    kind, model = km
    text = {"": model, "upper": model.upper(), "lower": model.lower(), "fullwidth": fullwidth(model),
            "vendor": ("NVIDIA " if kind == "accelerator" else "Intel ") + model,
            "dashes": model.replace(" ", "-"), "spaces": "  " + model.replace(" ", "  ") + " "}[variant]
    try:
        got = catalog.resolve(text, kind)
    except LookupError as exc:  # only acceptable when a spelling variant made the name ambiguous
        assert "ambiguous" in str(exc) and variant, (text, exc)
        return
    assert got == model, (text, got)


@settings(max_examples=300, deadline=None)
@given(cellish, st.sampled_from(["accelerator", "cpu"]))
@example("", "accelerator")
@example("(", "accelerator")
@example("GPU", "accelerator")
def test_resolve_only_raises_lookup_error(catalog, text, kind):
    try:
        got = catalog.resolve(text, kind)
    except LookupError:
        return
    models = set((catalog.accelerators if kind == "accelerator" else catalog.cpus)["model"])
    assert got in models


# ------------------------------------------------------------------------------------- region names
def test_province_spellings():
    from suanli.regions import PROVINCES, canonical_province

    for short, (full, en) in PROVINCES.items():
        for s in (short, full, en, en.upper(), en.lower(), fullwidth(en), f" {full} "):
            assert canonical_province(s) == short, s


@SETTINGS
@given(st.text(max_size=12))
def test_region_canonicalisation_is_idempotent(text):
    from suanli.regions import canonical_city, canonical_province, region_key

    for f in (canonical_province, canonical_city, region_key):
        once = f(text)
        assert f(once) == once
        assert once == unicodedata.normalize("NFKC", once)


@given(st.sampled_from(["北京", "北京市", "Beijing", "BEIJING", "ｂｅｉｊｉｎｇ", " 北京市 "]))
def test_beijing_is_one_place(name):
    from suanli.regions import region_key

    assume(name.strip())
    assert region_key(name) == "北京"
