"""Number and unit formatting per language."""

from __future__ import annotations

from suanli.report import fmt


def test_eflops_and_rounding_as_printed():
    assert fmt.eflops(1037.305562) == "1,037.3 EFLOPS"
    assert fmt.number(2.25, 1) == "2.3"  # half up, not banker's rounding
    assert fmt.number(-0.04, 1) == "0.0"
    assert fmt.pct(0.462) == "46.2%"
    assert fmt.pct(0.0201, 1, signed=True) == "+2.0%"


def test_money_zh_en_same_precision():
    assert fmt.usd(79.5e8, "zh") == "79.5亿美元"
    assert fmt.usd(79.5e8, "en") == "USD 7.95 bn"
    assert fmt.usd(2227e8, "zh", 0) == "2,227亿美元"
    assert fmt.usd(2227e8, "en", 0) == "USD 222.7 bn"
    assert fmt.value(266.9, "亿美元", "en") == "USD 26.69 bn"


def test_city_compute_wan_p():
    assert fmt.pflops_wan(22.0, "zh") == "2.2万P"
    assert fmt.pflops_wan(22.0, "en") == "22 EFLOPS"
    assert fmt.pflops_wan(0.5, "zh") == "500P"


def test_energy_and_counts():
    assert fmt.twh(77.7, "zh") == "77.7太瓦时"
    assert fmt.twh(77.7, "en") == "77.7 TWh"
    assert fmt.count(632300, "zh") == "63.2万"
    assert fmt.count(632300, "en") == "632,300"
    assert fmt.number(None) == "—"


def test_scientific_notation_as_printed():
    from suanli.report import fmt

    assert fmt.sci(3.15e23) == "3.15×10²³"
    assert fmt.sci(2.5e-3, 2) == "2.5×10⁻³"
    assert fmt.sci(None) == "—" and fmt.sci(float("nan")) == "—"


def test_names_listed_as_a_sentence_lists_them():
    from suanli.report import fmt

    assert fmt.listing(["北京", "上海", "广东"], "zh") == "北京、上海、广东"
    assert fmt.listing(["Beijing", "Shanghai", "Guangdong"], "en") == "Beijing, Shanghai and Guangdong"
    assert fmt.listing(["Xiamen"], "en") == "Xiamen" and fmt.listing([], "en") == ""
