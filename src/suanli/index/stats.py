"""Column-wise NaN-aware statistics shared by the steps (vectorised over indicators)."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def nan_skew(X: np.ndarray) -> np.ndarray:
    """Bias-corrected skewness G1 per column (e1071 type 2, as COINr's ``skew``); NaN if n < 3."""
    X = np.atleast_2d(X.T).T if X.ndim == 1 else X
    n = (~np.isnan(X)).sum(0).astype(float)
    d = X - np.nanmean(X, 0)
    m2, m3 = np.nansum(d**2, 0), np.nansum(d**3, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.sqrt(n) * m3 / m2**1.5
        out = g * np.sqrt(n * (n - 1)) / (n - 2)
    return np.where(n >= 3, out, np.nan)


def nan_kurt(X: np.ndarray) -> np.ndarray:
    """Bias-corrected excess kurtosis G2 per column (e1071 type 2, as COINr's ``kurt``); NaN if n < 4."""
    X = np.atleast_2d(X.T).T if X.ndim == 1 else X
    n = (~np.isnan(X)).sum(0).astype(float)
    d = X - np.nanmean(X, 0)
    m2, m4 = np.nansum(d**2, 0), np.nansum(d**4, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * m4 / m2**2
        out = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.where(n >= 4, out, np.nan)


def rank_min(X: np.ndarray, *, descending: bool = False) -> np.ndarray:
    """Ranks per column with ties as "min" (R ``rank(ties.method="min", na.last="keep")``); NaN kept."""
    Y = -X if descending else X
    return rankdata(Y, method="min", axis=0, nan_policy="omit").astype(float)


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
