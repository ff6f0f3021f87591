"""Chapter 2.5: algorithms and models (DeepSeek, mixture of experts, inference cost).

Every number is a stated fact of the edition (``input_market_facts``) printed as a claim; the
seed's model claims are set against the model developer's own technical report (vendored in
``data/report/model_facts.csv`` with source, date and quote) and against the markets stage's
price check (``market_checks``), so a reader sees which claims hold and which need care.
"""

from __future__ import annotations

from ...web.names import verdict_name
from .. import fmt
from ..claims import RATIO, V, sentence
from ..content import Section, Table
from ..figures import Figures
from . import Context, Finding
from ._facts import fact, fact_claim, has_fact, reference_facts

ID = "models"
NUMBER = "2.5"
TITLE = ("算法和模型", "Algorithms and models")
FIGURES = Figures(ID)


def write(ctx: Context, sec: Section) -> None:
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    need = ["deepseek_v3_params", "deepseek_v3_dev_cost", "deepseek_r1_train_compute_vs_llama3",
            "deepseek_r1_cache_reduction", "deepseek_days_to_100m_users"]
    if not all(has_fact(rd, f) for f in need):
        sec.missing.append("input_market_facts (DeepSeek facts)")
        return
    params = fact_claim(rd, cl, "deepseek_v3_params", 0, z("亿参数", "bn parameters"), 1e8 if rd.lang == "zh" else 1e9)
    cost = fact_claim(rd, cl, "deepseek_v3_dev_cost", 0, z("万美元", "mn USD"), 1e4 if rd.lang == "zh" else 1e6)
    r1 = fact_claim(rd, cl, "deepseek_r1_train_compute_vs_llama3", 1)
    kv = fact_claim(rd, cl, "deepseek_r1_cache_reduction", 0)
    days = fact_claim(rd, cl, "deepseek_days_to_100m_users", 0)
    p = sentence(z(
        "算法创新正在改变算力需求的形态。原报告引用的事实是：DeepSeek-V3拥有{params}，开发成本不到{cost}；"
        "DeepSeek-R1的训练算力约为Llama3的{r1}倍，推理阶段缓存（KV）数据量降低{kv}倍，上线{days}天活跃用户破亿。",
        "Algorithmic innovation is changing the shape of compute demand. The original report states that DeepSeek-V3 has {params} "
        "and cost under {cost} to develop; DeepSeek-R1 needed about {r1} times Llama3's training compute, cut the "
        "inference (KV) cache by a factor of {kv}, and passed 100 million active users in {days} days."),
        params=params, cost=cost, r1=r1, kv=kv, days=days)
    sec.paragraphs.append(p)
    ctx.note(Finding("models_efficiency", ID, p, "efficiency"))
    rt = "input_report_reference_facts"
    if rd.has(rt) and {"deepseek_v3_total_params", "deepseek_v3_active_params", "deepseek_v3_training_cost"} <= \
            set(rd.df(rt)["id"]):
        big = 1e8 if rd.lang == "zh" else 1e9
        tot = cl.scaled("ref_v3_total", V(rt, "value", id="deepseek_v3_total_params"), big, 0, z("亿", "bn"))
        act = cl.scaled("ref_v3_active", V(rt, "value", id="deepseek_v3_active_params"), big, 0,
                        z("亿参数", "bn parameters"))
        share = cl.pct("ref_v3_active_share", RATIO(V(rt, "value", id="deepseek_v3_active_params"),
                                                    V(rt, "value", id="deepseek_v3_total_params")), 1)
        usd = cl.scaled("ref_v3_cost", V(rt, "value", id="deepseek_v3_training_cost"), 1e4 if rd.lang == "zh" else 1e6,
                        1 if rd.lang == "zh" else 3, z("万美元", "mn USD"))
        sec.paragraphs.append(sentence(z(
            "这些说法可以部分核对。DeepSeek-V3技术报告给出的总参数量为{tot}，与原报告一致；它是混合专家（MoE）模型，"
            "每个token只激活{act}（约占总参数的{share}），这正是训练与推理成本低的主要原因。技术报告按每GPU小时2美元的租价"
            "估算训练成本为{usd}，与原报告“不到{cost}”相符，但该口径只含正式训练的GPU租用，不含此前的研究、消融实验和人员成本。",
            "Some of these claims can be checked. The DeepSeek-V3 technical report gives {tot} total parameters, as the original report "
            "does; it is a mixture-of-experts (MoE) model that activates only {act} per token (about {share} of the total), "
            "the main reason training and inference are cheap. The technical report prices training at {usd} at USD 2 per "
            "GPU hour, consistent with the original report's 'under {cost}', but that covers renting GPUs for the final run "
            "only, not the prior research, ablations or staff."), tot=tot, act=act, share=share, usd=usd, cost=cost))
    if rd.has("market_checks"):
        c = rd.df("market_checks")
        x = c[c["rule"] == "price_ratio"]
        if len(x) and has_fact(rd, "deepseek_r1_cost_vs_o1"):
            r = x.iloc[0]
            stated = fact_claim(rd, cl, "deepseek_r1_cost_vs_o1", 0, "%")
            p3 = sentence(z(
                "推理成本方面，原报告称DeepSeek-R1的运行成本“大约是OpenAI o1的{s}”。按两者发布时的API标价重新计算，"
                "比值为{r}（检查结论：{v}）：方向正确，但具体数字取决于输入输出token的构成和汇率，应视为量级而非精确值。",
                "On inference cost, the original report says DeepSeek-R1 costs 'about {s} of OpenAI o1' to run. Recomputed from both "
                "list prices at release the ratio is {r} (check verdict: {v}): the direction holds, but the figure depends on "
                "the token mix and the exchange rate and is an order of magnitude, not a precise value."),
                s=stated, r=cl.pct("x01_recomputed", V("market_checks", "recomputed", check_id=str(r["check_id"])), 2),
                v=verdict_name(str(r["verdict"]), rd.lang))
            sec.paragraphs.append(p3)
            ctx.note(Finding("models_cost_check", ID, p3, "warn" if r["verdict"] == "WARN" else "check"))
    if has_fact(rd, "ent_open_source_fm_share_2025"):
        o = fact_claim(rd, cl, "ent_open_source_fm_share_2025", 0, "%")
        p4 = sentence(z("开源正在放大这种效率红利：原报告预测，2025年将有{o}的企业使用开源人工智能基础模型开发应用。"
                        "更便宜的模型并不减少算力总需求（杰文斯悖论），而是把需求从训练推向推理和更多应用场景。",
                        "Open models spread the efficiency gain: the original report expects {o} of enterprises to build applications on "
                        "open-source foundation models in 2025. Cheaper models do not cut total compute demand (the Jevons "
                        "paradox); they shift it from training to inference and to more use cases."), o=o)
        sec.paragraphs.append(p4)
        ctx.note(Finding("models_open", ID, p4, "trend"))
    # the check table: seed claim, reference value, source
    rows = []
    for r in reference_facts().itertuples():
        seed = ""
        if r.checks and has_fact(rd, r.checks):
            f = fact(rd, r.checks)
            seed = f"{f['value_original']}{f['unit_original'] or ''}" if rd.lang == "zh" else \
                f"{_large(float(f['value']), 'en')} {f['unit']}"
        rows.append([r.metric_zh if rd.lang == "zh" else r.metric_en, seed or "—", _large(float(r.value), rd.lang),
                     UNITS_ZH.get(str(r.unit), str(r.unit)) if rd.lang == "zh" else r.unit, f"{r.source} ({r.date})",
                     r.quote])
    sec.tables.append(Table(z("模型事实核对：原报告与开发者技术报告", "Model facts checked: the original report against the developer's technical report"),
                            [z("指标", "Metric"), z("原报告", "Original report"), z("参考值", "Reference"), z("单位", "Unit"),
                             z("来源（类型：公司）", "Source (kind: company)"), z("原文", "Quote")], rows,
                            numeric=[False, False, True, False, False, False]))


#: units of the reference facts (``reference_facts``) on a Chinese page
UNITS_ZH = {"parameters": "参数", "GPU hours": "GPU小时", "USD": "美元", "tokens": "token"}


def _large(x: float, lang: str) -> str:
    """A large count as the text writes it (the decimals a value needs, at most three): 6,710亿 and
    14.8万亿 on a Chinese page, 671 bn and 2.788 mn on an English one."""
    scales = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")) if lang == "zh" else \
        ((1e12, " trn"), (1e9, " bn"), (1e6, " mn"))
    for scale, word in scales:
        if abs(x) >= scale:
            return fmt.number(x / scale, 3).rstrip("0").rstrip(".") + word
    return fmt.number(x, 0)
