"""Chart margins worked out at build time, so that the page lays out each chart once.

Plotly grows a chart's margins to fit its tick labels and legend (``automargin``, margin
``autoexpand``), but it can only find out how much by drawing the chart: when a label or the legend
needs more room than the layout's margin gives, plotly draws the whole chart a second time. On the
report page that second pass was about a third of the time spent drawing charts. The margin is a
minimum (plotly keeps the larger of the layout's margin and what the labels need), so a margin
that already fits lets plotly draw once and changes nothing else; one that is short is still grown
by plotly as before. Nothing here can make a label overflow.

:func:`hint` predicts what plotly would grow the margins of a chart ``width`` px wide to: the
desktop layout of the page (charts :data:`CHART_WIDTH` px wide) and the phone layout
(:data:`NARROW_WIDTH`, the page's narrow overrides: 10 px type, x labels read sideways):

- **left**: the widest tick label of the left y axis (category labels from the data; for a value
  axis, the widest label of every tick spacing plotly may choose; log axes by decade) plus plotly's
  offset and the room of the axis title when the axis has one (:func:`_room`);
- **right** (asked for on phones, where the layout's right margin is 8 px): the widest label of a
  secondary y axis on the right;
- **bottom**: one line of x tick labels, or the widest label when they are read sideways;
- **top**: the height of the horizontal legend above the plot, laid out as plotly.js lays it out
  (:func:`legend_height`).

Colour bars and the labels of bars reaching the plot's right edge are not predicted (plotly still
grows those margins). The constants were measured in chromium on the report's charts, zh and en.

Text widths come from the advance widths of Noto Sans CJK SC (the font the page asks for first),
read with fontTools; without the font, CJK characters count one em and others 0.55 em. Pure
functions of the figure's JSON: nothing is drawn.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache, lru_cache
from html import unescape

#: width (px) of a chart in the page's desktop layout: the body's max-width in report.css
CHART_WIDTH = 1000
#: width (px) of a chart on a phone 390 px wide (the page's narrow layout; measured in chromium)
NARROW_WIDTH = 354
#: a secondary y axis's labels and title on the right: font sizes beyond the widest label
#: (measured in chromium at 10 px, the narrow layout's font)
RIGHT_ROOM = 1.67
#: sideways tick labels reach this much further than their width (measured in chromium)
ROTATED_EXTRA = 2
#: legend: its padding, and the room plotly keeps between a legend above the plot and the plot,
#: one line of legend text less this (measured in chromium: 12 px at 13 px, 8 px at 10 px)
LEGEND_PAD = 10
LEGEND_GAP = 5
#: plotly's gaps in a horizontal legend: between items, the symbol's width, between group rows
TRACE_GAP = 5
SYMBOL = 40
GROUP_GAP = 10
#: the share of a value axis's span that plotly's autorange may add (bars' outside labels, markers)
PAD = 0.08
#: plotly's line height, in font sizes
LINE_SPACING = 1.3
#: extra pixels on a margin predicted from text widths, for small differences in text shaping
SLACK = 2

_TAG = re.compile(r"<[^>]+>")


@cache
def _metrics() -> tuple[dict[int, int], float] | None:
    """(code point → advance width in font units, units per em) of Noto Sans CJK SC, or None."""
    from .fonts import sc_font_path

    path = sc_font_path()
    if path is None:
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    hmtx = font["hmtx"].metrics
    widths = {cp: hmtx[name][0] for cp, name in font.getBestCmap().items() if name in hmtx}
    return widths, float(font["head"].unitsPerEm)


@lru_cache(maxsize=1 << 16)
def text_width(text: str, size: float) -> float:
    """Width in px of one line of ``text`` at ``size`` px (tags dropped, entities decoded); the
    widest line when it has ``<br>`` breaks. Remembered: the page's table heights measure every
    cell at two widths, the PDF's column widths again, and labels repeat across charts."""
    lines = re.split(r"<br\s*/?>", str(text), flags=re.I)
    m = _metrics()
    best = 0.0
    for line in lines:
        s = unescape(_TAG.sub("", line))
        if m is None:
            w = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in s)
        else:
            widths, upem = m
            w = sum(widths.get(ord(ch), upem) for ch in s) / upem
        best = max(best, w * size)
    return best


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _plain(v: float, decimals: int) -> str:
    s = f"{v:.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _si(v: float) -> str:
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return _plain(v / div, 3) + suffix
    return _plain(v, 3)


def value_tick_labels(lo: float, hi: float, tickformat: str = "", prefix: str = "", suffix: str = "") -> list[str]:
    """Every label plotly may print on a linear axis spanning [lo, hi] (with the axis padding it adds),
    over the tick spacings it may choose (1, 2 or 5 × 10^k, three to eleven spacings in the span)."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    hi, lo = hi + PAD * (hi - lo), lo - (PAD * (hi - lo) if lo < 0 else 0.0)
    span = hi - lo
    if span <= 0:
        return ["0"]
    pct = "%" in tickformat
    fixed = re.search(r"\.(\d+)", tickformat)
    labels: set[str] = set()
    top = math.floor(math.log10(span))
    for exp in range(top - 2, top + 1):
        for mult in (1, 2, 5):
            step = mult * 10.0 ** exp
            if not 3 <= span / step <= 11:
                continue
            decimals = int(fixed.group(1)) if fixed else max(0, -exp)
            first, last = math.ceil(lo / step), math.floor(hi / step)
            for k in range(first, last + 1):
                v = k * step
                if pct:
                    texts = [(f"{v * 100:.{decimals}f}" if fixed else _plain(v * 100, decimals)) + "%"]
                elif fixed:
                    texts = [f"{v:,.{decimals}f}" if "," in tickformat else f"{v:.{decimals}f}"]
                elif step >= 1000:  # plotly may write thousands as 2k (or 2000 when the step is 1000-9999)
                    texts = [_si(v)] + ([_plain(v, 0)] if step < 10000 else [])
                else:
                    texts = [_plain(v, decimals)]
                labels.update(prefix + t + suffix for t in texts)
    return sorted(labels)


def _values(v) -> list:
    """A trace's array as a list: plotly writes numpy arrays as ``{"dtype", "bdata"}`` (base64)."""
    if isinstance(v, dict) and "bdata" in v:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v) if v is not None else []


def _axis_values(data: list[dict], axis: str, letter: str) -> list:
    """The ``letter`` ('x' or 'y') values of every visible trace drawn on ``axis`` ('y', 'y2', ...)."""
    out = []
    for tr in data:
        if tr.get("visible", True) is False or tr.get(f"{letter}axis", letter) != axis:
            continue
        if tr.get("type", "scatter") in ("pie", "heatmap"):
            continue
        out.extend(v for v in _values(tr.get(letter)) if v is not None and not (isinstance(v, float) and math.isnan(v)))
    return out


def _value_extent(data: list[dict], layout: dict, letter: str, axis: str) -> tuple[float, float] | None:
    """The span of the values on a value axis (``letter`` 'x' or 'y', ``axis`` its id: 'y', 'y2', 'x'),
    bars stacked when the layout stacks them, error bars included."""
    other = "x" if letter == "y" else "y"
    lo, hi = 0.0, 0.0
    stack: dict[str, list[float]] = {}
    found = False
    for tr in data:
        if tr.get("visible", True) is False or tr.get(f"{letter}axis", letter) != axis \
                or tr.get("type", "scatter") in ("pie", "heatmap"):
            continue
        vs = [_num(v) for v in _values(tr.get(letter))]
        keys = _values(tr.get(other)) or [None] * len(vs)
        plus = _values((tr.get(f"error_{letter}") or {}).get("array"))
        stacked = tr.get("type") == "bar" and layout.get("barmode") in ("stack", "relative")
        for i, v in enumerate(vs):
            if v is None:
                continue
            found = True
            top = v + ((_num(plus[i]) or 0.0) if i < len(plus) else 0.0)
            if stacked:
                acc = stack.setdefault(f"{keys[i]}{'+' if v >= 0 else '-'}", [0.0])
                acc[0] += v
                top = acc[0]
            lo, hi = min(lo, v, top), max(hi, v, top)
    return (lo, hi) if found else None


def _tick_labels(data: list[dict], layout: dict, name: str) -> list[str] | None:
    """The tick labels the axis ``name`` ('yaxis', 'yaxis2', 'xaxis') may show, or None when it shows
    none or they cannot be predicted."""
    ax = layout.get(name) or {}
    if ax.get("visible") is False or ax.get("showticklabels") is False:
        return None
    if ax.get("ticktext"):
        return [str(t) for t in ax["ticktext"]]
    letter, axis = name[0], name[0] + name[5:]
    values = _axis_values(data, axis, letter)
    if not values:
        return None
    kind = ax.get("type") or ("category" if any(_num(v) is None for v in values) else "linear")
    if kind == "category":
        return [str(v) for v in dict.fromkeys(values)]
    if kind == "log":
        pos = [f for f in (_num(v) for v in values) if f is not None and f > 0]
        if not pos:
            return None
        lo, hi = math.floor(math.log10(min(pos))) - 1, math.ceil(math.log10(max(pos))) + 1
        return ["2", "5"] + [_si(10.0 ** k) if k >= 4 else _plain(10.0 ** k, max(0, -k)) for k in range(lo, hi + 1)]
    if kind != "linear":
        return None
    if ax.get("range") and all(_num(v) is not None for v in ax["range"]):
        lo, hi = sorted(float(v) for v in ax["range"])
    else:
        ext = _value_extent(data, layout, letter, axis)
        if ext is None:
            return None
        lo, hi = ext
    return value_tick_labels(lo, hi, ax.get("tickformat") or "", ax.get("tickprefix") or "", ax.get("ticksuffix") or "")


def _legend_items(data: list[dict], layout: dict) -> list[tuple[str, str]]:
    """(group, text) of every legend entry, in plotly's order (pie slices are entries)."""
    items: list[tuple[str, str]] = []
    visible = 0  # as plotly counts to decide whether to show the legend: every visible trace
    for i, tr in enumerate(data):
        if tr.get("visible", True) is False or tr.get("type") == "heatmap":
            continue
        pie = tr.get("type") == "pie"
        visible += 2 if pie else 1
        if tr.get("showlegend", True) is False:
            continue
        if pie:
            items.extend((f"~{i}-{j}", str(lab)) for j, lab in enumerate(dict.fromkeys(_values(tr.get("labels")))))
        else:
            items.append((tr.get("legendgroup") or f"~{i}", str(tr.get("name") or f"trace {i}")))
    show = layout.get("showlegend")
    if show is False or (show is None and visible < 2):
        return []
    return items


def legend_height(items: list[tuple[str, str]], width: float, size: float) -> float:
    """Height (px) of plotly's horizontal legend of ``items`` on a plot ``width`` px wide.

    As plotly.js lays it out: without legend groups, the items sit in one row at their own widths
    when they all fit, else in rows of cells as wide as the widest item. With groups (any
    ``legendgroup``), each group is a block of its items one above the other, as wide as its widest
    item; blocks sit in rows at their own widths, a row as tall as its tallest block, rows apart by
    the group gap. An item is 40 px (the symbol) plus its text, items 5 px apart."""
    if not items:
        return 0.0
    line = size * LINE_SPACING

    def item_height(text: str) -> float:
        return max(line * len(re.split(r"<br\s*/?>", text, flags=re.I)), 16.0) + 3.0

    rows: list[float] = []
    if all(g.startswith("~") for g, _ in items):
        widths = [SYMBOL + text_width(t, size) for _, t in items]
        heights = [item_height(t) for _, t in items]
        if sum(widths) + (len(widths) - 1) * TRACE_GAP < width:
            return max(heights) + LEGEND_PAD
        cell, x = max(widths), 0.0
        for h in heights:
            if not rows or x + cell >= width:
                rows.append(0.0)
                x = 0.0
            rows[-1] = max(rows[-1], h)
            x += cell + TRACE_GAP
        return sum(rows) + LEGEND_PAD
    blocks: dict[str, list[str]] = {}
    for g, t in items:
        blocks.setdefault(g, []).append(t)
    x = 0.0
    for texts in blocks.values():
        w = SYMBOL + max(text_width(t, size) for t in texts)
        h = sum(item_height(t) for t in texts)
        if not rows or (x > 0 and x + w + TRACE_GAP > width):
            rows.append(0.0)
            x = 0.0
        rows[-1] = max(rows[-1], h)
        x += w + TRACE_GAP
    return sum(rows) + GROUP_GAP * (len(rows) - 1) + LEGEND_PAD


def _room(ax: dict, size: float) -> float:
    """Pixels plotly puts between an axis's tick labels and the margin edge: its offset from the
    labels, plus room for the axis title when the axis has one (even an empty one)."""
    return size * LINE_SPACING - 4 + (size + 13 if "title" in ax else 0)


def _widest(labels: list[str], ax: dict, size: float) -> float:
    tick = float((ax.get("tickfont") or {}).get("size") or size)
    return max(text_width(t, tick) for t in labels)


def hint(data: list[dict], layout: dict, width: float = CHART_WIDTH, right: bool = False) -> dict[str, int]:
    """Margins (px) plotly would grow a chart ``width`` px wide to, never below the layout's own:
    left, bottom and top; the right margin too with ``right`` (a secondary y axis's labels).

    A figure the prediction cannot read (a trace or axis of an unexpected shape) keeps the layout's
    margins: plotly then grows them itself, as it did before margins were predicted, and the
    build goes on."""
    try:
        return _predict(data, layout, width, right)
    except (ArithmeticError, LookupError, TypeError, ValueError):
        return dict(layout.get("margin") or {})


def _predict(data: list[dict], layout: dict, width: float, right: bool) -> dict[str, int]:
    margin = dict(layout.get("margin") or {})
    size = float((layout.get("font") or {}).get("size") or 12)
    left = int(margin.get("l", 80))
    yax = layout.get("yaxis") or {}
    labels = _tick_labels(data, layout, "yaxis") if yax.get("side", "left") == "left" else None
    if labels:
        left = max(left, math.ceil(_widest(labels, yax, size) + _room(yax, size)) + SLACK)
    rgt = int(margin.get("r", 80))
    y2 = layout.get("yaxis2") or {}
    labels = _tick_labels(data, layout, "yaxis2") if right and y2.get("side") == "right" else None
    if labels:
        rgt = max(rgt, math.ceil(_widest(labels, y2, size) + RIGHT_ROOM * size) + SLACK)
    bottom = int(margin.get("b", 80))
    xax = layout.get("xaxis") or {}
    angle = xax.get("tickangle")
    if xax.get("side", "bottom") == "bottom" and angle in (None, 0, -90, 90):
        labels = _tick_labels(data, layout, "xaxis")
        if labels:
            tick = float((xax.get("tickfont") or {}).get("size") or size)
            if angle in (-90, 90):  # read sideways: as tall as the widest label, set off by the standoff
                extent = _widest(labels, xax, size) + float(xax.get("ticklabelstandoff") or 0) + ROTATED_EXTRA
            else:
                extent = tick * LINE_SPACING
            bottom = max(bottom, math.ceil(extent + _room(xax, tick)) + (SLACK if angle else 0))
    top = int(margin.get("t", 100))
    leg = layout.get("legend") or {}
    if leg.get("orientation") == "h" and (leg.get("y") or 0) >= 1 and leg.get("yanchor") == "bottom":
        lsize = float((leg.get("font") or {}).get("size") or size)
        h = legend_height(_legend_items(data, layout), width - left - rgt, lsize)
        if h:
            height, y = float(layout.get("height") or 450), float(leg["y"])
            # the legend sits (y - 1) plot heights above the plot: solve t = h + gap + (y - 1)(height - t - b)
            gap = lsize * LINE_SPACING - LEGEND_GAP
            top = max(top, math.ceil((h + gap + (y - 1) * (height - bottom)) / y))
    return {**margin, "l": left, "r": rgt, "t": top, "b": bottom}
