"""Report content of an open-data edition (tables of the ``opendata`` stage).

Adds to the report, when the build has ``open_data_sources``: the public-data statement on the
cover and in the key findings, coverage per indicator, the open ranking against the seed's
published ranking with its Monte Carlo rank interval, every indicator cell of the top-ranked
cities with a link to its source, the national compute anchors and the intelligent-computing
centres with their sources, the indicator definitions (methodology), and the full sources table
(appendix). Every number shown here sits next to its source link or source reference.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from ..capacity.anchors import centre_text
from .claims import sentence
from .content import Table
from .data import ReportData

DIM = {"investment_scale": ("投资规模", "investment"), "policy_support": ("政策支持", "policy"),
       "technology_maturity": ("技术成熟度", "technology"), "labour_supply": ("劳动供给", "labour")}
STATUS = {"stated": ("陈述值", "stated"), "derived": ("推导值", "derived"), "missing": ("缺失", "missing")}


def link(url: Any, label: str) -> Markup | str:
    """An escaped link (or the label alone when there is no URL)."""
    u = "" if url is None or (isinstance(url, float) and pd.isna(url)) else str(url).strip()
    if not u.startswith(("http://", "https://")):
        return label
    return Markup('<a href="{}" rel="noopener">{}</a>').format(u, label)


def _num(v: Any, nd: int = 2) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    f = float(v)
    return f"{f:,.0f}" if f == int(f) and abs(f) >= 1 else f"{f:,.{nd}f}".rstrip("0").rstrip(".")


def public_note(rd: ReportData) -> str:
    """The cover line of an open-data build ('' otherwise)."""
    if not rd.has("open_data_sources", "index_city_coverage"):
        return ""
    n = len(rd.df("open_data_sources"))
    cov = rd.df("index_city_coverage").set_index("indicator_id")
    c = float(cov.loc["_overall", "coverage"]) if "_overall" in cov.index else float("nan")
    return rd.zh_en(
        f"本报告仅由公开数据构建：{n} 个陈述值均附来源（网址或文件标题、日期、原文引述、来源类型），"
        f"城市×指标单元格中 {c:.1%} 来自来源，其余为缺失，仅按框架声明的补值方法（该指标已印出的最小值）补值，"
        "并在各处标注“补值”；不含任何合成数据。",
        f"Built from public data only: each of the {n} stated values carries its source (URL or document title, "
        f"date, quoted figure, kind of source); {c:.1%} of the city × indicator cells come from sources; the rest "
        "are missing, imputed only by the framework's declared method (the smallest value printed for the "
        "indicator) and flagged 'imputed' wherever they appear. No synthetic data.")


def section_hook(rd: ReportData, cl, sections: dict[str, Any], findings: list[Markup]) -> None:
    if not rd.has("open_data_sources"):
        return
    note = public_note(rd)
    if note:
        findings.insert(0, sentence(note))
    _city(rd, sections["city"])
    _compute(rd, sections["compute"])
    _appendix(rd, sections["data"])


def _defs(rd: ReportData) -> pd.DataFrame:
    return rd.df("open_city_indicator_definitions") if rd.has("open_city_indicator_definitions") else pd.DataFrame()


def _city(rd: ReportData, sec) -> None:
    z = rd.zh_en
    sec.paragraphs.append(sentence(z(
        "城市排行由12个公开数据指标计算（四个维度沿用原报告框架）。每个指标值要么是来源中印出的陈述值，要么是由陈述值"
        "推导（如名单完整时未列入的城市记为0、智算中心算力求和）；未找到的值保持缺失，仅由指数框架声明的补值步骤"
        "（min：该指标已印出的最小值——在校生两项来自只列出最大城市的榜单，未列入城市的数值不超过榜单最小值）填补，"
        "凡依赖补值的得分均标注“补值”（下表及 index_city_results 的 missing_indicators、imputed 列）。"
        "不确定性分析同时改变补值方法（min、不补值、中位数、区域中位数）并逐一剔除指标。",
        "The city ranking is computed from twelve public-data indicators on the four dimensions of the original report's framework. "
        "Each value is either stated in a source or derived from stated values (0 for a city absent from a "
        "complete published list; sums of announced centre capacities); a value not found stays missing and is "
        "filled only by the framework's declared impute step (min: the smallest value printed for the indicator; "
        "the two student indicators come from lists of the largest cities, so an unlisted city's value is at most "
        "the list's smallest). Every score resting on an imputed cell is flagged 'imputed' (the table below; "
        "missing_indicators and imputed in index_city_results). The uncertainty analysis varies the imputation "
        "(min, none, median, region median) and leaves out one indicator at a time.")))
    if rd.has("index_city_coverage"):
        cov = rd.df("index_city_coverage")
        d = _defs(rd).set_index("indicator_id") if len(_defs(rd)) else pd.DataFrame()
        rows = []
        for r in cov.itertuples():
            name = r.indicator_id if r.indicator_id == "_overall" or r.indicator_id not in d.index else \
                (d.loc[r.indicator_id, "name_zh"] if rd.lang == "zh" else d.loc[r.indicator_id, "name_en"])
            rows.append([z("合计", "All indicators") if r.indicator_id == "_overall" else name, r.indicator_id,
                         int(r.cells), int(r.sourced), int(r.stated), int(r.derived), f"{r.coverage:.1%}"])
        sec.tables.append(Table(
            z("各指标数据覆盖率（由来源填充的城市×指标单元格）", "Coverage per indicator (city × indicator cells filled from sources)"),
            [z("指标", "Indicator"), "id", z("单元格", "Cells"), z("来自来源", "From sources"), z("陈述值", "Stated"),
             z("推导值", "Derived"), z("覆盖率", "Coverage")], rows, rd.source("index_city_coverage"), False,
            [False, False, True, True, True, True, True]))
    _ranking_with_gaps(rd, sec)
    if rd.has("open_city_rank_vs_seed"):
        c = rd.df("open_city_rank_vs_seed")
        rows = []
        for r in c.itertuples():
            lo, hi = getattr(r, "mc_q05", None), getattr(r, "mc_q95", None)
            interval = "—" if lo is None or pd.isna(lo) else f"{int(lo)}–{int(hi)}"
            p10 = getattr(r, "mc_p_top10", None)
            rows.append([rd.city(r.unit_name), int(r.open_rank), interval,
                         "—" if p10 is None or pd.isna(p10) else f"{p10:.0%}",
                         "—" if pd.isna(r.seed_rank) else int(r.seed_rank),
                         "—" if pd.isna(r.rank_difference) else f"{int(r.rank_difference):+d}",
                         _gaps(rd, int(r.missing_indicators)), _why(rd, r)])
        sec.tables.append(Table(
            z("公开数据排名与原报告排名对比（含蒙特卡洛90%排名区间）",
              "Open-data ranking against the original report's ranking (with the Monte Carlo 90% rank interval)"),
            [z("城市", "City"), z("公开数据排名", "Open rank"), z("90%区间", "90% interval"), z("进入前十概率", "P(top 10)"),
             z("原报告排名", "Original report's rank"), z("差异", "Difference"), z("缺失（已补值）指标", "Missing (imputed) indicators"),
             z("原因", "Why")], rows, rd.source("open_city_rank_vs_seed", "index_city_rank_intervals"), False,
            [False, True, False, True, True, True, True, False]))
        sec.paragraphs.append(sentence(z(
            "原报告（IDC 2025）未公布指标、权重和数值，只公布了前十名；差异主要来自指标口径：公开数据版以国家级名单和"
            "公开的智算中心、在校生等可核实数据为主，无法覆盖原报告所用的用户调研和投资额。排名区间与敏感性（Sobol）"
            "见“不确定性”图表。",
            "The original report (IDC 2025) publishes no indicators, weights or values, only its top ten; the differences "
            "come mainly from what can be measured publicly: national designation lists, announced centres and student "
            "numbers, not the survey and investment figures the original report used. Rank intervals and sensitivity (Sobol) are in "
            "the uncertainty figures.")))
    if rd.has("open_city_indicator_cells", "index_city_results"):
        cells = rd.df("open_city_indicator_cells")
        res = rd.df("index_city_results")
        y = res["year"].max()
        top = res[(res["node_id"] == "index") & (res["year"] == y)].sort_values("rank").head(10)["unit_id"].tolist()
        d = _defs(rd).set_index("indicator_id") if len(_defs(rd)) else pd.DataFrame()
        rows = []
        for u in top:
            for r in cells[cells["unit_id"] == u].itertuples():
                unit = d.loc[r.indicator_id, "unit"] if r.indicator_id in d.index else ""
                ref = r.source if isinstance(r.source, str) and r.source else z("未找到", "not found")
                imp = bool(getattr(r, "imputed", False))
                status = z(*STATUS.get(r.data_status, (r.data_status, r.data_status)))
                rows.append([rd.city(r.unit_name), r.indicator_id, _num(r.value),
                             z(f"补值 {_num(r.imputed_value)}（{r.imputation.split(' ')[0]}）",
                               f"imputed {_num(r.imputed_value)} ({r.imputation.split(' ')[0]})") if imp else "",
                             unit, status, link(r.url, ref)])
        sec.tables.append(Table(
            z("前十名城市的全部指标值及其来源", "Every indicator value of the top ten cities and its source"),
            [z("城市", "City"), z("指标", "Indicator"), z("数值", "Value"), z("补值", "Imputed"), z("单位", "Unit"),
             z("性质", "Status"), z("来源", "Source")], rows, rd.source("open_city_indicator_cells"), False,
            [False, False, True, False, False, False, False]))


def _why(rd: ReportData, r: Any) -> str:
    """The reason column in the report's language, composed from the row's own fields (the table's
    ``why`` text is the English form of the same)."""
    def dim(d: Any) -> str:
        return rd.zh_en(*DIM.get(str(d), (str(d), str(d)))) if isinstance(d, str) and d else "—"

    if pd.isna(r.seed_rank):
        return rd.zh_en(f"原报告未列入前十或未给名次；公开数据排名 {int(r.open_rank)}",
                        f"seed: outside its published top 10 or named without rank; open: {int(r.open_rank)}")
    if int(r.open_rank) == int(r.seed_rank):
        return rd.zh_en("排名相同", "same rank")
    k = int(r.missing_indicators)
    higher = int(r.open_rank) < int(r.seed_rank)
    gaps = rd.zh_en("无缺失指标" if k == 0 else f"{k} 个指标缺失（按声明的方法补值）",
                    "no indicator missing" if k == 0 else f"{k} indicators missing (imputed by the declared method)")
    return rd.zh_en(f"公开数据排名{'更高' if higher else '更低'}：最强维度 {dim(r.strongest_dimension)}，"
                    f"最弱维度 {dim(r.weakest_dimension)}；{gaps}",
                    f"{'higher' if higher else 'lower'} in the open index: strongest dimension "
                    f"{dim(r.strongest_dimension)}, weakest {dim(r.weakest_dimension)}; {gaps}")


def _gaps(rd: ReportData, n: int) -> str:
    return "0" if n == 0 else rd.zh_en(f"{n}（补值）", f"{n} (imputed)")


def _ranking_with_gaps(rd: ReportData, sec) -> None:
    """Every city's rank and score with the indicators its score rests on that were imputed."""
    if not rd.has("index_city_results"):
        return
    z = rd.zh_en
    res = rd.df("index_city_results")
    y = res["year"].max()
    top = res[(res["node_id"] == "index") & (res["year"] == y)].sort_values(["rank", "unit_id"])
    if "missing_indicators" not in top.columns:
        return
    names: dict[str, str] = {}
    if rd.has("open_city_indicator_cells"):
        c = rd.df("open_city_indicator_cells")
        names = c[c["value"].isna()].groupby("unit_id")["indicator_id"].agg(", ".join).to_dict()
    ri = rd.df("index_city_rank_intervals") if rd.has("index_city_rank_intervals") else None
    iv: dict[str, str] = {}
    if ri is not None and {"unit_id", "q05", "q95"} <= set(ri.columns):
        r_ = ri[ri["node_id"] == "index"] if "node_id" in ri.columns else ri
        iv = {u: f"{int(a)}–{int(b)}" for u, a, b in zip(r_["unit_id"], r_["q05"], r_["q95"], strict=True)}
    rows = [[int(r.rank), rd.city(r.unit_name), f"{r.score:.1f}", iv.get(r.unit_id, "—"),
             _gaps(rd, int(r.missing_indicators)), names.get(r.unit_id, "")] for r in top.itertuples()]
    sec.tables.append(Table(
        z("公开数据城市排行（全部城市；标注依赖补值的得分）",
          "Open-data city ranking (every city; scores resting on imputed cells are flagged)"),
        [z("排名", "Rank"), z("城市", "City"), z("得分", "Score"), z("90%排名区间", "90% rank interval"),
         z("缺失（已补值）指标数", "Missing (imputed) indicators"), z("补值的指标", "Imputed indicators")],
        rows, rd.source("index_city_results", "open_city_indicator_cells"), False,
        [True, False, True, False, True, False]))


def _compute(rd: ReportData, sec) -> None:
    z = rd.zh_en
    if rd.has("national_compute_anchors"):
        a = rd.df("national_compute_anchors")
        rows = [[rd.said(r, "metric"), _num(r.value), rd.said(r, "unit"),
                 rd.said(r, "precision").replace("not stated", z("未说明", "not stated")), rd.said(r, "scope"),
                 r.as_of if isinstance(r.as_of, str) else "", link(r.url, r.source)] for r in a.itertuples()]
        sec.tables.append(Table(
            z("全国算力公开数据锚点（按日期与口径）", "National compute anchors from public sources (by date and definition)"),
            [z("指标", "Metric"), z("数值", "Value"), z("单位", "Unit"), z("精度", "Precision"), z("口径", "Scope"),
             z("时点", "As of"), z("来源", "Source")], rows, rd.source("national_compute_anchors"), False,
            [False, True, False, False, False, False, False]))
        sec.paragraphs.append(sentence(z(
            "口径不同的数字不可直接相加或比较：工信部2024年底算力总规模280 EFLOPS与智能算力90 EFLOPS为FP32口径；"
            "中国信通院2025年6月智能算力788 EFLOPS为FP16口径（在用算力中心）；IDC的725.3 EFLOPS为按加速服务器出货量"
            "与FP16等效能力推算的存量。本版不做精度换算，各值按来源口径列示。",
            "Figures on different bases are not comparable: MIIT's 280 EFLOPS total and 90 EFLOPS intelligent (end "
            "2024) are FP32; CAICT's 788 EFLOPS intelligent (June 2025, in-use computing centres) is FP16; IDC's "
            "725.3 EFLOPS is a stock estimated from accelerated-server shipments at FP16-equivalent capability. This "
            "edition converts none of them; each is shown on its source's basis.")))
    if rd.has("intelligent_computing_centres"):
        c = rd.df("intelligent_computing_centres")
        c = c.assign(_cap=c["announced_pflops"].fillna(-1)).sort_values(["_cap", "province", "name"],
                                                                        ascending=[False, True, True])
        n_cap = int(c["announced_pflops"].notna().sum())
        sec.paragraphs.append(sentence(z(
            f"已记录 {len(c)} 个公开宣布的智算中心项目（每行一个项目，均附来源、日期、原文与来源类型），其中 {n_cap} 个"
            "在来源中印出了算力（P）；未印出的保持空白，不作估计。多数来源未说明精度，按“unspecified”列示。",
            f"{len(c)} announced intelligent-computing projects are recorded (one row per project, each with its "
            f"source, date, quoted text and kind of source); {n_cap} of them print a capacity in P. A capacity not "
            "printed stays empty and is not estimated. Most sources state no precision; those are listed as "
            "'unspecified'.")))
        # name and operator in English on the English page (the maintainers' renderings; Chinese where none)
        rows = [[centre_text(r, "name", rd.lang), rd.province(str(r.province)), rd.city(str(r.city)),
                 centre_text(r, "operator", rd.lang),
                 _num(r.announced_pflops),
                 r.precision, r.capacity_kind, r.status, "" if pd.isna(r.year) else int(r.year),
                 link(r.source_url, str(r.source_title or r.source_url)[:60]), r.source_date]
                for r in c.itertuples()]
        sec.tables.append(Table(
            z("已公布的智算中心项目（P）", "Announced intelligent-computing projects (P)"),
            [z("名称", "Name"), z("省份", "Province"), z("城市", "City"), z("运营方", "Operator"),
             z("算力（P）", "Capacity (P)"), z("精度", "Precision"), z("口径", "Basis"), z("状态", "Status"),
             z("年份", "Year"), z("来源", "Source"), z("日期", "Date")],
            rows, rd.source("intelligent_computing_centres"), False,
            [False, False, False, False, True, False, False, False, True, False, False]))
    if rd.has("compute_area_totals"):
        t = rd.df("compute_area_totals").sort_values(["kind", "capacity_p"], ascending=[False, False])
        rows = [[r.name, r.province, r.city, _num(r.capacity_p), r.basis, r.status, int(r.year),
                 z("集群合计", "cluster total") if r.kind == "cluster_aggregate" else z("城市合计", "city total"),
                 link(r.url, r.source)] for r in t.itertuples()]
        sec.tables.append(Table(
            z("来源给出的城市与集群算力合计（P，非单个项目）", "City and cluster totals stated by sources (P, not projects)"),
            [z("名称", "Name"), z("省份", "Province"), z("城市", "City"), z("算力（P）", "Capacity (P)"),
             z("口径", "Basis"), z("状态", "Status"), z("年份", "Year"), z("类型", "Kind"), z("来源", "Source")],
            rows, rd.source("compute_area_totals"), False,
            [False, False, False, True, False, False, True, False, False]))


def _appendix(rd: ReportData, sec) -> None:
    z = rd.zh_en
    s = rd.df("open_data_sources")
    rows = [[r.table, r.key, _num(r.value), "" if pd.isna(r.unit) else r.unit, r.source_kind, r.date,
             link(r.url, str(r.source)[:80]), str(r.quote)[:120]] for r in s.itertuples()]
    sec.tables.append(Table(
        z("全部陈述值及其来源（open_data_sources）", "Every stated value and its source (open_data_sources)"),
        [z("表", "Table"), z("键", "Key"), z("数值", "Value"), z("单位", "Unit"), z("来源类型", "Kind"),
         z("日期", "Date"), z("来源", "Source"), z("原文", "Quote")], rows, rd.source("open_data_sources"), False,
        [False, False, True, False, False, False, False, False]))


def method_hook(rd: ReportData, sec) -> None:
    d = _defs(rd)
    if d.empty:
        return
    z = rd.zh_en
    rows = [[r.indicator_id, z(*DIM.get(r.dimension, (r.dimension, r.dimension))), r.definition, r.unit, int(r.year),
             "+" if r.direction > 0 else "−", r.why] for r in d.itertuples()]
    sec.tables.append(Table(
        z("公开数据指标定义", "Public-data indicator definitions"),
        ["id", z("维度", "Dimension"), z("定义", "Definition"), z("单位", "Unit"), z("年份", "Year"),
         z("方向", "Direction"), z("为何衡量该维度", "Why it measures the dimension")], rows,
        rd.source("open_city_indicator_definitions"), False))

