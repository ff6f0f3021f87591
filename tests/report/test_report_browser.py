"""Open the report in headless Debian chromium: no console error, no external request, every chart drawn."""

from __future__ import annotations

import os

import pytest
from chart_checks import CHROMIUM, check_page

pytestmark = [pytest.mark.browser,
              # with test_report_charts.py, which reads the same pages at 1280 px: one load each
              pytest.mark.xdist_group("report-pages"),
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"), reason="needs Debian chromium (scripts/system-deps.txt)")]


def open_page(path):
    """The page at 1280 px once every chart is drawn: console and page errors, requests, dialogs,
    charts, charts drawn with an SVG, bar and point marks (``chart_checks.check_page``)."""
    ev = check_page(path, 1280, timeout_ms=90_000)
    ev["charts"] = ev["all_charts"]
    return ev


@pytest.mark.parametrize("fname", ["report.html", "report.en.html"])
def test_every_chart_drawn_without_errors(report_out, fname):
    ev = open_page(report_out / fname)
    assert ev["errors"] == []
    assert ev["dialogs"] == []
    external = [u for u in ev["requests"] if not u.startswith(("file:", "data:", "blob:", "about:"))]
    assert external == []
    assert ev["charts"] >= 25
    assert ev["drawn"] == ev["charts"] == ev["with_svg"]
    assert ev["bars"] > 100
