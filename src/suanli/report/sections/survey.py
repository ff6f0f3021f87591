"""Chapter 2.7: applications (survey results with intervals, case studies from stated facts)."""

from __future__ import annotations

import pandas as pd

from ..claims import V, sentence
from ..content import Box
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from . import Context
from ._facts import fact_claim, has_fact

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
    case_studies(ctx, sec)


def case_studies(ctx: Context, sec) -> None:
    """2.7's best-practice boxes, built only from the facts the seed states (each number a claim)."""
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    src = z("来源：原报告2.7节“最佳实践”，数字为陈述事实（input_market_facts）",
            "Source: the seed's section 2.7 'best practice'; numbers are stated facts (input_market_facts)")
    cmb = ["cmb_founding_year", "cmb_rpa_registered_users", "cmb_rpa_active_users", "cmb_rpa_developers",
           "cmb_rpa_scenarios", "cmb_rpa_robots", "cmb_rpa_business_staff_share_of_devs"]
    if all(has_fact(rd, f) for f in cmb):
        f = {k: fact_claim(rd, cl, k, 0, "%" if k.endswith("share_of_devs") else "") for k in cmb}
        p1 = sentence(z(
            "招商银行（{y}年创建）用集成RPA、人工智能、开放API和大模型的“海螺RPA+”平台打造“数字员工”，"
            "替代重复性人工操作。",
            "China Merchants Bank (founded {y}) built 'digital employees' on its Conch RPA+ platform, which combines "
            "robotic process automation, AI, open APIs and large models to take over repetitive manual work."),
            y=f["cmb_founding_year"])
        p2 = sentence(z(
            "成效：注册用户超过{reg}人，活跃用户超过{act}人，开发者超过{dev}位，场景应用超过{sc}个，机器人{rob}多个；"
            "自主开发者中近{biz}是业务人员——自动化由业务部门自己推动，而不只是IT部门。",
            "Results: more than {reg} registered and {act} active users, over {dev} developers, {sc} application "
            "scenarios and more than {rob} software robots; nearly {biz} of the self-developers are business staff, "
            "so automation is driven by the business, not only by IT."),
            reg=f["cmb_rpa_registered_users"], act=f["cmb_rpa_active_users"], dev=f["cmb_rpa_developers"],
            sc=f["cmb_rpa_scenarios"], rob=f["cmb_rpa_robots"], biz=f["cmb_rpa_business_staff_share_of_devs"])
        sec.boxes.append(Box(z("案例：招商银行的“数字员工”", "Case: China Merchants Bank's digital employees"), [p1, p2], src))
    west = ["westlake_founding_year", "ncrna_share_of_transcriptome"]
    if all(has_fact(rd, f) for f in west):
        y = fact_claim(rd, cl, "westlake_founding_year", 0)
        nc = fact_claim(rd, cl, "ncrna_share_of_transcriptome", 0, "%")
        p = sentence(z(
            "西湖大学（{y}年成立）与服务器厂商共建人工智能集群，承担校内大部分算力需求。以非编码RNA研究为例："
            "非编码RNA约占人类转录组的{nc}，数量庞大且高度动态，人工智能解析测序数据、找出调控规律，"
            "把传统实验难以完成的分析变得可行。",
            "Westlake University (founded {y}) built an AI cluster with a server vendor that serves most of its "
            "compute needs. In non-coding RNA research, for example (non-coding RNA is about {nc} of the human "
            "transcriptome, numerous and highly dynamic), AI reads sequencing data and finds regulatory patterns "
            "that experiments alone could hardly reach."), y=y, nc=nc)
        sec.boxes.append(Box(z("案例：西湖大学的“科学家+AI”", "Case: Westlake University, scientists plus AI"), [p], src))
