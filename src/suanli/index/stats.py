"""Column-wise NaN-aware statistics shared by the steps (vectorised over indicators)."""

from __future__ import annotations

import numpy as np


def skew_kurt(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bias-corrected skewness G1 and excess kurtosis G2 per column (e1071 type 2, COINr's ``skew``
    and ``kurt``), NaN-aware; NaN when fewer than 3 (skew) or 4 (kurtosis) values."""
    X = X[:, None] if X.ndim == 1 else X
    have = ~np.isnan(X)
    n = have.sum(0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.where(have, X, 0.0).sum(0) / n
        d = X - mu
        np.nan_to_num(d, copy=False, nan=0.0)
        d2 = d * d
        m2 = d2.sum(0)
        m3 = np.einsum("ij,ij->j", d2, d)
        m4 = np.einsum("ij,ij->j", d2, d2)
        g = np.sqrt(n) * m3 / (m2 * np.sqrt(m2))
        sk = g * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / (m2 * m2)
        kt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.where(n >= 3, sk, np.nan), np.where(n >= 4, kt, np.nan)


def nan_skew(X: np.ndarray) -> np.ndarray:
    """Bias-corrected skewness G1 per column (e1071 type 2, as COINr's ``skew``); NaN if n < 3."""
    return skew_kurt(X)[0]


def nan_kurt(X: np.ndarray) -> np.ndarray:
    """Bias-corrected excess kurtosis G2 per column (e1071 type 2, as COINr's ``kurt``); NaN if n < 4."""
    return skew_kurt(X)[1]


#: Scores that differ by less than this fraction of the largest absolute score of their node are
#: one tie: float noise (0.5866666666666668 vs …667) never splits a true tie. ``build``, the
#: ranks of every table and the uncertainty engine all use this one rule; tied units share the
#: smaller rank, as COINr's ``rank(-x, ties.method = "min")``.
TIE_RELATIVE = 1e-9


def tie_round(V: np.ndarray, axis: int = 0) -> np.ndarray:
    """Scores rounded for ranking: to a grid of ``TIE_RELATIVE`` × the largest finite absolute
    value along ``axis`` (the units of one node in one run); NaN and ±Inf kept."""
    V = np.asarray(V, float)
    A = np.where(np.isfinite(V), np.abs(V), 0.0)
    scale = A.max(axis=axis, keepdims=True) if V.shape[axis] else np.zeros_like(A.sum(axis=axis, keepdims=True))
    scale = np.where(scale > 0, scale, 1.0)
    with np.errstate(invalid="ignore"):
        R = np.round(V / scale / TIE_RELATIVE) * (scale * TIE_RELATIVE)
    return np.where(np.isfinite(V), R, V)


def rank_min(X: np.ndarray, *, descending: bool = False) -> np.ndarray:
    """Ranks per column with ties as "min" (R ``rank(ties.method="min", na.last="keep")``); NaN kept."""
    Y = np.asarray(-X if descending else X, dtype=float)
    if Y.ndim == 1:
        return rank_min(Y[:, None])[:, 0]
    n, k = Y.shape
    if n == 0:
        return Y.copy()
    T = np.ascontiguousarray(Y.T)                          # sort along rows: much faster than axis 0
    order = np.argsort(T, axis=1)                          # NaN sort last; tie order does not matter for "min"
    S = np.take_along_axis(T, order, 1)
    new = np.ones((k, n), bool)
    new[:, 1:] = S[:, 1:] != S[:, :-1]
    idx = np.where(new, np.arange(n), 0)
    start = np.maximum.accumulate(idx, axis=1) + 1.0      # rank of the first of each tie group
    start[np.isnan(S)] = np.nan
    out = np.empty((k, n))
    np.put_along_axis(out, order, start, 1)
    out = out.T
    return out


def nan_corr(A: np.ndarray, B: np.ndarray | None = None) -> np.ndarray:
    """Pearson correlations between the columns of A (and B), pairwise-complete."""
    B = A if B is None else B
    out = np.full((A.shape[1], B.shape[1]), np.nan)
    for i in range(A.shape[1]):
        a = A[:, i]
        m = ~np.isnan(a)[:, None] & ~np.isnan(B)
        n = m.sum(0)
        with np.errstate(invalid="ignore", divide="ignore"):
            aa = np.where(m, a[:, None], 0.0)
            bb = np.where(m, B, 0.0)
            ma, mb = aa.sum(0) / n, bb.sum(0) / n
            da, db = np.where(m, aa - ma, 0), np.where(m, bb - mb, 0)
            out[i] = (da * db).sum(0) / np.sqrt((da**2).sum(0) * (db**2).sum(0))
        out[i, n < 3] = np.nan
    return out
