"""Every plotted point of every report figure carries the value class stored for it, and both
renderers (plotly for HTML, matplotlib for PDF/PNG) draw it in that class's style."""

from __future__ import annotations

import html
import warnings

import pandas as pd
import pytest

from suanli.store.value_class import VALUE_CLASSES, propagate

BARS = ("bar", "stacked100", "hbar")


@pytest.fixture(scope="module")
def figs(report_out):
    from suanli.report.data import ReportData
    from suanli.report.sections import modules
    from suanli.store import Store

    rd = ReportData(Store.open_read_only(report_out), "zh")
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for m in modules():
            out += m.FIGURES.build(rd)[0]
    assert len(out) > 40
    return rd, out


def _stored(report_out):
    m = pd.read_csv(report_out / "tables" / "market_series.csv")
    return {(s, int(y)): (c, v) for s, y, c, v in zip(m.series, m.year, m.value_class, m.value, strict=True)}


def test_every_point_has_its_stored_class(figs, report_out):
    rd, specs = figs
    stored = _stored(report_out)
    checked = 0
    for f in specs:
        d = f.data
        assert "value_class" in d.columns and d["value_class"].notna().all(), f.id
        assert set(d["value_class"]) <= set(VALUE_CLASSES), f.id
        table_cls = set()
        for t in f.tables:
            table_cls |= set(pd.read_csv(report_out / "tables" / f"{t}.csv")["value_class"])
        if "inputs" in d.columns:
            ratios: dict[str, set] = {}
            for r in d.itertuples():
                cells = [c.rsplit("@", 1) for c in r.inputs.split(";")]
                got = [stored[(s, int(y))] for s, y in cells]
                want = got[0][0] if len(got) == 1 else propagate(*(c for c, _ in got))
                assert r.value_class == want, (f.id, r.x, r.series, r.inputs)
                if len(got) == 1 and got[0][1]:
                    ratios.setdefault(r.series, set()).add(round(r.value / got[0][1], 9))
                checked += 1
            # a single-input point is the stored value (in the figure's unit): one scale per series
            assert all(len(v) == 1 for v in ratios.values()), (f.id, ratios)
        elif len(table_cls) == 1:
            # every point has the table's class, except a printed value the table carries beside its own
            # (e.g. IDC's published level in a column of a synthetic scenario table), which is stated
            assert set(d["value_class"]) - {"stated"} <= table_cls and table_cls & set(d["value_class"]), f.id
        else:
            assert set(d["value_class"]) <= table_cls | {propagate(*table_cls)}, f.id
    assert checked > 100


def test_seed_cases_are_classed(figs):
    _, specs = figs
    by = {f.id: f for f in specs}
    cn = by["market_cn_compute"].data
    lev = cn[cn.series.str.contains("EFLOPS") & cn.series.str.startswith("智能")].set_index("x")["value_class"]
    assert lev[2025] == "stated" and lev[2028] == "stated"
    assert lev[2021] == "derived"  # back-cast, never shown as stated
    g = by["market_global_ai_servers"].data
    segs = g[(g.x == 2024) & ~g.series.str.contains("占比")]
    assert segs.value.sum() == pytest.approx(1251.0)
    assert set(segs.value_class) <= {"derived", "stated"}
    svc = by["market_ai_compute_services"].data
    for y, total in ((2024, 50.0), (2025, 79.5)):
        assert svc[svc.x == y].value.sum() == pytest.approx(total)
    assert "未分配" in set(svc.series)
    band = by["market_forecast_band"].data
    assert set(band[band.x > 2028].value_class) == {"modelled"}


def test_plotly_points_follow_their_class(figs):
    from suanli.report.render_plotly import CLASS_SYMBOL, figure
    from suanli.report.spec import CLASS_LEGEND, CLASS_STYLE

    _, specs = figs
    mixed = 0
    for f in specs:
        if f.kind not in (*BARS, "line"):
            continue
        fig = figure(f)
        classes = set(f.data["value_class"])
        legend = {t.name for t in fig.data if t.customdata is not None and str(t.customdata[0]).startswith("legend:")}
        for c in classes - {"stated"}:
            assert CLASS_LEGEND["zh"][c] in legend, (f.id, c)
        if "derived" in classes:
            assert any("推算" in x for x in legend), f.id
        for t in fig.data:
            if t.customdata is None or str(t.customdata[0]).startswith("legend:"):
                continue
            cls = list(t.customdata)
            name = html.unescape(t.name) if t.name else t.name  # plotly gets escaped names
            sub = f.data[f.data["series"] == name] if "series" in f.data and name else f.data
            assert cls == sub["value_class"].astype(str).tolist(), (f.id, t.name)
            if t.type == "bar":
                # one class for every bar: one opacity and one pattern (none for stated values)
                shapes, opacity = t.marker.pattern.shape, t.marker.opacity
                if len(set(cls)) == 1:
                    assert shapes is None or isinstance(shapes, str), (f.id, t.name)
                    shapes, opacity = [shapes or ""] * len(cls), [opacity] * len(cls)
                assert list(shapes) == [CLASS_STYLE[c][2] for c in cls], (f.id, t.name)
                assert list(opacity) == [CLASS_STYLE[c][0] for c in cls], (f.id, t.name)
            else:
                assert list(t.marker.symbol) == [CLASS_SYMBOL[c] for c in cls], (f.id, t.name)
        mixed += len(classes) > 1
    assert mixed >= 8


def test_matplotlib_points_follow_their_class(figs):
    import matplotlib.pyplot as plt

    from suanli.report.render_mpl import CLASS_MARKER, draw
    from suanli.report.spec import CLASS_STYLE

    _, specs = figs
    done = 0
    for f in specs:
        if f.kind not in (*BARS, "line") or f.data["value_class"].nunique() < 2:
            continue
        fig, ax = draw(f)
        try:
            axes = fig.get_axes()
            bars = [p for a in axes for p in a.patches if str(p.get_gid() or "").startswith("vc:")]
            pts = [ln for a in axes for ln in a.lines if str(ln.get_gid() or "").startswith("vc:")]
            lines = set(f.opts.get("line_series", [])) if f.kind == "bar" else set(f.data["series"]) \
                if f.kind == "line" else set()
            want_bars = f.data[~f.data["series"].isin(lines)]["value_class"].value_counts().to_dict()
            want_pts = f.data[f.data["series"].isin(lines)]["value_class"].value_counts().to_dict()
            got_bars = pd.Series([p.get_gid()[3:] for p in bars]).value_counts().to_dict() if bars else {}
            got_pts = pd.Series([p.get_gid()[3:] for p in pts]).value_counts().to_dict() if pts else {}
            assert got_bars == want_bars and got_pts == want_pts, (f.id, got_bars, want_bars, got_pts, want_pts)
            for p in bars:
                c = p.get_gid()[3:]
                assert p.get_hatch() in (CLASS_STYLE[c][1], None if not CLASS_STYLE[c][1] else "") or \
                    (p.get_hatch() or "") == CLASS_STYLE[c][1], (f.id, c)
                assert p.get_alpha() == pytest.approx(CLASS_STYLE[c][0])
            for ln in pts:
                assert ln.get_marker() == CLASS_MARKER[ln.get_gid()[3:]][0]
            labels = [t.get_text() for a in axes if a.get_legend() for t in a.get_legend().get_texts()]
            if "derived" in set(f.data["value_class"]):
                assert any("推算" in t for t in labels), f.id
        finally:
            plt.close(fig)
        done += 1
    assert done >= 8


def test_national_routes_side_by_side(report_out, report_html, figs):
    n = pd.read_csv(report_out / "tables" / "national_compute_series.csv")
    assert set(n.route) == {"published", "model"}
    assert set(n[n.route == "model"].value_class) == {"synthetic"}
    i = n[n.quantity == "intelligent"].set_index(["route", "year"])
    assert i.loc[("published", 2025), "value"] == pytest.approx(1037.3)
    assert i.loc[("published", 2025), "value_class"] == "stated"
    assert i.loc[("published", 2020), "value_class"] == "derived"  # back-cast, never printed by IDC
    gap = i.loc[("model", 2020), "value"] / i.loc[("published", 2020), "value"] - 1
    assert i.loc[("model", 2020), "gap"] == pytest.approx(gap) and abs(gap) > 0.01
    # the report shows both under their own names and says why they differ
    assert "IDC（公布及推算）" in report_html and "suanli 模型（合成出货）" in report_html
    assert "差异来自口径而非错误" in report_html
    by = {f.id: f for f in figs[1]}
    d = by["national_compute_routes"].data
    assert d.series.nunique() == 2 and set(d[d.series.str.startswith("suanli")].value_class) == {"synthetic"}


def test_services_cagr_printed_as_stated(report_html):
    # the 智算服务 CAGR is the printed 57.3% (a stated observation), not a recomputation from a back-cast base
    i = report_html.index('data-claim="svc_cagr"')
    ref = report_html[i:i + 400]
    assert "market_observations" in ref and "cn_ai_compute_service_cagr" in ref
    assert "57.3%" in report_html[i:i + 700]


def test_the_page_keys_value_classes_in_html_not_as_plotly_traces(figs, report_html):
    """On report.html the value-class legend is a key under the chart (drawn by the page), and the
    chart's JSON holds no data-less legend traces; every figure whose data has a class other than
    stated gets the key, with each class it shows and the class's label."""
    import json
    import re

    from suanli.report.render_plotly import class_key
    from suanli.report.spec import CLASS_LEGEND

    _, specs = figs
    keyed = 0
    for f in specs:
        if f.kind not in (*BARS, "line"):
            continue
        m = re.search(rf'<figure[^>]*id="fig-{re.escape(f.id)}".*?</figure>', report_html, flags=re.S)
        assert m, f.id
        data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', m.group(0),
                                    flags=re.S).group(1))
        assert not [t for t in data["data"] if str((t.get("customdata") or [""])[0]).startswith("legend:")], f.id
        # every class the chart shows, stated among them, unless all it shows is stated
        have = set(f.data["value_class"].astype(str)) if "value_class" in f.data else set()
        want = have if have - {"stated"} else set()
        key = re.findall(r'<span class="swatch sw-([a-z]+)"></span>([^<]*)</span>', m.group(0))
        assert {c for c, _ in key} == want, (f.id, key, want)
        assert all(label == CLASS_LEGEND["zh"][c] for c, label in key), key
        assert [c for c, _ in class_key(f)] == [c for c, _ in key]
        keyed += bool(key)
    assert keyed >= 20


def test_static_figures_have_no_overlapping_texts(figs):
    """No two texts of a static figure overlap (tick labels, titles, bar values, legend entries, the
    synthetic mark), no text reaches past the figure's edge, no legend leaves the figure (a legend placed a fixed share of the axes' height
    below the plot sat on the axis title of 13 of the 73 default figures: every survey chart, the Sobol
    charts), and no axis prints two tick labels alike (the growth axes of three market charts read
    23%, 24%, 24%, 24%, 25%, 25% when they were fitted to the line's own span with whole percents)."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from suanli.report.render_mpl import _figure

    _, specs = figs
    bad = []
    for f in specs:
        fig = _figure(f)
        try:
            fig.draw_without_rendering()
            r = fig.canvas.get_renderer()
            # tick labels of ticks outside an axis's view limits exist (and say they are visible) but
            # are never drawn
            unseen, seen = set(), {}
            for ax in fig.axes:
                for axis in (ax.xaxis, ax.yaxis):
                    lo, hi = sorted(axis.get_view_interval())
                    eps = 1e-9 * max(1.0, abs(hi - lo))
                    for tick in axis.get_major_ticks():
                        inside = lo - eps <= tick.get_loc() <= hi + eps
                        for lab in (tick.label1, tick.label2):
                            if not inside:
                                unseen.add(id(lab))
                            elif lab.get_visible() and lab.get_text().strip():
                                seen.setdefault(id(axis), (axis, []))[1].append(lab.get_text())
            boxes = [(t.get_text(), t.get_window_extent(r)) for t in fig.findobj(Text)
                     if t.get_visible() and t.get_text().strip() and id(t) not in unseen]
            w, h = fig.bbox.width, fig.bbox.height
            bad += [(f.id, "text beyond the figure's edge", t[:20]) for t, a in boxes
                    if a.x0 < -1 or a.y0 < -1 or a.x1 > w + 1 or a.y1 > h + 1]
            for i, (ta, a) in enumerate(boxes):
                for tb, b in boxes[i + 1:]:
                    if min(a.x1, b.x1) - max(a.x0, b.x0) > 1.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1.5:
                        bad.append((f.id, ta[:20], tb[:20]))
            for ax in fig.axes:
                if ax.get_legend() is not None and ax.get_legend().get_window_extent(r).y0 < fig.bbox.y0 - 1:
                    bad.append((f.id, "legend outside the figure", ""))
            for axis, texts in seen.values():   # log axes repeat their 2 and 5 by design
                if axis.get_scale() != "log" and len(set(texts)) < len(texts):
                    bad.append((f.id, "repeated tick labels", ", ".join(texts)))
        finally:
            plt.close(fig)
    assert bad == []
