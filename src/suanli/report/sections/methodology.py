"""Appendix A: methodology (how each stage computes, with its parameters) and the sensitivity figures."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ..claims import sentence
from ..content import Card, Section, Table
from ..data import ReportData, params_text
from ..figures import Figures
from ..spec import FigureSpec
from . import Context
from ._index import sobol_fig, tree_order

ID = "methodology"
NUMBER = "A"
TITLE = ("附录一：方法", "Appendix A: Methodology")
FIGURES = Figures(ID)


@FIGURES("index_city_sobol")
def fig_city_sobol(rd: ReportData) -> list[FigureSpec]:
    return sobol_fig(rd, "city")


@FIGURES("index_industry_sobol")
def fig_industry_sobol(rd: ReportData) -> list[FigureSpec]:
    return sobol_fig(rd, "industry")


def write(ctx: Context, sec: Section) -> None:
    methodology(ctx.rd, sec, ctx.edition)
    method_hook(ctx.rd, sec)


def methodology(rd: ReportData, sec: Section, edition: Any) -> None:
    z = rd.zh_en
    prov = rd.provenance()
    res = prov[prov["kind"] == "result"] if "kind" in prov else prov
    sec.paragraphs.append(sentence(z(
        "本报告的每个数字都来自构建存储（DuckDB）中的结果表；报告阶段只读取这些表，不重新计算。"
        "以下按阶段列出方法及其参数。",
        "Every number in this report comes from a result table of the build store (DuckDB); the report stage only "
        "reads these tables and never recomputes them. Methods and parameters by stage follow.")))
    if rd.has("capacity_national"):
        p = json.loads(rd.prov("capacity_national").get("params") or "{}")
        items = [
            (z("口径", "Basis"), str(rd.prov("capacity_national").get("description", ""))),
            (z("统计时点", "Stock at"), p.get("stock_at")),
            (z("出货时点", "Timing"), p.get("timing")),
            (z("智能算力服役曲线", "Survival (intelligent)"), json.dumps(p.get("survival_intelligent"), ensure_ascii=False)),
            (z("通用算力服役曲线", "Survival (general)"), json.dumps(p.get("survival_general"), ensure_ascii=False)),
            (z("FP16等效精度", "FP16-equivalent precisions"), ", ".join(p.get("fp16_equivalent") or [])),
            (z("稀疏性", "Sparsity"), p.get("sparsity")),
            (z("利用率参数", "Utilisation"), json.dumps(p.get("utilisation"), ensure_ascii=False)),
        ]
        sec.cards.append(Card(z("算力规模方法（capacity 阶段）", "Compute-capacity method (capacity stage)"),
                              [(k, "" if v is None else str(v)) for k, v in items]))
    rows = []
    for (stage, method), g in res.groupby(["stage", "method"], sort=True):
        rows.append([stage, method, ", ".join(sorted(g["table_name"])), params_text(g["params"].iloc[0], 300)])
    sec.tables.append(Table(z("各阶段方法与参数", "Methods and parameters by stage"),
                            [z("阶段", "Stage"), z("方法", "Method"), z("结果表", "Tables"), z("参数", "Parameters")],
                            rows))



def method_hook(rd: ReportData, sec) -> None:
    z = rd.zh_en
    for kind in ("city", "industry"):
        wt = f"index_{kind}_weights"
        if not rd.has(wt):
            continue
        w = rd.df(wt).sort_values(["level", "parent_id", "node_id"], ascending=[False, True, True])
        rows = [["　" * (int(w["level"].max()) - int(r.level)) + (r.name_zh if rd.lang == "zh" else r.name_en),
                 r.node_id, "" if pd.isna(r.parent_id) else r.parent_id, f"{r.weight:g}", f"{r.effective_weight:.3f}",
                 "" if pd.isna(r.unit) else r.unit] for r in tree_order(w)]
        sec.tables.append(Table(
            z(f"{'城市' if kind == 'city' else '行业'}评估框架与权重", f"{kind.title()} assessment framework and weights"),
            [z("节点", "Node"), "id", z("上级", "Parent"), z("权重", "Weight"), z("有效权重", "Effective weight"),
             z("单位", "Unit")], rows, rd.source(wt), rd.synthetic(wt), [False, False, False, True, True, False]))
        p = rd.prov(f"index_{kind}_results")
        sec.paragraphs.append(sentence(z("{k}评估的归一化、缺失值处理与聚合方法（index 阶段参数）：{p}",
                                         "{k} assessment normalisation, imputation and aggregation (index stage parameters): {p}"),
                                       k=z("城市" if kind == "city" else "行业", kind.title()),
                                       p=str(p.get("params", ""))[:600]))
    if rd.has("market_checks"):
        c = rd.df("market_checks")
        counts = c["verdict"].value_counts()
        rows = [[v, int(counts.get(v, 0))] for v in ("PASS", "APPROX", "INFO", "WARN", "FAIL")]
        sec.tables.append(Table(z("市场数据一致性检查结果", "Market consistency checks"),
                                       [z("结论", "Verdict"), z("数量", "Count")], rows, rd.source("market_checks"),
                                       rd.synthetic("market_checks"), [False, True]))
    for kind in ("city", "industry"):
        t = f"index_{kind}_uncertainty_inputs"
        if rd.has(t):
            u = rd.df(t)
            cols = [c for c in ("input", "kind", "dims", "choices") if c in u]
            sec.tables.append(Table(
                z(f"不确定性分析设置（{'城市' if kind == 'city' else '行业'}评估）", f"Uncertainty settings ({kind} assessment)"),
                [z(*{"input": ("输入", "Input"), "kind": ("类型", "Kind"), "dims": ("维数", "Dimensions"),
                     "choices": ("取值", "Choices")}[c]) for c in cols],
                u[cols].astype(str).values.tolist(), rd.source(t), rd.synthetic(t)))
            p = rd.prov(f"index_{kind}_rank_intervals")
            if p.get("stage") != "?":
                sec.paragraphs.append(sentence(z("{k}排名区间的抽样设置（{s} 阶段参数）：{p}", "{k} rank-interval sampling ({s} stage parameters): {p}"),
                                               k=z("城市" if kind == "city" else "行业", kind.title()), s=p.get("stage"),
                                               p=str(p.get("params", ""))[:500]))
