"""Numerical core of the capacity model: pure numpy, no I/O.

Installed base (perpetual-inventory / vintage model, OECD *Measuring Capital*)::

    Stock[t, g] = Σ_p  S(τ_t − m_p) · Flow[p, g]

where ``p`` runs over shipment periods (years or half-years), ``m_p`` is the period's placement
time (mid-point by default), ``τ_t`` the measurement time of year ``t`` (year end by default),
``S`` the survival function and ``g`` any grouping. Flow[p, g] is a ``np.bincount`` over the
shipment rows, so 10⁷ rows take one pass; the stock is one small matrix product.
"""

from __future__ import annotations

import numpy as np

from .config import SurvivalConfig


def survival(age: np.ndarray, cfg: SurvivalConfig) -> np.ndarray:
    """S(age): share of a vintage still installed ``age`` years after placement (0 for age < 0)."""
    age = np.asarray(age, dtype=float)
    if cfg.kind == "none":
        s = np.ones_like(age)
    elif cfg.kind == "fixed":
        s = (age < float(cfg.life_years)).astype(float)
    else:  # weibull
        a = np.clip(age, 0.0, None)
        s = np.exp(-((a / float(cfg.scale)) ** float(cfg.shape)))
    return np.where(age < 0, 0.0, s)


def mean_life(cfg: SurvivalConfig) -> float:
    """Mean service life implied by the survival function (inf for 'none')."""
    from math import gamma, inf

    if cfg.kind == "none":
        return inf
    if cfg.kind == "fixed":
        return float(cfg.life_years)
    return float(cfg.scale) * gamma(1.0 + 1.0 / float(cfg.shape))


def placement_times(years: np.ndarray, halves: np.ndarray, timing: str = "midpoint") -> np.ndarray:
    """Placement time of shipments in fractional years.

    ``halves`` is 0 for a whole year, 1 or 2 for a half-year. ``midpoint``: 2024 → 2024.5,
    2024H1 → 2024.25, 2024H2 → 2024.75; ``start``: the period's first day; ``end``: its last.
    """
    years = np.asarray(years, dtype=float)
    halves = np.asarray(halves)
    start = years + np.where(halves == 2, 0.5, 0.0)
    length = np.where(halves == 0, 1.0, 0.5)
    frac = {"midpoint": 0.5, "start": 0.0, "end": 1.0}[timing]
    return start + frac * length


def measurement_times(years: np.ndarray, stock_at: str = "year_end") -> np.ndarray:
    years = np.asarray(years, dtype=float)
    return years + (1.0 if stock_at == "year_end" else 0.5)


def survival_matrix(eval_times: np.ndarray, place_times: np.ndarray, cfg: SurvivalConfig) -> np.ndarray:
    """S[t, p] = survival(eval_t − place_p): the vintage matrix."""
    return survival(np.subtract.outer(np.asarray(eval_times, float), np.asarray(place_times, float)), cfg)


def group_sum(period_idx: np.ndarray, group_idx: np.ndarray, values: np.ndarray,
              n_periods: int, n_groups: int) -> np.ndarray:
    """Flow[p, g] = Σ values over rows with that period and group (one bincount)."""
    key = period_idx.astype(np.int64, copy=False) * n_groups + group_idx.astype(np.int64, copy=False)
    return np.bincount(key, weights=values, minlength=n_periods * n_groups).reshape(n_periods, n_groups)


def installed_base(flows: np.ndarray, smat: np.ndarray) -> np.ndarray:
    """Stock[t, g] = S[t, :] @ Flow[:, g]."""
    return smat @ flows


def annual_flows(flows: np.ndarray, period_years: np.ndarray, out_years: np.ndarray) -> np.ndarray:
    """Sum period flows into calendar years: [years, groups]."""
    onehot = (np.asarray(period_years)[None, :] == np.asarray(out_years)[:, None]).astype(float)
    return onehot @ flows
