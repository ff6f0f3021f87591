"""Acceptance: nominal 95% intervals cover the truth in 93–97% of 2,000 simulated surveys.

Each simulation is vectorised: the answers of all 2,000 surveys form one (2000, n) array and the
production estimator (``share_interval``) runs once over it. Seeds are fixed.
"""

from __future__ import annotations

import numpy as np
import pytest

from suanli.edition import load_edition
from suanli.survey.estimates import share_interval
from suanli.survey.stage import load_inputs
from suanli.survey.weights import compute_weights

SIMS = 2000
LOW, HIGH = 0.93, 0.97


def coverage(r: dict, truth) -> float:
    return float(np.mean((r["ci_low"] <= truth) & (truth <= r["ci_high"])))


@pytest.mark.parametrize(("n", "p"), [(150, 0.30), (400, 0.42), (1000, 0.17)])
def test_wilson_unweighted_coverage(n, p):
    rng = np.random.default_rng(20250 + n)
    y = (rng.random((SIMS, n)) < p).astype(float)
    cov = coverage(share_interval(y), p)
    assert LOW <= cov <= HIGH, cov


def test_weighted_linearised_coverage_stratified_design():
    # disproportionate stratified sample: weights W_h/n_h, answers differ by stratum (weights and
    # answers are correlated, which Kish's n_eff ignores and the linearised variance captures)
    rng = np.random.default_rng(7)
    nh = np.array([400, 300, 200, 100])
    Wh = np.array([0.1, 0.2, 0.3, 0.4])
    ph = np.array([0.6, 0.4, 0.3, 0.2])
    codes = np.repeat(np.arange(4), nh)
    w = (Wh / nh)[codes] * 1000
    truth = float(Wh @ ph)
    y = (rng.random((SIMS, nh.sum())) < ph[codes]).astype(float)
    for strata in (codes, None):
        cov = coverage(share_interval(y, w, strata=strata, method="linearised"), truth)
        assert LOW <= cov <= HIGH, (strata is not None, cov)


def test_weighted_kish_coverage_weights_unrelated_to_answers():
    # Kish's n_eff is the right correction when weights do not predict the answer
    rng = np.random.default_rng(11)
    n, p = 800, 0.3
    w = np.exp(rng.normal(0.0, 0.7, n))
    y = (rng.random((SIMS, n)) < p).astype(float)
    for method in ("kish", "linearised"):
        cov = coverage(share_interval(y, w, method=method), p)
        assert LOW <= cov <= HIGH, (method, cov)


def test_coverage_with_the_editions_raked_weights():
    # the shipped synthetic sample with its final (raked, trimmed) weights; answers are redrawn
    # 2,000 times from a model where the probability depends on industry and size
    ed = load_edition()
    inp = load_inputs(ed)
    w = compute_weights(inp.data, inp.margins, ed.survey.weighting).final
    df = inp.data.respondents
    eff = (df["size"].map({"small": -0.6, "medium": -0.2, "large": 0.3, "very_large": 0.8}).to_numpy()
           + df["industry"].map({"internet": 0.7, "finance": 0.5}).fillna(0.0).to_numpy())
    pi = 1 / (1 + np.exp(-(eff - 0.4)))
    truth = float(w @ pi / w.sum())
    rng = np.random.default_rng(3)
    y = (rng.random((SIMS, len(pi))) < pi).astype(float)
    codes = df["size"].factorize()[0]
    for method, strata in (("linearised", codes), ("kish", None)):
        cov = coverage(share_interval(y, w, strata=strata, method=method), truth)
        assert LOW <= cov <= HIGH, (method, cov)
