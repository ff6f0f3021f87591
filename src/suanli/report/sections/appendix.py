"""Appendix B: data and provenance (every table and every figure, with stage, method and inputs)."""

from __future__ import annotations

import json

from ..content import Section, Table
from ..data import ReportData
from ..figures import Figures
from ..i18n import S
from ..spec import FigureSpec
from . import Context

ID = "data"
NUMBER = "B"
TITLE = ("附录二：数据与来源", "Appendix B: Data and provenance")
FIGURES = Figures(ID)


def write(ctx: Context, sec: Section) -> None:
    data_appendix(ctx.rd, sec, ctx.figures)


def data_appendix(rd: ReportData, sec: Section, figs: list[FigureSpec]) -> None:
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
