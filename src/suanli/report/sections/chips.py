"""Chapter 2.1: chips and servers (capacity by origin and vendor, device mix, AI server market, workloads)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import Markup

from ...store.value_class import propagate
from ..claims import GROWTH, RATIO, SUM, V, sentence
from ..data import ReportData
from ..figures import Figures, capacity_by_fig, last_year, origin_label
from ..findings import capacity_findings
from ..spec import FigureSpec
from . import Context, Finding
from ._markets import FORECAST_FROM, MS, has_series, level_growth_fig, ms, series

ID = "chips"
NUMBER = "2.1"
TITLE = ("芯片和服务器", "Chips and servers")
FIGURES = Figures(ID)


@FIGURES("capacity_by_origin")
def figorigin_label(rd: ReportData) -> list[FigureSpec]:
    o = rd.df("capacity_by_origin")
    o = o[o["origin"].isin(["domestic", "imported"])].sort_values(["year", "origin"])
    z = rd.zh_en
    rows = [(int(r.year), origin_label(rd, r.origin), float(r.intelligent_eflops)) for r in o.itertuples()]
    piv = o.pivot(index="year", columns="origin", values="intelligent_eflops").fillna(0)
    share_name = z("国产占比（右轴）", "Domestic share (right axis)")
    tot = piv.sum(axis=1).replace(0, np.nan)
    rows += [(int(y), share_name, float(s)) for y, s in (piv.get("domestic", 0) / tot).items()]
    return [FigureSpec("capacity_by_origin", "chips", "bar",
                       z("智能算力：国产与进口加速卡", "Intelligent compute: domestic vs imported accelerators"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("capacity_by_origin"),
                       ["capacity_by_origin"], rd.synthetic("capacity_by_origin"), y_label="EFLOPS",
                       y2_label=z("国产占比", "Domestic share"),
                       opts={"stacked": True, "line_series": [share_name]}, lang=rd.lang)]


@FIGURES("capacity_by_accelerator_vendor")
def fig_accel_vendor(rd: ReportData) -> list[FigureSpec]:
    a = rd.df("capacity_by_accelerator_vendor")
    a = a[a["accelerator_vendor"] != "(none)"]
    last = last_year(a)
    order = (a[a["year"] == last].sort_values("intelligent_eflops", ascending=False)["accelerator_vendor"].tolist())
    a["accelerator_vendor"] = pd.Categorical(a["accelerator_vendor"], order)
    a = a.sort_values(["year", "accelerator_vendor"])
    d = pd.DataFrame({"x": a["year"].astype(int), "series": a["accelerator_vendor"].astype(str).map(rd.accel_vendor),
                      "value": a["intelligent_eflops"].astype(float)})
    z = rd.zh_en
    src = rd.source("capacity_by_accelerator_vendor")
    syn = rd.synthetic("capacity_by_accelerator_vendor")
    return [
        FigureSpec("capacity_by_accelerator_vendor", "chips", "bar",
                   z("智能算力保有量：按加速卡厂商", "Installed intelligent compute by accelerator vendor"),
                   d, src, ["capacity_by_accelerator_vendor"], syn, y_label="EFLOPS",
                   opts={"stacked": True}, lang=rd.lang),
        FigureSpec("capacity_accelerator_vendor_share", "chips", "stacked100",
                   z("智能算力结构：各加速卡厂商占比", "Intelligent compute mix by accelerator vendor (100%)"),
                   d, src, ["capacity_by_accelerator_vendor"], syn, lang=rd.lang),
    ]


@FIGURES("capacity_by_vendor")
def fig_server_vendor(rd: ReportData) -> list[FigureSpec]:
    return capacity_by_fig(rd, "capacity_by_vendor", "vendor", rd.vendor, "capacity_by_server_vendor", "chips",
                           ("{year}年智能算力保有量：按服务器厂商", "Installed intelligent compute by server vendor, {year}"))


@FIGURES("capacity_device_mix")
def fig_device_mix(rd: ReportData) -> list[FigureSpec]:
    m = rd.df("capacity_device_mix")
    last = last_year(m)
    m = m[m["year"] == last].sort_values("intelligent_added_eflops", ascending=False)
    top = len(m) > 12  # the title says "top 12" only when there are more
    m = m.head(12)
    d = pd.DataFrame({"y": [rd.accel_model(x) for x in m["accelerator_model"]], "value": m["intelligent_added_eflops"].astype(float),
                      "series": [origin_label(rd, o) for o in m["origin"]]})
    z = rd.zh_en
    return [FigureSpec("capacity_device_mix", "chips", "hbar",
                       z(f"{last}年新增智能算力的" + ("主要加速卡型号（前12）" if top else "加速卡型号"),
                         ("Top 12 accelerator models" if top else "Accelerator models") + f" by intelligent compute added, {last}"),
                       d, rd.source("capacity_device_mix"), ["capacity_device_mix"], rd.synthetic("capacity_device_mix"),
                       x_label="EFLOPS", opts={"stacked": True}, lang=rd.lang)]


@FIGURES("catalog_accelerators")
def fig_catalog(rd: ReportData) -> list[FigureSpec]:
    c = rd.df("catalog_accelerators").dropna(subset=["fp16_equiv_tflops", "release_year"])
    # domestic first: a series takes its colour from its order, and the other origin charts draw domestic
    # in the first colour (the catalogue's alphabetical order put AMD's imported parts first)
    c = c.sort_values("origin", key=lambda o: o.ne("domestic"), kind="stable")
    d = pd.DataFrame({"x": c["release_year"].astype(int), "y": c["fp16_equiv_tflops"].astype(float),
                      "label": c["vendor"].astype(str) + " " + c["model"].astype(str),
                      "series": [origin_label(rd, o) for o in c["origin"]]})
    z = rd.zh_en
    return [FigureSpec("catalog_accelerators", "chips", "scatter",
                       z("加速卡FP16等效峰值算力与发布年份", "Accelerator FP16-equivalent peak by release year"),
                       d, rd.source("catalog_accelerators",
                                    origin=z("厂商规格与 Epoch AI 数据（catalog）", "vendor specs and Epoch AI data")),
                       ["catalog_accelerators"], rd.synthetic("catalog_accelerators"),
                       x_label=z("发布年份", "Release year"), y_label="TFLOPS", opts={"log_y": True}, lang=rd.lang)]


@FIGURES(MS)
def fig_cn_ai_servers(rd: ReportData) -> list[FigureSpec]:
    return level_growth_fig(rd, "market_cn_ai_servers", "chips", "ai_server_market:china:total",
                             ("中国人工智能服务器市场预测", "China AI server market forecast"),
                             ("人工智能服务器市场规模", "AI server market"), 2023)


@FIGURES("market_observations")
def fig_workload(rd: ReportData) -> list[FigureSpec]:
    """Figure 8 of the seed: training vs inference share of China's AI server workload.

    The seed states the inference share (73% by 2028); training is its complement (derived).
    Years come from the stated observations, so the figure grows when an edition states more years.
    """
    o = rd.df("market_observations")
    o = o[(o["metric"] == "ai_server_workload") & (o["region"] == "china") & (o["quantity"] == "share")]
    inf = o[o["segment"] == "inference"].dropna(subset=["year"]).sort_values("year")
    if inf.empty:
        return []
    tr = o[o["segment"] == "training"].dropna(subset=["year"]).set_index("year")["value"]
    z = rd.zh_en
    rows = []
    for r in inf.itertuples():
        y = int(r.year)
        rows.append((y, z("推理", "Inference"), float(r.value), str(r.value_class)))
        # training is stated where the edition prints it, else 100% minus inference (derived)
        rows.append((y, z("训练", "Training"), float(tr.get(r.year, 1.0 - float(r.value))),
                     "stated" if r.year in tr.index else propagate(str(r.value_class))))
    derived = tr.empty
    return [FigureSpec("market_workload", "chips", "stacked100",
                       z("中国人工智能服务器工作负载：训练与推理（对应原报告图8）", "China AI server workload: training vs inference (Figure 8 of the original report)"),
                       pd.DataFrame(rows, columns=["x", "series", "value", "value_class"]),
                       rd.source("market_observations") + (z("；训练占比为100%减推理占比（推算）",
                                                             "; training share is 100% minus inference (derived)")
                                                           if derived else ""),
                       ["market_observations"], rd.synthetic("market_observations"), forecast_from=FORECAST_FROM,
                       height=320, lang=rd.lang)]


TX = {
    "servers_cn": ("{b}年中国人工智能服务器市场规模将达到{v1}，同比增长{g}；{d}年有望达到{v2}。",
                   "China's AI server market will reach {v1} in {b}, up {g} year on year, and is expected to reach {v2} in {d}."),
    "flow_differs": ("存量与增量的格局不同：{y}年新增的智能算力中，{add}最多（{a}，占当年新增的{sh}），"
                     "而保有量仍以{stock}居首。",
                     "Stock and flow differ: {add} added the most intelligent compute in {y} ({a}, {sh} of the year's "
                     "additions), while {stock} still leads the installed base."),
    "flow_same": ("{stock}在保有量和{y}年新增的智能算力上都居首（新增{a}，占当年新增的{sh}）。",
                  "{stock} leads both the installed base and the intelligent compute added in {y} ({a}, {sh} of the "
                  "year's additions)."),
    "units": ("按型号看，出货量最多的{mu}（{u}张）新增{ua}，少于新增算力最多的{mt}（{ta}）：单卡算力的差异使出货量与算力的"
              "排序并不一致。",
              "By model, the most shipped part, {mu} ({u} units), added {ua}, less than {mt} ({ta}), the model that "
              "added the most compute: per-device performance makes ranking by units and by compute disagree."),
}


def _stock_and_flow(ctx: Context, sec, t: dict[str, str]) -> None:
    """Who leads the installed base and who leads the year's additions (the notable case is when they
    differ), and whether the most shipped accelerator is also the one that added the most compute."""
    rd, cl = ctx.rd, ctx.cl
    if not rd.has("capacity_by_accelerator_vendor"):
        return
    a = rd.df("capacity_by_accelerator_vendor")
    y = int(a["year"].max())
    a = a[(a["year"] == y) & (a["accelerator_vendor"] != "(none)")]
    if a.empty or a["intelligent_added_eflops"].sum() <= 0:
        return
    stock = str(a.sort_values("intelligent_eflops", ascending=False).iloc[0]["accelerator_vendor"])
    add = str(a.sort_values("intelligent_added_eflops", ascending=False).iloc[0]["accelerator_vendor"])
    ref = V("capacity_by_accelerator_vendor", "intelligent_added_eflops", year=y, accelerator_vendor=add)
    total = SUM("capacity_by_accelerator_vendor", "intelligent_added_eflops", year=y)
    parts = {"y": y, "stock": rd.accel_vendor(stock), "add": rd.accel_vendor(add),
             "a": cl.eflops(f"chips_add_lead_{y}", ref), "sh": cl.pct(f"chips_add_lead_share_{y}", RATIO(ref, total))}
    p = sentence(t["flow_differs" if add != stock else "flow_same"], **parts)
    if rd.has("capacity_device_mix"):
        m = rd.df("capacity_device_mix")
        m = m[m["year"] == y]
        if len(m):
            mu = m.sort_values("accelerators_shipped", ascending=False).iloc[0]
            mt = m.sort_values("intelligent_added_eflops", ascending=False).iloc[0]
            # said only when the most shipped part really added less (a tie is not "less than")
            if float(mu["intelligent_added_eflops"]) < float(mt["intelligent_added_eflops"]):
                def r(model: str, col: str) -> dict:
                    return V("capacity_device_mix", col, year=y, accelerator_model=model)

                units = (cl.scaled(f"chips_units_{y}", r(mu["accelerator_model"], "accelerators_shipped"), 1e4, 1, "万")
                         if rd.lang == "zh" else
                         cl.number(f"chips_units_{y}", r(mu["accelerator_model"], "accelerators_shipped"), 0))
                p += Markup("" if rd.lang == "zh" else " ") + sentence(
                    t["units"], mu=rd.accel_model(mu["accelerator_model"]), u=units,
                    mt=rd.accel_model(mt["accelerator_model"]),
                    ua=cl.eflops(f"chips_units_add_{y}", r(mu["accelerator_model"], "intelligent_added_eflops")),
                    ta=cl.eflops(f"chips_top_add_{y}", r(mt["accelerator_model"], "intelligent_added_eflops")))
    sec.paragraphs.append(p)
    ctx.note(Finding("chips_stock_flow", ID, p, "leader" if add == stock else "surprise",
                     {"stock_leader": stock, "flow_leader": add}))


def write(ctx: Context, sec) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    sid = "ai_server_market:china:total"
    if has_series(rd, sid) and {2024, 2025, 2028} <= set(int(y) for y in series(rd, sid)["year"]):
        s = sentence(t["servers_cn"], b=2025, d=2028, v1=cl.usd("cn_srv_2025", ms(sid, 2025), 0),
                     g=cl.pct("cn_srv_yoy", GROWTH(ms(sid, 2025), ms(sid, 2024))),
                     v2=cl.usd("cn_srv_2028", ms(sid, 2028), 0))
        sec.paragraphs.append(s)
    cap = capacity_findings(rd, cl, ctx.edition.year)
    for k, prio in (("domestic", 30), ("vendor", 31)):
        if k in cap:
            sec.paragraphs.append(cap[k])
            ctx.key(cap[k], prio)
    if "domestic" in cap:
        o = rd.df("capacity_by_origin")
        o = o[o["origin"].isin(["domestic", "imported"])]
        piv = o.pivot_table(index="year", columns="origin", values="intelligent_eflops", aggfunc="sum").sort_index()
        share = piv["domestic"] / piv.sum(axis=1)
        ctx.note(Finding("chips_domestic", ID, cap["domestic"], "share",
                         {"first": float(share.iloc[0]), "last": float(share.iloc[-1])}))
    if "vendor" in cap:
        a = rd.df("capacity_by_accelerator_vendor")
        a = a[(a["year"] == a["year"].max()) & (a["accelerator_vendor"] != "(none)")]
        lead = float(a["intelligent_eflops"].max() / a["intelligent_eflops"].sum()) if len(a) else 0.0
        ctx.note(Finding("chips_vendor", ID, cap["vendor"], "leader", {"leader_share": lead}))
    _stock_and_flow(ctx, sec, t)
