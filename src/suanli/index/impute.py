"""Imputation of missing values (NaN). ``impute(X, ctx) -> X`` never changes an observed value.

* ``mean`` / ``median``: column mean or median (COINr ``i_mean``/``i_median``).
* ``min``: column minimum. For data censored from below the way published top-k lists are (a
  source prints only the largest units), the smallest printed value is the largest value an
  unlisted unit can have: the imputation gives it that bound, never more, and never ranks it above
  a unit that was printed.
* ``group_mean`` / ``group_median``: within the unit group given by ``group`` (a group column);
  units whose group has no value for the indicator fall back to the column statistic.
* ``carry_forward``: the same unit's value in the previous year (panel ``latest``), then optionally
  a column statistic for what is still missing.
* ``em``: expectation-maximisation under a multivariate normal (the Handbook's EM): starting from
  column means, iterate E (conditional expectation of the missing block given the observed block,
  plus its conditional covariance) and M (mean and covariance) until the change is < ``tol``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from .base import Method, Registry


@dataclass
class ImputeContext:
    indicator_ids: list[str]
    unit_ids: np.ndarray
    groups: dict[str, np.ndarray] = field(default_factory=dict)
    previous: tuple[np.ndarray, np.ndarray] | None = None  # (unit_ids, X) of the previous year


class Imputer(Method):
    def impute(self, X: np.ndarray, ctx: ImputeContext) -> np.ndarray:
        raise NotImplementedError


IMPUTERS: Registry[Imputer] = Registry("imputation")


def _fill(X: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(X), values, X)


@IMPUTERS.register
class MeanImputer(Imputer):
    name = "mean"

    def impute(self, X, ctx):
        with np.errstate(invalid="ignore"):
            return _fill(X, np.nanmean(X, 0) if len(X) else np.nan)


@IMPUTERS.register
class MedianImputer(Imputer):
    name = "median"

    def impute(self, X, ctx):
        return _fill(X, np.nanmedian(X, 0) if len(X) else np.nan)


@IMPUTERS.register
class MinImputer(Imputer):
    name = "min"

    def impute(self, X, ctx):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing column stays missing
            return _fill(X, np.nanmin(X, 0) if len(X) else np.nan)


class _GroupParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group: str = Field(description="Group column of the data, e.g. region or GDP_group.")


def _group_impute(X: np.ndarray, ctx: ImputeContext, group: str, stat) -> np.ndarray:
    if group not in ctx.groups:
        raise InputError(f"imputation by group '{group}': no such group column",
                         hint=f"group columns: {', '.join(ctx.groups) or 'none'}")
    g = ctx.groups[group]
    out = X.copy()
    for lab in np.unique(g):
        m = g == lab
        with np.errstate(invalid="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                out[m] = _fill(X[m], stat(X[m], 0))
    with np.errstate(invalid="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return _fill(out, stat(X, 0))


@IMPUTERS.register
class GroupMeanImputer(Imputer):
    name = "group_mean"
    Params = _GroupParams

    def impute(self, X, ctx):
        return _group_impute(X, ctx, self.params.group, np.nanmean)


@IMPUTERS.register
class GroupMedianImputer(Imputer):
    name = "group_median"
    Params = _GroupParams

    def impute(self, X, ctx):
        return _group_impute(X, ctx, self.params.group, np.nanmedian)


@IMPUTERS.register
class CarryForward(Imputer):
    name = "carry_forward"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        then: Literal["none", "mean", "median"] = "none"

    def impute(self, X, ctx):
        out = X.copy()
        if ctx.previous is not None:
            pu, pX = ctx.previous
            pos = {u: i for i, u in enumerate(pu)}
            for r, u in enumerate(ctx.unit_ids):
                if u in pos:
                    out[r] = np.where(np.isnan(out[r]), pX[pos[u]], out[r])
        if self.params.then != "none":
            out = IMPUTERS.create(self.params.then).impute(out, ctx)
        return out


@IMPUTERS.register
class EMImputer(Imputer):
    name = "em"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        max_iter: int = Field(200, ge=1)
        tol: float = Field(1e-8, gt=0)
        ridge: float = Field(1e-9, ge=0, description="Added to the covariance diagonal for stability.")

    def impute(self, X, ctx):
        return em_impute(X, max_iter=self.params.max_iter, tol=self.params.tol, ridge=self.params.ridge)[0]


def em_impute(X: np.ndarray, *, max_iter: int = 200, tol: float = 1e-8, ridge: float = 1e-9
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """EM for a multivariate normal with missing values. Returns (X filled, mean, cov, iterations)."""
    X = np.asarray(X, float)
    miss = np.isnan(X)
    if not miss.any():
        return X.copy(), X.mean(0), np.cov(X, rowvar=False), 0
    empty = np.flatnonzero(miss.all(0))
    if len(empty):
        raise InputError(f"EM imputation: indicator column(s) {list(empty)} have no data")
    mu = np.nanmean(X, 0)
    Y = np.where(miss, mu, X)
    S = np.cov(Y, rowvar=False, bias=True) + ridge * np.eye(X.shape[1])
    patterns: dict[bytes, list[int]] = {}
    for r in np.flatnonzero(miss.any(1)):
        patterns.setdefault(miss[r].tobytes(), []).append(r)
    it = 0
    while it < max_iter:
        it += 1
        C = np.zeros_like(S)
        for rows in patterns.values():
            m = miss[rows[0]]
            o = ~m
            if o.any():
                Soo = S[np.ix_(o, o)]
                Smo = S[np.ix_(m, o)]
                B = np.linalg.solve(Soo, Smo.T).T  # Smo Soo^-1
                Y[np.ix_(rows, m)] = mu[m] + (Y[np.ix_(rows, o)] - mu[o]) @ B.T
                cm = S[np.ix_(m, m)] - B @ Smo.T
            else:
                Y[np.ix_(rows, m)] = mu[m]
                cm = S[np.ix_(m, m)]
            C[np.ix_(m, m)] += cm * len(rows)
        mu_new = Y.mean(0)
        D = Y - mu_new
        S_new = (D.T @ D + C) / len(Y) + ridge * np.eye(X.shape[1])
        delta = max(np.abs(mu_new - mu).max(), np.abs(S_new - S).max())
        mu, S = mu_new, S_new
        if delta < tol:
            break
    return np.where(miss, Y, X), mu, S, it
