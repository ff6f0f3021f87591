"""Chapter 2.6: AI compute services (segments, mix, extrapolation with interval)."""

from __future__ import annotations

import pandas as pd

from ..claims import CAGR, sentence
from ..classes import frame, point_rows
from ..data import ReportData
from ..figures import Figures
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
    model = str(f["model"].iloc[0])
    return [FigureSpec("market_forecast_band", "services", "line",
                       z(f"智算服务市场外推至{int(f['year'].max())}年（{model}模型，{int(f['level'].iloc[0])}%区间）",
                         f"AI compute services extrapolated to {int(f['year'].max())} ({model} model, {int(f['level'].iloc[0])}% interval)"),
                       d, rd.source("market_forecasts", MS), ["market_forecasts", MS],
                       rd.synthetic("market_forecasts", MS), y_label=money_unit(rd), forecast_from=FORECAST_FROM,
                       lang=rd.lang)]


TX = {
    "services": ("{a}年中国智算服务市场整体规模达到{v0}，{b}年将增至{v1}，{c}-{d}年五年年复合增长率达{cagr}。",
                 "China's AI compute services market reached {v0} in {a} and will grow to {v1} in {b}; the five-year "
                 "CAGR {c}-{d} is {cagr}."),
}


def write(ctx: Context, sec) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    sid = "ai_compute_services:china:total"
    if has_series(rd, sid) and {2023, 2024, 2025, 2028} <= set(int(y) for y in series(rd, sid)["year"]):
        s = sentence(t["services"], a=2024, b=2025, c=2023, d=2028,
                     v0=cl.usd("svc_2024", ms(sid, 2024), 0), v1=cl.usd("svc_2025", ms(sid, 2025), 1),
                     cagr=cl.pct("svc_cagr", CAGR(ms(sid, 2028), ms(sid, 2023), 5)))
        ctx.key(s, 50)
        sec.paragraphs.append(s)
