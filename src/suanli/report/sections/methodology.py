"""Appendix A: methodology in prose, with each stage's parameters as tables (never raw JSON).

Each stage gets a paragraph saying what it computes and how; its recorded parameters become
labelled tables (:mod:`._params`: main settings, the index's steps, the capacity scenarios and
every uncertain parameter with its range, distribution and basis). The index framework
(tree and weights), the uncertainty settings, the market check verdicts and the Sobol figures
follow. The full lineage, with every parameter as recorded, is in ``lineage.json`` and the
workbook's provenance sheet.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from ... import notes_zh
from ...web.names import verdict_name
from .. import lineage_zh
from ..content import Section, Table
from ..data import ReportData
from ..figures import Figures
from ..spec import FigureSpec
from . import Context
from . import _params as _params_mod
from ._index import sobol_fig, tree_order

ID = "methodology"
NUMBER = ""  # the title names it (附录一, Appendix A): a letter before it said it twice
TITLE = ("附录一：方法", "Appendix A: Methodology")
FIGURES = Figures(ID)


@FIGURES("index_city_sobol")
def fig_city_sobol(rd: ReportData) -> list[FigureSpec]:
    return sobol_fig(rd, "city")


@FIGURES("index_industry_sobol")
def fig_industry_sobol(rd: ReportData) -> list[FigureSpec]:
    return sobol_fig(rd, "industry")


#: What each stage does, in words (zh, en). Stages without an entry get their provenance description
#: (in Chinese on a Chinese page, through lineage_zh).
STAGE_TEXT = {
    "capacity": (
        "算力规模采用保有量（vintage）模型：每年出货的服务器数量乘以每台服务器的加速卡数和单卡峰值算力（来自有来源的硬件目录，"
        "按FP16等效精度折算），再乘以服役概率（按服役曲线随年龄递减），得到每年年末的智能算力与通用算力保有量。"
        "有效算力另乘可用率和模型算力利用率，与峰值分开报告。省、市、厂商、行业等切片是同一计算按维度分组的结果，合计与全国一致。",
        "Compute capacity uses an installed-base (vintage) model: servers shipped each year × accelerators per server × "
        "the peak of each accelerator (from the sourced hardware catalogue, converted to FP16-equivalent), times the "
        "probability that the server is still in service (a survival curve by age), gives the intelligent and general "
        "compute installed at each year end. Effective compute also multiplies by availability and model-FLOPs "
        "utilisation and is reported apart from peak. Province, city, vendor and industry views group the same "
        "computation and add up to the national total."),
    "markets": (
        "市场序列由原报告公布的水平值、增长率和倍数重建：缺失年份按几何插值补齐，预测区间来自多个时间序列模型的回测选择；"
        "一致性检查把每个公布数字与其它公布数字重新计算的结果对照，给出通过、近似一致、信息或警告。",
        "Market series are rebuilt from the levels, growth rates and multiples the original report prints: missing years are filled "
        "by geometric interpolation, forecast intervals come from the time-series model that back-tests best, and the "
        "consistency checks recompute each published figure from the others and return pass, approximately "
        "consistent, information or warning."),
    "survey": (
        "调研估计按行业、规模和地区对样本加权（先设计权重、再迭代比例拟合并截尾），比例的置信区间用线性化方差估计；"
        "排序题报告排名第一的占比和平均名次。",
        "Survey estimates weight the sample by industry, size and region (design weights, then raking with trimming); "
        "intervals of shares use linearised variance estimates; ranking questions report the share ranking an option "
        "first and its mean rank."),
    "index": (
        "综合评估先处理异常值（偏度和峰度超过阈值的指标做缩尾），再把每个指标归一化到0-100，按框架逐层加权聚合；"
        "缺失值较多的单位按数据可得性阈值处理。",
        "The composite assessment first treats outliers (winsorising indicators whose skew and kurtosis exceed the "
        "thresholds), normalises each indicator to 0-100, and aggregates level by level with the framework's weights; "
        "units with many missing values are handled by a data-availability threshold."),
    "uncertainty": (
        "不确定性分析同时抽样数据（框架声明的各指标测量误差、缺失值插补的备选做法、逐一剔除指标）与方法选择（权重、归一化、"
        "聚合、异常值处理），重算排名，报告5%-95%分位的排名区间和进入前10名的概率；Sobol方差分解给出每项输入对排名变动的"
        "一阶和总效应；只抽样方法选择的运行作为命名变体保留。",
        "The uncertainty analysis samples the data (each indicator's measurement noise declared in the framework, "
        "imputation alternatives, leaving one indicator out) together with the method choices (weights, normalisation, "
        "aggregation, outlier treatment), recomputes the ranking, and reports 5-95% rank intervals and the probability "
        "of a top-10 place; a Sobol variance decomposition gives each input's first-order and total effect on rank "
        "shifts; the method-only run is kept as a named variant."),
    "energy": (
        "能耗自下而上测算：以算力阶段的服务器保有量为基础，每台服务器的功率由加速卡和CPU的热设计功耗（TDP，来自硬件目录，"
        "缺失时按同类插补并标注）加上整机其他部件开销得出，再乘以负载率得到IT功率和IT能耗，乘以电能利用效率（PUE）得到"
        "设施能耗，乘以各省电网排放因子得到二氧化碳排放。各参数按声明的区间做蒙特卡洛抽样，报告90%区间，并用Sobol指数说明"
        "哪个参数决定区间宽度；模型值与公开的能耗总量逐项说明口径后并列，不做拟合。",
        "Energy is computed bottom-up: from the capacity stage's installed servers, each server's power is the thermal "
        "design power (TDP) of its accelerators and CPUs (from the hardware catalogue; imputed and flagged where "
        "missing) plus the rest of the server, times its load, giving IT power and energy; times the power usage "
        "effectiveness (PUE) it gives facility energy, and times each province's grid emission factor, CO2. Every "
        "parameter is sampled over its declared range (Monte Carlo, 90% intervals), Sobol indices say which parameter "
        "drives the spread, and the estimate is set beside published totals with both scopes stated, never fitted."),
    "demand": (
        "算力需求由恒等式测算：训练需求为各训练任务的计算量（参数量与训练Token数之积的六倍）除以算力利用率（MFU）和训练时长，"
        "推理需求为每日Token量×每Token计算量（激活参数量的两倍）除以利用率；另以实测的单卡日Token数作对照。需求与算力阶段的"
        "FP16等效装机供给对比，各参数做蒙特卡洛抽样，报告中位数和90%区间，并列出原报告需求侧说法的复算结论。",
        "Compute demand follows identities: training demand is each run's compute (six times parameters × training tokens) "
        "over model-FLOPs utilisation (MFU) and training time; inference demand is tokens per day × FLOPs per token "
        "(twice the active parameters) over utilisation, cross-checked with measured tokens per accelerator-day. Demand is "
        "set against the capacity stage's installed FP16-equivalent supply; every parameter is sampled (Monte Carlo, "
        "medians and 90% intervals), and the original report's demand-side claims are recomputed with verdicts."),
    "opendata": (
        "公开数据版只使用有来源的数值：每个指标值要么是来源中印出的陈述值（附来源、网址、日期和原文），要么是由陈述值推导的"
        "数值（推导脚本随仓库提供）；找不到的值保持缺失，只由框架声明的插补方法补值并在每个输出中标注。覆盖率按城市×指标"
        "单元格计算，智算中心按项目逐条记录来源。",
        "The open-data edition uses sourced values only: each indicator value is either stated in a source (with its "
        "source, URL, date and quote) or derived from stated values (by a script in the repository); a value that "
        "cannot be found stays missing and is imputed only by the framework's declared method, flagged in every "
        "output. Coverage is counted over city × indicator cells; each intelligent-computing centre carries its own "
        "source."),
}


def _params(p: Any) -> Any:
    try:
        return json.loads(p) if isinstance(p, str) else (p or {})
    except (TypeError, ValueError):
        return {"value": str(p)}


def write(ctx: Context, sec: Section) -> None:
    rd, z = ctx.rd, ctx.z
    sec.paragraphs.append(Markup(escape(z(
        "本报告的每个数字都来自构建存储（DuckDB）中的结果表；报告阶段只读取这些表，不重新计算。以下按阶段说明方法；"
        "各阶段的主要设置、不确定参数（中心值、抽样区间、分布和依据）以及情景列于本附录的表中。公布值锚点、文本核查清单等"
        "其余记录和完整的来源链（每张表的输入、参数和代码版本）见 lineage.json 和工作簿的来源工作表。",
        "Every number in this report comes from a result table of the build store (DuckDB); the report stage only reads "
        "these tables and never recomputes them. The methods follow stage by stage; each stage's main settings, its "
        "uncertain parameters (central value, sampled range, distribution and basis) and the scenarios are in this "
        "appendix's tables. The rest of what the stages record (published anchors, text-check lists) and the full "
        "lineage (each table's inputs, parameters and code version) are in lineage.json and the workbook's "
        "provenance sheet."))))
    prov = rd.provenance()
    res = prov[prov["kind"] == "result"] if "kind" in prov else prov
    names = lineage_zh.titles(ctx.edition)
    for stage, g in res.groupby("stage", sort=False):
        text = STAGE_TEXT.get(str(stage))
        sec.paragraphs.append(Markup("<strong>{}</strong>{}{}").format(
            stage_name(str(stage), rd.lang) + z("。", "."), z("", " "), text[0 if rd.lang == "zh" else 1] if text else
            _recorded(g.iloc[0], rd.lang, names)))
        # the tables of each distinct parameter set of the stage (index and uncertainty record one per assessment)
        seen: dict[str, list[str]] = {}
        for r in g.itertuples():
            seen.setdefault(str(r.params), []).append(str(r.table_name))
        for params, tabs in seen.items():
            sec.tables += parameter_tables(str(stage), _params(params), tabs, rd.lang, _assessment_names(rd))
    _framework(rd, sec)
    _uncertainty(rd, sec)
    _checks(rd, sec)


def _assessment_names(rd: ReportData) -> dict[str, str]:
    """Assessment kind (city, industry) → its framework's name in the page's language (the root of
    its weights table)."""
    out = {}
    for kind in ("city", "industry"):
        wt = f"index_{kind}_weights"
        if rd.has(wt):
            w = rd.df(wt)
            root = w[w["parent_id"].fillna("").astype(str) == ""]
            if len(root):
                out[kind] = str(root.iloc[0]["name_zh" if rd.lang == "zh" else "name_en"])
    return out


#: the build stages in Chinese words; the stage's id (what ``suanli build --force-from`` takes) follows
STAGE_ZH = {"capacity": "算力", "markets": "市场", "energy": "能耗", "demand": "需求", "survey": "调研",
            "index": "评估", "uncertainty": "不确定性", "opendata": "公开数据", "report": "报告"}


def stage_name(stage: str, lang: str) -> str:
    """'算力阶段（capacity）' in Chinese, 'Capacity stage' in English (it starts a caption or a paragraph)."""
    if lang == "zh":
        return f"{STAGE_ZH[stage]}阶段（{stage}）" if stage in STAGE_ZH else f"{stage}阶段"
    return f"{stage[:1].upper()}{stage[1:]} stage"


def parameter_tables(stage: str, p: Any, tabs: list[str], lang: str,
                     assessments: dict[str, str] | None = None) -> list[Table]:
    """The settings, index steps, scenarios and uncertain parameters of one recorded parameter set
    (see :mod:`._params`); none for a set with nothing to show. ``assessments``: kind → name of each
    assessment (:func:`_assessment_names`), to name the one whose steps a table shows."""
    def z(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    shown = ", ".join(tabs[:3]) + (z(f" 等{len(tabs)}张表", f" and {len(tabs) - 3} more") if len(tabs) > 3 else "")
    out = []
    rows = _params_mod.setting_rows(stage, p, lang)
    if rows:
        out.append(Table(z(f"{stage_name(stage, lang)}设置（{shown}）", f"{stage_name(stage, lang)} settings ({shown})"),
                         [z("设置", "Setting"), z("取值", "Value")], rows))
    if stage == "index":  # the uncertainty stage records the same steps again
        rows = _params_mod.step_rows(p, lang)
        if rows:
            fw = p.get("framework") if isinstance(p, dict) else None
            # the tables of an assessment are index_<kind>_…: name it as its framework does
            kind = next((k for k in (assessments or {}) if any(t.startswith(f"index_{k}_") for t in tabs)), None)
            fw = (assessments or {}).get(kind, fw) if kind else fw
            out.append(Table(z(f"评估计算步骤（{fw}）", f"Assessment steps ({fw})"),
                             [z(*c) for c in _params_mod.STEP_COLUMNS], rows))
    rows = _params_mod.scenario_rows(p, lang)
    if rows:
        out.append(Table(z("算力情景（保有量模型外推）", "Capacity scenarios (vintage model run forward)"),
                         [z(*c) for c in _params_mod.SCENARIO_COLUMNS], rows, numeric=[False, True, True, True, False, False]))
    rows = _params_mod.assumption_rows(stage, p, lang)
    if rows:
        out.append(Table(z(f"{stage_name(stage, lang)}不确定参数（{shown}）", f"{stage_name(stage, lang)} uncertain parameters ({shown})"),
                         [z("参数", "Parameter"), z("中心值", "Central"), z("区间", "Range"), z("分布", "Distribution"),
                          z("依据", "Basis")], rows))
    return out


def _recorded(first: pd.Series, lang: str, names: dict[str, str]) -> Any:
    """A stage without STAGE_TEXT: its first table's recorded description (or method), in Chinese on
    a Chinese page (:mod:`..lineage_zh`; the English, marked, where there is none)."""
    if first.get("description"):
        en = str(first.get("description"))
        return lineage_zh.shown(en, lineage_zh.description_zh(str(first.get("table_name")), en, names), lang)
    en = str(first.get("method") or "")
    return lineage_zh.shown(en, lineage_zh.method_zh(en) if en else "", lang)


def _framework(rd: ReportData, sec: Section) -> None:
    z = rd.zh_en
    for kind in ("city", "industry"):
        wt = f"index_{kind}_weights"
        if not rd.has(wt):
            continue
        w = rd.df(wt).sort_values(["level", "parent_id", "node_id"], ascending=[False, True, True])
        from ...web.names import UNITS

        rows = [["　" * (int(w["level"].max()) - int(r.level)) + (r.name_zh if rd.lang == "zh" else r.name_en),
                 f"{r.weight:g}", f"{r.effective_weight:.3f}",
                 "" if pd.isna(r.unit) else UNITS.get(str(r.unit), (str(r.unit),) * 2)[0 if rd.lang == "zh" else 1]]
                for r in tree_order(w)]
        sec.tables.append(Table(
            z(f"{'城市' if kind == 'city' else '行业'}评估框架与权重", f"{kind.title()} assessment framework and weights"),
            [z("节点", "Node"), z("权重", "Weight"), z("有效权重", "Effective weight"), z("单位", "Unit")], rows,
            rd.source(wt), rd.synthetic(wt), [False, True, True, False]))


def _uncertainty(rd: ReportData, sec: Section) -> None:
    z = rd.zh_en
    for kind in ("city", "industry"):
        t = f"index_{kind}_uncertainty_inputs"
        if not rd.has(t):
            continue
        u = rd.df(t)
        # the input's label already says its kind (权重, 归一化方法…), so the kind's id is not shown
        cols = [c for c in ("input", "dims", "choices") if c in u]
        heads = {"input": ("输入", "Input"), "dims": ("维数", "Dimensions"), "choices": ("取值", "Choices")}
        from ._index import input_label

        names = _indicator_names(rd, kind)
        rows = [[input_label(rd.lang, str(v)) if c == "input" else
                 _choices(rd.lang, str(getattr(r, "kind", "")), v, names) if c == "choices" else str(v)
                 for c, v in zip(cols, (getattr(r, c) for c in cols), strict=True)]
                for r in u.itertuples(index=False)]
        sec.tables.append(Table(
            z(f"不确定性分析设置（{'城市' if kind == 'city' else '行业'}评估）", f"Uncertainty settings ({kind} assessment)"),
            [z(*heads[c]) for c in cols], rows, rd.source(t), rd.synthetic(t)))


def _indicator_names(rd: ReportData, kind: str) -> dict[str, str]:
    """Node id → name in the page's language, from the assessment's weights table."""
    wt = f"index_{kind}_weights"
    if not rd.has(wt):
        return {}
    w = rd.df(wt)
    return dict(zip(w["node_id"].astype(str), w["name_zh" if rd.lang == "zh" else "name_en"].astype(str), strict=True))


def _choices(lang: str, kind: str, text: object, names: dict[str, str]) -> str:
    """An uncertain input's choices in words: excluded indicators by name (``-id`` → 不含 已建公共智能算力),
    labels in the page's language, and what measurement noise does (it has no discrete choices)."""
    raw = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text).strip()
    if kind == "noise" and not raw:
        return ("每个指标按框架声明的测量误差（标准差）随机扰动" if lang == "zh" else
                "each indicator perturbed by the measurement error (standard deviation) its framework declares")
    if lang == "zh" and (zh := notes_zh.choices_zh(raw)) is not None:
        raw = zh
    parts = []
    for part in raw.split(" | "):
        if part.startswith("-") and part[1:] in names:
            parts.append(("不含 " if lang == "zh" else "without ") + names[part[1:]])
        else:
            parts.append(part if lang == "zh" else _CHOICES_EN.get(part, part))
    return " | ".join(parts)


#: the uncertainty stage's short labels of choices, in words on an English page
_CHOICES_EN = {"amean": "arithmetic mean", "gmean": "geometric mean", "hmean": "harmonic mean",
               "coinr (on)": "COINr rule (on)", "none": "none (all indicators)"}


def _checks(rd: ReportData, sec: Section) -> None:
    z = rd.zh_en
    if not rd.has("market_checks"):
        return
    c = rd.df("market_checks")
    counts = c["verdict"].value_counts()
    rows = [[verdict_name(v, rd.lang), int(counts.get(v, 0))] for v in ("PASS", "APPROX", "INFO", "WARN", "FAIL")]
    sec.tables.append(Table(z("市场数据一致性检查结果", "Market consistency checks"), [z("结论", "Verdict"), z("数量", "Count")],
                            rows, rd.source("market_checks"), rd.synthetic("market_checks"), [False, True]))
    warn = c[c["verdict"].isin(["WARN", "FAIL"])].sort_values("check_id")
    if len(warn):
        sec.tables.append(Table(z("警告明细", "Warnings in detail"),
                                [z("检查", "Check"), z("结论", "Verdict"), z("内容", "What"), z("说明", "Detail")],
                                [[r.check_id, verdict_name(r.verdict, rd.lang), notes_zh.check_text(r, "title", rd.lang), notes_zh.check_text(r, "detail", rd.lang)]
                                 for r in warn.itertuples()],
                                rd.source("market_checks"), rd.synthetic("market_checks")))
