"""The report's energy chapter: power, electricity and CO2 of China's installed AI servers.

Reads only the energy stage's tables (``energy_*``). Figures: national power and energy with
their 90% Monte Carlo intervals, tile-grid province maps of average IT power and of CO2 (the
report's one tile layout, :mod:`suanli.report.tilemap`), the provinces with the most facility
energy, facility power per EFLOPS over time, the PUE policy ladder against the modelled average,
energy by accelerator origin and the Sobol drivers. Text: the national level with intervals and
scopes, intensity, PUE against each target, the drivers, the reconciliation with published totals
(scope of every comparison stated, nothing fitted) and the seed's energy claims recomputed.

Every number in the prose is a claim tied to the stored value it prints (see ``claims.py``);
tests/energy parses them back against the store.
"""

from __future__ import annotations

import re

import pandas as pd

from ... import notes_zh
from ...web.names import verdict_name
from ..claims import V, sentence
from ..content import Section, Table
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from ..tilemap import code_key, tiles_frame
from . import Context, Finding
from ._sobol import NOTE as SOBOL_NOTE
from ._sobol import sobol_rows

ID = "energy"
NUMBER = "2.8"
TITLE = ("人工智能服务器的电力、能耗与碳排放", "Power, electricity and carbon of AI servers")
FIGURES = Figures(ID)

#: Labels of the Monte Carlo parameters (``energy_parameters.parameter``) in both languages.
PARAM_LABELS: dict[str, tuple[str, str]] = {
    "k_board": ("8卡模组系统功率系数", "board-system overhead factor"),
    "k_pcie": ("PCIe服务器功率系数", "PCIe-server overhead factor"),
    "k_cpu_only": ("通用服务器功率系数", "CPU-server overhead factor"),
    "tdp_imputed_scale": ("插补TDP系数", "imputed-TDP scale"),
    "load_training": ("训练负载率", "training load share"),
    "load_inference": ("推理负载率", "inference load share"),
    "load_idle": ("空闲负载率", "idle load share"),
    "load_general": ("通用服务器负载率", "CPU-server load share"),
    "inference_share_scale": ("推理占比系数", "inference-share scale"),
    "idle_share": ("空闲时间占比", "idle share of hours"),
    "storage_network": ("存储与网络占比", "storage and network share"),
    "pue_liquid": ("液冷PUE", "liquid-cooled PUE"),
    "pue_air_hyperscale": ("风冷大型数据中心PUE", "air-cooled hyperscale PUE"),
    "pue_enterprise": ("企业机房PUE", "enterprise server-room PUE"),
    "ai_liquid_share_scale": ("液冷占比系数", "liquid-share scale"),
    "ai_enterprise_share_scale": ("企业机房占比系数", "enterprise-share scale"),
    "general_liquid_share_scale": ("通用服务器液冷占比系数", "CPU-server liquid-share scale"),
    "general_enterprise_share_scale": ("通用服务器企业机房占比系数", "CPU-server enterprise-share scale"),
    "pue_overhead_decline": ("PUE年改善率", "yearly PUE-overhead decline"),
    "pue_hub_offset": ("枢纽节点PUE差", "hub-node PUE offset"),
    "green_share_scale": ("绿电占比系数", "green-power share scale"),
}

ORIGIN = {"domestic": ("国产加速卡", "domestic accelerators"), "imported": ("进口加速卡", "imported accelerators")}


def _label(rd: ReportData, parameter: str) -> str:
    return rd.zh_en(*PARAM_LABELS.get(parameter, (parameter, parameter)))


def _band(rd: ReportData, df: pd.DataFrame, col: str, name: tuple[str, str]) -> list[dict]:
    return [{"x": int(r.year), "series": rd.zh_en(*name), "value": float(getattr(r, col)),
             "lo": float(getattr(r, col + "_lo")), "hi": float(getattr(r, col + "_hi"))} for r in df.itertuples()]


def _fig(rd: ReportData, fid: str, kind: str, title: tuple[str, str], rows: list[dict] | pd.DataFrame,
         tables: list[str], **kw) -> FigureSpec:
    data = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    return FigureSpec(fid, ID, kind, rd.zh_en(*title), data, rd.source(*tables), tables, rd.synthetic(*tables),
                      lang=rd.lang, **kw)


@FIGURES("energy_national")
def fig_national(rd: ReportData) -> list[FigureSpec]:
    """IT and facility energy, rated and average IT power, and facility power per EFLOPS (90% bands)."""
    n = rd.df("energy_national").sort_values("year")
    z = rd.zh_en
    figs = [
        _fig(rd, "energy_twh", "line", ("人工智能服务器能耗：IT与设施（中位数与90%区间）",
                                        "AI-server electricity: IT and facility (median, 90% band)"),
             _band(rd, n, "it_twh", ("IT能耗（服务器、存储与网络）", "IT energy (servers, storage, network)"))
             + _band(rd, n, "facility_twh", ("设施能耗（IT × PUE）", "facility energy (IT × PUE)")),
             ["energy_national"], y_label=z("太瓦时（TWh）", "TWh")),
        _fig(rd, "energy_mw", "line", ("人工智能服务器额定IT功率（年末）与年均IT功率",
                                       "AI servers: rated IT power (year end) and average IT draw"),
             _band(rd, n, "rated_it_mw", ("额定IT功率（年末）", "rated IT power (year end)"))
             + _band(rd, n, "avg_it_mw", ("年均IT功率", "average IT power")),
             ["energy_national"], y_label="MW"),
    ]
    if "facility_mw_per_eflops" in n:
        figs.append(_fig(rd, "energy_intensity", "line", ("单位智能算力的设施功率（FP16，90%区间）",
                                                          "Facility power per EFLOPS of intelligent compute (FP16, 90% band)"),
                         _band(rd, n, "facility_mw_per_eflops", ("年均设施功率 / 年末智能算力",
                                                                 "average facility power / year-end compute")),
                         ["energy_national"], y_label="MW / EFLOPS"))
    return figs


@FIGURES("energy_by_province")
def fig_provinces(rd: ReportData) -> list[FigureSpec]:
    """Tile-grid maps of average IT power and of CO2 (last year), and the top provinces with intervals."""
    p = rd.df("energy_by_province")
    y = int(p["year"].max())
    last = p[p["year"] == y]
    z = rd.zh_en
    grey = z("；灰色方块：无数据", "; grey tiles: no data")
    figs = []
    for fid, col, title, unit in (
        ("energy_tiles_mw", "avg_it_mw", (f"{y}年各省人工智能服务器年均IT功率（MW，每个省级行政区一个等大方块）",
                                          f"Average IT power of AI servers by province, {y} (MW; one equal tile per division)"),
         "MW"),
        ("energy_tiles_co2", "co2_mt", (f"{y}年各省人工智能服务器碳排放（百万吨二氧化碳，位置法）",
                                        f"CO2 of AI servers by province, {y} (Mt CO2, location-based)"), "Mt CO2"),
    ):
        v = last.set_index("province")[col].astype(float)
        figs.append(_fig(rd, fid, "tiles", title, tiles_frame(v, rd.lang), ["energy_by_province"], height=560,
                         opts={"unit": unit}, note=code_key(rd.lang)))
        figs[-1].source += grey
    top = last.sort_values("facility_twh", ascending=False).head(15)
    figs.append(_fig(rd, "energy_provinces", "hbar", (f"{y}年设施能耗最高的15个省份（90%区间）",
                                                       f"Top 15 provinces by facility energy, {y} (90% interval)"),
                     [{"y": rd.province(r.province), "series": z("设施能耗", "facility energy"),
                       "value": float(r.facility_twh), "lo": float(r.facility_twh_lo), "hi": float(r.facility_twh_hi)}
                      for r in top.itertuples()],
                     ["energy_by_province"], x_label=z("太瓦时（TWh）", "TWh"), height=460))
    return figs


@FIGURES("energy_national", "energy_pue_ladder")
def fig_pue_ladder(rd: ReportData) -> list[FigureSpec]:
    """Modelled average PUE of the installed AI servers (90% band) against China's PUE targets."""
    n = rd.df("energy_national").sort_values("year")
    lad = rd.df("energy_pue_ladder").sort_values("target_pue")
    rows = _band(rd, n, "pue", ("模型：存量年均PUE", "model: installed-base average PUE"))
    for t in lad.itertuples():
        name = rd.zh_en(f"目标 PUE<{t.target_pue:g}", f"target PUE < {t.target_pue:g}")
        rows += [{"x": int(y), "series": name, "value": float(t.target_pue)} for y in n["year"]]
    which = "; ".join(f"<{t.target_pue:g}: {_target_name(t.target_zh) if rd.lang == 'zh' else t.target_scope}"
                      for t in lad.itertuples())
    return [_fig(rd, "energy_pue_ladder", "line", ("PUE政策阶梯与模型年均值", "The PUE policy ladder and the modelled average"),
                 rows, ["energy_national", "energy_pue_ladder"], y_label="PUE",
                 note=rd.zh_en("政策值为新建项目上限或全国平均目标（", "The targets cap new builds or set a national average (")
                 + which + rd.zh_en("）；模型值为存量年均值。", "); the model is the installed base's annual average."))]


@FIGURES("energy_by_origin")
def fig_origin(rd: ReportData) -> list[FigureSpec]:
    o = rd.df("energy_by_origin").sort_values(["year", "origin"])
    rows = [{"x": int(r.year), "series": rd.zh_en(*ORIGIN.get(r.origin, (r.origin, r.origin))),
             "value": float(r.facility_twh)} for r in o.itertuples()]
    return [_fig(rd, "energy_origin", "bar", ("按加速卡来源的设施能耗", "Facility energy by accelerator origin"), rows,
                 ["energy_by_origin"], y_label=rd.zh_en("太瓦时（TWh）", "TWh"), opts={"stacked": True})]


@FIGURES("energy_sobol")
def fig_sobol(rd: ReportData) -> list[FigureSpec]:
    s = rd.df("energy_sobol")
    s = s[s["output"] == "facility_twh"]
    if s.empty:
        return []
    y = int(s["year"].iloc[0])
    rows = sobol_rows(rd, s, "parameter", lambda p: _label(rd, p), top=8)
    z = rd.zh_en
    return [_fig(rd, "energy_sobol", "hbar", (f"{y}年设施能耗不确定性的来源（Sobol指数）",
                                              f"What drives the spread of facility energy, {y} (Sobol indices)"),
                 rows, ["energy_sobol"], x_label=z("指数", "Index"), opts={"decimals": 2}, height=460,
                 note=z(*SOBOL_NOTE))]


TEXT = {
    "zh": {
        "level": "{syn}自下而上测算（装机量 × TDP × 系统系数 × 负载率 × PUE），{y}年中国人工智能服务器的额定IT功率约{mw}"
                 "（90%区间{mwlo}至{mwhi}），年均IT功率{avg}；IT能耗{it}（区间{itlo}至{ithi}），"
                 "设施能耗{fac}（区间{faclo}至{fachi}），碳排放{co2}（位置法，区间{co2lo}至{co2hi}；市场法{co2m}）。"
                 "IT口径含服务器、存储与网络，设施口径再乘以PUE。",
        "syn": "基于合成出货数据，",
        "intensity": "单位智能算力的设施功率由{y0}年的{a}变为{y1}年的{b}（FP16；年均设施功率除以年末装机算力）。",
        "province": "{y}年设施能耗最多的省份是{p1}（{v1}），碳排放最多的是{c1}（{cv1}）；",
        "province_same": "{y}年{p1}的设施能耗最多（{v1}），碳排放也最多（{cv1}）；",
        "co2_why": "各省碳排放等于设施能耗乘以该省电网平均排放因子，因此同样的能耗在煤电比重高的省份排放更多。",
        "pue": "模型中人工智能服务器{y}年的年均PUE为{pue}（区间{lo}至{hi}），{items}。这些上限约束的是新建项目，"
               "存量平均值高于新建上限并不说明目标落空。",
        "pue_item_below": "低于{name}的目标{t}",
        "pue_item_above": "高于{name}的上限{t}",
        "driver": "设施能耗区间主要来自{p1}（Sobol总效应{s1}）、{p2}（{s2}）与{p3}（{s3}）。",
        "recon": "对账（口径明示，参数不按公开值拟合）：原报告的{idc}（{iy}年）是全球人工智能数据中心IT能耗，"
                 "不是中国；本模型中国值{ce}相当于其{sh}，即它隐含的中国份额。IEA估计的中国数据中心用电约{iea}"
                 "（{ey}年，设施口径，所有负载），模型中人工智能与通用服务器合计{ee}（区间{eelo}至{eehi}），"
                 "其中人工智能服务器占{ai}。",
        "checks": "原报告的能耗说法逐一复算：{items}。",
        "check_item": "“{q}”对应{r}倍（{v}）",
        "strict_item": "，但若严格读作“增长{q}”、即达到原来的{s}倍，则为{v}（{id}）",
        "rate_item": "年复合增长率分别写作{a}与{b}（{v}）",
    },
    "en": {
        "level": "Bottom-up ({syn}installed base × TDP × system factor × load share × PUE), China's AI servers had "
                 "about {mw} of rated IT power in {y} (90% interval {mwlo} to {mwhi}) and drew {avg} on average: "
                 "{it} of IT energy (interval {itlo} to {ithi}), {fac} at the facility (interval {faclo} to "
                 "{fachi}) and {co2} (location-based, interval {co2lo} to {co2hi}; market-based {co2m}). IT covers "
                 "servers, storage and network; facility multiplies IT by PUE.",
        "syn": "built on synthetic shipments; ",
        "intensity": "Facility power per EFLOPS went from {a} in {y0} to {b} in {y1} (FP16; average facility power "
                     "over year-end installed compute).",
        "province": "In {y} the most facility energy is drawn in {p1} ({v1}) and the most CO2 emitted in {c1} "
                    "({cv1}); ",
        "province_same": "In {y} {p1} draws the most facility energy ({v1}) and also emits the most CO2 ({cv1}); ",
        "co2_why": "a province's CO2 is its facility energy times its grid's average emission factor, so the same "
                   "energy emits more where coal weighs more.",
        "pue": "The modelled annual average PUE of AI servers in {y} is {pue} (interval {lo} to {hi}): {items}. The "
               "caps bind new builds: an installed average above them does not mean a target was missed.",
        "pue_item_below": "below the target of {t} for {name}",
        "pue_item_above": "above the cap of {t} for {name}",
        "driver": "The facility-energy interval comes mostly from the {p1} (total Sobol effect {s1}), the {p2} "
                  "({s2}) and the {p3} ({s3}).",
        "recon": "Reconciliation (scopes explicit; no parameter is fitted to a published figure): the original report's {idc} "
                 "({iy}) is global AI data-centre IT energy, not China; the modelled China value {ce} is {sh} of it, "
                 "the China share it implies. IEA's China data-centre electricity of about {iea} ({ey}, facility, "
                 "all workloads) compares with {ee} (interval {eelo} to {eehi}) for modelled AI plus CPU-only "
                 "servers, of which AI servers are {ai}.",
        "checks": "The original report's energy claims, recomputed: {items}.",
        "check_item": "'{q}' ({gloss}) comes out at {r}x ({v})",
        "strict_item": ", but read strictly as grown by {gloss}, so {s}x the start, it gets a {v} ({id})",
        "rate_item": "the CAGR is printed as {a} and as {b} ({v})",
    },
}

#: the words the original report uses for a multiple, with their English gloss for the en report
MULTIPLE_WORDS = {2.0: ("两倍", "twice"), 6.0: ("六倍", "six times")}


def _national(ctx: Context, sec: Section, t: dict[str, str]) -> Finding | None:
    rd, cl = ctx.rd, ctx.cl
    n = rd.df("energy_national").sort_values("year")
    y = int(n["year"].max())
    z = rd.zh_en

    def mw(col: str) -> object:
        return cl.number(f"energy_{col}_{y}", V("energy_national", col, year=y), 0, "MW")

    def twh(col: str) -> object:
        return cl.twh(f"energy_{col}_{y}", V("energy_national", col, year=y))

    def mt(col: str) -> object:
        return cl.number(f"energy_{col}_{y}", V("energy_national", col, year=y), 1, z("百万吨二氧化碳", "Mt CO2"))

    level = sentence(t["level"], syn=t["syn"] if rd.synthetic("energy_national") else "", y=y,
                     mw=mw("rated_it_mw"), mwlo=mw("rated_it_mw_lo"), mwhi=mw("rated_it_mw_hi"), avg=mw("avg_it_mw"),
                     it=twh("it_twh"), itlo=twh("it_twh_lo"), ithi=twh("it_twh_hi"),
                     fac=twh("facility_twh"), faclo=twh("facility_twh_lo"), fachi=twh("facility_twh_hi"),
                     co2=mt("co2_mt"), co2lo=mt("co2_mt_lo"), co2hi=mt("co2_mt_hi"), co2m=mt("co2_market_mt"))
    sec.paragraphs.append(level)
    ctx.key(level, 56)
    finding = ctx.note(Finding("energy_level", ID, level, "growth",
                               {"facility_twh": float(n["facility_twh"].iloc[-1]), "year": y}))
    if "facility_mw_per_eflops" in n and len(n) > 1:
        y0 = int(n["year"].min())

        def inten(yr: int) -> object:
            return cl.number(f"energy_intensity_{yr}", V("energy_national", "facility_mw_per_eflops", year=yr), 2,
                             "MW/EFLOPS")

        sec.paragraphs.append(sentence(t["intensity"], y0=y0, y1=y, a=inten(y0), b=inten(y)))
    return finding


def _provinces(ctx: Context, sec: Section, t: dict[str, str]) -> None:
    rd, cl = ctx.rd, ctx.cl
    p = rd.df("energy_by_province")
    y = int(p["year"].max())
    last = p[p["year"] == y]
    if last.empty:
        return
    f = last.sort_values("facility_twh", ascending=False).iloc[0]
    c = last.sort_values("co2_mt", ascending=False).iloc[0]
    v1 = cl.twh(f"energy_prov_fac_{y}", V("energy_by_province", "facility_twh", year=y, province=f.province), 2)
    cv1 = cl.number(f"energy_prov_co2_{y}", V("energy_by_province", "co2_mt", year=y, province=c.province), 2,
                    rd.zh_en("百万吨二氧化碳", "Mt CO2"))
    # one province leading both is said once ("Beijing draws the most ... and also emits the most")
    key = "province_same" if f.province == c.province else "province"
    sec.paragraphs.append(sentence(t[key] + t["co2_why"], y=y, p1=rd.province(f.province), v1=v1,
                                   c1=rd.province(c.province), cv1=cv1))


def _target_name(zh: str) -> str:
    """'新建大型及以上数据中心 PUE<1.25（2025年）' → '新建大型及以上数据中心' (the value is printed as a claim)."""
    return re.sub(r"\s*PUE\s*[<≤].*$", "", zh).strip()


def _pue(ctx: Context, sec: Section, t: dict[str, str]) -> None:
    rd, cl = ctx.rd, ctx.cl
    n = rd.df("energy_national")
    lad = rd.df("energy_pue_ladder").sort_values("target_pue", ascending=False)
    if lad.empty:
        return
    y = int(lad["compared_year"].iloc[0])
    if y not in set(n["year"]):
        return

    def pue(col: str) -> object:
        return cl.number(f"energy_{col}_{y}", V("energy_national", col, year=y), 2)

    central = float(n.loc[n["year"] == y, "pue"].iloc[0])
    items = []
    for r in lad.itertuples():
        tv = cl.number(f"energy_pue_target_{r.Index}", V("energy_pue_ladder", "target_pue", target=r.target), 2)
        name = _target_name(r.target_zh) if rd.lang == "zh" else r.target_scope
        items.append(sentence(t["pue_item_below" if central < r.target_pue else "pue_item_above"], name=name, t=tv))
    sep = "；" if rd.lang == "zh" else "; "
    joined = sentence("{a}", a=items[0])
    for it in items[1:]:
        joined = sentence("{a}{s}{b}", a=joined, s=sep, b=it)
    sec.paragraphs.append(sentence(t["pue"], y=y, pue=pue("pue"), lo=pue("pue_lo"), hi=pue("pue_hi"), items=joined))


def _drivers(ctx: Context, sec: Section, t: dict[str, str]) -> None:
    rd, cl = ctx.rd, ctx.cl
    s = rd.df("energy_sobol")
    s = s[s["output"] == "facility_twh"].sort_values("ST", ascending=False).head(3)
    if len(s) < 3:
        return
    parts: dict[str, object] = {}
    for i, r in enumerate(s.itertuples(), 1):
        parts[f"p{i}"] = _label(rd, r.parameter)
        parts[f"s{i}"] = cl.pct(f"energy_sobol_{r.parameter}", V("energy_sobol", "ST", year=int(r.year),
                                                                  output="facility_twh", parameter=r.parameter), 0)
    sec.paragraphs.append(sentence(t["driver"], **parts))


def _reconciliation(ctx: Context, sec: Section, t: dict[str, str]) -> None:
    rd, cl = ctx.rd, ctx.cl
    z = rd.zh_en
    rc = rd.df("energy_reconciliation")
    idx = rc.set_index("comparison")
    need = {"idc_global_ai_it_2024", "iea_china_dc_2024", "iea_china_dc_2024_ai_share"}
    if need <= set(idx.index) and all(idx.loc[k, "estimate_twh"] == idx.loc[k, "estimate_twh"] for k in need):

        def r(comp: str, col: str) -> dict:
            return V("energy_reconciliation", col, comparison=comp)

        a, b = "idc_global_ai_it_2024", "iea_china_dc_2024"
        sec.paragraphs.append(sentence(
            t["recon"], idc=cl.twh("energy_rc_idc", r(a, "published_twh")), iy=int(idx.loc[a, "published_year"]),
            ce=cl.twh("energy_rc_idc_est", r(a, "estimate_twh")), sh=cl.pct("energy_rc_idc_share", r(a, "implied_value"), 0),
            iea=cl.twh("energy_rc_iea", r(b, "published_twh"), 0), ey=int(idx.loc[b, "published_year"]),
            ee=cl.twh("energy_rc_iea_est", r(b, "estimate_twh")), eelo=cl.twh("energy_rc_iea_lo", r(b, "estimate_lo")),
            eehi=cl.twh("energy_rc_iea_hi", r(b, "estimate_hi")),
            ai=cl.pct("energy_rc_ai_share", r("iea_china_dc_2024_ai_share", "implied_value"), 0)))
    cols = [z("比较", "Comparison"), z("年份", "Year"), z("公布值（TWh）", "Published (TWh)"),
            z("模型值（TWh，90%区间）", "Estimate (TWh, 90% interval)"), z("口径", "Scope"),
            z("隐含参数", "Implied parameter"), z("读法", "Reading")]
    rows = []
    for x in rc.itertuples():
        est = "—" if x.estimate_twh != x.estimate_twh else f"{x.estimate_twh:,.1f} ({x.estimate_lo:,.1f}–{x.estimate_hi:,.1f})"
        imp = ("—" if x.implied_value != x.implied_value
               else f"{rd.said(x, 'implied_parameter')}: {x.implied_value:.3g} ({x.implied_lo:.3g}–{x.implied_hi:.3g})")
        rows.append([rd.said(x, "published_label"), int(x.published_year), f"{x.published_twh:g}", est, rd.said(x, "scope"), imp,
                     rd.said(x, "reading")])
    sec.tables.append(Table(z("能耗对账：模型值与公开总量（口径逐项说明，不拟合）",
                              "Energy reconciliation: the estimate beside published totals (each scope stated, nothing fitted)"),
                            cols, rows, rd.source("energy_reconciliation"), rd.synthetic("energy_reconciliation"),
                            [False, True, True, True, False, False, False]))


def _checks(ctx: Context, sec: Section, t: dict[str, str]) -> None:
    rd, cl = ctx.rd, ctx.cl
    ch = rd.df("energy_claim_checks")
    items = []
    for r in ch[ch["rule"] == "verbal_multiple"].itertuples():
        words = MULTIPLE_WORDS.get(float(r.stated))
        if words is None:
            continue
        rv = cl.number(f"energy_check_{r.check_id}", V("energy_claim_checks", "recomputed", check_id=r.check_id), 2)
        item = sentence(t["check_item"], q=words[0], gloss=words[1], r=rv, v=verdict_name(r.verdict, rd.lang))
        # the same words read strictly are another check (VA01 warns where VM02 is approximately consistent):
        # said here too, or the text and the checks table seem to disagree
        for a in ch[(ch["rule"] == "verbal_multiple_alt_reading") & ch["title"].astype(str).str.startswith(str(r.title))
                    ].itertuples():
            s = cl.number(f"energy_check_{a.check_id}_strict", V("energy_claim_checks", "stated", check_id=a.check_id), 0)
            item = sentence("{a}{b}", a=item, b=sentence(t["strict_item"], s=s, v=verdict_name(a.verdict, rd.lang),
                                                       id=a.check_id, q=words[0], gloss=words[1]))
        items.append(item)
    for r in ch[ch["rule"] == "restated_rate"].itertuples():
        a = cl.number(f"energy_check_{r.check_id}_a", V("energy_claim_checks", "stated", check_id=r.check_id), 1, "%")
        b = cl.number(f"energy_check_{r.check_id}_b", V("energy_claim_checks", "recomputed", check_id=r.check_id), 1, "%")
        items.append(sentence(t["rate_item"], a=a, b=b, v=verdict_name(r.verdict, rd.lang)))
    if items:
        sep = "；" if rd.lang == "zh" else "; "
        joined = items[0]
        for it in items[1:]:
            joined = sentence("{a}{s}{b}", a=joined, s=sep, b=it)
        sec.paragraphs.append(sentence(t["checks"], items=joined))
    rows = [[r.check_id, notes_zh.check_text(r, "title", rd.lang), verdict_name(r.verdict, rd.lang), "" if r.stated != r.stated else f"{r.stated:.4g}",
             "" if r.recomputed != r.recomputed else f"{r.recomputed:.4g}", notes_zh.check_text(r, "detail", rd.lang)]
            for r in ch.itertuples()]
    z = rd.zh_en
    sec.tables.append(Table(z("原报告能耗数字的核查", "The original report's energy figures checked"),
                            ["id", z("核查", "Check"), z("结论", "Verdict"), z("报告值", "Stated"),
                             z("复算值", "Recomputed"), z("说明", "Detail")], rows,
                            rd.source("energy_claim_checks"), rd.synthetic("energy_claim_checks"),
                            [False, False, False, True, True, False]))


def write(ctx: Context, sec: Section) -> None:
    rd = ctx.rd
    if not rd.has("energy_national"):
        return
    t = TEXT[rd.lang]
    _national(ctx, sec, t)
    if rd.has("energy_by_province"):
        _provinces(ctx, sec, t)
    if rd.has("energy_pue_ladder"):
        _pue(ctx, sec, t)
    if rd.has("energy_sobol"):
        _drivers(ctx, sec, t)
    if rd.has("energy_reconciliation"):
        _reconciliation(ctx, sec, t)
    if rd.has("energy_claim_checks"):
        _checks(ctx, sec, t)
