"""Statistical audit: indicator statistics and flags, correlations within and across levels,
Cronbach's alpha and PCA per group, flags for negatively correlated or redundant indicators.

Non-finite values (±Inf from a method used outside its domain with ``on_constant: nan``, or
from the caller's data) are treated as missing everywhere here, so the audit never fails on them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .pipeline import Result
from .stats import nan_corr, nan_kurt, nan_skew


def _finite(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, float)
    return np.where(np.isfinite(X), X, np.nan)


def indicator_stats(X: np.ndarray, ids: list[str], *, avail_thresh: float = 0.65, nonzero_thresh: float = 0.5,
                    unique_thresh: float = 0.5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> pd.DataFrame:
    """COINr ``get_stats``: min … kurtosis, availability and flags per indicator."""
    X = _finite(X)
    have = ~np.isnan(X)
    n = have.sum(0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        df = pd.DataFrame({
            "indicator_id": ids, "min": np.nanmin(X, 0), "max": np.nanmax(X, 0), "mean": np.nanmean(X, 0),
            "median": np.nanmedian(X, 0), "sd": np.nanstd(X, 0, ddof=1), "skew": nan_skew(X), "kurt": nan_kurt(X),
            "n_available": n, "availability": n / max(len(X), 1),
            "non_zero": (have & (X != 0)).sum(0) / np.maximum(n, 1),
            "unique": [len(np.unique(c[~np.isnan(c)])) / max(k, 1) for c, k in zip(X.T, n, strict=True)],
        })
    df["flag_availability"] = df["availability"] < avail_thresh
    df["flag_zeros"] = df["non_zero"] < nonzero_thresh
    df["flag_unique"] = df["unique"] < unique_thresh
    df["flag_outliers"] = (df["skew"].abs() > skew_thresh) & (df["kurt"] > kurt_thresh)
    return df


def cronbach_alpha(X: np.ndarray) -> float:
    """k²·mean(off-diagonal covariance)/sum(covariance), complete rows (COINr ``get_cronbach``)."""
    X = _finite(X)
    Z = X[~np.isnan(X).any(1)]
    k = X.shape[1]
    if k < 2 or len(Z) < 3:
        return float("nan")
    C = np.cov(Z, rowvar=False)
    off = C[~np.eye(k, dtype=bool)]
    return float(k**2 * off.mean() / C.sum())


def group_pca(X: np.ndarray) -> dict[str, Any]:
    X = _finite(X)
    Z = X[~np.isnan(X).any(1)]
    if X.shape[1] < 2 or len(Z) < 3 or (Z.std(0) == 0).any():
        return {"n_complete": int(len(Z))}
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        C = np.corrcoef(Z, rowvar=False)
    if not np.isfinite(C).all():
        return {"n_complete": int(len(Z))}
    ev, vec = np.linalg.eigh(C)
    o = np.argsort(ev)[::-1]
    ev, vec = ev[o], vec[:, o]
    pc1 = vec[:, 0] * np.sign(vec[:, 0].sum() or 1)
    return {"n_complete": int(len(Z)), "eigenvalues": ev.tolist(), "explained_pc1": float(ev[0] / ev.sum()),
            "n_eigen_gt_1": int((ev > 1).sum()), "pc1_loadings": pc1.tolist()}


def audit(result: Result, *, low: float = 0.3, high: float = 0.9) -> dict[str, Any]:
    fw = result.framework
    raw = result.data.get("screened") or result.data["raw"]
    stats = indicator_stats(raw.X, fw.indicator_ids)
    V = _finite(result.V)
    parent_corr, flags = [], []
    groups: dict[str, Any] = {}
    for i in range(fw.n_ind, fw.n_nodes):
        ch = fw.children[i]
        r = nan_corr(V[:, ch], V[:, [i]])[:, 0]
        for c, rv in zip(ch, r, strict=True):
            parent_corr.append({"node_id": fw.ids[c], "parent_id": fw.ids[i], "r": rv})
            if np.isfinite(rv) and rv < 0:
                flags.append({"type": "negative", "node_id": fw.ids[c], "other": fw.ids[i], "r": rv})
            elif np.isfinite(rv) and rv < low:
                flags.append({"type": "weak", "node_id": fw.ids[c], "other": fw.ids[i], "r": rv})
        R = nan_corr(V[:, ch])
        for a in range(len(ch)):
            for b in range(a + 1, len(ch)):
                if np.isfinite(R[a, b]) and R[a, b] > high:
                    flags.append({"type": "redundant", "node_id": fw.ids[ch[a]], "other": fw.ids[ch[b]], "r": R[a, b]})
        groups[fw.ids[i]] = {"children": [fw.ids[c] for c in ch], "cronbach_alpha": cronbach_alpha(V[:, ch]),
                             "pca": group_pca(V[:, ch]), "corr": R.tolist()}
    levels = {}
    for L in range(2, fw.max_level + 1):
        lower = np.flatnonzero(fw.level == L - 1)
        upper = np.flatnonzero(fw.level == L)
        levels[f"{L - 1}-{L}"] = {"rows": [fw.ids[x] for x in lower], "cols": [fw.ids[x] for x in upper],
                                  "r": nan_corr(V[:, lower], V[:, upper]).tolist()}
    return {"indicator_stats": stats, "parent_correlations": pd.DataFrame(parent_corr), "flags": pd.DataFrame(flags),
            "groups": groups, "levels": levels}


def audit_json(a: dict[str, Any]) -> dict[str, Any]:
    def clean(x: Any) -> Any:
        if isinstance(x, pd.DataFrame):
            return [clean(r) for r in x.to_dict("records")]
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        if isinstance(x, (float, np.floating)):
            return None if not np.isfinite(x) else float(x)
        if isinstance(x, np.integer):
            return int(x)
        if isinstance(x, np.bool_):
            return bool(x)
        return x

    return clean(a)
