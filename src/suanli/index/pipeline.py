"""The pipeline: an ordered list of steps (like COINr's log, but a list, so a step may appear
twice), each ``{step: <kind>, ...params}``; :func:`build` runs it on a :class:`Dataset` and returns
a :class:`Result` holding every intermediate data set, weights, scores and ranks.

A variant is the same spec with one field changed: ``spec.replace("normalise", method="zscore")``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ..errors import ConfigError, InputError, Problem
from .aggregate import AGGREGATORS, AggregationPlan, aggregate_tree
from .data import Dataset
from .framework import Framework, MethodRef
from .impute import IMPUTERS, ImputeContext
from .normalise import NORMALISERS, NormContext, check_finite
from .ranks import group_ranks, rank_scores
from .treat import TREATMENTS
from .weights import WEIGHTERS, WeightContext, weights_dict

# ------------------------------------------------------------------------------------------------
# step specifications
# ------------------------------------------------------------------------------------------------


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DenominateStep(_Step):
    """x / (denominator / scale). Denominators default to each indicator's ``denominator``."""

    step: Literal["denominate"] = "denominate"
    denominators: dict[str, str] | None = Field(None, description="indicator id → denominator column")
    scale: dict[str, float] = Field(default_factory=dict, description="denominator column → scale factor")


class ScreenStep(_Step):
    """Drop units with too little data (COINr ``Screen``)."""

    step: Literal["screen"] = "screen"
    by: Literal["na", "zeros", "na_and_zeros"] = "na"
    dat_thresh: float = Field(2 / 3, ge=0, le=1)
    nonzero_thresh: float = Field(0.05, ge=0, le=1)
    force: dict[str, bool] = Field(default_factory=dict, description="unit id → keep (true) / drop (false)")


class ImputeStep(_Step):
    step: Literal["impute"] = "impute"
    method: str = "mean"
    params: dict[str, Any] = Field(default_factory=dict)


class TreatStep(_Step):
    step: Literal["treat"] = "treat"
    method: str = "coinr"
    params: dict[str, Any] = Field(default_factory=dict)
    per_indicator: dict[str, MethodRef] = Field(default_factory=dict, description="id → {method, params}")


class NormaliseStep(_Step):
    step: Literal["normalise"] = "normalise"
    method: str = "minmax"
    params: dict[str, Any] = Field(default_factory=dict)
    per_indicator: dict[str, MethodRef] = Field(default_factory=dict)


class WeightStep(_Step):
    step: Literal["weight"] = "weight"
    method: str = "given"
    params: dict[str, Any] = Field(default_factory=dict)


class AggregateStep(_Step):
    step: Literal["aggregate"] = "aggregate"
    method: str = "amean"
    params: dict[str, Any] = Field(default_factory=dict)
    by_level: dict[int, MethodRef] = Field(default_factory=dict, description="level → {method, params}")
    dat_thresh: float | dict[int, float] | None = Field(None, description="one value or level → value")
    weights: dict[str, float] = Field(default_factory=dict, description="id → weight overrides")


Step = Annotated[DenominateStep | ScreenStep | ImputeStep | TreatStep | NormaliseStep | WeightStep | AggregateStep,
                 Field(discriminator="step")]
_STEP = TypeAdapter(Step)
STEP_OUTPUT = {"denominate": "denominated", "screen": "screened", "impute": "imputed", "treat": "treated",
               "normalise": "normalised", "weight": "weighted", "aggregate": "aggregated"}


class PipelineSpec(BaseModel):
    """Ordered steps. ``PipelineSpec.parse([{step: normalise, method: zscore}, …])``."""

    model_config = ConfigDict(extra="forbid")
    steps: list[Step] = Field(default_factory=list)

    @classmethod
    def parse(cls, steps: list[dict[str, Any]] | PipelineSpec | None, *, source: str | None = None) -> PipelineSpec:
        if isinstance(steps, PipelineSpec):
            return steps
        if steps is None:
            return default_spec()
        if isinstance(steps, dict) and "steps" in steps:
            steps = steps["steps"]
        try:
            return cls(steps=steps)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise ConfigError(problems=[
                Problem(f"method step {'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}", source)
                for e in exc.errors()]) from None

    def to_list(self) -> list[dict[str, Any]]:
        return [s.model_dump(exclude_defaults=False) for s in self.steps]

    def find(self, step: str | int, occurrence: int = 0) -> int:
        if isinstance(step, int):
            if not -len(self.steps) <= step < len(self.steps):
                raise ConfigError(f"no step number {step}; the spec has {len(self.steps)} steps")
            return step % len(self.steps)
        hits = [i for i, s in enumerate(self.steps) if s.step == step]
        if len(hits) <= occurrence:
            raise ConfigError(f"the spec has no '{step}' step" + (f" number {occurrence + 1}" if occurrence else ""),
                              hint=f"steps: {', '.join(s.step for s in self.steps)}; add it with with_step()")
        return hits[occurrence]

    def replace(self, step: str | int, occurrence: int = 0, **changes: Any) -> PipelineSpec:
        """A copy with fields of one step changed (re-validated). Refuses steps that are absent,
        so a variant can never silently do nothing (COINr issues #50/#60)."""
        i = self.find(step, occurrence)
        d = self.steps[i].model_dump()
        d.update(changes)
        try:
            new = _STEP.validate_python(d)
        except ValidationError as exc:
            raise ConfigError(problems=[Problem(f"{e['loc']}: {e['msg']}") for e in exc.errors()]) from None
        steps = list(self.steps)
        steps[i] = new
        return PipelineSpec(steps=steps)

    def with_step(self, step: dict[str, Any], before: str | None = None) -> PipelineSpec:
        new = _STEP.validate_python(step)
        steps = list(self.steps)
        pos = self.find(before) if before else len(steps)
        steps.insert(pos, new)
        return PipelineSpec(steps=steps)

    def without(self, step: str) -> PipelineSpec:
        return PipelineSpec(steps=[s for s in self.steps if s.step != step])


def default_spec() -> PipelineSpec:
    """COINr's defaults: treat (skew/kurt rule), min-max 0–100, weighted arithmetic mean."""
    return PipelineSpec(steps=[TreatStep(), NormaliseStep(), AggregateStep()])


def framework_spec(fw: Framework) -> PipelineSpec:
    return PipelineSpec.parse(fw.method) if fw.method else default_spec()


# ------------------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------------------


@dataclass
class Data:
    """One intermediate data set: units × indicators."""

    unit_ids: np.ndarray
    X: np.ndarray


@dataclass
class Result:
    framework: Framework
    spec: PipelineSpec
    year: int | None
    unit_ids: np.ndarray
    unit_names: np.ndarray
    groups: dict[str, np.ndarray]
    data: dict[str, Data]
    V: np.ndarray                     # [unit, node] scores (indicators: normalised values)
    weights: np.ndarray               # [node] weights used by the aggregation
    plan: AggregationPlan
    details: dict[str, Any] = field(default_factory=dict)
    status: np.ndarray | None = None  # [unit, indicator] data status
    pre_normalised: Data | None = None
    norm_ctx: NormContext | None = None
    _ranks: np.ndarray | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        from .display import result_text

        return result_text(self)

    def _repr_html_(self) -> str:
        from .display import result_html

        return result_html(self)

    @property
    def ranks(self) -> np.ndarray:
        """[unit, node] ranks (1 = best, ties "min"), computed on first use."""
        if self._ranks is None:
            self._ranks = rank_scores(self.V)
        return self._ranks

    # -- access by id -------------------------------------------------------------------------
    def score(self, node_id: str | None = None) -> pd.Series:
        j = self.framework.root if node_id is None else self.framework.pos(node_id)
        return pd.Series(self.V[:, j], index=self.unit_ids, name=self.framework.ids[j])

    def rank(self, node_id: str | None = None) -> pd.Series:
        j = self.framework.root if node_id is None else self.framework.pos(node_id)
        return pd.Series(self.ranks[:, j], index=self.unit_ids, name=self.framework.ids[j])

    def weights_dict(self) -> dict[str, float]:
        return weights_dict(self.framework, self.weights)

    def effective_weights(self) -> dict[str, float]:
        return weights_dict(self.framework, self.framework.effective_weights(self.weights))

    def order(self, node_id: str | None = None) -> list[str]:
        """Unit ids from first to last (NaN last; ties keep input order)."""
        s = self.score(node_id)
        return list(s.sort_values(ascending=False, kind="stable", na_position="last").index)

    # -- frames --------------------------------------------------------------------------------
    def dataset(self, name: str) -> pd.DataFrame:
        if name == "aggregated":
            df = pd.DataFrame(self.V, columns=self.framework.ids)
            df.insert(0, "unit_id", self.unit_ids)
            return df
        if name not in self.data:
            raise InputError(f"no data set '{name}'", hint=f"available: {', '.join(self.data)}, aggregated")
        d = self.data[name]
        df = pd.DataFrame(d.X, columns=self.framework.indicator_ids)
        df.insert(0, "unit_id", d.unit_ids)
        return df

    def to_long(self, *, group: str | None = None) -> pd.DataFrame:
        fw = self.framework
        U, N = self.V.shape
        df = pd.DataFrame({
            "unit_id": np.repeat(self.unit_ids, N), "unit_name": np.repeat(self.unit_names, N),
            "node_id": np.tile(np.array(fw.ids, dtype=object), U), "level": np.tile(fw.level, U),
            "score": self.V.ravel(), "rank": self.ranks.ravel(),
        })
        if group:
            df["group_rank"] = group_ranks(self.V, self.groups[group]).ravel()
        if self.year is not None:
            df.insert(0, "year", self.year)
        return df


# ------------------------------------------------------------------------------------------------
# build
# ------------------------------------------------------------------------------------------------


def norm_context(fw: Framework, unit_ids: np.ndarray) -> NormContext:
    k = fw.n_ind
    tg = np.array([s.target if s.target is not None else np.nan for s in fw.specs[:k]], float)
    gp = np.array([s.goalposts if s.goalposts is not None else (np.nan, np.nan) for s in fw.specs[:k]], float)
    return NormContext(fw.indicator_ids, unit_ids, fw.direction[:k], tg, gp.reshape(k, 2))


def normalise_data(X: np.ndarray, fw: Framework, step: NormaliseStep, unit_ids: np.ndarray,
                   ctx: NormContext | None = None) -> np.ndarray:
    """Direction flip, then each indicator's normaliser (step default, framework node override,
    step ``per_indicator`` override), columns with the same method normalised together."""
    ctx = ctx or norm_context(fw, unit_ids)
    Xd = X * fw.direction[: fw.n_ind]
    choice: list[tuple[str, dict[str, Any]]] = []
    for s in fw.specs[: fw.n_ind]:
        ref = step.per_indicator.get(s.id) or s.normalise
        choice.append((ref.method, ref.params) if ref else (step.method, step.params))
    for k in step.per_indicator:
        fw.pos(k)
    out = np.empty_like(Xd)
    keys: dict[str, list[int]] = {}
    for j, (m, p) in enumerate(choice):
        keys.setdefault(repr((m, sorted(p.items()))), []).append(j)
    for _key, cols in keys.items():
        m, p = choice[cols[0]]
        cols_a = np.array(cols)
        sub = NormContext([ctx.indicator_ids[c] for c in cols], ctx.unit_ids, ctx.direction[cols_a],
                          ctx.target[cols_a], ctx.goalposts[cols_a])
        norm = NORMALISERS.create(m, p)
        Y = norm.normalise(Xd[:, cols_a], sub)
        out[:, cols_a] = check_finite(Xd[:, cols_a], Y, sub.indicator_ids, m,
                                      getattr(norm.params, "on_constant", "error"))
    return out


def make_plan(fw: Framework, step: AggregateStep) -> AggregationPlan:
    plan = AggregationPlan(AGGREGATORS.create(step.method, step.params),
                           {L: AGGREGATORS.create(r.method, r.params) for L, r in step.by_level.items()},
                           dat_thresh=step.dat_thresh)
    for i in range(fw.n_ind, fw.n_nodes):
        r = fw.specs[i].aggregate
        if r is not None:
            plan.by_node[fw.ids[i]] = AGGREGATORS.create(r.method, r.params)
    return plan


def build(spec: PipelineSpec | list[dict[str, Any]] | None, data: Dataset, *,
          previous: Dataset | None = None, weights: Mapping[str, float] | None = None) -> Result:
    """Run the pipeline on ``data`` (its framework travels with it). ``previous`` is the previous
    year's data (for ``carry_forward``); ``weights`` overrides framework weights by id."""
    spec = PipelineSpec.parse(spec) if not isinstance(spec, PipelineSpec) else spec
    fw = data.framework
    kinds = [s.step for s in spec.steps]
    if "aggregate" not in kinds:
        raise ConfigError("the method has no 'aggregate' step", hint="end the method with {step: aggregate}")
    if "normalise" not in kinds or kinds.index("normalise") > kinds.index("aggregate"):
        raise ConfigError("the method needs a 'normalise' step before 'aggregate'",
                          hint="add {step: normalise, method: minmax} (method: none keeps values, "
                               "but still applies directions)")
    w = fw.weight_vector(dict(weights) if weights else None)
    units, names, X = data.unit_ids.copy(), data.unit_names.copy(), data.X.copy()
    groups = {k: v.copy() for k, v in data.groups.items()}
    denoms = {k: v.copy() for k, v in data.denominators.items()}
    status = data.status.copy() if data.status is not None else None
    out: dict[str, Data] = {"raw": Data(units, X.copy())}
    details: dict[str, Any] = {}
    Xn: np.ndarray | None = None
    V = None
    plan = None
    pre = None
    nctx = None
    counts: dict[str, int] = {}

    def keep(mask: np.ndarray) -> None:
        nonlocal units, names, X, groups, denoms, status
        units, names, X = units[mask], names[mask], X[mask]
        groups = {k: v[mask] for k, v in groups.items()}
        denoms = {k: v[mask] for k, v in denoms.items()}
        status = status[mask] if status is not None else None

    for st in spec.steps:
        counts[st.step] = counts.get(st.step, 0) + 1
        name = STEP_OUTPUT[st.step] + ("" if counts[st.step] == 1 else f"_{counts[st.step]}")
        if st.step == "denominate":
            X = _denominate(X, fw, st, denoms)
        elif st.step == "screen":
            mask, summary = _screen(X, units, st)
            details[name] = summary
            if not mask.any():
                raise InputError("screening removed every unit", hint="lower dat_thresh in the screen step")
            keep(mask)
        elif st.step == "impute":
            prev = (previous.unit_ids, previous.X) if previous is not None else None
            before = X
            X = IMPUTERS.create(st.method, st.params).impute(X, ImputeContext(fw.indicator_ids, units, groups, prev))
            changed = ~np.isnan(before) & ~np.isclose(before, X, equal_nan=True)
            if changed.any():
                raise InputError(f"imputation method '{st.method}' changed observed values")
            details[name] = {"n_imputed": int((np.isnan(before) & ~np.isnan(X)).sum())}
        elif st.step == "treat":
            _check_units(X, units, names)
            X, det = _treat(X, fw, st)
            details[name] = det
        elif st.step == "normalise":
            _check_units(X, units, names)
            pre = Data(units.copy(), X.copy())
            nctx = norm_context(fw, units)
            Xn = normalise_data(X, fw, st, units, nctx)
            X = Xn
        elif st.step == "weight":
            if Xn is None:
                raise ConfigError("the 'weight' step must come after 'normalise'")
            ctx = WeightContext(fw, Xn, w, units)
            w, det = WEIGHTERS.create(st.method, st.params).weigh(ctx)
            details[name] = det
            continue
        elif st.step == "aggregate":
            if st.weights:
                w = fw.weight_vector({**weights_dict(fw, w), **st.weights})
            plan = make_plan(fw, st)
            V = aggregate_tree(X, fw, w, plan, unit_ids=units)
            continue
        out[name] = Data(units.copy(), X.copy())
    assert V is not None and plan is not None
    return Result(fw, spec, data.year, units, names, groups, out, V, w, plan, details, status, pre, nctx)


def _check_units(X: np.ndarray, units: np.ndarray, names: np.ndarray) -> None:
    empty = np.flatnonzero(np.isnan(X).all(1)) if X.shape[1] else np.array([], int)
    if len(empty):
        raise InputError(problems=[Problem(f"unit '{units[r]}' ({names[r]}) has no data for any indicator",
                                           hint="remove it, or add a screen step to drop units with "
                                                "too little data") for r in empty[:20]])


def _denominate(X: np.ndarray, fw: Framework, st: DenominateStep, denoms: dict[str, np.ndarray]) -> np.ndarray:
    mapping = st.denominators if st.denominators is not None else \
        {s.id: s.denominator for s in fw.specs[: fw.n_ind] if s.denominator}
    X = X.copy()
    for ind, col in mapping.items():
        j = fw.pos(ind)
        if col not in denoms:
            raise InputError(f"denominator column '{col}' (for '{ind}') is not in the data",
                             hint=f"denominator columns: {', '.join(denoms) or 'none'}")
        d = denoms[col] / st.scale.get(col, 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            X[:, j] = np.where(d != 0, X[:, j] / d, np.nan)
    return X


def _screen(X: np.ndarray, units: np.ndarray, st: ScreenStep) -> tuple[np.ndarray, pd.DataFrame]:
    have = ~np.isnan(X)
    avail = have.mean(1)
    nonzero = (have & (X != 0)).sum(1) / X.shape[1]
    if st.by == "na":
        ok = avail >= st.dat_thresh
    elif st.by == "zeros":
        ok = nonzero >= st.nonzero_thresh
    else:
        ok = (avail >= st.dat_thresh) & (nonzero >= st.nonzero_thresh)
    for u, v in st.force.items():
        hit = units == u
        if not hit.any():
            raise InputError(f"screen.force names unit '{u}', which is not in the data")
        ok[hit] = v
    return ok, pd.DataFrame({"unit_id": units, "dat_avail": avail, "non_zero": nonzero, "included": ok})


def _treat(X: np.ndarray, fw: Framework, st: TreatStep) -> tuple[np.ndarray, pd.DataFrame]:
    choice = []
    for k in st.per_indicator:
        fw.pos(k)
    for s in fw.specs[: fw.n_ind]:
        ref = st.per_indicator.get(s.id) or s.treat
        choice.append((ref.method, ref.params) if ref else (st.method, st.params))
    Y = X.copy()
    details: dict[str, np.ndarray] = {}
    points = np.zeros(X.shape, bool)
    groups: dict[str, list[int]] = {}
    for j, (m, p) in enumerate(choice):
        groups.setdefault(repr((m, sorted(p.items()))), []).append(j)
    for cols in groups.values():
        m, p = choice[cols[0]]
        c = np.array(cols)
        Yc, det = TREATMENTS.create(m, p).treat(X[:, c])
        Y[:, c] = Yc
        points[:, c] = det.pop("points")
        for key, val in det.items():
            col = details.setdefault(key, np.full(fw.n_ind, None, dtype=object))
            for j, v in zip(c, val, strict=True):
                col[j] = v
    table = pd.DataFrame({"indicator_id": fw.indicator_ids, **details})
    table["n_points"] = points.sum(0)
    return Y, table
