"""Chapter 2.2: storage and networks (AI storage spending, data volume, network facts)."""

from __future__ import annotations

from ..claims import sentence
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from . import Context
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
