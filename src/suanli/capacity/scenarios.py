"""Scenario forecasts to the edition's horizon through the vintage model, with Monte Carlo intervals.

After the last shipment year the FLOPS added per year follow each scenario's declared path:

    added_y = added_last · (1 + g)^(y − last)                       (open-market path)
    domestic_y = added_y · share_y ;  imported_y = added_y · (1 − share_y) · r

with ``share_y`` the declared domestic share (linear between the years given) and ``r`` = 1 for
``imported: open`` or, for ``imported: restricted``, the ratio of the export-compliant China-market
part's dense FP16 peak to the reference part's (H20 148 / H100 SXM 989.5 = 0.15 from the catalog):
the same number of imported cards, each at the restricted peak. General compute grows at its own
rate. Each future year is split evenly into half-years and enters the same survival model as the
history (the scenario may declare its own lifetimes), so retirements of the observed vintages and of
the forecast ones are both counted. Intervals come from the same Monte Carlo as the history, with
the shipment error applied to every year (observed and forecast).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import engine
from . import uncertainty as mc
from .catalog import Catalog
from .config import CapacityConfig, ForecastConfig, ScenarioConfig, UncertaintyConfig
from .intervals import NationalFlows


def share_path(cfg: dict[int, float], years: np.ndarray, last_share: float) -> np.ndarray:
    if not cfg:
        return np.full(len(years), last_share)
    ks = np.array(sorted(cfg))
    vs = np.array([cfg[k] for k in ks], dtype=float)
    # before the first declared year: from the last observed share towards the first declared value
    xs = np.concatenate([[years[0] - 1], ks]) if ks[0] >= years[0] else ks
    ys = np.concatenate([[last_share], vs]) if ks[0] >= years[0] else vs
    return np.interp(years, xs, ys)


def restriction_ratio(catalog: Catalog, sc: ScenarioConfig, rule: list[str]) -> float:
    if sc.imported == "open":
        return 1.0
    fp = catalog.equivalent_peaks(rule).set_index("model")["equiv_tflops"]
    a, b = catalog.resolve(sc.restricted_model), catalog.resolve(sc.reference_model)
    return float(fp[a] / fp[b])


def scenario_flows(nf: NationalFlows, sc: ScenarioConfig, fc: ForecastConfig, ratio: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """(place times, period years, intelligent flows [P'], general flows [P'], last domestic share)."""
    last = int(nf.period_years.max())
    fi = nf.intelligent.sum(axis=1)
    fg = nf.general.sum(axis=1)
    in_last = nf.period_years == last
    add_i = float(fi[in_last].sum())
    add_g = float(fg[in_last].sum())
    dom_last = float(nf.intelligent[in_last][:, nf.domestic].sum() / add_i) if add_i > 0 else 0.0
    fy = np.arange(last + 1, fc.to_year + 1)
    grow_i = add_i * (1.0 + sc.intelligent_growth) ** (fy - last)
    grow_g = add_g * (1.0 + sc.general_growth) ** (fy - last)
    share = share_path(sc.domestic_share, fy, dom_last)
    fut_i = grow_i * share + grow_i * (1.0 - share) * ratio
    years = np.repeat(fy, 2)
    halves = np.tile([1, 2], len(fy))
    place = np.concatenate([nf.place, engine.placement_times(years, halves, "midpoint")])
    pyears = np.concatenate([nf.period_years, years])
    flow_i = np.concatenate([fi, np.repeat(fut_i / 2.0, 2)])
    flow_g = np.concatenate([fg, np.repeat(grow_g / 2.0, 2)])
    return place, pyears, flow_i, flow_g, dom_last


def forecast_tables(nf: NationalFlows, catalog: Catalog, cfg: CapacityConfig, u: UncertaintyConfig,
                    value_class: str) -> pd.DataFrame:
    fc = cfg.forecast
    assert fc is not None
    y0 = int(cfg.years[0])
    out_years = np.arange(y0, fc.to_year + 1)
    ev = engine.measurement_times(out_years, cfg.stock_at)
    pub = {(p.year, "intelligent_eflops"): (p.intelligent_eflops, p.source) for p in fc.published} | {
        (p.year, "general_eflops"): (p.general_eflops, p.source) for p in fc.published}
    rows = []
    for k, sc in enumerate(fc.scenarios):
        ratio = restriction_ratio(catalog, sc, cfg.rule)
        place, pyears, flow_i, flow_g, dom_last = scenario_flows(nf, sc, fc, ratio)
        s_i = sc.survival_intelligent or cfg.survival_intelligent
        s_g = sc.survival_general or cfg.survival_general
        central_i = engine.survival_matrix(ev, place, s_i) @ flow_i / 1e18
        central_g = engine.survival_matrix(ev, place, s_g) @ flow_g / 1e18
        rng = np.random.default_rng(u.seed + 1000 + k)
        years = np.unique(pyears)
        yi = np.searchsorted(years, pyears)
        ship = np.exp(rng.normal(-0.5 * u.shipment_sigma ** 2, u.shipment_sigma, size=(u.draws, len(years))))
        draws = {}
        for metric, flow, life, override in (
                ("intelligent_eflops", flow_i, u.life_mean_intelligent, sc.survival_intelligent),
                ("general_eflops", flow_g, u.life_mean_general, sc.survival_general)):
            if override is not None and np.isfinite(engine.mean_life(override)):
                m, span = engine.mean_life(override), (life[1] - life[0]) / 2.0
                life = (max(m - span, 0.5), m + span)  # the scenario's own lifetime, same spread
            shape = rng.uniform(*u.weibull_shape, size=u.draws)
            mean = rng.uniform(*life, size=u.draws)
            surv_d = mc.weibull_survival(ev, place, mean, shape)
            x = flow[None, :] * ship[:, yi]
            draws[metric] = np.einsum("dtp,dp->dt", surv_d, x, optimize=True) / 1e18
        for metric, central in (("intelligent_eflops", central_i), ("general_eflops", central_g)):
            lo, med, hi = mc.quantiles(draws[metric], u.level)
            for j, y in enumerate(out_years):
                p, src = pub.get((int(y), metric), (None, ""))
                rows.append({
                    "scenario": sc.name, "label": sc.label or sc.name, "year": int(y), "metric": metric,
                    "value": float(central[j]), "median": float(med[j]), "lo": float(lo[j]), "hi": float(hi[j]),
                    "level": u.level, "forecast": bool(y > nf.period_years.max()),
                    "imported": sc.imported, "import_ratio": ratio, "intelligent_growth": sc.intelligent_growth,
                    "general_growth": sc.general_growth, "domestic_share_last_observed": dom_last,
                    "published": p if p is not None else np.nan, "published_source": src,
                    "value_class": value_class,
                })
    return pd.DataFrame(rows)
