"""Monte Carlo intervals on the installed base: vectorised numpy, no I/O.

Each draw ``d`` perturbs four things at once, and the installed base is recomputed for every draw
with one ``einsum``::

    Stock[d, t] = Σ_p S_d(τ_t − m_p) · ship[d, y(p)] · Σ_m Flow[p, m] · spec[d, m]

* lifetimes: Weibull survival with a mean life drawn uniformly from a range and a shape drawn
  uniformly from a range (scale = mean / Γ(1 + 1/shape)), separately for intelligent and general
  compute;
* shipment error: one log-normal factor per shipment year (a tracker's yearly total is uncertain;
  half-years of one year move together);
* spec uncertainty: one log-normal factor per catalog model, wider for specs derived from a
  microarchitecture rule than for stated ones;
* utilisation: availability and MFU drawn uniformly, for the effective-compute interval only.

Quantiles are taken over draws; the level is two-sided (0.9 → 5th and 95th percentiles).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gamma

import numpy as np


@dataclass(frozen=True)
class Draws:
    """Random inputs shared by every metric of one run (so the metrics stay jointly consistent)."""

    life_mean: np.ndarray  # [D]
    shape: np.ndarray  # [D]
    ship: np.ndarray  # [D, Y] multiplicative factor per shipment year
    availability: np.ndarray  # [D]
    utilisation: np.ndarray  # [D]


def draw(rng: np.random.Generator, n: int, n_years: int, *, life_mean: tuple[float, float],
         shape: tuple[float, float], shipment_sigma: float, availability: tuple[float, float],
         utilisation: tuple[float, float]) -> Draws:
    return Draws(
        life_mean=rng.uniform(*life_mean, size=n),
        shape=rng.uniform(*shape, size=n),
        ship=np.exp(rng.normal(-0.5 * shipment_sigma ** 2, shipment_sigma, size=(n, n_years))),
        availability=rng.uniform(*availability, size=n),
        utilisation=rng.uniform(*utilisation, size=n),
    )


def spec_factors(rng: np.random.Generator, n: int, sigma: np.ndarray) -> np.ndarray:
    """[D, M] log-normal factors with mean 1 and per-model σ."""
    sigma = np.asarray(sigma, dtype=float)
    return np.exp(rng.normal(0.0, 1.0, size=(n, len(sigma))) * sigma - 0.5 * sigma ** 2)


def weibull_survival(eval_times: np.ndarray, place_times: np.ndarray, life_mean: np.ndarray,
                     shape: np.ndarray) -> np.ndarray:
    """S[d, t, p] for Weibull lifetimes with per-draw mean life and shape."""
    age = np.subtract.outer(np.asarray(eval_times, float), np.asarray(place_times, float))  # [T, P]
    scale = np.asarray(life_mean, float) / np.array([gamma(1.0 + 1.0 / k) for k in np.asarray(shape, float)])
    a = np.clip(age, 0.0, None)[None, :, :] / scale[:, None, None]
    s = np.exp(-(a ** np.asarray(shape, float)[:, None, None]))
    return np.where(age[None, :, :] < 0, 0.0, s)


def stock_draws(flows: np.ndarray, spec: np.ndarray, ship: np.ndarray, year_index: np.ndarray,
                surv: np.ndarray) -> np.ndarray:
    """Stock[d, t] from Flow[p, m], spec[d, m], ship[d, y], year_index[p] and S[d, t, p]."""
    x = spec @ np.asarray(flows, float).T  # [D, P]
    x = x * ship[:, year_index]
    return np.einsum("dtp,dp->dt", surv, x, optimize=True)


def quantiles(samples: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, median, upper) over axis 0 for a two-sided ``level``."""
    lo, hi = (1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0
    q = np.quantile(samples, [lo, 0.5, hi], axis=0)
    return q[0], q[1], q[2]
