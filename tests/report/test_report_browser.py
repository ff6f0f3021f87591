"""Open the report in headless Debian chromium: no console error, no external request, every chart drawn."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"), reason="needs Debian chromium (scripts/system-deps.txt)")]


def open_page(path, on_dialog=None):
    from playwright.sync_api import sync_playwright

    events = {"errors": [], "requests": [], "dialogs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: events["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: events["errors"].append(str(e)))
            page.on("request", lambda r: events["requests"].append(r.url))

            def dialog(d):
                events["dialogs"].append(d.message)
                d.dismiss()
            page.on("dialog", dialog)
            page.goto(path.resolve().as_uri())
            page.wait_for_selector("body[data-charts-drawn]", timeout=90_000)
            events["drawn"] = int(page.evaluate("document.body.dataset.chartsDrawn"))
            events["charts"] = page.evaluate("document.querySelectorAll('div.chart').length")
            events["with_svg"] = page.evaluate(
                "Array.from(document.querySelectorAll('div.chart')).filter(d => d.querySelector('svg.main-svg')"
                " && d.dataset.drawn === '1').length")
            events["bars"] = page.evaluate("document.querySelectorAll('div.chart g.point, div.chart path.point').length")
        finally:
            browser.close()
    return events


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
