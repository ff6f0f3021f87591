"""Chapter 2.4: edge computing (inference moving towards the edge).

The seed gives no quantities for edge infrastructure, so this chapter says so and draws on the
quantities that bear on it: the inference share of AI server workloads (figure 8 in chapter 2.1)
and the parameter reduction that compression allows, both stated facts.
"""

from __future__ import annotations

from ..claims import V, sentence
from ..content import Section
from ..figures import Figures
from . import Context, Finding
from ._facts import fact_claim, has_fact

ID = "edge"
NUMBER = "2.4"
TITLE = ("边缘计算", "Edge computing")
FIGURES = Figures(ID)

INFERENCE_OBS = "cn_ai_server_inference_workload_share_2028"


def write(ctx: Context, sec: Section) -> None:
    rd, cl, z = ctx.rd, ctx.cl, ctx.z
    parts = []
    if rd.has("market_observations"):
        o = rd.df("market_observations")
        if (o["obs_id"] == INFERENCE_OBS).sum() == 1:
            inf = cl.pct("inference_share_2028", V("market_observations", "value", obs_id=INFERENCE_OBS), 0)
            p = sentence(z(
                "推理正在成为人工智能服务器的主要工作负载：到2028年，推理工作负载占比将达到{inf}{ref}。"
                "推理对时延、带宽和数据隐私敏感，这是大模型部署向边缘和端侧迁移的根本动力。",
                "Inference is becoming the main AI server workload: by 2028 it will account for {inf} of the workload{ref}. "
                "Inference is sensitive to latency, bandwidth and data privacy, which is what pushes model deployment "
                "towards the edge and devices."), inf=inf, ref=ctx.fig_ref("market_workload"))
            parts.append(p)
            ctx.note(Finding("edge_inference", ID, p, "trend", {"share": float(o.loc[o["obs_id"] == INFERENCE_OBS,
                                                                                     "value"].iloc[0])}))
    if has_fact(rd, "pruning_param_reduction"):
        pr = fact_claim(rd, cl, "pruning_param_reduction", 0, "%")
        parts.append(sentence(z(
            "模型小型化让边缘部署成为可能：合适的压缩剪枝技术可减少模型参数数量{pr}以上，而性能损失很小；"
            "量化和蒸馏进一步降低显存与算力需求，使人工智能PC、手机和边缘服务器能运行企业级模型。",
            "Smaller models make edge deployment possible: suitable compression and pruning cut parameters by more than "
            "{pr} with little loss of accuracy; quantisation and distillation lower memory and compute needs further, so "
            "AI PCs, phones and edge servers can run enterprise models."), pr=pr))
    parts.append(sentence(z(
        "原报告对边缘基础设施没有给出市场规模或部署量，本报告因此不对边缘算力作定量估计；这一空白留待有数据的版本补上。",
        "The original report gives no market size or installed base for edge infrastructure, so this report makes no quantitative "
        "estimate of edge compute; the gap stays visible until an edition has data for it.")))
    sec.paragraphs.extend(parts)
