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


def test_a_laid_out_figure_is_drawn_once_per_file(monkeypatch):
    """The SVG of a laid-out figure draws it once: a figure that keeps a layout engine (as
    ``tight_layout`` leaves one) is first drawn once more, without output, by every ``savefig``; and
    the SVG is the same bytes as that of a figure laid out the old way."""
    from matplotlib.figure import Figure

    fig = render_mpl._figure(_spec("e"))
    try:
        assert fig.get_layout_engine() is None
        draws = []
        real = Figure.draw
        monkeypatch.setattr(Figure, "draw", lambda self, renderer: (draws.append(1), real(self, renderer))[1])
        svg = render_mpl._svg(fig)
        assert len(draws) == 1
        # the placeholder engine tight_layout leaves (set through an engine, which is not run)
        fig.set_layout_engine("tight")
        fig.set_layout_engine("none")
        assert fig.get_layout_engine() is not None
        draws.clear()
        assert render_mpl._svg(fig) == svg and len(draws) == 2
    finally:
        render_mpl.plt.close(fig)


def test_the_pdf_embeds_a_figure_png_as_weasyprint_would_encode_it():
    """``render.png_idat`` hands WeasyPrint the figure PNG's own image data instead of letting it decode
    and encode the pixels again: the bytes must be exactly those WeasyPrint makes (so the PDF is the
    same), and anything but an 8-bit RGB PNG without interlacing must go WeasyPrint's way."""
    import io

    from PIL import Image
    from weasyprint.images import RasterImage

    from suanli.report import render

    fig = render_mpl._figure(_spec("d"))
    try:
        png = render_mpl._png_rgb(fig)
    finally:
        render_mpl.plt.close(fig)
    slow = RasterImage.__dict__["_get_png_data"].__func__
    slow = getattr(slow, "__wrapped__", slow)
    assert render.png_idat(png) == slow(Image.open(io.BytesIO(png)))
    rgba = io.BytesIO()
    Image.new("RGBA", (4, 4)).save(rgba, format="PNG")
    interlaced = bytearray(png)
    interlaced[28] = 1  # IHDR's interlace method
    assert render.png_idat(rgba.getvalue()) is None and render.png_idat(bytes(interlaced)) is None
    assert render.png_idat(b"GIF89a...") is None and render.png_idat(png[:-40]) is None  # truncated
    render._embed_png_as_is()
    render._embed_png_as_is()  # once only: the second call does not wrap the wrapper
    fast = RasterImage._get_png_data
    assert fast(Image.open(io.BytesIO(png))) == render.png_idat(png)
    assert fast(Image.open(io.BytesIO(rgba.getvalue()))) == slow(Image.open(io.BytesIO(rgba.getvalue())))


def test_a_pdf_laid_out_before_its_figures_are_drawn_is_the_pdf_of_the_figures(tmp_path):
    """A PDF worker lays the PDF out while the figures are drawn, each figure a blank PNG of the size
    its PNG will have (``spec.png_size``), and writes it once the PNGs exist: the bytes must be those
    of typesetting the finished files. A figure of another size than assumed makes it typeset the
    whole PDF again (the fallback), with the same result."""
    from suanli.report import render
    from suanli.report.spec import png_size

    specs = [_spec("e"), _spec("f")]
    (tmp_path / "figures").mkdir()
    html = ("<html><head><style>" + render._font_css() + render._css() + "</style></head><body><p>图 1</p>"
            + "".join(f'<img src="figures/{s.id}.png"><p>{s.title}</p>' for s in specs) + "</body></html>")
    base = str(tmp_path.resolve()) + "/"
    sizes = {str(tmp_path.resolve() / "figures" / f"{s.id}.png"): png_size(s) for s in specs}
    render.pdf_layout("t1", html, base, sizes)
    render.pdf_layout("t2", html, base, {p: (w, h + 1) for p, (w, h) in sizes.items()})  # one pixel off
    for s, png in zip(specs, render_mpl.png_many([(s.id, s, False) for s in specs]), strict=True):
        (tmp_path / "figures" / f"{s.id}.png").write_bytes(png)
    whole = render.pdf_bytes(html, base)
    assert render.pdf_write("t1") == (whole, True)
    assert render.pdf_write("t2") == (whole, False)
    assert not render._LAID_OUT


WARM_CHECK = """
import sys
from suanli.report import render

def loaded(name):
    return name in sys.modules

with render._Pool() as pool:
    if pool.n == 0:
        print("no workers")
        raise SystemExit
    pool.warm(pdfs=1)
    figure, pdf = pool.figure_workers()[0], pool.pdf_worker(0)
    got = [figure.submit(loaded, "matplotlib.pyplot").result(), figure.submit(loaded, "noto_cjk_sans_otc").result(),
           pdf.submit(loaded, "weasyprint").result(), loaded("matplotlib"), loaded("weasyprint")]
print(got)
"""


def test_a_cold_report_starts_its_workers_loading_their_libraries(tmp_path):
    """On a cold report (no figure in the cache) the render workers are started before the documents
    are assembled and load matplotlib (with the CJK font) or WeasyPrint themselves meanwhile; the
    build's own process imports neither (a fresh interpreter, so nothing is inherited)."""
    import subprocess
    import sys

    import pytest

    from suanli.report.cache import Cache

    assert Cache(None).empty("fig") and Cache(tmp_path / "c").empty("fig")
    warm = Cache(tmp_path / "w")
    warm.put("fig", "k", "png", b"x")
    assert not warm.empty("fig") and warm.empty("pdf")
    out = subprocess.run([sys.executable, "-c", WARM_CHECK], capture_output=True, text=True, check=True,
                         cwd=tmp_path).stdout.strip()
    if out == "no workers":
        pytest.skip("no render workers on one core")
    assert out == "[True, True, True, False, False]"
