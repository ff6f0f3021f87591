"""Data for the dashboard's stage pages, shaped from the build's tables (``GET /api/views/{page}``)
and every name the page shows in both languages (``GET /api/names``).

Each view reads the tables a stage wrote and passes them on with their ``value_class`` (stated,
derived, modelled, synthetic), so the page can draw each class its own way. Nothing is computed
again here: scaling a market value to its printed unit (亿美元) and picking the latest year are the
only arithmetic. A table the build does not have is reported as missing, never filled in.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
from fastapi import APIRouter, HTTPException, Request

from .. import notes_zh as notes
from ..errors import SuanliError
from .api import ERRORS
from .source import Source

router = APIRouter(prefix="/api", tags=["views"], responses=ERRORS)


def _src(request: Request) -> Source:
    return request.app.state.source


def _t(src: Source, name: str) -> pd.DataFrame | None:
    try:
        return src.table(name) if src.has_table(name) else None
    except (SuanliError, OSError, ValueError):
        return None


def _records(df: pd.DataFrame | None, cols: list[str] | None = None, digits: int = 12) -> list[dict[str, Any]]:
    if df is None:
        return []
    if cols:
        df = df[[c for c in cols if c in df.columns]]
    return json.loads(df.to_json(orient="records", force_ascii=False, double_precision=digits))


def _vc(df: pd.DataFrame) -> pd.DataFrame:
    """A ``value_class`` column even on a build older than the column (from data_status/synthetic)."""
    if "value_class" in df:
        return df
    from ..store.value_class import replace_status_columns

    try:
        return replace_status_columns(df, computed=True)
    except Exception:  # noqa: BLE001 - an unreadable status column: say nothing rather than guess
        return df.assign(value_class=None)


async def _offload(request: Request, fn: Any, *args: Any) -> Any:
    import anyio

    return await anyio.to_thread.run_sync(fn, *args, limiter=request.app.state.limiter)


@router.get("/names", summary="Chinese and English names of places, vendors, series, units, classes and methods")
async def names_route(request: Request) -> dict[str, Any]:
    from .names import catalogue

    st = request.app.state
    if getattr(st, "names", None) is None:
        st.names = await _offload(request, catalogue, _src(request))
    return st.names


@router.get("/methodology/{name}", summary="An assessment's method steps as sentences and the methods not offered, in zh and en")
async def methodology_route(request: Request, name: str) -> dict[str, Any]:
    from .names import describe_steps, hidden_reason, method_label

    src = _src(request)
    if name not in src.assessments:
        raise HTTPException(404, f"no assessment '{name}'; assessments: {', '.join(src.assessments) or 'none'}")
    v = src.assessments[name]
    fw = v.framework
    n = len(v.unit_ids)
    return {"assessment": name, "steps": describe_steps(v.spec),
            "hidden": {m: {**hidden_reason(m, why, n), "raw": why} for m, why in v.hidden.items()},
            "aggregations": {m: method_label("aggregate", m) for m in v.aggregations},
            "description": str(fw.description or ""), "method_notes": str(fw.method_notes or "")}


VIEWS = ("capacity", "markets", "survey", "sensitivity")


@router.get("/views/{page}", summary="The tables behind one stage page (capacity, markets, survey, sensitivity)")
async def view_route(request: Request, page: str) -> dict[str, Any]:
    if page not in VIEWS:
        raise HTTPException(404, f"no view '{page}'; views: {', '.join(VIEWS)}")
    st = request.app.state
    cache = getattr(st, "views", None)
    if cache is None:
        st.views = cache = {}
    if page not in cache:
        fn = {"capacity": capacity_view, "markets": markets_view, "survey": survey_view,
              "sensitivity": sensitivity_view}[page]
        cache[page] = await _offload(request, fn, _src(request))
    return cache[page]


# -- capacity -------------------------------------------------------------------------------------

MIX = {"vendor": ("capacity_by_vendor", "vendor"), "accelerator_vendor": ("capacity_by_accelerator_vendor", "accelerator_vendor"),
       "origin": ("capacity_by_origin", "origin"), "industry": ("capacity_by_industry", "industry")}


def capacity_view(src: Source) -> dict[str, Any]:
    from ..tilegrid import CITY_PROVINCE, GRID_COLS, GRID_ROWS, layout

    out: dict[str, Any] = {"tables": [n for n in src.table_names() if n.startswith(("capacity_", "catalog_"))]}
    nat = _t(src, "capacity_national")
    out["national"] = _records(_vc(nat), ["year", "intelligent_eflops", "general_eflops", "intelligent_eflops_lo",
                                          "intelligent_eflops_hi", "general_eflops_lo", "general_eflops_hi",
                                          "interval_level", "value_class"]) if nat is not None else []
    pub = _t(src, "capacity_vs_published")
    out["published"] = _records(pub, ["year", "metric", "computed", "published", "rel_diff", "source"]) if pub is not None else []
    # the national series by both routes, side by side under their own names (IDC published/derived
    # and the capacity model): where they differ, the page shows both and says why
    routes = _t(src, "national_compute_series")
    out["routes"] = _records(routes, ["year", "quantity", "route", "name_zh", "name_en", "value", "lo", "hi",
                                      "method", "value_class", "gap"])
    prov = _t(src, "capacity_by_province")
    out["grid"] = {"rows": GRID_ROWS, "cols": GRID_COLS, "tiles": layout()}
    out["provinces"] = _records(_vc(prov), ["year", "province", "intelligent_eflops", "general_eflops",
                                            "accelerators_installed", "value_class"]) if prov is not None else []
    city = _t(src, "capacity_by_city")
    if city is not None:
        city = _vc(city).assign(province=city["city"].map(CITY_PROVINCE))
    out["cities"] = _records(city, ["year", "city", "province", "intelligent_eflops", "general_eflops", "value_class"])
    mix: dict[str, Any] = {}
    for key, (table, col) in MIX.items():
        d = _t(src, table)
        if d is not None and col in d:
            mix[key] = _records(_vc(d).rename(columns={col: "key"}), ["year", "key", "intelligent_eflops",
                                                                      "general_eflops", "value_class"])
    out["mix"] = mix
    dm = _t(src, "capacity_device_mix")
    out["device_mix"] = _records(_vc(dm), ["year", "accelerator_model", "vendor", "origin", "accelerators_shipped",
                                           "intelligent_added_eflops", "value_class"]) if dm is not None else []
    return out


# -- markets --------------------------------------------------------------------------------------

def markets_view(src: Source) -> dict[str, Any]:
    from ..markets.registry import METRICS

    out: dict[str, Any] = {"tables": [n for n in src.table_names() if n.startswith("market_") or n == "edition_comparison"],
                           "series": [], "points": [], "forecasts": [], "checks": [], "backtests": []}
    ms = _t(src, "market_series")
    if ms is None:
        return out
    ms = _vc(ms)
    scale: dict[str, float] = {}
    for sid, g in ms.groupby("series", sort=True):
        r = g.iloc[0]
        m = METRICS.get(str(r["metric"]))
        f = (m.scale if m is not None else None)
        if f is None and "scaled_value" in g and "value" in g:
            ratio = (g["value"] / g["scaled_value"]).replace([math.inf, -math.inf], float("nan")).dropna()
            f = float(ratio.iloc[0]) if len(ratio) else 1.0
        scale[str(sid)] = float(f or 1.0)
        out["series"].append({"series": str(sid), "metric": str(r["metric"]), "region": str(r["region"]),
                              "segment": str(r["segment"]), "unit": str(r.get("scaled_unit") or r.get("unit") or ""),
                              "n": int(len(g)), "classes": sorted(set(g["value_class"].dropna().astype(str)))})
    f = ms["series"].astype(str).map(scale)
    pts = ms.assign(v=ms["value"] / f, lo=ms["lo"] / f, hi=ms["hi"] / f)
    out["points"] = _records(pts, ["series", "year", "v", "lo", "hi", "value_class", "method", "published_as"])
    fc = _t(src, "market_forecasts")
    if fc is not None and len(fc):
        fc = _vc(fc)
        f = fc["series"].astype(str).map(scale).fillna(1.0)
        fc = fc.assign(v=fc["mean"] / f, lo=fc["lo"] / f, hi=fc["hi"] / f)
        out["forecasts"] = _records(fc, ["series", "year", "model", "v", "lo", "hi", "level", "selected", "override",
                                         "value_class", "note"])
    ck = _with_zh(_t(src, "market_checks"), {"title": notes.title_zh, "detail": notes.detail_zh})
    out["checks"] = _records(ck, ["check_id", "rule", "verdict", "title", "title_zh", "series", "stated", "recomputed",
                                  "lo", "hi", "unit", "rel_error", "formula", "detail", "detail_zh"])
    bt = _with_zh(_t(src, "market_backtests"), {"note": notes.note_zh})
    out["backtests"] = _records(bt, ["series", "model", "n_origins", "mape", "smape", "mase", "coverage", "selected",
                                     "n_points", "n_stated", "level", "note", "note_zh"])
    return out


def _with_zh(df: pd.DataFrame | None, cols: dict[str, Any]) -> pd.DataFrame | None:
    """``<col>_zh`` beside each English note column: the stage's own where its table has one,
    else the Chinese of the stage's template (:mod:`suanli.notes_zh`; empty when none matches)."""
    if df is None:
        return None
    df = df.copy()
    for col, zh in cols.items():
        if col not in df:
            continue
        have = df[col + "_zh"] if col + "_zh" in df else pd.Series([None] * len(df), index=df.index)
        df[col + "_zh"] = [h if isinstance(h, str) and h else (zh(v) or "") for h, v in zip(have, df[col], strict=True)]
    return df


# -- survey ---------------------------------------------------------------------------------------

SURVEY_COLS = ["question_id", "figure", "question_zh", "question_en", "type", "horizon", "horizon_zh", "horizon_en",
               "option_id", "option_zh", "option_en", "position", "statistic", "share", "ci_low", "ci_high", "n",
               "n_eff", "deff", "share_unweighted", "published_value", "within_ci", "value_class"]


def survey_view(src: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"tables": [n for n in src.table_names() if n.startswith("survey_")]}
    est = _t(src, "survey_estimates")
    out["estimates"] = _records(_vc(est), SURVEY_COLS) if est is not None else []
    by = _t(src, "survey_estimates_by_stratum")
    # labels of questions and options are in the estimates; the strata carry only keys and numbers
    out["by_stratum"] = _records(_vc(by), ["by", "stratum", "question_id", "horizon", "option_id", "share", "ci_low",
                                           "ci_high", "n", "value_class"], digits=5) if by is not None else []
    w = _t(src, "survey_weighting")
    out["weighting"] = _records(w)
    return out


# -- sensitivity ----------------------------------------------------------------------------------

def sensitivity_view(src: Source) -> dict[str, Any]:
    """Per assessment and per uncertainty run (the default run and named variants such as
    ``city_method_only``): Sobol indices of the mean rank shift, rank intervals and the rank
    probability matrix of the index."""
    runs: list[dict[str, Any]] = []
    names = src.table_names()
    for n in names:
        if not (n.startswith("index_") and n.endswith("_rank_intervals")):
            continue
        run = n[len("index_"):-len("_rank_intervals")]
        base = next((a for a in sorted(src.assessments, key=len, reverse=True) if run == a or run.startswith(a + "_")),
                    run.split("_")[0])
        iv = _t(src, n)
        if iv is not None and "node_id" in iv:
            root = src.assessments[base].framework.root_id if base in src.assessments else "index"
            iv = iv[iv["node_id"].astype(str) == root]
        pr = _t(src, f"index_{run}_rank_probabilities")
        if pr is not None and iv is not None and "node_id" in pr and "node_id" in iv:
            pr = pr[pr["node_id"].astype(str).isin(set(iv["node_id"].astype(str)))]
        sb = _t(src, f"index_{run}_sobol")
        sob = []
        if sb is not None and len(sb):
            glob = sb[sb["unit_id"].isna()] if "unit_id" in sb else sb
            sob = _records(glob, ["target", "node_id", "input", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi",
                                  "n_base", "n_runs"])
        if iv is not None and base in src.assessments and "unit_id" in iv:
            # names of the units in both languages from the assessment (a table may carry only ids)
            from .api import _static

            st = _static(src.assessments[base])
            zh, en = dict(zip(st.ids, st.names, strict=True)), dict(zip(st.ids, st.names_en, strict=True))
            ids = iv["unit_id"].astype(str)
            iv = iv.assign(unit_name=iv["unit_name"] if "unit_name" in iv else ids.map(zh).fillna(ids),
                           unit_name_en=ids.map(en).fillna(ids))
        ui = _with_zh(_t(src, f"index_{run}_uncertainty_inputs"), {"choices": notes.choices_zh})
        runs.append({"run": run, "assessment": base, "variant": run != base,
                     "intervals": _records(iv, ["unit_id", "unit_name", "unit_name_en", "nominal_rank", "median_rank", "q05", "q95",
                                                "p_top10", "n_samples", "value_class"]),
                     "probabilities": _records(pr, ["unit_id", "rank", "probability"]),
                     "sobol": sob, "inputs": _records(ui)})
    runs.sort(key=lambda r: (r["assessment"], r["variant"], r["run"]))
    return {"runs": runs, "tables": [n for n in names if n.endswith(("_sobol", "_rank_probabilities", "_rank_intervals",
                                                                      "_uncertainty_inputs"))]}
