"""The report's demand chapter: compute demand (LLM training and token inference) against the
installed intelligent compute, the implied utilisation band, the training/inference split, which
parameter moves utilisation most, the run catalogue and the seed's demand-side claims.

Reads only the demand stage's tables. The text is written from the data: the sentences pick the
last year, the largest driver, the verdicts that hold and fail; every number is a claim tied to
its stored value.
"""

from __future__ import annotations

import pandas as pd

from ...web.names import verdict_name
from .. import fmt
from ..claims import Claims, V, sentence
from ..content import Section, Table
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from . import Context

ID = "demand"
NUMBER = "2.9"
TITLE = ("算力需求与供给", "Compute demand and supply")
SECTION = (ID, *TITLE)
FIGURES = Figures(ID)


def _vc_note(rd: ReportData, *tables: str) -> str:
    cls = rd.value_classes(*tables)
    from ...store.value_class import LABELS

    return rd.zh_en("数值性质：", "Value classes: ") + rd.zh_en("、", ", ").join(LABELS[rd.lang][c] for c in cls)


@FIGURES("demand_supply")
def fig_demand_supply(rd: ReportData) -> list[FigureSpec]:
    ds = rd.df("demand_supply").sort_values("year")
    z = rd.zh_en
    rows = []
    for col, name in (("supply_eflops", z("装机智能算力（供给，FP16）", "Installed intelligent compute (supply, FP16)")),
                      ("demand_eflops", z("算力需求（训练+推理）", "Compute demand (training + inference)")),
                      ("inference_eflops", z("推理需求", "Inference demand")),
                      ("training_eflops", z("训练需求", "Training demand"))):
        for r in ds.itertuples():
            rows.append({"x": int(r.year), "series": name, "value": float(getattr(r, col)),
                         "lo": float(getattr(r, f"{col}_lo")), "hi": float(getattr(r, f"{col}_hi"))})
    y0, y1 = int(ds.year.min()), int(ds.year.max())
    figs = [FigureSpec(
        "demand_vs_supply", "demand", "line",
        z(f"算力需求与装机供给，{y0}-{y1}（中位数与90%区间）", f"Compute demand vs installed supply, {y0}-{y1} (median, 90% band)"),
        pd.DataFrame(rows), rd.source("demand_supply"), ["demand_supply"], rd.synthetic("demand_supply"),
        y_label="EFLOPS", note=_vc_note(rd, "demand_supply"), lang=rd.lang)]
    u = [{"x": int(r.year), "series": z("隐含利用率", "Implied utilisation"), "value": float(r.implied_utilisation),
          "lo": float(r.implied_utilisation_lo), "hi": float(r.implied_utilisation_hi)} for r in ds.itertuples()]
    figs.append(FigureSpec(
        "demand_utilisation", "demand", "line",
        z("隐含利用率：需求占装机智能算力的比例（90%区间）", "Implied utilisation: demand as a share of installed compute (90% band)"),
        pd.DataFrame(u), rd.source("demand_supply"), ["demand_supply"], rd.synthetic("demand_supply"),
        y_label=z("占装机算力", "share of installed"), percent=True, lang=rd.lang))
    split = []
    for r in ds.itertuples():
        split.append((int(r.year), z("训练", "Training"), float(r.training_eflops)))
        split.append((int(r.year), z("推理", "Inference"), float(r.inference_eflops)))
    figs.append(FigureSpec(
        "demand_split", "demand", "stacked100", z("算力需求构成：训练与推理", "Demand split: training and inference"),
        pd.DataFrame(split, columns=["x", "series", "value"]), rd.source("demand_supply"), ["demand_supply"],
        rd.synthetic("demand_supply"), lang=rd.lang))
    return figs


@FIGURES("demand_sensitivity")
def fig_demand_sensitivity(rd: ReportData) -> list[FigureSpec]:
    s = rd.df("demand_sensitivity")
    y = int(s.year.max())
    s = s[s.year == y].sort_values("share_of_rank_variance")
    z = rd.zh_en
    d = pd.DataFrame({"y": s.label_zh if rd.lang == "zh" else s.label_en,
                      "series": z("对利用率秩方差的贡献", "share of rank variance of utilisation"),
                      "value": s.share_of_rank_variance.astype(float)})
    return [FigureSpec(
        "demand_sensitivity", "demand", "hbar",
        z(f"哪个参数最影响{y}年隐含利用率（秩相关平方的占比）", f"Which parameter moves {y} implied utilisation most (share of squared rank correlation)"),
        d, rd.source("demand_sensitivity"), ["demand_sensitivity"], rd.synthetic("demand_sensitivity"),
        percent=True, height=460, lang=rd.lang)]


TEXT = {
    "zh": {
        "level": "按训练与Token推理两项工作负载测算，{y}年中国大模型算力需求约为{d}（中位数，90%区间{lo}至{hi}），"
                 "相当于当年平均装机智能算力{s}的{u}（该比例的中位数，区间{ulo}至{uhi}）。这是大模型负载占装机峰值算力的比例，"
                 "不含推荐、视觉、语音等其他人工智能负载。本节的需求数字都是各自蒙特卡洛抽样的中位数，"
                 "彼此相加或相除不一定等于另一个中位数。",
        "tokens": "需求的主体来自推理：{y}年日均Token调用量约{t}（由国家数据局公布的2024年初1000亿、2025年底100万亿等数据"
                  "按对数线性插值取全年平均），推理占算力需求的{sh}（区间{shlo}至{shhi}）。原报告称2028年推理工作负载占比将达{c}，"
                  "但未说明口径（支出、服务器台数还是计算量）。",
        "driver": "不确定性主要来自{p1}（秩方差占比{r1}），其次是{p2}（{r2}）与{p3}（{r3}）。",
        "train": "训练侧以公开了参数与训练Token数（或加速卡小时）的模型为锚：{n}个中国模型（{runs}）的训练计算量按6·N·D"
                 "（或加速卡小时×峰值×利用率）计，"
                 "再乘以未公开训练的覆盖倍数与实验倍数。{y}年训练需求约{tr}（区间{trlo}至{trhi}）。",
        "checks": "原报告关于需求侧的说法逐一复算：{items}。",
        "check_item": "“{q}”在{basis}口径下为{r}（{v}）",
        "others_disagree": "，其余{n}种口径中{f}种不一致", "others_all_disagree": "，其余{n}种口径均不一致",
        "other_disagrees": "，另一种口径不一致", "others_agree": "，其余{n}种口径也都一致", "other_agrees": "，另一种口径也一致",
    },
    "en": {
        "level": "Counting LLM training and token inference, China's compute demand in {y} is about {d} (90% interval "
                 "{lo} to {hi}; the median), {u} of the year's average installed intelligent compute of {s} (the median "
                 "of that share; interval {ulo} to {uhi}). This is the LLM share of the installed peak; recommendation, "
                 "vision, speech and other AI workloads are not counted. Every demand figure here is the median of its "
                 "own Monte Carlo draws, so they need not add up or divide into one another.",
        "tokens": "Inference dominates: in {y} about {t} tokens a day were served on average (interpolated log-linearly "
                  "between the National Data Administration's 100 billion in early 2024 and 100 trillion at the end of "
                  "2025), and inference is {sh} of compute demand (interval {shlo} to {shhi}). The original report says inference "
                  "will be {c} of workloads in 2028 without saying on what basis (spend, server units or FLOPs).",
        "driver": "The spread comes mostly from {p1} ({r1} of the rank variance), then {p2} ({r2}) and {p3} ({r3}).",
        "train": "Training is anchored on runs with published parameters and tokens (or accelerator-hours): {n} Chinese "
                 "models ({runs}) at 6·N·D (or accelerator-hours × peak × utilisation), times the coverage of unpublished runs and the experiments multiplier. Training demand in {y} "
                 "is about {tr} (interval {trlo} to {trhi}).",
        "checks": "The original report's demand-side claims, recomputed: {items}.",
        "check_item": "'{claim}'{quoted} on the basis of {basis} comes out at {r} ({v})",
        "others_disagree": ", while {f} of the {n} other readings disagree",
        "others_all_disagree": ", while {all} other readings disagree", "other_disagrees": ", while the other reading "
        "disagrees", "others_agree": ", and the {n} other readings agree", "other_agrees": ", and the other reading agrees",
    },
}


def demand_hook(rd: ReportData, cl: Claims, sections: dict, findings: list) -> None:
    if "demand" not in sections or not rd.has("demand_supply"):
        return
    sec = sections["demand"]
    t = TEXT[rd.lang]
    z = rd.zh_en
    ds = rd.df("demand_supply")
    y = int(ds.year.max())

    def e(col: str, key: str) -> object:
        return cl.eflops(f"demand_{key}_{y}", V("demand_supply", col, year=y))

    def p(col: str, key: str) -> object:
        return cl.pct(f"demand_{key}_{y}", V("demand_supply", col, year=y))

    level = sentence(t["level"], y=y, d=e("demand_eflops", "d"), lo=e("demand_eflops_lo", "dlo"),
                     hi=e("demand_eflops_hi", "dhi"), s=e("supply_eflops", "s"), u=p("implied_utilisation", "u"),
                     ulo=p("implied_utilisation_lo", "ulo"), uhi=p("implied_utilisation_hi", "uhi"))
    sec.paragraphs.append(level)
    findings.append(level)
    if rd.has("demand_tokens"):
        unit = (1e12, "万亿") if rd.lang == "zh" else (1e12, " trillion")
        tok = cl._add(f"demand_tokens_{y}", V("demand_tokens", "tokens_per_day", year=y),
                      lambda v: f"{fmt.number(v / unit[0], 1)}{unit[1]}", 1 / unit[0], 1)
        claim_y = int(ds.seed_claim_year.iloc[0])
        c = cl.pct(f"demand_seed_share_{claim_y}", V("demand_inference_share", "inference_share", year=claim_y), 0) \
            if rd.has("demand_inference_share") else fmt.pct(float(ds.seed_claim_value.iloc[0]), 0)
        sec.paragraphs.append(sentence(t["tokens"], y=y, t=tok, sh=p("inference_share", "sh"),
                                       shlo=p("inference_share_lo", "shlo"), shhi=p("inference_share_hi", "shhi"), c=c))
    if rd.has("demand_sensitivity"):
        s = rd.df("demand_sensitivity")
        s = s[s.year == y].sort_values("rank").head(3)
        parts = {}
        for i, r in enumerate(s.itertuples(), 1):
            parts[f"p{i}"] = r.label_zh if rd.lang == "zh" else r.label_en
            parts[f"r{i}"] = cl.pct(f"demand_sens_{r.parameter}_{y}", V("demand_sensitivity", "share_of_rank_variance",
                                                                         year=y, parameter=r.parameter), 0)
        if len(parts) == 6:
            sec.paragraphs.append(sentence(t["driver"], **parts))
    if rd.has("demand_runs", "demand_training"):
        runs = rd.df("demand_runs")
        cn = runs[(runs.country == "CN") & runs.flop.notna()]
        sec.paragraphs.append(sentence(
            t["train"], n=len(cn), runs=("、" if rd.lang == "zh" else ", ").join(cn.sort_values("year").name), y=y,
            tr=e("training_eflops", "tr"), trlo=e("training_eflops_lo", "trlo"), trhi=e("training_eflops_hi", "trhi")))
        cols = [z("模型", "Model"), z("机构", "Developer"), z("年份", "Year"), z("总参数", "Parameters"),
                z("激活参数", "Active"), z("训练Token", "Tokens"), z("训练计算量（FLOP）", "Compute (FLOP)"),
                z("计算量口径", "Compute basis"), z("加速卡", "Accelerator"), z("加速卡小时", "Accelerator-hours"),
                z("有争议的数值", "Disputed values")]
        rows = []
        run_names = dict(zip(runs["run"].astype(str), runs["name"].astype(str), strict=True))
        for r in runs.sort_values(["year", "name"]).itertuples():
            rows.append([r.name, organisation(r.organisation, rd.lang), "" if pd.isna(r.year) else int(r.year),
                         _count(r.params_total), _count(r.params_active), _count(r.tokens), fmt.sci(r.flop, 3),
                         flop_basis(r.flop_basis, rd.lang, run_names),
                         r.accelerator if isinstance(r.accelerator, str) and r.accelerator else "—",
                         _count(r.accelerator_hours), disputed_fields(r.disputed, rd.lang)])
        sec.tables.append(Table(z("训练运行目录（每个数值附来源，见数据表 demand_run_values）",
                                         "Training-run catalogue (each value sourced; see table demand_run_values)"),
                                       cols, rows, rd.source("demand_runs"), rd.synthetic("demand_runs"),
                                       [False, False, True, True, True, True, True, False, False, True, False]))
    if rd.has("demand_checks"):
        ch = rd.df("demand_checks")
        items = []
        for r in ch[ch.primary].itertuples():
            shown = f"1/{1 / r.recomputed:.1f}" if r.unit == "ratio" else f"{r.recomputed:.1f}×"
            # the Chinese report quotes the original words (its own claim text where there is no quote); the
            # English one gives the claim in English with the original words after it
            quote = r.quote if isinstance(r.quote, str) and r.quote.strip() else ""
            # the text gives the primary reading and says how the claim's other readings (the table's rows)
            # come out: one consistent reading printed alone hid three that disagree
            others = ch[(ch.claim == r.claim) & ~ch.primary]
            fails = int((others.verdict == "FAIL").sum())
            n = len(others)
            key = ("other_disagrees" if fails else "other_agrees") if n == 1 else (
                "others_all_disagree" if fails == n else "others_disagree" if fails else "others_agree")
            tail = t[key].format(n=n, f=fails, all="both" if n == 2 else f"all {n}") if n else ""
            items.append(t["check_item"].format(q=quote or rd.said(r, "claim"), claim=rd.said(r, "claim"),
                                                quoted=f" ({quote})" if quote else "", basis=rd.said(r, "basis"),
                                                r=shown, v=verdict_name(r.verdict, rd.lang)) + tail)
        sec.paragraphs.append(sentence(t["checks"], items=z("；", "; ").join(items)))
        rows = [[r.check_id, rd.said(r, "claim"), rd.said(r, "basis"),
                 (f"1/{1 / r.stated:.0f}" if r.unit == "ratio" else f"{r.stated:g}×"),
                 (f"1/{1 / r.recomputed:.1f}" if r.unit == "ratio" else f"{r.recomputed:.1f}×"), verdict_name(r.verdict, rd.lang)]
                for r in ch.itertuples()]
        sec.tables.append(Table(z("需求侧说法的复算", "The original report's demand-side claims recomputed"),
                                       ["id", z("说法", "Claim"), z("口径", "Basis"), z("报告值", "Stated"),
                                        z("复算值", "Recomputed"), z("结论", "Verdict")], rows,
                                       rd.source("demand_checks"), rd.synthetic("demand_checks"),
                                       [False, False, False, True, True, False]))


#: the training-run catalogue's organisations (``organisation``, stored in English as the sources name
#: them) in Chinese, for the Chinese report's run table: the names the organisations use in Chinese
#: (an English brand that is used as is in Chinese stays English); a name not listed is printed as stored
ORG_ZH = {
    "OpenAI": "OpenAI", "Google": "谷歌", "Google DeepMind": "谷歌DeepMind", "Meta": "Meta", "Anthropic": "Anthropic",
    "Microsoft": "微软", "NVIDIA": "英伟达", "xAI": "xAI", "Mistral AI": "Mistral AI",
    "DeepSeek": "深度求索", "Alibaba": "阿里巴巴", "Moonshot AI": "月之暗面", "Zhipu AI": "智谱AI",
    "Tsinghua University / Zhipu AI": "清华大学 / 智谱AI", "IEIT Systems (Inspur)": "浪潮信息", "Baidu": "百度",
    "Tencent": "腾讯", "ByteDance": "字节跳动", "Huawei": "华为", "iFlytek": "科大讯飞", "SenseTime": "商汤科技",
    "MiniMax": "MiniMax", "StepFun": "阶跃星辰", "Baichuan": "百川智能", "01.AI": "零一万物",
    "Shanghai AI Laboratory": "上海人工智能实验室",
}


def organisation(name: object, lang: str) -> str:
    """A catalogue organisation in the report's language: Chinese from :data:`ORG_ZH` on a Chinese
    page (a name not listed passes through unchanged), as stored on an English one."""
    text = "" if name is None or (not isinstance(name, str) and pd.isna(name)) else str(name)
    return ORG_ZH.get(text, text) if lang == "zh" else text


#: the catalogue's fields a value of which can be disputed (``demand_runs.disputed``), in words
FIELDS = {"cost_usd": ("训练成本（美元）", "training cost (USD)"), "mfu_basis": ("MFU 口径", "MFU basis"),
          "mfu_low": ("MFU 下限", "MFU low"), "mfu_high": ("MFU 上限", "MFU high"),
          "params_total": ("总参数", "parameters"), "params_active": ("激活参数", "active parameters"),
          "tokens": ("训练Token", "training tokens"), "accelerator_hours": ("加速卡小时", "accelerator-hours"),
          "accelerator_count": ("加速卡数量", "accelerator count"), "flop_reported": ("公布的计算量", "reported compute"),
          "days": ("训练天数", "training days"), "accelerator": ("加速卡", "accelerator")}


def disputed_fields(text: object, lang: str) -> str:
    """``cost_usd, mfu_basis`` → 训练成本（美元）、MFU 口径 (a field without a name stays as written)."""
    if not isinstance(text, str) or not text.strip():
        return ""
    i = 0 if lang == "zh" else 1
    return ("、" if lang == "zh" else ", ").join(FIELDS.get(f.strip(), (f.strip(),) * 2)[i] for f in text.split(","))


def flop_basis(text: object, lang: str, run_names: dict[str, str]) -> str:
    """How a run's training compute was obtained (``demand_runs.flop_basis``), in the page's language,
    the run it increments named as the catalogue names it (DeepSeek-V3, not deepseek_v3)."""
    import re

    s = str(text) if isinstance(text, str) else ""
    if s == "6·N_active·D":  # in words: the subscript written as an identifier read as code, and its
        # one long run squeezed the catalogue's eleven columns until words broke in the PDF
        return "6·N·D（激活参数）" if lang == "zh" else "6·N·D (active parameters)"
    m = re.fullmatch(r"accelerator-hours × BF16 peak × MFU (?P<mfu>[\d.]+)(?: \(increment on (?P<base>[^)]+)\))?", s)
    if m:
        base = run_names.get(m["base"] or "", m["base"] or "")
        if lang == "zh":
            return f"加速卡小时 × BF16 峰值 × MFU {m['mfu']}" + (f"（在 {base} 基础上的增量）" if base else "")
        return f"accelerator-hours × BF16 peak × MFU {m['mfu']}" + (f" (increment on {base})" if base else "")
    if lang == "zh":
        return {"reported by the developer": "开发者公布",
                "no tokens, reported compute or hours: a gap": "无训练Token、公布计算量或加速卡小时：缺口"}.get(s, s)
    return s


def _count(x) -> str:
    if x is None or pd.isna(x):
        return "—"
    for div, suf in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(x) >= div:
            return f"{x / div:,.4g}{suf}"
    return f"{x:,.0f}"


def write(ctx: Context, sec: Section) -> None:
    findings: list = []
    demand_hook(ctx.rd, ctx.cl, ctx.sections, findings)
    for f in findings:
        ctx.key(f, 55)
