"""Aggregation: a group's children ``Y[unit, child]`` and weights ``w[child]`` → one score per unit.

Means follow COINr exactly: missing children are skipped and the weights renormalised over the
available ones; ``dat_thresh`` sets a score to NaN when the share of available children is below
it (``sum(!is.na(x))/length(x) < dat_thresh``). Other methods are NaN-aware in the same spirit
(weights renormalised over each unit's available children).

Methods: ``amean``, ``gmean``, ``hmean``, ``genmean`` (power mean, ``p``), ``topsis``, ``vikor``
(score = 1 − Q), ``gra`` (grey relational grade), ``mpi`` (Mazziotta–Pareto; ``variant: ampi`` for
the adjusted index), ``bod`` (benefit of the doubt, DEA via scipy ``linprog``), ``copeland``.

Tree functions:

* :func:`aggregate_tree` — one weight vector, any method per level / per group.
* :func:`aggregate_tree_batch` — many weight vectors at once (``W[n_samples, n_nodes]``) for the
  power means, returning ``[n_samples, n_units, n_aggregates]``; used by uncertainty analysis.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError, Problem
from .base import Method, Registry
from .framework import Framework


@dataclass
class AggContext:
    unit_ids: np.ndarray | None = None
    child_ids: list[str] = field(default_factory=list)
    group_id: str = ""


class Aggregator(Method):
    """Protocol: ``aggregate(Y[unit, child], w[child], ctx) -> score[unit]``."""

    power: float | None = None  # set for power means (batchable)

    def aggregate(self, Y: np.ndarray, w: np.ndarray, ctx: AggContext | None = None) -> np.ndarray:
        raise NotImplementedError


AGGREGATORS: Registry[Aggregator] = Registry("aggregation")


def _bad_values(Y: np.ndarray, mask: np.ndarray, ctx: AggContext | None, method: str, what: str,
                hint: str) -> None:
    if not mask.any():
        return
    ctx = ctx or AggContext()
    rows, cols = np.nonzero(mask)
    problems = []
    for r, c in list(zip(rows, cols, strict=True))[:10]:
        u = ctx.unit_ids[r] if ctx.unit_ids is not None else f"row {r}"
        ch = ctx.child_ids[c] if ctx.child_ids else f"column {c}"
        problems.append(Problem(f"{method} in group '{ctx.group_id}': unit '{u}', '{ch}' = {Y[r, c]:g} is {what}",
                                hint=hint))
    if len(rows) > 10:
        problems.append(Problem(f"… and {len(rows) - 10} more {what} values"))
    raise InputError(problems=problems)


def power_mean(Y: np.ndarray, w: np.ndarray, p: float, ctx: AggContext | None = None,
               method: str = "genmean") -> np.ndarray:
    """Weighted power mean with COINr's missing-data rule (skip NaN, renormalise weights)."""
    Y = np.asarray(Y, float)
    avail = ~np.isnan(Y)
    wa = np.where(avail, w, 0.0)
    den = wa.sum(-1)
    if p == 1:
        num = np.where(avail, Y, 0.0) * wa
        out_num = num.sum(-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, out_num / np.where(den > 0, den, 1), np.nan)
    if p <= 0 or p != int(p):
        _bad_values(Y, avail & (Y <= 0) if p <= 0 else avail & (Y < 0), ctx, method,
                    "not positive" if p <= 0 else "negative",
                    "normalise to a positive range first (e.g. minmax with l_u: [1, 100], COINr's convention) "
                    "or aggregate with amean")
    with np.errstate(invalid="ignore", divide="ignore"):
        if p == 0:
            s = (np.where(avail, np.log(np.where(avail, Y, 1.0)), 0.0) * wa).sum(-1)
            out = np.exp(s / den)
        else:
            s = (np.where(avail, np.where(avail, Y, 1.0) ** p, 0.0) * wa).sum(-1)
            out = (s / den) ** (1.0 / p)
    return np.where(den > 0, out, np.nan)


class _Means(Aggregator):
    def aggregate(self, Y, w, ctx=None):
        return power_mean(Y, w, self.power, ctx, self.name)  # type: ignore[arg-type]


@AGGREGATORS.register
class AMean(_Means):
    name = "amean"
    power = 1.0


@AGGREGATORS.register
class GMean(_Means):
    name = "gmean"
    power = 0.0


@AGGREGATORS.register
class HMean(_Means):
    name = "hmean"
    power = -1.0

    def aggregate(self, Y, w, ctx=None):
        avail = ~np.isnan(Y)
        _bad_values(Y, avail & (Y == 0), ctx, "hmean", "zero",
                    "normalise to a positive range first (e.g. minmax with l_u: [1, 100]) or use amean")
        return super().aggregate(Y, w, ctx)


@AGGREGATORS.register
class GenMean(Aggregator):
    name = "genmean"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        p: float = Field(2.0, description="Power: 1 arithmetic, 0 geometric, −1 harmonic.")

    def __init__(self, **params):
        super().__init__(**params)
        self.power = self.params.p

    def aggregate(self, Y, w, ctx=None):
        return power_mean(Y, w, self.params.p, ctx, "genmean")


def _renorm(w: np.ndarray, avail: np.ndarray) -> np.ndarray:
    wa = np.where(avail, w, 0.0)
    s = wa.sum(1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(s > 0, wa / np.where(s > 0, s, 1), 0.0)


def topsis(X: np.ndarray, w: np.ndarray, types: np.ndarray | None = None, *,
           normalisation: Literal["vector", "none"] = "vector") -> np.ndarray:
    """TOPSIS closeness C = D⁻/(D⁺+D⁻) (Hwang & Yoon 1981) with vector normalisation.

    ``types`` +1 benefit, −1 cost. NaN cells are left out of the norms and distances."""
    X = np.asarray(X, float)
    types = np.ones(X.shape[1]) if types is None else np.asarray(types, float)
    wn = np.asarray(w, float) / np.sum(w)
    if normalisation == "vector":
        with np.errstate(invalid="ignore", divide="ignore"):
            R = X / np.sqrt(np.nansum(X**2, 0))
    else:
        R = X
    V = R * wn
    best = np.where(types > 0, np.nanmax(V, 0), np.nanmin(V, 0))
    worst = np.where(types > 0, np.nanmin(V, 0), np.nanmax(V, 0))
    dp = np.sqrt(np.nansum((V - best) ** 2, 1))
    dm = np.sqrt(np.nansum((V - worst) ** 2, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        c = dm / (dp + dm)
    return np.where(np.isnan(X).all(1), np.nan, c)


@AGGREGATORS.register
class TOPSIS(Aggregator):
    name = "topsis"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        normalisation: Literal["vector", "none"] = "vector"

    def aggregate(self, Y, w, ctx=None):
        _bad_values(Y, ~np.isnan(Y) & (Y < 0), ctx, "topsis", "negative",
                    "vector normalisation needs values ≥ 0; normalise with minmax first")
        return topsis(Y, w, normalisation=self.params.normalisation)


def vikor(X: np.ndarray, w: np.ndarray, v: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """VIKOR (Opricovic & Tzeng 2004) on benefit criteria. Returns (S, R, Q); lower Q is better.

    Missing data: a unit's weights are renormalised over the criteria it has; a unit with no
    criterion at all gets NaN and takes no part in the S/R ranges (``S*``, ``S⁻``, ``R*``, ``R⁻``)
    that scale Q, so one unit missing a whole group never blanks everybody else's score."""
    X = np.asarray(X, float)
    avail = ~np.isnan(X)
    none = ~avail.any(1)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # all-NaN columns: no range, d = 0
        fb, fw_ = np.nanmax(X, 0), np.nanmin(X, 0)
        rng = fb - fw_
        d = np.where(rng > 0, (fb - X) / np.where(rng > 0, rng, 1), 0.0)
    wr = _renorm(np.asarray(w, float), avail)
    wd = np.where(avail, wr * d, 0.0)                     # d ≥ 0, so 0 never wins the max below
    S = np.where(none, np.nan, wd.sum(1))
    R = np.where(none, np.nan, np.where(avail, wd, 0.0).max(1) if X.shape[1] else 0.0)
    if none.all():
        return S, R, np.full(len(X), np.nan)
    s_lo, s_hi, r_lo, r_hi = np.nanmin(S), np.nanmax(S), np.nanmin(R), np.nanmax(R)
    qs = (S - s_lo) / (s_hi - s_lo) if s_hi > s_lo else np.where(none, np.nan, 0.0)
    qr = (R - r_lo) / (r_hi - r_lo) if r_hi > r_lo else np.where(none, np.nan, 0.0)
    Q = v * qs + (1 - v) * qr
    return S, R, Q


@AGGREGATORS.register
class VIKOR(Aggregator):
    name = "vikor"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        v: float = Field(0.5, ge=0, le=1, description="Weight of the group-utility strategy.")

    def aggregate(self, Y, w, ctx=None):
        return 1.0 - vikor(Y, w, self.params.v)[2]


def grey_relational(X: np.ndarray, w: np.ndarray, rho: float = 0.5) -> np.ndarray:
    """Grey relational grade against the ideal series (column maxima): ξ = (Δmin+ρΔmax)/(Δ+ρΔmax)."""
    X = np.asarray(X, float)
    delta = np.abs(np.nanmax(X, 0) - X)
    dmin, dmax = np.nanmin(delta), np.nanmax(delta)
    with np.errstate(invalid="ignore", divide="ignore"):
        xi = (dmin + rho * dmax) / (delta + rho * dmax) if dmax > 0 else np.ones_like(X)
    avail = ~np.isnan(X)
    wr = _renorm(np.asarray(w, float), avail)
    return np.where(avail.any(1), np.nansum(np.where(avail, xi * wr, 0), 1), np.nan)


@AGGREGATORS.register
class GRA(Aggregator):
    name = "gra"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        rho: float = Field(0.5, gt=0, le=1, description="Distinguishing coefficient.")

    def aggregate(self, Y, w, ctx=None):
        return grey_relational(Y, w, self.params.rho)


def mazziotta_pareto(X: np.ndarray, w: np.ndarray, *, variant: Literal["mpi", "ampi"] = "mpi",
                     penalty: float = -1.0) -> np.ndarray:
    """Mazziotta–Pareto index: M + penalty·S·cv on standardised values.

    ``mpi``: z = 100 + 10·(x − mean)/sd (population sd); ``ampi``: r = 70 + 60·(x − min)/(max − min).
    M, S are the (weighted) mean and standard deviation of the unit's values, cv = S/M."""
    X = np.asarray(X, float)
    if variant == "mpi":
        with np.errstate(invalid="ignore", divide="ignore"):
            Z = 100 + 10 * (X - np.nanmean(X, 0)) / np.nanstd(X, 0)
    else:
        lo, hi = np.nanmin(X, 0), np.nanmax(X, 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            Z = 70 + 60 * (X - lo) / (hi - lo)
    avail = ~np.isnan(Z)
    wr = _renorm(np.asarray(w, float), avail)
    M = np.nansum(np.where(avail, Z * wr, 0), 1)
    S = np.sqrt(np.nansum(np.where(avail, wr * (Z - M[:, None]) ** 2, 0), 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = M + penalty * S * (S / M)
    return np.where(avail.any(1), out, np.nan)


@AGGREGATORS.register
class MPI(Aggregator):
    name = "mpi"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        variant: Literal["mpi", "ampi"] = "mpi"
        penalty: float = Field(-1.0, description="−1 penalises unbalanced profiles (positive phenomenon).")

    def aggregate(self, Y, w, ctx=None):
        return mazziotta_pareto(Y, w, variant=self.params.variant, penalty=self.params.penalty)


def benefit_of_the_doubt(X: np.ndarray, *, lower: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """BoD (Cherchye et al. 2007): for each unit, max Σ w_j y_ij s.t. Σ w_j y_kj ≤ 1 ∀k, w_j ≥ lower.

    Solved with scipy's ``linprog`` (HiGHS). Missing values count as 0. Returns (scores, weights)."""
    from scipy.optimize import linprog

    Y = np.nan_to_num(np.asarray(X, float), nan=0.0)
    n, k = Y.shape
    scores, W = np.full(n, np.nan), np.full((n, k), np.nan)
    for i in range(n):
        res = linprog(-Y[i], A_ub=Y, b_ub=np.ones(n), bounds=[(lower, None)] * k, method="highs")
        if res.status == 0:
            scores[i], W[i] = -res.fun, res.x
    scores[np.isnan(np.asarray(X, float)).all(1)] = np.nan
    return scores, W


@AGGREGATORS.register
class BoD(Aggregator):
    name = "bod"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        lower: float = Field(0.0, ge=0, description="Lower bound on every endogenous weight.")

    def aggregate(self, Y, w, ctx=None):
        _bad_values(Y, ~np.isnan(Y) & (Y < 0), ctx, "bod", "negative",
                    "benefit of the doubt needs values ≥ 0; normalise with minmax first")
        return benefit_of_the_doubt(Y, lower=self.params.lower)[0]


def outranking_matrix(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """O[i, k] = share of weight (over indicators both units have) where i beats k, ties count half."""
    X = np.asarray(X, float)
    w = np.asarray(w, float)
    a, b = X[:, None, :], X[None, :, :]
    both = ~np.isnan(a) & ~np.isnan(b)
    wb = np.where(both, w, 0.0)
    tot = wb.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        o = (np.where(a > b, wb, 0).sum(-1) + 0.5 * np.where(a == b, wb, 0).sum(-1)) / tot
    np.fill_diagonal(o, 0.0)
    return o


@AGGREGATORS.register
class Copeland(Aggregator):
    name = "copeland"

    def aggregate(self, Y, w, ctx=None):
        o = outranking_matrix(Y, w)
        s = np.sign(np.nan_to_num(o - 0.5, nan=0.0))
        np.fill_diagonal(s, 0)
        out = s.sum(1)
        return np.where(np.isnan(Y).all(1), np.nan, out)


# ------------------------------------------------------------------------------------------------
# the tree
# ------------------------------------------------------------------------------------------------

DatThresh = float | Mapping[int, float] | None


def _thresh(dat_thresh: DatThresh, level: int) -> float | None:
    if dat_thresh is None:
        return None
    if isinstance(dat_thresh, Mapping):
        return dat_thresh.get(level)
    return float(dat_thresh)


@dataclass
class AggregationPlan:
    """Which aggregator for each group: per-node override, else per-level, else ``default``."""

    default: Aggregator
    by_level: dict[int, Aggregator] = field(default_factory=dict)
    by_node: dict[str, Aggregator] = field(default_factory=dict)
    dat_thresh: DatThresh = None

    def for_node(self, fw: Framework, i: int) -> Aggregator:
        return self.by_node.get(fw.ids[i]) or self.by_level.get(int(fw.level[i])) or self.default

    @classmethod
    def simple(cls, method: str = "amean", params: dict | None = None, dat_thresh: DatThresh = None
               ) -> AggregationPlan:
        return cls(AGGREGATORS.create(method, params), dat_thresh=dat_thresh)


def _scored_someone(s: np.ndarray, Y: np.ndarray, agg: Aggregator, ctx: AggContext) -> None:
    """An aggregator that returns no score at all although units have data is a failure, not a
    result: an all-empty ranking would otherwise look like a valid answer (every rank a dash)."""
    has = ~np.isnan(Y)
    if len(s) and np.isnan(s).all() and has.any():
        n = int(has.any(1).sum())
        raise InputError(
            f"aggregation '{agg.name}' in group '{ctx.group_id}' scored no unit although {n} unit(s) have data "
            f"for its children ({', '.join(ctx.child_ids[:6])}{', …' if len(ctx.child_ids) > 6 else ''})",
            hint="the method cannot handle these values (missing groups, constant or negative columns); "
                 "choose another aggregation or normalisation")


def aggregate_tree(Xn: np.ndarray, fw: Framework, w: np.ndarray | Mapping[str, float] | None = None,
                   plan: AggregationPlan | str = "amean", *, dat_thresh: DatThresh = None,
                   unit_ids: np.ndarray | None = None) -> np.ndarray:
    """Scores of every node: ``Xn[unit, indicator]`` (normalised) → ``V[unit, node]`` (node order of
    ``fw.ids``; the first ``fw.n_ind`` columns are ``Xn``)."""
    if isinstance(plan, str):
        plan = AggregationPlan.simple(plan, dat_thresh=dat_thresh)
    elif dat_thresh is not None:
        plan = AggregationPlan(plan.default, plan.by_level, plan.by_node, dat_thresh)
    wv = fw.weight_vector(dict(w)) if isinstance(w, Mapping) else (fw.weight if w is None else np.asarray(w, float))
    U = Xn.shape[0]
    V = np.empty((U, fw.n_nodes))
    V[:, : fw.n_ind] = Xn
    for i in range(fw.n_ind, fw.n_nodes):  # aggregates are ordered by level
        ch = fw.children[i]
        Y = V[:, ch]
        agg = plan.for_node(fw, i)
        ctx = AggContext(unit_ids, [fw.ids[c] for c in ch], fw.ids[i])
        s = agg.aggregate(Y, wv[ch], ctx)
        _scored_someone(s, Y, agg, ctx)
        t = _thresh(plan.dat_thresh, int(fw.level[i]))
        if t is not None:
            s = np.where((~np.isnan(Y)).mean(1) < t, np.nan, s)
        V[:, i] = s
    return V


def aggregate_tree_batch(Xn: np.ndarray, fw: Framework, W: np.ndarray, *, p: float | np.ndarray = 1.0,
                         dat_thresh: DatThresh = None, chunk: int = 256) -> np.ndarray:
    """Vectorised over weight vectors: ``W[n_samples, n_nodes]`` (columns in ``fw.ids`` order; build it
    from id-keyed mappings with ``fw.weight_matrix``) → scores ``[n_samples, n_units, n_aggregates]``
    (aggregates in ``fw.aggregate_ids`` order) for the power mean ``p`` (1 amean, 0 gmean, −1 hmean),
    with COINr's skip-and-renormalise rule and ``dat_thresh``. Identical to :func:`aggregate_tree`
    row by row.

    ``p`` may also be one power per node (``[n_nodes]``, used at each aggregate), and ``Xn`` may be
    per sample (``[n_samples, n_units, n_ind]``, e.g. with measurement noise) instead of shared."""
    Xn = np.asarray(Xn, float)
    W = np.atleast_2d(np.asarray(W, float))
    if W.shape[1] != fw.n_nodes:
        raise InputError(f"W must have one column per node ({fw.n_nodes}), got {W.shape[1]}")
    if (W < 0).any() or not np.isfinite(W).all():
        raise InputError("weights must be finite and ≥ 0")
    if Xn.ndim == 3 and len(Xn) != len(W):
        raise InputError(f"per-sample data must have one slice per weight row ({len(W)}), got {len(Xn)}")
    pw = np.full(fw.n_nodes, float(p)) if np.ndim(p) == 0 else np.asarray(p, float)
    if pw.shape != (fw.n_nodes,):
        raise InputError(f"p must be a number or one power per node ({fw.n_nodes}), got shape {pw.shape}")
    S, U = W.shape[0], Xn.shape[-2]
    out = np.empty((S, U, fw.n_nodes - fw.n_ind))
    for a in range(0, S, chunk):
        Xc = Xn if Xn.ndim == 2 else Xn[a:a + chunk]
        out[a:a + chunk] = _batch_chunk(Xc, fw, W[a:a + chunk], pw, dat_thresh)
    return out


def check_power_positive(X: np.ndarray, cols: np.ndarray, p: float, fw: Framework, node: int) -> None:
    sub = X[..., cols]
    bad = ~np.isnan(sub) & (sub <= 0)
    if not bad.any():
        return
    flat = bad.reshape(-1, len(cols))
    j = int(np.flatnonzero(flat.any(0))[0])
    v = sub.reshape(-1, len(cols))[flat[:, j], j][0]
    raise InputError(
        f"a power mean with p = {p:g} at '{fw.ids[node]}' got {v:g} (≤ 0) in '{fw.ids[int(cols[j])]}' "
        f"({int(bad.sum())} such values)",
        hint="normalise to a positive range first (minmax with l_u: [1, 100]) or use the arithmetic mean")


def power_transform(Y: np.ndarray, p: float) -> np.ndarray:
    if p == 1:
        return Y
    if p == 0:
        return np.log(Y)
    return Y**p


def power_untransform(Y: np.ndarray, p: float) -> np.ndarray:
    if p == 1:
        return Y
    if p == 0:
        return np.exp(Y)
    return Y ** (1.0 / p)


def _batch_chunk(X: np.ndarray, fw: Framework, W: np.ndarray, pw: np.ndarray, dat_thresh: DatThresh) -> np.ndarray:
    """One chunk of :func:`aggregate_tree_batch`; ``X`` is ``[U, n_ind]`` or ``[S, U, n_ind]``."""
    S = len(W)
    n_ind = fw.n_ind
    U = X.shape[-2]
    A = ~np.isnan(X)
    aggs = np.full((S, U, fw.n_nodes - n_ind), np.nan)
    transformed: dict[float, np.ndarray] = {}
    for i in range(n_ind, fw.n_nodes):
        p = float(pw[i])
        ch = fw.children[i]
        ci, ca = ch[ch < n_ind], ch[ch >= n_ind] - n_ind
        num = np.zeros((S, U))
        den = np.zeros((S, U))
        cnt = np.zeros((S, U))
        if len(ci):
            if p <= 0:
                check_power_positive(X, ci, p, fw, i)
            if p not in transformed:
                with np.errstate(invalid="ignore", divide="ignore"):
                    transformed[p] = np.where(A, power_transform(np.where(A, X, 1.0), p), 0.0)
            T = transformed[p]
            wi = W[:, ci]                                  # [S, k]
            Af = A[..., ci].astype(float)
            if X.ndim == 2:
                num += (T[:, ci] @ wi.T).T
                den += (Af @ wi.T).T
                cnt += Af.sum(1)[None, :]
            else:
                num += np.einsum("suk,sk->su", T[..., ci], wi)
                den += np.einsum("suk,sk->su", Af, wi)
                cnt += Af.sum(-1)
        if len(ca):
            Va = aggs[:, :, ca]                             # [S, U, k]
            Aa = ~np.isnan(Va)
            if p <= 0 and (np.where(Aa, Va, 1.0) <= 0).any():
                raise InputError(f"a power mean with p = {p:g} at '{fw.ids[i]}' got a child score ≤ 0",
                                 hint="use a positive normalisation range (minmax l_u [1, 100])")
            wa = W[:, n_ind + ca][:, None, :]              # [S, 1, k]
            with np.errstate(invalid="ignore", divide="ignore"):
                Ta = np.where(Aa, power_transform(np.where(Aa, Va, 1.0), p), 0.0)
            num += (Ta * wa).sum(-1)
            den += (Aa * wa).sum(-1)
            cnt += Aa.sum(-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where(den > 0, power_untransform(num / np.where(den > 0, den, 1), p), np.nan)
        t = _thresh(dat_thresh, int(fw.level[i]))
        if t is not None:
            s = np.where(cnt / len(ch) < t, np.nan, s)
        aggs[:, :, i - n_ind] = s
    return aggs
