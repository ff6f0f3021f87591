"""Figure builders: store tables → FigureSpec. One function per figure (or family of figures).

A builder declares the tables it needs; when any is missing it is skipped and its section says
which tables it waits for. Builders only select, reshape and label stored values; they never
recompute what a stage computed (growth rates shown as lines are plain ratios of stored levels).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import ReportData, cities
from .i18n import ORIGIN
from .spec import FigureSpec, series_rows


@dataclass
class Builder:
    fn: Callable[[ReportData], list[FigureSpec]]
    section: str
    needs: tuple[str, ...]
    any_of: tuple[str, ...] = ()


BUILDERS: list[Builder] = []


def builder(section: str, *needs: str, any_of: tuple[str, ...] = ()):
    def deco(fn):
        BUILDERS.append(Builder(fn, section, tuple(needs), any_of))
        return fn
    return deco


def _years(df: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in df["year"].unique())


def _last_year(df: pd.DataFrame) -> int:
    return int(df["year"].max())


def _growth(values: pd.Series) -> pd.Series:
    return values / values.shift(1) - 1


def _origin(rd: ReportData, o: str) -> str:
    zh, en = ORIGIN.get(o, (o, o))
    return zh if rd.lang == "zh" else en


# =============================================================================================
# Capacity (capacity stage)
# =============================================================================================

@builder("compute", "capacity_national")
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
        g = _growth(nat[c])
        for y, v in zip(nat["year"].iloc[1:], g.iloc[1:], strict=False):
            rows.append((int(y), gname, float(v)))
    d = pd.DataFrame(rows, columns=["x", "series", "value"])
    y0, y1 = _years(nat)[0], _years(nat)[-1]
    return [FigureSpec(
        "capacity_national", "compute", "bar",
        z(f"中国智能算力和通用算力规模，{y0}-{y1}", f"China intelligent and general-purpose compute, {y0}-{y1}"),
        d, rd.source("capacity_national"), ["capacity_national"], rd.synthetic("capacity_national"),
        y_label="EFLOPS", y2_label=z("同比增速", "YoY growth"),
        opts={"line_series": [gi, gg]}, lang=rd.lang)]


@builder("compute", "capacity_effective")
def fig_effective(rd: ReportData) -> list[FigureSpec]:
    e = rd.df("capacity_effective").sort_values("year")
    z = rd.zh_en
    rows = series_rows(z("峰值智能算力", "Peak intelligent compute"), e["year"], e["intelligent_peak_eflops"])
    rows += series_rows(z("有效智能算力（峰值×可用率×利用率）", "Effective (peak × availability × utilisation)"), e["year"], e["intelligent_effective_eflops"])
    return [FigureSpec("capacity_effective", "compute", "line",
                       z("峰值与有效智能算力", "Peak and effective intelligent compute"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("capacity_effective"),
                       ["capacity_effective"], rd.synthetic("capacity_effective"), y_label="EFLOPS", lang=rd.lang)]


@builder("compute", "capacity_flow_national")
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


@builder("compute", "capacity_vs_published")
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


@builder("chips", "capacity_by_origin")
def fig_origin(rd: ReportData) -> list[FigureSpec]:
    o = rd.df("capacity_by_origin")
    o = o[o["origin"].isin(["domestic", "imported"])].sort_values(["year", "origin"])
    z = rd.zh_en
    rows = [(int(r.year), _origin(rd, r.origin), float(r.intelligent_eflops)) for r in o.itertuples()]
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


@builder("chips", "capacity_by_accelerator_vendor")
def fig_accel_vendor(rd: ReportData) -> list[FigureSpec]:
    a = rd.df("capacity_by_accelerator_vendor")
    a = a[a["accelerator_vendor"] != "(none)"]
    last = _last_year(a)
    order = (a[a["year"] == last].sort_values("intelligent_eflops", ascending=False)["accelerator_vendor"].tolist())
    a["accelerator_vendor"] = pd.Categorical(a["accelerator_vendor"], order)
    a = a.sort_values(["year", "accelerator_vendor"])
    d = pd.DataFrame({"x": a["year"].astype(int), "series": a["accelerator_vendor"].astype(str),
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


@builder("chips", "capacity_by_vendor")
def fig_server_vendor(rd: ReportData) -> list[FigureSpec]:
    v = rd.df("capacity_by_vendor")
    last = _last_year(v)
    v = v[v["year"] == last].sort_values("intelligent_eflops", ascending=False)
    d = pd.DataFrame({"y": [rd.vendor(x) for x in v["vendor"]], "value": v["intelligent_eflops"].astype(float)})
    z = rd.zh_en
    return [FigureSpec("capacity_by_server_vendor", "chips", "hbar",
                       z(f"{last}年智能算力保有量：按服务器厂商", f"Installed intelligent compute by server vendor, {last}"),
                       d, rd.source("capacity_by_vendor"), ["capacity_by_vendor"], rd.synthetic("capacity_by_vendor"),
                       x_label="EFLOPS", lang=rd.lang)]


@builder("chips", "capacity_device_mix")
def fig_device_mix(rd: ReportData) -> list[FigureSpec]:
    m = rd.df("capacity_device_mix")
    last = _last_year(m)
    m = m[m["year"] == last].sort_values("intelligent_added_eflops", ascending=False).head(12)
    d = pd.DataFrame({"y": m["accelerator_model"].astype(str), "value": m["intelligent_added_eflops"].astype(float),
                      "series": [_origin(rd, o) for o in m["origin"]]})
    z = rd.zh_en
    return [FigureSpec("capacity_device_mix", "chips", "hbar",
                       z(f"{last}年新增智能算力的主要加速卡型号（前12）",
                         f"Top 12 accelerator models by intelligent compute added, {last}"),
                       d, rd.source("capacity_device_mix"), ["capacity_device_mix"], rd.synthetic("capacity_device_mix"),
                       x_label="EFLOPS", opts={"stacked": True}, lang=rd.lang)]


@builder("chips", "catalog_accelerators")
def fig_catalog(rd: ReportData) -> list[FigureSpec]:
    c = rd.df("catalog_accelerators").dropna(subset=["fp16_equiv_tflops", "release_year"])
    d = pd.DataFrame({"x": c["release_year"].astype(int), "y": c["fp16_equiv_tflops"].astype(float),
                      "label": c["vendor"].astype(str) + " " + c["model"].astype(str),
                      "series": [_origin(rd, o) for o in c["origin"]]})
    z = rd.zh_en
    return [FigureSpec("catalog_accelerators", "chips", "scatter",
                       z("加速卡FP16等效峰值算力与发布年份", "Accelerator FP16-equivalent peak by release year"),
                       d, rd.source("catalog_accelerators",
                                    origin=z("厂商规格与 Epoch AI 数据（catalog）", "vendor specs and Epoch AI data")),
                       ["catalog_accelerators"], rd.synthetic("catalog_accelerators"),
                       x_label=z("发布年份", "Release year"), y_label="TFLOPS", opts={"log_y": True}, lang=rd.lang)]


@builder("city", "capacity_by_province_origin")
def fig_province(rd: ReportData) -> list[FigureSpec]:
    p = rd.df("capacity_by_province_origin")
    last = _last_year(p)
    p = p[(p["year"] == last) & p["origin"].isin(["domestic", "imported"])]
    top = (p.groupby("province")["intelligent_eflops"].sum().sort_values(ascending=False).head(15).index.tolist())
    p = p[p["province"].isin(top)].copy()
    p["province"] = pd.Categorical(p["province"], top)
    p = p.sort_values(["origin", "province"])
    d = pd.DataFrame({"y": [rd.province(x) for x in p["province"].astype(str)],
                      "series": [_origin(rd, o) for o in p["origin"]], "value": p["intelligent_eflops"].astype(float)})
    z = rd.zh_en
    return [FigureSpec("capacity_by_province", "city", "hbar",
                       z(f"{last}年各省智能算力保有量（前15，国产/进口）",
                         f"Installed intelligent compute by province, {last} (top 15, domestic / imported)"),
                       d, rd.source("capacity_by_province_origin"), ["capacity_by_province_origin"],
                       rd.synthetic("capacity_by_province_origin"), x_label="EFLOPS", opts={"stacked": True},
                       lang=rd.lang)]


@builder("industry", "capacity_by_industry")
def fig_industry_capacity(rd: ReportData) -> list[FigureSpec]:
    v = rd.df("capacity_by_industry")
    last = _last_year(v)
    v = v[v["year"] == last].sort_values("intelligent_eflops", ascending=False)
    d = pd.DataFrame({"y": [rd.industry(x) for x in v["industry"]], "value": v["intelligent_eflops"].astype(float)})
    z = rd.zh_en
    return [FigureSpec("capacity_by_industry", "industry", "hbar",
                       z(f"{last}年各行业智能算力保有量", f"Installed intelligent compute by industry, {last}"),
                       d, rd.source("capacity_by_industry"), ["capacity_by_industry"],
                       rd.synthetic("capacity_by_industry"), x_label="EFLOPS", lang=rd.lang)]


def city_ranking(rd: ReportData) -> tuple[pd.DataFrame, str] | None:
    """The city ranking to show: the index stage's when built, else cities by installed compute.

    Returns (frame with city, rank, value, previous_rank?, value_label) and the table it came from.
    """
    if rd.has("index_city_results"):
        d = rd.df("index_city_results")
        d = d[d["level"] == d["level"].max()]
        d = d[d["year"] == d["year"].max()].sort_values("rank")
        out = pd.DataFrame({"city": d["unit_name"].astype(str), "rank": d["rank"].astype(float),
                            "value": d["score"].astype(float)})
        if "prev_rank" in d:
            out["previous_rank"] = d["prev_rank"].to_numpy()
        return out.reset_index(drop=True), "index_city_results"
    if rd.has("capacity_by_city"):
        c = rd.df("capacity_by_city")
        c = c[c["year"] == c["year"].max()].sort_values("intelligent_eflops", ascending=False).reset_index(drop=True)
        return pd.DataFrame({"city": c["city"].astype(str), "rank": np.arange(1, len(c) + 1, dtype=float),
                             "value": c["intelligent_eflops"].astype(float)}), "capacity_by_city"
    return None


@builder("city", any_of=("index_city_results", "capacity_by_city"))
def fig_city_map(rd: ReportData) -> list[FigureSpec]:
    r = city_ranking(rd)
    if r is None:
        return []
    rank, table = r
    top = rank.head(20).merge(cities(), on="city", how="inner").sort_values("rank")
    if top.empty:
        return []
    value = top["value"].fillna(1.0).clip(lower=0) if top["value"].notna().any() else pd.Series(1.0, index=top.index)
    d = pd.DataFrame({"label": [rd.city(c) for c in top["city"]], "lon": top["lon"], "lat": top["lat"],
                      "value": value, "rank": top["rank"].astype(int)})
    z = rd.zh_en
    what = z("综合评估排名", "composite ranking") if table.startswith("index") else z("智能算力保有量", "installed compute")
    src = rd.source(table) + z("；城市中心坐标：suanli 内置 data/report/cities.csv（经纬度为公开事实）；"
                                "国家轮廓：Natural Earth 1:110m（公有领域），仅为示意，不代表任何边界的权威表示",
                                "; city-centre coordinates: suanli data/report/cities.csv (lat/lon are facts); "
                                "country outlines: Natural Earth 1:110m (public domain), schematic, not an "
                                "authoritative depiction of any boundary")
    return [FigureSpec("city_map", "city", "map",
                       z(f"城市排名分布示意图（前{len(d)}，按{what}）", f"Ranked cities on a map of China (top {len(d)}, by {what})"),
                       d, src, [table], rd.synthetic(table), x_label=z("经度", "Longitude"),
                       y_label=z("纬度", "Latitude"), height=520, lang=rd.lang)]


@builder("city", "capacity_by_city")
def fig_city_capacity(rd: ReportData) -> list[FigureSpec]:
    c = rd.df("capacity_by_city")
    last = _last_year(c)
    c = c[c["year"] == last].sort_values("intelligent_eflops", ascending=False).head(20)
    d = pd.DataFrame({"y": [rd.city(x) for x in c["city"]], "value": c["intelligent_eflops"].astype(float)})
    z = rd.zh_en
    return [FigureSpec("capacity_by_city", "city", "hbar",
                       z(f"{last}年主要城市智能算力保有量（前20）", f"Installed intelligent compute by city, {last} (top 20)"),
                       d, rd.source("capacity_by_city"), ["capacity_by_city"], rd.synthetic("capacity_by_city"),
                       x_label="EFLOPS", lang=rd.lang)]


def build_all(rd: ReportData, extra: list[Builder] | None = None) -> tuple[list[FigureSpec], dict[str, list[str]]]:
    """Run every builder whose tables exist. Returns (figures, missing tables per section)."""
    figs: list[FigureSpec] = []
    missing: dict[str, list[str]] = {}
    for b in BUILDERS + (extra or []):
        ok = rd.has(*b.needs) and (not b.any_of or any(rd.has(t) for t in b.any_of))
        if not ok:
            need = [t for t in b.needs if not rd.has(t)] or [" | ".join(b.any_of)]
            missing.setdefault(b.section, []).extend(need)
            continue
        figs.extend(b.fn(rd))
    return figs, missing
