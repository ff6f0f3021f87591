"""Chapter 2.3: sustainable data centres (liquid cooling, AI data-centre energy)."""

from __future__ import annotations

from ..claims import CAGR, sentence
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from . import Context, Finding
from ._markets import MS, has_series, level_growth_fig, ms, series

ID = "cooling"
NUMBER = "2.3"
TITLE = ("可持续数据中心：液冷与能耗", "Sustainable data centres: liquid cooling and energy")
FIGURES = Figures(ID)


@FIGURES(MS)
def fig_energy(rd: ReportData) -> list[FigureSpec]:
    return level_growth_fig(rd, "market_aidc_energy", "cooling", "aidc_it_energy:global:total",
                             ("全球人工智能数据中心IT能耗预测", "Global AI data-centre IT energy forecast"),
                             ("人工智能数据中心IT能耗（太瓦时）", "AI data-centre IT energy (TWh)"), 2022,
                             money=False, unit=rd.zh_en("太瓦时（TWh）", "TWh"))


@FIGURES(MS)
def fig_liquid(rd: ReportData) -> list[FigureSpec]:
    return level_growth_fig(rd, "market_liquid_cooling", "cooling", "liquid_cooled_server_market:china:total",
                             ("中国液冷服务器市场规模及预测", "China liquid-cooled server market and forecast"),
                             ("液冷服务器市场规模", "Liquid-cooled server market"), 2023)


TX = {
    "energy": ("{b}年人工智能数据中心IT能耗将达到{e1}，{d}年将增长至{e2}。",
               "AI data-centre IT energy will reach {e1} in {b} and {e2} in {d}."),
    "liquid": ("{d}年中国液冷服务器市场将达到{v2}，{c}-{d}年五年年复合增长率将达到{cagr}。",
               "China's liquid-cooled server market will reach {v2} in {d}, a five-year CAGR of {cagr} ({c}-{d})."),
}


def write(ctx: Context, sec) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    sid = "aidc_it_energy:global:total"
    if has_series(rd, sid) and {2025, 2027} <= set(int(y) for y in series(rd, sid)["year"]):
        s = sentence(t["energy"], b=2025, d=2027, e1=cl.twh("en_2025", ms(sid, 2025)), e2=cl.twh("en_2027", ms(sid, 2027)))
        ctx.key(s, 60)
        sec.paragraphs.append(s)
        g = cl.pct("energy_cagr", CAGR(ms(sid, 2027), ms(sid, 2025), 2), 0)
        ctx.note(Finding("cooling_energy", ID, s, "growth", {"cagr": g.value}))
    sid = "liquid_cooled_server_market:china:total"
    if has_series(rd, sid) and {2023, 2028} <= set(int(y) for y in series(rd, sid)["year"]):
        s = sentence(t["liquid"], c=2023, d=2028, v2=cl.usd("lc_2028", ms(sid, 2028), 0),
                     cagr=cl.pct("lc_cagr", CAGR(ms(sid, 2028), ms(sid, 2023), 5)))
        ctx.key(s, 61)
        sec.paragraphs.append(s)
        ctx.note(Finding("cooling_liquid", ID, s, "growth"))
