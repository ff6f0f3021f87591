"""Chapter 2.7: applications (survey results with intervals, case studies from stated facts)."""

from __future__ import annotations

import pandas as pd

from ..claims import V, sentence
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from . import Context

ID = "applications"
NUMBER = "2.7"
TITLE = ("应用与调研结果", "Applications and survey results")
FIGURES = Figures(ID)


SURVEY_SECTION = {"图3": "compute", "图4": "compute", "图6": "compute"}
HORIZON = {"now": ("目前", "now"), "3y": ("未来三年", "next 3 years"), "18m": ("未来18个月", "next 18 months")}


@FIGURES("survey_estimates")
def fig_survey(rd: ReportData) -> list[FigureSpec]:
    e = rd.df("survey_estimates")
    z = rd.zh_en
    out = []
    qorder = e.drop_duplicates("question_id")[["question_id", "figure"]]
    qorder = qorder.assign(n=qorder["figure"].str.extract(r"(\d+)")[0].astype(float)).sort_values("n")
    for qid, fig_no in zip(qorder["question_id"], qorder["figure"], strict=True):
        q = e[e["question_id"] == qid]
        stat = "top1" if (q["statistic"] == "top1").any() else q["statistic"].iloc[0]
        q = q[q["statistic"] == stat]
        title = str(q["question_zh" if rd.lang == "zh" else "question_en"].iloc[0])
        opt = "option_zh" if rd.lang == "zh" else "option_en"
        section = SURVEY_SECTION.get(str(fig_no), "applications")
        tag = z(f"（对应原报告{fig_no}）", f" (seed {str(fig_no).replace('图', 'Figure ')})")
        src = rd.source("survey_estimates") + z("；n = {n}，加权估计，95%置信区间", "; n = {n}, weighted, 95% CI").format(
            n=int(q["n"].max()))
        if q["type"].iloc[0] == "single" and q["horizon"].nunique() == 1:
            q = q.sort_values("position")
            d = pd.DataFrame({"label": q[opt].astype(str), "value": q["share"].astype(float)})
            out.append(FigureSpec(f"survey_{qid}", section, "pie", title + tag, d, src, ["survey_estimates"],
                                  rd.synthetic("survey_estimates"), lang=rd.lang))
            continue
        horizons = list(dict.fromkeys(q["horizon"]))
        first = q[q["horizon"] == horizons[0]].sort_values("share", ascending=False)
        order = first[opt].astype(str).tolist()
        rows = []
        for h in horizons:
            qq = q[q["horizon"] == h].set_index(q[q["horizon"] == h][opt].astype(str)).reindex(order)
            hl = z(*HORIZON.get(h, (h, h)))
            for o, r in qq.iterrows():
                rows.append((o, hl, float(r["share"]), float(r["ci_low"]), float(r["ci_high"])))
        d = pd.DataFrame(rows, columns=["y", "series", "value", "lo", "hi"])
        if len(horizons) == 1:
            d["series"] = ""
        if stat != "share":
            title += z("（排名第一的占比）", " (share ranking it first)")
        out.append(FigureSpec(f"survey_{qid}", section, "hbar", title + tag, d, src, ["survey_estimates"],
                              rd.synthetic("survey_estimates"), x_label=z("受访企业占比", "Share of respondents"),
                              percent=True, lang=rd.lang))
    return out


TX = {
    "survey_stage": ("调研结果显示，{t}的中国企业已经开始进行大模型的初步测试和重点概念验证，{p}的企业已经将技术引入生产阶段。",
                     "In the survey, {t} of Chinese enterprises are in initial testing or focused proofs of concept of large "
                     "models and {p} have taken them into production."),
}


def write(ctx: Context, sec) -> None:
    rd, cl = ctx.rd, ctx.cl
    t = {k: v[0] if rd.lang == "zh" else v[1] for k, v in TX.items()}
    if rd.has("survey_estimates"):
        e = rd.df("survey_estimates")
        st = e[(e["question_id"] == "genai_stage") & (e["statistic"] == "share")]
        ids = set(st["option_id"])
        test_id = next((i for i in sorted(ids) if "test" in i or "poc" in i), None)
        prod_id = next((i for i in sorted(ids) if "prod" in i), None)
        if test_id and prod_id:
            s = sentence(t["survey_stage"],
                         t=cl.pct("genai_testing", V("survey_estimates", "share", question_id="genai_stage",
                                                     option_id=test_id, statistic="share"), 0),
                         p=cl.pct("genai_production", V("survey_estimates", "share", question_id="genai_stage",
                                                        option_id=prod_id, statistic="share"), 0))
            ctx.key(s, 70)
            sec.paragraphs.append(s)
