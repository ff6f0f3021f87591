"""Chapter 4: recommendations, generated from the findings of the chapters before.

Each rule looks at stored values; when its trigger holds it writes one recommendation and cites
the findings (sentences printed in earlier chapters, noted with ``ctx.note``) that set it off. A
rule whose trigger does not hold writes nothing, so the chapter changes with the data. For the
cities, each of the top 20 gets its weakest dimension and up to three cities that score higher on it.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup, escape

from .. import fmt
from ..claims import sentence
from ..content import Box, Section, Table
from ..figures import Figures
from . import Context, Finding
from ._index import composite

ID = "recommendations"
NUMBER = "4"
TITLE = ("建议", "Recommendations")
FIGURES = Figures(ID)

TOP_CITIES = 20
LEARN_FROM = 3


def _ends_sentence(text: object) -> bool:
    return str(text).rstrip().endswith(("。", ".", "！", "？"))


def lead_sentence(text: Markup) -> Markup:
    """The first sentence of a finding (a whole paragraph, often): a recommendation cites what its
    finding says in one sentence, with its numbers as claims; the paragraph stays in its chapter.
    Sentences end at 。！？, or at . ! ? before a space; a stop inside a tag (a claim's data) or a
    decimal point does not end one."""
    s = str(text)
    depth = 0
    for i, ch in enumerate(s):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif depth == 0 and (ch in "。！？" or (ch in ".!?" and s[i + 1:i + 2] == " ")):
            return Markup(s[:i + 1])
    return text


def _cite(ctx: Context, ids: list[str]) -> Markup:
    found = [f for f in ctx.notes if f.id in ids]
    if not found:
        return Markup("")
    titles = {s.id: (s.number, s.title) for s in ctx.sections.values()}
    # the findings grouped by the section that states them, each section named once: eleven
    # warnings of one chapter read as one list, not eleven times "(section 1, …)"
    by_section: dict[str, list] = {}
    for f in found:
        by_section.setdefault(f.section, []).append(f)
    parts = []
    for sec_id, fs in by_section.items():
        num, title = titles.get(sec_id, ("", sec_id))
        text = Markup("")
        for i, f in enumerate(fs):
            if i:  # a finding that is a sentence ends with its stop; a check's title gets a separator
                ended = _ends_sentence(fs[i - 1].text)
                text += Markup(ctx.z("" if ended else "；", " " if ended else "; "))
            text += lead_sentence(f.text)
        if not _ends_sentence(fs[-1].text):  # a list of checks ends with a stop too
            text += Markup(ctx.z("。", "."))
        parts.append(Markup('<span class="cite-where">{}</span>{}').format(
            (ctx.z(f"第{num}节 {title}：", f"Section {num}, {title}: ") if "." in num else  # 2.1: a section
             ctx.z(f"第{num}章 {title}：", f"Chapter {num}, {title}: ") if num else ctx.z(f"{title}：", f"{title}: ")),
            text))
    return Markup(ctx.z("依据：", "Because: ")) + Markup(ctx.z("　", " ")).join(parts)


def _rule_results(ctx: Context) -> list[tuple[str, Markup, list[str]]]:
    """(headline, recommendation, cited finding ids) for every rule whose trigger holds."""
    z = ctx.z
    out: list[tuple[str, str, list[str]]] = []
    notes = {f.id: f for f in ctx.notes}
    eff = notes.get("compute_effective")
    if eff is not None and eff.data.get("ratio", 1.0) < 0.5:
        out.append((z("把提高有效算力放在扩大峰值之前", "Raise effective compute before adding peak"),
                    sentence(z("有效算力只有峰值的{r}。新增投资应优先用于调度、互联网络、存储带宽和软件栈优化，"
                      "以提高可用率和模型算力利用率；按有效算力而不是峰值评估智算中心。",
                      "Effective compute is only {r} of peak. New spending should go first to "
                      "scheduling, interconnect, storage bandwidth and the software stack to raise availability and "
                      "utilisation; judge AI data centres by effective, not peak, compute."),
                             r=ctx.cl.items["effective_ratio"]), ["compute_effective"]))
    dom = notes.get("chips_domestic")
    ven = notes.get("chips_vendor")
    concentrated = ven is not None and ven.data.get("leader_share", 0.0) >= 0.3
    if dom is not None and (dom.data.get("last", 1.0) < 0.5 or concentrated):
        s0, s1 = dom.data.get("first", 0.0), dom.data.get("last", 0.0)
        verb = z("上升", "rose") if s1 > s0 else z("下降", "fell")
        out.append((z("建设开放多元的算力体系", "Build an open, multi-vendor compute base"),
                    sentence(z("国产加速卡的算力占比{verb}至{s1}。采购与集群设计应支持多种加速卡混合部署（统一调度、"
                      "可移植的软件栈），并在推理等对生态依赖较小的负载上先行扩大国产芯片的使用。",
                      "The domestic accelerators' share of compute {verb} to {s1}. Procurement and cluster "
                      "design should let several accelerator types run side by side (one scheduler, a portable software "
                      "stack) and widen the use of domestic chips first in inference, which depends less on one ecosystem."),
                             verb=verb, s1=ctx.cl.items["domestic_share_last"]), ["chips_domestic", "chips_vendor", "chips_stock_flow"]))
    inf = notes.get("edge_inference")
    if inf is not None and inf.data.get("share", 0.0) >= 0.5:
        out.append((z("按推理为主来规划算力", "Plan capacity for an inference-led workload"),
                    z("推理将成为主要工作负载。规划应转向单位token成本、时延和能效，配置推理优化的服务器、模型压缩与缓存技术，"
                      "并在靠近数据的边缘侧部署推理能力。",
                      "Inference will be the main workload. Planning should turn to cost per token, latency and energy "
                      "efficiency, with inference-optimised servers, model compression and caching, and inference capacity "
                      "at the edge, close to the data."), ["edge_inference", "models_efficiency", "models_open"]))
    en = notes.get("cooling_energy")
    if en is not None and en.data.get("cagr", 0.0) >= 0.15:
        out.append((z("把液冷和能效作为新建智算中心的前提", "Make liquid cooling and efficiency a condition of new AI data centres"),
                    # the rate is computed from the original report's two forecasts (derived), not printed by it
                    sentence(z("按原报告对{a}年和{b}年的预测推算，全球人工智能数据中心IT能耗年均增长约{g}。新建和改造项目应以液冷为默认方案、"
                      "按PUE和单位能耗算力设定门槛，并把绿电供给纳入选址。",
                      "The original report's forecasts for {a} and {b} imply that global AI data-centre IT energy grows "
                      "by about {g} a year. New and refitted sites "
                      "should take liquid cooling as the default, set thresholds on PUE and compute per unit of energy, "
                      "and make green power part of siting."), g=ctx.cl.items["energy_cagr"], a=en.data["from"], b=en.data["to"]), ["cooling_energy", "cooling_liquid", "cooling_china_pue"]))
    warns = [f.id for f in ctx.notes if f.kind == "warn"]
    if warns:
        out.append((z("引用公布数字前先核对口径", "Check the basis of published figures before quoting them"),
                    # the warnings are not all figures against their basis: dates, names, lists and label orders too
                    sentence(z("一致性检查对{n}处公布的数字或表述给出警告：它们与其自身口径、报告的其他部分或外部来源对不上。"
                      "引用增长率、倍数和成本比时应写明时间窗口与口径，"
                      "不把不同版本、不同窗口的数字直接比较。",
                      "The consistency checks give {n} warnings about published figures and statements that disagree "
                      "with their own basis, another part of the report or an outside source. "
                      "Growth rates, multiples and cost ratios should be quoted with their window and basis, and figures "
                      "from different editions or windows should not be compared directly."), n=ctx.cl.items["checks_warn"]), warns))
    unc = notes.get("city_uncertainty")
    if unc is not None:
        out.append((z("不要过度解读相邻名次的差别", "Do not over-read small differences in rank"),
                    z("权重和缺失值处理的合理变化就会让部分城市的名次移动数位。政策比较应以得分档次和排名区间为准，"
                      "而不是单一名次。",
                      "Reasonable changes of weights and imputation move some cities by several places. Policy "
                      "comparisons should rest on score bands and rank intervals, not on a single rank."),
                    ["city_uncertainty"]))
    return out


def write(ctx: Context, sec: Section) -> None:
    z = ctx.z
    recs = _rule_results(ctx)
    sec.paragraphs.append(Markup(escape(z(
        "以下建议由规则根据前文的发现生成：每条建议只在其依据的数据条件成立时出现，并注明引发它的发现。",
        "The recommendations below are generated by rules from the findings above: each appears only when "
        "the condition in the data that triggers it holds, and names the findings that trigger it."))))
    for i, (head, text, ids) in enumerate(recs, 1):
        sec.boxes.append(Box(f"{i}. {head}", [text if isinstance(text, Markup) else Markup(escape(text)),
                                               _cite(ctx, ids)]))
        ctx.note(Finding(f"recommendation_{i}", ID, Markup(escape(head)), "recommendation"))
    _city_learning(ctx, sec)


def _city_learning(ctx: Context, sec: Section) -> None:
    rd, z = ctx.rd, ctx.z
    if not rd.has("index_city_results"):
        sec.missing.append("index_city_results")
        return
    r = rd.df("index_city_results")
    y = int(r["year"].max())
    top_level = int(r["level"].max())
    comp = composite(rd, "city").head(TOP_CITIES)
    dims = r[(r["year"] == y) & (r["level"] == top_level - 1)]
    if dims.empty:
        return
    names = dims.drop_duplicates("node_id").set_index("node_id")["node_name"]
    if rd.lang == "en" and rd.has("index_city_weights"):
        w = rd.df("index_city_weights").set_index("node_id")["name_en"]
        names = pd.Series({k: w.get(k, v) for k, v in names.items()})
    rows = []
    weakest_count: dict[str, int] = {}
    for c in comp.itertuples():
        mine = dims[dims["unit_id"] == c.unit_id].dropna(subset=["score"])
        if mine.empty:
            continue
        weak = mine.sort_values(["score", "node_id"]).iloc[0]
        weakest_count[weak["node_id"]] = weakest_count.get(weak["node_id"], 0) + 1
        # only cities that score higher there: a city that leads even its weakest dimension has no one
        # to learn from on it (ranking the others would send Beijing to cities that score lower)
        best = dims[(dims["node_id"] == weak["node_id"]) & (dims["score"] > weak["score"])].dropna(subset=["score"])
        best = best.sort_values(["score", "unit_id"], ascending=[False, True]).head(LEARN_FROM)
        learn = ("、" if rd.lang == "zh" else "; ").join(
            f"{rd.city(u)}（{fmt.number(s, 1)}）" if rd.lang == "zh" else f"{rd.city(u)} ({fmt.number(s, 1)})"
            for u, s in zip(best["unit_name"], best["score"], strict=True)) or z(
            "无：该市在此维度已居首位", "none: it leads this dimension")
        rows.append([int(c.rank), rd.city(c.unit_name), str(names.get(weak["node_id"], weak["node_id"])),
                     fmt.number(float(weak["score"]), 1), learn])
    if not rows:
        return
    common = max(weakest_count, key=lambda k: (weakest_count[k], k))
    most = weakest_count[common] * 2 > len(rows)
    sec.paragraphs.append(Markup(escape(z(
        f"对城市而言，最常见的短板是“{names.get(common, common)}”：前{TOP_CITIES}名中"
        + ("多数" if most else "不少") + "城市在该维度得分最低。下表列出每个城市得分最低的维度，以及在该维度得分更高、值得借鉴的城市。",
        f"For cities, the most common weak point is '{names.get(common, common)}': " + ("most" if most else "many")
        + f" of the top {TOP_CITIES} score lowest on it. The table gives each city's weakest dimension and the cities "
        "that score higher there, the ones to learn from."))))
    sec.tables.append(Table(z(f"前{len(rows)}城市的最弱维度与借鉴对象（{y}年）", f"Weakest dimension of the top {len(rows)} cities and whom to learn from ({y})"),
                            [z("排名", "Rank"), z("城市", "City"), z("最弱维度", "Weakest dimension"),
                             z("维度得分", "Dimension score"), z("该维度得分更高的城市（得分）", "Higher on that dimension (score)")],
                            rows, rd.source("index_city_results"), rd.synthetic("index_city_results"),
                            [True, False, False, True, False]))
