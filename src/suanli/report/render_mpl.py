"""Static rendering: FigureSpec → matplotlib → PNG and SVG (for the PDF, the workbook, ``figures/``).

Chinese text uses the Noto Sans CJK font from the PyPI package ``noto-cjk-sans-otc``, selected by
family name ``Noto Sans CJK SC`` (opening the TTC by path would give face 0, the Japanese one).
SVG text is converted to paths so the files look the same without the font installed.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402

from . import fmt  # noqa: E402
from .spec import (  # noqa: E402
    CLASS_LEGEND,
    CLASS_STYLE,
    MPL_WIDTH,
    PALETTE,
    PNG_DPI,
    FigureSpec,
    classes_of,
    growth_axis,
    mpl_height,
)

FAMILY = "Noto Sans CJK SC"
_FONT_READY = False


def setup_fonts() -> None:
    """Register the bundled Noto CJK collection with matplotlib (once per process)."""
    global _FONT_READY
    if _FONT_READY:
        return
    import noto_cjk_sans_otc

    font_manager.fontManager.addfont(noto_cjk_sans_otc.FONT_PATH)
    plt.rcParams.update({
        "font.family": [FAMILY, "DejaVu Sans"], "axes.unicode_minus": False, "svg.fonttype": "path",
        "pdf.fonttype": 42, "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
        "grid.color": "#e6e6e6", "grid.linewidth": 0.6, "axes.axisbelow": True, "font.size": 9,
        "axes.titlesize": 10, "legend.frameon": False, "legend.fontsize": 8,
        # SVG element ids are hashes salted with a random UUID unless a salt is set: a fixed salt makes
        # the SVG of a figure the same bytes on every build
        "svg.hashsalt": "suanli",
        # the report's figure workers keep every figure they drew open until its SVG is written
        "figure.max_open_warning": 0,
    })
    _FONT_READY = True


def _series(df, col="series"):
    return list(dict.fromkeys(df[col].tolist())) if col in df else []


#: marker of a point on a line, per value class (filled: stated; open: derived, modelled)
CLASS_MARKER = {"stated": ("o", True), "derived": ("o", False), "modelled": ("D", False), "synthetic": ("x", True)}


def _style_bars(container, sub) -> None:
    """Each bar's alpha and hatch follow its point's value class (CLASS_STYLE); the class is the
    patch's gid (``vc:<class>``), so the SVG and the tests can read it back."""
    if "value_class" not in sub:
        return
    for patch, c in zip(container.patches, sub["value_class"].astype(str), strict=True):
        alpha, hatch, _, _ = CLASS_STYLE[c]
        patch.set_alpha(alpha)
        patch.set_hatch(hatch)
        patch.set_gid(f"vc:{c}")


def _class_points(ax, pos, values, sub, color) -> None:
    """Markers of a line's points by value class (drawn over a plain line)."""
    if "value_class" not in sub:
        return
    for p, v, c in zip(pos, values, sub["value_class"].astype(str), strict=True):
        m, filled = CLASS_MARKER[c]
        (h,) = ax.plot([p], [v], m, ms=4.5, color=color, markerfacecolor=color if filled else "white", zorder=3)
        h.set_gid(f"vc:{c}")


def _class_handles(spec: FigureSpec) -> list:
    """Legend proxies of the value classes other than stated that the figure shows."""
    from matplotlib.patches import Patch

    cls = classes_of(spec.data)
    if cls in ([], ["stated"]):
        return []
    lab = CLASS_LEGEND.get(spec.lang, CLASS_LEGEND["en"])
    return [Patch(facecolor="#999", alpha=CLASS_STYLE[c][0], hatch=CLASS_STYLE[c][1], label=lab[c]) for c in cls]


def _below_axis(ax) -> dict:
    """Where a legend under the plot goes: its top 4 pt below the x axis's tick labels and title,
    measured, in points from the axes' bottom, so it stays clear of them however tall the axes ends
    up after ``tight_layout`` (a fixed share of the axes' height put it on the axis title of short
    charts: 13 of the default report's 73 figures)."""
    from matplotlib.transforms import ScaledTranslation

    fig = ax.figure
    box = ax.xaxis.get_tightbbox(fig.canvas.get_renderer())
    below = max(0.0, ax.bbox.y0 - box.y0) * 72 / fig.dpi if box is not None else 0.0
    return {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0),
            "bbox_transform": ax.transAxes + ScaledTranslation(0, -(below + 4) / 72, fig.dpi_scale_trans)}


def _legend_below(ax, n: int, spec: FigureSpec | None = None, handles: list | None = None) -> None:
    extra = _class_handles(spec) if spec is not None else []
    if n > 1 or extra:
        hs = (handles if handles is not None else ax.get_legend_handles_labels()[0] if n > 1 else []) + extra
        ax.legend(handles=hs, ncol=min(len(hs), 3), **_below_axis(ax))


def _bar(ax, spec: FigureSpec) -> None:
    d = spec.data
    lines = set(spec.opts.get("line_series", []))
    xs = [str(x) for x in dict.fromkeys(d["x"].tolist())]
    xi = {x: i for i, x in enumerate(xs)}
    bars = [s for s in _series(d) if s not in lines]
    stacked = spec.opts.get("stacked", False)
    w = 0.7 if stacked else 0.8 / max(len(bars), 1)
    bottom = np.zeros(len(xs))
    handles = []
    for i, s in enumerate(bars):
        sub = d[d["series"] == s]
        pos = np.array([xi[str(x)] for x in sub["x"]])
        vals = sub["value"].to_numpy(dtype=float)
        if stacked:
            h = ax.bar(pos, vals, w, bottom=bottom[pos], color=PALETTE[i % len(PALETTE)], label=s)
            _style_bars(h, sub)
            bottom[pos] += np.nan_to_num(vals)
        else:
            off = (i - (len(bars) - 1) / 2) * w
            h = ax.bar(pos + off, vals, w, color=PALETTE[i % len(PALETTE)], label=s)
            _style_bars(h, sub)
            if len(xs) * len(bars) <= 24:
                ax.bar_label(h, labels=[fmt.number(v, spec.opts.get("decimals", 1)) for v in vals], fontsize=7,
                             padding=2)
        handles.append(h)
    if stacked and len(xs) <= 12:
        for p, t in enumerate(bottom):
            ax.text(p, t, fmt.number(t, spec.opts.get("decimals", 1)), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(xs)), xs)
    ax.set_ylabel(spec.y_label)
    ax.set_xlabel(spec.x_label)
    if spec.forecast_from is not None:
        f = [i for i, x in enumerate(xs) if x.isdigit() and int(x) >= spec.forecast_from]
        if f:
            ax.axvspan(f[0] - 0.5, f[-1] + 0.5, color="#999", alpha=0.1, lw=0)
    if lines:
        ax2 = ax.twinx()
        ax2.grid(False)
        ax2.spines["right"].set_visible(True)
        for j, s in enumerate([s for s in _series(d) if s in lines]):
            sub = d[d["series"] == s]
            pos = [xi[str(x)] for x in sub["x"]]
            col = PALETTE[(len(bars) + j) % len(PALETTE)]
            (h,) = ax2.plot(pos, sub["value"], ":" if "value_class" in sub else ":o", ms=3, color=col, label=s)
            _class_points(ax2, pos, sub["value"].to_numpy(dtype=float), sub, col)
            handles.append(h)
        pct = spec.opts.get("line_percent", True)
        lo, hi, dec = growth_axis(d[d["series"].isin(lines)]["value"], pct)
        ax2.set_ylim(lo, hi)
        if pct:
            ax2.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=dec))
        ax2.set_ylabel(spec.y2_label)
        hs = handles + _class_handles(spec)
        ax.legend(handles=hs, labels=[h.get_label() for h in hs], ncol=min(len(hs), 3), **_below_axis(ax))
    else:
        _legend_below(ax, len(bars), spec)


def _stacked100(ax, spec: FigureSpec) -> None:
    d = spec.data.copy()
    tot = d.groupby("x")["value"].transform("sum").replace(0, np.nan)
    d["share"] = d["value"] / tot
    xs = [str(x) for x in dict.fromkeys(d["x"].tolist())]
    xi = {x: i for i, x in enumerate(xs)}
    bottom = np.zeros(len(xs))
    ser = _series(d)
    for i, s in enumerate(ser):
        sub = d[d["series"] == s]
        pos = np.array([xi[str(x)] for x in sub["x"]])
        v = np.nan_to_num(sub["share"].to_numpy(dtype=float))
        _style_bars(ax.bar(pos, v, 0.7, bottom=bottom[pos], color=PALETTE[i % len(PALETTE)], label=s), sub)
        for p, b, vv in zip(pos, bottom[pos], v, strict=False):
            if vv >= 0.06:
                ax.text(p, b + vv / 2, fmt.pct(vv, 0), ha="center", va="center", fontsize=7, color="white")
        bottom[pos] += v
    ax.set_xticks(range(len(xs)), xs)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, 1)
    ax.set_ylabel(spec.y_label)
    _legend_below(ax, len(ser), spec)


def _hbar(ax, spec: FigureSpec) -> None:
    d = spec.data
    cats = list(dict.fromkeys(d["y"].tolist()))
    yi = {c: i for i, c in enumerate(cats)}
    series = _series(d) or [None]
    stacked = spec.opts.get("stacked", False)
    h = 0.7 if stacked or len(series) == 1 else 0.8 / len(series)
    left = np.zeros(len(cats))
    for i, s in enumerate(series):
        sub = d[d["series"] == s] if s is not None else d
        pos = np.array([yi[c] for c in sub["y"]], dtype=float)
        v = sub["value"].to_numpy(dtype=float)
        xerr = None
        if "lo" in sub and sub["lo"].notna().any():
            xerr = np.vstack([v - sub["lo"].to_numpy(dtype=float), sub["hi"].to_numpy(dtype=float) - v])
        if stacked:
            _style_bars(ax.barh(pos, v, h, left=left[pos.astype(int)], color=PALETTE[i % len(PALETTE)], label=s), sub)
            left[pos.astype(int)] += np.nan_to_num(v)
        else:
            off = 0 if len(series) == 1 else (i - (len(series) - 1) / 2) * h
            bars = ax.barh(pos + off, v, h, color=PALETTE[i % len(PALETTE)], label=s, xerr=xerr,
                           error_kw={"elinewidth": 0.8, "ecolor": "#444", "capsize": 2})
            _style_bars(bars, sub)
            if len(cats) * len(series) <= 30:
                labels = [spec.value_text(x) for x in v]
                if xerr is None:
                    ax.bar_label(bars, labels=labels, fontsize=7, padding=2)
                else:  # past the end of the error bar, not across its whisker
                    _labels_past(ax, pos + off, v, np.fmin(sub["lo"].to_numpy(dtype=float), v),
                                 np.fmax(sub["hi"].to_numpy(dtype=float), v), labels)
    if stacked and len(cats) <= 30:  # the total past each stack, as in the page
        _labels_past(ax, np.arange(len(cats)), left, left, left, [spec.value_text(x) for x in left])
    ax.set_yticks(range(len(cats)), [str(c) for c in cats])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    if spec.percent:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(spec.x_label)
    if series[0] is not None or _class_handles(spec):
        _legend_below(ax, len(series) if series[0] is not None else 0, spec)


def _labels_past(ax, ys, v, lo, hi, labels: list[str]) -> None:
    """Each value's label 3 pt past ``hi`` (before ``lo`` for a negative value), with room for the
    labels in the axes; a missing value gets none."""
    ax.margins(x=0.08)
    for y, val, a, b, txt in zip(ys, v, lo, hi, labels, strict=True):
        if np.isfinite(val):
            right = not val < 0
            ax.annotate(txt, (b if right else a, y), xytext=(3 if right else -3, 0), textcoords="offset points",
                        ha="left" if right else "right", va="center", fontsize=7)


def _line(ax, spec: FigureSpec) -> None:
    d = spec.data
    xs = [str(x) for x in dict.fromkeys(d["x"].tolist())]
    xi = {x: i for i, x in enumerate(xs)}
    ser = _series(d)
    for i, s in enumerate(ser):
        sub = d[d["series"] == s]
        pos = [xi[str(x)] for x in sub["x"]]
        c = PALETTE[i % len(PALETTE)]
        if "lo" in sub and sub["lo"].notna().any():
            ax.fill_between(pos, sub["lo"], sub["hi"], color=c, alpha=0.15, lw=0)
        ax.plot(pos, sub["value"], "-" if "value_class" in sub else "-o", ms=3, color=c, label=s)
        _class_points(ax, pos, sub["value"].to_numpy(dtype=float), sub, c)
    ax.set_xticks(range(len(xs)), xs)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(spec.y_label)
    if spec.percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    _legend_below(ax, len(ser), spec)


def _pie(ax, spec: FigureSpec) -> None:
    d = spec.data
    ax.pie(d["value"], labels=[str(x) for x in d["label"]], colors=PALETTE[: len(d)], autopct="%1.0f%%",
           startangle=90, counterclock=False, wedgeprops={"width": 0.55}, textprops={"fontsize": 8})
    ax.axis("equal")
    ax.grid(False)


def _scatter(ax, spec: FigureSpec) -> None:
    d = spec.data
    ser = _series(d) or [None]
    for i, s in enumerate(ser):
        sub = d[d["series"] == s] if s is not None else d
        ax.scatter(sub["x"], sub["y"], s=18, alpha=0.8, color=PALETTE[i % len(PALETTE)], label=s)
    if spec.opts.get("log_y"):
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(spec.x_label)
    ax.set_ylabel(spec.y_label)
    if ser[0] is not None:
        _legend_below(ax, len(ser))


def _slope(ax, spec: FigureSpec) -> None:
    d = spec.data
    periods = list(dict.fromkeys(d["x"].astype(str).tolist()))
    pi = {p: i for i, p in enumerate(periods)}
    for i, lab in enumerate(dict.fromkeys(d["label"].tolist())):
        sub = d[d["label"] == lab]
        pos = [pi[str(p)] for p in sub["x"]]
        c = PALETTE[i % len(PALETTE)]
        ax.plot(pos, sub["value"], "-o", ms=4, color=c)
        last = sub.iloc[-1]
        ax.text(pi[str(last["x"])] + 0.05, last["value"], f" {int(last['value'])} {lab}", va="center", fontsize=8,
                color=c)
        first = sub.iloc[0]
        if len(sub) > 1:
            ax.text(pi[str(first["x"])] - 0.05, first["value"], f"{lab} {int(first['value'])} ", va="center",
                    ha="right", fontsize=8, color=c)
    n = int(np.nanmax(d["value"])) if len(d) else 1
    ax.set_ylim(n + 0.5, 0.5)
    ax.set_yticks(range(1, n + 1))
    ax.set_xticks(range(len(periods)), periods)
    ax.set_xlim(-0.6, len(periods) - 0.4)
    ax.set_ylabel(spec.y_label)
    ax.grid(axis="x", visible=False)


def _waterfall(ax, spec: FigureSpec) -> None:
    d = spec.data
    vals = d["value"].to_numpy(dtype=float)
    labels = [str(x) for x in d["label"]] + [spec.opts.get("total_label", "合计")]
    start = np.concatenate([[0], np.cumsum(vals)[:-1]])
    colors = [PALETTE[0] if v >= 0 else PALETTE[3] for v in vals]
    ax.bar(range(len(vals)), vals, 0.6, bottom=start, color=colors)
    tot = vals.sum()
    ax.bar(len(vals), tot, 0.6, color=PALETTE[1])
    for i, (s, v) in enumerate(zip(start, vals, strict=False)):
        ax.text(i, s + max(v, 0), fmt.number(v, 2), ha="center", va="bottom", fontsize=7)
    ax.text(len(vals), max(tot, 0), fmt.number(tot, 2), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(labels)), [_wrap(x, 7) for x in labels], fontsize=8)
    ax.set_ylabel(spec.y_label)


def _wrap(text: str, width: int) -> str:
    """Wrap a label every ``width`` characters (CJK has no spaces to break at)."""
    if " " in text and len(text) > width * 2:
        import textwrap

        return "\n".join(textwrap.wrap(text, width * 2))
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) if len(text) > width else text


def _rank_interval(ax, spec: FigureSpec) -> None:
    d = spec.data
    y = np.arange(len(d))
    v = d["value"].to_numpy(dtype=float)
    ax.errorbar(v, y, xerr=np.vstack([v - d["lo"].to_numpy(dtype=float), d["hi"].to_numpy(dtype=float) - v]),
                fmt="o", color=PALETTE[0], ecolor=PALETTE[0], elinewidth=2, capsize=3, ms=5)
    ax.set_yticks(y, [str(x) for x in d["label"]])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(spec.x_label)
    ax.grid(axis="y", visible=False)


def _tiles(ax, spec: FigureSpec) -> None:
    """Tile-grid map: one equal square per provincial-level division (see ``tilemap.py``)."""
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    d = spec.data
    tiles = d[d["layer"] == "tile"]
    dots = d[d["layer"] == "dot"]
    dotted = bool(spec.opts.get("dots"))
    v = tiles["value"].to_numpy(dtype=float)
    have = np.isfinite(v)
    norm = Normalize(0, float(np.nanmax(v)) if have.any() else 1.0)
    cmap = colormaps["Blues"]
    for r, val in zip(tiles.itertuples(), v, strict=True):
        face = "#eef1f5" if dotted or not np.isfinite(val) else cmap(0.12 + 0.88 * norm(val))
        ax.add_patch(Rectangle((r.col - 0.46, r.row - 0.46), 0.92, 0.92, facecolor=face, edgecolor="white", lw=1))
        dark = (not dotted) and np.isfinite(val) and norm(val) > 0.55
        if dotted:
            ax.text(r.col, r.row - 0.3, r.label, ha="center", va="center", fontsize=6.5, color="#6b7a90")
        else:
            txt = r.label + ("\n" + fmt.number(val, 0 if val >= 10 else 1) if np.isfinite(val) else "")
            ax.text(r.col, r.row, txt, ha="center", va="center", fontsize=7, color="white" if dark else "#222")
    if len(dots):
        ax.scatter(dots["col"], dots["row"], s=150, c=dots["rank"], cmap="Blues_r", vmin=0,
                   vmax=float(dots["rank"].max()) * 1.4, edgecolors="#1f2f4a", linewidths=0.6, zorder=3)
        for r in dots.itertuples():
            ax.text(r.col, r.row, str(int(r.rank)), ha="center", va="center", fontsize=6.5, zorder=4,
                    color="white" if r.rank <= dots["rank"].max() * 0.6 else "#1f2f4a")
    ax.set_xlim(tiles["col"].min() - 0.6, tiles["col"].max() + 0.6)
    ax.set_ylim(tiles["row"].max() + 0.6, tiles["row"].min() - 0.6)
    ax.set_aspect("equal")
    ax.axis("off")


_RENDERERS = {"bar": _bar, "stacked100": _stacked100, "hbar": _hbar, "line": _line, "pie": _pie,
              "scatter": _scatter, "slope": _slope, "waterfall": _waterfall, "rank_interval": _rank_interval,
              "tiles": _tiles}


def draw(spec: FigureSpec):
    """The matplotlib figure of ``spec`` (the caller closes it)."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(MPL_WIDTH, mpl_height(spec)), dpi=PNG_DPI)
    _RENDERERS[spec.kind](ax, spec)
    return fig, ax


def _figure(spec: FigureSpec):
    """The laid-out matplotlib figure of ``spec`` (the caller closes it)."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(MPL_WIDTH, mpl_height(spec)), dpi=PNG_DPI)
    try:
        _RENDERERS[spec.kind](ax, spec)
        if spec.synthetic:
            fig.text(0.995, 0.995, "合成数据 SYNTHETIC" if spec.lang == "zh" else "SYNTHETIC DATA", ha="right",
                     va="top", fontsize=7, color="#b45f06")
        fig.tight_layout()
        # tight_layout leaves a placeholder layout engine on the figure, and with an engine set every
        # savefig (the SVG) first draws the whole figure once more without output, a third of the
        # SVG's time; without one the SVG is the same bytes
        fig.set_layout_engine(None)
    except BaseException:
        plt.close(fig)
        raise
    return fig


def _svg(fig) -> bytes:
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return svg.getvalue()


def render(spec: FigureSpec) -> tuple[bytes, bytes]:
    """(PNG bytes, SVG bytes) of ``spec``."""
    fig = _figure(spec)
    try:
        return _png_rgb(fig), _svg(fig)
    finally:
        plt.close(fig)


#: Figures laid out by :func:`png_many` in this (worker) process, kept open for :func:`svg_many`.
_OPEN: dict[str, object] = {}


def png_many(items: list[tuple[str, FigureSpec, bool]]) -> list[bytes]:
    """PNG bytes of each ``(key, spec, keep)``; a figure with ``keep`` stays open in this process so
    that :func:`svg_many` writes its SVG later without laying it out again (the report needs the PNGs
    first: the PDF embeds them, the SVGs only go to ``figures/``)."""
    out = []
    for key, spec, keep in items:
        fig = _figure(spec)
        try:
            out.append(_png_rgb(fig))
        except BaseException:
            plt.close(fig)
            raise
        if keep:
            _OPEN[key] = fig
        else:
            plt.close(fig)
    return out


def svg_many(items: list[tuple[str, FigureSpec]], background: bool = False) -> list[bytes]:
    """SVG bytes of each ``(key, spec)``, from the figure :func:`png_many` kept open in this process
    (laid out again when it is not there), closing it. ``background``: this is a worker process whose
    SVGs nobody waits for yet; it lowers its own CPU priority so that the PDF, which the build does
    wait for, runs at full speed beside it."""
    if background:
        import os

        os.nice(10)
    out = []
    for key, spec in items:
        fig = _OPEN.pop(key, None) or _figure(spec)
        try:
            out.append(_svg(fig))
        finally:
            plt.close(fig)
    return out


def _png_rgb(fig) -> bytes:
    """The figure as an RGB PNG at 150 dpi, without metadata chunks (deterministic bytes).

    The figure background is opaque white, so the alpha channel matplotlib's own PNG writer keeps
    carries nothing; without it the file is a quarter smaller and WeasyPrint embeds it as is
    instead of splitting off and re-compressing an alpha mask for every figure of the PDF."""
    from PIL import Image

    fig.set_dpi(PNG_DPI)
    fig.canvas.draw()
    # Pillow drops the alpha channel in C; a numpy slice instead is a strided view that Pillow first
    # copies pixel by pixel (same PNG bytes; 1.37 s against 1.15 s for the default report's 73 figures)
    size = fig.canvas.get_width_height(physical=True)
    rgb = Image.frombuffer("RGBA", size, fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    rgb.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def write(spec: FigureSpec, folder: Path, stem: str) -> tuple[Path, Path]:
    png, svg = render(spec)
    folder.mkdir(parents=True, exist_ok=True)
    p, s = folder / f"{stem}.png", folder / f"{stem}.svg"
    p.write_bytes(png)
    s.write_bytes(svg)
    return p, s
