"""The dashboard's energy page (``/energy``): national and provincial power, energy and CO2 with
intervals, and the reconciliation with its scopes. Server-rendered from the build's tables; every
string is HTML-escaped and the chart data sits in <script> as escaped JSON."""

from __future__ import annotations

import json
from html import escape
from typing import Any

import pandas as pd

from ..tilegrid import PROVINCE_TILES


def _js(obj: Any) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=float)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _num(x: Any, d: int = 1) -> str:
    try:
        return f"{float(x):,.{d}f}"
    except (TypeError, ValueError):
        return "—"


_TILE_LAYOUT = {"xaxis": {"visible": False}, "yaxis": {"visible": False, "scaleanchor": "x"}, "margin": {"t": 10}}


def _tiles(last: pd.DataFrame, col: str, unit: str) -> list[dict[str, Any]]:
    """One square marker per province on the project's tile grid (:mod:`suanli.tilegrid`), coloured by ``col``."""
    last = last[last["province"].isin(list(PROVINCE_TILES))]
    pos = [PROVINCE_TILES[p] for p in last["province"]]
    return [{"x": [c for _, c in pos], "y": [-r for r, _ in pos], "text": [str(p) for p in last["province"]],
             "mode": "markers+text", "type": "scatter", "customdata": [_num(v, 2) for v in last[col]],
             "hovertemplate": "%{text}: %{customdata} " + unit + "<extra></extra>",
             "marker": {"symbol": "square", "size": 44, "color": list(last[col]), "colorscale": "YlOrRd",
                        "showscale": True, "colorbar": {"title": {"text": unit}}}}]


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
        for i, (col, label, unit) in enumerate((("avg_it_mw", "各省年均 IT 功率 Average IT power", "MW"),
                                                ("co2_mt", "各省碳排放（位置法）CO2, location-based", "Mt CO2"))):
            parts.append(f"<h2>{escape(label)} by province, {y}</h2><div id='e-tile{i}' style='height:480px'></div>")
            parts.append(f"<script>Plotly.newPlot('e-tile{i}',{_js(_tiles(last, col, unit))},{_js(_TILE_LAYOUT)},"
                         "{displaylogo:false,responsive:true});</script>")
        top = last.sort_values("facility_twh", ascending=False)
        head = ["province", "rated MW", "avg IT MW", "facility TWh (90%)", "CO2 Mt (90%)", "kgCO2/kWh", "PUE"]
        rows = "".join(
            f"<tr><td class='t'>{escape(str(r.province))}</td><td>{_num(r.rated_it_mw, 0)}</td><td>{_num(r.avg_it_mw, 0)}</td>"
            f"<td>{_num(r.facility_twh, 2)} ({_num(r.facility_twh_lo, 2)}–{_num(r.facility_twh_hi, 2)})</td>"
            f"<td>{_num(r.co2_mt, 2)} ({_num(r.co2_mt_lo, 2)}–{_num(r.co2_mt_hi, 2)})</td>"
            f"<td>{_num(r.kgco2_per_kwh, 3)}</td><td>{_num(r.pue, 2)}</td></tr>"
            for r in top.itertuples())
        parts.append(f"<h2>各省 Provinces, {y}</h2><table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head)
                     + f"</tr>{rows}</table>")
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
