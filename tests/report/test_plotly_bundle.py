"""The vendored plotly.js partial bundle (report/vendor/plotly-report.min.js): the same plotly.js
version as the installed plotly wheel, and every trace type the built pages draw registered in it."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
from pathlib import Path

import plotly
import pytest
from chart_checks import ARGS, CHROMIUM

from suanli.report import plotlyjs

ROOT = Path(__file__).resolve().parents[2]
HEADER = re.compile(rb"\A/\*\*\s*\* plotly\.js v(\d+\.\d+\.\d+\S*)")
DATA = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)
browser = pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                             reason="needs Debian chromium (scripts/system-deps.txt)")


def _version(js: bytes) -> str:
    m = HEADER.match(js)
    assert m, js[:200]
    return m.group(1).decode()


def wheel_plotlyjs_version() -> str:
    return _version((Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()[:200])


def trace_types(html: str) -> set[str]:
    """Trace types of every figure on a page (the template's per-type defaults left out)."""
    types = set()
    for m in DATA.finditer(html):
        if m.group(1) == "plotly-template":
            continue
        spec = json.loads(m.group(2))
        types |= {t.get("type", "scatter") for t in spec.get("data", [])}
    return types


def test_bundle_is_the_wheels_plotlyjs_version():
    assert _version(plotlyjs.bundle_js()[:200]) == wheel_plotlyjs_version()
    lock = json.loads((ROOT / "scripts" / "plotly_bundle" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/plotly.js"]["version"] == wheel_plotlyjs_version()


def test_entry_registers_exactly_the_declared_trace_types():
    entry = (ROOT / "scripts" / "plotly_bundle" / "entry.js").read_text()
    assert "require('plotly.js/lib/core')" in entry
    registered = set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", entry)) - {"core"}
    assert registered | {"scatter"} == set(plotlyjs.TRACE_TYPES)


def test_page_embeds_the_vendored_bundle():
    tags = plotlyjs.script_tags()
    b64 = re.search(r'<script id="plotly-gz" type="application/octet-stream">([^<]+)</script>', tags).group(1)
    assert gzip.decompress(base64.b64decode(b64)) == b"//# allFunctionsCalledOnLoad\n" + plotlyjs.bundle_js()
    assert plotlyjs.plotly_gz_b64() == plotlyjs.plotly_gz_b64()  # deterministic (gzip mtime 0)
    assert len(b64) < 800_000  # the full plotly.min.js was about 1.9 MB here


def test_missing_bundle_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(plotlyjs, "BUNDLE", tmp_path / "vendor" / "plotly-report.min.js")
    with pytest.raises(FileNotFoundError, match="plotly.js bundle missing.*scripts/plotly_bundle/build.sh"):
        plotlyjs.bundle_js()


@pytest.mark.parametrize("fname", ["report.html", "report.en.html", "capacity.html"])
def test_every_drawn_trace_type_is_in_the_bundle(default_build, fname):
    types = trace_types((default_build / fname).read_text(encoding="utf-8"))
    assert types, fname
    assert types <= set(plotlyjs.TRACE_TYPES), types - set(plotlyjs.TRACE_TYPES)


@pytest.mark.browser
@browser
def test_bundle_registers_the_trace_types_in_chromium(default_build):
    """Run the bundle itself: its Plotly global, version and registered trace types."""
    from playwright.sync_api import sync_playwright

    types = set().union(*(trace_types((default_build / f).read_text(encoding="utf-8"))
                          for f in ("report.html", "report.en.html", "capacity.html")))
    errors: list[str] = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = b.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.set_content("<!DOCTYPE html><html><head></head><body><div id='g'></div></body></html>")
            page.add_script_tag(content=plotlyjs.bundle_js().decode("utf-8"))
            version, registered = page.evaluate(
                "[Plotly.version, Object.keys(Plotly.PlotSchema.get().traces).sort()]")
            # every trace type draws (a minimal trace of each, all on one page)
            drawn = page.evaluate("""async (types) => {
                const out = {};
                for (const t of types) {
                  const el = document.createElement('div'); document.body.appendChild(el);
                  const tr = t === 'pie' ? {type: t, labels: ['a', 'b'], values: [1, 2]}
                           : t === 'heatmap' ? {type: t, z: [[1, 2], [3, 4]]}
                           : {type: t, x: ['a', 'b'], y: [1, 2]};
                  await Plotly.newPlot(el, [tr], {}, {responsive: true});
                  out[t] = el._fullData[0].type === t && !!el.querySelector('svg.main-svg');
                }
                return out;
            }""", sorted(types))
        finally:
            b.close()
    assert errors == []
    assert version == wheel_plotlyjs_version()
    assert set(registered) == set(plotlyjs.TRACE_TYPES)
    assert types <= set(registered)
    assert drawn == dict.fromkeys(types, True)
