"""Chapter 2.2: storage and networks (AI storage spending, data volume, network facts)."""

from __future__ import annotations

from ..claims import sentence
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from . import Context, Finding
from ._facts import fact_claim, has_fact
from ._markets import MS, has_series, level_growth_fig, ms, series

ID = "storage"
NUMBER = "2.2"
TITLE = ("存储和网络", "Storage and networks")
FIGURES = Figures(ID)


@FIGURES(MS)
def fig_storage(rd: ReportData) -> list[FigureSpec]:
    return level_growth_fig(rd, "market_ai_storage", "storage", "ai_storage_spend:global:total",
                             ("全球企业人工智能存储支出预测", "Global enterprise AI storage spending forecast"),
                             ("人工智能存储支出", "AI storage spending"), 2022)


@FIGURES(MS)
def fig_data_volume(rd: ReportData) -> list[FigureSpec]:
    return level_growth_fig(rd, "market_data_volume", "storage", "data_volume:global:total",
                             ("全球数据量预测", "Global data created"), ("数据量（ZB）", "Data created (ZB)"), 2022,
                             money=False, unit="ZB")


TX = {
    "storage": ("{b}年全球企业人工智能存储支出将达到{v1}，{d}年有望达到{v2}。",
                "Global enterprise AI storage spending will reach {v1} in {b} and {v2} in {d}."),
}


def write(ctx: Context, sec) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    sid = "ai_storage_spend:global:total"
    if has_series(rd, sid) and {2025, 2028} <= set(int(y) for y in series(rd, sid)["year"]):
        sec.paragraphs.append(sentence(t["storage"], b=2025, d=2028, v1=cl.usd("st_2025", ms(sid, 2025), 0),
                                       v2=cl.usd("st_2028", ms(sid, 2028), 0)))
    networks(ctx, sec)


def networks(ctx: Context, sec) -> None:
    """2.2's network part, from the stated facts (port speeds, cluster scale)."""
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    ids = ["network_rate_current_400g", "network_rate_current_800g", "network_rate_next_1_6t", "network_rate_future_3_2t"]
    if not all(has_fact(rd, f) for f in ids):
        sec.missing.append("input_market_facts (network facts)")
        return
    a, b = fact_claim(rd, cl, ids[0], 0, "G"), fact_claim(rd, cl, ids[1], 0, "G")
    c, d = fact_claim(rd, cl, ids[2], 1, "T"), fact_claim(rd, cl, ids[3], 1, "T")
    extra = ""
    parts = dict(a=a, b=b, c=c, d=d)
    if has_fact(rd, "cluster_scale_100k__s2_2"):
        # 10万卡 as the seed writes it on a Chinese page, 100,000 on an English one
        parts["k"] = (fact_claim(rd, cl, "cluster_scale_100k__s2_2", 0, "万", scale=1e4) if rd.lang == "zh"
                      else fact_claim(rd, cl, "cluster_scale_100k__s2_2", 0))
        extra = z("集群规模正从万卡扩展到{k}卡，卡间与节点间通信成为训练效率的瓶颈，", "with clusters growing from ten "
                  "thousand to {k} accelerators, communication between accelerators and nodes limits training "
                  "efficiency, ")
    p = sentence(z("网络是智算集群的另一条主线。" + extra + "数据中心端口速率已达到{a}/{b}，{c}是下一步，行业已在关注{d}及更高速率。"
                   "存储侧的分布式存储与全闪存、网络侧的高速互联，决定了峰值算力有多少能变成有效算力。",
                   "Networks are the other thread of AI clusters: " + extra + "data-centre ports already run at {a}/{b}, "
                   "{c} is next and the industry is looking at {d} and beyond. Distributed all-flash storage and fast "
                   "interconnects decide how much of the peak compute becomes effective compute."), **parts)
    sec.paragraphs.append(p)
    ctx.note(Finding("storage_networks", ID, p, "trend"))
