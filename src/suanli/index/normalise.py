"""Normalisation methods, all applied after multiplying each indicator by its direction (±1),
exactly as COINr's ``Normalise`` does. Each method works on all columns at once.

==============  ================================================  =============================
name            formula (x already × direction)                    params (defaults)
==============  ================================================  =============================
minmax          (x−min)/(max−min)·(u−l)+l                          l_u=(0, 100)
zscore          (x−mean)/sd·s+m   (sd with n−1)                    m_sd=(0, 1)
scaled          (x−p1)/(p2−p1)·scale_factor                        npara=(0, 100), scale_factor=100
dist2max        1−(max−x)/(max−min)
dist2ref        1−(x_ref−x)/(x_ref−min)                            ref=unit id, cap_max=False
dist2targ       1−(t−x)/(t−min), t = target × direction            cap_max=False (target per node)
fracmax         x/max
rank            rank(x), ties "min"
borda           rank(x)−1
prank           (rank(x)−1)/(n_nonNA−1)
goalposts       (x−lo)/(hi−lo) truncated to [0,1] ×scale           (lo, hi per node), scale=100
none            x
==============  ================================================  =============================

A constant indicator (max = min) makes min-max-type methods undefined; COINr returns NaN with a
warning, we raise an :class:`InputError` naming the indicator unless ``on_constant="nan"``.

Every method guards its domain the same way: ``fracmax`` needs a positive maximum after the
direction flip (x/max with max ≤ 0 gives ±Inf or reverses the order), ``prank`` needs two values.
Whatever the method, :func:`check_finite` refuses a result that turns a finite input value into
±Inf or NaN, naming the indicators; ``on_constant: nan`` (accepted by every method) opts in to
NaN for those indicators instead (non-finite results become NaN, i.e. missing).

dist2ref and dist2targ are computed as (x − lo)/(ref − lo), not 1 − (ref − x)/(ref − lo): the
same number, but without the cancellation that loses relative precision near 0.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError, Problem
from .base import Method, Registry
from .stats import rank_min


@dataclass
class NormContext:
    """What a normaliser may need besides the data: ids, directions, targets, goalposts."""

    indicator_ids: list[str]
    unit_ids: np.ndarray
    direction: np.ndarray
    target: np.ndarray        # NaN where none
    goalposts: np.ndarray     # [k, 2], NaN where none


class Normaliser(Method):
    """Protocol: ``normalise(X, ctx) -> Y`` with X already multiplied by direction."""

    def normalise(self, X: np.ndarray, ctx: NormContext) -> np.ndarray:
        raise NotImplementedError


NORMALISERS: Registry[Normaliser] = Registry("normalisation")

OnConstant = Literal["error", "nan"]


def _distance_to(X: np.ndarray, ref: np.ndarray, lo: np.ndarray, cap_max: bool) -> np.ndarray:
    """COINr's distance to a reference value, 1 − (ref − x)/(ref − min), computed as
    (x − min)/(ref − min) (no cancellation near 0), optionally capped at 1."""
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (X - lo) / (ref - lo)
    return np.minimum(y, 1) if cap_max else y


def check_finite(X: np.ndarray, Y: np.ndarray, ids: list[str], method: str, on_constant: str) -> np.ndarray:
    """Refuse (or, with ``on_constant="nan"``, blank) indicators whose normalised values are not
    finite where the input was: the method's domain was violated for them."""
    bad_cells = np.isfinite(X) & ~np.isfinite(Y)
    bad_inf = np.isinf(Y)
    bad = np.flatnonzero(bad_cells.any(0) | bad_inf.any(0))
    if not len(bad):
        return Y
    if on_constant == "nan":
        Y = Y.copy()
        Y[~np.isfinite(Y)] = np.nan
        return Y
    names = [ids[j] for j in bad]
    raise InputError(
        f"normalisation '{method}' gives non-finite values (±Inf or NaN) for {len(names)} indicator(s): "
        f"{', '.join(names[:20])}" + (" …" if len(names) > 20 else ""),
        column=names[0],
        hint="the method is undefined for these indicators' values; choose another normalisation for them "
             "(per_indicator), drop them, or set on_constant: nan to treat the results as missing")


def _check_range(lo: np.ndarray, hi: np.ndarray, ctx: NormContext, method: str, on_constant: str,
                 what: str | None = None) -> None:
    bad = np.flatnonzero(~(hi > lo))
    if len(bad) and on_constant == "error":
        raise InputError(problems=[Problem(
            (f"indicator '{ctx.indicator_ids[j]}': the {what} ({hi[j]:g}) is not above the minimum ({lo[j]:g}), "
             f"so '{method}' is undefined" if what else
             f"indicator '{ctx.indicator_ids[j]}' has zero variance (all available values equal "
             f"{lo[j]:g}) or no data, so '{method}' is undefined"), column=ctx.indicator_ids[j],
            hint="drop the indicator, choose another reference/target, set on_constant: nan, or use a "
                 "normalisation with fixed bounds (goalposts, scaled)")
            for j in bad])


class _Const(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on_constant: OnConstant = Field("error", description="error: refuse indicators for which the method is "
                                    "undefined (naming them); nan: their values become missing")


@NORMALISERS.register
class MinMax(Normaliser):
    name = "minmax"

    class Params(_Const):
        l_u: tuple[float, float] = (0.0, 100.0)

    def normalise(self, X, ctx):
        lo, hi = np.nanmin(X, 0), np.nanmax(X, 0)
        _check_range(lo, hi, ctx, self.name, self.params.on_constant)
        a, b = self.params.l_u
        with np.errstate(invalid="ignore", divide="ignore"):
            return (X - lo) / (hi - lo) * (b - a) + a


@NORMALISERS.register
class ZScore(Normaliser):
    name = "zscore"

    class Params(_Const):
        m_sd: tuple[float, float] = (0.0, 1.0)

    def normalise(self, X, ctx):
        mu = np.nanmean(X, 0)
        sd = np.nanstd(X, 0, ddof=1)
        _check_range(np.zeros_like(sd), np.where(np.isnan(sd), 0, sd), ctx, self.name, self.params.on_constant)
        m, s = self.params.m_sd
        with np.errstate(invalid="ignore", divide="ignore"):
            return (X - mu) / sd * s + m


@NORMALISERS.register
class Scaled(Normaliser):
    name = "scaled"

    class Params(_Const):
        npara: tuple[float, float] = (0.0, 100.0)
        scale_factor: float = 100.0

    def normalise(self, X, ctx):
        p1, p2 = self.params.npara
        if p1 == p2:
            raise InputError("scaled normalisation needs npara with p1 ≠ p2")
        return (X - p1) / (p2 - p1) * self.params.scale_factor


@NORMALISERS.register
class Dist2Max(Normaliser):
    name = "dist2max"
    Params = _Const

    def normalise(self, X, ctx):
        lo, hi = np.nanmin(X, 0), np.nanmax(X, 0)
        _check_range(lo, hi, ctx, self.name, self.params.on_constant)
        with np.errstate(invalid="ignore", divide="ignore"):
            return 1 - (hi - X) / (hi - lo)


@NORMALISERS.register
class Dist2Ref(Normaliser):
    name = "dist2ref"

    class Params(_Const):
        ref: str = Field(description="Unit id of the reference unit (by id, never by row number).")
        cap_max: bool = False

    def normalise(self, X, ctx):
        hit = np.flatnonzero(ctx.unit_ids == self.params.ref)
        if not len(hit):
            raise InputError(f"reference unit '{self.params.ref}' for dist2ref is not among the units",
                             hint="give the id of a unit in the data (after screening)")
        xref = X[hit[0]]
        lo = np.nanmin(X, 0)
        _check_range(lo, xref, ctx, self.name, self.params.on_constant, "reference unit's value")
        return _distance_to(X, xref, lo, self.params.cap_max)


@NORMALISERS.register
class Dist2Targ(Normaliser):
    name = "dist2targ"

    class Params(_Const):
        targets: dict[str, float] | None = Field(None, description="id → target; default: framework targets")
        cap_max: bool = False

    def normalise(self, X, ctx):
        t = ctx.target.copy()
        for k, v in (self.params.targets or {}).items():
            if k in ctx.indicator_ids:
                t[ctx.indicator_ids.index(k)] = v
        missing = [ctx.indicator_ids[j] for j in np.flatnonzero(np.isnan(t))]
        if missing:
            raise InputError(f"dist2targ needs a target for: {', '.join(missing[:10])}",
                             hint="set 'target:' on these indicators in the framework")
        t = t * ctx.direction
        lo = np.nanmin(X, 0)
        _check_range(lo, t, ctx, self.name, self.params.on_constant, "target")
        return _distance_to(X, t, lo, self.params.cap_max)


@NORMALISERS.register
class FracMax(Normaliser):
    name = "fracmax"
    Params = _Const

    def normalise(self, X, ctx):
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            hi = np.nanmax(X, 0) if len(X) else np.full(X.shape[1], np.nan)
        bad = np.flatnonzero(~(hi > 0))
        if len(bad) and self.params.on_constant == "error":
            named = [f"{ctx.indicator_ids[j]} (max {hi[j] + 0.0:g})" for j in bad]
            raise InputError(
                f"'fracmax' (x/max) is undefined for {len(bad)} indicator(s) whose maximum after the direction "
                f"flip is not above 0: {', '.join(named[:30])}" + (" …" if len(named) > 30 else ""),
                column=ctx.indicator_ids[bad[0]],
                hint="x/max needs a positive maximum, so negative-direction or negative-valued indicators need "
                     "another normalisation (minmax, dist2max, goalposts; per_indicator in the method), or set "
                     "on_constant: nan to leave them missing")
        with np.errstate(invalid="ignore", divide="ignore"):
            Y = X / np.where(hi > 0, hi, np.nan)
        return Y


@NORMALISERS.register
class Rank(Normaliser):
    Params = _Const
    name = "rank"

    def normalise(self, X, ctx):
        return rank_min(X)


@NORMALISERS.register
class Borda(Normaliser):
    Params = _Const
    name = "borda"

    def normalise(self, X, ctx):
        return rank_min(X) - 1


@NORMALISERS.register
class PRank(Normaliser):
    name = "prank"
    Params = _Const

    def normalise(self, X, ctx):
        n = (~np.isnan(X)).sum(0)
        _check_range(np.ones_like(n), n, ctx, self.name, self.params.on_constant, "number of values")
        with np.errstate(invalid="ignore", divide="ignore"):
            return (rank_min(X) - 1) / (n - 1)


@NORMALISERS.register
class Goalposts(Normaliser):
    name = "goalposts"

    class Params(_Const):
        gposts: dict[str, tuple[float, float]] | None = Field(None, description="id → (lower, upper)")
        scale: float = 100.0
        trunc2posts: bool = True

    def normalise(self, X, ctx):
        g = ctx.goalposts.copy()
        for k, v in (self.params.gposts or {}).items():
            if k in ctx.indicator_ids:
                g[ctx.indicator_ids.index(k)] = v
        missing = [ctx.indicator_ids[j] for j in np.flatnonzero(np.isnan(g).any(1))]
        if missing:
            raise InputError(f"goalposts normalisation needs goalposts for: {', '.join(missing[:10])}",
                             hint="set 'goalposts: [lower, upper]' on these indicators")
        d = ctx.direction
        lo = np.where(d > 0, g[:, 0], -g[:, 1])   # goalposts follow the direction flip (COINr)
        hi = np.where(d > 0, g[:, 1], -g[:, 0])
        if np.any(hi == lo):
            raise InputError("goalposts must have lower ≠ upper")
        y = (X - lo) / (hi - lo)
        if self.params.trunc2posts:
            y = np.clip(y, 0, 1)
        return y * self.params.scale


@NORMALISERS.register
class NoNormalisation(Normaliser):
    Params = _Const
    name = "none"

    def normalise(self, X, ctx):
        return X.copy()
