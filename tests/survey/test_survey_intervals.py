"""Hand-computed Wilson and weighted (Kish / linearised) intervals, multi-select and ranked estimates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from suanli.survey.data import read_respondents
from suanli.survey.estimates import (
    collapse_singletons,
    estimate_answers,
    linearised_variance,
    ranked_summary,
    share_interval,
    wilson_interval,
)

Z = 1.959963984540054


def wilson_by_hand(x: float, n: float, z: float = Z) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_wilson_hand_computed():
    # 42 of 100: centre 0.42296, half-width 0.09498 (worked by hand in docs/survey.md)
    lo, hi = wilson_interval(42, 100)
    assert lo == pytest.approx(0.32798, abs=5e-5) and hi == pytest.approx(0.51794, abs=5e-5)
    assert (lo, hi) == pytest.approx(wilson_by_hand(42, 100), abs=1e-12)
    # edge cases: 0 of 10 and 10 of 10 stay inside [0, 1]; n = 0 gives NaN
    lo0, hi0 = wilson_interval(0, 10)
    assert lo0 == pytest.approx(0) and hi0 == pytest.approx(Z**2 / (10 + Z**2))
    lo1, hi1 = wilson_interval(10, 10)
    assert hi1 == pytest.approx(1) and lo1 == pytest.approx(10 / (10 + Z**2))
    assert np.isnan(wilson_interval(0, 0)[0])


def test_wilson_vectorised_matches_statsmodels():
    x = np.array([3, 17, 42, 99])
    n = np.array([10, 100, 100, 100])
    lo, hi = wilson_interval(x, n, 0.9)
    slo, shi = proportion_confint(x, n, alpha=0.1, method="wilson")
    assert np.allclose(lo, slo) and np.allclose(hi, shi)


def test_unweighted_share_interval():
    y = np.array([1, 0, 1, 1, 0, 0, 0, 1, 0, 0], dtype=float)
    r = share_interval(y)
    assert r["share"] == 0.4 and r["n"] == 10 and r["method"] == "wilson"
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(wilson_by_hand(4, 10))


def test_weighted_kish_by_hand():
    y = np.array([1, 0, 1, 0], dtype=float)
    w = np.array([1, 1, 2, 4], dtype=float)
    r = share_interval(y, w, method="kish")
    assert r["share"] == pytest.approx(3 / 8)
    n_eff = 8**2 / (1 + 1 + 4 + 16)  # (Σw)²/Σw² = 64/22
    assert r["n_eff"] == pytest.approx(n_eff)
    assert r["deff"] == pytest.approx(4 / n_eff)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(wilson_by_hand(3 / 8 * n_eff, n_eff))


def test_weighted_linearised_by_hand():
    y = np.array([1, 0, 1, 0], dtype=float)
    w = np.array([1, 1, 2, 4], dtype=float)
    p = 3 / 8
    z = w * (y - p) / 8  # 0.078125, -0.046875, 0.15625, -0.1875 (sum 0)
    v = 4 / 3 * np.sum((z - z.mean()) ** 2)  # = 0.0904948
    assert v == pytest.approx(0.0904948, abs=1e-7)
    assert linearised_variance(y, w) == pytest.approx(v)
    r = share_interval(y, w, method="linearised")
    n_eff = p * (1 - p) / v  # 2.58993
    assert r["n_eff"] == pytest.approx(n_eff) and r["se"] == pytest.approx(math.sqrt(v))
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(wilson_by_hand(p * n_eff, n_eff))


def test_linearised_stratified_by_hand():
    y = np.array([1, 0, 1, 1, 0, 0], dtype=float)
    w = np.array([1, 1, 1, 3, 3, 3], dtype=float)
    strata = np.array([0, 0, 0, 1, 1, 1])
    W, p = 12.0, (1 + 1 + 3) / 12
    z = w * (y - p) / W
    v = sum(3 / 2 * np.sum((z[strata == h] - z[strata == h].mean()) ** 2) for h in (0, 1))
    assert linearised_variance(y, w, strata) == pytest.approx(v)
    # with equal weights and no strata, the linearised variance is p(1-p)/(n-1)
    y2 = np.array([1, 0, 0, 1, 0], dtype=float)
    assert linearised_variance(y2, np.ones(5)) == pytest.approx(0.4 * 0.6 / 4)


def test_singleton_strata_are_pooled():
    assert collapse_singletons(np.array([5, 5, 7, 9, 9])).tolist() == [0, 0, 0, 1, 1]  # lone 7 joins the largest
    assert collapse_singletons(np.array([1, 2, 3, 3])).tolist() == [1, 1, 0, 0]  # lone 1 and 2 pooled


def test_zero_share_falls_back_to_kish():
    r = share_interval(np.zeros(50), np.linspace(1, 2, 50))
    assert r["share"] == 0 and r["ci_low"] == 0 and 0 < r["ci_high"] < 0.1


def test_vectorised_over_leading_axis():
    rng = np.random.default_rng(0)
    y = (rng.random((5, 40)) < 0.3).astype(float)
    w = rng.uniform(1, 3, 40)
    r = share_interval(y, w)
    for i in range(5):
        ri = share_interval(y[i], w)
        assert r["ci_low"][i] == pytest.approx(ri["ci_low"]) and r["n_eff"][i] == pytest.approx(ri["n_eff"])


def test_domain_is_subset_with_full_design():
    rng = np.random.default_rng(1)
    y = (rng.random(60) < 0.5).astype(float)
    w = rng.uniform(1, 2, 60)
    dom = np.arange(60) < 30
    r = share_interval(y, w, domain=dom)
    assert r["share"] == pytest.approx(np.sum(w[dom] * y[dom]) / w[dom].sum()) and r["n"] == 30


def test_multi_select_and_ranked(questionnaire, write):
    text = ("respondent_id,industry,size,design_weight,stage,spend.now,spend.18m,load\n"
            "r1,a,x,1,prod,hw;sw,hw,video>kg\n"
            "r2,a,x,1,test,hw,sw,kg>video\n"
            "r3,b,y,2,none,hw;sw;cloud,hw,video>image\n"
            "r4,b,y,2,none,,hw,video\n")
    d = read_respondents(write("r.csv", text), questionnaire, strata=["industry", "size"])
    w = d.design_weight
    est = estimate_answers(d, w, "spend", "now")
    s = dict(zip(est["option_id"], est["share"], strict=True))
    # base: r1-r3 (weights 1,1,2): hw 4/4, sw 3/4, cloud 2/4; multi-select shares add up to more than 1
    assert s == pytest.approx({"hw": 1.0, "sw": 0.75, "cloud": 0.5})
    assert est["n"].tolist() == [3, 3, 3] and est["n_selected"].tolist() == [3, 2, 1]
    assert est["share_unweighted"].tolist() == pytest.approx([1, 2 / 3, 1 / 3])
    assert est["order"].tolist() == [1, 2, 3]
    rk = ranked_summary(d, w, "load", "now", top_k=2).set_index("option_id")
    # video ranked 1 (w1), 2 (w1), 1 (w2), 1 (w2): mean rank (1+2+2+2)/6 = 7/6
    assert rk.loc["video", "mean_rank"] == pytest.approx(7 / 6)
    assert rk.loc["video", "top1_share"] == pytest.approx(5 / 6)
    assert rk.loc["kg", "topk_share"] == pytest.approx(2 / 6)
    assert rk.loc["image", "mean_rank"] == pytest.approx(2.0)
    top = estimate_answers(d, w, "load", "now", top_k=2)
    assert set(top["statistic"]) == {"top1", "top2"}
