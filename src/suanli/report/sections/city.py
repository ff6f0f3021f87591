"""Chapter 3.2: city ranking (composite index, intervals, capacity by province and city, tile map)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import fmt
from ..claims import GROWTH, RATIO, SUM, Claims, V, sentence
from ..content import Card, Section, Table
from ..data import ReportData, cities
from ..figures import Figures, city_ranking, last_year, origin_label
from ..findings import capacity_findings
from ..spec import FigureSpec
from . import Context
from ._index import composite, dimension_fig, rank_interval_fig, ranking_fig, slope_fig, waterfalls

ID = "city"
NUMBER = "3.2"
TITLE = ("城市排名", "City ranking")
FIGURES = Figures(ID)


@FIGURES("index_city_results")
def fig_city_index(rd: ReportData) -> list[FigureSpec]:
    return ranking_fig(rd, "city", 20) + slope_fig(rd, "city", 10) + dimension_fig(rd, "city", 10) + \
        waterfalls(rd, "city", 5)


@FIGURES("index_city_rank_intervals")
def fig_city_rank_interval(rd: ReportData) -> list[FigureSpec]:
    return rank_interval_fig(rd, "city", 20)


@FIGURES(any_of=("index_city_results", "capacity_by_city"))
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


@FIGURES("capacity_by_province_origin")
def fig_province(rd: ReportData) -> list[FigureSpec]:
    p = rd.df("capacity_by_province_origin")
    last = last_year(p)
    p = p[(p["year"] == last) & p["origin"].isin(["domestic", "imported"])]
    top = (p.groupby("province")["intelligent_eflops"].sum().sort_values(ascending=False).head(15).index.tolist())
    p = p[p["province"].isin(top)].copy()
    p["province"] = pd.Categorical(p["province"], top)
    p = p.sort_values(["origin", "province"])
    d = pd.DataFrame({"y": [rd.province(x) for x in p["province"].astype(str)],
                      "series": [origin_label(rd, o) for o in p["origin"]], "value": p["intelligent_eflops"].astype(float)})
    z = rd.zh_en
    return [FigureSpec("capacity_by_province", "city", "hbar",
                       z(f"{last}年各省智能算力保有量（前15，国产/进口）",
                         f"Installed intelligent compute by province, {last} (top 15, domestic / imported)"),
                       d, rd.source("capacity_by_province_origin"), ["capacity_by_province_origin"],
                       rd.synthetic("capacity_by_province_origin"), x_label="EFLOPS", opts={"stacked": True},
                       lang=rd.lang)]


@FIGURES("capacity_by_city")
def fig_city_capacity(rd: ReportData) -> list[FigureSpec]:
    c = rd.df("capacity_by_city")
    last = last_year(c)
    c = c[c["year"] == last].sort_values("intelligent_eflops", ascending=False).head(20)
    d = pd.DataFrame({"y": [rd.city(x) for x in c["city"]], "value": c["intelligent_eflops"].astype(float)})
    z = rd.zh_en
    return [FigureSpec("capacity_by_city", "city", "hbar",
                       z(f"{last}年主要城市智能算力保有量（前20）", f"Installed intelligent compute by city, {last} (top 20)"),
                       d, rd.source("capacity_by_city"), ["capacity_by_city"], rd.synthetic("capacity_by_city"),
                       x_label="EFLOPS", lang=rd.lang)]


TX = {
    "city_top": ("城市评估结果显示，{c1}位居首位；{c2}和{c3}分别位列第二和第三。",
                 "In the city assessment, {c1} ranks first, with {c2} second and {c3} third."),
    "city_up": ("与上一年相比，{cities}等城市的排名有所提升。", "Compared with the previous year, {cities} moved up."),
}


def write(ctx: Context, sec: Section) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    if rd.has("index_city_results"):
        c = composite(rd, "city")
        if len(c) >= 3:
            names = [rd.city(x) for x in c["unit_name"].head(3)]
            s = sentence(t["city_top"], c1=names[0], c2=names[1], c3=names[2])
            up = c[(c["rank"] <= 10) & (c["rank_change"] > 0)] if "rank_change" in c else c.iloc[0:0]
            if len(up):
                s = Markup(s + ("" if rd.lang == "zh" else " ") + sentence(
                    t["city_up"], cities=("、" if rd.lang == "zh" else ", ").join(rd.city(x) for x in up["unit_name"])))
            ctx.key(s, 90)
            sec.paragraphs.append(s)
    cap = capacity_findings(rd, cl, ctx.edition.year)
    if "provinces" in cap:
        sec.paragraphs.append(cap["provinces"])
        ctx.key(cap["provinces"], 40)
    city_cards(rd, cl, sec)


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


def city_cards(rd: ReportData, cl: Claims, sec: Section) -> None:
    r = city_ranking(rd)
    if r is None:
        sec.missing.append("capacity_by_city | index_city_scores")
        return
    rank, table = r
    z = rd.zh_en
    has_cap = rd.has("capacity_by_city")
    cap = rd.df("capacity_by_city") if has_cap else None
    last = int(cap["year"].max()) if has_cap else None
    top = rank.head(10)
    cols = [z("排名", "Rank"), z("城市", "City"), z("得分", "Score") if table.startswith("index") else
            z("智能算力（EFLOPS）", "Intelligent compute (EFLOPS)")]
    has_prev = "previous_rank" in top
    if has_prev:
        cols.append(z("上期排名", "Previous rank"))
    rows = []
    for row in top.itertuples():
        vals = [int(row.rank), rd.city(row.city),
                fmt.number(row.value, 2 if table.startswith("index") else 1)]
        if has_prev:
            pv = row.previous_rank
            vals.append("—" if pd.isna(pv) else int(pv))
        rows.append(vals)
    basis = z("综合评估", "composite assessment") if table.startswith("index") else \
        z("智能算力保有量（综合评估表尚未生成时的替代排序）", "installed intelligent compute (stand-in until the index tables exist)")
    sec.tables.append(Table(z(f"城市排行（前10，按{basis}）", f"City ranking (top 10, by {basis})"), cols, rows,
                            rd.source(table), rd.synthetic(table), [True, False, True] + ([True] if has_prev else [])))
    # per-city evidence
    for row in top.itertuples():
        items: list[tuple[str, Any]] = [(z("排名", "Rank"), int(row.rank))]
        if has_cap and (cap["city"] == row.city).any():
            key = f"city_{row.city}"
            c = cl.wan_p(f"{key}_compute", V("capacity_by_city", "intelligent_eflops", year=last, city=row.city))
            items.append((z(f"{last}年智能算力保有量", f"Installed intelligent compute {last}"), c))
            sh = cl.pct(f"{key}_share", RATIO(V("capacity_by_city", "intelligent_eflops", year=last, city=row.city),
                                               SUM("capacity_by_city", "intelligent_eflops", year=last)))
            items.append((z("占全国（已定位城市）比重", "Share of located national total"), sh))
            if ((cap["city"] == row.city) & (cap["year"] == last - 1)).any():
                prev = V("capacity_by_city", "intelligent_eflops", year=last - 1, city=row.city)
                if float(cap.loc[(cap["city"] == row.city) & (cap["year"] == last - 1), "intelligent_eflops"].iloc[0]) > 0:
                    g = cl.pct(f"{key}_yoy", GROWTH(V("capacity_by_city", "intelligent_eflops", year=last,
                                                      city=row.city), prev))
                    items.append((z("同比增长", "Growth year on year"), g))
            items.append((z("新增加速卡", "Accelerators added"),
                          fmt.count(float(cap.loc[(cap["city"] == row.city) & (cap["year"] == last),
                                                  "accelerators_added"].iloc[0]), rd.lang)))
        items += city_evidence(rd, cl, row.city)
        sec.cards.append(Card(f"{int(row.rank)}. {rd.city(row.city)}", items, rd.synthetic(table)))


