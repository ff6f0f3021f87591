"""Figures, sentences and per-city evidence from the markets, survey, index and uncertainty tables.

Each builder runs only when its tables exist, so the report grows as those stages land. Values
are read as stored (market levels in USD/EFLOPS/TWh, survey shares with their intervals, index
scores and ranks); growth lines are ratios of stored levels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import Markup

from . import document as docmod
from .claims import CAGR, GROWTH, Claims, V, sentence
from .data import ReportData
from .figures import builder
from .spec import FigureSpec, series_rows

MS = "market_series"
FORECAST_FROM = 2025
#: the gap between a stated total and its segments, drawn as its own segment
UNALLOCATED = ("未分配", "Unallocated")


def _series(rd: ReportData, sid: str, y0: int | None = None) -> pd.DataFrame:
    m = rd.df(MS)
    s = m[m["series"] == sid].sort_values("year")
    if y0 is not None:
        s = s[s["year"] >= y0]
    return s


def _has_series(rd: ReportData, *sids: str) -> bool:
    if not rd.has(MS):
        return False
    have = set(rd.df(MS)["series"])
    return all(s in have for s in sids)


def _money(rd: ReportData, v: pd.Series) -> pd.Series:
    return v / (1e8 if rd.lang == "zh" else 1e9)


def _money_unit(rd: ReportData) -> str:
    return rd.zh_en("亿美元", "USD bn")


def _level_growth_fig(rd: ReportData, fid: str, section: str, sid: str, title: tuple[str, str], name: tuple[str, str],
                      y0: int, money: bool = True, unit: str = "") -> list[FigureSpec]:
    if not _has_series(rd, sid):
        return []
    s = _series(rd, sid, y0)
    vals = _money(rd, s["value"]) if money else s["value"]
    z = rd.zh_en
    g = s["value"] / s["value"].shift(1) - 1
    gname = z("同比增长（右轴）", "YoY growth (right axis)")
    rows = series_rows(z(*name), s["year"], vals)
    rows += series_rows(gname, s["year"].iloc[1:], g.iloc[1:])
    return [FigureSpec(fid, section, "bar", z(*title), pd.DataFrame(rows, columns=["x", "series", "value"]),
                       rd.source(MS), [MS], rd.synthetic(MS), y_label=_money_unit(rd) if money else unit,
                       y2_label=z("同比增长", "YoY growth"), forecast_from=FORECAST_FROM,
                       opts={"line_series": [gname]}, lang=rd.lang)]


# ---------------------------------------------------------------------------------------------
# Markets
# ---------------------------------------------------------------------------------------------

@builder("compute", MS)
def fig_global_ai_servers(rd: ReportData) -> list[FigureSpec]:
    if not _has_series(rd, "ai_server_market:global:genai", "ai_server_market:global:non_genai"):
        return []
    z = rd.zh_en
    rows = []
    g = _series(rd, "ai_server_market:global:genai", 2023)
    n = _series(rd, "ai_server_market:global:non_genai", 2023)
    segs = [(g, z("生成式人工智能服务器", "GenAI servers")), (n, z("非生成式人工智能服务器", "Non-GenAI servers"))]
    if _has_series(rd, "ai_server_market:global:unallocated"):
        segs.append((_series(rd, "ai_server_market:global:unallocated", 2023), z(*UNALLOCATED)))
    for s, lab in segs:
        rows += series_rows(lab, s["year"], _money(rd, s["value"]))
    share = g.set_index("year")["value"] / sum(s.set_index("year")["value"] for s, _ in segs).reindex(
        g.set_index("year").index)
    sname = z("生成式人工智能服务器占比（右轴）", "GenAI share (right axis)")
    rows += [(int(y), sname, float(v)) for y, v in share.items()]
    return [FigureSpec("market_global_ai_servers", "compute", "bar",
                       z("全球生成式人工智能和非生成式人工智能服务器市场规模预测", "Global GenAI and non-GenAI AI server market forecast"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source(MS), [MS], rd.synthetic(MS),
                       y_label=_money_unit(rd), y2_label=z("占比", "Share"), forecast_from=FORECAST_FROM,
                       opts={"stacked": True, "line_series": [sname]}, lang=rd.lang)]


@builder("compute", MS)
def fig_cn_compute_forecast(rd: ReportData) -> list[FigureSpec]:
    if not _has_series(rd, "intelligent_compute:china:total", "general_compute:china:total"):
        return []
    z = rd.zh_en
    i = _series(rd, "intelligent_compute:china:total")
    g = _series(rd, "general_compute:china:total")
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


@builder("compute", MS)
def fig_genai_spend(rd: ReportData) -> list[FigureSpec]:
    return _level_growth_fig(rd, "market_genai_spend", "compute", "genai_spend:global:total",
                             ("全球企业生成式人工智能支出预测", "Global enterprise GenAI spending forecast"),
                             ("生成式人工智能支出", "GenAI spending"), 2022)


@builder("compute", "edition_comparison")
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


@builder("chips", MS)
def fig_cn_ai_servers(rd: ReportData) -> list[FigureSpec]:
    return _level_growth_fig(rd, "market_cn_ai_servers", "chips", "ai_server_market:china:total",
                             ("中国人工智能服务器市场预测", "China AI server market forecast"),
                             ("人工智能服务器市场规模", "AI server market"), 2023)


@builder("chips", MS)
def fig_workload(rd: ReportData) -> list[FigureSpec]:
    have = set(rd.df(MS)["series"])
    inf, tr = "ai_server_workload:china:inference", "ai_server_workload:china:training"
    if inf not in have:
        return []
    z = rd.zh_en
    s = _series(rd, inf, 2024)
    rows = series_rows(z("推理", "Inference"), s["year"], s["value"])
    if tr in have:
        t = _series(rd, tr, 2024)
        rows += series_rows(z("训练", "Training"), t["year"], t["value"])
    else:
        rows += [(int(y), z("训练", "Training"), float(1 - v if v <= 1 else 100 - v)) for y, v in zip(s["year"], s["value"], strict=True)]
    return [FigureSpec("market_workload", "chips", "stacked100", z("中国人工智能服务器工作负载预测", "China AI server workload split"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source(MS), [MS], rd.synthetic(MS),
                       forecast_from=FORECAST_FROM, lang=rd.lang)]


@builder("storage", MS)
def fig_storage(rd: ReportData) -> list[FigureSpec]:
    return _level_growth_fig(rd, "market_ai_storage", "storage", "ai_storage_spend:global:total",
                             ("全球企业人工智能存储支出预测", "Global enterprise AI storage spending forecast"),
                             ("人工智能存储支出", "AI storage spending"), 2022)


@builder("storage", MS)
def fig_data_volume(rd: ReportData) -> list[FigureSpec]:
    return _level_growth_fig(rd, "market_data_volume", "storage", "data_volume:global:total",
                             ("全球数据量预测", "Global data created"), ("数据量（ZB）", "Data created (ZB)"), 2022,
                             money=False, unit="ZB")


@builder("cooling", MS)
def fig_energy(rd: ReportData) -> list[FigureSpec]:
    return _level_growth_fig(rd, "market_aidc_energy", "cooling", "aidc_it_energy:global:total",
                             ("全球人工智能数据中心IT能耗预测", "Global AI data-centre IT energy forecast"),
                             ("人工智能数据中心IT能耗（太瓦时）", "AI data-centre IT energy (TWh)"), 2022,
                             money=False, unit=rd.zh_en("太瓦时（TWh）", "TWh"))


@builder("cooling", MS)
def fig_liquid(rd: ReportData) -> list[FigureSpec]:
    return _level_growth_fig(rd, "market_liquid_cooling", "cooling", "liquid_cooled_server_market:china:total",
                             ("中国液冷服务器市场规模及预测", "China liquid-cooled server market and forecast"),
                             ("液冷服务器市场规模", "Liquid-cooled server market"), 2023)


@builder("services", MS)
def fig_services(rd: ReportData) -> list[FigureSpec]:
    segs = [("ai_compute_services:china:integration", ("智算集成服务", "AI compute integration services")),
            ("ai_compute_services:china:genai_iaas", ("生成式人工智能IaaS", "GenAI IaaS")),
            ("ai_compute_services:china:non_genai_iaas", ("非生成式人工智能IaaS", "Non-GenAI IaaS"))]
    if not _has_series(rd, *[s for s, _ in segs]):
        return []
    if _has_series(rd, "ai_compute_services:china:unallocated"):
        segs.append(("ai_compute_services:china:unallocated", UNALLOCATED))
    z = rd.zh_en
    rows = []
    for sid, lab in segs:
        s = _series(rd, sid, 2023)
        rows += series_rows(z(*lab), s["year"], _money(rd, s["value"]))
    out = [FigureSpec("market_ai_compute_services", "services", "bar",
                      z("中国智算服务细分市场规模预测", "China AI compute services market by segment"),
                      pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source(MS), [MS], rd.synthetic(MS),
                      y_label=_money_unit(rd), forecast_from=FORECAST_FROM, opts={"stacked": True}, lang=rd.lang)]
    out.append(FigureSpec("market_ai_compute_services_mix", "services", "stacked100",
                          z("中国智算服务市场结构", "China AI compute services mix"),
                          pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source(MS), [MS], rd.synthetic(MS),
                          forecast_from=FORECAST_FROM, lang=rd.lang))
    return out


@builder("services", "market_forecasts", MS)
def fig_forecast_band(rd: ReportData) -> list[FigureSpec]:
    f = rd.df("market_forecasts")
    sid = "ai_compute_services:china:total"
    f = f[(f["series"] == sid) & f["selected"].astype(bool)]
    if f.empty:
        return []
    s = _series(rd, sid, 2020)
    z = rd.zh_en
    div = 1e8 if rd.lang == "zh" else 1e9
    name = z("智算服务市场（含模型外推）", "AI compute services (with model extrapolation)")
    d = pd.DataFrame({"x": list(s["year"].astype(int)) + list(f["year"].astype(int)), "series": name,
                      "value": list(s["value"] / div) + list(f["mean"] / div),
                      "lo": list(s["lo"] / div) + list(f["lo"] / div), "hi": list(s["hi"] / div) + list(f["hi"] / div)})
    model = str(f["model"].iloc[0])
    return [FigureSpec("market_forecast_band", "services", "line",
                       z(f"智算服务市场外推至{int(f['year'].max())}年（{model}模型，{int(f['level'].iloc[0])}%区间）",
                         f"AI compute services extrapolated to {int(f['year'].max())} ({model} model, {int(f['level'].iloc[0])}% interval)"),
                       d, rd.source("market_forecasts", MS), ["market_forecasts", MS],
                       rd.synthetic("market_forecasts", MS), y_label=_money_unit(rd), forecast_from=FORECAST_FROM,
                       lang=rd.lang)]


# ---------------------------------------------------------------------------------------------
# Survey
# ---------------------------------------------------------------------------------------------

SURVEY_SECTION = {"图3": "compute", "图4": "compute", "图6": "compute"}
HORIZON = {"now": ("目前", "now"), "3y": ("未来三年", "next 3 years"), "18m": ("未来18个月", "next 18 months")}


@builder("applications", "survey_estimates")
def fig_survey(rd: ReportData) -> list[FigureSpec]:
    e = rd.df("survey_estimates")
    z = rd.zh_en
    out = []
    qorder = e.drop_duplicates("question_id")[["question_id", "figure"]]
    qorder = qorder.assign(n=qorder["figure"].str.extract(r"(\d+)")[0].astype(float)).sort_values("n")
    for qid, fig_no in zip(qorder["question_id"], qorder["figure"], strict=True):
        q = e[e["question_id"] == qid]
        stat = "top1" if (q["statistic"] == "top1").any() else q["statistic"].iloc[0]
        q = q[q["statistic"] == stat]
        title = str(q["question_zh" if rd.lang == "zh" else "question_en"].iloc[0])
        opt = "option_zh" if rd.lang == "zh" else "option_en"
        section = SURVEY_SECTION.get(str(fig_no), "applications")
        tag = z(f"（对应原报告{fig_no}）", f" (seed {str(fig_no).replace('图', 'Figure ')})")
        src = rd.source("survey_estimates") + z("；n = {n}，加权估计，95%置信区间", "; n = {n}, weighted, 95% CI").format(
            n=int(q["n"].max()))
        if q["type"].iloc[0] == "single" and q["horizon"].nunique() == 1:
            q = q.sort_values("position")
            d = pd.DataFrame({"label": q[opt].astype(str), "value": q["share"].astype(float)})
            out.append(FigureSpec(f"survey_{qid}", section, "pie", title + tag, d, src, ["survey_estimates"],
                                  rd.synthetic("survey_estimates"), lang=rd.lang))
            continue
        horizons = list(dict.fromkeys(q["horizon"]))
        first = q[q["horizon"] == horizons[0]].sort_values("share", ascending=False)
        order = first[opt].astype(str).tolist()
        rows = []
        for h in horizons:
            qq = q[q["horizon"] == h].set_index(q[q["horizon"] == h][opt].astype(str)).reindex(order)
            hl = z(*HORIZON.get(h, (h, h)))
            for o, r in qq.iterrows():
                rows.append((o, hl, float(r["share"]), float(r["ci_low"]), float(r["ci_high"])))
        d = pd.DataFrame(rows, columns=["y", "series", "value", "lo", "hi"])
        if len(horizons) == 1:
            d["series"] = ""
        if stat != "share":
            title += z("（排名第一的占比）", " (share ranking it first)")
        out.append(FigureSpec(f"survey_{qid}", section, "hbar", title + tag, d, src, ["survey_estimates"],
                              rd.synthetic("survey_estimates"), x_label=z("受访企业占比", "Share of respondents"),
                              percent=True, lang=rd.lang))
    return out


# ---------------------------------------------------------------------------------------------
# Index (composite assessments)
# ---------------------------------------------------------------------------------------------

def _composite(rd: ReportData, kind: str) -> pd.DataFrame:
    r = rd.df(f"index_{kind}_results")
    top = int(r["level"].max())
    r = r[r["level"] == top]
    return r[r["year"] == r["year"].max()].sort_values("rank")


def _label(rd: ReportData, kind: str, name: str) -> str:
    return rd.city(name) if kind == "city" else rd.industry(name)


def _ranking_fig(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t = f"index_{kind}_results"
    c = _composite(rd, kind).head(n)
    z = rd.zh_en
    y = int(c["year"].iloc[0])
    d = pd.DataFrame({"y": [f"{int(r)}. {_label(rd, kind, u)}" for r, u in zip(c["rank"], c["unit_name"], strict=True)],
                      "value": c["score"].astype(float)})
    title = (z(f"中国人工智能计算力发展评估——城市排行（{y}，前{len(c)}）", f"China AI compute development assessment: city ranking ({y}, top {len(c)})")
             if kind == "city" else z(f"中国人工智能行业应用渗透度（{y}）", f"AI application penetration by industry in China ({y})"))
    return [FigureSpec(f"index_{kind}_ranking", kind if kind == "city" else "industry", "hbar", title, d,
                       rd.source(t), [t], rd.synthetic(t), x_label=z("综合得分（0-100）", "Composite score (0-100)"),
                       opts={"decimals": 1}, lang=rd.lang)]


def _slope_fig(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t = f"index_{kind}_results"
    c = _composite(rd, kind).head(n)
    c = c[c["prev_rank"].notna()]
    if c.empty:
        return []
    z = rd.zh_en
    y = int(c["year"].iloc[0])
    rows = []
    cap = n + 3  # previous ranks far below the list are drawn at the bottom edge and named in the label
    for r in c.itertuples():
        lab = _label(rd, kind, r.unit_name)
        if r.prev_rank > cap:
            lab += z(f"（上期第{int(r.prev_rank)}）", f" (prev. {int(r.prev_rank)})")
        rows.append((lab, str(y - 1), float(min(r.prev_rank, cap))))
        rows.append((lab, str(y), float(r.rank)))
    d = pd.DataFrame(rows, columns=["label", "x", "value"])
    d = d.sort_values(["x", "value"])
    return [FigureSpec(f"index_{kind}_slope", kind if kind == "city" else "industry", "slope",
                       z(f"排名变化：{y - 1}年与{y}年（本期前{n}）", f"Rank changes {y - 1} to {y} (current top {n})"),
                       d, rd.source(t), [t], rd.synthetic(t), y_label=z("排名", "Rank"), height=480, lang=rd.lang)]


def _waterfalls(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t, wt = f"index_{kind}_results", f"index_{kind}_weights"
    if not rd.has(wt):
        return []
    r = rd.df(t)
    w = rd.df(wt)
    top_level = int(r["level"].max())
    y = int(r["year"].max())
    dims = w[w["level"] == top_level - 1][["node_id", "name_zh", "name_en", "weight"]]
    comp = _composite(rd, kind).head(n)
    z = rd.zh_en
    out = []
    for row in comp.itertuples():
        sub = r[(r["year"] == y) & (r["unit_id"] == row.unit_id) & (r["level"] == top_level - 1)]
        m = dims.merge(sub[["node_id", "score"]], on="node_id")
        contrib = m["weight"].astype(float) * m["score"].astype(float)
        if abs(contrib.sum() - float(row.score)) > 1e-6 * max(1.0, abs(float(row.score))):
            # non-additive aggregation: show the weighted parts and the remainder explicitly
            m = pd.concat([m, pd.DataFrame({"name_zh": ["聚合余项"], "name_en": ["aggregation remainder"]})])
            contrib = pd.concat([contrib, pd.Series([float(row.score) - contrib.sum()])])
        lab = _label(rd, kind, row.unit_name)
        d = pd.DataFrame({"label": m["name_zh" if rd.lang == "zh" else "name_en"].astype(str).tolist(),
                          "value": contrib.astype(float).tolist()})
        out.append(FigureSpec(f"index_{kind}_waterfall_{row.unit_id}", kind if kind == "city" else "industry",
                              "waterfall",
                              z(f"{lab}（第{int(row.rank)}名）综合得分的维度贡献", f"{lab} (rank {int(row.rank)}): contributions to the composite score"),
                              d, rd.source(t, wt), [t, wt], rd.synthetic(t, wt),
                              y_label=z("得分贡献（权重×维度得分）", "Contribution (weight × dimension score)"),
                              opts={"total_label": z("综合得分", "Composite")}, height=380, lang=rd.lang))
    return out


@builder("city", "index_city_results")
def fig_city_index(rd: ReportData) -> list[FigureSpec]:
    return _ranking_fig(rd, "city", 20) + _slope_fig(rd, "city", 10) + _dimension_fig(rd, "city", 10) + \
        _waterfalls(rd, "city", 5)


@builder("industry", "index_industry_results")
def fig_industry_index(rd: ReportData) -> list[FigureSpec]:
    return _ranking_fig(rd, "industry", 14) + _slope_fig(rd, "industry", 10) + _waterfalls(rd, "industry", 1)


def _dimension_fig(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t, wt = f"index_{kind}_results", f"index_{kind}_weights"
    r = rd.df(t)
    top_level = int(r["level"].max())
    y = int(r["year"].max())
    comp = _composite(rd, kind).head(n)
    sub = r[(r["year"] == y) & (r["level"] == top_level - 1) & r["unit_id"].isin(comp["unit_id"])]
    if sub.empty:
        return []
    order = {u: i for i, u in enumerate(comp["unit_id"])}
    sub = sub.assign(o=sub["unit_id"].map(order)).sort_values(["node_id", "o"])
    z = rd.zh_en
    name_col = "node_name"
    if rd.lang == "en" and rd.has(wt):
        en = rd.df(wt).set_index("node_id")["name_en"]
        sub = sub.assign(node_name=sub["node_id"].map(en).fillna(sub["node_name"]))
    d = pd.DataFrame({"y": [_label(rd, kind, u) for u in sub["unit_name"]], "series": sub[name_col].astype(str),
                      "value": sub["score"].astype(float)})
    d["o"] = sub["o"].to_numpy()
    d = d.sort_values(["o"]).drop(columns="o")
    return [FigureSpec(f"index_{kind}_dimensions", "city", "hbar",
                       z(f"前{n}城市各维度得分（{y}）", f"Dimension scores of the top {n} cities ({y})"), d,
                       rd.source(t), [t], rd.synthetic(t), x_label=z("维度得分（0-100）", "Dimension score (0-100)"),
                       height=620, lang=rd.lang)]


# ---------------------------------------------------------------------------------------------
# Uncertainty (rank intervals, Sobol indices): table names are discovered by their columns
# ---------------------------------------------------------------------------------------------

def _interval_cols(cols: set[str]) -> dict[str, str] | None:
    lo = next((c for c in ("q05", "rank_lo", "rank_low", "rank_p05", "rank_q05", "lo", "ci_low") if c in cols), None)
    hi = next((c for c in ("q95", "rank_hi", "rank_high", "rank_p95", "rank_q95", "hi", "ci_high") if c in cols), None)
    mid = next((c for c in ("nominal_rank", "rank_nominal", "rank", "median_rank") if c in cols), None)
    name = next((c for c in ("unit_name", "city", "name", "unit_id") if c in cols), None)
    return {"lo": lo, "hi": hi, "mid": mid, "name": name} if lo and hi and mid and name else None


def _rank_interval_fig(rd: ReportData, kind: str, n: int) -> list[FigureSpec]:
    t = f"index_{kind}_rank_intervals"
    d = rd.df(t)
    c = _interval_cols(set(d.columns))
    if c is None:
        return []
    if "node_id" in d and (d["node_id"] == "index").any():
        d = d[d["node_id"] == "index"]
    if "year" in d:
        d = d[d["year"] == d["year"].max()]
    d = d.sort_values(c["mid"]).head(n)
    z = rd.zh_en
    out = pd.DataFrame({"label": [_label(rd, kind, str(x)) for x in d[c["name"]]], "value": d[c["mid"]].astype(float),
                        "lo": d[c["lo"]].astype(float), "hi": d[c["hi"]].astype(float)})
    ns = int(d["n_samples"].max()) if "n_samples" in d else None
    what = z("城市", "cities") if kind == "city" else z("行业", "industries")
    title = z(f"{what}排名的不确定性区间（前{len(out)}，5%-95%分位" + (f"，{ns}次抽样）" if ns else "）"),
              f"Rank intervals of the top {len(out)} {what} (5th-95th percentile" + (f", {ns} samples)" if ns else ")"))
    return [FigureSpec(f"uncertainty_{kind}_rank_intervals", kind if kind == "city" else "industry", "rank_interval",
                       title, out, rd.source(t), [t], rd.synthetic(t), x_label=z("排名", "Rank"),
                       height=max(300, 26 * len(out) + 80), lang=rd.lang)]


@builder("city", "index_city_rank_intervals")
def fig_city_rank_interval(rd: ReportData) -> list[FigureSpec]:
    return _rank_interval_fig(rd, "city", 20)


@builder("industry", "index_industry_rank_intervals")
def fig_industry_rank_interval(rd: ReportData) -> list[FigureSpec]:
    return _rank_interval_fig(rd, "industry", 14)


def _sobol_fig(rd: ReportData, kind: str) -> list[FigureSpec]:
    t = f"index_{kind}_sobol"
    d = rd.df(t)
    cols = set(d.columns)
    name = next((c for c in ("input", "factor", "parameter", "name") if c in cols), None)
    if not name or not ({"S1", "ST"} & cols):
        return []
    z = rd.zh_en
    if "target" in d:
        tgt = "mean_abs_rank_shift" if (d["target"] == "mean_abs_rank_shift").any() else d["target"].iloc[0]
        d = d[d["target"] == tgt]
    if "year" in d:
        d = d[d["year"] == d["year"].max()]
    d = d.drop_duplicates(name)
    rows = []
    for col, lab in (("S1", z("一阶指数 S1", "First-order S1")), ("ST", z("总效应指数 ST", "Total-order ST"))):
        if col in d:
            lo, hi = (f"{col}_lo", f"{col}_hi")
            for _, r in d.iterrows():
                rows.append((str(r[name]), lab, float(r[col]), float(r[lo]) if lo in d else np.nan,
                             float(r[hi]) if hi in d else np.nan))
    what = z("城市", "city") if kind == "city" else z("行业", "industry")
    return [FigureSpec(f"uncertainty_{kind}_sobol", "methodology", "hbar",
                       z(f"{what}排名的敏感性分析：Sobol指数（目标：平均排名变动）",
                         f"Sensitivity of the {what} ranking: Sobol indices (target: mean absolute rank shift)"),
                       pd.DataFrame(rows, columns=["y", "series", "value", "lo", "hi"]), rd.source(t), [t],
                       rd.synthetic(t), x_label=z("指数", "Index"), opts={"decimals": 2}, lang=rd.lang)]


@builder("methodology", "index_city_sobol")
def fig_city_sobol(rd: ReportData) -> list[FigureSpec]:
    return _sobol_fig(rd, "city")


@builder("methodology", "index_industry_sobol")
def fig_industry_sobol(rd: ReportData) -> list[FigureSpec]:
    return _sobol_fig(rd, "industry")


# ---------------------------------------------------------------------------------------------
# Sentences, findings, per-city evidence, methodology
# ---------------------------------------------------------------------------------------------

TX = {
    "zh": {
        "services": "{a}年中国智算服务市场整体规模达到{v0}，{b}年将增至{v1}，{c}-{d}年五年年复合增长率达{cagr}。",
        "servers_cn": "{b}年中国人工智能服务器市场规模将达到{v1}，同比增长{g}；{d}年有望达到{v2}。",
        "servers_gl": "{a}年全球人工智能服务器市场规模预计为{v0}，{b}年将增至{v1}，{d}年有望达到{v2}。",
        "energy": "{b}年人工智能数据中心IT能耗将达到{e1}，{d}年将增长至{e2}。",
        "liquid": "{d}年中国液冷服务器市场将达到{v2}，{c}-{d}年五年年复合增长率将达到{cagr}。",
        "storage": "{b}年全球企业人工智能存储支出将达到{v1}，{d}年有望达到{v2}。",
        "compute_fc": "按市场模型预测，{d}年中国智能算力规模将达到{i}，通用算力规模将达到{g}。",
        "survey_stage": "调研结果显示，{t}的中国企业已经开始进行大模型的初步测试和重点概念验证，{p}的企业已经将技术引入生产阶段。",
        "city_top": "城市评估结果显示，{c1}位居首位；{c2}和{c3}分别位列第二和第三。",
        "city_up": "与上一年相比，{cities}等城市的排名有所提升。",
        "industry_top": "人工智能行业渗透度排名前五的行业依次为：{list}。",
    },
    "en": {
        "services": "China's AI compute services market reached {v0} in {a} and will grow to {v1} in {b}; the five-year "
                    "CAGR {c}-{d} is {cagr}.",
        "servers_cn": "China's AI server market will reach {v1} in {b}, up {g} year on year, and is expected to reach {v2} in {d}.",
        "servers_gl": "The global AI server market is estimated at {v0} in {a}, growing to {v1} in {b} and {v2} in {d}.",
        "energy": "AI data-centre IT energy will reach {e1} in {b} and {e2} in {d}.",
        "liquid": "China's liquid-cooled server market will reach {v2} in {d}, a five-year CAGR of {cagr} ({c}-{d}).",
        "storage": "Global enterprise AI storage spending will reach {v1} in {b} and {v2} in {d}.",
        "compute_fc": "By the market model, China's intelligent compute will reach {i} in {d} and general compute {g}.",
        "survey_stage": "In the survey, {t} of Chinese enterprises are in initial testing or focused proofs of concept of large "
                        "models and {p} have taken them into production.",
        "city_top": "In the city assessment, {c1} ranks first, with {c2} second and {c3} third.",
        "city_up": "Compared with the previous year, {cities} moved up.",
        "industry_top": "The five industries with the highest AI penetration are, in order: {list}.",
    },
}


def _ms(sid: str, year: int) -> dict:
    return V(MS, "value", series=sid, year=year)


def section_hook(rd: ReportData, cl: Claims, sections: dict, findings: list[Markup]) -> None:
    t = TX[rd.lang]
    if rd.has(MS):
        have = set(rd.df(MS)["series"])
        years = lambda sid: set(int(y) for y in _series(rd, sid)["year"])  # noqa: E731
        sid = "ai_compute_services:china:total"
        if sid in have and {2023, 2024, 2025, 2028} <= years(sid):
            s = sentence(t["services"], a=2024, b=2025, c=2023, d=2028,
                         v0=cl.usd("svc_2024", _ms(sid, 2024), 0), v1=cl.usd("svc_2025", _ms(sid, 2025), 1),
                         cagr=cl.pct("svc_cagr", CAGR(_ms(sid, 2028), _ms(sid, 2023), 5)))
            findings.append(s)
            sections["services"].paragraphs.append(s)
        sid = "ai_server_market:china:total"
        if sid in have and {2024, 2025, 2028} <= years(sid):
            s = sentence(t["servers_cn"], b=2025, d=2028, v1=cl.usd("cn_srv_2025", _ms(sid, 2025), 0),
                         g=cl.pct("cn_srv_yoy", GROWTH(_ms(sid, 2025), _ms(sid, 2024))),
                         v2=cl.usd("cn_srv_2028", _ms(sid, 2028), 0))
            sections["chips"].paragraphs.insert(0, s)
        sid = "ai_server_market:global:total"
        if sid in have and {2024, 2025, 2028} <= years(sid):
            s = sentence(t["servers_gl"], a=2024, b=2025, d=2028, v0=cl.usd("gl_srv_2024", _ms(sid, 2024), 0),
                         v1=cl.usd("gl_srv_2025", _ms(sid, 2025), 0), v2=cl.usd("gl_srv_2028", _ms(sid, 2028), 0))
            findings.insert(0, s)
            sections["compute"].paragraphs.insert(0, s)
        sid = "aidc_it_energy:global:total"
        if sid in have and {2025, 2027} <= years(sid):
            s = sentence(t["energy"], b=2025, d=2027, e1=cl.twh("en_2025", _ms(sid, 2025)),
                         e2=cl.twh("en_2027", _ms(sid, 2027)))
            findings.append(s)
            sections["cooling"].paragraphs.append(s)
        sid = "liquid_cooled_server_market:china:total"
        if sid in have and {2023, 2028} <= years(sid):
            s = sentence(t["liquid"], c=2023, d=2028, v2=cl.usd("lc_2028", _ms(sid, 2028), 0),
                         cagr=cl.pct("lc_cagr", CAGR(_ms(sid, 2028), _ms(sid, 2023), 5)))
            findings.append(s)
            sections["cooling"].paragraphs.append(s)
        sid = "ai_storage_spend:global:total"
        if sid in have and {2025, 2028} <= years(sid):
            sections["storage"].paragraphs.append(sentence(
                t["storage"], b=2025, d=2028, v1=cl.usd("st_2025", _ms(sid, 2025), 0), v2=cl.usd("st_2028", _ms(sid, 2028), 0)))
        si, sg = "intelligent_compute:china:total", "general_compute:china:total"
        if {si, sg} <= have and 2028 in years(si) and 2028 in years(sg):
            s = sentence(t["compute_fc"], d=2028, i=cl.eflops("cn_int_2028", _ms(si, 2028)),
                         g=cl.eflops("cn_gen_2028", _ms(sg, 2028)))
            findings.insert(1 if findings else 0, s)
            sections["compute"].paragraphs.append(s)
    if rd.has("survey_estimates"):
        e = rd.df("survey_estimates")
        st = e[(e["question_id"] == "genai_stage") & (e["statistic"] == "share")]
        ids = set(st["option_id"])
        test_id = next((i for i in ids if "test" in i or "poc" in i), None)
        prod_id = next((i for i in ids if "prod" in i), None)
        if test_id and prod_id:
            s = sentence(t["survey_stage"],
                         t=cl.pct("genai_testing", V("survey_estimates", "share", question_id="genai_stage",
                                                     option_id=test_id, statistic="share"), 0),
                         p=cl.pct("genai_production", V("survey_estimates", "share", question_id="genai_stage",
                                                        option_id=prod_id, statistic="share"), 0))
            findings.append(s)
            sections["applications"].paragraphs.append(s)
    if rd.has("index_industry_results"):
        c = _composite(rd, "industry").head(5)
        s = sentence(t["industry_top"], list=("、" if rd.lang == "zh" else ", ").join(
            rd.industry(x) for x in c["unit_name"]))
        findings.append(s)
        sections["industry"].paragraphs.append(s)
    if rd.has("index_city_results"):
        c = _composite(rd, "city")
        if len(c) >= 3:
            names = [rd.city(x) for x in c["unit_name"].head(3)]
            s = sentence(t["city_top"], c1=names[0], c2=names[1], c3=names[2])
            up = c[(c["rank"] <= 10) & (c["rank_change"] > 0)]
            if len(up):
                s = Markup(s + ("" if rd.lang == "zh" else " ") + sentence(t["city_up"], cities=("、" if rd.lang == "zh" else ", ").join(
                    rd.city(x) for x in up["unit_name"])))
            findings.append(s)
            sections["city"].paragraphs.insert(0, s)


def city_evidence(rd: ReportData, cl: Claims, city: str) -> list[tuple[str, object]]:
    """Index score, rank change and the strongest indicators of one city."""
    if not rd.has("index_city_results"):
        return []
    r = rd.df("index_city_results")
    y = int(r["year"].max())
    top_level = int(r["level"].max())
    me = r[(r["unit_name"] == city) & (r["year"] == y)]
    if me.empty:
        return []
    z = rd.zh_en
    comp = me[me["level"] == top_level].iloc[0]
    items: list[tuple[str, object]] = [
        (z("综合得分", "Composite score"),
         cl.number(f"idx_{comp.unit_id}_score", V("index_city_results", "score", year=y, unit_id=comp.unit_id,
                                                  level=top_level), 1))]
    if pd.notna(comp.get("prev_rank")):
        ch = int(comp["rank_change"])
        arrow = "↑" if ch > 0 else ("↓" if ch < 0 else "→")
        items.append((z("上期排名", "Previous rank"), f"{int(comp['prev_rank'])} {arrow}{abs(ch) if ch else ''}"))
    dims = me[me["level"] == top_level - 1].sort_values("score", ascending=False)
    if len(dims):
        best = dims.iloc[0]
        name = best["node_name"]
        if rd.lang == "en" and rd.has("index_city_weights"):
            w = rd.df("index_city_weights").set_index("node_id")["name_en"]
            name = w.get(best["node_id"], name)
        items.append((z("最强维度", "Strongest dimension"), f"{name} ({best['score']:.1f})"))
    ind = me[me["level"] == 1].sort_values("score", ascending=False).head(3)
    if len(ind):
        names = ind["node_name"].tolist()
        if rd.lang == "en" and rd.has("index_city_weights"):
            w = rd.df("index_city_weights").set_index("node_id")["name_en"]
            names = [w.get(i, n) for i, n in zip(ind["node_id"], names, strict=True)]
        items.append((z("领先指标", "Leading indicators"), ("、" if rd.lang == "zh" else "; ").join(names)))
    if rd.has("market_observations"):
        o = rd.df("market_observations")
        cid = str(comp.unit_id)
        ev = o[(o["region"] == cid) & o["quote"].notna()]
        for q in ev["quote"].astype(str).head(2):
            items.append((z("公开证据", "Public evidence"), q))
    return items


def method_hook(rd: ReportData, sec) -> None:
    z = rd.zh_en
    for kind in ("city", "industry"):
        wt = f"index_{kind}_weights"
        if not rd.has(wt):
            continue
        w = rd.df(wt).sort_values(["level", "parent_id", "node_id"], ascending=[False, True, True])
        rows = [["　" * (int(w["level"].max()) - int(r.level)) + (r.name_zh if rd.lang == "zh" else r.name_en),
                 r.node_id, "" if pd.isna(r.parent_id) else r.parent_id, f"{r.weight:g}", f"{r.effective_weight:.3f}",
                 "" if pd.isna(r.unit) else r.unit] for r in _tree_order(w)]
        sec.tables.append(docmod.Table(
            z(f"{'城市' if kind == 'city' else '行业'}评估框架与权重", f"{kind.title()} assessment framework and weights"),
            [z("节点", "Node"), "id", z("上级", "Parent"), z("权重", "Weight"), z("有效权重", "Effective weight"),
             z("单位", "Unit")], rows, rd.source(wt), rd.synthetic(wt), [False, False, False, True, True, False]))
        p = rd.prov(f"index_{kind}_results")
        sec.paragraphs.append(sentence(z("{k}评估的归一化、缺失值处理与聚合方法（index 阶段参数）：{p}",
                                         "{k} assessment normalisation, imputation and aggregation (index stage parameters): {p}"),
                                       k=z("城市" if kind == "city" else "行业", kind.title()),
                                       p=str(p.get("params", ""))[:600]))
    if rd.has("market_checks"):
        c = rd.df("market_checks")
        counts = c["verdict"].value_counts()
        rows = [[v, int(counts.get(v, 0))] for v in ("PASS", "APPROX", "INFO", "WARN", "FAIL")]
        sec.tables.append(docmod.Table(z("市场数据一致性检查结果", "Market consistency checks"),
                                       [z("结论", "Verdict"), z("数量", "Count")], rows, rd.source("market_checks"),
                                       rd.synthetic("market_checks"), [False, True]))
    for kind in ("city", "industry"):
        t = f"index_{kind}_uncertainty_inputs"
        if rd.has(t):
            u = rd.df(t)
            cols = [c for c in ("input", "kind", "dims", "choices") if c in u]
            sec.tables.append(docmod.Table(
                z(f"不确定性分析设置（{'城市' if kind == 'city' else '行业'}评估）", f"Uncertainty settings ({kind} assessment)"),
                [z(*{"input": ("输入", "Input"), "kind": ("类型", "Kind"), "dims": ("维数", "Dimensions"),
                     "choices": ("取值", "Choices")}[c]) for c in cols],
                u[cols].astype(str).values.tolist(), rd.source(t), rd.synthetic(t)))
            p = rd.prov(f"index_{kind}_rank_intervals")
            if p.get("stage") != "?":
                sec.paragraphs.append(sentence(z("{k}排名区间的抽样设置（{s} 阶段参数）：{p}", "{k} rank-interval sampling ({s} stage parameters): {p}"),
                                               k=z("城市" if kind == "city" else "行业", kind.title()), s=p.get("stage"),
                                               p=str(p.get("params", ""))[:500]))


def _tree_order(w: pd.DataFrame):
    kids: dict[str, list] = {}
    for r in w.itertuples():
        kids.setdefault("" if pd.isna(r.parent_id) else r.parent_id, []).append(r)
    out = []

    def walk(pid: str) -> None:
        for r in kids.get(pid, []):
            out.append(r)
            walk(r.node_id)
    walk("")
    return out


docmod.SECTION_HOOKS.append(section_hook)
docmod.CITY_EVIDENCE.append(city_evidence)
docmod.METHOD_HOOKS.append(method_hook)
_ = np  # numpy kept for builders that need it
