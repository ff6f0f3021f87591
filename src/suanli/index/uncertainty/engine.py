"""The vectorised evaluator: many samples of methodological choices → ranks, in batches.

:func:`prepare` checks the specification against the pipeline (a choice that does not apply is an
error, never ignored; incompatible combinations are caught up front) and runs the real pipeline
once per combination of data-changing choices (imputation × treatment × normalisation), caching
each normalised data set and its weights. :meth:`Prepared.evaluate` then takes a block of design
rows and

1. decodes every row into choices (``floor(u·k)``) and weight multipliers;
2. groups the rows by their discrete choices;
3. per group, scores all rows at once: when the data are complete and every level uses the same
   power mean, the tree collapses to *effective weights* and the index is one matrix product
   ``T(X) @ W_eff.T`` (T = identity, log or x^p); otherwise a level-by-level batched aggregation
   with COINr's missing-data rule (skip NaN, renormalise weights, ``dat_thresh``);
4. ranks every row at once (ties "min", NaN unranked = 0).

Measurement noise makes the data differ per sample; those rows are normalised as one stacked
array (still no per-sample pipeline). Non-power-mean aggregators (TOPSIS, Copeland …) fall back to
one :func:`~suanli.index.aggregate.aggregate_tree` call per sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import ConfigError, InputError, Problem
from ..aggregate import (
    AGGREGATORS,
    AggregationPlan,
    Aggregator,
    aggregate_tree,
    aggregate_tree_batch,
    check_power_positive,
    power_transform,
    power_untransform,
)
from ..data import Dataset
from ..framework import Framework
from ..normalise import NORMALISERS, NormContext, check_finite
from ..pipeline import NormaliseStep, PipelineSpec, build
from ..stats import tie_round
from .sampling import Factor, choice
from .spec import (
    AggregateInput,
    Alternative,
    ExcludeInput,
    ImputeInput,
    NoiseInput,
    NormaliseInput,
    TreatInput,
    UncertaintySpec,
    WeightSetsInput,
    WeightsInput,
)


@dataclass
class Variant:
    Xn: np.ndarray          # [U, n_ind] normalised
    w: np.ndarray           # [n_nodes] weights of this variant's pipeline
    pre: np.ndarray         # [U, n_ind] data entering normalisation
    norm_step: NormaliseStep
    has_nan: bool


@dataclass
class Prepared:
    """Everything a worker needs to evaluate design rows (picklable)."""

    fw: Framework
    unit_ids: np.ndarray
    unit_names: np.ndarray
    factors: list[Factor]
    n_dims: int
    variants: dict[tuple[int, int, int], Variant]
    base_plan: AggregationPlan
    out_nodes: np.ndarray                   # node positions reported
    nominal_ranks: np.ndarray               # [n_out, U] int (0 = unranked)
    seed: int
    # per-factor decoding info, keyed by factor index
    weight_info: dict[int, dict[str, Any]] = field(default_factory=dict)
    agg_info: dict[int, tuple[np.ndarray, list[Aggregator]]] = field(default_factory=dict)
    disc: dict[str, int] = field(default_factory=dict)       # kind → factor index (impute/treat/normalise)
    exclude: tuple[int, np.ndarray, bool] | None = None       # (factor, candidate positions, include_none)
    noise: list[tuple[int, np.ndarray, np.ndarray, str]] = field(default_factory=list)
    weight_sets: list[tuple[int, np.ndarray]] = field(default_factory=list)  # (factor, multipliers [k, n_nodes])
    norm_ctx: NormContext | None = None
    _powers: dict[tuple, tuple[np.ndarray | None, AggregationPlan]] = field(default_factory=dict, repr=False)

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    @property
    def root_out(self) -> int:
        return int(np.flatnonzero(self.out_nodes == self.fw.root)[0])

    # -- decoding ---------------------------------------------------------------------------------
    def decode(self, U: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
        """Design rows → (codes [S, n_codes] int, weight multipliers [S, n_nodes], noise keys …)."""
        S = len(U)
        M = np.ones((S, self.fw.n_nodes))
        for fi, info in self.weight_info.items():
            f = self.factors[fi]
            u = U[:, f.cols]
            pos = info["pos"]
            if info["mode"] == "uniform":
                M[:, pos] *= 1 + info["spread"] * (2 * u - 1)
            else:
                from scipy.special import gammaincinv

                g = gammaincinv(info["alpha"][None, :], np.clip(u, 1e-12, 1 - 1e-12))
                gs = np.zeros((S, len(info["sib_ids"])))
                np.add.at(gs.T, info["sib"], g.T)  # sibling sums
                share = g / gs[:, info["sib"]]
                M[:, pos] *= share / info["share"][None, :]
        for fi, R in self.weight_sets:
            M *= R[choice(U[:, self.factors[fi].offset], len(R))]
        codes = [np.zeros(S, np.int64)] * 3
        for j, kind in enumerate(("impute", "treat", "normalise")):
            if kind in self.disc:
                f = self.factors[self.disc[kind]]
                codes[j] = choice(U[:, f.offset], len(f.choices))
        agg_codes = []
        for fi in sorted(self.agg_info):
            f = self.factors[fi]
            agg_codes.append(choice(U[:, f.offset], len(f.choices)))
        if self.exclude is not None:
            fi, cand, none = self.exclude
            f = self.factors[fi]
            e = choice(U[:, f.offset], len(f.choices)) - (1 if none else 0)
            hit = e >= 0
            M[np.flatnonzero(hit), cand[e[hit]]] = 0.0
        keys = [(choice(U[:, self.factors[fi].offset], 2**31), pos, sd, rel) for fi, pos, sd, rel in self.noise]
        C = np.column_stack(codes + agg_codes) if agg_codes else np.column_stack(codes)
        return C, M, keys  # type: ignore[return-value]

    def _plan_for(self, agg_codes: tuple[int, ...]) -> tuple[np.ndarray | None, AggregationPlan]:
        """Per-node power vector (None if some aggregator is not a power mean) and the plan."""
        if agg_codes in self._powers:
            return self._powers[agg_codes]
        fw = self.fw
        aggs: list[Aggregator] = [self.base_plan.for_node(fw, i) for i in range(fw.n_nodes)]
        for (_fi, (mask, alts)), c in zip(sorted(self.agg_info.items()), agg_codes, strict=True):
            for i in np.flatnonzero(mask):
                aggs[i] = alts[c]
        by_node = {fw.ids[i]: aggs[i] for i in range(fw.n_ind, fw.n_nodes)}
        plan = AggregationPlan(self.base_plan.default, {}, by_node, self.base_plan.dat_thresh)
        pw = np.full(fw.n_nodes, np.nan)
        ok = True
        for i in range(fw.n_ind, fw.n_nodes):
            p = getattr(aggs[i], "power", None)
            if p is None:
                ok = False
            else:
                pw[i] = p
        self._powers[agg_codes] = (pw if ok else None, plan)
        return self._powers[agg_codes]

    # -- evaluation -------------------------------------------------------------------------------
    def evaluate(self, U: np.ndarray) -> np.ndarray:
        """Design rows ``U[S, n_dims]`` → ranks ``[S, n_out, n_units]`` (int32, 0 = unranked)."""
        S = len(U)
        out = np.zeros((S, len(self.out_nodes), self.n_units), np.int32)
        if S == 0:
            return out
        C, M, keys = self.decode(U)
        uniq, inv = np.unique(C, axis=0, return_inverse=True)
        inv = inv.ravel()
        order = np.argsort(inv, kind="stable")
        bounds = np.searchsorted(inv[order], np.arange(len(uniq) + 1))
        for g, row in enumerate(uniq):
            idx = order[bounds[g]:bounds[g + 1]]
            v = self.variants[(int(row[0]), int(row[1]), int(row[2]))]
            W = v.w[None, :] * M[idx]
            pw, plan = self._plan_for(tuple(int(x) for x in row[3:]))
            X: np.ndarray = v.Xn
            has_nan = v.has_nan
            if keys:
                X = self._noisy(v, [(k[idx], pos, sd, rel) for k, pos, sd, rel in keys])
                has_nan = bool(np.isnan(X).any())
            sc = self._scores(X, W, pw, plan, has_nan)             # [s, n_out, U]
            out[idx] = rank_rows(sc.reshape(-1, self.n_units)).reshape(sc.shape)
        return out

    def _noisy(self, v: Variant, keys: list[tuple[np.ndarray, np.ndarray, np.ndarray, str]]) -> np.ndarray:
        s = len(keys[0][0])
        Xs = np.broadcast_to(v.pre, (s, *v.pre.shape)).copy()
        with np.errstate(invalid="ignore"):
            spread = np.nanstd(v.pre, axis=0, ddof=1)
        for q, (k, pos, sd, rel) in enumerate(keys):
            for r in range(s):  # one small RNG per sample: noise is keyed by its design value
                rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(2, q, int(k[r])))))
                eps = rng.standard_normal((self.n_units, len(pos)))
                if rel == "sd":
                    Xs[r][:, pos] += eps * sd * spread[pos]
                else:
                    Xs[r][:, pos] *= 1 + eps * sd
        return normalise_stack(Xs, self.fw, v.norm_step, self.unit_ids, self.norm_ctx)

    def _scores(self, X: np.ndarray, W: np.ndarray, pw: np.ndarray | None, plan: AggregationPlan,
                has_nan: bool) -> np.ndarray:
        fw = self.fw
        s = len(W)
        if pw is None:  # not batchable: one aggregate_tree per sample
            res = np.empty((s, len(self.out_nodes), self.n_units))
            for r in range(s):
                Xr = X if X.ndim == 2 else X[r]
                V = aggregate_tree(Xr, fw, W[r], plan, unit_ids=self.unit_ids)
                res[r] = V[:, self.out_nodes].T
            return tie_round(res, axis=-1)
        p_agg = pw[fw.n_ind:]
        if not has_nan and np.all(p_agg == p_agg[0]):
            p = float(p_agg[0])
            if p <= 0:
                check_power_positive(X, np.arange(fw.n_ind), p, fw, fw.root)
            with np.errstate(divide="ignore", invalid="ignore"):
                T = power_transform(X, p)
            res = np.empty((s, len(self.out_nodes), self.n_units))
            for j, node in enumerate(self.out_nodes):
                E = effective_weights_batch(W, fw, int(node))   # [s, n_ind]
                y = E @ T.T if T.ndim == 2 else np.einsum("sk,suk->su", E, T)
                res[:, j] = power_untransform(y, p)
            return tie_round(res, axis=-1)
        V = tree_batch(X, fw, W, pw, plan.dat_thresh)
        return tie_round(V[:, :, self.out_nodes - fw.n_ind].transpose(0, 2, 1), axis=-1)


# ------------------------------------------------------------------------------------------------
# numerical kernels
# ------------------------------------------------------------------------------------------------


def effective_weights_batch(W: np.ndarray, fw: Framework, node: int) -> np.ndarray:
    """Effective weight of each indicator in ``node``'s score, per row of ``W[S, n_nodes]`` (complete
    data): weights normalised among siblings that are *alive* (positive weight and at least one
    alive child), multiplied down the tree. Zero-weight (excluded) branches drop out exactly as
    COINr's skip-and-renormalise rule drops a missing child."""
    S = len(W)
    alive = np.ones((S, fw.n_nodes), bool)
    contrib = W > 0
    for i in range(fw.n_ind, fw.n_nodes):       # aggregates are ordered by level
        ch = fw.children[i]
        contrib[:, ch] &= alive[:, ch]
        alive[:, i] = contrib[:, ch].any(1)
    eff = np.zeros((S, fw.n_nodes))
    eff[:, node] = alive[:, node]
    stack = [node]
    while stack:
        i = stack.pop()
        ch = fw.children[i]
        if not len(ch):
            continue
        wc = np.where(contrib[:, ch], W[:, ch], 0.0)
        tot = wc.sum(1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            eff[:, ch] = np.where(tot > 0, wc / np.where(tot > 0, tot, 1), 0.0) * eff[:, [i]]
        stack.extend(int(c) for c in ch if c >= fw.n_ind)
    return eff[:, : fw.n_ind]


def tree_batch(X: np.ndarray, fw: Framework, W: np.ndarray, pw: np.ndarray, dat_thresh: Any = None,
               sub: int = 512) -> np.ndarray:
    """Power-mean scores of every aggregate for each weight row with a power per node (``pw``):
    :func:`~suanli.index.aggregate.aggregate_tree_batch` with the engine's chunk size."""
    return aggregate_tree_batch(X, fw, W, p=pw, dat_thresh=dat_thresh, chunk=sub)


def rank_rows(V: np.ndarray) -> np.ndarray:
    """Ranks within each row (1 = highest; ties share the smallest rank; NaN → 0)."""
    S, U = V.shape
    nan = np.isnan(V)
    key = -V
    if nan.any():
        key = np.where(nan, np.inf, key)
    order = np.argsort(key, axis=1)                      # ties need no stable sort: they share a rank
    flat = order + (np.arange(S, dtype=np.intp) * U)[:, None]
    sk = key.ravel()[flat]
    new = np.empty((S, U), bool)
    new[:, 0] = True
    np.not_equal(sk[:, 1:], sk[:, :-1], out=new[:, 1:])
    pos = np.where(new, np.arange(1, U + 1, dtype=np.int32)[None, :], 0)
    np.maximum.accumulate(pos, axis=1, out=pos)
    r = np.empty(S * U, np.int32)
    r[flat.ravel()] = pos.ravel()
    r = r.reshape(S, U)
    if nan.any():
        r[nan] = 0
    return r


def normalise_stack(Xs: np.ndarray, fw: Framework, step: NormaliseStep, unit_ids: np.ndarray,
                    ctx: NormContext | None) -> np.ndarray:
    """:func:`~suanli.index.pipeline.normalise_data` for a stack ``Xs[S, U, n_ind]`` in one call per
    method (the samples become extra columns)."""
    from ..pipeline import norm_context

    ctx = ctx or norm_context(fw, unit_ids)
    S, U, k = Xs.shape
    Xd = Xs * fw.direction[:k]
    choice_: list[tuple[str, dict[str, Any]]] = []
    for sp in fw.specs[:k]:
        ref = step.per_indicator.get(sp.id) or sp.normalise
        choice_.append((ref.method, ref.params) if ref else (step.method, step.params))
    groups: dict[str, list[int]] = {}
    for j, (m, p) in enumerate(choice_):
        groups.setdefault(repr((m, sorted(p.items()))), []).append(j)
    out = np.empty_like(Xd)
    for cols in groups.values():
        m, p = choice_[cols[0]]
        c = np.array(cols)
        flat = Xd[:, :, c].transpose(1, 0, 2).reshape(U, S * len(c))
        sub = NormContext([ctx.indicator_ids[j] for j in cols] * S, ctx.unit_ids, np.tile(ctx.direction[c], S),
                          np.tile(ctx.target[c], S), np.tile(ctx.goalposts[c], (S, 1)))
        norm = NORMALISERS.create(m, p)
        Y = check_finite(flat, norm.normalise(flat, sub), sub.indicator_ids, m,
                         getattr(norm.params, "on_constant", "error"))
        out[:, :, c] = Y.reshape(U, S, len(c)).transpose(1, 0, 2)
    return out


# ------------------------------------------------------------------------------------------------
# preparation: the spec checked against the pipeline
# ------------------------------------------------------------------------------------------------


def _step_index(spec: PipelineSpec, kind: str, what: str) -> int:
    hits = [i for i, s in enumerate(spec.steps) if s.step == kind]
    if not hits:
        raise ConfigError(f"the uncertainty spec varies {what}, but the pipeline has no '{kind}' step, so the "
                          "choice would not apply",
                          hint=f"add a '{kind}' step to the method (the base choice), or remove the '{kind}' "
                               "input; a choice absent from the pipeline is never silently ignored")
    if len(hits) > 1:
        raise ConfigError(f"the pipeline has {len(hits)} '{kind}' steps; varying '{kind}' is ambiguous",
                          hint="keep one step of this kind")
    return hits[0]


def _apply_alt(spec: PipelineSpec, kind: str, alt: Alternative) -> PipelineSpec:
    if kind == "impute" and not any(s.step == "impute" for s in spec.steps):
        # a pipeline without an impute step leaves gaps to the aggregation (the 'none' choice);
        # another choice inserts an impute step first, as COINr orders them
        if alt.method in (None, "none"):
            return spec
        first = spec.steps[0].step if spec.steps else None
        return spec.with_step({"step": "impute", "method": alt.method, "params": alt.params}, before=first)
    i = _step_index(spec, kind, kind)
    base = spec.steps[i]
    if alt.method == "none" and kind == "impute":
        return PipelineSpec(steps=[s for j, s in enumerate(spec.steps) if j != i])
    if alt.method is None or alt.method == getattr(base, "method", None):
        params = {**getattr(base, "params", {}), **alt.params}
        return spec.replace(i, params=params)
    changes: dict[str, Any] = {"method": alt.method, "params": alt.params}
    return spec.replace(i, **changes)


def _alternatives(inp: Any, spec: PipelineSpec, kind: str) -> list[Alternative]:
    alts = list(inp.alternatives)
    if kind == "treat" and inp.on_off:
        if alts:
            raise ConfigError("treat input: give either 'on_off: true' or 'alternatives', not both")
        base = spec.steps[_step_index(spec, "treat", "outlier treatment")]
        alts = [Alternative(label=f"{base.method} (on)"), Alternative(method="none", label="off")]
    if len(alts) < 2:
        raise ConfigError(f"the '{kind}' input needs at least two alternatives, got {len(alts)}",
                          hint="list the choices under 'alternatives' (the nominal one may be among them)")
    labels = [a.describe() for a in alts]
    if len(set(labels)) < len(labels):
        raise ConfigError(f"the '{kind}' input lists the same alternative twice: {labels}")
    return alts


def prepare(uspec: UncertaintySpec, data: Dataset, pipeline: PipelineSpec, *,
            previous: Dataset | None = None) -> Prepared:
    """Check ``uspec`` against ``pipeline`` and ``data``; precompute every data variant."""
    fw = data.framework
    problems: list[Problem] = []
    nominal = build(pipeline, data, previous=previous)
    nidx = _step_index(pipeline, "normalise", "normalisation")
    base_norm = pipeline.steps[nidx]

    factors: list[Factor] = []
    disc_alts: dict[str, list[Alternative]] = {}
    prep_kw: dict[str, Any] = {"weight_info": {}, "agg_info": {}, "disc": {}, "noise": [], "weight_sets": []}
    exclude = None
    offset = 0
    agg_levels_seen: set[int] = set()
    for inp in uspec.inputs:
        fi = len(factors)
        if isinstance(inp, WeightsInput):
            pos_l = []
            for L in inp.levels:
                if L not in set(int(x) for x in fw.level) or L >= fw.max_level:
                    problems.append(Problem(f"weights input: level {L} has no weights to vary (levels with "
                                            f"weights: 1…{fw.max_level - 1})", hint="the index itself has no weight"))
                    continue
                nodes = np.flatnonzero(fw.level == L)
                movable = [i for i in nodes if len(fw.children[fw.parent[i]]) > 1]
                if not movable:
                    problems.append(Problem(f"weights input: every node at level {L} is an only child, so its "
                                            "weight cannot change any score", hint="vary another level"))
                    continue
                pos_l.extend(movable)
            if not pos_l:
                continue
            pos = np.array(sorted(pos_l))
            info: dict[str, Any] = {"pos": pos, "mode": inp.mode, "spread": inp.spread}
            if inp.mode == "dirichlet":
                w = nominal.weights
                sib_ids = sorted({int(fw.parent[i]) for i in pos})
                sib = np.array([sib_ids.index(int(fw.parent[i])) for i in pos])
                tot = np.array([w[fw.children[p]].sum() for p in sib_ids])
                share = w[pos] / tot[sib]
                if (share <= 0).any():
                    problems.append(Problem("weights input (dirichlet): a node with weight 0 cannot be drawn",
                                            hint="give it a positive weight or use mode: uniform"))
                    continue
                info.update(sib=sib, sib_ids=sib_ids, share=share, alpha=inp.concentration * share)
            prep_kw["weight_info"][fi] = info
            factors.append(Factor(inp.label(), "weights", len(pos), offset, [fw.ids[i] for i in pos]))
        elif isinstance(inp, (NormaliseInput, ImputeInput, TreatInput)):
            kind = inp.kind
            what = {"normalise": "normalisation", "impute": "imputation", "treat": "outlier treatment"}[kind]
            if not (kind == "impute" and any(a.method == "none" for a in inp.alternatives)):
                _step_index(pipeline, kind, what)  # without an impute step, 'none' is the nominal choice
            alts = _alternatives(inp, pipeline, kind)
            disc_alts[kind] = alts
            prep_kw["disc"][kind] = fi
            factors.append(Factor(inp.label(), kind, 1, offset, [a.describe() for a in alts]))
        elif isinstance(inp, AggregateInput):
            _step_index(pipeline, "aggregate", "aggregation")
            alts = _alternatives(inp, pipeline, "aggregate")
            levels = inp.levels or list(range(2, fw.max_level + 1))
            bad = [L for L in levels if L < 2 or L > fw.max_level]
            if bad:
                problems.append(Problem(f"aggregate input: no aggregates at level(s) {bad} (aggregate levels: "
                                        f"2…{fw.max_level})"))
                continue
            over = agg_levels_seen & set(levels)
            if over:
                problems.append(Problem(f"aggregate inputs overlap at level(s) {sorted(over)}"))
                continue
            agg_levels_seen |= set(levels)
            mask = np.isin(fw.level, levels) & (np.arange(fw.n_nodes) >= fw.n_ind)
            pinned = [fw.ids[i] for i in np.flatnonzero(mask) if fw.specs[i].aggregate is not None]
            if pinned and len(pinned) == mask.sum():
                problems.append(Problem(f"aggregate input: every aggregate at level(s) {levels} has its own "
                                        f"method in the framework ({', '.join(pinned[:5])}), so the choice "
                                        "would not apply", hint="remove the per-node 'aggregate:' or this input"))
                continue
            mask[[fw.pos(k) for k in pinned]] = False
            objs = [AGGREGATORS.create(a.method or "amean", a.params) for a in alts]
            prep_kw["agg_info"][fi] = (mask, objs)
            factors.append(Factor(inp.label(), "aggregate", 1, offset, [a.describe() for a in alts]))
        elif isinstance(inp, ExcludeInput):
            cand_ids = inp.indicators or fw.indicator_ids
            unknown = [k for k in cand_ids if k not in fw.index or fw.pos(k) >= fw.n_ind]
            if unknown:
                problems.append(Problem(f"exclude input: not indicators of the framework: {unknown[:10]}"))
                continue
            cand = np.array([fw.pos(k) for k in cand_ids])
            labels = (["none"] if inp.include_none else []) + [f"-{k}" for k in cand_ids]
            if len(labels) < 2:
                problems.append(Problem("exclude input: needs at least two choices"))
                continue
            exclude = (fi, cand, inp.include_none)
            factors.append(Factor(inp.label(), "exclude", 1, offset, labels))
        elif isinstance(inp, WeightSetsInput):
            from ..weights import weights_dict

            nominal_w = nominal.weights
            rows = []
            for si, ws in enumerate(inp.sets):
                unknown = [k for k in ws if k not in fw.index]
                if unknown:
                    problems.append(Problem(f"weight_sets: set {si + 1} names ids not in the framework: {unknown[:10]}"))
                    continue
                w_set = fw.weight_vector({**weights_dict(fw, nominal_w), **ws})
                zero = [fw.ids[i] for i in np.flatnonzero((nominal_w == 0) & (w_set > 0))]
                if zero:
                    problems.append(Problem(f"weight_sets: set {si + 1} gives weight to {zero[:5]}, which have "
                                            "weight 0 in the pipeline", hint="give them a positive nominal weight"))
                    continue
                with np.errstate(invalid="ignore", divide="ignore"):
                    rows.append(np.where(nominal_w > 0, w_set / np.where(nominal_w > 0, nominal_w, 1.0), 0.0))
            if len(rows) == len(inp.sets):
                prep_kw["weight_sets"].append((fi, np.array(rows)))
                factors.append(Factor(inp.label(), "weight_sets", 1, offset,
                                      [f"set {i + 1}" for i in range(len(rows))]))
        elif isinstance(inp, NoiseInput):
            if any(s.step == "weight" and s.method != "given" for s in pipeline.steps):
                problems.append(Problem("noise input: the pipeline derives weights from the data (weight step); "
                                        "noisy samples would need them re-estimated",
                                        hint="fix the weights (method: given) or drop the noise input"))
                continue
            ind = inp.indicators
            ids = list(ind) if ind is not None else fw.indicator_ids
            unknown = [k for k in ids if k not in fw.index or fw.pos(k) >= fw.n_ind]
            if unknown:
                problems.append(Problem(f"noise input: not indicators of the framework: {unknown[:10]}"))
                continue
            if isinstance(ind, dict):
                sd = np.array([ind[k] for k in ids], float)
            elif inp.sd is not None:
                sd = np.full(len(ids), inp.sd, float)
            else:  # declared per indicator in the framework (noise_sd), else the framework's default
                sd = np.array([fw.noise_sd(k) for k in ids], float)
            if (sd < 0).any() or not (sd > 0).any():
                problems.append(Problem("noise input: sd must be ≥ 0 and positive for at least one indicator"))
                continue
            prep_kw["noise"].append((fi, np.array([fw.pos(k) for k in ids]), sd, inp.relative_to))
            factors.append(Factor(inp.label(), "noise", 1, offset, []))
        offset = sum(f.dims for f in factors)
    if problems:
        raise ConfigError(problems=problems)

    # the data variants: one pipeline run per (imputation, treatment, normalisation)
    n_imp = len(disc_alts.get("impute", [None]))
    n_trt = len(disc_alts.get("treat", [None]))
    n_nrm = len(disc_alts.get("normalise", [None]))
    variants: dict[tuple[int, int, int], Variant] = {}
    for a in range(n_imp):
        for b in range(n_trt):
            for c in range(n_nrm):
                sp = pipeline
                try:
                    if "impute" in disc_alts:
                        sp = _apply_alt(sp, "impute", disc_alts["impute"][a])
                    if "treat" in disc_alts:
                        sp = _apply_alt(sp, "treat", disc_alts["treat"][b])
                    if "normalise" in disc_alts:
                        sp = _apply_alt(sp, "normalise", disc_alts["normalise"][c])
                    r = build(sp, data, previous=previous)
                except (ConfigError, InputError) as exc:
                    labels = [disc_alts[k][i].describe() for k, i in (("impute", a), ("treat", b),
                                                                       ("normalise", c)) if k in disc_alts]
                    raise ConfigError(f"the pipeline fails for the combination {' + '.join(labels)}: {exc}") from None
                if list(r.unit_ids) != list(nominal.unit_ids):
                    raise ConfigError("a choice changes which units are scored (screening after imputation or "
                                      "treatment); ranks would not be comparable",
                                      hint="screen before the varied steps or fix the screening")
                Xn = r.data["normalised"].X
                step = sp.steps[_step_index(sp, "normalise", "normalisation")]
                variants[(a, b, c)] = Variant(Xn, r.weights.copy(), r.pre_normalised.X, step,  # type: ignore[union-attr]
                                              bool(np.isnan(Xn).any()))
    # a varied data choice that changes nothing does not apply (some equal alternatives are fine)
    for kind, ax in (("impute", 0), ("treat", 1), ("normalise", 2)):
        if kind not in disc_alts:
            continue
        inert = True
        for k, v in variants.items():
            ref = variants[tuple(0 if i == ax else k[i] for i in range(3))]  # type: ignore[index]
            a, b = (v.pre, ref.pre) if kind != "normalise" else (v.Xn, ref.Xn)
            if not np.array_equal(a, b, equal_nan=True):
                inert = False
                break
        if inert:
            raise ConfigError(
                f"varying {kind}: every alternative ({', '.join(a.describe() for a in disc_alts[kind])}) gives "
                "exactly the same data, so the choice does not apply to these data",
                hint="remove the input" + (" (the data have no missing values)" if kind == "impute" else "")
                + (" (no indicator fails the outlier rule)" if kind == "treat" else ""))
    # incompatible combinations: a geometric/harmonic mean needs positive values below it
    varied = np.zeros(fw.n_nodes, bool)
    for mask, _ in prep_kw["agg_info"].values():
        varied |= mask
    fixed = [(np.arange(fw.n_nodes) == i, [nominal.plan.for_node(fw, i)], f"{nominal.plan.for_node(fw, i).name} "
              f"at '{fw.ids[i]}' (pipeline)") for i in range(fw.n_ind, fw.n_nodes) if not varied[i]]
    checks = [(m, objs, None, fi) for fi, (m, objs) in prep_kw["agg_info"].items()] + \
        [(m, objs, lab, None) for m, objs, lab in fixed]
    for mask, objs, fixed_label, fi in checks:
        for a_i, agg in enumerate(objs):
            p = getattr(agg, "power", None)
            if p is None or p > 0:
                continue
            sub_ind = _indicators_under(fw, mask)
            for key, v in variants.items():
                bad = (np.where(np.isnan(v.Xn), 1.0, v.Xn)[:, sub_ind] <= 0).any(0)
                if bad.any():
                    nlab = disc_alts["normalise"][key[2]].describe() if "normalise" in disc_alts else \
                        f"{base_norm.method}"
                    alab = fixed_label or factors[fi].choices[a_i]  # type: ignore[index]
                    raise ConfigError(
                        f"incompatible choices: aggregation '{alab}' (p = {p:g}) after "
                        f"normalisation '{nlab}' meets values ≤ 0 (e.g. '{fw.ids[sub_ind[np.flatnonzero(bad)[0]]]}')",
                        hint="geometric/harmonic means need positive values: normalise to [1, 100] (minmax "
                             "l_u: [1, 100]) or z-scores with a shifted mean (m_sd: [10, 2]), or drop the mean")
    # nodes reported
    out_ids = uspec.nodes or [fw.root_id]
    for k in out_ids:
        if k not in fw.index or fw.pos(k) < fw.n_ind:
            raise ConfigError(f"uncertainty nodes: '{k}' is not an aggregate of the framework",
                              hint=f"aggregates: {', '.join(fw.aggregate_ids[:20])}")
    out_nodes = np.array(sorted({fw.pos(k) for k in out_ids} | {fw.root}))
    nr = nominal.ranks[:, out_nodes].T
    nominal_ranks = np.where(np.isnan(nr), 0, nr).astype(np.int32)
    return Prepared(fw, nominal.unit_ids, nominal.unit_names, factors, offset, variants, nominal.plan, out_nodes,
                    nominal_ranks, uspec.seed, exclude=exclude, norm_ctx=nominal.norm_ctx, **prep_kw)


def _indicators_under(fw: Framework, agg_mask: np.ndarray) -> np.ndarray:
    """Indicators in the subtree of any aggregate in ``agg_mask``."""
    hit = np.zeros(fw.n_ind, bool)
    for j in range(fw.n_ind):
        hit[j] = any(agg_mask[a] for a in fw.ancestors(j))
    return np.flatnonzero(hit)
