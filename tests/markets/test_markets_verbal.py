from suanli.markets.verbal import VerbalConfig, band_verdict, cn_numeral, parse_verbal


def test_numerals():
    assert cn_numeral("六") == 6 and cn_numeral("十二") == 12 and cn_numeral("四十") == 40 and cn_numeral("两") == 2


def test_phrases():
    assert parse_verbal("两", "倍", "是2023年能耗量的两倍").value == 2
    assert parse_verbal("翻番", "", "将翻番至393.9ZB").value == 2
    v = parse_verbal("三分之一", "", "近三分之一")
    assert abs(v.value - 1 / 3) < 1e-12
    assert parse_verbal("六", "成", "近六成").value == 0.6
    assert parse_verbal("1.77", "倍", "") is None  # a printed number is not verbal


def test_growth_n_times_is_configurable():
    q = "五年间实现六倍增长"
    both = parse_verbal("六", "倍", q, VerbalConfig(growth_reading="both"))
    assert both.value == 6 and both.alternatives == [7]
    assert parse_verbal("六", "倍", q, VerbalConfig(growth_reading="by")).value == 7
    to = parse_verbal("六", "倍", q, VerbalConfig(growth_reading="to"))
    assert to.value == 6 and to.alternatives == []


def test_bands():
    assert band_verdict(6, 6.366)[0] == "APPROX"
    assert band_verdict(3, 3.653)[0] == "WARN"
    assert band_verdict(10, 6.366)[0] == "FAIL"
    assert band_verdict(6, 6.366, VerbalConfig(approx_band=0.05))[0] == "WARN"
