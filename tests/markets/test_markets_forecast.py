import numpy as np
import pandas as pd
import pytest

from suanli.markets.config import ForecastConfig, Override
from suanli.markets.forecast import (
    apply_override,
    backtest,
    bass_cumulative,
    error_scale,
    fit_bass,
    fit_logistic,
    forecast_series,
    logistic,
    predict,
    reconcile_to_totals,
    score,
)


def test_backtest_known_answer_geometric():
    """An exact 20%/yr series: log-linear and drift forecasts are exact, naive is off by 20%."""
    y = 100 * 1.2 ** np.arange(8)
    bt = backtest(y, ["loglinear", "drift", "naive"], horizon=1, min_train=4)
    sc = score(bt).set_index("model")
    assert sc.loc["loglinear", "mape"] < 1e-8 and sc.loc["drift", "mape"] < 1e-8
    # naive forecast = last value, error = 1 - 1/1.2 of the actual
    assert sc.loc["naive", "mape"] == pytest.approx((1 - 1 / 1.2) * 100)
    # MASE of naive: |y_t - y_{t-1}| / mean |diff| of the training window
    assert sc.loc["naive", "mase"] > 1
    assert sc.loc["loglinear", "n_origins"] == 4


def test_forecast_series_selects_exact_model_and_interval():
    y = 50 * 1.3 ** np.arange(6)
    cfg = ForecastConfig(models=["loglinear", "naive"], min_train=3)
    f, sc, best = forecast_series(range(2020, 2026), y, cfg, to_year=2028)
    assert best == "loglinear"
    sel = f[f.selected].set_index("year")
    assert sel.loc[2028, "mean"] == pytest.approx(50 * 1.3 ** 8)
    assert (f.lo <= f["mean"] + 1e-9).all() and (f["mean"] <= f.hi + 1e-9).all()


def test_noisy_interval_contains_truth_mostly():
    rng = np.random.default_rng(1)
    hits = 0
    for _ in range(200):
        y = 100 * np.exp(0.2 * np.arange(10) + rng.normal(0, 0.05, 10))
        f, _, _ = forecast_series(range(10), y, ForecastConfig(models=["loglinear"], min_train=5, level=80),
                                  to_year=10)
        truth = 100 * np.exp(0.2 * 10 + rng.normal(0, 0.05))
        hits += bool(f.lo.iloc[0] <= truth <= f.hi.iloc[0])
    assert 0.7 <= hits / 200 <= 0.92


@pytest.mark.parametrize("model", ["ets", "theta", "arima"])
def test_statsmodels_models_forecast_growth_with_an_interval(model):
    rng = np.random.default_rng(3)
    y = 100 * np.exp(0.15 * np.arange(10) + rng.normal(0, 0.02, 10))
    mean, lo, hi = predict(model, y, 3)
    assert np.all(lo < mean) and np.all(mean < hi)
    # a 15%/yr series keeps growing, close to the trend
    assert mean[0] == pytest.approx(100 * np.exp(0.15 * 10), rel=0.1) and mean[2] > mean[0]


def test_statsmodels_models_refuse_gaps_and_short_series():
    """Stated points in 2024, 2025, 2028 are not a yearly series: only the year-aware models fit."""
    f, sc, best = forecast_series([2024, 2025, 2028], [50.0, 79.5, 266.9],
                                  ForecastConfig(models=["loglinear", "drift", "ets", "theta", "arima"], min_train=2),
                                  to_year=2030)
    assert set(f.model) == {"loglinear", "drift"}
    notes = sc.set_index("model")["note"]
    assert all("consecutive" in notes[m] for m in ("ets", "theta", "arima"))
    # the drift model's growth comes from the stated span: (266.9/50)^(1/4) per year
    d = f[f.model == "drift"].set_index("year")
    assert d.loc[2029, "mean"] == pytest.approx(266.9 * (266.9 / 50) ** 0.25)


def test_intervals_are_never_zero_width_and_contain_the_point():
    """Two stated points fit a trend exactly (no residual): the width then comes from the pooled
    backtest errors of other series, scaled by the square root of the years ahead."""
    errors = pd.DataFrame({"series": ["a", "a", "b", "b"], "model": ["loglinear"] * 4, "steps": [1.0, 3.0, 1.0, 4.0],
                           "log_error": [0.05, -0.12, 0.02, 0.3]})
    cfg = ForecastConfig(models=["loglinear"], min_train=2, level=80)
    f, sc, _ = forecast_series([2025, 2028], [100.0, 150.0], cfg, to_year=2030, errors=errors, series="c")
    assert (f.lo < f["mean"]).all() and (f["mean"] < f.hi).all()
    q = error_scale(errors, 80, model="loglinear")
    assert q == pytest.approx(0.15)  # |e|/sqrt(steps) = .05, .069, .02, .15 -> 80% quantile (higher)
    r = f.set_index("year")
    assert np.log(r.loc[2030, "hi"] / r.loc[2030, "mean"]) == pytest.approx(q * np.sqrt(2))
    # without any error information there is no interval rather than a zero-width one
    f2, _, _ = forecast_series([2025, 2028], [100.0, 150.0], cfg, to_year=2030)
    assert f2.lo.isna().all() and f2.hi.isna().all()


def test_backtest_scores_only_the_points_it_is_given_and_reports_coverage():
    years = [2020, 2021, 2022, 2023, 2024, 2025]
    y = 100 * 1.2 ** np.arange(6) * np.array([1, 1.03, 0.98, 1.02, 0.97, 1.01])
    bt = backtest(y, ["loglinear"], min_train=3, years=years)
    assert list(bt.steps) == [1.0, 1.0, 1.0] and bt.log_error.notna().all()
    _, sc, _ = forecast_series(years, y, ForecastConfig(models=["loglinear"], min_train=3), to_year=2027,
                               series="s")
    cov = float(sc.set_index("model").loc["loglinear", "coverage"])
    assert 0 <= cov <= 1


def test_logistic_and_bass_recover_parameters():
    t = np.arange(12.0)
    k, r, t0 = fit_logistic(t, logistic(t, 1.0, 0.6, 5.0))
    assert r == pytest.approx(0.6, rel=1e-6) and t0 == pytest.approx(5.0, rel=1e-6)
    m, p, q = fit_bass(t, bass_cumulative(t, 0.8, 0.03, 0.5))
    assert (m, p, q) == pytest.approx((0.8, 0.03, 0.5), rel=1e-3)
    # two stated shares fix a K=1 logistic exactly
    k, r, t0 = fit_logistic([2025, 2028], [0.296, 0.377])
    assert logistic(np.array([2025.0, 2028.0]), k, r, t0) == pytest.approx([0.296, 0.377])


def test_overrides_stay_visible():
    ov = Override(series="x:china:total", from_year=2025, cagr=0.3, note="analyst view")
    d = apply_override([2024, 2025], [100, 130], ov, 2027)
    assert d.override.all() and (d.method == "override:cagr").all()
    assert d.set_index("year").loc[2027, "mean"] == pytest.approx(130 * 1.3 ** 2)
    ov2 = Override(series="x:china:total", from_year=2025, target_year=2027, target_value=260)
    d2 = apply_override([2025], [130], ov2, 2027)
    assert d2.set_index("year").loc[2027, "mean"] == pytest.approx(260)
    with pytest.raises(ValueError):
        Override(series="x", from_year=2025)


def _seg(year, total, a, b, stated=("total",)):
    return [{"series": f"m:r:{s}", "metric": "m", "region": "r", "segment": s, "year": year, "value": v,
             "scaled_value": v / 10, "unit": "USD", "lo": np.nan, "hi": np.nan, "bound": "", "kind": "x",
             "method": "stated" if s in stated else "interpolate_geometric", "inputs": "", "edition": "e",
             "stated": s in stated, "metric_zh": "", "scaled_unit": "u"}
            for s, v in (("total", total), ("a", a), ("b", b))]


def test_segments_add_up_to_the_stated_total():
    s = pd.DataFrame(_seg(2024, 1251.0, 387.1, 1039.4) + _seg(2025, 50.0, 14.0, 25.2)
                     + _seg(2026, 100.0, 80.0, 40.0, stated=("total", "a")))
    out, rec = reconcile_to_totals(s, {"m": ("total", "a", "b")})
    for y in (2024, 2025, 2026):
        g = out[out.year == y].set_index("segment")
        assert g.loc["total", "value"] == s[(s.year == y) & (s.segment == "total")].value.iloc[0]
        assert g.drop(index="total").value.sum() == pytest.approx(g.loc["total", "value"])
    # 2024: segments above the total are scaled down; 2025: the gap is an explicit unallocated segment
    assert set(rec[rec.year == 2024].method) == {"scaled_to_total"}
    assert out[(out.year == 2025) & (out.segment == "unallocated")].value.iloc[0] == pytest.approx(10.8)
    # 2026: the stated segment a keeps its value; only b moves
    g = out[out.year == 2026].set_index("segment")
    assert g.loc["a", "value"] == 80.0 and g.loc["b", "value"] == pytest.approx(20.0)
