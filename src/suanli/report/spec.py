"""A figure as data: what to draw, not how. Rendered by ``render_plotly`` (HTML) and
``render_mpl`` (PNG/SVG for the PDF, the workbook and ``figures/``).

Data layout per ``kind`` (columns of ``FigureSpec.data``):

=============  ===========================================================================
bar            x, series, value; ``opts``: stacked (bool), line_series (names drawn as lines
               on a secondary axis, e.g. growth), line_percent (secondary axis in %), decimals
stacked100     x, series, value (normalised to 100 % per x)
hbar           y, series, value; optional lo, hi (interval whiskers); ``opts``: stacked,
               decimals (values that are fractions: the ``percent`` field)
line           x, series, value; optional lo, hi (band)
pie            label, value
scatter        x, y, label, series; ``opts``: log_y
slope          label, x (period label), value (rank; 1 on top)
waterfall      label, value (contributions; the total bar is added by the renderer); ``opts``:
               total_label
rank_interval  label, value (rank), lo, hi
tiles          layer ("tile" or "dot"), label, name (hover), col, row, value, rank; tiles are coloured
               by value (grey without); with ``opts["dots"]`` tiles are plain and dots carry the ranks;
               ``opts["unit"]`` names the colour scale's unit
=============  ===========================================================================

Any kind may carry ``value_class`` (stated / derived / modelled / synthetic) per point and ``sid``
(the stored series the point comes from). Renderers encode the class: stated solid; derived
lighter and hatched, with 推算/derived in the legend; modelled lighter with dots and its interval
whiskers where ``lo``/``hi`` are given; synthetic cross-hatched (and the figure's synthetic mark).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..store.value_class import LABELS as VALUE_CLASS_LABELS
from . import fmt

#: Width (inches) and resolution of the matplotlib figures (PNG and SVG; the PDF embeds the PNGs).
MPL_WIDTH = 6.6
PNG_DPI = 150


def mpl_height(spec: FigureSpec) -> float:
    """Height (inches) of the matplotlib figure of ``spec``: by its number of bars, rows or ranks."""
    height = 3.4
    if spec.kind in ("hbar", "rank_interval"):
        cats = spec.data["y" if spec.kind == "hbar" else "label"].nunique()
        height = max(2.4, min(7.5, 0.6 + 0.24 * cats * max(1, spec.data["series"].nunique() / 1.5
                                                            if "series" in spec.data and spec.kind == "hbar" else 1)))
    elif spec.kind == "tiles":
        height = 4.6
    elif spec.kind == "slope":
        height = max(3.4, min(6.5, 0.3 * spec.data["value"].max() + 1))
    return height


def png_size(spec: FigureSpec) -> tuple[int, int]:
    """(width, height) in pixels of the PNG of ``spec``, known before it is drawn: the figure size
    times the resolution, as matplotlib's canvas counts it (``FigureCanvasBase.get_width_height``
    truncates after adding 1e-8, so that 4.199999999999999 in at 150 dpi is 630 pixels)."""
    return int(MPL_WIDTH * PNG_DPI + 1e-8), int(mpl_height(spec) * PNG_DPI + 1e-8)


def growth_axis(values: Iterable[float], percent: bool = True) -> tuple[float, float, int]:
    """(bottom, top, decimals) of the secondary axis of a bar chart's lines (growth rates, shares),
    shared by both renderers. The axis starts at zero, as the bars' axis does: fitted to the line's
    own span, 23.1 % to 24.9 % growth filled the chart's height like a tripling and printed its ticks
    as 23%, 24%, 24%, 25%, 25%. Enough decimals that ticks about an eighth of the span apart read
    differently; 5 % room beyond the data."""
    import math

    v = [float(x) for x in values if x is not None and math.isfinite(float(x))]
    lo, hi = min(v + [0.0]), max(v + [0.0])
    if lo == hi:  # no finite value, or every one zero: an axis of some height, not of none
        return 0.0, 1.0, 0
    span = hi - lo or 1.0
    step = span / 8 * (100 if percent else 1)
    decimals = 0 if step >= 1 else min(3, -math.floor(math.log10(step)))
    pad = 0.05 * span
    return (lo - pad if lo < 0 else 0.0), (hi + pad if hi > 0 else 0.0), decimals


#: Series colours shared by both renderers.
PALETTE = ["#1f4e9c", "#e07b00", "#2a9d8f", "#c0392b", "#8e6bbf", "#7f8c8d", "#d4a017", "#3a86ff",
           "#6a994e", "#bc4749", "#264653", "#f4a261"]

#: every key a renderer reads from ``FigureSpec.opts`` (see the table above)
OPTS = frozenset({"decimals", "dots", "line_percent", "line_series", "log_y", "stacked", "total_label", "unit"})

KINDS = ("bar", "stacked100", "hbar", "line", "pie", "scatter", "slope", "waterfall", "rank_interval", "tiles")


@dataclass
class FigureSpec:
    id: str
    section: str
    kind: str
    title: str
    data: pd.DataFrame
    source: str
    tables: list[str]
    synthetic: bool = False
    x_label: str = ""
    y_label: str = ""
    y2_label: str = ""
    percent: bool = False  # primary values are fractions, shown as %
    forecast_from: int | None = None  # x values ≥ this are forecasts (shaded)
    note: str = ""
    height: int = 420
    opts: dict[str, Any] = field(default_factory=dict)
    number: int = 0  # 图N, assigned when the document is assembled
    lang: str = "zh"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown figure kind {self.kind!r}")
        unknown = set(self.opts) - OPTS
        if unknown:  # a renderer would silently ignore it (``opts={"percent": True}`` drew fractions as 0.1)
            raise ValueError(f"figure {self.id!r}: unknown option(s) {', '.join(sorted(unknown))}; "
                             f"options are {', '.join(sorted(OPTS))} (percent is a field of FigureSpec)")

    def value_text(self, v: float) -> str:
        """A value as its bar's label reads in both renderers: a percentage when the values are
        fractions (``percent``), else a number with ``opts["decimals"]`` decimals (1 by default)."""
        return fmt.pct(v, 1) if self.percent else fmt.number(v, self.opts.get("decimals", 1))

    def content_hash(self, salt: str = "") -> str:
        """Hash of everything that changes the picture (data, labels, options, renderer version)."""
        h = hashlib.sha256()
        meta = {k: getattr(self, k) for k in ("id", "kind", "title", "source", "synthetic", "x_label", "y_label",
                                               "y2_label", "percent", "forecast_from", "height", "lang")}
        meta["opts"] = self.opts
        h.update(json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str).encode())
        h.update(self.data.to_csv(index=False).encode())
        h.update(salt.encode())
        return h.hexdigest()[:24]


#: how each value class is drawn: bar opacity, hatch (matplotlib / plotly pattern), line dash
CLASS_STYLE = {"stated": (1.0, "", "", "solid"), "derived": (0.45, "///", "/", "dash"),
               "modelled": (0.35, "...", ".", "dot"), "synthetic": (0.85, "xx", "x", "solid")}
#: a figure's key names the classes as every table and page does (one language per page)
CLASS_LEGEND = VALUE_CLASS_LABELS


def classes_of(data: pd.DataFrame) -> list[str]:
    """Value classes present in a figure's data, in class order (empty without the column)."""
    if "value_class" not in data:
        return []
    order = list(CLASS_STYLE)
    return sorted(set(data["value_class"].dropna().astype(str)) & set(order), key=order.index)


def series_rows(label: str, years: Iterable[Any], values: Iterable[Any]) -> list[tuple[int, str, float]]:
    """Long-form ``(x, series, value)`` rows of one series, the data shape of line and bar figures."""
    return [(int(y), label, float(v)) for y, v in zip(years, values, strict=True)]
