"""Chapter 2.6: AI compute services (segments, mix, extrapolation with interval)."""

from __future__ import annotations

import pandas as pd

from ..claims import CAGR, RATIO, V, sentence
from ..classes import frame, point_rows
from ..data import ReportData
from ..figures import Figures
from ..findings import _decimals
from ..spec import FigureSpec
from . import Context
from ._markets import FORECAST_FROM, MS, UNALLOCATED, has_series, money_unit, ms, series, to_money

ID = "services"
NUMBER = "2.6"
TITLE = ("人工智能算力服务", "AI compute services")
FIGURES = Figures(ID)


@FIGURES(MS)
def fig_services(rd: ReportData) -> list[FigureSpec]:
    segs = [("ai_compute_services:china:integration", ("智算集成服务", "AI compute integration services")),
            ("ai_compute_services:china:genai_iaas", ("生成式人工智能IaaS", "GenAI IaaS")),
            ("ai_compute_services:china:non_genai_iaas", ("非生成式人工智能IaaS", "Non-GenAI IaaS"))]
    if not has_series(rd, *[s for s, _ in segs]):
        return []
    if has_series(rd, "ai_compute_services:china:unallocated"):
        segs.append(("ai_compute_services:china:unallocated", UNALLOCATED))
    z = rd.zh_en
    rows = []
    for sid, lab in segs:
        s = series(rd, sid, 2023)
        rows += point_rows(z(*lab), sid, s["year"], to_money(rd, s["value"]))
    out = [FigureSpec("market_ai_compute_services", "services", "bar",
                      z("中国智算服务细分市场规模预测", "China AI compute services market by segment"),
                      frame(rows), rd.source(MS), [MS], rd.synthetic(MS),
                      y_label=money_unit(rd), forecast_from=FORECAST_FROM, opts={"stacked": True}, lang=rd.lang)]
    out.append(FigureSpec("market_ai_compute_services_mix", "services", "stacked100",
                          z("中国智算服务市场结构", "China AI compute services mix"),
                          frame(rows), rd.source(MS), [MS], rd.synthetic(MS),
                          forecast_from=FORECAST_FROM, lang=rd.lang))
    return out


@FIGURES("market_forecasts", MS)
def fig_forecast_band(rd: ReportData) -> list[FigureSpec]:
    f = rd.df("market_forecasts")
    sid = "ai_compute_services:china:total"
    f = f[(f["series"] == sid) & f["selected"].astype(bool)]
    if f.empty:
        return []
    s = series(rd, sid, 2020)
    z = rd.zh_en
    div = 1e8 if rd.lang == "zh" else 1e9
    name = z("智算服务市场（含模型外推）", "AI compute services (with model extrapolation)")
    d = pd.DataFrame({"x": list(s["year"].astype(int)) + list(f["year"].astype(int)), "series": name,
                      "value": list(s["value"] / div) + list(f["mean"] / div),
                      "lo": list(s["lo"] / div) + list(f["lo"] / div), "hi": list(s["hi"] / div) + list(f["hi"] / div),
                      # stored history keeps its class; the model's extrapolation is modelled
                      "value_class": list(s["value_class"].astype(str)) + ["modelled"] * len(f)})
    from ._params import WORDS

    model = str(f["model"].iloc[0])
    mzh, men = WORDS.get(model, (f"{model}模型", f"{model} model"))
    return [FigureSpec("market_forecast_band", "services", "line",
                       z(f"智算服务市场外推至{int(f['year'].max())}年（{mzh}，{int(f['level'].iloc[0])}%区间）",
                         f"AI compute services extrapolated to {int(f['year'].max())} ({men}, {int(f['level'].iloc[0])}% interval)"),
                       d, rd.source("market_forecasts", MS), ["market_forecasts", MS],
                       rd.synthetic("market_forecasts", MS), y_label=money_unit(rd), forecast_from=FORECAST_FROM,
                       lang=rd.lang)]


TX = {
    "services": ("{a}年中国智算服务市场整体规模达到{v0}，{b}年将增至{v1}，{c}-{d}年五年年复合增长率达{cagr}。",
                 "China's AI compute services market reached {v0} in {a} and will grow to {v1} in {b}; the five-year "
                 "CAGR {c}-{d} is {cagr}."),
}


TX.update({
    "mix": ("按细分市场看，{y}年{lead}规模最大，为{v}，占智算服务市场的{sh}；{fast}增长最快，{a}-{b}年年复合增长率为{fc}。",
            "By segment, {lead} is the largest in {y} at {v}, {sh} of the AI compute services market; {fast} grows "
            "fastest, at a CAGR of {fc} over {a}-{b}."),
    "mix_shift": ("按预测，到{b}年{lead2}将取代{lead}成为最大的细分市场，服务结构正在变化。",
                  "On the forecast, {lead2} overtakes {lead} as the largest segment by {b}: the mix is shifting."),
    "mix_same": ("到{b}年，{lead}仍是最大的细分市场，占比为{sh2}。",
                 "By {b}, {lead} is still the largest segment, with {sh2} of the market."),
    "extrap": ("原报告的预测止于{b}年。把模型只拟合到公布值并外推，{y}年智算服务市场约为{m}，{lv}%预测区间为{lo}至{hi}"
               "（模型估计，非公布值；区间宽度反映了只有少数公布点时外推的不确定性）。",
               "The original report's forecast stops at {b}. Fitting a model to the stated values only and extrapolating gives "
               "about {m} in {y}, with a prediction interval of {lo} to {hi} at the {lv}% level (a model estimate, not a published "
               "figure; the width reflects how uncertain extrapolation from a few stated points is)."),
})

SEGMENTS = [("ai_compute_services:china:integration", ("智算集成服务", "AI compute integration services")),
            ("ai_compute_services:china:genai_iaas", ("生成式人工智能IaaS", "GenAI IaaS")),
            ("ai_compute_services:china:non_genai_iaas", ("非生成式人工智能IaaS", "non-GenAI IaaS"))]


def _mix_paragraph(rd: ReportData, cl, t: dict[str, str], total: str) -> object | None:
    """Which segment leads, which grows fastest, and whether the leader changes by the forecast's end."""
    segs = [(sid, lab) for sid, lab in SEGMENTS if has_series(rd, sid)]
    if len(segs) < 2 or not has_series(rd, total):
        return None
    years = set(int(y) for y in series(rd, total)["year"])
    for sid, _ in segs:
        years &= set(int(y) for y in series(rd, sid)["year"])
    if not {2023, 2025, 2028} <= years:
        return None
    val = {sid: {int(r.year): float(r.value) for r in series(rd, sid).itertuples()} for sid, _ in segs}
    name = {sid: rd.zh_en(*lab) for sid, lab in segs}
    lead = max(val, key=lambda k: val[k][2025])
    lead2 = max(val, key=lambda k: val[k][2028])
    fast = max(val, key=lambda k: val[k][2028] / val[k][2023] if val[k][2023] > 0 else -1)
    tag = lead.rsplit(":", 1)[-1]
    s = sentence(t["mix"], y=2025, lead=name[lead], v=cl.usd(f"svc_{tag}_2025", ms(lead, 2025), 1),
                 sh=cl.pct(f"svc_{tag}_share", RATIO(ms(lead, 2025), ms(total, 2025))), fast=name[fast], a=2023, b=2028,
                 fc=cl.pct(f"svc_{fast.rsplit(':', 1)[-1]}_cagr", CAGR(ms(fast, 2028), ms(fast, 2023), 5)))
    sep = "" if rd.lang == "zh" else " "
    if lead2 != lead:
        s = s + sep + sentence(t["mix_shift"], b=2028, lead=name[lead], lead2=name[lead2])
    else:
        s = s + sep + sentence(t["mix_same"], b=2028, lead=name[lead],
                         sh2=cl.pct(f"svc_{tag}_share_2028", RATIO(ms(lead, 2028), ms(total, 2028))))
    return s


def _extrapolation_paragraph(rd: ReportData, cl, t: dict[str, str], sid: str) -> object | None:
    if not rd.has("market_forecasts"):
        return None
    f = rd.df("market_forecasts")
    f = f[(f["series"] == sid) & f["selected"].astype(bool)]
    if f.empty:
        return None
    y = int(f["year"].max())
    last_stated = int(series(rd, sid)["year"].max())
    if y <= last_stated:
        return None
    w = {"series": sid, "year": y, "selected": True}
    return sentence(t["extrap"], b=last_stated, y=y, lv=cl.number("svc_extrap_level", V("market_forecasts", "level", **w), 0),
                    m=cl.usd("svc_extrap_mean", V("market_forecasts", "mean", **w), 0),
                    lo=cl.usd("svc_extrap_lo", V("market_forecasts", "lo", **w), 0),
                    hi=cl.usd("svc_extrap_hi", V("market_forecasts", "hi", **w), 0))


def write(ctx: Context, sec) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    sid = "ai_compute_services:china:total"
    if has_series(rd, sid) and {2023, 2024, 2025, 2028} <= set(int(y) for y in series(rd, sid)["year"]):
        # the CAGR as printed (stated) when the edition prints it; recomputed from levels otherwise
        o = rd.df("market_observations") if rd.has("market_observations") else None
        row = o[o["obs_id"] == "cn_ai_compute_service_cagr"] if o is not None else []
        if len(row) == 1 and pd.notna(row["start_year"].iloc[0]):
            c, d = int(row["start_year"].iloc[0]), int(row["end_year"].iloc[0])
            cagr = cl.pct("svc_cagr", V("market_observations", "value", obs_id="cn_ai_compute_service_cagr"),
                          _decimals(row))
        else:
            c, d = 2023, 2028
            cagr = cl.pct("svc_cagr", CAGR(ms(sid, 2028), ms(sid, 2023), 5))
        s = sentence(t["services"], a=2024, b=2025, c=c, d=d,
                     v0=cl.usd("svc_2024", ms(sid, 2024), 0), v1=cl.usd("svc_2025", ms(sid, 2025), 1), cagr=cagr)
        ctx.key(s, 50)
        sec.paragraphs.append(s)
    for p in (_mix_paragraph(rd, cl, t, sid), _extrapolation_paragraph(rd, cl, t, sid)):
        if p is not None:
            sec.paragraphs.append(p)
