"""Chapter 1: global and China AI compute (capacity stage, market compute forecasts)."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup, escape

from ... import notes_zh
from ..claims import COUNT, DIFF, RATIO, V, sentence
from ..classes import frame, point_rows
from ..data import ReportData
from ..figures import Figures, growth, years
from ..findings import capacity_findings, headline_growth
from ..spec import FigureSpec, series_rows
from . import Context, Finding
from ._markets import (
    FORECAST_FROM,
    MS,
    UNALLOCATED,
    has_series,
    level_growth_fig,
    money_unit,
    ms,
    series,
    to_money,
)

ID = "compute"
NUMBER = "1"
TITLE = ("全球及中国人工智能算力", "Global and China AI compute")
FIGURES = Figures(ID)


@FIGURES("capacity_national")
def fig_national(rd: ReportData) -> list[FigureSpec]:
    nat = rd.df("capacity_national").sort_values("year")
    z = rd.zh_en
    i_name = z("智能算力（FP16，EFLOPS）", "Intelligent compute (FP16, EFLOPS)")
    g_name = z("通用算力（FP64，EFLOPS）", "General compute (FP64, EFLOPS)")
    gi = z("智能算力同比增速", "Intelligent YoY growth")
    gg = z("通用算力同比增速", "General YoY growth")
    rows = []
    for c, name, _g in (("intelligent_eflops", i_name, gi), ("general_eflops", g_name, gg)):
        for y, v in zip(nat["year"], nat[c], strict=False):
            rows.append((int(y), name, float(v)))
    for c, gname in (("intelligent_eflops", gi), ("general_eflops", gg)):
        g = growth(nat[c])
        for y, v in zip(nat["year"].iloc[1:], g.iloc[1:], strict=False):
            rows.append((int(y), gname, float(v)))
    d = pd.DataFrame(rows, columns=["x", "series", "value"])
    y0, y1 = years(nat)[0], years(nat)[-1]
    return [FigureSpec(
        "capacity_national", "compute", "bar",
        z(f"中国智能算力和通用算力规模，{y0}-{y1}", f"China intelligent and general-purpose compute, {y0}-{y1}"),
        d, rd.source("capacity_national"), ["capacity_national"], rd.synthetic("capacity_national"),
        y_label="EFLOPS", y2_label=z("同比增速", "YoY growth"),
        opts={"line_series": [gi, gg]}, lang=rd.lang)]


@FIGURES("capacity_effective")
def fig_effective(rd: ReportData) -> list[FigureSpec]:
    e = rd.df("capacity_effective").sort_values("year")
    z = rd.zh_en
    rows = series_rows(z("峰值智能算力", "Peak intelligent compute"), e["year"], e["intelligent_peak_eflops"])
    rows += series_rows(z("有效智能算力（峰值×可用率×利用率）", "Effective (peak × availability × utilisation)"), e["year"], e["intelligent_effective_eflops"])
    return [FigureSpec("capacity_effective", "compute", "line",
                       z("峰值与有效智能算力", "Peak and effective intelligent compute"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("capacity_effective"),
                       ["capacity_effective"], rd.synthetic("capacity_effective"), y_label="EFLOPS", lang=rd.lang)]


@FIGURES("capacity_flow_national")
def fig_flow(rd: ReportData) -> list[FigureSpec]:
    f = rd.df("capacity_flow_national").sort_values("year")
    z = rd.zh_en
    rows = series_rows(z("新增智能算力", "Intelligent compute added"), f["year"], f["intelligent_added_eflops"])
    rows += series_rows(z("新增通用算力", "General compute added"), f["year"], f["general_added_eflops"])
    return [FigureSpec("capacity_flow", "compute", "bar",
                       z("每年新增算力（出货口径）", "Compute added per year (shipments)"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("capacity_flow_national"),
                       ["capacity_flow_national"], rd.synthetic("capacity_flow_national"), y_label="EFLOPS",
                       lang=rd.lang)]


@FIGURES("capacity_vs_published")
def fig_vs_published(rd: ReportData) -> list[FigureSpec]:
    v = rd.df("capacity_vs_published").sort_values(["metric", "year"])
    z = rd.zh_en
    mname = {"intelligent_eflops": z("智能算力", "Intelligent"), "general_eflops": z("通用算力", "General")}
    rows = []
    for r in v.itertuples():
        x = f"{mname.get(r.metric, r.metric)} {int(r.year)}"
        rows.append((x, z("suanli 计算值", "suanli computed"), float(r.computed)))
        rows.append((x, z("报告公布值", "Published"), float(r.published)))
    return [FigureSpec("capacity_vs_published", "compute", "bar",
                       z("计算值与公布值对照", "Computed vs published compute"),
                       pd.DataFrame(rows, columns=["x", "series", "value"]), rd.source("capacity_vs_published"),
                       ["capacity_vs_published"], rd.synthetic("capacity_vs_published"), y_label="EFLOPS",
                       lang=rd.lang)]


@FIGURES(MS)
def fig_global_ai_servers(rd: ReportData) -> list[FigureSpec]:
    if not has_series(rd, "ai_server_market:global:genai", "ai_server_market:global:non_genai"):
        return []
    z = rd.zh_en
    rows = []
    g = series(rd, "ai_server_market:global:genai", 2023)
    n = series(rd, "ai_server_market:global:non_genai", 2023)
    segs = [(g, z("生成式人工智能服务器", "GenAI servers")), (n, z("非生成式人工智能服务器", "Non-GenAI servers"))]
    if has_series(rd, "ai_server_market:global:unallocated"):
        segs.append((series(rd, "ai_server_market:global:unallocated", 2023), z(*UNALLOCATED)))
    sids = ["ai_server_market:global:genai", "ai_server_market:global:non_genai",
            "ai_server_market:global:unallocated"][:len(segs)]
    for (s, lab), sid in zip(segs, sids, strict=True):
        rows += point_rows(lab, sid, s["year"], to_money(rd, s["value"]))
    share = g.set_index("year")["value"] / sum(s.set_index("year")["value"] for s, _ in segs).reindex(
        g.set_index("year").index)
    sname = z("生成式人工智能服务器占比（右轴）", "GenAI share (right axis)")
    have = {sid: set(s["year"].astype(int)) for (s, _), sid in zip(segs, sids, strict=True)}
    rows += [{"x": int(y), "series": sname, "value": float(v),
              "inputs": ";".join(f"{sid}@{int(y)}" for sid in sids if int(y) in have[sid])}
             for y, v in share.items()]
    return [FigureSpec("market_global_ai_servers", "compute", "bar",
                       z("全球生成式人工智能和非生成式人工智能服务器市场规模预测", "Global GenAI and non-GenAI AI server market forecast"),
                       frame(rows), rd.source(MS), [MS], rd.synthetic(MS),
                       y_label=money_unit(rd), y2_label=z("占比", "Share"), forecast_from=FORECAST_FROM,
                       opts={"stacked": True, "line_series": [sname]}, lang=rd.lang)]


@FIGURES(MS)
def fig_cn_compute_forecast(rd: ReportData) -> list[FigureSpec]:
    if not has_series(rd, "intelligent_compute:china:total", "general_compute:china:total"):
        return []
    z = rd.zh_en
    i = series(rd, "intelligent_compute:china:total")
    g = series(rd, "general_compute:china:total")
    gi, gg = z("智能算力同比增速", "Intelligent YoY"), z("通用算力同比增速", "General YoY")
    rows = point_rows(z("智能算力（EFLOPS）", "Intelligent compute (EFLOPS)"), "intelligent_compute:china:total",
                      i["year"], i["value"])
    rows += point_rows(z("通用算力（EFLOPS）", "General compute (EFLOPS)"), "general_compute:china:total",
                       g["year"], g["value"])
    for s, nm, sid in ((i, gi, "intelligent_compute:china:total"), (g, gg, "general_compute:china:total")):
        gr = s["value"] / s["value"].shift(1) - 1
        rows += point_rows(nm, sid, s["year"].iloc[1:], gr.iloc[1:], growth=True)
    y0, y1 = int(i["year"].min()), int(i["year"].max())
    return [FigureSpec("market_cn_compute", "compute", "bar",
                       z(f"中国智能算力和通用算力规模及预测，{y0}-{y1}", f"China intelligent and general compute, actual and forecast, {y0}-{y1}"),
                       frame(rows), rd.source(MS), [MS], rd.synthetic(MS),
                       y_label="EFLOPS", y2_label=z("同比增速", "YoY growth"), forecast_from=FORECAST_FROM,
                       opts={"line_series": [gi, gg]}, lang=rd.lang)]


@FIGURES(MS)
def fig_genai_spend(rd: ReportData) -> list[FigureSpec]:
    return level_growth_fig(rd, "market_genai_spend", "compute", "genai_spend:global:total",
                             ("全球企业生成式人工智能支出预测", "Global enterprise GenAI spending forecast"),
                             ("生成式人工智能支出", "GenAI spending"), 2022)


@FIGURES("edition_comparison")
def fig_edition_comparison(rd: ReportData) -> list[FigureSpec]:
    e = rd.df("edition_comparison")
    e = e[(e["quantity"] == "level") & e["like_for_like"].astype(bool)]
    if e.empty:
        return []
    z = rd.zh_en
    rows = []
    for r in e.sort_values(["series", "year"]).itertuples():
        lab = f"{r.series.split(':')[0].replace('_compute', '')} {int(r.year)}"
        if rd.lang == "zh":
            lab = lab.replace("intelligent", "智能算力").replace("general", "通用算力")
        # the previous edition's level is printed (stated); this edition's keeps its stored class
        rows.append((lab, z(f"上一版本（{r.previous_edition}）", f"Previous edition ({r.previous_edition})"), float(r.previous),
                     "stated"))
        rows.append((lab, z("本版本", "This edition"), float(r.current), str(r.value_class)))
    return [FigureSpec("edition_comparison", "compute", "bar",
                       z("预测修订：本版本与上一版本同口径对比", "Forecast revisions: this vs previous edition, like for like"),
                       pd.DataFrame(rows, columns=["x", "series", "value", "value_class"]), rd.source("edition_comparison"),
                       ["edition_comparison"], rd.synthetic("edition_comparison"), y_label="EFLOPS", lang=rd.lang)]


NAT = "national_compute_series"


@FIGURES(NAT)
def fig_national_routes(rd: ReportData) -> list[FigureSpec]:
    """China's intelligent compute by both routes, each under its own name: IDC's published series
    (stated, derived between stated years) and suanli's capacity model (synthetic shipments)."""
    n = rd.df(NAT)
    n = n[n["quantity"] == "intelligent"].sort_values(["route", "year"])
    if n["route"].nunique() < 2:
        return []
    z = rd.zh_en
    name = n["name_zh"] if rd.lang == "zh" else n["name_en"]
    model = n["route"] == "model"
    d = pd.DataFrame({"x": n["year"].astype(int), "series": name.astype(str), "value": n["value"].astype(float),
                      # only the model route draws a band (its Monte Carlo interval)
                      "lo": n["lo"].where(model).astype(float), "hi": n["hi"].where(model).astype(float),
                      "value_class": n["value_class"].astype(str)})
    return [FigureSpec("national_compute_routes", "compute", "line",
                       z("中国智能算力：IDC公布序列与suanli模型（合成出货）对照",
                         "China intelligent compute: IDC's published series and the suanli model (synthetic shipments)"),
                       d, rd.source(NAT), [NAT], rd.synthetic(NAT), y_label="EFLOPS", lang=rd.lang)]


def _national_routes(ctx: Context, sec) -> None:
    """Why the two national series differ, in one sentence with the largest gap."""
    rd, cl = ctx.rd, ctx.cl
    if not rd.has(NAT):
        return
    n = rd.df(NAT)
    m = n[(n["route"] == "model") & (n["quantity"] == "intelligent") & n["gap"].notna()]
    pub = n[(n["route"] == "published") & (n["quantity"] == "intelligent")]
    if m.empty or pub.empty:
        return
    big = m.loc[m["gap"].abs().idxmax()]
    y = int(big["year"])
    p = pub[pub["year"] == y].iloc[0]
    method = str(p["method"])
    f = {"route": "model", "quantity": "intelligent", "year": y}
    fp = {"route": "published", "quantity": "intelligent", "year": y}
    zh = ("两条全国序列并列给出，各用其名：{y}年“IDC（公布及推算）”为{pv}（{how}），“suanli 模型（合成出货）”为{mv}，"
          "比前者{dir}{gap}。差异来自口径而非错误：IDC序列在未公布的年份由公布值推算，模型则由合成出货的装机存量得出，"
          "只在公布年份校准到公布总量，因此公布年份一致是校准的结果，其余年份的差距才有信息量。")
    en = ("Both national series are shown side by side under their own names: in {y}, 'IDC (published, with derived "
          "years)' is {pv} ({how}) and 'suanli model, synthetic shipments' {mv}, {gap} {dir} it. They differ by "
          "construction, not by error: the IDC series fills unpublished years from published ones, the model builds "
          "the installed base from synthetic shipments calibrated to the published totals only in published years, "
          "so agreement there is calibration and only the other years' gap is informative.")
    from ...web.names import MARKET_METHODS

    how = MARKET_METHODS.get(method, (method, method.replace("_", " ")))[0 if rd.lang == "zh" else 1]
    # the gap as a size with a direction ("25.9% below"), not a signed "gap of -25.9%"
    below = float(big["gap"]) < 0
    pub_v, mod_v = V(NAT, "value", **fp), V(NAT, "value", **f)
    gap = cl.pct("nat_gap", RATIO(DIFF(pub_v, mod_v) if below else DIFF(mod_v, pub_v), pub_v))
    s = sentence(zh if rd.lang == "zh" else en, y=y, how=how, pv=cl.eflops("nat_pub", pub_v),
                 mv=cl.eflops("nat_model", mod_v), gap=gap,
                 dir=(("低" if below else "高") if rd.lang == "zh" else ("below" if below else "above")))
    sec.paragraphs.append(s)


TX = {
    "servers_gl": ("{a}年全球人工智能服务器市场规模预计为{v0}，{b}年将增至{v1}，{d}年有望达到{v2}。",
                   "The global AI server market is estimated at {v0} in {a}, growing to {v1} in {b} and {v2} in {d}."),
    # the original report's own forecast (both values stated), or the market series' values where it
    # printed neither (filled from its growth rates: derived)
    "compute_fc": ("原报告预计，{d}年中国智能算力规模将达到{i}，通用算力规模将达到{g}。",
                   "The original report forecasts China's intelligent compute at {i} in {d} and general compute at {g}."),
    "compute_fc_derived": ("按市场序列推算，{d}年中国智能算力规模将达到{i}，通用算力规模将达到{g}。",
                           "From the market series, China's intelligent compute reaches {i} in {d} and general compute "
                           "{g}."),
}


def write(ctx: Context, sec) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    cap = capacity_findings(rd, cl, ctx.edition.year)
    if rd.has(MS):
        sid = "ai_server_market:global:total"
        if has_series(rd, sid) and {2024, 2025, 2028} <= set(int(y) for y in series(rd, sid)["year"]):
            s = sentence(t["servers_gl"], a=2024, b=2025, d=2028, v0=cl.usd("gl_srv_2024", ms(sid, 2024), 0),
                         v1=cl.usd("gl_srv_2025", ms(sid, 2025), 0), v2=cl.usd("gl_srv_2028", ms(sid, 2028), 0))
            ctx.key(s, 10)
            sec.paragraphs.append(s)
    for k, prio in (("national", 20), ("cagr", 21), ("effective", None), ("published", None)):
        if k in cap:
            sec.paragraphs.append(cap[k])
            if prio is not None:
                ctx.key(cap[k], prio)
    if "effective" in cap:
        e = rd.df("capacity_effective").sort_values("year").iloc[-1]
        ratio = float(e["intelligent_effective_eflops"]) / float(e["intelligent_peak_eflops"])
        ctx.note(Finding("compute_effective", ID, cap["effective"], "gap", {"ratio": ratio}))
    si, sg = "intelligent_compute:china:total", "general_compute:china:total"
    if has_series(rd, si, sg) and 2028 in set(series(rd, si)["year"]) and 2028 in set(series(rd, sg)["year"]):
        rows = pd.concat([series(rd, si), series(rd, sg)])
        stated = (rows.loc[rows["year"] == 2028, "value_class"].astype(str) == "stated").all() \
            if "value_class" in rows else False
        s = sentence(t["compute_fc" if stated else "compute_fc_derived"], d=2028,
                     i=cl.eflops("cn_int_2028", ms(si, 2028)), g=cl.eflops("cn_gen_2028", ms(sg, 2028)))
        ctx.key(s, 15)
        sec.paragraphs.append(s)
    _national_routes(ctx, sec)
    # the seed's headline growth rates as printed, with their window caveat, then the like-for-like
    # revision, which then need not repeat that the headline windows differ
    head = headline_growth(rd, cl)
    if head is not None:
        ctx.key(head, 1)
        sec.paragraphs.append(head)
    _edition_comparison(ctx, sec, windows_said=head is not None)
    _check_warnings(ctx, sec)


def _edition_comparison(ctx: Context, sec, windows_said: bool = False) -> None:
    """The previous edition's forecast against this one: like for like where possible, windows named.
    ``windows_said``: the paragraph before already says that the headline rates' windows differ."""
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    if not rd.has("edition_comparison"):
        return
    e = rd.df("edition_comparison")
    sid = "intelligent_compute:china:total"
    c = e[(e["series"] == sid) & (e["quantity"] == "cagr")]
    like = c[c["like_for_like"].astype(bool)]
    head = c[~c["like_for_like"].astype(bool)]
    if like.empty or head.empty:
        return
    lk, hd = like.iloc[0], head.iloc[0]

    def ref(row, col):
        return V("edition_comparison", col, series=sid, quantity="cagr", year=int(row["year"]))

    prev = cl.pct("ed_prev_cagr", ref(lk, "previous"))
    cur_like = cl.pct("ed_like_cagr", ref(lk, "current"))
    cur_head = None if windows_said else cl.pct("ed_head_cagr", ref(hd, "current"))
    raised = float(lk["current"]) > float(lk["previous"])
    zh = "与上一版本（{pe}）相比，智能算力预测明显{dir}：上一版本预计{w1}年的年复合增长率为{prev}，本版本在同一窗口上对应{like}。"
    en = ("Against the previous edition ({pe}) the intelligent-compute forecast is clearly {dir}: the previous edition "
          "expected a {w1} compound annual growth rate of {prev}; this edition implies {like} over the same window.")
    if not windows_said:
        zh += "本版本公布的{w2}年增长率{head}与上一版本的{prev}窗口不同，直接比较会夸大或掩盖修订幅度。"
        en += (" The headline {w2} rate of {head} covers a different window from the previous {prev}, and comparing the "
               "two directly over- or understates the revision.")
    p = sentence(z(zh, en), pe=str(lk["previous_edition"]),
                 dir=z("上调" if raised else "下调", "revised up" if raised else "revised down"),
                 w1=str(lk["window_previous"]), w2=str(hd["window_current"]), prev=prev, like=cur_like,
                 head=cur_head)
    sec.paragraphs.append(p)
    ctx.note(Finding("compute_edition_revision", ID, p, "revision", {"raised": raised}))


def _check_warnings(ctx: Context, sec) -> None:
    """What the markets stage's consistency checker says about the published figures."""
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    if not rd.has("market_checks"):
        return
    c = rd.df("market_checks")
    warn = c[c["verdict"] == "WARN"].sort_values("check_id")
    if warn.empty:
        return
    n = cl.number("checks_total", COUNT("market_checks", "verdict == verdict"), 0)
    w = cl.number("checks_warn", COUNT("market_checks", "verdict == 'WARN'"), 0)
    ok = cl.number("checks_pass", COUNT("market_checks", "verdict == 'PASS' or verdict == 'APPROX'"), 0)
    # the rest are information (a figure that cannot be recomputed, or a note): said, so the counts add up
    info = cl.number("checks_info", COUNT("market_checks", "verdict == 'INFO'"), 0)
    why = [WARN_RULES.get(str(r), (str(r), str(r))) for r in dict.fromkeys(warn["rule"])]
    p = sentence(z(
        "对原报告公布数字的一致性检查共{n}项，其中{ok}项通过或在“约”字允许的范围内，{info}项只给出信息（无法重算或仅作说明），"
        "{w}项给出警告（{ids}），原因是：{why}。"
        "引用这些数字时应写明时间窗口与口径（检查方法见附录一）。",
        "The consistency checker ran {n} checks on the published figures: {ok} pass or sit within what 'about' allows, "
        "{info} only inform (a figure that cannot be recomputed, or a note) "
        "and {w} give a warning ({ids}), because of: {why}. These figures should be quoted with their window and basis "
        "(the checks are described in Appendix A)."),
        n=n, ok=ok, info=info, w=w, ids=("、" if rd.lang == "zh" else ", ").join(warn["check_id"].astype(str)),
        why=("；" if rd.lang == "zh" else "; ").join(x[0] if rd.lang == "zh" else x[1] for x in why))
    sec.paragraphs.append(p)
    # one finding per reason, naming its checks ("growth rates compared ... (EW01, EW02)"): the
    # recommendations cite them, and two checks of one rule would otherwise repeat the same reason
    for rule, group in warn.groupby("rule", sort=False):
        r0 = next(group.itertuples())
        zh, en = WARN_RULES.get(str(rule), (notes_zh.check_text(r0, "title", "zh"), str(r0.title)))
        ids = ("、" if rd.lang == "zh" else ", ").join(group["check_id"].astype(str))
        ctx.note(Finding(f"check_{rule}", ID, Markup(escape(f"{zh}（{ids}）" if rd.lang == "zh" else f"{en} ({ids})")),
                         "warn"))


#: Why a check of a given rule warns, in words (rules of the markets stage's checker).
WARN_RULES = {
    "edition_window": ("与上一版本比较的增长率窗口不同", "growth rates compared across editions over different windows"),
    "price_ratio": ("成本比取决于token构成和汇率，重算值与公布值相差较大",
                    "a cost ratio that depends on the token mix and exchange rate differs from the recomputed one"),
    "verbal_multiple_alt_reading": ("口语化倍数（如“六倍”）按严格读法与增长率不符",
                                    "a loosely worded multiple (such as 'six times') disagrees with the growth rate "
                                    "when read strictly"),
    "verbal_multiple": ("口语化倍数与水平值不完全一致", "a loosely worded multiple does not quite match the levels"),
    "rate_vs_levels": ("增长率与水平值不一致", "a growth rate disagrees with the levels"),
    "shares_sum": ("分项占比之和不为100%", "shares that do not add up to 100%"),
    "city_vs_national": ("城市合计超出全国合计", "the cities add up to more than the national total"),
    "cross_route": ("两条推算路径得出的未公布水平值不一致", "two routes to an unpublished level disagree"),
    "edition_level_revision": ("同一年份的水平值相对上一版本有较大修订", "a level was revised markedly since the previous edition"),
    "edition_rate_change": ("同一窗口的增长率相对上一版本有较大变化", "a growth rate over one window changed markedly since the "
                            "previous edition"),
    "implied_level": ("由增长率推出的水平值只是下限或上限", "a level implied by a growth rate is only a bound"),
    "path_vs_interpolation": ("公布的中间年份偏离两端之间的恒定增长路径", "a stated middle year is off the constant-growth path "
                              "between its neighbours"),
    "path_vs_rate": ("公布的中间年份偏离按增长率推算的路径", "a stated middle year is off the path its growth rate implies"),
    "repeated_claims": ("同一数值在不同位置印得不同", "the same figure is printed differently in different places"),
    "segment_feasibility": ("细分之和超出合计", "segments add up to more than their total"),
    "stated_multiple": ("公布的倍数与水平值不完全一致", "a stated multiple does not quite match the levels"),
    "sub_window_rate": ("子区间的增长率与公布的增长率差异较大", "the growth rate over a sub-window differs markedly from the "
                        "stated one"),
    # the text-level rules (markets.textchecks)
    "claim_ranges": ("同一技术指标在不同章节给出的取值范围不同", "one quantity is given different ranges in different sections"),
    "product_limit": ("数量乘以单项功率超出公布的上限", "a count times its unit power exceeds the stated maximum"),
    "list_consistency": ("同一列举在两处列出的项目不同", "the same list is printed twice with different items"),
    "metric_names": ("同一序列在正文与图题中名称不同", "one series goes by different names in the text and figure titles"),
    "figure_order": ("图中标签顺序与正文给出的排名不同", "a figure's label order differs from the ranking in the text"),
    "event_date": ("事件被列在与其发生时间不符的年份下", "an event is listed under a year other than when it happened"),
    "product_name": ("产品名称与其正式名称不符", "a product name differs from its real name"),
    "rank_moves": ("排名升降的表述与上期排名不能同时成立", "the stated rank moves cannot all hold with the previous ranks"),
}
