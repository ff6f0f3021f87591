import numpy as np
import pandas as pd
import pytest

from suanli.markets.config import ForecastConfig, Override
from suanli.markets.forecast import (
    apply_override,
    backtest,
    bass_cumulative,
    fit_bass,
    fit_logistic,
    forecast_series,
    logistic,
    reconcile,
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


def test_statsforecast_models_run():
    y = 100 * 1.15 ** np.arange(8)
    f, sc, _ = forecast_series(range(8), y, ForecastConfig(models=["ets", "theta"], min_train=5), to_year=10)
    assert set(f.model) == {"ets", "theta"} and f["mean"].notna().all()


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


def test_reconcile_scales_segments():
    s = pd.DataFrame({"metric": "m", "region": "r", "year": 2025, "segment": ["total", "a", "b"],
                      "value": [100.0, 30.0, 60.0]})
    r = reconcile(s, {"m": ("total", "a", "b")}).set_index("segment")
    assert r.loc["a", "gap"] == pytest.approx(10) and r.reconciled.sum() == pytest.approx(100)
