"""Chapter 1: global and China AI compute (capacity stage, market compute forecasts)."""

from __future__ import annotations

import pandas as pd

from ..claims import sentence
from ..data import ReportData
from ..figures import Figures, growth, years
from ..findings import capacity_findings
from ..spec import FigureSpec, series_rows
from . import Context, Finding
from ._markets import (
    FORECAST_FROM,
    MS,
    UNALLOCATED,
    has_series,
    level_growth_fig,
    money_unit,
    ms,
    series,
    to_money,
)

ID = "compute"
NUMBER = "1"
TITLE = ("全球及中国人工智能算力", "Global and China AI compute")
FIGURES = Figures(ID)


@FIGURES("capacity_national")
def fig_national(rd: ReportData) -> list[FigureSpec]:
    nat = rd.df("capacity_national").sort_values("year")
    z = rd.zh_en
    i_name = z("智能算力（FP16，EFLOPS）", "Intelligent compute (FP16, EFLOPS)")
    g_name = z("通用算力（FP64，EFLOPS）", "General compute (FP64, EFLOPS)")
    gi = z("智能算力同比增速", "Intelligent YoY growth")
    gg = z("通用算力同比增速", "General YoY growth")
    rows = []
    for c, name, _g in (("intelligent_eflops", i_name, gi), ("general_eflops", g_name, gg)):
        for y, v in zip(nat["year"], nat[c], strict=False):
            rows.append((int(y), name, float(v)))
    for c, gname in (("intelligent_eflops", gi), ("general_eflops", gg)):
        g = growth(nat[c])
        for y, v in zip(nat["year"].iloc[1:], g.iloc[1:], strict=False):
            rows.append((int(y), gname, float(v)))
    d = pd.DataFrame(rows, columns=["x", "series", "value"])
    y0, y1 = years(nat)[0], years(nat)[-1]
    return [FigureSpec(
        "capacity_national", "compute", "bar",
        z(f"中国智能算力和通用算力规模，{y0}-{y1}", f"China intelligent and general-purpose compute, {y0}-{y1}"),
        d, rd.source("capacity_national"), ["capacity_national"], rd.synthetic("capacity_national"),
        y_label="EFLOPS", y2_label=z("同比增速", "YoY growth"),
        opts={"line_series": [gi, gg]}, lang=rd.lang)]


@FIGURES("capacity_effective")
def fig_effective(rd: ReportData) -> list[FigureSpec]:
    e = rd.df("capacity_effective").sort_values("year")
    z = rd.zh_en
    rows = series_rows(z("峰值智能算力", "Peak intelligent compute"), e["year"], e["intelligent_peak_eflops"])
    rows += series_rows(z("有效智能算力（峰值×可用率×利用率）", "Effective (peak × availability × utilisation)"), e["year"], e["intelligent_effective_eflops"])
    return [FigureSpec("capacity_effective", "compute", "line",
                       z("峰值与有效智能算力", "Peak and effective intelligent compute"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("capacity_effective"),
                       ["capacity_effective"], rd.synthetic("capacity_effective"), y_label="EFLOPS", lang=rd.lang)]


@FIGURES("capacity_flow_national")
def fig_flow(rd: ReportData) -> list[FigureSpec]:
    f = rd.df("capacity_flow_national").sort_values("year")
    z = rd.zh_en
    rows = series_rows(z("新增智能算力", "Intelligent compute added"), f["year"], f["intelligent_added_eflops"])
    rows += series_rows(z("新增通用算力", "General compute added"), f["year"], f["general_added_eflops"])
    return [FigureSpec("capacity_flow", "compute", "bar",
                       z("每年新增算力（出货口径）", "Compute added per year (shipments)"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("capacity_flow_national"),
                       ["capacity_flow_national"], rd.synthetic("capacity_flow_national"), y_label="EFLOPS",
                       lang=rd.lang)]


@FIGURES("capacity_vs_published")
def fig_vs_published(rd: ReportData) -> list[FigureSpec]:
    v = rd.df("capacity_vs_published").sort_values(["metric", "year"])
    z = rd.zh_en
    mname = {"intelligent_eflops": z("智能算力", "Intelligent"), "general_eflops": z("通用算力", "General")}
    rows = []
    for r in v.itertuples():
        x = f"{mname.get(r.metric, r.metric)} {int(r.year)}"
        rows.append((x, z("suanli 计算值", "suanli computed"), float(r.computed)))
        rows.append((x, z("报告公布值", "Published"), float(r.published)))
    return [FigureSpec("capacity_vs_published", "compute", "bar",
                       z("计算值与公布值对照", "Computed vs published compute"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("capacity_vs_published"),
                       ["capacity_vs_published"], rd.synthetic("capacity_vs_published"), y_label="EFLOPS",
                       lang=rd.lang)]


@FIGURES(MS)
def fig_global_ai_servers(rd: ReportData) -> list[FigureSpec]:
    if not has_series(rd, "ai_server_market:global:genai", "ai_server_market:global:non_genai"):
        return []
    z = rd.zh_en
    rows = []
    g = series(rd, "ai_server_market:global:genai", 2023)
    n = series(rd, "ai_server_market:global:non_genai", 2023)
    segs = [(g, z("生成式人工智能服务器", "GenAI servers")), (n, z("非生成式人工智能服务器", "Non-GenAI servers"))]
    if has_series(rd, "ai_server_market:global:unallocated"):
        segs.append((series(rd, "ai_server_market:global:unallocated", 2023), z(*UNALLOCATED)))
    for s, lab in segs:
        rows += series_rows(lab, s["year"], to_money(rd, s["value"]))
    share = g.set_index("year")["value"] / sum(s.set_index("year")["value"] for s, _ in segs).reindex(
        g.set_index("year").index)
    sname = z("生成式人工智能服务器占比（右轴）", "GenAI share (right axis)")
    rows += [(int(y), sname, float(v)) for y, v in share.items()]
    return [FigureSpec("market_global_ai_servers", "compute", "bar",
                       z("全球生成式人工智能和非生成式人工智能服务器市场规模预测", "Global GenAI and non-GenAI AI server market forecast"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source(MS), [MS], rd.synthetic(MS),
                       y_label=money_unit(rd), y2_label=z("占比", "Share"), forecast_from=FORECAST_FROM,
                       opts={"stacked": True, "line_series": [sname]}, lang=rd.lang)]


@FIGURES(MS)
def fig_cn_compute_forecast(rd: ReportData) -> list[FigureSpec]:
    if not has_series(rd, "intelligent_compute:china:total", "general_compute:china:total"):
        return []
    z = rd.zh_en
    i = series(rd, "intelligent_compute:china:total")
    g = series(rd, "general_compute:china:total")
    gi, gg = z("智能算力同比增速", "Intelligent YoY"), z("通用算力同比增速", "General YoY")
    rows = series_rows(z("智能算力（EFLOPS）", "Intelligent compute (EFLOPS)"), i["year"], i["value"])
    rows += series_rows(z("通用算力（EFLOPS）", "General compute (EFLOPS)"), g["year"], g["value"])
    for s, nm in ((i, gi), (g, gg)):
        gr = s["value"] / s["value"].shift(1) - 1
        rows += series_rows(nm, s["year"].iloc[1:], gr.iloc[1:])
    y0, y1 = int(i["year"].min()), int(i["year"].max())
    return [FigureSpec("market_cn_compute", "compute", "bar",
                       z(f"中国智能算力和通用算力规模及预测，{y0}-{y1}", f"China intelligent and general compute, actual and forecast, {y0}-{y1}"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source(MS), [MS], rd.synthetic(MS),
                       y_label="EFLOPS", y2_label=z("同比增速", "YoY growth"), forecast_from=FORECAST_FROM,
                       opts={"line_series": [gi, gg]}, lang=rd.lang)]


@FIGURES(MS)
def fig_genai_spend(rd: ReportData) -> list[FigureSpec]:
    return level_growth_fig(rd, "market_genai_spend", "compute", "genai_spend:global:total",
                             ("全球企业生成式人工智能支出预测", "Global enterprise GenAI spending forecast"),
                             ("生成式人工智能支出", "GenAI spending"), 2022)


@FIGURES("edition_comparison")
def fig_edition_comparison(rd: ReportData) -> list[FigureSpec]:
    e = rd.df("edition_comparison")
    e = e[(e["quantity"] == "level") & e["like_for_like"].astype(bool)]
    if e.empty:
        return []
    z = rd.zh_en
    rows = []
    for r in e.sort_values(["series", "year"]).itertuples():
        lab = f"{r.series.split(':')[0].replace('_compute', '')} {int(r.year)}"
        if rd.lang == "zh":
            lab = lab.replace("intelligent", "智能算力").replace("general", "通用算力")
        rows.append((lab, z(f"上一版本（{r.previous_edition}）", f"Previous edition ({r.previous_edition})"), float(r.previous)))
        rows.append((lab, z("本版本", "This edition"), float(r.current)))
    return [FigureSpec("edition_comparison", "compute", "bar",
                       z("预测修订：本版本与上一版本同口径对比", "Forecast revisions: this vs previous edition, like for like"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("edition_comparison"),
                       ["edition_comparison"], rd.synthetic("edition_comparison"), y_label="EFLOPS", lang=rd.lang)]


TX = {
    "servers_gl": ("{a}年全球人工智能服务器市场规模预计为{v0}，{b}年将增至{v1}，{d}年有望达到{v2}。",
                   "The global AI server market is estimated at {v0} in {a}, growing to {v1} in {b} and {v2} in {d}."),
    "compute_fc": ("按市场模型预测，{d}年中国智能算力规模将达到{i}，通用算力规模将达到{g}。",
                   "By the market model, China's intelligent compute will reach {i} in {d} and general compute {g}."),
}


def write(ctx: Context, sec) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    cap = capacity_findings(rd, cl, ctx.edition.year)
    if rd.has(MS):
        sid = "ai_server_market:global:total"
        if has_series(rd, sid) and {2024, 2025, 2028} <= set(int(y) for y in series(rd, sid)["year"]):
            s = sentence(t["servers_gl"], a=2024, b=2025, d=2028, v0=cl.usd("gl_srv_2024", ms(sid, 2024), 0),
                         v1=cl.usd("gl_srv_2025", ms(sid, 2025), 0), v2=cl.usd("gl_srv_2028", ms(sid, 2028), 0))
            ctx.key(s, 10)
            sec.paragraphs.append(s)
    for k, prio in (("national", 20), ("cagr", 21), ("effective", None), ("published", None)):
        if k in cap:
            sec.paragraphs.append(cap[k])
            if prio is not None:
                ctx.key(cap[k], prio)
    if "effective" in cap:
        e = rd.df("capacity_effective").sort_values("year").iloc[-1]
        ratio = float(e["intelligent_effective_eflops"]) / float(e["intelligent_peak_eflops"])
        ctx.note(Finding("compute_effective", ID, cap["effective"], "gap", {"ratio": ratio}))
    si, sg = "intelligent_compute:china:total", "general_compute:china:total"
    if has_series(rd, si, sg) and 2028 in set(series(rd, si)["year"]) and 2028 in set(series(rd, sg)["year"]):
        s = sentence(t["compute_fc"], d=2028, i=cl.eflops("cn_int_2028", ms(si, 2028)),
                     g=cl.eflops("cn_gen_2028", ms(sg, 2028)))
        ctx.key(s, 15)
        sec.paragraphs.append(s)
