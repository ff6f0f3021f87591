"""Every interactive chart of report.html works in chromium: zh and en, desktop (1280 px) and phone (390 px).

For every plotly figure (see ``chart_checks.CHECK_JS``): category axes span at most [-1, n],
every trace has a visible mark inside the plot area, no two text labels overlap and no error bar
runs through a value label.

The checks catch the faults of the report as it was before this test existed. Run on that report
(``python tests/report/chart_checks.py report.html 1280``, zh, 1280 px) they found 13 of 52 figures
with problems: 12 category axes far outside [-1, n] (the forecast shading passed ``x0="2025"`` on a
category axis, so the x range became about -119...2077 and the bars were squashed into one slot,
e.g. ``market_cn_compute``: range [-118.5, 2077.0] for 9 categories; the rank-interval axis was
padded to [-1.3, 20.3]), 3 overlapping label pairs ("2023" over "0" where the squashed axis piled
the ticks) and 7 traces of the outline map with no mark inside the plot area.
"""

from __future__ import annotations

import os

import pytest
from chart_checks import CHROMIUM, check_page

pytestmark = [pytest.mark.browser,
              pytest.mark.xdist_group("report-pages"),       # one load of each page with test_report_browser.py
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                 reason="needs Debian chromium (scripts/system-deps.txt)")]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_every_chart_has_sane_axes_visible_marks_and_no_overlapping_labels(report_out, fname, width):
    res = check_page(report_out / fname, width)
    assert res["errors"] == []
    assert res["charts"] >= 25 and res["drawn"] == res["charts"]
    assert res["problems"] == [], res["problems"][:5]


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_desktop_charts_are_drawn_once(report_out, fname):
    """At the desktop width every chart's margins, worked out at build time (``report/margins.py``),
    already fit its tick labels and legend, so plotly never grows them and draws each chart once.
    Charts with a colour bar are the exception (its margin is not predicted; plotly grows it as
    before). Before the margins were predicted, 72 of the 73 charts were drawn twice."""
    res = check_page(report_out / fname, 1280)
    assert res["charts"] >= 25
    twice = [m for m in res["margins_grown"] if not m["colorbar"]]
    assert twice == [], twice[:5]


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_most_phone_charts_are_drawn_once(report_out, fname):
    """On a phone (390 px) the narrow layout's margins are predicted too (``layout.meta.narrow``); the
    labels of bars that reach the right edge and a few secondary axes still make plotly grow some.
    Before the prediction, 72 of the 73 charts were drawn twice; now 22 or 23 (zh, en): well under half."""
    res = check_page(report_out / fname, 390)
    assert len(res["margins_grown"]) <= res["charts"] * 2 // 5, [m["fig"] for m in res["margins_grown"]]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_parts_off_screen_are_skipped_with_close_height_estimates(report_out, fname, width):
    """Every figure and table may be skipped by the browser while off screen (its charts are drawn in
    the background, so each of plotly's forced layouts then costs less), and the heights the page
    gives them meanwhile (figure: chart height and caption; table: ``render.table_height``) keep
    the page within a tenth of its real height, so the scroll bar does not jump as parts appear.
    Measured: within 5 % at both widths."""
    h = check_page(report_out / fname, width)["heights"]
    assert h["parts"] >= 60 and h["skippable"] == h["parts"], h
    assert abs(h["estimated"] - h["real"]) <= 0.1 * h["real"], h


#: one figure of report.html (its id is the group)
_FIGURE = r'<figure class="fig[^"]*" id="fig-([^"]+)".*?</figure>'


def _checked_with_one_chart_changed(report_out, tmp_path, name, pick, change) -> tuple[str, str, int, dict]:
    """Check a copy of the built report.html in which the first chart whose JSON ``pick`` accepts is
    changed by ``change(figure_dict)``; the copy keeps only that chart and the next one ``pick``
    accepts, untouched, so it loads fast. Returns (changed id, untouched id, how many charts ``pick``
    accepts, the checks that flagged each chart)."""
    import json
    import re

    html = (report_out / "report.html").read_text(encoding="utf-8")
    figs = re.findall(_FIGURE, html, flags=re.S)
    data = {f: re.search(rf'(id="data-{re.escape(f)}">)(.*?)(</script>)', html, flags=re.S) for f in figs}
    chosen = [f for f in figs if pick(data[f].group(2))]
    changed, other = chosen[0], chosen[1]
    m = data[changed]
    fig = json.loads(m.group(2))
    change(fig)
    page = html[:m.start(2)] + json.dumps(fig, ensure_ascii=False).replace("<", "\\u003c") + html[m.end(2):]
    page = re.sub(_FIGURE, lambda x: x.group(0) if x.group(1) in {changed, other} else "", page, flags=re.S)
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    res = check_page(path, 1280)
    assert res["drawn"] == res["charts"] == 2
    return changed, other, len(chosen), {f["fig"]: {p["check"] for p in f["problems"]} for f in res["problems"]}


def test_the_checks_catch_the_old_category_shading_bug(report_out, tmp_path):
    """Regression case: put back the old forecast shading (the band's x given as the year, 2025, on a
    category axis, with the axis left to autorange) on one chart of the built page; the checks must
    flag that chart's axis (plotly reads 2025 as category index 2025) while the untouched chart passes."""

    def old_shading(fig: dict) -> None:
        lay = fig["layout"]
        lay["xaxis"].pop("range", None)
        lay["xaxis"]["autorange"] = True
        lay["shapes"] = [{"type": "rect", "xref": "x", "yref": "paper", "x0": 2025, "x1": 2028, "y0": 0, "y1": 1,
                          "fillcolor": "#999", "opacity": 0.08, "line": {"width": 0}}]

    shaded, other, _, flagged = _checked_with_one_chart_changed(
        report_out, tmp_path, "old-shading", lambda js: '"type":"rect"' in js, old_shading)
    assert "axis" in flagged.get(shaded, set()), flagged
    assert other not in flagged, flagged


def test_the_checks_catch_labels_under_whiskers(report_out, tmp_path):
    """Regression case: put back the old value labels of horizontal bars with intervals (each bar's own
    label outside its end, where the whisker runs through it; now a text trace prints them past the
    whisker) on one chart of the built page; the checks must flag that chart while another chart with
    whiskers, untouched, passes."""

    def old_labels(fig: dict) -> None:
        fig["data"] = [tr for tr in fig["data"] if tr.get("meta") != "value-labels"]
        for tr in fig["data"]:
            if tr.get("type") == "bar":
                tr["textposition"] = "outside"
        fig["layout"]["meta"]["narrow"]["traces"] = {}

    old, other, n, flagged = _checked_with_one_chart_changed(
        report_out, tmp_path, "old-whisker-labels", lambda js: '"meta":"value-labels"' in js and '"error_x"' in js,
        old_labels)
    assert n >= 10, n        # the survey charts, both Sobol charts, the provinces' energy
    assert "whisker" in flagged.get(old, set()), flagged
    assert other not in flagged, flagged
