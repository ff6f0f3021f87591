"""The figure pipeline: PNGs first (the PDF embeds them), SVGs later from the figures the worker kept
open. A figure's PNG and SVG are the same bytes whichever way they are made, and on every run."""

from __future__ import annotations

import pandas as pd

from suanli.report import render_mpl
from suanli.report.spec import FigureSpec


def _spec(fid: str, lang: str = "zh") -> FigureSpec:
    data = pd.DataFrame({"x": ["2023", "2024", "2025"] * 2, "value": [1.0, 2.5, 4.0, 0.5, 0.8, 1.6],
                         "series": ["智能算力"] * 3 + ["通用算力"] * 3})
    return FigureSpec(id=fid, section="compute", kind="line", title="算力规模 EFLOPS", data=data,
                      source="测试数据", tables=["t"], synthetic=True, y_label="EFLOPS", forecast_from=2025,
                      lang=lang)


def test_png_then_svg_equals_one_render_and_is_deterministic():
    specs = [_spec("a"), _spec("b", "en")]
    items = [(f"k{i}", s, True) for i, s in enumerate(specs)]
    pngs = render_mpl.png_many(items)
    assert set(render_mpl._OPEN) == {"k0", "k1"}  # kept open for their SVGs
    svgs = render_mpl.svg_many([(k, s) for k, s, _ in items])
    assert render_mpl._OPEN == {}
    for s, png, svg in zip(specs, pngs, svgs, strict=True):
        assert png.startswith(b"\x89PNG") and b"<svg" in svg
        first, again = render_mpl.render(s), render_mpl.render(s)
        assert first == again  # SVG ids are salted with a fixed salt, not a random UUID
        assert first == (png, svg)


def test_svg_of_a_figure_not_kept_is_laid_out_again():
    s = _spec("c")
    (png,) = render_mpl.png_many([("k", s, False)])
    assert "k" not in render_mpl._OPEN
    (svg,) = render_mpl.svg_many([("k", s)])
    assert (png, svg) == render_mpl.render(s)
