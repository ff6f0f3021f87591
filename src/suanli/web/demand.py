"""Dashboard page ``/demand``: compute demand against supply, with scenario sliders.

``GET /api/demand`` returns the demand stage's tables (demand_supply with its intervals, the
central scenario, the parameters, the sensitivity ranking, the claims checked).
``GET /api/demand/scenario`` recomputes the central scenario with the demand engine for slider
values: token growth (exponent on the growth since the first token anchor: 1 = the official path),
model mix (share of tokens served by the small-model class; the other classes keep their
proportions), MFU (one multiplier on the training, prefill and decode MFU) and catalogue coverage.
The fixed inputs are rebuilt once from the stored tables (run catalogue, anchors, capacity series).
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import numpy as np
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from .api import ERRORS
from .assets import plotly_url, static_url

# the API's error shape for 4xx answers, so the OpenAPI document says what a client gets back
router = APIRouter(responses=ERRORS)
_lock = threading.Lock()
_CACHE: dict[int, Any] = {}


def _src(request: Request):
    return request.app.state.source


def _records(df) -> list[dict[str, Any]]:
    out = df.replace({np.nan: None}).to_dict(orient="records")
    return out


def _prepared(src):
    """(config, Prepared, central draw) from the stored tables, cached per source."""
    with _lock:
        if id(src) in _CACHE:
            return _CACHE[id(src)]
    from ..capacity.stage import load_catalog
    from ..demand.config import DemandConfig
    from ..demand.model import central, prepare

    ed = src.edition
    cfg = ed.demand or DemandConfig()
    runs = src.table("demand_runs")
    anchors = src.table("demand_anchors")
    cap = src.table("capacity_national")
    if runs is None or anchors is None or cap is None:
        raise HTTPException(404, "this build has no demand tables (run suanli build with a demand section)")
    anchors = anchors.rename(columns={"value_number": "number"}).copy()
    anchors["value"] = anchors["value"].astype(str)
    syn = bool(src.table("demand_supply") is not None and (src.table("demand_supply").value_class == "synthetic").any())
    inp = prepare(cfg, runs, anchors, cap, load_catalog(ed), supply_synthetic=syn)
    res = (cfg, inp.prepared, central(cfg))
    with _lock:
        _CACHE[id(src)] = res
    return res


@router.get("/api/demand", summary="Compute demand against supply: the demand stage's tables")
async def demand_tables(request: Request) -> dict[str, Any]:
    src = _src(request)
    out: dict[str, Any] = {}
    for name in ("demand_supply", "demand_central", "demand_parameters", "demand_sensitivity", "demand_checks",
                 "demand_inference_share"):
        df = src.table(name)
        if df is None:
            if name == "demand_supply":
                raise HTTPException(404, "this build has no demand tables (run suanli build with a demand section)")
            continue
        out[name] = _records(df)
    return out


@router.get("/api/demand/scenario", summary="The central demand scenario recomputed for slider values")
def scenario(request: Request,
             token_growth: float = Query(1.0, ge=0.5, le=1.3, description="Exponent on token growth since the first anchor."),
             small_share: float | None = Query(None, ge=0.0, le=1.0, description="Share of tokens served by the first (small) model class."),
             mfu: float = Query(1.0, ge=0.25, le=3.0, description="Multiplier on training, prefill and decode MFU."),
             coverage: float | None = Query(None, gt=0, le=100, description="National ÷ catalogued training compute."),
             ) -> dict[str, Any]:
    from ..demand import engine

    cfg, p, base = _prepared(_src(request))
    d = {k: v.copy() for k, v in base.items()}
    for k in ("train_mfu", "mfu_prefill", "mfu_decode"):
        d[k] = np.minimum(d[k] * mfu, 1.0)
    if coverage is not None:
        d["coverage"] = np.array([coverage])
    if small_share is not None:
        mix = d["mix"][0].copy()
        rest = mix[1:].sum()
        mix[1:] = (mix[1:] / rest if rest > 0 else np.full(len(mix) - 1, 1 / max(len(mix) - 1, 1))) * (1 - small_share)
        mix[0] = small_share
        d["mix"] = mix[None, :]
    q = p
    if token_growth != 1.0:
        q = copy.copy(p)
        tok = copy.copy(p.tokens)
        known = tok.known
        ratio = np.where(known > 0, known / tok.v0, 1.0)
        tok.known = np.where(known > 0, known * ratio ** (token_growth - 1.0), known)
        q.tokens = tok
    res = engine.simulate(q, d)
    years = [int(y) for y in p.years]
    keys = ("training_eflops", "inference_eflops", "demand_eflops", "supply_eflops", "implied_utilisation",
            "inference_share", "tokens_per_day", "flop_per_token")
    return {"years": years, "settings": {"token_growth": token_growth, "small_share": float(d["mix"][0][0]),
                                         "mfu": mfu, "coverage": float(d["coverage"][0])},
            "mix_classes": [m.name for m in cfg.inference.mix],
            "series": {k: [float(x) for x in res[k][0]] for k in keys}}


PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">
<title>suanli · 算力需求与供给 / compute demand</title>
<link rel="stylesheet" href="{css_url}">
<script src="{plotly_url}" defer></script>
<style>
 .dm-grid{display:grid;grid-template-columns:minmax(0,1fr);gap:1rem;max-width:1100px;margin:0 auto;padding:0 .75rem}
 @media(min-width:900px){.dm-grid{grid-template-columns:280px minmax(0,1fr)}}
 .dm-ctl label{display:block;margin:.6rem 0 .1rem} .dm-ctl input{width:100%} .dm-tab{overflow-x:auto}
 .dm-tab table{border-collapse:collapse;font-size:.85rem;width:100%} .dm-tab td,.dm-tab th{padding:.2rem .4rem;text-align:right;border-bottom:1px solid #ddd}
 .dm-tab td:first-child,.dm-tab th:first-child{text-align:left} .dm-badge{font-size:.75rem;padding:0 .3rem;border:1px solid #999;border-radius:3px}
</style></head>
<body>
<header class="top"><a class="brand" href="/">算力 suanli</a><nav id="nav"><a href="/" id="nav-overview" data-t="nav_o">概览</a>
<a href="/demand" aria-current="page" data-t="nav_d">算力需求</a></nav><button id="lang" type="button">EN</button></header>
<div class="banner" id="dm-banner" hidden></div>
<main class="dm-grid">
 <section class="dm-ctl panel">
  <h2 data-t="scen">情景</h2>
  <label for="tg"><span data-t="tg">Token增长（相对官方路径的增长指数）</span>: <b id="tg-v">1.00</b></label>
  <input id="tg" type="range" min="0.5" max="1.3" step="0.05" value="1">
  <label for="ss"><span data-t="ss">小模型服务的Token占比</span>: <b id="ss-v"></b></label>
  <input id="ss" type="range" min="0" max="1" step="0.05" value="0.45">
  <label for="mf"><span data-t="mf">MFU倍数（训练、预填充、解码）</span>: <b id="mf-v">1.00</b></label>
  <input id="mf" type="range" min="0.25" max="3" step="0.05" value="1">
  <label for="cv"><span data-t="cv">训练目录覆盖倍数</span>: <b id="cv-v"></b></label>
  <input id="cv" type="range" min="1" max="30" step="0.5" value="8">
  <p class="muted" data-t="note">情景为中心参数下的单次计算；灰色带为构建时蒙特卡洛90%区间。</p>
 </section>
 <section class="panel"><h1 data-t="title">算力需求与装机供给</h1>
  <div id="chart" style="height:380px"></div><div id="uchart" style="height:260px"></div>
  <div class="dm-tab" id="table"></div><div class="dm-tab" id="sens"></div></section>
</main>
<div id="error" class="error" role="alert" hidden></div>
<script src="{demand_url}" defer></script>
</body></html>
"""


@router.get("/demand", include_in_schema=False, response_class=HTMLResponse)
def demand_page() -> HTMLResponse:
    html = (PAGE.replace("{plotly_url}", plotly_url()).replace("{css_url}", static_url("app.css"))
            .replace("{demand_url}", static_url("demand.js")))
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
