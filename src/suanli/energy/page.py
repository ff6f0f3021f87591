"""The dashboard's energy page (``/energy``): national and provincial power, energy and CO2 with
intervals, and the reconciliation with its scopes. Server-rendered from the build's tables; every
string is HTML-escaped and the chart data sits in <script> as escaped JSON."""

from __future__ import annotations

import json
from html import escape
from typing import Any

import pandas as pd

from ..tilegrid import PROVINCE_TILES
from ..web.assets import plotly_url, static_url


def _js(obj: Any) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=float)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _num(x: Any, d: int = 1) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "—"
    return f"{v:,.{d}f}" if v == v and abs(v) != float("inf") else "—"     # a gap stays a dash, never "nan"


#: the page's words in Chinese and English (``?lang=en``)
TEXT = {
    "zh": {"page": "能耗、功率与碳排放", "syn": "合成数据：基于合成出货数据；区间为版本参数范围上的 90% 蒙特卡洛区间。",
           "none": "本构建没有能耗表（版本没有 energy: 部分）。", "national": "全国（人工智能服务器）",
           "it": "IT 能耗 (TWh)", "facility": "设施能耗 (TWh)", "year": "年份", "rated": "额定功率 MW", "avg": "年均 IT 功率 MW",
           "it_twh": "IT 能耗 TWh", "fac90": "设施能耗 TWh（90%）", "co2_90": "CO2 Mt（90%）", "pue": "PUE",
           "avg_prov": "各省年均 IT 功率", "co2_prov": "各省碳排放（位置法）", "by_prov": "，{y} 年", "provinces": "各省，{y} 年",
           "province": "省份", "kg": "kgCO2/kWh", "recon": "对账（口径明确，不做拟合）", "comparison": "比较对象（英文原名）",
           "pub": "公布值 TWh", "est": "估计值 TWh（90%）", "scope": "口径", "implied": "隐含参数", "tables": "数据表：",
           "back": "← 返回概览", "lang_btn": "EN"},
    "en": {"page": "Energy, power and carbon", "syn": "SYNTHETIC: built on synthetic shipments; intervals are 90% Monte "
                                                      "Carlo intervals over the edition's parameter ranges.",
           "none": "No energy tables in this build (the edition has no energy: section).", "national": "National (AI servers)",
           "it": "IT TWh", "facility": "facility TWh", "year": "year", "rated": "rated MW", "avg": "avg IT MW",
           "it_twh": "IT TWh", "fac90": "facility TWh (90%)", "co2_90": "CO2 Mt (90%)", "pue": "PUE",
           "avg_prov": "Average IT power by province", "co2_prov": "CO2 by province, location-based", "by_prov": ", {y}",
           "provinces": "Provinces, {y}", "province": "province", "kg": "kgCO2/kWh",
           "recon": "Reconciliation (scopes explicit, nothing fitted)", "comparison": "comparison", "pub": "published TWh",
           "est": "estimate TWh (90%)", "scope": "scope", "implied": "implied", "tables": "Tables: ",
           "back": "← Overview", "lang_btn": "中文"},
}

_TILE_LAYOUT = {"xaxis": {"visible": False}, "yaxis": {"visible": False, "scaleanchor": "x"}, "margin": {"t": 10}}


def _province_name(p: str, lang: str) -> str:
    if lang == "zh":
        return str(p)
    from ..regions import PROVINCES

    return PROVINCES.get(str(p), ("", str(p)))[1] or str(p)


def _tiles(last: pd.DataFrame, col: str, unit: str, lang: str = "zh") -> list[dict[str, Any]]:
    """One square marker per province on the project's tile grid (:mod:`suanli.tilegrid`), coloured by ``col``."""
    last = last[last["province"].isin(list(PROVINCE_TILES))]
    pos = [PROVINCE_TILES[p] for p in last["province"]]
    return [{"x": [c for _, c in pos], "y": [-r for r, _ in pos], "text": [_province_name(p, lang) for p in last["province"]],
             "mode": "markers+text", "type": "scatter", "customdata": [_num(v, 2) for v in last[col]],
             "hovertemplate": "%{text}: %{customdata} " + unit + "<extra></extra>",
             "marker": {"symbol": "square", "size": 44, "color": list(last[col]), "colorscale": "YlOrRd",
                        "showscale": True, "colorbar": {"title": {"text": unit}}}}]


def energy_page(national: pd.DataFrame | None, province: pd.DataFrame | None, recon: pd.DataFrame | None, *,
                title: str, synthetic: bool, lang: str = "zh") -> str:
    """The whole page as HTML in one language (``zh`` or ``en``; a missing table leaves its part out
    with a note)."""
    lang = "en" if lang == "en" else "zh"
    L = TEXT[lang]
    other = "zh" if lang == "en" else "en"
    parts = [f"<!doctype html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
             "<meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<title>{escape(title)} · {escape(L['page'])}</title>",
             f"<link rel='stylesheet' href='{static_url('app.css')}'><script src='{plotly_url()}'></script>",
             "<style>body{font-family:sans-serif;margin:1rem;max-width:1100px}table{border-collapse:collapse;"
             "font-size:.85rem}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:right}td.t{text-align:left}"
             ".syn{background:#fff4e5;color:#8a4b00;padding:.4rem;border:1px solid #f0c27b}</style></head><body>",
             f"<p><a href='/?lang={lang}' id='energy-back'>{escape(L['back'])}</a> · "
             f"<a href='/energy?lang={other}' id='lang'>{escape(L['lang_btn'])}</a></p>"
             f"<p class='muted'>{escape(title)}</p><h1>{escape(L['page'])}</h1>"]
    if synthetic:
        parts.append(f"<p class='syn'>{escape(L['syn'])}</p>")
    if national is None or national.empty:
        parts.append(f"<p>{escape(L['none'])}</p>")
        return "".join(parts) + "</body></html>"
    n = national.sort_values("year")
    years = [int(y) for y in n["year"]]
    traces = []
    for col, name, color in (("it_twh", L["it"], "#1f4e9c"), ("facility_twh", L["facility"], "#c0392b")):
        traces.append({"x": years + years[::-1], "y": list(n[col + "_hi"]) + list(n[col + "_lo"])[::-1],
                       "fill": "toself", "fillcolor": color, "opacity": 0.15, "line": {"width": 0},
                       "hoverinfo": "skip", "showlegend": False, "type": "scatter"})
        traces.append({"x": years, "y": list(n[col]), "name": name, "type": "scatter", "mode": "lines+markers",
                       "line": {"color": color}})
    parts.append(f"<h2>{escape(L['national'])}</h2><div id='e-nat' style='height:360px'></div>")
    parts.append(f"<script>Plotly.newPlot('e-nat',{_js(traces)},{_js({'yaxis': {'title': 'TWh'}, 'margin': {'t': 20}})},"
                 "{displaylogo:false,responsive:true});</script>")
    head = [L[k] for k in ("year", "rated", "avg", "it_twh", "fac90", "co2_90", "pue")]
    rows = "".join(
        f"<tr><td>{int(r.year)}</td><td>{_num(r.rated_it_mw, 0)}</td><td>{_num(r.avg_it_mw, 0)}</td><td>{_num(r.it_twh)}</td>"
        f"<td>{_num(r.facility_twh)} ({_num(r.facility_twh_lo)}–{_num(r.facility_twh_hi)})</td>"
        f"<td>{_num(r.co2_mt)} ({_num(r.co2_mt_lo)}–{_num(r.co2_mt_hi)})</td><td>{_num(r.pue, 2)}</td></tr>"
        for r in n.itertuples())
    parts.append("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + f"</tr>{rows}</table>")
    if province is not None and not province.empty:
        y = int(province["year"].max())
        last = province[province["year"] == y]
        for i, (col, label, unit) in enumerate((("avg_it_mw", L["avg_prov"], "MW"), ("co2_mt", L["co2_prov"], "Mt CO2"))):
            parts.append(f"<h2>{escape(label + L['by_prov'].format(y=y))}</h2><div id='e-tile{i}' style='height:480px'></div>")
            parts.append(f"<script>Plotly.newPlot('e-tile{i}',{_js(_tiles(last, col, unit, lang))},{_js(_TILE_LAYOUT)},"
                         "{displaylogo:false,responsive:true});</script>")
        top = last.sort_values("facility_twh", ascending=False)
        head = [L[k] for k in ("province", "rated", "avg", "fac90", "co2_90", "kg", "pue")]
        rows = "".join(
            f"<tr><td class='t'>{escape(_province_name(r.province, lang))}</td><td>{_num(r.rated_it_mw, 0)}</td><td>{_num(r.avg_it_mw, 0)}</td>"
            f"<td>{_num(r.facility_twh, 2)} ({_num(r.facility_twh_lo, 2)}–{_num(r.facility_twh_hi, 2)})</td>"
            f"<td>{_num(r.co2_mt, 2)} ({_num(r.co2_mt_lo, 2)}–{_num(r.co2_mt_hi, 2)})</td>"
            f"<td>{_num(r.kgco2_per_kwh, 3)}</td><td>{_num(r.pue, 2)}</td></tr>"
            for r in top.itertuples())
        parts.append(f"<h2>{escape(L['provinces'].format(y=y))}</h2><table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head)
                     + f"</tr>{rows}</table>")
    if recon is not None and not recon.empty:
        parts.append(f"<h2>{escape(L['recon'])}</h2><table><tr>"
                     + "".join(f"<th>{escape(L[k])}</th>" for k in ("comparison", "year", "pub", "est", "scope", "implied"))
                     + "</tr>")
        def said(r: Any, col: str) -> str:
            """The stage's text in the page's language: its ``<col>_zh`` beside the English on a
            Chinese page (a build without it shows the English as stored)."""
            zh = getattr(r, col + "_zh", None) if lang == "zh" else None
            if isinstance(zh, str) and zh:
                return f"<td class='t'>{escape(zh)}"
            v = getattr(r, col, "")
            return f"<td class='t' data-raw lang='en'>{escape('' if v is None or v != v else str(v))}"

        for r in recon.itertuples():
            # the published figure's label is the edition's name of a published source: its Chinese where
            # the edition gives one, else kept as stated and marked as the original on a Chinese page;
            # scope and implied parameter are the stage's text
            label_zh = getattr(r, "published_label_zh", "")
            if lang == "zh" and isinstance(label_zh, str) and label_zh:
                label = f"<td class='t'>{escape(label_zh)}</td>"
            else:
                orig = " data-orig" if lang == "zh" else ""
                label = f"<td class='t' data-raw{orig} lang='en'>{escape(str(r.published_label))}</td>"
            parts.append(
                f"<tr>{label}<td>{int(r.published_year)}</td>"
                f"<td>{_num(r.published_twh)}</td><td>{_num(r.estimate_twh)} ({_num(r.estimate_lo)}–{_num(r.estimate_hi)})</td>"
                f"{said(r, 'scope')}</td>{said(r, 'implied_parameter')}: {_num(r.implied_value, 3)}</td></tr>")
        parts.append("</table>")
    parts.append(f"<p>{escape(L['tables'])}<a href='/api/tables/energy_national'>energy_national</a>, "
                 "<a href='/api/tables/energy_by_province'>energy_by_province</a>, "
                 "<a href='/api/tables/energy_reconciliation'>energy_reconciliation</a>.</p></body></html>")
    # on a narrow screen a table scrolls inside its own box, never the page
    return "".join(parts).replace("<table>", "<div class='tablewrap' style='overflow-x:auto'><table>").replace(
        "</table>", "</table></div>")
