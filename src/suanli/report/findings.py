"""Key findings (核心观点) and section texts: sentence templates filled with claims.

Each sentence is built only when its tables exist. Numbers are claims (see ``claims.py``), so
"2025年中国智能算力规模将达到1,037.3 EFLOPS" carries a reference to
``capacity_national.intelligent_eflops where year = 2025`` that the tests evaluate.
"""

from __future__ import annotations

from markupsafe import Markup

from .claims import CAGR, GROWTH, RATIO, SUM, Claims, V, sentence
from .data import ReportData

T = {
    "zh": {
        "national": "{y}年中国智能算力规模{verb}{i}，通用算力规模{verb}{g}；与{y0}年相比，智能算力增长{gi}，通用算力增长{gg}。",
        "cagr": "{a}-{b}年中国智能算力规模和通用算力规模的{n}年年复合增长率分别为{ci}和{cg}。",
        "domestic": "国产加速卡提供的智能算力占比从{a}年的{s0}变为{b}年的{s1}，{b}年国产智能算力达到{d}。",
        "provinces": "{y}年智能算力保有量居前三位的省份依次为{p1}、{p2}和{p3}，合计占全国的{share}。",
        "effective": "按可用率{av}和模型算力利用率{ut}计算，{y}年有效智能算力约为{e}，仅为峰值的{r}；"
                     "峰值与有效算力分开报告，互不混用。",
        "published": "模型计算的{y}年智能算力{c}与报告公布值{p}的相对差异为{d}。",
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
        "published": "The modelled {y} intelligent compute of {c} differs from the published {p} by {d}.",
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
            out["vendor"] = sentence(t["vendor"], y=y, v1=v1, v2=v2, s1=s1, s2=s2)
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
            out["published"] = sentence(t["published"], y=y, c=c, p=p, d=d)
    return out
