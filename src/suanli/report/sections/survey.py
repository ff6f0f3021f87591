"""Chapter 2.7: applications (survey results with intervals, case studies from stated facts)."""

from __future__ import annotations

import pandas as pd

from ..claims import COUNT, DIFF, V, sentence
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
        tag = z(f"（对应原报告{fig_no}）", f" (original report, {str(fig_no).replace('图', 'Figure ')})")
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


TX.update({
    "challenge_clear": ("在{q}中，选择最多的是“{a}”（{pa}，95%置信区间{la}至{ha}），明显高于第二位的“{b}”（{pb}）："
                        "两者相差{d}个百分点，置信区间不重叠。",
                        "Asked about {q}, most firms name '{a}' ({pa}, 95% CI {la} to {ha}), clearly ahead of '{b}' "
                        "({pb}): the gap is {d} percentage points and the intervals do not overlap."),
    "challenge_tie": ("在{q}中，“{a}”（{pa}）和“{b}”（{pb}）并列前两位：两者相差{d}个百分点，但95%置信区间重叠，"
                      "两者的先后并不确定。",
                      "Asked about {q}, '{a}' ({pa}) and '{b}' ({pb}) share the top: they are {d} percentage points "
                      "apart, but their 95% intervals overlap, so their order is not firmly established."),
    "published": ("与原报告公布的{n}个调研比例相比，{k}个落在本次估计的95%置信区间内。调研数据为合成数据，"
                  "这一对照检验的是生成器与加权方法，而不是真实市场。",
                  "Of the {n} survey shares the original report publishes, {k} fall inside this survey's 95% interval. The "
                  "responses are synthetic, so this tests the generator and the weighting, not the real market."),
    "published_all": ("原报告公布的{n}个调研比例均落在本次估计的95%置信区间内。调研数据为合成数据，"
                      "这一对照检验的是生成器与加权方法，而不是真实市场。",
                      "All {n} survey shares the original report publishes fall inside this survey's 95% interval. The "
                      "responses are synthetic, so this tests the generator and the weighting, not the real market."),
})

#: Questions whose leading answers the chapter discusses (wording per language).
CHALLENGES = {"compute_challenges": ("企业当下面临的算力基础设施挑战", "the compute-infrastructure challenges firms face now"),
              "ai_challenges": ("企业应用人工智能面临的挑战", "the challenges of applying AI")}


def challenge_paragraph(rd: ReportData, cl, t: dict[str, str], qid: str) -> object | None:
    """The leading answer and whether its lead over the second is larger than the sampling error."""
    e = rd.df("survey_estimates")
    q = e[(e["question_id"] == qid) & (e["statistic"] == "share")]
    if q["horizon"].nunique() != 1 or len(q) < 2:
        return None
    q = q.sort_values("share", ascending=False)
    a, b = q.iloc[0], q.iloc[1]
    ref = lambda r, col="share": V("survey_estimates", col, question_id=qid, option_id=r["option_id"],  # noqa: E731
                                   statistic="share")
    lab = (lambda r: r["option_zh"]) if rd.lang == "zh" else (lambda r: r["option_en"])
    parts = dict(q=rd.zh_en(*CHALLENGES[qid]), a=lab(a), b=lab(b),
                 pa=cl.pct(f"sv_{qid}_a", ref(a), 1), pb=cl.pct(f"sv_{qid}_b", ref(b), 1),
                 d=cl.points(f"sv_{qid}_gap", DIFF(ref(a), ref(b)), 1))
    if float(a["ci_low"]) > float(b["ci_high"]):
        return sentence(t["challenge_clear"], la=cl.pct(f"sv_{qid}_a_lo", ref(a, "ci_low"), 1),
                        ha=cl.pct(f"sv_{qid}_a_hi", ref(a, "ci_high"), 1), **parts)
    return sentence(t["challenge_tie"], **parts)


def published_paragraph(rd: ReportData, cl, t: dict[str, str]) -> object | None:
    e = rd.df("survey_estimates")
    if "within_ci" not in e or e["published_value"].notna().sum() == 0:
        return None
    n = cl.number("sv_pub_n", COUNT("survey_estimates", "published_value == published_value"), 0)
    k = cl.number("sv_pub_in", COUNT("survey_estimates", "within_ci == True"), 0)
    return sentence(t["published_all" if k.value == n.value else "published"], n=n, k=k)


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
        for qid in CHALLENGES:
            p = challenge_paragraph(rd, cl, t, qid)
            if p is not None:
                sec.paragraphs.append(p)
        p = published_paragraph(rd, cl, t)
        if p is not None:
            sec.paragraphs.append(p)
    case_studies(ctx, sec)


def case_studies(ctx: Context, sec) -> None:
    """2.7's best-practice boxes, built only from the facts the seed states (each number a claim)."""
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    src = z("来源：原报告2.7节“最佳实践”，数字为陈述事实（input_market_facts）",
            "Source: the original report's section 2.7 'best practice'; numbers are stated facts (input_market_facts)")
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
