"""Chapter 1.1: how sure the capacity figures are and what they are checked against.

Four parts, each drawn from the capacity stage's tables:

* the national series with its Monte Carlo 90% intervals (``capacity_national`` ``*_lo``/``*_hi``:
  lifetimes, shipments and specs varied);
* the scenario forecasts to 2030 through the vintage model, against IDC's published forecast
  (2,781.9 EFLOPS in 2028) (``capacity_scenarios``);
* real public anchors: the announced intelligent-computing centres beside the synthetic province
  distribution, and the provinces where the synthetic stock is below announced real capacity
  (``capacity_province_check``, ``capacity_centres``);
* the definitions bridge: what IDC, MIIT and CAICT count, and why MIIT's 788 EFLOPS (mid-2025)
  and IDC's 1,037.3 (end of 2025) differ (``capacity_definitions``, ``capacity_definitions_bridge``).
"""

from __future__ import annotations

import math

import pandas as pd
from markupsafe import Markup

from ...capacity.anchors import centre_text
from ...notes_zh import one_language
from .. import fmt
from ..claims import COUNT, V, sentence
from ..content import Table
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from . import Context, Finding

ID = "anchors"
NUMBER = "1.1"
TITLE = ("算力估计的区间、情景、真实锚点与口径", "Capacity intervals, scenarios, real anchors and definitions")
FIGURES = Figures(ID)

#: the bridge steps the prose cites (rows of ``capacity_definitions_bridge``, matched by prefix)
STEP_MID = "IDC interpolated to end of June 2025"
STEP_MIIT = "MIIT/CAICT intelligent compute in use"
STEP_TIME = "time-point gap"
STEP_SCOPE = "scope gap"
STEP_SHARE = "MIIT as a share of IDC"


def _level(nat: pd.DataFrame) -> float:
    return float(nat["interval_level"].iloc[0]) if "interval_level" in nat and len(nat) else 0.9


def _has_intervals(rd: ReportData) -> bool:
    return rd.has("capacity_national") and "intelligent_eflops_lo" in rd.df("capacity_national").columns


def _interval_fig(rd: ReportData, col: str, fid: str, zh: str, en: str) -> FigureSpec:
    nat = rd.df("capacity_national").sort_values("year")
    z = rd.zh_en
    lvl = _level(nat)
    d = pd.DataFrame({"x": nat["year"].astype(int), "series": z(f"{zh}（中值线为模型值，阴影为{lvl:.0%}区间）",
                                                              f"{en} (line: model value; band: {lvl:.0%} interval)"),
                      "value": nat[col].astype(float), "lo": nat[col + "_lo"].astype(float),
                      "hi": nat[col + "_hi"].astype(float), "value_class": rd.value_classes("capacity_national")[-1]
                      if rd.value_classes("capacity_national") else "modelled"})
    return FigureSpec(fid, ID, "line", z(f"中国{zh}及其{lvl:.0%}区间", f"China {en.lower()} with its {lvl:.0%} interval"),
                      d, rd.source("capacity_national"), ["capacity_national"], rd.synthetic("capacity_national"),
                      y_label="EFLOPS", note=z("区间来自蒙特卡洛模拟：设备寿命（Weibull）、出货量误差和规格不确定性。",
                                               "Monte Carlo over lifetimes (Weibull), shipment error and spec "
                                               "uncertainty."), lang=rd.lang)


@FIGURES("capacity_national")
def fig_intervals(rd: ReportData) -> list[FigureSpec]:
    if not _has_intervals(rd):
        return []
    return [_interval_fig(rd, "intelligent_eflops", "capacity_interval_intelligent", "智能算力", "Intelligent compute"),
            _interval_fig(rd, "general_eflops", "capacity_interval_general", "通用算力", "General compute")]


def _scenario_fig(rd: ReportData, metric: str, fid: str, zh: str, en: str) -> list[FigureSpec]:
    s = rd.df("capacity_scenarios")
    s = s[s["metric"] == metric].sort_values(["scenario", "year"])
    if s.empty:
        return []
    z = rd.zh_en
    rows = []
    order = list(dict.fromkeys(s["scenario"]))
    for k, name in enumerate(order):
        sub = s[s["scenario"] == name]
        label = one_language(sub["label"].iloc[0], rd.lang)
        for r in sub.itertuples():
            # the first (baseline) scenario carries its band; the others are lines, or the chart is unreadable
            rows.append({"x": int(r.year), "series": label, "value": float(r.value),
                         "lo": float(r.lo) if k == 0 else math.nan, "hi": float(r.hi) if k == 0 else math.nan,
                         "value_class": str(r.value_class)})
    pub = s.dropna(subset=["published"]).drop_duplicates("year")
    idc = z("IDC 公布值及预测", "IDC published and forecast")
    pts = {int(r.year): float(r.published) for r in pub.itertuples()}
    if rd.has("capacity_vs_published"):
        v = rd.df("capacity_vs_published")
        v = v[v["metric"] == metric]
        pts.update({int(r.year): float(r.published) for r in v.itertuples()})
    for y in sorted(pts):
        rows.append({"x": y, "series": idc, "value": pts[y], "lo": math.nan, "hi": math.nan, "value_class": "stated"})
    d = pd.DataFrame(rows)
    last_obs = int(s.loc[~s["forecast"].astype(bool), "year"].max())
    y1 = int(s["year"].max())
    return [FigureSpec(fid, ID, "line", z(f"{zh}情景预测至{y1}年（与 IDC 预测对照）",
                                          f"{en}: scenarios to {y1} against IDC's forecast"),
                       d, rd.source("capacity_scenarios"), ["capacity_scenarios"], rd.synthetic("capacity_scenarios"),
                       y_label="EFLOPS", forecast_from=last_obs + 1, height=460, lang=rd.lang)]


@FIGURES("capacity_scenarios")
def fig_scenarios(rd: ReportData) -> list[FigureSpec]:
    return (_scenario_fig(rd, "intelligent_eflops", "capacity_scenarios_intelligent", "智能算力", "Intelligent compute")
            + _scenario_fig(rd, "general_eflops", "capacity_scenarios_general", "通用算力", "General compute"))


@FIGURES("capacity_province_check")
def fig_province_check(rd: ReportData) -> list[FigureSpec]:
    c = rd.df("capacity_province_check")
    has_stat = "province_intelligent_pflops" in c
    real = c["announced_all_pflops"].fillna(0) > 0
    if has_stat:
        real |= c["province_intelligent_pflops"].notna()
    c = c[real].copy()
    if c.empty:
        return []
    z = rd.zh_en
    c["_max"] = c[["synthetic_intelligent_pflops", "announced_all_pflops"]
                  + (["province_intelligent_pflops"] if has_stat else [])].max(axis=1)
    c = c.sort_values("_max", ascending=False)
    cls = str(c["value_class"].iloc[0])
    rows = []
    for r in c.itertuples():
        name = rd.province(str(r.province))
        if bool(r.below_operating) or bool(getattr(r, "below_province_stat", False)):
            name += " ⚠"
        rows.append((name, z("合成存量（模型）", "Synthetic stock (model)"), float(r.synthetic_intelligent_pflops), cls))
        rows.append((name, z("已宣布在运营智算中心", "Announced centres in operation"),
                     float(r.announced_operating_pflops), "stated"))
        rows.append((name, z("已宣布全部智算中心（含在建、规划）", "All announced centres (incl. planned)"),
                     float(r.announced_all_pflops), "stated"))
        if has_stat and not math.isnan(float(r.province_intelligent_pflops)):
            rows.append((name, z("省级公布智能算力", "Province statistic"), float(r.province_intelligent_pflops),
                         "stated"))
    d = pd.DataFrame(rows, columns=["y", "series", "value", "value_class"])
    y = int(c["year"].iloc[0])
    return [FigureSpec("capacity_province_check", ID, "hbar",
                       z(f"各省合成智能算力存量与已宣布真实智算能力对照（{y}年，PFLOPS；⚠ 表示合成存量低于真实值）",
                         f"Synthetic intelligent stock by province against announced real capacity ({y}, PFLOPS; "
                         "⚠ = synthetic stock below the real figure)"),
                       d, rd.source("capacity_province_check", "capacity_centres", "capacity_province_stats"),
                       ["capacity_province_check", "capacity_centres"], rd.synthetic("capacity_province_check"),
                       x_label="PFLOPS", height=max(420, 26 * len(c) + 120), opts={"decimals": 0}, lang=rd.lang)]


TX = {
    "interval": ("在寿命、出货量和规格不确定性下，{y}年智能算力为{v}（{lvl}区间：{lo}至{hi}），通用算力为{g}"
                 "（{glo}至{ghi}）。模型值是本版本的存续假设下的结果，区间来自蒙特卡洛模拟，模型值不一定是中位数。",
                 "Under uncertain lifetimes, shipments and specs, intelligent compute in {y} is {v} ({lvl} interval: "
                 "{lo} to {hi}) and general compute {g} ({glo} to {ghi}). The model value follows the edition's "
                 "survival assumptions; the interval comes from Monte Carlo draws, so the model value need not be the median."),
    "scenario": ("按基准情景，{y}年智能算力为{v}（{lo}至{hi}），IDC 预测为{idc}；各情景中最低的“{lname}”为{low}，"
                 "最高的“{hname}”为{high}。",
                 "In the baseline scenario intelligent compute reaches {v} in {y} ({lo} to {hi}) against IDC's "
                 "forecast of {idc}; the lowest scenario, '{lname}', gives {low} and the highest, '{hname}', "
                 "{high}."),
    "idc_inside": ("IDC 的预测落在基准情景区间之内。", "IDC's forecast lies inside the baseline interval."),
    "idc_outside": ("IDC 的预测落在基准情景区间之外。", "IDC's forecast lies outside the baseline interval."),
    "centres": ("本版数据收录了{n}个已宣布的公共智算中心（其中{nf}个公布了算力规模）；"
                "另有东数西算的国家枢纽节点与数据中心集群。已宣布的数字大多未写明精度，中心与所在集群的数字可能重叠，"
                "因此下面的对照只作提示。",
                "This edition's data list {n} announced public intelligent-computing centres ({nf} with a published "
                "capacity), plus the national hub nodes and data-centre clusters of the East Data, West Computing "
                "programme (东数西算). Announced figures rarely state their precision and a centre's figure "
                "may overlap its cluster's, so the comparison below is indicative."),
    "flagged": ("在{nflag}个省份，合成的省级存量低于已宣布的真实能力：{provs}。合成数据的省级权重低估了西部枢纽，"
                "使用省级结果时应以真实锚点为下限。",
                "In {nflag} provinces the synthetic province stock is below announced real capacity: {provs}. The "
                "synthetic province weights under-represent the western hubs; province results should be read with "
                "the real anchors as a floor."),
    "noflag": ("没有省份的合成存量低于已宣布的在运营智算能力。",
               "No province has a synthetic stock below the capacity announced as in operation."),
    "bridge_key": ("工信部/中国信通院公布的{d}智能算力{miit}与 IDC 的{y}年末{idc}口径不同：时间点解释了{tgap}，"
                   "其余{sgap}来自统计范围（在用算力中心与全部装机之别）。",
                   "MIIT/CAICT's {miit} of intelligent compute for {d} and IDC's {idc} for the end of {y} measure "
                   "different things: the time point explains {tgap}, the remaining {sgap} is scope (computing "
                   "centres in use against everything installed)."),
    "bridge": ("工信部/中国信通院公布的{d}智能算力为{miit}，IDC 公布的{y}年末为{idc}。两者都是 FP16，无需精度换算；"
               "把 IDC 的{y0}年末与{y}年末按几何插值到{d}得到{mid}，时间点解释了{tgap}的差距；剩余的{sgap}"
               "（同一时间点工信部的数字为 IDC 的{share}）来自口径：工信部统计在用算力中心里的设备，IDC 统计出货并仍在用的全部加速服务器"
               "（含企业自建与边缘）。这一部分没有公开的换算系数，因此不再细分。",
               "MIIT/CAICT published {miit} of intelligent compute for {d}; IDC published {idc} for the end of {y}. Both "
               "are FP16, so no precision conversion applies. Interpolating IDC's end-{y0} and end-{y} figures "
               "geometrically to {d} gives {mid}: the time point explains {tgap} of the gap. The remaining {sgap} "
               "(MIIT is {share} of IDC at the same time point) is scope: MIIT counts devices in computing centres in "
               "use, IDC all accelerated servers shipped and still installed (enterprise and edge included). No "
               "published factor splits that remainder, so it is not split further."),
}


def _step(bridge: pd.DataFrame, prefix: str) -> str:
    m = bridge["step"].astype(str).str.startswith(prefix)
    return str(bridge.loc[m, "step"].iloc[0]) if m.any() else ""


def write(ctx: Context, sec) -> None:
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    if not (rd.has("capacity_national") or rd.has("capacity_definitions")):
        return
    if _has_intervals(rd):
        nat = rd.df("capacity_national")
        y = int(nat["year"].max())
        p = sentence(t["interval"], y=y, lvl=f"{_level(nat):.0%}",
                     v=cl.eflops("cap_i_last", V("capacity_national", "intelligent_eflops", year=y)),
                     lo=cl.eflops("cap_i_lo", V("capacity_national", "intelligent_eflops_lo", year=y), 0),
                     hi=cl.eflops("cap_i_hi", V("capacity_national", "intelligent_eflops_hi", year=y), 0),
                     g=cl.eflops("cap_g_last", V("capacity_national", "general_eflops", year=y)),
                     glo=cl.eflops("cap_g_lo", V("capacity_national", "general_eflops_lo", year=y), 0),
                     ghi=cl.eflops("cap_g_hi", V("capacity_national", "general_eflops_hi", year=y), 0),
                     )
        sec.paragraphs.append(p)
        ctx.key(p, 22)
    if rd.has("capacity_scenarios"):
        _scenarios(ctx, sec, t)
    if rd.has("capacity_centres"):
        _anchors(ctx, sec, t)
    if rd.has("capacity_definitions_bridge", "capacity_definitions"):
        _bridge(ctx, sec, t)
    if rd.synthetic("capacity_national"):
        sec.paragraphs.append(sentence(z(
            "本章的区间、情景和省级对照都建立在合成出货数据之上（图中标为合成数据），真实锚点与口径表是有来源的公布值。",
            "The intervals, scenarios and province comparison of this chapter are built on synthetic shipments "
            "(marked synthetic in the figures); the anchors and definitions are sourced published figures.")))


def _scenarios(ctx: Context, sec, t: dict[str, str]) -> None:
    rd, cl = ctx.rd, ctx.cl
    s = rd.df("capacity_scenarios")
    si = s[s["metric"] == "intelligent_eflops"]
    pub = si.dropna(subset=["published"])
    if si.empty or pub.empty:
        return
    y = int(pub["year"].iloc[0])
    at = si[si["year"] == y]
    base = str(at["scenario"].iloc[0])
    lo_r = at.loc[at["value"].idxmin()]
    hi_r = at.loc[at["value"].idxmax()]

    def ref(name: str, col: str) -> dict:
        return V("capacity_scenarios", col, scenario=name, year=y, metric="intelligent_eflops")

    b = at[at["scenario"] == base].iloc[0]
    p = sentence(t["scenario"], y=y, v=cl.eflops("sc_base", ref(base, "value"), 0),
                 lo=cl.eflops("sc_base_lo", ref(base, "lo"), 0), hi=cl.eflops("sc_base_hi", ref(base, "hi"), 0),
                 idc=cl.eflops("sc_idc", ref(base, "published")),
                 lname=one_language(lo_r["label"], rd.lang), low=cl.eflops("sc_low", ref(str(lo_r["scenario"]), "value"), 0),
                 hname=one_language(hi_r["label"], rd.lang), high=cl.eflops("sc_high", ref(str(hi_r["scenario"]), "value"), 0))
    inside = float(b["lo"]) <= float(b["published"]) <= float(b["hi"])
    # two sentences: a space between them in English (Chinese runs on after its full stop)
    p = p + Markup("" if rd.lang == "zh" else " ") + sentence(t["idc_inside" if inside else "idc_outside"])
    sec.paragraphs.append(p)
    ctx.key(p, 23)
    ctx.note(Finding("capacity_scenarios", ID, p, "forecast", {"idc_inside": inside}))


def place(rd: ReportData, province: str, city: str) -> str:
    """A centre's place in one cell: 河北廊坊 / "Langfang, Hebei" (one column less than province and
    city apart, which the English table of ten columns could not spare); the province alone where the
    city is missing or is the province (a municipality: 北京)."""
    prov = rd.province(province)
    if not city or city.lower() in ("nan", "none") or city == province:
        return prov
    town = rd.city(city)
    if town == prov:
        return prov
    return f"{prov}{town}" if rd.lang == "zh" else f"{town}, {prov}"


def _anchors(ctx: Context, sec, t: dict[str, str]) -> None:
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    cen = rd.df("capacity_centres")
    n = cl.number("cen_n", COUNT("capacity_centres", "name == name"), 0)
    nf = cl.number("cen_nf", COUNT("capacity_centres", "announced_pflops == announced_pflops"), 0)
    sec.paragraphs.append(sentence(t["centres"], n=n, nf=nf))
    if rd.has("capacity_province_check"):
        chk = rd.df("capacity_province_check")
        flag = chk["below_operating"].astype(bool)
        if "below_province_stat" in chk:
            flag |= chk["below_province_stat"].astype(bool)
        if flag.any():
            q = "below_operating or below_province_stat" if "below_province_stat" in chk else "below_operating"
            provs = ("、" if rd.lang == "zh" else ", ").join(rd.province(str(p)) for p in chk.loc[flag, "province"])
            p = sentence(t["flagged"], nflag=cl.number("cen_flag", COUNT("capacity_province_check", q), 0),
                         provs=provs)
            ctx.note(Finding("capacity_province_below_real", ID, p, "gap",
                             {"provinces": [str(x) for x in chk.loc[flag, "province"]]}))
        else:
            p = sentence(t["noflag"])
        sec.paragraphs.append(p)
    # the centres with a figure, largest first (the full list is in the workbook and the store)
    f = cen.dropna(subset=["announced_pflops"]).sort_values("announced_pflops", ascending=False)
    status = {"operating": z("运营", "operating"), "under_construction": z("在建", "under construction"),
              "planned": z("规划", "planned")}
    # an unstated precision is a dash (the caption says so): most sources state none, and the word
    # in every row took a column the names beside it needed
    precision = {"unspecified": "—"}
    # what the announced figure covers: an operating centre's figure may be its planned total, for a later year
    covers = {"in operation": z("在用", "in operation"), "planned total": z("规划总量", "planned total"),
              "planned first phase": z("一期规划", "planned first phase"), "planned part": z("部分规划", "planned part"),
              "not stated": z("未说明", "not stated")}
    kind = {"press": z("新闻报道", "press"), "aggregator": z("行业汇总网站", "aggregator"),
            "company": z("企业", "company"), "government": z("政府", "government")}
    # names and operators in English on the English page (the maintainers' renderings; Chinese where none)
    rows = [[centre_text(r, "name", rd.lang), place(rd, str(r.province), str(r.city)),
             centre_text(r, "operator", rd.lang),
             fmt.number(float(r.announced_pflops), 0 if float(r.announced_pflops).is_integer() else 1),
             covers.get(str(r.capacity_kind), str(r.capacity_kind)),
             precision.get(str(r.precision), str(r.precision) or "—"), status.get(str(r.status), str(r.status)),
             "" if pd.isna(r.year) else int(r.year), kind.get(str(r.source_kind), str(r.source_kind))]
            for r in f.head(30).itertuples()]
    if rows:
        cols = [z("智算中心", "Centre"), z("地点", "Place"), z("运营方", "Operator"),
                z("宣布算力（PFLOPS）", "Announced (PFLOPS)"), z("数字口径", "Figure covers"), z("精度", "Precision"),
                z("状态", "Status"), z("数字所指年份", "Year of figure"), z("来源类型", "Source kind")]
        dash = z("；精度“—”为来源未说明", "; precision — = not stated")
        if len(rows) < len(f):
            cap = z(f"已宣布算力规模的智算中心（前{len(rows)}个，共{len(f)}个有数字；按宣布值排序{dash}）",
                    f"Intelligent-computing centres with an announced capacity (top {len(rows)} of {len(f)}, "
                    f"largest first{dash})")
        else:
            cap = z(f"已宣布算力规模的智算中心（全部{len(f)}个，按宣布值排序{dash}）",
                    f"Intelligent-computing centres with an announced capacity (all {len(f)}, largest first{dash})")
        sec.tables.append(Table(cap, cols, rows, rd.source("capacity_centres"), False,
                                [False, False, False, True, False, False, False, True, False]))


def _bridge(ctx: Context, sec, t: dict[str, str]) -> None:
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    br = rd.df("capacity_definitions_bridge")
    defs = rd.df("capacity_definitions")
    mid, miit, tgap, scope, share = (_step(br, k) for k in (STEP_MID, STEP_MIIT, STEP_TIME, STEP_SCOPE, STEP_SHARE))
    if not all((mid, miit, tgap, scope, share)):
        return
    idc = defs[defs["publisher"].astype(str).str.startswith("IDC") & defs["series"].astype(str).str.contains(
        "intelligent")]
    idc_y = int(pd.to_numeric(idc["year"]).loc[lambda s: s <= 2025].max())
    idc_row = idc[pd.to_numeric(idc["year"]) == idc_y].iloc[0]
    p = sentence(t["bridge"], d=z(f"{idc_y}年上半年末", f"the end of June {idc_y}"), y=idc_y, y0=idc_y - 1,
                 miit=cl.eflops("br_miit", V("capacity_definitions_bridge", "value", step=miit)),
                 idc=cl.eflops("br_idc", V("capacity_definitions", "value", publisher=str(idc_row["publisher"]),
                                           series=str(idc_row["series"]), year=idc_row["year"])),
                 mid=cl.eflops("br_mid", V("capacity_definitions_bridge", "value", step=mid)),
                 tgap=cl.eflops("br_time", V("capacity_definitions_bridge", "value", step=tgap)),
                 sgap=cl.eflops("br_scope", V("capacity_definitions_bridge", "value", step=scope)),
                 share=cl.pct("br_share", V("capacity_definitions_bridge", "value", step=share), 0))
    sec.paragraphs.append(p)
    # the key finding in short (the chapter has the full bridge)
    ctx.key(sentence(t["bridge_key"], d=z(f"{idc_y}年上半年末", f"the end of June {idc_y}"), y=idc_y,
                     miit=cl.eflops("br_miit", V("capacity_definitions_bridge", "value", step=miit)),
                     idc=cl.eflops("br_idc", V("capacity_definitions", "value", publisher=str(idc_row["publisher"]),
                                               series=str(idc_row["series"]), year=idc_row["year"])),
                     tgap=cl.eflops("br_time", V("capacity_definitions_bridge", "value", step=tgap)),
                     sgap=cl.eflops("br_scope", V("capacity_definitions_bridge", "value", step=scope))), 24)
    ctx.note(Finding("capacity_definitions_bridge", ID, p, "definition"))
    # definitions side by side
    cols = [z("发布方", "Publisher"), z("指标", "Series"), z("精度口径", "Precision basis"),
            z("统计对象", "What is counted"), z("在用/出货", "In use or shipped"), z("时间点", "Time point"),
            z("年份", "Year"), z("公布值", "Published"), z("单位", "Unit")]
    rows = [[rd.said(r, "publisher"), rd.said(r, "series"), rd.said(r, "precision_basis"), rd.said(r, "what_is_counted"),
             rd.said(r, "in_use_or_shipped"), rd.said(r, "time_point"), str(r.year), fmt.number(float(r.value), 1),
             str(r.unit)]
            for r in defs.itertuples()]
    sec.tables.append(Table(z("IDC、工信部与中国信通院的算力口径与公布值", "How IDC, MIIT and CAICT define compute, "
                                                               "with their published figures"),
                            cols, rows, rd.source("capacity_definitions"), False,
                            [False] * 7 + [True, False]))
    cls = {"stated": z("公布值", "stated"), "derived": z("推算", "derived")}
    # a ratio to three decimals (0.908), compute to one (867.4 EFLOPS), as the text prints them
    brows = [[rd.said(r, "step"), fmt.number(float(r.value), 3 if str(r.unit) == "ratio" else 1),
              z("比值", "ratio") if str(r.unit) == "ratio" else str(r.unit),
              cls.get(str(r.value_class), str(r.value_class)), rd.said(r, "note")] for r in br.itertuples()]
    v_miit = float(br.loc[br["step"] == miit, "value"].iloc[0])
    v_idc = fmt.number(float(idc_row["value"]), 1)
    sec.tables.append(Table(z(f"从工信部的{fmt.number(v_miit, 0 if v_miit.is_integer() else 1)} EFLOPS到 IDC 的{v_idc} "
                              "EFLOPS：逐步对照",
                              f"From MIIT's {fmt.number(v_miit, 0 if v_miit.is_integer() else 1)} EFLOPS to IDC's "
                              f"{v_idc} EFLOPS, step by step"),
                            [z("步骤", "Step"), z("数值", "Value"), z("单位", "Unit"), z("类别", "Class"),
                             z("说明", "Note")], brows, rd.source("capacity_definitions_bridge"), False,
                            [False, True, False, False, False]))
