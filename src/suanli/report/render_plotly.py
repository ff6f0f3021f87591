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
from .spec import CLASS_LEGEND, CLASS_STYLE, PALETTE, FigureSpec, classes_of, growth_axis

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def _e(s: object) -> str:
    return escape(str(s), quote=False)


def _series(df, col="series"):
    return list(dict.fromkeys(df[col].tolist())) if col in df else []


def narrow_overrides(spec: FigureSpec, fig: go.Figure) -> dict:
    """Changes the page applies when a chart is narrower than 600 px (phones): smaller type, slanted
    category ticks, sparser rank ticks, smaller tile labels. Kept in ``layout.meta.narrow``."""
    lay: dict = {"font": {"size": 10}, "margin": {"l": 40, "r": 8}}
    traces: dict[str, dict] = {}
    if spec.kind in ("bar", "stacked100", "line"):
        # vertical ticks, pushed clear of the y axis's "0"
        lay["xaxis"] = {"tickangle": -90, "ticklabelstandoff": 6}
    if spec.kind == "rank_interval":
        lay["xaxis"] = {"dtick": 5}
    if spec.kind == "slope":
        lay["margin"] = {"l": 20, "r": 8}
        traces = {str(i): {"textfont": {"size": 9}} for i in range(len(fig.data))}
    if spec.kind == "tiles":
        lay["margin"] = {"l": 4, "r": 4}
        for i, tr in enumerate(fig.data):
            if tr.type == "heatmap" and tr.showscale is not False:
                traces[str(i)] = {"colorbar": {"orientation": "h", "y": -0.02, "yanchor": "top", "thickness": 8,
                                               "title": {"side": "top"}}}
            elif tr.type == "scatter" and tr.mode == "text":
                traces[str(i)] = {"textfont": {"size": 8}} if not spec.opts.get("dots") else {"visible": False}
            elif tr.type == "scatter":
                traces[str(i)] = {"mode": "markers", "marker": {"size": 10}}
    return {"layout": lay, "traces": traces}


#: marker symbol of a point on a line, per value class (filled: stated; open: derived, modelled)
CLASS_SYMBOL = {"stated": "circle", "derived": "circle-open", "modelled": "diamond-open", "synthetic": "x"}


def _classes(sub) -> list[str] | None:
    return [str(c) for c in sub["value_class"]] if "value_class" in sub else None


def _bar_marker(sub, color) -> dict:
    """Bar marker whose opacity and fill pattern follow each point's value class (CLASS_STYLE);
    the class also rides in ``customdata`` so the page (and the tests) can read it back.

    A trace whose points are all of one class gets one opacity and one pattern (none for stated
    values) instead of a list with the same entry per bar: plotly.js draws a list of pattern shapes as
    one ``<pattern>`` definition per bar, a single shape as one per trace, and no pattern at all is
    cheaper still; the bars look the same (the pattern's colours do not depend on the bar)."""
    cls = _classes(sub)
    if cls is None:
        return {"color": color}
    if len(set(cls)) == 1:
        opacity, _, shape, _ = CLASS_STYLE[cls[0]]
        marker: dict = {"color": color, "opacity": opacity}
        if shape:
            marker["pattern"] = {"shape": shape, "solidity": 0.3, "fgcolor": "#333"}
        return marker
    return {"color": color, "opacity": [CLASS_STYLE[c][0] for c in cls],
            "pattern": {"shape": [CLASS_STYLE[c][2] for c in cls], "solidity": 0.3, "fgcolor": "#333"}}


def _line_marker(sub, color) -> dict:
    cls = _classes(sub)
    if cls is None:
        return {"color": color}
    return {"color": color, "symbol": [CLASS_SYMBOL[c] for c in cls], "size": 8}


def _class_legend(fig: go.Figure, spec: FigureSpec) -> None:
    """Legend entries for the value classes the figure shows (:func:`class_key`: 推算/derived hatched,
    modelled dotted, synthetic cross-hatched): data-less bars marked ``legend:<class>`` in customdata."""
    for c, label in class_key(spec):
        opacity, _, shape, _ = CLASS_STYLE[c]
        fig.add_bar(x=[None], y=[None], name=_e(label), legendgroup="value_class", showlegend=True,
                    marker={"color": "#888", "opacity": opacity, "pattern": {"shape": shape, "solidity": 0.3,
                                                                             "fgcolor": "#333"}},
                    hoverinfo="skip", customdata=["legend:" + c])


def _is_class_key(trace: dict) -> bool:
    """A value-class legend entry (:func:`_class_legend`): a trace without data, marked in customdata."""
    cd = trace.get("customdata")
    return isinstance(cd, list) and bool(cd) and str(cd[0]).startswith("legend:")


def class_key(spec: FigureSpec) -> list[tuple[str, str]]:
    """(class, label) of every value class ``spec`` shows, for its legend (:func:`_class_legend`) and the
    key the page prints under the chart instead; empty for other than bar and line charts and where
    the data have no class or only stated."""
    if spec.kind not in ("bar", "stacked100", "hbar", "line"):
        return []
    cls = classes_of(spec.data)
    if cls in ([], ["stated"]):
        return []
    lab = CLASS_LEGEND.get(spec.lang, CLASS_LEGEND["en"])
    return [(c, lab[c]) for c in cls]


def figure(spec: FigureSpec, *, fit_labels: bool = True) -> go.Figure:
    """The plotly figure of ``spec``, built on the empty template; with ``fit_labels``, the value
    labels of horizontal bars sized and given room for the desktop chart (:func:`safe_json` fits them
    itself, on the JSON it writes, for both widths).

    Every ``go.Figure`` copies the default template when it is created; ``plotly_white`` is a large
    nested dict, and copying it twice per chart was a third of the report's plotly time. The page
    applies ``plotly_white`` to every chart when it draws it (:func:`template_json`), so the JSON
    leaves the template out anyway.
    """
    import plotly.io as pio

    # The public setter validates the name by building the whole template each time (restoring
    # "plotly" cost more than drawing the figure); both names are known-valid, so swap the field.
    templates = pio.templates
    attr = "_default" if hasattr(templates, "_default") else "default"
    before = getattr(templates, attr)
    setattr(templates, attr, "none")
    try:
        fig = _RENDERERS[spec.kind](spec)
    finally:
        setattr(templates, attr, before)
    _class_legend(fig, spec)
    # The legend sits above the plot (plotly grows the top margin to fit it), so it never covers an
    # axis title; the synthetic-data label is part of the HTML figure frame, not of the plot. One
    # update_layout: each call runs plotly's change machinery once, and two calls here took a fifth
    # of the time of building a figure (profile of the default report's 73)
    fig.update_layout(
        meta={"narrow": narrow_overrides(spec, fig)},
        height=spec.height, margin={"l": 60, "r": 30, "t": 20, "b": 50},
        font={"family": FONT, "size": 13},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        hoverlabel={"font": {"family": FONT}},
    )
    if fit_labels and any(getattr(tr, "meta", None) == VALUE_LABELS for tr in fig.data):
        from . import margins

        d = json.loads(fig.to_json())
        lay, tr = label_fit(d["data"], d["layout"], margins.hint(d["data"], d["layout"]), margins.CHART_WIDTH)
        fig.update_layout(lay)
        fig.update_traces(tr, selector={"meta": VALUE_LABELS})
    return fig


def label_fit(data: list[dict], layout: dict, margin: dict, width: float) -> tuple[dict, dict]:
    """(changes to the layout, changes to every :data:`VALUE_LABELS` trace) that size and give room to
    the value labels of a chart ``width`` px wide with margins ``margin`` (:func:`fit_value_labels`)."""
    size, rng = fit_value_labels(data, layout, margin, width)
    return ({"xaxis": {"range": rng}} if rng else {}), {"textfont": {"size": size}, "visible": size >= MIN_LABEL}


#: a text box's height in the page per px of font size (Noto Sans CJK's ascent plus descent, 1.448 em)
TEXT_BOX = 1.448
#: value labels smaller than this (px) are left out (the bars are too thin for them); hover shows the value
MIN_LABEL = 7


def fit_value_labels(data: list[dict], layout: dict, margin: dict, width: float) -> tuple[int, list[float] | None]:
    """(font size, x range) for the value labels (:data:`VALUE_LABELS` traces) of horizontal bars in a
    chart ``width`` px wide with margins ``margin``.

    The size is the layout's, or less where the bars are thinner than a label is tall (grouped bars:
    two labels one above the other would overlap); under :data:`MIN_LABEL` the labels are left out.
    The range holds every bar, whisker and label (``None``: no labels to fit)."""
    font = float((layout.get("font") or {}).get("size") or 13)
    cats = len((layout.get("yaxis") or {}).get("categoryarray") or []) or 1
    groups = len({tr.get("offsetgroup") for tr in data if tr.get("type") == "bar" and not _is_class_key(tr)}) or 1
    plot_h = float(layout.get("height") or 450) - margin.get("t", 0) - margin.get("b", 0)
    gap = layout.get("bargap")
    pitch = plot_h / cats * (1 - (0.2 if gap is None else float(gap))) / groups   # plotly's default gap: 0.2
    size = int(min(font, (pitch + 1) // TEXT_BOX))
    return size, value_label_range(data, width - margin.get("l", 0) - margin.get("r", 0), size if size >= MIN_LABEL else 0)


def _forecast_shade(fig: go.Figure, spec: FigureSpec, xs: list) -> None:
    """Shade the forecast years of a category x axis.

    On a category axis a shape's x is the category *index*, so the band runs from half a slot
    before the first forecast category to half a slot after the last. Passing the category label
    (``x0="2025"``) would be read as position 2025 and stretch the axis to thousands of slots.
    """
    if spec.forecast_from is None:
        return
    idx = [i for i, x in enumerate(xs) if _num(x) is not None and _num(x) >= spec.forecast_from]
    if idx:
        # forecast years are shaded and their ticks read "2026E" (the analyst's convention), so no
        # annotation competes with the bars' labels
        fig.add_vrect(x0=idx[0] - 0.5, x1=idx[-1] + 0.5, fillcolor="#999", opacity=0.08, line_width=0)
        fig.update_xaxes(tickmode="array", tickvals=[str(x) for x in xs],
                         ticktext=[f"{x}E" if i in idx else str(x) for i, x in enumerate(xs)])
    fig.update_xaxes(range=[-0.5, len(xs) - 0.5])


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
            c = PALETTE[(i + 1) % len(PALETTE)]
            fig.add_scatter(x=x, y=sub["value"], name=_e(s), mode="lines+markers", text=txt,
                            hovertemplate="%{x}: %{text}<extra>" + _e(s) + "</extra>", customdata=_classes(sub),
                            line={"color": c, "dash": "dot"}, marker=_line_marker(sub, c), secondary_y=True)
        else:
            txt = [fmt.number(v, spec.opts.get("decimals", 1)) for v in sub["value"]]
            fig.add_bar(x=x, y=sub["value"], name=_e(s), marker=_bar_marker(sub, PALETTE[i % len(PALETTE)]), text=txt,
                        customdata=_classes(sub),
                        textposition="inside" if spec.opts.get("stacked") else "outside",
                        hovertemplate="%{x}: %{text}<extra>" + _e(s) + "</extra>",
                        secondary_y=False if has_y2 else None)
        i += 1
    fig.update_layout(barmode="stack" if spec.opts.get("stacked") else "group", uniformtext_minsize=9,
                      uniformtext_mode="hide")
    fig.update_xaxes(type="category", title_text=_e(spec.x_label))
    if has_y2:
        fig.update_yaxes(title_text=_e(spec.y_label), secondary_y=False, rangemode="tozero")
        pct = spec.opts.get("line_percent", True)
        lo, hi, dec = growth_axis(d[d["series"].isin(lines)]["value"], pct)
        # ticks of its own (plotly.js syncs an overlaying axis's ticks to the bars' grid by default:
        # 0%, 9%, 17%, 26% ..., and with whole percents on a narrow span 24%, 24%)
        fig.update_yaxes(title_text=_e(spec.y2_label), secondary_y=True, showgrid=False, range=[lo, hi],
                         tickmode="auto", tickformat=f".{dec}%" if pct else f",.{dec}f")
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
        fig.add_bar(x=[str(v) for v in sub["x"]], y=sub["share"], name=_e(s),
                    marker=_bar_marker(sub, PALETTE[i % len(PALETTE)]), customdata=_classes(sub),
                    text=[fmt.pct(v, 0) for v in sub["share"]], textposition="inside",
                    hovertemplate="%{x}: %{text}<extra>" + _e(s) + "</extra>")
    fig.update_layout(barmode="stack", uniformtext_minsize=9, uniformtext_mode="hide")
    fig.update_yaxes(tickformat=".0%", range=[0, 1], title_text=_e(spec.y_label))
    fig.update_xaxes(type="category", title_text=_e(spec.x_label))
    _forecast_shade(fig, spec, list(dict.fromkeys(d["x"].tolist())))
    return fig


#: ``meta`` of the text traces that print the values of horizontal bars (:func:`_hbar`); the x range
#: that leaves them room, and their size, are set where the chart's margins are known
#: (:func:`fit_value_labels`)
VALUE_LABELS = "value-labels"
#: diameter (px) of the invisible marker a value label sits beside: plotly sets text off a marker by
#: its radius / 0.8 + 1 (a text-only point would put the text right on a whisker's cap)
LABEL_MARKER = 6
#: px between a bar's end (or its whisker's) and its value label (plotly's offset for :data:`LABEL_MARKER`)
LABEL_GAP = LABEL_MARKER / 2 / 0.8 + 1


def _hbar(spec: FigureSpec) -> go.Figure:
    """Horizontal bars, grouped or stacked; a bar with an interval (``lo``/``hi``) gets a whisker.

    The values are printed by a text trace beside each series (in its offset group,
    ``scattermode="group"``), past the bar's end or its whisker's: a bar's own outside label sat where
    the whisker crossed it, plotly shrank it to the bar's thickness, and autorange does not leave room
    for it (the longest bar's value was cut at the chart's edge on phones). Stacked bars get their
    total past the stack; plotly shrank their segments' inside labels to a few pixels."""
    d = spec.data
    fig = go.Figure()
    series = _series(d) or [""]
    cats = list(dict.fromkeys(d["y"].tolist()))
    stacked = bool(spec.opts.get("stacked"))
    grouped = len(series) > 1 and not stacked
    for i, s in enumerate(series):
        sub = d[d["series"] == s] if "series" in d else d
        err = None
        if "lo" in sub and "hi" in sub and sub["lo"].notna().any():
            err = {"type": "data", "symmetric": False, "array": (sub["hi"] - sub["value"]).tolist(),
                   "arrayminus": (sub["value"] - sub["lo"]).tolist(), "color": "#555", "thickness": 1}
        txt = [spec.value_text(v) for v in sub["value"]]
        ys = [_e(c) for c in sub["y"]]
        group = {"offsetgroup": str(i)} if grouped else {}
        fig.add_bar(y=ys, x=sub["value"], orientation="h", name=_e(s) if s else None,
                    marker=_bar_marker(sub, PALETTE[i % len(PALETTE)]), text=txt, error_x=err,
                    customdata=_classes(sub), textposition="none",
                    showlegend=bool(s) and len(series) > 1,
                    hovertemplate="%{y}: %{text}<extra></extra>", **group)
        if stacked:
            continue
        v = sub["value"].to_numpy(float)
        lo, hi = v, v
        if err is not None:
            lo, hi = sub["lo"].fillna(sub["value"]).to_numpy(float), sub["hi"].fillna(sub["value"]).to_numpy(float)
        _value_labels(fig, ys, v, np.fmin(lo, v), np.fmax(hi, v), txt, orientation="h", **group)
    if stacked:  # the total past each stack (the segments' own values are in the hover)
        tot = d.groupby("y", sort=False)["value"].sum(min_count=1).reindex(cats).to_numpy(float)
        _value_labels(fig, [_e(c) for c in cats], tot, tot, tot, [spec.value_text(v) for v in tot])
    fig.update_layout(barmode="stack" if stacked else "group", scattermode="group" if grouped else None)
    fig.update_yaxes(range=[len(cats) - 0.5, -0.5], categoryorder="array", categoryarray=[_e(c) for c in cats],
                     title_text=_e(spec.y_label))
    fig.update_xaxes(title_text=_e(spec.x_label), tickformat=".0%" if spec.percent else None, rangemode="tozero")
    return fig


def _value_labels(fig: go.Figure, ys: list, v, lo, hi, text: list[str], **kw) -> None:
    """A :data:`VALUE_LABELS` text trace: each value's ``text`` past ``hi`` (or before ``lo`` for a
    negative value), set off by an invisible marker."""
    right = ~(np.asarray(v, float) < 0)
    fig.add_scatter(y=ys, x=np.where(right, hi, lo), mode="markers+text", text=text,
                    marker={"size": LABEL_MARKER, "color": "rgba(0,0,0,0)"},
                    textposition=["middle right" if r else "middle left" for r in right],
                    showlegend=False, hoverinfo="skip", cliponaxis=False, meta=VALUE_LABELS, **kw)


def value_label_range(data: list[dict], plot_px: float, size: float) -> list[float] | None:
    """The x range (data units) that holds every bar, whisker and value label (:data:`VALUE_LABELS`
    text traces, at ``size`` px; 0: left out) in a plot ``plot_px`` wide; ``None`` when the chart has
    no such labels. The ends of the range move out until the widest label at either end fits (a few
    rounds: each widening shrinks a pixel's worth of data)."""
    from .margins import _values, text_width

    if not any(tr.get("meta") == VALUE_LABELS for tr in data):
        return None

    def nums(v) -> list[float]:
        return [float("nan") if x is None else float(x) for x in _values(v)]

    anchors: list[tuple[float, float]] = []       # (x, signed label width in px: + right, - left)
    lo_d, hi_d = 0.0, 0.0
    for tr in data:
        xs = nums(tr.get("x"))
        if tr.get("meta") == VALUE_LABELS:
            if not size:
                continue
            pos = tr.get("textposition")
            for j, (x, t) in enumerate(zip(xs, tr.get("text") or [], strict=False)):
                side = pos[j] if isinstance(pos, list) else pos
                w = text_width(str(t), size) + LABEL_GAP
                anchors.append((x, w if str(side).endswith("right") else -w))
        elif tr.get("type") == "bar" and not _is_class_key(tr):
            err = tr.get("error_x") or {}
            up, dn = nums(err.get("array")), nums(err.get("arrayminus"))
            for j, x in enumerate(xs):
                if not np.isfinite(x):
                    continue
                lo_d = min(lo_d, x - (dn[j] if j < len(dn) and np.isfinite(dn[j]) else 0.0))
                hi_d = max(hi_d, x + (up[j] if j < len(up) and np.isfinite(up[j]) else 0.0))
    anchors = [(x, w) for x, w in anchors if np.isfinite(x)]
    if plot_px <= 0:
        return None
    x0, x1 = lo_d, hi_d if hi_d > lo_d else lo_d + 1.0
    for _ in range(8):
        per_px = (x1 - x0) / plot_px
        x1 = max([hi_d] + [x + w * per_px for x, w in anchors if w > 0])
        x0 = min([lo_d] + [x + w * per_px for x, w in anchors if w < 0])
    pad = 0.02 * (x1 - x0)
    return [x0 - pad if x0 < 0 else x0, x1 + pad]


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
                        marker=_line_marker(sub, c), customdata=_classes(sub),
                        text=[fmt.number(v, 1) for v in sub["value"]],
                        hovertemplate="%{x}: %{text}<extra>" + _e(s) + "</extra>")
    fig.update_xaxes(type="category", title_text=_e(spec.x_label))
    fig.update_yaxes(title_text=_e(spec.y_label), rangemode="tozero", tickformat=".0%" if spec.percent else None)
    _forecast_shade(fig, spec, list(dict.fromkeys(d["x"].tolist())))
    return fig


def _pie(spec: FigureSpec) -> go.Figure:
    d = spec.data
    fig = go.Figure(go.Pie(labels=[_e(x) for x in d["label"]], values=d["value"], hole=0.45, sort=False,
                           marker={"colors": PALETTE[: len(d)]}, texttemplate="%{percent:.1%}",
                           textposition="inside", insidetextorientation="horizontal",
                           hovertemplate="%{label}: %{percent:.1%}<extra></extra>"))
    fig.update_layout(uniformtext_minsize=10, uniformtext_mode="hide")
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
    if spec.opts.get("log_y"):
        # one tick per power of ten: plotly's default also labels 2 and 5 of each decade with the bare
        # digit, so a "2" above 1000 stood for 2000
        fig.update_yaxes(title_text=_e(spec.y_label), type="log", dtick=1)
    else:
        fig.update_yaxes(title_text=_e(spec.y_label))
    return fig


def _slope(spec: FigureSpec) -> go.Figure:
    d = spec.data
    periods = list(dict.fromkeys(d["x"].astype(str).tolist()))
    fig = go.Figure()
    for i, lab in enumerate(dict.fromkeys(d["label"].tolist())):
        sub = d[d["label"] == lab]
        c = PALETTE[i % len(PALETTE)]
        pos = [periods.index(str(p)) for p in sub["x"]]
        fig.add_scatter(x=pos, y=sub["value"], mode="lines+markers+text", name=_e(lab),
                        text=[f"{_e(lab)} {int(v)}" if p == 0 else f"{int(v)} {_e(lab)}"
                              for p, v in zip(pos, sub["value"], strict=True)],
                        textposition=["middle left" if p == 0 else "middle right" for p in pos],
                        textfont={"size": 11, "color": c}, line={"color": c}, showlegend=False, cliponaxis=False,
                        hovertemplate=_e(lab) + ": %{y}<extra></extra>")
    n = int(np.nanmax(d["value"])) if len(d) else 1
    # the labels carry the ranks, so the axis needs no tick labels of its own
    fig.update_yaxes(range=[n + 0.7, 0.3], dtick=1 if n <= 25 else 5, title_text=_e(spec.y_label), showgrid=False,
                     showticklabels=False)
    # labels sit left of the first and right of the last period, inside the axis range [-1, n]
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(periods))), ticktext=[_e(p) for p in periods],
                     range=[-0.95, len(periods) - 0.05], title_text=_e(spec.x_label), zeroline=False, showgrid=False)
    return fig


def _waterfall(spec: FigureSpec) -> go.Figure:
    d = spec.data
    labels = [_e(x) for x in d["label"]] + [_e(spec.opts.get("total_label", "合计"))]
    vals = list(d["value"]) + [float(d["value"].sum())]
    # horizontal, so the dimension names (long in Chinese) read as axis labels at any width
    fig = go.Figure(go.Waterfall(y=labels, x=vals, orientation="h", measure=["relative"] * len(d) + ["total"],
                                 text=[fmt.number(v, 2) for v in vals], textposition="outside", cliponaxis=False,
                                 connector={"line": {"color": "#999"}},
                                 increasing={"marker": {"color": PALETTE[0]}},
                                 decreasing={"marker": {"color": PALETTE[3]}},
                                 totals={"marker": {"color": PALETTE[1]}}))
    fig.update_yaxes(range=[len(labels) - 0.5, -0.5])
    fig.update_xaxes(title_text=_e(spec.y_label), range=[0, max(vals) * 1.15] if max(vals) > 0 else None)
    return fig


def _rank_interval(spec: FigureSpec) -> go.Figure:
    d = spec.data
    fig = go.Figure(go.Scatter(
        x=d["value"], y=[_e(x) for x in d["label"]], mode="markers",
        marker={"color": PALETTE[0], "size": 9},
        error_x={"type": "data", "symmetric": False, "array": (d["hi"] - d["value"]).tolist(),
                 "arrayminus": (d["value"] - d["lo"]).tolist(), "color": PALETTE[0], "thickness": 2},
        hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_yaxes(range=[len(d) - 0.5, -0.5], title_text=_e(spec.y_label))
    fig.update_xaxes(title_text=_e(spec.x_label), dtick=1 if len(d) <= 25 else None)
    return fig


def _tiles(spec: FigureSpec) -> go.Figure:
    """Tile-grid map (see ``tilemap.py``): a heatmap with one equal cell per division, plus city dots."""
    d = spec.data
    tiles = d[d["layer"] == "tile"]
    dots = d[d["layer"] == "dot"]
    dotted = bool(spec.opts.get("dots"))
    nc, nr = int(tiles["col"].max()) + 1, int(tiles["row"].max()) + 1
    cols, rows = tiles["col"].astype(int).to_numpy(), tiles["row"].astype(int).to_numpy()

    def grid(values) -> list:
        z = np.full((nr, nc), np.nan)
        z[rows, cols] = values
        return [[None if not np.isfinite(x) else float(x) for x in row] for row in z]

    def text_grid(values) -> list:
        t = [["" for _ in range(nc)] for _ in range(nr)]
        for r, c, s in zip(rows, cols, values, strict=True):
            t[r][c] = s
        return t

    v = tiles["value"].to_numpy(dtype=float)
    unit = spec.opts.get("unit", "")
    names = [_e(n) for n in tiles["name"]]
    hover = [f"{n}: {fmt.number(x, 1)} {_e(unit)}" if np.isfinite(x) else f"{n}: —" for n, x in zip(names, v, strict=True)]
    fig = go.Figure()
    # every division gets a grey tile; divisions with a value are drawn over it in colour
    fig.add_heatmap(z=grid(np.zeros(len(tiles))), colorscale=[[0, "#eef1f5"], [1, "#eef1f5"]], showscale=False,
                    xgap=3, ygap=3, text=text_grid(hover), hovertemplate="%{text}<extra></extra>",
                    hoverongaps=False)
    if dotted:
        labels = [_e(x) for x in tiles["label"]]
        fig.add_scatter(x=cols, y=rows - 0.3, mode="text", text=labels, textfont={"size": 10, "color": "#6b7a90"},
                        hoverinfo="skip", showlegend=False)
    elif np.isfinite(v).any():
        fig.add_heatmap(z=grid(v), colorscale="Blues", zmin=0, zmax=float(np.nanmax(v)), xgap=3, ygap=3,
                        text=text_grid(hover), hovertemplate="%{text}<extra></extra>", hoverongaps=False,
                        colorbar={"title": {"text": _e(unit), "side": "right"}, "thickness": 10, "len": 0.6})
        vmax = float(np.nanmax(v))
        txt = [f"{_e(lab)}<br>{fmt.number(x, 0 if x >= 10 else 1)}" if np.isfinite(x) else _e(lab)
               for lab, x in zip(tiles["label"], v, strict=True)]
        colors = ["white" if np.isfinite(x) and x > 0.55 * vmax else "#222" for x in v]
        fig.add_scatter(x=cols, y=rows, mode="text", text=txt, textfont={"size": 10, "color": colors},
                        hoverinfo="skip", showlegend=False)
    if len(dots):
        fig.add_scatter(x=dots["col"], y=dots["row"], mode="markers+text", text=[str(int(r)) for r in dots["rank"]],
                        textfont={"size": 9, "color": "white"},
                        hovertext=[f"{int(r)}. {_e(n)}" for r, n in zip(dots["rank"], dots["name"], strict=True)],
                        hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
                        marker={"size": 17, "color": PALETTE[0], "line": {"color": "white", "width": 1}})
    fig.update_xaxes(visible=False, range=[-0.5, nc - 0.5], constrain="domain")
    fig.update_yaxes(visible=False, range=[nr - 0.5, -0.5], scaleanchor="x", scaleratio=1, constrain="domain")
    return fig


_RENDERERS = {"bar": _bar, "stacked100": _stacked100, "hbar": _hbar, "line": _line, "pie": _pie,
              "scatter": _scatter, "slope": _slope, "waterfall": _waterfall, "rank_interval": _rank_interval,
              "tiles": _tiles}


def _script_safe(s: str) -> str:
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _merge(a: dict, b: dict) -> dict:
    """``b`` merged into ``a`` as the page's ``merge()`` does: nested objects merged, anything else replaced."""
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(a.get(k), dict):
            _merge(a[k], v)
        else:
            a[k] = v
    return a


def safe_json(spec: FigureSpec) -> str:
    """The figure as JSON that can sit inside <script> (no '<', '>' or '&' characters).

    The layout's template is left out: every chart uses the same one, which the page carries once
    (:func:`template_json`) and the drawing script puts back. The margins are those plotly would
    grow them to on the desktop page and, in the narrow overrides, on a phone (:func:`margins.hint`),
    so the page draws each chart once.
    """
    from . import margins

    fig = figure(spec, fit_labels=False)
    d = json.loads(fig.to_json())
    # the value-class legend entries become the HTML key under the chart (:func:`class_key`, printed by
    # the page's template): as plotly traces they were a quarter of the page's traces and about a tenth
    # of the time the browser takes to draw every chart. They are the figure's last traces, so the
    # others keep their indices (the phone overrides address traces by index).
    keep = [tr for tr in d["data"] if not _is_class_key(tr)]
    dropped = len(d["data"]) - len(keep)
    assert all(_is_class_key(tr) for tr in d["data"][len(keep):]), spec.id
    d["data"] = keep
    layout = {k: v for k, v in d["layout"].items() if k != "template"}
    narrow = (layout.get("meta") or {}).get("narrow")
    labelled = [i for i, tr in enumerate(d["data"]) if tr.get("meta") == VALUE_LABELS]
    if narrow and dropped:
        narrow["traces"] = {k: v for k, v in narrow["traces"].items() if int(k) < len(keep)}
    if narrow:  # the margins of the phone layout, as the page applies it (_merge, like its merge())
        data_n = [_merge(json.loads(json.dumps(tr)), narrow["traces"].get(str(i), {})) for i, tr in enumerate(d["data"])]
        lay_n = _merge(json.loads(json.dumps(layout)), narrow["layout"])
        narrow["layout"]["margin"] = m = margins.hint(data_n, lay_n, width=margins.NARROW_WIDTH, right=True)
        if labelled:  # the phone's labels are smaller but take a larger share of a narrower plot
            lay, tr = label_fit(data_n, lay_n, m, margins.NARROW_WIDTH)
            _merge(narrow["layout"], lay)
            for i in labelled:
                _merge(narrow["traces"].setdefault(str(i), {}), json.loads(json.dumps(tr)))
    layout["margin"] = margins.hint(d["data"], layout)
    if labelled:
        lay, tr = label_fit(d["data"], layout, layout["margin"], margins.CHART_WIDTH)
        _merge(layout, lay)
        for i in labelled:
            _merge(d["data"][i], json.loads(json.dumps(tr)))
    return _script_safe(json.dumps({"data": d["data"], "layout": layout}, ensure_ascii=False, separators=(",", ":")))


def template_json() -> str:
    """The shared plotly template (``plotly_white``) as script-safe JSON.

    Tick labels are never hidden for overflowing the chart (``ticklabeloverflow: "allow"``, plotly's
    default on category axes already): on value axes plotly's default ("hide past div") measures
    every tick label of every chart once more after drawing it, about a sixth of the time the page
    spends drawing its charts, and with automargin no label reaches past the chart."""
    import plotly.io as pio

    t = pio.templates["plotly_white"].to_plotly_json()
    for ax in ("xaxis", "yaxis"):
        t["layout"].setdefault(ax, {})["ticklabeloverflow"] = "allow"
    return _script_safe(json.dumps(t, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
