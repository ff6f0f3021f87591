"""Raking (iterative proportional fitting) and trimming."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from suanli.errors import InputError
from suanli.survey.config import TrimConfig, WeightingConfig
from suanli.survey.data import SurveyData
from suanli.survey.weights import compute_weights, kish_n_eff, rake


def make_data(rng, n=500):
    df = pd.DataFrame({
        "respondent_id": [f"r{i}" for i in range(n)],
        "size": rng.choice(["s", "m", "l"], n, p=[0.2, 0.3, 0.5]),
        "region": rng.choice(["e", "w"], n, p=[0.7, 0.3]),
        "design_weight": rng.uniform(1, 4, n),
        "_line": np.arange(2, n + 2),
    })
    return SurveyData("resp.csv", df, ["size", "region"], None)


MARGINS = {"size": {"s": 0.5, "m": 0.3, "l": 0.2}, "region": {"e": 0.5, "w": 0.5}}


def shares(w, vals, levels):
    return np.array([w[vals == lv].sum() for lv in levels]) / w.sum()


def test_rake_converges_to_margins():
    rng = np.random.default_rng(3)
    d = make_data(rng)
    wt = compute_weights(d, MARGINS, WeightingConfig(rake_on=["size", "region"], trim=None, tol=1e-10))
    assert wt.converged
    raked = wt.steps.set_index("step").loc["raked"]
    assert raked["max_margin_error"] <= 1e-10 and raked["iterations"] >= 2
    for v, m in MARGINS.items():
        assert shares(wt.final, d.respondents[v].to_numpy(), list(m)) == pytest.approx(list(m.values()), abs=1e-9)
    assert wt.final.sum() == pytest.approx(d.design_weight.sum())  # total kept
    fit = wt.margins
    assert fit["abs_error"].max() < 1e-9 and set(fit["variable"]) == {"size", "region"}
    assert fit["design_weighted"].sub(fit["target"]).abs().max() > 0.05  # raking had work to do


def test_rake_core_history_decreases_and_two_way_table():
    # 2×2 table: IPF on a product-form target converges to the known cell solution
    codes = [np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])]
    r = rake(np.ones(4), codes, [np.array([0.6, 0.4]), np.array([0.3, 0.7])], tol=1e-12)
    assert r.converged and r.max_error <= 1e-12
    assert r.weights / r.weights.sum() == pytest.approx([0.18, 0.42, 0.12, 0.28])
    assert all(b <= a + 1e-15 for a, b in zip(r.history, r.history[1:], strict=False))


def test_rake_already_at_margins_needs_no_sweep():
    r = rake(np.ones(4), [np.array([0, 0, 1, 1])], [np.array([0.5, 0.5])])
    assert r.iterations == 0 and r.converged


def test_rake_reports_non_convergence():
    r = rake(np.array([1.0, 5.0, 3.0, 1.0]), [np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])],
             [np.array([0.6, 0.4]), np.array([0.3, 0.7])], max_iter=1, tol=1e-12)
    assert r.iterations == 1 and not r.converged


def test_trimming_caps_and_margins_hold():
    rng = np.random.default_rng(5)
    d = make_data(rng, 800)
    d.respondents.loc[:4, "design_weight"] = 60.0  # a few huge weights
    margins = {"size": {"s": 0.4, "m": 0.3, "l": 0.3}, "region": {"e": 0.6, "w": 0.4}}
    wt = compute_weights(d, margins, WeightingConfig(rake_on=["size", "region"],
                                                     trim=TrimConfig(max_ratio=3.0, min_ratio=0.3)))
    assert wt.converged, wt.steps
    assert wt.final.max() / wt.final.mean() <= 3.0 + 1e-6 and wt.final.min() / wt.final.mean() >= 0.3 - 1e-6
    assert wt.raked.max() / wt.raked.mean() > 3.0
    for v, m in margins.items():
        assert shares(wt.final, d.respondents[v].to_numpy(), list(m)) == pytest.approx(list(m.values()), abs=1e-7)
    assert wt.final.sum() == pytest.approx(d.design_weight.sum())
    assert kish_n_eff(wt.final) > kish_n_eff(wt.raked)  # trimming buys effective sample size


def test_infeasible_caps_are_reported():
    # 37 small-west respondents cannot carry half the population under a 3x cap: say so, do not hide it
    rng = np.random.default_rng(5)
    d = make_data(rng, 800)
    wt = compute_weights(d, MARGINS, WeightingConfig(rake_on=["size", "region"],
                                                     trim=TrimConfig(max_ratio=3.0, min_ratio=0.3, max_rounds=2)))
    assert not wt.converged
    assert "could not both be met" in wt.messages[-1]
    assert wt.steps.iloc[-1]["max_margin_error"] > 1e-3


def test_unknown_level_names_file_row_column():
    rng = np.random.default_rng(7)
    d = make_data(rng, 20)
    d.respondents.loc[3, "region"] = "north"
    with pytest.raises(InputError) as e:
        compute_weights(d, MARGINS, WeightingConfig(rake_on=["size", "region"]), margins_path="m.csv")
    p = e.value.problems[0]
    assert p.file == "resp.csv" and p.row == 5 and p.column == "region" and "north" in p.message


def test_level_without_respondents():
    rng = np.random.default_rng(8)
    d = make_data(rng, 50)
    d.respondents["size"] = "s"
    with pytest.raises(InputError, match="no respondents"):
        compute_weights(d, MARGINS, WeightingConfig(rake_on=["size", "region"]), margins_path="m.csv")


def test_config_rejects_unknown_rake_variable():
    from pydantic import ValidationError

    from suanli.survey.config import SurveyConfig

    with pytest.raises(ValidationError, match="not in strata"):
        SurveyConfig(strata=["size"], weighting=WeightingConfig(rake_on=["region"]), variance_strata=[], by=[])
