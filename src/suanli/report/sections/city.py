"""Chapter 3.2: city ranking (composite index, intervals, capacity by province and city, tile map)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .. import fmt
from ..claims import GROWTH, RATIO, SUM, Claims, V
from ..content import Card, Section, Table
from ..data import ReportData, cities
from ..figures import Figures, city_ranking, last_year, origin_label
from ..findings import capacity_findings
from ..spec import FigureSpec
from ..tilemap import TILES, code_key, dot_positions, tiles_frame
from . import Context
from ._index import dimension_fig, rank_interval_fig, ranking_fig, slope_fig, waterfalls
from ._ranking import ranking_paragraphs

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
    """The top-20 cities as dots inside their province's tile (no outlines; see ``tilemap.py``)."""
    r = city_ranking(rd)
    if r is None:
        return []
    rank, table = r
    top = rank.head(20).merge(cities()[["city", "province"]], on="city", how="inner").sort_values("rank")
    top = top[top["province"].isin(TILES)]
    if top.empty:
        return []
    pos = dot_positions(top["province"].tolist())
    dots = pd.DataFrame({"layer": "dot", "label": [rd.city(c) for c in top["city"]],
                         "name": [rd.city(c) for c in top["city"]], "col": [p[0] for p in pos],
                         "row": [p[1] for p in pos], "value": top["value"].astype(float).to_numpy(),
                         "rank": top["rank"].astype(float).to_numpy()})
    d = pd.concat([tiles_frame(None, rd.lang), dots], ignore_index=True)
    z = rd.zh_en
    what = z("综合评估排名", "composite ranking") if table.startswith("index") else z("智能算力保有量", "installed compute")
    src = rd.source(table) + z("；版式：省级行政区等大方块示意（不表示边界与面积），城市按所在省份归位",
                                "; layout: one equal tile per provincial-level division (no boundaries or areas "
                                "drawn), each city placed in its province's tile")
    return [FigureSpec("city_map", "city", "tiles",
                       z(f"排名前{len(dots)}城市的分布（按{what}，圆点中数字为名次）",
                         f"Where the top {len(dots)} cities are (by {what}; the number in each dot is the rank)"),
                       d, src, [table], rd.synthetic(table), height=560, opts={"dots": True}, lang=rd.lang,
                       note=code_key(rd.lang))]


@FIGURES("capacity_by_province")
def fig_province_tiles(rd: ReportData) -> list[FigureSpec]:
    """Installed intelligent compute per province on the tile grid (grey tiles: no data)."""
    p = rd.df("capacity_by_province")
    y = last_year(p)
    v = p[p["year"] == y].set_index("province")["intelligent_eflops"].astype(float)
    d = tiles_frame(v, rd.lang)
    z = rd.zh_en
    return [FigureSpec("capacity_province_tiles", "city", "tiles",
                       z(f"{y}年各省智能算力保有量（EFLOPS，每个省级行政区一个等大方块）",
                         f"Installed intelligent compute by province, {y} (EFLOPS; one equal tile per division)"),
                       d, rd.source("capacity_by_province") + z("；灰色方块：无数据", "; grey tiles: no data"),
                       ["capacity_by_province"], rd.synthetic("capacity_by_province"), height=560,
                       opts={"unit": "EFLOPS"}, lang=rd.lang, note=code_key(rd.lang))]


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
                       x_label="EFLOPS", height=max(420, 24 * len(d) + 120), lang=rd.lang)]


def write(ctx: Context, sec: Section) -> None:
    rd, cl = ctx.rd, ctx.cl
    # the rank-interval summary with value classes (document.py, findings.rank_uncertainty) covers the
    # settled ranks and the Sobol drivers for the cities
    paras = ranking_paragraphs(ctx, "city", ID, uncertainty_summary=not ctx.rd.has("index_city_rank_intervals"))
    if paras:
        ctx.key(paras[0], 90)
    sec.paragraphs.extend(paras)
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
        score = fmt.number(float(best["score"]), 1)
        items.append((z("最强维度", "Strongest dimension"), z(f"{name}（{score}）", f"{name} ({score})")))
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
        for r in ev.head(2).itertuples():
            items.append((z("公开证据", "Public evidence"), evidence(r, rd.lang)))
    return items


def evidence(r, lang: str) -> str:
    """A stated observation about a city as its card prints it: what it measures and the value, not the
    bare quote (a fragment such as "投递人数占比更达14.3%", in Chinese on the English page too)."""
    name = str(r.metric_zh if lang == "zh" else r.metric_en)
    qual = str(r.qualifier) if isinstance(r.qualifier, str) else ""
    printed = str(r.printed) if isinstance(r.printed, str | int | float) and r.printed == r.printed else ""
    if lang == "zh":
        if not printed:  # no printed figure: the source's words
            return f"{name}：{r.quote}"
        unit = str(r.printed_unit) if isinstance(r.printed_unit, str) else ""
        if unit == "年份":
            unit = "年"
        elif unit == "%" and not printed.replace(".", "", 1).isdigit():
            unit = ""  # 一半, 三分之一: the words say the share
        return f"{name}：{QUAL_ZH.get(qual, '')}{printed}{unit}"
    v, unit = float(r.value), str(r.unit)
    if unit == "calendar year" or not math.isfinite(v):
        # a date: the name says what happens, the printed year when (a target year: 2030)
        return f"{name}: {printed}" if printed.isdigit() and len(printed) == 4 else name
    about = QUAL_EN.get(qual, "")
    if unit in ("CNY", "USD"):
        text = f"{unit} {fmt.number(v / 1e9, 1)} bn"
    elif unit == "fraction":
        # a share printed in words (一半, 三分之一) is a round figure: no decimals
        text = fmt.pct(v, 1 if printed.replace(".", "", 1).isdigit() else 0)
    elif unit == "%":
        text = f"{fmt.number(v, 1)}%"
    elif unit == "count":
        text = f"{int(round(v)):,}"
    else:  # EFLOPS, PB and other units written in English
        text = f"{fmt.number(v, 1)} {unit}"
    return f"{name}: {about}{text}"


#: How a stated figure's qualifier reads before it (nearly half, 超过100)
QUAL_ZH = {"~": "约", "~<": "近", ">": "超过", ">=": "不少于", "<": "不到", "<=": "不超过"}
QUAL_EN = {"~": "about ", "~<": "nearly ", ">": "over ", ">=": "at least ", "<": "under ", "<=": "at most "}


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
            items.append((z("占已定位城市合计的比重", "Share of all located cities"), sh))
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


