"""Forecasts of yearly market series, model choice by rolling-origin backtest.

Models for levels: ``loglinear`` (OLS on log y), ``drift`` (random walk with drift on log y),
``naive``, ``ets``, ``arima``, ``theta`` (statsforecast, imported lazily: numba JIT is slow to
load and must stay out of other commands). Saturation models for shares: ``logistic`` and
``bass``. Intervals are at ``level``%. Analyst overrides (a CAGR or a target level) are kept as
separate, visibly labelled rows. :func:`reconcile` puts top-down (total) and bottom-up
(Σ segments) side by side and scales segments to the total.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from . import growth
from .config import ForecastConfig, Override


def _z(level: int) -> float:
    return float(stats.norm.ppf(0.5 + level / 200))


def _loglinear(y: np.ndarray, h: int, level: int):
    t = np.arange(len(y), dtype=float)
    ly = np.log(y)
    b, a = np.polyfit(t, ly, 1)
    fit = a + b * t
    dof = max(len(y) - 2, 1)
    s = math.sqrt(float(np.sum((ly - fit) ** 2)) / dof) if len(y) > 2 else 0.0
    tf = np.arange(len(y), len(y) + h, dtype=float)
    mean = a + b * tf
    tbar, sxx = t.mean(), float(np.sum((t - t.mean()) ** 2))
    se = s * np.sqrt(1 + 1 / len(y) + (tf - tbar) ** 2 / sxx)
    q = float(stats.t.ppf(0.5 + level / 200, dof))
    return np.exp(mean), np.exp(mean - q * se), np.exp(mean + q * se)


def _drift(y: np.ndarray, h: int, level: int):
    ly = np.log(y)
    d = np.diff(ly)
    mu = float(d.mean())
    sd = float(d.std(ddof=1)) if len(d) > 1 else 0.0
    k = np.arange(1, h + 1)
    mean = ly[-1] + mu * k
    z = _z(level)
    return np.exp(mean), np.exp(mean - z * sd * np.sqrt(k)), np.exp(mean + z * sd * np.sqrt(k))


def _naive(y: np.ndarray, h: int, level: int):
    d = np.diff(y)
    sd = float(d.std(ddof=1)) if len(d) > 1 else 0.0
    k = np.arange(1, h + 1)
    z = _z(level)
    m = np.full(h, y[-1], float)
    return m, m - z * sd * np.sqrt(k), m + z * sd * np.sqrt(k)


def _statsforecast(name: str, y: np.ndarray, h: int, level: int):
    from statsforecast.models import AutoARIMA, AutoETS, Theta  # lazy: numba

    model = {"ets": lambda: AutoETS(season_length=1, model="ZZN"), "arima": lambda: AutoARIMA(season_length=1),
             "theta": lambda: Theta(season_length=1)}[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # fitted on log levels: multiplicative growth, positive forecasts
        r = model.forecast(y=np.log(y.astype(float)), h=h, level=[level])
    return np.exp(r["mean"]), np.exp(np.asarray(r[f"lo-{level}"], float)), np.exp(np.asarray(r[f"hi-{level}"], float))


def logistic(t: np.ndarray, k: float, r: float, t0: float) -> np.ndarray:
    """K / (1 + exp(-r (t - t0)))."""
    return k / (1 + np.exp(-r * (np.asarray(t, float) - t0)))


def bass_cumulative(t: np.ndarray, m: float, p: float, q: float) -> np.ndarray:
    """Bass diffusion: cumulative adoption m·(1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t})."""
    t = np.asarray(t, float)
    e = np.exp(-(p + q) * t)
    return m * (1 - e) / (1 + (q / p) * e)


def fit_logistic(t: Sequence[float], y: Sequence[float], *, k: float | None = 1.0) -> tuple[float, float, float]:
    """Fit a logistic curve (``k`` fixed, e.g. 1 for shares, or free when None)."""
    t, y = np.asarray(t, float), np.asarray(y, float)
    if k is not None:
        z = np.log(y / (k - y))
        r, c = np.polyfit(t, z, 1) if len(t) >= 2 else (0.0, z[0])
        return k, float(r), float(-c / r) if r else float(t.mean())
    p0 = (max(y) * 1.5, 0.5, float(t.mean()))
    (kk, r, t0), _ = optimize.curve_fit(logistic, t, y, p0=p0, maxfev=20000)
    return float(kk), float(r), float(t0)


def fit_bass(t: Sequence[float], y: Sequence[float], *, m: float | None = None) -> tuple[float, float, float]:
    t, y = np.asarray(t, float), np.asarray(y, float)
    if m is None:
        f = bass_cumulative
        p0, bounds = (max(y) * 1.2, 0.01, 0.4), ([max(y), 1e-5, 1e-4], [max(y) * 20, 1, 5])
    else:
        def f(tt, p, q):
            return bass_cumulative(tt, m, p, q)
        p0, bounds = (0.01, 0.4), ([1e-5, 1e-4], [1, 5])
    par, _ = optimize.curve_fit(f, t, y, p0=p0, bounds=bounds, maxfev=20000)
    return (float(par[0]), float(par[1]), float(par[2])) if m is None else (m, float(par[0]), float(par[1]))


LEVEL_MODELS = {"loglinear": _loglinear, "drift": _drift, "naive": _naive}


def predict(name: str, y: Sequence[float], h: int, level: int = 80) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, lo, hi) of model ``name`` fitted on ``y`` for ``h`` steps."""
    y = np.asarray(y, float)
    if name in LEVEL_MODELS:
        return LEVEL_MODELS[name](y, h, level)
    if name in ("ets", "arima", "theta"):
        return _statsforecast(name, y, h, level)
    raise ValueError(f"unknown model {name}")


def backtest(y: Sequence[float], models: Sequence[str], *, horizon: int = 1, min_train: int = 4,
             level: int = 80) -> pd.DataFrame:
    """Rolling-origin evaluation: train on y[:o], forecast ``horizon`` steps, score the last one.

    Returns one row per (model, origin) with the actual, the forecast and APE, sAPE and the scaled
    error (MASE numerator over the in-sample one-step naive MAE of the training window).
    """
    y = np.asarray(y, float)
    rows = []
    for o in range(min_train, len(y) - horizon + 1):
        train, actual = y[:o], y[o + horizon - 1]
        scale = float(np.mean(np.abs(np.diff(train)))) or float("nan")
        for m in models:
            try:
                f = float(predict(m, train, horizon, level)[0][-1])
            except Exception:  # noqa: BLE001 - a model that cannot fit this window is scored as missing
                f = float("nan")
            rows.append({"model": m, "origin": o, "horizon": horizon, "actual": actual, "forecast": f,
                         "ape": abs(f - actual) / abs(actual), "sape": 2 * abs(f - actual) / (abs(f) + abs(actual)),
                         "ase": abs(f - actual) / scale})
    return pd.DataFrame(rows, columns=["model", "origin", "horizon", "actual", "forecast", "ape", "sape", "ase"])


def score(bt: pd.DataFrame) -> pd.DataFrame:
    """MAPE, sMAPE, MASE per model (in %, %, ratio)."""
    if bt.empty:
        return pd.DataFrame(columns=["model", "n_origins", "mape", "smape", "mase"])
    g = bt.groupby("model", sort=False)
    return pd.DataFrame({"n_origins": g.size(), "mape": g.ape.mean() * 100, "smape": g.sape.mean() * 100,
                         "mase": g.ase.mean()}).reset_index()


def select(scores: pd.DataFrame, by: str = "mase", order: Sequence[str] = ()) -> str | None:
    s = scores.dropna(subset=[by])
    if s.empty:
        return None
    rank = {m: i for i, m in enumerate(order)}
    s = s.assign(_o=s.model.map(lambda m: rank.get(m, 99))).sort_values([by, "_o"])
    return str(s.iloc[0].model)


def forecast_series(years: Sequence[int], values: Sequence[float], cfg: ForecastConfig, *,
                    to_year: int) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """Backtest the candidate models on one series, forecast every model to ``to_year``.

    Returns (forecasts, scores, selected model)."""
    years = list(map(int, years))
    y = np.asarray(values, float)
    h = to_year - years[-1]
    bt = backtest(y, cfg.models, horizon=cfg.backtest_horizon, min_train=cfg.min_train, level=cfg.level)
    sc = score(bt)
    best = select(sc, cfg.select_by, cfg.models) or "loglinear"
    rows = []
    if h > 0:
        for m in cfg.models:
            try:
                mean, lo, hi = predict(m, y, h, cfg.level)
            except Exception:  # noqa: BLE001
                continue
            for i in range(h):
                rows.append({"year": years[-1] + 1 + i, "model": m, "mean": float(mean[i]), "lo": float(lo[i]),
                             "hi": float(hi[i]), "level": cfg.level, "selected": m == best, "override": False,
                             "method": f"model:{m}", "note": ""})
    sc["selected"] = sc.model == best
    return pd.DataFrame(rows), sc, best


def apply_override(years: Sequence[int], values: Sequence[float], ov: Override, to_year: int) -> pd.DataFrame:
    """Rows of an analyst override, labelled as such (never merged silently into model output)."""
    yv = dict(zip(map(int, years), map(float, values), strict=True))
    if ov.from_year not in yv:
        raise ValueError(f"override for {ov.series}: no value in {ov.from_year} to start from")
    base = yv[ov.from_year]
    if ov.cagr is not None:
        rate, note = ov.cagr, f"analyst CAGR {ov.cagr * 100:.1f}% from {ov.from_year}"
    else:
        rate = growth.cagr(base, ov.target_value, ov.target_year - ov.from_year)
        note = f"analyst target {ov.target_value:.6g} in {ov.target_year} (implied CAGR {rate * 100:.1f}%)"
    end = max(to_year, ov.target_year or to_year)
    return pd.DataFrame([{"year": t, "model": "override", "mean": growth.implied_end(base, rate, t - ov.from_year),
                          "lo": np.nan, "hi": np.nan, "level": np.nan, "selected": False, "override": True,
                          "method": "override:cagr" if ov.cagr is not None else "override:target",
                          "note": (note + (f"; {ov.note}" if ov.note else ""))}
                         for t in range(ov.from_year + 1, end + 1)])


def reconcile(series: pd.DataFrame, metric_segments: dict[str, Sequence[str]]) -> pd.DataFrame:
    """Top-down (total) vs bottom-up (Σ segments) per year; segments scaled to the total."""
    rows = []
    for (metric, region), g in series.groupby(["metric", "region"]):
        segs = [s for s in metric_segments.get(metric, ())[1:] if s in set(g.segment)]
        if not segs or "total" not in set(g.segment):
            continue
        for year, gy in g.groupby("year"):
            vals = dict(zip(gy.segment, gy.value, strict=False))
            if "total" not in vals or any(s not in vals for s in segs):
                continue
            bu = sum(vals[s] for s in segs)
            k = vals["total"] / bu if bu else float("nan")
            for s in segs:
                rows.append({"metric": metric, "region": region, "year": int(year), "segment": s,
                             "bottom_up": vals[s], "top_down_total": vals["total"], "bottom_up_total": bu,
                             "gap": vals["total"] - bu, "gap_rel": (vals["total"] - bu) / vals["total"],
                             "reconciled": vals[s] * k, "method": "proportional"})
    return pd.DataFrame(rows)
