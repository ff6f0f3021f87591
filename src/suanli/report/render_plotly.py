"""Interactive rendering: FigureSpec → plotly figure → JSON for ``Plotly.newPlot``.

Plotly draws text as SVG and interprets a few HTML-like tags and entities in labels, so every
string from data is HTML-escaped before it reaches plotly (``&lt;script&gt;`` is shown as
``<script>``, never parsed). The JSON is made safe to sit inside a ``<script>`` element by
escaping ``<``, ``>`` and ``&`` as ``\\u003c`` etc.
"""

from __future__ import annotations

import json
from html import escape

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import fmt
from .spec import FigureSpec

PALETTE = ["#1f4e9c", "#e07b00", "#2a9d8f", "#c0392b", "#8e6bbf", "#7f8c8d", "#d4a017", "#3a86ff",
           "#6a994e", "#bc4749", "#264653", "#f4a261"]
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def _e(s: object) -> str:
    return escape(str(s), quote=False)


def _series(df, col="series"):
    return list(dict.fromkeys(df[col].tolist())) if col in df else []


def figure(spec: FigureSpec) -> go.Figure:
    fn = _RENDERERS[spec.kind]
    fig = fn(spec)
    fig.update_layout(
        template="plotly_white", height=spec.height, margin={"l": 60, "r": 30, "t": 30, "b": 60},
        font={"family": FONT, "size": 13}, legend={"orientation": "h", "y": -0.15},
        hoverlabel={"font": {"family": FONT}},
    )
    if spec.synthetic:
        fig.add_annotation(text=_e("合成数据 SYNTHETIC" if spec.lang == "zh" else "SYNTHETIC DATA"),
                           xref="paper", yref="paper", x=1, y=1.02, xanchor="right", yanchor="bottom",
                           showarrow=False, font={"color": "#b45f06", "size": 11})
    return fig


def _forecast_shade(fig: go.Figure, spec: FigureSpec, xs: list) -> None:
    if spec.forecast_from is None:
        return
    fx = [x for x in xs if _num(x) is not None and _num(x) >= spec.forecast_from]
    if fx:
        fig.add_vrect(x0=str(fx[0]), x1=str(fx[-1]), fillcolor="#999", opacity=0.08, line_width=0,
                      annotation_text=_e("预测" if spec.lang == "zh" else "forecast"), annotation_position="top left")


def _num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _bar(spec: FigureSpec) -> go.Figure:
    d = spec.data
    lines = set(spec.opts.get("line_series", []))
    has_y2 = bool(lines)
    fig = make_subplots(specs=[[{"secondary_y": has_y2}]])
    xs = [str(x) for x in dict.fromkeys(d["x"].tolist())]
    i = 0
    for s in _series(d):
        sub = d[d["series"] == s]
        x = [str(v) for v in sub["x"]]
        if s in lines:
            txt = [fmt.pct(v, 1) if spec.opts.get("line_percent", True) else fmt.number(v, 1) for v in sub["value"]]
            fig.add_scatter(x=x, y=sub["value"], name=_e(s), mode="lines+markers", text=txt,
                            hovertemplate="%{x}: %{text}<extra>" + _e(s) + "</extra>",
                            line={"color": PALETTE[(i + 1) % len(PALETTE)], "dash": "dot"}, secondary_y=True)
        else:
            txt = [fmt.number(v, spec.opts.get("decimals", 1)) for v in sub["value"]]
            fig.add_bar(x=x, y=sub["value"], name=_e(s), marker_color=PALETTE[i % len(PALETTE)], text=txt,
                        textposition="inside" if spec.opts.get("stacked") else "outside",
                        hovertemplate="%{x}: %{text}<extra>" + _e(s) + "</extra>",
                        secondary_y=False if has_y2 else None)
        i += 1
    fig.update_layout(barmode="stack" if spec.opts.get("stacked") else "group", uniformtext_minsize=9,
                      uniformtext_mode="hide")
    fig.update_xaxes(type="category", title_text=_e(spec.x_label))
    if has_y2:
        fig.update_yaxes(title_text=_e(spec.y_label), secondary_y=False, rangemode="tozero")
        fig.update_yaxes(title_text=_e(spec.y2_label), secondary_y=True, showgrid=False,
                         tickformat=".0%" if spec.opts.get("line_percent", True) else None)
    else:
        fig.update_yaxes(title_text=_e(spec.y_label), rangemode="tozero")
    _forecast_shade(fig, spec, xs)
    return fig


def _stacked100(spec: FigureSpec) -> go.Figure:
    d = spec.data.copy()
    tot = d.groupby("x")["value"].transform("sum").replace(0, np.nan)
    d["share"] = d["value"] / tot
    fig = go.Figure()
    for i, s in enumerate(_series(d)):
        sub = d[d["series"] == s]
        fig.add_bar(x=[str(v) for v in sub["x"]], y=sub["share"], name=_e(s), marker_color=PALETTE[i % len(PALETTE)],
                    text=[fmt.pct(v, 0) for v in sub["share"]], textposition="inside",
                    hovertemplate="%{x}: %{text}<extra>" + _e(s) + "</extra>")
    fig.update_layout(barmode="stack", uniformtext_minsize=9, uniformtext_mode="hide")
    fig.update_yaxes(tickformat=".0%", range=[0, 1], title_text=_e(spec.y_label))
    fig.update_xaxes(type="category", title_text=_e(spec.x_label))
    _forecast_shade(fig, spec, list(dict.fromkeys(d["x"].tolist())))
    return fig


def _hbar(spec: FigureSpec) -> go.Figure:
    d = spec.data
    fig = go.Figure()
    series = _series(d) or [""]
    cats = list(dict.fromkeys(d["y"].tolist()))
    for i, s in enumerate(series):
        sub = d[d["series"] == s] if "series" in d else d
        err = None
        if "lo" in sub and "hi" in sub and sub["lo"].notna().any():
            err = {"type": "data", "symmetric": False, "array": (sub["hi"] - sub["value"]).tolist(),
                   "arrayminus": (sub["value"] - sub["lo"]).tolist(), "color": "#555", "thickness": 1}
        txt = [fmt.pct(v, 1) if spec.percent else fmt.number(v, spec.opts.get("decimals", 1)) for v in sub["value"]]
        fig.add_bar(y=[_e(c) for c in sub["y"]], x=sub["value"], orientation="h", name=_e(s) if s else None,
                    marker_color=PALETTE[i % len(PALETTE)], text=txt, textposition="outside", error_x=err,
                    showlegend=bool(s) and len(series) > 1,
                    hovertemplate="%{y}: %{text}<extra></extra>")
    fig.update_layout(barmode="stack" if spec.opts.get("stacked") else "group")
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=[_e(c) for c in cats],
                     title_text=_e(spec.y_label))
    fig.update_xaxes(title_text=_e(spec.x_label), tickformat=".0%" if spec.percent else None, rangemode="tozero")
    return fig


def _line(spec: FigureSpec) -> go.Figure:
    d = spec.data
    fig = go.Figure()
    for i, s in enumerate(_series(d)):
        sub = d[d["series"] == s]
        x = [str(v) for v in sub["x"]]
        c = PALETTE[i % len(PALETTE)]
        if "lo" in sub and sub["lo"].notna().any():
            fig.add_scatter(x=x + x[::-1], y=list(sub["hi"]) + list(sub["lo"])[::-1], fill="toself",
                            fillcolor=c, opacity=0.15, line={"width": 0}, showlegend=False, hoverinfo="skip")
        fig.add_scatter(x=x, y=sub["value"], name=_e(s), mode="lines+markers", line={"color": c},
                        text=[fmt.number(v, 1) for v in sub["value"]],
                        hovertemplate="%{x}: %{text}<extra>" + _e(s) + "</extra>")
    fig.update_xaxes(type="category", title_text=_e(spec.x_label))
    fig.update_yaxes(title_text=_e(spec.y_label), rangemode="tozero", tickformat=".0%" if spec.percent else None)
    _forecast_shade(fig, spec, list(dict.fromkeys(d["x"].tolist())))
    return fig


def _pie(spec: FigureSpec) -> go.Figure:
    d = spec.data
    fig = go.Figure(go.Pie(labels=[_e(x) for x in d["label"]], values=d["value"], hole=0.45, sort=False,
                           marker={"colors": PALETTE[: len(d)]}, textinfo="label+percent"))
    return fig


def _scatter(spec: FigureSpec) -> go.Figure:
    d = spec.data
    fig = go.Figure()
    for i, s in enumerate(_series(d) or [""]):
        sub = d[d["series"] == s] if s else d
        fig.add_scatter(x=sub["x"], y=sub["y"], mode="markers", name=_e(s), text=[_e(t) for t in sub["label"]],
                        marker={"color": PALETTE[i % len(PALETTE)], "size": 9, "opacity": 0.8},
                        hovertemplate="%{text}: %{x}, %{y:,.1f}<extra></extra>")
    fig.update_xaxes(title_text=_e(spec.x_label))
    fig.update_yaxes(title_text=_e(spec.y_label), type="log" if spec.opts.get("log_y") else None)
    return fig


def _slope(spec: FigureSpec) -> go.Figure:
    d = spec.data
    periods = list(dict.fromkeys(d["x"].astype(str).tolist()))
    fig = go.Figure()
    for i, lab in enumerate(dict.fromkeys(d["label"].tolist())):
        sub = d[d["label"] == lab]
        c = PALETTE[i % len(PALETTE)]
        fig.add_scatter(x=sub["x"].astype(str), y=sub["value"], mode="lines+markers+text", name=_e(lab),
                        text=[_e(lab) if str(p) == periods[-1] else "" for p in sub["x"]], textposition="middle right",
                        line={"color": c}, showlegend=False,
                        hovertemplate=_e(lab) + " %{x}: %{y}<extra></extra>")
    n = int(np.nanmax(d["value"])) if len(d) else 1
    fig.update_yaxes(autorange="reversed", dtick=1, range=[n + 0.5, 0.5], title_text=_e(spec.y_label))
    fig.update_xaxes(type="category", title_text=_e(spec.x_label))
    return fig


def _waterfall(spec: FigureSpec) -> go.Figure:
    d = spec.data
    labels = [_e(x) for x in d["label"]] + [_e(spec.opts.get("total_label", "合计"))]
    vals = list(d["value"]) + [float(d["value"].sum())]
    fig = go.Figure(go.Waterfall(x=labels, y=vals, measure=["relative"] * len(d) + ["total"],
                                 text=[fmt.number(v, 2) for v in vals], textposition="outside",
                                 connector={"line": {"color": "#999"}},
                                 increasing={"marker": {"color": PALETTE[0]}},
                                 decreasing={"marker": {"color": PALETTE[3]}},
                                 totals={"marker": {"color": PALETTE[1]}}))
    fig.update_yaxes(title_text=_e(spec.y_label))
    return fig


def _rank_interval(spec: FigureSpec) -> go.Figure:
    d = spec.data
    fig = go.Figure(go.Scatter(
        x=d["value"], y=[_e(x) for x in d["label"]], mode="markers",
        marker={"color": PALETTE[0], "size": 9},
        error_x={"type": "data", "symmetric": False, "array": (d["hi"] - d["value"]).tolist(),
                 "arrayminus": (d["value"] - d["lo"]).tolist(), "color": PALETTE[0], "thickness": 2},
        hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title_text=_e(spec.y_label))
    fig.update_xaxes(title_text=_e(spec.x_label), dtick=1 if len(d) <= 25 else None)
    return fig


def _map(spec: FigureSpec) -> go.Figure:
    d = spec.data
    v = d["value"].astype(float)
    size = 6 + 22 * np.sqrt(v / v.max()) if len(v) and v.max() > 0 else 10
    from .data import map_outlines

    fig = go.Figure()
    for c in map_outlines()["countries"]:
        home = c["name"] in ("China", "Taiwan")
        for ring in c["rings"]:
            xs, ys = zip(*ring, strict=True)
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", hoverinfo="skip", showlegend=False,
                                     fillcolor="#e8eef8" if home else "#f4f4f4",
                                     line={"color": "#8a9bb5" if home else "#c8c8c8", "width": 0.8 if home else 0.5}))
    fig.add_trace(go.Scatter(
        x=d["lon"], y=d["lat"], mode="markers+text",
        text=[f"{int(r)}. {_e(n)}" if r <= 10 else "" for r, n in zip(d["rank"], d["label"], strict=False)],
        hovertext=[f"{int(r)}. {_e(n)}" for r, n in zip(d["rank"], d["label"], strict=False)],
        textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(d))], marker={"size": size, "color": d["rank"], "colorscale": "Blues_r",
                                           "line": {"color": "#333", "width": 0.5}, "opacity": 0.85},
        hovertemplate="%{hovertext}<extra></extra>", showlegend=False))
    fig.update_xaxes(range=[73, 135], title_text=_e(spec.x_label), showgrid=True, gridcolor="#eee", zeroline=False)
    fig.update_yaxes(range=[17, 54], title_text=_e(spec.y_label), scaleanchor="x", scaleratio=1.2,
                     showgrid=True, gridcolor="#eee", zeroline=False)
    return fig


_RENDERERS = {"bar": _bar, "stacked100": _stacked100, "hbar": _hbar, "line": _line, "pie": _pie,
              "scatter": _scatter, "slope": _slope, "waterfall": _waterfall, "rank_interval": _rank_interval,
              "map": _map}


def safe_json(spec: FigureSpec) -> str:
    """The figure as JSON that can sit inside <script> (no '<', '>' or '&' characters)."""
    fig = figure(spec)
    d = json.loads(fig.to_json())
    s = json.dumps({"data": d["data"], "layout": d["layout"]}, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
