"""The checker on the seed facts reproduces research/seed-consistency.md; perturbations flag."""

import pytest
from markets_fixtures import EXTERNAL, FACTS, perturb

from suanli.markets.checks import run_checks, verdict_counts
from suanli.markets.series import build_series, load_observations


def by_ref(findings, ref):
    return findings[findings.seed_ref == ref]


def test_no_false_fail_on_seed(seed):
    _, _, f = seed
    assert verdict_counts(f)["FAIL"] == 0, f[f.verdict == "FAIL"][["title", "detail"]]


def test_numeric_warns_of_seed_consistency(seed):
    _, _, f = seed
    e02 = by_ref(f, "E02")
    assert len(e02) == 2 and set(e02.verdict) == {"WARN"}
    assert "2022-2027" in " ".join(e02.figures)
    assert by_ref(f, "G12").verdict.tolist() == ["WARN"]
    x01 = by_ref(f, "X01")
    assert x01.verdict.tolist() == ["WARN"]
    assert x01.recomputed.iloc[0] == pytest.approx(0.03653, abs=1e-5)
    assert x01.rel_error.iloc[0] == pytest.approx(0.2177, abs=1e-4)
    for ref, value in [("G11", 6.366), ("G13", 2.097), ("G18", 1.954), ("P05", 2.013)]:
        r = by_ref(f, ref)
        assert r.verdict.tolist() == ["APPROX"], ref
        assert r.recomputed.iloc[0] == pytest.approx(value, abs=1e-3)


def test_seed_passes_and_derived_values(seed):
    _, _, f = seed
    for ref in ["G01", "P01", "P02", "P03", "P04", "P08", "S01", "S02", "S03", "S04", "S05", "S07", "D01", "E01"]:
        assert set(by_ref(f, ref).verdict) == {"PASS"}, ref
    expected = {"C01": 416.49, "C04": 59.205, "G07": 27.714, "G09": 14.638, "G17": 132.216, "G21": 197.727,
                "G23": 57.364, "G15": 22.967, "P07": 101.659}
    for ref, v in expected.items():
        r = by_ref(f, ref)
        r = r[r.rule == "implied_level"]
        assert r.verdict.tolist() == ["INFO"], ref
        assert r.recomputed.iloc[0] == pytest.approx(v, abs=2e-3), ref
    assert by_ref(f, "C02").recomputed.iloc[0] == pytest.approx(38.935, abs=1e-3)
    assert by_ref(f, "C05").recomputed.iloc[0] == pytest.approx(17.756, abs=1e-3)
    assert by_ref(f, "G20").recomputed.iloc[0] == pytest.approx(43.032, abs=1e-3)
    assert by_ref(f, "G19").verdict.tolist() == ["PASS"]
    s02 = by_ref(f, "S02").iloc[0]
    assert s02.recomputed == pytest.approx(12.80, abs=0.01)  # flat Non-GenAI IaaS
    assert "0.83%" in s02.detail
    e03 = by_ref(f, "E03").iloc[0]
    assert e03.rel_error == pytest.approx(0.80, abs=0.02)  # +79..80% like-for-like revision
    e04 = by_ref(f, "E04").iloc[0]
    assert e04.rel_error == pytest.approx(0.014, abs=0.002)


def _run(tmp_path, cfg, facts_changes=None, ext_changes=None):
    facts = perturb(tmp_path, FACTS, facts_changes or {}, "facts.csv")
    ext = perturb(tmp_path, EXTERNAL, ext_changes or {}, "ext.csv")
    obs = load_observations(facts, cfg, ext)
    series, _ = build_series(obs, cfg)
    return run_checks(obs, cfg, series)


def test_negative_stated_growth(tmp_path, cfg):
    f = _run(tmp_path, cfg, {"cn_ai_server_market_yoy_2025": {"value": "38.2", "value_original": "38.2"}})
    assert by_ref(f, "G01").verdict.tolist() == ["FAIL"]


def test_negative_bases_disagree(tmp_path, cfg):
    ch = {"value": "2500", "value_original": "2,500"}
    f = _run(tmp_path, cfg, {"cn_intelligent_compute_2028": ch, "cn_intelligent_compute_2028__core": ch})
    assert "FAIL" in set(by_ref(f, "P01").verdict)


def test_negative_shares_over_100(tmp_path, cfg):
    ch = {"value": "57", "value_original": "57"}
    f = _run(tmp_path, cfg, {"cn_ai_integration_service_share_2028": ch})
    assert by_ref(f, "S01").verdict.tolist() == ["FAIL"]


def test_negative_same_window_clears_e02(tmp_path, cfg):
    f = _run(tmp_path, cfg, ext_changes={"prev_cn_intelligent_compute_cagr": {"period": "2023-2028"},
                                         "prev_cn_general_compute_cagr": {"period": "2023-2028"}})
    assert set(by_ref(f, "E02").verdict) == {"PASS"}


def test_negative_ten_fold(tmp_path, cfg):
    ch = {"value": "10", "value_original": "十", "quote": "五年间实现十倍增长"}
    f = _run(tmp_path, cfg, {"global_aidc_it_energy_5y_multiple": ch})
    assert by_ref(f, "G11").verdict.tolist() == ["FAIL"]


def test_negative_repeat_differs(tmp_path, cfg):
    f = _run(tmp_path, cfg, {"cn_intelligent_compute_cagr__core": {"value": "46.3", "value_original": "46.3"}})
    assert by_ref(f, "D01").verdict.tolist() == ["FAIL"]


def test_negative_city_above_national(tmp_path, cfg):
    f = _run(tmp_path, cfg, {"sh_intelligent_compute_target_2025": {"value": "1500", "value_original": "1500"}})
    assert by_ref(f, "S07").verdict.tolist() == ["FAIL"]


def test_without_previous_file_window_is_unknown(cfg):
    obs = load_observations(FACTS, cfg)
    f = run_checks(obs, cfg, build_series(obs, cfg)[0])
    assert set(by_ref(f, "E02").verdict) == {"INFO"}
    assert verdict_counts(f)["FAIL"] == 0


def test_price_ratio_within_band_is_approx_and_needs_fx(seed):
    from suanli.markets.checks import CheckContext, rule_price_ratio
    from suanli.markets.config import PriceComparison, default_config

    obs, series, _ = seed
    cfg = default_config()
    pc = cfg.price_comparisons[0]
    near = pc.model_copy(update={"reference": {"input": 4 / 0.03 / 7.3 * 1.05, "output": 16 / 0.03 / 7.3 * 1.05}})
    f = rule_price_ratio(CheckContext(obs, series, cfg.model_copy(update={"price_comparisons": [near]})))
    assert [x.verdict for x in f] == ["APPROX"]
    no_fx = pc.model_copy(update={"fx": {}})
    f = rule_price_ratio(CheckContext(obs, series, cfg.model_copy(update={"price_comparisons": [no_fx]})))
    assert [x.verdict for x in f] == ["INFO"] and "fx" in f[0].detail
    with pytest.raises(ValueError, match="same roles"):
        PriceComparison(id="x", claim="c", prices={"input": "a"}, reference={"output": 1.0}, reference_name="r",
                        source="s")
