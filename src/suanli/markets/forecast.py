"""Forecasts of yearly market series, model choice and interval widths by rolling-origin backtest.

Models for levels: ``loglinear`` (OLS on log y against the year), ``drift`` (random walk with drift
on log y), ``naive``, and from statsmodels (imported lazily) ``ets`` (exponential smoothing with an
additive damped or undamped trend on log y, picked by AICc), ``theta`` (Assimakopoulos–Nikolopoulos
theta method) and ``arima`` (ARIMA(p,1,q) with drift, p, q ≤ 1, picked by AICc). Saturation
models for shares: ``logistic`` and ``bass``.

Honesty rules. Models are fitted on stated points only: interpolated or back-cast values are never
training data or backtest targets. ``loglinear``, ``drift`` and ``naive`` accept stated points in
any years (2024, 2025, 2028); the statsmodels models need consecutive years and are not fitted
otherwise (the backtests table says so). The backtest scores each model at every origin on the
stated points and keeps its log error per year ahead. The prediction interval at ``level``% is the
wider of the model's own interval and the backtest interval: the ``level`` quantile of the
backtest's absolute log errors (pooled over series, and the publisher's own revisions of the same
year between editions when the edition has them), scaled by √(years ahead), around the point
forecast. The point forecast therefore lies inside its interval, and an interval is never of zero
width. The empirical coverage of that interval is measured out of sample: each backtest error
against the interval built from the other series' errors.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import growth
from .config import ForecastConfig, Override

# scipy.stats and scipy.optimize are imported inside the functions that use them: importing this
# module (every build does, through the markets stage) then costs nothing when the stage is reused.

#: fewest consecutive yearly points the statsmodels models are fitted on
MIN_POINTS_STATSMODELS = 5
STATSMODELS = ("ets", "theta", "arima")


class NotFitted(ValueError):
    """A model that cannot be fitted honestly on these points (too few, or not consecutive)."""


def _z(level: int) -> float:
    from scipy import stats

    return float(stats.norm.ppf(0.5 + level / 200))


def _loglinear(t: np.ndarray, y: np.ndarray, tf: np.ndarray, level: int):
    if len(y) < 2:
        raise NotFitted("log-linear trend needs two points")
    ly = np.log(y)
    b, a = np.polyfit(t, ly, 1)
    fit = a + b * t
    dof = len(y) - 2
    s = math.sqrt(float(np.sum((ly - fit) ** 2)) / dof) if dof > 0 else 0.0
    mean = a + b * tf
    tbar, sxx = t.mean(), float(np.sum((t - t.mean()) ** 2))
    se = s * np.sqrt(1 + 1 / len(y) + (tf - tbar) ** 2 / sxx)
    from scipy import stats

    q = float(stats.t.ppf(0.5 + level / 200, max(dof, 1)))
    return mean, q * se


def _drift(t: np.ndarray, y: np.ndarray, tf: np.ndarray, level: int):
    if len(y) < 2:
        raise NotFitted("drift needs two points")
    ly = np.log(y)
    dt = np.diff(t)
    mu = float((ly[-1] - ly[0]) / (t[-1] - t[0]))  # mean log growth per year over the stated span
    # per-year volatility from the growth of each stated interval around the mean
    r = np.diff(ly) / dt
    sd = float(np.sqrt(np.sum(dt * (r - mu) ** 2) / (len(r) - 1))) if len(r) > 1 else 0.0
    k = tf - t[-1]
    return ly[-1] + mu * k, _z(level) * sd * np.sqrt(k)


def _naive(t: np.ndarray, y: np.ndarray, tf: np.ndarray, level: int):
    ly = np.log(y)
    r = np.diff(ly) / np.diff(t) if len(y) > 1 else np.array([])
    sd = float(np.sqrt(np.mean(r ** 2))) if len(r) else 0.0
    k = tf - t[-1]
    return np.full(len(tf), ly[-1]), _z(level) * sd * np.sqrt(k)


def _statsmodels(name: str, t: np.ndarray, y: np.ndarray, tf: np.ndarray, level: int):
    if len(y) < MIN_POINTS_STATSMODELS or np.any(np.diff(t) != 1):
        raise NotFitted(f"{name} needs {MIN_POINTS_STATSMODELS} stated points in consecutive years")
    if np.any(np.diff(tf) != 1) or tf[0] != t[-1] + 1:
        raise NotFitted(f"{name} forecasts consecutive years after the last point")
    h = len(tf)
    ly = np.log(y.astype(float))
    alpha = 1 - level / 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name == "ets":
            from statsmodels.tsa.exponential_smoothing.ets import ETSModel

            ser = pd.Series(ly)  # statsmodels' ETS prediction needs an indexed series
            fits = [ETSModel(ser, error="add", trend="add", damped_trend=d).fit(disp=False) for d in (False, True)]
            res = min(fits, key=lambda f: f.aicc if np.isfinite(f.aicc) else np.inf)
            fr = res.get_prediction(start=len(ly), end=len(ly) + h - 1).summary_frame(alpha=alpha)
            mean, lo = fr["mean"].to_numpy(), fr["pi_lower"].to_numpy()
        elif name == "theta":
            from statsmodels.tsa.forecasting.theta import ThetaModel

            res = ThetaModel(ly, period=1, deseasonalize=False).fit()
            mean = np.asarray(res.forecast(h), float)
            lo = np.asarray(res.prediction_intervals(h, alpha=alpha)["lower"], float)
        else:
            from statsmodels.tsa.arima.model import ARIMA

            fits = [ARIMA(ly, order=(p, 1, q), trend="t").fit() for p in (0, 1) for q in (0, 1)]
            res = min(fits, key=lambda f: f.aicc if np.isfinite(f.aicc) else np.inf)
            fc = res.get_forecast(h)
            mean, lo = np.asarray(fc.predicted_mean, float), np.asarray(fc.conf_int(alpha=alpha), float)[:, 0]
    return mean, np.maximum(mean - lo, 0.0)


def log_forecast(name: str, years: Sequence[float], y: Sequence[float], to_years: Sequence[float],
                 level: int = 80) -> tuple[np.ndarray, np.ndarray]:
    """(mean, half-width) on the log scale of model ``name`` fitted on (``years``, ``y``)."""
    t, yy, tf = np.asarray(years, float), np.asarray(y, float), np.asarray(to_years, float)
    if np.any(yy <= 0) or not np.all(np.isfinite(yy)):
        raise NotFitted("levels must be positive")
    if name in LEVEL_MODELS:
        return LEVEL_MODELS[name](t, yy, tf, level)
    if name in STATSMODELS:
        return _statsmodels(name, t, yy, tf, level)
    raise ValueError(f"unknown model {name}")


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
    from scipy import optimize

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
    from scipy import optimize

    par, _ = optimize.curve_fit(f, t, y, p0=p0, bounds=bounds, maxfev=20000)
    return (float(par[0]), float(par[1]), float(par[2])) if m is None else (m, float(par[0]), float(par[1]))


LEVEL_MODELS = {"loglinear": _loglinear, "drift": _drift, "naive": _naive}


def predict(name: str, y: Sequence[float], h: int, level: int = 80, *,
            years: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, lo, hi) of model ``name`` fitted on ``y`` (in ``years``, default 0, 1, …) for the
    ``h`` years after the last point; the model's own interval only."""
    t = np.arange(len(y), dtype=float) if years is None else np.asarray(years, float)
    m, half = log_forecast(name, t, y, t[-1] + np.arange(1, h + 1), level)
    return np.exp(m), np.exp(m - half), np.exp(m + half)


def backtest(y: Sequence[float], models: Sequence[str], *, horizon: int = 1, min_train: int = 4,
             level: int = 80, years: Sequence[float] | None = None) -> pd.DataFrame:
    """Rolling-origin evaluation on the given (stated) points: train on the first ``o`` points,
    forecast the point ``horizon`` positions later, score it.

    One row per (model, origin): the actual, the forecast, APE, sAPE, the scaled error (MASE
    numerator over the in-sample one-step naive MAE of the training window), the years ahead
    (``steps``; stated points need not be consecutive), the log error and the half-width of the
    model's own interval on the log scale. A model that cannot be fitted on a window is skipped.
    """
    y = np.asarray(y, float)
    t = np.arange(len(y), dtype=float) if years is None else np.asarray(years, float)
    rows = []
    for o in range(min_train, len(y) - horizon + 1):
        train, actual = y[:o], y[o + horizon - 1]
        scale = float(np.mean(np.abs(np.diff(train)))) if o > 1 else float("nan")
        for m in models:
            try:
                lm, half = log_forecast(m, t[:o], train, [t[o + horizon - 1]], level)
            except NotFitted:
                continue
            except Exception:  # noqa: BLE001 - a numerical failure on one window is scored as missing
                continue
            f = float(np.exp(lm[0]))
            rows.append({"model": m, "origin": o, "horizon": horizon, "steps": float(t[o + horizon - 1] - t[o - 1]),
                         "actual": actual, "forecast": f, "ape": abs(f - actual) / abs(actual),
                         "sape": 2 * abs(f - actual) / (abs(f) + abs(actual)),
                         "ase": abs(f - actual) / scale if scale else float("nan"),
                         "log_error": math.log(actual / f), "own_half": float(half[0])})
    return pd.DataFrame(rows, columns=["model", "origin", "horizon", "steps", "actual", "forecast", "ape", "sape",
                                       "ase", "log_error", "own_half"])


def error_scale(errors: pd.DataFrame, level: int, *, model: str | None = None,
                exclude_series: str | None = None, min_errors: int = 3) -> float:
    """The ``level`` quantile of |log error| / √(years ahead) over backtest ``errors`` (columns
    series, model, steps, log_error; model ``*`` marks publisher revisions, used for every model).

    Errors of ``model`` are used when there are at least ``min_errors`` of them (plus revisions),
    else those of every model. ``exclude_series`` leaves one series out (for out-of-sample coverage).
    Returns NaN when nothing is left."""
    e = errors
    if exclude_series is not None and len(e):
        e = e[e["series"] != exclude_series]
    if e.empty:
        return float("nan")
    if model is not None:
        own = e[(e["model"] == model) | (e["model"] == "*")]
        if (own["model"] == model).sum() >= min_errors:
            e = own
    z = (e["log_error"].abs() / np.sqrt(e["steps"].clip(lower=1))).to_numpy(float)
    z = z[np.isfinite(z)]
    return float(np.quantile(z, level / 100, method="higher")) if len(z) else float("nan")


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


def interval(mean_log: np.ndarray, own_half: np.ndarray, steps: np.ndarray, q: float) -> tuple[np.ndarray, ...]:
    """(mean, lo, hi): the wider of the model's own half-width and the backtest's ``q·√steps``."""
    half = np.asarray(own_half, float)
    if np.isfinite(q):
        half = np.maximum(half, q * np.sqrt(np.maximum(np.asarray(steps, float), 1)))
    half = np.where(half > 0, half, np.nan)  # no error information at all: no interval, never a zero-width one
    return np.exp(mean_log), np.exp(mean_log - half), np.exp(mean_log + half)


def forecast_series(years: Sequence[int], values: Sequence[float], cfg: ForecastConfig, *,
                    to_year: int, errors: pd.DataFrame | None = None,
                    series: str = "") -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """Backtest the candidate models on one series' stated points, forecast every model that
    fits to ``to_year``.

    ``errors`` are backtest errors of other series (and publisher revisions, model ``*``) pooled
    for the interval width (see :func:`error_scale`); this series' own backtest errors are added.
    Returns (forecasts, scores with ``coverage``, selected model)."""
    years = list(map(int, years))
    y = np.asarray(values, float)
    h = to_year - years[-1]
    bt = backtest(y, cfg.models, horizon=cfg.backtest_horizon, min_train=cfg.min_train, level=cfg.level,
                  years=years)
    bt.insert(0, "series", series)
    pooled = pd.concat([errors[["series", "model", "steps", "log_error"]], bt[["series", "model", "steps", "log_error"]]],
                       ignore_index=True) if errors is not None and len(errors) and len(bt) else (
        errors if errors is not None and len(errors) else bt)
    sc = score(bt)
    best = select(sc, cfg.select_by, cfg.models) or next(
        (m for m in ("loglinear", "drift") if m in cfg.models), cfg.models[0])
    # out-of-sample coverage: each of this series' errors against the interval from the others
    cov = {}
    for m, g in bt.groupby("model", sort=False):
        q = error_scale(pooled, cfg.level, model=m, exclude_series=series)
        half = g["own_half"].to_numpy(float)
        if np.isfinite(q):
            half = np.maximum(half, q * np.sqrt(g["steps"].clip(lower=1).to_numpy(float)))
        cov[m] = float(np.mean(np.abs(g["log_error"].to_numpy(float)) <= half))
    sc["coverage"] = sc["model"].map(cov)
    sc["interval_scale"] = sc["model"].map(lambda m: error_scale(pooled, cfg.level, model=m))
    rows, notes = [], {}
    if h > 0:
        tf = np.arange(years[-1] + 1, to_year + 1, dtype=float)
        for m in cfg.models:
            try:
                lm, own = log_forecast(m, years, y, tf, cfg.level)
            except NotFitted as e:
                notes[m] = str(e)
                continue
            q = error_scale(pooled, cfg.level, model=m)
            mean, lo, hi = interval(lm, own, tf - years[-1], q)
            for i in range(h):
                rows.append({"year": int(tf[i]), "model": m, "mean": float(mean[i]), "lo": float(lo[i]),
                             "hi": float(hi[i]), "level": cfg.level, "selected": m == best, "override": False,
                             "method": f"model:{m}",
                             "note": f"fitted on {len(y)} stated points ({years[0]}-{years[-1]}); interval: wider of "
                                     f"the model's own and backtest |log error| q{cfg.level}={q:.3f}·√years ahead"})
    fitted = set(sc["model"])
    extra = [{"model": m, "n_origins": 0, "note": notes.get(m, "no backtest origin (too few stated points)")}
             for m in cfg.models if m not in fitted]
    if extra:
        sc = pd.concat([sc, pd.DataFrame(extra)], ignore_index=True)
    if "note" not in sc:
        sc["note"] = ""
    sc["note"] = sc["note"].fillna("")
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


UNALLOCATED = "unallocated"


def reconcile_to_totals(series: pd.DataFrame, metric_segments: dict[str, Sequence[str]]) -> tuple[
        pd.DataFrame, pd.DataFrame]:
    """Make segments add up to their total in every year that has both.

    The total is the series of record. Stated segment values are never changed. When the segments
    sum to less than the total, the gap becomes an explicit ``unallocated`` segment (derived: total
    minus segments); when they sum to more, the segments that are not stated are scaled down in
    proportion until they do. If the stated segments alone exceed the total, the source contradicts
    itself: nothing is changed and the reconciliation table says so.

    Returns (series with reconciled segments and any unallocated rows, reconciliation table with
    each segment before and after)."""
    rows, new, edits = [], [], {}
    level = series[series["unit"].astype(str) != "share"] if "unit" in series else series
    for (metric, region), g in level.groupby(["metric", "region"], sort=True):
        segs = [s for s in metric_segments.get(metric, ())[1:] if s in set(g.segment)]
        if not segs or "total" not in set(g.segment):
            continue
        for year, gy in g.groupby("year", sort=True):
            by = {r.segment: r for r in gy.itertuples()}
            if "total" not in by or any(s not in by for s in segs):
                continue
            total = float(by["total"].value)
            vals = {s: float(by[s].value) for s in segs}
            fixed = {s for s in segs if _is_stated(by[s])}
            bu = sum(vals.values())
            gap = total - bu
            after, method = dict(vals), "unchanged"
            if abs(gap) <= 1e-9 * max(abs(total), 1.0):
                pass
            elif gap > 0:
                method = "unallocated"
                base = by["total"]
                new.append({**{c: getattr(base, c) for c in series.columns if hasattr(base, c)},
                            "series": f"{metric}:{region}:{UNALLOCATED}", "segment": UNALLOCATED, "value": gap,
                            "lo": np.nan, "hi": np.nan, "bound": "",
                            "scaled_value": gap * float(base.scaled_value) / total if total else np.nan,
                            "kind": "derived", "method": "unallocated_total_minus_segments",
                            "inputs": f"{base.series} {int(year)} minus {', '.join(segs)}", "stated": False})
            else:
                free = sum(vals[s] for s in segs if s not in fixed)
                room = total - sum(vals[s] for s in fixed)
                if free > 0 and room >= 0:
                    method = "scaled_to_total"
                    for s in segs:
                        if s not in fixed:
                            after[s] = vals[s] * room / free
                            edits[by[s].Index] = (after[s], f"{by[s].method};scaled_to_total")
                else:
                    method = "stated_segments_exceed_total"
            for s in segs:
                rows.append({"metric": metric, "region": region, "year": int(year), "segment": s,
                             "bottom_up": vals[s], "top_down_total": total, "bottom_up_total": bu, "gap": gap,
                             "gap_rel": gap / total if total else np.nan, "reconciled": after[s], "method": method})
            if method == "unallocated":
                rows.append({"metric": metric, "region": region, "year": int(year), "segment": UNALLOCATED,
                             "bottom_up": 0.0, "top_down_total": total, "bottom_up_total": bu, "gap": gap,
                             "gap_rel": gap / total if total else np.nan, "reconciled": gap, "method": method})
    out = series.copy()
    for i, (v, m) in edits.items():
        f = v / float(out.at[i, "value"]) if out.at[i, "value"] else np.nan
        out.at[i, "value"] = v
        out.at[i, "scaled_value"] = float(out.at[i, "scaled_value"]) * f
        for c in ("lo", "hi"):
            if c in out and pd.notna(out.at[i, c]):
                out.at[i, c] = float(out.at[i, c]) * f
        out.at[i, "method"] = m
    if new:
        out = pd.concat([out, pd.DataFrame(new)[out.columns]], ignore_index=True)
    out = out.sort_values(["series", "year"], kind="mergesort").reset_index(drop=True)
    return out, pd.DataFrame(rows, columns=["metric", "region", "year", "segment", "bottom_up", "top_down_total",
                                            "bottom_up_total", "gap", "gap_rel", "reconciled", "method"])


def _is_stated(row) -> bool:
    return bool(getattr(row, "stated", False)) or str(getattr(row, "method", "")) in ("stated",
                                                                                       "previous_edition_actual")
