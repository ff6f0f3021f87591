"""The dashboard's capacity-anchors page (``/capacity/anchors``).

Server-rendered from the build's tables (missing tables leave their part out with a note):

* the national series with its Monte Carlo interval bands (``capacity_national`` ``*_lo``/``*_hi``);
* the scenario forecasts against IDC's published figures and forecast (``capacity_scenarios``);
* the synthetic province stock beside the announced real intelligent-computing capacity, provinces
  flagged where the synthetic stock is below it (``capacity_province_check``), the announced centres
  and the 东数西算 hubs with their sources (``capacity_centres``, ``capacity_hubs``);
* the definitions bridge: IDC vs MIIT vs CAICT, and why 788 and 1,037.3 differ
  (``capacity_definitions``, ``capacity_definitions_bridge``).

Every string from data is HTML-escaped; source links are written only for http(s) URLs; chart data
sits in inline ``<script>`` as JSON with ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from html import escape
from typing import Any

import pandas as pd

from ..notes_zh import one_language
from ..regions import city_en
from ..web.assets import plotly_url, static_url
from .anchors import centre_text

Tables = Callable[[str], "pd.DataFrame | None"]
COLOURS = ["#1f4e9c", "#e07b00", "#2a9d8f", "#c0392b", "#8e6bbf", "#7f8c8d"]
STATUS = {"zh": {"operating": "运营", "under_construction": "在建", "planned": "规划"},
          "en": {"operating": "operating", "under_construction": "under construction", "planned": "planned"}}
#: the value classes' names (the dashboard's words)
VALUE_CLASS = {"zh": {"stated": "公布值", "derived": "推算", "modelled": "模型估计", "synthetic": "合成"},
               "en": {"stated": "stated", "derived": "derived", "modelled": "modelled", "synthetic": "synthetic"}}
#: the page's words in Chinese and English (``?lang=en``)
TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "page": "算力锚点", "h1": "算力：区间、情景、真实锚点与口径", "back": "← 返回概览", "tables_link": "算力页",
        "lang_btn": "EN",
        "syn": "合成数据：全国序列、区间、情景和各省存量基于合成出货数据；智算中心、枢纽和口径是有来源的公布数字（注明数值类别）。",
        "no_table": "本构建没有 {t} 表。", "no_iv": "本构建没有区间（版本没有 capacity.uncertainty 部分）。",
        "national": "全国算力及其 {lvl} 区间", "intel_fp16": "智能算力（FP16，EFLOPS）", "general_fp64": "通用算力（FP64，EFLOPS）",
        "intel": "智能算力（EFLOPS）", "general": "通用算力（EFLOPS）", "year": "年份",
        "intel_iv": "智能算力 EFLOPS（{lvl}）", "general_iv": "通用算力 EFLOPS（{lvl}）", "fp64_basis": "FP64 口径",
        "value_class": "数值类别", "no_scenarios": "本构建没有 {t} 表（版本没有 capacity.forecast 部分）。",
        "scenarios": "情景预测与 IDC 预测对照", "idc_points": "IDC 公布值及预测", "scenario": "情景",
        "intel_year": "智能算力 {y}（EFLOPS，区间）", "idc_forecast": "IDC 公布的 {y} 年预测：",
        "stated_source": "（公布值，来源：", "anchors": "真实锚点：已宣布的智算中心与合成的各省存量",
        "synthetic_stock": "合成存量", "announced_operating": "已宣布运营", "announced_all": "已宣布全部",
        "province_stat": "省级公布值", "prov_title": "PFLOPS，{y} 年（对数坐标；⚠ = 合成值低于真实值）",
        "flagged": "⚠ 合成存量低于已宣布真实算力的省份共 {n} 个：{p}。已宣布数字很少注明精度且可能重叠，因此这一检查仅供参考。",
        "none_flagged": "没有省份的合成存量低于已宣布的运营算力。", "province": "省份", "synthetic_p": "合成 PFLOPS",
        "centres_with_figure": "有数字的中心", "centres": "已宣布的智算中心（{n} 个，其中 {f} 个有数字；无数字 = 未公布，是可见的缺口）",
        "centre": "中心", "city": "城市", "operator": "运营方", "announced_p": "宣布算力 P", "precision": "精度",
        "status": "状态", "source": "来源", "kind": "来源类型", "hubs": "东数西算国家枢纽节点与数据中心集群",
        "hub": "枢纽", "cluster": "集群", "published_figure": "公布数字", "definitions": "口径：IDC、工信部与中国信通院",
        "bridge": ("<b>为什么是 {miit} 与 {v25}。</b>工信部/中国信通院的 {miit} EFLOPS 是 2025 年 6 月底<i>在用于算力中心</i>的智能算力；"
                   "IDC 的 {v25} EFLOPS 是截至 2025 年底已出货且仍在装机的全部加速服务器。两者都按 FP16（系数 1）。"
                   "把 IDC 移到 2025 年年中（几何插值）得到 {mid} EFLOPS：时间点解释了 {tgap} EFLOPS。其余 {sgap} EFLOPS 是口径差异"
                   "（算力中心以外的企业、本地部署和边缘设备，以及退役约定）；没有公布的系数可以拆分它，因此只报告、不拆分。"),
        "step": "步骤", "value": "数值", "unit": "单位", "note": "说明", "publisher": "发布方", "series": "序列",
        "what_counted": "统计范围", "in_use": "在用 / 出货", "time_point": "时间点", "orig_en": "（英文原文）",
        "tables": "数据表：",
    },
    "en": {
        "page": "Capacity anchors", "h1": "Capacity: intervals, scenarios, real anchors, definitions", "back": "← Overview",
        "tables_link": "Capacity page", "lang_btn": "中文",
        "syn": "SYNTHETIC: the national series, intervals, scenarios and province stock are built on synthetic "
               "shipments; the centres, hubs and definitions are sourced published figures (value class stated).",
        "no_table": "No {t} table in this build.", "no_iv": "This build has no intervals (the edition has no "
                                                              "capacity.uncertainty section).",
        "national": "National capacity with {lvl} intervals", "intel_fp16": "Intelligent (FP16, EFLOPS)",
        "general_fp64": "General (FP64, EFLOPS)", "intel": "Intelligent (EFLOPS)", "general": "General (EFLOPS)",
        "year": "year", "intel_iv": "intelligent EFLOPS ({lvl})", "general_iv": "general EFLOPS ({lvl})",
        "fp64_basis": "FP64 basis", "value_class": "value class",
        "no_scenarios": "No {t} table in this build (the edition has no capacity.forecast section).",
        "scenarios": "Scenarios against IDC's forecast", "idc_points": "IDC published & forecast", "scenario": "scenario",
        "intel_year": "intelligent {y} (EFLOPS, interval)", "idc_forecast": "IDC's published forecast for {y}: ",
        "stated_source": " (stated, ", "anchors": "Real anchors: announced centres beside the synthetic province stock",
        "synthetic_stock": "synthetic stock", "announced_operating": "announced, operating", "announced_all": "announced, all",
        "province_stat": "province statistic", "prov_title": "PFLOPS, {y} (log scale; ⚠ = synthetic below real)",
        "flagged": "⚠ Synthetic stock below announced real capacity in {n} province(s): {p}. Announced figures rarely "
                   "state precision and may overlap, so the check is indicative.",
        "none_flagged": "No province has a synthetic stock below the announced operating capacity.",
        "province": "province", "synthetic_p": "synthetic PFLOPS", "centres_with_figure": "centres with figure",
        "centres": "Announced intelligent-computing centres ({n}, {f} with a figure; no figure = not published, a "
                   "visible gap)", "centre": "centre", "city": "city", "operator": "operator",
        "announced_p": "announced P", "precision": "precision", "status": "status", "source": "source", "kind": "kind",
        "hubs": "East-Data-West-Computing national hub nodes and data-centre clusters", "hub": "hub", "cluster": "cluster",
        "published_figure": "published figure", "definitions": "Definitions: IDC vs MIIT vs CAICT",
        "bridge": ("<b>Why {miit} and {v25} differ.</b> MIIT/CAICT's {miit} EFLOPS is intelligent compute <i>in use in "
                   "computing centres</i> at the end of June 2025; IDC's {v25} EFLOPS is all accelerated servers shipped "
                   "and still installed at the end of 2025. Both are FP16 (factor 1). Moving IDC to mid-2025 (geometric "
                   "interpolation) gives {mid} EFLOPS: the time point explains {tgap} EFLOPS. The remaining {sgap} EFLOPS "
                   "is scope (enterprise, on-premises and edge devices outside computing centres, retirement conventions); "
                   "no published factor splits it, so it is reported, not split."),
        "step": "step", "value": "value", "unit": "unit", "note": "note", "publisher": "publisher", "series": "series",
        "what_counted": "what is counted", "in_use": "in use / shipped", "time_point": "time point", "orig_en": "",
        "tables": "Tables: ",
    },
}


def _js(obj: Any) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=float, allow_nan=False)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _clean(v: Any) -> Any:
    """JSON-safe chart value (NaN → null)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _num(x: Any, d: int = 1) -> str:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return "—"
    return "—" if math.isnan(f) else f"{f:,.{d}f}"


def _text(x: Any) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else escape(str(x))


def _link(url: Any, label: Any) -> str:
    u = "" if url is None else str(url)
    if u.startswith(("http://", "https://")):
        return f"<a href='{escape(u, quote=True)}' rel='noopener noreferrer'>{_text(label) or escape(u)}</a>"
    return _text(label)


def _chart(div: str, traces: list[dict], layout: dict, height: int = 380) -> str:
    return (f"<div id='{div}' class='chart' style='height:{height}px'></div>"
            f"<script>Plotly.newPlot('{div}',{_js(traces)},{_js(layout)},{{displaylogo:false,responsive:true}})"
            f".then(function(){{document.getElementById('{div}').dataset.drawn='1';}});</script>")


def _table(head: list[str], rows: list[list[str]], cls: str = "", tid: str = "") -> str:
    h = "".join(f"<th>{escape(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    ident = f" id='{tid}'" if tid else ""
    return f"<table class='{cls}'{ident}><tr>{h}</tr>{body}</table>"


def _band(x: list, lo: list, hi: list, colour: str) -> dict:
    return {"x": x + x[::-1], "y": [_clean(v) for v in hi] + [_clean(v) for v in lo][::-1], "fill": "toself",
            "fillcolor": colour, "opacity": 0.18, "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
            "type": "scatter"}


def _prov(p: Any, lang: str) -> str:
    """A province's name in the page's language (the build stores the Chinese short name)."""
    if lang == "zh":
        return str(p)
    from ..regions import PROVINCES

    return PROVINCES.get(str(p), ("", str(p)))[1] or str(p)


def _vc(c: Any, lang: str) -> str:
    return escape(VALUE_CLASS[lang].get(str(c), str(c))) if _text(c) else ""


def _raw(x: Any) -> str:
    """A stored name or id (a centre, a city, an operator, a unit) shown as stored (``data-id``)."""
    t = _text(x)
    return f"<span data-raw data-id>{t}</span>" if t else ""


#: columns of the definitions table that are the edition's English text (without their ``*_zh``, the
#: Chinese page shows them as the English original)
ORIGINAL_EN = {"precision_basis", "what_is_counted", "in_use_or_shipped", "time_point"}


def _orig(x: Any, lang: str) -> str:
    """Stored English text of the edition's definitions table (it quotes the publishers' Chinese
    terms): shown as stored, on the Chinese page marked as the English original (``data-orig``)."""
    t = _text(x)
    if not t:
        return ""
    return f"<span data-raw data-orig lang='en'>{t}</span>" if lang == "zh" else f"<span data-raw>{t}</span>"


def _national(nat: pd.DataFrame | None, L: dict[str, str]) -> list[str]:
    if nat is None or nat.empty:
        return [f"<p class='muted'>{escape(L['no_table']).format(t='<code>capacity_national</code>')}</p>"]
    n = nat.sort_values("year")
    years = [int(y) for y in n["year"]]
    has_iv = "intelligent_eflops_lo" in n
    lvl = float(n["interval_level"].iloc[0]) if "interval_level" in n else 0.9
    out = [f"<h2 id='anchors-national'>{escape(L['national'].format(lvl=f'{lvl:.0%}'))}</h2>"]
    if not has_iv:
        out.append(f"<p class='muted'>{escape(L['no_iv'])}</p>")
    for k, (col, name) in enumerate((("intelligent_eflops", L["intel_fp16"]), ("general_eflops", L["general_fp64"]))):
        traces = []
        if col + "_lo" in n and col + "_hi" in n:           # a series without its interval is drawn without a band
            traces.append(_band(years, list(n[col + "_lo"]), list(n[col + "_hi"]), COLOURS[k]))
        traces.append({"x": years, "y": [_clean(v) for v in n[col]], "name": name, "type": "scatter",
                       "mode": "lines+markers", "line": {"color": COLOURS[k]}})
        out.append(_chart(f"cap-nat-{k}", traces, {"title": {"text": name}, "yaxis": {"title": {"text": "EFLOPS"},
                                                                                      "rangemode": "tozero"},
                                                   "xaxis": {"type": "category"}, "margin": {"t": 40}}, 320))
    rows = []
    for r in n.to_dict("records"):
        def iv(c: str, r: dict = r) -> str:
            return f" ({_num(r[c + '_lo'])}–{_num(r[c + '_hi'])})" if c + "_lo" in r and c + "_hi" in r else ""
        rows.append([str(int(r["year"])), _num(r["intelligent_eflops"]) + iv("intelligent_eflops"),
                     _num(r["general_eflops"]) + iv("general_eflops"), _raw(r.get("fp64_basis", "")),
                     _vc(r.get("value_class", ""), L["_lang"])])
    out.append(_table([L["year"], L["intel_iv"].format(lvl=f"{lvl:.0%}"), L["general_iv"].format(lvl=f"{lvl:.0%}"),
                       L["fp64_basis"], L["value_class"]], rows, "num", "anchors-national-table"))
    return out


def _scenarios(sc: pd.DataFrame | None, pub: pd.DataFrame | None, L: dict[str, str]) -> list[str]:
    lang = L["_lang"]
    if sc is None or sc.empty:
        return [f"<p class='muted'>{escape(L['no_scenarios']).format(t='<code>capacity_scenarios</code>')}</p>"]
    out = [f"<h2 id='anchors-scenarios'>{escape(L['scenarios'])}</h2>"]
    for k, (metric, name) in enumerate((("intelligent_eflops", L["intel"]), ("general_eflops", L["general"]))):
        s = sc[sc["metric"] == metric].sort_values(["scenario", "year"])
        if s.empty:
            continue
        traces = []
        for j, name_s in enumerate(dict.fromkeys(s["scenario"])):
            sub = s[s["scenario"] == name_s]
            x = [int(y) for y in sub["year"]]
            colour = COLOURS[j % len(COLOURS)]
            traces.append(_band(x, list(sub["lo"]), list(sub["hi"]), colour))
            traces.append({"x": x, "y": [_clean(v) for v in sub["value"]], "name": one_language(sub["label"].iloc[0], lang),
                           "type": "scatter", "mode": "lines", "line": {"color": colour}})
        pts = {int(r.year): float(r.published) for r in s.dropna(subset=["published"]).itertuples()}
        if pub is not None and not pub.empty:
            pts.update({int(r.year): float(r.published) for r in pub[pub["metric"] == metric].itertuples()})
        if pts:
            ys = sorted(pts)
            traces.append({"x": ys, "y": [pts[y] for y in ys], "name": L["idc_points"],
                           "type": "scatter", "mode": "markers", "marker": {"size": 11, "symbol": "diamond",
                                                                            "color": "#000"}})
        last = int(s.loc[~s["forecast"].astype(bool), "year"].max())
        lay = {"title": {"text": name}, "yaxis": {"title": {"text": "EFLOPS"}, "rangemode": "tozero"},
               "margin": {"t": 40}, "legend": {"orientation": "h"},
               "shapes": [{"type": "rect", "xref": "x", "yref": "paper", "x0": last + 0.5,
                           "x1": int(s["year"].max()) + 0.5, "y0": 0, "y1": 1,
                           "fillcolor": "#888", "opacity": 0.08, "line": {"width": 0}}]}
        out.append(_chart(f"cap-sc-{k}", traces, lay, 420))
    si = sc[sc["metric"] == "intelligent_eflops"]
    py = si.dropna(subset=["published"])["year"]
    years = sorted({int(py.iloc[0])} if len(py) else set()) + [int(si["year"].max())]
    rows = []
    for name_s in dict.fromkeys(si["scenario"]):
        sub = si[si["scenario"] == name_s].set_index("year")
        cells = [escape(one_language(sub["label"].iloc[0], lang))]
        for y in dict.fromkeys(years):
            r = sub.loc[y]
            cells.append(f"{_num(r['value'], 0)} ({_num(r['lo'], 0)}–{_num(r['hi'], 0)})")
        cells.append(_vc(sub["value_class"].iloc[0], lang))
        rows.append(cells)
    head = [L["scenario"]] + [L["intel_year"].format(y=y) for y in dict.fromkeys(years)] + [L["value_class"]]
    out.append(_table(head, rows, "num", "anchors-scenarios-table"))
    if len(py):
        y = int(py.iloc[0])
        v = float(si.dropna(subset=["published"])["published"].iloc[0])
        src = si.dropna(subset=["published"])["published_source"].iloc[0]
        out.append(f"<p>{escape(L['idc_forecast'].format(y=y))}<b>{_num(v)} EFLOPS</b>{escape(L['stated_source'])}"
                   f"<cite data-raw data-quote>{_text(src)}</cite>{'）' if lang == 'zh' else ').'}</p>")
    return out


def _anchors(chk: pd.DataFrame | None, cen: pd.DataFrame | None, hubs: pd.DataFrame | None,
             L: dict[str, str]) -> list[str]:
    lang = L["_lang"]
    out = [f"<h2 id='anchors-real'>{escape(L['anchors'])}</h2>"]
    if chk is not None and not chk.empty:
        has_stat = "province_intelligent_pflops" in chk
        real = chk["announced_all_pflops"].fillna(0) > 0
        if has_stat:
            real |= chk["province_intelligent_pflops"].notna()
        c = chk[real].copy()
        flag = c["below_operating"].astype(bool) | (c["below_province_stat"].astype(bool)
                                                    if "below_province_stat" in c else False)
        c["flag"] = flag
        c = c.sort_values("synthetic_intelligent_pflops", ascending=False)
        names = [("⚠ " if f else "") + _prov(p, lang) for p, f in zip(c["province"], c["flag"], strict=True)]
        series = [("synthetic_intelligent_pflops", L["synthetic_stock"]),
                  ("announced_operating_pflops", L["announced_operating"]),
                  ("announced_all_pflops", L["announced_all"])]
        if has_stat:
            series.append(("province_intelligent_pflops", L["province_stat"]))
        traces = [{"x": names, "y": [_clean(v) for v in c[col]], "name": lab, "type": "bar",
                   "marker": {"color": COLOURS[i]}} for i, (col, lab) in enumerate(series)]
        y = int(c["year"].iloc[0]) if len(c) else ""
        out.append(_chart("cap-prov", traces, {"barmode": "group", "yaxis": {"title": {"text": "PFLOPS"},
                                                                              "type": "log"},
                                                 "title": {"text": L["prov_title"].format(y=y)},
                                                 "legend": {"orientation": "h"},
                                                 "margin": {"t": 40, "b": 90}}, 440))
        flagged = chk.loc[chk["below_operating"].astype(bool) | (chk["below_province_stat"].astype(bool)
                                                                 if "below_province_stat" in chk else False)]
        if len(flagged):
            sep = "、" if lang == "zh" else ", "
            out.append("<p class='warn'>" + escape(L["flagged"].format(
                n=len(flagged), p=sep.join(_prov(p, lang) for p in flagged["province"]))) + "</p>")
        else:
            out.append(f"<p>{escape(L['none_flagged'])}</p>")
        rows = [[("⚠ " if bool(r.flag) else "") + escape(_prov(r.province, lang)), _num(r.synthetic_intelligent_pflops, 0),
                 _num(r.announced_operating_pflops, 0), _num(r.announced_all_pflops, 0),
                 _num(getattr(r, "province_intelligent_pflops", float("nan")), 0), str(int(r.centres_with_figure)),
                 _vc(r.value_class, lang)] for r in c.itertuples()]
        out.append(_table([L["province"], L["synthetic_p"], L["announced_operating"], L["announced_all"],
                           L["province_stat"], L["centres_with_figure"], L["value_class"]], rows, "num",
                          "anchors-provinces"))
    else:
        out.append(f"<p class='muted'>{escape(L['no_table']).format(t='<code>capacity_province_check</code>')}</p>")
    if cen is not None and not cen.empty:
        c = cen.sort_values(["announced_pflops", "name"], ascending=[False, True], na_position="last")
        nf = int(c["announced_pflops"].notna().sum())
        out.append(f"<h3>{escape(L['centres'].format(n=len(c), f=nf))}</h3>")
        # name and operator in English on the English page (the maintainers' renderings; Chinese where none)
        rows = [[_raw(centre_text(r, "name", lang)), escape(_prov(r.province, lang)),
                 _raw(r.city if lang == "zh" else city_en(str(r.city))),
                 _raw(centre_text(r, "operator", lang)),
                 _num(r.announced_pflops, 0), _raw(r.precision) or "—",
                 escape(STATUS[lang].get(str(r.status), str(r.status))), _text(r.year),
                 f"<cite data-raw data-quote>{_link(r.source_url, r.source_title)}</cite>", _raw(r.source_kind)]
                for r in c.itertuples()]
        out.append(_table([L["centre"], L["province"], L["city"], L["operator"], L["announced_p"], L["precision"],
                           L["status"], L["year"], L["source"], L["kind"]], rows, "centres", "anchors-centres"))
    if hubs is not None and not hubs.empty:
        out.append(f"<h3>{escape(L['hubs'])}</h3>")
        rows = []
        for r in hubs.itertuples():
            hub = getattr(r, "hub_zh", r.hub) if lang == "zh" else r.hub
            cluster = getattr(r, "cluster_zh", r.cluster) if lang == "zh" else r.cluster
            rows.append([_raw(hub), _raw(cluster), escape(_prov(r.province, lang)),
                         _num(r.value) + (" " + _text(r.unit) if _clean(r.value) is not None else ""),
                         f"<cite data-raw data-quote>{_link(r.source_url, getattr(r, 'source_title', r.source_url))}</cite>",
                         _raw(r.source_kind)])
        out.append(_table([L["hub"], L["cluster"], L["province"], L["published_figure"], L["source"], L["kind"]], rows,
                          "", "anchors-hubs"))
    return out


def _bridge(defs: pd.DataFrame | None, br: pd.DataFrame | None, L: dict[str, str]) -> list[str]:
    lang = L["_lang"]
    out = [f"<h2 id='anchors-definitions'>{escape(L['definitions'])}</h2>"]
    if defs is None or defs.empty:
        return out + [f"<p class='muted'>{escape(L['no_table']).format(t='<code>capacity_definitions</code>')}</p>"]

    def tr(r: Any, col: str) -> str:
        """A bridge step or note, or a definition's text, in the page's language: the table's own
        ``<col>_zh`` on the Chinese page (the stage and the bundled definitions write it), else the
        English as stored (marked as the original on a Chinese page)."""
        zh = getattr(r, col + "_zh", None) if lang == "zh" else None
        if isinstance(zh, str) and zh:
            return escape(zh)
        x = getattr(r, col, None)
        t = "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)
        return _orig(t, lang) if col in ORIGINAL_EN else _raw(t)

    if br is not None and not br.empty:
        def step(prefix: str) -> float:
            m = br["step"].astype(str).str.startswith(prefix)
            return float(br.loc[m, "value"].iloc[0]) if m.any() else float("nan")

        miit, mid = step("MIIT/CAICT intelligent"), step("IDC interpolated")
        v25, tgap, sgap = step("IDC intelligent compute, end of 2025"), step("time-point gap"), step("scope gap")
        out.append("<p class='bridge' id='anchors-bridge'>" + L["bridge"].format(
            miit=_num(miit, 0), v25=_num(v25), mid=_num(mid), tgap=_num(tgap), sgap=_num(sgap)) + "</p>")
        rows = [[tr(r, "step"), _num(r.value, 3 if str(r.unit) == "ratio" else 1), _raw(r.unit),
                 _vc(r.value_class, lang), tr(r, "note")] for r in br.itertuples()]
        out.append(_table([L["step"], L["value"], L["unit"], L["value_class"], L["note"]], rows, "bridge",
                          "anchors-bridge-table"))
    rows = [[tr(r, "publisher"), _raw(r.series_zh) if lang == "zh" else _text(r.series), tr(r, "precision_basis"),
             tr(r, "what_is_counted"), tr(r, "in_use_or_shipped"), tr(r, "time_point"), _text(r.year),
             _num(r.value), _raw(r.unit), f"<cite data-raw data-quote>{_link(r.source_url, getattr(r, 'source_title', ''))}</cite>",
             _raw(r.source_kind)] for r in defs.itertuples()]
    # a table written before the definitions carried Chinese: its English columns say they are the original
    o = L["orig_en"] if lang == "zh" and "precision_basis_zh" not in defs.columns else ""
    out.append(_table([L["publisher"], L["series"], L["precision"] + o, L["what_counted"] + o, L["in_use"] + o,
                       L["time_point"] + o, L["year"], L["value"], L["unit"], L["source"], L["kind"]], rows, "defs",
                      "anchors-defs"))
    return out


def anchors_page(table: Tables, *, title: str, synthetic: bool, lang: str = "zh") -> str:
    """The whole page as HTML in one language (``zh`` or ``en``); ``table(name)`` returns a build
    table or ``None``. Stored names, ids and source titles are shown as stored (``data-raw``); the
    edition's English definition texts are marked as the English original on the Chinese page."""
    lang = "en" if lang == "en" else "zh"
    L = {**TEXT[lang], "_lang": lang}
    other = "zh" if lang == "en" else "en"
    parts = [f"<!doctype html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
             "<meta name='viewport' content='width=device-width,initial-scale=1'>"
             f"<title>{escape(title)} · {escape(L['page'])}</title>",
             f"<link rel='stylesheet' href='{static_url('app.css')}'><script src='{plotly_url()}'></script>",
             "<style>body{font-family:sans-serif;margin:1rem;max-width:1200px}table{border-collapse:collapse;"
             "font-size:.8rem;margin:.5rem 0;display:block;overflow-x:auto;max-width:100%}td,th{border:1px solid #ccc;"
             "padding:.2rem .4rem;vertical-align:top}table.num td{text-align:right}table.num td:first-child"
             "{text-align:left}.syn{background:#fff4e5;color:#8a4b00;padding:.4rem;border:1px solid #f0c27b}"
             ".warn{color:#8a1c00}.muted{color:#666}.chart{width:100%}p,h1,h2,h3{overflow-wrap:anywhere}"
             "</style></head><body>",
             f"<p><a href='/?lang={lang}' id='anchors-back'>{escape(L['back'])}</a> · "
             f"<a href='/capacity?lang={lang}' id='anchors-capacity'>{escape(L['tables_link'])}</a> · "
             f"<a href='/capacity/anchors?lang={other}' id='lang'>{escape(L['lang_btn'])}</a></p>",
             f"<p class='muted'>{escape(title)}</p><h1>{escape(L['h1'])}</h1>"]
    if synthetic:
        parts.append(f"<p class='syn'>{escape(L['syn'])}</p>")
    parts += _national(table("capacity_national"), L)
    parts += _scenarios(table("capacity_scenarios"), table("capacity_vs_published"), L)
    parts += _anchors(table("capacity_province_check"), table("capacity_centres"), table("capacity_hubs"), L)
    parts += _bridge(table("capacity_definitions"), table("capacity_definitions_bridge"), L)
    links = ", ".join(f"<a href='/api/tables/{t}' data-raw>{t}</a>" for t in (
        "capacity_national", "capacity_intervals", "capacity_scenarios", "capacity_province_check",
        "capacity_centres", "capacity_hubs", "capacity_definitions", "capacity_definitions_bridge"))
    parts.append(f"<p>{escape(L['tables'])}{links}.</p></body></html>")
    return "".join(parts)
