"""The capacity chart page (``capacity.html``): China intelligent and general compute, 2020–2025.

One self-contained file (plotly's bundled JavaScript inlined, no CDN), Chinese labels, the data
table under the chart and a banner when the data are synthetic. Every string from data is
HTML-escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..edition import Edition


def capacity_figure(nat: pd.DataFrame, synthetic: bool) -> go.Figure:
    """Two panels, one per measure, each on its own EFLOPS axis starting at zero.

    A dual-axis chart would draw general compute (85.8) higher than intelligent compute (1,037.3);
    side-by-side panels keep each series honest against its own scale and say so in the titles.
    """
    years = [str(y) for y in nat["year"]]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("智能算力（FP16，EFLOPS）", "通用算力（FP64，EFLOPS）"),
                        horizontal_spacing=0.12)
    fig.add_bar(x=years, y=nat["intelligent_eflops"], name="智能算力（FP16，EFLOPS）", marker_color="#1f4e9c",
                text=[f"{v:,.1f}" for v in nat["intelligent_eflops"]], textposition="outside", cliponaxis=False,
                row=1, col=1)
    fig.add_bar(x=years, y=nat["general_eflops"], name="通用算力（FP64，EFLOPS）", marker_color="#e07b00",
                text=[f"{v:,.1f}" for v in nat["general_eflops"]], textposition="outside", cliponaxis=False,
                row=1, col=2)
    fig.update_layout(template="plotly_white", showlegend=False, uniformtext_minsize=9, uniformtext_mode="hide",
                      font={"family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"}, height=440,
                      margin={"l": 50, "r": 20, "t": 50, "b": 40})
    fig.update_yaxes(title_text="EFLOPS", rangemode="tozero")
    fig.update_xaxes(type="category")
    return fig


def write_capacity_page(path: Path, nat: pd.DataFrame, edition: Edition, basis: str) -> None:
    fig = capacity_figure(nat, edition.synthetic)
    from ..report.plotlyjs import script_tags

    spec = fig.to_json().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # the same compressed plotly loader as report.html (one copy per page, a third of the bundle's size)
    chart = (f'<div id="capacity-chart" class="chart" style="height:440px"></div>\n'
             f'<script type="application/json" id="capacity-data">{spec}</script>\n{script_tags()}\n'
             "<script>window.suanliPlotly.then(function (Plotly) {"
             "var s = JSON.parse(document.getElementById('capacity-data').textContent);"
             "var el = document.getElementById('capacity-chart');"
             "Plotly.newPlot(el, s.data, s.layout, {displaylogo: false, displayModeBar: false, responsive: true})"
             ".then(function () { el.dataset.drawn = '1'; document.body.dataset.chartsDrawn = '1'; });});</script>")
    rows = "\n".join(
        f"<tr><td>{int(r.year)}</td><td>{r.intelligent_eflops:,.1f}</td><td>{r.general_eflops:,.1f}</td></tr>"
        for r in nat.itertuples()
    )
    banner = (
        '<p class="synthetic">⚠ 合成数据（SYNTHETIC）：出货数据由仓库中的带种子生成器产生，并校准到报告公布值；'
        "硬件规格为真实、有来源的数据。</p>"
        if edition.synthetic else ""
    )
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{escape(edition.title.zh)} · 算力规模</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 960px; color: #222; }}
.synthetic {{ background: #fff3cd; border: 1px solid #e0c060; padding: .6em 1em; }}
table {{ border-collapse: collapse; margin-top: 1em; }} td, th {{ border: 1px solid #ccc; padding: .3em .8em; text-align: right; }}
.source {{ color: #666; font-size: .9em; }}
</style></head><body>
<h1>{escape(edition.title.zh)}</h1>
{banner}
<h2>中国智能算力和通用算力规模（两个面板，各自的纵轴）</h2>
{chart}
<p class="source">来源：suanli 计算（{escape(edition.id)}）。口径：{escape(basis)}。</p>
<table><thead><tr><th>年份</th><th>智能算力（EFLOPS，FP16）</th><th>通用算力（EFLOPS，FP64）</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""
    path.write_text(html, encoding="utf-8")
