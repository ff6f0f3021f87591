"""Chapter 2.3: sustainable data centres (liquid cooling, AI data-centre energy)."""

from __future__ import annotations

from ..claims import CAGR, V, sentence
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
    # the series is global (aidc_it_energy:global): said in the sentence, or a reader of a China report takes
    # it for China's (about a sixth of it, see "china" below)
    "energy": ("原报告预计{b}年全球人工智能数据中心IT能耗将达到{e1}，{d}年将增长至{e2}。",
               "The original report expects global AI data-centre IT energy to reach {e1} in {b} and {e2} in {d}."),
    "liquid": ("{d}年中国液冷服务器市场将达到{v2}，{c}-{d}年五年年复合增长率将达到{cagr}。",
               "China's liquid-cooled server market will reach {v2} in {d}, a five-year CAGR of {cagr} ({c}-{d})."),
    "china": ("放到中国的存量上看：第2.8节自下而上测算的{y}年中国人工智能服务器年均PUE为{pue}（90%区间{lo}至{hi}），"
              "{cmp}新建大型及以上数据中心的上限{cap}。新建项目可以按液冷设计一步达标，存量要靠改造和替换才能跟上，"
              "{lc}原报告的能耗数字是全球口径；同年中国人工智能服务器的IT能耗约为{cn}，两者的对账见第2.8节。",
              "On China's installed base: the bottom-up model of section 2.8 puts the average PUE of China's AI servers "
              "in {y} at {pue} (90% interval {lo} to {hi}), {cmp} the cap of {cap} for new large data centres. New "
              "builds can meet it by designing for liquid cooling from the start; the installed base catches up only "
              "through retrofits and replacement. {lc}The original report's energy figures are global; China's AI servers used "
              "about {cn} of IT energy in the same year (section 2.8 reconciles the two)."),
    "above": ("高于", "above"), "below": ("低于", "below"),
    "lc": ("液冷服务器市场{cagr}的年复合增速说明这一替换正在进行。", "The liquid-cooled server market's CAGR of {cagr} "
           "shows that replacement is under way. "),
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
        ctx.note(Finding("cooling_energy", ID, s, "growth", {"cagr": g.value, "from": 2025, "to": 2027}))
    sid = "liquid_cooled_server_market:china:total"
    if has_series(rd, sid) and {2023, 2028} <= set(int(y) for y in series(rd, sid)["year"]):
        s = sentence(t["liquid"], c=2023, d=2028, v2=cl.usd("lc_2028", ms(sid, 2028), 0), cagr=_liquid_cagr(ctx))
        ctx.key(s, 61)
        sec.paragraphs.append(s)
        ctx.note(Finding("cooling_liquid", ID, s, "growth"))
    _china(ctx, sec, t)


#: The original report's own 2023-2028 CAGR of the liquid-cooled server market (its 2023 level is derived
#: from this rate and the 2028 level, so a CAGR recomputed from the series only gives the rate back)
LIQUID_CAGR = "cn_liquid_cooled_server_cagr"


def _liquid_cagr(ctx: Context):
    """The liquid-cooling CAGR as stated when the edition has the statement, else computed from the series."""
    rd, cl = ctx.rd, ctx.cl
    if "lc_cagr" in cl.items:
        return cl.items["lc_cagr"]
    obs = rd.df("market_observations") if rd.has("market_observations") else None
    if obs is not None and (obs["obs_id"] == LIQUID_CAGR).sum() == 1:
        return cl.pct("lc_cagr", V("market_observations", "value", obs_id=LIQUID_CAGR))
    sid = "liquid_cooled_server_market:china:total"
    return cl.pct("lc_cagr", CAGR(ms(sid, 2028), ms(sid, 2023), 5))


def _china(ctx: Context, sec, t: dict[str, str]) -> None:
    """The global claims set against the energy model's China: its average PUE beside the cap for new
    large data centres (above or below, by the data), its IT energy beside the seed's global figure."""
    rd, cl = ctx.rd, ctx.cl
    if not rd.has("energy_national", "energy_pue_ladder"):
        return
    n = rd.df("energy_national")
    lad = rd.df("energy_pue_ladder")
    cap = lad[lad["target_scope"].astype(str).str.startswith("new large")]
    y = int(ctx.edition.year)
    if cap.empty or y not in set(n["year"].astype(int)):
        return
    target = str(cap.iloc[0]["target"])
    central = float(n.loc[n["year"].astype(int) == y, "pue"].iloc[0])

    def pue(col: str):
        return cl.number(f"energy_pue_{col}_{y}", V("energy_national", col, year=y), 2)

    sid = "liquid_cooled_server_market:china:total"
    lc = ""
    if has_series(rd, sid) and {2023, 2028} <= set(int(v) for v in series(rd, sid)["year"]):
        lc = sentence(t["lc"], cagr=_liquid_cagr(ctx))
    p = sentence(t["china"], y=y, pue=pue("pue"), lo=pue("pue_lo"), hi=pue("pue_hi"),
                 cmp=t["above"] if central > float(cap.iloc[0]["target_pue"]) else t["below"],
                 cap=cl.number("cooling_pue_cap", V("energy_pue_ladder", "target_pue", target=target), 2),
                 lc=lc, cn=cl.twh(f"cooling_cn_it_{y}", V("energy_national", "it_twh", year=y)))
    sec.paragraphs.append(p)
    ctx.note(Finding("cooling_china_pue", ID, p, "gap" if central > float(cap.iloc[0]["target_pue"]) else "level"))
