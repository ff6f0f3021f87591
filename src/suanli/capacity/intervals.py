"""Interval and scenario tables from coded shipments (glue between the estimate and the numpy core)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import engine
from . import uncertainty as mc
from .catalog import Catalog
from .config import CapacityConfig, SurvivalConfig, UncertaintyConfig


@dataclass
class NationalFlows:
    """Period × model flows (FLOPS) of intelligent and general compute, with per-model spec σ."""

    place: np.ndarray  # [P] placement times
    period_years: np.ndarray  # [P]
    intelligent: np.ndarray  # [P, Ma]
    general: np.ndarray  # [P, Mc]
    sigma_intelligent: np.ndarray  # [Ma]
    sigma_general: np.ndarray  # [Mc]
    domestic: np.ndarray  # [Ma] bool: the accelerator is domestic


def national_flows(cs, catalog: Catalog, cfg: CapacityConfig, ucfg: UncertaintyConfig) -> NationalFlows:
    n_p = len(cs.period_years)
    has_a = cs.acc_code >= 0
    has_c = cs.cpu_code >= 0
    fi = engine.group_sum(cs.period_code[has_a], cs.acc_code[has_a], cs.intelligent_flops[has_a], n_p,
                          max(len(cs.acc_models), 1))
    fg = engine.group_sum(cs.period_code[has_c], cs.cpu_code[has_c], cs.cpu_fp64_flops[has_c], n_p,
                          max(len(cs.cpu_models), 1))
    cpu_tab = catalog.cpus.set_index("model")
    derived = cpu_tab["origin_note"].reindex(cs.cpu_models).fillna("").str.startswith("derived").to_numpy()
    sig_c = np.where(derived, ucfg.spec_sigma_derived, ucfg.spec_sigma_stated)[: fg.shape[1]]
    if len(sig_c) < fg.shape[1]:
        sig_c = np.full(fg.shape[1], ucfg.spec_sigma_stated)
    sig_a = np.full(fi.shape[1], ucfg.spec_sigma_stated)
    if cfg.general_includes_accelerator_fp64:
        fa = engine.group_sum(cs.period_code[has_a], cs.acc_code[has_a], cs.accel_fp64_flops[has_a], n_p,
                              max(len(cs.acc_models), 1))
        fg = np.concatenate([fg, fa], axis=1)
        sig_c = np.concatenate([sig_c, sig_a])
    origin = catalog.accelerators.set_index("model")["origin"].reindex(cs.acc_models).fillna("").to_numpy()
    dom = (origin == "domestic") if len(cs.acc_models) else np.zeros(fi.shape[1], dtype=bool)
    return NationalFlows(engine.placement_times(cs.period_years, cs.period_halves, cfg.timing),
                         cs.period_years.astype(int), fi, fg, sig_a, sig_c, dom)


def _draw_stock(rng: np.random.Generator, flows: np.ndarray, sigma: np.ndarray, place: np.ndarray,
                period_years: np.ndarray, eval_times: np.ndarray, life: tuple[float, float],
                u: UncertaintyConfig, ship: np.ndarray, years: np.ndarray) -> np.ndarray:
    shape = rng.uniform(*u.weibull_shape, size=u.draws)
    mean = rng.uniform(*life, size=u.draws)
    surv = mc.weibull_survival(eval_times, place, mean, shape)
    spec = mc.spec_factors(rng, u.draws, sigma)
    yi = np.searchsorted(years, period_years)
    return mc.stock_draws(flows, spec, ship, yi, surv)


def interval_draws(nf: NationalFlows, cfg: CapacityConfig, u: UncertaintyConfig,
                   out_years: np.ndarray) -> dict[str, np.ndarray]:
    """Draws [D, T] of intelligent, general and effective intelligent compute (FLOPS)."""
    rng = np.random.default_rng(u.seed)
    years = np.unique(nf.period_years)
    ship = np.exp(rng.normal(-0.5 * u.shipment_sigma ** 2, u.shipment_sigma, size=(u.draws, len(years))))
    ev = engine.measurement_times(out_years, cfg.stock_at)
    si = _draw_stock(rng, nf.intelligent, nf.sigma_intelligent, nf.place, nf.period_years, ev,
                     u.life_mean_intelligent, u, ship, years)
    sg = _draw_stock(rng, nf.general, nf.sigma_general, nf.place, nf.period_years, ev, u.life_mean_general, u,
                     ship, years)
    avail = rng.uniform(*u.availability, size=u.draws)
    util = rng.uniform(*u.utilisation, size=u.draws)
    return {"intelligent": si, "general": sg, "intelligent_effective": si * (avail * util)[:, None]}


def intervals_table(draws: dict[str, np.ndarray], central: dict[str, np.ndarray], out_years: np.ndarray,
                    u: UncertaintyConfig, value_class: str) -> pd.DataFrame:
    rows = []
    for metric, d in draws.items():
        lo, med, hi = mc.quantiles(d / 1e18, u.level)
        for j, y in enumerate(out_years):
            c = central.get(metric)
            rows.append({"year": int(y), "metric": f"{metric}_eflops",
                         "central": float(c[j]) if c is not None else np.nan, "median": float(med[j]),
                         "lo": float(lo[j]), "hi": float(hi[j]), "level": u.level, "draws": u.draws,
                         "value_class": value_class})
    return pd.DataFrame(rows)


def survival_or(cfg_surv: SurvivalConfig | None, default: SurvivalConfig) -> SurvivalConfig:
    return cfg_surv if cfg_surv is not None else default
