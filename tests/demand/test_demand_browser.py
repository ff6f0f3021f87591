"""The /demand page in Debian's chromium: charts drawn, a slider redraws the scenario, no script error,
language switch; at 390 px the page does not scroll sideways."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from suanli.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_helpers import LiveServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                       reason="Debian chromium not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(demand_out):
    with LiveServer(create_app(demand_out)) as s:
        yield s


def _until(cond, timeout: float = 30.0) -> None:
    """Poll ``cond`` (the page's CSP forbids Playwright's string-evaluated wait_for_function)."""
    import time

    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


@pytest.mark.parametrize("width", [1280, 390])
def test_demand_page(server, width):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            pg = b.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            pg.on("pageerror", lambda e: errors.append(str(e)))
            pg.goto(server.url + "/demand")
            pg.wait_for_selector("#chart .main-svg", timeout=30000)
            pg.wait_for_selector("#table table", timeout=30000)
            before = pg.locator("#table table tr").last.inner_text()
            pg.locator("#mf").fill("2")
            pg.locator("#mf").dispatch_event("input")
            _until(lambda: pg.locator("#table table tr").last.inner_text() != before)
            assert pg.locator("#mf-v").inner_text().startswith("2")
            assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            pg.locator("#lang").click()
            _until(lambda: pg.locator("html").get_attribute("lang") == "en")
            assert "Compute demand" in pg.locator("h1").inner_text()
            assert not errors, errors
        finally:
            b.close()
