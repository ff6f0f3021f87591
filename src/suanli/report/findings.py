"""Key findings (核心观点) and section texts: sentence templates filled with claims.

Each sentence is built only when its tables exist. Numbers are claims (see ``claims.py``), so
"2025年中国智能算力规模将达到1,037.3 EFLOPS" carries a reference to
``capacity_national.intelligent_eflops where year = 2025`` that the tests evaluate.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
from markupsafe import Markup

from ..store.value_class import LABELS, furthest, propagate
from . import fmt
from .claims import CAGR, GROWTH, RATIO, SUM, Claims, V, ref_class, sentence
from .data import ReportData

T = {
    "zh": {
        "national": "{y}年中国智能算力规模{verb}{i}，通用算力规模{verb}{g}；与{y0}年相比，智能算力增长{gi}，通用算力增长{gg}。",
        "cagr": "{a}-{b}年中国智能算力规模和通用算力规模的{n}年年复合增长率分别为{ci}和{cg}。",
        "domestic": "国产加速卡提供的智能算力占比从{a}年的{s0}变为{b}年的{s1}，{b}年国产智能算力达到{d}。",
        "provinces": "{y}年智能算力保有量居前三位的省份依次为{p1}、{p2}和{p3}，合计占全国的{share}。",
        "effective": "按可用率{av}和模型算力利用率{ut}计算，{y}年有效智能算力约为{e}，仅为峰值的{r}；"
                     "峰值与有效算力分开报告，互不混用。",
        "published": "校准：合成出货量是按报告公布的总量求解的，因此模型{y}年智能算力{c}与公布值{p}仅相差{d}；"
                     "这是校准的结果，而非独立验证。",
        "published_same": "校准：合成出货量是按报告公布的总量求解的，因此模型{y}年智能算力{c}与公布值{p}一致；"
                          "这是校准的结果，而非独立验证。",
        "vendor": "{y}年智能算力保有量最大的加速卡厂商为{v1}（{s1}），其后为{v2}（{s2}）。",
    },
    "en": {
        "national": "In {y}, China's intelligent compute {verb} {i} and general-purpose compute {verb} {g}; "
                    "compared with {y0}, intelligent compute grows by {gi} and general compute by {gg}.",
        "cagr": "From {a} to {b}, the {n}-year compound annual growth rates of China's intelligent and "
                "general-purpose compute are {ci} and {cg}.",
        "domestic": "The share of intelligent compute from domestic accelerators moves from {s0} in {a} to {s1} "
                    "in {b}; domestic intelligent compute reaches {d} in {b}.",
        "provinces": "In {y}, the three provinces with the most installed intelligent compute are {p1}, {p2} and {p3}, "
                     "together {share} of the national total.",
        "effective": "At {av} availability and {ut} model-FLOPs utilisation, effective intelligent compute in {y} is "
                     "about {e}, only {r} of peak; peak and effective compute are reported separately, never mixed.",
        "published": "Calibration: the synthetic shipments were solved to reproduce the published totals, so the "
                     "modelled {y} intelligent compute of {c} differs from the published {p} by only {d}; this is the "
                     "result of calibration, not an independent validation.",
        "published_same": "Calibration: the synthetic shipments were solved to reproduce the published totals, so the "
                          "modelled {y} intelligent compute of {c} matches the published {p}; this is the result of "
                          "calibration, not an independent validation.",
        "vendor": "In {y}, the accelerator vendor with the most installed intelligent compute is {v1} ({s1}), "
                  "followed by {v2} ({s2}).",
    },
}


def capacity_findings(rd: ReportData, cl: Claims, edition_year: int) -> dict[str, Markup]:
    """Sentences about compute capacity, keyed by topic (used in 核心观点 and the sections)."""
    t = T[rd.lang]
    out: dict[str, Markup] = {}
    if rd.has("capacity_national"):
        nat = rd.df("capacity_national").sort_values("year")
        ys = [int(y) for y in nat["year"]]
        y, y0, yf = ys[-1], ys[-2] if len(ys) > 1 else ys[-1], ys[0]
        verb = ("将达到" if y >= edition_year else "达到") if rd.lang == "zh" else ("will reach" if y >= edition_year
                                                                                 else "reached")
        i = cl.eflops("cn_intelligent", V("capacity_national", "intelligent_eflops", year=y))
        g = cl.eflops("cn_general", V("capacity_national", "general_eflops", year=y))
        gi = cl.pct("cn_intelligent_yoy", GROWTH(V("capacity_national", "intelligent_eflops", year=y),
                                                  V("capacity_national", "intelligent_eflops", year=y0)))
        gg = cl.pct("cn_general_yoy", GROWTH(V("capacity_national", "general_eflops", year=y),
                                              V("capacity_national", "general_eflops", year=y0)))
        out["national"] = sentence(t["national"], y=y, y0=y0, verb=verb, i=i, g=g, gi=gi, gg=gg)
        if y > yf:
            n = y - yf
            ci = cl.pct("cn_intelligent_cagr", CAGR(V("capacity_national", "intelligent_eflops", year=y),
                                                     V("capacity_national", "intelligent_eflops", year=yf), n))
            cg = cl.pct("cn_general_cagr", CAGR(V("capacity_national", "general_eflops", year=y),
                                                 V("capacity_national", "general_eflops", year=yf), n))
            nn = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八"}.get(n, str(n)) \
                if rd.lang == "zh" else str(n)
            out["cagr"] = sentence(t["cagr"], a=yf, b=y, n=nn, ci=ci, cg=cg)
    if rd.has("capacity_by_origin"):
        o = rd.df("capacity_by_origin")
        ys = sorted(int(v) for v in o["year"].unique())
        a, b = ys[0], ys[-1]
        kinds = ["domestic", "imported"]
        s0 = cl.pct("domestic_share_first", RATIO(V("capacity_by_origin", "intelligent_eflops", year=a, origin="domestic"),
                                                  SUM("capacity_by_origin", "intelligent_eflops", year=a, origin=kinds)))
        s1 = cl.pct("domestic_share_last", RATIO(V("capacity_by_origin", "intelligent_eflops", year=b, origin="domestic"),
                                                 SUM("capacity_by_origin", "intelligent_eflops", year=b, origin=kinds)))
        d = cl.eflops("domestic_last", V("capacity_by_origin", "intelligent_eflops", year=b, origin="domestic"))
        out["domestic"] = sentence(t["domestic"], a=a, b=b, s0=s0, s1=s1, d=d)
    if rd.has("capacity_by_province"):
        p = rd.df("capacity_by_province")
        y = int(p["year"].max())
        top = p[p["year"] == y].sort_values("intelligent_eflops", ascending=False)["province"].head(3).tolist()
        if len(top) == 3:
            share = cl.pct("top3_province_share",
                           RATIO(SUM("capacity_by_province", "intelligent_eflops", year=y, province=top),
                                 SUM("capacity_by_province", "intelligent_eflops", year=y)))
            out["provinces"] = sentence(t["provinces"], y=y, p1=rd.province(top[0]), p2=rd.province(top[1]),
                                        p3=rd.province(top[2]), share=share)
    if rd.has("capacity_by_accelerator_vendor"):
        a = rd.df("capacity_by_accelerator_vendor")
        y = int(a["year"].max())
        a = a[(a["year"] == y) & (a["accelerator_vendor"] != "(none)")].sort_values("intelligent_eflops",
                                                                                    ascending=False)
        if len(a) >= 2:
            v1, v2 = a["accelerator_vendor"].iloc[0], a["accelerator_vendor"].iloc[1]
            tot = SUM("capacity_by_accelerator_vendor", "intelligent_eflops", year=y)
            s1 = cl.pct("vendor1_share", RATIO(V("capacity_by_accelerator_vendor", "intelligent_eflops", year=y,
                                                 accelerator_vendor=v1), tot))
            s2 = cl.pct("vendor2_share", RATIO(V("capacity_by_accelerator_vendor", "intelligent_eflops", year=y,
                                                 accelerator_vendor=v2), tot))
            out["vendor"] = sentence(t["vendor"], y=y, v1=rd.accel_vendor(v1), v2=rd.accel_vendor(v2), s1=s1, s2=s2)
    if rd.has("capacity_effective"):
        e = rd.df("capacity_effective")
        y = int(e["year"].max())
        av = cl.pct("availability", V("capacity_effective", "availability", year=y), 0)
        ut = cl.pct("utilisation", V("capacity_effective", "utilisation", year=y), 0)
        ee = cl.eflops("effective", V("capacity_effective", "intelligent_effective_eflops", year=y))
        r = cl.pct("effective_ratio", RATIO(V("capacity_effective", "intelligent_effective_eflops", year=y),
                                            V("capacity_effective", "intelligent_peak_eflops", year=y)), 0)
        out["effective"] = sentence(t["effective"], y=y, av=av, ut=ut, e=ee, r=r)
    if rd.has("capacity_vs_published"):
        v = rd.df("capacity_vs_published")
        v = v[v["metric"] == "intelligent_eflops"]
        if len(v):
            y = int(v["year"].max())
            c = cl.eflops("published_computed", V("capacity_vs_published", "computed", year=y, metric="intelligent_eflops"))
            p = cl.eflops("published_value", V("capacity_vs_published", "published", year=y, metric="intelligent_eflops"))
            d = cl.pct("published_diff", V("capacity_vs_published", "rel_diff", year=y, metric="intelligent_eflops"), 3)
            # a difference that prints as 0.000% is said in words (the values print the same)
            same = d.text.lstrip("-+") == fmt.pct(0.0, 3)
            out["published"] = sentence(t["published_same" if same else "published"], y=y, c=c, p=p, d=d)
    return out


# ---------------------------------------------------------------------------------------------
# Headline growth as stated, rank uncertainty, and the value class of every key finding
# ---------------------------------------------------------------------------------------------

TV = {
    "zh": {
        "headline": "原报告预计{a}-{b}年中国智能算力和通用算力规模的五年年复合增长率分别为{ci}和{cg}；上一版报告对{pa}-{pb}年的"
                    "预测分别为{pi}和{pg}。两组增速的时间窗口不同（{a}-{b}与{pa}-{pb}），其差异不等于预测上调的幅度。",
        "ranks": "在同时改变{varied}的不确定性分析中（{n}次抽样），{solid}的排名在90%区间内不变；"
                 "{spread}。排名分散主要来自{d1}（总效应指数{s1}）和{d2}（{s2}）。",
        "ranks_all_solid": "在同时改变{varied}的不确定性分析中（{n}次抽样），前十名城市的排名在90%区间内均不变。",
        "rank_item": "{c}名列第{r}，90%区间为{lo}–{hi}",
        "sep": "；",
    },
    "en": {
        "headline": "The original report expects China's intelligent and general compute to grow at five-year CAGRs of {ci} and {cg} "
                    "over {a}-{b}; the previous edition forecast {pi} and {pg} for {pa}-{pb}. The windows differ "
                    "({a}-{b} vs {pa}-{pb}), so the gap between the rates is not the size of an upward revision.",
        "ranks": "Varying {varied} together ({n} samples), {solid} each keep a single rank across their 90% "
                 "intervals; {spread}. The spread comes mainly from "
                 "{d1} (total-effect index {s1}) and {d2} ({s2}).",
        "ranks_all_solid": "Varying {varied} together ({n} samples), the top ten cities each keep a single rank "
                           "across their 90% intervals.",
        "rank_item": "{c} ranks {r} with a 90% interval of {lo}–{hi}",
        "sep": "; ",
    },
}
FACTOR_ZH = {"measurement noise": "测量误差", "imputation": "缺失值插补", "exclude one indicator": "指标取舍（逐一剔除）",
             "normalisation": "归一化方法", "aggregation": "聚合方法", "outlier treatment": "异常值处理"}


#: What an uncertainty run varies (the ``kind`` of its ``index_<name>_uncertainty_inputs`` rows), as the text says it.
VARIED = {"weights": ("权重", "the weights"), "normalise": ("归一化方法", "the normalisation"),
          "aggregate": ("聚合方法", "the aggregation"), "treat": ("异常值处理", "outlier treatment"),
          "noise": ("测量误差", "measurement error"), "impute": ("缺失值插补", "imputation"),
          "exclude": ("指标取舍", "the choice of indicators")}


def varied_inputs(rd: ReportData, name: str) -> str:
    """What the uncertainty run of assessment ``name`` varied, listed from its inputs table, so that the
    text of a run without imputation (the industries') does not claim it."""
    t = f"index_{name}_uncertainty_inputs"
    kinds = list(dict.fromkeys(rd.df(t)["kind"].astype(str))) if rd.has(t) and "kind" in rd.df(t) else []
    words = [VARIED[k][0 if rd.lang == "zh" else 1] for k in kinds if k in VARIED]
    return fmt.listing(words, rd.lang) if words else ("权重与方法" if rd.lang == "zh" else "the weights and the method")


def headline_growth(rd: ReportData, cl: Claims) -> Markup | None:
    """The seed's headline CAGRs as printed, next to the previous edition's, with the window caveat."""
    if not rd.has("market_observations"):
        return None
    o = rd.df("market_observations")
    ids = {"ci": "cn_intelligent_compute_cagr", "cg": "cn_general_compute_cagr",
           "pi": "prev_cn_intelligent_compute_cagr", "pg": "prev_cn_general_compute_cagr"}
    rows = {k: o[o["obs_id"] == v] for k, v in ids.items()}
    if any(len(r) != 1 for r in rows.values()):
        return None
    a, b = int(rows["ci"]["start_year"].iloc[0]), int(rows["ci"]["end_year"].iloc[0])
    pa, pb = int(rows["pi"]["start_year"].iloc[0]), int(rows["pi"]["end_year"].iloc[0])
    parts = {k: cl.pct(f"headline_{k}", V("market_observations", "value", obs_id=v), _decimals(rows[k]))
             for k, v in ids.items()}
    return sentence(TV[rd.lang]["headline"], a=a, b=b, pa=pa, pb=pb, **parts)


def _decimals(row: pd.DataFrame) -> int:
    """Decimals as printed in the source (36.2 → 1), so a stated rate is shown as stated."""
    d = row["decimals"].iloc[0] if "decimals" in row else None
    try:
        return int(d)
    except (TypeError, ValueError):
        return 1


def rank_uncertainty(rd: ReportData, cl: Claims, name: str = "city", k: int = 10) -> Markup | None:
    """Which of the top ``k`` ranks are solid and which spread, and what drives the spread (Sobol)."""
    table, sob = f"index_{name}_rank_intervals", f"index_{name}_sobol"
    if not rd.has(table):
        return None
    t = TV[rd.lang]
    ri = rd.df(table)
    if "node_id" in ri:
        root = "index" if (ri["node_id"] == "index").any() else ri["node_id"].iloc[0]
        ri = ri[ri["node_id"] == root]
    top = ri.sort_values("nominal_rank").head(k)
    if top.empty:
        return None
    moving = top[top["q05"] != top["q95"]]
    solid = top[top["q05"] == top["q95"]]
    where = {"node_id": str(top["node_id"].iloc[0])} if "node_id" in top else {}
    n = cl.number(f"rk_{name}_n", V(table, "n_samples", unit_id=top["unit_id"].iloc[0], **where), 0)
    if moving.empty:
        return sourced(sentence(t["ranks_all_solid"], n=n, varied=varied_inputs(rd, name)), table)
    items = []
    for r in moving.itertuples():
        w = {**where, "unit_id": r.unit_id}
        items.append(sentence(t["rank_item"], c=rd.city(r.unit_name),
                              r=cl.number(f"rk_{name}_{r.unit_id}_nom", V(table, "nominal_rank", **w), 0),
                              lo=cl.number(f"rk_{name}_{r.unit_id}_q05", V(table, "q05", **w), 0),
                              hi=cl.number(f"rk_{name}_{r.unit_id}_q95", V(table, "q95", **w), 0)))
    spread = Markup(t["sep"]).join(items)
    solid_names = fmt.listing([rd.city(c) for c in solid["unit_name"]], rd.lang) or "—"
    d1 = d2 = "—"
    s1: object = "—"
    s2: object = "—"
    if rd.has(sob):
        s = rd.df(sob)
        s = s[s["target"] == "mean_abs_rank_shift"].sort_values("ST", ascending=False)
        lab = (lambda x: FACTOR_ZH.get(x, x)) if rd.lang == "zh" else (lambda x: x)
        if len(s) >= 2:
            i1, i2 = str(s["input"].iloc[0]), str(s["input"].iloc[1])
            d1, d2 = lab(i1), lab(i2)
            s1 = cl.number(f"rk_{name}_st1", V(sob, "ST", target="mean_abs_rank_shift", input=i1), 2)
            s2 = cl.number(f"rk_{name}_st2", V(sob, "ST", target="mean_abs_rank_shift", input=i2), 2)
    return sourced(sentence(t["ranks"], n=n, solid=solid_names, spread=spread, d1=d1, s1=s1, d2=d2, s2=s2,
                            varied=varied_inputs(rd, name)),
                   table)


_REF = re.compile(r'data-ref="([^"]*)"')


_SRC = re.compile(r'data-tables="([^"]*)"')


def sourced(text: Markup, *tables: str) -> Markup:
    """A sentence whose words (names, orders) come from ``tables`` without a numeric claim: the
    tables are recorded so the sentence still carries their value class."""
    return text + Markup('<span class="vc-src" data-tables="{}" hidden></span>').format(",".join(tables))


def finding_class(text: Markup, get_table) -> str | None:
    """The value class of a sentence: the furthest class among its claims and source tables
    (None when it has neither)."""
    classes = []
    for raw in _REF.findall(str(text)):
        data = json.loads(html.unescape(raw))
        classes.append(ref_class(data["ref"], get_table))
    for raw in _SRC.findall(str(text)):
        for t in filter(None, html.unescape(raw).split(",")):
            df = get_table(t)
            if "value_class" in df:
                classes.append(propagate(*[str(x) for x in df["value_class"]]))
    return furthest(classes) if classes else None


def badge(text: Markup, cls: str | None, lang: str) -> Markup:
    """The finding with its class in front: a badge every reader sees (synthetic in colour)."""
    if cls is None:
        return text
    label = LABELS["zh" if lang == "zh" else "en"][cls]
    return Markup('<span class="vc-badge vc-{}" data-value-class="{}">{}</span> ').format(cls, cls, label) + text


def badge_findings(rd: ReportData, findings: list[Markup]) -> list[Markup]:
    """Every key finding carries its value class."""
    return [badge(f, finding_class(f, rd.df), rd.lang) for f in findings]


TI = {
    "zh": "预测区间的做法：模型只用公布值拟合（插值和回推值既不参与拟合也不参与回测）；{lv}%预测区间取模型自身区间与回测区间中较宽者，"
          "后者为各序列滚动回测的对数误差绝对值的{lv}%分位数乘以预测年数的平方根。样本外回测中，名义{lv}%区间的实际覆盖率为{cov}"
          "（{n}次回测预测）。",
    "en": "How the intervals are made: models are fitted to stated values only (interpolated and back-cast values are "
          "neither training data nor backtest targets); the {lv}% prediction interval is the wider of the model's own "
          "interval and a backtest interval, the {lv}% quantile of the absolute log errors of rolling-origin backtests "
          "over all series times the square root of the years ahead. Out of sample, the nominal {lv}% interval covered "
          "{cov} of {n} backtest forecasts.",
}


def forecast_intervals(rd: ReportData, cl: Claims) -> Markup | None:
    """One sentence on how the forecast intervals were made and how often they covered the truth."""
    if not rd.has("market_backtests"):
        return None
    b = rd.df("market_backtests")
    pooled = b[(b["series"] == "(all series)") & (b["n_origins"] > 0)]
    if pooled.empty or "coverage" not in pooled:
        return None
    sel = rd.df("market_forecasts") if rd.has("market_forecasts") else pd.DataFrame()
    model = str(sel[sel["selected"].astype(bool)]["model"].mode().iloc[0]) if len(sel) and "selected" in sel else ""
    row = pooled[pooled["model"] == model] if (pooled["model"] == model).any() else pooled.head(1)
    m = str(row["model"].iloc[0])
    where = {"series": "(all series)", "model": m}
    # the level and the number of backtests are stored values too, printed as claims that parse back
    lv = cl.number("fc_level", V("market_backtests", "level", **where), 0)
    cov = cl.pct("fc_coverage", V("market_backtests", "coverage", **where), 0)
    n = cl.number("fc_backtests", V("market_backtests", "n_origins", **where), 0)
    return sentence(TI[rd.lang], lv=lv, cov=cov, n=n)
