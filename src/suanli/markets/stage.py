"""Build stage: market facts → observations, yearly series, checks, forecasts, edition comparison."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from ..edition import Edition
from ..stage import BuildContext, Stage
from .config import MarketsConfig

if TYPE_CHECKING:  # the engine is imported where the stage validates or runs (see capacity/stage.py)
    import pandas as pd


def _paths(edition: Edition, cfg: MarketsConfig):
    facts = edition.input_path(cfg.facts)
    ext = edition.input_path(cfg.external) if cfg.external else None
    return facts, ext


def publisher_revisions(obs: pd.DataFrame) -> pd.DataFrame:
    """Log errors from the publisher's own revisions: a level the previous edition stated for a
    year against the level this edition states for the same year and series (both printed).
    ``steps`` is the years between the previous edition's publication and that year."""
    import pandas as pd

    prev = obs[(obs.role == "previous") & (obs.quantity == "level")]
    cur = obs[(obs.role == "current") & (obs.quantity == "level") & (obs.duplicate_of.fillna("") == "")]
    rows = []
    for p in prev.itertuples():
        c = cur[(cur.metric == p.metric) & (cur.region == p.region) & (cur.segment == p.segment)
                & (cur.year == p.year)]
        pub = [int(x) for x in re.findall(r"(?:19|20)\d\d", str(p.edition))]
        if c.empty or not pub or not (p.value > 0) or not (float(c.value.iloc[0]) > 0):
            continue
        steps = int(p.year) - max(pub)
        if steps >= 1:
            rows.append({"series": f"{p.metric}:{p.region}:{p.segment}", "model": "*", "steps": float(steps),
                         "log_error": math.log(float(c.value.iloc[0]) / float(p.value))})
    return pd.DataFrame(rows, columns=["series", "model", "steps", "log_error"])


def run_markets(obs: pd.DataFrame, cfg: MarketsConfig, rankings: pd.DataFrame | None = None,
                params: dict[str, tuple[float, float, float]] | None = None) -> dict[str, pd.DataFrame]:
    """Everything the stage computes, as tables (no I/O). ``rankings`` and ``params`` feed the
    rank-move and text-level checks (see :func:`suanli.markets.checks.run_checks`)."""
    import numpy as np
    import pandas as pd

    from .checks import run_checks
    from .forecast import (
        apply_override,
        backtest,
        error_scale,
        fit_logistic,
        forecast_series,
        logistic,
        reconcile_to_totals,
    )
    from .registry import METRICS
    from .series import OBS_COLUMNS, build_series

    series, derived = build_series(obs, cfg)
    y0, y1 = cfg.years
    fc, to = cfg.forecast, max(cfg.forecast.horizon_to, y1)
    # models see stated points only: interpolated, back-cast and implied values never train or score
    stated = {key: g[g.stated.astype(bool)].sort_values("year") for key, g in series.groupby("series", sort=True)}
    stated = {k: g for k, g in stated.items() if len(g) >= 2 and (g.value > 0).all()}
    errors = [publisher_revisions(obs)]
    for key, fit in stated.items():
        bt = backtest(fit.value.to_numpy(float), fc.models, horizon=fc.backtest_horizon, min_train=fc.min_train,
                      level=fc.level, years=fit.year.to_numpy(float))
        errors.append(bt.assign(series=key))
    errors = pd.concat([e for e in errors if len(e)], ignore_index=True) if any(len(e) for e in errors) \
        else pd.DataFrame(columns=["series", "model", "steps", "log_error"])
    fc_rows, bt_rows, fills = [], [], []
    for key, fit in stated.items():
        g = series[series.series == key].sort_values("year")
        f, sc, best = forecast_series(fit.year, fit.value, fc, to_year=to, errors=errors[errors.series != key],
                                      series=key)
        for ov in cfg.overrides:
            if ov.series == key:
                f = pd.concat([f, apply_override(fit.year, fit.value, ov, to)], ignore_index=True)
        if len(f):
            f.insert(0, "series", key)
        sc.insert(0, "series", key)
        sc["n_points"] = int(len(g))
        sc["n_stated"] = int(len(fit))
        fc_rows.append(f)
        bt_rows.append(sc)
        last = int(fit.year.max())
        have = set(g.year.astype(int))
        sel = f[f.selected & (f.year <= y1)] if len(f) else f
        for r in sel.itertuples():
            if int(r.year) in have:
                continue
            base = g.iloc[-1]
            fills.append({**{c: base[c] for c in ("series", "metric", "region", "segment", "unit", "scaled_unit")},
                          "year": int(r.year), "value": r.mean, "lo": r.lo, "hi": r.hi, "bound": "",
                          "scaled_value": r.mean / METRICS[base.metric].scale, "kind": "forecast",
                          "method": f"model:{r.model}", "inputs": f"{key} stated {int(fit.year.min())}-{last}",
                          "edition": base.edition, "stated": False})
    if fills:
        series = pd.concat([series, pd.DataFrame(fills)], ignore_index=True)
    series = series.sort_values(["series", "year"]).reset_index(drop=True)
    # segments add up to their total (stated totals are the series of record)
    series, recon = reconcile_to_totals(series, {m: v.segments for m, v in METRICS.items()})
    # saturation model for the GenAI share of AI servers (shares are fractions); its interval puts
    # the pooled backtest error scale on the logit (log-odds) scale, since two stated shares fix
    # the curve exactly and leave no error of their own
    sh = obs[(obs.quantity == "share") & (obs.metric == "ai_server_market") & (obs.role == "current")
             & (obs.duplicate_of.fillna("") == "")].sort_values("year")
    if len(sh) >= 2:
        k, r, t0 = fit_logistic(sh.year.astype(float), sh.value)
        yrs = np.arange(y0, fc.horizon_to + 1)
        q = error_scale(errors, fc.level)
        dist = np.maximum(np.abs(yrs - sh.year.astype(float).to_numpy()[:, None]).min(axis=0), 0)
        mean = logistic(yrs, k, r, t0)
        half = q * np.sqrt(np.maximum(dist, 1)) if np.isfinite(q) else np.full(len(yrs), np.nan)
        lgt = np.log(mean / (1 - mean))
        fc_rows.append(pd.DataFrame({
            "series": "ai_server_market:global:genai_share", "year": yrs, "model": "logistic",
            "mean": mean, "lo": 1 / (1 + np.exp(-(lgt - half))), "hi": 1 / (1 + np.exp(-(lgt + half))),
            "level": fc.level, "selected": True, "override": False, "method": "model:logistic(K=1)",
            "note": f"fitted exactly to {len(sh)} stated shares; r={r:.4f}, t0={t0:.1f}; interval: pooled backtest "
                    f"|log error| q{fc.level}={q:.3f}·√years from the nearest stated share, on the log-odds scale"}))
    forecasts = pd.concat(fc_rows, ignore_index=True) if fc_rows else pd.DataFrame()
    # a series too short to back-test scores all-NA columns; leaving them out of the concatenation
    # keeps each column's dtype from the series that have scores (and pandas' deprecation quiet)
    cols = list(dict.fromkeys(c for b in bt_rows for c in b.columns))
    backtests = (pd.concat([b.dropna(axis=1, how="all") for b in bt_rows], ignore_index=True).reindex(columns=cols)
                 if bt_rows else pd.DataFrame())
    if len(backtests):
        # pooled rows: each model's out-of-sample coverage of the nominal interval over every series
        scored = backtests[backtests.n_origins > 0]
        pooled = [{"series": "(all series)", "model": m, "n_origins": int(g.n_origins.sum()),
                   "mape": float(np.average(g.mape, weights=g.n_origins)),
                   "smape": float(np.average(g.smape, weights=g.n_origins)),
                   "mase": float(np.average(g.mase, weights=g.n_origins)),
                   "coverage": float(np.average(g.coverage, weights=g.n_origins)),
                   "interval_scale": float(g.interval_scale.max()), "selected": False,
                   "n_points": int(g.n_points.sum()), "n_stated": int(g.n_stated.sum()),
                   "note": f"nominal {fc.level}% interval; coverage out of sample over {int(g.n_origins.sum())} "
                           "backtest forecasts"} for m, g in scored.groupby("model", sort=True)]
        backtests = pd.concat([backtests, pd.DataFrame(pooled)], ignore_index=True)
        backtests["level"] = fc.level
    checks = run_checks(obs, cfg, series, rankings, params)
    if len(derived):
        derived = derived.astype({c: object for c in ("start_year", "end_year", "decimals", "line")})
        observations = pd.concat([obs.astype(object), derived.astype(object)], ignore_index=True)[OBS_COLUMNS]
    else:
        observations = obs[OBS_COLUMNS]
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
    import pandas as pd

    from . import growth

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


def national_series(series: pd.DataFrame, capacity: pd.DataFrame | None) -> pd.DataFrame:
    """China's intelligent and general compute per year from both routes, side by side: the
    published series (IDC's printed levels, with the years between them derived and later years
    modelled; ``market_series``) and suanli's capacity model (installed base from synthetic
    shipments calibrated to the published totals; ``capacity_national``). Each row keeps its own
    name and class; ``gap`` is model / published − 1 in the years both have."""
    import numpy as np
    import pandas as pd

    names = {"published": ("IDC（公布及推算）", "IDC (published, with derived years)"),
             "model": ("suanli 模型（合成出货）", "suanli model, synthetic shipments")}
    rows = []
    for q, sid, col in (("intelligent", "intelligent_compute:china:total", "intelligent_eflops"),
                        ("general", "general_compute:china:total", "general_eflops")):
        pub = series[series.series == sid].set_index("year") if len(series) else pd.DataFrame()
        mod = capacity.set_index("year") if capacity is not None and col in capacity else pd.DataFrame()
        for y, r in pub.iterrows():
            rows.append({"year": int(y), "quantity": q, "route": "published", "name_zh": names["published"][0],
                         "name_en": names["published"][1], "value": float(r.value), "lo": r.get("lo"),
                         "hi": r.get("hi"), "method": str(r.method), "value_class": None, "_src": "market_series"})
        for y, r in mod.iterrows():
            rows.append({"year": int(y), "quantity": q, "route": "model", "name_zh": names["model"][0],
                         "name_en": names["model"][1], "value": float(r[col]), "lo": r.get(f"{col}_lo"),
                         "hi": r.get(f"{col}_hi"), "method": "capacity model: installed base of synthetic shipments",
                         "value_class": "synthetic", "_src": "capacity_national"})
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    pub = df[df.route == "published"].set_index(["quantity", "year"])["value"]
    df["gap"] = [float(r.value) / float(pub[(r.quantity, r.year)]) - 1 if r.route == "model"
                 and (r.quantity, r.year) in pub.index else np.nan for r in df.itertuples()]
    return df.sort_values(["quantity", "year", "route"]).reset_index(drop=True)


STATED_METHODS = ("stated", "previous_edition_actual")


def classify(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """One ``value_class`` per row, replacing the tables' own ``kind``/``stated`` columns.

    Printed figures (this or the previous edition) are stated; arithmetic on them (interpolation,
    back-cast, total × share, reconciliation) derived; model output modelled. What the publisher
    called a printed figure (actual, estimate, forecast, target, …) is kept as ``published_as``."""
    import numpy as np
    import pandas as pd

    out = {}
    for name, df in tables.items():
        df = df.copy()
        n = len(df)
        if name == "market_observations":
            kind = df["kind"].astype(str) if n else pd.Series([], dtype=object)
            df["value_class"] = np.where(kind == "derived", "derived", "stated") if n else []
            df["published_as"] = np.where(kind == "derived", "", kind) if n else []
            df = df.drop(columns=["kind"])
        elif name == "market_series":
            method = df["method"].astype(str)
            stated = method.isin(STATED_METHODS) | df["stated"].astype(bool)
            df["value_class"] = np.where(stated, "stated", np.where(method.str.startswith("model:"), "modelled",
                                                                    "derived")) if n else []
            df["published_as"] = np.where(stated, df["kind"].astype(str), "") if n else []
            df = df.drop(columns=["kind", "stated"])
        elif name in ("market_forecasts", "market_backtests"):
            df["value_class"] = "modelled"
        elif name == "edition_comparison":
            kind = df["current_kind"].astype(str) if n else pd.Series([], dtype=object)
            meth = df["current_method"].astype(str) if n else pd.Series([], dtype=object)
            df["value_class"] = np.where((kind == "stated") | meth.isin(STATED_METHODS), "stated", "derived") \
                if n else []
            df = df.drop(columns=["current_kind"])
        else:
            df["value_class"] = "derived"
        out[name] = df
    return out


class MarketsStage(Stage):
    name = "markets"

    def applies(self, edition: Edition) -> bool:
        return getattr(edition, "markets", None) is not None

    def validate(self, edition: Edition) -> list[str]:
        from .series import load_observations

        cfg = edition.markets
        facts, ext = _paths(edition, cfg)
        obs = load_observations(facts, cfg, ext)
        return [f"markets: {len(obs)} observations read from {facts.name}" + (f" and {ext.name}" if ext else "")]

    def run(self, ctx: BuildContext) -> None:
        from ..io.readers import read_raw_table
        from .checks import verdict_counts
        from .series import load_observations
        from .textchecks import read_rankings, resolve_params

        ed, cfg = ctx.edition, ctx.edition.markets
        facts, ext = _paths(ed, cfg)
        obs = load_observations(facts, cfg, ext)
        for name, path in ((cfg.facts, facts), (cfg.external, ext)):
            if path is None:
                continue
            inp = ed.inputs[name]
            ctx.store.write_input(name, read_raw_table(path).frame, path=inp.path, synthetic=inp.synthetic,
                                  source=inp.source)
        rankings = read_rankings(ed.input_path(cfg.rankings)) if cfg.rankings else None
        params = resolve_params(ed, [g.model for g in cfg.text_checks.ranges if g.model])
        tables = run_markets(obs, cfg, rankings, params)
        inputs = [cfg.facts] + ([cfg.external] if cfg.external else []) + ([cfg.rankings] if cfg.rankings else [])
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
        cap = ctx.store.read_table("capacity_national") if ctx.store.has_table("capacity_national") else None
        nat = national_series(tables["market_series"], cap)
        if len(nat):
            # the published route keeps market_series' class per year; the model route is synthetic
            cls = dict(zip(zip(tables["market_series"].series, tables["market_series"].year, strict=True),
                           tables["market_series"].value_class, strict=True))
            sid = {"intelligent": "intelligent_compute:china:total", "general": "general_compute:china:total"}
            nat["value_class"] = [c if c else cls[(sid[q], y)] for c, q, y in
                                  zip(nat.value_class, nat.quantity, nat.year, strict=True)]
            tables["national_compute_series"] = nat.drop(columns=["_src"])
            desc["national_compute_series"] = (
                "China intelligent and general compute per year by both routes, side by side: IDC's published "
                "series (stated, derived between stated years, modelled after) and suanli's capacity model "
                "(synthetic shipments calibrated to the published totals); gap = model / published - 1.")
        for name, df in tables.items():
            # the side-by-side table copies the model route's rows (synthetic, from capacity_national)
            # next to the published route; it computes nothing from them, so the published rows keep
            # their own class and the model table is named in the method rather than as an input
            method = name if name != "national_compute_series" else \
                "side by side: market_series (published route) and capacity_national (model route, synthetic)"
            ctx.store.write_table(name, df, stage=self.name, method=method, params=cfg.model_dump(mode="json"),
                                  inputs=inputs, synthetic=synthetic, description=desc[name])
        counts = verdict_counts(tables["market_checks"])
        ctx.log("markets: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


STAGE = MarketsStage()
