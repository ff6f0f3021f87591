"""The JSON API (``/api/…``). Every input is validated by pydantic; bad input gets a 4xx with a
message saying what is wrong, never a 500. Scores come from the index engine's Rescorer.

Engine work runs in the app's bounded thread pool (:func:`offload`), never on the event loop,
except the one case where the hop would cost more than the work: a re-score on the engine's
power-mean path over an already normalised matrix (well under a millisecond, :func:`_inline`)."""

from __future__ import annotations

import io
import json
import math
import re
import time
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ..errors import SuanliError
from ..io.cells import csv_text
from .answers import dumps, floats, ints, prepared, unit_profile
from .source import AssessmentView, Source, is_fast, rescore

# ------------------------------------------------------------------------------------------------
# models
# ------------------------------------------------------------------------------------------------

Name = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="assessment name, e.g. city")]
UnitId = Annotated[str, Path(min_length=1, max_length=100, description="unit id, e.g. beijing")]
Weight = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
NodeKey = Annotated[str, Field(min_length=1, max_length=100)]
Method = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]


class ErrorResponse(BaseModel):
    detail: str = Field(description="What is wrong and what to do.")
    errors: list[dict[str, Any]] | None = Field(None, description="Field-level problems (validation errors).")


ERRORS: dict[int | str, dict[str, Any]] = {
    c: {"model": ErrorResponse} for c in (400, 401, 404, 413, 422)}


class Settings(BaseModel):
    """What the sliders and selectors say. Missing weights keep the framework's; ``null`` methods
    keep the assessment's own."""

    model_config = ConfigDict(extra="forbid")
    weights: dict[NodeKey, Weight] = Field(default_factory=dict, max_length=1000,
                                           description="node id → weight (≥ 0, siblings renormalised)")
    normalisation: Method | None = Field(None, description="normalisation for every indicator (GET /api/assessments/{name} lists them)")
    aggregation: Method | None = Field(None, description="aggregation at every level")


class NodeInfo(BaseModel):
    id: str
    parent: str | None
    level: int
    name_zh: str
    name_en: str
    weight: float
    effective_weight: float
    direction: int
    unit: str
    indicator: bool


class AssessmentSummary(BaseModel):
    name: str
    title_zh: str
    title_en: str
    year: int | None
    n_units: int
    synthetic: bool


class NormOptionInfo(BaseModel):
    key: str = Field(description="what Settings.normalisation carries")
    method: str
    params: dict[str, Any]
    label_zh: str
    label_en: str
    origin: str = Field(description="'as built', 'uncertainty' (declared by the edition) or 'registry'")


class UnitInfo(BaseModel):
    unit_id: str
    unit_name: str
    unit_name_en: str
    group: str
    base_score: float | None
    base_rank: int | None


class AssessmentInfo(AssessmentSummary):
    units: list[UnitInfo] = Field(
        description="every unit (id, names, group, as-built score and rank) in the order of the columns of "
                    "POST /api/assessments/{name}/scores")
    years: list[int]
    group: str | None
    level_names: list[str]
    nodes: list[NodeInfo]
    normalisations: list[str]
    aggregations: list[str]
    base_normalisation: str
    base_aggregation: str
    norm_options: list[NormOptionInfo]
    compat: dict[str, dict[str, str | None]] = Field(
        description="aggregation → normalisation key → null (scores every unit with data) or the engine's reason")
    hidden: dict[str, str] = Field(description="methods not offered, and why")
    intervals: list[dict[str, Any]] = Field(
        description="as-built rank intervals of the index (uncertainty stage): unit_id, q05, q95, median_rank, p_top10")
    uncertainty: dict[str, Any] | None = Field(description="the edition's uncertainty spec for this assessment")
    method: list[dict[str, Any]]
    method_notes: str
    description: str
    method_notes_zh: str = Field("", description="the framework's method notes in Chinese ('' when it has none)")
    description_zh: str = Field("", description="the framework's description in Chinese ('' when it has none)")
    framework_id: str
    has_rank_intervals: bool


class Meta(BaseModel):
    edition: str
    title_zh: str
    title_en: str
    synthetic: bool
    source_kind: Literal["edition", "build"]
    code_version: str
    built: str | None
    notes: list[str]
    notes_i18n: list[dict[str, str]] = Field(default_factory=list, description="the same notes as {zh, en}")
    assessments: list[AssessmentSummary]
    tables: list[str]


class UnitRow(BaseModel):
    unit_id: str
    unit_name: str
    unit_name_en: str = Field("", description="English name (place names from suanli.regions, else from the id)")
    group: str
    score: float | None
    rank: int | None
    base_score: float | None
    base_rank: int | None
    rank_change: int | None = Field(description="base rank − rank: positive = moved up")
    dims: dict[str, float | None] = Field(description="score of each dimension (children of the index)")


class _Rescored(BaseModel):
    """What every re-score answers besides the units' scores."""

    assessment: str
    year: int | None
    n_units: int
    settings: Settings
    dims: list[str]
    rescore_ms: float
    synthetic: bool
    as_built: bool = Field(description="the settings equal the build's (so the as-built rank intervals apply)")
    effective_weights: dict[str, float] = Field(description="node id → its share of the index under these weights")
    correlations: dict[str, float | None] = Field(
        description="indicator id → Pearson correlation of its normalised values with the index score")


class RescoreResponse(_Rescored):
    units: list[UnitRow]


class ScoresResponse(_Rescored):
    """A re-score as columns (what the ranking page needs on every slider move): each list has one
    entry per unit, in the order of ``units`` in ``GET /api/assessments/{name}``."""

    score: list[float | None] = Field(description="index score of each unit (null = not scored)")
    rank: list[int | None] = Field(description="rank of each unit (1 = best, ties share the best rank)")
    dim_scores: list[list[float | None]] = Field(description="for each entry of dims, the score of each unit")


class NodeScore(BaseModel):
    node_id: str
    name_zh: str
    name_en: str
    level: int
    parent: str | None
    score: float | None
    rank: int | None
    median: float | None


class Contribution(BaseModel):
    indicator_id: str
    name_zh: str
    name_en: str
    group: str
    raw: float | None
    value: float | None
    weight_in_index: float
    contribution: float
    rank: int | None


class RankInterval(BaseModel):
    nominal_rank: float | None = None
    median_rank: float | None = None
    q05: float | None = None
    q95: float | None = None
    p_top10: float | None = None
    source_table: str


class UnitResponse(BaseModel):
    assessment: str
    year: int | None
    unit_id: str
    unit_name: str
    unit_name_en: str = Field("", description="English name (place names from suanli.regions, else from the id)")
    group: str
    n_units: int
    score: float | None
    rank: int | None
    base_rank: int | None
    nodes: list[NodeScore]
    contributions: list[Contribution]
    exact_decomposition: bool
    strengths: list[Contribution]
    weaknesses: list[Contribution]
    rank_interval: RankInterval | None
    synthetic: bool


class TableInfo(BaseModel):
    name: str
    description: str
    description_zh: str = Field("", description="what the table holds, in Chinese ('' when unknown)")
    description_en: str = Field("", description="what the table holds, in English (the stage's own description "
                                                "unless it carries a Chinese term)")
    stage: str
    synthetic: bool


class TableRows(BaseModel):
    name: str
    columns: list[str]
    rows: list[list[Any]]
    total: int
    offset: int
    synthetic: bool


class Overview(BaseModel):
    edition: str
    synthetic: bool
    capacity_national: list[dict[str, Any]] | None
    capacity_vs_published: list[dict[str, Any]] | None
    capacity_by_province: list[dict[str, Any]] | None
    market_series: list[dict[str, Any]] | None
    assessments: dict[str, list[UnitRow]]
    notes: list[str]
    notes_i18n: list[dict[str, str]] = Field(default_factory=list, description="the same notes as {zh, en}")


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------

def _f(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _i(x: Any) -> int | None:
    v = _f(x)
    return int(round(v)) if v is not None else None


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(df.to_json(orient="records", force_ascii=False, double_precision=15))


async def offload(request: Request, fn: Any, *args: Any) -> Any:
    """Run engine work in the app's bounded thread pool, never on the event loop (a slow re-score
    must not hold up /api/meta or the static files)."""
    import anyio

    return await anyio.to_thread.run_sync(fn, *args, limiter=request.app.state.limiter)


def source_of(request: Request) -> Source:
    return request.app.state.source


def _view(request: Request, name: str) -> AssessmentView:
    src = source_of(request)
    try:
        return src.view(name)
    except KeyError:
        raise HTTPException(404, f"no assessment '{name}'; assessments: {', '.join(src.assessments) or 'none'}") from None


def _check(view: AssessmentView, s: Settings) -> None:
    if s.normalisation is not None and s.normalisation not in view.normalisations:
        raise HTTPException(422, f"unknown normalisation '{s.normalisation}'; choose one of: {', '.join(view.normalisations)}")
    if s.aggregation is not None and s.aggregation not in view.aggregations:
        raise HTTPException(422, f"unknown aggregation '{s.aggregation}'; choose one of: {', '.join(view.aggregations)}")
    unknown = [k for k in s.weights if k not in view.framework.index]
    if unknown:
        shown = ", ".join(repr(k) for k in unknown[:5])
        raise HTTPException(422, f"weights for unknown node ids: {shown}; node ids are listed by GET /api/assessments/{view.name}")


def run(view: AssessmentView, s: Settings):
    _check(view, s)
    try:
        return rescore(view, dict(s.weights), s.normalisation, s.aggregation)
    except SuanliError as exc:
        raise HTTPException(422, _short(str(exc))) from None
    except (ValueError, ZeroDivisionError, FloatingPointError) as exc:
        raise HTTPException(422, _short(f"these settings cannot be computed: {exc}")) from None


def _short(msg: str, n: int = 1200) -> str:
    return msg if len(msg) <= n else msg[: n - 1] + "…"


def _dims(view: AssessmentView) -> list[int]:
    fw = view.framework
    return [int(c) for c in fw.children[fw.root]]


def _floats(a: np.ndarray) -> list[float | None]:
    return [x if math.isfinite(x) else None for x in np.asarray(a, dtype=float).tolist()]


def _ints(a: np.ndarray) -> list[int | None]:
    return [int(round(x)) if math.isfinite(x) else None for x in np.asarray(a, dtype=float).tolist()]


def table_rows(view: AssessmentView, out: Any) -> list[dict[str, Any]]:
    """One :class:`UnitRow`-shaped dict per unit, best rank first (exports, overview, years)."""
    fw = view.framework
    st = _static(view)
    score, rank = _floats(out.V[:, fw.root]), _ints(out.root_ranks)
    dims = [(fw.ids[d], _floats(out.V[:, d])) for d in _dims(view)]
    rows = [{"unit_id": st.ids[u], "unit_name": st.names[u], "unit_name_en": st.names_en[u], "group": st.groups[u],
             "score": score[u], "rank": rank[u], "base_score": st.bscore[u], "base_rank": st.brank[u],
             "rank_change": st.brank[u] - rank[u] if rank[u] is not None and st.brank[u] is not None else None,
             "dims": {k: vals[u] for k, vals in dims}} for u in range(len(st.ids))]
    return [rows[u] for u in _order(st, out.root_ranks)]


class _Static:
    """What a ranking answer repeats for every unit and that never changes while the server runs
    (ids, names, groups, the as-built score and rank), computed once per assessment; ``prefix`` is
    each unit's row already JSON-encoded up to its first settings-dependent field."""

    def __init__(self, view: AssessmentView) -> None:
        fw, base = view.framework, view.result
        self.ids = [str(x) for x in view.unit_ids]
        self.names = [str(x) for x in base.unit_names]
        self.names_en = view.names_en()
        self.groups = [str(g or "") for g in view.group_of()]
        self.bscore, self.brank = _floats(base.V[:, fw.root]), _ints(base.ranks[:, fw.root])
        self.brank_arr = np.array([np.nan if r is None else r for r in self.brank], dtype=float)
        self.id_order = np.argsort(np.array(self.ids, dtype=object), kind="stable")
        self.id_pos = np.empty(len(self.ids), dtype=np.int64)
        self.id_pos[self.id_order] = np.arange(len(self.ids))
        self.dim_keys = [json.dumps(fw.ids[d], ensure_ascii=False) for d in _dims(view)]
        enc = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
        self.prefix = [
            '{"unit_id":' + enc(self.ids[u]) + ',"unit_name":' + enc(self.names[u]) + ',"unit_name_en":'
            + enc(self.names_en[u]) + ',"group":' + enc(self.groups[u]) + ',"base_score":' + enc(self.bscore[u])
            + ',"base_rank":' + enc(self.brank[u]) for u in range(len(self.ids))]
        # the whole row with a %s for each settings-dependent number ('%' in names doubled)
        dims = ",".join(k + ":%s" for k in self.dim_keys)
        self.template = [p.replace("%", "%%") + ',"score":%s,"rank":%s,"rank_change":%s,"dims":{' + dims + "}}"
                         for p in self.prefix]


def _static(view: AssessmentView) -> _Static:
    st = getattr(view, "_web_static", None)
    if st is None:
        st = _Static(view)
        view._web_static = st     # built once; a race builds the same thing twice, harmlessly
    return st


def _order(st: _Static, rank: np.ndarray) -> np.ndarray:
    """Units by rank (unranked last), ties by unit id: the order of every ranking answer."""
    r = np.asarray(rank, dtype=float)
    return np.lexsort((st.id_pos, np.where(np.isfinite(r), r, 0.0), ~np.isfinite(r)))


def _num(a: np.ndarray, integer: bool = False) -> list[str]:
    """JSON text of each number (``null`` for NaN/inf), encoded by orjson from the array in one call."""
    a = np.asarray(a, dtype=float)
    if not len(a):
        return []
    text = dumps(ints(a) if integer else floats(a)).decode()
    return text[1:-1].split(",")


def rows_json(view: AssessmentView, out: Any) -> str:
    """The ``units`` array of a re-score answer as JSON text, built from the per-unit templates and
    the settings-dependent numbers only (the same content as :func:`table_rows`, a fraction of
    the time: the answer for 300 units is about 100 kB). Each number is encoded by orjson
    (one call per column, shortest round-trip text), the templates of the units are joined in
    rank order and filled by one ``%`` operation."""
    fw = view.framework
    st = _static(view)
    r = np.asarray(out.root_ranks, dtype=float)
    order = _order(st, r)
    cols = [_num(out.V[order, fw.root]), _num(r[order], integer=True),
            _num(st.brank_arr[order] - r[order], integer=True), *(_num(out.V[order, d]) for d in _dims(view))]
    values = [x for row in zip(*cols, strict=True) for x in row]
    return "[" + ",".join([st.template[u] for u in order.tolist()]) % tuple(values) + "]"


def correlations(view: AssessmentView, out: Any) -> dict[str, float | None]:
    """Pearson correlation of each indicator's normalised values with the index score, over the
    units that have both (vectorised over indicators; None where either side is constant; the
    parts that depend on the normalised data alone are reused, see :mod:`suanli.web.answers`)."""
    return prepared(view).correlations(np.asarray(out.V, dtype=float))


def _intervals(src: Source, view: AssessmentView) -> list[dict[str, Any]]:
    name = f"index_{view.name}_rank_intervals"
    try:
        t = src.table(name) if src.has_table(name) else None
    except (SuanliError, OSError, ValueError):
        return []
    if t is None or "unit_id" not in t:
        return []
    if "node_id" in t:
        t = t[t["node_id"].astype(str) == view.framework.root_id]
    if "year" in t and len(t):
        t = t[t["year"] == t["year"].max()]
    keep = [c for c in ("unit_id", "nominal_rank", "median_rank", "q05", "q95", "p_top10", "n_samples") if c in t]
    return _records(t[keep])


def _rank_interval(src: Source, view: AssessmentView, unit: str) -> RankInterval | None:
    """The unit's as-built rank interval of the index (latest year) from the build's
    ``index_<name>_rank_intervals``, or None; the table is read and indexed by unit once."""
    by_unit = getattr(view, "_web_intervals", None)
    if by_unit is None:
        by_unit = _rank_intervals_by_unit(src, view)
        view._web_intervals = by_unit          # built once; a race builds the same thing twice, harmlessly
    return by_unit.get(unit)


def _rank_intervals_by_unit(src: Source, view: AssessmentView) -> dict[str, RankInterval]:
    name = f"index_{view.name}_rank_intervals"
    if not src.has_table(name):
        return {}
    try:
        t = src.table(name)
    except (SuanliError, OSError, ValueError):
        return {}
    if t is None or "unit_id" not in t:
        return {}
    out: dict[str, RankInterval] = {}
    ids = t["unit_id"].astype(str)
    for unit in ids.unique().tolist():
        d = t[ids == unit]
        if "node_id" in d and (d["node_id"].astype(str) == view.framework.root_id).any():
            d = d[d["node_id"].astype(str) == view.framework.root_id]
        if "year" in d and len(d):
            d = d[d["year"] == d["year"].max()]
        if not len(d):
            continue
        row = d.iloc[0]
        out[unit] = RankInterval(**{k: _f(row[k]) for k in ("nominal_rank", "median_rank", "q05", "q95", "p_top10")
                                    if k in row}, source_table=name)
    return out


# ------------------------------------------------------------------------------------------------
# routes
# ------------------------------------------------------------------------------------------------

router = APIRouter(prefix="/api", responses=ERRORS)


def cached_json(request: Request, key: str, make: Any) -> Response:
    """An answer that cannot change while the server runs (the served build is read once), encoded
    once and then sent as the same bytes: metadata and framework trees are asked for on every page."""
    state = request.app.state
    store = getattr(state, "json_cache", None)
    if store is None:
        store = state.json_cache = {}
    body = store.get(key)
    if body is None:
        body = make().model_dump_json().encode()
        store[key] = body
    return Response(body, media_type="application/json")


@router.get("/meta", response_model=Meta, summary="Edition, assessments and tables being served")
async def meta(request: Request) -> Response:
    return cached_json(request, "meta", lambda: _meta(request))


def _meta(request: Request) -> Meta:
    src = source_of(request)
    ed = src.edition
    from .. import code_version

    return Meta(
        edition=str(ed.id), title_zh=ed.title.zh, title_en=ed.title.en, synthetic=bool(ed.synthetic),
        source_kind=src.kind, code_version=str(src.lineage.get("code_version") or code_version()),
        built=str(src.lineage["finished"]) if src.lineage.get("finished") else None, notes=src.notes,
        notes_i18n=src.notes_i18n, assessments=[_summary(v) for v in src.assessments.values()], tables=src.table_names())


def _summary(v: AssessmentView) -> AssessmentSummary:
    return AssessmentSummary(name=v.name, title_zh=v.title_zh, title_en=v.title_en, year=v.year,
                             n_units=len(v.unit_ids), synthetic=v.synthetic)


@router.get("/assessments/{name}", response_model=AssessmentInfo,
            summary="Framework tree, weights and the methods offered for re-scoring")
async def assessment(request: Request, name: Name) -> Response:
    v = _view(request, name)
    return cached_json(request, f"assessment:{name}", lambda: _assessment(request, v))


def _assessment(request: Request, v: AssessmentView) -> AssessmentInfo:
    name = v.name
    src = source_of(request)
    fw = v.framework
    eff = fw.effective_weights(v.result.weights)
    nodes = [NodeInfo(id=fw.ids[i], parent=fw.ids[fw.parent[i]] if fw.parent[i] >= 0 else None,
                      level=int(fw.level[i]), name_zh=fw.specs[i].name_zh or fw.ids[i],
                      name_en=fw.specs[i].name_en or fw.specs[i].name_zh or fw.ids[i],
                      weight=float(v.result.weights[i]), effective_weight=float(eff[i]),
                      direction=int(fw.direction[i]), unit=str(fw.specs[i].unit or ""), indicator=i < fw.n_ind)
             for i in range(fw.n_nodes)]
    st = _static(v)
    units = [UnitInfo(unit_id=st.ids[u], unit_name=st.names[u], unit_name_en=st.names_en[u], group=st.groups[u],
                      base_score=st.bscore[u], base_rank=st.brank[u]) for u in range(len(st.ids))]
    return AssessmentInfo(
        **_summary(v).model_dump(), units=units, years=v.years, group=v.group, level_names=list(fw.level_names), nodes=nodes,
        normalisations=v.normalisations, aggregations=v.aggregations, base_normalisation=v.base_normalisation,
        base_aggregation=v.base_aggregation,
        norm_options=[NormOptionInfo(**o.__dict__) for o in v.norm_options.values()],
        compat=v.compat, hidden=v.hidden, intervals=_intervals(src, v),
        uncertainty=v.uspec.model_dump(mode="json") if v.uspec is not None else None, method=json.loads(json.dumps(v.spec, default=str)),
        method_notes=str(fw.method_notes or ""), description=str(fw.description or ""),
        method_notes_zh=str(getattr(fw, "method_notes_zh", "") or ""), description_zh=str(getattr(fw, "description_zh", "") or ""),
        framework_id=str(fw.id),
        has_rank_intervals=src.has_table(f"index_{name}_rank_intervals"))


@router.post("/assessments/{name}/rescore", response_model=RescoreResponse,
             summary="Scores, ranks and rank changes for new weights, normalisation and aggregation")
async def rescore_route(request: Request, name: Name, settings: Settings) -> Response:
    v = _view(request, name)
    if _inline(v, settings):
        # the engine's power-mean path on cached normalised data takes well under a millisecond:
        # a hop to a worker thread would cost more than the work (and contend for the GIL)
        body = _rescore_body(v, settings)
    else:
        body = await offload(request, _rescore_body, v, settings)
    return Response(body, media_type="application/json")


@router.post("/assessments/{name}/scores", response_model=ScoresResponse,
             summary="Scores and ranks for new settings as columns (what the ranking page asks on a slider move)")
async def scores_route(request: Request, name: Name, settings: Settings) -> Response:
    v = _view(request, name)
    if _inline(v, settings):
        body = _scores_body(v, settings)     # sub-millisecond engine path: no thread hop (see rescore_route)
    else:
        body = await offload(request, _scores_body, v, settings)
    return Response(body, media_type="application/json")


def _scores_body(v: AssessmentView, settings: Settings) -> bytes:
    """The columns of a re-score, encoded by orjson straight from the engine's arrays: no row
    objects, no names (the page has them from ``GET /api/assessments/{name}``)."""
    t0 = time.perf_counter()
    out, res = run(v, settings)
    fw = v.framework
    p = prepared(v)
    V = out.V
    eff = v.rescorer.tree.effective(res.weights)
    body = {"assessment": v.name, "year": v.year, "n_units": len(v.unit_ids), "settings": settings.model_dump(),
            "dims": p.dim_ids, "score": floats(V[:, fw.root]), "rank": ints(out.root_ranks),
            "dim_scores": floats(V[:, p.dims].T), "rescore_ms": 0.0, "synthetic": v.synthetic,
            "as_built": is_as_built(v, settings),
            "effective_weights": dict(zip(p.node_ids, np.round(eff, 6).tolist(), strict=True)),
            "correlations": p.correlations(np.asarray(V, dtype=float))}
    body["rescore_ms"] = (time.perf_counter() - t0) * 1000
    return dumps(body)


def _inline(v: AssessmentView, s: Settings) -> bool:
    """Whether a re-score is answered on the event loop: known methods whose normalisation is
    cached and whose every group is a power mean (the sub-millisecond engine path). Anything
    else (a first normalisation, TOPSIS, VIKOR, Copeland, …) runs in the bounded thread pool."""
    if (s.normalisation is not None and s.normalisation not in v.normalisations) or (
            s.aggregation is not None and s.aggregation not in v.aggregations):
        return False      # the worker answers with the 422
    return is_fast(v, s.normalisation, s.aggregation)


def _rescore_body(v: AssessmentView, settings: Settings) -> bytes:
    t0 = time.perf_counter()
    out, res = run(v, settings)
    fw = v.framework
    units = rows_json(v, out)
    eff = v.rescorer.tree.effective(res.weights)
    corr = correlations(v, out)
    ms = (time.perf_counter() - t0) * 1000
    head = {"assessment": v.name, "year": v.year, "n_units": len(v.unit_ids), "settings": settings.model_dump(),
            "dims": [fw.ids[d] for d in _dims(v)], "rescore_ms": ms, "synthetic": v.synthetic,
            "as_built": is_as_built(v, settings),
            "effective_weights": {k: round(x, 6) for k, x in zip(fw.ids, eff.tolist(), strict=True)},
            "correlations": corr}
    text = json.dumps(head, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # shaped like RescoreResponse (schemathesis checks it); the rows are spliced in pre-encoded
    return (text[:-1] + ',"units":' + units + "}").encode()


def is_as_built(v: AssessmentView, settings: Settings) -> bool:
    """The settings equal the build's (so the as-built rank intervals apply)."""
    fw = v.framework
    same_w = all(abs(float(w) - float(v.result.weights[fw.index[k]])) <= 1e-12 for k, w in settings.weights.items())
    return bool(same_w and settings.normalisation in (None, v.base_normalisation)
                and settings.aggregation in (None, v.base_aggregation))


@router.post("/assessments/{name}/units/{unit_id}", response_model=UnitResponse,
             summary="One unit: node scores, contributions, strengths and weaknesses, rank interval")
async def unit_route(request: Request, name: Name, unit_id: UnitId, settings: Settings) -> Response:
    v = _view(request, name)
    hits = np.flatnonzero(v.unit_ids == unit_id)
    if not len(hits):
        raise HTTPException(404, f"no unit '{unit_id}' in assessment '{name}'")
    u = int(hits[0])
    src = source_of(request)

    def compute() -> bytes:
        out, res = run(v, settings)
        try:
            prof = unit_profile(v, u, out, res)
        except (SuanliError, ValueError) as exc:
            raise HTTPException(422, _short(str(exc))) from None
        ri = _rank_interval(src, v, unit_id)
        st = _static(v)
        return dumps({"assessment": name, "year": v.year, "unit_id": unit_id, "unit_name": st.names[u], "unit_name_en": st.names_en[u],
                      "group": st.groups[u], "n_units": len(v.unit_ids), "score": prof["score"],
                      "rank": prof["rank"], "base_rank": st.brank[u], "nodes": prof["nodes"],
                      "contributions": prof["contributions"], "exact_decomposition": prof["exact_decomposition"],
                      "strengths": prof["strengths"], "weaknesses": prof["weaknesses"],
                      "rank_interval": ri.model_dump() if ri is not None else None, "synthetic": v.synthetic})

    if _inline(v, settings):
        body = compute()        # numpy on the cached normalisation: about a millisecond, no thread hop
    else:
        body = await offload(request, compute)
    return Response(body, media_type="application/json")


# -- export ----------------------------------------------------------------------------------------

def settings_tag(s: Settings) -> str:
    """A short file-name tag for non-default settings: method names and a hash of the weights."""
    import hashlib

    parts = [x for x in (s.normalisation, s.aggregation) if x]
    if s.weights:
        parts.append("w" + hashlib.sha256(json.dumps(s.weights, sort_keys=True).encode()).hexdigest()[:8])
    return re.sub(r"[^A-Za-z0-9_-]", "_", "-".join(parts))[:80]


def export_frame(view: AssessmentView, out: Any, lang: str, settings_text: str = "as built") -> pd.DataFrame:
    fw = view.framework
    rows = table_rows(view, out)
    dims = _dims(view)
    dim_names = [fw.name(fw.ids[d], lang) for d in dims]
    zh = lang == "zh"
    cols = (["排名", "单位代码", "名称", "分组", "得分", "原排名", "排名变化"] if zh else
            ["rank", "unit_id", "name", "group", "score", "base_rank", "rank_change"])
    recs = []
    for r in rows:
        recs.append([r["rank"], r["unit_id"], r["unit_name"], r["group"], r["score"], r["base_rank"],
                     r["rank_change"], *[r["dims"].get(fw.ids[d]) for d in dims],
                     "synthetic" if view.synthetic else "derived"])
    df = pd.DataFrame(recs, columns=[*cols, *dim_names, "value_class"])
    df["设置" if zh else "settings"] = settings_text
    return df


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    out = df.copy()
    out.columns = [csv_text(c) for c in out.columns]
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(csv_text)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, title: str, note: str) -> bytes:
    from openpyxl import Workbook

    from ..io.cells import put_cell

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]\*\?/\\:]", "_", title)[:31] or "table"

    def put(r: int, c: int, v: Any) -> None:
        put_cell(ws, r, c, v)

    put(1, 1, note)
    for c, name in enumerate(df.columns, 1):
        put(2, c, name)
    for r, rec in enumerate(df.itertuples(index=False), 3):
        for c, v in enumerate(rec, 1):
            put(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@router.post("/assessments/{name}/export", summary="Download the current table as CSV or XLSX",
             response_class=Response,
             responses={200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument."
                                                                   "spreadsheetml.sheet": {}}}})
async def export_route(request: Request, name: Name, settings: Settings,
                 format: Annotated[Literal["csv", "xlsx"], Query(description="file format")] = "csv",
                 lang: Annotated[Literal["zh", "en"], Query(description="column language")] = "zh") -> Response:
    v = _view(request, name)
    out, _ = await offload(request, run, v, settings)
    df = export_frame(v, out, lang, settings.model_dump_json() if settings_tag(settings) else "as built")
    src = source_of(request)
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", str(src.edition.id))[:60]
    tag = settings_tag(settings)
    fname = f"suanli-{safe_id}-{name}{'-' + tag if tag else ''}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{fname}"'}
    if format == "csv":
        return Response(to_csv_bytes(df), media_type="text/csv; charset=utf-8", headers=headers)
    title = v.title_zh if lang == "zh" else v.title_en
    note = (f"{title} · {src.edition.id} · " + ("合成数据 · " if v.synthetic and lang == "zh" else
                                                  "synthetic data · " if v.synthetic else "")
            + "settings: " + settings.model_dump_json())
    return Response(to_xlsx_bytes(df, name, note), headers=headers,
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# -- tables and overview -----------------------------------------------------------------------------

@router.get("/tables", response_model=list[TableInfo], summary="Result tables of the build")
async def tables(request: Request) -> list[TableInfo]:
    src = source_of(request)
    from .names import TABLE_EN, table_description_zh

    titles = {n: v.framework.name_zh or n for n, v in src.assessments.items()}
    out = []
    for n in src.table_names():
        info = src.table_info(n)
        out.append(TableInfo(**info, description_zh=table_description_zh(n, titles),
                             description_en=TABLE_EN.get(n, info["description"])))
    return out


@router.get("/tables/{table}", response_model=TableRows, summary="Rows of one result table")
async def table_route(request: Request,
                table: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,80}$", description="table name")],
                limit: Annotated[int, Query(ge=1, le=5000)] = 500,
                offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> TableRows:
    src = source_of(request)
    if not src.has_table(table):
        raise HTTPException(404, f"no table '{table}' in this build; GET /api/tables lists them")
    try:
        df = await offload(request, src.table, table)
    except SuanliError as exc:
        raise HTTPException(422, _short(str(exc))) from None
    assert df is not None
    part = df.iloc[offset: offset + limit]
    rows = json.loads(part.to_json(orient="values", force_ascii=False, double_precision=15))
    return TableRows(name=table, columns=[str(c) for c in df.columns], rows=rows, total=len(df), offset=offset,
                     synthetic=bool(src.table_info(table)["synthetic"]))


def _maybe(src: Source, name: str, cols: list[str] | None = None) -> pd.DataFrame | None:
    try:
        t = src.table(name)
    except (SuanliError, OSError, ValueError):
        return None
    if t is None:
        return None
    if cols:
        keep = [c for c in cols if c in t]
        t = t[keep]
    return t


@router.get("/overview", response_model=Overview, summary="Capacity, markets and the top of each assessment")
async def overview(request: Request) -> Overview:
    src = source_of(request)
    nat = _maybe(src, "capacity_national", ["year", "intelligent_eflops", "general_eflops", "value_class"])
    pub = _maybe(src, "capacity_vs_published", ["year", "metric", "computed", "published", "rel_diff", "source"])
    prov = _maybe(src, "capacity_by_province", ["year", "province", "intelligent_eflops", "general_eflops"])
    if prov is not None and len(prov) and "year" in prov:
        prov = prov[prov["year"] == prov["year"].max()].sort_values("intelligent_eflops", ascending=False).head(15)
    ms = _maybe(src, "market_series", ["series", "metric", "region", "segment", "year", "scaled_value", "lo", "hi",
                                       "value", "scaled_unit", "value_class"])
    if ms is not None and len(ms) and "value" in ms and "scaled_value" in ms:
        with np.errstate(all="ignore"):
            f = (ms["scaled_value"] / ms["value"]).replace([np.inf, -np.inf], np.nan)
        ms = ms.assign(lo=ms["lo"] * f, hi=ms["hi"] * f).drop(columns=["value"])
    tops: dict[str, list[UnitRow]] = {}
    for name, v in src.assessments.items():
        tops[name] = [UnitRow(**r) for r in table_rows(v, v.result_scored())[:10]]
    return Overview(edition=str(src.edition.id), synthetic=bool(src.edition.synthetic),
                    capacity_national=_records(nat) if nat is not None else None,
                    capacity_vs_published=_records(pub) if pub is not None else None,
                    capacity_by_province=_records(prov) if prov is not None else None,
                    market_series=_records(ms) if ms is not None else None, assessments=tops, notes=src.notes,
                    notes_i18n=src.notes_i18n)


# -- scenarios, years, geography ----------------------------------------------------------------------

class Scenario(BaseModel):
    """A named weighting/method scenario (the page keeps them in the browser)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80)
    settings: Settings


@router.post("/assessments/{name}/scenario", response_class=Response,
             summary="A scenario as a method YAML that 'suanli index build --method' accepts",
             responses={200: {"content": {"application/yaml": {}}}})
async def scenario_route(request: Request, name: Name, scenario: Scenario) -> Response:
    v = _view(request, name)
    await offload(request, run, v, scenario.settings)     # refuse settings the engine cannot score
    text = scenario_yaml(v, scenario, source_of(request))
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", scenario.name)[:60] or "scenario"
    return Response(text.encode(), media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="suanli-{name}-{safe}.yaml"'})


def scenario_yaml(v: AssessmentView, sc: Scenario, src: Source) -> str:
    """The assessment's own pipeline with the scenario's normalisation, aggregation and weights.
    ``suanli index build FRAMEWORK DATA --method this.yaml`` reproduces the dashboard's ranking."""
    import yaml

    steps = scenario_steps(v, sc.settings)
    head = (f"# suanli scenario '{sc.name}' for assessment '{v.name}' ({v.title_en}), edition {src.edition.id}, "
            f"year {v.year}\n# reproduce: suanli index build FRAMEWORK DATA --method THIS_FILE\n"
            "# (FRAMEWORK and DATA are the edition's inputs for this assessment)\n")
    return head + yaml.safe_dump(steps, allow_unicode=True, sort_keys=False)


def scenario_steps(v: AssessmentView, s: Settings) -> list[dict[str, Any]]:
    """The assessment's pipeline steps with the settings' normalisation, aggregation and weights."""
    steps = [dict(x) for x in v.spec]
    for st in steps:
        if st.get("step") == "normalise" and s.normalisation and s.normalisation != v.base_normalisation:
            o = v.norm_options[s.normalisation]
            st.update(method=o.method, params=dict(o.params))
            st.pop("per_indicator", None)
        if st.get("step") == "aggregate":
            if s.aggregation and s.aggregation != v.base_aggregation:
                st.update(method=s.aggregation, params={})
                st.pop("by_level", None)
                st.pop("by_node", None)
            if s.weights:
                st["weights"] = {**(st.get("weights") or {}), **{k: float(w) for k, w in s.weights.items()}}
    return json.loads(json.dumps(steps, default=str))


@router.get("/assessments/{name}/years", summary="Both years of the assessment as built, with moves")
async def years_route(request: Request, name: Name) -> dict[str, Any]:
    v = _view(request, name)
    return await offload(request, _years, v)


def _years(v: AssessmentView) -> dict[str, Any]:
    fw = v.framework
    cur = table_rows(v, v.result_scored())
    prev = v.previous_result()
    prev_rank: dict[str, Any] = {}
    prev_score: dict[str, Any] = {}
    if prev is not None:
        for u, uid in enumerate(prev.unit_ids):
            prev_rank[str(uid)] = _i(prev.ranks[u, fw.root])
            prev_score[str(uid)] = _f(prev.V[u, fw.root])
    rows = []
    for r in cur:
        pr = prev_rank.get(r["unit_id"])
        rows.append({"unit_id": r["unit_id"], "unit_name": r["unit_name"], "unit_name_en": r["unit_name_en"],
                     "group": r["group"], "rank": r["base_rank"], "score": r["base_score"], "prev_rank": pr,
                     "prev_score": prev_score.get(r["unit_id"]),
                     "move": pr - r["base_rank"] if pr is not None and r["base_rank"] is not None else None})
    return {"assessment": v.name, "year": v.year, "previous_year": v.previous_year(), "units": rows,
            "synthetic": v.synthetic}


@router.get("/geo", summary="Province tile grid, city placement and English place names")
async def geo_route() -> dict[str, Any]:
    from ..regions import city_en
    from ..tilegrid import CITY_PROVINCE, GRID_COLS, GRID_ROWS, layout

    return {"rows": GRID_ROWS, "cols": GRID_COLS, "tiles": layout(),
            "cities": [{"city": c, "province": p, "name_en": city_en(c)} for c, p in CITY_PROVINCE.items()]}


@router.get("/tables/{table}/download", summary="One build table as CSV (formula-safe, UTF-8 with BOM)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def table_download(request: Request,
                         table: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,80}$", description="table name")]
                         ) -> Response:
    src = source_of(request)
    if not src.has_table(table):
        raise HTTPException(404, f"no table '{table}' in this build; GET /api/tables lists them")
    try:
        df = await offload(request, src.table, table)
    except SuanliError as exc:
        raise HTTPException(422, _short(str(exc))) from None
    assert df is not None
    return Response(await offload(request, to_csv_bytes, df), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{table}.csv"'})
