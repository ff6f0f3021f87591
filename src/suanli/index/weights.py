"""Weighting methods. A weighter returns a new node-weight vector (keyed by ``fw.ids``; use
:func:`weights_dict` for an id → weight mapping), computed group by group from the bottom up: a
group's children are its indicators' normalised values or, higher up, the children's aggregated
scores (arithmetic mean with the weights found so far).

* ``given``: weights from a mapping id → weight (unknown ids are an error).
* ``equal``: every child of a group weighs the same.
* ``entropy`` (熵权法): p_ij = x_ij/Σ_i x_ij, e_j = −Σ_i p_ij ln p_ij / ln n (0·ln 0 = 0),
  w_j = (1 − e_j)/Σ(1 − e_k). Needs x ≥ 0 (min-max data).
* ``critic`` (Diakoulaki 1995): C_j = σ_j Σ_k (1 − r_jk) on min-max [0,1] data, σ with n−1; w ∝ C.
* ``pca``: the OECD/JRC Handbook recipe: PCA of the correlation matrix (complete rows), keep the
  factors with eigenvalue > 1 (at least one), varimax rotation, squared loadings scaled to unit
  sum per factor; each indicator takes its largest scaled squared loading times its factor's share
  of explained variance. (COINr's signed PC1 loadings are *not* used.)
* ``ahp``: principal eigenvector of a reciprocal pairwise matrix per group; refuses CR > 0.1
  unless ``force``. RI: Saaty's random index.
* ``optimised``: correlation-optimised weights at one level (Becker et al. 2017): ``balance``
  makes the components' correlations with the index proportional to a target (equal by default);
  ``infomax`` maximises their sum. Nelder–Mead over positive weights.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError, Problem
from .aggregate import aggregate_tree
from .base import Method, Registry
from .framework import Framework, check_weights
from .stats import nan_corr, rank_min

#: Saaty's random consistency index RI(n), n = 1..15.
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
                11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}


def weights_dict(fw: Framework, w: np.ndarray) -> dict[str, float]:
    return {k: float(v) for k, v in zip(fw.ids, w, strict=True)}


def entropy_weights(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, float)
    if (X[~np.isnan(X)] < 0).any():
        raise InputError("entropy weights need values ≥ 0", hint="normalise with minmax before weighting")
    n = (~np.isnan(X)).sum(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        P = X / np.nansum(X, 0)
        plogp = np.where(P > 0, P * np.log(np.where(P > 0, P, 1)), 0.0)
        e = -np.nansum(plogp, 0) / np.log(n)
    d = 1 - e
    d = np.where(np.isfinite(d), d, 0.0)
    if d.sum() <= 0:
        return np.full(X.shape[1], 1.0 / X.shape[1])
    return d / d.sum()


def critic_weights(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, float)
    lo, hi = np.nanmin(X, 0), np.nanmax(X, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        Z = (X - lo) / (hi - lo)
    sd = np.nanstd(Z, 0, ddof=1)
    R = nan_corr(Z)
    R = np.where(np.isnan(R), 0.0, R)
    C = np.nan_to_num(sd) * (1 - R).sum(1)
    return C / C.sum() if C.sum() > 0 else np.full(X.shape[1], 1.0 / X.shape[1])


def varimax(L: np.ndarray, gamma: float = 1.0, max_iter: int = 500, tol: float = 1e-10) -> np.ndarray:
    p, k = L.shape
    if k < 2:
        return L.copy()
    R = np.eye(k)
    d = 0.0
    for _ in range(max_iter):
        Lam = L @ R
        u, s, vt = np.linalg.svd(L.T @ (Lam**3 - (gamma / p) * Lam @ np.diag((Lam**2).sum(0))))
        R = u @ vt
        d_new = s.sum()
        if d_new < d * (1 + tol):
            break
        d = d_new
    return L @ R


def pca_weights(X: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    X = np.asarray(X, float)
    rows = ~np.isnan(X).any(1)
    Z = X[rows]
    k = X.shape[1]
    if Z.shape[0] < 3 or k < 2:
        return np.full(k, 1.0 / k), {"note": "too few complete rows or children; equal weights"}
    sd = Z.std(0, ddof=1)
    if (sd == 0).any():
        return np.full(k, 1.0 / k), {"note": "constant child; equal weights"}
    C = np.corrcoef(Z, rowvar=False)
    ev, vec = np.linalg.eigh(C)
    order = np.argsort(ev)[::-1]
    ev, vec = ev[order], vec[:, order]
    m = max(1, int((ev > 1).sum()))
    L = vec[:, :m] * np.sqrt(np.maximum(ev[:m], 0))
    Lr = varimax(L)
    sq = Lr**2
    expl = sq.sum(0)
    scaled = sq / expl
    f = scaled.argmax(1)
    w = scaled[np.arange(k), f] * (expl[f] / expl.sum())
    return w / w.sum(), {"eigenvalues": ev.tolist(), "n_factors": m, "explained": (expl / k).tolist()}


def ahp_weights(M: np.ndarray) -> tuple[np.ndarray, float, float, float]:
    """Principal-eigenvector weights of a pairwise matrix. Returns (w, λmax, CI, CR)."""
    M = np.asarray(M, float)
    n = M.shape[0]
    if M.shape != (n, n) or n < 1:
        raise InputError(f"AHP matrix must be square, got shape {M.shape}")
    if (M <= 0).any() or not np.allclose(M * M.T, 1.0, rtol=1e-6, atol=1e-6):
        raise InputError("AHP matrix must be positive and reciprocal (a_ji = 1/a_ij, a_ii = 1)")
    ev, vec = np.linalg.eig(M)
    i = int(np.argmax(ev.real))
    w = np.abs(vec[:, i].real)
    w = w / w.sum()
    lam = float(ev[i].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.59)
    cr = ci / ri if ri > 0 else 0.0
    return w, lam, ci, cr


class WeightContext:
    """What a weighter sees: framework, normalised indicator data, current weights, aggregation."""

    def __init__(self, fw: Framework, Xn: np.ndarray, w: np.ndarray, unit_ids: np.ndarray | None = None,
                 aggregate: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
        self.fw, self.Xn, self.w, self.unit_ids = fw, Xn, w, unit_ids
        self.aggregate = aggregate or (lambda w_: aggregate_tree(Xn, fw, w_, "amean"))


class Weighter(Method):
    """Protocol: ``weigh(ctx) -> (w[node], details)``."""

    def weigh(self, ctx: WeightContext) -> tuple[np.ndarray, dict[str, Any]]:
        raise NotImplementedError


WEIGHTERS: Registry[Weighter] = Registry("weighting")


class _Levels(BaseModel):
    model_config = ConfigDict(extra="forbid")
    levels: list[int] | None = Field(None, description="Levels (of the parent groups) to weight; default all.")


class GroupWeighter(Weighter):
    """Weights each group's children from their values, bottom-up."""

    Params = _Levels

    def group(self, Y: np.ndarray, child_ids: list[str], group_id: str) -> tuple[np.ndarray, Any]:
        raise NotImplementedError

    def weigh(self, ctx):
        fw = ctx.fw
        w = ctx.w.copy()
        details: dict[str, Any] = {}
        levels = self.params.levels  # type: ignore[attr-defined]
        for L in range(2, fw.max_level + 1):
            if levels is not None and L not in levels:
                continue
            V = ctx.aggregate(w) if L > 2 else ctx.Xn
            for i in fw.level_nodes[L]:
                ch = fw.children[i]
                Y = V[:, ch]
                if len(ch) == 1:
                    w[ch] = 1.0
                    continue
                wg, det = self.group(Y, [fw.ids[c] for c in ch], fw.ids[i])
                w[ch] = wg
                if det is not None:
                    details[fw.ids[i]] = det
        check_weights(fw, w)
        return w, details


@WEIGHTERS.register
class Given(Weighter):
    name = "given"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        weights: dict[str, float] = Field(default_factory=dict, description="id → weight")

    def weigh(self, ctx):
        return ctx.fw.weight_vector({**weights_dict(ctx.fw, ctx.w), **self.params.weights}), {}


@WEIGHTERS.register
class Equal(GroupWeighter):
    name = "equal"

    def group(self, Y, child_ids, group_id):
        return np.ones(len(child_ids)), None


@WEIGHTERS.register
class Entropy(GroupWeighter):
    name = "entropy"

    def group(self, Y, child_ids, group_id):
        return entropy_weights(Y), None


@WEIGHTERS.register
class Critic(GroupWeighter):
    name = "critic"

    def group(self, Y, child_ids, group_id):
        return critic_weights(Y), None


@WEIGHTERS.register
class PCA(GroupWeighter):
    name = "pca"

    def group(self, Y, child_ids, group_id):
        return pca_weights(Y)


class AHPMatrix(BaseModel):
    model_config = ConfigDict(extra="forbid")
    children: list[str] = Field(description="Child ids in the order of the matrix rows.")
    matrix: list[list[float]]


@WEIGHTERS.register
class AHP(Weighter):
    name = "ahp"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        matrices: dict[str, AHPMatrix] = Field(description="group id → pairwise comparison of its children")
        force: bool = Field(False, description="Accept a consistency ratio above max_cr.")
        max_cr: float = 0.1

    def weigh(self, ctx):
        fw = ctx.fw
        w = ctx.w.copy()
        details: dict[str, Any] = {}
        problems = []
        for g, spec in self.params.matrices.items():
            kids = set(fw.children_ids(g))
            if set(spec.children) != kids:
                problems.append(Problem(f"AHP matrix for '{g}' lists {sorted(spec.children)} but its children are "
                                        f"{sorted(kids)}"))
                continue
            wg, lam, ci, cr = ahp_weights(np.array(spec.matrix))
            details[g] = {"lambda_max": lam, "CI": ci, "CR": cr}
            if cr > self.params.max_cr and not self.params.force:
                problems.append(Problem(f"AHP matrix for '{g}' has consistency ratio {cr:.3f} > {self.params.max_cr}",
                                        hint="revise the judgements, or set force: true to accept it"))
            for c, x in zip(spec.children, wg, strict=True):
                w[fw.pos(c)] = x
        if problems:
            raise InputError(problems=problems)
        check_weights(fw, w)
        return w, details


@WEIGHTERS.register
class Optimised(Weighter):
    name = "optimised"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        level: int = Field(2, ge=1, description="Level whose node weights are optimised.")
        optype: Literal["balance", "infomax"] = "balance"
        targets: dict[str, float] | None = Field(None, description="id → target relative importance")
        cortype: Literal["pearson", "spearman"] = "pearson"
        maxiter: int = 500

    def weigh(self, ctx):
        from scipy.optimize import minimize

        fw, p = ctx.fw, self.params
        nodes = np.flatnonzero(fw.level == p.level)
        if not len(nodes):
            raise InputError(f"optimised weights: no nodes at level {p.level}")
        tgt = np.ones(len(nodes))
        for k, v in (p.targets or {}).items():
            tgt[list(nodes).index(fw.pos(k))] = v
        tgt = tgt / tgt.sum()
        w0 = ctx.w.copy()

        def corrs(x: np.ndarray) -> np.ndarray:
            w = w0.copy()
            w[nodes] = np.abs(x) + 1e-12
            V = ctx.aggregate(w)
            A, b = V[:, nodes], V[:, [fw.root]]
            if p.cortype == "spearman":
                A, b = rank_min(A), rank_min(b)
            return nan_corr(A, b)[:, 0]

        def obj(x: np.ndarray) -> float:
            r = corrs(x)
            if p.optype == "infomax":
                return -float(np.nansum(r))
            rr = r / np.nansum(r)
            return float(np.nansum((rr - tgt) ** 2))

        res = minimize(obj, w0[nodes], method="Nelder-Mead", options={"maxiter": p.maxiter, "xatol": 1e-6,
                                                                       "fatol": 1e-12})
        w = w0.copy()
        x = np.abs(res.x)
        w[nodes] = x / x.mean()
        check_weights(fw, w)
        return w, {"objective": float(res.fun), "correlations": corrs(res.x).tolist(), "converged": bool(res.success)}


def resolve_weights(fw: Framework, weights: Mapping[str, float] | np.ndarray | None) -> np.ndarray:
    if weights is None:
        return fw.weight.copy()
    if isinstance(weights, np.ndarray):
        check_weights(fw, weights)
        return weights.astype(float)
    return fw.weight_vector(dict(weights))
