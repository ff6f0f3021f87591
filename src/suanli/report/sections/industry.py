"""Chapter 3.1: industry ranking (index and uncertainty stages, capacity by industry)."""

from __future__ import annotations

from ..claims import sentence
from ..data import ReportData
from ..figures import Figures, capacity_by_fig
from ..findings import sourced
from ..spec import FigureSpec
from . import Context
from ._index import composite, rank_interval_fig, ranking_fig, slope_fig, waterfalls
from ._ranking import ranking_paragraphs

ID = "industry"
NUMBER = "3.1"
TITLE = ("行业排名", "Industry ranking")
FIGURES = Figures(ID)


@FIGURES("index_industry_results")
def fig_industry_index(rd: ReportData) -> list[FigureSpec]:
    return ranking_fig(rd, "industry", 14) + slope_fig(rd, "industry", 10) + waterfalls(rd, "industry", 1)


@FIGURES("index_industry_rank_intervals")
def fig_industry_rank_interval(rd: ReportData) -> list[FigureSpec]:
    return rank_interval_fig(rd, "industry", 14)


@FIGURES("capacity_by_industry")
def fig_industry_capacity(rd: ReportData) -> list[FigureSpec]:
    return capacity_by_fig(rd, "capacity_by_industry", "industry", rd.industry, "capacity_by_industry", "industry",
                           ("{year}年各行业智能算力保有量", "Installed intelligent compute by industry, {year}"))


TX = {
    "industry_top": ("人工智能行业渗透度排名前五的行业依次为：{list}。",
                     "The five industries with the highest AI penetration are, in order: {list}."),
}


def write(ctx: Context, sec) -> None:
    rd = ctx.rd
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    if rd.has("index_industry_results"):
        c = composite(rd, "industry").head(5)
        # names only, no number: the index table is recorded so the sentence still carries its value class
        s = sourced(sentence(t["industry_top"], list=("、" if rd.lang == "zh" else ", ").join(rd.industry(x) for x in c["unit_name"])),
                    "index_industry_results")
        ctx.key(s, 80)
        sec.paragraphs.append(s)
    sec.paragraphs.extend(ranking_paragraphs(ctx, "industry", ID))
