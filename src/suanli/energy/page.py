"""The dashboard's energy page (``/energy``): national and provincial power, energy and CO2 with
intervals, and the reconciliation with its scopes. Server-rendered from the build's tables; every
string is HTML-escaped and the chart data sits in <script> as escaped JSON."""

from __future__ import annotations

import json
from html import escape
from typing import Any

import pandas as pd

#: Schematic tile-grid positions (column, row) of China's 31 province-level regions (mainland).
TILE_GRID: dict[str, tuple[int, int]] = {
    "黑龙江": (8, 0),
    "内蒙古": (5, 1), "北京": (6, 1), "辽宁": (7, 1), "吉林": (8, 1),
    "新疆": (0, 2), "甘肃": (2, 2), "宁夏": (3, 2), "山西": (4, 2), "河北": (5, 2), "天津": (6, 2),
    "西藏": (1, 3), "青海": (2, 3), "陕西": (3, 3), "河南": (4, 3), "山东": (5, 3),
    "四川": (2, 4), "重庆": (3, 4), "湖北": (4, 4), "安徽": (5, 4), "江苏": (6, 4), "上海": (7, 4),
    "云南": (2, 5), "贵州": (3, 5), "湖南": (4, 5), "江西": (5, 5), "浙江": (6, 5),
    "广西": (3, 6), "广东": (4, 6), "福建": (5, 6),
    "海南": (4, 7),
}


def _js(obj: Any) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=float)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _num(x: Any, d: int = 1) -> str:
    try:
        return f"{float(x):,.{d}f}"
    except (TypeError, ValueError):
        return "—"


def energy_page(national: pd.DataFrame | None, province: pd.DataFrame | None, recon: pd.DataFrame | None, *,
                title: str, synthetic: bool) -> str:
    """The whole page as HTML (a missing table leaves its part out with a note)."""
    parts = [f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>{escape(title)} · 能耗 Energy</title>",
             "<link rel='stylesheet' href='/static/app.css'><script src='/vendor/plotly/plotly.min.js'></script>",
             "<style>body{font-family:sans-serif;margin:1.5rem;max-width:1100px}table{border-collapse:collapse;"
             "font-size:.85rem}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:right}td.t{text-align:left}"
             ".syn{background:#fff4e5;color:#8a4b00;padding:.4rem;border:1px solid #f0c27b}</style></head><body>",
             f"<p><a href='/'>← {escape(title)}</a></p><h1>能耗、功率与碳排放 · Energy, power and carbon</h1>"]
    if synthetic:
        parts.append("<p class='syn'>合成数据 SYNTHETIC: built on synthetic shipments; intervals are 90% Monte Carlo "
                     "intervals over the edition's parameter ranges.</p>")
    if national is None or national.empty:
        parts.append("<p>No energy tables in this build (the edition has no <code>energy:</code> section).</p>")
        return "".join(parts) + "</body></html>"
    n = national.sort_values("year")
    years = [int(y) for y in n["year"]]
    traces = []
    for col, name, color in (("it_twh", "IT TWh", "#1f4e9c"), ("facility_twh", "facility TWh", "#c0392b")):
        traces.append({"x": years + years[::-1], "y": list(n[col + "_hi"]) + list(n[col + "_lo"])[::-1],
                       "fill": "toself", "fillcolor": color, "opacity": 0.15, "line": {"width": 0},
                       "hoverinfo": "skip", "showlegend": False, "type": "scatter"})
        traces.append({"x": years, "y": list(n[col]), "name": name, "type": "scatter", "mode": "lines+markers",
                       "line": {"color": color}})
    parts.append("<h2>全国 National (AI servers)</h2><div id='e-nat' style='height:360px'></div>")
    parts.append(f"<script>Plotly.newPlot('e-nat',{_js(traces)},{_js({'yaxis': {'title': 'TWh'}, 'margin': {'t': 20}})},"
                 "{displaylogo:false,responsive:true});</script>")
    head = ["year", "rated MW", "avg IT MW", "IT TWh", "facility TWh (90%)", "CO2 Mt (90%)", "PUE"]
    rows = "".join(
        f"<tr><td>{int(r.year)}</td><td>{_num(r.rated_it_mw, 0)}</td><td>{_num(r.avg_it_mw, 0)}</td><td>{_num(r.it_twh)}</td>"
        f"<td>{_num(r.facility_twh)} ({_num(r.facility_twh_lo)}–{_num(r.facility_twh_hi)})</td>"
        f"<td>{_num(r.co2_mt)} ({_num(r.co2_mt_lo)}–{_num(r.co2_mt_hi)})</td><td>{_num(r.pue, 2)}</td></tr>"
        for r in n.itertuples())
    parts.append("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + f"</tr>{rows}</table>")
    if province is not None and not province.empty:
        y = int(province["year"].max())
        last = province[province["year"] == y]
        last = last[last["province"].isin(list(TILE_GRID))]
        tile = [{"x": [TILE_GRID[p][0] for p in last["province"]], "y": [-TILE_GRID[p][1] for p in last["province"]],
                 "text": [str(p) for p in last["province"]], "mode": "markers+text", "type": "scatter",
                 "customdata": [_num(v) for v in last["avg_it_mw"]],
                 "hovertemplate": "%{text}: %{customdata} MW<extra></extra>",
                 "marker": {"symbol": "square", "size": 44, "color": list(last["avg_it_mw"]), "colorscale": "YlOrRd",
                            "showscale": True, "colorbar": {"title": {"text": "MW"}}}}]
        parts.append(f"<h2>各省年均 IT 功率 Average IT power by province, {y}</h2><div id='e-tile' style='height:480px'></div>")
        lay = {"xaxis": {"visible": False}, "yaxis": {"visible": False, "scaleanchor": "x"}, "margin": {"t": 10}}
        parts.append(f"<script>Plotly.newPlot('e-tile',{_js(tile)},{_js(lay)},{{displaylogo:false,responsive:true}});</script>")
    if recon is not None and not recon.empty:
        parts.append("<h2>对账 Reconciliation (scopes explicit, nothing fitted)</h2><table><tr><th>comparison</th>"
                     "<th>year</th><th>published TWh</th><th>estimate TWh (90%)</th><th>scope</th><th>implied</th></tr>")
        for r in recon.itertuples():
            parts.append(
                f"<tr><td class='t'>{escape(str(r.published_label))}</td><td>{int(r.published_year)}</td>"
                f"<td>{_num(r.published_twh)}</td><td>{_num(r.estimate_twh)} ({_num(r.estimate_lo)}–{_num(r.estimate_hi)})</td>"
                f"<td class='t'>{escape(str(r.scope))}</td><td class='t'>{escape(str(r.implied_parameter))}: "
                f"{_num(r.implied_value, 3)}</td></tr>")
        parts.append("</table>")
    parts.append("<p>Tables: <a href='/api/tables/energy_national'>energy_national</a>, "
                 "<a href='/api/tables/energy_by_province'>energy_by_province</a>, "
                 "<a href='/api/tables/energy_reconciliation'>energy_reconciliation</a>.</p></body></html>")
    return "".join(parts)
