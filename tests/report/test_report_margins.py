"""Margins worked out at build time (``suanli.report.margins``): text widths, the tick labels a
value axis may show, plotly's horizontal legend layout, and the hint on whole figures.

The expected numbers were measured in chromium on the report's charts (plotly.js 4.1.1, Noto Sans
CJK SC): the browser test ``test_desktop_charts_are_drawn_once`` checks the whole page."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest

from suanli.report import margins


def _hint(fig: go.Figure, **kw) -> dict[str, int]:
    import json

    d = json.loads(fig.to_json())
    return margins.hint(d["data"], {k: v for k, v in d["layout"].items() if k != "template"}, **kw)


def test_text_width_uses_the_fonts_advance_widths():
    # chromium measured "1000" at 13 px as 28.9 px and each CJK character as one em
    assert margins.text_width("1000", 13) == pytest.approx(28.8, abs=0.6)
    assert margins.text_width("算力", 13) == pytest.approx(26.0, abs=0.1)
    # tags and entities are what plotly shows, not what it is sent; the widest line counts
    assert margins.text_width("a &lt; b", 13) == pytest.approx(margins.text_width("a < b", 13))
    assert margins.text_width("<b>算力</b>", 13) == pytest.approx(26.0, abs=0.1)
    assert margins.text_width("算<br>算力", 13) == pytest.approx(26.0, abs=0.1)


def test_value_tick_labels_cover_what_plotly_prints():
    # chromium printed 0 … 1000 by 200 for data up to 1,000 and 0 … 2000 by 500 for data up to 1,950
    assert {"0", "200", "1000"} <= set(margins.value_tick_labels(0, 1000))
    assert {"1500", "2000"} <= set(margins.value_tick_labels(0, 1950))
    # no tick past the padded range: data up to 755 never shows "1000" (plotly printed 0 … 600)
    assert max(map(len, margins.value_tick_labels(0, 755))) == 3
    # thousands as plotly writes them with a large step
    assert {"50k", "200k"} <= set(margins.value_tick_labels(0, 190_000))
    assert {"0.05", "0.25"} <= set(margins.value_tick_labels(0, 0.25))
    assert "50%" in margins.value_tick_labels(0, 0.5, ".0%")
    assert "-100" in margins.value_tick_labels(-90, 300)


def test_legend_height_follows_plotlys_horizontal_layout():
    assert margins.legend_height([], 900, 13) == 0
    one_row = margins.legend_height([("~0", "a"), ("~1", "b")], 900, 13)
    assert one_row == pytest.approx(29.9, abs=0.1)              # chromium: 30
    # one group of three entries stacked: 10 + 3 x 19.9 (chromium: 70 on market_forecast_band)
    grouped = [("~0", "智算服务市场（含模型外推）"), ("value_class", "公布值"), ("value_class", "推算（derived）"),
               ("value_class", "模型估计（modelled）")]
    assert margins.legend_height(grouped, 900, 13) == pytest.approx(69.7, abs=0.1)
    # too wide for one row: rows of the widest item, no gap between rows without groups
    many = [(f"~{i}", "指标名称很长的一项") for i in range(12)]
    width = 40 + margins.text_width("指标名称很长的一项", 13)
    per_row = math.floor((900 + 0) / (width + 5))
    rows = math.ceil(12 / per_row)
    assert margins.legend_height(many, 900, 13) == pytest.approx(10 + rows * 19.9, abs=0.1)
    # groups that wrap: rows apart by the group gap (chromium: 60 on a 9-entry vendor legend)
    vendors = ["NVIDIA", "Huawei", "Kunlunxin (Baidu)", "MetaX", "Cambricon", "Moore Threads", "Iluvatar CoreX",
               "Hygon"]
    items = [(f"~{i}", v) for i, v in enumerate(vendors)] + [("value_class", "合成数据（synthetic）")]
    assert margins.legend_height(items, 1000 - 75 - 30, 13) == pytest.approx(59.8, abs=0.1)


def test_hint_fits_category_labels_and_titles():
    cats = ["人工智能相关政策支持力度", "劳动供给"]
    fig = go.Figure(go.Bar(y=cats, x=[1, 2], orientation="h"))
    fig.update_layout(margin={"l": 60, "r": 30, "t": 20, "b": 50}, font={"size": 13}, height=420)
    fig.update_xaxes(title_text="得分")
    no_title = _hint(fig)
    widest = margins.text_width(cats[0], 13)
    # chromium: the widest label plus 13 px without an axis title, plus 39 px with one (even empty)
    assert no_title["l"] == math.ceil(widest + 12.9) + margins.SLACK
    fig.update_yaxes(title_text="")
    assert _hint(fig)["l"] == math.ceil(widest + 38.9) + margins.SLACK
    assert no_title["b"] == 56                          # chromium: one line of x labels and the title
    assert no_title["r"] == 30 and no_title["t"] == 20  # no legend: one trace


def test_hint_for_the_phone_layout():
    # the narrow layout: 10 px type, x labels read sideways with a 6 px standoff, a secondary axis
    years = [str(y) for y in range(2020, 2026)]
    fig = go.Figure([go.Bar(x=years, y=[100, 200, 300, 400, 500, 600], name="a"),
                     go.Scatter(x=years, y=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], name="b", yaxis="y2")])
    fig.update_layout(margin={"l": 40, "r": 8, "t": 20, "b": 50}, font={"size": 10}, height=420,
                      yaxis={"title": {"text": "EFLOPS"}},
                      yaxis2={"overlaying": "y", "side": "right", "tickformat": ".0%", "title": {"text": "增速"}},
                      xaxis={"type": "category", "tickangle": -90, "ticklabelstandoff": 6, "title": {"text": ""}},
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"})
    h = _hint(fig, width=margins.NARROW_WIDTH, right=True)
    year = margins.text_width("2025", 10)
    # chromium at 390 px: bottom = widest year + 40 (sideways), right = widest label + 16.7
    assert h["b"] == math.ceil(year + 6 + margins.ROTATED_EXTRA + 10 * 1.3 - 4 + 23) + margins.SLACK
    assert h["b"] == pytest.approx(year + 40, abs=3)
    labels = margins.value_tick_labels(0, 0.6, ".0%")
    assert h["r"] == math.ceil(max(margins.text_width(t, 10) for t in labels) + 16.7) + margins.SLACK
    assert h["r"] >= margins.text_width("60%", 10) + 16.7
    assert _hint(fig, width=margins.NARROW_WIDTH)["r"] == 8   # the right margin only when asked


def test_hint_never_lowers_the_layouts_margins_and_predicts_the_legend():
    fig = go.Figure([go.Bar(x=["2024", "2025"], y=[1, 2], name="a"), go.Bar(x=["2024", "2025"], y=[2, 3], name="b")])
    fig.update_layout(margin={"l": 60, "r": 30, "t": 20, "b": 50}, font={"size": 13}, height=420,
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"})
    h = _hint(fig)
    assert h["l"] == 60                                 # labels "0" … "3" need less than 60 px
    assert h["t"] == 49                                 # chromium: 48.2, rounded to 48, for one legend row
    fig.update_layout(margin={"l": 300})
    assert _hint(fig)["l"] == 300


def test_hint_leaves_unpredictable_axes_alone():
    fig = go.Figure(go.Scatter(x=["2024-01-01", "2024-06-01"], y=[1, 2]))
    fig.update_layout(margin={"l": 60, "r": 30, "t": 20, "b": 50}, yaxis={"type": "date"})
    assert _hint(fig)["l"] == 60


def test_a_figure_the_prediction_cannot_read_keeps_its_margins():
    layout = {"margin": {"l": 60, "r": 30, "t": 20, "b": 50}, "font": {"size": 13}}
    broken = [{"type": "bar", "y": {"dtype": "f8", "bdata": "not base64!"}, "x": ["a"]}]
    assert margins.hint(broken, layout) == layout["margin"]
    assert margins.hint([{"type": "bar", "y": [1, 2], "x": ["a", "b"]}], {**layout, "yaxis": {"range": [0]}}) \
        == layout["margin"]
