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

Tables = Callable[[str], "pd.DataFrame | None"]
COLOURS = ["#1f4e9c", "#e07b00", "#2a9d8f", "#c0392b", "#8e6bbf", "#7f8c8d"]
STATUS = {"operating": "运营 operating", "under_construction": "在建 under construction", "planned": "规划 planned"}


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


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    h = "".join(f"<th>{escape(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table class='{cls}'><tr>{h}</tr>{body}</table>"


def _band(x: list, lo: list, hi: list, colour: str) -> dict:
    return {"x": x + x[::-1], "y": [_clean(v) for v in hi] + [_clean(v) for v in lo][::-1], "fill": "toself",
            "fillcolor": colour, "opacity": 0.18, "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
            "type": "scatter"}


def _national(nat: pd.DataFrame | None) -> list[str]:
    if nat is None or nat.empty:
        return ["<p class='muted'>No <code>capacity_national</code> table in this build.</p>"]
    n = nat.sort_values("year")
    years = [int(y) for y in n["year"]]
    has_iv = "intelligent_eflops_lo" in n
    lvl = float(n["interval_level"].iloc[0]) if "interval_level" in n else 0.9
    out = [f"<h2>全国算力及其区间 National capacity with {lvl:.0%} intervals</h2>"]
    if not has_iv:
        out.append("<p class='muted'>This build has no intervals (the edition has no <code>capacity.uncertainty</code>"
                   ").</p>")
    for k, (col, name) in enumerate((("intelligent_eflops", "智能算力 Intelligent (FP16, EFLOPS)"),
                                     ("general_eflops", "通用算力 General (FP64, EFLOPS)"))):
        traces = []
        if has_iv:
            traces.append(_band(years, list(n[col + "_lo"]), list(n[col + "_hi"]), COLOURS[k]))
        traces.append({"x": years, "y": [_clean(v) for v in n[col]], "name": name, "type": "scatter",
                       "mode": "lines+markers", "line": {"color": COLOURS[k]}})
        out.append(_chart(f"cap-nat-{k}", traces, {"title": {"text": name}, "yaxis": {"title": {"text": "EFLOPS"},
                                                                                      "rangemode": "tozero"},
                                                   "xaxis": {"type": "category"}, "margin": {"t": 40}}, 320))
    rows = []
    for r in n.to_dict("records"):
        def iv(c: str, r: dict = r) -> str:
            return f" ({_num(r[c + '_lo'])}–{_num(r[c + '_hi'])})" if has_iv else ""
        rows.append([str(int(r["year"])), _num(r["intelligent_eflops"]) + iv("intelligent_eflops"),
                     _num(r["general_eflops"]) + iv("general_eflops"), _text(r.get("fp64_basis", "")),
                     _text(r.get("value_class", ""))])
    out.append(_table(["year", f"intelligent EFLOPS ({lvl:.0%})", f"general EFLOPS ({lvl:.0%})", "fp64_basis",
                       "value_class"], rows, "num"))
    return out


def _scenarios(sc: pd.DataFrame | None, pub: pd.DataFrame | None) -> list[str]:
    if sc is None or sc.empty:
        return ["<p class='muted'>No <code>capacity_scenarios</code> table in this build (the edition has no "
                "<code>capacity.forecast</code>).</p>"]
    out = ["<h2>情景预测 Scenarios against IDC's forecast</h2>"]
    for k, (metric, name) in enumerate((("intelligent_eflops", "智能算力 Intelligent (EFLOPS)"),
                                        ("general_eflops", "通用算力 General (EFLOPS)"))):
        s = sc[sc["metric"] == metric].sort_values(["scenario", "year"])
        if s.empty:
            continue
        traces = []
        for j, name_s in enumerate(dict.fromkeys(s["scenario"])):
            sub = s[s["scenario"] == name_s]
            x = [int(y) for y in sub["year"]]
            colour = COLOURS[j % len(COLOURS)]
            traces.append(_band(x, list(sub["lo"]), list(sub["hi"]), colour))
            traces.append({"x": x, "y": [_clean(v) for v in sub["value"]], "name": str(sub["label"].iloc[0]),
                           "type": "scatter", "mode": "lines", "line": {"color": colour}})
        pts = {int(r.year): float(r.published) for r in s.dropna(subset=["published"]).itertuples()}
        if pub is not None and not pub.empty:
            pts.update({int(r.year): float(r.published) for r in pub[pub["metric"] == metric].itertuples()})
        if pts:
            ys = sorted(pts)
            traces.append({"x": ys, "y": [pts[y] for y in ys], "name": "IDC 公布值/预测 published & forecast",
                           "type": "scatter", "mode": "markers", "marker": {"size": 11, "symbol": "diamond",
                                                                            "color": "#000"}})
        last = int(s.loc[~s["forecast"].astype(bool), "year"].max())
        lay = {"title": {"text": name}, "yaxis": {"title": {"text": "EFLOPS"}, "rangemode": "tozero"},
               "margin": {"t": 40}, "shapes": [{"type": "rect", "xref": "x", "yref": "paper", "x0": last + 0.5,
                                                "x1": int(s["year"].max()) + 0.5, "y0": 0, "y1": 1,
                                                "fillcolor": "#888", "opacity": 0.08, "line": {"width": 0}}]}
        out.append(_chart(f"cap-sc-{k}", traces, lay, 420))
    si = sc[sc["metric"] == "intelligent_eflops"]
    py = si.dropna(subset=["published"])["year"]
    years = sorted({int(py.iloc[0])} if len(py) else set()) + [int(si["year"].max())]
    rows = []
    for name_s in dict.fromkeys(si["scenario"]):
        sub = si[si["scenario"] == name_s].set_index("year")
        cells = [_text(sub["label"].iloc[0])]
        for y in dict.fromkeys(years):
            r = sub.loc[y]
            cells.append(f"{_num(r['value'], 0)} ({_num(r['lo'], 0)}–{_num(r['hi'], 0)})")
        cells.append(_text(sub["value_class"].iloc[0]))
        rows.append(cells)
    head = ["scenario"] + [f"intelligent {y} (EFLOPS, interval)" for y in dict.fromkeys(years)] + ["value_class"]
    out.append(_table(head, rows, "num"))
    if len(py):
        y = int(py.iloc[0])
        v = float(si.dropna(subset=["published"])["published"].iloc[0])
        out.append(f"<p>IDC's published forecast for {y}: <b>{_num(v)} EFLOPS</b> (stated, "
                   f"{_text(si.dropna(subset=['published'])['published_source'].iloc[0])}).</p>")
    return out


def _anchors(chk: pd.DataFrame | None, cen: pd.DataFrame | None, hubs: pd.DataFrame | None) -> list[str]:
    out = ["<h2>真实锚点 Real anchors: announced centres beside the synthetic province stock</h2>"]
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
        names = [("⚠ " if f else "") + str(p) for p, f in zip(c["province"], c["flag"], strict=True)]
        series = [("synthetic_intelligent_pflops", "合成存量 synthetic stock"),
                  ("announced_operating_pflops", "已宣布运营 announced, operating"),
                  ("announced_all_pflops", "已宣布全部 announced, all")]
        if has_stat:
            series.append(("province_intelligent_pflops", "省级公布 province statistic"))
        traces = [{"x": names, "y": [_clean(v) for v in c[col]], "name": lab, "type": "bar",
                   "marker": {"color": COLOURS[i]}} for i, (col, lab) in enumerate(series)]
        y = int(c["year"].iloc[0]) if len(c) else ""
        out.append(_chart("cap-prov", traces, {"barmode": "group", "yaxis": {"title": {"text": "PFLOPS"},
                                                                              "type": "log"},
                                                 "title": {"text": f"PFLOPS, {y} (log scale; ⚠ = synthetic below real)"},
                                                 "margin": {"t": 40, "b": 90}}, 440))
        flagged = chk.loc[chk["below_operating"].astype(bool) | (chk["below_province_stat"].astype(bool)
                                                                 if "below_province_stat" in chk else False)]
        if len(flagged):
            out.append("<p class='warn'>⚠ Synthetic stock below announced real capacity in "
                       f"{len(flagged)} province(s): {escape('、'.join(map(str, flagged['province'])))}. "
                       "Announced figures rarely state precision and may overlap, so the check is indicative.</p>")
        else:
            out.append("<p>No province has a synthetic stock below the announced operating capacity.</p>")
        rows = [[("⚠ " if bool(r.flag) else "") + _text(r.province), _num(r.synthetic_intelligent_pflops, 0),
                 _num(r.announced_operating_pflops, 0), _num(r.announced_all_pflops, 0),
                 _num(getattr(r, "province_intelligent_pflops", float("nan")), 0), str(int(r.centres_with_figure)),
                 _text(r.value_class)] for r in c.itertuples()]
        out.append(_table(["province", "synthetic PFLOPS", "announced operating", "announced all",
                           "province statistic", "centres with figure", "value_class"], rows, "num"))
    else:
        out.append("<p class='muted'>No <code>capacity_province_check</code> table in this build.</p>")
    if cen is not None and not cen.empty:
        c = cen.sort_values(["announced_pflops", "name"], ascending=[False, True], na_position="last")
        nf = int(c["announced_pflops"].notna().sum())
        out.append(f"<h3>已宣布的智算中心 Announced intelligent-computing centres ({len(c)}, {nf} with a figure; "
                   "no figure = not published, a visible gap)</h3>")
        rows = [[_text(r.name), _text(r.province), _text(r.city), _text(r.operator), _num(r.announced_pflops, 0),
                 _text(r.precision) or "—", _text(STATUS.get(str(r.status), r.status)), _text(r.year),
                 _link(r.source_url, r.source_title), _text(r.source_kind)] for r in c.itertuples()]
        out.append(_table(["centre", "province", "city", "operator", "announced P", "precision", "status", "year",
                           "source", "kind"], rows, "centres"))
    if hubs is not None and not hubs.empty:
        out.append("<h3>东数西算 national hub nodes and data-centre clusters</h3>")
        rows = [[_text(r.hub_zh if hasattr(r, "hub_zh") else r.hub), _text(getattr(r, "cluster_zh", r.cluster)),
                 _text(r.province), _num(r.value) + (" " + _text(r.unit) if _clean(r.value) is not None else ""),
                 _link(r.source_url, getattr(r, "source_title", r.source_url)), _text(r.source_kind)]
                for r in hubs.itertuples()]
        out.append(_table(["hub", "cluster", "province", "published figure", "source", "kind"], rows))
    return out


def _bridge(defs: pd.DataFrame | None, br: pd.DataFrame | None) -> list[str]:
    out = ["<h2>口径 Definitions: IDC vs MIIT vs CAICT</h2>"]
    if defs is None or defs.empty:
        return out + ["<p class='muted'>No <code>capacity_definitions</code> table in this build.</p>"]
    if br is not None and not br.empty:
        def step(prefix: str) -> float:
            m = br["step"].astype(str).str.startswith(prefix)
            return float(br.loc[m, "value"].iloc[0]) if m.any() else float("nan")

        miit, mid = step("MIIT/CAICT intelligent"), step("IDC interpolated")
        v25, tgap, sgap = step("IDC intelligent compute, end of 2025"), step("time-point gap"), step("scope gap")
        out.append(
            f"<p class='bridge'><b>Why {_num(miit, 0)} and {_num(v25)} differ.</b> MIIT/CAICT's {_num(miit, 0)} EFLOPS "
            f"is intelligent compute <i>in use in computing centres</i> at the end of June 2025; IDC's {_num(v25)} "
            "EFLOPS is all accelerated servers shipped and still installed at the end of 2025. Both are FP16 "
            f"(factor 1). Moving IDC to mid-2025 (geometric interpolation) gives {_num(mid)} EFLOPS: the time point "
            f"explains {_num(tgap)} EFLOPS. The remaining {_num(sgap)} EFLOPS is scope (enterprise, on-premises and "
            "edge devices outside computing centres, retirement conventions); no published factor splits it, so it "
            "is reported, not split.</p>")
        rows = [[_text(r.step), _num(r.value, 3 if str(r.unit) == "ratio" else 1), _text(r.unit),
                 _text(r.value_class), _text(r.note)] for r in br.itertuples()]
        out.append(_table(["step", "value", "unit", "value_class", "note"], rows, "bridge"))
    rows = [[_text(r.publisher), _text(r.series_zh) + " " + _text(r.series), _text(r.precision_basis),
             _text(r.what_is_counted), _text(r.in_use_or_shipped), _text(r.time_point), _text(r.year),
             _num(r.value), _text(r.unit), _link(r.source_url, getattr(r, "source_title", "")),
             _text(r.source_kind)] for r in defs.itertuples()]
    out.append(_table(["publisher", "series", "precision", "what is counted", "in use / shipped", "time point",
                       "year", "value", "unit", "source", "kind"], rows, "defs"))
    return out


def anchors_page(table: Tables, *, title: str, synthetic: bool) -> str:
    """The whole page as HTML; ``table(name)`` returns a build table or ``None``."""
    parts = [f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><meta name='viewport' "
             f"content='width=device-width,initial-scale=1'><title>{escape(title)} · 算力锚点 Capacity anchors</title>",
             "<link rel='stylesheet' href='/static/app.css'><script src='/vendor/plotly/plotly.min.js'></script>",
             "<style>body{font-family:sans-serif;margin:1rem;max-width:1200px}table{border-collapse:collapse;"
             "font-size:.8rem;margin:.5rem 0;display:block;overflow-x:auto}td,th{border:1px solid #ccc;"
             "padding:.2rem .4rem;vertical-align:top}table.num td{text-align:right}table.num td:first-child"
             "{text-align:left}.syn{background:#fff4e5;color:#8a4b00;padding:.4rem;border:1px solid #f0c27b}"
             ".warn{color:#8a1c00}.muted{color:#666}.chart{width:100%}</style></head><body>",
             f"<p><a href='/'>← {escape(title)}</a> · <a href='/capacity'>算力表 capacity tables</a></p>",
             "<h1>算力：区间、情景、真实锚点与口径 · Capacity: intervals, scenarios, real anchors, definitions</h1>"]
    if synthetic:
        parts.append("<p class='syn'>合成数据 SYNTHETIC: the national series, intervals, scenarios and province stock "
                     "are built on synthetic shipments; the centres, hubs and definitions are sourced published "
                     "figures (value_class stated).</p>")
    parts += _national(table("capacity_national"))
    parts += _scenarios(table("capacity_scenarios"), table("capacity_vs_published"))
    parts += _anchors(table("capacity_province_check"), table("capacity_centres"), table("capacity_hubs"))
    parts += _bridge(table("capacity_definitions"), table("capacity_definitions_bridge"))
    links = ", ".join(f"<a href='/api/tables/{t}'>{t}</a>" for t in (
        "capacity_national", "capacity_intervals", "capacity_scenarios", "capacity_province_check",
        "capacity_centres", "capacity_hubs", "capacity_definitions", "capacity_definitions_bridge"))
    parts.append(f"<p>Tables: {links}.</p></body></html>")
    return "".join(parts)
