"""Outlier treatment. COINr's rule, vectorised over indicators.

An indicator *fails* when ``|skew| ≥ skew_thresh`` AND ``kurt ≥ kurt_thresh`` (skew and excess
kurtosis bias-corrected, e1071 type 2). A failing indicator is winsorised: repeatedly the highest
value(s) (if skew ≥ 0, else the lowest) are set to the next value, until it passes or ``winmax``
points have been changed. If it still fails, the second treatment (``f2``, default ``log_ct``:
``log(x − min + 0.01·(max − min))``) is applied to the *original* column (COINr's
``combine_treat = FALSE``). Per-indicator overrides (including ``none``) come from the step's
``per_indicator`` or the framework node's ``treat``.

Fixed here (COINr bugs not copied): ``log_gii`` really transforms (COINr returns x unchanged).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .base import Method, Registry
from .stats import nan_skew, skew_kurt


class Treatment(Method):
    """Protocol: ``treat(X) -> (Y, details)``; details holds per-column arrays and a point mask."""

    def treat(self, X: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        raise NotImplementedError


TREATMENTS: Registry[Treatment] = Registry("treatment")


def passes(X: np.ndarray, skew_thresh: float, kurt_thresh: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sk, kt = skew_kurt(X)
    with np.errstate(invalid="ignore"):
        ok = (np.abs(sk) < skew_thresh) | (kt < kurt_thresh) | np.isnan(sk) | np.isnan(kt)
    return ok, sk, kt


def winsorise(X: np.ndarray, *, winmax: int | None = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5,
              force_win: bool = False, initial: tuple[np.ndarray, np.ndarray] | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """COINr ``winsorise`` on every column at once. Returns (X, nwin per column, changed-point mask)."""
    X = np.array(X, dtype=float, copy=True)
    k = X.shape[1]
    if initial is not None:
        ok, sk_all = initial[0].copy(), initial[1].copy()
    else:
        ok, sk_all, _ = passes(X, skew_thresh, kurt_thresh)
    modified = np.zeros(X.shape, bool)
    nwin = np.zeros(k, int)
    limit = np.inf if winmax is None else winmax
    stuck = np.zeros(k, bool)
    active = (~ok | force_win) & (nwin < limit)
    while active.any():
        cols = np.flatnonzero(active)
        S = X[:, cols]
        hi = sk_all[cols] >= 0
        ext = np.where(hi, np.nanmax(S, 0), np.nanmin(S, 0))
        at = S == ext
        excl = np.where(at, np.nan, S)
        with np.errstate(invalid="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                nxt = np.where(hi, np.nanmax(excl, 0), np.nanmin(excl, 0))
        can = ~np.isnan(nxt)
        stuck[cols[~can]] = True
        S = np.where(at & can, nxt, S)
        X[:, cols] = S
        modified[:, cols] |= at & can
        nwin[cols] = modified[:, cols].sum(0)
        ok_c, sk_c, _ = passes(S, skew_thresh, kurt_thresh)
        ok[cols] = ok_c
        sk_all[cols] = sk_c
        active = (~ok | force_win) & (nwin < limit) & ~stuck
    return X, nwin, modified


def log_ct(X: np.ndarray) -> np.ndarray:
    lo, hi = np.nanmin(X, 0), np.nanmax(X, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log(X - lo + 0.01 * (hi - lo))


def log_ct_plus(X: np.ndarray) -> np.ndarray:
    """log_CT for positive skew; for negative skew the mirrored transform −log_CT(−x) (keeps order)."""
    neg = nan_skew(X) < 0
    return np.where(neg, -log_ct(-X), log_ct(X))


def log_ct_orig(X: np.ndarray) -> np.ndarray:
    return np.log(X - np.nanmin(X, 0) + 1)


def log_gii(X: np.ndarray) -> np.ndarray:
    lo, hi = np.nanmin(X, 0), np.nanmax(X, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log((hi - 1) * (X - lo) / (hi - lo) + 1)


def boxcox(X: np.ndarray, lam: float, makepos: bool = True) -> np.ndarray:
    if makepos:
        X = X - np.nanmin(X, 0) + 1
    return np.log(X) if lam == 0 else (X**lam - 1) / lam


TRANSFORMS = {"log_ct": log_ct, "log_ct_plus": log_ct_plus, "log_ct_orig": log_ct_orig, "log_gii": log_gii}


@TREATMENTS.register
class COINrTreatment(Treatment):
    name = "coinr"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        winmax: int | None = Field(5, ge=0)
        skew_thresh: float = Field(2.0, gt=0)
        kurt_thresh: float = 3.5
        force_win: bool = False
        f2: Literal["log_ct", "log_ct_plus", "log_ct_orig", "log_gii", "none"] = "log_ct"

    def treat(self, X):
        p = self.params
        ok0, sk0, kt0 = passes(X, p.skew_thresh, p.kurt_thresh)
        W, nwin, mod = winsorise(X, winmax=p.winmax, skew_thresh=p.skew_thresh, kurt_thresh=p.kurt_thresh,
                                 force_win=p.force_win, initial=(ok0, sk0))
        changed = nwin > 0
        ok1, sk1, kt1 = ok0.copy(), sk0.copy(), kt0.copy()
        if changed.any():
            ok1[changed], sk1[changed], kt1[changed] = passes(W[:, changed], p.skew_thresh, p.kurt_thresh)
        use_f2 = ~ok1 if p.f2 != "none" else np.zeros(X.shape[1], bool)
        Y = W
        ok2, sk2, kt2 = ok1.copy(), sk1.copy(), kt1.copy()
        if use_f2.any():
            Y[:, use_f2] = TRANSFORMS[p.f2](X[:, use_f2])
            mod[:, use_f2] = ~np.isnan(X[:, use_f2])
            ok2[use_f2], sk2[use_f2], kt2[use_f2] = passes(Y[:, use_f2], p.skew_thresh, p.kurt_thresh)
        return Y, {"skew": sk0, "kurt": kt0, "pass": ok0, "nwin": np.where(use_f2, 0, nwin),
                   "skew_win": sk1, "kurt_win": kt1, "pass_win": ok1,
                   "treatment": np.where(use_f2, p.f2, np.where(nwin > 0, "winsorise", "none")),
                   "skew_final": sk2, "kurt_final": kt2, "pass_final": ok2, "points": mod}


@TREATMENTS.register
class WinsoriseOnly(Treatment):
    name = "winsorise"
    Params = COINrTreatment.Params

    def treat(self, X):
        p = self.params
        ok0, sk0, kt0 = passes(X, p.skew_thresh, p.kurt_thresh)
        W, nwin, mod = winsorise(X, winmax=p.winmax, skew_thresh=p.skew_thresh, kurt_thresh=p.kurt_thresh,
                                 force_win=p.force_win)
        ok1, sk1, kt1 = passes(W, p.skew_thresh, p.kurt_thresh)
        return W, {"skew": sk0, "kurt": kt0, "pass": ok0, "nwin": nwin,
                   "treatment": np.where(nwin > 0, "winsorise", "none"),
                   "skew_final": sk1, "kurt_final": kt1, "pass_final": ok1, "points": mod}


def _transform_class(key: str):
    class _T(Treatment):
        name = key

        def treat(self, X):
            Y = TRANSFORMS[key](X)
            return Y, {"treatment": np.full(X.shape[1], key, dtype=object), "points": ~np.isnan(X)}

    _T.__name__ = f"Transform_{key}"
    return _T


for _k in TRANSFORMS:
    TREATMENTS.register(_transform_class(_k))


@TREATMENTS.register
class BoxCox(Treatment):
    name = "boxcox"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        lam: float = 0.0
        makepos: bool = True

    def treat(self, X):
        return boxcox(X, self.params.lam, self.params.makepos), {
            "treatment": np.full(X.shape[1], "boxcox", dtype=object), "points": ~np.isnan(X)}


@TREATMENTS.register
class NoTreatment(Treatment):
    name = "none"

    def treat(self, X):
        return X.copy(), {"treatment": np.full(X.shape[1], "none", dtype=object),
                          "points": np.zeros(X.shape, bool)}
