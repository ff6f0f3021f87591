"""Assemble the report: sections (seed structure) with texts, figures, tables and provenance.

The document is language-specific data; ``html.py`` and ``pdf.py`` render it with the same
Jinja2 templates (interactive plotly charts in HTML, static PNGs in the PDF).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import code_version
from ..edition import Edition
from . import fmt
from .claims import GROWTH, RATIO, SUM, Claims, V, sentence
from .data import ReportData, params_text
from .figures import build_all, city_ranking
from .findings import capacity_findings
from .i18n import SECTIONS, S
from .spec import FigureSpec


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Any]]
    source: str = ""
    synthetic: bool = False
    numeric: list[bool] = field(default_factory=list)


@dataclass
class Card:
    title: str
    items: list[tuple[str, Any]]
    synthetic: bool = False


@dataclass
class Section:
    id: str
    title: str
    paragraphs: list[Markup] = field(default_factory=list)
    figures: list[FigureSpec] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return any(f.synthetic for f in self.figures) or any(t.synthetic for t in self.tables)


@dataclass
class Document:
    lang: str
    title: str
    edition: Edition
    synthetic: bool
    findings: list[Markup]
    sections: list[Section]
    figures: list[FigureSpec]
    claims: Claims
    code_version: str
    other_lang_href: str | None = None
    public_note: str = ""

    def t(self, key: str) -> str:
        return S[self.lang][key]


#: Extra figure/text providers for other stages' tables register here (see figures_*.py).
SECTION_HOOKS: list[Any] = []


def build_document(rd: ReportData, edition: Edition) -> Document:
    from . import (  # noqa: F401 - register builders and hooks for other stages' tables
        demand_section,
        figures_more,
        opendata,  # registers the open-data edition's sections; gives the cover note
    )

    lang = rd.lang
    cl = Claims(rd.df, lang)
    figs, missing = build_all(rd)
    sections = {sid: Section(sid, zh if lang == "zh" else en) for sid, zh, en in SECTIONS}
    for f in figs:
        sections[f.section].figures.append(f)
    for sid, tabs in missing.items():
        sections[sid].missing.extend(dict.fromkeys(tabs))

    cap = capacity_findings(rd, cl, edition.year)
    findings: list[Markup] = []
    for k in ("national", "cagr", "domestic", "vendor", "provinces"):
        if k in cap:
            findings.append(cap[k])
    sections["compute"].paragraphs += [cap[k] for k in ("national", "cagr", "effective", "published") if k in cap]
    sections["chips"].paragraphs += [cap[k] for k in ("domestic", "vendor") if k in cap]
    sections["city"].paragraphs += [cap[k] for k in ("provinces",) if k in cap]
    for hook in SECTION_HOOKS:
        hook(rd, cl, sections, findings)

    _city_section(rd, cl, sections["city"])
    _methodology(rd, sections["methodology"], edition)
    # number the figures in document order
    ordered: list[FigureSpec] = []
    for sid, _, _ in SECTIONS:
        for f in sections[sid].figures:
            ordered.append(f)
            f.number = len(ordered)
    _data_appendix(rd, sections["data"], ordered)
    title = edition.title.zh if lang == "zh" else edition.title.en
    doc = Document(lang, title, edition, bool(edition.synthetic or any(f.synthetic for f in ordered)), findings,
                   [sections[sid] for sid, _, _ in SECTIONS], ordered, cl, code_version())
    doc.public_note = opendata.public_note(rd)
    return doc


# ------------------------------------------------------------------------------------------------
def _city_section(rd: ReportData, cl: Claims, sec: Section) -> None:
    r = city_ranking(rd)
    if r is None:
        sec.missing.append("capacity_by_city | index_city_scores")
        return
    rank, table = r
    z = rd.zh_en
    has_cap = rd.has("capacity_by_city")
    cap = rd.df("capacity_by_city") if has_cap else None
    last = int(cap["year"].max()) if has_cap else None
    top = rank.head(10)
    cols = [z("排名", "Rank"), z("城市", "City"), z("得分", "Score") if table.startswith("index") else
            z("智能算力（EFLOPS）", "Intelligent compute (EFLOPS)")]
    has_prev = "previous_rank" in top
    if has_prev:
        cols.append(z("上期排名", "Previous rank"))
    rows = []
    for row in top.itertuples():
        vals = [int(row.rank), rd.city(row.city),
                fmt.number(row.value, 2 if table.startswith("index") else 1)]
        if has_prev:
            pv = row.previous_rank
            vals.append("—" if pd.isna(pv) else int(pv))
        rows.append(vals)
    basis = z("综合评估", "composite assessment") if table.startswith("index") else \
        z("智能算力保有量（综合评估表尚未生成时的替代排序）", "installed intelligent compute (stand-in until the index tables exist)")
    sec.tables.append(Table(z(f"城市排行（前10，按{basis}）", f"City ranking (top 10, by {basis})"), cols, rows,
                            rd.source(table), rd.synthetic(table), [True, False, True] + ([True] if has_prev else [])))
    # per-city evidence
    for row in top.itertuples():
        items: list[tuple[str, Any]] = [(z("排名", "Rank"), int(row.rank))]
        if has_cap and (cap["city"] == row.city).any():
            key = f"city_{row.city}"
            c = cl.wan_p(f"{key}_compute", V("capacity_by_city", "intelligent_eflops", year=last, city=row.city))
            items.append((z(f"{last}年智能算力保有量", f"Installed intelligent compute {last}"), c))
            sh = cl.pct(f"{key}_share", RATIO(V("capacity_by_city", "intelligent_eflops", year=last, city=row.city),
                                               SUM("capacity_by_city", "intelligent_eflops", year=last)))
            items.append((z("占全国（已定位城市）比重", "Share of located national total"), sh))
            if ((cap["city"] == row.city) & (cap["year"] == last - 1)).any():
                prev = V("capacity_by_city", "intelligent_eflops", year=last - 1, city=row.city)
                if float(cap.loc[(cap["city"] == row.city) & (cap["year"] == last - 1), "intelligent_eflops"].iloc[0]) > 0:
                    g = cl.pct(f"{key}_yoy", GROWTH(V("capacity_by_city", "intelligent_eflops", year=last,
                                                      city=row.city), prev))
                    items.append((z("同比增长", "Growth year on year"), g))
            items.append((z("新增加速卡", "Accelerators added"),
                          fmt.count(float(cap.loc[(cap["city"] == row.city) & (cap["year"] == last),
                                                  "accelerators_added"].iloc[0]), rd.lang)))
        for hook in CITY_EVIDENCE:
            items += hook(rd, cl, row.city)
        sec.cards.append(Card(f"{int(row.rank)}. {rd.city(row.city)}", items, rd.synthetic(table)))


CITY_EVIDENCE: list[Any] = []


def _methodology(rd: ReportData, sec: Section, edition: Edition) -> None:
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
    for hook in METHOD_HOOKS:
        hook(rd, sec)
    rows = []
    for (stage, method), g in res.groupby(["stage", "method"], sort=True):
        rows.append([stage, method, ", ".join(sorted(g["table_name"])), params_text(g["params"].iloc[0], 300)])
    sec.tables.append(Table(z("各阶段方法与参数", "Methods and parameters by stage"),
                            [z("阶段", "Stage"), z("方法", "Method"), z("结果表", "Tables"), z("参数", "Parameters")],
                            rows))


METHOD_HOOKS: list[Any] = []


def _data_appendix(rd: ReportData, sec: Section, figs: list[FigureSpec]) -> None:
    z = rd.zh_en
    prov = rd.provenance()
    rows = []
    for r in prov.sort_values(["kind", "table_name"]).itertuples():
        inputs = ", ".join(json.loads(r.inputs)) if isinstance(r.inputs, str) and r.inputs.startswith("[") else ""
        rows.append([r.table_name, r.kind, r.stage, r.method, inputs,
                     z("合成", "synthetic") if r.synthetic else z("真实", "real"), r.description or ""])
    sec.tables.append(Table(z("数据表来源（全部表）", "Provenance of every table"),
                            [z("表", "Table"), z("类型", "Kind"), z("阶段", "Stage"), z("方法", "Method"),
                             z("输入", "Inputs"), z("数据性质", "Data"), z("说明", "Description")], rows))
    frows = []
    for f in figs:
        methods = "; ".join(sorted({f"{rd.prov(t).get('stage')}: {rd.prov(t).get('method')}" for t in f.tables}))
        inputs = sorted({i for t in f.tables for i in json.loads(rd.prov(t).get("inputs") or "[]")})
        frows.append([f"{S[rd.lang]['figure']}{f.number}", f.title, ", ".join(f.tables), methods, ", ".join(inputs),
                      z("合成", "synthetic") if f.synthetic else z("真实", "real")])
    sec.tables.append(Table(z("图表来源", "Provenance of figures"),
                            [z("图", "Figure"), z("标题", "Title"), z("数据表", "Tables"), z("方法", "Method"),
                             z("输入", "Inputs"), z("数据性质", "Data")], frows))
