"""Variance-based sensitivity indices on SALib's Saltelli design, vectorised over many outputs.

Rows come in blocks of ``G + 2`` per base point (``A, AB_1 … AB_G, B``; SALib's layout without
second-order terms). With ``V = var([y_A; y_B])`` (ddof 0, as SALib):

* first order (Saltelli et al. 2010): ``S1_i = mean(y_B · (y_ABi − y_A)) / V`` (y centred on its
  mean over all runs first, as SALib does)
* total (Jansen 1999):               ``ST_i = mean((y_A − y_ABi)²) / (2V)``

These are SALib's ``analyze.sobol`` estimators (``first_order``/``total_order``) and COINr's
``SA_estimate``; here they run for every output column at once (every unit's rank and the mean
absolute rank shift) with a shared bootstrap over base points: ``*_lo``/``*_hi`` are percentile
intervals and ``*_conf`` SALib's half-width ``z·sd(bootstrap)``. An output that never varies has
NaN indices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm


@dataclass
class SobolResult:
    names: list[str]
    S1: np.ndarray        # [G, M]
    ST: np.ndarray
    S1_conf: np.ndarray
    ST_conf: np.ndarray
    S1_lo: np.ndarray
    S1_hi: np.ndarray
    ST_lo: np.ndarray
    ST_hi: np.ndarray
    n_base: int


def split(Y: np.ndarray, n_factors: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A [N, M], AB [N, G, M], B [N, M]) from design-ordered outputs ``Y[n_rows, M]``."""
    Y = np.asarray(Y, float)
    if Y.ndim == 1:
        Y = Y[:, None]
    step = n_factors + 2
    if Y.shape[0] % step:
        raise ValueError(f"{Y.shape[0]} rows is not a multiple of factors + 2 = {step}")
    Z = Y.reshape(-1, step, Y.shape[1])
    return Z[:, 0], Z[:, 1:-1], Z[:, -1]


def _terms(A: np.ndarray, AB: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A, B [N, M]; AB [N, G, M] → the per-run terms of the Saltelli (S1) and Jansen (ST)
    estimators, each [N, G, M]."""
    return B[..., :, None, :] * (AB - A[..., :, None, :]), (A[..., :, None, :] - AB) ** 2


def _indices(A: np.ndarray, B: np.ndarray, t1: np.ndarray, tt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S1, ST [..., G, M] from the runs' terms (:func:`_terms`) and the output variance over A and B."""
    V = np.var(np.concatenate([A, B], axis=-2), axis=-2)[..., None, :]  # [..., 1, M]
    with np.errstate(invalid="ignore", divide="ignore"):
        Vs = np.where(V > 0, V, np.nan)
        return np.mean(t1, axis=-3) / Vs, 0.5 * np.mean(tt, axis=-3) / Vs


def sobol_indices(Y: np.ndarray, names: list[str], *, num_resamples: int = 100, conf_level: float = 0.95,
                  seed: int = 0, max_cells: int = 20_000_000) -> SobolResult:
    """S1 and ST of every column of ``Y`` (design order) for the factors ``names``."""
    G = len(names)
    Y = np.asarray(Y, float)
    Y = Y[:, None] if Y.ndim == 1 else Y
    Y = Y - Y.mean(0)  # centred over all runs, as SALib (lowers the variance of the S1 estimator)
    A, AB, B = split(Y, G)
    N, M = A.shape
    # the terms of each run are computed once: a bootstrap resample picks runs (rows), and its
    # estimates are the same means over the picked rows' terms (the same numbers as computing the
    # terms again for each resample, at a third of the CPU)
    t1, tt = _terms(A, AB, B)
    s1, st = _indices(A, B, t1, tt)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(1,))))
    idx = rng.integers(0, N, size=(num_resamples, N))
    per = max(1, max_cells // max(1, N * (G + 2) * M))
    bs1, bst = [], []
    for a in range(0, num_resamples, per):
        r = idx[a:a + per]
        x1, xt = _indices(A[r], B[r], t1[r], tt[r])
        bs1.append(x1)
        bst.append(xt)
    b1, bt = np.concatenate(bs1), np.concatenate(bst)       # [R, G, M]
    z = norm.ppf(0.5 + conf_level / 2)
    q = [(1 - conf_level) / 2 * 100, (1 + conf_level) / 2 * 100]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo1, hi1 = np.nanpercentile(b1, q, axis=0) if np.isfinite(b1).any() else (b1[0], b1[0])
        lot, hit = np.nanpercentile(bt, q, axis=0) if np.isfinite(bt).any() else (bt[0], bt[0])
        c1, ct = z * np.nanstd(b1, axis=0, ddof=1), z * np.nanstd(bt, axis=0, ddof=1)
    nan = np.isnan(s1)
    for arr in (lo1, hi1, lot, hit, c1, ct):
        arr[nan] = np.nan
    return SobolResult(list(names), s1, st, c1, ct, lo1, hi1, lot, hit, N)


def ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami function on [−π, π]³."""
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_analytic(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Analytic (S1, ST) of the Ishigami function."""
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v
