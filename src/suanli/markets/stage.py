"""Build stage: market facts → observations, yearly series, checks, forecasts, edition comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..edition import Edition
from ..io.readers import read_raw_table
from ..stage import BuildContext, Stage
from . import growth
from .checks import run_checks, verdict_counts
from .config import MarketsConfig
from .forecast import apply_override, fit_logistic, forecast_series, logistic, reconcile
from .registry import METRICS
from .series import OBS_COLUMNS, build_series, load_observations


def _paths(edition: Edition, cfg: MarketsConfig):
    facts = edition.input_path(cfg.facts)
    ext = edition.input_path(cfg.external) if cfg.external else None
    return facts, ext


def run_markets(obs: pd.DataFrame, cfg: MarketsConfig) -> dict[str, pd.DataFrame]:
    """Everything the stage computes, as tables (no I/O)."""
    series, derived = build_series(obs, cfg)
    y0, y1 = cfg.years
    fc_rows, bt_rows, fills = [], [], []
    for key, g in series.groupby("series", sort=True):
        g = g.sort_values("year")
        fit = g[g.method != "backcast_constant_growth"]
        if len(fit) < 2 or (fit.value <= 0).any():
            continue
        to = max(cfg.forecast.horizon_to, y1)
        f, sc, best = forecast_series(fit.year, fit.value, cfg.forecast, to_year=to)
        for ov in cfg.overrides:
            if ov.series == key:
                f = pd.concat([f, apply_override(fit.year, fit.value, ov, to)], ignore_index=True)
        f.insert(0, "series", key)
        sc.insert(0, "series", key)
        sc["n_points"] = len(fit)
        sc["n_stated"] = int(fit.stated.sum())
        fc_rows.append(f)
        bt_rows.append(sc)
        last = int(fit.year.max())
        sel = f[f.selected & (f.year <= y1)] if len(f) else f
        for r in sel.itertuples():
            base = g.iloc[-1]
            fills.append({**{c: base[c] for c in ("series", "metric", "region", "segment", "unit", "scaled_unit")},
                          "year": int(r.year), "value": r.mean, "lo": r.lo, "hi": r.hi, "bound": "",
                          "scaled_value": r.mean / METRICS[base.metric].scale, "kind": "forecast",
                          "method": f"model:{r.model}", "inputs": f"{key} {fit.year.min()}-{last}",
                          "edition": base.edition, "stated": False})
    if fills:
        series = pd.concat([series, pd.DataFrame(fills)], ignore_index=True)
    series = series.sort_values(["series", "year"]).reset_index(drop=True)
    # saturation model for the GenAI share of AI servers (shares are fractions)
    sh = obs[(obs.quantity == "share") & (obs.metric == "ai_server_market") & (obs.role == "current")
             & (obs.duplicate_of.fillna("") == "")].sort_values("year")
    if len(sh) >= 2:
        k, r, t0 = fit_logistic(sh.year.astype(float), sh.value)
        yrs = np.arange(y0, cfg.forecast.horizon_to + 1)
        fc_rows.append(pd.DataFrame({
            "series": "ai_server_market:global:genai_share", "year": yrs, "model": "logistic",
            "mean": logistic(yrs, k, r, t0), "lo": np.nan, "hi": np.nan, "level": np.nan, "selected": True,
            "override": False, "method": "model:logistic(K=1)",
            "note": f"fitted exactly to {len(sh)} stated shares; r={r:.4f}, t0={t0:.1f}"}))
    forecasts = pd.concat(fc_rows, ignore_index=True) if fc_rows else pd.DataFrame()
    bt_rows = [b.dropna(axis=1, how="all") for b in bt_rows]
    backtests = pd.concat(bt_rows, ignore_index=True) if bt_rows else pd.DataFrame()
    checks = run_checks(obs, cfg, series)
    if len(derived):
        derived = derived.astype({c: object for c in ("start_year", "end_year", "decimals", "line")})
        observations = pd.concat([obs.astype(object), derived.astype(object)], ignore_index=True)[OBS_COLUMNS]
    else:
        observations = obs[OBS_COLUMNS]
    recon = reconcile(series, {m: v.segments for m, v in METRICS.items()})
    return {"market_observations": _sorted(observations, ["metric", "region", "segment", "obs_id"]),
            "market_series": series, "market_checks": checks.sort_values("check_id").reset_index(drop=True),
            "market_forecasts": _sorted(forecasts, ["series", "model", "year"]),
            "market_backtests": _sorted(backtests, ["series", "model"]),
            "market_reconciliation": _sorted(recon, ["metric", "region", "year", "segment"]),
            "edition_comparison": edition_comparison(obs, series)}


def _sorted(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    if df.empty:
        return df
    return df.sort_values([c for c in cols if c in df.columns], kind="mergesort").reset_index(drop=True)


def edition_comparison(obs: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Previous edition vs this edition for the same series and years (levels), and rates like-for-like."""
    prev = obs[(obs.role == "previous") & (obs.metric != "")]
    cur_rates = obs[(obs.role == "current") & (obs.quantity == "rate") & (obs.duplicate_of.fillna("") == "")]
    rows = []
    for _, p in prev.iterrows():
        key = f"{p.metric}:{p.region}:{p.segment}"
        s = series[series.series == key].set_index("year")
        if p.quantity == "level":
            yr = int(p.year)
            if yr not in s.index:
                continue
            c = s.loc[yr]
            rows.append({"series": key, "quantity": "level", "year": yr, "window_previous": "", "window_current": "",
                         "previous": p.value, "current": float(c.value), "current_kind": c.kind,
                         "current_method": c.method, "like_for_like": c.method != "previous_edition_actual",
                         "revision": float(c.value) / p.value - 1, "previous_edition": p.edition,
                         "note": "same year, same definition" if c.method != "previous_edition_actual"
                         else "this edition has no own value; previous edition's actual used"})
        elif p.quantity == "rate" and not pd.isna(p.start_year):
            a, b = int(p.start_year), int(p.end_year)
            if a in s.index and b in s.index:
                same = growth.cagr(float(s.loc[a].value), float(s.loc[b].value), b - a)
                rows.append({"series": key, "quantity": "cagr", "year": b, "window_previous": f"{a}-{b}",
                             "window_current": f"{a}-{b}", "previous": p.value, "current": same,
                             "current_kind": "derived", "current_method": f"cagr of market_series {a}->{b} "
                             f"({s.loc[a].method} -> {s.loc[b].method})", "like_for_like": True,
                             "revision": same - p.value, "previous_edition": p.edition,
                             "note": "rate over the previous edition's window (revision in rate points)"})
            cr = cur_rates[(cur_rates.metric == p.metric) & (cur_rates.region == p.region)
                           & (cur_rates.segment == p.segment) & cur_rates.start_year.notna()]
            cr = cr.assign(span=cr.end_year - cr.start_year).sort_values("span")
            if len(cr):
                h = cr.iloc[-1]
                w = f"{int(h.start_year)}-{int(h.end_year)}"
                rows.append({"series": key, "quantity": "cagr", "year": int(h.end_year), "window_previous": f"{a}-{b}",
                             "window_current": w, "previous": p.value, "current": h.value, "current_kind": "stated",
                             "current_method": "headline CAGR", "like_for_like": w == f"{a}-{b}",
                             "revision": h.value - p.value, "previous_edition": p.edition,
                             "note": "as compared in the report" + ("" if w == f"{a}-{b}" else ": windows differ")})
    df = pd.DataFrame(rows)
    return df.sort_values(["series", "quantity", "year", "window_current"]).reset_index(drop=True) if len(df) else df


def classify(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add each row's value class: stated figures, arithmetic on them (derived), model output (modelled)."""
    out = {}
    for name, df in tables.items():
        df = df.copy()
        if name == "market_observations":
            vc = np.where(df["kind"].astype(str) == "derived", "derived", "stated") if len(df) else []
        elif name == "market_series":
            vc = np.where(df["stated"].astype(bool), "stated",
                          np.where(df["method"].astype(str).str.startswith("model:"), "modelled", "derived")) \
                if len(df) else []
        elif name in ("market_forecasts", "market_backtests"):
            vc = "modelled"
        elif name == "market_reconciliation":
            vc = "derived"
        elif name == "edition_comparison":
            vc = np.where(df["current_kind"].astype(str) == "stated", "stated", "derived") if len(df) else []
        else:
            vc = "derived"
        df["value_class"] = vc
        out[name] = df
    return out


class MarketsStage(Stage):
    name = "markets"

    def applies(self, edition: Edition) -> bool:
        return getattr(edition, "markets", None) is not None

    def validate(self, edition: Edition) -> list[str]:
        cfg = edition.markets
        facts, ext = _paths(edition, cfg)
        obs = load_observations(facts, cfg, ext)
        return [f"markets: {len(obs)} observations read from {facts.name}" + (f" and {ext.name}" if ext else "")]

    def run(self, ctx: BuildContext) -> None:
        ed, cfg = ctx.edition, ctx.edition.markets
        facts, ext = _paths(ed, cfg)
        obs = load_observations(facts, cfg, ext)
        for name, path in ((cfg.facts, facts), (cfg.external, ext)):
            if path is None:
                continue
            inp = ed.inputs[name]
            ctx.store.write_input(name, read_raw_table(path).frame, path=inp.path, synthetic=inp.synthetic,
                                  source=inp.source)
        tables = run_markets(obs, cfg)
        inputs = [cfg.facts] + ([cfg.external] if cfg.external else [])
        synthetic = any(ed.inputs[n].synthetic for n in inputs)
        desc = {
            "market_observations": "Stated market facts and values derived from them (kind, method, inputs).",
            "market_series": "Yearly market series: stated, derived, interpolated, back-cast and model-forecast cells.",
            "market_checks": "Consistency findings (PASS/APPROX/INFO/WARN/FAIL) with figures, formula, rel. error.",
            "market_forecasts": "Model forecasts with prediction intervals; analyst overrides labelled.",
            "market_backtests": "Rolling-origin backtest scores (MAPE, sMAPE, MASE) per series and model.",
            "market_reconciliation": "Top-down total vs bottom-up sum of segments, segments scaled to the total.",
            "edition_comparison": "Previous vs this edition, same series and years (levels) and like-for-like rates.",
        }
        tables = classify(tables)
        for name, df in tables.items():
            ctx.store.write_table(name, df, stage=self.name, method=name, params=cfg.model_dump(mode="json"),
                                  inputs=inputs, synthetic=synthetic, description=desc[name])
        counts = verdict_counts(tables["market_checks"])
        ctx.log("markets: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


STAGE = MarketsStage()
