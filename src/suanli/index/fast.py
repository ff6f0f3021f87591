"""Fast re-scoring for dashboards and what-if analysis.

:class:`Rescorer` runs the expensive, weight-independent part of a pipeline once (everything
before ``normalise``), caches each normalisation's output, and then re-aggregates for any weights
(by id), normalisation and aggregation name.

For power means (``amean``, ``gmean``, ``hmean``, ``genmean``: the methods a weight slider acts
on) the aggregation runs on :class:`TreeArrays`, the framework tree laid out once as index
arrays: the groups of one level with the same number of children are aggregated together in one
``[unit, group, child]`` array, so a re-score is a dozen numpy calls instead of a dozen per
group. The arithmetic is the same, element by element and in the same order, as
:func:`~suanli.index.aggregate.aggregate_tree` (tests compare the two bit for bit); whatever
that fast path does not cover (other methods, values a power mean refuses, groups that score
nobody) goes through ``aggregate_tree`` itself, which also raises the engine's own errors.
300 units re-score in well under a millisecond.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import (
    AGGREGATORS,
    AggregationPlan,
    GenMean,
    _Means,
    _thresh,
    aggregate_tree,
    aggregate_tree_batch,
    power_mean,
)
from .data import Dataset
from .framework import Framework, check_weights
from .pipeline import NormaliseStep, PipelineSpec, Result, build, normalise_data
from .ranks import rank_scores


@dataclass(frozen=True)
class _Block:
    """Groups of one level with ``k`` children each: ``parents[g]`` aggregates ``children[g, :]``."""

    level: int
    parents: np.ndarray       # [n_groups]
    children: np.ndarray      # [n_groups, k]


class TreeArrays:
    """The framework tree as index arrays, built once per framework: for each level (bottom up)
    the groups bucketed by their number of children (:class:`_Block`), plus the id → position
    table. What :meth:`scores`, :meth:`weights` and :meth:`effective` do per request is then a
    fixed, short sequence of vectorised numpy calls."""

    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        self.index = dict(fw.index)
        blocks: list[_Block] = []
        for L in sorted({int(x) for x in fw.level[fw.n_ind:]}):
            nodes = [i for i in range(fw.n_ind, fw.n_nodes) if int(fw.level[i]) == L]
            by_k: dict[int, list[int]] = {}
            for i in nodes:
                by_k.setdefault(len(fw.children[i]), []).append(i)
            for k, ps in sorted(by_k.items()):
                if k == 0:
                    continue
                blocks.append(_Block(L, np.array(ps, dtype=np.int64),
                                     np.stack([np.asarray(fw.children[i], dtype=np.int64) for i in ps])))
        self.blocks = blocks
        self.empty_groups = [i for i in range(fw.n_ind, fw.n_nodes) if len(fw.children[i]) == 0]
        # top-down order for effective weights: level by level from the root
        self.down = [np.flatnonzero((fw.level == L) & (fw.parent >= 0))
                     for L in range(int(fw.level.max()), 0, -1)]

    def weights(self, base: np.ndarray, weights: Mapping[str, float] | None) -> np.ndarray:
        """``base`` with the id-keyed ``weights`` put in, checked as
        :meth:`Framework.weight_vector` checks them (its errors, word for word)."""
        w = base.copy()
        if weights:
            try:
                for k, v in weights.items():
                    w[self.index[k]] = float(v)
            except KeyError:
                return self.fw.weight_vector({**dict(zip(self.fw.ids, base, strict=True)), **dict(weights)})
        bad = not np.isfinite(w).all() or bool((w < 0).any())
        if not bad:
            for b in self.blocks:
                if (w[b.children] == 0).all(1).any():
                    bad = True
                    break
        if bad:
            check_weights(self.fw, w)     # raises the engine's message naming the ids
        return w

    def effective(self, w: np.ndarray) -> np.ndarray:
        """Each node's share of the index (:meth:`Framework.effective_weights`, vectorised)."""
        wn = np.ones(self.fw.n_nodes)
        for b in self.blocks:
            wc = w[b.children]
            s = wc.sum(1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                wn[b.children] = np.where(s > 0, wc / np.where(s > 0, s, 1.0), 0.0)
        eff = np.ones(self.fw.n_nodes)
        for nodes in self.down:
            eff[nodes] = eff[self.fw.parent[nodes]] * wn[nodes]
        return eff

    def powers(self, plan: AggregationPlan) -> np.ndarray | None:
        """The power of every block's groups under ``plan`` ([n_blocks]), or None when some group
        is not aggregated by a power mean or the groups of a block differ (then the caller uses
        :func:`aggregate_tree`)."""
        out = []
        for b in self.blocks:
            ps = set()
            for i in b.parents.tolist():
                agg = plan.for_node(self.fw, i)
                if not isinstance(agg, (_Means, GenMean)) or agg.power is None:
                    return None
                ps.add(float(agg.power))
            if len(ps) != 1:
                return None
            out.append(ps.pop())
        return np.array(out)

    def scores(self, Xn: np.ndarray, w: np.ndarray, powers: np.ndarray, dat_thresh: Any) -> np.ndarray | None:
        """``V[unit, node]`` as :func:`aggregate_tree` computes it for power means, or None when
        a group gets values its power mean refuses or scores nobody (``aggregate_tree`` then
        raises the engine's error)."""
        if self.empty_groups:
            return None
        fw = self.fw
        U = Xn.shape[0]
        V = np.empty((U, fw.n_nodes))
        V[:, : fw.n_ind] = Xn
        for b, p in zip(self.blocks, powers.tolist(), strict=True):
            Y = V[:, b.children]                                   # [U, groups, k]
            avail = ~np.isnan(Y)
            if p != 1 and (p <= 0 or p != int(p)) and (avail & ((Y <= 0) if p <= 0 else (Y < 0))).any():
                return None  # outside the mean's domain: the engine path raises its own error
            s = power_mean(Y, w[b.children], p)
            if U and (np.isnan(s).all(0) & avail.any((0, 2))).any():
                return None
            th = _thresh(dat_thresh, b.level)
            if th is not None:
                s = np.where(avail.mean(-1) < th, np.nan, s)
            V[:, b.parents] = s
        return V


@dataclass
class Rescored:
    unit_ids: np.ndarray
    node_ids: list[str]
    V: np.ndarray
    ranks: np.ndarray

    def frame(self, node_id: str | None = None) -> pd.DataFrame:
        j = self.node_ids.index(node_id) if node_id else len(self.node_ids) - 1
        return pd.DataFrame({"unit_id": self.unit_ids, "score": self.V[:, j], "rank": self.ranks[:, j]})


class Rescorer:
    """``Rescorer(result)`` or ``Rescorer.from_spec(spec, data)``; then ``rescore(...)``."""

    def __init__(self, result: Result) -> None:
        if result.pre_normalised is None:
            raise ValueError("result has no pre-normalisation data")
        self.result = result
        self.fw = result.framework
        self.X = result.pre_normalised.X
        self.unit_ids = result.pre_normalised.unit_ids
        step = next(s for s in result.spec.steps if s.step == "normalise")
        self._base_norm = step
        self._cache: dict[str, np.ndarray] = {"": result.data["normalised"].X}
        self._lock = threading.Lock()
        self.base_weights = result.weights
        self.tree = TreeArrays(self.fw)
        self._plans: dict[Any, tuple[AggregationPlan, np.ndarray | None]] = {}

    @classmethod
    def from_spec(cls, spec: PipelineSpec, data: Dataset, **kw: Any) -> Rescorer:
        return cls(build(spec, data, **kw))

    @staticmethod
    def _norm_key(normalisation: str | None, params: dict[str, Any] | None) -> str:
        return "" if normalisation is None else repr((normalisation, sorted((params or {}).items())))

    def normalised(self, normalisation: str | None = None, params: dict[str, Any] | None = None) -> np.ndarray:
        """The normalised data for a method (``None`` = as built), computed once and cached
        (thread-safe: two threads asking for the same new method compute it once)."""
        key = self._norm_key(normalisation, params)
        X = self._cache.get(key)
        if X is None:
            with self._lock:
                X = self._cache.get(key)
                if X is None:
                    st = NormaliseStep(method=normalisation or self._base_norm.method, params=params or {})
                    X = normalise_data(self.X, self.fw, st, self.unit_ids, self.result.norm_ctx)
                    self._cache[key] = X
        return X

    def is_cached(self, normalisation: str | None = None, params: dict[str, Any] | None = None) -> bool:
        """Whether :meth:`normalised` would answer without computing."""
        return self._norm_key(normalisation, params) in self._cache

    def plan(self, aggregation: str | None = None, aggregation_params: dict[str, Any] | None = None,
             dat_thresh: Any = None) -> tuple[AggregationPlan, np.ndarray | None]:
        """The aggregation plan for a method name (``None`` = as built) and, when every group is a
        power mean, the power of each :class:`TreeArrays` block (else None). Cached per method."""
        key = (aggregation, repr(sorted((aggregation_params or {}).items())) if aggregation_params else None,
               repr(dat_thresh))
        got = self._plans.get(key)
        if got is None:
            if aggregation is None and aggregation_params is None:
                plan = self.result.plan
                if dat_thresh is not None:
                    plan = AggregationPlan(plan.default, plan.by_level, plan.by_node, dat_thresh)
            else:
                plan = AggregationPlan(AGGREGATORS.create(aggregation or "amean", aggregation_params),
                                       dat_thresh=dat_thresh if dat_thresh is not None else self.result.plan.dat_thresh)
            got = (plan, self.tree.powers(plan))
            if len(self._plans) < 64:
                self._plans[key] = got
        return got

    def weights(self, weights: Mapping[str, float] | None = None) -> np.ndarray:
        """The build's weights with the id-keyed ``weights`` put in (checked; the engine's errors)."""
        return self.tree.weights(self.base_weights, weights)

    def is_fast(self, normalisation: str | None = None, aggregation: str | None = None, *,
                normalisation_params: dict[str, Any] | None = None) -> bool:
        """Whether a re-score with these methods is the sub-millisecond path: the normalisation is
        cached and every group is aggregated by a power mean (a caller may then skip a thread)."""
        return self.is_cached(normalisation, normalisation_params) and self.plan(aggregation)[1] is not None

    def scores_for(self, w: np.ndarray, Xn: np.ndarray, plan: AggregationPlan,
                   powers: np.ndarray | None) -> np.ndarray:
        """``V[unit, node]`` for a checked weight vector, normalised data and plan: the
        :class:`TreeArrays` path for power means, else (or when it declines) ``aggregate_tree``."""
        if powers is not None:
            V = self.tree.scores(Xn, w, powers, plan.dat_thresh)
            if V is not None:
                return V
        return aggregate_tree(Xn, self.fw, w, plan, unit_ids=self.unit_ids)

    def rescore(self, weights: Mapping[str, float] | None = None, normalisation: str | None = None,
                aggregation: str | None = None, *, normalisation_params: dict[str, Any] | None = None,
                aggregation_params: dict[str, Any] | None = None, dat_thresh: Any = None) -> Rescored:
        """Scores and ranks of every node for id-keyed ``weights`` (missing ids keep the build's
        weights), a normalisation name and an aggregation name (``None`` = as built)."""
        V = self.scores(weights, normalisation, aggregation, normalisation_params=normalisation_params,
                        aggregation_params=aggregation_params, dat_thresh=dat_thresh)
        return Rescored(self.unit_ids, self.fw.ids, V, rank_scores(V))

    def scores(self, weights: Mapping[str, float] | None = None, normalisation: str | None = None,
               aggregation: str | None = None, *, normalisation_params: dict[str, Any] | None = None,
               aggregation_params: dict[str, Any] | None = None, dat_thresh: Any = None) -> np.ndarray:
        """The scores ``V[unit, node]`` of :meth:`rescore` without the ranks (a caller that needs
        the ranks of one node only ranks that column: ranking every node costs as much as a
        third of the aggregation)."""
        w = self.weights(weights)
        Xn = self.normalised(normalisation, normalisation_params)
        plan, powers = self.plan(aggregation, aggregation_params, dat_thresh)
        return self.scores_for(w, Xn, plan, powers)

    def rescore_many(self, W: np.ndarray, *, p: float = 1.0, normalisation: str | None = None,
                     dat_thresh: Any = None) -> np.ndarray:
        """Power-mean scores for a weight matrix ``W[n_samples, n_nodes]`` → ``[n_samples, n_units,
        n_aggregates]``."""
        Xn = self.normalised(normalisation)
        return aggregate_tree_batch(Xn, self.fw, W, p=p,
                                    dat_thresh=dat_thresh if dat_thresh is not None else self.result.plan.dat_thresh)
