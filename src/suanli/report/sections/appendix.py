"""Appendix B: data and provenance (every table and every figure, with stage, method and inputs).

The kinds, methods and descriptions are recorded in English; the Chinese report prints them in
Chinese through :mod:`suanli.report.lineage_zh` (the English, marked, where there is none)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from markupsafe import Markup

from .. import lineage_zh as lz
from ..content import Section, Table
from ..data import ReportData
from ..figures import Figures
from ..i18n import S
from ..spec import FigureSpec
from . import Context

ID = "data"
NUMBER = ""  # the title names it (附录二, Appendix B)
TITLE = ("附录二：数据与来源", "Appendix B: Data and provenance")
FIGURES = Figures(ID)
#: between the names of tables in a cell of the provenance tables (the tables that share a row, a
#: table's inputs, a figure's tables): one name a line, so a column is as wide as its longest name,
#: not as its longest list, and the descriptions beside it get the room
TABLE_SEP = Markup(",<br>")
#: an underscore in text (not inside a tag)
_UNDERSCORE = re.compile(r"_(?![^<]*>)")


def breakable(value: object) -> Markup:
    """``value`` (escaped unless it is markup) with a break opportunity after each underscore
    (``<wbr>``, which copied text does not contain). The provenance tables' longest identifiers
    (index_city_method_only_uncertainty_inputs, 41 characters) are wider than their column can be
    beside six others: they now break after an underscore instead of between any two letters. The
    PDF's column widths are computed as if the names were whole (``render.unbreakable_runs`` drops
    ``<wbr>``), so a name that fits its column stays on one line."""
    m = value if isinstance(value, Markup) else Markup.escape("" if value is None else str(value))
    return Markup(_UNDERSCORE.sub("_<wbr>", str(m)))


def names_cell(names: list[str]) -> Markup:
    """Table names for a provenance cell: one a line (:data:`TABLE_SEP`), each :func:`breakable`."""
    return TABLE_SEP.join(breakable(n) for n in names)


def write(ctx: Context, sec: Section) -> None:
    data_appendix(ctx.rd, sec, ctx.figures, lz.titles(ctx.edition))


def data_appendix(rd: ReportData, sec: Section, figs: list[FigureSpec], names: Mapping[str, str] | None = None) -> None:
    """The provenance of every table and every figure; ``names``: assessment titles (English →
    Chinese) for the index results' description on a Chinese page (:func:`lineage_zh.titles`)."""
    z, lang = rd.zh_en, rd.lang
    prov = rd.provenance()
    # tables made the same way (kind, stage, method, inputs, data and description all equal: the
    # capacity stage's seventeen views of one installed-base model) share one row, so that one
    # description is not printed seventeen times; every table is still named once
    groups: dict[tuple, list[str]] = {}
    for r in prov.sort_values(["kind", "table_name"]).itertuples():
        inputs = names_cell(json.loads(r.inputs)) if isinstance(r.inputs, str) and r.inputs.startswith("[") else ""
        key = (lz.shown(r.kind, lz.kind_zh(r.kind), lang), r.stage, breakable(lz.shown(r.method, lz.method_zh(r.method), lang)),
               inputs, z("合成", "synthetic") if r.synthetic else z("真实", "real"),
               lz.shown(r.description, lz.description_zh(str(r.table_name), r.description, names), lang))
        groups.setdefault(key, []).append(str(r.table_name))
    rows = [[names_cell(tables), *key] for key, tables in groups.items()]
    sec.tables.append(Table(z("数据表来源（全部表；方法、输入与说明相同的表合并为一行）",
                              "Provenance of every table (tables with the same method, inputs and description share "
                              "a row)"),
                            [z("表", "Table"), z("类型", "Kind"), z("阶段", "Stage"), z("方法", "Method"),
                             z("输入", "Inputs"), z("数据性质", "Data"), z("说明", "Description")], rows))
    frows = []
    for f in figs:
        used = sorted({(str(rd.prov(t).get("stage")), str(rd.prov(t).get("method"))) for t in f.tables},
                      key=lambda sm: f"{sm[0]}: {sm[1]}")
        methods = "; ".join(f"{s}: {m}" for s, m in used) if lang != "zh" else \
            Markup("；").join(Markup("{}：{}").format(s, lz.shown(m, lz.method_zh(m), lang)) for s, m in used)
        inputs = sorted({i for t in f.tables for i in json.loads(rd.prov(t).get("inputs") or "[]")})
        frows.append([f"{S[rd.lang]['figure']}{f.number}", f.title, names_cell(f.tables), methods, names_cell(inputs),
                      z("合成", "synthetic") if f.synthetic else z("真实", "real")])
    sec.tables.append(Table(z("图表来源", "Provenance of figures"),
                            [z("图", "Figure"), z("标题", "Title"), z("数据表", "Tables"), z("方法", "Method"),
                             z("输入", "Inputs"), z("数据性质", "Data")], frows))
